"""`seamharness printk`'s ARGs: a C integer constant is the value gcc computes for it.

`seamharness printk`'s ARGs: a C integer constant, maybe negated, is the value gcc computes for it (its type by
C11 6.4.4.1 on x86-64, a '-' wrapping in an unsigned one), carried as a 64-bit argument."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from models.printk import PrintkError, command_line

_BOUNDS = (0, 1, 5, (1 << 31) - 1, 1 << 31, (1 << 31) + 1, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, (1 << 63) - 1,
           1 << 63, (1 << 63) + 1, (1 << 64) - 1)
_SUFFIXES = ("", "u", "U", "l", "L", "ul", "lu", "ULL", "ll", "LL", "llu", "uLL")
_BASES = ("{:d}", "0x{:x}", "0X{:X}", "0{:o}", "0b{:b}")


def arg_texts(seed: int, count: int) -> list[str]:
    """C integer constants, maybe signed: every base and suffix, magnitudes at the type boundaries and between them.
    Left out: a decimal without u past LLONG_MAX (gcc makes it an __int128 and warns: the test below)."""
    rnd, out = random.Random(seed), []
    while len(out) < count:
        bits = rnd.choice((8, 31, 32, 33, 63, 64))
        magnitude = rnd.choice(_BOUNDS) if rnd.random() < 0.7 else rnd.randrange(1 << bits)
        base, suffix = rnd.choice(_BASES), rnd.choice(_SUFFIXES)
        if base == "{:d}" and "u" not in suffix.lower() and magnitude >= 1 << 63:
            continue
        text = base.format(magnitude)
        out.append(rnd.choice(("", "-", "+")) + (text if text != "00" else "0") + suffix)
    return out


def gcc_values(tmp_path: Path, texts: list[str], gcc: str) -> list[int]:
    """What gcc makes of each constant expression, converted to the 64-bit unsigned argument."""
    src, exe = tmp_path / "args.c", tmp_path / "args"
    lines = "".join(f'\tprintf("%llx\\n", (unsigned long long)({t}));\n' for t in texts)
    src.write_text(f"#include <stdio.h>\nint main(void)\n{{\n{lines}\treturn 0;\n}}\n")
    subprocess.run([gcc, "-std=gnu11", "-o", str(exe), str(src)], check=True, capture_output=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return [int(x, 16) for x in out.split()]


def test_arguments_are_the_values_gcc_computes(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    texts = ["-1u", "-0x80000000", "-0xffffffff", "-4294967295u", "-0x8000000000000001", "-1", "-0x7fffffff",
             "-2147483648", "-0b1u", "-037777777777", "-5ul", "+0xffffffffu", *arg_texts(45, 1500)]
    got = [int(command_line("%llx", [t]).text, 16) for t in texts]
    want = gcc_values(tmp_path, texts, gcc)
    bad = [(t, hex(g), hex(w)) for t, g, w in zip(texts, got, want, strict=True) if g != w]
    assert not bad, bad[:5]  # before: -1u was 0xffffffffffffffff, -0x80000000 0xffffffff80000000


@pytest.mark.parametrize(("arg", "printed"), [
    # A decimal constant past LLONG_MAX is an __int128 to gcc ("so large that it is unsigned"): read as written,
    # the u64 or LLONG_MIN it names; past 64 bits refused.
    ("18446744073709551615", b"ffffffffffffffff"), ("-9223372036854775808", b"8000000000000000"),
    ("-18446744073709551615u", b"1"),  # an unsigned long long constant negated: 1, as gcc computes it
])
def test_decimal_past_llong_max(arg: str, printed: bytes) -> None:
    assert command_line("%llx", [arg]).text == printed


@pytest.mark.parametrize("arg", ["-9223372036854775809", "-18446744073709551615", "18446744073709551616",
                                 "-0x10000000000000000", "0x10000000000000000u"])
def test_past_64_bits_is_refused(arg: str) -> None:
    with pytest.raises(PrintkError, match=f"ARG {arg} does not fit in 64 bits"):
        command_line("%llx", [arg])
