"""get_cpu()/put_cpu() and the per-CPU variable and pointer forms, against gcc.

get_cpu()/put_cpu() (include/linux/smp.h) and get_cpu_var()/put_cpu_var(), get_cpu_ptr()/put_cpu_ptr()
(include/linux/percpu-defs.h): this CPU's number or copy with preemption disabled, then enabled again. The mirror
refused them as unknown functions; run by the mirror and built by gcc, outcomes pinned to gcc's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

GET_CPU_H = """\
static DEFINE_PER_CPU(u64, gc_calls);
struct gc_stats { u32 n; u64 last; };
static DEFINE_PER_CPU(struct gc_stats, gc_stats);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	int cpu = get_cpu();
	long long r = cpu * 10 + preempt_count();
	struct gc_stats *st;
	u64 *calls;

	r += (__seamcall(fn, args) != 0) * 100;
	put_cpu();
	r += preempt_count() * 1000;
	get_cpu_var(gc_calls)++;
	get_cpu_var(gc_calls) += 5;
	r += preempt_count() * 10000;
	r += get_cpu_var(gc_calls) * 100000;
	put_cpu_var(gc_calls);
	put_cpu_var(gc_calls);
	put_cpu_var(gc_calls);
	st = get_cpu_ptr(&gc_stats);
	st->n += 3;
	st->last = r;
	put_cpu_ptr(&gc_stats);
	calls = &get_cpu_var(gc_calls);	/* the kernel's idiom for a pointer to this CPU's copy */
	*calls += 2;
	*calls <<= 1;
	put_cpu_var(gc_calls);
	return r + this_cpu_read(gc_stats.n) * 10000000 + preempt_count() * 100000000 + this_cpu_read(gc_calls);
}
"""


def test_get_cpu_and_its_kin_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "gc", "demo/gc.h", GET_CPU_H, 0x42, (30620017, 30620117))  # gcc's
    out = result.outcome("gc", "busy/ONE/ok/demo.c")
    assert [e.detail for e in out.events if e.kind == "preempt"] == \
        ["count 1", "count 0", "count 1", "count 2", "count 3", "count 2", "count 1", "count 0", "count 1", "count 0",
         "count 1", "count 0"]


def test_get_cpu_gives_the_runs_cpu_unchecked() -> None:
    # __smp_processor_id(): no CONFIG_DEBUG_PREEMPT report, and the CPU the script names.
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n\tint cpu = get_cpu();\n\n\tput_cpu();\n"
              "\treturn cpu;\n}\n")
    assert (out.status, out.ret, [e.kind for e in out.events]) == ("ok", 0, ["preempt", "preempt"]), out.error
