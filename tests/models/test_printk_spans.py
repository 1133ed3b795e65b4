"""Each conversion's output span is what vsnprintf() writes for it alone.

Each conversion's output span (models.printkspans) is what vsnprintf() writes for it alone, and two calls'
conversions are named where they differ: 'leaf: %llu -> %#llx (33 -> 0x21)'."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import printk, printkspans
from models.printk import Arg, Spec, vsnprintf
from models.printkspans import _readers, conversion_changes, line_spans, spans

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


def _lazy(greedy: re.Pattern[bytes]) -> re.Pattern[bytes]:
    """The laziest pattern of a greediest one: each group's class taken as few times as it can."""
    return re.compile(greedy.pattern.replace(b"*)", b"*?)"), re.DOTALL)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "leaf ", " x=", ": ", "(", "-", "a", "0x", "x"]),
                          st.sampled_from(_CONVS), st.integers(-(1 << 63), (1 << 64) - 1)), min_size=1, max_size=4),
       st.sampled_from(["\n", ")\n", "", " \n", "5\n"]), st.integers(0, 40), st.binary(max_size=3))
def test_a_line_is_read_by_the_greediest_match_alone_only_where_it_is_the_one(
        parts: list[tuple[str, str, int]], end: str, cut: int, junk: bytes) -> None:
    # A format whose every conversion is followed by text its class lacks has one reading of a line: the lazy
    # pattern is not made (its compiling and matching cost most of naming a conversion). The laziest match must
    # then agree with the greediest on the printed line and on lines it never printed.
    fmt = ("".join(lit + conv for lit, conv, _ in parts) + end).encode()
    readers = _readers(fmt)
    if readers is None or readers[0] is not None:
        return
    lazy, greedy = _lazy(readers[1]), readers[1]
    text = spans(fmt, [_arg(conv, v) for _, conv, v in parts if conv != "%%"])[0].text
    for line in (text, text[:cut] + junk + text[cut:], text[:cut] + text[cut + 1 :]):
        a, b = lazy.fullmatch(line), greedy.fullmatch(line)
        assert (a is None) == (b is None), (fmt, line)
        assert a is None or b is None or a.regs == b.regs, (fmt, line)


def test_the_lazy_reading_is_made_only_where_a_part_could_end_elsewhere() -> None:
    forced = _readers(b"tdx: SEAMCALL (%llu) failed: 0x%016llx\n")  # ')' and '\n' end the digits
    assert forced is not None and forced[0] is None
    for fmt in (b"RCX 0x%016llx RDX 0x%016llx\n", b"%d%d\n", b"%s: %d\n", b"x %llu"):  # a space, a digit, any
        readers = _readers(fmt)
        assert readers is not None and readers[0] is not None, fmt


def test_a_part_that_recurs_is_printed_again_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # models.printk's conversions are Python: a status or leaf in the lines of many formats is checked once.
    calls: list[bytes] = []
    real = printk._convert

    def counted(spec: Spec, arg: Arg) -> bytes:
        calls.append(real(spec, arg))
        return calls[-1]

    monkeypatch.setattr(printkspans, "_convert", counted)
    monkeypatch.setattr(printkspans, "_AGAIN", {})
    line_spans.cache_clear()
    for fn in (b"33", b"34"):
        for prefix in (b"tdx", b"seamldr"):
            fmt = prefix + b": SEAMCALL (%llu) failed: %#016llx\n"
            assert line_spans(fmt, prefix + b": SEAMCALL (" + fn + b") failed: 0x000000000c0001") is not None
    assert sorted(calls) == [b"0x000000000c0001", b"33", b"34"]
    line_spans.cache_clear()
