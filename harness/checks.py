"""The rule checks on outcomes (behaviour, equivalence, consistency) and the registry of every check kind."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from harness.codechecks import check_changelog, check_moves, check_source
from harness.configonly import SET as CONFIG_SET
from harness.configonly import WHY as CONFIG_WHY
from harness.configonly import assumed_built, assumed_names, judged_names, unbuilt_reached
from harness.consistency import check_consistency
from harness.coverage import absence_unknown, not_run_reason
from harness.explain import DiffClass, describe, explain
from harness.follow import follow_entries, with_follows
from harness.leafsame import leaf_differences, run_groups, unshown_leaf_sites
from harness.linecover import HINT, Compared, unrun_changes
from harness.matrix import EntryKind, Scenario
from harness.model import number_ranges
from harness.prfmt import assumed_pr_fmt
from harness.renamepair import paired_positions, rename_pairing, renamed_state
from harness.rules import (
    BehaviourCheck,
    ChangelogCheck,
    CheckSpec,
    ConsistencyCheck,
    EquivalenceCheck,
    Expect,
    MovesCheck,
    Rule,
    Selector,
    SourceCheck,
    patch_numbers,
)
from harness.unitmoves import unit_at, unit_gone
from harness.variants import Variant, parse_prefix, state_gap
from harness.verdict import (
    CheckContext,
    Evidence,
    Verdict,
    VerdictStatus,
    inconclusive,
    merge_reasons,
    not_applicable,
    not_run,
    reference,
    rule_place,
    unevaluated,
    verdict,
    with_gaps,
)
from models.outcome import Outcome, OutcomeStatus, comparable, idle_sides
from models.slicer import Kind
from reports.safe import counted

# A prefix no pattern is written for: the stand-in for a pr_fmt that is not known.
_OTHER_PREFIX = "<pr_fmt?>: "


def _readings(o: Outcome, assumed: str | None) -> list[list[str]]:
    """The log's lines as printed; when the unit's pr_fmt is an assumption (harness.prfmt.assumed_pr_fmt,
    ``assumed`` its prefix), also as they would be with no prefix and with another one."""
    texts = [ln.text for ln in o.log]
    if assumed is None:
        return [texts]

    def other(prefix: str) -> list[str]:
        if not assumed:  # every line might have had a prefix: printk()'s too, which is safe (more undecided)
            return [prefix + t for t in texts]
        return [prefix + t[len(assumed):] if t.startswith(assumed) else t for t in texts]
    return [texts, other(""), other(_OTHER_PREFIX)]


def _at_line_start(pattern: str) -> bool:
    """Whether a pattern is anchored at the start of the line (``^``, ``\\A``) anywhere outside a class."""
    bare = re.sub(r"\\.|\[(?:\\.|[^\]])*\]", "", pattern.replace("\\A", "^"))
    return "^" in bare


def _log_tests(o: Outcome, expect: Expect, assumed: str | None) -> tuple[list[tuple[bool, str]], list[str]]:
    """The log pattern tests as (passed, what), and the ones whose answer depends on an assumed pr_fmt."""
    readings = _readings(o, assumed)
    tests: list[tuple[bool, str]] = []
    undecided: list[str] = []
    for pats, want, what in ((expect.log_match, True, "a log line matching"),
                             (expect.log_not_match, False, "no log line matching")):
        for pat in pats:
            found = {any(pat.search(t) for t in texts) for texts in readings}
            if assumed is not None and _at_line_start(pat.pattern):
                found = {True, False}  # a pattern tied to the line's start reads the unknown prefix itself
            if len(found) > 1:
                undecided.append(f"{what} {pat.pattern}")
                continue
            ok = found.pop() is want and (want or not o.unrecorded_log)
            tests.append((ok, f"{what} {pat.pattern}"))
    return tests, undecided


def issued_leaves(o: Outcome, leaf: int) -> frozenset[int]:
    """The leaves of a run's SEAMCALLs that stand for its scenario's leaf: that leaf when the run issued it;
    else, for an entry point that issues a leaf of its own (a wrapper with a fixed leaf, ``int f(void)``),
    those of the same component (bit 63: P-SEAMLDR or TDX module, as models.machine tells them apart), which
    took the script's answers meant for that leaf. Empty when the run issued none of either."""
    if any(c.leaf == leaf for c in o.calls):
        return frozenset({leaf})
    return frozenset(c.leaf for c in o.calls if (c.leaf ^ leaf) >> 63 == 0)


def _retried(o: Outcome, leaf: int | None) -> bool:
    """Whether a SEAMCALL of the leaf (the scenario's, or what stands for it: issued_leaves; any leaf when None)
    that failed is followed, at once or after other calls, by another of the same leaf: a retry, however the
    loop is written (through another function, with a different leaf in between). A path that calls a leaf
    once is not a retry."""
    leaves = None if leaf is None else issued_leaves(o, leaf)
    failed: set[int] = set()
    for c in o.calls:
        if c.leaf in failed and (leaves is None or c.leaf in leaves):
            return True
        if c.returned:
            failed.add(c.leaf)
    return False


def _expectation_failures(o: Outcome, expect: Expect, assumed: str | None = None, leaf: int | None = None
                          ) -> tuple[list[tuple[str, str]], list[str]]:
    """What the outcome fails of the expectation, and the log tests an assumed pr_fmt leaves undecided. A
    run the time budget cut short fails every expectation (its behaviour is unknown); past a record cap,
    what cannot be seen counts against the rule. So does a run the C itself stopped (undefined behaviour, a
    runaway loop, a failed build check) unless the rule expects that error: what the code does past that point
    never ran, so a "no log line", "no event", "at most N calls" seen before it says nothing of the rest."""
    if not o.ran or (o.status is OutcomeStatus.ERROR and expect.status is not OutcomeStatus.ERROR):
        return [("a run that completes", describe(o))], []
    n = o.total_calls
    tests: list[tuple[bool, str]] = []
    if expect.calls is not None:
        tests.append((n == expect.calls, _seamcalls(expect.calls)))
    if expect.calls_at_most is not None:
        tests.append((n <= expect.calls_at_most, f"at most {_seamcalls(expect.calls_at_most)}"))
    if expect.calls_at_least is not None:
        tests.append((n >= expect.calls_at_least, f"at least {_seamcalls(expect.calls_at_least)}"))
    if expect.ret is not None:
        tests.append((o.ret == expect.ret, f"returns {expect.ret}"))
    if expect.errno is not None:
        tests.append(((o.errno or "none") == expect.errno, f"errno {expect.errno}"))
    if expect.status is not None:
        tests.append((o.status is expect.status, f"status {expect.status}"))
    logged, undecided = _log_tests(o, expect, assumed)
    tests.extend(logged)
    if expect.no_events:
        banned = {str(k) for k in expect.no_events}
        tests.append((not {e.kind for e in o.events} & banned and not o.unrecorded_events,
                      f"no {', '.join(expect.no_events)} events"))
    if expect.no_retry:  # past the record cap what follows is unseen: it counts against the rule
        tests.append((not _retried(o, leaf) and not o.unrecorded_calls,
                      "no SEAMCALL of the leaf issued again after it failed"))
    said: dict[str, str] = {}  # what a failed test saw, where describe(o) does not show it
    if expect.preempt_disabled:  # a SEAMCALL made where the task may move to another CPU (its state is per-CPU)
        bare = next((c for c in o.calls if c.preempt_count <= 0), None)
        tests.append((bare is None and not o.unrecorded_calls, PREEMPT_OFF))
        if bare is not None:
            said[PREEMPT_OFF] = f"{describe(o)}; {bare.function}() at {bare.where}, preempt count {bare.preempt_count}"
    return [(text, said.get(text, describe(o))) for ok, text in tests if not ok], undecided


PREEMPT_OFF = "every SEAMCALL issued with preemption disabled"


def _settle(rule: Rule, v: Variant, evidence: list[Evidence], note: str, unrun: str) -> Verdict:
    """Fail on evidence; otherwise a pass only when nothing provided was left unrun (else inconclusive)."""
    if evidence or not unrun:
        return verdict(rule, v, evidence, with_gaps(note, unrun))
    return inconclusive(rule, v, f"{note}, all as expected, but some could not run: {unrun}")


def unfed_seam_code(v: Variant, ctx: CheckContext, sel: Selector, ran: Iterable[str]) -> list[str]:
    """Functions and function-like macros of the variant that reach a SEAMCALL, that the selector's entry patterns
    name, yet neither run as an entry point (the matrix cannot feed their parameters: ``int f(unsigned int op,
    const char *why)``) nor are reached by one that ran (``ran``): code the rule speaks of that never ran."""
    if not sel.entry:
        return []
    from harness.discover import reaches_seam
    from harness.runner import variant_sources
    from models.closure import closure
    from models.loader import definitions

    table = definitions(variant_sources(v))
    reached = {d.name for d in closure(table, sorted(ran))}
    entries = {e.name for e in ctx.result.matrix.entries}
    out = []
    for name in sorted(reaches_seam(table) - reached - entries):
        d = table[name][0]
        if (d.kind is Kind.FUNCTION or d.params is not None) and any(fnmatch.fnmatchcase(name, p) for p in sel.entry):
            out.append(f"{name}() ({d.where}) reaches a SEAMCALL, but no entry point that ran reaches it, and the "
                       "matrix cannot feed its parameters to run it")
    return out


def check_behaviour(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext) -> Verdict:
    every = ctx.outcomes(v.name, spec.scenarios)
    outs = [(s, o) for s, o in every if o.ran]
    # An entry point mail alone does not show (its file known in fragments) is not absent: it did not run.
    missing = {s.id for s, o in every
               if o.status is OutcomeStatus.NOT_PROVIDED and not absence_unknown(v, s.entry.name)}
    absent = not_run(v, ctx, [(s, o) for s, o in every if s.id in missing])
    unrun = not_run(v, ctx, [(s, o) for s, o in every if not o.ran and s.id not in missing])
    if not outs:
        return inconclusive(rule, v, f"no selected scenario ran: {'; '.join(x for x in (unrun, absent) if x)}")
    evidence: list[Evidence] = []
    unknown: dict[str, None] = {}  # why a log test's answer is not known, once each
    uses_log = bool(spec.expect.log_match or spec.expect.log_not_match)
    paths = {s.unit.path for s, _ in outs} if uses_log else set()
    units = {path: assumed_pr_fmt(v, unit_at(v.moved, path)) for path in paths}
    for s, o in outs:
        assumed = units.get(s.unit.path)
        failures, undecided = _expectation_failures(o, spec.expect, assumed[0] if assumed else None, s.leaf)
        evidence.extend(Evidence(exp, act, s) for exp, act in failures)
        if undecided and assumed:
            unknown[f"{'; '.join(undecided)}: depends on the unit's pr_fmt, and {assumed[1]}"] = None
    unfed = unfed_seam_code(v, ctx, spec.scenarios, {s.entry.name for s, _ in outs})
    unrun = "; ".join(x for x in (unrun, *unknown, *unfed) if x)
    if spec.expect.same_across_leaves:
        differ, groups = leaf_differences(outs)
        if not groups and not evidence:
            return inconclusive(rule, v, f"no two selected scenarios that ran differ only in their leaf (of "
                                         f"{len(outs)} that ran): nothing shows whether the leaf changes what is done")
        evidence.extend(differ)
        note = f"{counted(groups, 'group')} of scenarios (same entry point, script and unit) compared across leaves"
        if not evidence:  # equal counts say nothing of a test of the leaf that never ran (harness.leafsame)
            # Only a test that came out both ways within one group compared across leaves was compared at all.
            unshown = unshown_leaf_sites(v, ctx.facts(v), run_groups(ctx, v, outs, apart=True),
                                         apart="scripts or units (groups compared apart)")
            unrun = "; ".join(x for x in (unrun, *unshown) if x)
        return _settle(rule, v, evidence, with_gaps(note, absent), unrun)
    if spec.expect.no_retry or spec.expect.preempt_disabled:
        # Only a scenario that issued its leaf can show a retry of it, or how a SEAMCALL is made; the others are
        # not evidence of none (a wrapper with a fixed leaf that retries it is evidence of one: _retried).
        tried = sum(1 for s, o in outs if any(c.leaf == s.leaf for c in o.calls))
        if not tried and not evidence:
            return inconclusive(rule, v, f"none of the {len(outs)} selected scenarios that ran issued a SEAMCALL "
                                         "of its leaf: nothing shows how one is issued, or issued again")
        note = f"{counted(tried, 'scenario')} checked (of {len(outs)} that ran, those that issued their leaf)"
        if spec.expect.no_retry and not evidence:  # a retry chosen by leaf for a leaf no scenario has (leafsame)
            unshown = unshown_leaf_sites(v, ctx.facts(v), run_groups(ctx, v, outs))
            unrun = "; ".join(x for x in (unrun, *unshown) if x)
        return _settle(rule, v, evidence, with_gaps(note, absent), unrun)
    return _settle(rule, v, evidence, with_gaps(f"{counted(len(outs), 'scenario')} checked", absent), unrun)


def check_equivalence(rule: Rule, spec: EquivalenceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    ref = reference(spec.reference, v, ctx, rule)
    ref_v = ctx.variant(ref) if ref else None
    if ref is None or ref_v is None:
        return inconclusive(rule, v, unevaluated(ref or spec.reference, ctx))
    if ref == v.name:
        return Verdict(rule, v.name, VerdictStatus.PASS, note="the variant is its own reference")
    evidence, pairs = [], []  # pairs: the positions compared, the reference's and the variant's
    # The comparison of the two variants, worked out once for every rule that needs it.
    cmp = ctx.compare(ref, v.name)
    differences = {d.scenario.id: d for d in cmp.differences}
    absent: dict[str, None] = {}
    unrun: dict[str, None] = {}
    reasons: dict[tuple[int, str, int], str] = {}  # equal outcomes are one object: a reason once per object
    entries: dict[str, None] = {}  # the entry points compared: the code the claim of sameness is about
    followed: dict[str, None] = {}  # the renames the pairs compared rest on
    position = ctx.result.matrix.position
    for s, a, b, was, at in _equivalence_rows(spec, ref_v, v, ctx):
        found = differences.get(s.id)
        alone = _one_sided(ref_v, v, was, s.entry.name, a, b) if s.entry.kind in _FOUND else None
        if alone is not None:
            # An entry point found in the code on one side only: nothing to compare it with, said so and never
            # counted as compared. A new one (a later patch's wrapper) had no behaviour to keep: the verdict rests
            # on the entry points both have. One that is gone took its behaviour with it: never a pass.
            (absent if a.status is OutcomeStatus.NOT_PROVIDED else unrun)[alone] = None
            continue
        if found and DiffClass.PROVIDED in found.classes and DiffClass.PROVIDED not in spec.ignore:
            # An entry point the code visibly defines on one side only (a patch adds or removes it): a difference,
            # never "did not run" and a pass on the others.
            had = "not provided" if a.status is OutcomeStatus.NOT_PROVIDED else "provided"
            evidence.append(Evidence(f"as {ref}: {s.entry.name}() {had}", "; ".join(found.notes), s))  # one per entry
            continue
        if not comparable(a, b):  # a side did not run, or neither built: nothing compared, never "the same"
            idle = idle_sides(a, b)
            for n, side, name, o in ((0, ref_v, was, a), (1, v, s.entry.name, b)):
                if idle[n]:
                    key = (n, name, id(o))
                    why = reasons.get(key)
                    if why is None:
                        why = reasons[key] = not_run_reason(side, name, o)
                    gone = unit_gone(v, s.unit.path) if n and a.ran else None  # its unit deleted: not kept
                    by_design = not gone and o.status is OutcomeStatus.NOT_PROVIDED and not absence_unknown(side, name)
                    (absent if by_design else unrun)[gone or why] = None
            continue
        pairs.append((at, position(s.id)))
        entries[was] = entries[s.entry.name] = None
        if was != s.entry.name:  # a row a rename pairs (harness.renamepair): the rename it rests on is said
            followed.update({r.note: None for r in cmp.renamed if r.new == s.entry.name})
        # An unknown outcome (LIMIT) is never ignored: ignoring it could pass what never ran.
        classes = tuple(c for c in found.classes if c not in spec.ignore or c is DiffClass.LIMIT) if found else ()
        if classes:
            notes = found.notes if found and classes == found.classes else tuple(explain(a, b, classes))
            evidence.append(Evidence(f"as {ref}: {describe(a)}", f"{describe(b)} ({'; '.join(notes)})", s))
    gone = "; ".join(why for why, _ in merge_reasons(dict.fromkeys(absent, 1)))
    lost = "; ".join(why for why, _ in merge_reasons(dict.fromkeys(unrun, 1)))
    if not evidence:  # the same where both ran; code that differs but never ran is not known to be the same
        names, held = sorted(entries), _compared(ctx, ref, v.name, pairs)
        lines = ctx.once(("unrun", ref, v.name, *names, *pairs),
                         lambda: unrun_changes(ref_v, v, ctx.result, names, compared=held))
        lost = "; ".join(x for x in (lost, *lines, *((HINT,) if lines else ())) if x)
    if not pairs:
        return inconclusive(rule, v, f"nothing compared with {ref}: {'; '.join(x for x in (lost, gone) if x)}")
    said = "; ".join([f"{counted(len(pairs), 'scenario')} compared with {ref}", *followed])
    return _settle(rule, v, evidence, with_gaps(said, gone), lost)


_FOUND = (EntryKind.DISCOVERED, EntryKind.CHANGED)


def _one_sided(ref: Variant, v: Variant, was: str, name: str, a: Outcome, b: Outcome) -> str | None:
    """Why an entry point that one side provides and the other by design does not (added or removed between
    them) is not compared; None unless so (a lack the code read cannot show, absence_unknown, is said as not
    run, and leaves a pass inconclusive)."""
    missing = a.status is OutcomeStatus.NOT_PROVIDED, b.status is OutcomeStatus.NOT_PROVIDED
    if missing[0] == missing[1] or absence_unknown(*((ref, was) if missing[0] else (v, name))):
        return None  # both or neither, or a lack the code read does not show: said as not run
    if missing[0]:
        return f"{name}() is new in {v.name} ({ref.name} does not provide it): not compared, nothing to compare it with"
    return f"{was}() is gone from {v.name} (only {ref.name} provides it): not compared, nothing to compare it with"


def _compared(ctx: CheckContext, ref: str, v: str, pairs: list[tuple[int, int]]) -> Compared:
    """The runs an equivalence compared, for the changed lines they must have run (harness.linecover): a line only
    scenarios it did not compare ran (another component's leaves) shows nothing of those it did."""
    scenarios = ctx.result.matrix.scenarios
    bits = {scenarios[p].leaf >> 63 for pair in pairs for p in pair}
    return Compared({ref: tuple(sorted({p for p, _ in pairs})), v: tuple(sorted({q for _, q in pairs}))},
                    bits.pop() if len(bits) == 1 else None, ctx.facts)


def _equivalence_rows(spec: EquivalenceCheck, ref: Variant, v: Variant, ctx: CheckContext
                      ) -> list[tuple[Scenario, Outcome, Outcome, str, int]]:
    """(scenario, the reference's outcome, the variant's, the entry point's name in the reference, the position of
    the reference's scenario) of each scenario selected; an entry point a change between them shows renamed is
    paired with its old self (harness.renamepair): the old name's scenario in the reference against the new name's
    twin in the variant, once, under the new name's scenario (its static locals' state named after the new
    function)."""
    pairing = rename_pairing(ctx.result, ctx.series, ref, v)
    rows = ctx.result.outcomes_of(ref.name), ctx.result.outcomes_of(v.name)
    scenarios = ctx.result.matrix.scenarios
    to_new = paired_positions(ctx.result, pairing)
    to_old = {q: p for p, q in to_new.items()}
    out: list[tuple[Scenario, Outcome, Outcome, str, int]] = []
    done: set[int] = set()
    for s in ctx.selected(spec.scenarios):
        p = ctx.result.matrix.position(s.id)
        q = to_new.get(p)
        if q is None and p in to_old:
            p, q = to_old[p], p
        if q is None:
            out.append((s, rows[0][p], rows[1][p], s.entry.name, p))
        elif q not in done:
            done.add(q)
            out.append((scenarios[q], renamed_state(rows[0][p], pairing.names), rows[1][q], scenarios[p].entry.name,
                        p))
    if not spec.scenarios.entry:
        # "Every entry point" claims sameness of all SEAMCALL code: an entry point found in the code (a wrapper the
        # matrix does not name) that both sides provide is compared too, else a retry added to it would pass.
        found = replace(spec.scenarios, entry=("*",))
        out += [(s, rows[0][p], rows[1][p], s.entry.name, p) for p, s in enumerate(scenarios)
                if s.entry.kind in _FOUND and found.picks(s)
                and (rows[0][p].status, rows[1][p].status) != (OutcomeStatus.NOT_PROVIDED,) * 2]
    return out


# kind -> (the spec its [rule.check] table is read into, the function that judges it)
REGISTRY: dict[str, tuple[type[CheckSpec], Callable[..., Verdict]]] = {
    "behaviour": (BehaviourCheck, check_behaviour),
    "equivalence": (EquivalenceCheck, check_equivalence),
    "consistency": (ConsistencyCheck, check_consistency),
    "source": (SourceCheck, check_source),
    "changelog": (ChangelogCheck, check_changelog),
    "moves": (MovesCheck, check_moves),
}
SPECS: dict[str, type[CheckSpec]] = {kind: spec for kind, (spec, _) in REGISTRY.items()}


def _seamcalls(n: int) -> str:
    return f"{n} SEAMCALL{'' if n == 1 else 's'}"


def _needs_patch(rule: Rule) -> bool:
    """Whether the rule reads its patch itself (its changelog, or the state before it); other rules judge the
    variant's own code whether or not the revision has the patch."""
    if isinstance(rule.check, ChangelogCheck) and rule.check.patch is None:
        return True
    return getattr(rule.check, "reference", None) == "before:patch"


def _numbered(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict | None:
    """n/a when a patch the rule names by number (harness.rules.patch_numbers) is past the variant's revision or
    its prefix; inconclusive when the variant would hold it but the input does not (a mail not given): the rule
    is about that patch, so neither "not applicable" nor the code without it may stand for it."""
    rev = ctx.series.revision(v.revision) if v.revision is not None else None
    if rev is None:
        return None
    # A reviewer's proposal that starts before the patch stands in for it (before:N is then its start).
    start = parse_prefix(v.start)[1] if v.start is not None else None
    upto = v.prefix if v.start is None and v.name != rev.name else None
    for n, _ in patch_numbers(rule):
        if n > rev.total:
            return not_applicable(rule, v, f"v{rev.version} has {rev.total} patches: none is numbered {n}")
        if start is not None and start < n:
            continue
        if upto is not None and upto < n:
            return not_applicable(rule, v, f"the variant stops before patch {n:02d}")
        if rev.patch(n) is None:
            width = max(2, len(str(rev.total)))
            return inconclusive(rule, v, f"v{rev.version} {n:0{width}d}/{rev.total}, the patch the rule names, is "
                                         "not in the input: give every patch of the revision")
    return None


def applicable(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict | None:
    """The verdict when the rule's subject is absent by design (n/a), or None when the rule applies."""
    numbered = _numbered(rule, v, ctx)
    if numbered is not None:
        return numbered
    place = rule_place(rule, v, ctx)
    if place is not None and place.missing:
        rev = ctx.series.revision(v.revision) if v.revision is not None else None
        if rev is not None and v.name != rev.name and v.prefix is not None and min(rev.missing) > v.prefix:
            # Wherever the rule's patch is among those the input lacks, this state stops before it.
            return not_applicable(rule, v, f"the variant stops before v{rev.version} "
                                           f"{number_ranges(rev.missing)}, one of which the rule's patch is")
        return inconclusive(rule, v, place.dropped or "the rule's patch is not in the input")
    if place is not None and place.number is not None and v.prefix is not None and v.prefix < place.number:
        return not_applicable(rule, v, f"the variant stops before patch {place.number:02d}")
    if place is not None and place.dropped is not None and v.prefix is not None and v.prefix <= place.anchor:
        return not_applicable(rule, v, f"{place.dropped}; the variant stops before where it was")
    gap = state_gap(v, ctx.series)
    if gap is not None and not isinstance(rule.check, ChangelogCheck):
        return inconclusive(rule, v, gap)
    if rule.requires_entry is not None:
        outs = ctx.outcomes(v.name, entry=rule.requires_entry)
        if all(o.status is OutcomeStatus.NOT_PROVIDED for _, o in outs):
            why = not_run_reason(v, rule.requires_entry, outs[0][1]) if outs else "no scenario uses it"
            if "known only from hunks" in why:
                return inconclusive(rule, v, why)
            return not_applicable(rule, v, f"the variant does not provide {rule.requires_entry}")
    return None


def run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    """The rule's verdict on one variant; a rule whose patch was dropped says so in its note, and one naming an
    entry point the variant shows renamed judges the new name and says so (harness.follow)."""
    judged, seen = follow_entries(rule, v, ctx)
    found = _run_check(judged, v, ctx)
    return with_follows(found, rule, seen) if seen else found


def _configured(rule: Rule, v: Variant, ctx: CheckContext, found: Verdict) -> Verdict:
    """A pass whose reached code has lines only another kernel configuration builds is inconclusive, naming
    them (harness.configonly): the mirror ran, and the source check read, one configuration."""
    if found.status is not VerdictStatus.PASS:
        return found
    selected = sorted({s.entry.name for s in ctx.selected(rule.check.scenarios)}) \
        if isinstance(rule.check, (BehaviourCheck, EquivalenceCheck)) else []
    every = sorted({s.entry.name for s in ctx.result.matrix.scenarios})
    if (taken := assumed_built(v, assumed_names(rule.check, selected, every))):  # the harness reads no .config
        found = replace(found, note="; ".join([*filter(None, [found.note]), *taken, CONFIG_SET]))
    names = judged_names(rule.check, selected, every)
    if not names:
        return found
    unbuilt = ctx.once(("config-only", v.name, tuple(names)), lambda: unbuilt_reached(v, names))
    if not unbuilt:
        return found
    said = f"some code did not run: {'; '.join(unbuilt)}: {CONFIG_WHY}"
    return inconclusive(rule, v, f"{found.note}, all as expected, but {said}" if found.note else said)


def _run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    absent = applicable(rule, v, ctx)
    if absent is not None:
        return absent
    spec_type, check = REGISTRY[rule.kind]
    assert isinstance(rule.check, spec_type)  # load_rules read the table with this very spec
    found = _configured(rule, v, ctx, check(rule, rule.check, v, ctx))
    place = rule_place(rule, v, ctx)
    if place is not None and place.alike is not None and isinstance(rule.check, ChangelogCheck) \
            and rule.check.patch is None and found.status is VerdictStatus.NOT_APPLICABLE:
        # "Dropped" by title, yet a patch names the old title or changes the same lines: reworded, perhaps.
        # Never a silent n/a.
        return inconclusive(rule, v, f"{place.dropped}? {place.alike}: if it is the same patch with a new "
                                     "title, name the rule's patch by words both titles share")
    if place is not None and place.nowhere and _needs_patch(rule):
        # A misspelt title, or a patch dropped before every revision given: what the rule reads of the patch
        # is not known, so neither a pass nor a failure stands (and never a silent n/a).
        said = f"; judged with the revision's base as 'before' it would be {found.status}" \
            if found.status in (VerdictStatus.PASS, VerdictStatus.FAIL) else ""
        return inconclusive(rule, v, (place.dropped or "") + said + (f"; {found.note}" if found.note else ""))
    if place is not None and place.dropped is not None and found.status is not VerdictStatus.NOT_APPLICABLE:
        note = f"{place.dropped}: judged on {v.name}'s own code" + (f"; {found.note}" if found.note else "")
        return Verdict(found.rule, found.variant, found.status, found.evidence, note, found.more)
    return found
