"""The context a run's entry point is called in and the CPU features it sees (a matrix script's keys)."""

from __future__ import annotations

from typing import Any

from models.errors import UnsupportedConstruct
from models.machine import Machine
from models.preemptfields import HARDIRQ_OFFSET, NMI_OFFSET, SOFTIRQ_OFFSET

TASK = "task"
# Per context, the preempt count and the IRQ state the entry point starts with (include/linux/preempt.h's fields):
# - hardirq: irq_enter_rcu() -> __irq_enter_raw() adds HARDIRQ_OFFSET (kernel/softirq.c), the CPU having taken the
#   interrupt with IRQs off, and they stay off for the handler (kernel/irq/handle.c warns where one enables them);
# - softirq: handle_softirqs() adds SOFTIRQ_OFFSET (__local_bh_disable_ip()) and runs each action with IRQs on;
# - nmi: __nmi_enter() (include/linux/hardirq.h) adds NMI_OFFSET + HARDIRQ_OFFSET, after lockdep_off(), the CPU having
#   taken the NMI through an interrupt gate (IRQs off, and irqentry_nmi_enter() tells lockdep so): in_nmi() and
#   in_hardirq() are true. lockdep is off for the task there (current->lockdep_recursion): a lock or RCU primitive
#   is refused where it runs (nmi_refused(), from models.locking), and lockdep_assert_held() finds the state unknown.
#   printk() stores the record as anywhere (kernel/printk/printk.c), the console output deferred to irq_work,
#   which a run has no console to show.
CONTEXTS: dict[str, tuple[int, bool]] = {TASK: (0, False), "softirq": (SOFTIRQ_OFFSET, False),
                                          "hardirq": (HARDIRQ_OFFSET, True), "nmi": (NMI_OFFSET + HARDIRQ_OFFSET, True)}

# arch/x86/include/asm/cpufeature.h's tests of the CPU the run is on (the boot CPU's bits are its bits): each gives
# the primitive the macro's name and its argument as written (stringized, so a tree's X86_FEATURE_* number is not
# what it sees). cpu_feature_enabled() is 0 at build time for a feature the configuration leaves out: the script's
# cpu_has says what the running kernel has. cpu_has(c, bit) of another CPU's cpuinfo stays refused.
CPU_FEATURE_MACROS: tuple[tuple[str, str], ...] = tuple(
    (f"{name}(bit)", f'__sh_cpu_feature("{name}", #bit)') for name in (
        "cpu_feature_enabled", "boot_cpu_has", "static_cpu_has", "this_cpu_has", "boot_cpu_has_bug",
        "static_cpu_has_bug"))

# arch/x86/include/asm/cpufeatures.h's names: a feature's bit or a bug's, as the code writes it, of at most 63
# characters (sh_native.c's table). Tested without a regex: compiling one was a million instructions a process.
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def feature_name(name: str) -> bool:
    """Whether ``name`` is an X86_FEATURE_* or X86_BUG_* name (capitals, digits, underscores after the prefix)."""
    rest = name.removeprefix("X86_FEATURE_") if name.startswith("X86_FEATURE_") else name.removeprefix("X86_BUG_")
    return rest != name and 0 < len(rest) <= 48 and _NAME_CHARS.issuperset(rest)


def cpu_feature(m: Machine, args: list[Any], where: str) -> int:
    """boot_cpu_has(X86_FEATURE_X) and its kin (the prelude hands the macro's name and its argument as written):
    1 where the run's script says the CPU has X (cpu_has), 0 where it says it lacks X (cpu_lacks); refused where
    the argument is not a feature's or bug's name, or the script says nothing of it."""
    macro, name = args[0].data.decode(), args[1].data.decode()
    if not feature_name(name):
        raise UnsupportedConstruct(where, f"{macro}({name}): not an X86_FEATURE_* or X86_BUG_* name as the code "
                                          "writes it, so which feature it tests is not known to the mirror")
    for known, has in m.features:
        if known == name:
            return int(has)
    raise UnsupportedConstruct(where, f"{macro}({name}) tells whether the CPU has {name}, which the run's script "
                                      "does not say: give it in the script's cpu_has or cpu_lacks (docs/matrix.md)")


def nmi_refused(ops: str, where: str) -> None:
    """Refuse, in NMI context, operations on a lock (an acquire, a trylock, a release, an initialisation) or RCU's
    read-side section: __nmi_enter() turns lockdep off for the task (lockdep_off(), include/linux/hardirq.h), so
    lock_acquire() records nothing (kernel/locking/lockdep.c: verify_lock_unused() alone, of a class used before),
    and a lock the interrupted code holds is a silent deadlock: neither is modelled."""
    if any(op in "LTlNRr" for op in ops):
        raise UnsupportedConstruct(where, "a lock or RCU read-side primitive in NMI context, where lockdep is off "
                                          "(__nmi_enter(): lockdep_off()) and a lock the interrupted code holds "
                                          "deadlocks: not modelled")
