"""printk's arguments as lib/vsprintf.c formats them.

Machine values as vsnprintf() arguments, its output kept per format and typed arguments, its own WARN_ONCE()s,
pr_fmt()'s arguments and prefix (models.kernel's printers).
"""

from __future__ import annotations

import re
from typing import Any

from models import libc, unions
from models.clayout import sizeof
from models.ctype import CHAR, Int, Struct
from models.errors import CRuntimeError, UnsupportedConstruct
from models.literals import string_bytes
from models.machine import AddrPtr, ElemPtr, FuncVal, Machine, Ref, StructObj, StrVal
from models.prfmt_forms import site_prefix
from models.printk import Arg, NarrowInt, Pointer, PrintkError, PrintkUnsupported, line_format, vsnprintf, warning_site
from models.printkhex import Chars
from models.printklog import add_warn_message
from models.valistread import va_format_parts


def printk_args(values: list[Any], raw: bool = False, where: str | None = None) -> list[Arg]:
    """Machine values as vsnprintf() arguments: integers, string bytes, pointers (address when known); ``raw``: the
    bytes a pointer into an array, to a struct of integers or to an integer reaches too (a %ph in the format);
    ``where``, a call whose format has a %pV: a struct va_format's format and arguments too (_va_format)."""
    out: list[Arg] = []
    for v in values:
        if where is not None and isinstance(v, StructObj) and (vaf := _va_format(v, where)) is not None:
            out.append(vaf)
        elif isinstance(v, StrVal):
            out.append(v.data)
        elif v is None:
            out.append(Pointer(0))
        elif isinstance(v, AddrPtr):
            out.append(Pointer(v.address))
        elif isinstance(v, int):
            out.append(v)
        elif isinstance(v, list) and v and isinstance(v[0], int):  # a char array: its bytes to the NUL (past it,
            out.append(_with_raw(_array_chars(v), v, 0, CHAR, raw))  # bytes never set are not read)
        elif isinstance(v, ElemPtr):  # a pointer into an array: a char array's bytes from there to the NUL
            out.append(_with_raw(libc.chars_from(v), v.synced() if raw else v.elems, v.index, v.ctype, raw))
        elif raw and isinstance(v, StructObj | Ref):
            out.append(Pointer(None, "an object", _object_bytes(v), members=_resource(v)))
        elif isinstance(v, FuncVal):
            out.append(Pointer(None, f"the function {v.symbol}()", symbol=v.symbol) if v.symbol else
                       Pointer(None, f"the kernel's {v.name}()"))
        else:
            out.append(Pointer(None, "an object"))
    return out


def _va_format(v: StructObj, where: str) -> Pointer | None:
    """A struct va_format as %pV reads it (models.valistread.va_format_parts): a pointer holding its format's bytes and
    the arguments its va_list holds (models.printk prints them where the %pV is); None for another struct."""
    parts = va_format_parts(v, where)
    if parts is None:
        return None
    fmt = format_string(parts[0], where).data
    inner = printk_args(parts[1], _reads_bytes(fmt), where if _HAS_VA_FORMAT.search(fmt) else None)
    return Pointer(None, "a struct va_format", vaf=(fmt, tuple(inner)))


def _array_chars(v: list[Any]) -> bytes | Pointer:
    data = bytearray()
    for c in v:
        if not isinstance(c, int):
            return Pointer(None, "an object")
        if c & 0xFF == 0:
            return bytes(data)
        data.append(c & 0xFF)
    return Pointer(None, "a char array with no NUL")


def _with_raw(arg: bytes | Pointer, elems: list[Any], index: int, ctype: Any, raw: bool) -> Arg:
    """A char array's or a pointer's argument with the bytes from element ``index`` on, where %ph reads them."""
    if not raw:
        return arg
    data = _element_bytes(elems, index, ctype)
    return Chars(arg, data) if isinstance(arg, bytes) else Pointer(arg.address, arg.what, data)


def _element_bytes(elems: list[Any], index: int, ctype: Any) -> bytes | None:
    """The bytes of integer elements from ``index``, little-endian, up to the first never set; None for others."""
    if not isinstance(ctype, Int):
        return None
    size, data = sizeof(ctype), bytearray()
    for e in elems[index:]:
        if not isinstance(e, int):
            break
        data += (e & ((1 << 8 * size) - 1)).to_bytes(size, "little")
    return bytes(data)


def _resource(v: StructObj | Ref) -> tuple[tuple[str, int], ...]:
    """The integer members of a struct resource (include/linux/ioport.h), which %pR and %pr read by name."""
    t = v.ctype
    if not isinstance(v, StructObj) or not isinstance(t, Struct) or t.union or t.tag != "resource":
        return ()
    return tuple([(name, v[name]) for name, ft in t.fields if isinstance(ft, Int) and isinstance(v.get(name), int)])


def _object_bytes(v: StructObj | Ref) -> bytes | None:
    """The bytes of an integer, or of a struct or union of integers, as x86-64 lays it out, up to the first unknown."""
    if isinstance(v, Ref):
        return _element_bytes([v.get()], 0, v.ctype)
    if not unions.modelled(v.ctype):
        return None
    value, known, _, _ = unions.bits_of(v, v.ctype)
    data = bytearray()
    for i in range(sizeof(v.ctype)):
        if (known >> 8 * i) & 0xFF != 0xFF:
            break
        data.append((value >> 8 * i) & 0xFF)
    return bytes(data)


def format_string(v: Any, where: str) -> StrVal:
    """printk()'s format: a string literal, or the bytes to the NUL of a char array it is handed (``static const
    char fmt[] = KERN_ERR pr_fmt("...")``; printk(fmt, ...)), as vsnprintf() reads them."""
    if isinstance(v, StrVal):
        return v
    data = libc.chars_from(v) if isinstance(v, ElemPtr) else \
        _array_chars(v) if isinstance(v, list) and v and isinstance(v[0], int) else None
    if not isinstance(data, bytes):
        raise UnsupportedConstruct(where, "a printk format that is not a string literal")
    return StrVal(data)


def formatted(m: Machine, args: list[Any], where: str, first: int = 0, prefix: bytes = b"") -> bytes:
    """vsnprintf() of the format ``args[first]`` after ``prefix`` (a pr_fmt prefix: part of the format): a string
    literal or a char array's bytes to its NUL (format_string; WARN(c, fmt, ...) and snprintf(buf, n, fmt, ...) of a
    ``static const char fmt[]`` as printk(fmt, ...))."""
    return formatted_line(m, args, where, first, prefix)[0]


def formatted_line(m: Machine, args: list[Any], where: str, first: int = 0, prefix: bytes = b""
                   ) -> tuple[bytes, bytes, bool]:
    """formatted(), and the format its text follows (``prefix`` and the format; models.printk.line_format where a
    %pV printed a struct va_format), and whether a %pV put such a format in (its conversions then read the
    va_format's arguments, none of the call's): what a log line records as its source (models.printkstore)."""
    fmt = format_string(args[first], where)
    # a %ph, %pa, %pM, %pI4 and others may read bytes past a string's NUL, or of an object a pointer points at
    hexes = _reads_bytes(fmt.data) or (bool(prefix) and _reads_bytes(prefix))
    vaf = _HAS_VA_FORMAT.search(fmt.data) is not None or _HAS_VA_FORMAT.search(prefix) is not None
    values = printk_args(args[first + 1 :], hexes, where if vaf else None)
    # an int and a NarrowInt print apart; so do two char arrays of one string but other bytes past it (%ph)
    key = (prefix + fmt.data, tuple([(type(v), v, v.raw) if v.__class__ is Chars else (type(v), v) for v in values])
           if hexes else tuple([(type(v), v) for v in values]))
    known = None if vaf else _FORMATTED.get(key)  # a %pV's arguments are inside its Pointer, their types unkeyed
    if known is None:
        try:
            out = vsnprintf(key[0], values)
        except PrintkUnsupported as exc:
            raise UnsupportedConstruct(where, f"printk: {exc}") from exc
        except PrintkError as exc:
            raise CRuntimeError(where, f"printk: {exc}") from exc
        if len(_FORMATTED) >= _FORMATTED_MAX:
            _FORMATTED.clear()
        known = _FORMATTED[key] = (out.text, tuple(out.warnings))
    for warning in known[1]:
        vsprintf_warning(m, warning, where)
    line = line_format(key[0], values) if vaf else key[0]  # vsnprintf() ran it: no PrintkError left
    return known[0], line, vaf and line != key[0]


def _reads_bytes(fmt: bytes) -> bool:
    """Whether a format may hold a %ph, %pa, %pM, %pm, %pI, %pi, %pU, %pNF, %pE, %pb, %pR or %pr, which read the
    bytes (%pR: the members) a pointer points at (a cheap over-estimate, worked out once per format: a run prints
    the same few again and again)."""
    known = _READS_BYTES.get(fmt)
    if known is None:
        if len(_READS_BYTES) >= _FORMATTED_MAX:
            _READS_BYTES.clear()
        known = _READS_BYTES[fmt] = _BYTE_READERS.search(fmt) is not None
    return known


_READS_BYTES: dict[bytes, bool] = {}
# A %pV (what format_decode() reads before 'p', as _BYTE_READERS): a struct va_format's format printed there.
_HAS_VA_FORMAT = re.compile(rb"%[-+ #0-9*.hlLHzjt]*pV")
# '%', what format_decode() reads before the conversion (flags, width, precision, a qualifier), 'p' and the letter
# (a format it misses has no bytes to print: refused, never printed wrong)
_BYTE_READERS = re.compile(rb"%[-+ #0-9*.hlLHzjt]*p[haMmIiUNEbRr]")


# vsnprintf() is a function of the format and the arguments with their types: what it made of them, kept for the
# runs that print the same again (most of a matrix's runs repeat their messages).
_FORMATTED: dict[tuple[bytes, tuple[tuple[Any, ...], ...]], tuple[bytes, tuple[str, ...]]] = {}
_FORMATTED_MAX = 4096


def forget_formatted() -> None:
    """Drop the kept vsnprintf() results (models.mirror.clear_caches)."""
    _FORMATTED.clear()


def vsprintf_warning(m: Machine, warning: str, where: str) -> None:
    """A WARN_ONCE() inside lib/vsprintf.c: once per run and site, its message a record of its own. It fires in
    vprintk_store()'s first vsnprintf(), so it is printed before the record being formatted, which then starts
    afresh (a pr_cont() continues nothing: the WARN's lines came between)."""
    site = warning_site(warning)
    if not m.once.get(site):
        m.once[site] = 1
        add_warn_message(m.log, warning)
        m.log_open = 0
        m.event("warning", warning, where)


def pr_fmt_arg(m: Machine, name: str, where: str) -> Any:
    """What a name pr_fmt() passes is at the call: ``__func__`` the running function's name, ``__LINE__`` an int,
    the call's line (gcc: the line of the macro's name, which is where the call is)."""
    if name == "__LINE__":
        return NarrowInt(int(where.rpartition(":")[2] or 0))
    return StrVal(m.function.encode())


def pr_fmt_literal(m: Machine, text: str, where: str) -> StrVal:
    """A string literal holding pr_fmt() marks (models.literals.PR_FMT_MARK): each is the prefix of the pr_fmt in
    force at ``where``, as the preprocessor expands an explicit ``printk(KERN_ERR pr_fmt(fmt), ...)`` there
    (include/linux/printk.h); adjacent literals, a KERN_<LEVEL> among them, are already joined around it."""
    return StrVal(string_bytes(text, site_prefix(m.pr_fmt, where, m.unit)))
