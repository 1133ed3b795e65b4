"""Pointers into a union at a non-zero offset compare by their address, as gcc's do.

Pointers into a union at a non-zero offset compare by their address, as gcc's do (C11 6.7.2.1p16, 6.5.9p6):
``&u.w.hi == &u.h[1]`` is 1 where ``hi`` and ``h[1]`` both lie 4 bytes in. The mirror refused them ('whether two
pointers to scalars name one object is not modelled'), even ``&u.h[1] == &u.h[1]``, and said 0 for a struct member
of a union against an element at its offset. Two untagged structs on one line were one type (the second's members
were looked up in the first: refused, or read with the first's types)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

OFFSETS = """\
struct uo_in { u16 a, b; };
struct uo_pair { u32 lo, hi; };
union uo_u { u64 full; struct { u32 lo, hi; } w; u32 h[2]; u16 q[4]; struct { u16 a, b, c, d; } s;
	struct { u32 x; struct uo_in in; } n; };
union uo_v { struct uo_pair p[2]; u32 raw[4]; };
struct uo_o { u64 y; union uo_u u; };
static union uo_u gu;
static struct uo_o go;

static int same(const void *a, const void *b)
{
	return a == b;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	union uo_u x = {}, y = {}, ua[2] = {};
	union uo_v v = {};
	u64 err = __seamcall(fn, args);
	union uo_u *p = err ? &gu : &x;
	int eq[] = {
		&x.w.hi == &x.h[1], same(&x.w.hi, &x.q[2]), same(&x.w.hi, &x.s.c), same(&x.h[1], &x.q[2]),
		&x.h[1] == &x.w.lo, same(&x.s.b, &x.q[1]), &x.w.hi == &y.h[1], same(&x.w.hi, &x.s.b), &x.h[1] == &x.h[1],
		&x.h[1] != &x.w.hi, same(&x.n.in, &x.h[1]), same(&x.n.in.b, &x.q[3]), same(&x.n.in, &x.q[2]),
		&go.u.w.hi == &go.u.h[1], same(&go.u.q[2], &go.u.n.in), &ua[1].w.hi == &ua[1].h[1],
		&ua[0].w.hi == &ua[1].h[1], &v.p[1].lo == &v.raw[2], &v.p[1].hi == &v.raw[2], same(&v.p[1], &v.raw[2]),
		&p->w.hi == &gu.h[1], same(&p->n.in.b, &x.s.d),
	};
	long long r = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(eq); i++)
		r = r * 2 + eq[i];
	return r;
}
"""


def test_pointers_into_a_union_compare_by_offset_as_gcc_says(tmp_path: Path) -> None:
    gcc = (0b1111010010111111010101, 0b1111010010111111010110)  # one bit per comparison, 'p' is &x then &gu
    agrees_with_gcc(tmp_path, "offsets", "demo/uo.h", OFFSETS, 0x8000020300000042, gcc)


def test_two_untagged_structs_on_one_line_are_two_types() -> None:
    # gcc returns 0x100000001 + 16: s.a is the second struct's u64, not the first's u32 (the mirror said 9)
    out = run("struct two { struct { u32 a; } w; struct { u64 a; } s; };\n"
              "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct two x = {};\n\n"
              "\tx.s.a = 0x100000001ULL;\n\treturn x.s.a + sizeof(x);\n}\n")
    assert (out.status, out.ret) == ("ok", 0x100000001 + 16), out.error
