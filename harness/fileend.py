"""Where a file known only in fragments ends, as a hunk at its end shows it, and how git apply places hunks there."""

from __future__ import annotations

from dataclasses import replace

from harness.contextmiss import trailing_context
from harness.hunkplace import shifted
from harness.model import Hunk, PatchedFile


def _last(start: int, length: int) -> int:
    # "-N,0" / "+N,0": an empty side sits after line N, so the file ends at N.
    return start + length - 1 if length else start


def pinned_end(h: Hunk, target: bool) -> int | None:
    """The file's last line on one side of a hunk that git apply holds to the file's end (apply.c match_end: a hunk
    with no context after its last change matches only there), None for any other hunk."""
    if trailing_context(h) or not h.lines:
        return None
    return _last(h.target_start, h.target_length) if target else _last(h.source_start, h.source_length)


def at_end(last: int | None, h: Hunk) -> tuple[int, str | None]:
    """(how many lines git apply moves ``h`` from its header's place, why it refuses it) on a file known to end at
    line ``last``: a hunk held to the end goes there whatever its header says (apply.c find_pos), one held to the
    start as well needs the file to be its lines, and none fits a file shorter than its pre-image."""
    n = h.source_length
    if last is None:
        return 0, None
    if n > last:
        return 0, f"hunk does not apply: it reads {n} lines of a file that ends at line {last} (an earlier hunk's end)"
    if pinned_end(h, target=False) is None:
        return 0, None
    if h.source_start <= 1 and n != last:  # apply.c match_beginning as well: the whole file
        return 0, (f"hunk does not apply: with no context after its last change and starting at line 1, it must be "
                   f"the whole file, {n} lines, but an earlier hunk showed the file ends at line {last}")
    return (last - n + 1) - (h.source_start if n else h.source_start + 1), None


def fit_end(last: int | None, pf: PatchedFile) -> tuple[PatchedFile, list[tuple[Hunk, int, str | None]]]:
    """``pf`` with each hunk git apply holds to the known end moved there, and (hunk as the mail has it, offset,
    refusal) for each hunk moved or refused."""
    hunks, said = [], []
    for h in pf.hunks:
        off, why = at_end(last, h)
        if off or why:
            said.append((h, off, why))
        hunks.append(shifted(h, off) if off else h)
    return (replace(pf, hunks=tuple(hunks)) if any(off for _, off, _ in said) else pf), said


def end_after(last: int | None, pf: PatchedFile) -> int | None:
    """The file's last line after ``pf``: where a hunk at the end puts it, else the known end moved by every hunk."""
    pinned = [e for h in pf.hunks if (e := pinned_end(h, target=True)) is not None]
    if pinned:
        return pinned[-1]
    if last is None:
        return None
    return last + sum(h.target_length - h.source_length for h in pf.hunks)
