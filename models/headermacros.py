"""The prelude's byte-order, overflow, math, bitmap and static call macros, as the kernel defines them.

Byte order, size overflow, math.h/math64.h, bitmap and static call macros.
"""

from __future__ import annotations


def _unique(head: str, body: str, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``head`` as a macro handing a __UNIQUE_ID() for each of the locals ``names`` of ``body`` to a helper macro:
    two uses in one expression (``size_add(a, 1) + size_add(b, 2)``) hold objects of different names, as two calls of
    the kernel's function hold their own (the way include/linux/minmax.h names its locals)."""
    name, params = head[:-1].split("(", 1)
    ids = ", ".join(f"__UNIQUE_ID({n.removeprefix('__sh_')}_)" for n in names)
    return ((head, f"__sh_{name}({params}, {ids})"), (f"__sh_{name}({params}, {', '.join(names)})", body))


# include/uapi/linux/byteorder/little_endian.h (x86 is little-endian) and include/linux/byteorder/generic.h: to and
# from little-endian is a cast to the type (__force is sparse's: nothing to gcc), to and from big-endian swaps the
# bytes of the value converted to the width first; include/uapi/linux/swab.h __swabN() is gcc's __builtin_bswapN()
# (compiler-gcc.h defines __HAVE_BUILTIN_BSWAPN__) converted to __uN.
# The types are spelled as the typedefs __uN, __leN and __beN name them (include/uapi/asm-generic/int-ll64.h,
# include/uapi/linux/types.h), one type each: a program gets only the typedefs its own code names.
_UN = {16: "unsigned short", 32: "unsigned int", 64: "unsigned long long"}
_BYTEORDER: tuple[tuple[str, str], ...] = (
    *((f"__swab{n}(x)", f"(({_UN[n]})__builtin_bswap{n}(({_UN[n]})(x)))") for n in (16, 32, 64)),
    *(pair for n in (16, 32, 64) for pair in (
        (f"cpu_to_le{n}(x)", f"(({_UN[n]})({_UN[n]})(x))"),
        (f"le{n}_to_cpu(x)", f"(({_UN[n]})({_UN[n]})(x))"),
        (f"cpu_to_be{n}(x)", f"(({_UN[n]})__swab{n}((x)))"),
        (f"be{n}_to_cpu(x)", f"__swab{n}(({_UN[n]})({_UN[n]})(x))"),
    )),
    # the pointer forms are inline functions of a const __leN * / __beN * (a pointer of another type: gcc's
    # incompatible-pointer-types error); leN_add_cpu(var, val) stores cpu_to_leN(leN_to_cpu(*var) + val), the sum
    # cut to the width
    *(pair for n in (16, 32, 64) for end, swab in (("le", ""), ("be", f"__swab{n}")) for pair in (
        *_unique(f"{end}{n}_to_cpup(p)", f"({{ const {_UN[n]} *bp = (p); {swab}(*bp); }})", ("bp",)),
        *_unique(f"cpu_to_{end}{n}p(p)", f"({{ const {_UN[n]} *bp = (p); {swab}(*bp); }})", ("bp",)),
        *_unique(f"{end}{n}_add_cpu(var, val)", f"({{ {_UN[n]} *bv = (var); {_UN[n]} ba = (val); "
                 f"*bv = {swab}(({_UN[n]})({swab}(*bv) + ba)); (void)0; }})", ("bv", "ba")),
    )),
)


# include/linux/overflow.h: size_mul(), size_add() and size_sub() are inline functions of two size_t parameters (the
# arguments converted first, each evaluated once) saturating at SIZE_MAX (include/linux/limits.h); size_sub() also
# keeps a SIZE_MAX operand; array_size() and array3_size() are size_mul()s.
_SIZE = "({ size_t sa = (a), sb = (b), sr; (CHECK) ? SIZE_MAX : sr; })"
_OVERFLOW: tuple[tuple[str, str], ...] = (
    ("SIZE_MAX", "(~(size_t)0)"),
    *_unique("size_mul(a, b)", _SIZE.replace("CHECK", "check_mul_overflow(sa, sb, &sr)"), ("sa", "sb", "sr")),
    *_unique("size_add(a, b)", _SIZE.replace("CHECK", "check_add_overflow(sa, sb, &sr)"), ("sa", "sb", "sr")),
    *_unique("size_sub(a, b)", _SIZE.replace("CHECK", "sa == SIZE_MAX || sb == SIZE_MAX || "
                                             "check_sub_overflow(sa, sb, &sr)"), ("sa", "sb", "sr")),
    ("array_size(a, b)", "size_mul(a, b)"),
    ("array3_size(a, b, c)", "size_mul(size_mul(a, b), c)"),
    # flex_array_size() and struct_size(): for a count that is an integer constant expression (__is_constexpr()) plain
    # size_t arithmetic, which wraps; for any other, size_mul() and size_add(), which saturate at SIZE_MAX
    ("flex_array_size(p, member, count)", "__builtin_choose_expr(__sh_is_constexpr(count), "
                                          "(count) * sizeof(*(p)->member) + __sh_must_be_array((p)->member), "
                                          "size_mul(count, sizeof(*(p)->member) + __sh_must_be_array((p)->member)))"),
    ("struct_size(p, member, count)", "__builtin_choose_expr(__sh_is_constexpr(count), "
                                      "sizeof(*(p)) + flex_array_size(p, member, count), "
                                      "size_add(sizeof(*(p)), flex_array_size(p, member, count)))"),
    ("struct_size_t(type, member, count)", "struct_size((type *)NULL, member, count)"),
    # include/linux/math.h: each operand once, in a variable of its own type; the larger less the smaller, in the
    # type the subtraction of the two has. The kernel's (void)(&__a == &__b) is a type check alone (gcc warns of
    # operands of two types), evaluated to nothing: left out.
    *_unique("abs_diff(a, b)", "({ typeof(a) da = (a); typeof(b) db = (b); da > db ? (da - db) : (db - da); })",
             ("da", "db")),
    # include/linux/math.h: roundup() with y once, in its own type; rounddown() with x once; mult_frac() as
    # x / d * n + x % d * n / d in x's type, each operand once
    *_unique("roundup(x, y)", "({ typeof(y) ry = (y); (((x) + (ry - 1)) / ry) * ry; })", ("ry",)),
    *_unique("rounddown(x, y)", "({ typeof(x) rx = (x); rx - (rx % (y)); })", ("rx",)),
    *_unique("mult_frac(x, n, d)", "({ typeof(x) mx = (x); typeof(n) mn = (n); typeof(d) md = (d); "
                                   "typeof(mx) mq = mx / md; typeof(mx) mr = mx % md; mq * mn + mr * mn / md; })",
             ("mx", "mn", "md", "mq", "mr")),
    # include/linux/math64.h (64-bit): inline functions whose parameters convert the operands (div_u64()'s divisor a
    # u32, div_s64()'s an s32), the quotient C's / gives
    # include/asm-generic/div64.h (x86-64 includes it): do_div(n, base) divides the u64 lvalue n in place by the
    # u32 base and gives the remainder, a u32; n is evaluated twice, as the kernel's macro does
    *_unique("do_div(n, base)", "({ u32 qb = (base), qr; qr = ((u64)(n)) % qb; (n) = ((u64)(n)) / qb; qr; })",
             ("qb", "qr")),
    *(m for name, top, bottom in (("div_u64", "u64", "u32"), ("div_s64", "s64", "s32"), ("div64_u64", "u64", "u64"),
                                  ("div64_s64", "s64", "s64"))
      for m in _unique(f"{name}(dividend, divisor)", f"({{ {top} dd = (dividend); {bottom} dv = (divisor); "
                       f"({top})(dd / dv); }})", ("dd", "dv"))),
)

# include/linux/bitops.h, bits.h, types.h, bitmap.h, find.h and asm-generic/bitops/generic-non-atomic.h: a bitmap is an
# array of unsigned long; bit nr is bit nr % 64 of word nr / 64. One task on one CPU: the atomic (set_bit) and the
# non-atomic (__set_bit) forms do the same. The test_and_ forms give the bit before as a bool. find_first_bit() and
# find_next_bit() give the first set bit below size (from offset), else size (lib/find_bit.c: a set bit past size
# in the last word is not found); bitmap_zero() clears whole words (BITS_TO_LONGS(nbits) of them).
_BIT_OP = ("({ unsigned long bn = (nr); unsigned long *bw = (addr) + BIT_WORD(bn); unsigned long bm = BIT_MASK(bn); "
           "bool bo = (*bw & bm) != 0; OP; RESULT; })")


def _bit_op(head: str, op: str, result: str = "(void)0") -> tuple[tuple[str, str], ...]:
    return _unique(head, _BIT_OP.replace("OP", op).replace("RESULT", result), ("bn", "bw", "bm", "bo"))


# lib/find_bit.c FIND_NEXT_BIT(): the word holding offset with the bits below it masked off, then each next word
# while it is empty and below size; the first bit of the one found, at most size.
_FIND = ("({ const unsigned long *fa = (addr); unsigned long fs = (size), fo = (START), fw = 0; "
         "if (fo < fs) { fw = (INVERT fa[BIT_WORD(fo)]) & (~0UL << (fo % BITS_PER_LONG)); "
         "while (!fw && (BIT_WORD(fo) + 1) * BITS_PER_LONG < fs) { fo = (BIT_WORD(fo) + 1) * BITS_PER_LONG; "
         "fw = INVERT fa[BIT_WORD(fo)]; } } "
         "fw && BIT_WORD(fo) * BITS_PER_LONG + __ffs(fw) < fs ? BIT_WORD(fo) * BITS_PER_LONG + __ffs(fw) : fs; })")


def _find(head: str, start: str, invert: str) -> tuple[tuple[str, str], ...]:
    return _unique(head, _FIND.replace("START", start).replace("INVERT ", invert), ("fa", "fs", "fo", "fw"))


_BITMAP: tuple[tuple[str, str], ...] = (
    ("BIT_WORD(nr)", "((nr) / BITS_PER_LONG)"),
    ("BIT_MASK(nr)", "(_UL(1) << ((nr) % BITS_PER_LONG))"),  # UL(1): vdso/const.h's _UL(1)
    ("BITS_TO_LONGS(nr)", "(((nr) + BITS_PER_TYPE(long) - 1) / BITS_PER_TYPE(long))"),
    ("DECLARE_BITMAP(name, bits)", "unsigned long name[BITS_TO_LONGS(bits)]"),
    *(m for p in ("", "__") for m in (
        *_bit_op(f"{p}set_bit(nr, addr)", "*bw |= bm"),
        *_bit_op(f"{p}clear_bit(nr, addr)", "*bw &= ~bm"),
        *_bit_op(f"{p}change_bit(nr, addr)", "*bw ^= bm"),
        *_bit_op(f"{p}test_and_set_bit(nr, addr)", "*bw |= bm", "bo"),
        *_bit_op(f"{p}test_and_clear_bit(nr, addr)", "*bw &= ~bm", "bo"))),
    *_unique("test_bit(nr, addr)", "({ unsigned long tn = (nr); const unsigned long *ta = (addr); "
                                   "(bool)(1UL & (ta[BIT_WORD(tn)] >> (tn & (BITS_PER_LONG - 1)))); })", ("tn", "ta")),
    *_unique("bitmap_zero(dst, nbits)", "({ unsigned long *zd = (dst); unsigned int zn = (nbits); unsigned long zi; "
                                        "for (zi = 0; zi < BITS_TO_LONGS(zn); zi++) zd[zi] = 0; (void)0; })",
             ("zd", "zn", "zi")),
    *_find("find_first_bit(addr, size)", "0", ""),
    *_find("find_first_zero_bit(addr, size)", "0", "~"),
    *_find("find_next_bit(addr, size, offset)", "(offset)", ""),
    *_find("find_next_zero_bit(addr, size, offset)", "(offset)", "~"),
    *_unique("bitmap_empty(src, nbits)", "({ unsigned int en = (nbits); find_first_bit(src, en) >= en; })", ("en",)),
    ("for_each_set_bit(bit, addr, size)",
     "for ((bit) = 0; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)"),
    ("for_each_clear_bit(bit, addr, size)",
     "for ((bit) = 0; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)"),
    # lib/bitmap.c __bitmap_weight(): the bits set below nbits, an unsigned int; bitmap_set() and bitmap_clear() set
    # or clear bits start to start + nbits - 1 (unsigned int operands)
    ("BITMAP_LAST_WORD_MASK(nbits)", "(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))"),
    *_unique("bitmap_weight(src, nbits)", "({ const unsigned long *wa = (src); unsigned int wn = (nbits), wk, ww = 0; "
                                          "for (wk = 0; wk < wn / BITS_PER_LONG; wk++) ww += hweight_long(wa[wk]); "
                                          "if (wn % BITS_PER_LONG) ww += hweight_long(wa[wk] & "
                                          "BITMAP_LAST_WORD_MASK(wn)); ww; })", ("wa", "wn", "wk", "ww")),
    *(m for name, op in (("bitmap_set", "|= BIT_MASK(ss)"), ("bitmap_clear", "&= ~BIT_MASK(ss)")) for m in _unique(
        f"{name}(map, start, nbits)", "({ unsigned long *sm = (map); unsigned int ss = (start), sn = (nbits); "
        f"for (; sn; sn--, ss++) sm[BIT_WORD(ss)] {op}; (void)0; }})", ("sm", "ss", "sn"))),
    # include/linux/bitmap.h: bitmap_fill() and bitmap_copy() write whole words (memset()/memcpy() of
    # BITS_TO_LONGS(nbits) longs: the last word's bits past nbits are set or copied too), as bitmap_or() does
    # (lib/bitmap.c __bitmap_or()); bitmap_and() masks the last word (BITMAP_LAST_WORD_MASK) and gives whether any
    # bit is left, a bool (__bitmap_and()). Each small_const_nbits() shortcut gives the same words.
    *_unique("bitmap_fill(dst, nbits)", "({ unsigned long *ld = (dst); unsigned int ln = (nbits), lk; "
                                        "for (lk = 0; lk < BITS_TO_LONGS(ln); lk++) ld[lk] = ~0UL; (void)0; })",
             ("ld", "ln", "lk")),
    *_unique("bitmap_copy(dst, src, nbits)", "({ unsigned long *cd = (dst); const unsigned long *cs = (src); "
                                             "unsigned int cn = (nbits), ck; "
                                             "for (ck = 0; ck < BITS_TO_LONGS(cn); ck++) cd[ck] = cs[ck]; (void)0; })",
             ("cd", "cs", "cn", "ck")),
    *_unique("bitmap_or(dst, src1, src2, nbits)", "({ unsigned long *od = (dst); const unsigned long *o1 = (src1), "
                                                  "*o2 = (src2); unsigned int on = (nbits), ok; "
                                                  "for (ok = 0; ok < BITS_TO_LONGS(on); ok++) "
                                                  "od[ok] = o1[ok] | o2[ok]; (void)0; })",
             ("od", "o1", "o2", "on", "ok")),
    *_unique("bitmap_and(dst, src1, src2, nbits)", "({ unsigned long *ad = (dst); const unsigned long *a1 = (src1), "
                                                   "*a2 = (src2); unsigned int an = (nbits), ak; unsigned long ar = 0; "
                                                   "for (ak = 0; ak < an / BITS_PER_LONG; ak++) "
                                                   "ar |= (ad[ak] = a1[ak] & a2[ak]); if (an % BITS_PER_LONG) "
                                                   "ar |= (ad[ak] = a1[ak] & a2[ak] & BITMAP_LAST_WORD_MASK(an)); "
                                                   "(bool)(ar != 0); })", ("ad", "a1", "a2", "an", "ak", "ar")),
)

# include/linux/static_call.h: a static call is a call of its key's current target, which DEFINE_STATIC_CALL() sets and
# static_call_update() changes (x86 patches the call site; one task sees the sequential order); the key is a pointer of
# the target's type here. A NULL target (DEFINE_STATIC_CALL_NULL()) called is refused, as a call through NULL is
# (x86 returns what rax holds), but by static_call_cond(), whose NULL target does nothing (a void call: its arguments
# are evaluated, as the generic __static_call_cond()'s nop is called with them); DEFINE_STATIC_CALL_RET0() sets the
# target __static_call_return0(), which gives 0 (the primitives __sh_sc_nop and __sh_sc_ret0).
_STATIC_CALL: tuple[tuple[str, str], ...] = (
    ("DEFINE_STATIC_CALL(name, func)", "typeof(func) *__sh_sc_##name = func"),
    ("DEFINE_STATIC_CALL_NULL(name, func)", "typeof(func) *__sh_sc_##name = NULL"),
    ("DEFINE_STATIC_CALL_RET0(name, func)", "typeof(func) *__sh_sc_##name = (typeof(func) *)__sh_sc_ret0"),
    ("__static_call_return0", "__sh_sc_ret0"),
    ("static_call_cond(name)", "(void)(__sh_sc_##name ?: (typeof(__sh_sc_##name))__sh_sc_nop)"),
    ("DECLARE_STATIC_CALL(name, func)", "extern typeof(func) *__sh_sc_##name"),
    ("static_call(name)", "(*__sh_sc_##name)"),
    ("static_call_query(name)", "(__sh_sc_##name)"),
    ("static_call_update(name, func)", "({ __sh_sc_##name = (func); (void)0; })"),
)

HEADER_MACROS: tuple[tuple[str, str], ...] = (*_BYTEORDER, *_OVERFLOW, *_BITMAP, *_STATIC_CALL)

# include/vdso/limits.h and include/linux/limits.h: the limits the prelude had not yet (U8_MAX .. ULONG_MAX and
# SIZE_MAX are older lines), each of the type the kernel's definition gives it (S8_MIN an s8, SHRT_MIN a short,
# LLONG_MIN a long long: -LLONG_MAX - 1, no constant too large for its type).
LIMITS: tuple[tuple[str, str], ...] = (
    ("USHRT_MAX", "((unsigned short)~0U)"),
    ("SHRT_MAX", "((short)(USHRT_MAX >> 1))"),
    ("SHRT_MIN", "((short)(-SHRT_MAX - 1))"),
    ("LONG_MIN", "(-LONG_MAX - 1)"),
    ("LLONG_MAX", "((long long)(~0ULL >> 1))"),
    ("LLONG_MIN", "(-LLONG_MAX - 1)"),
    ("ULLONG_MAX", "(~0ULL)"),
    ("UINTPTR_MAX", "ULONG_MAX"),
    ("SSIZE_MAX", "((ssize_t)(SIZE_MAX >> 1))"),
    ("PHYS_ADDR_MAX", "(~(u64)0)"),  # ~(phys_addr_t)0: phys_addr_t is u64 (models.typesh), the same type
    ("S8_MAX", "((s8)(U8_MAX >> 1))"),
    ("S8_MIN", "((s8)(-S8_MAX - 1))"),
    ("S16_MAX", "((s16)(U16_MAX >> 1))"),
    ("S16_MIN", "((s16)(-S16_MAX - 1))"),
    ("U32_MIN", "((u32)0)"),
    ("S32_MIN", "((s32)(-S32_MAX - 1))"),
    ("S64_MIN", "((s64)(-S64_MAX - 1))"),
)
