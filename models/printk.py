"""printk formatting as lib/vsprintf.c does it for integers, %c, %s and %% (x86-64 sizes)."""

from __future__ import annotations

from dataclasses import dataclass

LEFT, PLUS, SPACE, SPECIAL, ZEROPAD, SMALL, SIGN = 2, 4, 8, 64, 16, 32, 1
_FLAGS = {"-": LEFT, "+": PLUS, " ": SPACE, "#": SPECIAL, "0": ZEROPAD}
# How many bits of the argument a conversion reads (va_arg type); %d/%i read it signed.
_BITS = {"L": 64, "l": 64, "z": 64, "t": 64, "H": 8, "h": 16, "": 32}
_DIGITS = "0123456789ABCDEF"


class PrintkError(ValueError):
    """A printk argument that does not fit its conversion (a string for %d, too few arguments)."""


@dataclass(frozen=True)
class Spec:
    """One decoded conversion, as format_decode() leaves struct printf_spec."""

    flags: int
    width: int
    precision: int
    qualifier: str
    conv: str


def _number(num: int, spec: Spec, base: int) -> str:
    """number(): sign, "0x"/"0" prefix (counted in the width), zero or space padding, precision."""
    flags = spec.flags & ~ZEROPAD if spec.flags & LEFT else spec.flags
    need_pfx = bool(flags & SPECIAL) and base != 10
    is_zero = num == 0
    width, precision = spec.width, spec.precision
    sign = ""
    if flags & SIGN:
        if num >= 1 << 63:
            sign, num = "-", (1 << 64) - num
            width -= 1
        elif flags & PLUS:
            sign, width = "+", width - 1
        elif flags & SPACE:
            sign, width = " ", width - 1
    if need_pfx:
        width -= 2 if base == 16 else (0 if is_zero else 1)
    digits = ""
    while True:
        digits = _DIGITS[num % base] + digits
        num //= base
        if not num:
            break
    if flags & SMALL:
        digits = digits.lower()
    precision = max(precision, len(digits))
    width -= precision
    out = []
    if not flags & (ZEROPAD | LEFT) and width > 0:
        out.append(" " * width)
        width = 0
    out.append(sign)
    if need_pfx:
        out.append("0" if base == 16 or not is_zero else "")
        out.append(("x" if flags & SMALL else "X") if base == 16 else "")
    if not flags & LEFT and width > 0:
        out.append(("0" if flags & ZEROPAD else " ") * width)
        width = 0
    out.append("0" * (precision - len(digits)) + digits)
    if width > 0:
        out.append(" " * width)
    return "".join(out)


def _as_int(arg: int | str, conv: str) -> int:
    if isinstance(arg, str):
        raise PrintkError(f"%{conv} needs an integer argument, got {arg!r}")
    return int(arg)


def _pad(text: str, spec: Spec) -> str:
    """widen_string(): spaces on the left, or on the right with '-'."""
    spaces = " " * max(0, spec.width - len(text))
    return text + spaces if spec.flags & LEFT else spaces + text


def _convert(spec: Spec, arg: int | str) -> str:
    if spec.conv == "s":
        if not isinstance(arg, str) and arg != 0:
            raise PrintkError(f"%s needs a string argument, got {arg!r}")
        text = arg if isinstance(arg, str) else "(null)"
        if spec.precision >= 0:
            text = text[: spec.precision]
        return _pad(text, spec)
    if spec.conv == "c":
        return _pad(chr(_as_int(arg, "c") & 0xFF), spec)
    bits = _BITS[spec.qualifier]
    value = _as_int(arg, spec.conv) & ((1 << bits) - 1)
    if spec.conv in "di" and value >= 1 << (bits - 1):
        value -= 1 << bits  # read as a signed type, sign-extended into the 64-bit num
    flags = spec.flags | (SIGN if spec.conv in "di" else 0) | (SMALL if spec.conv == "x" else 0)
    base = {"o": 8, "x": 16, "X": 16}.get(spec.conv, 10)
    return _number(value & ((1 << 64) - 1), Spec(flags, spec.width, spec.precision, spec.qualifier, spec.conv), base)


def _decode(fmt: str, i: int, args: list[int | str]) -> tuple[Spec | None, int]:
    """Decode the conversion starting after '%' at ``i``; None means stop (unsupported)."""
    flags = 0
    while i < len(fmt) and fmt[i] in _FLAGS:
        flags |= _FLAGS[fmt[i]]
        i += 1
    width, i = _number_field(fmt, i, args, "*")
    if width is not None and width < 0:
        width, flags = -width, flags | LEFT  # a negative '*' width means '-'
    precision: int | None = -1
    if i < len(fmt) and fmt[i] == ".":
        precision, i = _number_field(fmt, i + 1, args, ".*")
        # A '.' with no digits leaves it unset, as format_decode() does; a negative '*' becomes 0.
        precision = -1 if precision is None else max(0, precision)
    qualifier = ""
    if i < len(fmt) and fmt[i] in "hlLzt":
        qualifier = fmt[i]
        i += 1
        if i < len(fmt) and fmt[i] == qualifier and qualifier in "lh":
            qualifier = "L" if qualifier == "l" else "H"
            i += 1
    if i >= len(fmt) or fmt[i] not in "csdiuoxX%":
        return None, i
    return Spec(flags, -1 if width is None else width, -1 if precision is None else precision, qualifier,
                fmt[i]), i + 1


def _number_field(fmt: str, i: int, args: list[int | str], what: str) -> tuple[int | None, int]:
    """A width or precision at ``i``: digits, or '*' taking an int argument; None when absent."""
    if i < len(fmt) and fmt[i] == "*":
        return _signed32(_pop(args, what)), i + 1
    j = i
    while i < len(fmt) and fmt[i].isdigit():
        i += 1
    return (int(fmt[j:i]) if i > j else None), i


def _signed32(v: int | str) -> int:
    n = _as_int(v, "*") & 0xFFFFFFFF
    return n - (1 << 32) if n >= 1 << 31 else n


def _pop(args: list[int | str], conv: str) -> int | str:
    if not args:
        raise PrintkError(f"too few arguments for %{conv}")
    return args.pop(0)


def format_printk(fmt: str, *args: int | str) -> str:
    """What vsnprintf() writes for ``fmt``; output stops at an unsupported conversion, as in the kernel."""
    queue = list(args)
    out: list[str] = []
    i = 0
    while i < len(fmt):
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        spec, i = _decode(fmt, j + 1, queue)
        if spec is None:
            break
        out.append("%" if spec.conv == "%" else _convert(spec, _pop(queue, spec.conv)))
    return "".join(out)


def conversions(fmt: str) -> list[Spec]:
    """The conversions of a format, for source checks (widths as written; '*' shows as -2)."""
    specs: list[Spec] = []
    i = 0
    while (j := fmt.find("%", i)) >= 0:
        dummy: list[int | str] = [0] * 4
        spec, i = _decode(fmt, j + 1, dummy)
        if spec is None:
            break
        if spec.conv != "%":
            specs.append(spec)
    return specs
