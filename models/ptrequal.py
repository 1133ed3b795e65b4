"""Pointer equality (C11 6.5.9p6), and objects that begin at one address (6.7.2.1p15-16).

A struct and its first member, a union and each of its members, an array and its first element, and what begins those in
turn.
"""

from __future__ import annotations

from typing import Any

from models.clayout import layout, sizeof
from models.ctype import VOID, Array, CType, Struct
from models.errors import UnsupportedConstruct
from models.machine import AddrPtr, ElemPtr, FuncVal, Ref, StructObj, StrVal, UnsizedArray

Identity = tuple[str, int, object]


def identity(p: Any) -> Identity | None:
    """Which object a pointer value points to, as far as the mirror keeps it: a struct (its object), an element of
    an array (the array's list, the index), a member reached by ``&s.m`` (its struct's object, the member), a named
    scalar by ``&x`` (its storage, the frame's or the globals', and its slot); None for anything else (a pointer
    converted to another type, a primitive's: which object it names is not kept)."""
    if p.__class__ is list:
        return ("elem", id(p), 0)
    if p.__class__ is ElemPtr:
        return ("elem", id(p.elems), p.index)
    if isinstance(p, StructObj):
        return ("obj", id(p), None)
    if isinstance(p, Ref) and p.owner is not None:
        return ("member", id(p.owner), p.key)
    return None


def beginning(p: Any) -> set[Identity]:
    """Every object that begins where ``p`` points: itself, a struct's members at offset 0 (the first; a union's
    every one), an array's element 0, and what begins each of those."""
    out: set[Identity] = set()
    todo = [p]
    while todo:
        x = todo.pop()
        ident = identity(x)
        if ident is None or ident in out:
            continue
        out.add(ident)
        elems, index = (x, 0) if x.__class__ is list else (x.elems, x.index) if x.__class__ is ElemPtr else ([], 0)
        if index < len(elems):
            todo.append(elems[index])
        elif isinstance(x, Ref) and isinstance(x.owner, StructObj) and isinstance(x.key, str) and x.key in x.owner \
                and _holds_object(x.owner.ctype, x.key):
            todo.append(x.owner[x.key])  # &s.arr: the array, which its element 0 begins
        elif isinstance(x, StructObj) and isinstance(x.ctype, Struct):
            for name in _at_zero(x.ctype):
                out.add(("member", id(x), name))
                if name in x and _holds_object(x.ctype, name):
                    todo.append(x[name])
    return out


def _holds_object(t: CType, name: str) -> bool:
    """Whether member ``name``'s value is the object at the member's place (a struct or array member), not what the
    member points at (a pointer member's value is its target, which begins elsewhere: ``h.p = &o``, ``&h != &o``)."""
    return isinstance(t, Struct) and isinstance(t.field(name), Struct | Array)


def _at_zero(t: Struct) -> list[str]:
    """The members of ``t`` at offset 0 that are not bit-fields (no pointer reaches those)."""
    try:
        where = layout(t)[0]
    except UnsupportedConstruct:
        return []  # a layout the mirror does not know: no member is said to begin it
    return [name for name, (bits, width) in where.items() if bits == 0 and width is None]


def _top(p: Any) -> Any:
    """The outermost struct or union ``p`` begins, climbing members at offset 0 (``&u.a.lo``, ``a`` a struct member
    of the union ``u``: ``u``) as far as each still is its holder's member; else ``p``."""
    while True:
        if isinstance(p, Ref) and isinstance(p.owner, StructObj) and isinstance(p.owner.ctype, Struct) \
                and p.key in _at_zero(p.owner.ctype):
            p = p.owner
        elif isinstance(p, StructObj) and p.container is not None and _begins(p, *p.container):
            p = p.container[0]
        else:
            return p


def _begins(inner: StructObj, holder: StructObj, name: str) -> bool:
    """Whether ``inner`` is still ``holder``'s member ``name`` (not copied out or replaced) and at its offset 0."""
    return holder.get(name) is inner and isinstance(holder.ctype, Struct) and name in _at_zero(holder.ctype)


def one_address(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` point to objects known to begin at one address (False: not known to): one begins
    the other, or what a member at offset 0 begins (its struct, a union) begins the other too."""
    ia, ib = identity(a), identity(b)
    if ia is None or ib is None:
        return False
    return ia == ib or ia in beginning(_top(b)) or ib in beginning(_top(a))


def same_pointer(a: Any, b: Any, where: str) -> bool:
    """``a == b`` for two pointer values."""
    if a is None or b is None:
        return a is b
    ua, ub = (x.elems if x.__class__ is ElemPtr else x for x in (a, b))
    if isinstance(ua, UnsizedArray) or isinstance(ub, UnsizedArray):
        return _unsized_equal(a, b, ua, ub)
    if isinstance(a, AddrPtr) != isinstance(b, AddrPtr):
        # An object is never NULL, never in the error range and never in the first page; any other
        # address could be the object's own, which the mirror does not know.
        made = a if isinstance(a, AddrPtr) else b
        if made.is_error or made.address < 4096:
            return False
        raise UnsupportedConstruct(where, f"comparing the address {made.address:#x} with an object's address")
    if a is b or one_address(a, b):  # an object and what begins it (its first member, element 0) too
        return True
    placed = _by_place(a, b)
    if placed is not None:
        return placed
    if a.__class__ is ElemPtr or b.__class__ is ElemPtr:
        return _same_element(a, b, where)
    if isinstance(a, StructObj | list) or isinstance(b, StructObj | list):
        return False  # a struct or array is its object: two are two, however alike their members (a dict, a list)
    if isinstance(a, Ref) and isinstance(b, Ref) and (
            (identity(a) is not None and identity(b) is not None) or (_named(a) and b.place is not None)
            or (_named(b) and a.place is not None)):
        return False  # two named scalars, or one and a member of something, not one address (one_address): two objects
    if isinstance(a, Ref) or isinstance(b, Ref):
        # A pointer to a scalar made otherwise (a converted pointer, a primitive's): which object it names is not kept.
        raise UnsupportedConstruct(where, f"comparing pointers to {a.label if isinstance(a, Ref) else b.label}: "
                                          "whether two pointers to scalars name one object is not modelled")
    return bool(a == b)


def _unsized_equal(a: Any, b: Any, ua: Any, ub: Any) -> bool:
    """``a == b`` where one points into an array of unknown length (models.machine.UnsizedArray, its list ``ua`` or
    ``ub``): the same element of that one array, not any other object (C11 6.5.9p6); an element past the first, whose
    place against the array's end is not known, refused."""
    if isinstance(ua, UnsizedArray) and isinstance(ub, UnsizedArray) and ua.slot == ub.slot:
        ia, ib = (x.index if x.__class__ is ElemPtr else 0 for x in (a, b))
        return ia == ib
    for x, u in ((a, ua), (b, ub)):
        if isinstance(u, UnsizedArray) and x.__class__ is ElemPtr and x.index:
            raise UnsupportedConstruct(u.where, u.why)
    return False


def _named(p: Any) -> bool:
    """Whether ``p`` points to a named scalar (``&x``, a compound literal's): an object of its own, never inside
    another (models.lvalues gives it its storage as owner, which no struct is)."""
    return isinstance(p, Ref) and p.owner is not None and not isinstance(p.owner, StructObj)


def _same_element(a: Any, b: Any, where: str) -> bool:
    """``a == b`` where one is a pointer into an array: the same element of the same array (an array's own value,
    its list, is its element 0); against anything else (a struct or scalar, which may be that element or hold the
    array at its start) refused."""
    a, b = (ElemPtr(x, 0, VOID) if x.__class__ is list else x for x in (a, b))
    if a.__class__ is ElemPtr and b.__class__ is ElemPtr:
        if a.elems is b.elems:
            return bool(a.index == b.index)
        if a.index == len(a.elems) or b.index == len(b.elems):
            # C11 6.5.9p6: one past the end of an array equals the start of an array that follows it in memory
            # ('&m[0][3] == m[1]' of u8 m[2][3] is 1 to gcc); where gcc places two arrays is not modelled.
            raise UnsupportedConstruct(where, "comparing a pointer one past the end of an array with a pointer into "
                                              "another array (equal where that array follows it in memory)")
        return False
    if isinstance(a, StrVal | FuncVal) or isinstance(b, StrVal | FuncVal) or _named(a) or _named(b):
        return False  # a string literal, a function or a named scalar is no array and no element of one
    if _apart(*((a, b) if a.__class__ is ElemPtr else (b, a))):
        return False
    raise UnsupportedConstruct(where, "comparing a pointer into an array with a pointer to another object (which "
                                      "may be one of its elements, or begin with it) is not modelled")


def _apart(elem: ElemPtr, other: Any) -> bool:
    """Whether ``elem`` (an element of its array, not one past the end) and ``other`` (a struct, or a member of one)
    are surely two objects (C11 6.5.9p6: ``(void *)arr == (void *)&gs`` is 0): ``other``'s whole outermost struct
    neither holds the array (then their offsets decide) nor is, or lies in, one of its elements."""
    where = place(other)
    if elem.index >= len(elem.elems) or where is None or not where[2]:
        return False
    top = where[0]
    try:
        return _inside(top, elem.elems) is None and not any(
            isinstance(x, StructObj) and (x is top or _inside(x, top) is not None) for x in elem.elems)
    except _TooMany:
        return False


Place = tuple[StructObj, int, bool]
_SEARCH = 65_536  # objects looked at for one inside another before giving up (refused)


def place(p: Any) -> Place | None:
    """Where ``p`` points: the outermost struct or union it is known to lie in (climbing members still held), the
    offset in bytes, and whether that object is a whole one (no member its holder has since replaced); None where
    the mirror does not know (a named scalar, a pointer into an array that is no member)."""
    if isinstance(p, Ref) and p.place is not None:
        obj, off = p.place
    elif isinstance(p, Ref) and isinstance(p.owner, StructObj) and isinstance(p.key, str):
        at = _offset(p.owner.ctype, p.key)
        if at is None:
            return None
        obj, off = p.owner, at
    elif isinstance(p, StructObj):
        obj, off = p, 0
    else:
        return None
    while obj.container is not None:
        holder, name = obj.container
        at = _offset(holder.ctype, name)
        if holder.get(name) is not obj or at is None:
            return obj, off, False
        obj, off = holder, off + at
    return obj, off, True


def _offset(t: CType, name: str) -> int | None:
    """The byte offset of member ``name`` in struct or union ``t`` (a union's every member 0); None where not known."""
    try:
        where = layout(t)[0] if isinstance(t, Struct) else {}
    except UnsupportedConstruct:
        return None
    bits, width = where.get(name, (None, None))
    return bits // 8 if bits is not None and width is None and bits % 8 == 0 else None


class _TooMany(Exception):
    pass


def _inside(outer: StructObj, inner: object) -> int | None:
    """The offset of ``inner`` in ``outer``, found among its struct and array members (never through a pointer)."""
    todo: list[tuple[Any, CType, int]] = [(outer, outer.ctype, 0)]
    for _ in range(_SEARCH):
        if not todo:
            return None
        v, t, off = todo.pop()
        if v is inner:
            return off
        if isinstance(t, Struct) and isinstance(v, StructObj):
            for name, ft in t.fields:
                at = _offset(t, name) if isinstance(ft, Struct | Array) else None
                if at is not None:
                    todo.append((v.get(name), ft, off + at))
        elif isinstance(t, Array) and isinstance(v, list) and isinstance(t.elem, Struct | Array):
            size = sizeof(t.elem)
            todo.extend((x, t.elem, off + i * size) for i, x in enumerate(v))
    raise _TooMany


def _by_place(a: Any, b: Any) -> bool | None:
    """``a == b`` by where each lies in the object holding both (``&u.w.hi == &u.h[1]``: offset 4 of the union
    ``u``, C11 6.7.2.1p16, 6.5.9p6); False for two whole objects neither holds; None where not known."""
    pa, pb = place(a), place(b)
    if pa is None or pb is None:
        return None
    (ra, oa, whole_a), (rb, ob, whole_b) = pa, pb
    if ra is rb:
        return oa == ob
    try:
        at = _inside(ra, rb)
        if at is not None:
            return oa == at + ob
        at = _inside(rb, ra)
    except _TooMany:
        return None
    if at is not None:
        return ob == at + oa
    return False if whole_a and whole_b else None
