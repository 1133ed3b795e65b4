"""An unbalanced preempt_enable() or migrate_enable() leaves the count at 0.

An unbalanced preempt_enable() or migrate_enable() leaves the count at 0, as CONFIG_DEBUG_PREEMPT's kernel does:
kernel/sched/core.c preempt_count_sub() returns on DEBUG_LOCKS_WARN_ON(val > preempt_count()) (the report the first
of the debug-lock checks only: debug_locks_off()), and migrate_enable() on WARN_ON_ONCE() of a depth <= 0 (once a
run). The mirror took them to -1, so the next preempt_disable() ran a SEAMCALL at count 0 and lockdep asserted
preemption on; and a migrate_disable() after one left the task migratable. Both builds run the same C; the values
are worked from those functions by hand."""

from __future__ import annotations

from pathlib import Path

from models.lockdep import LOCKDEP_OFF
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

UNDERFLOW_H = """\
static DEFINE_PER_CPU(u64, uf_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long r;
	u64 ret;

	preempt_enable();
	preempt_enable();
	r = preempt_count();
	preempt_disable();
	lockdep_assert_preemption_disabled();
	ret = __seamcall(fn, args);
	r = r * 10 + preempt_count();
	preempt_enable();
	migrate_enable();
	migrate_enable();
	migrate_disable();
	__this_cpu_inc(uf_hits);
	migrate_enable();
	return r * 10 + (long long)(ret & 1) + this_cpu_read(uf_hits) * 100;
}
"""


def test_an_unbalanced_enable_leaves_the_count_at_zero_as_gcc_runs_it(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "uf", "demo/uf.h", UNDERFLOW_H, 0x8000020300000043, (110, 111))
    ok = result.outcome("uf", "busy/ONE/ok/demo.c")
    assert [c.preempt_count for c in ok.calls] == [1]
    assert [e.detail for e in ok.events if e.kind == "violation"] == [
        "preempt_enable() without preempt_disable()" + LOCKDEP_OFF, "migrate_enable() without migrate_disable()"]
    assert [e.detail for e in ok.events if e.kind in ("preempt", "migrate")] == [
        "count 1", "count 0", "depth 1", "depth 0"]


def test_the_underflow_report_is_the_first_debug_lock_report_only() -> None:
    # DEBUG_LOCKS_WARN_ON() prints while debug_locks is on: a lock used uninitialised reported first turns it off.
    out = run("struct sl_dev { struct mutex lock; };\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tstruct sl_dev d = {};\n\n\tmutex_lock(&d.lock);\n\tmutex_unlock(&d.lock);\n\tpreempt_enable();\n"
              "\treturn preempt_count();\n}\n")
    assert out.status == "ok" and out.ret == 0, out.error
    assert [e.detail for e in out.events if e.kind == "violation"] == [
        "lock d.lock used uninitialised (no DEFINE_MUTEX() or mutex_init()): DEBUG_LOCKS_WARN_ON(lock->magic != lock)"
        + LOCKDEP_OFF]
