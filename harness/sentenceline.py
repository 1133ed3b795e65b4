"""Where a sentence of a reply's own words stands in its input: the gate cites a NAK or a request to drop there."""

from __future__ import annotations

import bisect

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
    at = _words_at(r.own_read, words)
    if at is None:
        return None
    index = r.own_read.count("\n", 0, at)
    run = bisect.bisect_right(r.own_at, index, key=lambda p: p[0]) - 1
    start, line = r.own_at[run]
    return line + index - start


def _words_at(text: str, words: list[str]) -> int | None:
    """Where ``words`` first stand in turn in ``text``, each after a run of white space (str.isspace, as re's
    ``\\s``): the search of the pattern of them joined by ``\\s+``, without compiling one (a sentence of a 10 MB
    word made a 10 MB pattern: 227 s and 1 GB in re's parser)."""
    i = text.find(words[0])
    while i >= 0:
        end = i + len(words[0])
        for word in words[1:]:
            gap = end
            while gap < len(text) and text[gap].isspace():
                gap += 1
            if gap == end or not text.startswith(word, gap):
                break
            end = gap + len(word)
        else:
            return i
        i = text.find(words[0], i + 1)
    return None
