"""A reply that copies the message it answers (Outlook's '-----Original Message-----' block, to the mail's end) and
writes below the copy: those words are its own (harness.quotednak.with_own_tail)."""

from __future__ import annotations

from pathlib import Path

from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, _objections, _replies

HEAD = "-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday, January 5, 2026 9:00 AM\n\n"


def _copy() -> str:
    """The patch mail the replies answer, as Outlook copies it: its whole body, its '-- ' signature included."""
    body = str(preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)[2].get_content())
    assert "\n-- \n" in body
    return HEAD + body


def test_words_below_a_copy_of_the_patch_past_its_signature_are_the_replys(tmp_path: Path) -> None:
    # The copy's own "-- " line was taken for the reply's signature: the NAK below it was never read, and the gate
    # passed.
    words = _copy() + "\nNAK, this still special-cases the loader.\n"
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch")))
    assert said == [("m1@example.org", "NAK, this still special-cases the loader.")], said


def test_a_nak_taken_back_below_a_copy_is_taken_back(tmp_path: Path) -> None:
    # Mae NAKs, then takes it back below a copy of the patch: the withdrawal went unread with the copy, or was read as
    # the patch author's words.
    back = _copy() + "\nFair enough, I withdraw my NAK.\n"
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch"),
                    ("m2@example.org", back, MAE, "m1@example.org"))
    assert _objections(tmp_path, mbox) == []
    # Words the copied message holds stay a copy: no NAK of Mae's comes of a copy with nothing below it.
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", _copy(), MAE, "patch"))) == []
