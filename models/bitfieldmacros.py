"""The prelude's typed bit-field helpers of include/linux/bitfield.h (u32_get_bits() and its kin), as macros."""

from __future__ import annotations


# include/linux/bitfield.h ____MAKE_OP(): uN_get_bits(), uN_encode_bits(), uN_replace_bits(), uNp_replace_bits(),
# inline functions taking the value and the field as uN (so converted first) and computing with field_multiplier()
# (field & -field, a u64); a field that is not contiguous is __bad_mask(), a constant value past it __field_overflow(),
# both build errors: __BF_FIELD_CHECK()'s checks of the converted operands (a field known only at run time refused)
def _typed_bitfields(bits: int) -> tuple[tuple[str, str], ...]:
    t = f"u{bits}"
    check = f'__sh_bf_check(({t})(field), ({t})0, ({t})(VAL), "{t}_WHAT: ")'
    locals_ = f"{t} __sh_bv = (VAL); u64 __sh_bm = ({t})(field), __sh_bk = __sh_bm & -__sh_bm;"
    encode = "((__sh_bv & (__sh_bm / __sh_bk)) * __sh_bk)"
    return (
        (f"{t}_get_bits(v, field)", "({ " + check.replace("VAL", "0").replace("WHAT", "get_bits") + "; "
         + locals_.replace("VAL", "v") + f" ({t})((__sh_bv & __sh_bm) / __sh_bk); }})"),
        (f"{t}_encode_bits(v, field)", "({ " + check.replace("VAL", "v").replace("WHAT", "encode_bits") + "; "
         + locals_.replace("VAL", "v") + f" ({t}){encode}; }})"),
        (f"{t}_replace_bits(old, val, field)", "({ " + check.replace("VAL", "val").replace("WHAT", "replace_bits")
         + f"; {t} __sh_bo = (old); " + locals_.replace("VAL", "val")
         + f" ({t})((__sh_bo & ~({t})__sh_bm) | ({t}){encode}); }})"),
        (f"{t}p_replace_bits(p, val, field)", "do { " + check.replace("VAL", "val").replace("WHAT", "p_replace_bits")
         + f"; {t} *__sh_bp = (p); " + locals_.replace("VAL", "val")
         + f" *__sh_bp = ({t})((*__sh_bp & ~({t})__sh_bm) | ({t}){encode}); }} while (0)"),
    )


TYPED_BITFIELDS: tuple[tuple[str, str], ...] = tuple(m for bits in (8, 16, 32, 64) for m in _typed_bitfields(bits))
