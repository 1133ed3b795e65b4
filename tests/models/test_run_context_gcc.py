"""A script's context runs its entry points in a task, a softirq action or a hardirq handler, as the kernel does.

A matrix script's ``context``: the entry point called from a hardirq handler or a softirq action. Every run was a
task (preempt count 0, IRQs on), so in_hardirq() was 0, might_sleep() in an interrupt handler said nothing and a
lock taken there was taken with IRQs on. Now a hardirq run starts at HARDIRQ_OFFSET with IRQs off, as irq_enter_rcu()
leaves them, and a softirq run at SOFTIRQ_OFFSET with IRQs on, as handle_softirqs() runs an action. The oracles:
gcc building include/linux/preempt.h's definitions over a count that starts there, and the native build of the same
text (the crosscheck's, from the text and from the mirror's expansion) run with the same script."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.explain import signature
from harness.matrix import load_matrix
from models.native.run import find_compiler
from tests.models.cdiff import classify, mirror_result, native_outcomes
from tests.models.cprog import gcc_returns, run
from tests.models.test_preempt_fields_gcc import BODY, KERNEL

GCC = shutil.which("gcc")
CONTEXTS = {"task": (0, 0), "softirq": (0x100, 0), "hardirq": (0x10000, 1)}
NMI = (0x110000, 1)  # include/linux/hardirq.h __nmi_enter(): NMI_OFFSET + HARDIRQ_OFFSET, IRQs off


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("context", ["softirq", "hardirq", "nmi"])
def test_the_context_tests_read_what_the_header_gives_in_that_context(tmp_path: Path, context: str) -> None:
    # the header's definitions over a count that starts where the context's entry left it; preempt_disable() and
    # preempt_enable() 256 times on top, as the body does ('nmi' was refused as no context a script may give)
    assert GCC is not None
    count, irqs = {**CONTEXTS, "nmi": NMI}[context]
    kernel = KERNEL.replace("static int count;", f"static int count = {count};").replace(
        "#define irqs_disabled() 0", f"#define irqs_disabled() {irqs}")
    assert kernel != KERNEL
    [want] = gcc_returns(tmp_path, kernel + BODY, [0], GCC)
    out = run(BODY, context=context)
    assert out.status == "ok", out.error
    assert out.ret == want
    assert run(BODY).ret != want  # a task's differs: the test can fail


PROGRAM = r"""
static DEFINE_SPINLOCK(cx_lock);
static DEFINE_MUTEX(cx_mutex);
static DEFINE_PER_CPU(u32, cx_pc);

long long cx_tests(u64 fn, struct tdx_module_args *args)
{
	long long x = 0;

	x = x * 2 + !!in_hardirq();
	x = x * 2 + !!in_softirq();
	x = x * 2 + !!in_serving_softirq();
	x = x * 2 + !!in_interrupt();
	x = x * 2 + in_task();
	x = x * 2 + preemptible();
	x = x * 2 + in_atomic();
	x = x * 2 + irqs_disabled();
	x = x * 4 + interrupt_context_level();
	return x * 1000003 + preempt_count();
}

long long cx_irqsave(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;
	long long x = irqs_disabled();

	spin_lock_irqsave(&cx_lock, flags);
	x = x * 2 + irqs_disabled();
	x = x * 1000003 + preempt_count();
	__seamcall(fn, args);
	spin_unlock_irqrestore(&cx_lock, flags);
	x = x * 2 + irqs_disabled();
	local_irq_save(flags);
	local_irq_restore(flags);
	return x * 2 + irqs_disabled();
}

long long cx_sleep(u64 fn, struct tdx_module_args *args)
{
	might_sleep();
	mutex_lock(&cx_mutex);
	mutex_unlock(&cx_mutex);
	return preempt_count();
}

long long cx_underflow(u64 fn, struct tdx_module_args *args)
{
	preempt_disable();
	__seamcall(fn, args);
	preempt_enable();
	preempt_enable();
	return preempt_count();
}

long long cx_percpu(u64 fn, struct tdx_module_args *args)
{
	__this_cpu_inc(cx_pc);
	return smp_processor_id() + __this_cpu_read(cx_pc);
}

long long cx_asserts(u64 fn, struct tdx_module_args *args)
{
	lockdep_assert_in_irq();
	lockdep_assert_in_softirq();
	lockdep_assert_irqs_disabled();
	lockdep_assert_preemption_disabled();
	return 0;
}

long long cx_guards(u64 fn, struct tdx_module_args *args)
{
	long long x;

	guard(preempt)();
	scoped_guard(irqsave) {
		x = preempt_count() * 2 + irqs_disabled();
		__seamcall(fn, args);
	}
	return x * 2 + irqs_disabled();
}
"""
ENTRIES = ["cx_tests", "cx_irqsave", "cx_sleep", "cx_underflow", "cx_percpu", "cx_asserts", "cx_guards"]
SCRIPTS = {name: f'["OK"]\ncontext = "{name}"' for name in CONTEXTS}


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_each_context_runs_as_the_native_build_runs_it(tmp_path: Path) -> None:
    v, result = mirror_result(PROGRAM, ENTRIES, SCRIPTS, tmp_path)
    natives, refused, state = native_outcomes(v, result, find_compiler(None), tmp_path)
    assert not refused, refused
    for s in result.matrix.scenarios:
        mine = result.outcome(v.name, s.id)
        assert mine.status == "ok", (s.id, mine.error)
        assert classify(mine, natives[s.id], None, state) == ("agree", ""), s.id
    # and as seamharness crosscheck compares them, from the text and from the mirror's expansion
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert (r.compared[v.name], r.agreed[v.name], r.disagreements) == (21, 21, []), (source, r.not_compared)
    # each context is its own: every entry point runs otherwise in a task, a softirq and a hardirq but the per-CPU
    # one (__this_cpu_*() is checked where preemption is on, which no context but a task's is, and both have it)
    differ = {e for e in ENTRIES for a, b in (("task", "softirq"), ("task", "hardirq"), ("softirq", "hardirq"))
              if signature(result.outcome(v.name, f"{e}/ONE/{a}/demo.c"))
              != signature(result.outcome(v.name, f"{e}/ONE/{b}/demo.c"))}
    assert differ == set(ENTRIES), set(ENTRIES) - differ


def _violations(entry: str, context: str) -> list[str]:
    out = run(PROGRAM, entry, context=context)
    assert out.status == "ok", out.error
    return [e.detail for e in out.events if e.kind == "violation"]


def test_sleeping_in_an_interrupt_handler_is_reported() -> None:
    # kernel/sched/core.c __might_resched(): in_atomic() there, IRQs off in a hardirq handler
    assert _violations("cx_sleep", "task") == []
    assert _violations("cx_sleep", "hardirq") == [
        "sleeping function called from invalid context (preempt count 65536, RCU depth 0, IRQs off)"]
    assert _violations("cx_sleep", "softirq") == [
        "sleeping function called from invalid context (preempt count 256, RCU depth 0, IRQs on)"]


def test_a_lock_restored_in_a_hardirq_handler_leaves_irqs_off() -> None:
    # local_irq_save() there saves flags without X86_EFLAGS_IF, so the restore enables nothing
    out = run(PROGRAM, "cx_irqsave", context="hardirq")
    assert out.ret == ((1 * 2 + 1) * 1000003 + 0x10001) * 4 + 3, out.error
    assert [(c.preempt_count, c.irqs_disabled) for c in out.calls] == [(0x10001, True)]
    assert run(PROGRAM, "cx_irqsave").ret == ((0 * 2 + 1) * 1000003 + 1) * 4


def test_preempt_enable_below_the_contexts_count_is_the_debug_report() -> None:
    # kernel/sched/core.c preempt_count_sub(): DEBUG_LOCKS_WARN_ON() where the count's preemption field is 0 and
    # the count stays: the handler's HARDIRQ_OFFSET is not taken away
    for context, (count, _) in CONTEXTS.items():
        out = run(PROGRAM, "cx_underflow", context=context)
        assert out.ret == count, (context, out.error)
        assert [v.startswith("preempt_enable() without preempt_disable()") for v in _violations(
            "cx_underflow", context)] == [True], context


def test_lockdeps_context_assertions_warn_outside_their_context() -> None:
    # include/linux/lockdep.h: lockdep_assert_in_irq() reads lockdep's hardirq_context, lockdep_assert_in_softirq()
    # !in_softirq() || in_irq() || in_nmi(); both were refused as asserting a context no run was in
    assert _violations("cx_asserts", "hardirq") == ["lockdep: not in softirq context here"]
    assert _violations("cx_asserts", "softirq") == ["lockdep: not in hardirq context here",
                                                     "lockdep: interrupts are enabled here"]
    assert _violations("cx_asserts", "task") == [
        "lockdep: not in hardirq context here", "lockdep: not in softirq context here",
        "lockdep: interrupts are enabled here", "lockdep: preemption is enabled here"]


def test_a_context_no_kernel_has_is_refused_at_its_line() -> None:
    from harness.errors import InputError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.toml"
        path.write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "d.c"\n[[entry]]\nname = "f"\n'
                        '[[script]]\nname = "irq"\nanswers = ["OK"]\ncontext = "process"\n')
        with pytest.raises(InputError) as e:
            load_matrix(path)
    assert str(e.value).endswith("m.toml:12: script irq: context: unknown context 'process'; known: task, "
                                 "softirq, hardirq, nmi"), str(e.value)


def test_the_context_and_the_features_are_in_the_outcome_caches_key() -> None:
    # a task's key is what it was (tests/harness/test_runner.py); each context and each set of bits has its own
    from dataclasses import replace

    from harness.runner import _lane_description
    from models.machine import Answer
    from models.outcome import RunRequest

    base = RunRequest("f", 1, (Answer(0),))
    keys = {_lane_description((replace(base, **kw),)) for kw in (
        {}, {"context": "hardirq"}, {"context": "softirq"}, {"features": (("X86_FEATURE_VMX", True),)},
        {"features": (("X86_FEATURE_VMX", False),)}, {"context": "hardirq", "features": (("X86_FEATURE_VMX", True),)})}
    assert len(keys) == 6


# What runs alike in an NMI (no lock or RCU primitive: lockdep is off there, refused), and the native build's runs
NMI_ENTRIES = ["cx_tests", "cx_underflow", "cx_percpu", "cx_asserts", "cx_guards"]


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_an_nmi_runs_as_the_native_build_runs_it(tmp_path: Path) -> None:
    v, result = mirror_result(PROGRAM, NMI_ENTRIES, {"nmi": '["OK"]\ncontext = "nmi"'}, tmp_path)
    natives, refused, state = native_outcomes(v, result, find_compiler(None), tmp_path)
    assert not refused, refused
    for s in result.matrix.scenarios:
        mine = result.outcome(v.name, s.id)
        assert mine.status == "ok", (s.id, mine.error)
        assert classify(mine, natives[s.id], None, state) == ("agree", ""), s.id
    # in_hardirq(), in_interrupt(), in_atomic() and irqs_disabled() true, level 3, the count __nmi_enter() leaves
    tests = result.outcome(v.name, "cx_tests/ONE/nmi/demo.c")
    assert tests.ret == (0b10010011 * 4 + 3) * 1000003 + 0x110000, tests.ret
    hardirq = run(PROGRAM, "cx_tests", context="hardirq").ret
    assert hardirq != tests.ret


NMI_CODE = r"""
static DEFINE_SPINLOCK(nm_lock);

long long nm_lock_it(u64 fn, struct tdx_module_args *args)
{
	spin_lock(&nm_lock);
	spin_unlock(&nm_lock);
	return 0;
}

long long nm_rcu(u64 fn, struct tdx_module_args *args)
{
	rcu_read_lock();
	rcu_read_unlock();
	return 0;
}

long long nm_held(u64 fn, struct tdx_module_args *args)
{
	lockdep_assert_held(&nm_lock);
	pr_err("in NMI %d\n", !!in_nmi());
	return 0;
}
"""


@pytest.mark.parametrize(("entry", "line"), [("nm_lock_it", 6), ("nm_rcu", 13)])
def test_a_lock_or_rcu_primitive_in_an_nmi_is_refused_at_its_line(entry: str, line: int) -> None:
    # __nmi_enter()'s lockdep_off(): lockdep records nothing there, and a held lock deadlocks; a task runs them
    out = run(NMI_CODE, entry, context="nmi")
    assert out.status == "error" and f"test/prog.c:{line}: a lock or RCU read-side primitive in NMI context" in \
        (out.error or ""), out.error
    assert run(NMI_CODE, entry).status == "ok"


def test_lockdep_assert_held_in_an_nmi_finds_the_state_unknown_and_printk_stores_the_record() -> None:
    # lock_is_held_type(): LOCK_STATE_UNKNOWN where !lockdep_enabled(), which lockdep_off() makes it; the record is
    # the ring buffer's as anywhere (the console output is deferred, kernel/printk/printk.c)
    out = run(NMI_CODE, "nm_held", context="nmi")
    assert (out.status, [x.text for x in out.log], [e.detail for e in out.events if e.kind == "violation"]) == (
        "ok", ["in NMI 1"], [])
    assert [e.detail for e in run(NMI_CODE, "nm_held", context="hardirq").events if e.kind == "violation"] == [
        "lockdep: lock nm_lock is not held here"]
