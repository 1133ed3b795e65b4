"""compare_outcomes: per-patch and across-variant comparisons, outcome groups, and code-move findings."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from harness.explain import DiffClass, classify, explain, signature
from harness.matrix import Scenario
from harness.model import Patch, Series
from harness.runner import MatrixResult, variant_sources
from harness.variants import Variant
from models.loader import reachable

_FUNC_HEAD = re.compile(r"^(?:static\s+|inline\s+|__always_inline\s+|noinstr\s+|const\s+)*[A-Za-z_][\w\s\*]*?\b"
                        r"([A-Za-z_]\w*)\s*\([^;]*$")
_DEFINE = re.compile(r"^#\s*define\s+([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Difference:
    """How one scenario's outcome differs between the two sides of a comparison."""

    scenario: Scenario
    classes: tuple[DiffClass, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """Two variants over the whole matrix."""

    view: str
    a: str
    b: str
    label: str
    msgid: str | None
    differences: tuple[Difference, ...]
    total: int
    universe: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    @property
    def changed(self) -> bool:
        return bool(self.differences)

    def facts(self, limit: int = 6) -> list[Facts]:
        """Entry points that changed alike, with the commonest facts and where each holds."""
        by_entry: dict[str, list[Difference]] = defaultdict(list)
        for d in self.differences:
            by_entry[d.scenario.entry.name].append(d)
        alike: dict[tuple[int, tuple[tuple[str, str], ...], int], list[str]] = {}
        for entry, diffs in by_entry.items():
            notes = Counter(n for d in diffs for n in d.notes)
            top = tuple((n, _where_seen(n, diffs, self.universe)) for n, _ in notes.most_common(limit))
            alike.setdefault((len(diffs), top, max(0, len(notes) - limit)), []).append(entry)
        return [Facts(tuple(entries), count, top, more) for (count, top, more), entries in alike.items()]

    def summary(self, limit: int = 4, context: bool = True) -> list[str]:
        """One line per group of entry points that changed alike: scenario count and the commonest facts."""
        if not self.differences:
            return ["no behaviour change"]
        lines = []
        for f in self.facts(limit):
            shown = [f"{n} [{where}]" if context else n for n, where in f.notes]
            tail = f"; and {f.more} more" if f.more else ""
            lines.append(f"{', '.join(f.entries)}: {f.count} scenario{'s' if f.count != 1 else ''} differ: "
                         + "; ".join(shown) + tail)
        return lines


@dataclass(frozen=True)
class Facts:
    """Entry points that changed the same way: scenario count, (fact, where it holds) pairs, facts left out."""

    entries: tuple[str, ...]
    count: int
    notes: tuple[tuple[str, str], ...]
    more: int


def _where_seen(note: str, diffs: list[Difference], universe: tuple[frozenset[str], frozenset[str]]) -> str:
    """The leaves and scripts of the scenarios in which a note holds, e.g. 'SEAMLDR_INFO x gp, ud'."""
    leaves: list[str] = []
    scripts: list[str] = []
    for d in diffs:
        if note in d.notes:
            leaf, script = d.scenario.leaf_name, d.scenario.script.name
            leaves += [leaf] if leaf not in leaves else []
            scripts += [script] if script not in scripts else []
    shown_leaves = "all leaves" if universe[0] and set(leaves) == universe[0] else ", ".join(leaves)
    shown_scripts = "all scripts" if universe[1] and set(scripts) == universe[1] else ", ".join(scripts)
    return f"{shown_leaves} x {shown_scripts}"


class FindingKind(StrEnum):
    """What a report finding is about; the values are the JSON report's ``kind`` strings."""

    APPLY = "apply"
    LOAD = "load"
    CODE_MOVE = "code-move"
    CODE_MOVE_CHANGED = "code-move-changed"


@dataclass(frozen=True)
class ReportFinding:
    """Something a reviewer must look at, on a patch or a variant (apply problems, load errors, code moves)."""

    kind: FindingKind
    subject: str
    text: str
    where: str = ""


@dataclass(frozen=True)
class CompareRequest:
    """What to compare: the matrix result, the series it came from, and extra pairs (--against)."""

    result: MatrixResult
    series: Series
    pairs: tuple[tuple[str, str], ...] = ()


@dataclass
class CompareResult:
    """Both views, the groups of equal outcomes per scenario, and findings."""

    per_patch: list[Comparison] = field(default_factory=list)
    across: list[Comparison] = field(default_factory=list)
    groups: dict[str, list[list[str]]] = field(default_factory=dict)
    findings: list[ReportFinding] = field(default_factory=list)


def compare_pair(result: MatrixResult, a: str, b: str, view: str, label: str, msgid: str | None = None) -> Comparison:
    found: list[tuple[int, Difference]] = []
    scenarios = result.matrix.scenarios
    for n, lane in enumerate(result.lanes):
        ga, gb = result.code_group(a, n), result.code_group(b, n)
        if ga == gb:
            continue  # the same code group: every outcome of the lane is shared
        for i, p in enumerate(lane.positions):
            oa, ob = result.group_outcome(ga, i), result.group_outcome(gb, i)
            classes = classify(oa, ob)
            if classes:
                found.append((p, Difference(scenarios[p], classes, tuple(explain(oa, ob, classes)))))
    diffs = [d for _, d in sorted(found, key=lambda x: x[0])]
    universe = (frozenset(result.matrix.leaves), frozenset(s.name for s in result.matrix.scripts))
    return Comparison(view, a, b, label, msgid, tuple(diffs), len(result.matrix.scenarios), universe)


def _prefix_pairs(result: MatrixResult) -> list[tuple[Variant, Variant]]:
    """(state before, state after) for every patch of every revision."""
    by_rev: dict[int, list[Variant]] = defaultdict(list)
    for v in result.variants:
        if v.revision is not None and v.prefix is not None and ":" in v.name:
            by_rev[v.revision].append(v)
    pairs: list[tuple[Variant, Variant]] = []
    for states in by_rev.values():
        states.sort(key=lambda v: v.prefix or 0)
        pairs.extend(itertools.pairwise(states))
    return pairs


def _patch_of(series: Series, v: Variant) -> Patch | None:
    rev = series.revision(v.revision or 0)
    return rev.patch(v.prefix or 0) if rev else None


def _names(lines: list[str]) -> set[str]:
    out = set()
    for ln in lines:
        m = _DEFINE.match(ln) or (_FUNC_HEAD.match(ln) if ln[:1].isalpha() and not ln.rstrip().endswith(";") else None)
        if m is not None:
            out.add(m.group(1))
    return out - {"if", "while", "for", "switch", "return", "sizeof"}


def moved_definitions(patch: Patch) -> dict[str, tuple[str, str]]:
    """Functions and macros a patch removes in one place and adds (same name) in another."""
    removed: dict[str, str] = {}
    added: dict[str, str] = {}
    for f in patch.files:
        for h in f.hunks:
            for name in _names([ln.text for ln in h.lines if ln.kind.value == "-"]):
                removed[name] = f.source_path or f.path
            for name in _names([ln.text for ln in h.lines if ln.kind.value == "+"]):
                added[name] = f.target_path or f.path
    return {n: (removed[n], added[n]) for n in removed.keys() & added.keys()}


def _move_finding(result: MatrixResult, cmp: Comparison, patch: Patch, after: Variant) -> ReportFinding | None:
    moved = moved_definitions(patch)
    if not moved:
        return None
    sources = variant_sources(after)
    entries = {e.name for e in result.matrix.entries if reachable(sources, e.name) & moved.keys()}
    touched = [d for d in cmp.differences if d.scenario.entry.name in entries]
    places = sorted({f"{a} -> {b}" if a != b else a for a, b in moved.values()})
    what = f"moves {', '.join(sorted(moved))} ({'; '.join(places)})"
    if not touched:
        return ReportFinding(FindingKind.CODE_MOVE, cmp.label, f"{what} without changing behaviour",
                             str(patch.mail.where))
    sub = Comparison(cmp.view, cmp.a, cmp.b, cmp.label, cmp.msgid, tuple(touched), cmp.total, cmp.universe)
    return ReportFinding(FindingKind.CODE_MOVE_CHANGED, cmp.label,
                         f"{what} and changes behaviour: " + " | ".join(sub.summary()), str(patch.mail.where))


def outcome_groups(res: MatrixResult) -> dict[str, list[list[str]]]:
    """Per scenario, the variants grouped by equal outcome: worked out per code group, not per variant."""
    order = {v.name: i for i, v in enumerate(res.variants)}
    groups: dict[str, list[list[str]]] = {}
    for n, lane in enumerate(res.lanes):
        by_gid: dict[int, list[str]] = {}
        for v in res.variants:
            by_gid.setdefault(res.code_group(v.name, n), []).append(v.name)
        for i, p in enumerate(lane.positions):
            same: dict[tuple[object, ...], list[str]] = {}
            for gid, names in by_gid.items():
                o = res.group_outcome(gid, i)
                same.setdefault(signature(o), []).extend(names)
            merged = [sorted(names, key=order.__getitem__) for names in same.values()]
            groups[res.matrix.scenarios[p].id] = sorted(merged, key=lambda g: order[g[0]])
    return {s.id: groups[s.id] for s in res.matrix.scenarios}


def compare_outcomes(req: CompareRequest) -> CompareResult:
    """Per patch (each against the state before it) and across variants (revisions, proposals, --against)."""
    res, out = req.result, CompareResult()
    for before, after in _prefix_pairs(res):
        patch = _patch_of(req.series, after)
        label = f"v{after.revision} {patch.label}: {patch.mail.subject.title}" if patch else after.name
        cmp = compare_pair(res, before.name, after.name, "patch", label, patch.mail.msgid if patch else None)
        out.per_patch.append(cmp)
        finding = _move_finding(res, cmp, patch, after) if patch else None
        if finding is not None:
            out.findings.append(finding)
    names = {v.name for v in res.variants}
    revs = [f"v{r.version}" for r in req.series.revisions if f"v{r.version}" in names]
    for a, b in itertools.pairwise(revs):
        out.across.append(compare_pair(res, a, b, "revision", f"{a} -> {b}"))
    for v in res.variants:
        if v.start is not None and v.start in names:
            msgid = v.sources[-1][0] if v.sources else None
            out.across.append(compare_pair(res, v.start, v.name, "proposal", f"{v.name} (vs {v.start})", msgid))
    for a, b in req.pairs:
        out.across.append(compare_pair(res, a, b, "against", f"{b} vs {a}"))
    out.groups = outcome_groups(res)
    for v in res.variants:
        out.findings.extend(ReportFinding(FindingKind.APPLY, v.name, str(f), str(f.where)) for f in v.findings)
        error = res.load_error(v.name)
        if error is not None:
            out.findings.append(ReportFinding(FindingKind.LOAD, v.name, error))
    return out
