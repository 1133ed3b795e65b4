"""The this_cpu_*() operations on a per-CPU ``bool`` run as x86's byte instructions.

The this_cpu_*() operations on a per-CPU ``bool``: x86 runs them as byte instructions on an operand cut to its low
byte (arch/x86/include/asm/percpu.h percpu_binary_op(), percpu_add_op(), percpu_add_return_op(),
percpu_cmpxchg_op(), __pcpu_cast_1()), so the byte left may be neither 0 nor 1, and this_cpu_write() is a byte
store in one build and a C assignment in the other (CONFIG_USE_X86_SEG_SUPPORT). gcc runs both builds with a shim
of ours doing each operation with its instruction; where a read sees a byte other than 0 or 1, or the two builds
read differently, the mirror must refuse naming FILE:LINE, elsewhere compute the value both builds do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import GCC, needs_x86_gcc, ret_for_err, run

# -DSEG: reads and writes are C accesses (CONFIG_USE_X86_SEG_SUPPORT), else movb; the read-modify-write operations
# are instructions in both. ``odd`` is set when a read finds a byte other than 0 or 1, or a read-modify-write leaves
# one: the mirror holds a bool as 0 or 1 and stops there, though a later operation might bring the byte back; and
# where a write stores true in one build and false in the other, though a later write makes them agree again.
SHIM = r"""
#include <stdio.h>
typedef unsigned long long u64;
typedef unsigned char u8;
typedef _Bool bool;
struct tdx_module_args { u64 rcx; };
static int odd;
#define DEFINE_PER_CPU(type, name) type name
#define preempt_disable() ((void)0)
#define preempt_enable() ((void)0)
#define CAST1(x) ((u8)((unsigned long)(x) & 0xff))
static void peek(void *p) { u8 b; __builtin_memcpy(&b, p, 1); if (b > 1) odd = 1; }
/* A write the two builds store as different truths (a value with a zero low byte): the mirror stops there. */
#define DIFFER(x) ((void)(odd |= (_Bool)(x) != (CAST1(x) != 0)))
#ifdef SEG
#define this_cpu_read(v) ({ peek(&(v)); *(volatile __typeof__(v) *)&(v); })
#define this_cpu_write(v, x) (DIFFER(x), (void)(*(volatile __typeof__(v) *)&(v) = (x)))
#else
#define this_cpu_read(v) ({ u8 r_; __asm__ volatile("movb %1, %0" : "=q"(r_) : "m"(v)); \
	if (r_ > 1) odd = 1; (__typeof__(v))(unsigned long)r_; })
#define this_cpu_write(v, x) do { u8 w_ = CAST1(x); DIFFER(x); \
	__asm__ volatile("movb %1, %0" : "=m"(v) : "qi"(w_)); } while (0)
#endif
#define RMW_(insn, v, x) do { u8 a_ = CAST1(x); \
	__asm__ volatile(insn " %1, %0" : "+m"(v) : "qi"(a_) : "cc"); peek(&(v)); } while (0)
#define this_cpu_add(v, x) RMW_("addb", v, x)
#define this_cpu_sub(v, x) this_cpu_add(v, -(__typeof__(v))(x))
#define this_cpu_and(v, x) RMW_("andb", v, x)
#define this_cpu_or(v, x) RMW_("orb", v, x)
#define this_cpu_inc(v) this_cpu_add(v, 1)
#define this_cpu_dec(v) this_cpu_sub(v, 1)
#define this_cpu_add_return(v, x) ({ u8 t_ = CAST1(x); \
	__asm__ volatile("xaddb %0, %1" : "+q"(t_), "+m"(v) : : "memory", "cc"); peek(&(v)); \
	(__typeof__(v))(unsigned long)(t_ + (x)); })
#define this_cpu_sub_return(v, x) this_cpu_add_return(v, -(__typeof__(v))(x))
#define this_cpu_inc_return(v) this_cpu_add_return(v, 1)
#define this_cpu_dec_return(v) this_cpu_add_return(v, -1)
#define this_cpu_cmpxchg(v, o, n) ({ u8 o_ = CAST1(o), n_ = CAST1(n); \
	__asm__ volatile("cmpxchgb %2, %1" : "+a"(o_), "+m"(v) : "q"(n_) : "memory", "cc"); peek(&(v)); \
	(__typeof__(v))(unsigned long)o_; })
#define this_cpu_xchg(v, n) ({ u8 n_ = CAST1(n), x_; \
	__asm__ volatile("movb %1, %0\n1: cmpxchgb %2, %1\n jnz 1b" : "=&a"(x_), "+m"(v) : "q"(n_) : "memory", "cc"); \
	peek(&(v)); (__typeof__(v))(unsigned long)x_; })
#define raw_cpu_xchg(v, n) ({ __typeof__(v) o_ = this_cpu_read(v); this_cpu_write(v, n); o_; })
#define raw_cpu_or(v, x) this_cpu_or(v, x)
#define raw_cpu_and(v, x) this_cpu_and(v, x)
#define raw_cpu_add(v, x) this_cpu_add(v, x)
#define __this_cpu_or(v, x) this_cpu_or(v, x)
#define __this_cpu_and(v, x) this_cpu_and(v, x)
#define __this_cpu_add(v, x) this_cpu_add(v, x)
#define __this_cpu_inc_return(v) this_cpu_inc_return(v)
"""

BODIES = (
    # or/and with an operand whose low byte is 0 (bool conversion would say 1), or 2
    "this_cpu_write(b, err & 1);\n\tthis_cpu_or(b, err >> 8);\n\tr = this_cpu_read(b);\n"
    "\tthis_cpu_and(b, err >> 4);\n\tr = r * 10 + this_cpu_read(b);",
    # add of a whole value, then sub (add of -(bool)val)
    "this_cpu_write(b, err >> 1 & 1);\n\tthis_cpu_add(b, err);\n\tr = this_cpu_read(b);\n"
    "\tthis_cpu_sub(b, err >> 8);\n\tr = r * 10 + this_cpu_read(b);",
    # inc, dec
    "this_cpu_write(b, err & 1);\n\tthis_cpu_inc(b);\n\tr = this_cpu_read(b);\n\tthis_cpu_dec(b);\n"
    "\tthis_cpu_dec(b);\n\tr = r * 10 + this_cpu_read(b);",
    # the _return forms: the value is (bool)(old byte + val), the byte old + low byte of val
    "this_cpu_write(b, err & 1);\n\tr = this_cpu_add_return(b, err >> 8);\n\tr = r * 10 + this_cpu_read(b);\n"
    "\tr = r * 10 + this_cpu_sub_return(b, err);\n\tr = r * 10 + this_cpu_read(b);\n"
    "\tr = r * 10 + this_cpu_dec_return(b);\n\tr = r * 10 + this_cpu_inc_return(b);",
    # cmpxchg compares the low bytes; xchg stores nval's low byte
    "this_cpu_write(b, err & 1);\n\tr = this_cpu_cmpxchg(b, err, err >> 8);\n\tr = r * 10 + this_cpu_read(b);\n"
    "\tr = r * 10 + this_cpu_xchg(b, err >> 16);\n\tr = r * 10 + this_cpu_read(b);",
    # a write of a value whose low byte is neither 0 nor 1, then a byte operation (the builds hold 1 and the byte)
    "this_cpu_write(b, err);\n\tr = this_cpu_read(b);\n\tthis_cpu_and(b, 1);\n\tr = r * 10 + this_cpu_read(b);",
    "this_cpu_write(b, err);\n\tthis_cpu_write(b, err & 1);\n\tthis_cpu_or(b, err >> 8);\n\tr = this_cpu_read(b);",
    # raw_ and __this_cpu_ forms; raw_cpu_xchg() writes as this_cpu_write() does
    "preempt_disable();\n\t__this_cpu_or(b, err >> 12);\n\traw_cpu_and(b, err >> 1);\n\tr = this_cpu_read(b);\n"
    "\t__this_cpu_add(b, err >> 4);\n\tr = r * 10 + raw_cpu_xchg(b, err >> 1);\n\traw_cpu_or(b, err >> 2);\n"
    "\tr = r * 10 + __this_cpu_inc_return(b);\n\tpreempt_enable();",
)
ARGS = (0, 1, 2, 3, 0x100, 0x101, 0xFF, 0x1FF, 0x1000, 0x10001, 0x8000020300000001, 0xFFFFFFFF00000005)


def _program(body: str) -> str:
    return ("static DEFINE_PER_CPU(bool, b);\n\nlong long f(u64 err, struct tdx_module_args *args)\n{\n"
            f"\tlong long r;\n\n\t{body}\n\treturn r * 10 + this_cpu_read(b);\n}}\n")


def _builds(tmp_path: Path, code: str) -> dict[int, tuple[int, int, int, int]]:
    """Per argument: (value, odd) of the instruction build, then of the C-access build."""
    assert GCC is not None
    calls = "".join(f"\todd = 0;\n\tb = 0;\n\tv = f({a:#x}ULL, 0);\n\tprintf(\"%lld %d\\n\", v, odd);\n" for a in ARGS)
    src = tmp_path / "b.c"
    src.write_text(SHIM + code + f"int main(void)\n{{\n\tlong long v;\n{calls}\treturn 0;\n}}\n")
    out: dict[str, list[tuple[int, int]]] = {}
    for build in ("", "-DSEG"):
        exe = tmp_path / f"b{build}"
        subprocess.run([GCC, "-std=gnu11", "-O2", "-fwrapv", "-funsigned-char", *([build] if build else []), "-o",
                        str(exe), str(src)], check=True, capture_output=True)
        text = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
        out[build] = [(int(v), int(o)) for v, o in (ln.split() for ln in text.splitlines())]
    return {a: (*out[""][i], *out["-DSEG"][i]) for i, a in enumerate(ARGS)}


@needs_x86_gcc
@pytest.mark.parametrize("body", BODIES)
def test_per_cpu_bool_byte_operations_compute_what_both_x86_builds_do_or_are_refused(tmp_path: Path,
                                                                                      body: str) -> None:
    code = _program(body)
    for err, (insn, insn_odd, seg, seg_odd) in _builds(tmp_path, code).items():
        g = code.replace("long long f(u64 err,", "static long long g(u64 err,") + (
            f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn g({err:#x}ULL, args);\n}}\n")
        out = run(g)
        if insn_odd or seg_odd or insn != seg:
            refused = out.status == "error" and "test/prog.c:" in (out.error or "")
            assert refused and "per-CPU bool" in (out.error or ""), (err, insn, seg, out.ret, out.error)
        else:
            assert (out.status, out.ret) == ("ok", insn), (err, out.error)


def test_per_cpu_bool_or_of_a_value_whose_low_byte_is_zero_leaves_it_false() -> None:
    # Without gcc: this_cpu_or(b, 0x100) ors in the byte 0 (the mirror ored in (bool)0x100, true); this_cpu_and(b, 2)
    # ands with 2 (it was (bool)2, 1, keeping b true).
    assert ret_for_err(_program("this_cpu_or(b, err);\n\tr = this_cpu_read(b);"), 0x100) == 0
    assert ret_for_err(_program("this_cpu_write(b, 1);\n\tthis_cpu_and(b, err);\n\tr = 0;"), 2) == 0
