"""What a hunk whose context does not match says, one wording for a whole file and for fragments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from harness.diffmodel import Hunk, LineKind
from models.lazyre import lazy

# apply.c fuzzy_matchlines (git apply --ignore-whitespace): line ends aside, a run of whitespace matches a run.
_RUN = lazy(r"[ \t\n\v\f\r]+")


def loose(line: str) -> str:
    """A line as git apply --ignore-whitespace compares it."""
    return _RUN().sub(" ", line.rstrip("\r\n"))


# The reason of a reviewer's hunk whose place cannot be told from mail alone (harness.patching._placed): the
# hunk is no variant, and the note says it is not known to apply, never that it does not.
UNDECIDED = "hunk not known to apply"


def miss_reason(line: int | None, whitespace_only: bool, have: str = "", want: str = "") -> str:
    """The reason of a hunk whose context does not match, at the first ``line`` that differs where its header puts
    it (None: not there, e.g. an earlier hunk wrote it); whether only whitespace differs (a mailer's tabs to spaces),
    which git apply --ignore-whitespace would take, is said: the variant is still not built (not the code sent).
    ``have`` and ``want``, the file's line there and the hunk's, name the likely cause."""
    at = f" at line {line}" if line is not None else ""
    if whitespace_only:
        return (f"hunk does not apply: context differs only in whitespace{at} ({_cause(have, want)}): "
                "git apply --ignore-whitespace would take it")
    return f"hunk does not apply: context differs{at}"


# At most this many line comparisons looking for where a refused hunk nearly fits (near_fit), nearest places first:
# a hunk of thousands of lines refused on a file of 100,000 is said in well under a second.
_NEAR_BUDGET = 2_000_000


def near_fit(image: list[str], patched: list[bool], pre: list[str], places: Iterable[int],
             header: int) -> tuple[int, int, int] | None:
    """Where a hunk git apply refuses fits best, if not at ``header`` (its header's place in ``image``): (the place,
    the index in ``pre`` of its first differing line there, how many of its lines fit), for a place among ``places``
    (git's order, nearest first; none over lines an earlier hunk wrote) where more than half of its lines fit and
    fewer differ than at ``header``; None when no place is better."""
    m = len(pre)
    here = m + 1 if header + m > len(image) or any(patched[header : header + m]) else sum(
        a != b for a, b in zip(image[header : header + m], pre, strict=True))
    best, least, budget = None, min(here, (m + 1) // 2), _NEAR_BUDGET
    for c in places:
        budget -= m
        if budget <= 0:
            break
        if c < 0 or c + m > len(image) or any(patched[c : c + m]):
            continue
        miss = 0
        for a, b in zip(image[c : c + m], pre, strict=True):
            budget -= 1
            miss += a != b
            if miss >= least:
                break
        if miss < least:
            best, least = c, miss
    if best is None or best == header:
        return None
    first = next(i for i in range(m) if image[best + i] != pre[i])
    return best, first, m - least


def _cause(have: str, want: str) -> str:
    # A line differing by its CR alone is a quoted CRLF (Outlook, Exchange) or a CR LF file, not a re-spacing mailer.
    have, want = have.rstrip("\n"), want.rstrip("\n")
    if have != want and have.rstrip("\r") == want.rstrip("\r"):
        ends = ("CR LF", "LF") if want.endswith("\r") else ("LF", "CR LF")
        return f"line ends differ: the hunk's end in {ends[0]}, the file's in {ends[1]}"
    return "tabs turned to spaces?"


def line_at(lines: list[str], h: Hunk, pre: list[str], line: int | None) -> tuple[str, str]:
    """The file's line ``line`` (1-based) and the hunk's line its header puts there, for miss_reason."""
    if line is None or line > len(lines):
        return "", ""
    i = line - max(h.source_start, 1)
    return lines[line - 1], pre[i] if 0 <= i < len(pre) else ""


def first_difference(original: list[str], h: Hunk, pre: list[str]) -> int | None:
    """The first line (1-based, of the file before the diff) where ``pre`` differs from the file at the hunk's
    stated place; None when it matches there (refused for another cause: anchoring, an earlier hunk's lines)."""
    start = max(h.source_start, 1) - 1
    for i, want in enumerate(pre):
        if start + i >= len(original) or original[start + i] != want:
            return start + i + 1
    return None


def trailing_context(h: Hunk) -> int:
    """Context lines after the hunk's last change (git's ``trailing``)."""
    kinds = [ln.kind is LineKind.CONTEXT for ln in reversed(h.lines)]
    return next((i for i, c in enumerate(kinds) if not c), len(kinds))


def why_missed(original: list[str], image: list[str], patched: list[bool], numbers: list[int | None],
                pre: list[str], h: Hunk, ws: bool) -> str:
    """A refused hunk's reason naming the first line that differs where the most of its context is, among the
    places git apply tries (find_pos): the header's place unless another fits strictly better (more than half its
    lines, fewer differing), as on a newer base where the hunk moved and one line changed; git itself names only the
    header's line ('patch failed: PATH:N'), which the caller says beside this."""
    near = near_fit(image, patched, pre, _tried(image, pre, h), _expected(h, len(image)))
    if near is None and (held := held_to_end(original, h, pre)) is not None:
        return held
    if near is None:
        line = first_difference(original, h, pre)
        past = f" (past the file's end: {len(original)} lines)" if line is not None and line > len(original) else ""
        return miss_reason(line, ws, *line_at(original, h, pre, line)) + past
    at, i, fit = near
    line = numbers[at + i]
    off = (line or 0) - i - max(h.source_start, 1)
    where = f" ({fit} of its {len(pre)} lines fit {abs(off)} line{'s' * (abs(off) != 1)} " \
            f"{'below' if off > 0 else 'above'} its header's line {h.source_start})"
    return miss_reason(line, ws, image[at + i], pre[i]) + where


def held_to_end(original: list[str], h: Hunk, pre: list[str]) -> str | None:
    """Why git apply refuses a hunk whose lines are the file's at its header's place, when that is because it has no
    context after its last change and its place is not the file's end (apply.c match_end: such a hunk matches only
    there), else None. A diff made with ``git diff -U0`` is one (git am takes no --unidiff-zero), not one edited
    after git made it."""
    if trailing_context(h) or h.source_start <= 1 or first_difference(original, h, pre) is not None:
        return None
    end = h.source_start + len(pre) - 1
    if end == len(original):
        return None
    place = f"lines {h.source_start} to {end}" if end > h.source_start else f"line {h.source_start}"
    return (f"hunk does not apply: with no context after its last change git apply holds it to the file's end "
            f"(apply.c match_end), line {len(original)}, and its lines are the file's at its place, {place}, not "
            "there (a diff made with -U0? git am takes no --unidiff-zero)")


def _expected(h: Hunk, n: int) -> int:
    """Where find_pos starts looking for a hunk in an image of ``n`` lines (apply.c: the new side's line)."""
    return min(h.target_start - 1 if h.target_start else 0, n)


def _tried(image: list[str], pre: list[str], h: Hunk) -> Iterator[int]:
    """Every place find_pos tries for the hunk, in its order (anchored: the one place; else nearest first)."""
    n, m = len(image), len(pre)
    if h.source_start <= 1:
        yield 0
    elif not trailing_context(h):
        yield from ([n - m] if n >= m else [])
    else:
        start = _expected(h, n)
        yield start
        for d in range(1, max(start, n - start) + 1):
            yield from (c for c in (start + d, start - d) if 0 <= c <= n - m and c != start)
