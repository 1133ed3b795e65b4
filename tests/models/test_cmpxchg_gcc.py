"""cmpxchg(), try_cmpxchg() and this_cpu_try_cmpxchg() (models/cmpxchg.py), against gcc.

cmpxchg(), try_cmpxchg() and this_cpu_try_cmpxchg() (models/cmpxchg.py): what the mirror computes, against gcc
running the same C with a shim of its own that does each with x86's cmpxchg instruction on the operand's size, and
through `seamharness crosscheck`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import GCC, gcc_returns, needs_x86_gcc, ret_for_err, run

# The instruction itself: the expected value in the accumulator, ZF for success, the value found left in the
# accumulator; the per-CPU form on the variable's own object, a bool as percpu-defs.h gives it.
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef int s32;
typedef unsigned char u8;
typedef unsigned short u16;
typedef short s16;
typedef _Bool bool;
struct tdx_module_args { u64 rcx; };
#define DEFINE_PER_CPU(type, name) type name
#define this_cpu_read(v) (v)
#define this_cpu_write(v, x) ((v) = (x))
#define cmpxchg(p, o, n) ({ __typeof__(p) p_ = (p); __typeof__(*p_) o_ = (o), n_ = (n); \\
	__asm__ volatile("cmpxchg %2, %1" : "+a"(o_), "+m"(*p_) : "r"(n_) : "memory", "cc"); o_; })
#define try_cmpxchg(p, op, n) ({ __typeof__(p) p_ = (p); __typeof__(p) op_ = (__typeof__(p))(op); \\
	__typeof__(*p_) o_ = *op_, n_ = (n); bool ok_; \\
	__asm__ volatile("cmpxchg %3, %1" : "+a"(o_), "+m"(*p_), "=@ccz"(ok_) : "r"(n_) : "memory"); \\
	if (!ok_) *op_ = o_; __builtin_expect(!!ok_, 1); })
#define this_cpu_try_cmpxchg(v, op, n) ((bool)try_cmpxchg(&(v), (op), (n)))
"""

# A counter bumped by the try_cmpxchg() loop the kernel writes (the value found comes back through old), a u8 and
# an s16 whose new values are cut to their size, a u32 compared with a whole u64 error code, a pointer, the
# per-CPU form succeeding and failing (the value found written through an s32 pointer, cast as the kernel casts).
CODE = """\
static u64 seq = 40;
static DEFINE_PER_CPU(u32, sc_code);
static DEFINE_PER_CPU(u16, sc_gen);

long long f(u64 err, struct tdx_module_args *args)
{
	long long r = 0;
	u64 old = 0, next;
	u8 b = 0xfe;
	s16 s = -2;
	u32 c = (u32)err;
	s32 seen = 5;
	int spins = 0, *p = &spins, *q = 0;

	do {
		next = old + (err & 7) + 1;
		spins++;
	} while (!try_cmpxchg(&seq, &old, next));
	r += seq * 100 + spins + old * 10000;
	r += cmpxchg(&b, 0xfe, 0x1ff) * 1000000LL;
	r += b;
	r ^= (long long)cmpxchg(&s, 0xfffe, 9) << 20;
	r += s * 3;
	r += try_cmpxchg(&s, &s, 4) * 5;
	r += (long long)cmpxchg(&c, err, 17) << 32;
	r += c;
	r += (cmpxchg(&q, (int *)0, p) == 0) * 7;
	r += (q == p) * 11;
	this_cpu_write(sc_code, err);
	r += this_cpu_try_cmpxchg(sc_code, &seen, 12) * 13;
	r += (long long)seen << 40;
	r += this_cpu_try_cmpxchg(sc_code, &seen, err >> 1) * 17;
	r += (long long)this_cpu_read(sc_code) << 44;
	this_cpu_write(sc_gen, 0x10005);
	{
		u16 want = 5;

		r += this_cpu_try_cmpxchg(sc_gen, &want, 0x30007 + err) * 19;
		r += this_cpu_read(sc_gen) * 23 + want;
	}
	return r;
}
"""

ARGS = (0, 5, 0x42, 0x8000020300000042, 0xFFFFFFFF00000005)


def _gcc(tmp_path: Path) -> list[int]:
    assert GCC is not None
    return gcc_returns(tmp_path, SHIM + CODE, ARGS, GCC)


@needs_x86_gcc
def test_cmpxchg_forms_compute_what_the_instruction_computes(tmp_path: Path) -> None:
    assert [ret_for_err(CODE, a) for a in ARGS] == _gcc(tmp_path)


def test_try_cmpxchg_is_a_long_and_the_per_cpu_form_a_bool() -> None:
    # likely(success) is __builtin_expect()'s long; __pcpu_size_call_return2bool() gives a bool.
    out = run("static DEFINE_PER_CPU(u8, st);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tu64 x = 1, o = 1;\n\tu8 w = 0;\n\n"
              "\treturn sizeof(try_cmpxchg(&x, &o, 2)) * 10 + sizeof(this_cpu_try_cmpxchg(st, &w, 1));\n}\n")
    assert (out.status, out.ret) == ("ok", 81), out.error


def test_a_per_cpu_bool_left_holding_another_byte_is_refused_where_the_operation_is() -> None:
    code = ("static DEFINE_PER_CPU(bool, on);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\tbool o = false;\n\n"
            "\treturn this_cpu_try_cmpxchg(on, &o, 2);\n}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:6: per-CPU bool on left holding the "
                                                                  "byte 0x2"), out.error


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_cmpxchg_forms_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    code = CODE.replace("long long f(u64 err, struct tdx_module_args *args)",
                        "static long long busy(u64 fn, struct tdx_module_args *args)")
    code = code.replace("\tlong long r = 0;", "\tlong long r = 0;\n\tu64 err = __seamcall(fn, args);", 1)
    result = header_result(tmp_path, "cx", "demo/cx.h", code, 0x8000020300000043)
    ok, big = (result.outcome("cx", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert ok.status == big.status == "ok", (ok.error, big.error)
    assert ok.ret != big.ret
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    assert source != ORIGINAL or r.raw_compared["cx"] == 2, r.raw_compared
