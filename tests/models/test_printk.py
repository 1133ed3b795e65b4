"""printk formatting: cases worked out from lib/vsprintf.c's number()/format_decode(), and properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from models.printk import Arg, Pointer, PrintkError, PrintkUnsupported, format_printk, vsnprintf

CASES = [
    # The review's formats.
    ("SEAMCALL (0x%016llx) failed: 0x%016llx", (33, 0x8000020300000001),
     "SEAMCALL (0x0000000000000021) failed: 0x8000020300000001"),
    ("SEAMCALL (%llu) failed: %#016llx", (33, 0x8000020300000001), "SEAMCALL (33) failed: 0x8000020300000001"),
    ("P-SEAMLDR (%llx) failed: %#016llx", (0x8000000000000001, 0x8000000000030001),
     "P-SEAMLDR (8000000000000001) failed: 0x8000000000030001"),
    ("SEAMLDR (%lld) failed", (0x8000000000000001,), "SEAMLDR (-9223372036854775807) failed"),
    # '#' puts "0x" inside the width: %#016llx of a small value is 16 characters, 0x%016llx is 18.
    ("%#016llx", (0x12,), "0x00000000000012"),
    ("0x%016llx", (0x12,), "0x0000000000000012"),
    ("%#016llx", (0,), "0x00000000000000"),
    # Kernel differences from C's printf.
    ("%#x", (0,), "0x0"),
    ("%#o", (0,), "0"),
    ("%#o", (8,), "010"),
    ("%08.3d", (7,), "00000007"),
    ("%.0d", (0,), "0"),
    ("%.d|%5.x", (0, 255), "0|   ff"),
    ("%.*d", (-3, 5), "5"),
    ("%*d|", (-4, 7), "7   |"),
    # Flags, widths, signs and qualifiers.
    ("%-5d|%5d|%+d|% d|%+d", (3, 3, 5, 5, -5), "3    |    3|+5| 5|-5"),
    ("%d %u %x %X", (-1, -1, -1, 255), "-1 4294967295 ffffffff FF"),
    ("%hhd %hhu %hd %hu", (200, 300, 0x18000, -1), "-56 44 -32768 65535"),
    ("%ld %lu %zu %zd %td", (-1, -1, -1, -1, -1), "-1 18446744073709551615 18446744073709551615 -1 -1"),
    ("%Lx %llo", (0xABC, 8), "abc 10"),
    ("%c%3c%-3c|", (65, 66, 67), "A  BC  |"),
    ("%s|%5s|%-5s|%.2s|%s", ("x", "ab", "ab", "abc", 0), "x|   ab|ab   |ab|(null)"),
    ("100%% sure", (), "100% sure"),
    # An unsupported conversion stops the output, as vsnprintf() does.
    ("a %jd b", (1,), "a "),
    ("a %n b", (1,), "a "),
    ("trailing %", (), "trailing "),
    ("a %f b", (1,), "a "),
]


@pytest.mark.parametrize(("fmt", "args", "want"), CASES)
def test_vsprintf_cases(fmt: str, args: tuple[int | str, ...], want: str) -> None:
    assert format_printk(fmt, *args) == want


def test_errors() -> None:
    with pytest.raises(PrintkError, match="too few"):
        format_printk("%d %d", 1)
    # A string's address is not modelled, so %d of one cannot be printed; %s of a small integer is the
    # kernel's "(efault)" (check_pointer_msg(): below PAGE_SIZE).
    with pytest.raises(PrintkUnsupported, match="%d of a string literal"):
        format_printk("%d", "x")
    assert format_printk("%s", 5) == "(efault)"


_U64 = st.integers(0, 2**64 - 1)


@given(_U64, st.integers(0, 40), st.sampled_from(["", "-", "0", "#", "#0", "-#"]), st.sampled_from("xXo"))
def test_hex_and_octal_match_c_without_precision(v: int, width: int, flags: str, conv: str) -> None:
    # Without a precision, the kernel and C agree, including "%#x" of 0 (Python follows C99 here);
    # Python spells an alternate-form octal "0o", so that one pair is left out.
    assume(not (conv == "o" and "#" in flags))
    assert format_printk(f"%{flags}{width}ll{conv}", v) == f"%{flags}{width}{conv}" % v


@given(st.integers(-(2**63), 2**63 - 1), st.integers(0, 30), st.sampled_from(["", "-", "0", "+", " ", "+0"]))
def test_decimal_matches_c_without_precision(v: int, width: int, flags: str) -> None:
    assert format_printk(f"%{flags}{width}lld", v) == f"%{flags}{width}d" % v


@given(_U64, st.integers(0, 40), st.integers(0, 30))
def test_zero_pad_with_precision_fills_the_width(v: int, width: int, precision: int) -> None:
    out = format_printk(f"%0{width}.{precision}llx", v)
    digits = f"{v:x}"
    assert len(out) == max(width, precision, len(digits))
    assert out.lstrip("0") == digits.lstrip("0")


@given(st.integers(-(2**40), 2**40))
def test_int_conversion_reads_32_bits(v: int) -> None:
    wrapped = (v + 2**31) % 2**32 - 2**31
    assert format_printk("%d", v) == str(wrapped)
    assert format_printk("%u", v) == str(v % 2**32)


ERR = 1 << 64  # ERR_PTR(-e) is the address ERR - e


@pytest.mark.parametrize(("fmt", "args", "want"), [
    # Every byte that is not a conversion is copied, UTF-8 included; a NUL ends the format.
    (b"temp %d\xc2\xb0C", (5,), b"temp 5\xc2\xb0C"),
    (b"\xff%d\x01", (7,), b"\xff7\x01"),
    (b"stop\0%d here", (1,), b"stop"),
    (b"%s", (b"a\0b",), b"a"),
    # pointer(): NULL and error pointers are not hashed, pointer_string() prints them in 16 hex digits.
    (b"%p", (Pointer(0),), b"0000000000000000"),
    (b"%p|%8p|%-18p|", (Pointer(ERR - 5), Pointer(0), Pointer(0)), b"fffffffffffffffb|       0|0" + b" " * 17 + b"|"),
    (b"%px %px", (Pointer(0x1234), Pointer(ERR - 1)), b"0000000000001234 ffffffffffffffff"),
    (b"%#px", (Pointer(0x1234),), b"0x00000000001234"),
    (b"%pxyz!", (Pointer(0),), b"0000000000000000!"),  # the extension letters are all consumed
    # %pe: errname() of an error pointer, the number for an unknown one, else the plain pointer.
    (b"%pe %pe %pe", (Pointer(ERR - 5), Pointer(ERR - 530), Pointer(ERR - 1234)), b"-EIO -ERECALLCONFLICT -1234"),
    (b"%10pe|%-6pe|%pe", (Pointer(ERR - 11), Pointer(ERR - 2), Pointer(0)), b"   -EAGAIN|-ENOENT|0000000000000000"),
    # %s: check_pointer_msg() and error_string() (at most 16 characters unless a precision is given).
    (b"%s|%10s|%.3s|%s", (Pointer(0), Pointer(0), Pointer(0), Pointer(ERR - 5)), b"(null)|    (null)|(nu|(efault)"),
    (b"%pks|%pka|%pu", (b"kernel", Pointer(0), Pointer(0)), b"kernel|(einval)|(einval)"),
])
def test_vsnprintf_bytes_and_pointers(fmt: bytes, args: tuple[Arg, ...], want: bytes) -> None:
    out = vsnprintf(fmt, args)
    assert out.text == want and out.warnings == []


@pytest.mark.parametrize(("fmt", "args", "message"), [
    (b"%p", (Pointer(0x1234),), "hash of the address"),
    (b"%p", (Pointer(None),), "hash of the address"),
    (b"%px", (Pointer(None),), "address is not modelled"),
    (b"%pS", (Pointer(0xffffffff81001234),), "the kernel's symbol"),  # (printed: tests/models/test_printkptr.py)
    (b"%ps", (Pointer(None),), "the kernel's symbol"),
    (b"%pK", (Pointer(0x1234),), "kptr_restrict"),
    (b"%ph", (Pointer(None),), "its bytes are not modelled"),  # (%*ph of bytes known: test_printk_hex_gcc.py)
    (b"%pI6", (Pointer(0x1000),), "its bytes are not modelled"),  # (bytes known: tests/models/test_printkmem.py)
    (b"%pus", (Pointer(0x1000),), "user space"),
    (b"%s", (Pointer(0x10000),), "memory the mirror does not model"),
])
def test_what_lib_vsprintf_prints_from_memory_is_refused(fmt: bytes, args: tuple[Arg, ...], message: str) -> None:
    with pytest.raises(PrintkUnsupported, match=message):
        vsnprintf(fmt, args)


def test_invalid_conversions_and_oversized_fields_warn_as_the_kernel_does() -> None:
    out = vsnprintf(b"a %jd b", (1,))
    assert out.text == b"a " and out.warnings == ["Please remove unsupported %j in format string"]
    out = vsnprintf(b"end %", ())
    assert out.text == b"end " and out.warnings == ["Please remove unsupported %\0 in format string"]
    out = vsnprintf(b"%.*d|", (40000, 7))
    assert out.warnings == ["precision 40000 too large"] and out.text == b"0" * 32766 + b"7|"


def test_field_widths_are_ints() -> None:
    # struct printf_spec's field_width is an int since v6.14 (lib/vsprintf.c): set_field_width() never warns,
    # a width is kept whole. -2**23, which the old 24-bit field kept negative, is a width of 2**23 with '-'.
    out = vsnprintf(b"%*d|", (-(1 << 23), 7))
    assert out.warnings == [] and out.text == b"7" + b" " * 8388607 + b"|"
    assert vsnprintf(b"%*c|", (-(1 << 23), 65)).text == b"A" + b" " * 8388607 + b"|"
    assert vsnprintf(b"%8388608c|", (65,)).text == b" " * 8388607 + b"A|"
    # skip_atoi() reads a literal width into an int (wrapping, -fwrapv): 2**32 - 1 is -1, no width; 2**32 + 4 is 4.
    assert vsnprintf(b"%4294967295d|%4294967300d|", (5, 6)).text == b"5|   6|"
    # INT_MIN negated stays INT_MIN: widen_string() pads nothing, while number() subtracts the digits from it and
    # wraps to INT_MAX (2**31 - 1 trailing spaces), as %c's count-down does: past what the mirror writes out.
    assert vsnprintf(b"%*s|", (-(1 << 31), b"ab")).text == b"ab|"
    for fmt, arg in ((b"%*d|", 7), (b"%*c|", 65), (b"%+*x|", 7)):
        with pytest.raises(PrintkUnsupported, match="2147483647 bytes"):
            vsnprintf(fmt, (-(1 << 31), arg))
    with pytest.raises(PrintkUnsupported, match="16777215 bytes"):
        vsnprintf(b"%*d|", (-(1 << 24), 7))
