"""A conversion decoded once is reused only where decoding it again gives the same.

A conversion decoded once is reused (models.printk._DECODED) only where decoding it again would give the same:
not one that takes a '*' width or precision from the arguments, nor one the kernel warns of."""

from __future__ import annotations

from models.printk import format_printk, vsnprintf


def test_star_widths_are_read_from_each_calls_arguments() -> None:
    for width, want in ((3, b"[  7]"), (6, b"[     7]"), (-4, b"[7   ]")):
        for _ in range(2):
            assert vsnprintf(b"[%*d]", [width, 7]).text == want
    assert vsnprintf(b"[%.*d]", [3, 7]).text == b"[007]"
    assert vsnprintf(b"[%.*d]", [1, 7]).text == b"[7]"


def test_the_same_format_decodes_alike_again_and_an_invalid_one_warns_every_time() -> None:
    first = vsnprintf(b"%08llx %-5u|", [255, 3])
    assert first.text == vsnprintf(b"%08llx %-5u|", [255, 3]).text == b"000000ff 3    |"
    for _ in range(2):
        out = vsnprintf(b"a %y b", [])
        assert out.text == b"a " and out.warnings == ["Please remove unsupported %y in format string"]


def test_a_width_of_more_digits_than_python_reads_wraps_as_skip_atoi_does() -> None:
    # lib/vsprintf.c skip_atoi() reads any number of digits into a wrapping int; Python's int() refuses more than
    # 4,300 (CVE-2020-10735), which was an internal error (exit 3) for `printk '%<5000 digits>d'`.
    import sys

    from models.printk import _atoi, _wrap

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # the oracle: Python's own int() of the whole number
    try:
        for digits in (b"9" * 5000, b"1" + b"0" * 8000 + b"7", b"42"):
            assert [_atoi(digits, bits) for bits in (16, 32)] == [_wrap(int(digits), bits) for bits in (16, 32)]
    finally:
        sys.set_int_max_str_digits(limit)
    # 10**5000 - 1 wraps to -1 in a 32-bit int: no width, as the kernel reads it
    assert _atoi(b"9" * 5000, 32) == -1
    assert format_printk("%" + "9" * 5000 + "d|", 1) == format_printk("%d|", 1) == "1|"
