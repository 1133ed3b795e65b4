"""The static keys a matrix script names (static_keys_on, static_keys_off) that no run of it can read, said."""

from __future__ import annotations

from harness.matrix import Script
from harness.matrixresult import MatrixResult
from harness.runcover import Runs
from harness.runner import variant_sources
from harness.variants import Variant
from models.closure import closure
from models.loader import definitions
from models.outcome import Coverage
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, has_name


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
                 for line in _said(scripts[name], sorted(reached), table, _executed(result, v, name)))


def _executed(result: MatrixResult, v: Variant, script: str) -> Runs | None:
    """The statements the runs of ``script``'s scenarios in ``v`` executed (harness.runcover.Runs over their own
    coverage); None where a run that ran has no coverage of its own known (an older cache entry)."""
    ran: set[str] = set()
    for position, s in enumerate(result.matrix.scenarios):
        if s.script.name != script:
            continue
        own = result.run_coverage(v.name, position)
        if result.at(v.name, position).ran and not own:
            return None
        ran |= own
    return Runs(Coverage(frozenset(ran), result.coverage(v.name).starts))


def _said(script: Script, entries: list[str], table: dict[str, list[Definition]], executed: Runs | None
          ) -> list[str]:
    """unread_keys()'s lines of ``script``, whose scenarios run ``entries``, over the variant's definitions; a key
    the reached code names only on lines of functions no run of the script executed (``executed``) too."""
    reached = closure(table, entries)
    named: set[str] = set()
    for d in reached:
        named |= d.names_used() | {d.name}
    on = dict(script.features)
    runs = f"{', '.join(f'{e}()' for e in entries)} reach{'es' if len(entries) == 1 else ''}"
    out = []
    for key, path, line in script.key_lines:
        where = f"{path}:{line}: script {script.name} turns static key {key} {'on' if on.get(key) else 'off'}, but "
        if key not in named:
            out.append(f"{where}no code that {runs} names {key}: no run of the script reads it, and its word "
                       "changes no outcome")
        elif executed is not None and (lines := _unrun_lines(reached, key, executed)):
            out.append(f"{where}no run of the script executed a line naming {key} ({', '.join(lines)}): its word "
                       "changed no outcome, and what it would is untested")
    return out


def _unrun_lines(reached: list[Definition], key: str, executed: Runs) -> list[str]:
    """The ``path:line`` of each line of a reached function naming ``key``, where no such line ran in ``executed``
    and only functions name it (a macro or an object naming it may read it from lines not told here); else none."""
    naming = [d for d in reached if d.name != key and key in d.names_used()]
    if not naming or any(d.kind is not Kind.FUNCTION for d in naming):
        return []
    lines = [(d, d.line + i) for d in naming for i, text in enumerate(d.text.split("\n"))
             if has_name(text, key, BOUNDARY, BOUNDARY)]
    if not lines or any(executed.line_ran(d, n) for d, n in lines):
        return []
    return [f"{d.path}:{n}" for d, n in lines]
