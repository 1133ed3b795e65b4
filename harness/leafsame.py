"""Whether what a SEAMCALL helper does depends on the leaf: the same answers, the same SEAMCALLs, whatever the leaf.

"With one error-code space, sc_retry() needs no choice of retry code by leaf" is a point about behaviour, not
about names: a retry code picked by ``fn >> 63``, a mask of the caller's own, or a helper of any name breaks it
as much as ``is_seamldr_call()`` does. Scenarios that differ only in their leaf (same entry point, response
script and unit) must issue as many SEAMCALLs; a leaf-dependent retry code makes one leaf retry an answer that
another does not.

Shapes: ``Group`` is (entry, script, unit); evidence names the scenario of the leaf that differs from the
group's first leaf (matrix order).
"""

from __future__ import annotations

from harness.matrix import Scenario
from harness.verdict import Evidence
from models.outcome import Outcome


def _calls(n: int) -> str:
    return f"{n} SEAMCALL{'' if n == 1 else 's'}"


def leaf_differences(outs: list[tuple[Scenario, Outcome]]) -> tuple[list[Evidence], int]:
    """Evidence of each scenario whose SEAMCALL count differs from that of the same entry, script and unit with
    the group's first leaf, and how many groups had two leaves or more to compare (a run's count includes the
    calls past the record cap, models.outcome.Outcome.total_calls)."""
    groups: dict[tuple[str, str, str], list[tuple[Scenario, Outcome]]] = {}
    for s, o in outs:
        groups.setdefault((s.entry.name, s.script.name, s.unit.name), []).append((s, o))
    evidence: list[Evidence] = []
    compared = 0
    for members in groups.values():
        if len({s.leaf for s, _ in members}) < 2:
            continue
        compared += 1
        first, fo = members[0]
        want = fo.total_calls
        for s, o in members[1:]:
            got = o.total_calls
            if got != want:
                evidence.append(Evidence(f"as with {first.leaf_name}: {_calls(want)}",
                                         f"{_calls(got)} with {s.leaf_name} (the same answers)", s))
    return evidence, compared
