"""A whole series posted again under the same version, read as two postings.

A whole series posted again under the same version (``[PATCH 0/3]`` again, ``git send-email --in-reply-to`` the
first cover letter): read as the same two postings sent in two threads are read. Its cover letter, no diff, answering
the first one was taken for a "ping" without "Re:" (harness.reposts.followups_without_re): the later posting lost its
cover, and of its patches only those that differ stayed, while the first posting was set aside: v1 1 of 3."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, patch_body, write_mbox


def _posting(tag: str, date: str | None = None, changed: bool = False) -> list[EmailMessage]:
    """demo_series of v1 (cover and 3 patches), its Message-IDs marked ``tag``; ``changed``: patch 3 reworked."""
    msgs = demo_series(version=1)
    for m in msgs:
        for h in ("Message-ID", "In-Reply-To", "References"):
            if m[h]:
                m.replace_header(h, str(m[h]).replace("v1@", f"v1{tag}@"))
        if date:
            m.replace_header("Date", date)
    if changed:
        msgs[3].set_content(patch_body("Change number 3, six.", diff(HELPER_PATH, HELPER_V1,
                                                                   HELPER_V2.replace("= 5", "= 6"))))
    return msgs


def _reading(s: Series) -> tuple[object, ...]:
    rev = s.revision(1)
    assert rev is not None
    return (rev.cover.mail.msgid if rev.cover else None, [p.mail.msgid for p in rev.patches],
            sorted(str(k.where.msgid) for k in s.skipped))


@pytest.mark.parametrize("changed", [True, False], ids=["patch 3 reworked", "sent again as it was"])
def test_a_series_posted_again_below_its_first_cover_letter_reads_as_in_a_thread_of_its_own(tmp_path: Path,
                                                                                           changed: bool) -> None:
    first = _posting("")
    again = _posting("b", "Tue, 06 Jan 2026 10:00:00 +0000", changed)
    apart = parse_series(IngestRequest((write_mbox(tmp_path / "apart.mbox", first + again),)))
    again[0]["In-Reply-To"] = "<cover-v1@example.org>"
    again[0]["References"] = "<cover-v1@example.org>"
    below = parse_series(IngestRequest((write_mbox(tmp_path / "below.mbox", first + again),)))
    assert _reading(below) == _reading(apart)
    cover, patches, _ = _reading(below)
    assert len(patches) == 3  # type: ignore[arg-type]
    assert (cover, patches[-1]) == (("cover-v1b@example.org", "p3-v1b@example.org") if changed else  # type: ignore[index]
                                    ("cover-v1@example.org", "p3-v1@example.org"))
