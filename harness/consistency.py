"""The consistency check: how each component's failed SEAMCALLs print the leaf, on every path.

The base, and with leaf-format the conversion (harness.leafform), in every line that logs a failed SEAMCALL, on every
path the code has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from harness.leafconv import UNTOLD, conversion_base, other_base_told, unread_or_based
from harness.leafform import LEAF_HINT, judge_leaf_format, unbased_leaf
from harness.leafsame import PRINTS, run_groups, unshown_leaf_sites
from harness.leafstyle import AMBIGUOUS, base_of, kind, placed_leaf, style
from harness.leafwidth import narrowed_leaf
from harness.logsites import unseen_number_prints
from harness.matrix import EntryKind, Scenario
from harness.notrun import not_run
from harness.printvars import unsettled_prints
from harness.rules import Component, ConsistencyCheck, Property, Rule
from harness.runcover import other_bits_stores
from harness.variants import Variant
from harness.verdict import (
    CheckContext,
    Evidence,
    Verdict,
    VerdictStatus,
    inconclusive,
    not_applicable,
    verdict,
    with_gaps,
)
from models.leafabi import same_leaf
from models.machine import EventKind
from models.outcome import Outcome, OutcomeStatus


def _issued(s: Scenario, o: Outcome) -> int:
    """The leaf a run's failure lines are about: the scenario's; where the run issued it only in another version
    (``fn | BIT_ULL(16)``: the same leaf, models.leafabi), the last such call's RAX, the value the code had to print;
    where the entry point ignores it (an init function of no parameters that issues a fixed leaf), the leaf of its
    last SEAMCALL, the one that failed. A printed number is the leaf only where it equals the value: read with its
    version aside, a status code would be a leaf (0x8000000000030001 is leaf 0x8000000000000001 in version 3)."""
    calls, leaf = o.calls, s.leaf
    if not calls or calls[0].leaf == leaf:  # most runs: asked of each run again by each rule and component
        return leaf
    leaves = [c.leaf for c in calls]
    if leaf in leaves:
        return leaf
    return next((x for x in reversed(leaves) if same_leaf(x, leaf)), leaves[-1])


def _below(ran: list[tuple[Scenario, Outcome]], base: str, v: Variant, ctx: CheckContext
           ) -> tuple[str, Scenario, str] | None:
    """(how, scenario, line) of the first line of any run that prints its leaf in the other base than ``base``
    (harness.leafconv.other_base_told); one whose digits only may be the leaf (how UNTOLD) where no line is one."""
    untold: tuple[str, Scenario, str] | None = None
    for s, o in ran:
        other = other_base_told(s, _issued(s, o), o, base, v, ctx)
        if other is not None and not other[0].startswith(UNTOLD):
            return other[0], s, other[1]
        untold = untold or (None if other is None else (other[0], s, other[1]))
    return untold


NO_LEAF = "no leaf"  # _leaf_styles: the component logs a failed call without its leaf


_Style = tuple[str, Scenario, str]  # how a component prints the leaf, in which scenario, the line
_Styles = tuple[dict[str, _Style], list[tuple[str, str]], dict[str, _Style]]  # _leaf_styles' result


def _leaf_styles(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> _Styles:
    """Per component: how its first entry that ran prints the leaf of a failed call, where, and the line;
    the components none of whose entries ran, with why; and the components whose failure lines print the leaf
    in the other base too, in some scenario (one such line each): every line counts, not the first one seen.
    Worked out once per components, property and variant (the check asks again of a rule that would pass:
    _both_ways; rules naming the same components, a leaf-base and a leaf-format one, or one per patch, ask alike: 26
    answers for 38 askings in the corpus' eval), as _styles_of reads nothing else of the rule. Read-only."""
    return ctx.once(("leaf styles", _parts(spec), spec.property, v.name), lambda: _styles_of(spec, v, ctx))


def _parts(spec: ConsistencyCheck) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """A check's components by content, in order: (name, entry points, leaves), all _leaf_styles and judged_runs read
    of them."""
    return tuple((comp, part.entries, part.leaves) for comp, part in spec.components.items())


def _styles_of(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> _Styles:
    styles: dict[str, _Style] = {}
    idle: list[tuple[str, str]] = []
    mixed: dict[str, _Style] = {}
    told: dict[str, list[tuple[Scenario, int, Outcome]]] | None = None
    for comp, part in spec.components.items():
        _component_style(comp, part, v, ctx, (styles, idle, mixed))
        if styles.get(comp, ("",))[0] == AMBIGUOUS and spec.property is Property.LEAF_BASE:
            told = told if told is not None else judged_runs(spec, v, ctx)  # digits of no base: the conversions'
            styles[comp] = conversion_base(told[comp], v, ctx) or styles[comp]
        elif comp in styles and styles[comp][0] != NO_LEAF and spec.property is Property.LEAF_BASE:
            told = told if told is not None else judged_runs(spec, v, ctx)
            styles[comp] = _unbased(styles[comp], told[comp], v, ctx)
        if comp in styles and mixed.get(comp, (UNTOLD,))[0].startswith(UNTOLD) and styles[comp][0] not in (
                NO_LEAF, AMBIGUOUS):
            elsewhere = _found_in_code(spec, part.leaves, styles[comp][0], v, ctx)
            if elsewhere is not None and (comp not in mixed or not elsewhere[0].startswith(UNTOLD)):
                mixed[comp] = elsewhere
    return styles, idle, mixed


def _unbased(seen: _Style, runs: list[tuple[Scenario, int, Outcome]], v: Variant, ctx: CheckContext) -> _Style:
    """``seen``, a base some line shows, unless another judged line prints a number equal to its run's leaf in
    digits of no base (``(0)``, a masked P-SEAMLDR leaf, below ``0x8000000000000000``) that its conversion does
    not tell to be that base or no leaf at all (harness.leafconv.unread_or_based): that line, ambiguous, which
    leaves the rule inconclusive. gcc prints
    such a '%llu' of a leaf of 0x21 as '(33)', in the other base. A base a line shows only by its place, ``(0x0)``
    (leafstyle.placed_leaf), is the leaf's only where a conversion of the leaf itself prints it in that base: a
    flag read from the leaf (``fn & 1``, a bool) prints 0x0 or 0x1 for the masked leaves, 0x1 for a leaf of 0x21."""
    line = next(((s, ln.text) for s, leaf, o in runs for ln in o.log if unbased_leaf(ln.text, leaf)), None)
    placed = next(((s, ln.text) for s, leaf, o in runs for ln in o.log if placed_leaf(ln.text, leaf)), None)
    if line is None and placed is None:
        return seen
    told = unread_or_based(runs, v, ctx)
    if placed is not None and told != base_of(seen[0]):
        return AMBIGUOUS, placed[0], placed[1]  # '(0x0)' of a flag read from the leaf: 0x0 and 0x1 for every leaf
    return seen if line is None or (told is not None and told in ("", base_of(seen[0]))) else \
        (AMBIGUOUS, line[0], line[1])


def _component_style(comp: str, part: Component, v: Variant, ctx: CheckContext, out: _Styles) -> None:
    """Put on ``out`` how component ``comp``'s first entry that ran prints the leaf, or why none is known."""
    idle = out[1]
    why: list[tuple[Scenario, Outcome]] = []
    blocked: str | None = None  # the first entry provided that did not run
    for entry in part.entries:
        found = ctx.outcomes(v.name, entry=entry, leaves=part.leaves)
        ran = [(s, o) for s, o in found if o.status is OutcomeStatus.OK]
        if not ran:  # not provided, not run, or stopped by the C (undefined behaviour): each said as such
            why.extend((s, o) for s, o in found if o.status is not OutcomeStatus.OK)
            if blocked is None and any(o.status is OutcomeStatus.ERROR for _, o in found):
                blocked = entry  # provided, so the component's base, whatever a later entry shows
            continue
        if blocked is not None:  # a later entry's runs show another path, never how the first one prints
            idle.append((comp, f"{blocked}() did not run, so how it prints a failure is not known (only "
                               f"{entry}() ran): {not_run(v, ctx, why)}"))
            return
        _ran_style(comp, entry, found, ran, v, ctx, out)
        return
    lack = not_run(v, ctx, why) if why else "its entry points are not in the matrix"
    idle.append((comp, f"nothing ran: {lack}"))


def _ran_style(comp: str, entry: str, found: list[tuple[Scenario, Outcome]], ran: list[tuple[Scenario, Outcome]],
               v: Variant, ctx: CheckContext, out: _Styles) -> None:
    """Put on ``out`` how ``entry``, the first of ``comp``'s entries that ran, prints the leaf of a failed call."""
    styles, idle, mixed = out
    logged = [(s, got[0], got[1]) for s, o in ran if (got := style(o, _issued(s, o))) is not None]
    logged.sort(key=lambda x: x[1] == AMBIGUOUS)  # a leaf whose digits tell the base, when one does
    if logged:
        s, st, line = logged[0]
        styles[comp] = (st, s, line)
        other = next((x for x in logged if x[1] != AMBIGUOUS and base_of(x[1]) != base_of(st)), None)
        if st != AMBIGUOUS and other is not None:
            mixed[comp] = (other[1], other[0], other[2])
        elif st != AMBIGUOUS and (below := _below(ran, base_of(st), v, ctx)) is not None:
            mixed[comp] = below  # a line below the first, or a WARN()'s message, in the other base
    elif any(o.log for _, o in ran):  # it logs its failures, with no leaf in them
        s, o = next((s, o) for s, o in ran if o.log)
        styles[comp] = (NO_LEAF, s, o.log[0].text)
    elif (failed := next(((s, o) for s, o in ran if any(c.returned for c in o.calls)), None)) is not None:
        unrun = [(s, o) for s, o in found if o.status is not OutcomeStatus.OK]
        if unrun:  # the runs that would have printed may be those the mirror could not make
            idle.append((comp, f"no run of {entry}() that ran printed a failure, and "
                               f"{not_run(v, ctx, unrun)}"))
        else:
            # Its SEAMCALLs failed and it printed nothing, in every scenario: no leaf is shown at all, which
            # meets neither form of the point (it was left out, and the other component judged alone).
            styles[comp] = (NO_LEAF, failed[0], "")
    else:
        idle.append((comp, f"no SEAMCALL of {entry}() failed in the selected scenarios that ran, so nothing "
                           "shows how it prints a failure"))


def _other_entries(entries: tuple[str, ...], leaves: tuple[str, ...], seen: tuple[str, Scenario, str], v: Variant,
                   ctx: CheckContext) -> tuple[str, Scenario, str] | None:
    """A failure line of another entry point the component names (beyond the first that ran, which gave its
    style ``seen``) that prints one of ``leaves`` in the other base: seamcall_prerr_ret() printing the leaf in
    decimal where seamcall_prerr() prints it in hex is the component printing it both ways."""
    ran = [(s, o) for entry in entries if entry != seen[1].entry.name
           for s, o in ctx.outcomes(v.name, entry=entry, leaves=leaves) if o.status is OutcomeStatus.OK]
    return _below(ran, base_of(seen[0]), v, ctx)


def _both_ways(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> tuple[list[Evidence], list[str]]:
    """Of a rule that would pass on each component's first entry that ran: the components another of whose
    named entry points prints the leaf in the other base (one line each); and _untold's notes of those whose other
    entry points print only digits that may be the leaf in the other base."""
    styles, _, _ = _leaf_styles(spec, v, ctx)
    out, unsure = [], []
    for comp, part in spec.components.items():
        seen = styles.get(comp)
        if seen is None or seen[0] in (NO_LEAF, AMBIGUOUS):
            continue
        other = _other_entries(part.entries, part.leaves, seen, v, ctx)
        if other is not None and other[0].startswith(UNTOLD):
            unsure.append(_untold(comp, seen, other))
        elif other is not None:
            out.append(Evidence("one base in every failure line of a component", f"{comp} {seen[0]} '{seen[2]}'"
                                f"{_printed_by(seen[1], other[1])}; {other[0]} '{other[2]}'", other[1]))
    return out, unsure


def _untold(comp: str, seen: _Style, other: _Style) -> str:
    """Why a component's base is not told: a line of its runs holds digits that read as its leaf in the other base,
    which no conversion of the line is told to have printed from the leaf or not (harness.leafconv.other_base_told)."""
    where = "that line also" if other[2] == seen[2] else f"'{other[2]}'"
    return (f"{comp} prints the leaf in {base_of(seen[0])} ('{seen[2]}'), but {where} holds a number that reads as "
            f"the leaf in {base_of(other[0][len(UNTOLD):])}, printed by no conversion told to print the leaf or not")


def _discovered(ctx: CheckContext, v: Variant) -> list[tuple[Scenario, Outcome]]:
    """(scenario, outcome) of the variant's entry points found in the code, in matrix order: their positions are
    worked out once for every rule and variant (they are a few of the matrix's scenarios)."""
    found = ctx.once(("discovered scenarios",), lambda: [(p, s) for p, s in enumerate(ctx.result.matrix.scenarios)
                                                         if s.entry.kind is EntryKind.DISCOVERED])
    row = ctx.result.outcomes_of(v.name)
    return [(s, row[p]) for p, s in found]


def _unnamed(ctx: CheckContext, v: Variant) -> list[tuple[Scenario, Outcome]]:
    """_discovered, and the runs of the matrix's entry points a patch the variant applies changes (its own
    definition: harness.changeusers.changed_definitions): a component leaves the matrix's other entry points out on
    purpose, but one the patches change to print a failure otherwise is the change under review."""
    def changed() -> list[int]:
        from harness.changeusers import changed_definitions
        from harness.model import Patch

        patches = [p for p in (ctx.series.find_message(m) for m, _ in v.sources) if isinstance(p, Patch)]
        names = changed_definitions(ctx.series, patches) if patches else set()
        return [p for p, s in enumerate(ctx.result.matrix.scenarios)
                if s.entry.kind is EntryKind.MATRIX and s.entry.name in names]

    row = ctx.result.outcomes_of(v.name)
    own = ctx.once(("changed matrix entry scenarios", v.name), changed)
    return _discovered(ctx, v) + [(ctx.result.matrix.scenarios[p], row[p]) for p in own]


def printing_wrapper(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> str | None:
    """An entry point found in the code, one no component names, that printed a failure of one of the
    components' leaves in some run (a revision's own seamldr_call()): the components' leaves are printed there,
    whichever named entry point the variant lacks. None when there is none."""
    named = {e for part in spec.components.values() for e in part.entries}
    leaves = {leaf for part in spec.components.values() for leaf in part.leaves}
    return next((s.entry.name for s, o in _discovered(ctx, v) if s.entry.name not in named and s.of_leaf(leaves)
                 and o.status is OutcomeStatus.OK and o.log and any(c.returned for c in o.calls)), None)


def _found_in_code(spec: ConsistencyCheck, leaves: tuple[str, ...], how: str, v: Variant, ctx: CheckContext
                   ) -> tuple[str, Scenario, str] | None:
    """A failure line of an entry point found in the code (a wrapper no component names: a revision's new
    seamldr_call() with a printer of its own) that prints one of ``leaves`` in the other base than ``how``:
    the component's calls made that way print it so, whichever entry the rule names."""
    named = {e for part in spec.components.values() for e in part.entries}
    ran = [(s, o) for s, o in _issuing(ctx, v) if s.entry.name not in named and s.of_leaf(leaves)]
    return _below(ran, base_of(how), v, ctx)  # every line it printed, not its first alone


def _issuing(ctx: CheckContext, v: Variant) -> list[tuple[Scenario, Outcome]]:
    """_unnamed's runs that ran to their end issuing a leaf of the component of the one they are given, once per
    variant (each component of each rule asks again): that leaf, or, where the entry point is given none and issues
    its own (a wrapper with a fixed leaf, ``int seamldr_shutdown(void)``), one with the same bit 63, as
    harness.expectations.issued_leaves reads such a run. Its failure lines print the leaf it issued (_issued),
    listed by the rule or not; a run issuing the other component's leaf is judged under that one's scenarios."""
    return ctx.once(("issuing unnamed scenarios", v.name), lambda: [
        (s, o) for s, o in _unnamed(ctx, v) if o.status is OutcomeStatus.OK and _of_component(s, o)])


def _of_component(s: Scenario, o: Outcome) -> bool:
    """Whether the leaf a run's failure lines are about (_issued) is its scenario's, or, for an entry point given no
    leaf (no ``fn`` among its arguments: it issues one of its own), one of the same component (bit 63). Before, a
    fixed leaf the rule does not list, printed in the other base, was read by no check: the rule passed on
    seamcall_prerr() alone. An entry point given the leaf that issues another (``fn | 0x100``) may print either,
    and stays left out."""
    issued = _issued(s, o)
    if same_leaf(issued, s.leaf):
        return True
    return "fn" not in s.entry.args and (issued ^ s.leaf) >> 63 == 0


def _formats(v: Variant, ctx: CheckContext) -> Callable[[Scenario, int], str | None]:
    """The format of a run's log line, by the line's index (None where the line's source is not known)."""
    def fmt_of(s: Scenario, i: int) -> str | None:
        sources = ctx.result.run_log_sources(v.name, ctx.result.matrix.position(s.id))
        source = sources[i] if i < len(sources) else None
        return None if source is None else source.fmt
    return fmt_of


def judged_runs(spec: ConsistencyCheck, v: Variant, ctx: CheckContext
                ) -> dict[str, list[tuple[Scenario, int, Outcome]]]:
    """Per component, the runs whose every line the rule judges, each with the leaf its lines are about: its named
    entry points' runs that ran to their end under its leaves (a first one's, and each later one's, _other_entries),
    and those of an entry point found in the code that no component names, given one of its leaves and issuing it
    (_found_in_code), or a leaf of its own choosing of that component (_issuing). A run left out (a wrapper's that
    issues the other component's leaf under this one's scenarios, one the C stopped) shows nothing of how its lines
    print this component's leaf, so a print it alone made is not shown (check_consistency). Worked out once per
    components and variant (_parts: 21 answers for 47 askings in the corpus' eval). Read-only."""
    return ctx.once(("judged runs", _parts(spec), v.name), lambda: _judged_runs(spec, v, ctx))


def _judged_runs(spec: ConsistencyCheck, v: Variant, ctx: CheckContext
                 ) -> dict[str, list[tuple[Scenario, int, Outcome]]]:
    named = {e for part in spec.components.values() for e in part.entries}
    out: dict[str, list[tuple[Scenario, int, Outcome]]] = {}
    for comp, part in spec.components.items():
        runs = [(s, _issued(s, o), o) for entry in part.entries
                for s, o in ctx.outcomes(v.name, entry=entry, leaves=part.leaves) if o.status is OutcomeStatus.OK]
        runs += [(s, _issued(s, o), o) for s, o in _issuing(ctx, v)
                 if s.entry.name not in named and s.of_leaf(part.leaves)]
        out[comp] = runs
    return out


def check_consistency(rule: Rule, spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> Verdict:
    """How the components print the leaf (see the module doc); a pass needs every line of their code that prints
    the leaf to have printed in some run (harness.leafsame): one on a path no script drives may print it in the
    other base."""
    found = _consistency(rule, spec, v, ctx)
    if found.status is not VerdictStatus.PASS:
        return found
    absent, stopped = _absent(spec, v, ctx)
    found = replace(found, note=with_gaps(found.note, absent))
    if stopped:  # a named entry point past the first that ran, provided but not run: its lines were never seen
        return inconclusive(rule, v, f"{found.note}, all as expected, but some could not run: {stopped}")
    both, unsure = _both_ways(spec, v, ctx)
    if both:
        return verdict(rule, v, both)
    if unsure:
        return inconclusive(rule, v, f"{found.note}, all as expected, but {'; '.join(unsure)}")
    # The runs the rule read: a component's entry points given its leaves, and an entry point found in the code that
    # no component names given a leaf of one (_found_in_code: a wrapper's own printer counts too, so a print of
    # its that never ran leaves the rule unshown); a print another leaf or entry point made shows nothing of how
    # these print (harness.leafsame.run_groups).
    named = {e for part in spec.components.values() for e in part.entries}
    leaves = {leaf for part in spec.components.values() for leaf in part.leaves}
    judged = {s.id: (s, o) for part in spec.components.values() for entry in part.entries
              for s, o in ctx.outcomes(v.name, entry=entry, leaves=part.leaves)}
    judged.update((s.id, (s, o)) for s, o in _unnamed(ctx, v) if s.entry.name not in named and s.of_leaf(leaves))
    picked = list(judged.values())
    # Per entry point that ran, and per one found in the code (no component names it) the variant has that did not
    # run: its prints of the leaf were never made, so only the runs the rule judged can show them (a line it shares
    # with seamcall_err()); left out, a wrapper the mirror refused (inline asm) printing the leaf in decimal passed.
    warned: dict[str, set[str]] = {s.entry.name: set() for s, o in picked if o.ran or (
        s.entry.name not in named and o.status is not OutcomeStatus.NOT_PROVIDED)}
    # Only a run whose lines were judged shows a print (judged_runs): one whose lines no check read (a wrapper's
    # issuing the other component's leaf, a run the C stopped) ran it unjudged, said as such, never as shown.
    read = {s.id: (s, o) for runs in judged_runs(spec, v, ctx).values() for s, _, o in runs}
    for s, o in read.values():  # the WARN()s the judged runs fired
        warned[s.entry.name].update(e.where for e in o.events if e.kind == EventKind.WARNING)
    # A print's conversion is its line's: one that printed in any run the rule judges showed how it prints the leaf,
    # whichever entry point reached it (a wrapper the mirror cannot run shares seamcall_err()'s line with the
    # components that ran it); so every entry point's sites are held to all these runs, and so are the WARN()s.
    every = frozenset().union(*(r for groups in run_groups(ctx, v, list(read.values())).values() for r in groups))
    fired = frozenset().union(*warned.values())
    chosen = other_bits_stores(ctx.facts(v), warned)  # a format picked by leaf bits no run's leaf had
    unshown = unshown_leaf_sites(v, ctx.facts(v), {e: [every] for e in warned}, PRINTS, dict.fromkeys(warned, fired),
                                 elsewhere=ctx.result.coverage(v.name).ran, fixed=chosen)
    unshown = _with_fixed_leaves(unshown, [(s, o) for s, o in picked if s.entry.name not in named], v, ctx)
    unshown += unsettled_prints(v, ctx, warned)  # a format or flag the runs saw at one value only
    if not unshown:
        return found
    # Why a wrapper found in the code did not run (its prints are among those never made): what would run them.
    stuck = [(s, o) for s, o in picked if s.entry.name not in named and not o.ran
             and o.status is not OutcomeStatus.NOT_PROVIDED]
    said = f"some could not run: {'; '.join(unshown)}" + (f"; {not_run(v, ctx, stuck)}" if stuck else "")
    return inconclusive(rule, v, f"{found.note}, all as expected, but {said}" if found.note else said)


def _with_fixed_leaves(unshown: list[str], unnamed: list[tuple[Scenario, Outcome]], v: Variant,
                       ctx: CheckContext) -> list[str]:
    """``unshown`` (the leaf sites no judged run printed, what would run them last) with the prints of a number that
    never ran in what each entry point of ``unnamed`` given no leaf (no ``fn`` argument) reaches."""
    # Such an entry point issues a constant leaf, which models.leafflow does not follow: each print of a number in
    # what it reaches must have run (a decimal line under an answer no script gives passed).
    fixed = [(s, o) for s, o in unnamed if "fn" not in s.entry.args]
    more = unseen_number_prints(v, ctx, fixed) if fixed else []
    if not more:
        return unshown
    return list(dict.fromkeys([*unshown[:-1], *more[:-1], more[-1]]))  # each ends with what would run its places


def _absent(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> tuple[str, str]:
    """Per component, its named entry points' selected scenarios the variant does not provide, and those it
    provides that did not run, each with why: a pass rests on the others (seamcall_prerr() printing a P-SEAMLDR
    leaf before the patch adding seamldr_prerr()), and says what it could not see."""
    said: tuple[list[str], list[str]] = ([], [])
    for comp, part in spec.components.items():
        picked = [(s, o) for entry in part.entries for s, o in ctx.outcomes(v.name, entry=entry, leaves=part.leaves)
                  if o.status is not OutcomeStatus.OK]
        absent = [x for x in picked if x[1].status is OutcomeStatus.NOT_PROVIDED]
        stopped = [x for x in picked if x[1].status is not OutcomeStatus.NOT_PROVIDED]
        for out, lacking in ((said[0], absent), (said[1], stopped)):
            if lacking:
                out.append(f"{comp}: {not_run(v, ctx, lacking)}")
    return "; ".join(said[0]), "; ".join(said[1])


def _consistency(rule: Rule, spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> Verdict:
    # A leaf printed by a conversion narrower than its u64 (%#x) prints its low 32 bits, which read as the leaf
    # masked: no base or form of it holds, whatever the lines look like (gcc -Wformat warns of it).
    narrow = narrowed_leaf(v, ctx, _judged_entries(spec, v, ctx))
    if narrow:
        return verdict(rule, v, narrow)
    styles, idle, mixed = _leaf_styles(spec, v, ctx)  # the one property so far: Property.LEAF_BASE
    if idle:
        lacking = "; ".join(f"{comp}: {why}" for comp, why in idle)
        # A component that ran and prints the leaf in another base than the one asked for fails it whatever the
        # others do: that rests on its own runs.
        off = [comp for comp, (how, _, _) in styles.items() if spec.base is not None and how not in (
            NO_LEAF, AMBIGUOUS) and kind(how) is not spec.base] if spec.property is Property.LEAF_BASE else []
        if off:
            return verdict(rule, v, [Evidence(f"the leaf in {spec.base} for every component",
                                              f"{comp} {styles[comp][0]} '{styles[comp][2]}'", styles[comp][1])
                                     for comp in off], lacking)
        return inconclusive(rule, v, lacking)
    if len(styles) < (1 if spec.base else 2):
        return not_applicable(rule, v, "not enough components log a failed call")
    kinds = {comp: kind(how) for comp, (how, _, _) in styles.items() if how not in (NO_LEAF, AMBIGUOUS)}
    unknown = [f"{comp} prints the leaf as digits that read the same in decimal and in hex: '{line}' ({LEAF_HINT})"
               for comp, (how, _, line) in styles.items() if how == AMBIGUOUS]
    shown = {comp: f"{comp} {how} '{line}'" if line else f"{comp} logs nothing when its SEAMCALL fails"
             for comp, (how, _, line) in styles.items()}
    first = next(iter(styles.values()))[1]
    leafless = [Evidence("the leaf in the failure line of every component", shown[comp], styles[comp][1])
                for comp, (how, _, _) in styles.items() if how == NO_LEAF]
    if leafless:  # a component that prints its failures without the leaf meets neither form of the point
        return verdict(rule, v, leafless)
    real = {comp: x for comp, x in mixed.items() if not x[0].startswith(UNTOLD)}
    if real:  # one component prints the leaf in both bases, by path or by leaf: neither form of the point holds
        return verdict(rule, v, [Evidence("one base in every failure line of a component", f"{shown[comp]}"
                                          f"{_printed_by(styles[comp][1], s)}; {how} '{line}'", s)
                                 for comp, (how, s, line) in real.items()])
    off = [comp for comp, kind in kinds.items() if kind is not spec.base] if spec.base is not None else []
    untold = [_untold(comp, styles[comp], x) for comp, x in mixed.items() if comp not in real]
    if untold and not off and spec.property is Property.LEAF_FORMAT:
        return inconclusive(rule, v, "; ".join(untold))
    unknown += untold
    if spec.property is Property.LEAF_FORMAT:
        return judge_leaf_format(rule, spec, v, styles, off, judged_runs(spec, v, ctx), _formats(v, ctx))
    if unknown and not off and (spec.base is not None or len(set(kinds.values())) < 2):
        return inconclusive(rule, v, "; ".join(unknown))
    if spec.base is None:
        if len(set(kinds.values())) < 2:
            return verdict(rule, v, [], "; ".join(shown.values()))  # what was seen, so a pass shows its basis
        # One piece of evidence: the rule asks for sameness, so the expectation names no base. It is filed under
        # the first component's scenario: each other component's line names the scenario that printed it.
        said = [shown[comp] + (f" (in {s.id})" if s is not None and s is not first else "")
                for comp, (_, s, _) in styles.items()]
        return verdict(rule, v, [Evidence("the same base for every component", "; ".join(said), first)])
    # The note says what the evidence does not: the other components' lines (a component's own line once).
    return verdict(rule, v, [Evidence(f"the leaf in {spec.base} for every component", shown[comp], styles[comp][1])
                             for comp in off], "; ".join(said for comp, said in shown.items() if comp not in off))


def _judged_entries(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> dict[str, list[Scenario]]:
    """The entry points whose prints of the leaf the rule judges (each component's named ones, and those whose runs
    judged_runs reads), each with the scenarios of those runs; only worked out when the code has a narrow print."""
    facts = ctx.facts(v)
    if isinstance(facts, str) or not facts.narrow_prints:
        return {}
    out: dict[str, list[Scenario]] = {e: [] for part in spec.components.values() for e in part.entries}
    for runs in judged_runs(spec, v, ctx).values():
        for s, _, _ in runs:
            out.setdefault(s.entry.name, []).append(s)
    return out


def _printed_by(printer: Scenario | None, named: Scenario | None) -> str:
    """' (in SCENARIO)' after a quoted line that another scenario than the one the evidence names printed."""
    return f" (in {printer.id})" if printer is not None and printer is not named else ""


