"""The prelude's byte-order, overflow, abs_diff() and bitmap macros, against gcc.

The prelude's byte-order, size-overflow, abs_diff() and bitmap macros (models/headermacros.py): what the mirror
computes, against gcc running the same code over definitions of its own written as the kernel's headers and
lib/find_bit.c have them (functions where the kernel's are), and through `seamharness crosscheck`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import gcc_returns, mirror_returns, run

# The kernel's definitions as functions and macros of their own (the parameters' types convert the arguments, as in
# the kernel), independent of the prelude's macros.
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef int s32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef _Bool bool;
typedef unsigned long size_t;
struct tdx_module_args { u64 rcx; };
#define SIZE_MAX (~(size_t)0)
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d) __builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
static inline size_t size_mul(size_t a, size_t b)
{ size_t r; if (check_mul_overflow(a, b, &r)) return SIZE_MAX; return r; }
static inline size_t size_add(size_t a, size_t b)
{ size_t r; if (check_add_overflow(a, b, &r)) return SIZE_MAX; return r; }
static inline size_t size_sub(size_t a, size_t b)
{ size_t r; if (a == SIZE_MAX || b == SIZE_MAX || check_sub_overflow(a, b, &r)) return SIZE_MAX; return r; }
#define array_size(a, b) size_mul(a, b)
#define array3_size(a, b, c) size_mul(size_mul(a, b), c)
#define abs_diff(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); (void)(&__a == &__b); \\
	__a > __b ? (__a - __b) : (__b - __a); })
#define roundup(x, y) ({ typeof(y) __y = y; (((x) + (__y - 1)) / __y) * __y; })
#define rounddown(x, y) ({ typeof(x) __x = (x); __x - (__x % (y)); })
#define mult_frac(x, n, d) ({ typeof(x) x_ = (x); typeof(n) n_ = (n); typeof(d) d_ = (d); \\
	typeof(x_) q = x_ / d_; typeof(x_) r = x_ % d_; q * n_ + r * n_ / d_; })
static inline u64 div_u64(u64 dividend, u32 divisor) { return dividend / divisor; }
static inline s64 div_s64(s64 dividend, s32 divisor) { return dividend / divisor; }
static inline u64 div64_u64(u64 dividend, u64 divisor) { return dividend / divisor; }
static inline s64 div64_s64(s64 dividend, s64 divisor) { return dividend / divisor; }
#define cpu_to_le16(x) ((u16)(x))
#define cpu_to_le32(x) ((u32)(x))
#define cpu_to_le64(x) ((u64)(x))
#define le16_to_cpu(x) ((u16)(x))
#define le32_to_cpu(x) ((u32)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_be16(x) ((u16)__builtin_bswap16((u16)(x)))
#define cpu_to_be32(x) ((u32)__builtin_bswap32((u32)(x)))
#define cpu_to_be64(x) ((u64)__builtin_bswap64((u64)(x)))
#define be16_to_cpu(x) cpu_to_be16(x)
#define be32_to_cpu(x) cpu_to_be32(x)
#define be64_to_cpu(x) cpu_to_be64(x)
static inline u64 le64_to_cpup(const u64 *p) { return *p; }
static inline u32 le32_to_cpup(const u32 *p) { return *p; }
static inline u16 cpu_to_le16p(const u16 *p) { return *p; }
static inline u64 be64_to_cpup(const u64 *p) { return __builtin_bswap64(*p); }
static inline u32 cpu_to_be32p(const u32 *p) { return __builtin_bswap32(*p); }
static inline u16 be16_to_cpup(const u16 *p) { return __builtin_bswap16(*p); }
static inline void le64_add_cpu(u64 *var, u64 val) { *var = cpu_to_le64(le64_to_cpu(*var) + val); }
static inline void le16_add_cpu(u16 *var, u16 val) { *var = cpu_to_le16(le16_to_cpu(*var) + val); }
static inline void be32_add_cpu(u32 *var, u32 val) { *var = cpu_to_be32(be32_to_cpu(*var) + val); }
static inline void be16_add_cpu(u16 *var, u16 val) { *var = cpu_to_be16(be16_to_cpu(*var) + val); }
#define BITS_TO_LONGS(nr) (((nr) + 64 - 1) / 64)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
static inline void set_bit(long nr, volatile unsigned long *a) { a[nr / 64] |= 1UL << (nr % 64); }
static inline void __set_bit(unsigned long nr, volatile unsigned long *a) { a[nr / 64] |= 1UL << (nr % 64); }
static inline void clear_bit(long nr, volatile unsigned long *a) { a[nr / 64] &= ~(1UL << (nr % 64)); }
static inline void __clear_bit(unsigned long nr, volatile unsigned long *a) { a[nr / 64] &= ~(1UL << (nr % 64)); }
static inline void change_bit(long nr, volatile unsigned long *a) { a[nr / 64] ^= 1UL << (nr % 64); }
static inline bool test_bit(unsigned long nr, const volatile unsigned long *a)
{ return 1UL & (a[nr / 64] >> (nr & 63)); }
static inline bool test_and_set_bit(long nr, volatile unsigned long *a)
{ bool old = test_bit(nr, a); set_bit(nr, a); return old; }
static inline bool __test_and_clear_bit(unsigned long nr, volatile unsigned long *a)
{ bool old = test_bit(nr, a); __clear_bit(nr, a); return old; }
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{ __builtin_memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long)); }
static inline unsigned long find_next(const unsigned long *addr, unsigned long sz, unsigned long start, unsigned long x)
{
	unsigned long idx, tmp, mask;

	if (start >= sz)
		return sz;
	mask = ~0UL << (start & 63);
	idx = start / 64;
	for (tmp = (addr[idx] ^ x) & mask; !tmp; tmp = addr[idx] ^ x) {
		if ((idx + 1) * 64 >= sz)
			return sz;
		idx++;
	}
	return idx * 64 + __builtin_ctzl(tmp) < sz ? idx * 64 + __builtin_ctzl(tmp) : sz;
}
static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx, sz = size;

	for (idx = 0; idx * 64 < sz; idx++)
		if (addr[idx]) {
			sz = idx * 64 + __builtin_ctzl(addr[idx]) < sz ? idx * 64 + __builtin_ctzl(addr[idx]) : sz;
			break;
		}
	return sz;
}
#define find_next_bit(a, s, o) find_next(a, s, o, 0)
#define find_next_zero_bit(a, s, o) find_next(a, s, o, ~0UL)
#define find_first_zero_bit(a, s) find_next(a, s, 0, ~0UL)
static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{ return find_first_bit(src, nbits) >= nbits; }
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int k, w = 0;

	for (k = 0; k < nbits / 64; k++)
		w += __builtin_popcountl(src[k]);
	if (nbits % 64)
		w += __builtin_popcountl(src[k] & (~0UL >> (-nbits & 63)));
	return w;
}
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int n)
{ while (n--) __set_bit(start++, map); }
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int n)
{ while (n--) __clear_bit(start++, map); }
#define for_each_clear_bit(bit, addr, size) \\
	for ((bit) = 0; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_set_bit(bit, addr, size) \\
	for ((bit) = 0; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
"""

# SEAMCALL-helper-like uses over edge values: saturation at SIZE_MAX (and size_sub()'s SIZE_MAX operand), argument
# conversion to size_t (a negative int), the byte order of each width (values past the width cut first), abs_diff()
# of unsigned, signed and mixed widths, bits 0, 63, 64 and past a size, an empty bitmap, a size of 0; the
# check_*_overflow() builtins with operands and results of other widths and signedness (S64_MIN * -1, a narrower
# result, an unsigned less a signed).
CODE = """\
static DECLARE_BITMAP(seen, 130);

long long f(u64 fn, struct tdx_module_args *args)
{
	u64 r = 0, x = fn;
	DECLARE_BITMAP(local, 64);
	unsigned long bit, n = 0;
	int neg = -(int)(fn & 7);
	s32 s = (s32)fn;
	u32 w32 = (u32)fn;
	u16 w16 = (u16)fn, b16 = (u16)(fn >> 3);
	s64 sm = (s64)fn, s64r;
	s32 s32r;
	u8 u8r;
	u64 u64r;
	int o;

	r = r * 1000003 + size_add(x, 5);
	r = r * 1000003 + size_add(x, SIZE_MAX - x);
	r = r * 1000003 + size_mul(x, 3);
	r = r * 1000003 + size_mul(x >> 33, x >> 31);
	r = r * 1000003 + size_sub(x, 1);
	r = r * 1000003 + size_sub(7, x);
	r = r * 1000003 + size_sub(SIZE_MAX, 0) + size_sub(0, SIZE_MAX);
	r = r * 1000003 + size_add(neg, 1) + array_size(neg, 2);
	r = r * 1000003 + array3_size(x & 0xffff, x >> 48, 0x10000);
	r = r * 1000003 + size_add(size_mul(x, 2), size_sub(x, 2));
	r = r * 1000003 + roundup(x, 8) + roundup(s, 3) + rounddown(x, 4096) + rounddown(s, 7);
	r = r * 1000003 + mult_frac(x, 3, 4) + mult_frac(s, 5, 7) + mult_frac((u32)fn, 1000, 1024);
	r = r * 1000003 + div_u64(x, 0x100000003ULL) + div_s64(sm, -3) + div64_u64(x, (x >> 32) | 1);
	r = r * 1000003 + div64_s64(sm, (s64)(fn >> 60) | 1) + div_s64(sm, 0x100000007LL);
	o = check_add_overflow(sm, (s64)0x7fffffffffffffffLL, &s64r);
	r = r * 1000003 + o * 2 + (u64)s64r;
	o = check_mul_overflow(x, x, &u64r);
	r = r * 1000003 + o * 2 + u64r;
	o = check_sub_overflow((u32)fn, 1U, &s32r);
	r = r * 1000003 + o * 2 + (u32)s32r;
	o = check_add_overflow(s, -1, &u8r);
	r = r * 1000003 + o * 2 + u8r;
	o = check_mul_overflow(sm, -1LL, &s64r);
	r = r * 1000003 + o * 2 + (u64)s64r;
	o = check_sub_overflow(x, sm, &s32r);
	r = r * 1000003 + o * 2 + (u32)s32r;
	r = r * 1000003 + cpu_to_le64(x) + le32_to_cpu(x) + le16_to_cpu(x);
	r = r * 1000003 + cpu_to_be64(x);
	r = r * 1000003 + cpu_to_be32(x) + (u64)be16_to_cpu(x) * 7;
	r = r * 1000003 + be64_to_cpu(cpu_to_be64(x)) + be32_to_cpu(cpu_to_be32(x));
	r = r * 1000003 + le64_to_cpup(&x) + le32_to_cpup(&w32) + cpu_to_le16p(&w16);
	r = r * 1000003 + be64_to_cpup(&x) + cpu_to_be32p(&w32) + be16_to_cpup(&w16);
	le64_add_cpu(&x, 0xff);
	le16_add_cpu(&w16, 0xffff);
	be32_add_cpu(&w32, 0x1000000);
	be16_add_cpu(&b16, 0x101);
	r = r * 1000003 + x + w32 + w16 + b16;
	x = fn;
	r = r * 1000003 + abs_diff(x, 63ULL) + abs_diff(s, -5) + abs_diff((u8)x, (u8)200);
	r = r * 1000003 + abs_diff((s64)x, (s64)0x7fffffffffffffffLL);
	bitmap_zero(seen, 130);
	bitmap_zero(local, 0);
	local[0] = x;
	r = r * 1000003 + bitmap_empty(seen, 130) + find_first_bit(seen, 130) * 3;
	set_bit(63, seen);
	__set_bit(64, seen);
	set_bit(fn % 130, seen);
	r = r * 1000003 + find_first_bit(seen, 130) + find_next_bit(seen, 130, 64) * 5 + find_next_bit(seen, 130, 65);
	r = r * 1000003 + find_first_bit(seen, 63) + find_first_bit(seen, 0) + find_next_bit(seen, 130, 200);
	r = r * 1000003 + find_first_zero_bit(seen, 130) + find_next_zero_bit(seen, 130, 63) * 11;
	r = r * 1000003 + test_bit(63, seen) + test_bit(62, seen) * 2 + test_bit(fn % 130, seen) * 4;
	r = r * 1000003 + test_and_set_bit(129, seen);
	r = r * 1000003 + test_and_set_bit(129, seen);
	r = r * 1000003 + __test_and_clear_bit(64, seen);
	r = r * 1000003 + __test_and_clear_bit(64, seen);
	clear_bit(63, seen);
	__clear_bit(fn % 130, seen);
	change_bit(1, seen);
	change_bit(1, seen);
	change_bit(2, seen);
	for_each_set_bit(bit, seen, 130)
		n = n * 131 + bit;
	r = r * 1000003 + n + seen[0] + seen[1] * 3 + seen[2] * 5;
	n = 0;
	for_each_set_bit(bit, local, 64)
		n += bit;
	r = r * 1000003 + n + find_first_bit(local, 64) + find_first_zero_bit(local, 64) + bitmap_empty(local, 64);
	r = r * 1000003 + bitmap_weight(local, 64) + bitmap_weight(local, fn % 65) * 100 + bitmap_weight(seen, 130) * 7;
	bitmap_set(seen, fn % 100, 30);
	r = r * 1000003 + seen[0] + seen[1] * 3 + bitmap_weight(seen, 129);
	bitmap_clear(seen, 60, fn % 70);
	r = r * 1000003 + seen[0] + seen[1] * 3 + seen[2];
	n = 0;
	for_each_clear_bit(bit, seen, 130)
		n = n * 7 + bit;
	r = r * 1000003 + n;
	return r;
}
"""

ARGS = (0, 1, 2, 63, 64, 129, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0x8000020300000043,
        0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0)


def test_the_macros_compute_what_gcc_computes_with_the_kernels_definitions(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a, budget=1_000_000) for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_the_macros_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    code = CODE.replace("long long f(u64 fn, struct tdx_module_args *args)",
                        "static long long busy(u64 fn, struct tdx_module_args *args)")
    code = code.replace("\tu64 r = 0, x = fn;", "\tu64 r = 0, x = fn = __seamcall(fn, args);", 1)
    result = header_result(tmp_path, "hm", "demo/hm.h", code, 0x8000020300000043)
    ok, big = (result.outcome("hm", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert ok.status == big.status == "ok", (ok.error, big.error)
    assert ok.ret != big.ret
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    assert source != ORIGINAL or r.raw_compared["hm"] == 2, r.raw_compared


def test_two_uses_in_one_sum_hold_objects_of_their_own() -> None:
    """size_add(a, 1) + size_add(b, 2) are two calls of the kernel's function: no order of the two is refused."""
    out = run("static DECLARE_BITMAP(m, 64);\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn "
              "size_add(fn, 1) + size_mul(fn, 2) + find_first_bit(m, 64) + find_next_bit(m, 64, 3);\n}\n")
    assert (out.status, out.ret) == ("ok", 1 + 0 + 64 + 64), out.error
