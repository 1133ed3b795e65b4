"""A rule's pass stands only where the rule fails on the code its cited review objected to.

A check that passes there too (a pattern that matches nothing, a name in no code) cannot show that the objection was
addressed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from harness.buildflags import state_flags_reason
from harness.model import Series
from harness.patchplace import before_patch, place_of, state_name
from harness.reviewedstate import reviewed_state
from harness.rules import MovesCheck, Rule
from harness.variants import Variant
from harness.verdict import CheckContext, Reading, ReadRole, Verdict, VerdictStatus, unevaluated

_STATUS = {VerdictStatus.PASS: "passes on", VerdictStatus.INCONCLUSIVE: "is inconclusive on",
           VerdictStatus.NOT_APPLICABLE: "does not apply to"}


def reviewed_names(series: Series, rules: Iterable[Rule], variants: Iterable[Variant] = ()) -> frozenset[str]:
    """The states the rules' cited messages reviewed, which a gate evaluates beside the variant it judges, and of
    ``variants`` (those built), the states a rule compares each of them with there (``before:patch``, ``before:N``)
    and, for a printer check, reads right after the rule's patch."""
    built = {v.name: v for v in variants}
    out: set[str] = set()
    for rule in rules:
        found = reviewed_state(series, rule.msgid) if rule.msgid else None
        if not isinstance(found, tuple):
            continue
        out.add(found[0])
        if isinstance(rule.check, MovesCheck):  # judged there, each moving patch from the state before it
            out.update(_prefix_states(series, found[0]))
        reviewed = built.get(found[0])
        spec = getattr(rule.check, "reference", None)
        if reviewed is None or not isinstance(spec, str) or not spec.startswith("before:"):
            continue
        place = place_of(rule.patch, rule.applies_from, reviewed, series)
        arg = spec.split(":", 1)[1]
        out.update(n for n in (before_patch(place, None if arg == "patch" else int(arg), reviewed, series),) if n)
        end = place.change_end_in(reviewed.prefix) if place is not None else None
        if end is not None and reviewed.revision is not None:
            out.update(n for n in (state_name(series, reviewed.revision, end + 1),) if n)
    return frozenset(out)


def _prefix_states(series: Series, state: str) -> list[str]:
    """Every state of ``state``'s revision up to it (``v2:00``, ``v2:01`` for ``v2:01``; all of them for ``v2``): a
    moves rule judged there compares each patch it applies with the state before it (harness.movecheck), which the
    gate said "not evaluated (add them with --variant, or run gate)" of itself."""
    m = re.fullmatch(r"v(\d+)(?::(\d+))?", state)
    rev = series.revision(int(m.group(1))) if m is not None else None
    if m is None or rev is None:
        return []
    last = int(m.group(2)) if m.group(2) is not None else rev.total
    return [n for k in range(1, last + 2) if (n := state_name(series, rev.version, k)) is not None]


def witnessed(rule: Rule, found: Verdict, ctx: CheckContext) -> Verdict:
    """A pass, with the state of the code the rule's cited message reviewed where the rule fails; inconclusive when
    the rule does not fail there (it passes, is inconclusive or does not apply), naming the rule's file:line. A
    guard (``guard = true``) keeps what that code did: its pass says so where the rule passes there too, and is
    inconclusive where it fails there (that code did not do it). Other verdicts, and passes of rules citing no
    message, as they are; a message whose reviewed code is not known is said in the note."""
    if found.status is not VerdictStatus.PASS or not rule.msgid:
        return found
    reviewed = ctx.once(("reviewed", rule.msgid), lambda: reviewed_state(ctx.series, rule.msgid or ""))
    if isinstance(reviewed, str):
        said = f"not shown to fail on the code its cited message reviewed: {reviewed}"
        return replace(found, note=f"{found.note}; {said}" if found.note else said)
    state, label = reviewed
    # A changelog rule reads the commit message the review read, not code.
    cited = f"the {'commit message' if rule.kind == 'changelog' else 'code'} <{rule.msgid}> reviewed ({label})"
    reviewed_v = ctx.variant(state)
    if reviewed_v is None:  # not built here (eval narrowed by --variant, or it cannot be): nothing to say of the rule
        why = unevaluated(state, ctx).removeprefix("reference ")
        if rule.guard:
            return _noted(found, f"guard = true: not shown to keep what {cited} does: {why}")
        return replace(found, status=VerdictStatus.INCONCLUSIVE, evidence=(), more=0, note=(
            f"rule {rule.id} ({rule.where}) passes here, but whether it fails on {cited}, as a pass needs, is not "
            f"known: {why}" + (f"; here: {found.note}" if found.note else "")))
    there = found if reviewed_v.name == found.variant else \
        ctx.once(("witness", rule.id, reviewed_v.name), lambda: _judged(rule, reviewed_v, ctx))
    if rule.guard:
        return _guarded(rule, found, there, cited)
    if there.status is VerdictStatus.FAIL:
        unbuilt = state_flags_reason(reviewed_v, ctx)
        if unbuilt is not None:  # its fail is the mirror's build of it, not kbuild's
            return replace(found, status=VerdictStatus.INCONCLUSIVE, evidence=(), more=0, note=(
                f"rule {rule.id} ({rule.where}) passes here, but whether it fails on {cited}, as a pass needs, is "
                f"not known: it fails on {reviewed_v.name} as the mirror ran it, but in {reviewed_v.name} {unbuilt}"
                + (f"; here: {found.note}" if found.note else "")))
        first = there.evidence[0].place if there.evidence else ""
        return replace(found, read=(*found.read, Reading(ReadRole.REVIEWED, "fails", reviewed_v.name, first, cited)))
    why = f" ({there.note})" if there.note and there.status is not VerdictStatus.PASS else ""
    also = ", as well" if there.status is VerdictStatus.PASS else " too"
    return _unshown(rule, found, f"it {_STATUS[there.status]} {reviewed_v.name}, {cited}{also}{why}")


def _guarded(rule: Rule, found: Verdict, there: Verdict, cited: str) -> Verdict:
    """A guard's pass: kept what the reviewed code did where the rule passes there too (judged there, never assumed);
    inconclusive where it fails there (the code the review asked to keep did not do this: no guarantee of it kept);
    the pass with a note where it cannot be judged there."""
    how = f"{cited}; guard = true at {rule.place('guard')}"
    if there.status is VerdictStatus.PASS:
        kept = "passes (kept as it was, not an objection addressed)"
        return replace(found, read=(*found.read, Reading(ReadRole.REVIEWED, kept, there.variant, _first(there), how)))
    if there.status is VerdictStatus.FAIL:
        first = f" ({there.evidence[0].place})" if there.evidence else ""
        return replace(found, status=VerdictStatus.INCONCLUSIVE, evidence=(), more=0, note=(
            f"rule {rule.id} ({rule.where}) passes here, but it fails on {there.variant}{first}, {cited}: guard = true "
            f"({rule.place('guard')}) says the review asked to keep what that code does, which it does not do; drop "
            "guard = true if the review objected to that code, or make the rule say what it did"
            + (f"; here: {found.note}" if found.note else "")))
    why = f" ({there.note})" if there.note else ""
    return _noted(found, f"guard = true: not shown to keep what {cited} does: the rule {_STATUS[there.status]} "
                         f"{there.variant}{why}")


def _first(v: Verdict) -> str:
    """Where a pass read what it judged (a source rule's function), if it says."""
    return next((r.where for r in v.read if r.role is ReadRole.JUDGED and r.where), "")


def _noted(found: Verdict, said: str) -> Verdict:
    return replace(found, note=f"{found.note}; {said}" if found.note else said)


def _unshown(rule: Rule, found: Verdict, why: str) -> Verdict:
    """Inconclusive: the pass cannot show that the cited objection was addressed."""
    return replace(found, status=VerdictStatus.INCONCLUSIVE, evidence=(), more=0, note=(
        f"rule {rule.id} ({rule.where}) passes here, but {why}: a check that does not fail on the code the reviewer "
        "objected to cannot show the objection was addressed (a pattern that matches nothing, a name in no code?); "
        "make it fail there, or mark the rule guard = true if the review asked to keep what that code does"
        + (f"; here: {found.note}" if found.note else "")))


def _judged(rule: Rule, reviewed: Variant, ctx: CheckContext) -> Verdict:
    from harness.checks import run_check  # the checks need what this module gives judge: imported when judged

    return run_check(rule, reviewed, ctx)
