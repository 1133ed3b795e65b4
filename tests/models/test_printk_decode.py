"""A conversion decoded once is reused (models.printk._DECODED) only where decoding it again would give the same:
not one that takes a '*' width or precision from the arguments, nor one the kernel warns of."""

from __future__ import annotations

from models.printk import vsnprintf


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
