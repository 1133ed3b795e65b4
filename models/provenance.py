"""What an entry point's code is made of, by slicing alone: the definitions it reaches, the prelude macros they need."""

from __future__ import annotations

import re
from collections.abc import Collection

from models.closure import closure
from models.loader import EntryPoint, Source, definitions
from models.prelude import PRELUDE_PATH, macro_line, macro_lines
from models.slicer import Definition


def provenance_rows(used: tuple[Definition, ...] | list[Definition]) -> list[tuple[str, str, str]]:
    """(name, kind, where) of these definitions, then of the prelude macros they need (``<prelude>:N``)."""
    rows = [(d.name, d.kind.value, d.where) for d in used]
    names = {d.name for d in used}
    wanted = set().union(*(d.identifiers() for d in used)) if used else set()
    prelude = {name: body for name, _, body in macro_lines()}
    todo = sorted(wanted - names)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in prelude:
            continue
        seen.add(name)
        rows.append((name, "macro", f"{PRELUDE_PATH}:{macro_line(name)}"))
        todo.extend(t for t in re.findall(r"[A-Za-z_]\w*", prelude[name]) if t not in names)
    return rows


def provenance_of(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> list[tuple[str, str, str]]:
    """What Program.provenance() says, from slicing alone: no preprocessing or parsing."""
    table = definitions(sources)
    return provenance_rows(closure(table, [e.name for e in entries]))


def reaching(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], names: Collection[str]
             ) -> list[tuple[EntryPoint, str]]:
    """Each entry point whose code reaches one of ``names`` (itself included), with the first it reaches in
    provenance_of's order; none when ``names`` is empty (no slicing then)."""
    if not names:
        return []
    out: list[tuple[EntryPoint, str]] = []
    for e in entries:
        hit = next((name for name, _, _ in provenance_of(sources, (e,)) if name in names), None)
        if hit is not None:
            out.append((e, hit))
    return out
