"""The lockdep check: a variant's selected runs, as one boot would run them all, make lockdep report nothing."""

# Each run is a fresh boot (models.lockdep): what lockdep reports within one is a violation event of that run
# ("lockdep: ..."). Its lock-order graph and usage bits are global in a boot (kernel/locking/lockdep.c
# check_noncircular(), check_irq_usage(), valid_state()), so two runs taking two locks in opposite orders are a report
# in a boot that runs both, whatever units they ran in: harness.lockboot joins the runs of every unit.

from __future__ import annotations

from harness.lockboot import CYCLE, USAGE, boot_runs, may_report, reports
from harness.matrix import Scenario
from harness.notrun import by_run, not_run, unnamed_found
from harness.rules import LockdepCheck, Rule
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, settle
from models.lockdep import USAGE as USAGE_BIT
from models.outcome import Outcome

QUIET = "lockdep reports nothing"
ACROSS = "no lock-order cycle across the runs, as one boot runs them all"
USAGE_ACROSS = "no inconsistent IRQ usage of a lock class across the runs, as one boot runs them all"
ORDER_ACROSS = "no IRQ-safe -> IRQ-unsafe lock order across the runs, as one boot runs them all"
_EXPECTED = {CYCLE: ACROSS, USAGE: USAGE_ACROSS}


def check_lockdep(rule: Rule, spec: LockdepCheck, v: Variant, ctx: CheckContext) -> Verdict:
    outs, lacking, idle = by_run(v, ctx.outcomes(v.name, spec.scenarios), ctx.variant(v.start) if v.start else None)
    absent, unrun = not_run(v, ctx, lacking), not_run(v, ctx, idle)
    if not outs:
        why = "; ".join(x for x in (unnamed_found(spec.scenarios, v, ctx), unrun, absent) if x)
        return inconclusive(rule, v, f"no selected scenario ran: {why}")
    evidence = _reports(outs)
    past = [s.id for s, o in outs if o.unrecorded_events]
    if past:  # a report among the events past those recorded is not seen
        unrun = "; ".join(x for x in (unrun, f"{len(past)} run{'s' if len(past) != 1 else ''} made more events than "
                                             f"are recorded, a lockdep report among them unseen ({past[0]})") if x)
    by_id = {s.id: s for s, _ in outs}
    runs = boot_runs(ctx.result, v.name, by_id)[0]
    units = list(dict.fromkeys(s.unit.name for s, _ in outs))
    found = reports(runs)
    evidence += [Evidence(_EXPECTED.get(kind, ORDER_ACROSS), text, by_id[sid], where)
                 for kind, text, where, sid in found]
    if not found:  # a report only if locks no run knows the class or identity of are one: not known
        unrun = "; ".join(x for x in (unrun, *(f"whether lockdep reports {what} depends on whether {why} ({said})"
                                               for what, why, said in may_report(runs))) if x)
    dependencies = len({(a, b) for _, d in runs for a, b, *_ in d if not b.startswith(USAGE_BIT)})
    return settle(rule, v, evidence, _checked(len(outs), dependencies, units), unrun, absent)


def _checked(scenarios: int, dependencies: int, units: list[str]) -> str:
    """What a verdict checked: the runs that ran, joined as one boot over the units they ran in (those of the
    scenarios that did not run are said beside it, by settle())."""
    where = f"the unit{'s' if len(units) != 1 else ''} they ran in ({', '.join(units)})"
    return (f"{scenarios} scenario{'s' if scenarios != 1 else ''} checked, as one boot over {where}: {dependencies} "
            f"lock-order dependenc{'ies' if dependencies != 1 else 'y'}, the IRQ usage of each lock class and the "
            "IRQ-safe -> IRQ-unsafe orders they make joined")


def _reports(outs: list[tuple[Scenario, Outcome]]) -> list[Evidence]:
    """Each run's own lockdep reports (the first of a run: debug_locks_off())."""
    return [Evidence(QUIET, e.detail, s, e.where) for s, o in outs for e in o.events
            if e.kind == "violation" and e.detail.startswith("lockdep:")]
