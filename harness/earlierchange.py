"""An equivalence or source rule's pass checked against the states before its patch, patch by patch.

The pass is checked back to the revision's base when the input holds no earlier revision of that patch, or back past the
patches the earlier revision did not have before it as they are: harness.patchparts finds a part of the patch's change
that another patch before it makes by that earlier patch's lines alone, and a part it cannot tell would sit in the
reference unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from harness.buildflags import state_flags_reason
from harness.compare import patches_between
from harness.model import Patch, Series
from harness.patchparts import bare_title
from harness.patchplace import Unchecked, state_name, unchecked_earlier
from harness.reviewedstate import reviewed_state
from harness.rules import EquivalenceCheck, Rule, SourceCheck
from harness.statenames import parse_prefix
from harness.variants import NO_TREE, Variant, patch_label
from harness.verdict import CheckContext, Evidence, Verdict, VerdictStatus, inconclusive, reference
from models.outcome import OutcomeStatus

Spec = TypeVar("Spec", EquivalenceCheck, SourceCheck)
# Whether a failure's evidence, found by judging the state after an earlier patch (second) against the state before
# it (first), is no change to what the rule compares (harness.earliernew: new code of a file that patch creates).
Aside = Callable[[Variant, Variant, Evidence], bool]
# (state after a patch changed since, the earlier state after its earlier version, the patch, how the patches before
# it differ (counterparts), the earlier patches before it dropped since that alone make the difference).
Counterpart = tuple[str, str, Patch, str, tuple[int, ...]]


def earlier_unseen(rule: Rule, spec: Spec, v: Variant, ctx: CheckContext, found: Verdict,
                   judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict],
                   aside: Aside | None = None) -> Verdict:
    """``found`` (a ``before:patch`` pass of ``v``), or inconclusive when a patch before the rule's one changes
    what the rule compares (``judge`` of the state after it against the state before it fails there, on evidence
    ``aside`` does not set aside) and harness.patchparts cannot tell whether it makes part of the rule's change: the
    input has no earlier revision holding the rule's patch title, or that revision did not have the patch before it
    as it is (patchplace.unchecked_earlier); the note names each such patch and what it changes."""
    if found.status is not VerdictStatus.PASS or spec.reference != "before:patch" or v.revision is None:
        return found
    version, judge = v.revision, partial(_as_built, judge)
    unchecked = ctx.once(("unchecked-earlier", rule.patch, version),
                         lambda: unchecked_earlier(rule.patch, v, ctx.series))
    if unchecked is None or (v.prefix is not None and v.prefix < unchecked.number):
        return found
    # A review of the judged revision's own patch read the patches before it beneath it, as posted: with an earlier
    # revision or without one, what they change is theirs, not a part of the reviewed change split off unseen.
    if (read := _reviewed_here(rule, version, ctx)) is not None:
        said = (f"the patches before '{rule.patch}' are not checked for a part of its change: <{rule.msgid}> "
                f"reviewed {read}, with them beneath it as posted")
        return replace(found, note=f"{found.note}; {said}" if found.note else said)
    title = f"where '{rule.patch}' was" if unchecked.dropped else f"'{rule.patch}'"
    got = _Earlier([], [], [], False)
    without: list[str] = []
    for block in _blocks(unchecked.patches):
        more = _changes(rule, spec, version, block, ctx, judge, aside)
        got = _Earlier(got.changing + more.changing, got.unknown + more.unknown, got.left + more.left,
                       got.unseen or more.unseen)
    if not got.changing:
        changed, unsure, unjudged, without = _against_earlier(rule, spec, unchecked, version, ctx, judge)
        if unjudged:  # a pass cannot stand on a comparison that could not be made
            return inconclusive(rule, v, f"whether {unjudged[0]} changes what this rule compares against what its "
                                         f"earlier version did is not known; {_why_unknown(unchecked, title)}, so the "
                                         f"pass against {reference(spec.reference, v, ctx, rule)} is not given "
                                         f"({_fix(unchecked, version)})")
        got = _Earlier(changed, got.unknown + unsure, got.left, got.unseen)
    if got.changing:
        changing = got.changing
        verb = "changes" if len(changing) == 1 and " together" not in changing[0] else "change"
        # From mail alone, code a patch moves into a file it creates reads as new there; the tree shows where it was.
        tree = ", or --tree: from mail alone, code a patch moves into a file it creates reads as new there" \
            if got.unseen else ""
        return inconclusive(rule, v, f"{'; '.join(changing)} {verb} what this rule compares, before {title}; "
                                     f"{_why_unknown(unchecked, title)}: whether this is one cannot be told, so "
                                     f"the pass against {reference(spec.reference, v, ctx, rule)} is not given "
                                     f"({_fix(unchecked, version)}{tree})")
    if got.unknown or got.left:
        return _unjudged(rule, spec, v, ctx, (found, judge), got, (unchecked, title))
    return replace(found, note="; ".join([found.note, *without] if found.note else without)) if without else found


def _as_built(judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict], rule: Rule, spec: Spec, v: Variant,
              ctx: CheckContext) -> Verdict:
    """``judge``'s verdict of ``v`` against the state ``spec.reference`` names, a pass inconclusive where either did
    not run as kbuild builds it (harness.buildflags.state_flags_reason): runs alike there show nothing of gcc's
    builds, so an earlier patch's change a flag hid would be taken for none."""
    got = judge(rule, spec, v, ctx)
    if got.status is not VerdictStatus.PASS:
        return got
    for state in (v, ctx.variant(spec.reference or "")):
        said = state_flags_reason(state, ctx) if state is not None else None
        if said:
            return inconclusive(rule, v, f"in {state.name}, a state compared, {said}" if state is not None else said)
    return got


# A run of patches before the rule's one that no state after it judged (within its block): their labels, why (the
# last verdict's note), and the number of the first of them.
_Left = tuple[str, str, int]


@dataclass(frozen=True)
class _Earlier:
    """What _changes finds of the patches before the rule's one."""

    changing: list[str]  # what each patch, or run of patches, changes of what the rule compares
    unknown: list[str]  # the patches whose states were not evaluated
    left: list[_Left]  # the runs no state after them judged
    unseen: bool  # some change found is in a file a patch creates, read without a tree (_moved_in_unseen)


def _unjudged(rule: Rule, spec: Spec, v: Variant, ctx: CheckContext,
              judging: tuple[Verdict, Callable[[Rule, Spec, Variant, CheckContext], Verdict]], got: _Earlier,
              said: tuple[Unchecked, str]) -> Verdict:
    """The pass (``judging``: it and the judge) where some patches before the rule's one could not be judged
    (``got``: the states not evaluated, eval narrowed by --variant, which leave it inconclusive: no pass stands on
    a comparison not made; the runs no state after them judged alone, _Left). Such runs keep the pass only if the
    rule's own check of ``v`` against the state before the first of them passes, which proves that nothing it
    compares changed however the change is split among the patches since; else inconclusive: unjudged is not
    unchanged, and such a patch may be the part of the rule's patch's change this check is here to find."""
    found, judge = judging
    unchecked, title = said
    notes = [found.note] if found.note else []
    if got.unknown:  # a pass cannot stand on a comparison that was not made (eval narrowed by --variant)
        return inconclusive(rule, v, f"whether the patches before {title} change what this rule compares is not "
                                     f"known: not compared ({', '.join(got.unknown)}); {_why_unknown(unchecked, title)}"
                                     f", so the pass against {reference('before:patch', v, ctx, rule)} is not given "
                                     f"(add those states with --variant, or run gate, which evaluates every state of "
                                     f"the revision)")
    if not got.left:
        return replace(found, note="; ".join(notes))
    labels = "; ".join(left[0] for left in got.left)
    before = state_name(ctx.series, v.revision, got.left[0][2]) if v.revision is not None else None
    if before is not None and ctx.variant(before) is not None:
        together = ctx.once(("earlier-together", rule.id, v.name, before),
                            lambda: judge(rule, replace(spec, reference=before), v, ctx))
        if together.status is VerdictStatus.PASS:
            notes.append(f"{labels} could not be judged alone: judged with {title}, against {before}, it passes too")
            return replace(found, note="; ".join(notes))
    why = "; ".join(f"{left[0]}: inconclusive there ({left[1]})" for left in got.left)
    return inconclusive(rule, v, f"whether the patches before {title} change what this rule compares is not known "
                                 f"({why}); {_why_unknown(unchecked, title)}, so the pass against "
                                 f"{reference('before:patch', v, ctx, rule)} is not given "
                                 f"({_fix(unchecked, v.revision or 0)})")


def counterparts(unchecked: Unchecked, series: Series, version: int) -> list[Counterpart]:
    """For each patch of ``unchecked`` changed since (its earlier version's number in ``unchecked.was``): (the state
    after it, the earlier revision's state after its earlier version, that patch, how the patches before it are not
    the earlier revision's before that version, one for one by title: empty when they are, _unlike, and the numbers
    of the earlier revision's patches before it dropped since when those alone make the difference, else ()). Those
    before it changed since are compared in turn, so the two states differ by what the patches changed since do now
    against what they did, and by what the patches before it new, moved up or dropped since do. Judged in revision
    ``version`` alone, code in a file such a patch creates is new there (an entry point with nothing to keep, a
    printer of a new file), though its earlier version created the file without it."""
    rev, old = series.revision(version), series.revision(unchecked.old_version or 0)
    if rev is None or old is None or rev.missing or old.missing:
        return []
    out = []
    for p, j in zip(unchecked.patches, unchecked.was, strict=True):
        after, after_old = state_name(series, version, p.number + 1), state_name(series, old.version, (j or 0) + 1)
        if j is None or after is None or after_old is None:
            continue
        here, there = rev.between(0, p.number - 1), old.between(0, j - 1)
        gone = _dropped_only(here, there, rev.patches)
        out.append((after, after_old, p, _unlike(here, there, rev.patches, (version, old.version)),
                    tuple(b.number for b in gone)))
    return out


def _gone(there: tuple[Patch, ...], now: tuple[Patch, ...]) -> list[Patch]:
    """The patches of ``there`` of no title ``now`` has: dropped since."""
    kept = {bare_title(a.mail.subject.title) for a in now}
    return [b for b in there if bare_title(b.mail.subject.title) not in kept]


def _dropped_only(here: tuple[Patch, ...], there: tuple[Patch, ...], now: tuple[Patch, ...]) -> list[Patch]:
    """The patches of ``there`` dropped since when ``there`` without them is ``here`` one for one by title (the
    earlier state without them is the counterpart then: without_name); empty otherwise."""
    titles = [bare_title(a.mail.subject.title) for a in here]
    gone = _gone(there, now)
    if not gone or titles != [bare_title(b.mail.subject.title) for b in there if b not in gone]:
        return []
    return gone


def without_name(state: str, drops: tuple[int, ...]) -> str:
    """The name of the earlier revision's state ``state`` (``v1:03``) built without its patches ``drops``
    (``v1:03-02``), a reviewer variant's start minus drops (harness.reviewer.build_without)."""
    return state + "".join(f"-{n:02d}" for n in drops)


def _unlike(here: tuple[Patch, ...], there: tuple[Patch, ...], now: tuple[Patch, ...], versions: tuple[int, int]
            ) -> str:
    """How ``there`` (the earlier revision's patches before a patch's earlier version) is not ``here`` (those before
    it now) one for one by title, for the note: empty when it is. It names the patches of no title the judged
    revision has (``now``; ``versions``: it and the earlier one), dropped since: the earlier state holds their
    change and this one does not, so a difference found between the two may be theirs; when they alone make the
    difference, the earlier state without them is compared instead (_against_earlier)."""
    titles = [bare_title(a.mail.subject.title) for a in here]
    if titles == [bare_title(b.mail.subject.title) for b in there]:
        return ""
    gone = _gone(there, now)
    version, earlier = versions
    named = ", ".join(f"v{earlier} {b.label} '{b.mail.subject.title}'" for b in gone)
    if not gone:
        return "with the patches before it that are not the earlier revision's one for one"
    if _dropped_only(here, there, now):
        return f"whose earlier version came after {named}, which v{version} dropped"
    return (f"with the patches before it that are not the earlier revision's one for one ({named} dropped since "
            "among them: a difference may be theirs)")


def counterpart_states(series: Series, rules: Iterable[Rule], variants: Iterable[Variant]) -> frozenset[str]:
    """The earlier revisions' states that earlier_unseen compares a patch changed since with (counterpart), for the
    rules that judge against ``before:patch``: a gate evaluates them beside the variant it judges (a state without
    patches dropped since: harness.dropless builds it from counterpart_drops)."""
    return frozenset({pair[1] for pair in _pairs(series, rules, variants)} |
                     set(counterpart_drops(series, rules, variants)))


def counterpart_drops(series: Series, rules: Iterable[Rule], variants: Iterable[Variant]
                      ) -> dict[str, tuple[str, tuple[int, ...], tuple[str, ...]]]:
    """Per earlier state without the patches dropped since that earlier_unseen compares with (without_name): the
    state it starts from and the numbers of the patches it drops, for harness.reviewer.build_without, and the states
    compared with it (the judged revision's states after the patches changed since: without one of them evaluated,
    nothing is compared with it, _against_earlier)."""
    out: dict[str, tuple[str, tuple[int, ...], tuple[str, ...]]] = {}
    for after, start, _, _, drops in _pairs(series, rules, variants):
        if drops:
            name = without_name(start, drops)
            was = out.get(name, (start, drops, ()))[2]
            out[name] = (start, drops, (*was, after) if after not in was else was)
    return out


def _pairs(series: Series, rules: Iterable[Rule], variants: Iterable[Variant]) -> list[Counterpart]:
    out: list[Counterpart] = []
    firsts = {v.revision: v for v in variants if v.revision is not None}
    for rule in rules:
        if getattr(rule.check, "reference", None) != "before:patch" or rule.patch is None:
            continue
        for version, v in firsts.items():
            found = unchecked_earlier(rule.patch, v, series)
            out.extend(counterparts(found, series, version) if found is not None else [])
    return out


def _against_earlier(rule: Rule, spec: Spec, unchecked: Unchecked, version: int, ctx: CheckContext,
                     judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict]
                     ) -> tuple[list[str], list[str], list[str], list[str]]:
    """What the patches of ``unchecked`` changed since change of what ``spec`` compares against their earlier
    versions' states (counterparts; no code set aside as a new file's: those versions created the files too), the
    states not evaluated, and, when the last comparison made could not be judged, why: a later one passing shows the
    states alike in what the rule compares, so an earlier one unjudged is not left; the last one unjudged is. Where
    the earlier state differs by patches dropped since alone, it is compared without them (counterpart_drops: built
    and run by gate and eval alike, harness.dropless; git am's refusal of a later patch without them leaves it
    unjudged), the state with them when that could not be built; the last list says which passes rest on such a
    state."""
    pairs = ctx.once(("earlier-counterparts", rule.patch, version),
                     lambda: counterparts(unchecked, ctx.series, version))
    unsure: list[str] = []
    left: list[str] = []
    without: list[str] = []
    for after, after_old, p, unlike, drops in pairs:
        label = f"v{version} {p.label} '{p.mail.subject.title}'" + (f", {unlike}" if unlike else "")
        dropless = bool(drops) and _holds_without(ctx.variant(without_name(after_old, drops)), after_old, drops, ctx)
        if dropless:
            after_old = without_name(after_old, drops)
        else:
            label += _unbuilt(drops)
        here, there = ctx.variant(after), ctx.variant(after_old)
        if here is None or there is None:
            unsure.append(f"{label} against {after_old}: a state not evaluated")
            continue
        if dropless and there.base_problems:  # git am stops there: the earlier patches need the dropped ones
            left = [f"{label}, against {after_old}, which cannot be built: {_stops_at(there, ctx)} does not apply "
                    f"without {'it' if len(drops) == 1 else 'them'} ({there.base_problems[0]})"]
            continue
        got = ctx.once(("earlier-counterpart-judged", rule.id, after, after_old),
                       partial(judge, rule, replace(spec, reference=after_old), here, ctx))
        if got.status is VerdictStatus.INCONCLUSIVE:
            # Neither state provides an entry point the rule compares (a document): nothing there to differ.
            nothing = _all_new(spec, there, ctx) and _all_new(spec, here, ctx)
            left = [] if nothing else [f"{label} against {after_old}, where its earlier version left the code: "
                                       f"inconclusive there ({got.note})"]
            continue
        found = _changed_by(spec, (there, here, got), ctx, None)
        if found is not None:
            return [f"{label} ({after} against {after_old}, where its earlier version left the code: "
                    f"{found[0]})"], unsure, [], []
        left = []
        if dropless:
            without.append(f"{label}: alike against {after_old}, built without {'it' if len(drops) == 1 else 'them'}")
    return [], unsure, left, without


def _holds_without(there: Variant | None, start: str, drops: tuple[int, ...], ctx: CheckContext) -> bool:
    """Whether ``there`` is the state ``start`` built without the patches ``drops`` (its patches applied are
    those, in order), not a manifest's variant of the same name built otherwise."""
    version, prefix = parse_prefix(start)
    rev = ctx.series.revision(version)
    if there is None or rev is None:
        return False
    want = [patch_label(p) for p in rev.patches if (prefix is None or p.number <= prefix) and p.number not in drops]
    return there.revision == version and list(there.applied) == want


def _stops_at(there: Variant, ctx: CheckContext) -> str:
    """The patch of the earlier revision whose hunk first failed building ``there`` (``v1 03/5``), by its
    Message-ID; "a patch" when the finding names none the input holds."""
    msgid = there.base_problems[0].where.msgid
    rev = ctx.series.revision(there.revision or 0)
    found = [p for p in (rev.patches if rev is not None else ()) if msgid and p.mail.msgid == msgid]
    return f"v{rev.version} {found[0].label}" if rev is not None and found else "a patch"


def _unbuilt(drops: tuple[int, ...]) -> str:
    """What the note adds where the earlier state holds patches dropped since and no state without them ran."""
    if not drops:
        return ""
    it, its, whose = ("it", "its", "that patch's") if len(drops) == 1 else ("them", "their", "those patches'")
    return (f": the earlier state holds {its} change too, so a difference may be {whose}, not this one's (the "
            f"earlier revision without {it} is not built to tell)")


def _reviewed_here(rule: Rule, version: int, ctx: CheckContext) -> str | None:
    """What the rule's cited review answers (``v3 06/26``) where it is a patch of revision ``version`` itself (or
    its cover letter): the patches before the rule's one are then those the review read beneath it, apart from its
    change, whatever an earlier revision had, or with none in the input; None for any other."""
    found = ctx.once(("reviewed", rule.msgid), lambda: reviewed_state(ctx.series, rule.msgid or "")) \
        if rule.msgid else None
    return found[1] if isinstance(found, tuple) and parse_prefix(found[0])[0] == version else None


def _blocks(patches: tuple[Patch, ...]) -> list[tuple[Patch, ...]]:
    """``patches`` in runs of consecutive numbers: a patch judged with the next ones (_changes) is judged with
    patches of the run alone, never with one between that the earlier revision showed apart."""
    runs: list[list[Patch]] = []
    for p in patches:
        if runs and runs[-1][-1].number + 1 == p.number:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [tuple(r) for r in runs]


def _why_unknown(unchecked: Unchecked, title: str) -> str:
    """Why the patches judged may make part of the change of the rule's patch, unseen."""
    if unchecked.earlier is None:
        return (f"the input holds no earlier revision with a patch titled {title}, by which a part of that patch's "
                "change made by another patch is found (harness.patchparts)")
    whys = "; ".join(f"{p.label}: {w}" for p, w in zip(unchecked.patches, unchecked.why, strict=True))
    them = "it" if len(unchecked.patches) == 1 else "them"
    return (f"the earlier revision's patch of that title, {unchecked.earlier}, did not come after {them} as "
            f"{'it is' if them == 'it' else 'they are'} ({whys}), and a part of its change made by another patch is "
            "found by that patch's lines alone (harness.patchparts), which a change reworded does not share")


def _label(unchecked: Unchecked) -> str:
    """The rule's patch as its revision's patches are labelled (``02/4``)."""
    total = unchecked.patches[0].mail.subject.total or 1 if unchecked.patches else 1
    return f"{unchecked.number:0{max(2, len(str(total)))}d}/{total}"  # as harness.model.Patch.label


def _fix(unchecked: Unchecked, version: int) -> str:
    """What would let the rule judge it."""
    if unchecked.earlier is None:  # a series' first posting has none: say what judges the patch alone
        return (f"give an earlier revision of the series too, or, where there is none, a rule of your own with "
                f"reference = \"before:{unchecked.number}\" judges v{version} {_label(unchecked)} against the state "
                f"right before it, taking the patches before it for no part of its change")
    first = unchecked.patches[0].number
    return (f"a rule of your own with reference = \"before:{first}\" judges the change with v{version} "
            f"{unchecked.patches[0].label} in it")


def _changes(rule: Rule, spec: Spec, version: int, patches: tuple[Patch, ...], ctx: CheckContext,
             judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict],
             aside: Aside | None) -> _Earlier:
    """What each patch, or run of patches, among ``patches`` changes of what ``spec`` compares, and what could not
    be judged (_Earlier). A patch whose state after it cannot be judged against the state before it (an
    inconclusive verdict: code the mirror does not run there) is judged with the next ones, against the last state
    judged, so that a change it makes that a later patch keeps is still seen."""
    changing: list[str] = []
    unknown: list[str] = []
    run: list[Patch] = []  # the patches since the last state judged
    last = ""  # why the last of them could not be judged
    unseen = False
    for p in patches:
        run.append(p)
        first = run[0].number
        got = ctx.once(("earlier-change", rule.id, version, first, p.number),
                       partial(_judged_patches, rule, spec, version, first, p.number, ctx, judge))
        labels = ", ".join(f"v{version} {q.label} '{q.mail.subject.title}'" for q in run)
        if got is None:
            unknown.append(f"{labels}: a state not evaluated")
        elif got[2].status is VerdictStatus.INCONCLUSIVE:
            if not _all_new(spec, got[0], ctx):
                last = got[2].note
                continue
        elif (found := _changed_by(spec, got, ctx, aside)) is not None:
            said, moved = found
            changing.append(f"{labels}{' together' if len(run) > 1 else ''}{f' ({said})' if said else ''}")
            unseen = unseen or moved
        run = []
    left = [(", ".join(f"v{version} {q.label}" for q in run), last, run[0].number)] if run else []
    return _Earlier(changing, unknown, left, unseen)


def _judged_patches(rule: Rule, spec: Spec, version: int, first: int, last: int, ctx: CheckContext,
                    judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict]
                    ) -> tuple[Variant, Variant, Verdict] | None:
    """The states before patch ``first`` and after patch ``last`` and ``judge``'s verdict on the one against the
    other; None when a side of it was not evaluated."""
    before, after = state_name(ctx.series, version, first), state_name(ctx.series, version, last + 1)
    after_v = ctx.variant(after) if after else None
    before_v = ctx.variant(before) if before else None
    if before is None or after_v is None or before_v is None:
        return None
    return before_v, after_v, judge(rule, replace(spec, reference=before), after_v, ctx)


def _all_new(spec: Spec, before: Variant, ctx: CheckContext) -> bool:
    """Whether ``before`` provides none of an equivalence rule's scenarios: patches up to a state whose entry points
    are all new there had no behaviour to keep (as _changed_by judges new ones), whatever the check could compare
    ('nothing compared')."""
    if not isinstance(spec, EquivalenceCheck):
        return False
    found = ctx.outcomes(before.name, spec.scenarios)
    return bool(found) and all(o.status is OutcomeStatus.NOT_PROVIDED for _, o in found)


def _changed_by(spec: Spec, judged: tuple[Variant, Variant, Verdict], ctx: CheckContext,
                aside: Aside | None) -> tuple[str, bool] | None:
    """What the patch changes of what ``spec`` compares (the first evidence of ``judged``, _judged_patch, that
    ``aside`` does not set aside), and whether that evidence is in a file the patch creates, read from mail alone
    (_moved_in_unseen); None when it changes nothing there."""
    before, after, got = judged
    if got.status is not VerdictStatus.FAIL:
        return None
    # An entry point the patch defines had no behaviour before it to keep (the rule judges new ones alike).
    new = {s.id for s, o in ctx.outcomes(before.name, spec.scenarios) if o.status is OutcomeStatus.NOT_PROVIDED} \
        if isinstance(spec, EquivalenceCheck) else set()
    # Evidence seen at more places than it names (others) is judged by its first place alone: kept.
    kept = [e for e in got.evidence if (e.scenario is None or e.scenario.id not in new)
            and (aside is None or e.others or not aside(before, after, e))]
    if not kept and not got.more:
        return None
    first = kept[0] if kept else None
    if first is None:
        return got.note, False
    where = f"{first.scenario.id}: " if first.scenario is not None else ""
    return f"{where}{first.expected}, got {first.actual}", _moved_in_unseen(before, after, first, ctx)


def _moved_in_unseen(before: Variant, after: Variant, e: Evidence, ctx: CheckContext) -> bool:
    """Whether evidence ``e`` sits in a file the patches from ``before`` to ``after`` create, read without a tree:
    from mail alone the code a patch moves there from a file no hunk shows reads as new, and with --tree the
    function is seen where it was (no new printer, no new export)."""
    path, _, line = (e.where or "").rpartition(":")
    return before.base == NO_TREE and line.isdigit() and any(
        f.path == path and f.is_new and not f.is_deleted for p in patches_between(ctx.series, before, after)
        for f in p.files)
