"""Words written below an Outlook-style copy of the answered message are the reply's own.

A reply that copies the message it answers (Outlook's '-----Original Message-----' block, to the mail's end) and
writes below the copy: those words are its own (harness.quotednak.with_own_tail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, OLGA, _objections, _replies

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


QUOTING = "On Mon, Jan 5, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\n> {said}\n\nWhy?\n"


@pytest.mark.parametrize(("said", "later"), [
    ("Please drop this patch.", "Never mind, keep it."),
    ("This patch breaks boot on SPR.", "False alarm, sorry: it was my config."),
    ("This patch breaks boot on SPR.", "Never mind, keep it."),
])
def test_a_quoted_request_or_report_its_sender_takes_back_after_the_quote_blocks_nothing(
        tmp_path: Path, said: str, later: str) -> None:
    # Olga's request (or report) is quoted by Mae from a message the input lacks; Olga, answering Mae, takes it back.
    # A quoted NAK was lifted by her withdrawal; these stood (the gate blocked on what its sender took back).
    quote = ("m1@example.org", QUOTING.format(said=said), MAE, "patch")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, quote))] == ["m1@example.org"]
    assert _objections(tmp_path, _replies(tmp_path, quote, ("o2@example.org", f"{later}\n", OLGA, "m1@example.org"))) \
        == []
    # Another's word (Mae's), or Olga's dated before the quote and not answering it: the quote stands.
    for words, sender, parent, date in ((later, MAE, "m1@example.org", None),
                                        (later, OLGA, "patch", "Mon, 05 Jan 2026 09:00:00 +0000")):
        mbox = _replies(tmp_path, quote, ("o2@example.org", f"{words}\n", sender, parent),
                        dates={"o2@example.org": date} if date else None)
        assert [m for m, _ in _objections(tmp_path, mbox)] == ["m1@example.org"], (words, sender, parent)
