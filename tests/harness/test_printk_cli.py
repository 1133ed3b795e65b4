"""`seamharness printk`: the format as a C string (bytes kept, escapes as gcc reads them), C integers as args."""

from __future__ import annotations

import subprocess
import sys

import pytest


def printk(*argv: str) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from harness.launch import console; sys.argv[0] = \"seamharness\"; console()"
    return subprocess.run([sys.executable, "-c", code, "printk", *argv], capture_output=True, check=False)


@pytest.mark.parametrize(("argv", "want"), [
    (("temp %d°C\\n", "5"), "temp 5°C\n".encode()),
    (("%d %i|%u", "-5", "-0x10", "-1"), b"-5 -16|4294967295\n"),
    (("%d %u %llx", "1u", "5UL", "0x10ULL"), b"1 5 10\n"),  # C integer suffixes
    (("%o %d", "010", "010"), b"10 8\n"),
    (("\\x41\\101\\t%s", "é"), "AA\té\n".encode()),
    (("%pe %px %p", "-5", "0x1234", "0"), b"-EIO 0000000000001234 0000000000000000\n"),
    (("\\xff%c", "65"), b"\xffA\n"),
    (("%s\\x141", "x"), b"xA\n"),  # past a byte: gcc warns and keeps the low byte
    (("-%d", "1"), b"-1\n"),
    # A '-' negates in the constant's C type, wrapping in an unsigned one, as gcc computes it (an unsigned long
    # -0x8000000000000001 too): tests/models/test_printk_args_gcc.py.
    (("%llx %llx %lld", "-1u", "-0x80000000", "-0x8000000000000001"), b"ffffffff 80000000 9223372036854775807\n"),
    # Only C integer constants are integers (gcc's 0b too); what else Python's int() reads is a string.
    (("%d %d %u|%s|%s|%s", "0b101", "+7", "-1u", "1_000", "0o17", "\u0661\u0662"),
     "5 7 4294967295|1_000|0o17|\u0661\u0662\n".encode()),
])
def test_output_bytes(argv: tuple[str, ...], want: bytes) -> None:
    res = printk(*argv)
    assert res.returncode == 0, res.stderr
    assert res.stdout == want


@pytest.mark.parametrize(("argv", "message"), [
    (("bad \\x escape %d\\n", "1"), "printk: FORMAT is not a valid C string: \\x used with no following hex digits"),
    (("%p", "0x1234"), "prints a hash of the address"),
    (("%d %d", "1"), "too few arguments for %d"),
    (("%llx %#016llx", "1"), "too few arguments for %#016llx"),  # the conversion as written, not its letter
    (("%d %pK", "1"), "too few arguments for %pK"),
    (("x", "1"), "too many arguments: FORMAT takes 0, not 1 (left over: 1)"),  # gcc -Wformat-extra-args
    (("%*d %s", "3", "1", "a", "b"), "FORMAT takes 3, not 4 (left over: b)"),
    # A C argument is 64 bits at most: a wider number is refused, not wrapped.
    (("%llx", "0x10000000000000000"), "ARG 0x10000000000000000 does not fit in 64 bits"),
    (("%lld", "-9223372036854775809"), "ARG -9223372036854775809 does not fit in 64 bits"),
    (("%d", "1_000"), "%d of a string literal"),
    # A number that is no C constant (gcc: invalid digit in an octal constant; no floats) is said to be one.
    (("%d", "08"), "(ARG 08 is no C integer constant, so it was read as a string)"),
    (("%s %u", "x", "1.5"), "%u of a string literal: its address is not modelled (ARG 1.5 is no C integer"),
    (("%llx", "nope"), "%llx of a string literal"), (("%hhd", "x"), "%hhd of a string literal"),  # not %x, %d
    # vsnprintf() pads to any int width (v6.14); past 8,388,607 bytes the mirror refuses to write it out.
    (("%*d|", "-2147483648", "7"), "a field padded with 2147483647 bytes"),
    # Nor the whole text past that: each field was bounded, their sum not (40 of them: 335 MB out, 680 MB held).
    (("%8000000d" * 3, "1", "2", "3"), "vsnprintf() writes more than 16,777,216 bytes here"),
])
def test_bad_input_is_one_line_exit_2(argv: tuple[str, ...], message: str) -> None:
    res = printk(*argv)
    assert res.returncode == 2 and res.stdout == b""
    lines = res.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seamharness: ") and message in lines[0], lines
    assert b"Traceback" not in res.stderr


@pytest.mark.parametrize(("argv", "message"), [
    # 100,000 left over: the first few and a count, not every one (a line of 600 KB before).
    (("%d", *map(str, range(1, 100_001))), "FORMAT takes 1, not 100,000 (left over: 2 3 4 5 6 7 8 9 and 99,991 more)"),
    (("%d %s", "1", "2", "x" * 5000), "(left over: xxxx"),
    # A decimal constant past Python's 4,300 digits is past 64 bits (gcc: too large for its type), not a string.
    (("%d", "9" * 5000), "ARG 9999"),
    (("%d", "0" + "1" * 3000 + "8"), "is no C integer constant"),
    (("%" + "0" * 3000 + "5d",), "too few arguments for %000"),
])
def test_an_error_quotes_the_input_bounded(argv: tuple[str, ...], message: str) -> None:
    res = printk(*argv)
    assert res.returncode == 2 and res.stdout == b""
    lines = res.stderr.decode().splitlines()
    assert len(lines) == 1 and message in lines[0] and len(lines[0]) < 240, lines[0][:400]


def test_kernel_warning_for_an_invalid_conversion() -> None:
    res = printk("a %jd b", "1")
    assert res.returncode == 0 and res.stdout == b"a \n"
    warning = "seamharness: the kernel would warn: Please remove unsupported %j in format string"
    assert res.stderr.decode().strip() == warning


def test_a_trailing_percent_warns_with_the_nul_shown() -> None:
    # format_decode() warns with %c of the character after '%': at the end of the format that is the NUL, which
    # went to the terminal as a raw byte.
    res = printk("abc %")
    assert res.returncode == 0 and res.stdout == b"abc \n"
    assert b"\0" not in res.stderr
    said = "seamharness: the kernel would warn: Please remove unsupported %\\x00 in format string"
    assert res.stderr.decode().strip() == said


def test_one_warning_per_vsprintf_function() -> None:
    # set_precision()'s WARN_ONCE fires once, whatever the values (lib/vsprintf.c).
    res = printk("%.*d|%.*d", "40000", "1", "50000", "2")
    assert res.returncode == 0
    assert res.stderr.decode().strip() == "seamharness: the kernel would warn: precision 40000 too large"
