"""An entry point returning with preemption still disabled is a violation naming it and where the disable was made.

The kernel's checks at a callback's return (call_timer_fn()'s "preempt leak", process_one_work()'s "leaked atomic",
do_one_initcall()'s "preemption imbalance") compare the preempt count with the one the callback was called with. The
run showed "preempt count 1" alone, which a reader took for a count at a SEAMCALL; the native build reports the same
violation from sh_call() (models/native/sh_native.c), so both sources' builds agree with the mirror."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.eventwords import event_text
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import line_of, run

LEAK_H = """\
static DEFINE_PER_CPU(u64, pl_hits);

static int pl_pick(void)
{
	int cpu = get_cpu();

	return cpu;
}

static void pl_count(void)
{
	preempt_disable();
	this_cpu_inc(pl_hits);
	preempt_enable();
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long r = pl_pick();
	u64 ret;

	preempt_disable();
	pl_count();
	ret = __seamcall(fn, args);
	preempt_enable();
	return r * 10 + (long long)(ret & 1) + preempt_count() * 100;
}
"""


def test_a_preempt_leak_is_named_as_gcc_runs_it(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "pl", "demo/pl.h", LEAK_H, 0x8000020300000043, (100, 101))
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
    ok = result.outcome("pl", "busy/ONE/ok/demo.c")
    (leak,) = [e for e in ok.events if e.kind == "violation"]
    # busy()'s own enable undoes its own disable; pl_count()'s pair is balanced: get_cpu() in pl_pick() leaked
    at = f"demo/pl.h:{line_of(LEAK_H, 'get_cpu()')}"
    assert (leak.detail, leak.where) == ("busy() returned with preemption disabled (preempt count 1)", at), leak
    assert event_text(leak) == f"violation: {leak.detail}, disabled at {at}"


@pytest.mark.parametrize("body", [
    "\tpreempt_disable();\n\tpreempt_enable();\n\treturn 0;",
    "\tint cpu = get_cpu();\n\n\tput_cpu();\n\treturn cpu;",
    "\tguard(preempt)();\n\treturn 0;",
])
def test_a_balanced_run_reports_no_leak(body: str) -> None:
    out = run(f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n{body}\n}}\n")
    assert out.status == "ok" and [e for e in out.events if e.kind == "violation"] == [], (out.error, out.events)


def test_a_helper_whose_caller_enables_is_no_leak() -> None:
    # get_cpu() in a helper, put_cpu() in its caller: balanced at the entry point's return, as the kernel sees it
    code = ("static int g(void)\n{\n\treturn get_cpu();\n}\n\nlong long f(u64 fn, struct tdx_module_args *args)\n"
            "{\n\tint cpu = g();\n\n\tput_cpu();\n\treturn cpu;\n}\n")
    out = run(code)
    assert out.status == "ok" and [e for e in out.events if e.kind == "violation"] == [], out.events
