"""The lockdep assertions of include/linux/lockdep.h (lockdep_assert_held(), _preemption_disabled(), ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.errors import UnsupportedConstruct
from models.machine import Machine
from models.onceunits import once_key
from models.record import record


@record
class LockdepAssert:
    """A lockdep_assert_*() of include/linux/lockdep.h: ``impl(m, args, where)``, what it reports, whether it is
    WARN_ON_ONCE() (once per call site: ``args[0]`` is the site) or WARN_ON() (every time), lock argument."""

    impl: Callable[[Machine, list[Any], str], None]
    doc: str
    once: bool
    name_args: tuple[int, ...] = ()


def _state_assert(bad: Callable[[Machine], bool], detail: str,
                  reads_count: bool = False) -> Callable[[Machine, list[Any], str], None]:
    """``reads_count``: the assertion tests preempt_count(), which is not known inside an RCU read-side section
    with preemption and IRQs on (_preempt_count_unknown())."""
    def impl(m: Machine, args: list[Any], where: str) -> None:
        unknown = reads_count and _preempt_count_unknown(m)
        if (unknown or bad(m)) and not m.once.get(site := once_key(m, args[0])):
            if unknown:  # one kernel warns here, the other does not (a site that fired before is silent in both)
                raise UnsupportedConstruct(where, "a preemption assertion in an RCU read-side section with preemption "
                                                  "on: rcu_read_lock() adds one to preempt_count() without "
                                                  "CONFIG_PREEMPT_RCU and nothing with it, so one kernel warns here "
                                                  "and the other does not, which is not modelled")
            m.once[site] = 1
            m.event("violation", f"lockdep: {detail} here", where)
    return impl


def _preempt_count_unknown(m: Machine) -> bool:
    """Whether a test of preempt_count() == 0 is one kernel's (include/linux/rcupdate.h __rcu_read_lock(): a
    preempt_disable() without CONFIG_PREEMPT_RCU): inside an RCU read-side section, the count 0 and IRQs on."""
    return m.nesting.get("rcu", 0) > 0 and _preempt_on(m)


def _held_assert(want: bool, once: bool) -> Callable[[Machine, list[Any], str], None]:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        lock = args[-1]
        if bool(m.locks.get(lock, 0)) != want and not (once and m.once.get(site := once_key(m, args[0]))):
            if once:
                m.once[site] = 1
            m.event("violation", f"lockdep: lock {lock} is {'not ' if want else ''}held here", where)
    return impl


def _preempt_on(m: Machine) -> bool:
    return m.preempt == 0 and not m.irqs_disabled


# The IRQ and preemption assertions are WARN_ON_ONCE(), lockdep_assert_held() and _not_held() lockdep_assert(),
# a WARN_ON(), lockdep_assert_held_once() a WARN_ON_ONCE().
LOCKDEP_ASSERTS: dict[str, LockdepAssert] = {
    "lockdep_assert_preemption_disabled": LockdepAssert(
        _state_assert(_preempt_on, "preemption is enabled", True), "the first time preemption is enabled here", True),
    "lockdep_assert_preemption_enabled": LockdepAssert(
        _state_assert(lambda m: not _preempt_on(m), "preemption is disabled", True),
        "the first time preemption is disabled here", True),
    "lockdep_assert_irqs_disabled": LockdepAssert(
        _state_assert(lambda m: not m.irqs_disabled, "interrupts are enabled"),
        "the first time IRQs are enabled here", True),
    "lockdep_assert_irqs_enabled": LockdepAssert(
        _state_assert(lambda m: m.irqs_disabled, "interrupts are disabled"),
        "the first time IRQs are disabled here", True),
    "lockdep_assert_held": LockdepAssert(_held_assert(True, False), "when the lock is not held", False, (0,)),
    "lockdep_assert_held_once": LockdepAssert(_held_assert(True, True), "the first time the lock is not held here",
                                              True, (0,)),
    "lockdep_assert_not_held": LockdepAssert(_held_assert(False, False), "when the lock is held", False, (0,)),
}
