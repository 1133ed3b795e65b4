"""Things that span lines of a file (definitions) indexed by file and first line: which hold a given line."""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class LineSpans(Generic[T]):
    """``holding(path, line)`` without reading every item: a file of 10,000 definitions with as many lines
    changed took seconds to minutes when each line read them all. Items may nest or overlap."""

    def __init__(self, items: Iterable[T], where: Callable[[T], tuple[str, int, int]]) -> None:
        by_path: dict[str, list[tuple[int, int, int, T]]] = defaultdict(list)
        for n, item in enumerate(items):
            path, first, last = where(item)
            by_path[path].append((first, last, n, item))
        self._sorted = {path: sorted(xs, key=lambda x: x[0]) for path, xs in by_path.items()}
        self._firsts = {path: [x[0] for x in xs] for path, xs in self._sorted.items()}
        self._reach: dict[str, list[int]] = {}  # per file, the furthest last line of the items up to each one
        for path, xs in self._sorted.items():
            furthest, reach = 0, []
            for x in xs:
                furthest = max(furthest, x[1])
                reach.append(furthest)
            self._reach[path] = reach

    def holding(self, path: str, line: int) -> list[T]:
        """The items of ``path`` whose lines hold ``line``, in the order they were given."""
        return [x[3] for x in sorted(self._found(path, line), key=lambda x: x[2])]

    def _found(self, path: str, line: int) -> list[tuple[int, int, int, T]]:
        xs, reach = self._sorted.get(path, []), self._reach.get(path, [])
        found = []
        j = bisect_right(self._firsts.get(path, []), line) - 1
        while j >= 0 and reach[j] >= line:  # no item before j reaches as far: stop there
            if xs[j][1] >= line:
                found.append(xs[j])
            j -= 1
        return found

    def holding_through(self, path: str, line: int) -> tuple[list[T], int]:
        """holding(path, line), and the last line from ``line`` on that the same items hold (no other begins before
        it, none of them ends before it): the lines of a 200,000-line table ask once, not each."""
        found = self._found(path, line)
        firsts = self._firsts.get(path, [])
        j = bisect_right(firsts, line)
        last = min([x[1] for x in found] + ([firsts[j] - 1] if j < len(firsts) else []), default=sys.maxsize)
        return [x[3] for x in sorted(found, key=lambda x: x[2])], last

    def innermost(self, path: str, line: int) -> T | None:
        """Of the items holding ``line``, the one spanning the fewest lines (the first given among equals)."""
        found = self._found(path, line)
        return min(sorted(found, key=lambda x: x[2]), key=lambda x: x[1] - x[0])[3] if found else None
