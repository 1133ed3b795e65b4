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
from models.runcontext import CONTEXTS

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
    run starts with them as its context has them, on in a task; its irq events say each change). One an interrupt
    handler takes too is lockdep's "inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage" (kernel/locking/lockdep.c
    mark_lock_irq()): no run shows it, lockdep's usage bits being a boot's, and the runs in hardirq context (a
    script's context) are named, unjoined with the others."""
    taken: dict[str, str] = {}
    in_irq: dict[str, str] = {}
    for s, o in outs:
        off = CONTEXTS[s.script.context][1]
        for e in o.events:
            if e.kind == "irq":
                off = not e.detail.endswith("enabled")
            elif e.kind == "lock" and e.detail.endswith(" acquired"):
                held = in_irq if s.script.context == "hardirq" else taken if not off else None
                if held is not None:
                    held.setdefault(e.detail.removesuffix(" acquired"), e.where)
    if not taken and not in_irq:
        return ""
    said = []
    if taken:
        said.append(f"{_locks(taken)} taken with IRQs on, which an interrupt handler taking them too would make an "
                    "inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage")
    if in_irq:
        said.append(f"{_locks(in_irq)} taken in hardirq context, by runs whose usage is not joined with the others'")
    why = "" if in_irq else ", as no run is in hardirq context"
    return f"; not checked: lockdep's IRQ usage{why}: {'; '.join(said)} (docs/limits.md)"


def _locks(taken: dict[str, str]) -> str:
    """The first four locks with where each was first taken, and how many more."""
    shown = ", ".join(f"{name} ({where})" for name, where in list(taken.items())[:4])
    return shown + (f" and {len(taken) - 4} more" if len(taken) > 4 else "")


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
