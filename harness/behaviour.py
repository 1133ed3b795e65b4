"""The behaviour check: each selected scenario's outcome against the rule's expectation.

It also says what keeps a pass from standing: code the rule speaks of that never ran, a retry no run took, an entry
point found in the code.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import replace

from harness.expectations import expectation_failures, issued_leaves, log_tests
from harness.leafsame import leaf_differences, run_groups, unshown_leaf_sites
from harness.linecover import HINT, one_way_tests
from harness.logsites import unseen_prints
from harness.matrix import EntryKind, Scenario
from harness.nestedretry import nested_retries
from harness.notrun import by_run, not_run, own_leaves, unnamed_found
from harness.prfmt import assumed_pr_fmt
from harness.rebudget import Stuck
from harness.retrybound import module_parameters, parameter_counts, unshown_bounds
from harness.rules import BehaviourCheck, Expect, Rule
from harness.runcover import bit63_fixed, other_bits_stores, started_alike
from harness.unfedseam import unfed_seam_code
from harness.unitmoves import unit_at
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, settle
from models.facts import CodeFacts
from models.leafabi import same_leaf
from models.outcome import REPORT_ONLY_STATE, SEAM_FUNCTIONS, Outcome, OutcomeStatus
from models.outparams import is_out_label
from models.slicer import Kind
from reports.safe import counted

# expectation_failures by (outcome number: MatrixResult.numbers_of, read in C, not id(), an audit event the recording's
# Python hook reads; another outcome by value, assumed pr_fmt, leaf): what each outcome failed, read-only.
_Tested = dict[tuple[int | Outcome, str | None, int], tuple[list[tuple[str, str]], list[str]]]


def _tested(ctx: CheckContext, expect: Expect) -> _Tested:
    """The outcomes tested against ``expect`` so far in this judgement. Equal outcomes are one object, met again in
    every variant that runs the same code: each is tested once per assumed pr_fmt and leaf (6,460 tests, 1,974
    distinct, in the corpus' eval). The table holds the expectation, so that its id stays its own."""
    return ctx.once(("expectation", id(expect)), lambda: (expect, _Tested()))[1]


def check_behaviour(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext) -> Verdict:
    outs, lacking, idle = by_run(v, ctx.outcomes(v.name, spec.scenarios), ctx.variant(v.start) if v.start else None)
    absent, unrun = not_run(v, ctx, lacking), not_run(v, ctx, idle)
    if not outs:
        why = "; ".join(x for x in (unnamed_found(spec.scenarios, v, ctx), unrun, absent) if x)
        return inconclusive(rule, v, f"no selected scenario ran: {why}")
    uses_log = bool(spec.expect.log_match or spec.expect.log_not_match)
    evidence, unknown = _expected(rule, spec, v, ctx, outs, uses_log)
    unran, unmet_all = _unselected(rule, spec, v, ctx, uses_log)
    unfed = unfed_seam_code(v, ctx, spec.scenarios, {s.entry.name for s, _ in outs}) + unran
    unmet = "; ".join(unmet_all)  # ran, and break it: said as that, never among what could not run
    checked = f"{counted(len(outs), 'scenario')} checked"
    if not evidence and (spec.expect.calls is not None or spec.expect.calls_at_most is not None):
        unfed += _nested(v, ctx, outs)  # a bound the runs met one retry loop at a time
    if not evidence and spec.expect.calls_at_most is not None:  # a bound the runs met where their answers ran out
        unfed += unshown_bounds(outs, spec.expect.calls_at_most)
    # An exact count or a least one too, short of a retry no run took (as no_retry's) or at a module parameter's
    # initial value ('sc_tries=1' makes one SEAMCALL). Not where the answers ran out: 'calls = 2' on one 'no entropy'
    # then success is that script's count, whatever the loop's own bound (gcc: 2 for any loop of 2 tries or more).
    if not evidence and any(n is not None for n in (spec.expect.calls, spec.expect.calls_at_most,
                                                    spec.expect.calls_at_least)):
        one_way, nothing = ([], []) if spec.expect.no_retry else _retry_tests_unshown(v, ctx, outs)
        unfed += [*one_way, *([HINT] if one_way else []), *_parameters(v, ctx, outs)]
        checked = "; ".join([checked, *nothing])
    printing = uses_log or bool(spec.expect.no_events)  # a once or ratelimit state changes only what is printed
    unrun = "; ".join(x for x in (unrun, *unknown, *unfed, *_state_left(outs, printing)) if x)
    if uses_log and not evidence:  # a printk-family call no run made printed nothing the patterns read
        patterns = (*spec.expect.log_match, *spec.expect.log_not_match)
        unrun = "; ".join(x for x in (unrun, *unseen_prints(v, ctx, outs, patterns)) if x)
    if spec.expect.same_across_leaves:
        return _across_leaves(rule, v, ctx, outs, evidence, absent, (unrun, unmet))
    if spec.expect.no_retry or spec.expect.preempt_disabled:
        return _as_issued(rule, spec, v, ctx, outs, evidence, absent, (unrun, unmet))
    if not evidence and spec.expect.met_by_no_call and not any(issued_leaves(o, s.leaf) for s, o in outs):
        return inconclusive(rule, v, f"none of the {len(outs)} selected scenarios that ran issued a SEAMCALL of its "
                                     "leaf (nor of its leaf's component): the code refuses the leaf or reaches no "
                                     "SEAMCALL, and what the rule asks holds of a run that makes none"
                                     + "".join(f"; {x}" for x in (absent, unrun, unmet) if x))
    return settle(rule, v, evidence, checked, unrun, absent, unmet)


def _nested(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]]) -> list[str]:
    """harness.nestedretry's notes on the code the selected scenarios' entry points reach."""
    from models.loader import EntryPoint

    entries = tuple(EntryPoint(e.name, e.args) for e in ctx.result.matrix.entries)
    return nested_retries(v, entries, {s.entry.name for s, _ in outs}, ctx.result.store)


def _parameters(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]]) -> list[str]:
    """harness.retrybound.parameter_counts of the code the selected scenarios' entry points reach."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return []  # said by unshown_leaf_sites and the runs that could not load
    from harness.runner import variant_sources
    from models.loader import definitions

    params = ctx.once(("set outside the runs", v.name), lambda: set_outside(v, ctx, facts))
    units = tuple(sorted({s.unit.name for s, _ in outs}))
    params = ctx.once(("left by other runs", v.name, units), lambda: _left_by_runs(v, ctx, units)) | params
    entries = frozenset(s.entry.name for s, _ in outs)
    params = ctx.once(("stored where no run ran", v.name, entries), lambda: _stored_unrun(v, ctx, facts, entries)) \
        | params
    if not params:
        return []
    return parameter_counts(facts, params, {s.entry.name for s, _ in outs}, definitions(variant_sources(v)))


def _stored_unrun(v: Variant, ctx: CheckContext, facts: CodeFacts, entries: frozenset[str]) -> dict[str, str]:
    """The file-scope variables a function ``entries`` reach stores to on a line no run executed (an answer no
    script gives: 'if (err == X) sc_busy_code = ...;'), each with the first such line: a later call starts from
    that value, and no run does."""
    from harness.macrostores import file_macros
    from harness.outsidewrites import stored_lines
    from harness.runcover import runs_of
    from harness.runner import variant_sources
    from models.loader import definitions

    table = definitions(variant_sources(v))
    names = {n for n, ds in table.items() if any(d.kind is Kind.VARIABLE for d in ds)}
    runs, macros = runs_of(ctx.result, v.name), file_macros(table, names)
    found: dict[str, str] = {}
    for fn in sorted({f for e in entries for f in facts.entry_reach.get(e, ())}):
        for d in (d for d in table.get(fn, []) if d.kind is Kind.FUNCTION):
            for name, line in stored_lines(d, names, macros):
                if not runs.line_ran(d, line):
                    found.setdefault(name, f"a variable {fn}() stores to on a line no run executed ({d.path}:{line})")
    return found


def _left_by_runs(v: Variant, ctx: CheckContext, units: tuple[str, ...]) -> dict[str, str]:
    """The variables a run of the variant in one of ``units`` (a static's copy is its translation unit's) leaves
    changed, any entry point, leaf or script (one the rule does not select: a '#UD' answer that makes the P-SEAMLDR's
    code the one retried), each with the first such run: a later call starts from that value, and no run does
    (_state_left says it of the selected runs). The state of a pr_*_once() or ratelimit, and the kernel's own that
    gates a report alone, aside (models.outcome.REPORT_ONLY_STATE)."""
    left: dict[str, str] = {}
    for s, o in ctx.outcomes(v.name):
        if o.ran and s.unit.name in units:
            for name, value in o.state:
                if "()" not in name and name not in REPORT_ONLY_STATE and not is_out_label(name):
                    left.setdefault(name, f"a variable a run leaves changed ({name} = {value} after "
                                          f"{s.shown()}), which no run starts from")
    return left


def set_outside(v: Variant, ctx: CheckContext, facts: CodeFacts) -> dict[str, str]:
    """The variables set from outside the runs, each with what sets it: a module parameter (where it is made), or
    code no run executes (harness.outsidewrites: a __setup() handler, a debugfs file, a setter nothing calls; one
    of external linkage unless --tree shows every file that may set it read, harness.externsettled)."""
    from harness.externsettled import settled_externals
    from harness.outsidewrites import facts_outside  # with models.loader, loaded where a count is read
    from harness.runner import variant_sources

    sources = variant_sources(v)
    linkage = settled_externals(v, sources, ctx.tree_names, {n for ns in facts.names.values() for n in ns})
    found = {name: f"a module parameter ({at})" for name, at in module_parameters(sources).items()}
    return found | {name: f"a variable code no run executes may set: {why}"
                    for name, why in facts_outside(sources, facts, ctx.result.store, linkage) if name not in found}


def _unselected(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext, uses_log: bool
                ) -> tuple[list[str], list[str]]:
    """Entry points found in the code (harness.discover) that the rule leaves out, having no entry pattern (it was
    written against the matrix's) or patterns none of which names them (a wrapper a later revision added under
    another name), whose runs under its leaves and scripts issue their leaf and break what it expects: a wrapper
    of the variant's own that retries a P-SEAMLDR call is code the point is about, so the rule does not pass over
    it (named, once each: give it to scenarios.entry to judge it). The matrix's own entry points a list leaves
    out were the author's to name: left out on purpose. (those that could not run, those that ran and break it)."""
    named = spec.scenarios.entry
    how = f"scenarios.entry does not name ({', '.join(named)})" if named \
        else "scenarios leave out (no entry pattern: the matrix's own)"
    # Those that ran (by_run's first part), of entry points found in the code: the matrix's own are most of them.
    every = ctx.outcomes(v.name, replace(spec.scenarios, entry=("*",)))
    found = {s.entry.name for s, _ in every if s.entry.kind in _FOUND}  # each name matched once, not once per run
    unnamed = {n for n in found if not any(fnmatch.fnmatchcase(n, p) for p in named)}
    left = [(s, o) for s, o in every if s.entry.kind in _FOUND and s.entry.name in unnamed]
    mine = [(s, o) for s, o in left if o.ran and issued_leaves(o, s.leaf)]
    said = _unran_found(left, how)
    if not mine:
        return list(said.values()), []
    unmet: dict[str, str] = {}
    broken = _expected(rule, spec, v, ctx, mine, uses_log)[0]
    if spec.expect.same_across_leaves:  # a wrapper of its own choosing by leaf
        broken += leaf_differences(mine)[0]
    for e in broken:
        if e.scenario is not None and e.scenario.entry.name not in said | unmet:
            unmet[e.scenario.entry.name] = f"{e.scenario.entry.name}(), an entry point found in the code that the " \
                f"rule's {how}, does not meet it: {e.scenario.shown(e.issued)}: expected {e.expected}; got " \
                f"{e.actual} (name it in scenarios.entry to judge it)"
    return list(said.values()), list(unmet.values())



# Entry points of the code itself: a wrapper harness.discover found, or a function a patch changes that is run
# directly (mail alone: no usual entry reaches it).
_FOUND = (EntryKind.DISCOVERED, EntryKind.CHANGED)


def _unran_found(left: list[tuple[Scenario, Outcome]], how: str) -> dict[str, str]:
    """Entry points found in the code that the rule leaves out and that ran under none of its leaves and scripts
    (the mirror could not run them: a function known only from hunks, a callee no file defines): whether they meet
    the rule is not known, so a pass does not stand on them (a found wrapper that ran and breaks it is
    inconclusive; one that could not run may be the same). {name: note}, once each."""
    ran = {s.entry.name for s, o in left if o.ran}
    said: dict[str, str] = {}
    for s, o in left:
        name = s.entry.name
        if name in ran or name in said or o.status is OutcomeStatus.NOT_PROVIDED:
            continue
        why = o.error or "cut short by the budget"
        said[name] = f"{name}(), an entry point found in the code that the rule's {how}, could not run, so " \
            f"whether it meets the rule is not known: {s.shown()}: {why}"
    return said


def _expected(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]],
              uses_log: bool) -> tuple[list[Evidence], dict[str, None]]:
    """Each run tested against the rule's expectation (once per outcome, pr_fmt and leaf): the failures as evidence
    (a log test's pattern with it, for the JSON), and why a test's answer is not known, once each (a log test that
    depends on an assumed pr_fmt among them)."""
    def place(key: str) -> str:
        return str(rule.place(key))

    patterns = {said: pat.pattern for _, pat, said in log_tests(spec.expect, place)}
    evidence: list[Evidence] = []
    unknown: dict[str, None] = {}
    paths = {s.unit.path for s, _ in outs} if uses_log else set()
    units = {path: assumed_pr_fmt(v, unit_at(v.moved, path)) for path in paths}
    tested = _tested(ctx, spec.expect)
    row, numbers, at = ctx.result.outcomes_of(v.name), ctx.result.numbers_of(v.name), ctx.result.matrix.positions
    for s, o in outs:
        assumed = units.get(s.unit.path)
        prefix = assumed[0] if assumed else None
        found = tested.get(key := (numbers[p] if row[p := at.get(s.id, -1)] is o else o, prefix, s.leaf))
        if found is None:
            found = tested[key] = expectation_failures(o, spec.expect, prefix, s.leaf, place, s.leaf_name)
        failures, undecided = found
        if not failures and not undecided:
            continue  # most runs: met, and known to be
        evidence.extend(Evidence(exp, act, s, pattern=patterns.get(exp, "")) for exp, act in failures)
        unknown.update(dict.fromkeys(u for u in undecided if isinstance(u, Stuck)))
        undecided = [u for u in undecided if not isinstance(u, Stuck)]
        if undecided and assumed:
            unknown[f"{'; '.join(undecided)}: depends on the unit's pr_fmt, and {assumed[1]}"] = None
    return evidence, unknown


def _across_leaves(rule: Rule, v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]],
                   evidence: list[Evidence], absent: str, gaps: tuple[str, str]) -> Verdict:
    """same_across_leaves: runs that differ only in their leaf compared group by group. ``gaps``: what could not
    run, and the entry points found in the code that ran and break the rule (check_behaviour)."""
    unrun, unmet = gaps
    differ, groups = leaf_differences(outs)
    if not groups and not evidence:
        return inconclusive(rule, v, f"no two selected scenarios that ran differ only in their leaf (of "
                                     f"{len(outs)} that ran): nothing shows whether the leaf changes what is done")
    evidence.extend(differ)
    if not evidence and not any(issued_leaves(o, s.leaf) for s, o in outs):  # alike in doing nothing
        return inconclusive(rule, v, f"none of the {len(outs)} selected scenarios that ran issued a SEAMCALL of "
                                     "its leaf (nor of its leaf's component): runs that make none are alike "
                                     "whatever the code would do with the leaf"
                                     + "".join(f"; {x}" for x in (absent, unrun, unmet) if x))
    note = f"{counted(groups, 'group')} of scenarios (same entry point, script and unit) compared across leaves"
    if not evidence:  # equal counts say nothing of a test of the leaf that never ran (harness.leafsame)
        # Only a test that came out both ways within one group compared across leaves was compared at all.
        groups_ran = run_groups(ctx, v, outs, apart=True)
        unshown = unshown_leaf_sites(v, ctx.facts(v), groups_ran, apart="scripts or units (groups compared apart)",
                                     fixed=other_bits_stores(ctx.facts(v), groups_ran))
        unrun = "; ".join(x for x in (unrun, *unshown) if x)
    return settle(rule, v, evidence, note, unrun, absent, unmet)


def _as_issued(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]],
               evidence: list[Evidence], absent: str, gaps: tuple[str, str]) -> Verdict:
    """no_retry, preempt_disabled: judged on the runs that issued their leaf (``gaps`` as _across_leaves')."""
    unrun, unmet = gaps
    # Only a scenario that issued its leaf can show a retry of it, or how a SEAMCALL is made; the others are
    # not evidence of none (a wrapper with a fixed leaf that retries it is evidence of one: harness.expectations).
    tried = sum(1 for s, o in outs if any(same_leaf(c.leaf, s.leaf) for c in o.calls))  # in any version
    own = own_leaves(outs) if not tried else ""  # a wrapper with a fixed leaf: say so, else this reads false
    if not tried and not evidence:
        return inconclusive(rule, v, f"none of the {len(outs)} selected scenarios that ran issued a SEAMCALL "
                                     f"of its leaf{f' ({own})' if own else ''}: nothing shows how one is issued, "
                                     "or issued again" + "".join(f"; {x}" for x in (absent, unrun, unmet) if x))
    note = f"{counted(tried, 'scenario')} checked (of {len(outs)} that ran, those that issued their leaf" + (
        f"; {own}: a retry of it is evidence, its absence is not)" if own else ")")
    if spec.expect.no_retry and not evidence:  # a retry chosen by leaf for a leaf no scenario has (leafsame)
        ran = run_groups(ctx, v, outs)
        unshown = [x for x in unshown_leaf_sites(v, ctx.facts(v), ran, fixed=_bit63_fixed(v, ctx, outs, ran))
                   if x != HINT]
        one_way, nothing = _retry_tests_unshown(v, ctx, outs)
        unshown += one_way + _parameters(v, ctx, outs)  # a retry code or count set from outside the runs
        note = "; ".join([note, *nothing])
        unrun = "; ".join(x for x in (unrun, *unshown, *([HINT] if unshown else [])) if x)
    return settle(rule, v, evidence, note, unrun, absent, unmet)


def _state_left(outs: list[tuple[Scenario, Outcome]], printing: bool) -> list[str]:
    """A run that leaves a file-scope or static variable changed (a retry budget kept across calls) shows a first
    call alone: each scenario starts from the initial state, and no run starts from the one a call leaves, from
    which a later call may retry, print or return otherwise. The state of a pr_err_once(), WARN_ONCE() or ratelimit
    (``f::pr_err_once()``, models.mirror.once_state), or the kernel's own that gates a report alone (might_sleep()'s,
    models.outcome.REPORT_ONLY_STATE), counts only for a rule on what is printed or reported (``printing``); not a
    site whose arguments change what C reads (``f::pr_warn_once(...)``: skipped once it stops printing)."""
    left = {f"{name} = {value}": s for s, o in outs if o.ran for name, value in o.state
            if not is_out_label(name) and (printing or ("()" not in name and name not in REPORT_ONLY_STATE))}
    if not left:
        return []
    (first, s), more = next(iter(left.items())), len(left) - 1
    also = f" and {more} more" if more else ""
    return [f"a run leaves state a later call starts from ({first} after {s.shown()}{also}), and no run starts from "
            "it: the rule is shown for a first call only"]


def _bit63_fixed(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]], entries: Iterable[str]
                 ) -> dict[str, dict[str, str]]:
    """Per entry point, what bit 63 of the judged leaves fixes in its runs (runcover.bit63_fixed; either value's
    where they differ in it): a wrapper's 'if (!is_seamldr_call(fn)) return -EINVAL;' cannot come out true for a
    P-SEAMLDR leaf, so its one side shows all a rule on those leaves asks of it, as for equivalence."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return {}
    bits = {s.leaf >> 63 for s, _ in outs}
    bit = bits.pop() if len(bits) == 1 else None
    return {e: bit63_fixed(facts, {e}, bit) for e in entries}


def _retry_tests_unshown(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]]
                         ) -> tuple[list[str], list[str]]:
    """The tests of the functions with a retry loop (models.retryloop) that the selected entry points reach,
    that no run of the variant starting as a selected one does (runcover.started_alike) took both ways: a retry
    under a flag never set, or a count never reached ('err == NO_ENTROPY && sc_retry_ldr'), or on inputs only an
    unselected script sets ('&& args->rcx'), may reissue a failed SEAMCALL in code no such run executed. Not a
    loop's test that retries for no answer (models.idleloop: a helper true for none): what that decides the other
    way is no code, and the second list says so, for the verdict's note."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return [], []  # said by unshown_leaf_sites
    entries = {s.entry.name for s, _ in outs}
    # A macro entry point's own loop (its expansion) is the entry's, besides the functions it reaches.
    loops = {f: facts.retry_roles[f].where for e in entries for f in (e, *facts.entry_reach.get(e, ()))
             if f in facts.retry_roles}
    idle = {f: facts.retry_roles[f] for f in loops if facts.retry_roles[f].idle}
    # A retry needs no loop: a second SEAMCALL after a failed one ('if (err == NO_ENTROPY && knob) err = op(...)').
    again = reissuing(facts, {f for e in entries for f in facts.entry_reach.get(e, ())} - set(loops))
    settled = frozenset(at for r in idle.values() for at in r.idle_at)
    said = [f"{f}()'s retry loop ({r.where or facts.where.get(f, '')}) retries nothing: {r.idle}"
            for f, r in sorted(idle.items())]
    alike = started_alike(ctx.result, (s for s, _ in outs))
    return one_way_tests(ctx.result, v, {**loops, **again}, facts, entries, settled, alike), said


def reissuing(facts: CodeFacts, names: set[str]) -> dict[str, str]:
    """Of ``names``, the functions with two or more call sites that make a SEAMCALL (a SEAMCALL primitive, a
    function that reaches one, or a parameter some caller hands one, or anything, through): each may issue one
    again after another failed, with no loop (function -> its file:line)."""
    issuing = set(SEAM_FUNCTIONS)
    grew = True
    while grew:  # a fixed point over the few functions the entry points reach
        grew = False
        for f, calls in facts.calls.items():
            if f not in issuing and any(_issues(facts, f, c, issuing) for c in calls):
                issuing.add(f)
                grew = True
    return {f: facts.where[f] for f in sorted(names) if f in facts.where
            and sum(n for c, n in facts.calls.get(f, {}).items() if _issues(facts, f, c, issuing)) >= 2}


def _issues(facts: CodeFacts, fn: str, callee: str, issuing: set[str]) -> bool:
    """Whether ``fn``'s call of ``callee`` makes a SEAMCALL: a function that does, or its parameter that callers
    hand one (or what cannot be told: "" in CodeFacts.passed)."""
    handed = facts.passed.get(fn, {}).get(callee)
    return callee in issuing or (handed is not None and any(h == "" or h in issuing for h in handed))
