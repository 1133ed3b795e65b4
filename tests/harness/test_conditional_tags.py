"""A conditional Reviewed-by or Acked-by from the NAK's sender lifts no NAK.

A Reviewed-by or Acked-by the NAK's sender gives under a condition, or for another patch or version ("With the loop
bounded, you can add:", "For patch 3:", "... # for v3"), lifts no NAK: it approves what is still to come."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.tagcondition import conditional_tag
from tests.harness.test_gate_naks import MAE, _objections, _replies
from tests.harness.test_heldback import _series

NAK = ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch")
TAG = "Reviewed-by: Mae Maint <mae@example.org>"
COVER_NAK = ("n1@example.org", "NAK for patch 2, the loop never ends.\n", MAE)  # below the cover letter


@pytest.mark.parametrize("words", [
    f"With the loop bounded, you can add:\n\n{TAG}",
    f"If you bound the loop, feel free to add my\n\n{TAG}",
    f"For v3, once the loop is bounded:\n{TAG}",
    f"The loop here still spins, but patch 3 is fine.\n\nFor patch 3:\n{TAG}",
    f"{TAG} # for v3",
    # The condition after the tag, or an imperative before it: each lifted the NAK (the gate passed).
    f"{TAG}\n(assuming you bound the loop)",
    f"{TAG}\n\n...once the loop is bounded.",
    f"{TAG} # once the loop is bounded",
    f"Bound the loop and you can add\n{TAG}",
    f"{TAG} (with the loop bounded)",  # on the tag's own line, after the address b4 ends its value at
    f"{TAG} # with the loop bounded",
    f"{TAG}\nwith the loop bounded, that is.",
    # The kernel's "modulo", a tag given provided the point is fixed: each lifted the NAK at ea1ce1e3 (READY).
    f"Modulo the nit above:\n\n{TAG}",
    f"Modulo the loop bound, feel free to add\n{TAG}",
    f"{TAG} # modulo the loop bound",
])
def test_a_tag_under_a_condition_or_for_something_else_lifts_no_nak(tmp_path: Path, words: str) -> None:
    # Before: the tag was Mae's approval of the patch she NAKed, the NAK lifted and the gate passed. The change the
    # tag waits for ("Bound the loop and you can add"), where one is named, is a review point of its own besides.
    mbox = _replies(tmp_path, NAK, ("r1@example.org", f"{words}\n", MAE, "n1@example.org"))
    said = _objections(tmp_path, mbox)
    assert said[0] == ("n1@example.org", "NAK, the loop never ends.") and {m for m, _ in said[1:]} <= {"r1@example.org"}


@pytest.mark.parametrize("words", [
    f"Looks fixed now.\n\n{TAG}",
    f"With that:\n\n{TAG}",  # what was already given
    f"I misread the loop, sorry. Feel free to add my\n{TAG}",
    f"When I tested it, it worked.\n\n{TAG}",  # a finished sentence, no lead-in to the tag
    f"With your explanation, this makes sense:\n{TAG.replace('Reviewed', 'Acked')}",
    TAG,
    f"Looks good and you can add\n{TAG}",  # a statement, no imperative
    f"The loop is bounded now and you can add\n{TAG}",
    f"{TAG}\n\nThanks for fixing it.",
    f"{TAG}\nThanks!",
    f"{TAG} # with that",  # what was already given
])
def test_a_tag_given_outright_still_lifts_the_nak(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, NAK, ("r1@example.org", f"{words}\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == []


def test_the_lead_in_is_the_paragraph_right_above_the_tag() -> None:
    assert conditional_tag(f"Once v3 is out, I'll look again.\n\nThanks, looks good:\n{TAG}\n", "Reviewed-by",
                           TAG.split(": ", 1)[1]) is False
    assert conditional_tag(f"Thanks.\n\nOnce the loop is bounded:\n{TAG}\n", "Reviewed-by",
                           TAG.split(": ", 1)[1]) is True


@pytest.mark.parametrize("words", [
    f"{TAG} # 1/3 only", f"Patches 1 and 3:\n{TAG}", f"{TAG} (for patch 1)", f"The first patch looks good:\n\n{TAG}",
    f"{TAG} # except patch 2", f"{TAG} # 1, 3",
])
def test_a_tag_scoped_to_patches_below_the_cover_letter_lifts_no_nak_of_another(tmp_path: Path, words: str) -> None:
    # Mae's "NAK for patch 2" below the cover letter, then her tag scoped to other patches (or leaving patch 2 out).
    # Before: each lifted the NAK, v2 READY, exit 0 (a scope named without "for" was not read).
    mbox, _ = _series(tmp_path, COVER_NAK, ("r1@example.org", f"{words}\n", MAE))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK for patch 2, the loop never ends.")]


def test_a_tag_for_the_whole_series_below_the_cover_letter_still_lifts_the_nak(tmp_path: Path) -> None:
    mbox, _ = _series(tmp_path, COVER_NAK, ("r1@example.org", f"For the series:\n\n{TAG}\n", MAE))
    assert _objections(tmp_path, mbox) == []
