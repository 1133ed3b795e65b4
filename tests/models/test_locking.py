"""The debug kernel's context checks (models/locking.py).

The debug kernel's context checks (models/locking.py): sleeping in atomic context, __this_cpu_*() where the
task may move, as CONFIG_DEBUG_ATOMIC_SLEEP (kernel/sched/core.c __might_resched()) and CONFIG_DEBUG_PREEMPT
(lib/smp_processor_id.c check_preemption_disabled(), include/linux/percpu-defs.h) report them."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.loader import EntryPoint, Source
from models.lockdep import LOCKDEP_OFF
from models.machine import Answer
from models.mirror import RunRequest, load_mirror
from models.native.run import find_compiler
from models.preemptleak import PREEMPT_LEAK
from tests.models.cprog import PATH, line_of, run

HEAD = "static DEFINE_MUTEX(m);\nstatic DEFINE_SPINLOCK(s);\nDEFINE_PER_CPU(u32, hits);\n" \
       "int f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str) -> str:
    return HEAD + "\t" + text + "\n\treturn 0;\n}\n"


def violations(code: str) -> list[tuple[str, int]]:
    out = run(code)
    assert out.status == "ok", out.error
    # a spinlock still held at the return is a preempt leak too (tests/models/test_preempt_leak_gcc.py): not looked at
    return [(e.detail, int(e.where.split(":")[1])) for e in out.events if e.kind == "violation"
            and PREEMPT_LEAK not in e.detail]


SLEEP = "sleeping function called from invalid context"


@pytest.mark.parametrize(("text", "context"), [
    ("preempt_disable(); might_sleep(); preempt_enable();", "preempt count 1, RCU depth 0, IRQs on"),
    ("spin_lock(&s); mutex_lock(&m); mutex_unlock(&m); spin_unlock(&s);", "preempt count 1, RCU depth 0, IRQs on"),
    ("local_irq_disable(); might_sleep_if(fn == 0); local_irq_enable();", "preempt count 0, RCU depth 0, IRQs off"),
    ("rcu_read_lock(); mutex_lock_interruptible(&m); mutex_unlock(&m); rcu_read_unlock();",
     "preempt count 0, RCU depth 1, IRQs on"),
    ("scoped_guard(preempt) { guard(mutex)(&m); }", "preempt count 1, RCU depth 0, IRQs on"),
])
def test_sleeping_in_atomic_context_is_a_violation(text: str, context: str) -> None:
    code = body(text)
    # A mutex inside a spinlock or an RCU read-side section is lockdep's "Invalid wait context" too, after it
    # (tests/models/test_lock_recursion_gcc.py); preempt_disable() and IRQs off hold no lock lockdep checks.
    said = [x for x in violations(code) if "Invalid wait context" not in x[0]]
    assert said == [(f"{SLEEP} ({context})", line_of(code, text))]


@pytest.mark.parametrize("text", [
    "might_sleep(); mutex_lock(&m); mutex_unlock(&m);",
    "preempt_disable(); if (mutex_trylock(&m)) mutex_unlock(&m); preempt_enable();",  # trylock does not sleep
    "migrate_disable(); might_sleep(); migrate_enable();",
    "preempt_disable(); might_sleep_if(fn != 0); preempt_enable();",
])
def test_sleeping_where_it_may_is_not(text: str) -> None:
    assert violations(body(text)) == []


def test_sleeping_in_atomic_context_is_reported_once_a_run() -> None:
    # __might_resched() prints once a second (prev_jiffy); a run takes no time.
    code = body("preempt_disable();\n\tfor (int i = 0; i < 3; i++)\n\t\tmight_sleep();\n\tpreempt_enable();")
    assert len(violations(code)) == 1


def test_this_cpu_ops_where_the_task_may_move_are_violations_named_as_the_kernel_names_them() -> None:
    # (The decrement in a statement of its own: beside the read in one expression, their order is unspecified.)
    code = body("__this_cpu_inc(hits);\n\tint d = __this_cpu_dec_return(hits);\n"
                "\t__this_cpu_write(hits, __this_cpu_read(hits) + d);\n\tthis_cpu_inc(hits);\n\traw_cpu_inc(hits);")
    line = line_of(code, "__this_cpu_write")
    assert violations(code) == [("using __this_cpu_add() in preemptible code", line - 2),
                                ("using __this_cpu_add_return() in preemptible code", line - 1),
                                ("using __this_cpu_write() in preemptible code", line),
                                ("using __this_cpu_read() in preemptible code", line)]


@pytest.mark.parametrize("pin", [("preempt_disable();", "preempt_enable();"),
                                 ("local_irq_disable();", "local_irq_enable();"),
                                 ("migrate_disable();", "migrate_enable();")])
def test_this_cpu_ops_where_the_task_cannot_move_are_not(pin: tuple[str, str]) -> None:
    assert violations(body(f"{pin[0]} __this_cpu_inc(hits); __this_cpu_xchg(hits, 3); {pin[1]}")) == []


def test_smp_processor_id_is_cpu_0_and_checked_as_the_debug_kernel_checks_it() -> None:
    # lib/smp_processor_id.c: debug_smp_processor_id() where the task may move; raw_smp_processor_id() is not.
    code = body("int cpu = smp_processor_id();\n\tpreempt_disable();\n\tcpu += smp_processor_id();\n"
                "\tpreempt_enable();\n\tpr_err(\"CPU %d\\n\", cpu + raw_smp_processor_id());")
    assert violations(code) == [("using smp_processor_id() in preemptible code", line_of(code, "int cpu"))]
    assert [x.text for x in run(code).log] == ["CPU 0"]


def test_this_cpu_reports_are_rate_limited_as_printk_ratelimit_does() -> None:
    code = body("for (int i = 0; i < 12; i++)\n\t\t__this_cpu_add(hits, 2);")
    out = run(code)
    assert out.status == "ok" and out.ret == 0
    assert sum(e.kind == "violation" for e in out.events) == 10
    assert sum(e.kind == "percpu-write" for e in out.events) == 12


def test_this_cpu_op_in_an_rcu_section_with_preemption_on_is_refused() -> None:
    code = body("rcu_read_lock();\n\t__this_cpu_inc(hits);\n\trcu_read_unlock();")
    out = run(code)
    assert out.status == "error" and "CONFIG_PREEMPT_RCU" in (out.error or "")
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, '__this_cpu_inc')}")


def test_preempt_count_in_an_rcu_section_is_refused() -> None:
    # include/linux/rcupdate.h: without CONFIG_PREEMPT_RCU, __rcu_read_lock() is preempt_disable(), so the count
    # read there is one more than with it (it read the CONFIG_PREEMPT_RCU value as the only one); outside, known.
    for lock, unlock in (("rcu_read_lock();", "rcu_read_unlock();"), ("{\n\t\tguard(rcu)();", "}")):
        code = body(f"int n = preempt_count();\n\tpreempt_disable();\n\t{lock}\n\tn += preempt_count();\n"
                    f"\t{unlock}\n\tpreempt_enable();\n\tpr_err(\"%d\\n\", n);")
        out = run(code)
        assert out.status == "error" and "CONFIG_PREEMPT_RCU" in (out.error or ""), (out.ret, out.error)
        assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'n += preempt_count')}:"), out.error
    out = run(body("rcu_read_lock();\n\trcu_read_unlock();\n\tpreempt_disable();\n\tpr_err(\"%d\\n\", "
                   "preempt_count());\n\tpreempt_enable();"))
    assert (out.status, [x.text for x in out.log]) == ("ok", ["1"]), out.error



def test_a_seamcall_in_an_rcu_section_is_refused() -> None:
    # The record keeps the preempt count the call ran with, which inside rcu_read_lock() is one more without
    # CONFIG_PREEMPT_RCU than with it: it recorded the CONFIG_PREEMPT_RCU count as the only one (0: 'issued with
    # preemption enabled'). Outside the section the count is known.
    for lock, unlock in (("rcu_read_lock();", "rcu_read_unlock();"), ("{\n\t\tguard(rcu)();", "}"),
                         ("preempt_disable();\n\trcu_read_lock();", "rcu_read_unlock();\n\tpreempt_enable();")):
        for call in ("__seamcall(fn, args)", "__seamcall_ret(fn, args)"):
            code = body(f"u64 err;\n\t{lock}\n\terr = {call};\n\t{unlock}\n\tpr_err(\"%llx\\n\", err);")
            out = run(code)
            assert out.error_kind == "unsupported" and out.error == (
                f"{PATH}:{line_of(code, 'err = ')}: {call.split('(')[0]}() in an RCU read-side section: the preempt "
                "count it runs with is one more without CONFIG_PREEMPT_RCU (rcu_read_lock() is preempt_disable() "
                "there) than with it, which is not modelled"), out.error
    out = run(body("rcu_read_lock();\n\trcu_read_unlock();\n\tpreempt_disable();\n\t__seamcall(fn, args);\n"
                   "\tpreempt_enable();"))
    assert out.status == "ok" and [c.preempt_count for c in out.calls] == [1], out.error


CONTEXT_C = """\
static DEFINE_MUTEX(ctx_mutex);
DEFINE_PER_CPU(int, ctx_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	int i;

	for (i = 0; i < 12; i++)
		__this_cpu_add(ctx_hits, (int)(r & 3));
	scoped_guard(preempt) {
		might_sleep_if(r);
		guard(mutex)(&ctx_mutex);
		__this_cpu_dec(ctx_hits);
	}
	might_sleep();
	if (r)
		pr_err("CPU %d: %llx\\n", smp_processor_id(), r);
	return __this_cpu_dec_return(ctx_hits) + ({ 1; ({ r ? 2 : 3; }); });
}
"""


def test_context_checks_agree_with_gcc(tmp_path: Path) -> None:
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "ctx", "demo/ctx.h", CONTEXT_C, 0x8000000000000001)
    ok, big = result.outcome("ctx", "busy/ONE/ok/demo.c"), result.outcome("ctx", "busy/ONE/big/demo.c")
    assert ok.status == big.status == "ok", (ok.error, big.error)
    assert (ok.ret, big.ret) == (-2 + 3, 12 - 2 + 2)
    assert [e.detail for e in big.events if e.kind == "violation"].count(
        f"{SLEEP} (preempt count 1, RCU depth 0, IRQs on)") == 1
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["ctx"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


LOCKDEP_C = """\
static DEFINE_SPINLOCK(l);
static DEFINE_MUTEX(mx);

static void check(void)
{
	lockdep_assert_preemption_disabled();
	lockdep_assert_irqs_disabled();
	lockdep_assert_held(&l);
	lockdep_assert_held_once(&l);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = 0;

	for (int i = 0; i < 3; i++) {
		r = __seamcall(fn, args);
		check();
	}
	mutex_lock(&mx);
	scoped_guard(spinlock_irqsave, &l) {
		check();
		lockdep_assert_preemption_enabled();
		lockdep_assert_irqs_enabled();
		lockdep_assert_not_held(&mx);
	}
	mutex_unlock(&mx);
	lockdep_assert_not_held(&mx);
	return r;
}
"""


def test_lockdep_assertions_warn_as_lockdep_h_defines_them(tmp_path: Path) -> None:
    # include/linux/lockdep.h: the IRQ and preemption assertions are WARN_ON_ONCE() (once per call site),
    # lockdep_assert_held() and _not_held() WARN_ON() (every time), lockdep_assert_held_once() WARN_ON_ONCE().
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "ld", "demo/ld.h", LOCKDEP_C, 0x8000000000000001)
    ok = result.outcome("ld", "busy/ONE/ok/demo.c")
    assert ok.status == "ok", ok.error
    assert [e.detail for e in ok.events if e.kind == "violation"] == [
        "lockdep: preemption is enabled here", "lockdep: interrupts are enabled here",
        *["lockdep: lock l is not held here"] * 4,
        "lockdep: preemption is disabled here", "lockdep: interrupts are disabled here",
        "lockdep: lock mx is held here"]
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["ld"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


@pytest.mark.parametrize("init", ["mutex_init(&m)", "spin_lock_init(&s)", "raw_spin_lock_init(&r)"])
def test_initialising_a_held_lock_is_reported_and_leaves_it_free(init: str) -> None:
    # kernel/locking/mutex.c __mutex_init(), spinlock_debug.c __raw_spin_lock_init(): lockdep's
    # debug_check_no_locks_freed() reports a held lock there first; the lock is free after it.
    lock = init[init.index("&") + 1:-1]
    take = {"m": "mutex_lock(&m)", "s": "spin_lock(&s)", "r": "raw_spin_lock(&r)"}[lock]
    code = "static DEFINE_RAW_SPINLOCK(r);\n" + body(f"{take};\n\t{init};\n\t{take};\n\tlockdep_assert_held(&{lock});")
    # debug_locks_off() after it: lockdep_assert_held() says nothing more
    assert violations(code) == [(f"lock {lock} initialised while held{LOCKDEP_OFF}", line_of(code, init))]
    out = run(code)
    assert [e.detail for e in out.events if e.kind == "lock"] == [
        f"{lock} acquired", f"{lock} initialised", f"{lock} acquired"]


def test_initialising_a_free_lock_is_no_report_and_a_lock_is_usable_before_its_init() -> None:
    # An init function may run before the entry point: a lock is taken as initialised when a run starts.
    code = body("struct mutex local;\n\tmutex_lock(&m);\n\tmutex_unlock(&m);\n\tmutex_init(&m);\n"
                "\tmutex_init(&local);\n\tscoped_guard(mutex, &local)\n\t\tlockdep_assert_held(&local);")
    assert violations(code) == []
    assert [e.detail for e in run(code).events if e.kind == "lock"][2:] == [
        "m initialised", "local initialised", "local acquired", "local released"]



@pytest.mark.parametrize(("code", "lock"), [
    ("struct d { spinlock_t l; };\n#define EITHER(a, b) ((a) || (b))\n"
     + body("struct d x = {};\n\tint a = 0;\n\n\tif (EITHER(a,\n\t\t\t \t spin_trylock(&x.l) == 0))\n\t\ta = 7;"),
     "x.l"),
    ("struct d { spinlock_t l; };\nDEFINE_LOCK_GUARD_1(sl_spin, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))"
     "\nDEFINE_LOCK_GUARD_1_COND(sl_spin, _try,\n\t\t\t spin_trylock(_T->lock))\n"
     + body("struct d x = {};\n\n\tscoped_guard(sl_spin_try, &x.l)\n\t\tcpu_relax();"), "_T->lock"),
])
def test_a_trylocks_magic_check_is_reported_at_the_trylocks_line(code: str, lock: str) -> None:
    # CONFIG_DEBUG_SPINLOCK's bad magic on a lock never initialised: said where the trylock is written, the second
    # line of a macro invocation (gcc's location of an argument's token), not the macro name's line before it.
    assert violations(code) == [(f"lock {lock} used uninitialised (no DEFINE_SPINLOCK() or spin_lock_init()): "
                                 "spinlock bad magic" + LOCKDEP_OFF, line_of(code, "\t spin_trylock("))]


def test_a_second_units_copy_of_a_header_functions_static_lock_is_no_file_scope_object() -> None:
    # hs()'s static lock, never initialised: each unit's copy of hs() has its own (C11 6.2.2p3), a function's static
    # no init function can have set up. a.c's copy: "used uninitialised", lockdep off; b.c's copy is zeroed alike,
    # said nothing of. Before, b.c's copy (slot "demo/b.c>static:...") was taken for a file-scope object: "taken as
    # initialised (... an init function may have run before)"
    header = ("static inline void hs(void)\n{\n\tstatic struct mutex hm;\n\n\tmutex_lock(&hm);\n\tmutex_unlock(&hm);\n"
              "}\n")
    files = {"demo/h.h": header, "demo/b.c": "void b_hs(void)\n{\n\ths();\n}\n",
             "demo/a.c": "void b_hs(void);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\ths();\n\tb_hs();\n"
                         "\treturn 0;\n}\n"}
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
    out = load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),), ""))
    assert out.status == "ok", out.error
    said = [(e.kind, e.detail) for e in out.events if e.kind in ("violation", "lock") and "hm" in e.detail]
    assert [k for k, _ in said] == ["violation"] + ["lock"] * 4, said  # each copy acquired and released
    assert said[0][1].startswith("lock hm used uninitialised"), said
    assert not any("taken as initialised" in d for _, d in said), said
