"""memset() and memcpy() of arrays, union members and pointed-at integers, against gcc.

memset() and memcpy() of arrays (one inside a union's member too: ``memset(u.regs, 0, sizeof(u.regs))``), of one
integer a pointer points at, and memcpy() between a struct and a union's member or array elements: the mirror refused
each ("array 'u.regs' used as a pointer (passed to memset())", "memset() of something other than a whole struct").
Whole elements are filled or copied, between objects of integers by their bytes as x86-64 lays them out; gcc builds
and runs each. Part of an element, past the array and overlapping elements stay refused or run-time errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

MEM = r"""
union pw_regs { u64 regs[4]; struct { u64 rcx, rdx, r8, r9; }; u32 half[8]; u8 bytes[32]; };
struct pw_four { u64 a, b, c, d; };
struct pw_mixed { u32 lo; u16 cls; u8 sub, flags; u64 word; };
struct pw_pair { int x; int y; };

static long long pw_union_memset(u64 fn, struct tdx_module_args *args)
{
	union pw_regs u;
	u64 err = __seamcall(fn, args);

	memset(u.regs, 0, sizeof(u.regs));
	u.rdx = err;
	memset(&u.regs[2], 0xab, 8);
	memset(u.half, 0x7f, 2 * sizeof(u.half[0]));
	return (long long)(u.rcx * 3 + u.regs[1] + u.r8 + u.half[3] * 7 + u.bytes[17] + u.r9);
}

static long long pw_union_memcpy(u64 fn, struct tdx_module_args *args)
{
	union pw_regs u = {};
	struct pw_four s = { 1, 2, 3, __seamcall(fn, args) };
	struct pw_four t;
	u64 copy[4];

	memcpy(u.regs, &s, sizeof(s));
	u.half[1] = 0x55;
	memcpy(&t, u.regs, sizeof(u.regs));
	memcpy(copy, u.regs, sizeof(copy));
	memcpy(&copy[1], &s.b, 0);
	return (long long)(t.a + t.b * 5 + t.d + u.r9 * 11 + copy[0] + copy[3] * 13);
}

static long long pw_struct_bytes(u64 fn, struct tdx_module_args *args)
{
	struct pw_mixed m = { 0x11223344, 0x5566, 0x77, 0x88, __seamcall(fn, args) };
	u8 raw[16];
	u32 words[4];
	struct pw_mixed back;

	memcpy(raw, &m, sizeof(m));
	memcpy(words, raw, sizeof(raw));
	memset(&raw[8], 0xff, 8);
	memcpy(&back, raw, sizeof(back));
	return (long long)(raw[0] + raw[5] * 3 + words[1] + words[3] * 7 + back.word + back.sub + back.cls);
}

static long long pw_struct_elements(u64 fn, struct tdx_module_args *args)
{
	struct pw_pair ps[3] = { { 1, 2 }, { 3, 4 }, { 5, (int)__seamcall(fn, args) } };
	struct pw_pair *p = &ps[1];
	struct pw_pair qs[3];
	s16 sv[4];
	struct pw_four f;
	struct pw_pair ws[2];

	memset(&f, 0x5a, sizeof(f));
	memset(ws, 0x81, sizeof(ws));
	memcpy(qs, ps, sizeof(ps));
	memset(ps, 0, sizeof(ps[0]));
	memset(p, 0, sizeof(*p));
	memset(sv, 0x80, sizeof(sv));
	memcpy(&qs[0], &qs[2], sizeof(qs[0]));
	return ps[0].x + ps[1].y * 10 + ps[2].y + qs[0].y * 100 + qs[1].x + p->x + sv[2] + (long long)(f.c >> 8) + ws[1].y;
}

static long long pw_zero_fill(u64 fn, struct tdx_module_args *args)
{
	union pw_regs u, v;
	u64 err = __seamcall(fn, args);

	memset(u.bytes, 0, sizeof(u.bytes));
	u.bytes[5] = (u8)err;
	memset(v.regs, 0, sizeof(v.regs));
	memset(&v.bytes[4], 0x80, 8 * sizeof(v.bytes[0]));
	memset(&v, 0x11, 0);
	return (long long)(u.half[1] + u.regs[3] + v.bytes[16] + v.regs[0] + v.half[2]);
}

static long long pw_args_regs(u64 fn, struct tdx_module_args *args)
{
	u64 regs[2];
	struct tdx_module_args a = {};

	a.rcx = __seamcall(fn, args);
	a.rdx = 9;
	memcpy(regs, &a.rcx, sizeof(regs[0]));
	memcpy(&regs[1], &a.rdx, sizeof(u64));
	return (long long)(regs[0] + regs[1] * 2);
}
"""


def test_memset_and_memcpy_of_arrays_and_union_members_run_as_gcc_runs_them(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "ma", "demo/ma.h", MEM)


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("u64 a[2] = {};\n\n\tmemcpy(&a[0], &a[1], 2 * sizeof(a[0]));\n\treturn 0;", "runtime", "past the array"),
    ("u64 a[3] = {};\n\n\tmemcpy(&a[0], &a[1], 2 * sizeof(a[0]));\n\treturn 0;", "runtime", "overlapping"),
    ("u64 a[2] = {};\n\n\tmemset(a, 0, 12);\n\treturn 0;", "unsupported", "part of an element"),
    ("u64 a[3] = {};\n\n\tmemset(&a[1], 0, 3 * sizeof(a[0]));\n\treturn 0;", "runtime", "past the array"),
    ("void *a[2];\n\n\tmemset(a, 1, sizeof(a));\n\treturn 0;", "unsupported", "only 0 is modelled"),
    ("void *a[2] = {}, *b[2];\n\n\tmemcpy(b, a, sizeof(a));\n\treturn b[1] == NULL;", "ok", ""),
    ("void *a[1] = {};\n\tu64 b[1];\n\n\tmemcpy(b, a, sizeof(a));\n\treturn 0;", "unsupported", "bytes of one are not"),
])
def test_what_memset_and_memcpy_cannot_do_exactly_is_said(body: str, kind: str, says: str) -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + "\n}\n")
    got = "ok" if out.status == "ok" else str(out.error_kind)
    assert (got, says in (out.error or "")) == (kind, True), out.error


PARTS = r"""
struct pp_rec { u32 a; u16 b; u8 c; u64 d; u32 e; };
struct pp_outer { u64 head; struct pp_rec in; u16 tail; };
struct pp_ptr { u64 v; void *p; u32 n; };

static long long pw_pp_memset_tail(u64 fn, struct tdx_module_args *args)
{
	struct pp_rec r = { 1, 2, 3, __seamcall(fn, args), 5 };

	memset(&r.b, 0xab, offsetof(struct pp_rec, e) - offsetof(struct pp_rec, b));
	return (long long)(r.a * 3 + r.b + r.c * 5 + r.d + r.e * 7);
}

static long long pw_pp_memset_head(u64 fn, struct tdx_module_args *args)
{
	struct pp_rec r = { 1, 2, 3, 4, (u32)__seamcall(fn, args) };

	memset(&r, 0x7f, offsetof(struct pp_rec, d));
	return (long long)(r.a + r.b * 3 + r.c * 5 + r.d + r.e);
}

static long long pw_pp_memcpy_members(u64 fn, struct tdx_module_args *args)
{
	struct pp_rec s = { 1, 2, 3, 4, 5 }, t = { 9, 0x0807, 7, __seamcall(fn, args), 0x11223344 };
	u8 raw[6] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };
	u8 out[8] = {};

	memcpy(&s.b, &t.b, sizeof(s) - offsetof(struct pp_rec, b) - sizeof(u32));
	memcpy(&t.b, raw, sizeof(t.b) + sizeof(t.c));
	memcpy(out, &t.a, offsetof(struct pp_rec, c));
	return (long long)(s.a + s.b * 3 + s.c + s.d * 5 + s.e + t.b * 11 + t.c + out[4] * 13 + out[5]);
}

static long long pw_pp_memset_nested(u64 fn, struct tdx_module_args *args)
{
	struct pp_outer o = { 1, { 2, 3, 4, 5, 6 }, 7 };
	struct pp_ptr q = { __seamcall(fn, args), &o, 9 };

	memset(&o.in.e, 0, sizeof(o) - offsetof(struct pp_outer, in.e));
	memset(&q.v, 0, offsetof(struct pp_ptr, n));
	return (long long)(o.head + o.in.a + o.in.d * 3 + o.in.e + o.tail * 5 + q.v + (q.p == NULL) * 7 + q.n);
}

static long long pw_pp_padding(u64 fn, struct tdx_module_args *args)
{
	struct pp_rec r;
	u8 raw[sizeof(struct pp_rec)];

	memset(&r, 0x5a, sizeof(r));
	r.d = __seamcall(fn, args);
	memset(&r.e, 0x5a, sizeof(r) - offsetof(struct pp_rec, e));
	memcpy(raw, &r, sizeof(r));
	return (long long)(raw[7] + raw[20] * 3 + raw[23] * 5 + raw[8]);
}
"""


def test_memset_and_memcpy_of_part_of_a_struct_run_as_gcc_lays_it_out(tmp_path: Path) -> None:
    # memset()/memcpy() from a member with a size past it, or of a struct with offsetof() as the size: the bytes as
    # x86-64 lays the members out, padding included (were refused: "part of an object: its layout is not modelled")
    result = runs_as_gcc(tmp_path, "pp", "demo/pp.h", PARTS)
    assert result.outcome("pp", "busy/ONE/ok/demo.c").status == "ok"


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("struct { u32 a; u32 b; } s = {};\n\n\tmemset(&s.b, 0, 8);\n\treturn 0;", "runtime", "past the object"),
    ("struct { u32 a; void *p; } s = {};\n\n\tmemset(&s.a, 1, sizeof(s));\n\treturn 0;", "unsupported",
     "over member 'p'"),
    ("struct { u32 a; void *p; } s = {}, t = {};\n\n\tmemcpy(&s.a, &t.a, sizeof(s));\n\treturn 0;", "unsupported",
     "over member 'p'"),
    ("union { struct { u32 a, b; } s; u64 q; } u = {};\n\n\tmemset(&u.s.a, 1, 8);\n\treturn 0;", "unsupported",
     "in a union"),
    # the tail padding filled with another byte than the rest holds: which byte each padding byte holds is not kept
    ("struct { u8 a; u32 b; u8 c; } s;\n\tu8 raw[12];\n\n\tmemset(&s, 1, sizeof(s));\n\tmemset(&s.c, 2, 4);\n"
     "\tmemcpy(raw, &s, sizeof(s));\n\treturn raw[1];", "unsupported", "padding"),
])
def test_what_part_of_a_struct_cannot_be_is_said(body: str, kind: str, says: str) -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + "\n}\n")
    got = "ok" if out.status == "ok" else str(out.error_kind)
    assert (got, says in (out.error or "")) == (kind, True), out.error


LITERALS = r"""
struct lit_rec { u32 id; char tag[4]; };

static long long lit_copy(u64 fn, struct tdx_module_args *args)
{
	char buf[8] = "zzzzzzz";
	u8 raw[4];
	u32 w;
	struct lit_rec r;
	u64 err = __seamcall(fn, args);

	memcpy(buf, "seam", 5);
	memcpy(raw, "ab\xff", 4);
	memcpy(&w, "\x01\x02\x03", 4);
	memcpy(&r, "abcdefg", 8);
	memcpy(buf + 5, "x", err ? 1 : 2);
	return (long long)(strlen(buf) + raw[2] * 10 + w * 3 + r.id + r.tag[3] * 7 + buf[6]);
}
"""


def test_memcpy_of_a_string_literal_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # its bytes and its NUL into a char array, a u8 array, an integer, a struct of integers (was refused: "memcpy()
    # of something other than a whole struct or array elements is not modelled")
    runs_as_gcc(tmp_path, "ml", "demo/ml.h", LITERALS)


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("char b[8];\n\n\tmemcpy(b, \"ab\", 4);\n\treturn 0;", "runtime", "from a 3-byte string literal (reading past it)"),
    ("struct { u32 a; u32 b; u32 c; } s = {};\n\n\tmemcpy(&s.b, \"abcdefg\", 8);\n\treturn 0;", "unsupported",
     "string literal into part of a struct"),
    ("void *p[1];\n\n\tmemcpy(p, \"abcdefg\", 8);\n\treturn 0;", "unsupported", "is not modelled (its bytes are not)"),
])
def test_what_memcpy_of_a_string_literal_cannot_do_is_said(body: str, kind: str, says: str) -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + "\n}\n")
    got = "ok" if out.status == "ok" else str(out.error_kind)
    assert got == kind and says in (out.error or ""), (out.status, out.error)
    assert out.error is None or out.error.startswith("test/prog.c:5: "), out.error


MOVES = r"""
struct mv_pair { u32 a; u32 b; };
struct mv_rec { u32 x; u16 y; u16 z; u64 w; };

static long long mv_move(u64 fn, struct tdx_module_args *args)
{
	u64 regs[5] = { 1, 2, 3, 4, 5 };
	u8 raw[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct mv_pair ps[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
	struct mv_rec r = { 1, 2, 3, 4 };
	u64 err = __seamcall(fn, args);

	regs[0] = err;
	memmove(&regs[1], regs, 3 * sizeof(regs[0]));
	memmove(raw, raw + 2, 5);
	memmove(raw + 3, raw, err ? 4 : 5);
	memmove(&ps[1], ps, 2 * sizeof(ps[0]));
	memmove(&r.y, &r.x, 6);
	memmove(regs, regs, sizeof(regs));
	return (long long)(regs[1] + regs[2] * 3 + regs[4] * 5 + raw[0] + raw[3] * 7 + raw[7] * 11 + ps[2].b * 13
		+ ps[1].a * 17 + r.y + r.z * 19 + r.w * 23);
}
"""


def test_memmove_of_overlapping_bytes_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # overlapping elements forwards and backwards (memcpy(): a run-time error), struct elements, part of a struct, the
    # same bytes (was an unknown function)
    runs_as_gcc(tmp_path, "mv", "demo/mv.h", MOVES)
