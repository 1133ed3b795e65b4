"""A static helper only one side of a comparison defines, run by entry points both sides have: compared through them."""

from __future__ import annotations

import re
from dataclasses import replace

from harness.comparison import Comparison
from harness.explain import DiffClass, Difference
from harness.matrix import EntryKind
from harness.matrixresult import MatrixResult
from harness.runner import variant_sources
from harness.variants import Variant
from models.loader import definitions, reachable
from models.slicer import Kind

_PROVIDED = (DiffClass.PROVIDED,)
_FOUND = frozenset({EntryKind.DISCOVERED, EntryKind.CHANGED})  # entry points the harness found in the code
_STATIC = re.compile(r"(?:__\w+\s+)*static\b")
# harness.compare's tail of a fact whose entry point a rename pairs with another of other parameters: here it is
# compared through its callers, which is no 'not compared'.
_UNPAIRED = ", not compared with it)"
HELPER_TAIL = "not on its own"


def _static_on(v: Variant, name: str) -> bool | None:
    """Whether ``v`` defines ``name`` only as static functions (None: it does not define it): no file the series does
    not show can call it, so what it does is what its callers in the files read make it do."""
    found = [d for d in definitions(variant_sources(v)).get(name, []) if d.kind is not Kind.PROTOTYPE]
    if not found:
        return None
    return all(d.kind is Kind.FUNCTION and _STATIC.match(d.text.lstrip()) for d in found)


def _callers(v: Variant, name: str, ran: list[str]) -> list[str]:
    """The entry points that ran on both sides which reach ``name`` in ``v``."""
    src = variant_sources(v)
    return [e for e in ran if e != name and name in reachable(src, e)]


def _said(fact: str, callers: list[str], new: bool) -> str:
    who = ", ".join(f"{c}()" for c in callers)
    fact = fact.removesuffix(_UNPAIRED) + ")" if fact.endswith(_UNPAIRED) else fact
    one = len(callers) == 1
    verb = ("calls" if one else "call") if new else "called"
    return f"{fact}: a static helper that {who} {verb}, which ran on both sides: compared through " \
        f"{'it' if one else 'them'}, {HELPER_TAIL}"


def through_callers(result: MatrixResult, cmp: Comparison) -> Comparison:
    """``cmp`` without the cells of an entry point that one side alone defines, static there (a helper split off, two
    merged into a new one, one inlined into its callers and gone), whose callers ran on both sides: its code ran in
    theirs on the side that has it, and what it does is what they do, which the comparison holds (a change there is
    theirs, said with its value). Each such helper is said in ``helpers`` instead, as new or gone, not as a change."""
    ran = sorted(e for e, n in cmp.ran_both.items() if n)
    if not ran or not cmp.differences:
        return cmp
    by_entry: dict[str, list[Difference]] = {}
    mixed: set[str] = set()
    for d in cmp.differences:
        name = d.scenario.entry.name
        by_entry.setdefault(name, []).append(d)
        # One the matrix names is the user's own entry point, run and said on its own whatever calls it.
        if d.classes != _PROVIDED or d.scenario.entry.kind not in _FOUND:
            mixed.add(name)
    va, vb = result.variant(cmp.a), result.variant(cmp.b)
    said: dict[str, str] = {}
    for name, diffs in by_entry.items():
        if name in mixed or name in ran:
            continue
        sides = _static_on(va, name), _static_on(vb, name)
        if sides.count(None) != 1 or not any(sides):
            continue
        new = sides[0] is None
        callers = _callers(vb if new else va, name, ran)
        if callers and diffs[0].notes:
            said[name] = _said(diffs[0].notes[0], callers, new)
    if not said:
        return cmp
    kept = tuple(d for d in cmp.differences if d.scenario.entry.name not in said)
    return replace(cmp, differences=kept, total=cmp.total - (len(cmp.differences) - len(kept)),
                   helpers=cmp.helpers + tuple(said.values()))


def helper_names(cmp: Comparison) -> set[str]:
    """The helpers ``cmp`` compared through their callers (through_callers), by name."""
    return {h.split("(", 1)[0] for h in cmp.helpers}
