"""The string functions of include/linux/string.h the mirror models.

memset, memcpy, memmove, strlen, strnlen, strchr and memchr.

What is exact runs: clearing or copying a whole struct (the kernel's ``memset(&args, 0, sizeof(args))``), filling
or copying whole elements of an array (one inside a union's member too: ``memset(u.regs, 0, sizeof(u.regs))``),
copying between objects made of integers by their bytes as x86-64 lays them out (models.unions), the length of a
string, part of a struct by its bytes (``memset(&s.b, 0, sizeof(s) - offsetof(struct s, b))``); anything else (part
of an element, a pointer's bytes) is refused where it is called.
"""

from __future__ import annotations

from typing import Any

from models import unions
from models.clayout import layout, sizeof
from models.ctype import CHAR, Array, CType, Int, Ptr, Struct
from models.errors import CRuntimeError, UnsupportedConstruct
from models.flexarrays import fixed_part, flex_span, has_flex
from models.machine import ElemPtr, Machine, Ref, StructObj, StrVal
from models.printk import Pointer
from models.unknowns import Unknown, freed
from models.values import assign_into, copy_value, new_struct


def _unfreed(p: Any, what: str, where: str, write: bool) -> None:
    """KASAN's check of the bytes a string function reads or writes (mm/kasan/shadow.c memset(), memcpy(): the
    source's, then the destination's): memory kfree() freed is a use-after-free, a run-time error."""
    obj = p.elems[p.index] if isinstance(p, ElemPtr) and 0 <= p.index < len(p.elems) else p
    gone = freed(obj) if isinstance(obj, StructObj | list | Unknown) else None
    if gone is not None:  # each message is "is read ..." or "is written ..." (models.heap)
        said = (gone.written if write else gone.why).split(" ", 2)[2]
        raise CRuntimeError(where, f"{what} {'writes' if write else 'reads'} memory {said}")


def _whole_struct(obj: Any, size: int, what: str, where: str) -> StructObj:
    if obj is None:
        raise CRuntimeError(where, f"{what}: NULL pointer")
    if not isinstance(obj, StructObj):
        raise UnsupportedConstruct(where, f"{what} of something other than a whole struct or array elements is not "
                                          "modelled")
    whole = sizeof(obj.ctype)
    if int(size) != whole:
        raise UnsupportedConstruct(where, f"{what} of {int(size)} bytes of a {whole}-byte {obj.ctype} (part of "
                                          "an object: its layout is not modelled)")
    unions.holders(obj)  # a struct inside a union's member: the bytes it holds now
    return obj


def _elements(p: ElemPtr, size: int, what: str, where: str) -> tuple[list[Any], int, int]:
    """(the array's elements, the first, how many) ``size`` bytes from ``p`` cover: whole elements within the array
    (past its end is undefined behaviour: a run-time error)."""
    step = sizeof(p.ctype)
    n = int(size)
    if step == 0 or n % step:
        raise UnsupportedConstruct(where, f"{what} of {n} bytes of {p.label}, whose elements are {step} bytes (part "
                                          "of an element: its layout is not modelled)")
    elems = p.synced()
    if p.index + n // step > len(elems):
        raise CRuntimeError(where, f"{what} of {n} bytes from element {p.index} of {p.label}[{len(elems)}]: past the "
                                   "array (undefined behaviour)")
    return elems, p.index, n // step


def _filled(t: CType, byte: int, old: Any, where: str) -> Any:
    """An object of type ``t`` every byte of which is ``byte`` (in place for an aggregate); a pointer or _Bool of
    another byte than 0 (1 for _Bool) is refused: its value is not modelled."""
    if isinstance(t, Int) and (t.rank != 0 or byte <= 1):
        return t.wrap(int.from_bytes(bytes([byte]) * sizeof(t), "little"))
    if isinstance(t, Array) and isinstance(old, list):
        old[:] = [_filled(t.elem, byte, x, where) for x in old]
        return old
    if isinstance(t, Struct) and isinstance(old, StructObj) and (byte == 0 or unions.modelled(t)):
        return _fill_struct(old, t, byte)
    if byte == 0 and isinstance(t, Ptr):
        return None
    raise UnsupportedConstruct(where, f"memset() with the byte {byte:#x} of {t}: only 0 is modelled here (other bytes "
                                      "depend on its layout)")


def _scalar(p: Ref, size: Any, what: str, where: str) -> Int:
    """The integer a pointer to one (``&u.regs[2]``, ``&a.rcx``) points at, all of whose bytes ``size`` covers."""
    if not isinstance(p.ctype, Int) or int(size) != sizeof(p.ctype):
        raise UnsupportedConstruct(where, f"{what} of {int(size)} bytes at &{p.label} (its layout is not modelled)")
    return p.ctype


def memset(m: Machine, args: list[Any], where: str) -> Any:
    """``memset(&obj, 0, sizeof(obj))``: every member zero (NULL), as static storage starts; ``memset(arr, c, n)``:
    each of the elements the ``n`` bytes cover has every byte ``c``; so has an integer a pointer points at."""
    dst, byte = args[0], int(args[1]) & 0xFF
    if dst is not None and int(args[2]) == 0:
        return dst  # no byte written
    _unfreed(dst, "memset()", where, True)
    if isinstance(dst, ElemPtr):
        elems, first, count = _elements(dst, args[2], "memset()", where)
        for i in range(first, first + count):
            elems[i] = _filled(dst.ctype, byte, elems[i], where)
        return dst
    if isinstance(dst, StructObj) and has_flex(dst.ctype) and int(args[2]) > sizeof(dst.ctype):
        elems, first, count = flex_span(m, dst, dst.ctype, int(args[2]), "memset()", where)
        flex = dst.ctype.fields[-1][1]
        assert isinstance(flex, Array)  # has_flex()
        # the elements past the struct's bytes (and those in its tail padding, which byte 0 zeroes with the struct)
        for i in range(first if byte == 0 else 0, first + count):
            elems[i] = _filled(flex.elem, byte, elems[i], where)
        # the members before the array (its elements are filled above), bit-fields and padding as laid out there
        return _filled(dst.ctype if byte == 0 else fixed_part(dst.ctype), byte, dst, where)
    span = _span(dst, args[2], "memset()", where)
    if span is not None:
        return _fill_span(dst, span, byte, where)
    if isinstance(dst, Ref):
        dst.set(_filled(_scalar(dst, args[2], "memset()", where), byte, None, where))
        return dst
    dst = _whole_struct(dst, args[2], "memset()", where)
    assert isinstance(dst.ctype, Struct)  # a StructObj is made for a struct type only
    if byte and not unions.modelled(dst.ctype):
        raise UnsupportedConstruct(where, f"memset() with the byte {byte:#x}: only 0 is modelled "
                                          "(other bytes depend on each member's layout, and a pointer's are not)")
    return _fill_struct(dst, dst.ctype, byte)


def _fill_struct(obj: StructObj, t: Struct, byte: int) -> StructObj:
    """``obj`` (in place) with every byte ``byte``: 0 makes every member zero (NULL), as static storage starts; a
    struct or union of integers takes each member from the bytes (models.unions)."""
    if byte == 0:
        assign_into(obj, new_struct(t, zero=True))
        obj.padding = "zero"  # every byte zero, the padding's too
        return obj
    n = 8 * sizeof(t)
    unions.from_bits(t, (int.from_bytes(bytes([byte]) * (n // 8), "little"), (1 << n) - 1, 0, ""), 0, obj)
    obj.padding = None if t.union else f"fill:{byte:02x}"  # the byte there, which no member holds
    return obj


def _region(p: Any, size: Any, what: str, where: str) -> tuple[CType, Any, list[Any] | None, int]:
    """What ``size`` bytes at ``p`` are: (their type, their value, the array holding them or None, the first)."""
    if isinstance(p, ElemPtr):
        elems, first, count = _elements(p, size, what, where)
        return Array(p.ctype, count), elems[first:first + count], elems, first
    if isinstance(p, Ref):
        return _scalar(p, size, what, where), p.get(), None, 0
    obj = _whole_struct(p, size, what, where)
    return obj.ctype, obj, None, 0


def memcpy(m: Machine, args: list[Any], where: str) -> Any:
    """``memcpy(&dst, &src, sizeof(dst))`` of two structs of one type: the struct assignment; of array elements of
    one type: element by element; between objects of integers (a struct of them, a union, array elements, one
    integer) of other types: the bytes, as x86-64 lays each out (models.unions). 0 bytes copy nothing."""
    return _copy(args, where, False, m)


def memmove(m: Machine, args: list[Any], where: str) -> Any:
    """memcpy() whose source and destination may overlap (lib/string.c memmove(): the bytes as they were before)."""
    return _copy(args, where, True, m)


def _copy(args: list[Any], where: str, overlap: bool, m: Machine) -> Any:
    """memcpy() (``overlap`` False: overlapping elements are undefined behaviour) or memmove()."""
    dst, src = args[0], args[1]
    if dst is None or src is None:
        raise CRuntimeError(where, f"{'memmove' if overlap else 'memcpy'}(): NULL pointer")
    if int(args[2]) == 0:
        return dst
    what = "memmove()" if overlap else "memcpy()"
    _unfreed(src, what, where, False)
    _unfreed(dst, what, where, True)
    if isinstance(dst, StructObj) and isinstance(src, StructObj) and has_flex(dst.ctype) \
            and dst.ctype == src.ctype and int(args[2]) > sizeof(dst.ctype):
        return _copy_flex(m, dst, src, int(args[2]), what, where)
    if isinstance(src, StrVal):
        return _from_literal(dst, src, int(args[2]), where)
    dspan, sspan = _span(dst, args[2], "memcpy()", where), _span(src, args[2], "memcpy()", where)
    if dspan is not None or sspan is not None:
        return _copy_span(dst, src, dspan, sspan, int(args[2]), where)
    dt, dv, darr, dfirst = _region(dst, args[2], "memcpy()", where)
    st, sv, sarr, sfirst = _region(src, args[2], "memcpy()", where)
    if darr is not None and darr is sarr and abs(dfirst - sfirst) < len(dv):
        if dfirst == sfirst:
            return dst
        if not overlap:
            raise CRuntimeError(where, "memcpy() between overlapping elements (undefined behaviour)")
        sv = [copy_value(x) for x in sv]  # memmove(): what the source held before any of it is written
    if dv is sv and isinstance(dv, StructObj):
        return dst  # the same object: nothing changes (overlap is undefined only for distinct ones)
    if isinstance(dv, StructObj) and st == dt:
        return assign_into(dv, sv)
    if darr is not None and isinstance(dt, Array) and isinstance(st, Array) and st.elem == dt.elem:
        darr[dfirst:dfirst + len(dv)] = [_copied(d, x) for d, x in zip(dv, sv, strict=True)]
        return dst
    if not (unions.modelled(dt) and unions.modelled(st)):
        raise UnsupportedConstruct(where, f"memcpy() from {st} to {dt} is not modelled (the bytes of one are not)")
    _store(dst, dt, dv, darr, dfirst, unions.bits_of(sv, st))
    return dst


def _copy_flex(m: Machine, dst: StructObj, src: StructObj, n: int, what: str, where: str) -> StructObj:
    """``memcpy(q, p, struct_size(p, e, k))`` between two structs of one type with a flexible array member in kmalloc()
    memory: the members (and the elements in the tail padding), then the ``k`` elements past them; past either
    allocation a run-time error (KASAN), elements not in kmalloc() memory refused (models.flexarrays.flex_span)."""
    t = dst.ctype
    assert isinstance(t, Struct)  # has_flex()
    delems, first, count = flex_span(m, dst, t, n, what, where)
    selems = flex_span(m, src, t, n, what, where)[0]
    if dst is src:
        return dst  # the same object: nothing changes
    fresh = [copy_value(x) for x in selems[first:first + count]]
    assign_into(dst, src)
    delems[first:first + count] = fresh
    return dst


def _from_literal(dst: Any, src: StrVal, n: int, where: str) -> Any:
    """memcpy() of ``n`` bytes of a string literal (its NUL the last of them) into whole objects of integers (a char
    array's elements): its bytes in order; past the literal is a run-time error, into part of a struct refused."""
    data = src.data + b"\0"
    if n > len(data):
        raise CRuntimeError(where, f"memcpy() of {n} bytes from a {len(data)}-byte string literal (reading past it)")
    if _span(dst, n, "memcpy()", where) is not None:
        raise UnsupportedConstruct(where, "memcpy() of a string literal into part of a struct is not modelled")
    dt, dv, darr, dfirst = _region(dst, n, "memcpy()", where)
    if not unions.modelled(dt):
        raise UnsupportedConstruct(where, f"memcpy() to {dt} is not modelled (its bytes are not)")
    _store(dst, dt, dv, darr, dfirst, (int.from_bytes(data[:n], "little"), (1 << (8 * n)) - 1, 0, ""))
    return dst


def _store(dst: Any, dt: CType, dv: Any, darr: list[Any] | None, dfirst: int, bits: unions.Bytes) -> None:
    """The bytes ``bits`` copied into a whole object, a scalar or array elements (a _region())."""
    if isinstance(dst, Ref):
        dst.set(unions.from_bits(dt, bits, 0, None))
    elif darr is None:
        unions.from_bits(dt, bits, 0, dv)
        dv.padding = "unspecified"  # the source's bytes there, which no member holds (C11 6.2.6.1p6)
    else:
        assert isinstance(dt, Array)
        step = 8 * sizeof(dt.elem)
        for i in range(len(dv)):
            darr[dfirst + i] = unions.from_bits(dt.elem, bits, i * step, dv[i])


# Part of a struct: (the outermost struct the bytes lie in, its type, the first bit, the bit past the last).
Span = tuple[StructObj, Struct, int, int]


def _span(p: Any, size: Any, what: str, where: str) -> Span | None:
    """The bytes ``size`` bytes at ``p`` cover when they are part of a struct rather than a whole object (``&s.b``
    with a size past member b, ``&s`` with ``offsetof(struct x, c)``): in the struct holding them all, walking out
    through the structs ``p`` lies in; None where they are a whole object, an element or the array elements (the
    other paths). Past the outermost struct is undefined behaviour; past a struct that is an array's element, or one
    in a union (its members' bytes change the union's), not modelled."""
    n = int(size)
    if isinstance(p, Ref) and isinstance(p.owner, StructObj) and isinstance(p.key, str) \
            and not (isinstance(p.ctype, Int) and n == sizeof(p.ctype)):
        obj, off = p.owner, _offset(p.owner, p.key)
    elif isinstance(p, StructObj) and isinstance(p.ctype, Struct) and n != sizeof(p.ctype):
        obj, off = p, 0
    else:
        return None
    while off + n > sizeof(obj.ctype) and obj.container is not None and obj.container[0].get(obj.container[1]) is obj:
        holder, name = obj.container
        obj, off = holder, off + _offset(holder, name)
    t = obj.ctype
    assert isinstance(t, Struct)  # a StructObj is made for a struct or union type only
    if t.union or (obj.container is not None and getattr(obj.container[0].ctype, "union", False)):
        raise UnsupportedConstruct(where, f"{what} of {n} bytes at {off} of a {t} in a union, part of it (its "
                                          "bytes are the union's): not modelled")
    if off + n > sizeof(t):
        if has_flex(t):  # kmalloc() memory may hold its elements (models.flexarrays): their bytes are not modelled
            raise UnsupportedConstruct(where, f"{what} of {n} bytes at {off} of a {sizeof(t)}-byte {t}: past its "
                                              "members, into its flexible array member's elements (not modelled)")
        if obj.element_of is not None:
            raise UnsupportedConstruct(where, f"{what} of {n} bytes at {off} of a {sizeof(t)}-byte {t}: past it, "
                                              "into the array's next element (not modelled)")
        raise CRuntimeError(where, f"{what} of {n} bytes at {off} of a {sizeof(t)}-byte {t}: past the object "
                                   "(undefined behaviour)")
    unions.holders(obj)
    return obj, t, 8 * off, 8 * (off + n)


def _offset(obj: StructObj, name: str) -> int:
    """Member ``name``'s offset in bytes in ``obj``'s struct (every member of a union is at 0)."""
    t = obj.ctype
    assert isinstance(t, Struct)  # a StructObj is made for a struct or union type only
    return layout(t)[0][name][0] // 8


def _fill_span(dst: Any, span: Span, byte: int, where: str) -> Any:
    """memset() of part of a struct: every byte ``byte``, as x86-64 lays the members out; a pointer it covers
    whole becomes NULL for 0, and is refused otherwise, as is a pointer covered in part."""
    obj, t, lo, hi = span
    for name, ft, bit, width in unions.span_members(t, lo, hi):
        if not unions.modelled(ft):
            if not (byte == 0 and isinstance(ft, Ptr) and lo <= bit and bit + width <= hi):
                raise UnsupportedConstruct(where, f"memset() with the byte {byte:#x} over member '{name}' of {t} "
                                                  f"({ft}: its bytes are not modelled)")
            obj[name] = None
    fill = int.from_bytes(bytes([byte]) * ((hi - lo) // 8), "little") << lo
    unions.write_span(obj, t, (fill, ((1 << (hi - lo)) - 1) << lo, 0, ""), lo, hi)
    return dst


def _copy_span(dst: Any, src: Any, dspan: Span | None, sspan: Span | None, n: int, where: str) -> Any:
    """memcpy() where either side is part of a struct: the bytes, as x86-64 lays each out; a pointer's bytes in the
    destination are refused, in the source they copy as not known (a read of what they reach is refused)."""
    if sspan is not None:
        obj, t, lo, hi = sspan
        raw, known, opaque, why = unions.bits_of(obj, t)
        m = (1 << (hi - lo)) - 1
        bits = ((raw >> lo) & m, (known >> lo) & m, (opaque >> lo) & m, why)
    else:
        st, sv, _, _ = _region(src, n, "memcpy()", where)
        if not unions.modelled(st):
            raise UnsupportedConstruct(where, f"memcpy() from {st} is not modelled (its bytes are not)")
        bits = unions.bits_of(sv, st)
    if dspan is None:
        dt, dv, darr, dfirst = _region(dst, n, "memcpy()", where)
        if not unions.modelled(dt):
            raise UnsupportedConstruct(where, f"memcpy() to {dt} is not modelled (its bytes are not)")
        _store(dst, dt, dv, darr, dfirst, bits)
        return dst
    obj, t, lo, hi = dspan
    for name, ft, _, _ in unions.span_members(t, lo, hi):
        if not unions.modelled(ft):
            raise UnsupportedConstruct(where, f"memcpy() over member '{name}' of {t} ({ft}: its bytes are not "
                                              "modelled)")
    unions.write_span(obj, t, (bits[0] << lo, bits[1] << lo, bits[2] << lo, bits[3]), lo, hi)
    return dst


def _copied(old: Any, new: Any) -> Any:
    """An element after ``old = new``: a struct element takes the values in place (pointers to it see them)."""
    if isinstance(old, StructObj) and isinstance(new, StructObj):
        return assign_into(old, new)
    if isinstance(old, list) and isinstance(new, list):
        old[:] = [_copied(o, n) for o, n in zip(old, new, strict=True)]
        return old
    return copy_value(new)


def strlen(m: Machine, args: list[Any], where: str) -> int:
    """The bytes before the NUL of a string literal or a char array."""
    s = args[0]
    if s is None:
        raise CRuntimeError(where, "strlen(): NULL pointer")
    if isinstance(s, StrVal):
        return len(s.data.split(b"\0", 1)[0])
    if isinstance(s, list) and s and isinstance(s[0], int):  # a char array: its bytes to the NUL
        s = ElemPtr(s, 0, CHAR)
    if isinstance(s, ElemPtr) and isinstance(s.ctype, Int) and s.ctype.bits == 8:
        rest = s.synced()[s.index:]
        n = next((i for i, c in enumerate(rest) if c == 0 and isinstance(c, int)), None)
        if n is None:
            raise CRuntimeError(where, "strlen(): no NUL in the array (reading past its end)")
        if not all(isinstance(c, int) for c in rest[:n]):
            raise CRuntimeError(where, "strlen(): a byte before the NUL was never set")
        return n
    raise UnsupportedConstruct(where, "strlen() of this pointer is not modelled")


def strnlen(m: Machine, args: list[Any], where: str) -> int:
    """lib/string.c strnlen(): the bytes before the NUL, at most ``count``; no byte past those is read."""
    s, count = args[0], int(args[1]) & ((1 << 64) - 1)
    if s is None:
        raise CRuntimeError(where, "strnlen(): NULL pointer")
    if isinstance(s, StrVal):
        return min(len(s.data.split(b"\0", 1)[0]), count)
    if isinstance(s, list):  # a char array passed by name
        s = ElemPtr(s, 0, CHAR)
    if not (isinstance(s, ElemPtr) and isinstance(s.ctype, Int) and s.ctype.bits == 8):
        raise UnsupportedConstruct(where, "strnlen() of this pointer is not modelled")
    rest = s.synced()[s.index:]
    for i in range(count):
        if i >= len(rest):
            raise CRuntimeError(where, "strnlen(): no NUL in the array before its end or count (reading past it)")
        if not isinstance(rest[i], int):
            raise CRuntimeError(where, "strnlen(): a byte before the NUL was never set")
        if rest[i] == 0:
            return i
    return count


def _byte_source(s: Any, what: str, where: str) -> StrVal | ElemPtr:
    """A string literal or a pointer into an array of bytes (a char array passed by name is one), which a search
    reads byte by byte; NULL is a run-time error, anything else refused."""
    if s is None:
        raise CRuntimeError(where, f"{what}(): NULL pointer")
    if isinstance(s, list):  # a char array passed by name (models.lvalues.char_array)
        s = ElemPtr(s, 0, CHAR)
    if isinstance(s, StrVal) or (isinstance(s, ElemPtr) and isinstance(s.ctype, Int) and s.ctype.bits == 8):
        return s
    raise UnsupportedConstruct(where, f"{what}() of this pointer is not modelled (only a string literal or an array "
                                      "of bytes is)")


def _found(s: StrVal | ElemPtr, i: int) -> StrVal | ElemPtr:
    return StrVal(s.data[i:]) if isinstance(s, StrVal) else s.moved(s.index + i)


def _byte_at(s: StrVal | ElemPtr, i: int, what: str, where: str) -> int:
    """Byte ``i`` from ``s``: a string literal's NUL follows its bytes; past an array's end, or a byte never set, is
    a run-time error (undefined behaviour)."""
    if isinstance(s, StrVal):
        if i > len(s.data):
            raise CRuntimeError(where, f"{what}(): reading past the end of a string literal")
        return s.data[i] if i < len(s.data) else 0
    elems = s.synced()
    if s.index + i >= len(elems):
        raise CRuntimeError(where, f"{what}(): reading past the end of {s.label}[{len(elems)}]")
    c = elems[s.index + i]
    if not isinstance(c, int):
        raise CRuntimeError(where, f"{what}(): {s.label}[{s.index + i}] is read before it is set")
    return c & 0xFF


def strchr(m: Machine, args: list[Any], where: str) -> StrVal | ElemPtr | None:
    """lib/string.c strchr(): the first byte equal to ``(char)c``, the NUL included (strchr(s, 0) is the NUL's
    address), else NULL at the NUL; no byte past it is read."""
    s, c = _byte_source(args[0], "strchr", where), int(args[1]) & 0xFF
    i = 0
    while True:
        b = _byte_at(s, i, "strchr", where)
        if b == c:
            return _found(s, i)
        if b == 0:
            return None
        i += 1


def memchr(m: Machine, args: list[Any], where: str) -> StrVal | ElemPtr | None:
    """lib/string.c memchr(): the first of ``n`` bytes equal to ``(unsigned char)c``, else NULL; no byte past the
    one found is read (a NUL does not stop it)."""
    s, c, n = _byte_source(args[0], "memchr", where), int(args[1]) & 0xFF, int(args[2]) & ((1 << 64) - 1)
    for i in range(n):
        if _byte_at(s, i, "memchr", where) == c:
            return _found(s, i)
    return None


def chars_from(p: ElemPtr) -> bytes | Pointer:
    """The bytes a pointer into a char array points at, to the NUL; a pointer into any other array is an object's
    address, as one to a char array with no NUL or a byte never set before it."""
    if not (isinstance(p.ctype, Int) and p.ctype.bits == 8):
        return Pointer(None, "an object")
    data = bytearray()
    for c in p.synced()[p.index:]:
        if not isinstance(c, int):
            return Pointer(None, "a char array with a byte never set")
        if c == 0:
            return bytes(data)
        data.append(c & 0xFF)
    return Pointer(None, "a char array with no NUL")
