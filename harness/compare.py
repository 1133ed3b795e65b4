"""compare_outcomes: per-patch and across-variant comparisons, outcome groups, and code-move findings."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from harness.changedlines import changed_lines
from harness.comparecache import inputs_key, kept, kept_groups
from harness.comparison import Comparison, Gap, Universe
from harness.configonly import assumed_built
from harness.convnotes import Names, named_notes, names_in, no_names
from harness.coverage import (
    fill_template,
    missing_unit,
    not_run_reason,
    reason_template,
)
from harness.explain import DiffClass, Difference, classify, explain
from harness.findings import FindingKind, ReportFinding, apply_findings, not_applied
from harness.groups import outcome_groups, signature_numbers
from harness.helperruns import through_callers
from harness.linecover import unrun_changes
from harness.lockboot import lockdep_findings
from harness.matrix import Matrix
from harness.matrixresult import MatrixResult
from harness.memo import by_identity, known
from harness.model import Patch, Series, number_ranges
from harness.moves import earlier_in
from harness.ownleaf import leaf_word
from harness.providedchange import Sides, gap_reason, provided_change, sides_between
from harness.reach import unreached_changes, unreached_lines
from harness.renamepair import NO_PAIRING, Pairing, Renamed, rename_pairing, renamed_state
from harness.runner import variant_sources
from harness.rununits import private_elsewhere
from harness.samecode import code_identity
from harness.statenames import prefix_states, state_gap
from harness.unitmoves import unit_at
from harness.valuecover import with_values
from harness.variants import NO_TREE, Variant
from models.outcome import Outcome, OutcomeStatus, comparable, idle_sides
from models.record import record

if TYPE_CHECKING:
    from harness.treenames import TreeSearch


@record
class CompareRequest:
    """What to compare: the matrix result, the series it came from, and extra pairs (--against)."""

    result: MatrixResult
    series: Series
    pairs: tuple[tuple[str, str], ...] = ()
    tree: TreeSearch | None = None  # with --tree, its search (a code move's other users: harness.strandedusers)


@dataclass
class CompareResult:
    """Both views, the groups of equal outcomes per scenario, and findings."""

    per_patch: list[Comparison] = field(default_factory=list)
    across: list[Comparison] = field(default_factory=list)
    groups: dict[str, list[list[str]]] = field(default_factory=dict)
    findings: list[ReportFinding] = field(default_factory=list)


@dataclass
class _Found:
    differences: list[tuple[int, Difference]] = field(default_factory=list)
    ran_both: dict[str, int] = field(default_factory=dict)  # a renamed entry point under both names
    gaps: dict[tuple[str, bool], Gap] = field(default_factory=dict)  # by reason, and absent apart
    compared: int = 0
    paired: int = 0  # scenarios of renamed entry points paired with their old selves: counted once in the total


def _pair(result: MatrixResult, a: Outcome, b: Outcome, pairing: Pairing, numbers: tuple[int, int]
          ) -> tuple[tuple[DiffClass, ...], tuple[str, ...]]:
    """classify and explain, once per pair of outcome objects of this result (``numbers``: theirs,
    MatrixResult.outcome_numbers), and renames followed (``a``'s static locals under their function's new name):
    comparisons of many variants meet the same pairs of code groups again and again."""
    key: tuple[object, ...] = ("pair", *numbers, pairing.key) if pairing.names else ("pair", *numbers)
    found = result.memo.get(key)
    if found is None:
        a = renamed_state(a, pairing.names)
        classes = classify(a, b)
        found = result.memo[key] = (classes, tuple(explain(a, b, classes)) if classes else ())
    return found


# Cells of a lane not run on both sides, by what decides their fact or gap (provided_change, gap_reason):
# (a, b, positions), a and b being the first outcomes met.
_Unrun = tuple[tuple[Outcome, Outcome, tuple[int, ...]], ...]
_LanePair = tuple[int, tuple[tuple[int, Difference], ...], _Unrun]


def _lane_pair(result: MatrixResult, n: int, ga: int, gb: int, pairing: Pairing = NO_PAIRING, nb: int | None = None,
               names: tuple[Names, Names] = (no_names, no_names)) -> _LanePair:
    """One lane between two code groups: the cells that ran on both sides, the differences among them (by
    matrix position) and the cells not run on both sides. The same for every pair of variants that
    runs these two code groups, so it is worked out once (a series' prefixes share most of their code).
    ``nb``: the lane of ``b``'s side when it is another (a renamed entry point's, by ``b``'s positions); ``names``:
    each side's call arguments by call site (harness.convnotes), the same for every variant of a code group."""
    nb = n if nb is None else nb
    if nb == n and (ga == gb or not pairing.names):
        key: tuple[object, ...] = (-1, n, ga, gb) if ga != gb else (-1, n, ga)  # one code group: nothing differs
    else:
        key = (-2, n, nb, ga, gb, pairing.key)
    found: _LanePair | None = result.memo.get(key)
    if found is None:
        ran, diffs = 0, []
        unrun: dict[tuple[object, ...], tuple[Outcome, Outcome, list[int]]] = {}
        scenarios = result.matrix.scenarios
        outs = zip(result.lanes[nb].positions, result.group_outcomes(n, ga), result.group_outcomes(nb, gb),
                   result.outcome_numbers(n, ga), result.outcome_numbers(nb, gb), strict=True)
        logs = (result.log_sources(ga), result.log_sources(gb))
        named = bool(logs[0].formats and logs[1].formats)  # a line's format known on both sides
        # Outcomes of equal signatures (harness.groups, which the outcome groups number too) differ in no class: most
        # pairs of two code groups differ only where their lines are. Not with a rename followed: _pair reads
        # ``a``'s static locals under their new names. Numbered only where the two are not one object (equal
        # outcomes are one: a lane both sides run in one code group asks none), not every outcome of both groups.
        number = signature_numbers(result) if not pairing.names else None
        for k, (p, oa, ob, ka, kb) in enumerate(outs):
            if comparable(oa, ob):
                ran += 1
                same = oa is ob or (number is not None and number(ka, oa) == number(kb, ob))
                classes, notes = ((), ()) if same else _pair(result, oa, ob, pairing, (ka, kb))
                if named and DiffClass.LOG in classes:
                    notes = named_notes(result.memo, notes, (oa, ob), k, logs, names, (ga, gb))
                if classes:
                    diffs.append((p, Difference(scenarios[p], classes, notes)))
            else:
                # Of a side that ran, only its error text is read: one that did not is itself (its number).
                shape = (oa.error if oa.ran else ka, oa.ran, ob.error if ob.ran else kb, ob.ran)
                unrun.setdefault(shape, (oa, ob, []))[2].append(p)
        found = result.memo[key] = (ran, tuple(diffs), tuple((a, b, tuple(ps)) for a, b, ps in unrun.values()))
    return found


def _provided_cells(result: MatrixResult, positions: tuple[int, ...], fact: str) -> list[tuple[int, Difference]]:
    """One ``provided`` difference per position, kept for the next comparison that meets the same cells."""
    key = ("provided", id(positions), fact)  # positions: a tuple the result's memo keeps alive
    cells: list[tuple[int, Difference]] | None = result.memo.get(key)
    if cells is None:
        scenarios = result.matrix.scenarios
        cells = result.memo[key] = [(p, Difference(scenarios[p], (DiffClass.PROVIDED,), (fact,))) for p in positions]
    return cells


def _paired_sees(sides: Sides, old: str, new: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """A renamed entry point whose one side is private to another .c file (its old self static there, say) and
    whose other side ``unit`` can call (moved to a header): a fact of what the unit sees, as
    harness.providedchange.unit_sees says of one name, rather than a gap that blames the code read; as there, only
    where the side that ran holds the unit's file (one no mail shows may not include the header at all)."""
    for lacks, o, idle, name, verb, other in ((sides.a, ob, oa, old, "is new to", new),
                                              (sides.b, oa, ob, new, "is gone from", old)):
        ran = sides.b if lacks is sides.a else sides.a
        if o.ran and idle.status is OutcomeStatus.NOT_PROVIDED and ran.file(unit_at(ran.moved, unit)) is not None and \
                (where := private_elsewhere(variant_sources(lacks), name, unit_at(lacks.moved, unit))) is not None:
            return f"{other}() {verb} {unit}: in {lacks.name} it is {name}(), {where}, which {unit} cannot call"
    return None


def _renamed_fact(pairing: Pairing, entry: str, fact: str | None) -> str | None:
    """A fact of an entry point new or gone that a rename not paired with its twin explains (other parameters,
    say): it is said to be the other name renamed, and not compared with it, rather than plainly new."""
    if fact is None or not pairing.chains:
        return fact
    paired = {c.new for c in pairing.entries}
    for c in pairing.chains:
        if c.new not in paired and entry in (c.old, c.new):
            other, how = (c.old, "renamed from") if entry == c.new else (c.new, "renamed to")
            return f"{fact} ({how} {other}(), not compared with it)"
    return fact


def _paired_reason(sides: Sides, old: str, new: str, oa: Outcome, ob: Outcome) -> str:
    """Why a renamed entry point and its old self did not both run: each side's own reason, under its own name."""
    sided = zip(((sides.a, old, oa), (sides.b, new, ob)), idle_sides(oa, ob), strict=True)
    reasons = [not_run_reason(v, name, o) for (v, name, o), idle in sided if idle]
    return "; ".join(dict.fromkeys(reasons))


def _compare(result: MatrixResult, sides: Sides, pairing: Pairing = NO_PAIRING) -> _Found:
    out = _Found()
    found = out.differences
    gaps: dict[tuple[str, str, bool], int] = {}
    paired = dict(pairing.lanes)  # old name's lane -> new name's
    calls = (names_in(sides.a), names_in(sides.b))
    origins = {e.name: e.origin for e in result.matrix.entries}
    for n, lane in enumerate(result.lanes):
        if n in paired.values():
            continue  # a renamed entry point's lane: compared with its old self's
        nb = paired.get(n, n)
        entry = result.lanes[nb].entry
        ga, gb = result.code_group(sides.a.name, n), result.code_group(sides.b.name, nb)
        ran, diffs, unrun = _lane_pair(result, n, ga, gb, pairing, nb, calls)
        out.compared += ran
        out.paired += len(lane.positions) if nb != n else 0
        for both in {lane.entry, entry} if ran else ():
            out.ran_both[both] = out.ran_both.get(both, 0) + ran
        found.extend(diffs)
        unit = next((u.path for u in result.matrix.units if u.name == lane.unit), "")
        for oa, ob, positions in unrun:
            fact = _renamed_fact(pairing, lane.entry, provided_change(sides, lane.entry, oa, ob, unit)) \
                if nb == n else _paired_sees(sides, lane.entry, entry, oa, ob, unit)
            if fact is not None:
                found.extend(_provided_cells(result, positions, fact))
                continue
            reason = gap_reason(sides, entry, oa, ob, unit, origins.get(entry)) if nb == n else \
                _paired_reason(sides, lane.entry, entry, oa, ob)
            key = (entry, reason, nb == n and _unit_absent_on_both(sides, oa, ob, unit))
            gaps[key] = gaps.get(key, 0) + len(positions)
    _merge_gaps(out, gaps)
    return out


def _unit_absent_on_both(sides: Sides, oa: Outcome, ob: Outcome, unit: str) -> bool:
    """Whether cells not provided on both sides run in a unit neither side has (harness.coverage.missing_unit: the
    tree lacks it, no patch creates it): a Gap's ``absent``."""
    return oa.status is OutcomeStatus.NOT_PROVIDED and ob.status is OutcomeStatus.NOT_PROVIDED \
        and missing_unit((sides.a, sides.b), unit) is not None


def _merge_gaps(out: _Found, gaps: dict[tuple[str, str, bool], int]) -> None:
    """``out.gaps`` of the gaps by entry, reason and absence: one Gap per reason template (the entries it names
    merged), an absent one apart."""
    merged: dict[tuple[str, bool], tuple[list[str], list[str], int]] = {}  # -> (entries, names, scenarios)
    for (gapped, reason, absent), count in gaps.items():
        template, name = reason_template(reason)
        entries, seen, total = merged.setdefault((template, absent), ([], [], 0))
        entries.append(gapped) if gapped not in entries else None
        seen.extend([name] if name and name not in seen else [])
        merged[(template, absent)] = (entries, seen, total + count)
    for (template, absent), (entries, names, total) in merged.items():
        reason = fill_template(template, names)
        out.gaps[(reason, absent)] = Gap(tuple(entries), total, reason, absent)


def _universe(matrix: Matrix) -> Universe:
    """The matrix's leaves and its scripts (harness.comparison.where_seen's 'all leaves', 'all scripts'): every
    script, or per leaf those it runs under where some script's ``leaves`` leave a leaf out. Worked out once per
    matrix and shared by every comparison: a dict of sets per comparison took 250 MB more of the scale case."""
    names = frozenset(s.name for s in matrix.scripts)
    if all(s.leaves is None for s in matrix.scripts):
        return frozenset(matrix.leaves), names
    shared: dict[frozenset[str], frozenset[str]] = {}
    per_leaf = {leaf: frozenset(s.name for s in matrix.scripts if s.leaves is None or leaf in s.leaves)
                for leaf in matrix.leaves}
    return frozenset(matrix.leaves), {leaf: shared.setdefault(taken, taken) for leaf, taken in per_leaf.items()}


def matrix_universe(matrix: Matrix) -> Universe:
    """_universe, the one object every comparison of the matrix shares."""
    return by_identity("compare.universe", (matrix,), (), partial(_universe, matrix))


def compare_pair(result: MatrixResult, a: str, b: str, view: str, label: str, msgid: str | None = None,
                 patch: Patch | None = None, between: tuple[Patch, ...] = (), series: Series | None = None
                 ) -> Comparison:
    """Variant ``b`` against ``a`` over the whole matrix; ``patch`` is the patch between them, if one is (or
    ``between``, the patches from ``a`` to ``b``: what they visibly define or remove is a fact, not a gap).
    With ``series``, the helpers a change between them shows renamed are followed (harness.renamepair)."""
    va, vb = result.variant(a), result.variant(b)
    pairing = rename_pairing(result, series, va, vb) if series is not None else NO_PAIRING
    patches = (patch,) if patch is not None else between
    found = _compare(result, sides_between(va, vb, patches, name_each=patch is None and len(between) > 1), pairing)
    diffs = [d for _, d in sorted(found.differences)]  # positions are unique: tuples never compare further
    universe = matrix_universe(result.matrix)
    renamed = tuple(Renamed(c.old, c.new, found.ran_both.get(c.new, 0), c.note()) for c in pairing.entries)
    ran = sorted(e for e, n in found.ran_both.items() if n)
    assumed = tuple(dict.fromkeys(a for v in (va, vb) for a in assumed_built(v, ran)))  # the code both ran
    return through_callers(result, Comparison(view, a, b, label, msgid, tuple(diffs), len(result.matrix.scenarios)
                                              - found.paired, universe, found.compared, tuple(found.gaps.values()),
                                              found.ran_both, renamed=renamed, assumed=assumed))


def rule_comparison(result: MatrixResult, series: Series, a: str, b: str) -> Comparison:
    """State ``b`` against ``a`` as the review rules compare them (harness.verdict.CheckContext.compare): compare_pair
    with the patches between them (an entry point they visibly add or remove is a difference, class provided) and the
    helpers a change between them renames followed. Where this process made the report's comparisons' key of the same
    result and series (comparisons_key, no --against: eval), what a run over the very same inputs kept of it is read
    (the comparison cache, harness.comparecache, under the unit ``("rule", a, b)``, apart from the report's own), and
    what is made is kept; elsewhere (gate, which compares 3 pairs of the corpus' v3) the key would cost more than the
    comparisons it spares, and they are made."""
    va, vb = result.variant(a), result.variant(b)
    make = partial(compare_pair, result, a, b, "patch", f"{a} -> {b}", between=patches_between(series, va, vb),
                   series=series)
    made, inputs = known(_INPUTS, (result, series), ((),))
    if not made:
        return make()
    return kept(result, inputs, ("rule", a, b), lambda: (make(), None), matrix_universe(result.matrix))[0]


_INPUTS = "compare.inputs"  # comparisons_key's memo


def comparisons_key(result: MatrixResult, series: Series, pairs: tuple[tuple[str, str], ...] = ()) -> str | None:
    """harness.comparecache.inputs_key, worked out once per result, series (by identity) and pairs: the report's
    comparisons and the rules' share it (rule_comparison)."""
    return by_identity(_INPUTS, (result, series), (pairs,), lambda: inputs_key(result, series, pairs))


def with_own_leaves(res: MatrixResult, cmp: Comparison) -> Comparison:
    """``cmp`` with the leaf each entry point fed no leaf issued (Comparison.own_leaves): the one leaf of every
    SEAMCALL its differing runs made on both sides, by the matrix's name for it, else its number; none where they
    issued two or more (or none). Worked out from the outcomes, never kept with the comparison in the cache."""
    leafless = {e.name for e in res.matrix.entries if "fn" not in e.args and e.leaves is None}  # Scenario.leafless
    if not leafless:
        return cmp  # no difference to look at (the scale case's 490,000 of them)
    issued: dict[str, set[int]] = {}
    for d in cmp.differences:
        s = d.scenario
        if s.entry.name not in leafless or len(seen := issued.setdefault(s.entry.name, set())) > 1 \
                or s.id not in res.matrix.positions:
            continue  # a value run's scenario (harness.valuecover) is not the matrix's: its calls are not kept
        seen.update(c.leaf for side in (cmp.a, cmp.b) for c in res.outcome(side, s).calls)
    own = {entry: leaf_word(res.matrix.leaves, leaf) for entry, leaves in issued.items() if len(leaves) == 1
           for leaf in leaves}  # the gate's evidence names it the same way (harness.checks.with_issued)
    return replace(cmp, own_leaves=own) if own else cmp


def _prefix_pairs(result: MatrixResult) -> list[tuple[Variant, Variant]]:
    """(state before, state after) for every patch of every revision evaluated (harness.statenames.prefix_states)."""
    states = prefix_states(result.variants)
    return [(a, b) for a, b in itertools.pairwise(states) if a.revision == b.revision]


def patches_between(series: Series, a: Variant, b: Variant) -> tuple[Patch, ...]:
    """The patches from state ``a`` to a later state ``b`` of the same revision (none for other pairs)."""
    if a.revision is None or a.revision != b.revision or a.start is not None or b.start is not None:
        return ()
    rev = series.revision(a.revision)
    low, high = a.prefix or 0, b.prefix if b.prefix is not None else (rev.total if rev else 0)
    return rev.between(low, high) if rev and low < high else ()


def _patch_of(series: Series, v: Variant) -> Patch | None:
    rev = series.revision(v.revision or 0)
    return rev.patch(v.prefix or 0) if rev else None


def _with_unrun(res: MatrixResult, cmp: Comparison) -> Comparison:
    """A comparison of two variants (revisions, a proposal and its start, --against) with the lines that
    differ between them and never ran (harness.linecover): "no behaviour change" says nothing of them, and the
    differences listed are not all there may be (a retry bound changed besides a log line: the runs show the log)."""
    ran = [e for e, n in cmp.ran_both.items() if n]
    return replace(cmp, not_run=unrun_changes(res.variant(cmp.a), res.variant(cmp.b), res, ran))


def _with_reach(res: MatrixResult, cmp: Comparison) -> Comparison:
    """A comparison of two variants (a reviewer's, a revision and the one before, --against) held to what a
    patch is held to: the C lines the two differ by that no entry point reaches, or that only entry points no
    scenario of ran reach (harness.reach), are said, and "no behaviour change" never stands over them (a reply's
    diff, or a next revision, changing only a helper nothing calls was "no behaviour change")."""
    a, b = res.variant(cmp.a), res.variant(cmp.b)
    lines = [(side, path, n, text) for side, by_path in enumerate(changed_lines(a, b))
             for path, numbered in sorted(by_path.items()) if path.endswith((".c", ".h"))
             for n, text in sorted(numbered.items())]
    unreached = unreached_lines(lines, (a, b), res)
    ran = [e for e, n in cmp.ran_both.items() if n]
    idle = () if cmp.changed or unreached else unreached_lines(lines, (a, b), res, ran=ran)
    return replace(cmp, unreached=unreached,
                   not_run=tuple(f"{u}, which no scenario that ran on both sides reaches" for u in idle) + cmp.not_run)


def _across_missing(series: Series, before: Variant, after: Variant) -> tuple[str, ...]:
    """What a patch's comparison lacks when the input lacks a patch between the two states: the patch is
    applied without it, so 'before' is not the series' state before the patch (never "no behaviour change")."""
    rev = series.revision(after.revision) if after.revision is not None else None
    if rev is None or before.prefix is None or after.prefix is None:
        return ()
    missing = [n for n in rev.missing if before.prefix < n < after.prefix]
    if not missing:
        return ()
    lacks = f"v{rev.version} patch{'es' if len(missing) > 1 else ''} {number_ranges(missing)} (of {rev.total})"
    if after.base != NO_TREE:  # the base given may hold them: the patch went on it in their place
        return (f"{lacks}, which the input lacks: this patch is applied to the base in their place, not known to be "
                "the series' own state before it",)
    return (f"{lacks}, which the input lacks: this patch is applied without it, not to the series' own state before "
            "it",)


def _with_gaps(series: Series, res: MatrixResult, cmp: Comparison) -> Comparison:
    """A comparison one of whose sides is built across a patch the input lacks (harness.statenames.state_gap)
    says so: what it compares is not the series' state, and "no behaviour change" never stands on it."""
    gaps = tuple(why for side in (cmp.a, cmp.b) if (why := state_gap(res.variant(side), series)) is not None)
    return replace(cmp, not_run=cmp.not_run + gaps) if gaps else cmp


def _spanning(req: CompareRequest, before: Variant, after: Variant, between: tuple[Patch, ...]) -> Comparison:
    """Two states of a revision evaluated with patches between them (``--variant v3:05 --variant v3``): one
    comparison labelled with every patch it spans (``v3 06-07/26: ...``), never put down to the last one."""
    first, last = between[0], between[-1]
    label = (f"v{after.revision} {first.label.split('/')[0]}-{last.label}: "
             + "; ".join(p.mail.subject.title for p in between))
    cmp = compare_pair(req.result, before.name, after.name, "patch", label, None, between=between, series=req.series)
    cmp = with_values(req.result, _with_unrun(req.result, cmp))
    return replace(cmp, not_run=cmp.not_run + _across_missing(req.series, before, after))


def _patch_comparison(req: CompareRequest, before: Variant, after: Variant) -> tuple[Comparison, ReportFinding | None]:
    """The comparison of a patch (or of the patches between two states) with the state before, and its code moves."""
    from harness.movefind import move_finding  # it builds on this module's comparisons

    res = req.result
    between = patches_between(req.series, before, after)
    if len(between) > 1:  # states evaluated patches apart: what they differ by is no one patch's doing
        return _spanning(req, before, after, between), None
    patch = _patch_of(req.series, after)
    label = f"v{after.revision} {patch.label}: {patch.mail.subject.title}" if patch else after.name
    cmp = compare_pair(res, before.name, after.name, "patch", label, patch.mail.msgid if patch else None, patch,
                       series=req.series)
    if patch is None:
        return with_values(res, cmp), None
    unreached = unreached_changes(patch, (before, after), res)
    ran = [e for e, n in cmp.ran_both.items() if n]
    idle = () if cmp.changed or unreached else unreached_changes(patch, (before, after), res, ran=ran)
    # Lines that did not run are said whatever else is (differences too: they are not all the patch may
    # change): the reached code's own gaps.
    not_run = tuple(f"{u}, which no scenario that ran on both sides reaches" for u in idle) \
        + unrun_changes(before, after, res, ran)
    not_run += _across_missing(req.series, before, after) + not_applied(patch.mail.msgid, after)
    cmp = with_values(res, replace(cmp, unreached=unreached, not_run=not_run))
    return cmp, move_finding(res, cmp, patch, (before, after), earlier_in(req.series, patch), req.tree)


def _across(req: CompareRequest) -> list[tuple[str, str, str, str, str | None]]:
    """(view, a, b, label, Message-ID) of each comparison across variants: revisions, proposals, --against."""
    res, out = req.result, list[tuple[str, str, str, str, str | None]]()
    names = {v.name for v in res.variants}
    revs = [f"v{r.version}" for r in req.series.revisions if f"v{r.version}" in names]
    out += [("revision", a, b, f"{a} -> {b}", None) for a, b in itertools.pairwise(revs)]
    for v in res.variants:
        msgid = v.sources[-1][0] if v.sources else None
        # a proposal on its start, a counter-proposal on the one it answers: what it changes of it
        out += [("proposal", s, v.name, f"{v.name} (vs {s})", msgid) for s in (v.start, v.over) if s in names]
    shown = {(a, b) for _, a, b, _, _ in out}  # --against a proposal's own start: that comparison is there already
    return out + [("against", a, b, f"{b} vs {a}", None) for a, b in req.pairs if (a, b) not in shown]


def _across_comparison(req: CompareRequest, view: str, a: str, b: str, label: str, msgid: str | None
                       ) -> tuple[Comparison, None]:
    """A comparison across variants, held to what a patch is and to its changed conditions' values."""
    res = req.result
    between = patches_between(req.series, res.variant(a), res.variant(b)) if view == "against" else ()
    cmp = compare_pair(res, a, b, view, label, msgid, series=req.series, between=between)
    return with_values(res, _with_reach(res, _with_gaps(req.series, res, _with_unrun(res, cmp)))), None


def _with_code(req: CompareRequest, cmp: Comparison) -> Comparison:
    """Two revisions' comparison with whether their files are the same blobs (harness.samecode): worked out from the
    states alone, after the comparison cache, which keeps what the runs showed."""
    if cmp.view != "revision":
        return cmp
    return replace(cmp, code=code_identity(req.result.variant(cmp.a), req.result.variant(cmp.b), req.series))


def compare_outcomes(req: CompareRequest) -> CompareResult:
    """Per patch (each against the state before it) and across variants (revisions, proposals, --against); each
    comparison read from the cache when a run over the very same inputs kept it (harness.comparecache)."""
    res, out = req.result, CompareResult()
    inputs, universe = comparisons_key(res, req.series, req.pairs), matrix_universe(res.matrix)
    for before, after in _prefix_pairs(res):
        cmp, finding = kept(res, inputs, ("patch", before.name, after.name),
                            partial(_patch_comparison, req, before, after), universe)
        out.per_patch.append(with_own_leaves(res, cmp))
        out.findings.extend([finding] if finding is not None else [])
    out.across = [with_own_leaves(res, _with_code(req, kept(res, inputs, ("across", *unit),
                                                            partial(_across_comparison, req, *unit), universe)[0]))
                  for unit in _across(req)]
    out.groups = kept_groups(res, inputs, partial(outcome_groups, res))
    out.findings.extend(apply_findings(res.variants))
    out.findings.extend(lockdep_findings(res, res.variants))
    for v in res.variants:
        error = res.load_error(v.name)
        if error is not None:
            out.findings.append(ReportFinding(FindingKind.LOAD, v.name, error))
    return out
