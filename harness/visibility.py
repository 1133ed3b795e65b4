"""Which of a variant's headers a translation unit includes: a helper in a header it never reaches does not build."""

from __future__ import annotations

from collections.abc import Iterable

from harness.filestate import FileState
from harness.memo import by_identity
from harness.tuorder import (
    SHOWN,
    UNKNOWN,
    include_target,
    on_include_path,
    present,
    static_conflict,
    used_before_defined,
)
from harness.unitclash import unit_clash
from models.lazyre import lazy
from models.loader import Source, definitions, reachable


def _targets(f: FileState, files: dict[str, FileState]) -> list[str] | None:
    """The variant's files that ``f``'s ``#include`` lines name (every line, whatever ``#if`` it is under: more
    is visible, never less), or None when a quoted include names a file next to ``f`` that the variant does not
    hold (a tree's header not read): what that one includes is unknown."""
    out: list[str] = []
    for n in sorted(f.includes):
        target = include_target(f, n, files)
        if target == UNKNOWN:
            return None
        if target is not None:
            out.append(target)
    return out


def included_files(files: Iterable[FileState], unit: str) -> frozenset[str] | None:
    """The paths of the files that translation unit ``unit`` reads, itself included, following its
    ``#include`` lines through the variant's files (gcc's search: a quoted name next to its includer, then
    kbuild's include folders, harness.sysheaders.INCLUDE_DIRS).

    None when this cannot be known: ``unit`` or a file off the include path that it includes is known only
    from hunks, or a quoted include next to such a file names one the variant lacks. A header on the include
    path that the variant lacks or knows from hunks alone is taken to reach no file off it (it can name only
    one there, or one next to itself).
    """
    by_path = present(files)
    todo, seen = [unit], {unit}
    while todo:
        f = by_path.get(todo.pop())
        if f is not None and not f.complete and on_include_path(f.path):
            continue  # what it includes is unknown, but it names nothing off the include path
        if f is None or not f.complete:
            return None
        targets = _targets(f, by_path)
        if targets is None:
            return None
        for t in targets:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return frozenset(seen)


def not_included(files: tuple[FileState, ...], sources: tuple[Source, ...], entry: str, unit: str,
                 reached: frozenset[str], tree: tuple[FileState, ...] = ()) -> str | None:
    """Why ``entry`` run in translation unit ``unit`` does not build: code it reaches is in a header the unit
    does not include (_hidden), or uses a macro or function the unit defines only further on
    (harness.tuorder.used_before_defined), or the unit declares a function both with and without static in an
    order gcc refuses, or defines a function twice (harness.tuorder.static_conflict, the tree's <...> headers
    ``tree`` read too), or its files define any other name twice or declare it in ways gcc refuses together
    (harness.unitclash); else None."""
    return _hidden(files, sources, entry, unit, reached) or used_before_defined(files, sources, entry, unit) \
        or static_conflict(files, unit, tree) or unit_clash(files, unit)


def _hidden(files: tuple[FileState, ...], sources: tuple[Source, ...], entry: str, unit: str,
            reached: frozenset[str]) -> str | None:
    """Why ``entry`` run in translation unit ``unit`` does not build, when a definition it reaches lies in a
    header of the variant that ``unit`` does not include, directly or through the headers it includes, and
    no other definition of that name is in one it does (gcc: implicit declaration, unknown type name); else
    None. An entry point itself in such a header is no code of the unit (a header's helper the matrix runs in
    every unit): None, it runs as the matrix places it. Only headers off the include path are judged, where
    nothing the variant lacks can include them (kbuild puts no source folder on it), and only when ``unit``'s
    includes are all known (included_files).
    """
    hidden = sorted(p for p in reached if p.endswith(".h") and not on_include_path(p))
    if not hidden:
        return None
    # What a unit reads is the same for every entry point it runs: worked out once per state's files and unit.
    seen = by_identity("visibility.included", (files,), (unit,), lambda: included_files(files, unit))
    if seen is None:
        return None
    hidden = [p for p in hidden if p not in seen]
    if not hidden:
        return None
    table = definitions(sources)
    if table.get(entry) and table[entry][0].path in hidden:
        return None  # the unit does not use the entry at all: run as the matrix places it, as before
    names = sorted(n for n in reachable(sources, entry)
                   if table.get(n) and table[n][0].path in hidden and not any(d.path in seen for d in table[n]))
    if not names:
        return None
    where = {table[n][0].path for n in names}
    shown = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
    return (f"{unit} does not build {entry}(): {shown} {'is' if len(names) == 1 else 'are'} defined in "
            f"{', '.join(sorted(where))}, which {unit} does not include (directly or through the headers it "
            f"includes)")


_REFUSAL = lazy(r"\S+ does not build \w+\(\): (?P<names>.+?) (?:is|are) defined in \S")


def hidden_names(error: str) -> frozenset[str]:
    """The names a refusal of not_included() shows (those the unit cannot see), or none for any other error:
    what harness.crossrefuse matches against gcc's undeclared names."""
    m = _REFUSAL().match(error)
    if m is None:
        return frozenset()
    return frozenset(n.split(" ", 1)[0] for n in m.group("names").split(", "))  # "X (FILE:LINE)", "Y and 2 more"
