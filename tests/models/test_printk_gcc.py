"""printk's vsnprintf() against gcc + the C library where C99 and the kernel agree, else by hand from vsprintf.c."""

from __future__ import annotations

import shutil

import pytest

from models.printk import PrintkUnsupported, vsnprintf
from tests.models.printkgen import Case, c99_agrees, disagreements, generate

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")


@needs_gcc
def test_generated_formats_print_as_the_c_library_prints_them() -> None:
    # Every integer conversion with every flag, literal and '*' widths and precisions, hh..t; %c, %s, %%;
    # 12,000 cases in one gcc build (`python -m tests.models.printkgen --cases 200000` runs a campaign).
    cases = generate(2026, 12000)
    assert sum(b"*" in c.fmt for c in cases) > 1000 and sum(b"#" in c.fmt for c in cases) > 1000
    bad = disagreements(cases)
    assert not bad, bad[:5]


@needs_gcc
def test_the_differences_left_out_are_real() -> None:
    # What c99_agrees() keeps out does print differently under the C library: the generator's filter is the
    # kernel's rule, not a way to hide a disagreement. (The kernel's side is the table below.)
    kept_out = [Case(b"%#x", ((0, "i"),)), Case(b"%.0d", ((0, "i"),)), Case(b"%05.2d", ((7, "i"),)),
                Case(b"%#.5o", ((8, "i"),)), Case(b"%.s", ((b"abc", "s"),)), Case(b"%.*s", ((-1, "i"), (b"ab", "s")))]
    assert len(disagreements(kept_out)) == len(kept_out)
    assert not c99_agrees("#", None, "x", 0) and c99_agrees("#", None, "x", 1)


# Where the kernel and C99 differ: the kernel's bytes, worked out by hand from lib/vsprintf.c.
KERNEL_ONLY = [
    # number(): '#' with base 16 always writes "0x", zero or not; C: "0".
    (b"%#x|%#X|%#5x|%-#5x|%#05x", (0, 0, 0, 0, 0), b"0x0|0X0|  0x0|0x0  |0x000"),
    # number(): precision 0 of 0 still prints the digit (i > precision raises it); C prints nothing.
    (b"%.0d|%.0u|%.0x|%#.0x|%#.0o|%+.0d|% .0i", (0, 0, 0, 0, 0, 0, 0), b"0|0|0|0x0|0|+0| 0"),
    # number(): ZEROPAD is dropped only by LEFT, never by a precision; C drops the '0' flag under a precision.
    (b"%08.3d|%08.3x|%-08.3d|%+08.2d", (7, 0xA, 7, -7), b"00000007|0000000a|007     |-0000007"),
    # format_decode(): a '.' with no digits leaves the precision unset (-1): '0' still pads, %s prints whole.
    (b"%05.d|%.s|%3.s|", (7, b"abc", b"abcd"), b"00007|abc|abcd|"),
    # number(): the octal '0' prefix is written before the precision's zeros (C raises the precision instead).
    (b"%#.5o|%#08.3o|%#.1o", (8, 8, 8), b"000010|00000010|010"),
    # format_decode(): a negative '*' precision is 0 (C: none): %s prints nothing, a number its digits.
    (b"%.*s|%.*d|%.*d", (-1, b"abc", -5, 0, -5, 42), b"|0|42"),
    # number(): '#' means nothing in base 10; '+' and ' ' only with SIGN (d, i).
    (b"%#d|%#u|%+u|% x|%+o", (5, 5, 5, 5, 8), b"5|5|5|5|10"),
    # widen_string() pads %c and %s with spaces whatever the flags; '#', '+', ' ' are ignored there.
    (b"%05c|%+3c|%05s|%#4s|%-05s|", (65, 66, b"ab", b"x", b"y"), b"    A|  B|   ab|   x|y    |"),
    # format_decode(): a width or precision before '%' is read and ignored; "%%" is a '%'.
    (b"%5%|%-5%|%.3%|%05%", (), b"%|%|%|%"),
    # lookup_state: 'L' is long long, a lone 'H' a char (v6.14); 'j' and 'q' are no length: the output stops.
    (b"%Ld|%Lu|%Hd|%Hu|%hhx", (-1, -1, 300, 300, 0x1FF), b"-1|18446744073709551615|44|44|ff"),
    (b"a %jd b", (1,), b"a "),
    (b"a %qd b", (1,), b"a "),
    (b"a %HHd b", (1,), b"a "),
    (b"a %LLd b", (1,), b"a "),
    (b"a %zzd b", (1,), b"a "),
    # A length before c, s, p or % changes nothing.
    (b"%lc|%hs|%ll%|%zp", (65, b"s", 0), b"A|s|%|0000000000000000"),
    # string(): NULL is "(null)", error_string() at most 16 bytes unless a precision is given.
    (b"%s|%.2s|%8s|%-8s|", (0, 0, 0, 0), b"(null)|(n|  (null)|(null)  |"),
    # check_pointer_msg(): the first page and error pointers are "(efault)".
    (b"%s|%s", (4095, (1 << 64) - 22), b"(efault)|(efault)"),
    # format_decode(): a lone '%' at the end and an unknown conversion stop the output.
    (b"100%", (), b"100"),
    (b"x %y %d", (1,), b"x "),
    (b"x %-08.3k %d", (1,), b"x "),
]


@pytest.mark.parametrize(("fmt", "args", "want"), KERNEL_ONLY)
def test_where_the_kernel_and_c99_differ(fmt: bytes, args: tuple[int | bytes, ...], want: bytes) -> None:
    assert vsnprintf(fmt, args).text == want


@pytest.mark.parametrize(("fmt", "args", "want"), [
    # err_ptr(): errname() of ERR_PTR(-e) (CONFIG_SYMBOLIC_ERRNAME), with the width and precision of a string;
    # a code errname() lacks is printed as a signed decimal with the spec's flags.
    (b"%pe|%8pe|%-8pe|%.3pe", tuple((1 << 64) - e for e in (5, 12, 22, 517)), b"-EIO| -ENOMEM|-EINVAL |-EP"),
    (b"%pe|%+8pe|%-6pe|", tuple((1 << 64) - e for e in (4000, 4095, 1)), b"-4000|   -4095|-EPERM|"),
    # A non-error pointer under %pe is a plain %p: NULL in 16 digits, not hashed.
    (b"%pe|%#pe|%20pe", (0, 0, 0), b"0000000000000000|0x00000000000000|                   0"),
    # %px: pointer_string(), the width and flags of the spec when one is given.
    (b"%px|%-6px|%#px|%08px", (0x1234, 0x12, 0x1234, 0x12), b"0000000000001234|12    |0x00000000001234|00000012"),
    # ... without a width, 16 digits with ZEROPAD, which '-' drops; '#' counts its "0x" in them; '+' needs SIGN.
    (b"%-p|%#-p|%+p|%.5p|%5.3px|", (0, 0, 0, 0, 0),
     b"0" + b" " * 15 + b"|0x0" + b" " * 13 + b"|" + b"0" * 16 + b"|" + b"0" * 16 + b"|  000|"),
])
def test_pointers_the_mirror_knows(fmt: bytes, args: tuple[int, ...], want: bytes) -> None:
    assert vsnprintf(fmt, args).text == want


@pytest.mark.parametrize(("fmt", "arg"), [
    (b"%p", 0x1234), (b"%pS", 0xFFFF_FFFF_8100_1234), (b"%pB", 0xFFFF_FFFF_8100_1234), (b"%pK", 0x1234),
    (b"%ph", 0x1234),
    (b"%pA", 0x1234), (b"%pe", 0xFFFF_8880_0000_0000),
])
def test_what_depends_on_memory_or_a_key_is_refused(fmt: bytes, arg: int) -> None:
    # ptr_to_id() hashes with a boot-time siphash key; %pK follows kptr_restrict; %pS reads kallsyms (a kernel
    # address: a user-space one, NULL and %pK of NULL print alike in every kernel, tests/models/test_printkptr.py).
    with pytest.raises(PrintkUnsupported):
        vsnprintf(fmt, (arg,))
