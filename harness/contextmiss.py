"""What a hunk whose context does not match says, one wording for a whole file and for fragments."""

from __future__ import annotations

import re

from harness.model import Hunk

# apply.c fuzzy_matchlines (git apply --ignore-whitespace): line ends aside, a run of whitespace matches a run.
_RUN = re.compile(r"[ \t\n\v\f\r]+")


def loose(line: str) -> str:
    """A line as git apply --ignore-whitespace compares it."""
    return _RUN.sub(" ", line.rstrip("\r\n"))


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


_MISSED_AT = re.compile(r"hunk does not apply: context differs(?: only in whitespace)? at line (\d+)")


def missed_line(reason: str) -> int | None:
    """The file's line a miss_reason names (where the hunk's context first differs), None when it names none."""
    m = _MISSED_AT.match(reason)
    return int(m.group(1)) if m else None


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
