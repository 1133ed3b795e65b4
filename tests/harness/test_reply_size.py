"""A reply too long to read for its words (replies.MAX_REPLY_TEXT) is said unread, at a cost linear in its size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from harness import replies
from harness.ingest import IngestRequest, parse_series
from harness.model import Reply
from tests.mailgen import demo_reply, demo_series, write_mbox


def _replies(tmp: Path, text: str) -> tuple[list[Reply], int]:
    """The replies read of demo_series() and one reply of ``text`` below its 3/3, and the reply's size in bytes."""
    write_mbox(tmp / "series.mbox", demo_series())
    raw = demo_reply("r1@example.net", "Rev Iewer", 5, text)
    (tmp / "reply.eml").write_bytes(raw)
    series = parse_series(IngestRequest((tmp,)))
    return [r for rev in series.revisions for p in rev.patches for r in p.replies], len(raw)


def test_a_reply_of_one_huge_line_is_said_unread_in_a_few_times_its_size(tmp_path: Path) -> None:
    # 30 MB on one line took 430 MB and 16 s of CPU (each reader of its sentences held copies of it); 5 MB, 85 MB.
    text = "NAK, the loop has no bound " + "x" * ((4 << 20) + 1) + "\n"
    tracemalloc.start()
    try:
        [reply], size = _replies(tmp_path, text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    why = reply.unreadable
    assert why.startswith("its text is 4.2 MB, past the 4 MiB"), why
    assert [u.reason for u in reply.unread] == [f"reply of Rev Iewer <r1@example.net> not read: {reply.unreadable}"]
    assert peak < 6 * size, (peak, size)


@pytest.mark.parametrize(("limit", "unread"), [(2_000, False), (1_000, True)])
def test_the_limit_counts_the_text_git_mailinfo_decodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        limit: int, unread: bool) -> None:
    monkeypatch.setattr(replies, "MAX_REPLY_TEXT", limit)
    [reply], _ = _replies(tmp_path, "NAK, the loop has no bound.\n" + "Some more words here.\n" * 60)
    assert bool(reply.unreadable) is unread and ("NAK" in reply.verdicts) is not unread, reply
