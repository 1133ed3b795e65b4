"""A needs-work sentence that calls the patch itself fine is not understood: it blocks, said so, until read.

"This needs more work on the test side, but the patch itself is fine." was a request to drop the patch ("said to need
more work or another revision: not to be applied as it is"), though its sender calls the patch fine: the work is of
something else, the tests, in this series or not. Whether the patch is to be applied as it is cannot be told, so the
gate neither passes it nor reads a request its sender did not make: an objection of kind unread, its reason said,
which a [[read]] table of the rules file lifts as it lifts any reply not read. Below a patch and placed below nothing
alike. "This needs more work." alone, one whose other clause says the code is not fine, and an explicit request to drop
stay requests to drop; so does one after praise of the idea, "I like the idea, but this needs more work.", "Thanks for
doing this, but it needs more work.", which were read as nothing (the gate passed). A sentence's own "It" may be
another thing: "I have a cleanup for this. It needs more work." holds nothing."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from harness.objections import open_objections, review_objections
from harness.pipeline import SeriesRequest, read_inputs
from harness.variants import Variant
from tests.mailgen import demo_series, message, write_mbox

MAE = "Mae Maint <mae@example.org>"
MIXED = "This needs more work on the test side, but the patch itself is fine."


def _reply(body: str, placed: bool) -> EmailMessage:
    """Mae's reply below v2 2/3 (``placed``), or one whose thread is cut (it answers a message the input lacks)."""
    parent, subject = ("p2-v2@example.org", "Re: [PATCH v2 2/3] demo: print fn in decimal") if placed else \
        ("gone@x", "Re: the helper's loop, again")
    refs = ("cover-v2@example.org", parent) if placed else (parent,)
    return message(subject, "m1@x", body, sender=MAE, parent=parent, refs=refs, date="Tue, 06 Jan 2026 12:00:00 +0000")


def _read(tmp_path: Path, body: str, placed: bool) -> tuple[Series, Variant]:
    s = read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(2, 3), _reply(body, placed)]),)))
    rev = s.revision(2)
    assert rev is not None
    return s, Variant("v2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "", revision=2)


@pytest.mark.parametrize("placed", [True, False], ids=["below-the-patch", "placed-below-nothing"])
@pytest.mark.parametrize("words", [MIXED, "This series needs more work, though the patch itself looks good.",
                                   "The patch itself is fine, but this needs more work on the test side.",
                                   "The code looks good, but it needs more work on the test side."])
def test_a_needs_work_sentence_calling_the_patch_fine_is_not_understood(tmp_path: Path, words: str,
                                                                        placed: bool) -> None:
    s, v = _read(tmp_path, f"{words}\n", placed)
    (o,) = open_objections(s, v, frozenset())
    assert o.kind.value == "unread" and o.sentence.startswith(  # was "drop", the sentence itself
        "its words were not understood: it says both that more work is needed and that the patch is fine")
    review = review_objections(s, v, frozenset(), read={"m1@x": "the tests, not this patch, need more work"})
    assert review.standing == () and len(review.read) == 1  # a [[read]] table lifts it, said


@pytest.mark.parametrize("placed", [True, False], ids=["below-the-patch", "placed-below-nothing"])
@pytest.mark.parametrize("words", ["This needs more work.", "This needs more work, but the code is not fine.",
                                   "Please drop this patch, but the code is fine.",
                                   # Read as nothing before, the gate passing: a hold after praise of the idea, "it".
                                   "I like the idea, but this needs more work.",
                                   "Thanks for doing this, but it needs more work.",
                                   "Nice cleanup, but needs more work.", "The idea is fine, but this needs more work."])
def test_other_holds_stay_requests_to_drop(tmp_path: Path, words: str, placed: bool) -> None:
    s, v = _read(tmp_path, f"{words}\n", placed)
    assert [(o.kind.value, o.sentence) for o in open_objections(s, v, frozenset())] == [("drop", words)]


@pytest.mark.parametrize("words", ["I don't think it needs more work.", "If it needs more work, tell me.",
                                   "Does it need more work?", "I tested it and it works.",
                                   "I have a cleanup for this. It needs more work."])
def test_a_negation_a_condition_a_question_or_praise_holds_nothing(tmp_path: Path, words: str) -> None:
    s, v = _read(tmp_path, f"{words}\n", True)
    # A question is the patch's author's to answer, a review point (harness.questionwords): no hold.
    said = [(o.kind.value, o.sentence) for o in open_objections(s, v, frozenset())]
    assert said == ([("point", words)] if words.endswith("?") else []), said


def test_the_fine_clause_read() -> None:
    from harness.heldback import fine_besides

    assert fine_besides(MIXED, MIXED) is not None
    assert fine_besides("This needs more work, but the patch is not fine.", "This needs more work, but the patch "
                        "is not fine.") is None
    assert fine_besides("The patch itself is fine.", "The patch itself is fine.") is None  # no hold: nothing
