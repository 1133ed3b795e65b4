"""Locks inside structs reached through pointers: one object is one lock, against gcc.

Locks inside structs reached through pointers (``mutex_lock(&p->lock)``, ``guard(mutex)(&dev->lock)``,
``scoped_guard(spinlock_irqsave, &s->lock)``): one object is one lock however it is reached, two objects are two,
released on every way out; the mirror's outcomes, lock names and events included, pinned to gcc's."""

from __future__ import annotations

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.lockdep import LOCKDEP_OFF
from models.native.run import find_compiler
from models.preemptleak import PREEMPT_LEAK
from tests.harness.variantgen import header_result
from tests.models.cprog import run

# Locks in a file-scope struct, in an array of them, and in objects of automatic storage; taken and asserted
# through helpers whose parameters have other names; released by return, break and goto out of the guard.
LOCKS_H = """\
struct sl_dev {
	int n;
	struct mutex lock;
	spinlock_t sl;
};
static struct sl_dev devs[2];
static struct sl_dev one;

static void take(struct sl_dev *d) { mutex_lock(&d->lock); }
static void drop(struct sl_dev *x) { mutex_unlock(&x->lock); }
static int held(struct mutex *m) { lockdep_assert_held(m); return 1; }

static int work(struct sl_dev *dev, u64 fn, struct tdx_module_args *args)
{
	guard(mutex)(&dev->lock);
	held(&dev->lock);
	if (__seamcall(fn, args) & 1)
		return -EIO;
	scoped_guard(spinlock_irqsave, &dev->sl) {
		dev->n++;
		if (dev->n > 1)
			break;
		dev->n += 10;
	}
	return irqs_disabled() + preempt_count();
}

static int with_goto(struct sl_dev *d, u64 fn, struct tdx_module_args *args)
{
	int ret = 0;

	scoped_guard(mutex, &d->lock) {
		if (__seamcall(fn, args)) {
			ret = -EIO;
			goto out;
		}
		ret = 1;
	}
out:
	lockdep_assert_not_held(&d->lock);
	return ret;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct sl_dev *p = &devs[1];
	struct sl_dev a = { .n = 1 }, b = { .n = 2 }, c = { .n = 3 };
	unsigned long flags;
	long long r = 0;
	int i;

	take(&one);
	held(&one.lock);
	drop(&one);
	for (i = 0; i < 2; i++)
		r = r * 10 + work(&devs[i], fn, args) + 5;
	take(p);
	lockdep_assert_held(&devs[1].lock);
	lockdep_assert_not_held(&devs[0].lock);
	drop(p);
	spin_lock_irqsave(&p->sl, flags);
	lockdep_assert_held(&devs[1].sl);
	spin_unlock_irqrestore(&devs[1].sl, flags);
	r = r * 10 + work(&a, fn, args) + 5;
	r = r * 10 + work(&c, fn, args) + 5;
	take(&b);
	lockdep_assert_not_held(&a.lock);
	drop(&b);
	r = r * 10 + with_goto(&b, fn, args) + 5;
	return r * 10000 + c.n * 1000 + devs[0].n * 100 + a.n * 10 + b.n;
}
"""


def _events(out: object) -> list[tuple[str, str]]:
    return [(e.kind, e.detail) for e in out.events]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def locks_result(tmp_path_factory: pytest.TempPathFactory) -> object:
    return header_result(tmp_path_factory.mktemp("lk"), "lk", "demo/lk.h", LOCKS_H, 0x8000020300000043)


def test_a_lock_in_a_struct_is_one_lock_however_it_is_reached(locks_result: object) -> None:
    ok = locks_result.outcome("lk", "busy/ONE/ok/demo.c")  # type: ignore[attr-defined]
    assert ok.status == "ok", ok.error
    events = [e for e in _events(ok) if "taken as initialised" not in e[1]]  # the file-scope ones (no DEFINE_*)
    # Taken through take(d), asserted through held(m) and by its path, released through drop(x): no report but
    # the first use of an automatic object's lock that nothing initialised (a, zeroed; debug_locks_off() after).
    assert [e for e in events if e[0] == "violation"] == [
        ("violation", "lock dev->lock used uninitialised (no DEFINE_MUTEX() or mutex_init()): "
                      "DEBUG_LOCKS_WARN_ON(lock->magic != lock)" + LOCKDEP_OFF)], events
    names = {d.rsplit(" ", 1)[0] for k, d in events if k == "lock"}
    # A lock of a file-scope object is its C path; one of an automatic object the text that first named it,
    # another object first named by the same text numbered.
    assert names == {"one.lock", "devs[0].lock", "devs[0].sl", "devs[1].lock", "devs[1].sl", "dev->lock",
                     "dev->sl", "dev->lock#2", "dev->sl#2", "d->lock"}, names
    assert events[:2] == [("lock", "one.lock acquired"), ("lock", "one.lock released")]


def test_two_objects_first_named_by_one_text_are_two_locks() -> None:
    code = ("struct sl_dev { struct mutex lock; };\n"
            "static int take(struct sl_dev *d) { mutex_lock(&d->lock); return 0; }\n"
            "int f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct sl_dev a = { }, b = { };\n"
            "\ttake(&a);\n\ttake(&b);\n\tlockdep_assert_held(&a.lock);\n\tmutex_unlock(&b.lock);\n"
            "\tmutex_unlock(&a.lock);\n\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert _events(out) == [("violation", "lock d->lock used uninitialised (no DEFINE_MUTEX() or mutex_init()): "
                                          "DEBUG_LOCKS_WARN_ON(lock->magic != lock)" + LOCKDEP_OFF),
                            ("lock", "d->lock acquired"), ("lock", "d->lock#2 acquired"),
                            ("lock", "d->lock#2 released"), ("lock", "d->lock released")]


def test_a_lock_reached_through_a_pointer_runs_as_gcc_runs_it(locks_result: object) -> None:
    r = crosscheck_result(locks_result, find_compiler(None), source=ORIGINAL)  # type: ignore[arg-type]
    assert r.raw_compared["lk"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
    r = crosscheck_result(locks_result, find_compiler(None), source="mirror")  # type: ignore[arg-type]
    assert r.disagreements == [], [d.divergence for d in r.disagreements]


# A function's own static locks: each function's is its own object, persisting across its calls, and none is the
# file-scope lock of its name (a false "taken twice" before); a zeroed one is used uninitialised, as a freshly
# booted kernel's first call of the function would use it (no init function can reach it).
STATICS_H = """\
static DEFINE_MUTEX(st_lock);

static int st_one(void)
{
	static DEFINE_MUTEX(st_lock);
	static int calls;

	mutex_lock(&st_lock);
	lockdep_assert_held(&st_lock);
	mutex_unlock(&st_lock);
	return ++calls;
}

static int st_two(int take)
{
	static DEFINE_SPINLOCK(st_lock);

	if (take) {
		spin_lock(&st_lock);
		return 1;
	}
	spin_unlock(&st_lock);
	return 0;
}

static int st_zeroed(void)
{
	static struct mutex z;

	mutex_lock(&z);
	mutex_unlock(&z);
	return 5;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r;

	mutex_lock(&st_lock);
	r = st_one();
	r += st_one() * 10;
	r += st_two(1) * 100;
	if (err)
		r += st_two(0) * 1000 + st_zeroed();
	mutex_unlock(&st_lock);
	return r;
}
"""


def test_a_functions_own_static_lock_is_its_own_object_as_gcc_runs_it(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    result = header_result(tmp_path, "st", "demo/st.h", STATICS_H, 0x8000020300000043)
    ok, big = (result.outcome("st", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.status, ok.ret, big.ret) == ("ok", 121, 126), (ok.error, big.error)
    # busy() returns holding st_lock#3 under ok: a preempt leak (models.preemptleak), the one violation of that run
    assert [e.detail for e in ok.events if e.kind == "violation"] == [
        f"busy() {PREEMPT_LEAK} (preempt count 1)"]
    assert [e for e in big.events if e.kind == "violation"] == [next(e for e in big.events if e.kind == "violation")]
    assert [e.detail for e in big.events if e.kind == "violation"] == [
        "lock z used uninitialised (no DEFINE_MUTEX() or mutex_init()): DEBUG_LOCKS_WARN_ON(lock->magic != lock)"
        + LOCKDEP_OFF]
    assert [e.detail for e in ok.events if e.kind == "lock"] == [
        "st_lock acquired", "st_lock#2 acquired", "st_lock#2 released", "st_lock#2 acquired", "st_lock#2 released",
        "st_lock#3 acquired", "st_lock released"]
    assert ("st_one::calls", "2") in ok.state
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["st"] == 2, r.raw_compared


# A file-scope lock the run first reaches through what a call returns or a conditional picks (its object made when
# that evaluation touches it): the same lock as by its name. Before, the lock was named by the argument's text
# ('pick(k) acquired'), so 'spin_unlock(&sl_b)' was a false 'released while free' and a double take went unseen.
FIRST_REACHED_H = """\
static DEFINE_SPINLOCK(sl_a);
static DEFINE_SPINLOCK(sl_b);
static DEFINE_MUTEX(mx);

static spinlock_t *pick(int k) { return k ? &sl_b : &sl_a; }
static struct mutex *the_mutex(void) { return &mx; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	int k = __seamcall(fn, args) != 0;
	long long r = 0;

	spin_lock(pick(1));
	lockdep_assert_held(&sl_b);
	spin_unlock(&sl_b);
	scoped_guard(spinlock, k ? &sl_a : pick(0))
		r = spin_is_locked(&sl_a) * 10 + preempt_count();
	guard(mutex)(the_mutex());
	return r * 10 + mutex_is_locked(&mx);
}
"""


def test_a_file_scope_lock_first_reached_through_a_call_is_that_lock(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    result = header_result(tmp_path, "fr", "demo/fr.h", FIRST_REACHED_H, 0x8000020300000043)
    ok, big = (result.outcome("fr", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.status, ok.ret, big.ret) == ("ok", 111, 111), (ok.error, big.error)  # gcc's
    assert [e.detail for e in ok.events if e.kind in ("lock", "violation")] == [
        "sl_b acquired", "sl_b released", "sl_a acquired", "sl_a released", "mx acquired", "mx released"]
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["fr"] == 2, r.raw_compared
