"""The native harness's printk records formatted as the kernel formats them, light enough for the child to import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from models.errors import MirrorError, UnsupportedConstruct
from models.lazyre import lazy
from models.prfmt_forms import site_format, site_prefix
from models.prfmt_site import resolve_site_marks
from models.printk import Arg, NarrowInt, Pointer, PrintkError, vsnprintf
from models.printklog import level_prefix, printk_level, stored_length, text_of

# What the generated C marks, and the child reads back; here, not in the modules that write them (codegen,
# owncopies), so that the child (models/native/child.py, a process per cross-checked build) imports none of the
# mirror: its start-up was most of a small build's native run.
SITE_FUNCTION = "\x1f"  # in a pr_*_at() site: "file:line", this, the C name of the function the call is in
COPY_SUFFIX = "__sh_copy"  # a file's own copy of a static function: its name, this and a number (models.owncopies)


def unescape(s: str) -> bytes:
    """The harness's escaped bytes (``\\xNN`` for a backslash, control and non-ASCII bytes) as bytes."""
    out, i = bytearray(), 0
    while i < len(s):
        if s.startswith("\\x", i):
            out.append(int(s[i + 2 : i + 4], 16))
            i += 4
        else:
            out += s[i].encode("ascii", errors="replace")
            i += 1
    return bytes(out)


_OWN_COPY = lazy(re.escape(COPY_SUFFIX) + r"\d+$")


def _args(fields: list[str], pr_fmt: str) -> list[Arg]:
    out: list[Arg] = []
    rest = iter(fields)
    for f in rest:
        kind, value = f[:2], f[2:]
        if kind == "V:":  # %pV: a struct va_format's format, its arguments, then "v:" (sh_native.c put_va_format_arg)
            out.append(Pointer(None, "a struct va_format", vaf=(_resolved(unescape(value), pr_fmt),
                                                                tuple(_args(_inner(rest), pr_fmt)))))
            continue
        if kind == "h:":  # %*ph: the address and the bytes it reads (sh_native.c put_hex_arg)
            address, _, data = value.partition(":")
            out.append(Pointer(int(address), data=_hex_record(data)))
            continue
        if kind == "f:":  # %ps: the function the build's symbol table has there (sh_native.c put_symbol_arg), as
            # the C names it (the generated C gives a file's own copy of a static function a name of its own)
            name = _OWN_COPY().sub("", unescape(value).decode("utf-8", errors="replace"))
            out.append(Pointer(None, f"the function {name}()", symbol=name))
            continue
        out.append(int(value) if kind == "i:" else Pointer(int(value)) if kind == "p:" else
                   _resolved(unescape(value), pr_fmt))
    return out


def _inner(rest: Iterator[str]) -> list[str]:
    """The fields of a %pV record up to its closing "v:" (taken from ``rest``), those of a %pV inside it whole."""
    out: list[str] = []
    depth = 0
    for f in rest:
        if f == "v:" and not depth:
            return out
        depth += (f[:2] == "V:") - (f == "v:")
        out.append(f)
    return out


# The most bytes of one buffer the native build records (sh_native.c SH_HEX_RECORD_MAX, the same number): a page,
# far more than the kernel's own bounded readers (hex_string() 64, resource_string() 32) take.
HEX_RECORD_MAX = 4096


def _hex_record(data: str) -> bytes:
    """The bytes of an ``h:`` record (hex); UnsupportedConstruct for one past HEX_RECORD_MAX, which holds only
    how many the conversion reads ('!' and the count): what it would print is not known, so the run is not
    compared."""
    if data.startswith("!"):
        raise UnsupportedConstruct("", f"a %p conversion (%pE's field width, %pb's bits) reads {int(data[1:]):,} "
                                       f"bytes of a buffer: the native build records at most {HEX_RECORD_MAX:,} "
                                       "(models/native/sh_native.c SH_HEX_RECORD_MAX)")
    return bytes.fromhex(data)


def _resolved(data: bytes, pr_fmt: str) -> bytes:
    """A string of the native code with each pr_fmt() use's site mark replaced by that site's prefix (the mirror
    puts it there where the literal is evaluated: models.printkargs.pr_fmt_literal)."""
    return resolve_site_marks(data, lambda site: site_prefix(pr_fmt, site, None))


@dataclass
class FormatCount:
    """Log records of native runs by who formatted them: the C library (every conversion one where C99 and
    lib/vsprintf.c agree), or the mirror's vsnprintf() on the native arguments (a conversion only the kernel
    has: %p and its extensions, %#x of 0, a pr_fmt that passes arguments; models/native/sh_native.c c99_number)."""

    libc: int = 0
    mirror: int = 0

    def add(self, other: FormatCount) -> None:
        self.libc += other.libc
        self.mirror += other.mirror


def _libc_text(libc: str | None, fmt: str, fields: list[str], prefix: bytes, first: list[Arg] | None) -> bytes | None:
    """The C library's text of a record, the pr_fmt ``prefix`` before it, where it stands for the kernel's; None
    when the record has a conversion only the kernel has, a prefix with one or with arguments, or a pr_fmt site
    mark (the mirror's prefix goes there: not the C library's to say)."""
    if libc is None or first or b"%" in prefix:
        return None
    for raw in (fmt, *(f[2:] for f in fields if f.startswith("s:"))):
        data = unescape(raw)
        if resolve_site_marks(data, lambda _site: b"") != data:
            return None
    return prefix + unescape(libc)


def format_record(fmt: str, fields: list[str], warnings: list[str], pr_fmt: str, prefix: bytes = b"",
            first: list[Arg] | None = None, libc: str | None = None, count: FormatCount | None = None) -> bytes:
    """The text of a record's format (after ``prefix``: a pr_*() call's pr_fmt is part of its format), with
    the arguments ``first`` (what pr_fmt passes) before the record's: the C library's (``libc``, from the
    native run) where it stands for the kernel's, else the mirror's vsnprintf() of the native arguments."""
    text = _libc_text(libc, fmt, fields, prefix, first)
    if count is not None:
        count.libc += text is not None
        count.mirror += text is None
    if text is not None:
        return text
    try:
        out = vsnprintf(prefix + _resolved(unescape(fmt), pr_fmt), [*(first or []), *_args(fields, pr_fmt)])
    except PrintkError as exc:
        return f"<printk error: {exc}>".encode()
    warnings.extend(out.warnings)
    return out.text


def pr_line(fields: list[str], warnings: list[str], pr_fmt: str, libc: str | None = None,
             count: FormatCount | None = None) -> bytes:
    """The text of an ``L`` record (a pr_*() call: level, site, format, arguments) as vsnprintf() makes it, the
    site's pr_fmt prefix first and the names that pr_fmt passes after ``fmt`` (models.prfmt_forms.site_format) before
    the call's own arguments: ``__func__`` the function the site is in, ``__LINE__`` its line."""
    if fields[0] == "cont":
        return format_record(fields[2], fields[3:], warnings, pr_fmt, libc=libc, count=count)
    where, _, function = text_of(unescape(fields[1])).partition(SITE_FUNCTION)
    prefix, names = site_format(pr_fmt, where, None)
    extra: list[Arg] = [NarrowInt(int(where.rpartition(":")[2] or 0)) if n == "__LINE__" else function.encode()
                        for n in names]
    return format_record(fields[2], fields[3:], warnings, pr_fmt, prefix, extra, libc, count)


def libc_line(line: str | None) -> str | None:
    """The C library's text of a "T" line (sh_native.c put_call), None for "T" alone (not C99's to format)."""
    return line[2:] if line is not None and line.startswith("T\t") else None


def record_length(record: str, pr_fmt: str) -> int:
    """What printk() returns for one ``L`` (pr_*()) or ``P`` (printk()) record of the harness (with its ``T``
    line), as the mirror computes it (models.kernel: the stored record's length, the call site's pr_fmt
    included); -1 when the mirror refuses the call (its run stops there, so this run is not compared)."""
    first, _, second = record.partition("\n")
    kind, *f = first.split("\t")
    libc = libc_line(second.rstrip("\n") or None)
    try:
        if kind == "L":
            full = level_prefix(f[0]) + pr_line(f, [], pr_fmt, libc)
        else:
            full = format_record(f[0], f[1:], [], pr_fmt, libc=libc)
        rest = printk_level(full)[1]
        return stored_length(rest, len(full) - len(rest))
    except MirrorError:
        return -1
