"""A pointer that outlives the object it points at (C11 6.2.4p2), against gcc.

A pointer that outlives the object it points at (C11 6.2.4p2): the address of a local returned, or kept past the
end of the local's block, and read. The mirror read the object's last value, which gcc never gives (a returned
local's address is NULL in gcc's code, a block's stack slot is reused): reading it is now a run-time error naming
the object and where it was declared. Objects read while they live run as gcc runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

HEAD = "struct lt_s { u64 a; u64 regs[2]; struct { u32 lo; } in; };\n"
ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("code", "read", "name", "declared"), [
    ("static u64 *keep(u64 v)\n{\n\tu64 x = v;\n\n\treturn &x;\n}\n" + ENTRY + "\tu64 *p = keep(5);\n\n"
     "\treturn *p;\n}\n", "return &x", "x", "u64 x = v"),
    (ENTRY + "\tu64 *p;\n\n\t{\n\t\tu64 y = 7;\n\n\t\tp = &y;\n\t}\n\treturn *p;\n}\n", "p = &y", "y", "u64 y = 7"),
    ("static struct lt_s *make(void)\n{\n\tstruct lt_s s = { .a = 9 };\n\n\treturn &s;\n}\n" + ENTRY
     + "\tstruct lt_s *p = make();\n\n\treturn p->regs[1] + p->a;\n}\n", "return p->regs", "p->regs[1]",
     "struct lt_s s"),
    ("static u32 *inner(struct lt_s *out)\n{\n\tstruct lt_s s = { .in.lo = 3 };\n\n\t*out = s;\n"
     "\treturn &s.in.lo;\n}\n" + ENTRY + "\tstruct lt_s copy;\n\tu32 *p = inner(&copy);\n\n"
     "\treturn copy.in.lo + *p;\n}\n", "return &s.in.lo", "lo", "struct lt_s s"),
])
def test_reading_through_a_pointer_past_its_objects_lifetime_is_refused(code: str, read: str, name: str,
                                                                        declared: str) -> None:
    text = HEAD + code
    out = run(text)
    assert out.status == "error", (out.ret, out.error)
    assert out.error == (f"{PATH}:{line_of(text, read)}: '{name}' is read through a pointer after its lifetime ended "
                         f"(declared at {PATH}:{line_of(text, declared)}, its block was left, C11 6.2.4p2): "
                         "undefined behaviour"), out.error


# Objects read through pointers while they live: a struct filled through a pointer and returned by value (a copy,
# made before its block is left), a loop's local each iteration, a statement expression's, a scalar's own helper.
LIVE_H = """\
struct lt_p { u64 a, b; u64 arr[2]; };

static void lt_fill(struct lt_p *s, u64 v)
{
	s->a = v;
	s->b = v + 1;
	s->arr[1] = 3;
}

static struct lt_p lt_make(u64 v)
{
	struct lt_p s = { 0 };

	lt_fill(&s, v);
	return s;
}

static u64 lt_scalar(u64 v)
{
	u64 x = v;
	u64 *p = &x;

	*p += 1;
	return x;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct tdx_module_args a = { .rcx = 1 };
	struct lt_p s = lt_make(5);
	u64 r = 0;
	int i;

	for (i = 0; i < 3; i++) {
		u64 t = i;
		u64 *q = &t;

		*q *= 2;
		r += t;
	}
	r += __seamcall_ret(fn, &a) != 0;
	r += ({ struct lt_p tmp = lt_make(7); lt_fill(&tmp, 9); tmp.b; });
	r = r * 1000 + s.a + s.b * 10 + s.arr[1] * 100 + a.rcx;
	return r + lt_scalar(4) * 100000;
}
"""


def test_objects_read_while_they_live_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "lt", "demo/lt.h", LIVE_H, 0x8000020300000043, (516366, 517366))  # gcc's


# Parameters are objects of the function's block (C11 6.9.1p9) and a union's members its bytes: a pointer to either
# that outlives them is refused as a local's is.
@pytest.mark.parametrize(("code", "read", "name", "declared", "how"), [
    ("static u64 *keep(u64 v)\n{\n\treturn &v;\n}\n" + ENTRY + "\tu64 *p = keep(5);\n\n\treturn *p;\n}\n",
     "return &v", "v", "keep(u64 v)", "the function returned"),
    ("static u64 *keep(struct lt_s s)\n{\n\treturn &s.regs[1];\n}\n" + ENTRY + "\tstruct lt_s v = { .a = 1 };\n"
     "\tu64 *p = keep(v);\n\n\treturn *p + v.a;\n}\n", "return *p + v.a", "s.regs[1]", "keep(struct",
     "the function returned"),
    ("union lt_u { u64 full; u32 half[2]; };\nstatic u32 *keep(u64 v)\n{\n\tunion lt_u u;\n\n\tu.full = v;\n"
     "\treturn &u.half[1];\n}\n" + ENTRY + "\tu32 *p = keep(fn);\n\n\treturn *p;\n}\n", "return &u.half", "u.half[1]",
     "union lt_u u;", "its block was left"),
    ("union lt_u { u64 full; u32 half[2]; };\nstatic union lt_u *keep(u64 v)\n{\n\tunion lt_u u = { .full = v };\n\n"
     "\treturn &u;\n}\n" + ENTRY + "\tunion lt_u *p = keep(fn);\n\n\treturn p->half[0];\n}\n", "return p->half",
     "p->half[0]", "union lt_u u =", "its block was left"),
    (ENTRY + "\tu64 *p;\n\n\t{\n\t\tstruct { int k; union { u64 a; u32 b; } in; } x;\n\n\t\tx.in.b = 7;\n"
     "\t\tp = &x.in.a;\n\t}\n\treturn *p;\n}\n", "p = &x.in.a", "a", "struct { int k;", "its block was left"),
])
def test_parameters_and_unions_past_their_lifetime_are_refused(code: str, read: str, name: str, declared: str,
                                                               how: str) -> None:
    text = HEAD + code
    out = run(text)
    assert out.status == "error", (out.ret, out.error)
    assert out.error == (f"{PATH}:{line_of(text, read)}: '{name}' is read through a pointer after its lifetime ended "
                         f"(declared at {PATH}:{line_of(text, declared)}, {how}, C11 6.2.4p2): undefined behaviour"), \
        out.error


# While they live: a parameter changed through its address, a struct parameter's member (the caller's copy is its
# own), returned by value after; a union read through a pointer to its member, a union parameter.
PARAMS_H = """\
struct lt_q { u64 a, b; };
union lt_v { u64 full; u32 half[2]; };

static void lt_inc(u64 *p)
{
	*p += 1;
}

static u64 lt_twice(u64 v)
{
	lt_inc(&v);
	lt_inc(&v);
	return v;
}

static struct lt_q lt_bump(struct lt_q s)
{
	lt_inc(&s.b);
	return s;
}

static u32 lt_hi(union lt_v u)
{
	u32 *p = &u.half[1];

	u.full += 0x100000000ULL;
	return *p;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct lt_q v = { 1, 2 };
	struct lt_q w = lt_bump(v);
	union lt_v u = { .full = __seamcall(fn, args) };
	u64 r = lt_twice(40) * 1000;

	r += w.b * 100 + v.b * 10;
	return r + lt_hi(u);
}
"""


def test_parameters_and_unions_read_while_they_live_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "lp", "demo/lp.h", PARAMS_H, 0x8000020300000043, (42321, 42321 + 0x80000203))  # gcc's
