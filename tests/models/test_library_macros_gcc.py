"""do_div(), the bitmap helpers, struct_size() and the string helpers, against gcc.

do_div(), bitmap_fill(), bitmap_copy(), bitmap_and(), bitmap_or(), struct_size(), flex_array_size(),
struct_size_t() (models/headermacros.py), strchr() and memchr() (models/libc.py): what the mirror computes, against gcc
running the same code over definitions of our own written as the kernel's headers and lib/ have them, and through
`seamharness crosscheck` (gcc building the prelude's own macros)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from models.native.run import find_compiler
from tests.models.cprog import PATH, busy_agrees_with_gcc, gcc_returns, line_of, mirror_returns, run

SHIM = """\
#include <stdio.h>
#include <string.h>
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef _Bool bool;
typedef unsigned long size_t;
struct tdx_module_args { u64 rcx; };
#define SIZE_MAX (~(size_t)0)
#define BITS_TO_LONGS(nr) (((nr) + 64 - 1) / 64)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define do_div(n, base) ({ u32 __base = (base); u32 __rem; __rem = ((u64)(n)) % __base; \\
	(n) = ((u64)(n)) / __base; __rem; })
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{ memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long)); }
static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{ memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long)); }
static inline void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ unsigned int k; for (k = 0; k < BITS_TO_LONGS(nbits); k++) dst[k] = a[k] | b[k]; }
static inline bool bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int bits)
{
	unsigned int k, lim = bits / 64;
	unsigned long result = 0;

	for (k = 0; k < lim; k++)
		result |= (dst[k] = a[k] & b[k]);
	if (bits % 64)
		result |= (dst[k] = a[k] & b[k] & (~0UL >> (-bits & 63)));
	return result != 0;
}
static inline size_t size_mul(size_t a, size_t b)
{ size_t r; if (__builtin_mul_overflow(a, b, &r)) return SIZE_MAX; return r; }
static inline size_t size_add(size_t a, size_t b)
{ size_t r; if (__builtin_add_overflow(a, b, &r)) return SIZE_MAX; return r; }
#define array_size(a, b) size_mul(a, b)
#define __is_constexpr(x) (sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))
#define flex_array_size(p, member, count) __builtin_choose_expr(__is_constexpr(count), \\
	(count) * sizeof(*(p)->member), size_mul(count, sizeof(*(p)->member)))
#define struct_size(p, member, count) __builtin_choose_expr(__is_constexpr(count), \\
	sizeof(*(p)) + flex_array_size(p, member, count), size_add(sizeof(*(p)), flex_array_size(p, member, count)))
#define struct_size_t(type, member, count) struct_size((type *)NULL, member, count)
"""

# do_div() of a u64 by a u32 base (a base past 32 bits cut), its remainder a u32; bitmaps of 64, 70 and 130 bits,
# the last word's bits past nbits filled, copied and or-ed whole, and-ed masked; struct_size() of a constant count
# (plain size_t arithmetic, wrapping) and of a run-time one (saturating); strchr() to the NUL, memchr() past a NUL.
CODE = """\
struct sz_fl { u32 n; u16 w; u64 e[]; };
struct sz_fb { u16 n; u8 b[]; };
static DECLARE_BITMAP(wide, 130);

long long f(u64 fn, struct tdx_module_args *args)
{
	u64 r = 0, n = fn, m = fn;
	u32 rem;
	DECLARE_BITMAP(a, 70);
	DECLARE_BITMAP(b, 70);
	DECLARE_BITMAP(c, 130);
	struct sz_fl *p = NULL;
	struct sz_fb *q = NULL;
	char buf[12] = "seam:ldr";
	u8 raw[6] = { 1, 0, 0x80, 3, (u8)fn, 9 };
	const char *lit = "tdx-module";
	char *s;
	u8 *t;

	rem = do_div(n, 10);
	r = r * 1000003 + n + rem * 7;
	rem = do_div(m, (u32)(fn >> 40) | 1);
	r = r * 1000003 + m + rem;
	m = fn;
	rem = do_div(m, 0x100000007ULL);
	r = r * 1000003 + rem + m * 3;
	bitmap_fill(a, 70);
	bitmap_zero(b, 70);
	b[0] = fn;
	b[1] = fn >> 7;
	r = r * 1000003 + a[0] + a[1] * 3;
	rem = bitmap_and(c, a, b, 70);
	r = r * 1000003 + rem + c[0] + c[1] * 5;
	rem = bitmap_and(c, b, b, fn % 71);
	r = r * 1000003 + rem * 11 + c[0] + c[1];
	bitmap_or(c, b, a, 64);
	r = r * 1000003 + c[0] + c[1];
	bitmap_zero(wide, 130);
	bitmap_copy(wide, a, 64);
	r = r * 1000003 + wide[0] + wide[1] + wide[2] + bitmap_weight(wide, 130);
	bitmap_fill(wide, fn % 131);
	r = r * 1000003 + wide[0] + wide[1] * 3 + wide[2] * 5;
	bitmap_or(wide, wide, b, 70);
	r = r * 1000003 + bitmap_weight(wide, 130) + wide[1];
	r = r * 1000003 + struct_size(p, e, fn) * 3 + flex_array_size(p, e, fn >> 3) + sizeof(*p) * 7;
	r = r * 1000003 + struct_size(q, b, 5) + struct_size_t(struct sz_fb, b, fn) + array_size(fn, 16);
	r = r * 1000003 + struct_size(p, e, (1UL << 61) + 1) + flex_array_size(q, b, 3);
	s = strchr(buf, ':');
	t = memchr(raw, 0x80, sizeof(raw));
	r = r * 1000003 + (s - buf) + (t - raw) * 10;
	r = r * 1000003 + (memchr(raw, 0x180, 2) == NULL) + (strchr(buf, 0) - buf) * 3 + (strchr(buf, 'z') == NULL);
	r = r * 1000003 + (strchr(lit, '-') != NULL) + !!strchr(lit, 'q') * 2 + ((u8 *)memchr(raw + 1, 0x80, 3) - raw);
	s = strchr(buf, (int)fn);
	r = r * 1000003 + (s ? s - buf : 99);
	t = memchr(raw, (int)(fn >> 8), fn % 7);
	r = r * 1000003 + (t ? t - raw : 99);
	return r;
}
"""

ARGS = (0, 1, 0x3a, 0x61, 0x80, 0x180, 0x206, 0xFFFF, 0xFFFFFFFF, 0x8000000000000000, 0x8000020300000043,
        0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0)

BITMAP_MORE = """\
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{ memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long)); }
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int k, w = 0;

	for (k = 0; k < nbits / 64; k++)
		w += __builtin_popcountl(src[k]);
	if (nbits % 64)
		w += __builtin_popcountl(src[k] & (~0UL >> (-nbits & 63)));
	return w;
}
"""


def test_the_macros_compute_what_gcc_computes_with_the_kernels_definitions(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a, budget=1_000_000) for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + BITMAP_MORE + CODE, ARGS, find_compiler(None))


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_the_macros_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE.replace("\tu64 r = 0,", "\tlong long r = 0;\n\tu64"), 40,
                         ("lm", "demo/lm.h"), 0x0000030000000000, source)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "needle", "kind", "says"), [
    ("\tu64 w[2] = { 1, 2 };\n\n\treturn memchr(w, 2, 16) != NULL;\n", "memchr", "unsupported",
     "memchr() of this pointer is not modelled"),
    ("\tchar a[2] = { 'a', 'b' };\n\n\treturn strchr(a, 'z') != NULL;\n", "strchr", "runtime",
     "reading past the end of"),
    ("\tu8 a[4];\n\n\treturn memchr(a, 1, 4) != NULL;\n", "memchr", "runtime", "is read before it is set"),
    ("\treturn strchr(NULL, 'a') != NULL;\n", "strchr", "runtime", "NULL pointer"),
])
def test_what_is_not_modelled_is_refused_at_its_line(body: str, needle: str, kind: str, says: str) -> None:
    code = ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, out.error_kind) == ("error", kind), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, needle)}: " in (out.error or "") and says in (out.error or ""), out.error


# include/linux/static_call.h: a later revision's SEAMCALL through a static call whose target a test swaps.
STATIC_CALL = """\
static u64 sc_real(u64 fn, struct tdx_module_args *args)
{
	return fn + 1;
}

static u64 sc_fake(u64 fn, struct tdx_module_args *args)
{
	return fn * 3;
}

DEFINE_STATIC_CALL(sc_seam, sc_real);

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	r = r * 1000003 + static_call(sc_seam)(fn, args);
	static_call_update(sc_seam, sc_fake);
	r = r * 1000003 + static_call(sc_seam)(fn, args) + (static_call_query(sc_seam) == sc_fake) * 7;
	return r;
}
"""


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_a_static_call_calls_its_current_target_as_gcc_does(tmp_path: Path, source: str) -> None:
    out = run(STATIC_CALL)
    assert (out.status, out.ret) == ("ok", 1 * 1000003 + 7), out.error
    busy_agrees_with_gcc(tmp_path, STATIC_CALL, 40, ("scall", "demo/scall.h"), 0x0000030000000000, source)


# static_call_cond() of a target and of none (a NOP: its arguments evaluated, nothing called; a dangling else stays
# the code's), DEFINE_STATIC_CALL_RET0() and an update to __static_call_return0 (0, whatever the arguments): each was
# refused as an unknown function or identifier.
STATIC_COND = """\
static u64 sc_seen;

static void sc_hook(u64 fn, struct tdx_module_args *args)
{
	sc_seen += fn & 0xff;
}

static u64 sc_note(u64 v)
{
	sc_seen += 1000;
	return v;
}

static u64 sc_real(u64 fn, struct tdx_module_args *args)
{
	return fn + 1;
}

DEFINE_STATIC_CALL(sc_cond, sc_hook);
DEFINE_STATIC_CALL_NULL(sc_none, sc_hook);
DEFINE_STATIC_CALL_RET0(sc_ret0, sc_real);

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	static_call_cond(sc_cond)(fn + 5, args);
	static_call_cond(sc_none)(sc_note(fn), args);
	if (fn)
		static_call_cond(sc_none)(1, args);
	else
		sc_seen += 100000;
	r = r * 1000003 + static_call(sc_ret0)(fn, args) + 5;
	static_call_update(sc_ret0, sc_real);
	r = r * 1000003 + static_call(sc_ret0)(fn, args);
	static_call_update(sc_ret0, (void *)__static_call_return0);
	r = r * 1000003 + static_call(sc_ret0)(fn, args) + (static_call_query(sc_none) == NULL) * 9;
	return r * 1000003 + sc_seen;
}
"""


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_static_call_cond_and_a_ret0_target_run_as_gcc_runs_them(tmp_path: Path, source: str) -> None:
    out = run(STATIC_COND)
    assert (out.status, out.ret) == ("ok", ((5 * 1000003 + 1) * 1000003 + 9) * 1000003 + 101005), out.error
    busy_agrees_with_gcc(tmp_path, STATIC_COND, 40, ("scond", "demo/scond.h"), 0x0000030000000000, source)


def test_a_static_call_of_a_null_target_is_refused() -> None:
    code = ("static u64 sc_real(u64 fn)\n{\n\treturn fn;\n}\n\nDEFINE_STATIC_CALL_NULL(sc_none, sc_real);\n\n"
            + ENTRY + "\treturn static_call(sc_none)(fn);\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, 'static_call(sc_none)')}: " in (out.error or ""), out.error


# x86-64's do_div() is asm-generic/div64.h's BITS_PER_LONG == 64 one, which has no type check of the dividend (the
# 32-bit one's `(void)(((typeof((n)) *)0) == ((uint64_t *)0))` warns of a pointer mismatch): an s64, a u32, an s32 or
# an unsigned long builds without a warning, is divided as a u64 and stored back converted. gcc's values (-O1 -Wall,
# the kernel's 64-bit definition), checked by hand once: the mirror computed them already.
@pytest.mark.parametrize(("decl", "base", "want"), [
    ("s64 n = -100", "7", 5270498306774156176),
    ("u32 n = 0xfffffff0u", "0x10000000Fu", 28633115200),
    ("s32 n = -5", "3", 143165576302),
    ("unsigned long n = 1000", "-1", 1000),
])
def test_do_div_of_a_dividend_of_another_type_is_x86_64s(decl: str, base: str, want: int) -> None:
    out = run(ENTRY + f"\t{decl};\n\tu32 r = do_div(n, {base});\n\n\treturn (long long)n * 100 + r;\n}}\n")
    assert (out.status, out.ret) == ("ok", want), out.error
