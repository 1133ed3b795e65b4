"""include/linux/preempt.h's context tests, as the kernel's macros read them, against gcc.

include/linux/preempt.h's context tests, preemptible(), in_atomic(), in_interrupt() and in_task(), read the
preempt count and the IRQ state as the kernel's macros do (a run is a task: no softirq, hardirq or NMI count);
they were unknown functions. Inside rcu_read_lock() the count, so each of them, is refused, as preempt_count().
The native build is given the same macros: gcc checks the runs, the header's text the definitions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

CONTEXTS = r"""
static DEFINE_SPINLOCK(ctx_lock);

static long long ctx_now(void)
{
	return preemptible() + in_atomic() * 2 + !!in_interrupt() * 4 + in_task() * 8;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;
	long long r = ctx_now();
	u64 err;

	preempt_disable();
	r = r * 100 + ctx_now();
	err = __seamcall(fn, args);
	preempt_enable();
	local_irq_save(flags);
	r = r * 100 + ctx_now();
	local_irq_restore(flags);
	scoped_guard(spinlock_irqsave, &ctx_lock)
		r = r * 100 + ctx_now();
	WARN_ON_ONCE(!preemptible());
	return r * 10 + (err & 1);
}
"""


def test_context_tests_run_as_gcc_runs_them(tmp_path: Path) -> None:
    # 9 preemptible task, 10 preemption off, 8 IRQs off, 10 under the irqsave spinlock
    result = agrees_with_gcc(tmp_path, "ctx", "demo/ctx.h", CONTEXTS, 0x8000020300000043, (91008100, 91008101))
    events = result.outcome("ctx", "busy/ONE/ok/demo.c").events
    assert not [e for e in events if e.kind == "warning"], events  # WARN_ON_ONCE(!preemptible()) never fired


DEEP = r"""
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;
	int i, depth = 4095 + (int)(err & 1);

	for (i = 0; i < depth; i++)
		preempt_disable();
	r = !!in_interrupt() + in_task() * 2 + in_atomic() * 4 + preemptible() * 8;
	for (i = 0; i < depth; i++)
		preempt_enable();
	return r;
}
"""


def test_the_count_fields_are_the_kernels(tmp_path: Path) -> None:
    # past 255 preempt_disable()s the count carries into the softirq field: 4095 (0xfff) is "serving a softirq"
    # (SOFTIRQ_OFFSET) and in an interrupt to the kernel's macros; 4096 (0x1000) in an interrupt, yet in a task.
    # The values are include/linux/preempt.h's definitions worked by hand: gcc builds the prelude's macros too, so
    # it checks how the mirror runs them, not the masks.
    agrees_with_gcc(tmp_path, "deep", "demo/deep.h", DEEP, 0x8000020300000043, (5, 7))


def test_inside_rcu_read_lock_they_are_refused() -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint p;\n\n\trcu_read_lock();\n"
              "\tp = preemptible();\n\trcu_read_unlock();\n\treturn p;\n}\n")
    assert out.status == "error" and "test/prog.c:6" in (out.error or "") \
        and "RCU read-side section" in (out.error or ""), out.error


# arch/x86/include/asm/irqflags.h: local_save_flags() reads the flags without changing them, irqs_disabled_flags()
# tests their X86_EFLAGS_IF; they were unknown functions. The saved flags are what local_irq_save() keeps.
FLAGS = r"""
static long long busy(u64 fn, struct tdx_module_args *args)
{
	unsigned long before, saved, inside;
	u64 err = __seamcall(fn, args);

	local_save_flags(before);
	local_irq_save(saved);
	raw_local_save_flags(inside);
	if (err)
		local_irq_restore(inside);
	else
		local_irq_restore(saved);
	return irqs_disabled_flags(before) + irqs_disabled_flags(inside) * 10 + raw_irqs_disabled_flags(saved) * 100
		+ irqs_disabled() * 1000;
}
"""


def test_saved_flags_are_read_and_tested_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "fl", "demo/fl.h", FLAGS, 0x8000020300000043, (10, 1010))
