"""include/linux/preempt.h's preempt count fields are unsigned long, against gcc.

include/linux/preempt.h's fields of the preempt count: the masks and offsets are unsigned long (its 1UL shifts), so
are the count accessors hardirq_count(), softirq_count(), irq_count(), nmi_count() and the context tests built on
them (in_hardirq(), in_interrupt(), in_nmi(), in_softirq(), in_serving_softirq(), in_irq()), while in_task(),
in_atomic() and preemptible() are int and interrupt_context_level() an unsigned char. The mirror had the tests as
int (``in_hardirq() - 1 < 0`` true where gcc says false, ``sizeof(in_interrupt())`` 4 where gcc says 8) and refused
the accessors and constants as unknown. The oracle is gcc building the same body against the header's definitions,
written out below apart from the prelude (the native build shares the prelude's macros, so it cannot check them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import gcc_returns, run

GCC = shutil.which("gcc")

# The body, run at preempt counts 0, 1 and 256 (the softirq field's first unit: serving a softirq), each result
# folded into one number; every term is small, so a wrong type or a wrong field changes the sum.
BODY = r"""
static u64 fields_now(void)
{
	u64 x = 0;

	x = x * 3 + (in_hardirq() - 1 < 0) + (in_interrupt() - 1 < 0) * 2;
	x = x * 3 + (in_nmi() - 1 < 0) + (in_softirq() - 1 < 0) + (in_serving_softirq() - 1 < 0);
	x = x * 17 + sizeof(in_hardirq()) + sizeof(in_task()) + sizeof(interrupt_context_level());
	x = x * 17 + sizeof(in_irq()) + sizeof(irq_count()) + sizeof(HARDIRQ_OFFSET);
	x = x * 5 + !!hardirq_count() + !!nmi_count() + !!in_irq() + (softirq_count() >> 8) + (irq_count() >> 8);
	x = x * 5 + interrupt_context_level() + in_task() + in_atomic() + preemptible();
	x = x * 3 + in_atomic_preempt_off() + (-1 < PREEMPT_OFFSET);
	x = x * 257 + PREEMPT_MASK + (SOFTIRQ_MASK >> 8) + (HARDIRQ_MASK >> 16) + (NMI_MASK >> 20);
	x = x * 17 + (SOFTIRQ_OFFSET >> 8) + (HARDIRQ_OFFSET >> 16) + (NMI_OFFSET >> 20) + (SOFTIRQ_DISABLE_OFFSET >> 9);
	x = x * 17 + PREEMPT_DISABLE_OFFSET + PREEMPT_LOCK_OFFSET + (SOFTIRQ_LOCK_OFFSET >> 9) + HARDIRQ_BITS;
	return x * 17 + NMI_SHIFT;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	u64 x = fields_now();
	int i;

	preempt_disable();
	x = x * 1000003 + fields_now();
	for (i = 0; i < 255; i++)
		preempt_disable();
	x = x * 1000003 + fields_now();
	for (i = 0; i < 256; i++)
		preempt_enable();
	return (long long)(x * 1000003 + fields_now());
}
"""

# include/linux/preempt.h (not PREEMPT_RT, CONFIG_PREEMPT_COUNT) as gcc reads it, over a count of our own; IRQs on
KERNEL = r"""
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args;
static int count;
static int preempt_count(void) { return count; }
#define irqs_disabled() 0
#define preempt_disable() (count++)
#define preempt_enable() (count--)
#define PREEMPT_BITS 8
#define SOFTIRQ_BITS 8
#define HARDIRQ_BITS 4
#define NMI_BITS 4
#define PREEMPT_SHIFT 0
#define SOFTIRQ_SHIFT (PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT (SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define NMI_SHIFT (HARDIRQ_SHIFT + HARDIRQ_BITS)
#define FIELD_MASK(bits, shift) (((1UL << (bits)) - 1) << (shift))
#define PREEMPT_MASK FIELD_MASK(PREEMPT_BITS, PREEMPT_SHIFT)
#define SOFTIRQ_MASK FIELD_MASK(SOFTIRQ_BITS, SOFTIRQ_SHIFT)
#define HARDIRQ_MASK FIELD_MASK(HARDIRQ_BITS, HARDIRQ_SHIFT)
#define NMI_MASK FIELD_MASK(NMI_BITS, NMI_SHIFT)
#define PREEMPT_OFFSET (1UL << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET (1UL << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET (1UL << HARDIRQ_SHIFT)
#define NMI_OFFSET (1UL << NMI_SHIFT)
#define SOFTIRQ_DISABLE_OFFSET (2 * SOFTIRQ_OFFSET)
#define PREEMPT_DISABLE_OFFSET PREEMPT_OFFSET
#define PREEMPT_LOCK_OFFSET PREEMPT_DISABLE_OFFSET
#define SOFTIRQ_LOCK_OFFSET (SOFTIRQ_DISABLE_OFFSET + PREEMPT_LOCK_OFFSET)
static inline unsigned char interrupt_context_level(void)
{
	unsigned long pc = preempt_count();

	return !!(pc & NMI_MASK) + !!(pc & (NMI_MASK | HARDIRQ_MASK))
		+ !!(pc & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET));
}
#define nmi_count() (preempt_count() & NMI_MASK)
#define hardirq_count() (preempt_count() & HARDIRQ_MASK)
#define softirq_count() (preempt_count() & SOFTIRQ_MASK)
#define irq_count() (preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_nmi() nmi_count()
#define in_hardirq() hardirq_count()
#define in_serving_softirq() (softirq_count() & SOFTIRQ_OFFSET)
#define in_task() (!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))
#define in_irq() hardirq_count()
#define in_softirq() softirq_count()
#define in_interrupt() irq_count()
#define in_atomic() (preempt_count() != 0)
#define in_atomic_preempt_off() (preempt_count() != PREEMPT_DISABLE_OFFSET)
#define preemptible() (preempt_count() == 0 && !irqs_disabled())
"""


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_the_count_fields_have_the_headers_types_and_values(tmp_path: Path) -> None:
    assert GCC is not None
    [want] = gcc_returns(tmp_path, KERNEL + BODY, [0], GCC)
    out = run(BODY)
    assert out.status == "ok", out.error
    assert out.ret == want


def test_reading_the_fields_inside_rcu_read_lock_is_refused() -> None:
    # the count is not known there (CONFIG_PREEMPT_RCU decides), so nor is any field of it
    for expr in ("hardirq_count()", "irq_count()", "interrupt_context_level()", "in_irq()"):
        out = run(f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\tlong long r;\n\n\trcu_read_lock();\n"
                  f"\tr = {expr};\n\trcu_read_unlock();\n\treturn r;\n}}\n")
        assert out.status == "error" and "test/prog.c:6" in (out.error or "") \
            and "RCU read-side section" in (out.error or ""), (expr, out.error)


NESTED = r"""
static DEFINE_SPINLOCK(pn_lock);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long r;
	u64 err;

	spin_lock(&pn_lock);
	preempt_disable_nested();
	err = __seamcall(fn, args);
	r = preempt_count();
	preempt_enable_nested();
	spin_unlock(&pn_lock);
	preempt_disable_nested();
	preempt_enable_nested();
	return r * 100 + preempt_count() * 10 + (long long)(err & 1);
}
"""


def test_preempt_disable_nested_asserts_and_adds_nothing_as_gcc_runs_it(tmp_path: Path) -> None:
    # include/linux/preempt.h (not PREEMPT_RT): preempt_disable_nested() is lockdep_assert_preemption_disabled(),
    # preempt_enable_nested() nothing; it was an unknown function. Under the spinlock the count stays 1; outside,
    # the assertion fires once.
    from tests.harness.variantgen import agrees_with_gcc

    result = agrees_with_gcc(tmp_path, "pn", "demo/pn.h", NESTED, 0x8000020300000043, (100, 101))
    ok = result.outcome("pn", "busy/ONE/ok/demo.c")
    assert [e.detail for e in ok.events if e.kind == "violation"] == ["lockdep: preemption is enabled here"]
