"""include/linux/cleanup.h's conditional guards as the prelude defines them (models.cleanup).

include/linux/cleanup.h's conditional guards (DEFINE_GUARD_COND, DEFINE_LOCK_GUARD_1_COND, EXTEND_CLASS), their
scoped_guard() / scoped_cond_guard() and ACQUIRE() / ACQUIRE_ERR(), as the prelude defines them (models.cleanup):
the body runs only where the lock was taken, the fail statement otherwise, every way out releases it; the mirror's
outcomes pinned to gcc's."""

from __future__ import annotations

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import PATH, line_of, run

# sl_lock_intr() fails as mutex_lock_interruptible() does on a signal when the first answer is odd (the "big"
# script): the _intr variant's fail statement and ACQUIRE_ERR()'s -EINTR run then; the _try variants fail on
# a held lock.
COND_H = """\
static DEFINE_MUTEX(sl_m);
static DEFINE_SPINLOCK(sl_s);
struct sl_dev { int n; struct mutex lock; };
static struct sl_dev dev;
static u64 sl_answer;

static int sl_lock_intr(struct mutex *m)
{
	if (sl_answer & 1)
		return -EINTR;
	mutex_lock(m);
	return 0;
}

DEFINE_GUARD(sl_mtx, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
DEFINE_GUARD_COND(sl_mtx, _try, mutex_trylock(_T))
DEFINE_GUARD_COND(sl_mtx, _intr, sl_lock_intr(_T), _RET == 0)
DEFINE_LOCK_GUARD_1(sl_spin, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(sl_spin, _try, spin_trylock(_T->lock))

static int with_goto(struct sl_dev *d)
{
	int ret = 0;

	scoped_cond_guard(sl_mtx_try, return -EBUSY, &d->lock) {
		if (sl_answer)
			goto out;
		ret = 1;
	}
	scoped_cond_guard(mutex_try, return -EAGAIN, &d->lock)
		ret += 2;
out:
	lockdep_assert_not_held(&d->lock);
	return ret;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long n = 0;
	int i;

	sl_answer = __seamcall(fn, args);
	scoped_cond_guard(sl_mtx_intr, n -= 1, &sl_m) {
		n += 1;
		scoped_guard(sl_mtx_try, &sl_m)
			n += 1000;
		scoped_cond_guard(sl_mtx_try, n += 10, &dev.lock) {
			lockdep_assert_held(&dev.lock);
			n += 100;
		}
	}
	for (i = 0; i < 3; i++) {
		scoped_guard(sl_spin_try, &sl_s) {
			if (i == 1)
				break;
			n += 10000;
		}
	}
	n = n * 10 + with_goto(&dev) + 5;
	{
		ACQUIRE(sl_mtx_intr, g)(&dev.lock);
		int rc = ACQUIRE_ERR(sl_mtx_intr, &g);

		if (rc)
			return n * 100 + rc;
		guard(sl_spin)(&sl_s);
		ACQUIRE(spinlock_try, t)(&sl_s);
		n += ACQUIRE_ERR(spinlock_try, &t) * 1000000;
		ACQUIRE(sl_spin_try, u)(&sl_s);
		n += ACQUIRE_ERR(sl_spin_try, &u) * 100000000LL;
	}
	return n * 10 + irqs_disabled() + preempt_count();
}
"""


@pytest.fixture(scope="module")
def cond_result(tmp_path_factory: pytest.TempPathFactory) -> object:
    return header_result(tmp_path_factory.mktemp("cg"), "cg", "demo/cg.h", COND_H, 0x8000020300000043)


def _locks(out: object) -> list[str]:
    return [e.detail for e in out.events if e.kind in ("lock", "violation")]  # type: ignore[attr-defined]


def test_a_conditional_guard_runs_its_body_only_where_it_took_the_lock(cond_result: object) -> None:
    ok, big = (cond_result.outcome("cg", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))  # type: ignore[attr-defined]
    assert ok.status == "ok" and big.status == "ok", (ok.error, big.error)
    # ok: the _intr guard takes sl_m; _try on it (held) skips its body, on dev.lock runs it; the spinlock _try
    # runs twice, its break leaving the second scope; with_goto() takes dev.lock twice, releasing it each time.
    # dev (no DEFINE_MUTEX(), no mutex_init()) is a file-scope object: its lock is taken as initialised, and said.
    assert [d for d in _locks(ok) if "taken as initialised" in d] == [
        "dev.lock taken as initialised (no DEFINE_MUTEX() or mutex_init() in the run: an init function may have run "
        "before)"]
    locks = [d for d in _locks(ok) if "taken as initialised" not in d]
    assert locks[:4] == ["sl_m acquired", "dev.lock acquired", "dev.lock released", "sl_m released"]
    assert not [d for d in _locks(ok) + _locks(big) if "lockdep" in d or "twice" in d or "while free" in d]
    # big: the _intr guard fails (its fail statement runs, nothing is taken or released), and so does ACQUIRE().
    assert "sl_m acquired" not in _locks(big) and big.ret is not None and (big.ret + 4) % 100 == 0  # -EINTR


def test_conditional_guards_run_as_gcc_runs_them(cond_result: object) -> None:
    cc = find_compiler(None)
    r = crosscheck_result(cond_result, cc, source=ORIGINAL)  # type: ignore[arg-type]
    assert r.raw_compared["cg"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
    r = crosscheck_result(cond_result, cc, source="mirror")  # type: ignore[arg-type]
    assert r.compared["cg"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


HEAD = ("static DEFINE_MUTEX(m);\nstatic int odd(struct mutex *x) { return 5; }\n"
        "DEFINE_GUARD(mym, struct mutex *, mutex_lock(_T), mutex_unlock(_T))\n")


@pytest.mark.parametrize(("define", "message"), [
    # ERR_PTR(5) is no error pointer: the kernel's destructor would unlock through it.
    ("DEFINE_GUARD_COND(mym, _x, odd(_T), _RET == 0)", "a conditional guard that fails with 5"),
    # A class of models.locking's table has the machine's guard variable, not the kernel's pointer.
    ("DEFINE_GUARD_COND(mutex, _x, mutex_trylock(_T))", "DEFINE_GUARD_COND() of the guard class 'mutex' is not "
                                                        "modelled"),
    ("EXTEND_CLASS(spinlock, _x, 0, int a)", "EXTEND_CLASS() of the guard class 'spinlock' is not modelled"),
])
def test_a_conditional_guard_the_mirror_cannot_run_is_refused_with_file_and_line(define: str, message: str) -> None:
    name = define.split("(")[1].split(",")[0] + define.split(",")[1].strip()
    code = HEAD + define + "\nint f(u64 fn, struct tdx_module_args *args)\n{\n" \
        f"\tscoped_guard({name}, &m)\n\t\treturn 1;\n\treturn 0;\n}}\n"
    out = run(code)
    assert out.status == "error" and message in (out.error or ""), out.error
    assert f"{PATH}:{line_of(code, define)}: " in (out.error or "")


def test_scoped_guard_tests_acquiring_only_for_classes_that_may_fail() -> None:
    # cleanup.h: a DEFINE_LOCK_GUARD_0/1 or DEFINE_GUARD class always acquires (gcc folds the test to 1); a _try
    # class, or an _intr one a signal may interrupt (DEFINE_GUARD_COND), may not: the test stays the code's.
    from models.cleanup import BUILTIN_GUARDS

    test = dict(BUILTIN_GUARDS)
    assert [test[f"__sh_scope_ok_{k}(g)"] for k in ("preempt", "irqsave", "rcu", "spinlock_irqsave", "mutex")] == \
        ["1"] * 5
    assert {test[f"__sh_scope_ok_{k}(g)"] for k in ("mutex_try", "mutex_intr", "spinlock_try",
                                                     "raw_spinlock_irqsave_try")} == {"__sh_guard_ok(g)"}
