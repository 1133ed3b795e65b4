"""A file's ``#include "NAME"`` lines that the preprocessor reaches: in no branch that is not built."""

from __future__ import annotations

import re

from harness.filestate import FileState
from harness.memo import by_identity
from models.cdirectives import by_line
from models.conditional import Conditions

_INCLUDE_QUOTED = re.compile(r'#include\s*"([^"]+)"')  # as models.cdirectives.by_line gives it


def plain_includes(f: FileState) -> tuple[tuple[int, str, str | None], ...]:
    """(line, name, condition) of a file's ``#include "name"`` lines whose name has no folder and that gcc may
    reach (quoted_includes): none under ``#if 0`` or an ``#else`` not taken; one under a condition not decided
    names it (``condition``), for the caller to take as built, saying so. Once per file state (a file no patch
    changes is the same object in every later state: read once, not once per state)."""
    return by_identity("plain-includes", (f,), (), lambda: tuple(
        hit for hit in quoted_includes(f) if "/" not in hit[1]))


def quoted_includes(f: FileState) -> tuple[tuple[int, str, str | None], ...]:
    """(line, name, condition) of each ``#include "name"`` line gcc may reach: none in a comment or in a branch
    decided not built; ``condition`` is the first open ``#if`` not decided (its text and file:line), else None.
    Once per file state."""
    return by_identity("quoted-includes", (f,), (), lambda: tuple(
        hit for fr in f.fragments() for hit in _reached(f.path, fr.start, fr.lines)))


def _reached(path: str, start: int, lines: tuple[str, ...]) -> list[tuple[int, str, str | None]]:
    """quoted_includes of one run of lines, each directive read whole as gcc reads it (models.cdirectives: none in a
    comment or on a line joined to the code above, a comment or backslash-newline inside one read through)."""
    cond = Conditions(path)
    out: list[tuple[int, str, str | None]] = []
    read = by_line(lines)
    for i, (end, joined) in read.items():
        m = _INCLUDE_QUOTED.match(joined)
        if m is not None:
            if cond.built() is not False:
                out.append((start + i, m.group(1), cond.undecided()))
        else:
            cond.directive(joined, start + i, read[end][1] if end in read else lines[end] if end < len(lines) else "")
    return out
