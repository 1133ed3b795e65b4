"""A run whose entry point returns with preemption still disabled: where each disable not undone was made.

The kernel's checks at a callback's return compare the preempt count with the one it was called with and name the
callback (kernel/time/timer.c call_timer_fn(): "timer: %pS preempt leak", kernel/workqueue.c process_one_work():
"BUG: workqueue leaked atomic, lock or RCU", init/main.c do_one_initcall(): "preemption imbalance"); the run's
entry point is such a callback. The count alone does not say which disable leaked: each enable undoes the latest
disable its own function made, else the latest of any (a helper's ``get_cpu()`` its caller's ``put_cpu()`` undoes).
"""

from __future__ import annotations

from models.machine import Machine

# What the event's detail says after the entry point's name (harness.eventwords adds where the disable was made).
PREEMPT_LEAK = "returned with preemption disabled"


def disabled(m: Machine, where: str) -> None:
    """preempt_disable() (or a primitive that is one) at ``where``, in the running function."""
    m.preempt_sites.append((where, m.function))


def enabled(m: Machine) -> None:
    """preempt_enable(): the latest disable of the running function undone, else the latest of any."""
    sites = m.preempt_sites
    own = m.function
    for i in range(len(sites) - 1, -1, -1):
        if sites[i][1] == own:
            del sites[i]
            return
    if sites:
        sites.pop()


def check_return(m: Machine, entry: str) -> None:
    """At the entry point's return: a violation where the preempt count is above the one it was called with, at the
    latest disable not undone (models/native/sh_native.c sh_call() reports the same detail)."""
    if m.preempt > m.preempt_base:
        where = m.preempt_sites[-1][0] if m.preempt_sites else ""
        m.event("violation", f"{entry}() {PREEMPT_LEAK} (preempt count {m.preempt})", where)
