"""local_irq_restore() on x86 enables IRQs only where the flags hold X86_EFLAGS_IF.

local_irq_restore() on x86 enables IRQs where the flags hold X86_EFLAGS_IF and does nothing otherwise
(arch/x86/include/asm/irqflags.h arch_local_irq_restore(), no popf since v5.12), so flags saved with IRQs off and
restored after a local_irq_enable() leave IRQs on; CONFIG_DEBUG_IRQFLAGS' raw_check_bogus_irq_restore()
(include/linux/irqflags.h) warns at any restore made with IRQs on, once a boot (kernel/locking/irqflag-debug.c). The
mirror set IRQs off there, and said nothing. Both builds run the same C; the values are worked from those
functions by hand."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

RESTORE_H = """\
static DEFINE_SPINLOCK(rs_lock);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	unsigned long off, on;
	long long r;
	u64 ret = __seamcall(fn, args);

	local_irq_disable();
	local_irq_save(off);
	local_irq_enable();
	if (ret & 1)
		local_irq_disable();
	local_irq_restore(off);
	r = irqs_disabled();
	local_irq_enable();
	spin_lock_irqsave(&rs_lock, on);
	spin_unlock_irqrestore(&rs_lock, on);
	spin_unlock_irqrestore(&rs_lock, on);
	return r * 10 + irqs_disabled();
}
"""


def test_flags_saved_with_irqs_off_restored_while_on_leave_them_on_as_gcc_runs_it(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "rs", "demo/rs.h", RESTORE_H, 0x8000020300000043, (0, 10))
    ok, big = (result.outcome("rs", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    bogus = "raw_local_irq_restore() called with IRQs enabled"
    # Once a run: the first restore made with IRQs on; where they were off there, the second unlock's, made with
    # them on (which releases a free lock too).
    assert [e.where for e in ok.events if e.kind == "violation" and e.detail == bogus] == ["demo/rs.h:14"]
    assert [e.where for e in big.events if e.kind == "violation" and e.detail == bogus] == ["demo/rs.h:19"]


def test_the_warning_is_once_a_run() -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunsigned long a;\n\n\tlocal_irq_save(a);\n"
              "\tlocal_irq_restore(a);\n\tlocal_irq_restore(a);\n\tlocal_irq_restore(a);\n"
              "\treturn irqs_disabled();\n}\n")
    assert (out.status, out.ret) == ("ok", 0), out.error
    assert [(e.detail, e.where) for e in out.events if e.kind == "violation"] == [
        ("raw_local_irq_restore() called with IRQs enabled", "test/prog.c:7")]
