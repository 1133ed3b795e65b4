"""File-scope macro invocations, ``NAME(...)`` alone on their lines, found by bracket depth outside literals."""

from __future__ import annotations

import re

from models.declnames import KEYWORDS

_INVOKE = re.compile(r"^(?:(?:static|extern)\s+)*([A-Za-z_]\w*)\s*\(")


def find_invocation(lines: list[str], i: int) -> tuple[str, int] | None:
    """``NAME(...)`` alone at file scope (after static/extern at most): (NAME, index of its last line).

    C has no statements at file scope, so such an item is a macro invocation (DEFINE_SPINLOCK(x),
    DEFINE_FREE(...), a helper-generating macro) or a static assertion. A following ``{`` makes it a
    function definition instead.
    """
    m = _INVOKE.match(lines[i])
    if m is None or m.group(1) in KEYWORDS:
        return None
    depth, j, pos = 0, i, m.end() - 1
    while j < len(lines):
        line, k = lines[j], pos
        while k < len(line):
            ch = line[k]
            if ch in "\"'":
                k = skip_literal(line, k)
                continue
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                return _invocation_end(lines, j, line[k + 1 :], m.group(1))
            k += 1
        j, pos = j + 1, 0
    return None


def _invocation_end(lines: list[str], j: int, rest: str, name: str) -> tuple[str, int] | None:
    if rest.strip() not in ("", ";"):
        return None
    following = next((ln for ln in lines[j + 1 :] if ln.strip()), "")
    if not rest.strip() and following.lstrip().startswith("{"):
        return None
    return name, j


def skip_literal(line: str, k: int) -> int:
    quote, k = line[k], k + 1
    while k < len(line) and line[k] != quote:
        k += 2 if line[k] == "\\" else 1
    return k + 1
