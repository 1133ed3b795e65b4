"""printk formatting as lib/vsprintf.c does it: every byte, integers, %c, %s, %% and the %p family (x86-64)."""

# vsnprintf() copies each byte of the format that is not part of a conversion, stops at the first NUL and
# at an invalid conversion (after its WARN_ONCE), and prints pointers as pointer() does: NULL and error
# pointers in hex (hashing skips them), %px raw, %pe by errno name. What it prints from memory the mirror
# does not model (symbols, hashed addresses, buffers) is refused: PrintkUnsupported.

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.literals import EscapeError, body_error, unescape_bytes
from models.prelude import ERRNO_NAMES
from models.printkhex import hex_string
from models.printktypes import Arg as Arg  # these five re-exported: the mirror and the tests take them from here
from models.printktypes import Pointer as Pointer
from models.printktypes import PrintkError as PrintkError
from models.printktypes import PrintkUnsupported as PrintkUnsupported
from models.printktypes import Spec as Spec

LEFT, PLUS, SPACE, SPECIAL, ZEROPAD, SMALL, SIGN = 2, 4, 8, 64, 16, 32, 1
_FLAGS = {ord("-"): LEFT, ord("+"): PLUS, ord(" "): SPACE, ord("#"): SPECIAL, ord("0"): ZEROPAD}
# How many bits of the argument a conversion reads (va_arg type); %d/%i read it signed.
_BITS = {"L": 64, "l": 64, "z": 64, "t": 64, "H": 8, "h": 16, "": 32}
# format_decode()'s lookup_state: the length characters, and the ones that double ("ll", "hh"); a lone 'H' is
# a char too ("Questionable historical"), 'L' is long long; "LL", "HH", "zz", "tt" end in an invalid conversion.
_LENGTHS = {ord(c): c for c in "lLhHzt"}
_DOUBLES = {"l": "L", "h": "H"}
_BASE_FORMAT = {8: "o", 10: "d", 16: "X"}
_BASES = {"o": 8, "x": 16, "X": 16}  # a conversion's base: 10 unless here
# struct printf_spec (lib/vsprintf.c since v6.14): field_width is an int, precision a short, which
# set_precision() clamps to PRECISION_MAX with a WARN_ONCE; set_field_width() can no longer warn (an int holds
# any int), so a '*' width is taken as it is. Before v6.14 field_width was a 24-bit bit-field clamped to
# FIELD_WIDTH_MAX; the mirror keeps that bound as the widest padding it writes out, and refuses a wider one.
FIELD_WIDTH_MAX = (1 << 23) - 1
PRECISION_MAX = (1 << 15) - 1
PAGE_SIZE = 4096
MAX_ERRNO = 4095
_POINTER_NAMES = {
    "S": "a symbol name", "s": "a symbol name", "B": "a backtrace symbol", "R": "a struct resource",
    "r": "a struct resource", "h": "a hex buffer", "b": "a bitmap", "M": "a MAC address", "m": "a MAC address",
    "I": "an IP address", "i": "an IP address", "E": "an escaped buffer", "U": "a UUID", "V": "a struct va_format",
    "K": "a pointer under kptr_restrict", "N": "netdev features", "4": "a FourCC code", "a": "a physical address",
    "d": "a dentry name", "t": "a time", "C": "a clock", "D": "a file name", "g": "a block device",
    "G": "page or VMA flags", "O": "a device-tree node", "f": "a fwnode", "A": "a Rust argument",
}


class NarrowInt(int):
    """An integer argument passed to a kernel primitive as 32 bits (int or unsigned int after the default
    argument promotions): a printk conversion that reads 64 bits (%llx, %lu) gets undefined upper bits."""


@dataclass
class Formatted:
    """vsnprintf()'s output and the WARN_ONCE messages it raised on the way (without their newline)."""

    text: bytes
    warnings: list[str] = field(default_factory=list)
    unused: int = 0  # arguments left over once the whole format was read (not when it stopped early)


def _number(num: int, flags: int, width: int, precision: int, base: int) -> bytes:
    """number(): sign, "0x"/"0" prefix (counted in the width), zero or space padding, precision (the spec's
    fields as number() reads them: no Spec made per conversion)."""
    flags = flags & ~ZEROPAD if flags & LEFT else flags
    need_pfx = bool(flags & SPECIAL) and base != 10
    is_zero = num == 0
    sign = b""
    if flags & SIGN:
        if num >= 1 << 63:
            sign, num = b"-", (1 << 64) - num
            width -= 1
        elif flags & PLUS:
            sign, width = b"+", width - 1
        elif flags & SPACE:
            sign, width = b" ", width - 1
    if need_pfx:
        width -= 2 if base == 16 else (0 if is_zero else 1)
    # The digits of num (unsigned here) in base 8, 10 or 16, upper case as number() makes them.
    digits = format(num, _BASE_FORMAT[base]).encode()
    if flags & SMALL:
        digits = digits.lower()
    precision = max(precision, len(digits))
    width = _wrap(width - precision, 32)  # int arithmetic: an INT_MIN width (a '*' of INT_MIN) wraps to INT_MAX
    out = bytearray()
    if not flags & (ZEROPAD | LEFT) and width > 0:
        out += _padding(b" ", width)
        width = 0
    out += sign
    if need_pfx:
        out += b"0" if base == 16 or not is_zero else b""
        out += (b"x" if flags & SMALL else b"X") if base == 16 else b""
    if not flags & LEFT and width > 0:
        out += _padding(b"0" if flags & ZEROPAD else b" ", width)
        width = 0
    out += b"0" * (precision - len(digits)) + digits
    if width > 0:
        out += _padding(b" ", width)
    return bytes(out)


def _padding(char: bytes, count: int) -> bytes:
    """``count`` padding bytes; PrintkUnsupported past FIELD_WIDTH_MAX (vsnprintf() writes them all, up to 2**31 - 1,
    where printk() keeps 1023 bytes: such a field is not written out)."""
    if count > FIELD_WIDTH_MAX:
        raise PrintkUnsupported(f"a field padded with {count} bytes (lib/vsprintf.c pads to any int width): the "
                                f"mirror writes at most {FIELD_WIDTH_MAX}")
    return char * count


def _pad(text: bytes, spec: Spec) -> bytes:
    """widen_string(): spaces on the left, or on the right with '-'."""
    spaces = _padding(b" ", max(0, spec.width - len(text)))
    return text + spaces if spec.flags & LEFT else spaces + text


def _string_nocheck(text: bytes, spec: Spec) -> bytes:
    text = text.split(b"\0", 1)[0]
    return _pad(text[: spec.precision] if spec.precision >= 0 else text, spec)


def _error_string(text: bytes, spec: Spec) -> bytes:
    """error_string(): a message in place of what could not be printed, at most a pointer's width long."""
    precision = 2 * 8 if spec.precision == -1 else spec.precision
    return _string_nocheck(text, Spec(spec.flags, spec.width, precision, spec.qualifier, spec.conv))


def _address(arg: Arg, conv: str) -> int | None:
    """The address a pointer argument holds (an integer passed for one counts as its value)."""
    if isinstance(arg, Pointer):
        return arg.address
    if isinstance(arg, int):
        return arg & ((1 << 64) - 1)
    return None  # a string literal: an object whose address the mirror does not know


def _bad_pointer(address: int | None) -> bytes | None:
    """check_pointer_msg(): "(null)" for NULL, "(efault)" below PAGE_SIZE or for an error pointer."""
    if address == 0:
        return b"(null)"
    if address is not None and (address < PAGE_SIZE or address >= (1 << 64) - MAX_ERRNO):
        return b"(efault)"
    return None


def _string(arg: Arg, spec: Spec) -> bytes:
    if isinstance(arg, bytes):
        return _string_nocheck(arg, spec)
    address = _address(arg, "s")
    message = _bad_pointer(address)
    if message is None:
        raise PrintkUnsupported(f"%s of a pointer to memory the mirror does not model ({_what(arg)})")
    return _error_string(message, spec)


def _what(arg: Arg) -> str:
    if isinstance(arg, Pointer):
        return arg.what if arg.address is None else f"address {arg.address:#x}"
    return "a string literal" if isinstance(arg, bytes) else f"the address {arg & ((1 << 64) - 1):#x}"


def _pointer_string(address: int, spec: Spec) -> bytes:
    """pointer_string(): lower-case hex, zero-padded to 16 digits when no width is given."""
    flags, width = spec.flags | SMALL, spec.width
    if width == -1:
        width, flags = 16, flags | ZEROPAD
    return _number(address, flags, width, spec.precision, 16)


def _default_pointer(arg: Arg, spec: Spec, ext: str) -> bytes:
    """Plain %p: hashed (ptr_to_id), except NULL and error pointers, which are printed as they are."""
    address = _address(arg, "p")
    if address is not None and (address == 0 or address >= (1 << 64) - MAX_ERRNO):
        return _pointer_string(address, spec)
    raise PrintkUnsupported(f"%p{ext} of {_what(arg)} prints a hash of the address (ptr_to_id), "
                            "which depends on a boot-time random key")


def _err_ptr(address: int, spec: Spec) -> bytes:
    """err_ptr(): the errno name of ERR_PTR(-E...), else the number in decimal."""
    err = address - (1 << 64)
    name = ERRNO_NAMES.get(-err)
    if name is not None:
        return _string_nocheck(b"-" + name.encode(), spec)
    return _number(address, spec.flags | SIGN, spec.width, spec.precision, 10)


def _pointer(ext: str, arg: Arg, spec: Spec) -> bytes:
    """pointer(): what %p followed by the extension letters ``ext`` prints for ``arg``."""
    kind = ext[:1]
    if kind == "x":
        address = _address(arg, "px")
        if address is None:
            raise PrintkUnsupported(f"%px of {_what(arg)}: its address is not modelled")
        return _pointer_string(address, spec)
    if kind == "e":
        address = _address(arg, "pe")
        if address is not None and address >= (1 << 64) - MAX_ERRNO:
            return _err_ptr(address, spec)
        return _default_pointer(arg, spec, ext)
    if kind in ("u", "k"):
        if ext[1:2] != "s":
            return _error_string(b"(einval)", spec)
        if kind == "k":
            return _string(arg, spec)
        raise PrintkUnsupported("%pus reads a string from user space, which the mirror does not model")
    if kind == "h":
        message = _bad_pointer(_address(arg, "ph")) if spec.width != 0 else None
        return _error_string(message, spec) if message is not None else hex_string(ext, arg, spec, _what(arg))
    if kind in _POINTER_NAMES:
        raise PrintkUnsupported(f"%p{ext} prints {_POINTER_NAMES[kind]}, which the mirror does not model")
    return _default_pointer(arg, spec, ext)


# format_decode() keeps ll as 'L' and hh as 'H': a message names the conversion as a format writes it.
_QUALIFIERS = {"L": "ll", "H": "hh"}


def _as_int(arg: Arg, conv: str) -> int:
    if isinstance(arg, int):
        return arg
    address = _address(arg, conv)
    if address is None:
        raise PrintkUnsupported(f"%{conv} of {_what(arg)}: its address is not modelled")
    return address


def _convert(spec: Spec, arg: Arg) -> bytes:
    if spec.conv == "s":
        return _string(arg, spec)
    if spec.conv == "c":
        # vsnprintf() counts the int field_width down: INT_MIN (a '*' of INT_MIN, which negating leaves negative)
        # wraps to INT_MAX at the first decrement.
        width = 1 << 31 if spec.width == -(1 << 31) else spec.width
        return _pad(bytes([_as_int(arg, "c") & 0xFF]), Spec(spec.flags, width, spec.precision, spec.qualifier, "c"))
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


def _wrap(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


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
            raise PrintkError(f"too few arguments for %{conv}")
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
            text += _pointer(fmt[i:end].decode("ascii"), decoder.pop(fmt[j + 1 : end].decode("latin-1")), spec)
            i = end
        else:
            text += _convert(spec, decoder.pop(fmt[j + 1 : i].decode("latin-1")))  # named as written: %016llx
    out.text = bytes(text)
    out.unused = 0 if stopped else len(decoder.args)
    return out


def format_printk(fmt: str, *args: int | str) -> str:
    """vsnprintf() for text: ``fmt`` and string arguments as UTF-8, the output read back as UTF-8."""
    values: list[Arg] = [a.encode("utf-8") if isinstance(a, str) else a for a in args]
    return vsnprintf(fmt.encode("utf-8"), values).text.decode("utf-8", errors="backslashreplace")


_OCTAL = re.compile(r"[-+]?0[0-7]+")


# A C integer constant (C11 6.4.4.1, and gcc's 0b binary ones), maybe negated: nothing else Python's int() takes
# ("1_000", "0o17", " 5", non-ASCII digits) is one; such an ARG is a string.
_INTEGER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)?",
                      re.ASCII)
_SUFFIX = re.compile(r"[uUlL]+$")
_NUMBERISH = re.compile(r"[-+]?\.?[0-9]")  # what a user writes as a number, C's constant or not


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
        if not _INTEGER.fullmatch(a):
            values.append(a.encode("utf-8", "surrogateescape"))  # argv bytes not UTF-8: as given
            continue
        digits = _SUFFIX.sub("", a)  # 1u, 0x10ULL: C's suffixes say the type
        try:
            value = int(digits, 8) if _OCTAL.fullmatch(digits) else int(digits, 0)
        except ValueError:
            values.append(a.encode("utf-8", "surrogateescape"))  # argv bytes not UTF-8: as given
            continue
        if not -(1 << 63) <= value < 1 << 64:  # a C argument is at most 64 bits: never wrapped silently
            raise PrintkError(f"ARG {a} does not fit in 64 bits")
        values.append(value)
    try:
        out = vsnprintf(data, values)
    except PrintkUnsupported as exc:
        # "%d of a string literal" for an ARG the user meant as a number (08, 1.5, 0x1g) says too little.
        meant = [a for a, v in zip(args, values, strict=True) if isinstance(v, bytes) and _NUMBERISH.match(a)]
        if not meant:
            raise
        raise PrintkUnsupported(f"{exc} (ARG {meant[0]} is no C integer constant, so it was read as a string)") \
            from exc
    if out.unused:  # as gcc's -Wformat-extra-args (-Wall) warns of a printk call: a slip, not a format
        extra = " ".join(args[len(args) - out.unused:])
        raise PrintkError(f"too many arguments: FORMAT takes {len(args) - out.unused}, not {len(args)} (left over: "
                          f"{extra})")
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
