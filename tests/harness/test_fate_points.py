"""A change asked in the same sentence as the patch's fate, an approval or a withdrawal is a review point.

"Keep it, but please add a comment.", "Happy to apply this if you add a cpu_relax() between tries.", "Acked-by once you
switch to %#llx.": each passed the gate READY, exit 0, the fate or the approval read and the change asked lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

TAG = "Reviewed-by: Mae Maint <mae@example.org>"
NAK = ("n1@example.org", "> quoted\n\nNAK, the loop spins forever.\n", MAE, "patch")


def _gate(tmp: Path, *said: tuple[str, str, str, str]) -> GateResult:
    mbox = _replies(tmp, *said)
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize(("body", "said"), [
    # A turn after the patch's fate: the fate is read, the clause after it asks.
    ("Keep it, but please add a comment.", None),
    ("OK, keep it then, but print the leaf in hex.", None),
    ("Applied, but please add a cpu_relax() between tries.", None),
    # A condition naming a change, beside what it holds back: the patch taken, an approval, a tag in prose.
    ("Happy to apply this if you add a cpu_relax() between tries.", None),
    ("Fine to merge after you rename the macro.", None),
    ("Acked-by once you switch to %#llx.", None),
    ("I'll apply it as long as you cap the retries at 8.", None),
    ("Happy to take it provided the leaf is printed in hex.", None),
    ("Looks good to me once you've bounded the loop.", None),
    ("I'm fine with merging it after the retries are capped.", None),
    # A "with" phrase of a change leading a tag (harness.tagcondition reads the tag as conditional; the change it
    # waits for is asked, as "With the nit fixed," was).
    (f"With the format fixed: {TAG}", None),
    (f"With the format fixed:\n\n{TAG}", "With the format fixed:"),
    (f"With that fixed:\n\n{TAG}", "With that fixed:"),
    ("After the loop is bounded, feel free to merge it.", None),
    # The condition in the tag's own comment or right below it.
    (f"{TAG} # once you switch to %#llx", None),
    (f"Looks good.\n\n{TAG}\n(once you switch to %#llx)", f"{TAG} (once you switch to %#llx)"),
])
def test_a_change_asked_beside_a_fate_or_an_approval_blocks(tmp_path: Path, body: str, said: str | None) -> None:
    g = _gate(tmp_path, ("p1@example.org", f"> quoted\n\n{body}\n", MAE, "patch"))
    [o] = g.objections
    assert (o.kind, o.msgid, o.target, o.sentence) == (ObjectionKind.POINT, "p1@example.org", "v2 02/3",
                                                       said or body), o
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges"), g.headline()


@pytest.mark.parametrize("words", ["Drop my NAK, but please add a cpu_relax() between tries.",
                                   "Remove my NAK, but rename the macro.", "Ignore my NAK, but rename the macro."])
def test_a_withdrawal_lifts_the_nak_and_the_change_beside_it_blocks(tmp_path: Path, words: str) -> None:
    # Before: READY, exit 0: the NAK lifted and the request read as nothing.
    g = _gate(tmp_path, NAK, ("w1@example.org", f"> NAK, the loop spins forever.\n\n{words}\n", MAE,
                              "n1@example.org"))
    assert [(o.kind, o.msgid, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, "w1@example.org", words)]
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges"), g.headline()
    [lifted] = g.lifted
    assert lifted.startswith("NAK of v2 02/3 by Mae Maint <n1@example.org>") and "lifted by its sender <w1@" in lifted


def test_a_fate_a_withdrawal_or_a_condition_naming_no_change_asks_nothing(tmp_path: Path) -> None:
    none = ["Keep it.", "Never mind, keep it.", "Drop my NAK.", "Drop my NAK, the loop is bounded now.",
            "Drop 2/3, but keep 3/3.", "Keep it, but it's your call.", "Applied, thanks.",
            "Applied, but I fixed up the typo while applying.",
            # A condition naming no change, or the patch's own fate, or a test or a resend.
            "Happy to apply this if nobody objects.", "Happy to take it as is if you prefer.",
            "Fine by me if you keep the name.", "OK with me if you leave it as is.", "I'll take it when I'm back.",
            "I'll queue it once it is merged into tip.", "I'll take it once the merge window opens.",
            "Happy to apply this if you resend.", "Happy to take it if you add my Acked-by.",
            "I'll take it after you rebase on tip.",
            "I'm fine with it if you've tested it on hardware.", "I'll take it once it is reviewed.",
            # A consequence, not a grant, under the condition: what would follow.
            "If you use %#llx, the width changes.", "If you drop this, the loop never ends.",
            # A "with" phrase of what is there, or no change, or leading a description.
            "With the loop now bounded:", "With that:", "With that said:", "With your explanation, this makes sense:",
            "With the retries capped, the worst case is 80 ms."]
    assert [s for s in none if point_sentence(s) is not None] == []
    g = _gate(tmp_path, NAK, ("w1@example.org", "> NAK, the loop spins forever.\n\nDrop my NAK, the loop is bounded "
                                                "now.\n", MAE, "n1@example.org"))
    assert not g.objections and g.exit_status == 0 and len(g.lifted) == 1, (g.objections, g.lifted)


@pytest.mark.parametrize(("body", "lifted"), [
    # The tag below an approval held back until a change is under that condition (it lifted the point: READY).
    ("Fine to merge after you rename the macro.", False),
    ("Happy to apply this if you add a cpu_relax() between tries.", False),
    # A change asked beside the fate, then the tag given as is: approved with or without it, as a nit above a tag is.
    ("Keep it, but please add a comment.", True),
])
def test_a_tag_below_an_approval_held_back_lifts_nothing(tmp_path: Path, body: str, lifted: bool) -> None:
    g = _gate(tmp_path, ("p1@example.org", f"> quoted\n\n{body}\n\n{TAG}\n", MAE, "patch"))
    assert [o.sentence for o in g.objections] == ([] if lifted else [body]), g.objections
    assert len(g.lifted) == (1 if lifted else 0) and g.exit_status == (0 if lifted else 1), g.lifted


@pytest.mark.parametrize("held", ["I'll take it once the KVM side is fixed.",
                                  "I'll take it once the KVM series is reworked.",
                                  "I'll take it once the firmware is fixed."])
def test_a_take_waiting_for_another_series_is_a_hold_its_applying_lifts(tmp_path: Path, held: str) -> None:
    # The maintainer holds the patch until another's work is done: a hold (it is not applied now), no change of this
    # patch asked. Read as a review point too, it blocked after their "Applied, thanks." (NOT READY, exit 1).
    hold = ("h1@example.org", f"> quoted\n\n{held}\n", MAE, "patch")
    g = _gate(tmp_path, hold)
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, held)] and g.exit_status == 1
    g = _gate(tmp_path, hold, ("a1@example.org", "> quoted\n\nApplied, thanks.\n", MAE, "h1@example.org"))
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]


@pytest.mark.parametrize("held", ["I'll take it once the loop is fixed.", "I'll take it once you fix the KVM side.",
                                  "Happy to take it once the KVM side is fixed."])
def test_a_take_waiting_for_a_change_of_this_patch_stays_a_point(tmp_path: Path, held: str) -> None:
    assert point_sentence(held) == held
    g = _gate(tmp_path, ("h1@example.org", f"> quoted\n\n{held}\n", MAE, "patch"),
              ("a1@example.org", "> quoted\n\nApplied, thanks.\n", MAE, "h1@example.org"))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, held)] and g.exit_status == 1
