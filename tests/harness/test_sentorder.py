"""sentorder: which of two postings of one revision was sent later (Date:, then RESEND, then trailers)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.errors import Where
from harness.ingest import IngestRequest, parse_series
from harness.model import Patch, Trailer
from harness.sentorder import date_note, resent_later, same_date, sent_after, sent_at, sent_later, sent_order
from tests.mailgen import demo_series, write_mbox


def _posting(tmp_path: Path, date: str, resend: bool = False) -> list[Patch]:
    s = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", demo_series()),)))
    return [replace(p, mail=replace(p.mail, date=date, subject=replace(p.mail.subject, resend=resend)))
            for p in s.revision(2).patches]


MON, TUE = "Mon, 01 Jun 2026 10:00:00 +0000", "Tue, 02 Jun 2026 10:00:00 +0000"


def test_date_decides_first(tmp_path: Path) -> None:
    old, new = _posting(tmp_path, MON), _posting(tmp_path, TUE, resend=False)
    held = {p.number: p for p in old}
    assert sent_after(new, held) == (True, "sent later by its Date:")
    assert sent_after(old, {p.number: p for p in new})[0] is False
    assert sent_later(new, held) and sent_order(old) < sent_order(new)
    assert sent_at(old[0]) == 1780308000.0


def test_same_date_resend_then_none(tmp_path: Path) -> None:
    plain, resent = _posting(tmp_path, MON), _posting(tmp_path, MON, resend=True)
    assert sent_after(resent, {p.number: p for p in plain}) == (True, "the RESEND, the same Date:")
    assert sent_after(plain, {p.number: p for p in _posting(tmp_path, MON)}) == (None, "")


def test_same_changes_same_date_more_trailers_is_later(tmp_path: Path) -> None:
    a = _posting(tmp_path, "not a date")
    acked = Trailer("Acked-by", "Rae Viewer <rae@example.org>", Where("s.mbox", 1))
    b = [replace(p, trailers=(*p.trailers, acked)) if p.number == 1 else p for p in a]
    assert sent_at(a[0]) is None
    assert same_date(b, a) == (True, "the one carrying more trailers")
    assert same_date(a, b) == (False, "the one carrying more trailers")
    assert same_date(a, a) == (True, "neither a RESEND nor carrying more trailers: the one of the later FILE:LINE")


def test_the_resend_alone_is_later_whatever_its_date(tmp_path: Path) -> None:
    # A RESEND dated Monday, the posting it resends Tuesday: the RESEND is the later (resent_later), and the note
    # says its Date: was overruled; both or neither a RESEND, or an RFC one against the final: None (Dates decide).
    resend, plain = _posting(tmp_path, MON, resend=True), _posting(tmp_path, TUE)
    assert resent_later(resend, plain) is True and resent_later(plain, resend) is False
    assert resent_later(plain, plain) is None and resent_later(resend, resend) is None
    rfc = [replace(p, mail=replace(p.mail, subject=replace(p.mail.subject, rfc=True))) for p in resend]
    assert resent_later(rfc, plain) is None
    assert date_note(plain, resend).startswith("; its Date: is before that of <p1-v2@example.org>, read as the "
                                               "later all the same: the RESEND")
    assert date_note(resend, plain) == ""
