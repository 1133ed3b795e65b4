"""Whether what a SEAMCALL helper does depends on the leaf: the same answers, the same SEAMCALLs, whatever the leaf.

"With one error-code space, sc_retry() needs no choice of retry code by leaf" is a point about behaviour, not
about names: a retry code picked by ``fn >> 63``, a mask of the caller's own, or a helper of any name breaks it
as much as ``is_seamldr_call()`` does. Scenarios that differ only in their leaf (same entry point, response
script and unit) must issue as many SEAMCALLs; a leaf-dependent retry code makes one leaf retry an answer that
another does not.

Shapes: ``Group`` is (entry, script, unit); evidence names the scenario of the leaf that differs from the
group's first leaf (matrix order).

Equal counts show nothing of code that reads the leaf and never ran: each place where the leaf steers control
in what the selected entry points reach (models.leafflow: a test reading it, a switch on it, a call through a
function it picks) must have run, a test coming out both true and false in some runs of the variant, else no
pass (unshown_leaf_sites; a consistency check needs each print of the leaf run the same way).
"""

from __future__ import annotations

from harness.linecover import HINT
from harness.matrix import Scenario
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import Evidence
from models.facts import CodeFacts
from models.outcome import Coverage, Outcome

# models.leafflow's site kinds, and what a site of each kind must have done in the runs
_DECISION, _CASE, _CALL, _STORE, _PRINT, _WARNS = "decision", "case", "call", "store", "print", "warn"
_WHAT = {_DECISION: "a test of the leaf", _CASE: "a case of a switch on the leaf",
         _CALL: "a call through a function the leaf picks", _STORE: "a store of a value read from the leaf",
         _PRINT: "a line printing the leaf",
         _WARNS: "a WARN() printing the leaf"}
TESTS = frozenset({_DECISION, _CASE, _CALL, _STORE})  # where the leaf steers control: what leaf rules need run
PRINTS = frozenset({_PRINT, _WARNS})  # where the leaf is printed: what a consistency check needs run


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


def _line_text(v: Variant, path: str, line: int) -> str | None:
    """The source line ``path:line`` of the variant, spacing collapsed (None: not in what is known)."""
    for src in variant_sources(v):
        if src.path == path:
            for start, piece in src.pieces:
                if start <= line < start + len(piece):
                    return " ".join(piece[line - start].split())
    return None


def _site_problem(kind: str, key: str, ran: frozenset[str], warned: frozenset[str]) -> str | None:
    """What a leaf site lacks in the runs (None: shown)."""
    if kind == _DECISION:
        came = [value for value in ("T", "F") if f"{key}:{value}" in ran]
        if len(came) == 2:
            return None
        return "never tested" if not came else f"always came out {'true' if came == ['T'] else 'false'}"
    if kind == _WARNS:
        return None if key in warned else "never fired"
    if key in ran:
        return None
    return "never picked" if kind == _CASE else "never ran"


def _place(kind: str, key: str) -> str:
    """``path:line`` of a site's key (a decision's ``?path:line:col~size``, a start's ``path:line:col``)."""
    return key if kind == _WARNS else key.lstrip("?").rpartition(":")[0]


def unshown_leaf_sites(v: Variant, facts: CodeFacts | str, coverage: Coverage, entries: list[str],
                       kinds: frozenset[str] = TESTS, warned: frozenset[str] = frozenset(), limit: int = 6
                       ) -> list[str]:
    """Each leaf site of ``kinds`` in what ``entries`` reach (models.leafflow.leaf_sites) that the variant's runs
    did not show: a test that did not come out both true and false, a case label never picked, a call through a
    leaf-chosen function or a print of the leaf never made, a WARN() given the leaf that never fired (``warned``:
    the ``path:line`` of each warning the runs saw); a last item says what would run them. Code whose facts could
    not be read, or an entry point they lack, is named as such (its sites are not known)."""
    if isinstance(facts, str):
        return [f"where the leaf is used in {v.name} is not known: its code could not be read ({facts})"]
    unknown: dict[str, None] = {}
    found: dict[tuple[str, str, str], dict[str, None]] = {}  # (what, function, place) -> its problems
    for entry in entries:
        sites = facts.leaf_sites.get(entry)
        if sites is None:
            unknown[f"where {entry}() uses the leaf in {v.name} is not known (its code was not read)"] = None
            continue
        for function, kind, key in sites:
            problem = _site_problem(kind, key, coverage.ran, warned) if kind in kinds else None
            if problem is not None:
                found.setdefault((_WHAT[kind], function, _place(kind, key)), {})[problem] = None
    places = list(unknown)
    for (what, function, place), problems in found.items():
        path, _, line = place.rpartition(":")
        text = _line_text(v, path, int(line)) if line.isdigit() else None
        said = " / ".join(problems)  # a condition and its operands on one line: each column's answer once
        places.append(f"{what} in {function}() at {place}{f' ({text!r})' if text else ''} {said} in {v.name}")
    if len(places) > limit:
        places = [*places[:limit], f"{len(places) - limit} more places"]
    return [*places, HINT] if places else []
