"""NAK as a protocol's word (harness/nakprotocol.py): read near the NAK, so a long sentence costs its length."""

from __future__ import annotations

import pytest

from harness.nakwords import nak_sentences
from tests.linesrun import pattern_inputs

_DEVICE = "the device sends a NAK and "


def test_a_device_nak_is_no_verdict() -> None:
    assert nak_sentences("On a bad leaf the device sends a NAK and the loop retries.") == []


def test_a_long_sentence_of_device_naks_costs_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    # 4,000 NAKs in one 108 KB sentence: read whole before each NAK this took 43 s of CPU (its square); each NAK is
    # now read from the 1,000 characters beside it. Counted, not timed: what each of harness.nakprotocol's patterns
    # is handed is at most those 1,000 (and the NAK's own few), whatever the sentence's length.
    import harness.nakprotocol

    handed = pattern_inputs(monkeypatch, harness.nakprotocol)
    text = _DEVICE * 400 + "stops."
    naks = nak_sentences(text)
    assert handed and max(handed) <= 1_001, max(handed)  # of 10,806: the window each side, not what is before
    # Far from the sentence's start, with no clause mark to begin the device's clause, the NAK is not known to be
    # the device's: it stands (a gate blocked, never passed, by a sentence no one writes).
    assert naks == [text]


def test_a_device_nak_after_a_long_clause_mark_is_still_the_devices() -> None:
    text = "x " * 2000 + "; then the device sends a NAK."
    assert nak_sentences(text) == []


def test_a_first_person_before_a_long_clause_keeps_the_nak() -> None:
    # "I" begins a clause longer than what is read: whose the NAK is cannot be read, so it stays a NAK.
    text = "I think " + "very " * 400 + "the firmware sends a NAK here."
    assert nak_sentences(text) == [text]


def test_nak_as_the_topic_of_a_review_comment_is_no_verdict() -> None:
    # Each was read as the sender's NAK at e918a2cb (the gate blocked on a review comment): NAK naming a thing ("the
    # i2c NAK handling", "the NAK semantics"), a thing handled ("handle a NAK"), one from a thing, a name in code, the
    # word mentioned in backticks or quotes.
    said = ["The NAK handling in this path looks fine.", "I wonder whether the NAK path needs a retry.",
            "We should handle a NAK here.", "Please document the NAK semantics.", "The i2c NAK handling is fine.",
            "A NAK from the loader means busy.", "if (status == NAK) return -EIO;", "The `NAK` case is not handled.",
            "What does \"NAK\" mean in this comment?"]
    assert [nak_sentences(s) for s in said] == [[]] * len(said)
    # The sender's own stay NAKs: given, from them, from others reported, or opening the sentence.
    naks = ["NAK, the loop spins.", "I give this a NAK.", "NAK from me, the loop spins.", "This gets a NAK from me.",
            "A NAK from the x86 maintainers is likely.", "That's a NAK.", "NAK handling aside, the loop spins.",
            "We should NAK this.", "I'll ignore a NAK from Thomas.", "NAK: the loop spins.", "NAK; the loop spins.",
            "\"NAK\" is all I have to say.", "NAK == no."]
    assert [s for s in naks if not nak_sentences(s)] == []
