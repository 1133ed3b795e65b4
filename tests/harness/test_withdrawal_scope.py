"""A withdrawal that names another revision's NAK, or the cover letter's, leaves the NAK it sits below standing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_conditional_tags import COVER_NAK
from tests.harness.test_gate_naks import MAE, _objections, _replies
from tests.harness.test_heldback import _series
from tests.harness.test_titled_requests import _later

NAK = ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch")


@pytest.mark.parametrize("words", ["I withdraw my NAK of v1, which had no loop.", "I withdraw my NAK of v1 02/3.",
                                   "I withdraw my NAK on the previous version.",
                                   "I withdraw my NAK of the cover letter."])
def test_a_withdrawal_of_another_revisions_nak_leaves_this_one_standing(tmp_path: Path, words: str) -> None:
    # Before: any withdrawal below v2 02/3 by its sender took back their NAK there, whatever NAK it named: exit 0.
    mbox = _replies(tmp_path, NAK, ("w1@example.org", f"> NAK\n\n{words}\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK, the loop never ends.")], words


@pytest.mark.parametrize("words", ["I withdraw my NAK.", "I withdraw my NAK of v2.", "Scratch my NAK of patch 2."])
def test_a_withdrawal_of_this_nak_still_takes_it_back(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, NAK, ("w1@example.org", f"> NAK\n\n{words}\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == [], words


def test_a_withdrawal_below_a_later_revision_naming_the_earlier_one_takes_its_nak_back(tmp_path: Path) -> None:
    assert _later(tmp_path, 3, "I withdraw my NAK of v1.") == (0, [])


@pytest.mark.parametrize("words", ["I withdraw my NAK of patch 2 of v1.", "I withdraw my NAK of v1's 2/3.",
                                   "I withdraw my NAK of 2/5.", "Scratch my NAK on 2/3 in v1."])
def test_a_withdrawal_of_a_patch_of_another_revision_or_count_leaves_this_nak(tmp_path: Path, words: str) -> None:
    # Mae's "NAK for patch 2" below v2's cover letter (3 patches). Before: each took it back, v2 READY, exit 0.
    mbox, _ = _series(tmp_path, COVER_NAK, ("w1@example.org", f"{words}\n", MAE))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK for patch 2, the loop never ends.")], words
    mbox, _ = _series(tmp_path, COVER_NAK, ("w1@example.org", "I withdraw my NAK of patch 2 of v2.\n", MAE))
    assert _objections(tmp_path, mbox) == []


def test_a_keep_counting_another_total_keeps_nothing(tmp_path: Path) -> None:
    # "Keep 2/5" below a 3-patch series is another series' patch. Before: it lifted "Please drop 2/3.", exit 0.
    mbox, _ = _series(tmp_path, ("d1@example.org", "Please drop 2/3.\n", MAE),
                      ("k1@example.org", "Keep 2/5, never mind.\n", MAE))
    assert _objections(tmp_path, mbox) == [("d1@example.org", "Please drop 2/3.")]
    mbox, _ = _series(tmp_path, ("d1@example.org", "Please drop 2/3.\n", MAE),
                      ("k1@example.org", "Keep 2/3, never mind.\n", MAE))
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize(("words", "left"), [
    # The patch named between the NAK and "withdrawn": before, each was read as a NAK of that patch (of 3/3: a second
    # objection; of 2/3: the NAK stood, exit 1).
    ("NAK for patch 3 withdrawn.", [("n1@example.org", "NAK for patch 2, the loop never ends.")]),
    ("My NAK on 2/3 is withdrawn.", []), ("NAK for patch 2 withdrawn.", []),
])
def test_a_withdrawal_naming_the_patch_between_takes_back_that_ones_nak_alone(tmp_path: Path, words: str,
                                                                              left: list[tuple[str, str]]) -> None:
    mbox, _ = _series(tmp_path, COVER_NAK, ("w1@example.org", f"{words}\n", MAE))
    assert _objections(tmp_path, mbox) == left, words
