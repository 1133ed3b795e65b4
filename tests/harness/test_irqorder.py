"""lockdep's IRQ-safe -> IRQ-unsafe lock order over runs: a handler's lock held while one taken with IRQs on is taken.

kernel/locking/lockdep.c check_irq_usage(): a dependency from a class used in hardirq context (IN-HARDIRQ-W,
HARDIRQ-safe) to one taken with hardirqs enabled (HARDIRQ-ON-W, HARDIRQ-unsafe), through any chain of dependencies,
is "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" (and "possible irq lock inversion dependency detected" where
the bit comes last). The graph and the bits are a boot's: three runs of the mirror (a task nesting the locks with
IRQs off, a task taking the inner one with IRQs on, a handler taking the outer one) make it together, none alone."""

from __future__ import annotations

from functools import cache

from harness.irqorder import unsafe_orders
from harness.irqusage import inconsistent
from models.machine import Answer
from models.mirror import Mirror, RunRequest
from tests.models.cprog import PATH, line_of, mirror_of

CODE = r"""
static DEFINE_SPINLOCK(io_s);
static DEFINE_SPINLOCK(io_m);
static DEFINE_SPINLOCK(io_t);

long long io_nest(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;

	spin_lock_irqsave(&io_s, flags);
	spin_lock(&io_m);
	spin_lock(&io_t);
	spin_unlock(&io_t);
	spin_unlock(&io_m);
	spin_unlock_irqrestore(&io_s, flags);
	return 0;
}

long long io_plain(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;

	if (fn & 1) {
		spin_lock_irqsave(&io_t, flags);
		spin_unlock_irqrestore(&io_t, flags);
		return 1;
	}
	spin_lock(&io_t);
	spin_unlock(&io_t);
	return 0;
}

long long io_handler(u64 fn, struct tdx_module_args *args)
{
	spin_lock(&io_s);
	spin_unlock(&io_s);
	return 0;
}
"""


@cache
def _mirror() -> Mirror:
    return mirror_of(CODE, "io_nest", "io_plain", "io_handler")


def _run(entry: str, context: str = "task", leaf: int = 0) -> tuple[str, tuple[tuple[str, str, str, str, str], ...]]:
    mirror = _mirror()
    out = mirror.run(RunRequest(entry, leaf, (Answer(0),), "", context=context))
    assert out.status == "ok", out.error
    return f"{entry}/{context}", mirror.last_deps


def test_a_handlers_lock_before_one_taken_with_irqs_on_is_lockdeps_irq_unsafe_order() -> None:
    runs = [_run("io_nest"), _run("io_plain"), _run("io_handler", "hardirq")]
    assert inconsistent(runs) == []  # no class is both: each run alone, and all, are consistent
    [(text, where, sid)] = unsafe_orders(runs)
    at = f"{PATH}:{line_of(CODE, 'spin_lock(&io_s);')}"
    assert (where, sid) == (at, "io_handler/hardirq")
    m, t = line_of(CODE, "spin_lock(&io_m);"), line_of(CODE, "spin_lock(&io_t);")
    plain = CODE.count("\n", 0, CODE.index("\tspin_lock(&io_t);\n\tspin_unlock(&io_t);\n\treturn 0;")) + 1
    assert text.startswith(
        f"lockdep: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected across runs: lock io_s taken in hardirq context "
        f"at {at} (io_handler/hardirq), lock io_t taken with IRQs on at {PATH}:{plain} (io_plain/task), and the "
        f"dependencies from the one to the other (io_m taken while holding io_s at {PATH}:{m} (io_nest/task), io_t "
        f"taken while holding io_m at {PATH}:{t} (io_nest/task)): "), text


def test_each_run_is_needed() -> None:
    nest, plain, irq = _run("io_nest"), _run("io_plain"), _run("io_handler", "hardirq")
    assert unsafe_orders([nest, plain]) == []  # no handler took a lock
    assert unsafe_orders([nest, irq]) == []  # io_t only ever taken with IRQs off
    assert unsafe_orders([plain, irq]) == []  # no dependency from io_s
    assert unsafe_orders([nest, _run("io_plain", leaf=1), irq]) == []  # io_t under spin_lock_irqsave(): IRQ-safe


def test_a_softirq_action_makes_the_softirq_order() -> None:
    runs = [_run("io_nest"), _run("io_plain"), _run("io_handler", "softirq")]
    texts = [t.split(" across")[0] for t, _, _ in unsafe_orders(runs)]
    assert texts == ["lockdep: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"], texts
