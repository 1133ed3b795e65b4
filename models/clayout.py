"""Sizes, alignments and struct layouts as gcc lays them out on x86-64 (System V ABI, LP64): sizeof, offsetof.

Of the types of models.ctype: a struct's members (a bit-field where the last one ended unless it crosses its declared
type's alignment), refused where a #pragma pack outside what is known could change them (PARTIAL), or where a struct
is never defined (incomplete()).
"""

from __future__ import annotations

from models.ctype import Array, CType, Func, Incomplete, Int, Ptr, Struct, is_anonymous
from models.errors import UnsupportedConstruct


def alignof(t: CType) -> int:
    if isinstance(t, Incomplete):
        raise incomplete(t)
    if isinstance(t, Struct):
        align = layout(t)[2]
        if t.partial and align > 1:  # packed, it would be 1: where it lies in a struct, and that struct's size
            raise UnsupportedConstruct(t.partial, f"{t.name()}: its alignment: {PARTIAL}")
        return align
    if isinstance(t, Array):
        return alignof(t.elem)
    return sizeof(t)


def sizeof(t: CType) -> int:
    """Size in bytes on x86-64, with the natural alignment padding of structs."""
    if isinstance(t, Int):
        # A bit-field of 33 to 63 bits (u64 pa : 40) in an expression is as large as its 64-bit declared type, one of
        # 65 to 127 as its 128-bit one.
        return 8 if 32 < t.bits < 64 else 16 if 64 < t.bits < 128 else max(1, t.bits // 8)
    if isinstance(t, Ptr | Func):
        return 8
    if isinstance(t, Struct):
        return layout(t)[1]
    if isinstance(t, Array):
        return sizeof(t.elem) * (t.length or 0)
    if isinstance(t, Incomplete):
        raise incomplete(t)
    return 1


def incomplete(t: Incomplete, where: str = "", need: str = "its size") -> UnsupportedConstruct:
    """Why ``need`` of a struct never defined is refused (at ``where``, else where it is declared)."""
    return UnsupportedConstruct(where or t.at, f"{t.name()} is used but never defined{t.why} ({need} needs its "
                                               "definition)")


def _items(t: Struct) -> tuple[tuple[str | None, CType, int | None], ...]:
    return t.decl or tuple((n, ft, None) for n, ft in t.fields)


# layout() per struct type, by identity (hashing a frozen struct type walks all its members: too slow here).
_LAYOUTS: dict[int, tuple[Struct, tuple[dict[str, tuple[int, int | None]], int, int]]] = {}


def layout(t: Struct) -> tuple[dict[str, tuple[int, int | None]], int, int]:
    """Where x86-64 System V puts each member: _layout(), worked out once per type object."""
    got = _LAYOUTS.get(id(t))
    if got is None or got[0] is not t:
        if len(_LAYOUTS) > 65536:
            _LAYOUTS.clear()
        got = _LAYOUTS[id(t)] = (t, _layout(t))
    if t.partial and not t.packed and _may_pack(t, got[1][1]):
        raise UnsupportedConstruct(t.partial, f"{t.name()}: {PARTIAL}")
    return got[1]


PARTIAL = "defined in a file known only in part: a #pragma pack outside what is known may change its layout"


def is_bit_field(t: Struct, name: str) -> bool:
    """Whether member ``name`` of ``t`` is a bit-field, from its declaration (no layout asked)."""
    return any(n == name and w is not None for n, _, w in t.decl)


def _may_pack(t: Struct, size: int) -> bool:
    """Whether a #pragma pack could lay ``t`` out otherwise: it has bit-fields or padding. Without them every member
    is where packing puts it too, and the size is the same (only the alignment changes: alignof())."""
    if t.decl:
        return True
    bits = [sizeof(ft) for _, ft in t.fields]
    return size != (max(bits, default=0) if t.union else sum(bits))


def _layout(t: Struct) -> tuple[dict[str, tuple[int, int | None]], int, int]:
    """Where x86-64 System V puts each member (by name: its offset in bits, its width when a bit-field), the
    struct's size and alignment in bytes. A bit-field goes where the last one ended unless it would cross a
    boundary of its declared type's alignment, where it starts instead (a zero-width one moves there); a named
    bit-field aligns the struct as its declared type does (gcc's PCC_BITFIELD_TYPE_MATTERS). Packed, every member
    is aligned to a byte, a bit-field to nothing (it goes where the last ended), and the struct to 1 byte."""
    where: dict[str, tuple[int, int | None]] = {}
    pos = end = 0
    align = 1
    for name, ft, width in _items(t):
        unit = 8 if t.packed else 8 * alignof(ft)
        if width is not None:
            start = 0 if t.union else pos
            if not t.packed and (width == 0 or start // unit != (start + width - 1) // unit):
                start = -(-start // unit) * unit
            if name is not None:
                where[name] = (start, width)
                align = max(align, unit // 8)
            pos, end = start + width, max(end, start + width)
            continue
        start = 0 if t.union else -(-pos // unit) * unit
        if name is not None:
            where[name] = (start, None)
        align = max(align, unit // 8)
        pos = start + 8 * sizeof(ft)
        end = max(end, pos)
    size = -(-end // 8)
    return where, -(-size // align) * align, align


def field_offset(t: Struct, name: str) -> tuple[int, CType] | None:
    """offsetof(): the byte offset and type of a member, with natural alignment (x86-64 System V)."""
    places = layout(t)[0]
    for field_name, ft in t.fields:
        bit, width = places[field_name]
        if field_name == name:
            return (bit // 8, ft) if width is None else None  # offsetof() of a bit-field: gcc refuses it
        inner = field_offset(ft, name) if is_anonymous(field_name) and isinstance(ft, Struct) else None
        if inner is not None:  # a member of an anonymous struct or union member (C11 6.7.2.1p13)
            return bit // 8 + inner[0], inner[1]
    return None
