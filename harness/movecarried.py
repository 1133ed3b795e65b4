"""What a move carries changed at file scope: a constant, table, variable or type rewritten on the way."""

# A run shows a changed '#define MASK 0xff' -> '0x1ff', a table entry '0x40' -> '0x41' or an initial value only at the
# values it decides: the line that uses it ran (harness.linecover), yet no scripted answer was 0x100 or 0x40, and a
# move carrying such a change read "without changing behaviour" (gate READY). A function changed in the move is judged
# by its lines' coverage and the values next to its changed conditions (harness.valuecover); these are not, so the
# move is not called pure over them.

from __future__ import annotations

from collections.abc import Iterable

from harness.diffmodel import LineKind
from harness.model import Patch
from harness.renamescore import token_list
from harness.runner import variant_sources
from harness.variants import Variant
from models.closure import closure
from models.loader import definitions
from models.slicer import Definition, Kind

_DATA = frozenset({Kind.MACRO, Kind.VARIABLE, Kind.ENUM, Kind.TYPEDEF, Kind.STRUCT})
Table = dict[str, list[Definition]]


def _plain(d: Definition) -> bool:
    """File-scope data: an object-like macro, a variable (a table), an enum, a typedef or a struct."""
    return d.kind in _DATA and not (d.kind is Kind.MACRO and d.params is not None)


def _texts(patch: Patch, kind: LineKind) -> dict[str, set[str]]:
    """Per file (the side's path), the stripped lines the patch's hunks remove or add there."""
    out: dict[str, set[str]] = {}
    for f in patch.files:
        path = (f.source_path if kind is LineKind.REMOVED else f.target_path) or f.path
        out.setdefault(path, set()).update(ln.text.strip() for h in f.hunks for ln in h.lines if ln.kind is kind)
    return out


def _lines(d: Definition) -> set[str]:
    return {t.strip() for t in d.text.split("\n") if t.strip()}


def _one(table: Table, name: str, path: str) -> Definition | None:
    return next((d for d in table.get(name, ()) if d.path == path and _plain(d)), None)


def _carried(old: Definition, new: Definition, tables: tuple[Table, Table], patch: Patch) -> bool:
    """Whether the patch carried ``old`` to ``new``: to another file, where it left the one and came to the other;
    in its file, its lines all removed and added again (cut and pasted), not changed where it stood."""
    if old.path != new.path:
        return _one(tables[1], old.name, old.path) is None and _one(tables[0], new.name, new.path) is None
    return _lines(old) <= _texts(patch, LineKind.REMOVED).get(old.path, set()) \
        and _lines(new) <= _texts(patch, LineKind.ADDED).get(new.path, set())


def carried_changes(patch: Patch, pairs: Iterable[tuple[str, str]], states: tuple[Variant, Variant],
                    entries: Iterable[str]) -> tuple[str, ...]:
    """The file-scope data (_plain) a move from each file to another of ``pairs`` carried with another text, that the
    entry points ``entries`` reach on a side: 'DEMO_MASK (d/a.c:2 -> d/b.c:2)', one per definition (an enum's
    enumerators together)."""
    tables = (definitions(variant_sources(states[0])), definitions(variant_sources(states[1])))
    names = sorted(entries)
    reached = [{id(d) for d in closure(t, names)} for t in tables]
    found: dict[tuple[str, str], list[str]] = {}
    for src, dst in sorted(set(pairs)):
        for name in sorted(tables[0]):
            old, new = _one(tables[0], name, src), _one(tables[1], name, dst)
            if old is None or new is None or token_list(old.text) == token_list(new.text):
                continue
            if (id(old) in reached[0] or id(new) in reached[1]) and _carried(old, new, tables, patch):
                found.setdefault((old.where, new.where), []).append(name)
    return tuple(f"{', '.join(ns)} ({a} -> {b})" if a != b else f"{', '.join(ns)} ({a})"
                 for (a, b), ns in found.items())


def carried_said(changes: tuple[str, ...]) -> list[str]:
    """How a move's finding and the moves rule say what it carried changed, when no run compared differed."""
    return [f"{c} changed in the move: a constant, table, variable or type, which shows only at the values it "
            "decides, and no run compared told the two apart" for c in changes]
