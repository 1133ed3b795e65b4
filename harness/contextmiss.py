"""What a hunk whose context does not match says, one wording for a whole file and for fragments."""

from __future__ import annotations

import re

from harness.model import Hunk

# apply.c fuzzy_matchlines (git apply --ignore-whitespace): line ends aside, a run of whitespace matches a run.
_RUN = re.compile(r"[ \t\n\v\f\r]+")


def loose(line: str) -> str:
    """A line as git apply --ignore-whitespace compares it."""
    return _RUN.sub(" ", line.rstrip("\r\n"))


def miss_reason(line: int | None, whitespace_only: bool) -> str:
    """The reason of a hunk whose context does not match, at the first ``line`` that differs where its header puts
    it (None: not there, e.g. an earlier hunk wrote it); whether only whitespace differs (a mailer's tabs to spaces),
    which git apply --ignore-whitespace would take, is said: the variant is still not built (not the code sent)."""
    at = f" at line {line}" if line is not None else ""
    if whitespace_only:
        return (f"hunk does not apply: context differs only in whitespace{at} (tabs turned to spaces?): "
                "git apply --ignore-whitespace would take it")
    return f"hunk does not apply: context differs{at}"


def first_difference(original: list[str], h: Hunk, pre: list[str]) -> int | None:
    """The first line (1-based, of the file before the diff) where ``pre`` differs from the file at the hunk's
    stated place; None when it matches there (refused for another cause: anchoring, an earlier hunk's lines)."""
    start = max(h.source_start, 1) - 1
    for i, want in enumerate(pre):
        if start + i >= len(original) or original[start + i] != want:
            return start + i + 1
    return None
