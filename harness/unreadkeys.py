"""The static keys a matrix script names (static_keys_on, static_keys_off) that no run of it can read, said."""

from __future__ import annotations

from harness.matrix import Script
from harness.matrixresult import MatrixResult
from harness.runner import variant_sources
from harness.variants import Variant
from models.closure import closure
from models.loader import definitions
from models.slicer import Definition


def unread_keys(result: MatrixResult, v: Variant) -> tuple[str, ...]:
    """Per static key a script of ``result``'s matrix turns on or off (docs/matrix.md) that no code the entry points
    of the script's scenarios run in ``v`` reach names (models.closure over the variant's files, as the mirror loads
    them: every definition reached and every name it uses), a line naming the key, the script, its matrix line and
    those entry points: no run of the script reads the key, so the script's word changes no outcome. Nothing where
    no scenario of the script runs in ``v`` (its entry points not provided), nor for a key a reached text names
    (whether a run then reads it is the run's: models.statickeys.start_key)."""
    scripts = {s.name: s for s in result.matrix.scripts if s.key_lines}
    if not scripts:
        return ()
    entries: dict[str, set[str]] = {}
    for n, lane in enumerate(result.lanes):
        if result.code_group(v.name, n) < 0:
            continue
        for position in lane.positions:
            name = result.matrix.scenarios[position].script.name
            if name in scripts:
                entries.setdefault(name, set()).add(lane.entry)
    table = definitions(variant_sources(v)) if entries else {}
    return tuple(line for name, reached in sorted(entries.items())
                 for line in _said(scripts[name], sorted(reached), table))


def _said(script: Script, entries: list[str], table: dict[str, list[Definition]]) -> list[str]:
    """unread_keys()'s lines of ``script``, whose scenarios run ``entries``, over the variant's definitions."""
    named: set[str] = set()
    for d in closure(table, entries):
        named |= d.names_used() | {d.name}
    on = dict(script.features)
    runs = f"{', '.join(f'{e}()' for e in entries)} reach{'es' if len(entries) == 1 else ''}"
    return [f"{path}:{line}: script {script.name} turns static key {key} {'on' if on.get(key) else 'off'}, but no "
            f"code that {runs} names {key}: no run of the script reads it, and its word changes no outcome"
            for key, path, line in script.key_lines if key not in named]
