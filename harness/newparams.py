"""Module parameters a variant adds over code an equivalence rule compares: values no run of either side takes."""

from __future__ import annotations

from harness.retrybound import module_parameters
from harness.runner import variant_sources
from harness.variants import Variant
from models.facts import CodeFacts
from models.loader import definitions
from models.slicer import Definition, Kind


def new_parameters(ref_v: Variant, v: Variant, facts: CodeFacts, entries: list[str]) -> tuple[str, ...]:
    """Each variable a module parameter sets in ``v`` and none in ``ref_v`` that the code ``entries`` reach in ``v``
    reads (``facts``: v's), said with the function reading it: both sides' runs take its initial value, so "the
    same" holds for that value alone, while 'modprobe ... name=N' or a write through sysfs gives another, which
    nothing compared (a retry count made tunable, 'int left = sc_tries;' with module_param(sc_tries, int, 0644))."""
    added = {name: at for name, at in module_parameters(variant_sources(v)).items()
             if name not in module_parameters(variant_sources(ref_v))}
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
    return tuple(f"{name} ({_defined(table, name)}) is a module parameter in {v.name}, not in {ref_v.name} "
                 f"({added[name]}), and {', '.join(dict.fromkeys(fns))} reads it: the runs take its initial value, "
                 "and one given at load time or through sysfs is compared nowhere"
                 for name, fns in sorted(readers.items()))


def _defined(table: dict[str, list[Definition]], name: str) -> str:
    found = table.get(name)
    return found[0].where if found else "?"
