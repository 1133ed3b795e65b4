"""lockdep's IRQ-usage bits over a variant's runs: a lock class one run takes with IRQs on and another in a handler."""

# kernel/locking/lockdep.c mark_lock() -> valid_state(): a class marked used in hardirq context (LOCK_USED_IN_HARDIRQ,
# "IN-HARDIRQ-W") and acquired with hardirqs enabled (LOCK_ENABLED_HARDIRQ, "HARDIRQ-ON-W") is "inconsistent
# {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage" (print_usage_bug(): the bit marked second after the arrow), and so for
# softirqs. The bits are a boot's, as the lock-order graph is (harness.lockcycles): two runs, each a fresh boot in the
# mirror, whose bits clash are that report in a boot running both, in one order or the other; the runs of every unit
# (harness.lockboot: a header's static lock and mutex_init() line are each unit's own class). A class an init function
# chose before the run (its key unknown, models.lockdep) is one lock's: two such locks may share a class, which is
# said, not assumed.

from __future__ import annotations

from models.lockdep import HARDIRQ_ON, IN_HARDIRQ, IN_SOFTIRQ, SOFTIRQ_ON, USAGE
from models.outcome import LockDep

# The clashing pairs (valid_state(): the "used in" bit against the "enabled" one) and what each run's state was.
PAIRS = ((HARDIRQ_ON, IN_HARDIRQ), (SOFTIRQ_ON, IN_SOFTIRQ))
_SAID = {HARDIRQ_ON: "with IRQs on", IN_HARDIRQ: "in hardirq context", SOFTIRQ_ON: "with softirqs enabled",
         IN_SOFTIRQ: "in softirq context"}

Mark = tuple[str, str, str]  # the lock's name, where it was first taken so, the scenario


def usage(runs: list[tuple[str, tuple[LockDep, ...]]]) -> dict[str, dict[str, Mark]]:
    """Per class (its text), each usage bit the runs marked (``runs``: each run's scenario id and its
    models.lockdep.run_deps()), with the first run's lock, place and scenario."""
    out: dict[str, dict[str, Mark]] = {}
    for sid, deps in runs:
        for cls, bit, name, _, where in deps:
            if bit.startswith(USAGE):
                out.setdefault(cls, {}).setdefault(bit[len(USAGE):], (name, where, sid))
    return out


def inconsistent(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[tuple[str, str, str]]:
    """Each clash of usage bits of one class over the runs: lockdep's report as the runs make it, where the
    handler's acquire was, and its scenario."""
    out = []
    for bits in usage(runs).values():
        for on, used in PAIRS:
            if on in bits and used in bits:
                out.append((_text(on, used, bits[on], bits[used]), bits[used][1], bits[used][2]))
    return out


def may_clash(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[str]:
    """The clashes that two locks whose classes an init function chose before the runs would make if they shared
    one (same subclass and kind, keys unknown): whether lockdep reports them is not known."""
    marks = usage(runs)
    unknown = [(cls.split("\x1f"), bits) for cls, bits in marks.items() if cls.split("\x1f")[2:3] == ["?"]]
    out = []
    for i, (a, abits) in enumerate(unknown):
        for b, bbits in unknown[i + 1:]:
            if a[0] != b[0] or (a[1] != "?" and b[1] != "?" and a[1] != b[1]):
                continue
            out += [_text(on, used, x[on], y[used]) for on, used in PAIRS for x, y in ((abits, bbits), (bbits, abits))
                    if on in x and used in y]
    return out


def _text(on: str, used: str, first: Mark, second: Mark) -> str:
    return (f"lockdep: inconsistent {{{on}}} -> {{{used}}} usage across runs: lock {first[0]} taken {_SAID[on]} at "
            f"{first[1]} ({first[2]}), lock {second[0]} of its class {_SAID[used]} at {second[1]} ({second[2]}): each "
            "run is a fresh boot, but lockdep's usage bits are a boot's, which reports this (or the other way round, "
            "as the runs come) in one that runs them all")
