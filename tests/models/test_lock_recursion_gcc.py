"""lockdep as the kernel runs it: its first report turns it off.

lockdep as the kernel runs it (kernel/locking/lockdep.c, lib/debug_locks.c): its first report turns it off
(debug_locks_off()), so later lock reports and lockdep assertions say nothing while might_sleep()'s and
CONFIG_DEBUG_PREEMPT's go on; a lock the task holds taken again is its "possible recursive locking detected" and a
task that never returns (a deadlock outcome at that line); another lock of a held one's class (two locks one
spin_lock_init() set up) is the report alone. The values are worked from those functions by hand; the native build
runs the same C and agrees wherever the run ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.expectations import expectation_failures
from harness.rules import Expect
from models.lockdep import LOCKDEP_OFF
from models.outcome import ErrorKind
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

OFF_H = """\
static DEFINE_MUTEX(dl_m);
static DEFINE_SPINLOCK(dl_s);
static DEFINE_PER_CPU(u32, dl_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n;

	if (ret & 1)
		mutex_unlock(&dl_m);
	lockdep_assert_held(&dl_m);
	lockdep_assert_irqs_disabled();
	preempt_enable();
	spin_lock(&dl_s);
	spin_lock_init(&dl_s);
	n = spin_is_locked(&dl_s);
	preempt_enable();
	mutex_lock(&dl_m);
	mutex_unlock(&dl_m);
	mutex_unlock(&dl_m);
	preempt_disable();
	might_sleep();
	preempt_enable();
	__this_cpu_inc(dl_hits);
	return n * 10 + preempt_count();
}
"""


def test_lockdep_reports_nothing_after_its_first_report_as_gcc_runs_it(tmp_path: Path) -> None:
    # Answer 0: lockdep_assert_held() (a WARN_ON(), debug_locks left on) and lockdep_assert_irqs_disabled() report;
    # the unbalanced preempt_enable()'s DEBUG_LOCKS_WARN_ON() is the first debug-lock report and turns lockdep off.
    # Answer 0x...43: the free mutex released is lockdep's "bad unlock balance", first: the assertions, the
    # underflow, the held lock initialised again and the second free release say nothing. might_sleep()'s and
    # __this_cpu_inc()'s reports do not read debug_locks: both runs make them. spin_lock_init() frees dl_s (its
    # preempt count stays: the preempt_enable() after it).
    result = agrees_with_gcc(tmp_path, "dl", "demo/dl.h", OFF_H, 0x8000020300000043, (0, 0))
    ok, big = (result.outcome("dl", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    sleep = "sleeping function called from invalid context (preempt count 1, RCU depth 0, IRQs on)"
    assert [(e.detail, e.where) for e in ok.events if e.kind == "violation"] == [
        ("lockdep: lock dl_m is not held here", f"demo/dl.h:{line_of(OFF_H, 'assert_held')}"),
        ("lockdep: interrupts are enabled here", f"demo/dl.h:{line_of(OFF_H, 'irqs_disabled')}"),
        ("preempt_enable() without preempt_disable()" + LOCKDEP_OFF, f"demo/dl.h:{line_of(OFF_H, 'preempt_enable')}"),
        (sleep, f"demo/dl.h:{line_of(OFF_H, 'might_sleep')}"),
        ("using __this_cpu_add() in preemptible code", f"demo/dl.h:{line_of(OFF_H, '__this_cpu_inc')}")]
    assert [e.detail for e in big.events if e.kind == "violation"] == [
        "lock dl_m released while free" + LOCKDEP_OFF, sleep, "using __this_cpu_add() in preemptible code"]


def test_rcu_read_unlock_outside_a_section_is_reported_once() -> None:
    # CONFIG_PREEMPT_RCU's __rcu_read_unlock() WARN_ON_ONCE()s a depth below 0 (kernel/rcu/tree_plugin.h), and its
    # rcu_lock_release() is lockdep's "bad unlock balance" on rcu_lock_map: one report a run, lockdep off after.
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n\trcu_read_unlock();\n\trcu_read_unlock();\n"
            "\tlockdep_assert_irqs_disabled();\n\treturn 0;\n}\n")
    out = run(code)
    assert [(e.detail, e.where) for e in out.events if e.kind == "violation"] == [
        ("rcu_read_unlock() without rcu_read_lock()" + LOCKDEP_OFF, f"{PATH}:3")]


RECURSIVE = "lockdep: possible recursive locking detected: lock {} taken again by the task that holds it"
GLOBALS = "static DEFINE_SPINLOCK(rs);\nstatic DEFINE_RAW_SPINLOCK(rr);\nstatic DEFINE_MUTEX(rm);\n"


@pytest.mark.parametrize(("first", "again", "lock", "how"), [
    ("spin_lock(&rs);", "spin_lock(&rs);", "rs", "spins"),
    ("raw_spin_lock(&rr);", "raw_spin_lock_irq(&rr);", "rr", "spins"),
    ("unsigned long fl;\n\tspin_lock_irqsave(&rs, fl);", "spin_lock(&rs);", "rs", "spins"),
    ("spin_lock(&rs);", "guard(spinlock)(&rs);", "rs", "spins"),
    ("mutex_lock(&rm);", "mutex_lock(&rm);", "rm", "sleeps"),
    ("mutex_lock(&rm);", "scoped_guard(mutex, &rm) n++;", "rm", "sleeps"),
    ("guard(mutex)(&rm);", "(void)mutex_lock_interruptible(&rm);", "rm", "sleeps"),
])
def test_a_lock_the_task_holds_taken_again_is_a_deadlock_there(first: str, again: str, lock: str, how: str) -> None:
    # lockdep's check_deadlock() reports it (print_deadlock_bug()), then the spinlock spins and the mutex sleeps
    # for ever (no signal comes for mutex_lock_interruptible()): nothing after it runs, no cleanup either.
    code = (GLOBALS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint n = 0;\n\n\t" + first + "\n\t"
            + again + '\n\tpr_err("after\\n");\n\t__seamcall(fn, args);\n\treturn n;\n}\n')
    out = run(code)
    line = code[:code.index(again, code.index(first) + len(first))].count("\n") + 1
    assert (out.status, out.error_kind) == ("error", ErrorKind.DEADLOCK), out.error
    assert out.error == (f"{PATH}:{line}: deadlock: lock {lock} is taken again by the task that holds it, which "
                         f"{how} there for ever: the call never returns")
    assert out.ran and not out.log and not out.calls
    assert [(e.detail, e.where) for e in out.events if e.kind == "violation"] == [
        (RECURSIVE.format(lock) + LOCKDEP_OFF, f"{PATH}:{line}")]
    assert out.events[-1].kind == "violation"  # the acquire never happened
    # A rule's expectation is never met by it (only status = "error" is): what follows never ran.
    assert expectation_failures(out, Expect(calls_at_most=1))[0][0][0] == "a run that completes"


def test_a_deadlock_after_lockdep_turned_off_is_a_deadlock_without_its_report() -> None:
    code = (GLOBALS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tpreempt_enable();\n"
            "\tmutex_lock(&rm);\n\tmutex_lock(&rm);\n\treturn 0;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.DEADLOCK), out.error
    assert [e.detail for e in out.events if e.kind == "violation"] == [
        "preempt_enable() without preempt_disable()" + LOCKDEP_OFF]


def test_a_trylock_of_a_held_lock_fails_without_a_report() -> None:
    # No check_deadlock() for a trylock (validate_chain() skips it), and it fails: no deadlock.
    code = (GLOBALS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tlong long n;\n\n\tmutex_lock(&rm);\n"
            "\tspin_lock(&rs);\n\tn = mutex_trylock(&rm) * 10 + spin_trylock(&rs);\n\tspin_unlock(&rs);\n"
            "\tmutex_unlock(&rm);\n\treturn n + 5;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 5), out.error
    assert not [e for e in out.events if e.kind == "violation"]


CLASS_H = """\
struct rc_dev {
	spinlock_t lock;
	struct mutex m;
};
static struct rc_dev rc_devs[2];
static struct rc_dev rc_one, rc_two;
static DEFINE_SPINLOCK(rc_a);
static DEFINE_SPINLOCK(rc_b);

static void rc_setup(struct rc_dev *d)
{
	spin_lock_init(&d->lock);
	mutex_init(&d->m);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n = 0;

	for (int i = 0; i < 2; i++)
		rc_setup(&rc_devs[i]);
	spin_lock_init(&rc_one.lock);
	spin_lock_init(&rc_two.lock);
	spin_lock(&rc_a);
	spin_lock(&rc_b);
	spin_lock(&rc_one.lock);
	spin_lock(&rc_two.lock);
	n += preempt_count();
	spin_unlock(&rc_two.lock);
	spin_unlock(&rc_one.lock);
	spin_unlock(&rc_b);
	spin_unlock(&rc_a);
	mutex_lock(&rc_devs[0].m);
	spin_lock(&rc_devs[1].lock);
	spin_unlock(&rc_devs[1].lock);
	if (ret & 1)
		mutex_lock(&rc_devs[1].m);
	n = n * 10 + spin_is_locked(&rc_devs[0].lock);
	if (ret & 1)
		mutex_unlock(&rc_devs[1].m);
	mutex_unlock(&rc_devs[0].m);
	return n;
}
"""


def test_a_lock_of_a_held_locks_class_is_reported_not_a_deadlock_as_gcc_runs_it(tmp_path: Path) -> None:
    # Classes: DEFINE_SPINLOCK() keys a lock by its address (each its own), spin_lock_init() and mutex_init() by a
    # static in their expansion (every lock one line sets up shares it). Two statics and two locks set up on two
    # lines nest without a report; a mutex and a spinlock never share one; the two mutexes rc_setup() set up do:
    # lockdep reports the second (answer 0x...43 only), and the run goes on, the locks being two.
    result = agrees_with_gcc(tmp_path, "rc", "demo/rc.h", CLASS_H, 0x8000020300000043, (40, 40))
    ok, big = (result.outcome("rc", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert not [e for e in ok.events if e.kind == "violation"], ok.events
    assert [(e.detail, e.where) for e in big.events if e.kind == "violation"] == [
        ("lockdep: possible recursive locking detected: lock rc_devs[1].m taken while the task holds lock "
         "rc_devs[0].m of its class" + LOCKDEP_OFF, f"demo/rc.h:{line_of(CLASS_H, 'mutex_lock(&rc_devs[1].m)')}")]


def test_nesting_locks_whose_classes_an_init_function_chose_is_refused() -> None:
    # Set up before the run (no initialiser in it): one init function may have set both up at one line (a loop
    # over an array), and lockdep would report the second; whether it does is not known. A static one nests.
    code = ("struct rq { spinlock_t l; };\nstatic struct rq rq_a, rq_b;\nstatic DEFINE_SPINLOCK(rq_s);\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tspin_lock(&rq_a.l);\n\tspin_lock(&rq_s);\n"
            "\tspin_unlock(&rq_s);\n\tspin_lock(&rq_b.l);\n\treturn 0;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:9: lock rq_b.l taken while the task holds lock rq_a.l: whether lockdep reports"), out.error


WAIT_H = """\
static DEFINE_MUTEX(wc_m);
static DEFINE_SPINLOCK(wc_s);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n = 0;

	preempt_disable();
	mutex_lock(&wc_m);
	mutex_unlock(&wc_m);
	preempt_enable();
	if (ret & 1) {
		rcu_read_lock();
		n = mutex_trylock(&wc_m);
		mutex_unlock(&wc_m);
		mutex_lock(&wc_m);
		mutex_unlock(&wc_m);
		rcu_read_unlock();
	} else {
		spin_lock(&wc_s);
		n = mutex_trylock(&wc_m) * 10;
		mutex_unlock(&wc_m);
		mutex_lock(&wc_m);
		mutex_unlock(&wc_m);
		spin_unlock(&wc_s);
	}
	preempt_enable();
	return n;
}
"""


def test_a_mutex_inside_a_spinlock_or_rcu_is_an_invalid_wait_context_as_gcc_runs_it(tmp_path: Path) -> None:
    # mutex_lock() under preempt_disable() alone: might_sleep()'s report only (lockdep tracks no lock there). Inside
    # a spinlock (answer 0) or rcu_read_lock() (0x...43) a mutex_trylock() passes (no wait-context check for a
    # trylock), and mutex_lock() is check_wait_context()'s "BUG: Invalid wait context", which turns lockdep off:
    # the unbalanced preempt_enable() at the end says nothing. might_sleep()'s second report is rate-limited away.
    result = agrees_with_gcc(tmp_path, "wc", "demo/wc.h", WAIT_H, 0x8000020300000043, (10, 1))
    ok, big = (result.outcome("wc", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    line = WAIT_H.split("\n").index("\t\tmutex_lock(&wc_m);", WAIT_H.split("\n").index("\t} else {")) + 1
    sleep = "sleeping function called from invalid context (preempt count 1, RCU depth 0, IRQs on)"
    assert [(e.detail, e.where) for e in ok.events if e.kind == "violation"] == [
        (sleep, f"demo/wc.h:{line_of(WAIT_H, 'mutex_lock(&wc_m)')}"),
        ("lockdep: BUG: Invalid wait context: mutex wc_m taken while the task holds spinlock wc_s" + LOCKDEP_OFF,
         f"demo/wc.h:{line}")]
    assert [e.detail for e in big.events if e.kind == "violation"] == [
        sleep, "lockdep: BUG: Invalid wait context: mutex wc_m taken in an RCU read-side section" + LOCKDEP_OFF]


DEADLOCK_H = """\
static DEFINE_SPINLOCK(dd_s);
static DEFINE_MUTEX(dd_m);
static int dd_n;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	pr_info("before %llx\\n", ret);
	dd_n = 5;
	scoped_guard(mutex, &dd_m) {
		spin_lock(&dd_s);
		if (ret & 1) {
			guard(mutex)(&dd_m);
		}
		spin_unlock(&dd_s);
	}
	dd_n = 7;
	return 3;
}
"""


@pytest.mark.parametrize("source", ["original", "mirror"])
def test_a_deadlock_is_compared_with_the_native_run_which_ends_there_too(tmp_path: Path, source: str) -> None:
    # The native harness ends its run where the task takes the lock it holds (no cleanup runs, nothing after it),
    # with the same report, log, state (dd_n 5) and message: the two outcomes are compared and agree, where the
    # deadlock was "not compared: the mirror did not run it" and the native probe "crashed with SIGABRT".
    from harness.crosscheck import crosscheck_result
    from models.native.run import find_compiler
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "dd", "demo/dd.h", DEADLOCK_H, 0x8000020300000043)
    big = result.outcome("dd", "busy/ONE/big/demo.c")
    assert (big.status, big.error_kind) == ("error", ErrorKind.DEADLOCK), big.error
    assert ("dd_n", "5") in big.state and [e.detail for e in big.events if e.kind == "violation"] == [
        "sleeping function called from invalid context (preempt count 1, RCU depth 0, IRQs on)",
        "lockdep: BUG: Invalid wait context: mutex dd_m taken while the task holds spinlock dd_s" + LOCKDEP_OFF]
    assert big.error is not None and big.error.endswith("lock dd_m is taken again by the task that holds it, which "
                                                        "sleeps there for ever: the call never returns")
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert (r.compared["dd"], r.agreed["dd"], r.disagreements, r.probes) == (2, 2, [], {}), \
        (r.not_compared, [d.divergence for d in r.disagreements], r.probes)
    assert r.not_compared["dd"] == []
