"""A defect a reviewer names tersely below the patch ("This needs a comment.", "Typo: retires") blocks as a point.

Generated v2 of our own series, replies below its patch 2. Each sentence in NAMED passed the gate READY, exit 0,
said nowhere, before harness.defectwords (round 63); every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.defectwords import defect_named
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# A defect labelled; a fragment naming a thing unwanted or missing. (What the code needs, wants or lacks is
# harness.askedwords' _NEED since round 64: tests/harness/test_review_points_plain.py's TERSE_NEEDS.)
NAMED = [
    "Typo: retires", "Typo in the subject.", "Spelling: s/retires/retries/", "Nit: trailing whitespace.",
    "Stray whitespace.", "Extra blank line here.", "Unrelated change.", "Missing a comment here.",
    "Missing Fixes: tag.", "Wrong errno.",
    # A bug claimed of the code or named alone; what is not needed.
    "This leaks the buffer.", "Leaks the buffer on error.", "You leak args here.", "This can overflow.",
    "This races with the loader.", "This loops forever if the loader stays busy.", "This is dead code.",
    "Off-by-one.", "Double free.", "Possible NULL deref.", "Potential overflow here.", "Unbounded loop.",
    "Pointless check.", "No need for the unlikely().", "No need for this cast.",
    # Named of the code quoted (h651, round 64: each passed READY, exit 0).
    "That's an off-by-one.", "This is an off-by-one.", "That is a use-after-free.", "That's a leak.",
    "There's a race here.", "This looks like a double free.", "That's a possible deadlock in the error path.",
]
# A view, the code's own needs described, a question.
NOT_NAMED = [
    "Missing the point.", "No typos that I can see.", "Nothing missing.", "Needs testing?",
    "Thanks, nothing missing.",
    # a bug denied, fixed, of the past or of other code; a question; the verb's word as a noun; a resend not needed
    "This can't overflow.", "It no longer leaks.", "This never overflows.", "This fixes the leak.",
    "It leaked before this patch.", "The old code leaks the buffer, this fixes it.", "Does this leak?",
    "Races are handled by the lock.", "Overflow checking is done in the caller.", "No leaks here, I checked.",
    "No need to resend.", "No need for a v3.", "No need to change anything.",
    "This was an off-by-one.", "It is no longer a leak.", "This is a leak fix.",
    "It is an off-by-one in the old code, this fixes it.",
]


def test_the_reader() -> None:
    assert [s for s in NAMED if not defect_named(s) or point_sentence(s) != s] == []
    assert [s for s in NOT_NAMED if defect_named(s)] == []


@pytest.mark.parametrize("words", ["This needs a comment.", "This wants to be hex.", "Typo: retires",
                                   "Stray whitespace.", "The Fixes: tag is missing.", "Wrong errno.",
                                   "This leaks the buffer.", "Off-by-one.", "No need for this cast.",
                                   "That's an off-by-one."])
def test_a_defect_named_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, words)], g.headline()
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges")


@pytest.mark.parametrize("words", ["This needs an ack from Thomas.", "This needs no change.", "Nothing missing."])
def test_no_defect_named_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()


# A nit labelled as one and the flaw described after it (round 64): each passed the gate READY, exit 0, said nowhere.
LABELLED = [
    "nit: extra blank line in the macro.", "nit: the continuation backslashes are not all in the same column.",
    "Minor: the backslashes don't line up.", "Just a nit, but the name is long.", "Nitpick: the name is long.",
    "Small thing: the name is long.", "(nit) the name is long.", "[nit] the name is long.", "Nit - the name is long.",
    "Minor nit: the name is long.", "Cosmetic: the name is long.", "Style: the name is long.",
    "A small nit: the name is long.", "Tiny nit: no blank line before the return.",
    "Nit: not all the backslashes line up.", "Minor: I think the name is long.", "Style-wise, the braces are off.",
    "Super minor: the comment says 16, the code 8.",
]
# A label and nothing named: none, the reader sent below, an approval, the sender's own doing, a waiver, a question.
NOT_LABELLED = [
    "Nit: none from me.", "No nits.", "Nits: nothing else.", "A few nits: see below.", "Style: looks fine.",
    "Minor: otherwise good.", "Minor: I'll fix it up when applying.", "Nit: good catch.",
    "Minor comment below.", "Nit: no further comments.", "Minor: this is fine as is.", "Style-wise, this looks fine.",
    "Nit: should this be hex?", "Nit: thanks for the fix!", "Minor: LGTM.", "Nit:", "Minor.",
    "Some minor nits, otherwise looks good:",
    # "feel free to ignore" waives it (harness.pointwords' _YIELDS, in the sentence or the next; docs/rules.md)
    "Minor, so feel free to ignore.", "Nit: the name is long, but feel free to ignore.",
    "Nit: the name is long. Feel free to ignore it.", "Minor nit, but fine either way.",
]


def test_a_labelled_nit_is_a_point() -> None:
    assert [s for s in LABELLED if not defect_named(s) or point_sentence(s) != s] == []
    assert [s for s in NOT_LABELLED if point_sentence(s) is not None] == []


@pytest.mark.parametrize("words", ["nit: extra blank line in the macro.", "Minor: the backslashes don't line up.",
                                   "Just a nit, but the name is long.", "(nit) the name is long."])
def test_a_labelled_nit_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, words)], g.headline()
    assert g.exit_status == 1


@pytest.mark.parametrize("words", ["Nit: none from me.", "Minor, so feel free to ignore.",
                                   "Nit: the name is long. Feel free to ignore it."])
def test_a_label_naming_nothing_or_waived_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()
