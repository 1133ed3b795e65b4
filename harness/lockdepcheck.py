"""The lockdep check: a variant's selected runs, as one boot would run them all, make lockdep report nothing."""

# Each run is a fresh boot (models.lockdep): what lockdep reports within one is a violation event of that run
# ("lockdep: ..."). Its lock-order graph is global in a boot (kernel/locking/lockdep.c check_noncircular()), so two
# runs taking two locks in opposite orders are a report in a boot that runs both: harness.lockcycles joins the
# runs' dependencies, per translation unit (a static lock and a mutex_init() line's key are each unit's own).

from __future__ import annotations

from harness.irqusage import inconsistent, may_clash, safe_and_unsafe
from harness.lockcycles import cycle_text, cycles, unknown_classes
from harness.matrix import Scenario
from harness.notrun import by_run, not_run, unnamed_found
from harness.rules import LockdepCheck, Rule
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, settle
from models.lockdep import USAGE
from models.outcome import LockDep, Outcome

QUIET = "lockdep reports nothing"
ACROSS = "no lock-order cycle across the runs of one unit"
USAGE_ACROSS = "no inconsistent IRQ usage of a lock class across the runs of one unit"


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
    maybe: list[tuple[str, str]] = []  # (what lockdep may report, the runs' part in it)
    for runs, by_id in units.values():
        found = cycles(runs)
        evidence += [Evidence(ACROSS, cycle_text(c), by_id[c[0][3]], c[0][2]) for c in found]
        if not found:
            maybe += [("a cycle", cycle_text(c)) for c in cycles(unknown_classes(runs))]
        clashes = inconsistent(runs)
        evidence += [Evidence(USAGE_ACROSS, text, by_id[sid], where) for text, where, sid in clashes]
        maybe += [] if clashes else [("an inconsistent IRQ usage", c) for c in may_clash(runs)]
    if maybe:  # a report only if locks an init function set up before the runs share a class: not known
        unrun = "; ".join(x for x in (unrun, *(f"whether lockdep reports {what} depends on whether locks an init "
                                               f"function set up before the run share a lock class ({c})"
                                               for what, c in maybe)) if x)
    dependencies = sum(len({(a, b) for _, d in runs for a, b, *_ in d if not b.startswith(USAGE)})
                       for runs, _ in units.values())
    checked = (f"{len(outs)} scenario{'s' if len(outs) != 1 else ''} checked, as one boot per unit: "
               f"{dependencies} lock-order dependenc{'ies' if dependencies != 1 else 'y'} and the IRQ usage of "
               "each lock class joined")
    return settle(rule, v, evidence, checked + _irq_safety(units), unrun, absent)


def _irq_safety(units: PerUnit) -> str:
    """What is still not joined: lockdep's check_irq_usage() (kernel/locking/lockdep.c), a dependency from a lock
    class used in an interrupt handler to one taken with that interrupt enabled ("HARDIRQ-safe -> HARDIRQ-unsafe
    lock order detected"), where a run took a lock in a handler, one with that interrupt enabled, and the runs
    added dependencies."""
    if not any(safe_and_unsafe(runs) and any(not b.startswith(USAGE) for _, d in runs for _, b, *_ in d)
               for runs, _ in units.values()):
        return ""
    return ("; not checked: lockdep's IRQ-safe -> IRQ-unsafe lock order (check_irq_usage()), over dependencies of "
            "the runs and a lock a handler took (docs/limits.md)")


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
