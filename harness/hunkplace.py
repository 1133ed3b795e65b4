"""Where git apply puts a reviewer's hunk whose header is off, told from the lines mail shows (apply.c find_pos)."""

from __future__ import annotations

from dataclasses import replace

from harness.contextmiss import UNDECIDED, loose, trailing_context
from harness.model import Hunk


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
