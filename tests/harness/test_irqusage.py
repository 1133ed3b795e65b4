"""lockdep's IRQ-usage bits joined over runs: a lock class one run takes with IRQs on and another in a handler.

kernel/locking/lockdep.c mark_usage() marks a class IN-HARDIRQ-W where a lock of it is taken (not by a trylock) in
hardirq context, HARDIRQ-ON-W where it is taken with IRQs on, and likewise for softirqs; valid_state() reports a
class with both of a pair ("inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage"). The bits are a boot's: each run of
the mirror is a fresh boot, so two runs' bits clash in a boot that runs both. The runs here are the mirror's own
(models.lockdep.run_deps()), in a task, a softirq action and a hardirq handler."""

from __future__ import annotations

from harness.irqusage import inconsistent, may_clash, usage
from models.machine import Answer
from models.mirror import RunRequest
from tests.models.cprog import mirror_of

CODE = r"""
static DEFINE_SPINLOCK(iu_a);
static DEFINE_SPINLOCK(iu_b);
static spinlock_t iu_c, iu_d;

long long iu_plain(u64 fn, struct tdx_module_args *args)
{
	spin_lock(&iu_a);
	spin_unlock(&iu_a);
	return 0;
}

long long iu_safe(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;

	spin_lock_irqsave(&iu_b, flags);
	spin_unlock_irqrestore(&iu_b, flags);
	if (spin_trylock(&iu_a))
		spin_unlock(&iu_a);
	return 0;
}

long long iu_unknown(u64 fn, struct tdx_module_args *args)
{
	spin_lock(fn & 1 ? &iu_c : &iu_d);
	spin_unlock(fn & 1 ? &iu_c : &iu_d);
	return 0;
}
"""


def _deps(entry: str, context: str, leaf: int = 0) -> tuple[str, tuple[tuple[str, str, str, str, str], ...]]:
    mirror = mirror_of(CODE, entry)
    out = mirror.run(RunRequest(entry, leaf, (Answer(0),), "", context=context))
    assert out.status == "ok", out.error
    return f"{entry}/{context}", mirror.last_deps


def _bits(runs: list[tuple[str, tuple[tuple[str, str, str, str, str], ...]]]) -> dict[str, set[str]]:
    return {cls.split("\x1f")[2]: set(bits) for cls, bits in usage(runs).items()}


def test_the_bits_each_context_marks() -> None:
    assert _bits([_deps("iu_plain", "task")]) == {"own@iu_a": {"HARDIRQ-ON-W", "SOFTIRQ-ON-W"}}
    assert _bits([_deps("iu_plain", "softirq")]) == {"own@iu_a": {"IN-SOFTIRQ-W", "HARDIRQ-ON-W"}}
    assert _bits([_deps("iu_plain", "hardirq")]) == {"own@iu_a": {"IN-HARDIRQ-W"}}
    # with IRQs off no *-ON bit (iu_b); a trylock in a handler marks no IN-* bit (mark_usage(): !hlock->trylock)
    assert _bits([_deps("iu_safe", "task")]) == {"own@iu_a": {"HARDIRQ-ON-W", "SOFTIRQ-ON-W"}}
    assert _bits([_deps("iu_safe", "hardirq")]) == {"own@iu_b": {"IN-HARDIRQ-W"}}


def test_a_class_a_task_takes_with_irqs_on_and_a_handler_takes_clashes() -> None:
    task, irq, soft = _deps("iu_plain", "task"), _deps("iu_plain", "hardirq"), _deps("iu_plain", "softirq")
    [(text, where, sid)] = inconsistent([task, irq])
    assert text.startswith("lockdep: inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage across runs: lock iu_a taken "
                           "with IRQs on at test/prog.c:8 (iu_plain/task), lock iu_a of its class in hardirq context "
                           "at test/prog.c:8 (iu_plain/hardirq)"), text
    assert (where, sid) == ("test/prog.c:8", "iu_plain/hardirq")
    # a softirq action takes it with IRQs on: HARDIRQ-ON-W too, and IN-SOFTIRQ-W against the task's SOFTIRQ-ON-W
    assert [t.split(" usage")[0] for t, _, _ in inconsistent([task, soft])] == [
        "lockdep: inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}"]
    assert len(inconsistent([soft, irq])) == 1
    assert inconsistent([task]) == [] and inconsistent([irq, _deps("iu_safe", "hardirq")]) == []
    # a trylock with IRQs on marks HARDIRQ-ON-W all the same
    assert len(inconsistent([irq, _deps("iu_safe", "task")])) == 1


def test_a_handlers_trylock_and_a_lock_taken_with_irqs_off_clash_with_nothing() -> None:
    # iu_safe's trylock of iu_a in a handler: no IN-HARDIRQ-W; its irqsave lock of iu_b in a task: no HARDIRQ-ON-W
    assert inconsistent([_deps("iu_plain", "task"), _deps("iu_safe", "hardirq")]) == []
    assert inconsistent([_deps("iu_safe", "task"), _deps("iu_safe", "hardirq")]) == []


def test_two_locks_whose_classes_are_not_known_may_clash_and_are_not_said_to() -> None:
    # iu_c and iu_d: never initialised in the code the mirror read (an init function before the run chose their
    # keys): one class or two is not known, so a clash between them is said as possible, never as lockdep's report
    runs = [_deps("iu_unknown", "task", 1), _deps("iu_unknown", "hardirq", 0)]
    assert inconsistent(runs) == []
    [maybe] = may_clash(runs)
    assert "lock iu_c taken with IRQs on" in maybe and "lock iu_d of its class in hardirq context" in maybe, maybe
