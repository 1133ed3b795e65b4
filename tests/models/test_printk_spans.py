"""Each conversion's output span (models.printkspans) is what vsnprintf() writes for it alone, and two calls'
conversions are named where they differ: 'leaf: %llu -> %#llx (33 -> 0x21)'."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.printk import vsnprintf
from models.printkspans import conversion_changes, line_spans, spans

_CONVS = ["%llu", "%#llx", "%#016llx", "0x%016llx", "0x%llx", "%d", "%-5u", "%08x", "%#o", "%lld", "%X", "%%",
          "%s", "%c", "%.3d", "%+d"]


def _arg(conv: str, value: int) -> int | bytes:
    return b"str" if conv.endswith("s") else value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "leaf ", " x=", "\n", ": "]), st.sampled_from(_CONVS),
                          st.integers(-(1 << 63), (1 << 64) - 1)), max_size=6))
def test_each_span_is_the_conversion_alone_and_the_rest_is_the_format_text(parts: list[tuple[str, str, int]]) -> None:
    fmt = "".join(lit + conv for lit, conv, _ in parts).encode()
    args = [_arg(conv, v) for _, conv, v in parts if conv != "%%"]
    whole, found = spans(fmt, args)
    assert whole.text == vsnprintf(fmt, args).text
    assert len(found) == len(args)
    pos = 0
    for span, arg in zip(found, args, strict=True):
        conv = span.written.encode()
        assert whole.text[span.start : span.end] == vsnprintf(conv, [arg]).text
        assert span.start >= pos
        pos = span.end


def test_the_leaf_conversion_is_named_with_both_outputs() -> None:
    a = (b"seamcall leaf %llu failed: 0x%llx\n", [33, 5])
    b = (b"seamcall leaf %#llx failed: 0x%llx\n", [33, 5])
    assert conversion_changes(a, b, ["leaf", "err"]) == ("leaf: %llu -> %#llx (33 -> 0x21)",)
    assert conversion_changes(a, a, ["leaf", "err"]) == ()


def test_a_literal_0x_glued_to_the_conversion_is_said_with_it() -> None:
    # lib/vsprintf.c number(): with '#' the 0x counts in the field width, so 0x21 is 14 digits, not 16.
    a = (b"leaf 0x%016llx\n", [33])
    b = (b"leaf %#016llx\n", [33])
    assert conversion_changes(a, b) == ("0x%016llx -> %#016llx (0x0000000000000021 -> 0x00000000000021)",)
    # Without a width the two print alike, zero too (the kernel's '#' prints 0x0).
    assert conversion_changes((b"leaf 0x%llx", [0]), (b"leaf %#llx", [0])) == ("0x%llx -> %#llx (0x0 -> 0x0)",)


def test_spans_skip_percent_percent_and_know_strings_and_pointers() -> None:
    whole, found = spans(b"%d%% of %s at %px", [50, b"disk", 0x1000])
    assert whole.text == b"50% of disk at 0000000000001000"
    assert [(s.written, whole.text[s.start : s.end]) for s in found] == [
        (b"%d".decode(), b"50"), ("%s", b"disk"), ("%px", b"0000000000001000")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "leaf ", " x=", ": ", "("]), st.sampled_from(_CONVS),
                          st.integers(-(1 << 63), (1 << 64) - 1)), max_size=5),
       st.sampled_from(["\n", ")\n", ""]))
def test_a_line_read_back_gives_the_spans_printing_it_gave_or_none(parts: list[tuple[str, str, int]], end: str) -> None:
    # line_spans reads the spans from the printed line alone: where it answers, it must be what printing it made.
    fmt = ("".join(lit + conv for lit, conv, _ in parts) + end).encode()
    args = [_arg(conv, v) for _, conv, v in parts if conv != "%%"]
    whole, found = spans(fmt, args)
    read = line_spans(fmt, whole.text.removesuffix(b"\n") if fmt.endswith(b"\n") else whole.text)
    assert read is None or read == found


def test_a_line_is_read_where_its_conversions_are_told_apart() -> None:
    fmt = b"tdx: SEAMCALL (0x%016llx) failed: 0x%016llx\n"
    line = b"tdx: SEAMCALL (0x0000000000000021) failed: 0x00000000000c0001"
    found = line_spans(fmt, line)
    assert found is not None and [(s.written, line[s.start : s.end]) for s in found] == [
        ("%016llx", b"0000000000000021"), ("%016llx", b"00000000000c0001")]
    # Two readings of '123' under '%d%d' (1, 23 or 12, 3): none is claimed.
    assert line_spans(b"%d%d\n", b"123") is None
    # A line that format cannot print, a '*' width, a %p: not read.
    assert line_spans(fmt, b"tdx: SEAMCALL (33) failed: 0x5") is None
    assert line_spans(b"%*d\n", b"   5") is None and line_spans(b"%px\n", b"0000000000001000") is None
