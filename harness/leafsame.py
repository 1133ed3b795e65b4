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
from harness.verdict import CheckContext, Evidence
from models.facts import CodeFacts
from models.outcome import Outcome

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


def _site_problem(kind: str, key: str, runs: list[frozenset[str]], warned: frozenset[str], apart: str) -> str | None:
    """What a leaf site lacks in ``runs`` (what each group of runs judged together executed; None: shown): a
    decision must come out true and false within one group, else it was never compared with itself."""
    if kind == _DECISION:
        if any(f"{key}:T" in r and f"{key}:F" in r for r in runs):
            return None
        came = [value for value in ("T", "F") if any(f"{key}:{value}" in r for r in runs)]
        if len(came) == 2:
            return f"came out true and false only in runs of different {apart}"
        return "never tested" if not came else f"always came out {'true' if came == ['T'] else 'false'}"
    if kind == _WARNS:
        return None if key in warned else "never fired"
    if any(key in r for r in runs):
        return None
    return "never picked" if kind == _CASE else "never ran"


def run_groups(ctx: CheckContext, v: Variant, picked: list[tuple[Scenario, Outcome]], apart: bool = False
               ) -> dict[str, list[frozenset[str]]]:
    """Per entry point: what the runs of the ``picked`` scenarios that ran executed, one set per entry point, or
    with ``apart`` one per script and unit too (the groups leaf_differences compares). Only these runs count
    towards a leaf site: one a scenario the rule does not select, or another entry point, ran shows nothing
    of the code the rule judges (MatrixResult.run_coverage)."""
    sets: dict[tuple[str, ...], set[str]] = {}
    for s, o in picked:
        if o.ran:
            key: tuple[str, ...] = (s.entry.name, s.script.name, s.unit.name) if apart else (s.entry.name,)
            sets.setdefault(key, set()).update(ctx.result.run_coverage(v.name, ctx.result.matrix.position(s.id)))
    out: dict[str, list[frozenset[str]]] = {}
    for key, ran in sets.items():
        out.setdefault(key[0], []).append(frozenset(ran))
    return out


def _place(kind: str, key: str) -> str:
    """``path:line`` of a site's key (a decision's ``?path:line:col~size``, a start's ``path:line:col``)."""
    return key if kind == _WARNS else key.lstrip("?").rpartition(":")[0]


def unshown_leaf_sites(v: Variant, facts: CodeFacts | str, runs: dict[str, list[frozenset[str]]],
                       kinds: frozenset[str] = TESTS, warned: dict[str, frozenset[str]] | None = None,
                       apart: str = "entry points", limit: int = 6) -> list[str]:
    """Each leaf site of ``kinds`` in what each entry point of ``runs`` reaches (models.leafflow.leaf_sites) that
    the entry's own runs (run_groups: per entry point, a set per group judged together) did not show: a test that
    did not come out both true and false within one group (``apart`` names what else tells groups apart), a case
    label never picked, a call through a leaf-chosen function or a print of the leaf never made, a WARN() given
    the leaf that never fired (``warned``: per entry, the ``path:line`` of each warning its runs saw); a last
    item says what would run them. Code whose facts could not be read, or an entry point they lack, is named as
    such (its sites are not known)."""
    if isinstance(facts, str):
        return [f"where the leaf is used in {v.name} is not known: its code could not be read ({facts})"]
    unknown: dict[str, None] = {}
    found: dict[tuple[str, str, str], dict[str, list[str]]] = {}  # (what, function, place) -> problem -> entries
    reached: dict[tuple[str, str, str], set[str]] = {}  # the entry points that reach each site
    for entry, ran in sorted(runs.items()):
        sites = facts.leaf_sites.get(entry)
        if sites is None:
            unknown[f"where {entry}() uses the leaf in {v.name} is not known (its code was not read)"] = None
            continue
        fired = (warned or {}).get(entry, frozenset())
        for function, kind, key in sites:
            if kind not in kinds:
                continue
            site = (_WHAT[kind], function, _place(kind, key))
            reached.setdefault(site, set()).add(entry)
            problem = _site_problem(kind, key, ran, fired, apart)
            if problem is not None:
                found.setdefault(site, {}).setdefault(problem, []).append(entry)
    places = list(unknown)
    for (what, function, place), problems in found.items():
        path, _, line = place.rpartition(":")
        text = _line_text(v, path, int(line)) if line.isdigit() else None
        # A condition and its operands on one line: each column's answer once; the entry points named where
        # another one reaching the site showed it or lacks it otherwise.
        said = " / ".join(p if len(who) == len(reached[(what, function, place)]) else
                          f"{p} under {', '.join(f'{e}()' for e in who)}" for p, who in problems.items())
        places.append(f"{what} in {function}() at {place}{f' ({text!r})' if text else ''} {said} in {v.name}")
    if len(places) > limit:
        places = [*places[:limit], f"{len(places) - limit} more places"]
    return [*places, HINT] if places else []
