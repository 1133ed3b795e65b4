"""Series read from generated mail (tests.mailgen) as one mbox holds it, in a given order, and the replies read."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from harness.ingest import IngestRequest, parse_series
from harness.model import Patch, Series
from tests.mailgen import write_mbox


def read_in_order(folder: Path, mails: Sequence[Sequence[EmailMessage]], order: Sequence[int]) -> Series:
    """parse_series of one mbox, ``folder/t.mbox``, holding each ``mails[i]`` for i in ``order``, in that order (the
    input orders a thread's reading must not depend on)."""
    return parse_series(IngestRequest((write_mbox(folder / "t.mbox", [m for i in order for m in mails[i]]),)))


def reply_ids(p: Patch | None) -> list[str]:
    """The sorted Message-IDs of the replies read below ``p``, which must have been read (an assertion)."""
    assert p is not None
    return sorted(r.mail.msgid for r in p.replies)
