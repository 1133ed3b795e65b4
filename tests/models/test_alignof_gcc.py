"""``_Alignof`` and GNU C's ``__alignof__`` of a type or an expression, against gcc.

``_Alignof(type)`` and GNU C's ``__alignof__``/``__alignof`` of a type or of an expression (gcc manual,
"Determining the Alignment of Functions, Types or Variables"): the x86-64 alignment, a ``size_t``, its operand not
evaluated. ``__alignof__`` of a type was 'construct Typename is not modelled', of an expression did not parse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ALIGNS = r"""
struct al_s { u8 a; u64 b; };
struct al_t { u8 a; u16 b[3]; };
static_assert(__alignof__(struct al_s) == 8);
static int al_calls;

static int al_bump(void)
{
	return ++al_calls;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct al_t t = {};
	u8 small = 1;

	BUILD_BUG_ON(_Alignof(u32) != 4);
	return __alignof__(u64) + _Alignof(struct al_t) * 10 + __alignof__(err) * 100 + __alignof__ (t.b) * 1000
		+ __alignof__(small + 1) * 10000 + __alignof(struct tdx_module_args) * 100000
		+ sizeof(__alignof__(err)) * 1000000 + (err & 1) + __alignof__(u64 *) * 10000000LL
		+ __alignof__(char[5]) * 100000000LL + __alignof__(al_bump()) * 1000000000LL + al_calls;
}
"""


def test_alignof_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # gcc: 8, 2, 8, 2 (u16[3]), 4 (int), 8, 8 (size_t), 8, 1, 4 (al_bump() not called: al_calls 0)
    agrees_with_gcc(tmp_path, "al", "demo/al.h", ALIGNS, 0x8000020300000043, (4188842828, 4188842829))


def test_alignof_a_bit_field_fails_the_build() -> None:
    # gcc: "'__alignof' applied to a bit-field"
    out = run("struct bf { u32 v : 3; };\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tstruct bf s = {};\n\n\treturn __alignof__(s.v);\n}\n")
    assert out.status == "error" and "test/prog.c:6" in (out.error or "") and "bit-field" in (out.error or ""), \
        out.error


# An object given an alignment of its own (C11 _Alignas, the kernel's __aligned()): gcc's __alignof__ of it is that
# alignment (64, 32, 64: gcc 12) and a struct member's moves it and pads the struct (sizeof 32, offset 16 of
# 'struct { u8 a; _Alignas(16) u64 b; }'); the mirror gave the type's (8, 1, 8; 16 and 8): now refused at the line.
@pytest.mark.parametrize(("decl", "expr", "says"), [
    ("static _Alignas(64) u64 gz = 5;", "__alignof__(gz)", "__alignof__ of 'gz', declared with an alignment"),
    ("", "({ _Alignas(32) u8 x = 3; __alignof__(x); })", "__alignof__ of 'x', declared with an alignment"),
    ("static u64 gq __aligned(64);", "__alignof__(gq)", "__alignof__ of 'gq', declared with an alignment"),
    ("struct sa { u8 a; _Alignas(16) u64 b; };", "sizeof(struct sa)", "struct sa: _Alignas of member b"),
])
def test_an_alignment_of_its_own_is_refused(decl: str, expr: str, says: str) -> None:
    out = run(decl + "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn " + expr + ";\n}\n")
    assert out.status == "error" and says in (out.error or ""), (out.status, out.ret, out.error)
