"""Value coverage of changed conditions: answers next to what a changed condition tests, run on both sides.

A comparison says "no behaviour change" of the scenarios that ran; a changed condition (``err != X`` made
``(err & ~BIT_ULL(40)) != X``, ``err == A`` made ``err == A || err == B``, a mask or shift on a status) that no
scripted answer takes differently is no change they can show. For each decision whose parsed condition differs
between the two sides (its text, or a constant it reaches: macros are expanded), models.neighbours derives the
status values next to the constants it tests; every entry point whose code differs between the sides and that
reaches a changed decision is run once more per leaf its scenarios take (and start: CPU, context, CPU features),
with each value as the first SEAMCALL answer and SUCCESS after it (``neighbour-0x...`` scripts), on both sides, and
a difference is said as any other
(its scenario, what each side did); where the comparison differs already too (at most DIFFERS_MAX runs), when it
differs in a way its scenarios of that entry point do not: a second change behind a changed condition. When none
differs, a changed condition whose two forms are not shown to agree (models.neighbours.same_truth: a condition on
something no script answers, such as a counter) is said with each side's text and file:line: no scenario that ran
tells them apart. Where nothing differs, a changed value outside conditions (models.valueexprs) is run the same way
at the values where its two forms compute otherwise (``return err & ~0x10ULL;``), and said when no run shows it.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING

from harness.changedlines import changed_lines
from harness.changedsource import not_known
from harness.comparison import Comparison
from harness.convnotes import Names, line_sources, name_conversions, names_in
from harness.explain import DiffClass, Difference, classify, explain
from harness.linecover import unrun_changes
from harness.macroargs import argument_changes
from harness.matrix import VALUE_SCRIPT, Matrix, Scenario, Script
from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.nestedretry import nest_changes
from harness.prfmt import run_pr_fmt
from harness.runner import variant_sources
from harness.rununits import run_unit
from harness.scriptenv import env_text, start_of, start_tag
from harness.sectionwords import section_changes
from harness.unitmoves import unit_at
from harness.valuecache import Found, from_data, to_data, values_key
from harness.valuechanges import Changes, near_lanes, program_changes
from harness.valueconv import Pair, changed_conversions, conversion_values, not_run, unprinted, unshown
from harness.valuenew import new_differences
from harness.valuepick import reads_more, values_to_run
from harness.valuereaders import Unknown, span_values
from harness.valueshare import publish, take
from harness.valueshown import value_said
from harness.valueundecided import _held, _ran_words, _scope, _scripted, _starts, _undecided, _unshown
from harness.variants import Variant
from models.errors import MirrorError
from models.loader import EntryPoint, Source, entry_files, entry_keys, reachable
from models.machine import Answer
from models.outcome import Limit, LineSources, Outcome, RunRequest, comparable, out_of_time, step_cut
from models.record import record

if TYPE_CHECKING:  # models.decided and models.neighbours import pycparser: imported where a condition is read
    from models.cload import Program
    from models.mirror import Mirror

SCRIPT = VALUE_SCRIPT  # the scripts' names: neighbour-0x8000020300000001 (then SUCCESS)
# A changed line that may be (part of) a condition, or a macro one reaches, or set a value one reads (an initializer,
# an assignment, an enumerator: harness.valuereaders), or compute a value (models.valueexprs): only then is the C parsed
# here (a comparison whose changed lines hold none has no changed decision for models.neighbours to find).
_DECIDING = re.compile(r"\b(?:if|while|for|define|case)\b|\?|&&|\|\||[=!<>]=|(?<!-)>|<|(?<![=!<>])=|^\w+,?$"
                       r"|\breturn\b|[&|^~]|\(\w+\)\s*\w|[-+*/%]\s*\w")


def _may_decide(a: Variant, b: Variant) -> bool:
    return any(_DECIDING.search(text) for side in changed_lines(a, b) for path, lines in side.items()
               if path.endswith((".c", ".h")) for text in lines.values())


def _mirror(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> Mirror | None:
    from models.mirror import cached_mirror  # the interpreter loads only when a condition may have changed

    try:
        return cached_mirror(sources, entries)
    except MirrorError:
        return None


def _script(value: int, inputs: Script | None, like: Script) -> Script:
    """The script of a value run: ``value``, then SUCCESS; with ``inputs``, starting with that script's input
    registers (``neighbour-0x...+args-in-tdx``); on the CPU, in the context and with the CPU features of ``like``'s,
    the script of the scenario it runs as (its text saying them, as the matrix's does; its name ending in
    scriptenv.start_tag's ``@hardirq`` for a start other than the default one)."""
    env = env_text(like.context, like.features)
    tag = start_tag(start_of(like.cpu, like.context, like.features))
    if inputs is None:
        return Script(f"{SCRIPT}-{value:#x}{tag}", (Answer(value), Answer(0)), f"{value:#x}, then SUCCESS{env}",
                      cpu=like.cpu, context=like.context, features=like.features)
    said = inputs.text.partition("; args in ")[2].removesuffix(env_text(inputs.context, inputs.features))
    return Script(f"{SCRIPT}-{value:#x}+{inputs.name}{tag}", (Answer(value), Answer(0)),
                  f"{value:#x}, then SUCCESS; args in {said}{env}", cpu=like.cpu, inputs=inputs.inputs,
                  context=like.context, features=like.features)


def _differing_lanes(res: MatrixResult, a: str, b: str) -> list[int]:
    """Lanes whose code differs between the sides and that ran on both."""
    out = []
    for n in range(len(res.lanes)):
        ga, gb = res.code_group(a, n), res.code_group(b, n)
        if ga >= 0 and gb >= 0 and ga != gb and any(
                comparable(x, y) for x, y in zip(res.group_outcomes(n, ga), res.group_outcomes(n, gb), strict=True)):
            out.append(n)
    return out


# The pr_fmts worked out, by the variant's identity (held with them, so that it is no other's meanwhile), entry point,
# unit and entry points: a variant is one side of several comparisons, in eval and again in the gate's rules.
_FMTS: dict[tuple[int, str, str, int], tuple[Variant, tuple[EntryPoint, ...], str]] = {}
_FMTS_MAX = 4096


def _pr_fmt(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], entry: str, path: str) -> str:
    """The pr_fmt the matrix's run of ``entry`` in the unit at ``path`` has (harness.runner._plan's)."""
    key = (id(v), entry, path, id(entries))  # ``entries`` by identity (_entries): hashing 5,000 of them per lane
    kept = _FMTS.get(key)  # was quadratic in the entry points
    if kept is not None and kept[0] is v and kept[1] is entries:
        return kept[2]
    if len(_FMTS) >= _FMTS_MAX:
        _FMTS.clear()
    files = by_identity("entry files", (sources, entries), (), lambda: entry_files(sources, entries))
    fmt = run_pr_fmt(v, run_unit(sources, entry, unit_at(v.moved, path)), files.get(entry))
    _FMTS[key] = (v, entries, fmt)
    return fmt


def _entries(matrix: Matrix) -> tuple[EntryPoint, ...]:
    """The matrix's entry points as the runner names them, one tuple per matrix (_pr_fmt's key holds it)."""
    return by_identity("entry points", (matrix,), (), lambda: tuple(EntryPoint(e.name, e.args) for e in matrix.entries))


def _fmts(res: MatrixResult, sides: tuple[Variant, Variant], lanes: dict[int, list[int]]) -> dict[int, list[str]]:
    """Each compared lane's pr_fmt on each side."""
    entries = _entries(res.matrix)
    out = {}
    for n in lanes:
        lane = res.lanes[n]
        path = res.matrix.scenarios[lane.positions[0]].unit.path
        out[n] = [_pr_fmt(v, variant_sources(v), entries, lane.entry, path) for v in sides]
    return out


# A value run to make: its lane, leaf, the position of the first scenario compared of that leaf in the start it runs in
# (valueundecided._starts), the script whose input registers it starts with (None: all 0) and its values.
Planned = tuple[int, str, int, Script | None, list[int]]


def _plan(res: MatrixResult, lanes: dict[int, list[int]], values: list[int], inputs: bool) -> list[Planned]:
    """The value runs to make: per lane, per leaf its scenarios (``lanes``: the positions compared) take and per
    start (CPU, context, CPU features) its scripts run in (valueundecided._starts: a change only an interrupt
    handler takes is no change a task's runs can show), the values no script of that leaf's in that start answers
    first, with the input registers all 0; with ``inputs``, again with each set of input registers a script of that
    leaf starts with, the values no script with those inputs answers first (a change only non-zero inputs show,
    ``args->rdx`` tested, is no change runs from all 0 can show)."""
    out: list[Planned] = []
    scenarios = res.matrix.scenarios
    for n, positions in lanes.items():
        for (leaf, _), at in _starts(res, positions).items():
            taken = _scripted(res, at)  # a value another leaf's script answers is no run of this leaf
            out.append((n, leaf, at[0], None, [v for v in values if v not in taken]))
            given: dict[tuple[tuple[str, int], ...], list[int]] = {}
            for p in at:
                if inputs and scenarios[p].script.inputs:
                    given.setdefault(scenarios[p].script.inputs, []).append(p)
            for with_inputs in given.values():
                taken = _scripted(res, with_inputs)
                out.append((n, leaf, with_inputs[0], scenarios[with_inputs[0]].script,
                            [v for v in values if v not in taken]))
    return out


_Made = dict[tuple[str, RunRequest], tuple[Outcome, LineSources, frozenset[str], int]]  # with the run's steps
# The value runs made for the comparisons of one matrix result (the last one asked about), by the code each ran
# (models.loader.entry_keys, the key of the matrix's code groups) and its request: variants whose code of an entry
# point is the same run it alike, as the matrix runs a code group once for all of them, and each variant is a side of
# several comparisons (the corpus eval ran 608 value runs, 380 of them distinct).
_MADE: list[tuple[MatrixResult, _Made]] = []


def _made(res: MatrixResult) -> _Made:
    if not _MADE or _MADE[0][0] is not res:
        _MADE[:] = [(res, {})]
    take(res.matrix, _MADE[0][1])  # in the rules' child, those its parent made meanwhile for the matrix (valueshare)
    return _MADE[0][1]


def _run(mirror: Mirror, code: str | None, req: RunRequest, made: _Made, clock: _Budgets, at: tuple[int, int]
         ) -> tuple[Outcome, LineSources, frozenset[str]]:
    """A run, where each of its log lines came from and the statements it executed: one made already of the same
    code (``made``) if there is and it fits in what the budget of ``at`` (side, lane) has left; a new one else, cut
    short (a ``time`` limit, never kept) where that budget runs out. Its steps are charged alike either way."""
    left = clock.left(at)
    if left is not None and left <= 0:
        return out_of_time(f"not run: its code used up its step budget of {clock.steps:,} steps"), (), frozenset()
    kept = made.get((code, req)) if code is not None else None
    if kept is None or (left is not None and kept[3] >= step_cut(left)):
        outcome = mirror.run(req, clock.deadline(at), left or 0)
        kept = outcome, mirror.last_log, mirror.last_ran, mirror.last_steps
        if code is not None and Limit.TIME not in outcome.limits:
            made[(code, req)] = kept
    clock.used[at] = clock.used.get(at, 0) + kept[3]
    return kept[0], kept[1], kept[2]


class _Budgets:
    """The value runs' budgets: each side's code of an entry point (a lane) has the matrix's step budget over its value
    runs (MatrixResult.step_budget; 0: none), as a code group has over its scenarios: a loop that never ends costs a
    budget, not up to DIFFERS_MAX runs of the per-run step limit (each some 0.5 s); and the wall-clock backstop
    (MatrixResult.time_budget; 0: none) from its first value run on."""

    def __init__(self, steps: int, seconds: float) -> None:
        self.steps, self.seconds = steps, seconds
        self.ends: dict[tuple[int, int], float] = {}
        self.used: dict[tuple[int, int], int] = {}

    def left(self, at: tuple[int, int]) -> int | None:
        """The steps ``at``'s runs have left (None: no limit)."""
        return self.steps - self.used.get(at, 0) if self.steps > 0 else None

    def deadline(self, at: tuple[int, int]) -> float | None:
        if self.seconds <= 0:
            return None
        return self.ends.setdefault(at, time.monotonic() + self.seconds)


def _runs(res: MatrixResult, mirrors: tuple[Mirror, Mirror], plan: list[Planned],
          fmts: dict[int, list[str]], names: tuple[Names, Names], codes: tuple[dict[str, str | None], ...],
          cover: tuple[set[str], set[str]], clock: _Budgets) -> tuple[list[Found], set[int], bool]:
    """Each lane's entry point, per leaf its scenarios take and per value no script of that leaf's scenarios
    answers first (``plan``: _plan's), on both sides: the runs that differ, the values run, and whether a run was
    cut short by time (then nothing of them is kept in the cache); ``names``: each side's call arguments by call
    site (harness.convnotes); ``codes``: each side's code keys by entry point (models.loader.entry_keys); each
    side's statements the runs executed are added to ``cover``; ``clock``: the comparison's budgets."""
    made = _made(res)
    first = len(made)
    out: list[Found] = []
    ran: set[int] = set()
    cut = False
    for n, leaf, at, inputs, todo in plan:
        entry, like = res.lanes[n].entry, res.matrix.scenarios[at]
        for script in (_script(v, inputs, like.script) for v in todo):
            (oa, la, ra), (ob, lb, rb) = (_run(m, code[entry], RunRequest(entry, like.leaf, script.answers, f,
                                                                          regs_in=script.inputs, cpu=script.cpu,
                                                                          context=script.context,
                                                                          features=script.features),
                                               made, clock, (side, n))
                                          for side, m, code, f in zip((0, 1), mirrors, codes, fmts[n], strict=True))
            if Limit.TIME in oa.limits or Limit.TIME in ob.limits:  # not run on both sides: no value said tried
                cut = True
                continue
            ran.add(script.answers[0].code)
            cover[0].update(ra)
            cover[1].update(rb)
            classes = classify(oa, ob) if comparable(oa, ob) else ()
            if classes:
                notes = tuple(explain(oa, ob, classes))
                if DiffClass.LOG in classes:  # its conversions named, as a matrix run's (harness.compare)
                    notes = name_conversions(notes, (oa, ob), (line_sources(la), line_sources(lb)), names)
                out.append((n, leaf, script.answers[0].code, classes, notes, inputs.name if inputs else "", at))
    publish(res.matrix, list(islice(made.items(), first, None)))  # for the rules' child (harness.valueshare)
    return out, ran, cut


def _difference(res: MatrixResult, lanes: dict[int, list[int]], found: Found) -> Difference:
    """A value run's difference as a scenario of its own: its lane's entry point under a leaf, with the script of
    its first answer (and the input registers it started with), in the place of the first scenario compared of that
    leaf, in the start of the scenario at ``found``'s position (_plan's)."""
    n, leaf, value, classes, notes, inputs, at = found
    lane = res.lanes[n]
    like = next(s for s in (res.matrix.scenarios[p] for p in lanes[n]) if s.leaf_name == leaf)
    script = _script(value, next((s for s in res.matrix.scripts if s.name == inputs), None) if inputs else None,
                     res.matrix.scenarios[at].script)
    scenario = Scenario(f"{lane.entry}/{leaf}/{script.name}/{lane.unit}", like.entry, leaf, like.leaf, script,
                        like.unit, like.stands_for)
    return Difference(scenario, classes, notes)


@record
class ValueRuns:
    """What the runs of the answers next to changed conditions found: differences, and conditions left undecided."""

    differences: tuple[Difference, ...] = ()
    undecided: tuple[str, ...] = ()
    ran: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())  # each side's statements executed


# Value runs made where a comparison differs already (each entry point compared, per leaf and value, on both
# sides): past this many none are made there and its changed conditions are listed, as they were before any ran
# (where nothing differs every one is made: "no behaviour change" rests on them). The corpus' eval makes 98 at most
# (v2 -> v3), 578 in all (values next to a condition on the leaf alone, not run since, took v2 -> v3 to 266).
DIFFERS_MAX = 256


def value_runs(res: MatrixResult, a: str, b: str, picked: frozenset[int] | None = None, differs: bool = False
               ) -> ValueRuns:
    """The changed conditions between variants ``a`` and ``b`` over the scenarios at ``picked`` (every one with
    None): the runs of the answers next to what they test, and the conditions none told apart; with ``differs``
    (the comparison differs already) the runs are made when no more than DIFFERS_MAX, and the conditions said are
    those no answer given or run takes differently (_unshown)."""
    sides = (res.variant(a), res.variant(b))
    lanes = {n: [p for p in res.lanes[n].positions if picked is None or p in picked]
             for n in _differing_lanes(res, a, b)}
    lanes = {n: at for n, at in lanes.items() if at}
    convs = changed_conversions(*sides) if lanes else []
    if not lanes or not (convs or _may_decide(*sides)):
        return ValueRuns()
    store = res.store
    fmts = _fmts(res, sides, lanes)
    key = values_key(store, res, sides, lanes, fmts, differs) if store is not None else ""
    kept = from_data(store.get_data(key)) if store is not None else None
    if kept is None:
        cover: tuple[set[str], set[str]] = (set(), set())
        found = _find(res, sides, lanes, fmts, differs, convs, cover)
        if found is None:
            return ValueRuns()
        kept = found[0], found[1], (frozenset(cover[0]), frozenset(cover[1]))
        if store is not None and found[2]:
            store.put_data(key, to_data(*kept))
    return ValueRuns(tuple(_difference(res, lanes, f) for f in kept[0]), kept[1], kept[2])


def _find(res: MatrixResult, sides: tuple[Variant, Variant], lanes: dict[int, list[int]], fmts: dict[int, list[str]],
          differs: bool, convs: list[Pair], cover: tuple[set[str], set[str]]
          ) -> tuple[list[Found], tuple[str, ...], bool] | None:
    """value_runs' findings, worked out from both sides' C: the differences, the conditions (and conversions,
    ``convs``: valueconv's) left undecided, and whether they may be kept (no run cut short by time); None when a
    condition is nested past Python's stack; each side's statements the runs executed are added to ``cover``.
    Conversions are run in every lane given (a print is reached by the code of any function the entry point calls),
    with the answers valueconv raises from the scripts'."""
    entries = tuple(EntryPoint(e.name, e.args) for e in res.matrix.entries)
    ma, mb = (_mirror(variant_sources(v), entries) for v in sides)
    raised = conversion_values(convs, _scripted(res, [p for at in lanes.values() for p in at]))
    if ma is None or mb is None:
        return [], not_run(convs, raised, "a side's C could not be run"), True
    try:
        ch = program_changes(res, sides, (ma.program, mb.program), differs)
        near = near_lanes(res, sides, ch, lanes)
        if not near and not raised:
            return [], (), True
        return _run_near(res, (ma, mb), sides, ch, _Asked(near, lanes, raised, convs, fmts, differs), cover)
    except RecursionError:  # a condition nested past Python's stack: no condition known changed
        return None


@record
class _Asked:
    """What value_runs asks of the runs (_run_near): the lanes near a change and every lane given, the conversions'
    answers raised, the conversions, the formats and whether the comparison differs already."""

    near: dict[int, list[int]]
    lanes: dict[int, list[int]]
    raised: list[int]
    convs: list[Pair]
    fmts: dict[int, list[str]]
    differs: bool


def _run_near(res: MatrixResult, mirrors: tuple[Mirror, Mirror], sides: tuple[Variant, Variant], ch: Changes,
              ask: _Asked, cover: tuple[set[str], set[str]]) -> tuple[list[Found], tuple[str, ...], bool]:
    """_find's runs: the values next to each change on the lanes near it, then the conversions' answers on every
    lane, within DIFFERS_MAX where the comparison differs already; what they found, or what they leave undecided."""
    programs, near, differs, convs, raised = ch.programs, ask.near, ask.differs, ask.convs, ask.raised
    at = [p for positions in near.values() for p in positions]
    scope = _scope(res, at)
    values = sorted({*values_to_run(ch.changed, programs, scope), *span_values(ch.spans, programs),
                     *(v for c in ch.computed for v in c.apart)}) if near else []
    plan = _plan(res, near, values, reads_more(ch.changed, programs, scope)) if near else []
    cost = sum(len(todo) for *_, todo in plan)
    if differs and cost > DIFFERS_MAX:
        why = f"the comparison differs already, and their {cost} runs pass the {DIFFERS_MAX} made then"
        return [], _unshown(res, ch.changed, programs, sides, at, (set(), f"the answers next to what it tests were "
                                                                          f"not run: {why}")) + \
            not_run(convs, raised, why), True
    # The conversions' answers run on every lane (a print is reached through any function the entry point calls),
    # within what is left of DIFFERS_MAX: never in place of a condition's.
    extra = _plan(res, ask.lanes, raised, False) if raised else []
    more = sum(len(todo) for *_, todo in extra)
    said = not_run(convs, raised, f"the comparison differs already, and their {more} runs pass the "
                                  f"{DIFFERS_MAX - cost} left of the {DIFFERS_MAX} made then") \
        if differs and cost + more > DIFFERS_MAX else ()
    entries = tuple(EntryPoint(e.name, e.args) for e in res.matrix.entries)
    codes = tuple(entry_keys(variant_sources(v), entries) for v in sides)
    names = (names_in(sides[0]), names_in(sides[1]))
    clock = _Budgets(res.step_budget, res.time_budget)
    found, ran, cut = _runs(res, mirrors, plan, ask.fmts, names, codes, cover, clock)
    more_found, _, more_cut = _runs(res, mirrors, extra, ask.fmts, names, codes, cover, clock) if not said \
        else ([], set(), False)
    if more_cut:  # no run tells them apart as far as they went: said, never taken for no change
        said += not_run(convs, raised, f"their runs were cut short by the budget of {res.step_budget:,} steps "
                                              f"(or {res.time_budget:g} s)")
    if found or more_found or differs:
        shown = _unshown(res, ch.changed, programs, sides, at, (ran, _ran_words(found, ran, cut))) if near else ()
        # Where only the value runs differ, a value not worked out is said all the same: a rule may ignore how
        # they differ (the log alone), and it then passes on what no run showed. Where the comparison differs
        # already, which condition made it is not worked out (_unshown), and none is listed.
        unknowns = () if differs else _not_known(res, ch.unknown, programs, sides, near)
        return found + more_found, shown + unknowns + said, not (cut or more_cut)
    # A value whose runs the time budget cut short was not run: the runs decide nothing by it.
    held = _held(res, near, sorted(ran) if cut else values) if near else None
    undecided = _undecided(res, ch.changed, programs, sorted(ran), sides, held, cut) if held is not None else ()
    reached = {f for n in near for v in sides for f in reachable(variant_sources(v), res.lanes[n].entry)}
    undecided += _not_known(res, ch.unknown, programs, sides, near)
    undecided += tuple(value_said(c, programs, sides) for c in ch.computed
                       if programs[0].c_name(c.function) in reached)
    return [], undecided, not (cut or more_cut)


def _not_known(res: MatrixResult, unknown: list[Unknown], programs: tuple[Program, Program],
               sides: tuple[Variant, Variant], near: dict[int, list[int]]) -> tuple[str, ...]:
    """The readers of a changed name whose value is not worked out, in code the compared entry points reach, but a
    loop's exit test whose changed names are counters stopping both loops at the same round (harness.countedalike)
    and a condition whose changed names are answers kept in another 64-bit type (harness.answeralike)."""
    reached = {f for n in near for v in sides for f in reachable(variant_sources(v), res.lanes[n].entry)}
    said = [u for u in unknown if programs[0].c_name(u.a.function) in reached]
    if said:  # pycparser's: asked where a read value changed, not from a cache
        from harness.answeralike import answers_alike
        from harness.countedalike import counters_alike

        # A loop's counter declared otherwise ('u8 left' for 'int left'), the loops going round as many times; an
        # answer kept in another 64-bit type ('long err' for 'u64 err'), read as its bits alone.
        said = [u for u in said if not counters_alike(u, programs) and not answers_alike(u, programs)]
    return tuple(not_known(u, programs, sides) for u in said)


def with_values(res: MatrixResult, cmp: Comparison) -> Comparison:
    """``cmp`` with the runs of the answers next to what its changed conditions test: their differences it does not
    show already (a second change, behind a changed condition, where it differs), and the conditions no run told
    apart (Comparison.undecided: where something differs, those no answer given or run takes differently)."""
    if not cmp.compared:
        return cmp  # nothing ran on both sides
    found = value_runs(res, cmp.a, cmp.b, differs=cmp.changed)
    ran = cmp.differences  # the matrix's own scenarios (a value run's are not in res)
    new = new_differences(cmp.differences, found.differences)
    if new:
        cmp = replace(cmp, differences=cmp.differences + new, extra=cmp.extra + tuple(d.scenario for d in new))
    notes = [n for d in cmp.differences for n in d.notes]
    undecided = unshown(found.undecided, notes)
    # A changed conversion no run printed apart ('%llu' -> '%llx' of a leaf the matrix gives as 9 or less): the
    # raised answers show one of the answer only, so each unnamed is said, never under "no behaviour change".
    pairs = changed_conversions(res.variant(cmp.a), res.variant(cmp.b))
    undecided += unprinted(pairs, notes, undecided, _log_pairs(res, cmp, ran) if pairs else ())
    if not cmp.changed:  # runs that agree: a retry loop nested in another, changed, may not (harness.nestedretry)
        undecided += nest_changes(res, cmp.a, cmp.b)
    # Nor a macro's argument with side effects (harness.macroargs) or an __init (harness.sectionwords), an entry point
    # renamed followed: said where other runs differ too (a patch adding a macro has the new macro's runs differ).
    renamed = {r.old: r.new for r in cmp.renamed}
    undecided += argument_changes(res, cmp.a, cmp.b, renamed) + section_changes(res, cmp.a, cmp.b, renamed)
    cmp = _with_value_ran(res, cmp, found.ran)
    return replace(cmp, undecided=undecided) if undecided else cmp


def _log_pairs(res: MatrixResult, cmp: Comparison, ran: tuple[Difference, ...]) -> tuple[tuple[str, str], ...]:
    """The log lines of the scenarios whose logs differ, (before, after) line for line, each pair once."""
    out: dict[tuple[str, str], None] = {}
    for d in ran:
        if DiffClass.LOG in d.classes and d.scenario not in cmp.extra:
            logs = (res.outcome(cmp.a, d.scenario).log, res.outcome(cmp.b, d.scenario).log)
            out.update(dict.fromkeys((a.text, b.text) for a, b in zip(*logs, strict=False) if a.text != b.text))
    return tuple(out)


def _with_value_ran(res: MatrixResult, cmp: Comparison, ran: tuple[frozenset[str], frozenset[str]]) -> Comparison:
    """``cmp`` whose changed lines that never ran (harness.linecover, said before the value runs were made) are said
    again with what the value runs executed on each side: a branch only an answer next to a changed constant takes
    'ran only in value runs', not 'never ran'."""
    if not cmp.not_run or not any(ran):
        return cmp
    a, b = res.variant(cmp.a), res.variant(cmp.b)
    entries = [e for e, n in cmp.ran_both.items() if n]
    before = unrun_changes(a, b, res, entries)
    after = unrun_changes(a, b, res, entries, extra={a.name: ran[0], b.name: ran[1]})
    if before == after or not set(before) <= set(cmp.not_run):
        return cmp
    at = cmp.not_run.index(before[0]) if before else len(cmp.not_run)
    rest = [x for x in cmp.not_run if x not in set(before)]
    return replace(cmp, not_run=tuple(rest[:at] + list(after) + rest[at:]))
