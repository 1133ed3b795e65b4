"""The lockdep check: a variant's selected runs, as one boot would run them all, make lockdep report nothing."""

# Each run is a fresh boot (models.lockdep): what lockdep reports within one is a violation event of that run
# ("lockdep: ..."). Its lock-order graph is global in a boot (kernel/locking/lockdep.c check_noncircular()), so two
# runs taking two locks in opposite orders are a report in a boot that runs both: harness.lockcycles joins the
# runs' dependencies, per translation unit (a static lock and a mutex_init() line's key are each unit's own).

from __future__ import annotations

from harness.lockcycles import cycle_text, cycles, unknown_classes
from harness.matrix import Scenario
from harness.notrun import by_run, not_run, unnamed_found
from harness.rules import LockdepCheck, Rule
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, settle
from models.outcome import LockDep, Outcome

QUIET = "lockdep reports nothing"
ACROSS = "no lock-order cycle across the runs of one unit"


def check_lockdep(rule: Rule, spec: LockdepCheck, v: Variant, ctx: CheckContext) -> Verdict:
    outs, lacking, idle = by_run(v, ctx.outcomes(v.name, spec.scenarios))
    absent, unrun = not_run(v, ctx, lacking), not_run(v, ctx, idle)
    if not outs:
        why = "; ".join(x for x in (unnamed_found(spec.scenarios, v, ctx), unrun, absent) if x)
        return inconclusive(rule, v, f"no selected scenario ran: {why}")
    evidence = _reports(outs)
    past = [s.id for s, o in outs if o.unrecorded_events]
    if past:  # a report among the events past those recorded is not seen
        unrun = "; ".join(x for x in (unrun, f"{len(past)} run{'s' if len(past) != 1 else ''} made more events than "
                                             f"are recorded, a lockdep report among them unseen ({past[0]})") if x)
    units = _per_unit(ctx, v, {s.id: s for s, _ in outs})
    maybe: list[str] = []
    for runs, by_id in units.values():
        found = cycles(runs)
        evidence += [Evidence(ACROSS, cycle_text(c), by_id[c[0][3]], c[0][2]) for c in found]
        if not found:
            maybe += [cycle_text(c) for c in cycles(unknown_classes(runs))]
    if maybe:  # a cycle only if locks an init function set up before the runs share a class: not known
        unrun = "; ".join(x for x in (unrun, *(f"whether lockdep reports a cycle depends on whether locks an init "
                                               f"function set up before the run share a lock class ({c})"
                                               for c in maybe)) if x)
    dependencies = sum(len({(a, b) for _, d in runs for a, b, *_ in d}) for runs, _ in units.values())
    checked = (f"{len(outs)} scenario{'s' if len(outs) != 1 else ''} checked, as one boot per unit: "
               f"{dependencies} lock-order dependenc{'ies' if dependencies != 1 else 'y'} joined")
    return settle(rule, v, evidence, checked + _irq_usage(outs), unrun, absent)


def _irq_usage(outs: list[tuple[Scenario, Outcome]]) -> str:
    """Where lockdep's IRQ-usage checks would apply and are not made: the locks the runs took with IRQs on (each
    run starts with them on, a task; its irq events say each change). A run is never in hardirq context, so no
    lock is seen used there: one an interrupt handler takes too is lockdep's "inconsistent {HARDIRQ-ON-W} ->
    {IN-HARDIRQ-W} usage" (kernel/locking/lockdep.c mark_lock_irq()), which no run shows."""
    taken: dict[str, str] = {}
    for _, o in outs:
        off = False
        for e in o.events:
            if e.kind == "irq":
                off = not e.detail.endswith("enabled")
            elif e.kind == "lock" and e.detail.endswith(" acquired") and not off:
                taken.setdefault(e.detail.removesuffix(" acquired"), e.where)
    if not taken:
        return ""
    shown = ", ".join(f"{name} ({where})" for name, where in list(taken.items())[:4])
    more = f" and {len(taken) - 4} more" if len(taken) > 4 else ""
    return (f"; not checked: lockdep's IRQ usage, as no run is in hardirq context: {shown}{more} taken with IRQs on, "
            "which an interrupt handler taking them too would make an inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} "
            "usage (docs/limits.md)")


def _reports(outs: list[tuple[Scenario, Outcome]]) -> list[Evidence]:
    """Each run's own lockdep reports (the first of a run: debug_locks_off())."""
    return [Evidence(QUIET, e.detail, s, e.where) for s, o in outs for e in o.events
            if e.kind == "violation" and e.detail.startswith("lockdep:")]


Runs = list[tuple[str, tuple[LockDep, ...]]]
PerUnit = dict[str, tuple[Runs, dict[str, Scenario]]]


def _per_unit(ctx: CheckContext, v: Variant, picked: dict[str, Scenario]) -> PerUnit:
    """The lock-order dependencies of the picked runs (by scenario id), per unit, with the scenarios by id."""
    out: PerUnit = {}
    for unit, sid, deps in ctx.result.lock_deps(v.name):
        if sid in picked:
            runs, by_id = out.setdefault(unit, ([], {}))
            runs.append((sid, deps))
            by_id[sid] = picked[sid]
    return out
