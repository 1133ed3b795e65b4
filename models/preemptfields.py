"""include/linux/preempt.h's preempt-count fields and the context tests that read them, as prelude macros."""

from __future__ import annotations

# The header's layout (not PREEMPT_RT, CONFIG_PREEMPT_COUNT): 8 bits of preemption depth, 8 of softirq, 4 of hardirq,
# 4 of NMI, each field's mask and unit an unsigned long (its 1UL shifts), so that every test made of them is
# unsigned long too: in_hardirq() - 1 is ULONG_MAX, never negative. A run starts in its script's context
# (models.runcontext), and only preempt_disable() past 255 (carrying into the softirq field, as the kernel's count
# does) changes the fields above the depth.
PREEMPT_BITS, SOFTIRQ_BITS, HARDIRQ_BITS, NMI_BITS = 8, 8, 4, 4
SOFTIRQ_OFFSET = 1 << PREEMPT_BITS  # what a run in softirq context starts its count at (models.runcontext)
HARDIRQ_OFFSET = 1 << (PREEMPT_BITS + SOFTIRQ_BITS)
NMI_OFFSET = 1 << (PREEMPT_BITS + SOFTIRQ_BITS + HARDIRQ_BITS)
NMI_MASK = ((1 << NMI_BITS) - 1) * NMI_OFFSET  # models.locking: what a run in NMI context may not do
_LAYOUT: tuple[tuple[str, str], ...] = (
    ("PREEMPT_BITS", str(PREEMPT_BITS)), ("SOFTIRQ_BITS", str(SOFTIRQ_BITS)), ("HARDIRQ_BITS", str(HARDIRQ_BITS)),
    ("NMI_BITS", str(NMI_BITS)),
    ("PREEMPT_SHIFT", "0"), ("SOFTIRQ_SHIFT", "(PREEMPT_SHIFT + PREEMPT_BITS)"),
    ("HARDIRQ_SHIFT", "(SOFTIRQ_SHIFT + SOFTIRQ_BITS)"), ("NMI_SHIFT", "(HARDIRQ_SHIFT + HARDIRQ_BITS)"),
    ("__IRQ_MASK(x)", "((1UL << (x))-1)"),
    *((f"{field}_MASK", f"(__IRQ_MASK({field}_BITS) << {field}_SHIFT)") for field in ("PREEMPT", "SOFTIRQ", "HARDIRQ",
                                                                                    "NMI")),
    *((f"{field}_OFFSET", f"(1UL << {field}_SHIFT)") for field in ("PREEMPT", "SOFTIRQ", "HARDIRQ", "NMI")),
    ("SOFTIRQ_DISABLE_OFFSET", "(2 * SOFTIRQ_OFFSET)"),
    # the count preempt_disable() and spin_lock() add (CONFIG_PREEMPT_COUNT, not PREEMPT_RT)
    ("PREEMPT_DISABLE_OFFSET", "PREEMPT_OFFSET"), ("PREEMPT_LOCK_OFFSET", "PREEMPT_DISABLE_OFFSET"),
    ("SOFTIRQ_LOCK_OFFSET", "(SOFTIRQ_DISABLE_OFFSET + PREEMPT_LOCK_OFFSET)"),
)

# Each reads preempt_count(), so each is refused where it is (inside rcu_read_lock(): models.kernel).
_ACCESSORS: tuple[tuple[str, str], ...] = (
    ("nmi_count()", "(preempt_count() & NMI_MASK)"),
    ("hardirq_count()", "(preempt_count() & HARDIRQ_MASK)"),
    ("softirq_count()", "(preempt_count() & SOFTIRQ_MASK)"),
    ("irq_count()", "(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))"),
    # an __always_inline function returning unsigned char: 0 task, 1 softirq, 2 hardirq, 3 NMI; the count read once
    ("interrupt_context_level()", "({ unsigned long __sh_pc = preempt_count(); (unsigned char)(!!(__sh_pc & NMI_MASK) "
                                  "+ !!(__sh_pc & (NMI_MASK | HARDIRQ_MASK)) + !!(__sh_pc & (NMI_MASK | HARDIRQ_MASK "
                                  "| SOFTIRQ_OFFSET))); })"),
)

# The context tests: the deprecated in_irq(), in_softirq() and in_interrupt() too, which the header still defines.
_TESTS: tuple[tuple[str, str], ...] = (
    ("preemptible()", "(preempt_count() == 0 && !irqs_disabled())"),
    ("in_atomic()", "(preempt_count() != 0)"),
    ("in_atomic_preempt_off()", "(preempt_count() != PREEMPT_DISABLE_OFFSET)"),
    ("in_nmi()", "nmi_count()"),
    ("in_hardirq()", "hardirq_count()"),
    ("in_irq()", "hardirq_count()"),
    ("in_softirq()", "softirq_count()"),
    ("in_serving_softirq()", "(softirq_count() & SOFTIRQ_OFFSET)"),
    ("in_interrupt()", "irq_count()"),
    ("in_task()", "(!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))"),
)

# Preemption inside a section that disables it implicitly (a spinlock, an interrupt handler) on all but PREEMPT_RT:
# there preempt_disable_nested() only asserts it is off (lockdep_assert_preemption_disabled(), WARN_ON_ONCE at the
# site) and preempt_enable_nested() does nothing.
_NESTED: tuple[tuple[str, str], ...] = (
    ("preempt_disable_nested()", "do { lockdep_assert_preemption_disabled(); } while (0)"),
    ("preempt_enable_nested()", "do { } while (0)"),
)

PREEMPT_FIELDS: tuple[tuple[str, str], ...] = (*_LAYOUT, *_ACCESSORS, *_TESTS, *_NESTED)
