"""Which output bytes each conversion of a printk format wrote, and how two calls' conversions differ (by name)."""

# A log note that says only the printed forms ('hex with 0x, 18 chars -> decimal') leaves the reader to guess the
# conversions; one that names them ('leaf: %llu -> %#llx (33 -> 0x21)') is what a review argues over. The bytes
# come from models.printk, conversion by conversion as vsnprintf() writes them, so each one's span is its own.

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from models.printk import Arg, Formatted, PrintkError, Spec, _convert, _Decoder, vsnprintf
from models.printknum import LEFT, SPECIAL
from models.printkptr import pointer as _pointer
from models.record import record


@record
class Span:
    """One conversion that read an argument: as written ('%#016llx'), the offset of its '%' in the format, the text
    of the format just before it back to a space or the previous conversion (a literal '0x'), and the bytes
    ``start``..``end`` of the output it wrote."""

    written: str
    at: int
    literal: str
    start: int
    end: int


def _literal(fmt: bytes, since: int, j: int) -> str:
    """The format's text right before a conversion at ``j``: from its last space (or ``since``, where the
    previous conversion ended) on, as a reader would read a prefix glued to the number ('0x%llx')."""
    head = fmt[since:j]
    cut = max(head.rfind(b" "), head.rfind(b"\t"), head.rfind(b"\n"))
    return head[cut + 1:].decode("latin-1")


def spans(fmt: bytes, args: Sequence[Arg]) -> tuple[Formatted, tuple[Span, ...]]:
    """vsnprintf() of ``fmt`` and ``args`` (models.printk's bytes, the same) and where each conversion wrote."""
    whole = vsnprintf(fmt, args)  # the text, warnings and unused count as the mirror's own, whatever follows
    fmt = fmt.partition(b"\0")[0]
    text = bytearray()
    found: list[Span] = []
    decoder = _Decoder(fmt, list(args), [])
    i = since = 0
    while (j := fmt.find(b"%", i)) >= 0:
        text += fmt[i:j]
        spec, i = decoder.decode(j + 1)
        if spec is None:
            break
        start = len(text)
        if spec.conv == "%":
            text += b"%"
            continue
        if spec.conv == "p":
            end = i
            while end < len(fmt) and fmt[end : end + 1].isalnum():
                end += 1
            text += _pointer(fmt[i:end].decode("ascii"), decoder.pop("p"), spec)
            i = end
        else:
            text += _convert(spec, decoder.pop(spec.conv))
        found.append(Span(fmt[j:i].decode("latin-1"), j, _literal(fmt, since, j), start, len(text)))
        since = i
    return whole, tuple(found)


def conversion_changes(a: tuple[bytes, Sequence[Arg]], b: tuple[bytes, Sequence[Arg]],
                       names: Sequence[str] = ()) -> tuple[str, ...]:
    """How two calls' conversions differ, the n-th argument's against the n-th: 'leaf: %llu -> %#llx (33 -> 0x21)',
    a literal glued before it said with it ('0x%016llx -> %#016llx (0x0000000000000021 -> 0x00000000000021)');
    ``names``, the arguments' expressions where known. Conversions written alike are not said."""
    (fa, sa), (fb, sb) = spans(*a), spans(*b)
    notes: list[str] = []
    for n, (x, y) in enumerate(zip(sa, sb, strict=False)):
        if (x.literal, x.written) == (y.literal, y.written):
            continue
        px, py = printed(fa.text, x), printed(fb.text, y)
        name = f"{names[n]}: " if n < len(names) and names[n] else ""
        notes.append(f"{name}{x.literal}{x.written} -> {y.literal}{y.written} ({px} -> {py})")
    return tuple(notes)


def printed(text: bytes, span: Span) -> str:
    """What a conversion printed with the literal glued before it, when the output holds that literal there."""
    out = text[span.start : span.end].decode("utf-8", "backslashreplace")
    lit = span.literal
    return lit + out if text[: span.start].decode("latin-1").endswith(lit) else out



# What an integer conversion can print (lib/vsprintf.c number(): digits of its base, a sign, the 0x of '#', padding
# spaces), as regex classes: a superset, so that the line's true reading is among those the pattern allows.
_DIGITS = {"d": b"0-9", "i": b"0-9", "u": b"0-9", "x": b"0-9a-fx", "X": b"0-9A-FX", "o": b"0-7"}
_BASE = {"x": 16, "X": 16, "o": 8}


@lru_cache(maxsize=1024)  # one line pair is read under many scenarios and comparisons
def line_spans(fmt: bytes, line: bytes) -> tuple[Span, ...] | None:
    """Where each conversion of ``fmt`` wrote in ``line``, a log line a call with that format printed (its final
    newline off), read from the line alone: None unless exactly one reading of the line fits the format (the
    laziest and the greediest match agree, so every conversion's extent is forced) and each conversion, given the
    value read from its part, prints that part again (vsnprintf() is the format's text and its conversions' output,
    side by side). Not for '*', %p, or a format of more than one line."""
    readers = _readers(fmt)
    if readers is None:
        return None
    lazy, greedy, convs = readers
    target = line + (b"\n" if fmt.endswith(b"\n") else b"")
    b = greedy.fullmatch(target)
    a = lazy.fullmatch(target) if lazy is not None and b is not None else b
    if a is None or b is None or a.regs != b.regs:
        return None
    found = []
    for n, (spec, written, at, literal) in enumerate(convs, start=1):
        part = a.group(n)
        again = _AGAIN.get((written, part))
        if again is None:
            again = _prints_again(spec, written, part)
        if not again:
            return None
        found.append(Span(written, at, literal, *a.span(n)))
    return tuple(found)


# Whether a conversion as written ('%#016llx', no '*': it alone makes its Spec) prints a part again: a leaf's
# number, a status recur in the lines of many formats, and models.printk's conversions are Python.
_AGAIN: dict[tuple[str, bytes], bool] = {}
_AGAIN_MAX = 4096


def _prints_again(spec: Spec, written: str, part: bytes) -> bool:
    """Whether the conversion ``written`` (whose Spec is ``spec``), given the value read from ``part``, prints
    ``part`` again; kept in _AGAIN."""
    try:
        again = _convert(spec, _value(spec, part)) == part
    except (PrintkError, ValueError):  # digits no conversion of that base prints: not this format's line
        again = False
    if len(_AGAIN) >= _AGAIN_MAX:
        _AGAIN.clear()
    _AGAIN[written, part] = again
    return again


_Conversion = tuple[Spec, str, int, str]  # a conversion's Spec, and its Span's written, at and literal


# The bytes each class of _DIGITS holds: a conversion's part ends where the format's text after it begins when
# that text's first byte is none of them.
_DECIMAL = b"-+ 0123456789"
_HOLDS = {"d": _DECIMAL, "i": _DECIMAL, "u": _DECIMAL, "x": _DECIMAL + b"abcdefx", "X": _DECIMAL + b"ABCDEFX",
          "o": b"-+ 01234567"}
_Readers = tuple[re.Pattern[bytes] | None, re.Pattern[bytes], tuple[_Conversion, ...]]


@lru_cache(maxsize=256)  # a few formats print many lines
def _readers(fmt: bytes) -> _Readers | None:
    """The laziest and the greediest pattern of what ``fmt`` prints, a group per conversion that reads an argument
    (a class of what it can print), and those conversions; None for a format line_spans does not read. No lazy
    pattern where every conversion is followed by text starting with a byte its class lacks: each part then ends
    at that byte, the one reading of a line there is, which the greediest match finds alone."""
    if b"*" in fmt or b"\n" in fmt[:-1] or b"\0" in fmt:
        return None
    lazy, greedy, after, convs = [b""], [b""], [b""], []
    decoder, i, since = _Decoder(fmt, [], []), 0, 0
    try:
        while (j := fmt.find(b"%", i)) >= 0:
            spec, i_next = decoder.decode(j + 1)
            if spec is None or spec.conv == "p":
                return None
            text = fmt[i:j] + (b"%" if spec.conv == "%" else b"")
            literal = re.escape(text)
            lazy[-1] += literal
            greedy[-1] += literal
            after[-1] += text
            if spec.conv != "%":
                cls = b"[-+ " + _DIGITS[spec.conv] + b"]" if spec.conv in _DIGITS else b"[\\s\\S]"
                lazy += [b"(" + cls + b"*?)", b""]
                greedy += [b"(" + cls + b"*)", b""]
                after.append(b"")
                convs.append((spec, fmt[j:i_next].decode("latin-1"), j, _literal(fmt, since, j)))
                since = i_next
            i = i_next
    except PrintkError:
        return None
    after[-1] += fmt[i:]
    tail = re.escape(fmt[i:])
    forced = all(spec.conv in _HOLDS and text[:1] and text[0] not in _HOLDS[spec.conv]
                 for (spec, *_), text in zip(convs, after[1:], strict=True))
    return (None if forced else re.compile(b"".join(lazy) + tail, re.DOTALL),
            re.compile(b"".join(greedy) + tail, re.DOTALL), tuple(convs))


def _value(spec: Spec, text: bytes) -> Arg:
    """The argument a conversion that printed ``text`` was given, as far as the text tells (vsnprintf() then checks)."""
    if spec.conv == "s":
        return text
    if spec.conv == "c":
        char = text[:1] if spec.flags & LEFT else text[-1:]  # the width pads it with spaces on the other side
        return char[0] if char else 0
    digits = text.strip(b" ")
    negative = digits[:1] == b"-"
    digits = digits.lstrip(b"+- ")
    if spec.flags & SPECIAL and spec.conv in "xX":
        digits = digits[2:] if digits[:2].lower() == b"0x" else digits
    value = int(digits, _BASE.get(spec.conv, 10)) if digits else 0
    return (-value if negative else value) & ((1 << 64) - 1)
