"""A name a translation unit defines twice or declares in ways gcc refuses together.

Across the files it reads (a header of the state and the .c file that includes it): gcc refuses the unit, whichever code
of it runs.
"""

from __future__ import annotations

from harness.filestate import FileState
from harness.memo import by_identity
from harness.tuorder import include_guard, present, unit_order
from models.declconflict import name_where
from models.loader import sliced
from models.macrogenerated import expands_there, generated_by
from models.redefinition import first_clash
from models.slicer import Definition, Kind


def unit_clash(files: tuple[FileState, ...], unit: str) -> str | None:
    """``FILE:LINE: why`` of the first declaration ``unit`` reads, in the order gcc reads the state's files (each
    header once; one under the include guard of a header read before is skipped, as gcc skips it), that gcc refuses
    beside one before it (models.redefinition.first_clash: a second definition, a linkage or type that conflicts):
    gcc stops the whole unit, where the mirror refuses only the code that reaches a file clashing in itself
    (models.redefinition.redefinitions). None when a file on its way is known only from hunks
    (harness.tuorder.unit_order). The tree's headers no patch touches are not judged: what they declare is the
    kernel's, built as it is. Worked out once per state's files and unit."""
    return by_identity("unitclash", (files,), (unit,), lambda: _unit_clash(files, unit))


def _unit_clash(files: tuple[FileState, ...], unit: str) -> str | None:
    order = unit_order(files, unit)
    if order is None:
        return None
    by_path = present(files)
    paths = sorted({p for p, _ in order}, key=lambda p: order[(p, 1)])
    guards: set[str] = set()
    read: list[tuple[str, tuple[str, ...]]] = []
    for p in paths:
        guard = include_guard(files, p)
        if guard is not None and guard in guards:
            continue
        if guard is not None:
            guards.add(guard)
        f = by_path[p]
        read.append((p, tuple(f.lines[n][0] for n in range(1, (f.length or 0) + 1))))
    items, macros, defined = _declarations(read)
    items.sort(key=lambda item: order[(item[0].path, item[0].line)])
    clash = first_clash(items, macros, defined)
    return None if clash is None else f"{name_where(clash[0])}: {clash[1]}"


def _declarations(read: list[tuple[str, tuple[str, ...]]]
                  ) -> tuple[list[tuple[Definition, str]], set[str], dict[str, Definition]]:
    """What the files ``read`` declare at file scope, each with the text it is judged by (a macro invocation's
    expansion, with the macros these files define: the last unconditional definition of each), the names of
    every macro they define, and those definitions by name."""
    items: list[tuple[Definition, str]] = []
    invocations: list[Definition] = []
    macros: dict[str, Definition] = {}
    names: set[str] = set()
    undefs: list[Definition] = []
    for path, lines in read:
        for d in sliced(path, 1, lines):
            if d.kind is Kind.INVOCATION:
                invocations.append(d)
            elif d.kind is Kind.MACRO:
                names.add(d.name)
                if d.condition is None:
                    macros[d.name] = d
            elif d.kind is not Kind.ASSERT:
                items.append((d, d.text))
                if d.kind is Kind.UNDEF:
                    undefs.append(d)
    for inv in invocations:
        if expands_there(inv, [macros[inv.name]] if inv.name in macros else [], undefs):
            items.extend(generated_by(inv, macros))
    return items, names, macros
