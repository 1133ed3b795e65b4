"""The registry of every check kind and what runs a rule on a variant.

The kinds are harness.behaviour, harness.equivalence, harness.consistency and the others; a rule runs on a variant when
it applies there, then its check does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from harness.behaviour import check_behaviour
from harness.buildflags import state_flags_reason
from harness.changelogcheck import check_changelog
from harness.codechecks import check_source
from harness.configonly import WHY as CONFIG_WHY
from harness.configonly import assumed_built, assumed_names, judged_names, set_words, unbuilt_reached
from harness.consistency import check_consistency, printing_wrapper
from harness.coverage import absence_unknown, not_run_reason, unusable_code
from harness.entrygone import gone_entry
from harness.equivalence import check_equivalence
from harness.follow import follow_entries, with_follows
from harness.kbuilddefs import build_defines
from harness.lockdepcheck import check_lockdep
from harness.matrix import Scenario
from harness.model import number_ranges
from harness.movecheck import check_moves
from harness.ownleaf import issued_leaf
from harness.patchplace import PatchPlace
from harness.ruleinput import patch_numbers
from harness.rules import (
    BehaviourCheck,
    ChangelogCheck,
    CheckSpec,
    ConsistencyCheck,
    EquivalenceCheck,
    LockdepCheck,
    MovesCheck,
    Rule,
    Selector,
    SourceCheck,
)
from harness.statenames import parse_prefix, reply_upto, state_gap
from harness.variants import Variant
from harness.verdict import (
    CheckContext,
    Verdict,
    VerdictStatus,
    inconclusive,
    not_applicable,
    reference,
    rule_place,
)
from models.outcome import OutcomeStatus

# kind -> (the spec its [rule.check] table is read into, the function that judges it)
REGISTRY: dict[str, tuple[type[CheckSpec], Callable[..., Verdict]]] = {
    "behaviour": (BehaviourCheck, check_behaviour),
    "equivalence": (EquivalenceCheck, check_equivalence),
    "consistency": (ConsistencyCheck, check_consistency),
    "source": (SourceCheck, check_source),
    "changelog": (ChangelogCheck, check_changelog),
    "moves": (MovesCheck, check_moves),
    "lockdep": (LockdepCheck, check_lockdep),
}
SPECS: dict[str, type[CheckSpec]] = {kind: spec for kind, (spec, _) in REGISTRY.items()}


def _needs_patch(rule: Rule) -> bool:
    """Whether the rule reads its patch itself (its changelog, or the state before it); other rules judge the
    variant's own code whether or not the revision has the patch."""
    if isinstance(rule.check, ChangelogCheck) and rule.check.patch is None:
        return True
    return getattr(rule.check, "reference", None) == "before:patch"


def _parts_note(place: PatchPlace, v: Variant, ctx: CheckContext) -> str:
    """The note on the patches that make the rule's change (PatchPlace.parts), and where the variant holds only the
    first of them (a state inside the change, a reply's diff to one of them), that it is judged on those: the span
    named ends at a state it does not hold ("judged from v2:02 to v2:04" of v2:03, which read 03/4 alone)."""
    rev = ctx.series.revision(v.revision) if v.revision is not None else None
    last = place.change_end
    if rev is None or place.parts is None or last is None:
        return place.parts or ""
    upto = v.prefix if v.start is None and v.name != rev.name else reply_upto(v)
    if upto is None or upto >= last:
        return place.parts
    width = max(2, len(str(rev.total)))
    return f"{place.parts}; {v.name} holds them up to {upto:0{width}d}/{rev.total}: judged on those alone"


def _numbered(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict | None:
    """n/a when a patch the rule names by number (harness.ruleinput.patch_numbers) is past the variant's revision or
    its prefix; inconclusive when the variant would hold it but the input does not (a mail not given): the rule
    is about that patch, so neither "not applicable" nor the code without it may stand for it."""
    rev = ctx.series.revision(v.revision) if v.revision is not None else None
    if rev is None:
        return None
    # A reviewer's proposal that starts before the patch stands in for it (before:N is then its start); a reply's
    # diff to patch KK stands in for KK alone.
    start = parse_prefix(v.start)[1] if v.start is not None else None
    upto = v.prefix if v.start is None and v.name != rev.name else reply_upto(v)
    for n, _ in patch_numbers(rule):
        if n > rev.total:
            return not_applicable(rule, v, f"v{rev.version} has {rev.total} patches: none is numbered {n}")
        if start is not None and start < n and upto is None:
            continue
        if upto is not None and upto < n:
            return not_applicable(rule, v, f"the variant stops before patch {n:02d}")
        if rev.patch(n) is None:
            width = max(2, len(str(rev.total)))
            return inconclusive(rule, v, f"v{rev.version} {n:0{width}d}/{rev.total}, the patch the rule names, is "
                                         "not in the input: give every patch of the revision")
    return None


def _before_parts(place: PatchPlace | None, upto: int | None, v: Variant, ctx: CheckContext) -> str | None:
    """Why the variant holds none of a rule's change that its revision makes in patches of other titles (the titled
    patch gone: harness.patchparts): it stops before the first of them. Judged from the anchor (the state
    ``before:patch`` names), a pass or failure there was about the patches before them (v5:01 of a v4 03 made by v5
    03 and 04). None when it holds some of them, or the change is not so placed."""
    if place is None or place.number is not None or not place.numbers or upto is None or upto >= place.numbers[0]:
        return None
    rev = ctx.series.revision(v.revision) if v.revision is not None else None
    total = rev.total if rev is not None else max(place.numbers)
    return (f"{place.dropped}; the variant stops before v{v.revision} {place.numbers[0]:0{max(2, len(str(total)))}d}/"
            f"{total}, the first of the patches that make its change")


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
    if place is not None and place.later and getattr(rule.check, "reference", None) == "before:patch":
        # The state before a patch the revision does not have yet is no state of it: compared with its first
        # patches, the rule judged the revision's own other changes (v2's 'Prepare' failed a rule on v3's 02/2).
        if place.alike is not None:
            return inconclusive(rule, v, f"{place.dropped}? {place.alike}: if it is the same patch under an earlier "
                                         "title, name the rule's patch by words both titles share")
        return not_applicable(rule, v, f"v{v.revision} has no such patch: {place.dropped}")
    upto = v.prefix if v.prefix is not None else reply_upto(v)
    if place is not None and place.start is not None and upto is not None and upto < place.start:
        return not_applicable(rule, v, f"the variant stops before patch {place.start:02d}")
    if place is not None and place.dropped is not None and v.prefix is not None and v.prefix <= place.anchor:
        return not_applicable(rule, v, f"{place.dropped}; the variant stops before where it was")
    before_parts = _before_parts(place, upto, v, ctx)
    if before_parts is not None:
        return not_applicable(rule, v, before_parts)
    gap = state_gap(v, ctx.series)
    if gap is not None and not isinstance(rule.check, ChangelogCheck):
        return inconclusive(rule, v, gap)
    if rule.requires_entry is not None:
        outs = ctx.outcomes(v.name, entry=rule.requires_entry)
        if all(o.status is OutcomeStatus.NOT_PROVIDED for _, o in outs):
            why = not_run_reason(v, rule.requires_entry, outs[0][1]) if outs else "no scenario uses it"
            # A file not built, or lines no hunk shows (mail alone, a name no later patch adds), may define it.
            if "known only from hunks" in why or unusable_code(v) or absence_unknown(v, rule.requires_entry):
                return inconclusive(rule, v, why)
            # The point is about what the entry point prints: another that prints the same leaves keeps it.
            instead = printing_wrapper(rule.check, v, ctx) if isinstance(rule.check, ConsistencyCheck) else None
            if instead is None:
                return gone_entry(rule, v, ctx) or \
                    not_applicable(rule, v, f"the variant does not provide {rule.requires_entry}")
    return None


def run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    """The rule's verdict on one variant; a rule whose patch was dropped says so in its note, and one naming an
    entry point the variant shows renamed judges the new name and says so (harness.follow). Worked out once per
    rule and variant: the witness check (harness.witness) asks again for the state the rule's cited review read,
    most often one judged already (the entry holds the rule, so its id is never reused while it lives)."""
    kept, found = ctx.once(("run_check", id(rule), v.name), lambda: (rule, _followed(rule, v, ctx)))
    return found if kept is rule else _followed(rule, v, ctx)


def _followed(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    judged, seen = follow_entries(rule, v, ctx)
    found = with_issued(_run_check(judged, v, ctx), ctx)
    return _flagged(rule, v, ctx, with_follows(found, rule, seen) if seen else found)


def with_issued(found: Verdict, ctx: CheckContext) -> Verdict:
    """``found`` whose evidence in runs of an entry point fed no leaf names the leaf the run issued (TDH_SYS_RD, 34),
    not the matrix's leaf the run stands for (TDH_SYS_INIT): said as eval says it, 'its own leaf 0x22'."""
    if not any(e.scenario is not None and e.scenario.leafless for e in found.evidence):
        return found
    res = ctx.result

    def issued(s: Scenario) -> str:
        return issued_leaf(res.matrix.leaves, [res.outcome(found.variant, s)]) if s.id in res.matrix.positions else ""

    return replace(found, evidence=tuple(replace(e, issued=issued(e.scenario)) if e.scenario is not None
                                         and e.scenario.leafless else e for e in found.evidence))


def _flagged(rule: Rule, v: Variant, ctx: CheckContext, found: Verdict) -> Verdict:
    """A pass on code whose build a patch of the variant hands a preprocessor flag (``ccflags-y += -DSC_TRIES=1``
    over ``#ifndef SC_TRIES``) is inconclusive, naming the line: the mirror ran the code as built without it."""
    if found.status is not VerdictStatus.PASS or isinstance(rule.check, ChangelogCheck):
        return found
    why = state_flags_reason(v, ctx)
    other = _reference_state(rule, v, ctx) if why is None else None
    if other is not None:  # the state compared with was run as built too, or the comparison is not of what is built
        said = state_flags_reason(other, ctx)
        why = f"in {other.name}, the state compared with, {said}" if said else None
    if why is None:
        return _built_with(v, found)
    return inconclusive(rule, v, f"{found.note}, but {why}" if found.note else why)


def _reference_state(rule: Rule, v: Variant, ctx: CheckContext) -> Variant | None:
    """The variant a rule's check compares ``v`` with (its ``reference``: harness.verdict.reference), when it ran."""
    spec = getattr(rule.check, "reference", None)
    name = reference(spec, v, ctx, rule) if isinstance(spec, str) else None
    other = ctx.variant(name) if name is not None else None
    return other if other is not None and other.name != v.name else None


def _built_with(v: Variant, found: Verdict) -> Verdict:
    """A pass on code run with kbuild's command-line macros (harness.kbuilddefs) says which: what it rests on."""
    built = build_defines(v)
    if not built.defines:
        return found
    units = dict(built.units)  # a macro of some units only: which
    said = "ran as kbuild builds it, with " + " ".join(f"-D{n}={b}" + (f" ({units[n]})" if n in units else "")
                                                       for n, b in built.defines)
    return replace(found, note=f"{found.note}; {said}" if found.note else said)


def _configured(rule: Rule, v: Variant, ctx: CheckContext, found: Verdict) -> Verdict:
    """A pass whose reached code has lines only another kernel configuration builds is inconclusive, naming
    them (harness.configonly): the mirror ran, and the source check read, one configuration. An inconclusive verdict
    names them too, after its own reason (a call site not told apart may be one only such a configuration builds)."""
    if found.status not in (VerdictStatus.PASS, VerdictStatus.INCONCLUSIVE):
        return found
    selected = _entry_names(ctx, rule.check.scenarios) \
        if isinstance(rule.check, (BehaviourCheck, EquivalenceCheck, LockdepCheck)) else []
    every = _entry_names(ctx, None)
    passed = found.status is VerdictStatus.PASS
    if passed and (taken := assumed_built(v, assumed_names(rule.check, selected, every))):  # no .config is read
        found = replace(found, note="; ".join([*filter(None, [found.note]), *taken, set_words(taken)]))
    names = judged_names(rule.check, selected, every)
    unbuilt = ctx.once(("config-only", v.name, tuple(names)), lambda: unbuilt_reached(v, names)) if names else []
    if not unbuilt:
        return found
    said = f"some code did not run: {'; '.join(unbuilt)}: {CONFIG_WHY}"
    if not passed:
        return replace(found, note=f"{found.note}; and {said}" if found.note else said)
    return inconclusive(rule, v, f"{found.note}, all as expected, but {said}" if found.note else said)


def _entry_names(ctx: CheckContext, sel: Selector | None) -> list[str]:
    """The entry points of the scenarios a selector picks (None: every scenario), sorted: the same for every
    variant, so worked out once (a shared list: read it, never change it)."""
    return ctx.once(("entry names", sel), lambda: sorted({
        s.entry.name for s in (ctx.selected(sel) if sel is not None else ctx.result.matrix.scenarios)}))


def _reworded(rule: Rule, place: PatchPlace | None, found: Verdict, v: Variant) -> Verdict | None:
    """A changelog rule n/a on a revision that has its patch by no title, yet may have its change: never a silent
    n/a. Inconclusive when a patch names the old title or changes the same lines (reworded, perhaps), or other
    patches make its changed lines (harness.patchparts: their changelogs explain it under other titles)."""
    if place is None or not isinstance(rule.check, ChangelogCheck) or rule.check.patch is not None \
            or found.status is not VerdictStatus.NOT_APPLICABLE:
        return None
    if place.alike is not None:
        return inconclusive(rule, v, f"{place.dropped}? {place.alike}: if it is the same patch with a new "
                                     "title, name the rule's patch by words both titles share")
    if place.number is None and place.parts is not None:
        return inconclusive(rule, v, f"{place.dropped}, but {place.parts}: whether their changelogs say what the "
                                     "rule is about is not judged")
    return None


def _run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    absent = applicable(rule, v, ctx)
    if absent is not None:
        return absent
    spec_type, check = REGISTRY[rule.kind]
    assert isinstance(rule.check, spec_type)  # load_rules read the table with this very spec
    found = _configured(rule, v, ctx, check(rule, rule.check, v, ctx))
    place = rule_place(rule, v, ctx)
    reworded = _reworded(rule, place, found, v)
    if reworded is not None:
        return reworded
    if place is not None and place.nowhere and _needs_patch(rule):
        # A misspelt title, or a patch dropped before every revision given: what the rule reads of the patch
        # is not known, so neither a pass nor a failure stands (and never a silent n/a).
        said = f"; judged with the revision's base as 'before' it would be {found.status}" \
            if found.status in (VerdictStatus.PASS, VerdictStatus.FAIL) else ""
        # A check that read the patch (a changelog's) already says why it is missing: said once.
        more = f"; {found.note}" if found.note and found.note != place.dropped else ""
        return inconclusive(rule, v, (place.dropped or "") + said + more)
    if place is not None and place.parts is not None and found.status is not VerdictStatus.NOT_APPLICABLE \
            and _needs_patch(rule):
        found = replace(found, note=_parts_note(place, v, ctx) + (f"; {found.note}" if found.note else ""))
    if place is not None and place.dropped is not None and found.status is not VerdictStatus.NOT_APPLICABLE:
        note = f"{place.dropped}: judged on {v.name}'s own code" + (f"; {found.note}" if found.note else "")
        return replace(found, note=note)
    return found
