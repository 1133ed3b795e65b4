"""Where a sentence of a reply's own words stands in its input: the gate cites a NAK or a request to drop there."""

from __future__ import annotations

import bisect
import re

from harness.model import Reply


def sentence_where(r: Reply, sentence: str) -> str:
    """``path:line`` of the input line where ``sentence`` (whitespace as the readers join it: any run of it one
    space) begins in the reply's own words as read; the reply's own place (its first line) when the words read do
    not hold it (a sentence of an HTML part, or of a signature's trailer, added to them later)."""
    line = sentence_line(r, sentence)
    return str(r.mail.where) if line is None else f"{r.mail.where.file}:{line}"


def sentence_line(r: Reply, sentence: str) -> int | None:
    """The input line where ``sentence`` begins in the reply's own words as read (sentence_where); None when the
    words read do not hold it."""
    words = sentence.split()
    if not words or not r.own_at or not r.own_read:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), r.own_read)
    if m is None:
        return None
    index = r.own_read.count("\n", 0, m.start())
    run = bisect.bisect_right(r.own_at, index, key=lambda p: p[0]) - 1
    start, line = r.own_at[run]
    return line + index - start
