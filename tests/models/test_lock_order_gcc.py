"""lockdep's lock-order graph: two classes taken in both orders is a circular dependency.

lockdep's lock-order graph (kernel/locking/lockdep.c check_prevs_add(), check_noncircular()): two lock classes
taken in one order on one path and in the other on another are "possible circular locking dependency detected",
once (lockdep is off after it), naming both orders; and check_wait_context() of a spinlock_t taken inside a
raw_spinlock_t (CONFIG_PROVE_RAW_LOCK_NESTING: Documentation/locking/locktypes.rst, a spinlock_t sleeps on
PREEMPT_RT). The values are worked from those functions by hand; the native build runs the same C and agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.lockdep import LOCKDEP_OFF
from models.outcome import ErrorKind
from models.preemptleak import PREEMPT_LEAK
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

CIRCULAR = ("lockdep: possible circular locking dependency detected: lock {} taken while the task holds lock {}, "
            "which the run took after it before ({})")

# Answer 0 takes lo_a then lo_b on both paths; answer 0x...43 takes them the other way round on the second: the
# report comes there, once (the third path, the same inversion, says nothing), and the run goes on (one task alone
# never waits for itself there).
ABBA_H = """\
static DEFINE_SPINLOCK(lo_a);
static DEFINE_MUTEX(lo_b);
static DEFINE_MUTEX(lo_c);

static void lo_first(void)
{
	mutex_lock(&lo_b);
	spin_lock(&lo_a);
	spin_unlock(&lo_a);
	mutex_unlock(&lo_b);
}

static void lo_second(u64 ret)
{
	if (ret & 1) {
		spin_lock(&lo_a);
		if (mutex_trylock(&lo_b))
			mutex_unlock(&lo_b);
		spin_unlock(&lo_a);
		mutex_lock(&lo_c);
		mutex_lock(&lo_b);
		mutex_unlock(&lo_b);
		mutex_unlock(&lo_c);
		mutex_lock(&lo_b);
		mutex_lock(&lo_c);
		mutex_unlock(&lo_c);
		mutex_unlock(&lo_b);
	}
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	int n = 0;

	lo_first();
	lo_second(ret);
	lo_second(ret);
	mutex_lock(&lo_b);
	n += mutex_is_locked(&lo_b) + mutex_is_locked(&lo_c) * 10;
	mutex_unlock(&lo_b);
	return n;
}
"""


def test_two_locks_taken_in_both_orders_are_reported_once_as_gcc_runs_it(tmp_path: Path) -> None:
    # lo_b -> lo_a (lo_first); answer 0x...43: lo_a held, lo_b taken by a trylock adds no dependency (validate_chain()
    # skips a trylock), lo_c -> lo_b, then lo_b held and lo_c taken closes lo_c -> lo_b -> lo_c: reported there.
    result = agrees_with_gcc(tmp_path, "lo", "demo/lo.h", ABBA_H, 0x8000020300000043, (1, 1))
    ok, big = (result.outcome("lo", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert not [e for e in ok.events if e.kind == "violation"], ok.events
    line = ABBA_H[:ABBA_H.index("\t\tmutex_lock(&lo_b);\n\t\tmutex_lock(&lo_c);")].count("\n") + 2
    # The place names where the other order was taken too (lockdep prints both paths); the detail, compared
    # between a patch's two sides, names the locks alone.
    other = ABBA_H[:ABBA_H.index("\t\tmutex_lock(&lo_c);\n\t\tmutex_lock(&lo_b);")].count("\n") + 2
    assert [(e.detail, e.where) for e in big.events if e.kind == "violation"] == [
        (CIRCULAR.format("lo_c", "lo_b", "lo_c -> lo_b") + LOCKDEP_OFF,
         f"demo/lo.h:{line} (lo_c -> lo_b at demo/lo.h:{other})")]


GLOBALS = "static DEFINE_SPINLOCK(ca);\nstatic DEFINE_SPINLOCK(cb);\nstatic DEFINE_SPINLOCK(cc);\n"


def _violations(body: str) -> list[tuple[str, str]]:
    code = GLOBALS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n" + body + "\treturn 0;\n}\n"
    out = run(code)
    assert out.status == "ok", out.error
    # the locks still held at the return are a preempt leak too (models.preemptleak), not what is looked at here
    return [(e.detail, e.where) for e in out.events if e.kind == "violation" and PREEMPT_LEAK not in e.detail]


def test_a_chain_through_a_third_class_is_named_whole() -> None:
    body = ("\tspin_lock(&ca);\n\tspin_lock(&cb);\n\tspin_unlock(&cb);\n\tspin_unlock(&ca);\n"
            "\tspin_lock(&cb);\n\tspin_lock(&cc);\n\tspin_unlock(&cc);\n\tspin_unlock(&cb);\n"
            "\tspin_lock(&cc);\n\tspin_lock(&ca);\n")
    assert _violations(body) == [(CIRCULAR.format("ca", "cc", "ca -> cb, cb -> cc") + LOCKDEP_OFF,
                                  f"{PATH}:15 (ca -> cb at {PATH}:7, cb -> cc at {PATH}:11)")]


def test_one_order_alone_and_locks_released_between_report_nothing() -> None:
    body = ("\tspin_lock(&ca);\n\tspin_lock(&cb);\n\tspin_unlock(&ca);\n\tspin_lock(&cc);\n\tspin_unlock(&cc);\n"
            "\tspin_unlock(&cb);\n\tspin_lock(&ca);\n\tspin_lock(&cc);\n\tspin_unlock(&cc);\n\tspin_unlock(&ca);\n")
    assert _violations(body) == []  # ca -> cb, cb -> cc, ca -> cc: no cycle


def test_an_order_against_locks_an_init_function_set_up_is_refused() -> None:
    # u1 and u2 were set up before the run: one spin_lock_init() line may have given them one class, and then
    # u1 -> s, s -> u2 is a cycle lockdep reports; whether it does is not known.
    code = ("struct lu { spinlock_t l; };\nstatic struct lu u1, u2;\nstatic DEFINE_SPINLOCK(s);\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tspin_lock(&u1.l);\n\tspin_lock(&s);\n"
            "\tspin_unlock(&s);\n\tspin_unlock(&u1.l);\n\tspin_lock(&s);\n\tspin_lock(&u2.l);\n\treturn 0;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), out.error
    assert out.error is not None and out.error.startswith(f"{PATH}:11: lock u2.l taken while the task holds lock s: "
                                                          "whether lockdep reports a circular locking dependency")


WAIT_H = """\
static DEFINE_RAW_SPINLOCK(wc_raw);
static DEFINE_SPINLOCK(wc_spin);
static DEFINE_SPINLOCK(wc_other);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	unsigned long flags;
	int n = 0;

	spin_lock(&wc_spin);
	raw_spin_lock(&wc_raw);
	n += spin_trylock(&wc_other);
	spin_unlock(&wc_other);
	raw_spin_unlock(&wc_raw);
	spin_unlock(&wc_spin);
	if (ret & 1) {
		raw_spin_lock_irqsave(&wc_raw, flags);
		scoped_guard(spinlock, &wc_other)
			n += 10;
		raw_spin_unlock_irqrestore(&wc_raw, flags);
	}
	return n;
}
"""


def test_a_spinlock_inside_a_raw_spinlock_is_an_invalid_wait_context_as_gcc_runs_it(tmp_path: Path) -> None:
    # A raw one inside a spinlock_t is fine, and so is a trylock inside a raw one (check_wait_context() skips it).
    result = agrees_with_gcc(tmp_path, "wc", "demo/wc.h", WAIT_H, 0x8000020300000043, (1, 11))
    ok, big = (result.outcome("wc", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert not [e for e in ok.events if e.kind == "violation"], ok.events
    assert [(e.detail, e.where) for e in big.events if e.kind == "violation"] == [
        ("lockdep: BUG: Invalid wait context: spinlock wc_other taken while the task holds raw spinlock wc_raw"
         + LOCKDEP_OFF, f"demo/wc.h:{line_of(WAIT_H, 'scoped_guard(spinlock, &wc_other)')}")]


@pytest.mark.parametrize("inner", ["spin_lock(&ca);", "spin_lock_irq(&ca);", "guard(spinlock_irqsave)(&ca);"])
def test_every_spinlock_primitive_inside_a_raw_one_is_reported(inner: str) -> None:
    body = f"\tstatic DEFINE_RAW_SPINLOCK(r);\n\n\tguard(raw_spinlock_irq)(&r);\n\t{inner}\n"
    assert [d for d, _ in _violations(body)] == [
        "lockdep: BUG: Invalid wait context: spinlock ca taken while the task holds raw spinlock r" + LOCKDEP_OFF]
