"""lib/vsprintf.c's number() and string helpers (models.printk, models.printkptr): the bytes of one field."""

from __future__ import annotations

from models.printktypes import PrintkUnsupported, Spec

LEFT, PLUS, SPACE, SPECIAL, ZEROPAD, SMALL, SIGN = 2, 4, 8, 64, 16, 32, 1
_BASE_FORMAT = {8: "o", 10: "d", 16: "X"}
# struct printf_spec (lib/vsprintf.c since v6.14): field_width is an int, precision a short, which
# set_precision() clamps to PRECISION_MAX with a WARN_ONCE; set_field_width() can no longer warn (an int holds
# any int), so a '*' width is taken as it is. Before v6.14 field_width was a 24-bit bit-field clamped to
# FIELD_WIDTH_MAX; the mirror keeps that bound as the widest padding it writes out, and refuses a wider one.
FIELD_WIDTH_MAX = (1 << 23) - 1


def number(num: int, flags: int, width: int, precision: int, base: int) -> bytes:
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
    width = wrap(width - precision, 32)  # int arithmetic: an INT_MIN width (a '*' of INT_MIN) wraps to INT_MAX
    out = bytearray()
    if not flags & (ZEROPAD | LEFT) and width > 0:
        out += padding(b" ", width)
        width = 0
    out += sign
    if need_pfx:
        out += b"0" if base == 16 or not is_zero else b""
        out += (b"x" if flags & SMALL else b"X") if base == 16 else b""
    if not flags & LEFT and width > 0:
        out += padding(b"0" if flags & ZEROPAD else b" ", width)
        width = 0
    out += b"0" * (precision - len(digits)) + digits
    if width > 0:
        out += padding(b" ", width)
    return bytes(out)


def padding(char: bytes, count: int) -> bytes:
    """``count`` padding bytes; PrintkUnsupported past FIELD_WIDTH_MAX (vsnprintf() writes them all, up to 2**31 - 1,
    where printk() keeps 1023 bytes: such a field is not written out)."""
    if count > FIELD_WIDTH_MAX:
        raise PrintkUnsupported(f"a field padded with {count} bytes (lib/vsprintf.c pads to any int width): the "
                                f"mirror writes at most {FIELD_WIDTH_MAX}")
    return char * count


def pad(text: bytes, spec: Spec) -> bytes:
    """widen_string(): spaces on the left, or on the right with '-'."""
    spaces = padding(b" ", max(0, spec.width - len(text)))
    return text + spaces if spec.flags & LEFT else spaces + text


def string_nocheck(text: bytes, spec: Spec) -> bytes:
    text = text.split(b"\0", 1)[0]
    return pad(text[: spec.precision] if spec.precision >= 0 else text, spec)


def error_string(text: bytes, spec: Spec) -> bytes:
    """error_string(): a message in place of what could not be printed, at most a pointer's width long."""
    precision = 2 * 8 if spec.precision == -1 else spec.precision
    return string_nocheck(text, Spec(spec.flags, spec.width, precision, spec.qualifier, spec.conv))


def wrap(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >= 1 << (bits - 1) else value

