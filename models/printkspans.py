"""Which output bytes each conversion of a printk format wrote, and how two calls' conversions differ (by name)."""

# A log note that says only the printed forms ('hex with 0x, 18 chars -> decimal') leaves the reader to guess the
# conversions; one that names them ('leaf: %llu -> %#llx (33 -> 0x21)') is what a review argues over. The bytes
# come from models.printk, conversion by conversion as vsnprintf() writes them, so each one's span is its own.

from __future__ import annotations

from collections.abc import Sequence

from models.printk import Arg, Formatted, _convert, _Decoder, _pointer, vsnprintf
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
        px, py = _printed(fa.text, x), _printed(fb.text, y)
        name = f"{names[n]}: " if n < len(names) and names[n] else ""
        notes.append(f"{name}{x.literal}{x.written} -> {y.literal}{y.written} ({px} -> {py})")
    return tuple(notes)


def _printed(text: bytes, span: Span) -> str:
    """What a conversion printed with the literal glued before it, when the output holds that literal there."""
    out = text[span.start : span.end].decode("utf-8", "backslashreplace")
    lit = span.literal
    return lit + out if text[: span.start].decode("latin-1").endswith(lit) else out
