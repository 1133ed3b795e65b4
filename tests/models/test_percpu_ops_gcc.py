"""The this_cpu_*() operations x86 builds from instructions, against gcc.

The this_cpu_*() operations x86 builds from instructions (arch/x86/include/asm/percpu.h): what the mirror
computes, against gcc running the same C with a shim of its own that does each operation with the instruction
on the variable's own size (``cmpxchg``), so values are cut to that size as the kernel's operands are."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.models.cprog import GCC, gcc_returns, needs_x86_gcc, ret_for_err, run

# this_cpu_cmpxchg() as the instruction does it, on a userspace variable: oval and nval evaluated first, in that
# order, each converted to the variable's type (its size), then one cmpxchg of that size; the old value.
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
typedef short s16;
struct tdx_module_args { u64 rcx; };
#define DEFINE_PER_CPU(type, name) type name
#define this_cpu_read(v) (v)
#define this_cpu_write(v, x) ((v) = (x))
#define this_cpu_cmpxchg(v, o, n) ({ __typeof__(v) o_ = (o), n_ = (n); \\
	__asm__ volatile("cmpxchg %2, %1" : "+a"(o_), "+m"(v) : "r"(n_) : "memory", "cc"); o_; })
#define this_cpu_add_return(v, x) ({ __typeof__(v) t_ = (x); \
	__asm__ volatile("xadd %0, %1" : "+r"(t_), "+m"(v) : : "memory", "cc"); (__typeof__(v))(t_ + (x)); })
#define this_cpu_sub_return(v, x) this_cpu_add_return(v, -(__typeof__(v))(x))
#define this_cpu_inc_return(v) this_cpu_add_return(v, 1)
#define RMW_(insn, v, x) do { __typeof__(v) a_ = (x); \
	__asm__ volatile(insn " %1, %0" : "+m"(v) : "r"(a_) : "cc"); } while (0)
#define this_cpu_add(v, x) RMW_("add", v, x)
#define this_cpu_sub(v, x) RMW_("sub", v, x)
#define this_cpu_and(v, x) RMW_("and", v, x)
#define this_cpu_or(v, x) RMW_("or", v, x)
#define this_cpu_xchg(v, n) ({ __typeof__(v) x_ = (n); \
	__asm__ volatile("xchg %0, %1" : "+r"(x_), "+m"(v) : : "memory"); x_; })
"""

# A per-CPU state byte set to 0xff and swapped against -1, a signed one against 0xff, a u32 against a whole u64
# error code (only its low 32 bits reach the instruction), a u16 whose nval has a side effect that happens when
# the compare fails too.
CMPXCHG = """\
static DEFINE_PER_CPU(u8, sc_state);
static DEFINE_PER_CPU(s8, sc_sig);
static DEFINE_PER_CPU(u32, sc_code);
static DEFINE_PER_CPU(u16, sc_gen);

long long f(u64 err, struct tdx_module_args *args)
{
	long long r = 0;
	int bumps = 0;

	this_cpu_write(sc_state, 0xff);
	r += this_cpu_cmpxchg(sc_state, -1, 3);
	r += this_cpu_read(sc_state) * 1000;
	this_cpu_write(sc_sig, -1);
	r += this_cpu_cmpxchg(sc_sig, 0xff, 4) * 100000;
	r += this_cpu_read(sc_sig) * 10000000;
	this_cpu_write(sc_code, err);
	r ^= (long long)this_cpu_cmpxchg(sc_code, err, 7) << 32;
	r += (long long)this_cpu_read(sc_code) << 40;
	this_cpu_write(sc_gen, 0x10005);
	r += this_cpu_cmpxchg(sc_gen, err & 0xffff, ++bumps + 0x20000);
	r += this_cpu_cmpxchg(sc_gen, 0x40000 + err, ++bumps + 0x20000) * 3;
	return r + this_cpu_read(sc_gen) * 7 + bumps * 11;
}
"""

# x86's this_cpu_add_return(): xadd gives the old value, to which val, evaluated again, is added: an add of the
# counter's own value returns three times the old one, an argument with a side effect has it twice; u8 wraps.
ADD_RETURN = """\
static DEFINE_PER_CPU(u8, sc_n);
static DEFINE_PER_CPU(s16, sc_s);
static DEFINE_PER_CPU(u64, sc_t);

long long f(u64 err, struct tdx_module_args *args)
{
	long long r = 0;
	int k = 0;

	this_cpu_write(sc_n, 250);
	r += this_cpu_add_return(sc_n, 10 + (err & 3));
	this_cpu_write(sc_t, err >> 60);
	r += this_cpu_add_return(sc_t, this_cpu_read(sc_t)) * 100;
	r += this_cpu_add_return(sc_s, ++k) * 10000;
	r += this_cpu_sub_return(sc_s, err) * 1000000;
	r += this_cpu_inc_return(sc_n) * 1000000000LL;
	return r + k * 100000000000LL + this_cpu_read(sc_t) * 7;
}
"""

# x86's add/sub/and/or and this_cpu_xchg(): the value is evaluated before the instruction reads the variable, so
# a value that changes the variable itself (an inc_return of it) is seen by the operation.
VAL_FIRST = """\
static DEFINE_PER_CPU(u32, sc_x);
static DEFINE_PER_CPU(u8, sc_b);

long long f(u64 err, struct tdx_module_args *args)
{
	long long r;

	this_cpu_write(sc_x, 5);
	r = this_cpu_xchg(sc_x, this_cpu_inc_return(sc_x) + err);
	r = r * 100 + this_cpu_read(sc_x);
	this_cpu_add(sc_x, this_cpu_inc_return(sc_x) + err);
	r = r * 1000 + this_cpu_read(sc_x);
	this_cpu_write(sc_b, 0xf0);
	this_cpu_or(sc_b, this_cpu_xchg(sc_b, 3) >> 4);
	this_cpu_and(sc_b, this_cpu_add_return(sc_b, 1) | 8);
	this_cpu_sub(sc_b, this_cpu_inc_return(sc_b) + (err & 0xf));
	return r * 1000 + this_cpu_read(sc_b);
}
"""

ARGS = (0, 5, 0x42, 0x8000020300000042, 0xFFFFFFFF00000005)


def _gcc(tmp_path: Path, code: str) -> list[int]:
    assert GCC is not None
    return gcc_returns(tmp_path, SHIM + code, ARGS, GCC)


@needs_x86_gcc
def test_this_cpu_cmpxchg_compares_in_the_variables_size_as_the_instruction_does(tmp_path: Path) -> None:
    assert [ret_for_err(CMPXCHG, a) for a in ARGS] == _gcc(tmp_path, CMPXCHG)


def test_this_cpu_cmpxchg_cuts_oval_and_always_evaluates_nval() -> None:
    # Without gcc: a u32 per-CPU copy of an error code matches the whole code (the instruction sees 32 bits), and
    # nval's side effect happens though the compare fails.
    code = ("static DEFINE_PER_CPU(u32, c);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\tint n = 0;\n"
            "\tthis_cpu_write(c, 0x8000020300000042ULL);\n\tthis_cpu_cmpxchg(c, 0x8000020300000042ULL, 7);\n"
            "\tthis_cpu_cmpxchg(c, 1, ++n);\n\treturn this_cpu_read(c) * 10 + n;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 71), out.error


@needs_x86_gcc
def test_this_cpu_add_return_is_xadd_plus_val_evaluated_again(tmp_path: Path) -> None:
    assert [ret_for_err(ADD_RETURN, a) for a in ARGS] == _gcc(tmp_path, ADD_RETURN)


@needs_x86_gcc
def test_this_cpu_rmw_and_xchg_evaluate_the_value_before_reading_the_variable(tmp_path: Path) -> None:
    assert [ret_for_err(VAL_FIRST, a) for a in ARGS] == _gcc(tmp_path, VAL_FIRST)


# A per-CPU bool written a u64: the two x86 builds of this_cpu_write(), a C assignment (CONFIG_USE_X86_SEG_SUPPORT)
# and a movb of the value's low byte (percpu_to_op()), read back as this_cpu_read() reads it in each.
BOOL_BUILDS = """\
#include <stdio.h>
static _Bool flag;
static int as_c(unsigned long long v) { flag = v; return flag; }
static int as_movb(unsigned long long v)
{
	unsigned char b = v & 0xff, r;

	__asm__ volatile("movb %1, %0" : "=m"(flag) : "q"(b));
	__asm__ volatile("movb %1, %0" : "=q"(r) : "m"(flag));
	return (_Bool)r;
}
int main(void)
{
	unsigned long long vals[] = { 0, 1, 0x101, 0x8000000000000000ULL, 0x100, 0x80000203000000c2ULL };

	for (int i = 0; i < 6; i++)
		printf("%d %d\\n", as_c(vals[i]), as_movb(vals[i]));
	return 0;
}
"""
BOOL_VALS = (0, 1, 0x101, 0x8000000000000000, 0x100, 0x80000203000000C2)


@needs_x86_gcc
def test_a_per_cpu_bool_is_refused_exactly_where_the_two_x86_builds_differ(tmp_path: Path) -> None:
    assert GCC is not None
    (tmp_path / "b.c").write_text(BOOL_BUILDS)
    subprocess.run([GCC, "-std=gnu11", "-O1", "-o", str(tmp_path / "b"), str(tmp_path / "b.c")], check=True,
                   capture_output=True)
    builds = [tuple(map(int, ln.split())) for ln in
              subprocess.run([str(tmp_path / "b")], check=True, capture_output=True, text=True).stdout.splitlines()]
    for value, (c, movb) in zip(BOOL_VALS, builds, strict=True):
        code = ("static DEFINE_PER_CPU(bool, sc_failed);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
                f"\tthis_cpu_write(sc_failed, {value:#x}ULL);\n\treturn this_cpu_read(sc_failed);\n}}\n")
        out = run(code)
        if c == movb:
            assert (out.status, out.ret) == ("ok", c), (value, out.error)
        else:
            assert out.status == "error" and "test/prog.c:4: per-CPU bool set to" in (out.error or ""), value
