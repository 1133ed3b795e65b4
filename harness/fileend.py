"""Where a file known only in fragments ends, and whether its last line has a line end.

As a hunk at its end shows it, and how git apply places hunks there.
"""

from __future__ import annotations

from dataclasses import replace

from harness.contextmiss import UNDECIDED, trailing_context
from harness.diffmodel import Hunk, HunkLine, LineKind, PatchedFile
from harness.filestate import git_blob_id
from harness.hunkplace import hunk_lines, shifted


def _last(start: int, length: int) -> int:
    # "-N,0" / "+N,0": an empty side sits after line N, so the file ends at N.
    return start + length - 1 if length else start


def _unended(ln: HunkLine) -> bool:
    # "\ No newline at end of file" after it; after a bare empty context line it marks no line of either image.
    return ln.no_newline and not ln.bare


def _side(h: Hunk, target: bool) -> list[HunkLine]:
    skip = LineKind.REMOVED if target else LineKind.ADDED
    return [ln for ln in h.lines if ln.kind is not skip and not (ln.bare and ln.no_newline)]


def pinned_end(h: Hunk, target: bool) -> int | None:
    """The file's last line on one side of a hunk that git apply holds to the file's end (apply.c match_end: a hunk
    with no context after its last change matches only there), None for any other hunk."""
    if trailing_context(h) or not h.lines:
        return None
    return _last(h.target_start, h.target_length) if target else _last(h.source_start, h.source_length)


def _ended(h: Hunk, target: bool) -> bool | None:
    """Whether the last line on one side of a hunk has a line end; None where that side is empty."""
    lines = _side(h, target)
    return not _unended(lines[-1]) if lines else None


def _unended_at(h: Hunk) -> int | None:
    """The pre-image line a hunk with context after its last change marks unended, None for any other hunk."""
    return next((ln.source_no for ln in h.lines if _unended(ln) and ln.kind is LineKind.CONTEXT), None) \
        if trailing_context(h) else None


def newline_miss(last: int | None, ended: bool | None, known: dict[int, tuple[str, str]], h: Hunk) -> str | None:
    """Why git apply refuses a hunk (as placed) for a line end alone, from what earlier hunks showed (``last``, the
    file's last line; ``ended``, whether it has a line end, None: not shown; ``known``, lines shown, each with one
    but an unended ``last``). apply.c match_fragment compares the pre-image's bytes with the file's from where it
    is placed: a line with a line end where the file's unended last line is reads past the end; a pre-image whose
    last line has none matches a line with one only as a prefix, which a hunk held to the end (match_end: the
    lengths must be equal) refuses, and one with context after its last change takes (the lines run together)."""
    for ln in _side(h, target=False):
        n, has = ln.source_no, not _unended(ln)
        if n is None or (has and (n != last or ended is not False)):
            continue
        if has:
            return f"hunk does not apply: line {n} is the file's last, without a line end (\\ No newline at end of " \
                   f"file) as an earlier hunk showed it; this hunk has line {n} with a line end"
        if trailing_context(h):
            continue
        if n == last and ended:
            return f"hunk does not apply: with no context after its last change it goes to the file's end, line {n}, " \
                   f"which an earlier hunk showed with a line end; this hunk's line {n} has none"
        if last is None and n in known:
            return f"hunk does not apply: its line {n} has no line end (\\ No newline at end of file) and no context " \
                   f"after it, so the file must end there without one, but an earlier hunk showed line {n} with one"
    return None


def _contextless(h: Hunk) -> str | None:
    """Why a hunk of the author's diff with no context line at all, past line 1, is not known to apply where the
    file's end is not known, or None. git diff writes context wherever the file has lines around a change, so such a
    hunk comes of ``git diff -U0`` (or a hand): git apply, and git am (which takes no --unidiff-zero), hold it to
    the file's end (apply.c match_end), so it applies only to a file ending right after it, and one that adds lines
    alone puts them at the end, wherever that is: neither is known where the mail does not show the end. A
    reviewer's sketch without context is read where it says (hunkfit), not here."""
    if h.source_start <= 1 or any(ln.kind is LineKind.CONTEXT for ln in h.lines):
        return None
    held = "it has no context line (a diff made with -U0?), so git am holds it to the file's end (apply.c match_end; " \
           "git am takes no --unidiff-zero)"
    if not h.source_length:  # nothing to match: git puts the lines at the end, wherever that is
        return (f"{UNDECIDED}: {held}: it puts the lines there, after line {h.source_start} only if the file ends "
                "there, which the mail does not show: give --tree")
    return (f"{UNDECIDED}: {held}: it applies only if the file ends at line "
            f"{_last(h.source_start, h.source_length)}, which the mail does not show: give --tree")


def at_end(last: int | None, h: Hunk, shown: int = 0, sent: bool = False) -> tuple[int, str | None]:
    """(how many lines git apply moves ``h`` from its header's place, why it refuses it) on a file known to end at
    line ``last``: a hunk held to the end goes there whatever its header says (apply.c find_pos), one held to the
    start as well needs the file to be its lines, and none fits a file shorter than its pre-image or reads past its
    end at its place. The end not known, a hunk held to it whose place ends before line ``shown`` (the last an
    earlier hunk showed) is not known to apply: git puts it at the file's end, past that line, not where it says;
    nor is one of the author's diff (``sent``) with no context at all (_contextless)."""
    n = h.source_length
    if last is None:
        if n and shown > h.source_start + n - 1 and pinned_end(h, target=False) is not None:
            return 0, (f"{UNDECIDED}: with no context after its last change it goes to the file's end, which is past "
                       f"line {shown} (an earlier hunk showed it), not at its place, lines {h.source_start} to "
                       f"{h.source_start + n - 1}; where the file ends, and what is there, the mail does not show: "
                       "give --tree")
        return 0, _contextless(h) if sent else None
    if n > last:
        return 0, f"hunk does not apply: it reads {n} lines of a file that ends at line {last} (an earlier hunk's end)"
    if pinned_end(h, target=False) is None:
        if n and h.source_start + n - 1 > last:  # at its place, as a known line that differs there is refused
            return 0, (f"hunk does not apply: at its place it reads lines {h.source_start} to "
                       f"{h.source_start + n - 1} of a file that ends at line {last} (an earlier hunk's end)")
        return 0, None
    if h.source_start <= 1 and n != last:  # apply.c match_beginning as well: the whole file
        return 0, (f"hunk does not apply: with no context after its last change and starting at line 1, it must be "
                   f"the whole file, {n} lines, but an earlier hunk showed the file ends at line {last}")
    return (last - n + 1) - (h.source_start if n else h.source_start + 1), None


def _whole_file(pf: PatchedFile, h: Hunk) -> str | None:
    """Why a hunk of the author's diff with no context line at all, at the start of a file it does not create, is
    refused or not known to apply where the file's end is not known, or None. git holds it to the file's start and
    end (apply.c match_beginning, match_end; git am takes no --unidiff-zero): the file must be its pre-image lines
    alone. git diff -U3 writes such a hunk only for a file it shows whole; -U0 for any change at line 1. The index
    line's pre-image blob tells which: the pre-image lines' own blob id is it, or the file has other lines."""
    if pf.is_new or h.source_start > 1 or any(ln.kind is LineKind.CONTEXT for ln in h.lines):
        return None
    n = h.source_length
    held = (f"with no context line git apply holds it to the file's start and end (apply.c match_beginning, "
            f"match_end; git am takes no --unidiff-zero), so the file must be its {n} line{'s' * (n != 1)} alone")
    want = pf.old_blob
    if not want or not want.strip("0"):
        return f"{UNDECIDED}: {held}, which the mail does not show: give --tree"
    if git_blob_id("".join(hunk_lines(h, target=False))).startswith(want):
        return None
    return (f"hunk does not apply: {held}, and they are not the pre-image blob its index line names ({want}): the "
            "file has other lines (a diff made with -U0?)") if n else (
        f"hunk does not apply: {held}, an empty file, and the pre-image blob its index line names ({want}) is not "
        "empty (a diff made with -U0?)")


def fit_end(last: int | None, pf: PatchedFile, shown: int = 0, sent: bool = False
            ) -> tuple[PatchedFile, list[tuple[Hunk, int, str | None]]]:
    """``pf`` with each hunk git apply holds to the known end moved there, and (hunk as the mail has it, offset,
    refusal) for each hunk moved or refused (at_end; ``shown``: the last line earlier hunks showed; ``sent``: the
    author's diff, not a reviewer's)."""
    hunks, said = [], []
    for h in pf.hunks:
        off, why = at_end(last, h, shown, sent)
        if why is None and last is None and sent:
            why = _whole_file(pf, h)
        if off or why:
            said.append((h, off, why))
        hunks.append(shifted(h, off) if off else h)
    return (replace(pf, hunks=tuple(hunks)) if any(off for _, off, _ in said) else pf), said


def end_after(last: int | None, ended: bool | None, pf: PatchedFile) -> tuple[int | None, bool | None]:
    """The file's last line after ``pf`` and whether it has a line end: where a hunk at the end puts it and as it
    shows it (one held to the end, or one marking its context's last line unended where the file ends, or anywhere
    on an end not known), else the known end moved by every hunk (its line end as it was)."""
    at = [(e, h) for h in pf.hunks if (e := pinned_end(h, target=True)) is not None or (
        (n := _unended_at(h)) is not None and last in (None, n))]
    if at:
        h = at[-1][1]
        return _last(h.target_start, h.target_length), _ended(h, target=True)
    if last is None:
        return None, None
    return last + sum(h.target_length - h.source_length for h in pf.hunks), ended
