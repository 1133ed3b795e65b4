"""The string functions of include/linux/string.h the mirror models: memset, memcpy and strlen on whole objects.

Objects have no bytes in the mirror, so only what is exact without a memory layout runs: clearing or copying a
whole struct (the kernel's ``memset(&args, 0, sizeof(args))``) and the length of a string; anything else
(part of an object, a fill byte other than 0) is refused where it is called.
"""

from __future__ import annotations

from typing import Any

from models.ctype import CHAR, Int, Struct, sizeof
from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import ElemPtr, Machine, StructObj, StrVal
from models.printk import Pointer
from models.values import assign_into, new_struct


def _whole_struct(obj: Any, size: int, what: str, where: str) -> StructObj:
    if obj is None:
        raise CRuntimeError(where, f"{what}: NULL pointer")
    if not isinstance(obj, StructObj):
        raise UnsupportedConstruct(where, f"{what} of something other than a whole struct is not modelled")
    whole = sizeof(obj.ctype)
    if int(size) != whole:
        raise UnsupportedConstruct(where, f"{what} of {int(size)} bytes of a {whole}-byte {obj.ctype} (part of "
                                          "an object: its layout is not modelled)")
    return obj


def memset(m: Machine, args: list[Any], where: str) -> Any:
    """``memset(&obj, 0, sizeof(obj))``: every member zero (NULL), as static storage starts."""
    dst = _whole_struct(args[0], args[2], "memset()", where)
    if int(args[1]) & 0xFF:
        raise UnsupportedConstruct(where, f"memset() with the byte {int(args[1]) & 0xFF:#x}: only 0 is modelled "
                                          "(other bytes depend on each member's layout)")
    assert isinstance(dst.ctype, Struct)  # a StructObj is made for a struct type only
    assign_into(dst, new_struct(dst.ctype, zero=True))
    dst.padding = "zero"  # every byte zero, the padding's too
    return dst


def memcpy(m: Machine, args: list[Any], where: str) -> Any:
    """``memcpy(&dst, &src, sizeof(dst))`` of two structs of one type: the struct assignment."""
    dst = _whole_struct(args[0], args[2], "memcpy()", where)
    src = _whole_struct(args[1], args[2], "memcpy()", where)
    if src.ctype != dst.ctype:
        raise UnsupportedConstruct(where, f"memcpy() from {src.ctype} to {dst.ctype} is not modelled")
    if src is dst:
        return dst  # the same object: nothing changes (overlap is undefined only for distinct ones)
    return assign_into(dst, src)


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
