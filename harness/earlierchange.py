"""An equivalence or source rule's pass against the state before its patch, checked patch by patch back to the
revision's base when the input holds no earlier revision of that patch: without one, harness.patchparts cannot tell
a part of the patch's change that another patch before it makes, and such a part would sit in the reference unseen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

from harness.model import Patch
from harness.patchplace import state_name, unchecked_earlier
from harness.rules import EquivalenceCheck, Rule, SourceCheck
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, VerdictStatus, inconclusive, reference
from models.outcome import OutcomeStatus

Spec = TypeVar("Spec", EquivalenceCheck, SourceCheck)
# Whether a failure's evidence, found by judging the state after an earlier patch (second) against the state before
# it (first), is no change to what the rule compares (harness.earliernew: new code of a file that patch creates).
Aside = Callable[[Variant, Variant, Evidence], bool]


def earlier_unseen(rule: Rule, spec: Spec, v: Variant, ctx: CheckContext, found: Verdict,
                   judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict],
                   aside: Aside | None = None) -> Verdict:
    """``found`` (a ``before:patch`` pass of ``v``), or inconclusive when a patch before the rule's one changes
    what the rule compares (``judge`` of the state after it against the state before it fails there, on evidence
    ``aside`` does not set aside) and the input has no earlier revision holding the rule's patch title; the note
    names each such patch and what it changes."""
    if found.status is not VerdictStatus.PASS or spec.reference != "before:patch" or v.revision is None:
        return found
    version = v.revision
    number = ctx.once(("unchecked-earlier", rule.patch, version),
                      lambda: unchecked_earlier(rule.patch, v, ctx.series))
    rev = ctx.series.revision(version)
    if number is None or rev is None or (v.prefix is not None and v.prefix < number):
        return found
    changing, unknown = _changes(rule, spec, version, rev.between(0, number - 1), ctx, judge, aside)
    title = f"'{rule.patch}'"
    if changing:
        verb = "changes" if len(changing) == 1 and " together" not in changing[0] else "change"
        return inconclusive(rule, v, f"{'; '.join(changing)} {verb} what this rule compares, before {title}; the "
                                     f"input holds no earlier revision with a patch titled {title}, by which a "
                                     "part of that patch's change made by another patch is found "
                                     "(harness.patchparts): whether this is one cannot be told, so the pass "
                                     f"against {reference(spec.reference, v, ctx, rule)} is not given (give an "
                                     "earlier revision of the series too)")
    if unknown:
        said = f"not compared with the patches before {title} ({', '.join(unknown)})"
        return replace(found, note=f"{found.note}; {said}" if found.note else said)
    return found


def _changes(rule: Rule, spec: Spec, version: int, patches: tuple[Patch, ...], ctx: CheckContext,
             judge: Callable[[Rule, Spec, Variant, CheckContext], Verdict],
             aside: Aside | None) -> tuple[list[str], list[str]]:
    """(what each patch, or run of patches, among ``patches`` changes of what ``spec`` compares; the patches whose
    change could not be judged, and why). A patch whose state after it cannot be judged against the state before
    it (an inconclusive verdict: code the mirror does not run there) is judged with the next ones, against the
    last state judged, so that a change it makes that a later patch keeps is still seen."""
    changing: list[str] = []
    unknown: list[str] = []
    run: list[Patch] = []  # the patches since the last state judged
    for p in patches:
        run.append(p)
        first = run[0].number
        got = ctx.once(("earlier-change", rule.id, version, first, p.number),
                       partial(_judged_patches, rule, spec, version, first, p.number, ctx, judge))
        labels = ", ".join(f"v{version} {q.label} '{q.mail.subject.title}'" for q in run)
        if got is None:
            unknown.append(f"{labels}: a state not evaluated")
        elif got[2].status is VerdictStatus.INCONCLUSIVE:
            continue
        elif (said := _changed_by(spec, got, ctx, aside)) is not None:
            changing.append(f"{labels}{' together' if len(run) > 1 else ''}{f' ({said})' if said else ''}")
        run = []
    if run:
        unknown.append(", ".join(f"v{version} {q.label}" for q in run) + ": inconclusive there")
    return changing, unknown


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


def _changed_by(spec: Spec, judged: tuple[Variant, Variant, Verdict], ctx: CheckContext,
                aside: Aside | None) -> str | None:
    """What the patch changes of what ``spec`` compares (the first evidence of ``judged``, _judged_patch, that
    ``aside`` does not set aside), None when it changes nothing there."""
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
    where = f"{first.scenario.id}: " if first is not None and first.scenario is not None else ""
    return f"{where}{first.expected}, got {first.actual}" if first is not None else got.note
