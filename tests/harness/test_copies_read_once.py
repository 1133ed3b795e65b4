"""A revision's replies are read for a copy's lines once per set of heads.

A revision's replies are read for a copy's lines and own tail once per set of heads, whatever their order: a state
applying the revision's patches in another order (a reviewer variant dropping one) read every reply of the revision
again (without_copy, with_own_tail), though what they read is which messages there are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from harness import quotednak, replyheads
from harness.ingest import IngestRequest, parse_series
from harness.model import Patch, Reply, Series
from tests.mailgen import demo_series, message, write_mbox


def _series(tmp_path: Path) -> Series:
    msgs = demo_series(2)
    msgs += [message("Re: [PATCH v2 1/3] demo: add helper", "r1@example.org", "> Change number 1.\n\nNAK, no.\n",
                     sender="Mae Maint <mae@example.org>", parent="p1-v2@example.org",
                     refs=("cover-v2@example.org", "p1-v2@example.org")),
             message("Re: [PATCH v2 3/3] demo: try five times", "r3@example.org", "Looks fine to me.\n",
                     sender="Bob Other <bob@example.org>", parent="p3-v2@example.org",
                     refs=("cover-v2@example.org", "p3-v2@example.org"))]
    return parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", msgs),)))


def test_replies_read_once_for_heads_in_another_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: Counter[str] = Counter()
    real = quotednak.without_copy

    def counted(r: Reply, replies: dict[str, Reply], heads: dict[str, Patch]) -> Reply:
        asked[r.mail.msgid] += 1
        return real(r, replies, heads)

    monkeypatch.setattr(replyheads, "without_copy", counted)
    series = _series(tmp_path)
    rev = series.revisions[-1]
    p1, p2, p3 = rev.patches
    heads_all, whole = replyheads.revision_thread(series, rev, [p1, p2, p3])
    heads_two, dropped = replyheads.revision_thread(series, rev, [p1, p3])
    assert list(heads_all) != list(heads_two) and set(heads_all) == set(heads_two)  # the same heads, reordered
    assert asked == Counter({"r1@example.org": 1, "r3@example.org": 1}), asked  # twice each before
    assert whole[1] == dropped[1] and list(whole[1]) == ["r1@example.org", "r3@example.org"]
    assert list(dropped[1]) == list(whole[1])  # each thread's replies in its heads' order (here the same)
    assert "NAK" in whole[1]["r1@example.org"].verdicts
