"""Variables set outside the runs that a variant adds over code an equivalence rule compares: values no run takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.outsidewrites import facts_outside
from harness.runner import variant_sources
from harness.variants import Variant
from models.facts import CodeFacts
from models.loader import definitions
from models.slicer import Definition, Kind

if TYPE_CHECKING:
    from harness.outcome_cache import OutcomeCache


def new_parameters(ref: tuple[Variant, CodeFacts], v: Variant, facts: CodeFacts, entries: list[str],
                   store: OutcomeCache | None = None) -> tuple[str, ...]:
    """Each variable that code no run executes may set in ``v`` (a module parameter, a ``__setup()`` handler, a
    debugfs file: harness.outsidewrites) and nothing so sets in the reference ``ref`` (its state and facts), that
    the code ``entries`` reach in ``v`` reads (``facts``: v's), said with the function reading it: both sides' runs
    take its initial value, so "the same" holds for that value alone, while 'modprobe ... name=N', the command
    line or a write through sysfs or debugfs gives another, which nothing compared (a retry count made tunable).
    ``store``: where the readings of the definitions are kept (harness.scopecache)."""
    before = {name for name, _ in facts_outside(variant_sources(ref[0]), ref[1], store)}
    added = {name: why for name, why in facts_outside(variant_sources(v), facts, store) if name not in before}
    if not added:
        return ()
    table = definitions(variant_sources(v))
    readers: dict[str, list[str]] = {}
    for entry in entries:
        macro = next((d for d in table.get(entry, []) if d.kind is Kind.MACRO), None)
        if macro is not None:  # a macro entry point's own expansion reads what its text names
            for name in sorted(macro.names_used() & added.keys()):
                readers.setdefault(name, []).append(f"{entry}()")
        for fn in facts.entry_reach.get(entry, ()):
            for name in sorted(facts.names.get(fn, frozenset()) & added.keys()):
                readers.setdefault(name, []).append(f"{fn}()")
    return tuple(f"{name} ({_defined(table, name)}) is set outside the runs in {v.name}, not in {ref[0].name}: "
                 f"{added[name]}; {', '.join(dict.fromkeys(fns))} reads it: the runs take its initial value, and "
                 "another is compared nowhere" for name, fns in sorted(readers.items()))


def _defined(table: dict[str, list[Definition]], name: str) -> str:
    found = table.get(name)
    return found[0].where if found else "?"
