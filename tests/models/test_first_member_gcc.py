"""Pointers to a struct, its first member, a union's members and an array's element 0 compare equal.

A pointer to a struct, converted, points to its first member, and one to a union to each of its members (C11
6.7.2.1p15-16); an array begins with its element 0: such pointers compare equal (6.5.9p6), as gcc's do. The mirror
said 0 for ``(void *)&s == (void *)&s.first`` (a struct was only ever its own object) and refused a member beside
itself (``&s.b == &s.b``: 'pointers to scalars')."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

FIRST = """\
struct fm_in { u32 lo, hi; };
struct fm_s { struct fm_in first; u64 second; };
struct fm_t { u32 arr[2]; u64 x; };
union fm_u { u64 full; u32 half[2]; struct fm_in w; };
struct fm_pad { int : 8; int y; };
static struct fm_s g;
static struct fm_t gt;
static union fm_u gu;

static int same(const void *a, const void *b)
{
	return a == b;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct fm_s l = {};
	struct fm_in sa[3] = {};
	struct fm_pad pd = {};
	struct fm_s *p = &l;
	u64 err = __seamcall(fn, args);
	struct fm_s *which = err ? &g : &l;
	int eq[] = {
		(void *)&g == (void *)&g.first, (void *)&g == (void *)&g.first.lo, (void *)&g.first == (void *)&g.first.lo,
		(void *)&g == (void *)&g.second, (void *)&g == (void *)&g.first.hi, same(&l, &l.first.lo),
		same(p, &p->first.lo), same(&gt, gt.arr), same(&gt, &gt.arr), same(&gt, &gt.arr[0]), same(&gt.arr, gt.arr),
		same(&gu, &gu.full), same(&gu, &gu.w.lo), same(&gu, gu.half), same(&gu.full, &gu.w), same(sa, &sa[0]),
		same(sa, &sa[0].lo), same(&sa[1], &sa[1].lo), &g.second == &g.second, same(&pd, &pd.y),
		same(which, &g.first.lo), same(&which->first, &l),
	};
	long long r = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(eq); i++)
		r = r * 2 + eq[i];
	return r;
}
"""


def test_an_object_and_what_begins_it_compare_equal_as_gcc_says(tmp_path: Path) -> None:
    gcc = (0b1110011111111111111001, 0b1110011111111111111010)  # one bit per comparison, 'which' is &l then &g
    agrees_with_gcc(tmp_path, "first", "demo/fm.h", FIRST, 0x8000020300000042, gcc)


NESTED = """\
struct nu_in { u32 lo, hi; };
struct nu_w { struct nu_in in; u64 x; };
union nu_u { struct nu_in a; struct nu_w d; u64 full; };
struct nu_o { union nu_u u; u64 y; };
struct nu_t { struct nu_o o; u64 z; };
static struct nu_o go;
static struct nu_t gt;

static int same(const void *a, const void *b)
{
	return a == b;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	union nu_u x = {};
	u64 err = __seamcall(fn, args);
	union nu_u *p = err ? &go.u : &x;
	int eq[] = {
		&x.a.lo == &x.d.in.lo, same(&x.a, &x.d.in), same(&x.a.lo, &x.d), same(&x.a.lo, &x.full),
		same(&go.u.a.lo, &go), same(&go.u.d.in.lo, &go.u.a.lo), same(&gt.o.u.d.in.lo, &gt),
		same(&gt.o.u.d, &gt.o.u.a.lo), same(&p->a.lo, &p->d), same(&p->d.in.lo, &go),
	};
	long long r = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(eq); i++)
		r = r * 2 + eq[i];
	return r;
}
"""


def test_members_of_members_of_a_union_begin_it_as_gcc_says(tmp_path: Path) -> None:
    """``&x.a.lo == &x.d.in.lo`` where ``a`` and ``d`` are union members (found by helpers): the mirror said 0,
    as only the innermost struct a pointer's member begins was looked at, not the union that struct begins."""
    gcc = (0b1111111110, 0b1111111111)  # 'p' is &x then &go.u
    agrees_with_gcc(tmp_path, "nested", "demo/nu.h", NESTED, 0x8000020300000042, gcc)


POINTING = """\
struct pm_o { u32 v; };
struct pm_h { struct pm_o *p; u32 w; };
struct pm_i { struct pm_h h; u64 z; };
static struct pm_o go;

static int same(const void *a, const void *b)
{
	return a == b;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct pm_o o = { 1 };
	struct pm_h h = { &o, 2 };
	struct pm_i i = { { &go, 3 }, 4 };
	u64 err = __seamcall(fn, args);
	int eq[] = {
		same(&h, &o), same(&h.p, &o), same(&h, h.p), same(&h, &h.p), same(&i, &go), same(&i.h, i.h.p),
		same(&i, &i.h.p), same(h.p, &o), same(err ? &go : &o, i.h.p),
	};
	long long r = 0;
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(eq); n++)
		r = r * 2 + eq[n];
	return r;
}
"""


def test_a_pointer_member_at_offset_0_does_not_begin_what_it_points_at(tmp_path: Path) -> None:
    """``h.p = &o``, ``p`` the first member of ``h``: ``(void *)&h == (void *)&o`` was 1 in the mirror (the objects
    beginning at ``&h`` were followed into the member's value, which for a pointer is its target); gcc says 0. Found
    walking a list_head-style ring, whose head's ``next`` points at the first item (test_typesys.py)."""
    gcc = (0b000100110, 0b000100111)  # 'err ? &go : &o' is &o then &go
    agrees_with_gcc(tmp_path, "pointing", "demo/pm.h", POINTING, 0x8000020300000042, gcc)


# Named scalars: `&tok == &tok` of a file-scope one, a function's static, a local, a pointer held and compared again,
# a parameter, a compound literal's; two of them are two objects, and none is an element of an array or a member
# (C11 6.5.9p6). Each was refused ('whether two pointers to scalars name one object is not modelled', 'comparing a
# pointer into an array with a pointer to another object').
SCALARS = """\
static int ns_tok, ns_tik;
static u64 ns_gx;
struct ns_s { u32 a, b; };
static struct ns_s ns_gs;
static u64 ns_arr[3];
static union { u64 w[2]; u32 h[4]; } ns_u;

static int ns_is(const int *p, const int *q) { return p == q; }
static int ns_param(u64 v, const u64 *p) { return p == &v; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	static int seen;
	u64 err = __seamcall(fn, args);
	int x = 1, y = 1, *p = err ? &ns_tok : &x;
	long long r = (&ns_tok == &ns_tok) + (&ns_tok != &ns_tik) * 2 + (&x == &y) * 4 + (p == &x) * 8;

	r += (ns_is(&ns_tok, p) + ns_is(&seen, &seen) * 2 + ns_param(err, &ns_gx) * 4) * 100;
	r += ((void *)&ns_gx == (void *)&ns_tok) * 1000 + ((u32 *)&ns_gs.b == &ns_gs.a) * 2000;
	r += (&(int){ 1 } == &x) * 4000 + ((void *)&ns_gs == (void *)&ns_gs.a) * 10000;
	r += ((void *)&ns_arr[1] == (void *)&ns_tok) * 20000 + ((void *)&ns_u.h[1] == (void *)&x) * 40000;
	return r;
}
"""


def test_pointers_to_named_scalars_compare_as_gcc_compares_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "scalars", "demo/ns.h", SCALARS, 0x8000020300000042, (10211, 10303))  # gcc's


# An element of an array against a struct, or a member of one, that is another object (C11 6.5.9p6): unequal, as
# gcc says (each was refused as 'a pointer into an array with a pointer to another object'); a struct holding the
# array, or lying in one of its elements, is still compared by offsets or refused.
APART = """\
static u64 ap_arr[4];
static struct { u64 a, b; } ap_gs;
struct ap_pair { u32 lo, hi; };
static struct ap_pair ap_pairs[2];
static struct ap_pair ap_one;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct ap_pair *p = err ? &ap_pairs[1] : &ap_one;
	long long r = ((void *)ap_arr == (void *)&ap_gs) + ((void *)&ap_arr[3] != (void *)&ap_gs.b) * 2;

	r += ((void *)&ap_arr[1] == (void *)&ap_gs.a) * 4 + ((void *)ap_pairs == (void *)&ap_one) * 8;
	r += (p == &ap_pairs[1]) * 16 + ((void *)&ap_pairs[0] == (void *)&ap_one.hi) * 32;
	return r;
}
"""


def test_an_element_and_another_struct_are_two_objects_as_gcc_says(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "apart", "demo/ap.h", APART, 0x8000020300000042, (2, 18))  # gcc's
