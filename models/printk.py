"""printk formatting as lib/vsprintf.c does it: every byte, integers, %c, %s, %% and the %p family (x86-64)."""

# vsnprintf() copies each byte of the format that is not part of a conversion, stops at the first NUL and
# at an invalid conversion (after its WARN_ONCE), and prints pointers as pointer() does (models.printkptr).
# What it prints from memory the mirror does not model (hashed addresses, buffers) is refused: PrintkUnsupported.

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.lazyre import lazy
from models.literals import EscapeError, body_error, unescape_bytes
from models.printknum import FIELD_WIDTH_MAX as FIELD_WIDTH_MAX
from models.printknum import LEFT, PLUS, SIGN, SMALL, SPACE, SPECIAL, ZEROPAD, pad
from models.printknum import number as _number  # a module global here: a test replaces it (test_crosscheck_raw)
from models.printknum import wrap as _wrap
from models.printkptr import address_of, string, what_of
from models.printkptr import pointer as _pointer
from models.printktypes import Arg as Arg  # these five re-exported: the mirror and the tests take them from here
from models.printktypes import Pointer as Pointer
from models.printktypes import PrintkError as PrintkError
from models.printktypes import PrintkUnsupported as PrintkUnsupported
from models.printktypes import Spec as Spec

_FLAGS = {ord("-"): LEFT, ord("+"): PLUS, ord(" "): SPACE, ord("#"): SPECIAL, ord("0"): ZEROPAD}
_BITS = {"L": 64, "l": 64, "z": 64, "t": 64, "H": 8, "h": 16, "": 32}
# format_decode()'s lookup_state: the length characters, and the ones that double ("ll", "hh"); a lone 'H' is
# a char too ("Questionable historical"), 'L' is long long; "LL", "HH", "zz", "tt" end in an invalid conversion.
_LENGTHS = {ord(c): c for c in "lLhHzt"}
_DOUBLES = {"l": "L", "h": "H"}
_BASES = {"o": 8, "x": 16, "X": 16}  # a conversion's base: 10 unless here
PRECISION_MAX = (1 << 15) - 1


class NarrowInt(int):
    """An integer argument passed to a kernel primitive as 32 bits (int or unsigned int after the default
    argument promotions): a printk conversion that reads 64 bits (%llx, %lu) gets undefined upper bits."""


@dataclass
class Formatted:
    """vsnprintf()'s output and the WARN_ONCE messages it raised on the way (without their newline)."""

    text: bytes
    warnings: list[str] = field(default_factory=list)
    unused: int = 0  # arguments left over once the whole format was read (not when it stopped early)


# format_decode() keeps ll as 'L' and hh as 'H': a message names the conversion as a format writes it.
_QUALIFIERS = {"L": "ll", "H": "hh"}


def _as_int(arg: Arg, conv: str) -> int:
    if isinstance(arg, int):
        return arg
    address = address_of(arg)
    if address is None:
        raise PrintkUnsupported(f"%{conv} of {what_of(arg)}: its address is not modelled")
    return address


def _convert(spec: Spec, arg: Arg) -> bytes:
    if spec.conv == "s":
        return string(arg, spec)
    if spec.conv == "c":
        # vsnprintf() counts the int field_width down: INT_MIN (a '*' of INT_MIN, which negating leaves negative)
        # wraps to INT_MAX at the first decrement.
        width = 1 << 31 if spec.width == -(1 << 31) else spec.width
        return pad(bytes([_as_int(arg, "c") & 0xFF]), Spec(spec.flags, width, spec.precision, spec.qualifier, "c"))
    bits = _BITS[spec.qualifier]
    if bits > 32 and isinstance(arg, NarrowInt):
        written = {"L": "ll"}.get(spec.qualifier, spec.qualifier)
        raise PrintkUnsupported(f"%{written}{spec.conv} reads 64 bits where a 32-bit int was passed: the "
                                "upper half is undefined (gcc -Wformat warns)")
    value = _as_int(arg, _QUALIFIERS.get(spec.qualifier, spec.qualifier) + spec.conv) & ((1 << bits) - 1)
    if spec.conv in "di" and value >= 1 << (bits - 1):
        value -= 1 << bits  # read as a signed type, sign-extended into the 64-bit num
    flags = spec.flags | (SIGN if spec.conv in "di" else 0) | (SMALL if spec.conv == "x" else 0)
    return _number(value & ((1 << 64) - 1), flags, spec.width, spec.precision, _BASES.get(spec.conv, 10))


def _atoi(digits: bytes, bits: int) -> int:
    """lib/vsprintf.c skip_atoi(): decimal digits read into an int that wraps, however many there are (Python's
    int() refuses more than 4,300 digits: read in pieces, modulo 2**bits)."""
    value, modulus = 0, 1 << bits
    for k in range(0, len(digits), 4000):
        piece = digits[k : k + 4000]
        value = (value * pow(10, len(piece), modulus) + int(piece)) % modulus
    return _wrap(value, bits)


_DECODED: dict[tuple[bytes, int], tuple[Spec | None, int]] = {}
_DECODED_MAX = 4096


class _Decoder:
    """format_decode() over a byte format, taking '*' widths and precisions from the arguments."""

    def __init__(self, fmt: bytes, args: list[Arg], warnings: list[str]) -> None:
        self.fmt, self.args, self.warnings = fmt, args, warnings

    def pop(self, conv: str) -> Arg:
        if not self.args:
            raise PrintkError(f"too few arguments for %{shown(conv)}")
        return self.args.pop(0)

    def star(self, what: str) -> int:
        """set_field_width() / set_precision(): a '*' argument (an int); a precision that does not fit its short is
        clamped to 0..PRECISION_MAX with a WARN_ONCE, a width is kept as it is (an int field)."""
        value = _wrap(_as_int(self.pop(what), "*"), 32)
        if what == ".*" and _wrap(value, 16) != value:
            self.warnings.append(f"precision {value} too large")
            value = max(0, min(PRECISION_MAX, value))
        return value

    def digits(self, i: int, bits: int) -> tuple[int | None, int]:
        j = i
        while i < len(self.fmt) and self.fmt[i : i + 1].isdigit():
            i += 1
        return (_atoi(self.fmt[j:i], bits) if i > j else None), i

    def decode(self, i: int) -> tuple[Spec | None, int]:
        """The conversion starting after '%' at ``i``; None (after the kernel's warning) when it is invalid.

        One that took no argument ('*') and warned of nothing is the same wherever its format is read again:
        kept (_DECODED), the format's text and position its key."""
        key = (self.fmt, i)
        known = _DECODED.get(key)
        if known is not None:
            return known
        args, warnings = len(self.args), len(self.warnings)
        found = self._decode(i)
        if len(self.args) == args and len(self.warnings) == warnings:
            if len(_DECODED) >= _DECODED_MAX:
                _DECODED.clear()
            _DECODED[key] = found
        return found

    def _decode(self, i: int) -> tuple[Spec | None, int]:
        fmt, flags = self.fmt, 0
        while i < len(fmt) and fmt[i] in _FLAGS:
            flags |= _FLAGS[fmt[i]]
            i += 1
        width, precision = -1, -1
        if fmt[i : i + 1] == b"*":
            width, i = self.star("*"), i + 1
            if width < 0:
                # A negative '*' width means '-'; negating INT_MIN leaves it INT_MIN (-fwrapv): still negative.
                width, flags = _wrap(-width, 32), flags | LEFT
        else:
            got, i = self.digits(i, 32)  # skip_atoi()'s int, wrapping as the kernel's -fwrapv does
            width = -1 if got is None else got
        if fmt[i : i + 1] == b".":
            if fmt[i + 1 : i + 2] == b"*":
                precision, i = max(0, self.star(".*")), i + 2
            else:
                got, i = self.digits(i + 1, 16)
                # A '.' with no digits leaves it unset, as format_decode() does.
                precision = -1 if got is None else max(0, got)
        qualifier = _LENGTHS.get(fmt[i]) if i < len(fmt) else None
        if qualifier is None:
            qualifier = ""
        else:
            i += 1
            if qualifier in _DOUBLES and fmt[i : i + 1] == qualifier.encode():
                qualifier, i = _DOUBLES[qualifier], i + 1
        conv = chr(fmt[i]) if i < len(fmt) else "\0"
        if conv not in "csdiuoxXp%":
            self.warnings.append(f"Please remove unsupported %{conv} in format string")
            return None, i
        return Spec(flags, width, precision, qualifier, conv), i + 1


def warning_site(warning: str) -> str:
    """The WARN_ONCE() in lib/vsprintf.c a warning comes from: one per function, whatever the value or
    conversion its message names (format_decode, set_precision)."""
    for start, site in (("Please remove unsupported", "format_decode"), ("precision", "set_precision")):
        if warning.startswith(start):
            return f"vsprintf:{site}"
    return "vsprintf:" + warning


def vsnprintf(fmt: bytes, args: Sequence[Arg]) -> Formatted:
    """What vsnprintf() writes for ``fmt`` and ``args``, and the warnings it raises (lib/vsprintf.c)."""
    fmt, nul, _ = fmt.partition(b"\0")
    stopped = bool(nul)  # at a NUL or an unknown conversion: what is left was never looked for
    out = Formatted(b"")
    text = bytearray()
    decoder = _Decoder(fmt, list(args), out.warnings)
    i = 0
    while i < len(fmt):
        j = fmt.find(b"%", i)
        if j < 0:
            text += fmt[i:]
            break
        text += fmt[i:j]
        spec, i = decoder.decode(j + 1)
        if spec is None:
            stopped = True
            break
        if spec.conv == "%":
            text += b"%"
        elif spec.conv == "p":
            end = i
            while end < len(fmt) and fmt[end : end + 1].isalnum():
                end += 1  # the extension letters are consumed whatever pointer() makes of them
            arg = decoder.pop(fmt[j + 1 : end].decode("latin-1"))
            if fmt[i : i + 1] == b"V" and isinstance(arg, Pointer) and arg.vaf is not None:
                text += _va_format(arg.vaf, out.warnings)
            else:
                text += _pointer(fmt[i:end].decode("ascii"), arg, spec)
            i = end
        else:
            text += _convert(spec, decoder.pop(fmt[j + 1 : i].decode("latin-1")))  # named as written: %016llx
        _bounded(text)
    out.text = bytes(text)
    out.unused = 0 if stopped else len(decoder.args)
    return out


def _va_format(vaf: tuple[bytes, tuple[Arg, ...]], warnings: list[str]) -> bytes:
    """lib/vsprintf.c va_format(): vsnprintf() of a struct va_format's format with (a copy of) its va_list, written
    where the %pV is, its field width and precision unused; its WARN_ONCE()s are the call's."""
    inner = vsnprintf(*vaf)
    warnings.extend(inner.warnings)
    return inner.text


def line_format(fmt: bytes, args: Sequence[Arg]) -> bytes:
    """The format whose conversions printed the text vsnprintf() writes for ``fmt`` and ``args``: ``fmt`` with each
    %pV of a struct va_format replaced by that struct's own such format (lib/vsprintf.c va_format() writes its
    vsnprintf() where the %pV is, the %pV's flags, width and precision unused), to the NUL; ``fmt`` where it holds
    none. Its conversions read the va_format's arguments in its place, not the call's. Raises PrintkError as
    vsnprintf() does (too few arguments)."""
    fmt = fmt.partition(b"\0")[0]
    out = bytearray()
    decoder = _Decoder(fmt, list(args), [])
    i = 0
    while (j := fmt.find(b"%", i)) >= 0:
        spec, k = decoder.decode(j + 1)
        if spec is None:
            break  # vsnprintf() stops there
        if spec.conv == "p":
            end = k
            while end < len(fmt) and fmt[end : end + 1].isalnum():
                end += 1
            arg = decoder.pop("p")
            if fmt[k : k + 1] == b"V" and isinstance(arg, Pointer) and arg.vaf is not None:
                out += fmt[i:j] + line_format(*arg.vaf)
                i = end
                continue
            k = end
        elif spec.conv != "%":
            decoder.pop(spec.conv)
        out += fmt[i:k]
        i = k
    return bytes(out + fmt[i:])


def _bounded(text: bytearray) -> None:
    """PrintkUnsupported once the text written is past TEXT_MAX: each field is (printknum.padding), but a format
    of many wide ones was not (60 fields of %8000000d: 1.4 GB; a 64 KiB literal holds 6,500 of them). printk()
    keeps 1023 bytes of it, where vsnprintf() counts the rest without writing it."""
    if len(text) > TEXT_MAX:
        raise PrintkUnsupported(f"vsnprintf() writes more than {TEXT_MAX:,} bytes here (lib/vsprintf.c counts them "
                                "all): the mirror writes at most that many")


# The longest text vsnprintf() writes here: twice the widest field (printknum.FIELD_WIDTH_MAX), room for one with
# the rest of a format around it.
TEXT_MAX = 1 << 24


def format_printk(fmt: str, *args: int | str) -> str:
    """vsnprintf() for text: ``fmt`` and string arguments as UTF-8, the output read back as UTF-8."""
    values: list[Arg] = [a.encode("utf-8") if isinstance(a, str) else a for a in args]
    return vsnprintf(fmt.encode("utf-8"), values).text.decode("utf-8", errors="backslashreplace")


_OCTAL = lazy(r"[-+]?0[0-7]+")


# A C integer constant (C11 6.4.4.1, and gcc's 0b binary ones), maybe negated: nothing else Python's int() takes
# ("1_000", "0o17", " 5", non-ASCII digits) is one; such an ARG is a string.
_INTEGER = lazy(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)?",
                      re.ASCII)
_SUFFIX = lazy(r"[uUlL]+$")
_NUMBERISH = lazy(r"[-+]?\.?[0-9]")  # what a user writes as a number, C's constant or not


def _constant(text: str) -> int | None:
    """The value of an ARG ``text`` that _INTEGER matches, as the 64-bit argument carries it; None for one no C
    constant reads ("08").

    The constant's type is C11 6.4.4.1's on x86-64: a u suffix makes it unsigned, a hex, octal or binary one is
    unsigned where the signed type of its width cannot hold it, and it is 32 bits unless an l suffix or its value
    asks for 64. A '-' negates in that type, which wraps for an unsigned one, as gcc computes it: -1u is 4294967295,
    -0x80000000 is 2147483648, -0x8000000000000001 is 0x7fffffffffffffff. Raises PrintkError past 64 bits (a decimal
    constant past LLONG_MAX, which gcc makes an __int128 with a warning, is read as written: 18446744073709551615 is
    the u64, -9223372036854775808 LLONG_MIN, and what lies outside is refused, never wrapped silently).
    """
    negative = text.startswith("-")
    body = text[1:] if text[:1] in ("-", "+") else text
    digits = _SUFFIX().sub("", body)  # 1u, 0x10ULL: C's suffixes say the type
    suffix = body[len(digits):].lower()
    try:
        magnitude = int(digits, 8) if _OCTAL().fullmatch(digits) else int(digits, 0)
    except ValueError:
        if digits[:1] in "123456789":  # past the 4,300 digits Python reads in base 10: far past 64 bits
            raise PrintkError(f"ARG {shown(text)} does not fit in 64 bits") from None
        return None
    if magnitude >= 1 << 64:
        raise PrintkError(f"ARG {shown(text)} does not fit in 64 bits")
    bits = _unsigned_bits(magnitude, suffix, decimal=digits[:1] != "0" or digits == "0")
    if not negative:
        return magnitude
    if bits:
        return -magnitude % (1 << bits)  # zero-extended to the 64-bit argument
    if magnitude > 1 << 63:
        raise PrintkError(f"ARG {shown(text)} does not fit in 64 bits")
    return -magnitude


def _unsigned_bits(magnitude: int, suffix: str, decimal: bool) -> int:
    """The width of a C constant's unsigned type (C11 6.4.4.1p5, x86-64's int of 32 bits, long of 64); 0 where
    its type is signed."""
    wide = "l" in suffix or magnitude >= 1 << 32
    if "u" in suffix:
        return 64 if wide else 32
    if decimal:
        return 0  # int, long, long long: signed (past LLONG_MAX gcc's __int128, signed too)
    if not wide and magnitude >= 1 << 31:
        return 32  # a hex, octal or binary constant int cannot hold: unsigned int
    return 64 if magnitude >= 1 << 63 else 0


# An error is one line a terminal shows whole: what it quotes of the user's text is bounded.
_SHOWN_MAX = 60
_LISTED_MAX = 8


def shown(text: str) -> str:
    """An ARG or a conversion as an error quotes it: past _SHOWN_MAX characters cut, its length said."""
    return text if len(text) <= _SHOWN_MAX else f"{text[:_SHOWN_MAX]}... ({len(text):,} characters)"


def command_line(fmt: str, args: Sequence[str]) -> Formatted:
    """``seamharness printk``: FORMAT is the body of a C string literal (escapes as gcc reads them, the rest
    as UTF-8); an ARG is a C integer (0x.., 0.. octal, negative, with or without a u/l/ll suffix) or else a
    string.

    Raises PrintkError for an escape gcc rejects and for arguments that do not fit.
    """
    fmt = fmt.replace("\\\r\n", "").replace("\\\n", "")  # a backslash-newline is spliced first (C11 5.1.1.2p1)
    try:
        bad = body_error(fmt)
        if bad is not None:
            raise EscapeError(bad)
        data = unescape_bytes(fmt)
    except EscapeError as exc:
        raise PrintkError(f"FORMAT is not a valid C string: {exc}") from exc
    values: list[Arg] = []
    for a in args:
        value = _constant(a) if _INTEGER().fullmatch(a) else None
        values.append(a.encode("utf-8", "surrogateescape") if value is None else value)  # argv bytes: as given
    try:
        out = vsnprintf(data, values)
    except PrintkUnsupported as exc:
        # "%d of a string literal" for an ARG the user meant as a number (08, 1.5, 0x1g) says too little.
        meant = [a for a, v in zip(args, values, strict=True) if isinstance(v, bytes) and _NUMBERISH().match(a)]
        if not meant:
            raise
        raise PrintkUnsupported(f"{exc} (ARG {shown(meant[0])} is no C integer constant, so it was read as a "
                                "string)") from exc
    if out.unused:  # as gcc's -Wformat-extra-args (-Wall) warns of a printk call: a slip, not a format
        extra = args[len(args) - out.unused:]
        more = f" and {len(extra) - _LISTED_MAX:,} more" if len(extra) > _LISTED_MAX else ""
        raise PrintkError(f"too many arguments: FORMAT takes {len(args) - out.unused:,}, not {len(args):,} (left over: "
                          f"{' '.join(shown(a) for a in extra[:_LISTED_MAX])}{more})")
    # One WARN_ONCE per lib/vsprintf.c function, as in a kernel that has not warned yet.
    sites: dict[str, str] = {}
    for warning in out.warnings:
        sites.setdefault(warning_site(warning), warning)
    out.warnings = list(sites.values())
    return out


def conversions(fmt: str) -> list[Spec]:
    """The conversions of a format, for source checks (a '*' width or precision shows as 0)."""
    raw = fmt.encode("utf-8", "surrogateescape")  # a source byte not UTF-8 kept as it is
    specs: list[Spec] = []
    i = 0
    while (j := raw.find(b"%", i)) >= 0:
        spec, i = _Decoder(raw, [0] * 4, []).decode(j + 1)
        if spec is None:
            break
        if spec.conv != "%":
            specs.append(spec)
    return specs
