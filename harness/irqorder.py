"""lockdep's IRQ-safe -> IRQ-unsafe lock order over a variant's runs: a handler's lock before one taken with IRQs on."""

# kernel/locking/lockdep.c: a dependency prev -> next that a class used in hardirq context (LOCK_USED_IN_HARDIRQ,
# "IN-HARDIRQ-W": HARDIRQ-safe) reaches backwards while next reaches forwards a class taken with hardirqs enabled
# (LOCK_ENABLED_HARDIRQ, "HARDIRQ-ON-W": HARDIRQ-unsafe) is check_irq_usage()'s "HARDIRQ-safe -> HARDIRQ-unsafe lock
# order detected"; where the usage bit comes after the dependencies, mark_lock_irq()'s check_usage_forwards() /
# check_usage_backwards() say "possible irq lock inversion dependency detected" of the same path. Likewise for
# softirqs. The graph and the bits are a boot's, each run of the mirror a fresh boot: a path the runs' dependencies
# make together from a safe class to an unsafe one is that report in a boot that runs them all, in one form or the
# other as the runs come. One class both safe and unsafe is valid_state()'s inconsistent usage (harness.irqusage).

from __future__ import annotations

from collections.abc import Callable

from harness.irqusage import PAIRS, Mark, usage
from harness.lockcycles import Edge, graph_of, path
from models.lockdep import HARDIRQ_ON
from models.outcome import LockDep


def unsafe_orders(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[tuple[str, str, str]]:
    """Each IRQ-safe class from which the runs' dependencies (``runs``: each run's scenario id and its
    models.lockdep.run_deps()) lead to an IRQ-unsafe class of the same interrupt, the nearest one (breadth first):
    lockdep's report as the runs make it, where the safe class's lock was taken in the handler, and its scenario."""
    marks = usage(runs)
    graph = graph_of(runs)
    out = []
    for on, used in PAIRS:
        for cls, bits in marks.items():
            if used not in bits:
                continue
            chain = path(graph, cls, _unsafe(marks, on, cls))
            if chain is not None:
                unsafe = marks[chain[-1][1]][on]
                out.append((_text(on, bits[used], unsafe, [e for _, _, e in chain]), bits[used][1], bits[used][2]))
    return out


def _unsafe(marks: dict[str, dict[str, Mark]], on: str, safe: str) -> Callable[[str], bool]:
    """Whether a class is unsafe for the interrupt of bit ``on``: marked so, and not the safe class itself."""
    return lambda c: c != safe and on in marks.get(c, {})


def _text(on: str, safe: Mark, unsafe: Mark, chain: list[Edge]) -> str:
    irq = "HARDIRQ" if on == HARDIRQ_ON else "SOFTIRQ"
    how = "IRQs on" if on == HARDIRQ_ON else "softirqs enabled"
    deps = ", ".join(f"{b} taken while holding {a} at {w} ({s})" for a, b, w, s in chain)
    return (f"lockdep: {irq}-safe -> {irq}-unsafe lock order detected across runs: lock {safe[0]} taken in "
            f"{irq.lower()} context at {safe[1]} ({safe[2]}), lock {unsafe[0]} taken with {how} at {unsafe[1]} "
            f"({unsafe[2]}), and the dependencies from the one to the other ({deps}): each run is a fresh boot, but "
            "lockdep's lock-order graph and usage bits are a boot's, which reports this (or 'possible irq lock "
            "inversion dependency detected', as the runs come) in one that runs them all")
