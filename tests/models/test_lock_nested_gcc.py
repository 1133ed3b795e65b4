"""lockdep's subclasses (spin_lock_nested(), mutex_lock_nested()), against gcc.

lockdep's subclasses (include/linux/spinlock.h spin_lock_nested(), mutex.h mutex_lock_nested(), with
CONFIG_DEBUG_LOCK_ALLOC): kernel/locking/lockdep.c look_up_lock_class() keys a lock's class by its key and the
acquire's subclass, so a lock taken inside another of its class under another subclass is no recursive locking, the
two subclasses are two classes in the lock-order graph, and a subclass past MAX_LOCKDEP_SUBCLASSES (8) is "BUG:
looking up invalid subclass", lockdep off. The values are worked from those functions by hand; the native build runs
the same C and agrees."""

from __future__ import annotations

from pathlib import Path

from harness.matrixresult import MatrixResult
from models.lockdep import LOCKDEP_OFF
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import line_of

# Both nodes' locks come from one spin_lock_init() line: one class. Answer 0 nests b in a under subclass 1 (no
# report); answer 0x...43 then takes subclass 1 before subclass 0, closing 0 -> 1 -> 0.
NESTED_H = """\
struct nd_node {
	spinlock_t lock;
	int v;
};
static struct nd_node nd_a, nd_b;

static void nd_init(struct nd_node *n)
{
	spin_lock_init(&n->lock);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	unsigned long flags;
	long long n = 0;

	nd_init(&nd_a);
	nd_init(&nd_b);
	spin_lock(&nd_a.lock);
	spin_lock_nested(&nd_b.lock, SINGLE_DEPTH_NESTING);
	n += spin_is_locked(&nd_b.lock);
	spin_unlock(&nd_b.lock);
	spin_unlock(&nd_a.lock);
	if (ret & 1) {
		spin_lock_irqsave_nested(&nd_b.lock, flags, 1);
		spin_lock(&nd_a.lock);
		n += 10;
		spin_unlock(&nd_a.lock);
		spin_unlock_irqrestore(&nd_b.lock, flags);
	}
	return n;
}
"""


def _violations(result: MatrixResult, name: str, scenario: str) -> list[tuple[str, str]]:
    out = result.outcome(name, f"busy/ONE/{scenario}/demo.c")
    return [(e.detail, e.where) for e in out.events if e.kind == "violation"]


def test_a_lock_nested_in_its_class_under_a_subclass_is_no_recursion_and_its_order_is_checked(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "nd", "demo/nd.h", NESTED_H, 0x8000020300000043, (1, 11))
    assert _violations(result, "nd", "ok") == []
    nested, inverse = line_of(NESTED_H, "spin_lock_nested("), NESTED_H.count("\n", 0, NESTED_H.index(
        "\t\tspin_lock(&nd_a.lock);")) + 1
    assert _violations(result, "nd", "big") == [(
        "lockdep: possible circular locking dependency detected: lock nd_a.lock taken while the task holds lock "
        "nd_b.lock, which the run took after it before (nd_a.lock -> nd_b.lock)" + LOCKDEP_OFF,
        f"demo/nd.h:{inverse} (nd_a.lock -> nd_b.lock at demo/nd.h:{nested})")]


# Answer 0: a subclass past the 8 lockdep has is its BUG, lockdep off, the mutex taken all the same; answer 0x...43:
# the spinlock taken again under another subclass is another class to lockdep (no report), and the task spins.
SUBCLASS_H = """\
static DEFINE_MUTEX(ns_m);
static DEFINE_SPINLOCK(ns_s);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n;

	if (ret & 1) {
		spin_lock(&ns_s);
		spin_lock_nested(&ns_s, SINGLE_DEPTH_NESTING);
	}
	n = mutex_lock_killable_nested(&ns_m, 8) + 3;
	n += mutex_is_locked(&ns_m) * 10;
	mutex_unlock(&ns_m);
	return n;
}
"""


def test_an_invalid_subclass_turns_lockdep_off_and_a_lock_retaken_under_another_hangs_unreported(
        tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "ns", "demo/ns.h", SUBCLASS_H, 0x8000020300000043, (13, None))
    assert _violations(result, "ns", "ok") == [
        ("lockdep: BUG: looking up invalid subclass: 8 (lock ns_m)" + LOCKDEP_OFF,
         f"demo/ns.h:{line_of(SUBCLASS_H, 'mutex_lock_killable_nested')}")]
    big = result.outcome("ns", "busy/ONE/big/demo.c")
    assert (big.error_kind, _violations(result, "ns", "big")) == ("deadlock", []), big.error
    assert big.error is not None and big.error.startswith(f"demo/ns.h:{line_of(SUBCLASS_H, 'spin_lock_nested')}: "
                                                          "deadlock: lock ns_s is taken again")
