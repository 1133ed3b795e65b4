"""Guard classes the code defines, locks through pointers, struct copies, against gcc.

Guard classes the code defines (DEFINE_GUARD, DEFINE_LOCK_GUARD_0/1), locks reached through pointers, and struct
copies of pointer members, run by the mirror and compiled by gcc: outcomes pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc, header_result
from tests.models.cprog import run

# include/linux/cleanup.h's user classes: a pointer guard, a lock guard without and with a lock argument; nested
# guard() and scoped_guard(), a return inside one, a helper asserting the lock it is handed.
GUARDS_H = """\
static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static int sl_depth;

static inline void sl_enter(int *d) { (*d)++; mutex_lock(&lock_a); }
static inline void sl_exit(int *d) { mutex_unlock(&lock_a); (*d) += 10; }

DEFINE_GUARD(seamldr, int *, sl_enter(_T), sl_exit(_T))
DEFINE_LOCK_GUARD_0(sl_irq, local_irq_disable(), local_irq_enable())
DEFINE_LOCK_GUARD_1(sl_mtx, struct mutex, mutex_lock(_T->lock), mutex_unlock(_T->lock))
DEFINE_GUARD(sl_m2, struct mutex *, mutex_lock(_T), mutex_unlock(_T))

static int held(struct mutex *m)
{
	lockdep_assert_held(m);
	return 1;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = 0;
	int n = 0;

	scoped_guard(seamldr, &sl_depth) {
		scoped_guard(sl_irq) {
			ret = __seamcall(fn, args);
			if (ret & 1)
				return sl_depth * 100 + irqs_disabled();
		}
	}
	guard(sl_mtx)(&lock_b);
	scoped_guard(sl_m2, &lock_a) {
		n += held(&lock_a) + held(&lock_b);
		if (ret & 2)
			break;
		n += 5;
	}
	return sl_depth + n * 10 + (ret & 0xff) * 1000;
}
"""


def test_guard_classes_the_code_defines_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "ug", "demo/ug.h", GUARDS_H, 0x8000020300000043)
    ok, big = (result.outcome("ug", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (81, 101), (ok.error, big.error)  # gcc's
    # One lock however it is reached (_T->lock, _T, a helper's parameter): no false lockdep report.
    assert [(e.kind, e.detail) for e in ok.events] == [
        ("lock", "lock_a acquired"), ("irq", "disabled"), ("irq", "enabled"), ("lock", "lock_a released"),
        ("lock", "lock_b acquired"), ("lock", "lock_a acquired"), ("lock", "lock_a released"),
        ("lock", "lock_b released")]
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["ug"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


# b = a copies a's pointers: b.args and b.pp[0] point where a's do (the mirror copied the objects pointed to).
COPY_H = """\
struct sl_ctx { struct tdx_module_args *args; u64 tag; struct tdx_module_args *pp[2]; };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct tdx_module_args local = { .rcx = 1 };
	struct sl_ctx a = { .args = args, .tag = 3, .pp = { &local, args } }, b, c = { .args = &local };
	u64 ret;

	b = a;
	b.args->rdx = 0x55;
	b.pp[0]->rcx += 10;
	c = b;
	c.tag = 9;
	c.pp[1] = &local;
	ret = __seamcall(fn, args);
	return (long long)(args->rdx + local.rcx * 100 + a.tag * 1000 + b.tag * 10000 + (ret & 0xff) +
			(a.pp[1] == args) * 100000 + (c.args == args) * 1000000);
}
"""


def test_a_struct_copy_keeps_its_pointers_pointing_where_they_did(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "cp", "demo/cp.h", COPY_H, 0x42, (1134185, 1134251))  # gcc's


def test_a_guard_class_no_file_defines_is_refused_naming_it() -> None:
    out = run("int f(u64 fn, struct tdx_module_args *args)\n{\n\tscoped_guard(sl_nothere, &fn)\n\t\treturn 1;\n"
              "\treturn 0;\n}\n")
    assert out.status == "error" and "test/prog.c:3: guard class 'sl_nothere' is not modelled" in (out.error or "")


# __free() cleanups of a DEFINE_FREE() class, latest first, with return_ptr() and retain_and_null_ptr() (cleanup.h
# v6.16: p handed on and set to NULL, no value) inhibiting them; the values are those of a cleanup.h written apart
# from the prelude's (h425's userspace copy of the documented semantics), which gcc runs as it runs the prelude's.
FREE_H = """\
static int sl_freed, sl_order;
static u64 sl_slots[4];

DEFINE_FREE(sl_put, u64 *, if (_T) { sl_freed += (int)*_T; sl_order = sl_order * 10 + (int)(_T - sl_slots) + 1; })

static u64 *sl_take(int i, u64 v)
{
	u64 *p __free(sl_put) = &sl_slots[i];
	u64 *spare __free(sl_put) = &sl_slots[3];

	*p = v;
	if (v & 1)
		return NULL;
	return_ptr(p);
}

static int sl_keep(u64 v)
{
	u64 *a __free(sl_put) = &sl_slots[0];
	u64 *b __free(sl_put) = &sl_slots[1];

	*a = v;
	*b = 2;
	if (v > 50)
		retain_and_null_ptr(a);
	return a == NULL;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	u64 *got;
	long long r;

	sl_slots[3] = 7;
	got = sl_take(1, (ret & 0xff) + 4);
	r = got ? (long long)(got - sl_slots) : -1;
	r = r * 10 + sl_keep(ret & 0xfff);
	return r * 1000000 + sl_order * 1000 + sl_freed;
}
"""


def test_free_classes_run_latest_first_and_are_inhibited_as_gcc_runs_them(tmp_path: Path) -> None:
    # ok: sl_take() returns slot 1 (its spare put), sl_keep() puts b then a; big: sl_take() puts spare then p and
    # returns NULL, sl_keep() retains a (put skipped) and returns 1
    agrees_with_gcc(tmp_path, "fr", "demo/fr.h", FREE_H, 0x8000020300000043, (10421009, -8577920))
