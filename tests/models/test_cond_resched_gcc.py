"""cond_resched() and might_resched(): a scheduling point in atomic context is reported.

cond_resched() and might_resched() (include/linux/kernel.h, sched.h; models/locking.py): a scheduling point in
atomic context is CONFIG_DEBUG_ATOMIC_SLEEP's "sleeping function called from invalid context"; the mirror called
them unknown functions (the whole entry point refused). gcc builds and runs them against the harness's own state."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.lockdep import LOCKDEP_OFF
from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

VIOLATION = "sleeping function called from invalid context"

# A mutex held (it may sleep: nothing said), then a scheduling point under guard(preempt), under a spinlock with IRQs
# off and inside an RCU read-side section, each in a function of its own (the report is one a run: prev_jiffy).
POINTS = """\
static DEFINE_MUTEX(cr_m);
static DEFINE_SPINLOCK(cr_s);

static long long pw_mutex(u64 fn, struct tdx_module_args *args)
{
	long long r = 1;

	scoped_guard(mutex, &cr_m) {
		cond_resched();
		might_resched();
		r += fn & 3;
	}
	might_sleep();
	return r;
}

static long long pw_preempt(u64 fn, struct tdx_module_args *args)
{
	if (fn & 1) {
		guard(preempt)();
		cond_resched();
		return 2;
	}
	cond_resched();
	return 3;
}

static long long pw_irq(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;

	spin_lock_irqsave(&cr_s, flags);
	cond_resched();
	spin_unlock_irqrestore(&cr_s, flags);
	rcu_read_lock();
	cond_resched();
	rcu_read_unlock();
	return 4;
}
"""


def test_scheduling_points_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "cr", "demo/cr.h", POINTS)
    out = result.outcome("cr", "busy/ONE/ok/demo.c")
    said = [e for e in out.events if e.kind == "violation"]
    assert [e.detail.split(" (")[0] for e in said] == [VIOLATION], out.events


def _run(body: str) -> tuple[str, str | None, list[str]]:
    out = run("static DEFINE_SPINLOCK(s);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n" + body
              + "\treturn 0;\n}\n")
    return out.status, out.error, [f"{e.kind} {e.detail} {e.where}" for e in out.events if e.kind == "violation"]


@pytest.mark.parametrize(("body", "line", "context"), [
    ("\tguard(preempt)();\n\tcond_resched();\n", 5, "preempt count 1, RCU depth 0, IRQs on"),
    ("\tspin_lock(&s);\n\tcond_resched();\n\tspin_unlock(&s);\n", 5, "preempt count 1, RCU depth 0, IRQs on"),
    ("\tlocal_irq_disable();\n\tcond_resched();\n\tlocal_irq_enable();\n", 5, "preempt count 0, RCU depth 0, IRQs off"),
])
def test_cond_resched_in_atomic_context_is_reported_where_it_is(body: str, line: int, context: str) -> None:
    assert _run(body) == ("ok", None, [f"violation {VIOLATION} ({context}) test/prog.c:{line}"])


def test_preemptible_scheduling_points_report_nothing() -> None:
    assert _run("\tcond_resched();\n\tmight_resched();\n\tscoped_guard(spinlock, &s)\n\t\tmight_resched();\n") == \
        ("ok", None, [])


def test_a_value_cast_away_is_discarded() -> None:
    assert _run("\tguard(preempt)();\n\t(void)cond_resched();\n") == \
        ("ok", None, [f"violation {VIOLATION} (preempt count 1, RCU depth 0, IRQs on) test/prog.c:5"])


@pytest.mark.parametrize("use", ["\tif (cond_resched())\n\t\treturn 1;\n", "\tint n = cond_resched() + 1;\n",
                                 "\t(void)(cond_resched() + 1);\n"])
def test_the_value_of_cond_resched_is_refused_where_it_is_used(use: str) -> None:
    status, error, _ = _run(use)
    assert status == "error" and (error or "").startswith("test/prog.c:4: the value of cond_resched()"), error


def test_a_scheduling_point_not_modelled_is_still_an_unknown_function() -> None:
    status, error, _ = _run("\tspin_lock(&s);\n\tcond_resched_lock(&s);\n\tspin_unlock(&s);\n")
    assert status == "error" and (error or "").startswith("test/prog.c:5: call to unknown function cond_resched_lock()")



DISCARDED = """\
static long long pw_for(u64 fn, struct tdx_module_args *args)
{
	long long i;

	guard(preempt)();
	for (i = 0; i < (long long)(fn & 3); cond_resched())
		i++;
	return i;
}

static long long pw_comma(u64 fn, struct tdx_module_args *args)
{
	long long i = 2;

	i = (cond_resched(), i + (long long)(fn & 1));
	cond_resched(), (void)cond_resched();
	return i;
}
"""


def test_values_a_for_statement_or_a_comma_discards_run_as_gcc_runs_them(tmp_path: Path) -> None:
    """The for statement's third expression and a comma's left operand discard their values (C11 6.8.5.3p1,
    6.5.17p2): those calls run (they were refused as uses of the value)."""
    result = runs_as_gcc(tmp_path, "crd", "demo/crd.h", DISCARDED)
    out = result.outcome("crd", "busy/ONE/ok/demo.c")
    assert [e.detail.split(" (")[0] for e in out.events if e.kind == "violation"] == [VIOLATION], out.events


@pytest.mark.parametrize(("body", "line"), [
    ("\tint i;\n\n\tguard(preempt)();\n\tfor (i = 0; i < 1; cond_resched())\n\t\ti++;\n", 7),
    ("\tint i = 0;\n\n\tguard(preempt)();\n\ti = (cond_resched(), i + 1);\n", 7),
    ("\tguard(preempt)();\n\tcond_resched(), (void)cond_resched();\n", 5),
])
def test_a_value_a_for_statement_or_a_comma_discards_is_discarded(body: str, line: int) -> None:
    assert _run(body) == \
        ("ok", None, [f"violation {VIOLATION} (preempt count 1, RCU depth 0, IRQs on) test/prog.c:{line}"])


@pytest.mark.parametrize("use", ["\tint i;\n\n\tfor (i = 0; cond_resched(); i++)\n\t\t;\n",
                                 "\tint i = (1, cond_resched());\n"])
def test_the_value_of_cond_resched_the_comma_or_the_for_condition_uses_is_refused(use: str) -> None:
    status, error, _ = _run(use)
    assert status == "error" and "the value of cond_resched()" in (error or ""), error


RCU_POINTS = """\
static long long pw_rcu(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	rcu_read_lock();
	cond_resched_rcu();
	r += fn & 3;
	rcu_read_unlock();
	preempt_disable();
	rcu_read_lock();
	cond_resched_rcu();
	rcu_read_unlock();
	preempt_enable();
	return r;
}
"""


def test_cond_resched_rcu_leaves_the_read_side_section_around_its_check(tmp_path: Path) -> None:
    # include/linux/sched.h under CONFIG_DEBUG_ATOMIC_SLEEP: rcu_read_unlock(), cond_resched(), rcu_read_lock(), so a
    # cond_resched_rcu() in a read-side section alone reports nothing, one with preemption off too is the report (was
    # an unknown function, the entry point refused).
    result = runs_as_gcc(tmp_path, "crr", "demo/crr.h", RCU_POINTS)
    out = result.outcome("crr", "busy/ONE/ok/demo.c")
    said = [e.detail for e in out.events if e.kind == "violation"]
    assert said == [f"{VIOLATION} (preempt count 1, RCU depth 0, IRQs on)"], out.events


RCU_OUTSIDE = """\
static long long pw_rcu_outside(u64 fn, struct tdx_module_args *args)
{
	cond_resched_rcu();
	return 5;
}
"""


def test_cond_resched_rcu_outside_a_read_side_section_is_reported(tmp_path: Path) -> None:
    # Its rcu_read_unlock() has no rcu_read_lock() (lockdep's "bad unlock balance"), and its cond_resched() then
    # runs at RCU depth -1, which __might_resched() (kernel/sched/core.c, resched_offsets_ok(): preempt_count() plus
    # rcu_preempt_depth() << 8 must be 0) reports: both, as the native build reports them. CONFIG_PREEMPT_RCU, as
    # every option set; without it rcu_read_unlock() is a preempt_enable() that DEBUG_PREEMPT refuses to take below
    # zero, and no sleeping report follows (docs/mirror.md).
    result = runs_as_gcc(tmp_path, "cro", "demo/cro.h", RCU_OUTSIDE)
    out = result.outcome("cro", "busy/ONE/ok/demo.c")
    said = [e.detail for e in out.events if e.kind == "violation"]
    assert said == ["rcu_read_unlock() without rcu_read_lock()" + LOCKDEP_OFF,
                    f"{VIOLATION} (preempt count 0, RCU depth -1, IRQs on)"], out.events
