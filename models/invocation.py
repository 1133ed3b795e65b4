"""File-scope macro invocations (``NAME(...)`` alone on their lines, or a name alone) and top-level pieces of C text."""

from __future__ import annotations

import re

from models.declnames import ANNOTATIONS, KEYWORDS
from models.lazyre import lazy

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


# "static SC_KEYS;", "SC_KEYS;": one name, after storage classes and qualifiers only, and no declarator
_BARE = lazy(r"((?:static|extern|const|volatile)\s+)*([A-Za-z_]\w*)\s*;")


def bare_name(text: str) -> str | None:
    """The name of a file-scope item that is one name and no declarator (``static SC_KEYS;``): an object-like
    macro standing for a declaration, which cpp expands there (C11 6.10.3p9; models.macrogenerated reads what it
    defines where the files define the macro); None for any other item."""
    m = _BARE().fullmatch(" ".join(text.split()))
    return None if m is None or m.group(2) in KEYWORDS or m.group(2) in ANNOTATIONS else m.group(2)


def top_level_pieces(text: str, line: int, counted: bool = True) -> list[tuple[int, str]]:
    """``text`` split into its top-level items at each ``;`` and each function body's ``}`` outside any bracket:
    (the line each starts at, ``line`` being the text's first, counted: else ``line`` for every one; its text)."""
    pieces: list[tuple[int, str]] = []
    depth, start, k = 0, 0, 0
    while k < len(text):
        ch = text[k]
        if ch in "\"'":
            k = skip_literal(text, k)
            continue
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(ch, 0)
        item = text[start : k + 1]
        if depth == 0 and (ch == ";" or (ch == "}" and item.split("{", 1)[0].rstrip().endswith(")"))):
            if item.strip(" \t\n;"):
                if counted:  # at its line, and its column (blanks before it, as for where each statement starts)
                    begin = start + len(item) - len(item.lstrip())
                    column = begin - (text.rfind("\n", 0, begin) + 1)
                    pieces.append((line + text.count("\n", 0, begin), " " * column + item.strip()))
                else:
                    pieces.append((line, item.strip()))
            start = k + 1
        k += 1
    return pieces
