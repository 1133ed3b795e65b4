"""snprintf(), scnprintf(), sprintf() and strscpy() into a char array: lib/vsprintf.c's and lib/string.c's results."""

from __future__ import annotations

from typing import Any

from models.ctype import Int
from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import ElemPtr, Machine, StrVal
from models.printkargs import formatted

E2BIG = 7
INT_MAX = (1 << 31) - 1


def _buffer(p: Any, what: str, where: str) -> ElemPtr:
    """The char array a destination points into; NULL and anything else are not written (refused)."""
    if isinstance(p, ElemPtr) and isinstance(p.ctype, Int) and p.ctype.bits == 8:
        return p
    if p is None:
        raise UnsupportedConstruct(where, f"{what} into NULL: only a size of 0 writes nothing, which the mirror "
                                          "does not tell apart from a bug")
    raise UnsupportedConstruct(where, f"{what} into something other than a char array (memory is not modelled)")


def _store(dst: ElemPtr, data: bytes, what: str, where: str) -> None:
    """``data`` then a NUL from the pointer on; past the array's end is a run-time error (an overflow)."""
    end = dst.index + len(data) + 1
    if end > len(dst.elems):
        raise CRuntimeError(where, f"{what} writes {len(data) + 1} bytes from element {dst.index} of a "
                                   f"{len(dst.elems)}-byte array: past its end")
    t = dst.ctype
    assert isinstance(t, Int)
    elems = dst.synced()  # in a union's member: the bytes after those written are the union's
    for i, b in enumerate(data + b"\0"):
        elems[dst.index + i] = t.wrap(b)


def _size(v: Any, what: str, where: str) -> int:
    size = int(v) & ((1 << 64) - 1)  # a size_t
    if size > INT_MAX:  # vsnprintf(): WARN_ON_ONCE(size > INT_MAX) and return 0
        raise UnsupportedConstruct(where, f"{what} with a size of {size}: vsnprintf() warns and writes nothing "
                                          "(not modelled)")
    return size


def _bounded(m: Machine, args: list[Any], where: str, what: str) -> tuple[int, int]:
    """vsnprintf() into (buf, size): the would-be length and the bytes written (the NUL aside)."""
    size = _size(args[1], what, where)
    text = formatted(m, args, where, first=2)
    if size == 0:
        return len(text), 0
    kept = text[:size - 1]
    _store(_buffer(args[0], what, where), kept, what, where)
    return len(text), len(kept)


def snprintf(m: Machine, args: list[Any], where: str) -> int:
    """The length the whole text would have had, whatever the size (lib/vsprintf.c vsnprintf())."""
    return _bounded(m, args, where, "snprintf()")[0]


def scnprintf(m: Machine, args: list[Any], where: str) -> int:
    """The bytes written, the NUL aside: 0 for a size of 0 (lib/vsprintf.c vscnprintf())."""
    return _bounded(m, args, where, "scnprintf()")[1]


def sprintf(m: Machine, args: list[Any], where: str) -> int:
    """The whole text and a NUL, however long (vsnprintf() with INT_MAX); its length."""
    text = formatted(m, args, where, first=1)
    _store(_buffer(args[0], "sprintf()", where), text, "sprintf()", where)
    return len(text)


def strscpy(m: Machine, args: list[Any], where: str) -> int:
    """lib/string.c sized_strscpy(): at most size - 1 bytes and a NUL; the length copied, or -E2BIG when the
    source did not fit (or the size is 0: nothing written)."""
    size = int(args[2]) & ((1 << 64) - 1)
    if size == 0 or size > INT_MAX:
        return -E2BIG  # sized_strscpy(): count == 0 or WARN_ON_ONCE(count > INT_MAX)
    src = _source(args[1], size, where)  # it reads no further than size bytes
    fits = len(src) < size
    _store(_buffer(args[0], "strscpy()", where), src if fits else src[:size - 1], "strscpy()", where)
    return len(src) if fits else -E2BIG


def _source(s: Any, limit: int, where: str) -> bytes:
    """The bytes of a string literal or a char array to its NUL, or its first ``limit`` bytes if no NUL is in them."""
    if isinstance(s, StrVal):
        return s.data.split(b"\0", 1)[0][:limit]
    if isinstance(s, ElemPtr) and isinstance(s.ctype, Int) and s.ctype.bits == 8:
        out = bytearray()
        for c in s.synced()[s.index:s.index + limit]:
            if not isinstance(c, int):
                raise CRuntimeError(where, "strscpy(): a byte of the source was never set")
            if c == 0:
                return bytes(out)
            out.append(c & 0xFF)
        if len(out) < limit:
            raise CRuntimeError(where, "strscpy(): no NUL in the source array (reading past its end)")
        return bytes(out)
    if s is None:
        raise CRuntimeError(where, "strscpy(): NULL source")
    raise UnsupportedConstruct(where, "strscpy() from something other than a string or a char array")
