"""Where git apply puts a hunk (apply.c find_pos, match_fragment).

In a file's lines, and for a reviewer's hunk whose header is off, told from the lines mail shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from harness.contextmiss import UNDECIDED, loose, trailing_context
from harness.diffmodel import Hunk, LineKind, PatchedFile


def undecided_reason(lines: dict[int, tuple[str, str]], h: Hunk) -> str:
    """Why a hunk whose stated place is known to differ is not placed: the nearest place git apply tries that no
    known line contradicts is not all known (git apply would take it or look on)."""
    at = next((h.source_start + i for i, t in enumerate(h.source_lines)
               if h.source_start + i in lines and lines[h.source_start + i][0] != t), None)
    here = f"context differs at line {at}" if at is not None else "its place overlaps an earlier hunk's"
    return (f"{UNDECIDED}: {here}, and git apply may find it at a place nearer than any the mail "
            "shows whole (lines no hunk of the series shows): give --tree")


def offset(lines: dict[int, tuple[str, str]], h: Hunk, taken: set[int]) -> int | None:
    """How far from its stated line git apply puts the hunk, nearest first, later before earlier; 0 where its
    stated place may hold its context; None where it does not and a place nearer than the first known match is
    not known (git apply might take that one: where it puts the hunk cannot be told)."""
    pre = h.source_lines
    if h.source_start <= 1 or not pre or not trailing_context(h) or not lines:
        return 0  # anchored to the file's top or end, which fragments do not show

    def fits(at: int) -> bool | None:  # False: a known line differs; None: not all known
        if at < 1 or any(at + i in taken for i in range(len(pre))):
            return False
        seen = [lines.get(at + i) for i in range(len(pre))]
        if any(k is not None and k[0] != t for k, t in zip(seen, pre, strict=True)):
            return False
        return True if all(k is not None for k in seen) else None

    if fits(h.source_start) is not False or respaced(lines, h):
        return 0  # a mailer's re-spacing is said as such at the stated place (contextmiss), not looked for further
    for d in range(1, max(lines) + len(pre)):
        for at in (h.source_start + d, h.source_start - d):
            verdict = fits(at)
            if verdict is None:
                return None
            if verdict:
                return at - h.source_start
    return 0


def respaced(lines: dict[int, tuple[str, str]], h: Hunk) -> bool:
    """Whether the known lines at the hunk's stated place differ from its context, and only in blanks."""
    pairs = [(lines[h.source_start + i][0], t) for i, t in enumerate(h.source_lines) if h.source_start + i in lines]
    differ = [(a, b) for a, b in pairs if a != b]
    return bool(differ) and all(loose(a) == loose(b) for a, b in differ)


def shifted(h: Hunk, off: int) -> Hunk:
    body = tuple(replace(ln, source_no=None if ln.source_no is None else ln.source_no + off,
                         target_no=None if ln.target_no is None else ln.target_no + off) for ln in h.lines)
    return replace(h, source_start=h.source_start + off, target_start=h.target_start + off, lines=body)


def hunk_lines(h: Hunk, target: bool) -> list[str]:
    """One side of a hunk as file lines with their line ends (none after a ``\\ No newline`` line); a bare
    empty context line before such a line is no line at all (HunkLine.bare, apply.c apply_one_fragment)."""
    skip = LineKind.REMOVED if target else LineKind.ADDED
    return [ln.text + ("" if ln.no_newline else "\n") for ln in h.lines
            if ln.kind is not skip and not (ln.bare and ln.no_newline)]


def find_pos(image: list[str], patched: list[bool], pre: list[str], h: Hunk) -> tuple[int | None, int]:
    """Where git apply puts a hunk: (line index or None, the index it expected).

    apply.c find_pos/match_fragment: exact lines, nearest to the expected place first (later, then
    earlier), never over lines an earlier hunk wrote; a hunk starting at line 0 or 1 must match at the
    top, one without trailing context at the end.
    """
    n, m = len(image), len(pre)
    trailing = trailing_context(h)
    expected = h.target_start - 1 if h.target_start else 0
    candidates: Iterator[int]
    if h.source_start <= 1:
        candidates = iter([0])
    elif not trailing:
        candidates = iter([n - m] if n >= m else [])
    else:
        start = min(expected, n)
        if not pre:
            candidates = iter([start])
        elif m == 1 and not pre[0].endswith("\n"):  # its one line a prefix (_fits): rare, so not _nearest's scan
            fit = [i for i in range(n) if _fits(image, i, pre, exact=False)]
            candidates = iter(sorted(fit, key=lambda i: (abs(i - start), i < start)))
        else:
            candidates = _nearest(image, pre[0], start)
    for c in candidates:
        if c >= 0 and c + m <= n and not any(patched[c : c + m]) and _fits(image, c, pre, exact=not trailing):
            if not trailing and c + m != n:
                continue
            return c, expected
    return None, expected


_GIT_SPACE = " \t\r\n"  # git's own isspace() (git-compat-util.h: sane_ctype GIT_SPACE): no \v, no \f


def _fits(image: list[str], c: int, pre: list[str], exact: bool) -> bool:
    """Whether the pre-image is the file's text at line ``c``, as apply.c match_fragment compares them: the
    pre-image's bytes with the file's from that line on (memcmp) once each line's hash (hash_line: its characters
    that are not white space) is the same. So a last pre-image line without its line end (``\\ No newline at end
    of file``) fits a file line that goes on with white space and its line end ("b" fits "b \\n": git applies,
    and the post-image takes that line's place, its line end too), unless ``exact``: a hunk that must end the file
    (match_end: no trailing context) needs its bytes to the file's end."""
    m = len(pre)
    if image[c : c + m] == pre:
        return True
    last = pre[-1] if pre else "\n"
    if exact or last.endswith("\n") or image[c : c + m - 1] != pre[:-1]:
        return False
    line = image[c + m - 1]
    return line.startswith(last) and not line[len(last):].strip(_GIT_SPACE)


def hunks_apply(text: str | list[str], pf: PatchedFile, key: Callable[[str], str] | None = None) -> bool:
    """Whether every hunk of ``pf`` finds its place in ``text`` as git apply places it (apply.c find_pos:
    exact context, nearest to the expected line, never over lines an earlier hunk wrote); with ``key``, lines
    compared as it makes them (contextmiss.loose: as git apply --ignore-whitespace does)."""
    image = text.splitlines(keepends=True) if isinstance(text, str) else list(text)
    same: Callable[[str], str] = key or (lambda line: line)
    image = [same(line) for line in image]
    patched = [False] * len(image)
    for h in pf.hunks:
        pre, post = [same(x) for x in hunk_lines(h, target=False)], [same(x) for x in hunk_lines(h, target=True)]
        pos, _ = find_pos(image, patched, pre, h)
        if pos is None:
            return False
        image[pos : pos + len(pre)] = post
        patched[pos : pos + len(pre)] = [True] * len(post)
    return True


def _nearest(image: list[str], first: str, start: int) -> Iterator[int]:
    """The lines equal to ``first``, nearest to ``start`` first and at one distance the later one first (apply.c
    find_pos: there, one after, one before, two after, ...). Generated as tried: a hunk that fits where its
    header says costs a few reads, not a scan and sort of every like line of the file (10,000 hunks whose first
    context line the file holds 10,000 times took 44 s to apply)."""
    n = len(image)
    if start < n and image[start] == first:
        yield start
    for d in range(1, max(start, n - start) + 1):
        if start + d < n and image[start + d] == first:
            yield start + d
        if start - d >= 0 and image[start - d] == first:
            yield start - d
