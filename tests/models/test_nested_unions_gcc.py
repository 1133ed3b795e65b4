"""A union nested in a union's member shares the outer union's bytes, as gcc lays it out.

A union nested in a union's member (``union { struct { union in32 in; u32 hi; } s; u64 full; union in32 lo; }``)
shares the outer union's bytes, as gcc lays it out: its members were 'not modelled', so the other members were
refused after it was used or its address taken ('reading union member s: ... its bytes are not modelled') where gcc
computes them (type punning through unions is defined in GNU C). A member reached through a pointer to a struct in
a union, after another member changed in place, is what the union's bytes now give: the mirror read what the
struct held before (0x7788 where gcc gives 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

NESTED = """\
union nu_in { u32 a; u16 h[2]; u8 b[4]; };
struct nu_s { union nu_in in; u32 hi; };
union nu_un { struct nu_s s; u64 full; union nu_in lo; struct { u16 q[4]; }; };

static long long pw_nu_read_after_address(u64 fn, struct tdx_module_args *args)
{
	union nu_un x = { .full = 0x1122334455667788ULL + (fn & 1) };
	u16 *p = &x.s.in.h[1];
	union nu_in *in = &x.s.in;

	return (long long)(x.full >> 4) + x.s.hi + x.lo.b[3] + x.q[2] + (p != 0) + (in != 0);
}

static long long pw_nu_inner_writes(u64 fn, struct tdx_module_args *args)
{
	union nu_un x = { .full = 0x1122334455667788ULL };
	u32 *pa = &x.lo.a;

	x.s.in.h[1] = 0x834f + (fn & 3);
	*pa ^= 5;
	x.lo.b[0] = 9;
	return (long long)x.full + x.s.in.a + x.q[1];
}

static long long pw_nu_through_pointers(u64 fn, struct tdx_module_args *args)
{
	union nu_un x = { .full = 0x1122334455667788ULL };
	union nu_in *plo = &x.lo;
	struct nu_s *ps = &x.s;

	x.full = 3 + fn;
	ps->hi = 7;
	return (long long)x.full + plo->h[0] * 3 + plo->b[1];
}

static long long pw_nu_outer_then_inner(u64 fn, struct tdx_module_args *args)
{
	union nu_un x;
	u64 r;

	x.lo.a = 0xdeadbeef;
	x.s.hi = 0x1234;
	r = x.full;
	x.full = fn;
	return (long long)(r + x.s.in.h[0] + x.lo.b[2]);
}
"""


def test_a_nested_union_is_read_as_gcc_reads_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "nu", "demo/nu.h", NESTED)


PRE = "union nu2 { struct { u32 lo, hi; } w; u64 full; struct { u16 h[4]; } q; };\n"


@pytest.mark.parametrize(("read", "gcc"), [("p->h[0]", 5), ("p->h[1]", 0), ("x.q.h[0]", 5), ("(*p).h[0]", 5)])
def test_a_struct_reached_through_a_pointer_after_another_member_changed_is_read_now(read: str, gcc: int) -> None:
    # gcc's values: the mirror read the struct as it was before 'x.w.lo = 5' (0x7788, 0x5566) through the pointer,
    # which passed the union by, or refused the read through the union (two members changed in place)
    out = run(PRE + "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tunion nu2 x = { .full = 0x1122334455667788ULL };\n\ttypeof(x.q) *p = &x.q;\n\n"
              f"\tx.w.lo = 5;\n\treturn {read};\n}}\n")
    assert (out.status, out.ret) == ("ok", gcc), out.error


def test_a_struct_reached_through_a_pointer_after_a_pointer_member_was_stored_is_not_known() -> None:
    # gcc reads the low half of &x there; the mirror read 3, what ps->a held before 'u.p = &x'
    out = run("union nu3 { u64 *p; struct { u32 a, b; } s; };\n"
              "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunion nu3 u;\n\tu64 x = 0;\n"
              "\ttypeof(u.s) *ps = &u.s;\n\n\tps->a = 3;\n\tu.p = &x;\n\treturn ps->a;\n}\n")
    assert (out.status, (out.error or "").split(": ")[0]) == ("error", "test/prog.c:10"), (out.ret, out.error)
    assert "'p' was used last" in (out.error or "")
