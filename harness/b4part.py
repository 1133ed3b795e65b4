"""The one part of a multipart reply that b4 reads its trailers from (b4 LoreMessage.get_payload), as input lines."""

from __future__ import annotations

import re

from harness.mailwalk import Part, Sink, walk
from harness.sources import RawMessage
from models.lazyre import lazy

_MULTIPART = re.compile(rb"multipart/", re.I)
# b4's DIFF_RE: a later part holding one of these is the part b4 reads, in place of the words before it.
_DIFF = lazy(rb"^(---.*\n\+\+\+|GIT binary patch|diff --git \w/\S+ \w/\S+)", re.M | re.I)


class _Parts(Sink):
    """Each part's decoded lines in input order: (its facts, input line numbers, bytes)."""

    def __init__(self) -> None:
        self.parts: list[tuple[Part, list[int], list[bytes]]] = []

    def line(self, number: int, data: bytes, part: Part) -> None:
        if not self.parts or self.parts[-1][0] is not part:
            self.parts.append((part, [], []))
        self.parts[-1][1].append(number)
        self.parts[-1][2].append(data)


def b4_lines(raw: RawMessage) -> frozenset[int] | None:
    """The input lines of the part b4 reads a multipart reply's trailers from: its first ``*/plain`` or
    ``*/x-patch`` part (an attachment too), or a later such part that holds a diff; empty when it has none. None
    for a message of one part, which b4 reads whole: most replies, not walked again."""
    if _MULTIPART.search(raw.data) is None:
        return None
    sink = _Parts()
    walk(raw.data, raw.where.line, sink, unflow=False, nested=True)
    chosen: list[int] = []
    for part, numbers, data in sink.parts:
        if ("/plain" in part.ctype or "/x-patch" in part.ctype) and (not chosen or _DIFF().search(b"".join(data))):
            chosen = numbers
    return frozenset(chosen)
