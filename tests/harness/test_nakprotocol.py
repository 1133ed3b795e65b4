"""NAK as a protocol's word (harness/nakprotocol.py): read near the NAK, so a long sentence costs its length."""

from __future__ import annotations

import time

from harness.nakwords import nak_sentences

_DEVICE = "the device sends a NAK and "


def test_a_device_nak_is_no_verdict() -> None:
    assert nak_sentences("On a bad leaf the device sends a NAK and the loop retries.") == []


def test_a_long_sentence_of_device_naks_costs_its_length() -> None:
    # 4,000 NAKs in one 108 KB sentence: read whole before each NAK this took 43 s of CPU (its square); each NAK is
    # now read from the 1,000 characters beside it. The bound is loose: a square would be far past it.
    text = _DEVICE * 4000 + "stops."
    t = time.process_time()
    naks = nak_sentences(text)
    assert time.process_time() - t < 15
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
