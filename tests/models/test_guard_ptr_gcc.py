"""``__guard_ptr(name)(&scope)`` of include/linux/cleanup.h, against gcc.

``__guard_ptr(name)(&scope)`` of include/linux/cleanup.h (``class_<name>_lock_ptr()``): the guard's lock pointer,
``(void *)1`` for a class without a lock, NULL where a conditional class did not acquire; for the classes of the
mirror's table and those the code defines, the mirror's outcomes pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import PATH, run

# sl_lock_intr() fails as mutex_lock_interruptible() does on a signal when the first answer is odd (the "big"
# script): sl_cond_guard() (cond_guard() as it was proposed for cleanup.h) then runs its fail statement.
PTR_H = """\
static DEFINE_MUTEX(sl_m);
static DEFINE_SPINLOCK(sl_s);
struct sl_dev { int n; struct mutex lock; spinlock_t sl; };
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
DEFINE_GUARD_COND(sl_mtx, _intr, sl_lock_intr(_T), _RET == 0)
DEFINE_GUARD_COND(sl_mtx, _try, mutex_trylock(_T))
DEFINE_LOCK_GUARD_0(sl_irq, local_irq_disable(), local_irq_enable())
DEFINE_LOCK_GUARD_1(sl_spin, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(sl_spin, _try, spin_trylock(_T->lock))

#define sl_cond_guard(_name, _fail, args...) \\
	CLASS(_name, scope)(args); \\
	if (!__guard_ptr(_name)(&scope)) _fail; \\
	else { }

static int intr(struct sl_dev *d)
{
	sl_cond_guard(sl_mtx_intr, return -EINTR, &d->lock);
	lockdep_assert_held(&d->lock);
	return 1;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long n;

	sl_answer = __seamcall(fn, args);
	n = intr(&dev);
	{
		CLASS(sl_mtx, a)(&sl_m);
		CLASS(mutex_try, b)(&sl_m);
		CLASS(sl_mtx_try, c)(&dev.lock);
		CLASS(sl_irq, d)();
		CLASS(sl_spin, e)(&sl_s);
		CLASS(sl_spin_try, f)(&dev.sl);
		class_spinlock_try_t g __cleanup(class_spinlock_try_destructor) = class_spinlock_try_constructor(&sl_s);
		CLASS(rcu, h)();

		n = n * 10 + (__guard_ptr(sl_mtx)(&a) == &sl_m);
		n = n * 10 + !__guard_ptr(mutex_try)(&b);
		n = n * 10 + (__guard_ptr(sl_mtx_try)(&c) == &dev.lock);
		n = n * 10 + (__guard_ptr(sl_irq)(&d) == (void *)1);
		n = n * 10 + (__guard_ptr(sl_spin)(&e) == &sl_s);
		n = n * 10 + (__guard_ptr(sl_spin_try)(&f) == &dev.sl) * 2;
		n = n * 10 + !__guard_ptr(spinlock_try)(&g);
		n = n * 10 + (__guard_ptr(rcu)(&h) == (void *)1) + (__guard_ptr(sl_mtx)(&a) == &dev.lock) * 4;
	}
	scoped_guard(spinlock_irqsave, &dev.sl)
		n = n * 10 + (__guard_ptr(spinlock_irqsave)(&scope) == &dev.sl) * 3;
	return n * 10 + irqs_disabled() + preempt_count();
}
"""


def test_guard_ptr_gives_the_lock_or_null_as_gcc_does(tmp_path: Path) -> None:
    result = header_result(tmp_path, "gp", "demo/gp.h", PTR_H, 0x8000020300000043)
    ok, big = (result.outcome("gp", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    # gcc's: the lock of each class, (void *)1 for sl_irq and rcu, NULL for the _try classes on a held lock; big:
    # the _intr class did not acquire, and its NULL ran the fail statement (-EINTR).
    assert (ok.ret, big.ret) == (11111121130, -38888878870), (ok.error, big.error)
    assert [e.detail for e in big.events if e.kind == "lock"][:1] == ["sl_m acquired"]
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert r.compared["gp"] == 2 if source != ORIGINAL else r.raw_compared["gp"] == 2


def test_guard_ptr_of_a_lock_the_code_does_not_declare_is_refused() -> None:
    out = run("int f(u64 fn, struct tdx_module_args *args)\n{\n\tscoped_guard(mutex, &sl_nowhere)\n"
              "\t\treturn __guard_ptr(mutex)(&scope) != 0;\n\treturn 0;\n}\n")
    assert out.status == "error", out.ret
    assert f"{PATH}:4: __guard_ptr(mutex) of lock sl_nowhere" in (out.error or ""), out.error


def test_a_class_of_define_class_has_no_guard_ptr() -> None:
    # include/linux/cleanup.h: DEFINE_CLASS() defines no class_<name>_lock_ptr(); gcc refuses the call.
    out = run("DEFINE_CLASS(sl_num, int, (void)_T, v + 1, int v)\nint f(u64 fn, struct tdx_module_args *args)\n"
              "{\n\tCLASS(sl_num, n)(1);\n\treturn __guard_ptr(sl_num)(&n) != 0;\n}\n")
    assert out.status == "error" and f"{PATH}:5: call to unknown function class_sl_num_lock_ptr()" in (
        out.error or ""), out.error
