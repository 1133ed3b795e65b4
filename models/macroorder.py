"""A macro code uses above its file's only #define of it: gcc, reading the file top to bottom, has not seen it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from models.prelude import macro_lines
from models.slicer import Definition, Kind, strings_blanked

# Definitions whose uses are judged: a file-scope assertion is read apart (models.cload's ASSERT chunks), and a
# macro expands where its user is, not where it is defined.
_JUDGED = (Kind.FUNCTION, Kind.VARIABLE, Kind.STRUCT, Kind.ENUM, Kind.TYPEDEF)


def defined_after_use(used: Iterable[Definition], table: dict[str, list[Definition]], whole: frozenset[str]
                      ) -> dict[str, str]:
    """Why each definition of ``used`` in a file known whole (``whole``: paths) is not run: a macro it reaches
    (itself, or through the macros it expands) is defined in its file only, unconditionally, and only below its
    last line. gcc has not read that #define there (C11 6.10.3p10: a macro is defined from its #define on): it
    reads an undeclared identifier, or a call of an undeclared function (-Werror=implicit-function-declaration in
    kbuild), and the build fails, or an #ifdef of it in the body is false; the mirror, reading the file's macros as
    one table, would expand it."""
    used = list(used)
    macros = {d.name: d for d in used if d.kind is Kind.MACRO}
    out: dict[str, str] = {}
    for d in used:
        if d.kind not in _JUDGED or d.path not in whole or d.name in out:
            continue
        end = d.line + d.text.count("\n")
        for via, name in _reached(d, macros):
            found = table.get(name, [])
            if any(x.kind is not Kind.MACRO for x in found):
                continue  # a function or object of that name too: gcc reads the name as it, declared
            if found and all(x.path == d.path and x.condition is None and x.line > end for x in found):
                out[d.name] = f"{d.path}:{d.line + _line_of(d.text, via)}: {_why(name, found)}"
                break
    return out


def _why(name: str, found: list[Definition]) -> str:
    first = min(found, key=lambda x: x.line)
    said = f"macro {name} is used here but defined only below, at {first.where}: gcc has not read that #define here"
    if name in _prelude_names():  # a kernel header's, which the file includes above
        return f"{said}: it expands the kernel header's {name} there, which the mirror does not read"
    return (f"{said}: it does not expand it (an undeclared name: the build fails) nor take it as defined (an "
            "#ifdef in the body), and the mirror reads the file's macros as one")


@lru_cache(maxsize=1)
def _prelude_names() -> frozenset[str]:
    return frozenset(name for name, _, _ in macro_lines())


def _reached(d: Definition, macros: dict[str, Definition]) -> list[tuple[str, str]]:
    """(the name ``d`` uses, a macro that name leads to) for each macro of ``macros`` its expansion reaches,
    breadth first: the name itself, then what its body names."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for via in sorted(d.names_used() & macros.keys()):
        todo = [via]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            out.append((via, name))
            todo.extend(sorted(macros[name].names_used() & macros.keys()))
    return out


def _line_of(text: str, name: str) -> int:
    """How many lines below the definition's first the name is first used (0 when only a string names it)."""
    blanked = strings_blanked(text)  # one-line strings made "": the lines stay where they are
    found = re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", blanked)
    return blanked.count("\n", 0, found.start()) if found else 0
