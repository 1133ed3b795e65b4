"""Which lines of two versions of a file differ, in time that stays bounded for files of any size.

difflib's SequenceMatcher is exact but its work grows with the product of the two lengths times the changes
(a 24,000-line file with 4,000 hunks: 44 s; with 20,000, past 5 minutes). Up to DIFF_WORK it is used as it
is; above, the two are first split where they agree on lines that occur once in each, in the same order
(the anchors of git's ``--patience`` diff, diff-lcs' and Bram Cohen's algorithm), and each piece between
anchors is diffed the same way. A piece still too large to align, with nothing to anchor on, counts as
changed whole: more changed lines only ever ask more of coverage, never claim that less changed.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator, Sequence

# len(a) * len(b) given to difflib at once: two files of 2,000 lines (under a tenth of a second).
DIFF_WORK = 4_000_000
_MAX_SPLITS = 16  # anchoring inside a piece again and again: past this, the piece counts as changed whole

Region = tuple[int, int, int, int]  # a[i1:i2] differs from b[j1:j2]
# The regions of the pairs of line lists diffed lately, by their value (and the limits they were found under): a
# comparison's changed lines and its changed conversions (harness.changedlines, harness.valueconv) diff the same
# files, and variants that share a file's two sides diff it again (the corpus' eval: 127 diffs, 59 distinct, half
# of difflib's time on repeats). The key holds the lines themselves (a copy of the lists): a list changed in place
# after it was diffed is another key. Cleared when full.
_DIFFED: dict[tuple[int, int, tuple[str, ...], tuple[str, ...]], tuple[Region, ...]] = {}
_DIFFED_MAX = 256


def changed_regions(a: Sequence[str], b: Sequence[str]) -> tuple[Region, ...]:
    """(i1, i2, j1, j2) of each region where ``a[i1:i2]`` and ``b[j1:j2]`` differ, in order; the same as
    difflib's non-equal opcodes up to DIFF_WORK."""
    key = (DIFF_WORK, _MAX_SPLITS, tuple(a), tuple(b))
    found = _DIFFED.get(key)
    if found is None:
        if len(_DIFFED) >= _DIFFED_MAX:
            _DIFFED.clear()
        found = _DIFFED[key] = tuple(_regions(a, b))
    return found


def _regions(a: Sequence[str], b: Sequence[str]) -> Iterator[Region]:
    if len(a) * len(b) <= DIFF_WORK:
        yield from _difflib(a, b, 0, len(a), 0, len(b))
        return
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[len(a) - 1 - hi] == b[len(b) - 1 - hi]:
        hi += 1
    yield from _pieces(a, b, lo, len(a) - hi, lo, len(b) - hi, 0)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """difflib's ratio(): twice the lines the two share over the lines of both (1.0 for two empty ones)."""
    if not a and not b:
        return 1.0
    changed = sum(i2 - i1 for i1, i2, _, _ in changed_regions(a, b))
    return 2 * (len(a) - changed) / (len(a) + len(b))


def _difflib(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int) -> Iterator[Region]:
    matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    for tag, x1, x2, y1, y2 in matcher.get_opcodes():
        if tag != "equal":
            yield i1 + x1, i1 + x2, j1 + y1, j1 + y2


def _pieces(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int, depth: int) -> Iterator[Region]:
    if i1 == i2 and j1 == j2:
        return
    if i1 == i2 or j1 == j2 or (i2 - i1) * (j2 - j1) <= DIFF_WORK:
        yield from _difflib(a, b, i1, i2, j1, j2)
        return
    anchors = _anchors(a, b, i1, i2, j1, j2) if depth < _MAX_SPLITS else []
    if not anchors:
        yield i1, i2, j1, j2
        return
    pi, pj = i1, j1
    for i, j in [*anchors, (i2, j2)]:
        yield from _pieces(a, b, pi, i, pj, j, depth + 1)
        pi, pj = i + 1, j + 1


def _anchors(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int) -> list[tuple[int, int]]:
    """The longest run of lines, each once in a[i1:i2] and once in b[j1:j2], in the same order on both sides
    (patience sorting: a longest increasing subsequence of their places in ``b``)."""
    once_a = Counter(a[i1:i2])
    once_b = Counter(b[j1:j2])
    at_b = {b[j]: j for j in range(j1, j2) if once_b[b[j]] == 1}
    pairs = [(i, at_b[a[i]]) for i in range(i1, i2) if once_a[a[i]] == 1 and a[i] in at_b]
    tops: list[int] = []  # the smallest place in b that ends an increasing run of each length
    ends: list[int] = []  # the pair that does
    back: list[int] = []  # the pair before it in that run
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tops, j)
        if n == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[n], ends[n] = j, k
        back.append(ends[n - 1] if n else -1)
    run: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]
