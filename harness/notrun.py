"""Why scenarios a rule selects did not run: a unit missing, an entry point renamed away, or the mirror's reason."""

from __future__ import annotations

from harness.coverage import absence_unknown, absent_from_home, missing_unit, not_run_reason
from harness.follow import Followed, follow
from harness.matrix import EntryKind, Scenario
from harness.newelsewhere import lacks_as_start, new_elsewhere
from harness.rules import Selector
from harness.unitmoves import unit_at
from harness.variants import Variant
from harness.verdict import CheckContext, merge_reasons
from models.leafabi import same_leaf
from models.outcome import Outcome, OutcomeStatus

_Outs = list[tuple[Scenario, Outcome]]


def by_run(v: Variant, every: _Outs, start: Variant | None = None) -> tuple[_Outs, _Outs, _Outs]:
    """Of the selected scenarios, in one pass: those that ran; those of an entry point the variant lacks by design;
    the others that did not run. An entry point mail alone does not show (its file known in fragments) is not absent:
    it did not run (absence_unknown, asked once per entry point). One found in another state that the variant, or
    the state it is built on (``start``), lacks where it is defined is absent (newelsewhere.lacks_as_start)."""
    outs: _Outs = []
    lacking: _Outs = []
    idle: _Outs = []
    unknown: dict[str, bool] = {}
    for s, o in every:
        ran = o.ran
        if ran:
            outs.append((s, o))
        if o.status is OutcomeStatus.NOT_PROVIDED:
            name = s.entry.name
            if name not in unknown:
                unknown[name] = absence_unknown(v, name) and not absent_from_home(v, name, s.entry.origin) and \
                    not lacks_as_start(v, start, name, s.entry.origin)
            if not unknown[name]:
                lacking.append((s, o))
                continue
        if not ran:
            idle.append((s, o))
    return outs, lacking, idle


def not_run(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]]) -> str:
    """Why these outcomes did not run, most common reason first, with how many scenarios each."""
    counts: dict[str, int] = {}
    # The reason reads only the entry point, the unit and the outcome: equal outcomes are one object, so the
    # scenarios of one entry point and unit that did not run mostly share one (asked once each here).
    reasons: dict[tuple[str, str, int], str] = {}
    last: tuple[str, str, Outcome | None, str] = ("", "", None, "")
    for s, o in outs:
        name, path = s.entry.name, s.unit.path
        if o is last[2] and name == last[0] and path == last[1]:
            why = last[3]  # the scenario before's, again: no id() asked (an audit event, harness.auditlog)
        else:
            key = (name, path, id(o))  # ``outs`` keeps each outcome alive: its id is its own
            found = reasons.get(key)
            why = found if found is not None else reasons.setdefault(key, _reason(v, ctx, s, o))
            last = (name, path, o, why)
        counts[why] = counts.get(why, 0) + 1
    said = merge_reasons(counts)
    return "; ".join(f"{why} ({n} scenario{'s' if n != 1 else ''})" for why, n in sorted(said, key=lambda x: -x[1]))


def _reason(v: Variant, ctx: CheckContext, s: Scenario, o: Outcome) -> str:
    """Why one scenario's outcome did not run."""
    path = unit_at(v.moved, s.unit.path)
    how = missing_unit((v,), path) if o.status is OutcomeStatus.NOT_PROVIDED else None
    # Not provided for want of its unit (deleted, or not in the tree): the entry point may well be defined.
    if how:
        return f"{s.entry.name}() runs in {path}, which {how}"
    known = new_elsewhere(v, ctx, s.entry.name, s.entry.origin) if o.status is OutcomeStatus.NOT_PROVIDED else None
    return known or _renamed_away(v, ctx, s.entry.name, o) or not_run_reason(v, s.entry.name, o)


def _renamed_away(v: Variant, ctx: CheckContext, entry: str, o: Outcome) -> str | None:
    """Why a matrix entry point the variant shows renamed has no run under its old name (its scenarios run under
    the new one, entry kind ``renamed``), rather than "does not define" it with a misspelling guessed at; None
    unless so. The old name's scenarios still count as not run: a selector may not take the new name's."""
    if o.status is not OutcomeStatus.NOT_PROVIDED:
        return None
    found = ctx.once(("renamed-away", v.name, entry), lambda: follow(entry, v, ctx))
    if not isinstance(found, Followed) or found.new not in {e.name for e in ctx.result.matrix.entries}:
        return None
    return f"{entry}() is {found.new}() in {v.name} ({found.note()}): its scenarios run under that name"


def own_leaves(outs: _Outs) -> str:
    """What the runs that issued no SEAMCALL of their scenario's leaf issued instead, by entry point: a wrapper with
    a fixed leaf (``int seamldr_shutdown(void)``) issues its own whatever the scenario's leaf, so its runs can show
    a retry of it (the component's answers reach it) but never count as checked. "" when no run did that."""
    issued: dict[str, set[int]] = {}
    for s, o in outs:
        if o.calls and not any(same_leaf(c.leaf, s.leaf) for c in o.calls):  # its leaf, in any version
            issued.setdefault(s.entry.name, set()).update(c.leaf for c in o.calls)
    said = [f"{name}() issues {', '.join(f'{x:#x}' for x in sorted(leaves))} whatever the scenario's leaf"
            for name, leaves in sorted(issued.items())]
    return "; ".join(said)


def unnamed_found(sel: Selector, v: Variant, ctx: CheckContext) -> str:
    """Of a rule with no ``scenarios.entry`` none of whose scenarios ran: the entry points found in the variant's
    code that ran, which it does not select (Selector.picks: without ``entry``, the matrix's own). A series of one's
    own lacks the bundled matrix's seamcall() and seamldr_prerr(); the note listed why each could not run, never
    that the helpers it has are judged by naming them."""
    if sel.entry:
        return ""
    ran = sorted({s.entry.name for s, o in zip(ctx.result.matrix.scenarios, ctx.result.outcomes_of(v.name),
                                               strict=True) if s.entry.kind is not EntryKind.MATRIX and o.ran})
    return ("" if not ran else f"the rule names no scenarios.entry, so it selects the matrix's entry points alone: "
            f"name those found in the code that ran ({', '.join(ran)}) in scenarios.entry to judge them")
