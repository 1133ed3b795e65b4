"""Unions as gcc lays them out on x86-64: every member at offset 0, sharing little-endian bytes.

A union object is a StructObj holding a value for each member, kept coherent: writing an integer member sets
its bytes and every other member is read back from them (``u.full = r; u.lo`` is the low 32 bits of ``r``;
``u.b = 0xff; u.sb`` is -1), as gcc, which allows type punning through unions (gcc manual,
"-fstrict-aliasing"), computes it. A member made of integers only (a struct, an array, a union of them, nested
as deep as they go: ``union { struct { u32 lo; u32 hi; }; u64 full; }``) has bytes too, laid out as
models.ctype lays it out (natural alignment; padding is never written): it changes in place (``u.w.hi = 1``, or
through a pointer to one of its members), so each read of a member first looks for a member whose value is no
longer the one its bytes gave it, and takes the union's bytes from it. Bytes never written are unset (reading
them is the C read of an indeterminate value); bytes of a member whose representation the mirror does not
model (a pointer), or past the member an initializer sets (C11 6.7.9p10 leaves them
unspecified), make every member that overlaps them ``Unknown``: a read of it is refused, never guessed.
"""

from __future__ import annotations

from typing import Any

from models.clayout import layout, sizeof
from models.ctype import Array, CType, Int, Struct, is_anonymous
from models.machine import StructObj
from models.values import UNINIT, Unknown, new_value

# (the bytes as an integer, bit i set when bit i is known, bit i set when bit i holds what is not modelled, why):
# bits, not bytes, for bit-fields.
Bytes = tuple[int, int, int, str]


def _mask(nbits: int, off: int = 0) -> int:
    return ((1 << nbits) - 1) << off


def modelled(t: CType) -> bool:
    """Whether a member's bytes are modelled: an integer, or a struct, union or array of them (bit-fields too)."""
    if isinstance(t, Int):
        return True
    if isinstance(t, Array):
        return t.length is not None and modelled(t.elem)
    return isinstance(t, Struct) and all(modelled(ft) for _, ft in t.fields)


def _places(t: Struct) -> list[tuple[str, CType, int, int]]:
    """(name, type, offset in bits, width in bits) of each member (models.clayout.layout)."""
    where = layout(t)[0]
    return [(name, ft, where[name][0], where[name][1] or 8 * sizeof(ft)) for name, ft in t.fields]


def _width(t: Struct, name: str, ft: CType) -> int:
    return layout(t)[0][name][1] or 8 * sizeof(ft)


def _encode(v: Any, t: CType, off: int, why: str, nbits: int = 0) -> Bytes:
    """A value's bits at bit ``off`` (``nbits`` wide: a bit-field's): what is unset stays unknown; what is not
    modelled is opaque."""
    n = nbits or 8 * sizeof(t)
    if isinstance(t, Int):
        if isinstance(v, int):
            return (v & _mask(n)) << off, _mask(n, off), 0, ""
        return (0, 0, _mask(n, off), v.why) if isinstance(v, Unknown) else (0, 0, 0, "")
    parts: list[Bytes] = []
    if isinstance(t, Struct) and t.union and modelled(t) and isinstance(v, StructObj):
        sync(v, t)  # a nested union's bytes: those its members last left (what gcc reads)
        raw, known, opaque, why = _state(v, t, set())
        return raw << off, known << off, opaque << off, why
    if isinstance(t, Struct) and modelled(t) and isinstance(v, StructObj):
        parts = [_encode(v[name], ft, off + bit, why, width) for name, ft, bit, width in _places(t)]
    elif isinstance(t, Array) and modelled(t) and isinstance(v, list):
        parts = [_encode(x, t.elem, off + i * 8 * sizeof(t.elem), why) for i, x in enumerate(v)]
    else:
        return 0, 0, _mask(n, off), why
    raw = known = opaque = 0
    for r, k, o, w in parts:
        raw, known, opaque, why = raw | r, known | k, opaque | o, w or why
    padding = _mask(n, off) & ~_leaf_bits(t, off) if isinstance(v, StructObj) and v.padding else 0
    if padding and v.padding == "zero":
        known |= padding
    elif padding and v.padding.startswith("fill:"):  # memset() of the whole struct with that byte
        raw |= int.from_bytes(bytes([int(v.padding[5:], 16)]) * ((off + n) // 8), "little") & padding
        known |= padding
    elif padding:
        opaque |= padding
        why = why if opaque & ~padding else f"a struct assignment to '{t}' left its padding bytes unspecified"
    return raw, known, opaque, why


def _leaf_bits(t: CType, off: int) -> int:
    """The bits the integers of a struct or array of them occupy at ``off`` (its padding is the rest)."""
    bits = 0
    if isinstance(t, Struct):
        for _, ft, bit, width in _places(t):  # a union's members overlap: or, not sum
            bits |= _mask(width, off + bit) if isinstance(ft, Int) else _leaf_bits(ft, off + bit)
        return bits
    if isinstance(t, Array):
        for i in range(t.length or 0):
            bits |= _leaf_bits(t.elem, off + i * 8 * sizeof(t.elem))
        return bits
    return _mask(8 * sizeof(t), off)


def _decode(t: CType, state: Bytes, off: int, old: Any, nbits: int = 0) -> Any:
    """The value of type ``t`` the bits at ``off`` hold (into ``old`` in place when it is such an object: a
    pointer to one of its members sees the value)."""
    raw, known, opaque, why = state
    n = nbits or 8 * sizeof(t)
    if isinstance(t, Int):
        m = _mask(n, off)
        bits = (raw >> off) & _mask(n)
        if opaque & m:
            return Unknown(why)
        if known & m != m:
            return UNINIT
        if t.rank == 0 and bits > 1:
            return Unknown(f"a _Bool holding the byte {bits:#x} (not 0 or 1) has no defined value")
        return t.wrap(bits)
    if isinstance(t, Struct) and t.union and modelled(t):
        obj = old if isinstance(old, StructObj) else new_value(t, False)
        _spread(obj, t, "", (raw >> off & _mask(n), known >> off & _mask(n), opaque >> off & _mask(n), why))
        return obj
    if isinstance(t, Struct) and modelled(t):
        obj = old if isinstance(old, StructObj) else new_value(t, False)
        obj.padding = None  # its padding is the union's bytes again
        for name, ft, bit, width in _places(t):
            obj[name] = _decode(ft, state, off + bit, obj[name], width)
        return obj
    if isinstance(t, Array) and modelled(t):
        arr = old if isinstance(old, list) and len(old) == t.length else new_value(t, False)
        for i in range(len(arr)):
            arr[i] = _decode(t.elem, state, off + i * 8 * sizeof(t.elem), arr[i])
        return arr
    return Unknown(why or f"the bytes of {t} are not modelled")


def _state(o: StructObj, t: Struct, changed: set[str]) -> Bytes:
    """The union's bytes as last spread; never written since made: every member zero (static storage, memset)
    or every one unset, as a member that did not change says."""
    if o.union_bytes is not None:
        return o.union_bytes
    for name, ft, _, width in _places(t):
        if name not in changed and modelled(ft):
            _, known, _, _ = _encode(o[name], ft, 0, "", width)
            return (0, _mask(8 * sizeof(t)), 0, "") if known == _mask(width) else (0, 0, 0, "")
    return 0, 0, 0, ""


def _merge(state: Bytes, member: Bytes, nbits: int, in_place: bool = False) -> Bytes:
    """The union's bits after a member ``nbits`` wide is stored: its bits; those past it stay (gcc's). A member
    changed in place (``u.p.a = 7``) stores only the bits it holds: its padding keeps the union's."""
    m = member[1] | member[2] if in_place else _mask(nbits)
    return ((state[0] & ~m) | member[0], (state[1] & ~m) | member[1], (state[2] & ~m) | member[2],
            member[3] or state[3])


def _shown(name: str) -> str:
    return "an anonymous struct or union" if is_anonymous(name) else f"'{name}'"


def _spread(o: StructObj, t: Struct, written: str, state: Bytes) -> None:
    """Every member but ``written`` read back from the union's bytes; what each member now holds noted."""
    o.union_bytes = state
    for name, ft, _, width in _places(t):
        if name != written:
            o[name] = _decode(ft, state, 0, o[name], width)
    o.union_seen = {name: _encode(o[name], ft, 0, "") for name, ft in t.fields if not isinstance(ft, Int)}


def _changed(o: StructObj, t: Struct) -> set[str]:
    """The struct or array members whose value changed in place since the bytes were last spread."""
    seen = o.union_seen or {}
    out = set()
    for name, ft in t.fields:
        if isinstance(ft, Int) or not modelled(ft):
            continue
        now = _encode(o[name], ft, 0, "")
        if name in seen:
            if now != seen[name]:
                out.add(name)
        elif now not in (_encode(new_value(ft, z), ft, 0, "") for z in (True, False)):
            out.add(name)
    return out


def sync(o: StructObj, t: Struct) -> None:
    """Take the union's bytes from the member that changed in place (``u.w.hi = 1``) since they were spread;
    when two did, which changed last is not known: every other member is then not known."""
    changed = _changed(o, t)
    if changed and len(changed | o.union_escaped) > 1:
        # A member reached through a pointer to a struct or array in it may have been written after another
        # member changed, with the bytes it held: only a pointer to a scalar in a member passes by the union.
        changed = changed | o.union_escaped
    if len(changed) == 1:
        (name,) = changed
        ft = t.field(name)
        assert ft is not None
        _spread(o, t, name, _merge(_state(o, t, changed), _encode(o[name], ft, 0, ""), 8 * sizeof(ft), True))
    elif changed:
        why = (f"members {', '.join(_shown(n) for n in sorted(changed))} all changed in place (through pointers "
               "to them?): which one was last is not known")
        state = (0, 0, _mask(8 * sizeof(t)), why)
        for name, ft, _, width in _places(t):  # in place: a pointer into a member reads the unknown too
            o[name] = _decode(ft, state, 0, o[name], width) if modelled(ft) else Unknown(why)
        settle(o, t, why)


def holders(o: StructObj) -> None:
    """sync() the unions ``o`` lies in, outermost first (``o`` reached through a pointer, ``&u.s.in``: a member
    of theirs may have changed in place since, which gcc's reads through the pointer see)."""
    chain: list[StructObj] = []
    inner = o
    while inner.container is not None and len(chain) < 64:
        holder, name = inner.container
        if holder.get(name) is not inner:  # no longer its member (models.machine.StructObj.container)
            break
        chain.append(holder)
        inner = holder
    for holder in reversed(chain):
        if isinstance(holder.ctype, Struct) and holder.ctype.union:
            sync(holder, holder.ctype)


def sync_all(v: Any, t: CType) -> None:
    """sync() every union ``v`` holds, itself or as a member or element, as deep as they go: the values a run
    leaves (models.mirror.changed_state) are those its members' bytes give."""
    if isinstance(t, Struct) and isinstance(v, StructObj):
        if t.union:
            sync(v, t)
        for name, ft in t.fields:
            sync_all(v.get(name), ft)
    elif isinstance(t, Array) and isinstance(v, list) and isinstance(t.elem, Struct | Array):
        for x in v:
            sync_all(x, t.elem)


def escape(o: StructObj, t: Struct, field: str, array: bool = True) -> None:
    """A pointer to a struct or array in member ``field`` is taken (``&u.w``, ``u.bytes`` as a pointer): writes
    through a pointer into an array change the member without the union seeing when (sync()); what is reached
    through a pointer to a struct or union takes the bytes of the unions it lies in first (holders())."""
    touch_member(o, t, field)
    if array:
        o.union_escaped = o.union_escaped | {field}
    ft, v = t.field(field), o.get(field)
    if isinstance(v, Unknown) and isinstance(ft, Struct | Array):
        # taking its address reads nothing (C11 6.5.3.2): an object to point at, whose scalars say why they are
        # not known where read; what is written through the pointer is read back
        o[field] = opaque(ft, v)


def opaque(t: CType, u: Unknown) -> Any:
    """An object of type ``t`` whose every scalar is ``u``; a union in it counts as not changed since (settle())."""
    if isinstance(t, Struct):
        obj = StructObj(t, {name: opaque(ft, u) for name, ft in t.fields})
        if t.union:
            settle(obj, t, u.why)
        return obj
    if isinstance(t, Array):
        return [opaque(t.elem, u) for _ in range(t.length or 0)]
    return u


def read_member(o: StructObj, t: Struct, field: str) -> Any:
    """``u.field``'s value, the union's bytes taken first from a member changed in place."""
    holders(o)
    sync(o, t)
    return o[field]


def write_member(o: StructObj, t: Struct, field: str, ft: Any, v: Any) -> None:
    """``u.field = v`` (``v`` already of the member's type): the other members see the bytes it leaves."""
    holders(o)
    sync(o, t)
    if not modelled(ft):
        touch_member(o, t, field)
        o[field] = v
        return
    o[field] = v
    width = _width(t, field, ft)
    _spread(o, t, field, _merge(_state(o, t, set()), _encode(v, ft, 0, "", width), width))


def touch_member(o: StructObj, t: Struct, field: str) -> None:
    """A struct, array or pointer member is read, written or changed in place (``u.s.x = 1``): it first holds
    what the union's bytes give it. One whose bytes are not modelled leaves every other member unknown."""
    holders(o)
    sync(o, t)
    ft = t.field(field)
    if ft is not None and modelled(ft):
        if o.union_seen is None:  # each member as it now is (none changed since made): what a change is told from
            o.union_seen = {name: _encode(o[name], ft_, 0, "") for name, ft_ in t.fields if not isinstance(ft_, Int)}
        return
    why = f"'{field}' was used last and its bytes are not modelled"
    state = (0, 0, _mask(8 * sizeof(t)), why)
    for name, ft_, _, width in _places(t):  # in place: a pointer into a member reads the unknown too
        if name != field:
            o[name] = _decode(ft_, state, 0, o[name], width) if modelled(ft_) else Unknown(why)
    # each member as it now is counts as not changed since (settle()): the next sync() does not take an unknown one
    # for a member changed in place, which would leave ``field`` itself unknown
    o.union_bytes = (0, 0, _mask(8 * sizeof(t)), why)
    o.union_seen = {name: _encode(o[name], ft, 0, "") for name, ft in t.fields if not isinstance(ft, Int)}


def settle(o: StructObj, t: Struct, why: str) -> None:
    """A union whose members were each given a value of their own (models.lifetimes: an object whose lifetime ended):
    its bytes are what is not modelled, and no member counts as changed since, so each reads as it was left."""
    o.union_bytes = (0, 0, _mask(8 * sizeof(t)), why)
    o.union_seen = {name: _encode(o[name], ft, 0, "") for name, ft in t.fields if not isinstance(ft, Int)}


def initialized(o: StructObj, t: Struct, field: str, ft: Any, v: Any) -> StructObj:
    """A union after ``= { .field = v }``: that member set, the bytes past it unspecified (C11 6.7.9p10)."""
    if not modelled(ft):
        touch_member(o, t, field)
        o[field] = v
        return o
    width = _width(t, field, ft)
    raw, known, _, _ = _encode(v, ft, 0, "", width)
    o[field] = v
    _spread(o, t, field, (raw, known, _mask(8 * sizeof(t)) & ~_mask(width), f"its bytes past '{field}' are not "
                                                                             "modelled"))
    return o


def bits_of(v: Any, t: CType) -> Bytes:
    """The bits of an object of a modelled type as x86-64 lays them out (what memcpy() copies): unset bits unknown,
    padding as its struct left it."""
    return _encode(v, t, 0, "")


def from_bits(t: CType, state: Bytes, off: int, old: Any) -> Any:
    """The value of type ``t`` the bits at bit ``off`` of ``state`` hold, into ``old`` in place when it is an object."""
    return _decode(t, state, off, old)


def span_members(t: Struct, lo: int, hi: int) -> list[tuple[str, CType, int, int]]:
    """(name, type, offset in bits, width in bits) of each member of struct ``t`` bits ``lo`` to ``hi`` overlap."""
    return [(name, ft, bit, width) for name, ft, bit, width in _places(t) if bit < hi and lo < bit + width]


def write_span(o: StructObj, t: Struct, data: Bytes, lo: int, hi: int) -> None:
    """Bits ``lo`` to ``hi`` of struct ``o`` (not a union) replaced by those of ``data`` (memset() or memcpy() of part
    of it): each member of integers they overlap read back from the struct's new bytes, in place; the others as they
    were (the caller sees to those whose bytes are not modelled). Padding they cover holds bytes no member says:
    zero stays zero, anything else is not known."""
    raw, known, opaque, why = bits_of(o, t)
    m = _mask(hi - lo, lo)
    state = ((raw & ~m) | (data[0] & m), (known & ~m) | (data[1] & m), (opaque & ~m) | (data[2] & m), data[3] or why)
    for name, ft, bit, width in span_members(t, lo, hi):
        if modelled(ft):
            o[name] = _decode(ft, state, bit, o[name], width)
    padding = m & ~_leaf_bits(t, 0)
    if padding:
        o.padding = _padding_after(o.padding, data, padding, _mask(8 * sizeof(t)) & ~_leaf_bits(t, 0))


def _padding_after(old: str | None, data: Bytes, written: int, every: int) -> str:
    """What a struct's padding holds once ``data`` was written over its bits ``written`` of ``every`` padding bit:
    one byte in all of them (``zero``, ``fill:XX``) when the bytes written are that byte and cover all the padding or
    the rest held it already; else not known."""
    raw, known = data[0] & written, data[1] & written
    values = {(raw >> i) & 0xFF for i in range(0, written.bit_length(), 8) if (written >> i) & 0xFF}
    if known != written or len(values) != 1:
        return "unspecified"
    (byte,) = values
    name = "zero" if byte == 0 else f"fill:{byte:02x}"
    return name if written == every or old == name else "unspecified"
