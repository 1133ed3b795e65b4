"""The equivalence check: a variant's outcomes against its reference's, scenario by scenario, renames followed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from harness.changedlines import changed_lines
from harness.compare import patches_between
from harness.comparison import Place, Reach
from harness.convnotes import renamed
from harness.coverage import absence_unknown, absence_unknown_at, missing_on_both, neither_reason, not_run_reason
from harness.earlierchange import earlier_unseen
from harness.explain import DiffClass, Difference, describe, explain
from harness.linecover import HINT, UNSEEN_USERS, unrun_changes
from harness.macroargs import argument_changes
from harness.matrix import EntryKind, Scenario
from harness.moveseen import moved_into_headers, unseen_homes
from harness.nestedretry import nest_changes
from harness.newparams import new_parameters
from harness.providedchange import Sides, moved_into_created, sides_between
from harness.reach import unreached_places
from harness.readings import with_readings
from harness.renamepair import paired_positions, rename_pairing, renamed_state
from harness.rules import EquivalenceCheck, Rule
from harness.runcover import Compared
from harness.runner import variant_sources
from harness.rununits import private_elsewhere
from harness.sectionwords import section_changes
from harness.unitmoves import unit_at, unit_gone
from harness.valueconv import changed_conversions, unprinted
from harness.valuecover import value_runs
from harness.valueshown import value_run_words
from harness.variants import Variant
from harness.verdict import (
    CheckContext,
    Evidence,
    Reading,
    ReadRole,
    Verdict,
    VerdictStatus,
    inconclusive,
    merge_reasons,
    reference,
    settle,
    unevaluated,
    with_gaps,
)
from models.facts import CodeFacts
from models.outcome import Outcome, OutcomeStatus, comparable, idle_sides
from reports.safe import counted


@dataclass
class _Tally:
    """What the rows of one equivalence check found so far."""

    evidence: list[Evidence] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)  # positions compared: the reference's, the variant's
    absent: dict[str, None] = field(default_factory=dict)
    unrun: dict[str, None] = field(default_factory=dict)
    reasons: dict[tuple[int, str, int], str] = field(default_factory=dict)  # equal outcomes are one object
    idled: set[tuple[str, str, str, int, int]] = field(default_factory=set)  # _idle's rows read so far
    last: tuple[object, ...] = ()  # _idle's last row, its outcomes themselves
    entries: dict[str, None] = field(default_factory=dict)  # the entry points compared: what sameness is about
    followed: dict[str, None] = field(default_factory=dict)  # the renames the pairs compared rest on


def check_equivalence(rule: Rule, spec: EquivalenceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    """The rule's verdict on ``v``: its outcomes against the reference's (``_judged``); a ``before:patch`` pass
    checked against the patches before the rule's one where the input cannot tell their parts
    (harness.earlierchange)."""
    return earlier_unseen(rule, spec, v, ctx, _judged(rule, spec, v, ctx), _judged)


def _reference_of(rule: Rule, spec: EquivalenceCheck, v: Variant, ctx: CheckContext) -> tuple[str, Variant] | Verdict:
    """The reference's name and variant, or the verdict when there is nothing to compare with."""
    ref = reference(spec.reference, v, ctx, rule)
    ref_v = ctx.variant(ref) if ref else None
    if ref is None or ref_v is None:
        return inconclusive(rule, v, unevaluated(ref or spec.reference, ctx))
    if ref == v.name:
        return Verdict(rule, v.name, VerdictStatus.PASS, note="the variant is its own reference")
    return ref, ref_v


def _judged(rule: Rule, spec: EquivalenceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    both = _reference_of(rule, spec, v, ctx)
    if isinstance(both, Verdict):
        return both
    ref, ref_v = both
    t = _Tally()
    # The comparison of the two variants, worked out once for every rule that needs it.
    cmp = ctx.compare(ref, v.name)
    differences = {d.scenario.id: d for d in cmp.differences}
    position = ctx.result.matrix.position
    one_sided: dict[tuple[str, str, str, bool, bool], str | None] = {}
    # What the patches between define and create, for an entry point one side alone provides (a move into a unit
    # they create is said as eval says it): read only when such a row comes.
    def sides() -> Sides:
        return ctx.once(("sides", ref, v.name), lambda: sides_between(
            ref_v, v, patches_between(ctx.series, ref_v, v)))
    for s, a, b, was, at in _equivalence_rows(spec, ref_v, v, ctx):
        if a is b and was == s.entry.name and s.id not in differences and comparable(a, b):
            # Most rows: the very same outcome on both sides (the same code ran), compared and the same.
            t.pairs.append((at, position(s.id)))
            t.entries[was] = None
            continue
        found = differences.get(s.id)
        alone = _one_sided_once(one_sided, sides(), v, (was, s.entry.name, s.unit.path), a, b) \
            if s.entry.kind in _FOUND else None
        if alone is not None:
            # An entry point found in the code on one side only: nothing to compare it with, said so and never
            # counted as compared. A new one (a later patch's wrapper) had no behaviour to keep: the verdict rests
            # on the entry points both have. One that is gone took its behaviour with it: never a pass.
            (t.absent if a.status is OutcomeStatus.NOT_PROVIDED else t.unrun)[alone] = None
            continue
        if found and DiffClass.PROVIDED in found.classes and DiffClass.PROVIDED not in spec.ignore:
            # An entry point the code visibly defines on one side only (a patch adds or removes it): a difference,
            # never "did not run" and a pass on the others.
            had = "not provided" if a.status is OutcomeStatus.NOT_PROVIDED else "provided"
            t.evidence.append(Evidence(f"as {ref}: {s.entry.name}() {had}", "; ".join(found.notes), s))
            continue
        if not comparable(a, b):  # a side did not run, or neither built: nothing compared, never "the same"
            _idle(t, ref_v, v, s, was, a, b)
            continue
        t.pairs.append((at, position(s.id)))
        t.entries[was] = t.entries[s.entry.name] = None
        if was != s.entry.name:  # a row a rename pairs (harness.renamepair): the rename it rests on is said
            t.followed.update({r.note: None for r in cmp.renamed if r.new == s.entry.name})
        # An unknown outcome (LIMIT) is never ignored: ignoring it could pass what never ran.
        classes = tuple(c for c in found.classes if c not in spec.ignore or c is DiffClass.LIMIT) if found else ()
        if classes:
            notes = found.notes if found and classes == found.classes else _some(a, b, classes, found)
            t.evidence.append(Evidence(f"as {ref}: {describe(a)}", f"{describe(b)} ({'; '.join(notes)})", s))
    return _verdict(rule, v, (ref, ref_v), ctx, t)


def _some(a: Outcome, b: Outcome, classes: tuple[DiffClass, ...], found: Difference | None) -> tuple[str, ...]:
    """The notes of some of a difference's classes, a log line's conversions named as the difference names them
    (harness.convnotes: explain alone says 'printed differently')."""
    notes = explain(a, b, classes)
    if found is None or DiffClass.LOG not in classes:
        return tuple(notes)
    return renamed(tuple(explain(a, b, found.classes)), found.notes, notes)


def _idle(t: _Tally, ref_v: Variant, v: Variant, s: Scenario, was: str, a: Outcome, b: Outcome) -> None:
    """Why a row where a side did not run (or neither built) was not compared, each reason once per outcome
    object; an entry point absent by design (not provided) apart from one that could not run. What a row adds is
    read from its entry point's names, its unit and its two outcomes alone: a row like one read before (equal
    outcomes are one object) adds what is there already, so it is passed over (check_equivalence holds every row
    until all are read: an outcome's id is its own meanwhile)."""
    last = t.last
    if last and last[3] is a and last[4] is b and last[:3] == (was, s.entry.name, s.unit.path):
        return  # the row before, again (a scenario's neighbours): read without id(), an audit event (harness.auditlog)
    t.last = (was, s.entry.name, s.unit.path, a, b)
    row = (was, s.entry.name, s.unit.path, id(a), id(b))
    if row in t.idled:
        return
    t.idled.add(row)
    idle = idle_sides(a, b)
    both = missing_on_both(was, a, b) if all(idle) and was == s.entry.name else None
    if both is not None:  # one cause of both sides, said once as the per-patch lines say it (harness.compare)
        said = t.reasons.get((2, both, 0)) or t.reasons.setdefault((2, both, 0), neither_reason(ref_v, v, both))
        origin = s.entry.origin if both == s.entry.name else None
        by_design = all(o.status is OutcomeStatus.NOT_PROVIDED and not absence_unknown_at(side, both, origin)
                        for side, o in ((ref_v, a), (v, b)))
        (t.absent if by_design else t.unrun)[said] = None
        return
    for n, side, name, o in ((0, ref_v, was, a), (1, v, s.entry.name, b)):
        if idle[n]:
            key = (n, name, id(o))
            why = t.reasons.get(key)
            if why is None:
                why = t.reasons[key] = not_run_reason(side, name, o)
            gone = unit_gone(v, s.unit.path) if n and a.ran else None  # its unit deleted: not kept
            by_design = not gone and o.status is OutcomeStatus.NOT_PROVIDED and \
                not absence_unknown_at(side, name, s.entry.origin if name == s.entry.name else None)
            (t.absent if by_design else t.unrun)[gone or why] = None


def _verdict(rule: Rule, v: Variant, reference_of: tuple[str, Variant], ctx: CheckContext, t: _Tally) -> Verdict:
    """The verdict on what the rows found against the reference (its name as the rule gives it, and its variant):
    code that differs but never ran is not known to be the same."""
    ref, ref_v = reference_of
    gone = "; ".join(why for why, _ in merge_reasons(dict.fromkeys(t.absent, 1)))
    lost = "; ".join(why for why, _ in merge_reasons(dict.fromkeys(t.unrun, 1)))
    if not t.evidence:  # the same where both ran
        names, held = sorted(t.entries), _compared(ctx, ref, v.name, t.pairs)
        lines = ctx.once(("unrun", ref, v.name, *names, *t.pairs),
                         lambda: unrun_changes(ref_v, v, ctx.result, names, compared=held))
        # No scenario runs code the mail does not show: --tree, which that line says, does.
        hint = (HINT,) if any(not line.endswith(UNSEEN_USERS) for line in lines) else ()
        unreached = ctx.once(("unreached", ref, v.name, *names), lambda: _unreached(ref_v, v, ctx, names)) \
            if t.pairs else ()
        lost = "; ".join(x for x in (lost, *lines, *hint, *unreached, *_unseen(ref_v, v, ctx, names)) if x)
    if not t.pairs and not t.evidence:
        why = "; ".join(x for x in (lost, gone) if x) or "no selected scenario ran on both sides"
        return inconclusive(rule, v, f"nothing compared with {ref}: {why}")
    undecided = _values(rule, ref_v, v, ctx, t) + _parameters(ref_v, v, ctx, sorted(t.entries)) \
        if not t.evidence else ()
    # An entry point the patches between visibly add or remove is a difference even when no other scenario ran on
    # both sides: it was an inconclusive 'nothing compared with v3:01: ' with no reason, its evidence dropped.
    said = "; ".join([f"{counted(len(t.pairs), 'scenario')} compared with {ref}" if t.pairs
                      else f"no other scenario compared with {ref}", *t.followed])
    # What was compared with what: the reference by the state it is and by how the rule names it.
    ran = [Reading(ReadRole.JUDGED, f"the runs of {counted(len(t.pairs), 'scenario')} of "
                   + ", ".join(f"{n}()" for n in sorted(t.entries)), v.name)] if t.pairs else []
    spec = rule.check.reference if isinstance(rule.check, EquivalenceCheck) else ref
    # What is not provided by design is said last: "all as expected" follows the scenarios compared, not that list.
    found = settle(rule, v, t.evidence, said, lost, gone)
    if undecided and not t.evidence:  # the same where both ran, but on answers that cannot show a changed condition
        found = inconclusive(rule, v, with_gaps(f"{said}, all the same, but " + "; ".join(
            (*undecided, *((f"some could not run: {lost}",) if lost else ()))), gone))
    return with_readings(found, (*ran, Reading(
        ReadRole.REFERENCE, "the same scenarios' runs", ref_v.name, how=f'reference = "{spec}"')))


def _parameters(ref_v: Variant, v: Variant, ctx: CheckContext, names: list[str]) -> tuple[str, ...]:
    """Variables set outside the runs that the variant adds over what the compared entry points read
    (harness.newparams)."""
    facts, ref_facts = ctx.facts(v), ctx.facts(ref_v)
    if not isinstance(facts, CodeFacts) or not isinstance(ref_facts, CodeFacts):
        return ()
    return ctx.once(("new parameters", ref_v.name, v.name, *names),
                    lambda: new_parameters((ref_v, ref_facts), v, facts, names, ctx.result.store))


def _unseen(ref_v: Variant, v: Variant, ctx: CheckContext, names: list[str]) -> list[str]:
    """From mail alone, a helper the compared entry points reach that moved from a .c file into a header no line shown
    includes there (harness.moveseen): its runs are the same, but the code left in that file may no longer see it."""
    renamed = rename_pairing(ctx.result, ctx.series, ref_v, v).names
    return unseen_homes(moved_into_headers(ref_v, v, names, renamed), v)


def _unreached(ref_v: Variant, v: Variant, ctx: CheckContext, names: list[str]) -> tuple[str, ...]:
    """The lines the two states differ by in code both hold that no compared entry point reaches (harness.reach): no
    run of either side ran them, so "the same" says nothing of them (eval says them too: 'the patch also changes code
    no entry point reaches'). Code one side alone holds (a helper the patch adds that nothing calls) had no behaviour
    to keep, and is left out; so is a helper a rename the comparison follows left under its old name."""
    lines = [(side, path, n, text) for side, by_path in enumerate(changed_lines(ref_v, v))
             for path, numbered in sorted(by_path.items()) if path.endswith((".c", ".h"))
             for n, text in sorted(numbered.items())]
    renamed = rename_pairing(ctx.result, ctx.series, ref_v, v).names  # an old name's code runs under its new one
    places = unreached_places(lines, (ref_v, v), ctx.result, ran=names, both=True, renamed=renamed)
    if not places:
        return ()
    # Who else reaches it: the hint differs for code an entry point the rule leaves out reaches (widen the rule)
    # and code nothing in the matrix reaches (add an entry point).
    others = [e.name for e in ctx.result.matrix.entries if e.name not in names]
    by = {e: {p.owner for p in unreached_places(lines, (ref_v, v), ctx.result, ran=[e], both=True, renamed=renamed)}
          for e in others}
    partial = {src.path for side in (ref_v, v) for src in variant_sources(side) if not src.complete}
    said = [_unreached_said(p, [e for e in others if p.owner not in by[e]], partial) for p in places[:_SHOWN]]
    return (*said, *([counted(len(places) - _SHOWN, "more place")] if len(places) > _SHOWN else []))


_SHOWN = 6  # unreached places said, then how many more


def _unreached_said(place: Place, reaching: list[str], partial: set[str]) -> str:
    """An unreached place with what is known of who reaches it: matrix entry points the rule does not compare
    (its claim ran none of them), none known (code the mail shows only in part: its callers are not read), or
    none in the matrix. Read from the place's fields (harness.comparison.Place), never from its words."""
    if reaching:
        return f"{place.text}, reached only by entry points this rule does not compare ({', '.join(reaching)}): " \
               "widen the rule's scenarios.entry"
    if place.reach is not Reach.NONE:  # the place says why, and the hint (harness.comparison.SEEN_CALL)
        return f"{place.text}, which no compared entry point is known to reach"
    if place.path in partial:  # its file known only from hunks: who calls it is not read
        return f"{place.text}, which no compared entry point is known to reach: give --tree"
    return f"{place.text}, which no compared entry point reaches: give the matrix an entry point that calls it"


def _values(rule: Rule, ref_v: Variant, v: Variant, ctx: CheckContext, t: _Tally) -> tuple[str, ...]:
    """The runs of the answers next to the conditions that differ between the two sides (harness.valuecover), over
    the entry points and leaves compared: a difference is evidence; the changed conditions none told apart, which a
    pass cannot stand over."""
    picked = frozenset(q for _, q in t.pairs)
    found = ctx.once(("values", ref_v.name, v.name, *sorted(picked)),
                     lambda: value_runs(ctx.result, ref_v.name, v.name, picked))
    ignore = rule.check.ignore if isinstance(rule.check, EquivalenceCheck) else ()
    for d in found.differences:
        # An unknown outcome (LIMIT) is never ignored: ignoring it could pass what never ran.
        classes = tuple(c for c in d.classes if c not in ignore or c is DiffClass.LIMIT)
        if classes:
            notes = d.notes if classes == d.classes else ()
            t.evidence.append(Evidence(f"as {ref_v.name}, {value_run_words(d.scenario)}",
                                       "; ".join(notes or (c.value for c in classes)), d.scenario))
    # A retry loop nested in another that the change touches: runs driving one loop at a time agree whatever the
    # nest does to the SEAMCALLs made and the value returned (harness.nestedretry), unless the rule ignores both.
    nested = () if {DiffClass.CALLS, DiffClass.RETURN} <= set(ignore) else nest_changes(ctx.result, ref_v.name, v.name)
    # A changed printk conversion no compared run printed apart (the log agreed): said with a value it prints apart,
    # unless the rule ignores the log (harness.valueconv.unprinted).
    convs = () if DiffClass.LOG in ignore else unprinted(changed_conversions(ref_v, v), [], found.undecided)
    return tuple(u if u.startswith(("a value of ", "a printk conversion ")) else
                 f"a changed condition no run tells apart: {u}" for u in found.undecided) + convs + nested \
        + _unmodelled(ref_v, v, ctx)


def _unmodelled(ref_v: Variant, v: Variant, ctx: CheckContext) -> tuple[str, ...]:
    """What no run shows whatever the rule ignores: a macro evaluating an argument another number of times
    (harness.macroargs), a function put in another section (harness.sectionwords); renames followed."""
    renamed = rename_pairing(ctx.result, ctx.series, ref_v, v).names
    return argument_changes(ctx.result, ref_v.name, v.name, renamed) + \
        section_changes(ctx.result, ref_v.name, v.name, renamed)


_FOUND = (EntryKind.DISCOVERED, EntryKind.CHANGED)
_ABSENT = OutcomeStatus.NOT_PROVIDED


def _one_sided_once(kept: dict[tuple[str, str, str, bool, bool], str | None], sides: Sides, v: Variant,
                    names: tuple[str, str, str], a: Outcome, b: Outcome) -> str | None:
    """_one_sided, once per what it reads (the names, the unit, which side is not provided): the scenarios of an
    entry point ask it again and again. ``sides``: the reference (``sides.a``) and what lies between it and ``v``."""
    key = (*names, a.status is _ABSENT, b.status is _ABSENT)
    if key not in kept:
        kept[key] = _one_sided(sides.a, v, names, a, b, sides)
    return kept[key]


def _one_sided(ref: Variant, v: Variant, names: tuple[str, str, str], a: Outcome, b: Outcome,
               sides: Sides | None = None) -> str | None:
    """Why an entry point that one side provides and the other by design does not (added or removed between
    them, moved into a unit a patch between them creates, or kept private to another .c file than the scenario's
    unit: harness.rununits.private_elsewhere) is not compared; None unless so (a lack the code read cannot show,
    absence_unknown, is said as not run, and leaves a pass inconclusive). ``names``: the entry point's name in
    ``ref``, in ``v``, and the scenario's unit; ``sides``: ref, v and what the patches between them do."""
    was, name, unit = names
    missing = a.status is OutcomeStatus.NOT_PROVIDED, b.status is OutcomeStatus.NOT_PROVIDED
    if missing[0] == missing[1]:
        return None
    if sides is not None and missing[0] and was == name and \
            (moved := moved_into_created(sides, name, a, b, unit)) is not None:
        return moved  # eval's words for the same move (harness.providedchange), not "is new to"
    if absence_unknown(*((ref, was) if missing[0] else (v, name))):
        return None  # a lack the code read does not show: said as not run
    lacks, called = (ref, was) if missing[0] else (v, name)
    where = private_elsewhere(variant_sources(lacks), called, unit_at(lacks.moved, unit))
    if where is not None:
        return f"{called}() {'is new to' if missing[0] else 'is gone from'} {unit} in {v.name} (in {lacks.name} it " \
               f"is {where}, which {unit} cannot call): not compared, nothing to compare it with"
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
    for p, s in ctx.positions(spec.scenarios):
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
        none = (OutcomeStatus.NOT_PROVIDED,) * 2
        out += [(s, rows[0][p], rows[1][p], s.entry.name, p) for p, s in ctx.positions(found)
                if s.entry.kind in _FOUND and (rows[0][p].status, rows[1][p].status) != none]
    return out
