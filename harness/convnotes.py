"""Log notes that name the printk conversion a value was printed with on each side, and the call that printed it."""

# 'same value 0x21 printed differently: '0x0000000000000021' -> '33'' leaves the reader to work out the formats; what
# a review argues over is the conversion: 'fn printed with '0x%016llx' -> '%llu' (...) at tdx.c:66'. The format of
# each line is the mirror's record of the call that printed it (models.outcome.LogSources), never a guess from the
# text; where a line's conversions cannot be told apart (models.printkspans.line_spans), the note stays as it was.

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from harness.explain import PRINTED, Printed, aligned, explain_tokens, placed_values, width_note
from harness.runner import variant_sources
from harness.variants import Variant
from models.facts import PRINTS
from models.loader import Source
from models.outcome import LineSources, LogSource, LogSources, Outcome
from models.printk import PrintkError, vsnprintf
from models.printkspans import Span, line_spans
from models.record import record

# A call site's argument expressions after its format (empty: not known).
Names = Callable[[str], tuple[str, ...]]
_SITE = re.compile(r"(.*?):(\d+)(?::\d+)?")
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_OPEN, _CLOSE = "([{", ")]}"
_CALL_LINES = 40  # how far a call's arguments may run on from its first line
_OX = ("0x", "0X")
_BASE = {"x": 16, "X": 16, "o": 8, "d": 10, "i": 10, "u": 10}  # a conversion's last letter: the base it prints in
_HEX = "0123456789abcdef"


def _is_value(note: str) -> bool:  # explain_tokens' note of another value printed
    return note.startswith("value '")


_VALUE_NOTE = "log: value '"  # _is_value's note as a difference carries it


@record
class ConversionChange:
    """One value printed by another conversion: the argument's expression ("" when not known), each side's conversion
    as written with a 0x glued before it ('0x%016llx'), what each printed, and each side's call ``path:line``."""

    argument: str
    before: str
    after: str
    printed_before: str
    printed_after: str
    site_before: str
    site_after: str


class ConversionNote(str):
    """A log note naming the conversions (its text), with them as data for the JSON report."""

    change: ConversionChange

    def __new__(cls, text: str, change: ConversionChange) -> ConversionNote:
        note = super().__new__(cls, text)
        note.change = change
        return note


def no_names(site: str) -> tuple[str, ...]:  # a Names that knows no call
    return ()


def names_in(v: Variant) -> Names:
    """A variant's printk calls' arguments by call site, read from its sources when a note asks (once per site)."""
    known: dict[str, tuple[str, ...]] = v.kept("printk-call-arguments", dict)

    def names(site: str) -> tuple[str, ...]:
        found = known.get(site)
        if found is None:
            found = known[site] = call_arguments(variant_sources(v), site)
        return found
    return names


def line_sources(lines: LineSources) -> tuple[LogSource | None, ...]:
    """A run's log lines' sources as Mirror.last_log has them (the format's bytes), as LogSources.of_run says them."""
    return tuple(None if x is None else LogSource(x[0].decode("latin-1"), x[1], x[2]) for x in lines)


def renamed(plain: tuple[str, ...], named: tuple[str, ...], notes: list[str]) -> tuple[str, ...]:
    """``notes`` (explain's of a pair for some of its classes) with each note ``plain`` (its notes for all of them)
    has said by its conversions in ``named`` (name_conversions' of ``plain``, note for note) said so."""
    said: dict[str, list[str]] = {}
    for p, n in zip(plain, named, strict=False):
        if p != n:
            said.setdefault(p, []).append(n)
    return tuple(said[n].pop(0) if said.get(n) else n for n in notes) if said else tuple(notes)


def named_notes(memo: dict[Any, Any], notes: tuple[str, ...], pair: tuple[Outcome, Outcome], k: int,
                logs: tuple[LogSources, LogSources], names: tuple[Names, Names], groups: tuple[int, int]
                ) -> tuple[str, ...]:
    """A log difference's notes with the conversions named where each line's format is known, for the pair of
    outcomes of the ``k``-th run of two code groups (``groups``, whose runs' LogSources are ``logs``); worked out
    once per pair of outcomes and of their lines' formats, kept in ``memo`` (a lane's scenarios repeat them)."""
    if not any(PRINTED in n or n.startswith(_VALUE_NOTE) for n in notes):
        # no value printed differently (harness.explain.Printed's words), nor another value that only the
        # conversion may have cut ('%x' of a u64 leaf: name_conversions' ``cut``): nothing to name
        return notes
    ra, rb = logs[0].runs, logs[1].runs
    lines = (ra[k] if k < len(ra) else (), rb[k] if k < len(rb) else ())
    if not lines[0] or not lines[1]:
        return notes  # no line's format known on a side
    key = ("conversions", *groups, id(pair[0]), id(pair[1]), lines)  # indexes: ints hash and compare in C
    found: tuple[str, ...] | None = memo.get(key)
    if found is None:
        found = memo[key] = name_conversions(notes, pair, (logs[0].of_run(k), logs[1].of_run(k)), names)
    return found


def name_conversions(notes: tuple[str, ...], pair: tuple[Outcome, Outcome],
                     sources: tuple[tuple[LogSource | None, ...], tuple[LogSource | None, ...]],
                     names: tuple[Names, Names]) -> tuple[str, ...]:
    """``notes`` (harness.explain.explain's of ``pair``, before and after) with each note of a value printed
    differently in a line whose format is known on both sides (``sources``: per side, each log line's) said by its
    conversions; ``names``: per side, the arguments of a call by its site (none for a line where a %pV printed a
    struct va_format: LogSource.inner)."""
    a, b = pair
    sa, sb = sources
    if not sa or not sb:
        return notes
    la, lb = tuple(x.text for x in a.log), tuple(x.text for x in b.log)
    said: dict[str, list[str]] = {}
    for i, j in aligned(la, lb):
        if la[i] == lb[j] or i >= len(sa) or j >= len(sb) or (fx := sa[i]) is None or (fy := sb[j]) is None:
            continue
        valued = iter(placed_values(la[i], lb[j]) if any(_is_value(n) for n in explain_tokens(la[i], lb[j])) else ())
        for token in explain_tokens(la[i], lb[j]):
            # another value printed is named only where the conversion alone made it so ('%x' of a u64 cuts it)
            cut = not isinstance(token, Printed)
            note = next(valued, None) if cut and _is_value(token) else token
            if not isinstance(note, Printed):
                continue
            found = _conversions(fx.fmt, la[i], (note.a0, note.a1), fy.fmt, lb[j], (note.b0, note.b1), cut)
            # a %pV's struct va_format's conversions read its arguments, not the call's: not named by them
            calls = (no_names, no_names) if fx.inner or fy.inner else names
            named: str | None = _named(found, (fx.site, fy.site), calls, (fx.fmt, la[i])) if found else None
            if named is None and cut:
                named = _placed(note, (fx, fy), (la[i], lb[j]), calls)
            said.setdefault("log: " + note, []).append(named or "log: " + note)
    if not said:
        return notes
    # explain_log says the notes of these line pairs in this order: each is replaced by its own pair's
    return tuple(said[n].pop(0) if said.get(n) else n for n in notes)


# Of a value printed differently: which conversion of each side's format printed it (its index and how many the
# format has), each as written with its glued 0x and what it printed, and why the two lengths differ.
_Found = tuple[int, int, str, str, int, int, str, str, str]


@lru_cache(maxsize=4096)  # the same two lines recur under other outcomes and code groups
def _conversions(fa: str, ta: str, at_a: tuple[int, int], fb: str, tb: str, at_b: tuple[int, int],
                 cut: bool = False) -> _Found | None:
    """The conversions of formats ``fa`` and ``fb`` that printed characters ``at_a`` of line ``ta`` and ``at_b`` of
    ``tb``; None where a line's conversions cannot be told apart, or one conversion printed both. ``cut``: the two
    are other values, named only where one side's conversion of the value the other printed prints its text."""
    found = _spans_at(fa, ta, at_a, fb, tb, at_b)
    if found is None:
        return None
    sa, ka, sb, kb = found
    ba, bb = ta.encode(), tb.encode()
    (wa, pa), (wb, pb) = _shown(ba, sa[ka]), _shown(bb, sb[kb])
    if wa == wb:
        return None  # the same conversion: something else printed it differently
    if cut and not (_reprints(sa[ka], ba, sb[kb], bb) or _reprints(sb[kb], bb, sa[ka], ba)):
        return None  # no conversion of the same value: the value changed
    why = width_note(pa, pb) if pa[:2].lower() == pb[:2].lower() == "0x" else ""
    # The conversions show the widths; what '%#' counts is said only where one side writes '%#', the other '0x%'
    # ('%#016llx' -> '%#018llx' is another width on both sides).
    why = f"; {why[2:-1]}" if "'%#'" in why and ("#" in wa) != ("#" in wb) else ""
    return ka, len(sa), wa, pa, kb, len(sb), wb, pb, why


def _placed(note: Printed, sources: tuple[LogSource, LogSource], lines: tuple[str, str], names: tuple[Names, Names]
            ) -> str | None:
    """A note of another value printed (not the conversion alone: the argument's value changed) said with the
    argument that each side printed there, its call and, where it changed too, its conversion ('log: value '0' ->
    '8000000000000000' (fn at seamcall.h:72 -> seamcall.h:91, printed with '%lld' -> '%llx')'); None where a line's
    conversions cannot be told apart."""
    fx, fy = sources
    found = _spans_at(fx.fmt, lines[0], (note.a0, note.a1), fy.fmt, lines[1], (note.b0, note.b1))
    if found is None:
        return None
    spans_a, ka, spans_b, kb = found
    wa, wb = _shown(lines[0].encode(), spans_a[ka])[0], _shown(lines[1].encode(), spans_b[kb])[0]
    was, now = _argument(names[0], fx.site, ka, len(spans_a)), _argument(names[1], fy.site, kb, len(spans_b))
    what = now if was == now else f"{was or 'the value'} -> {now or 'the value'}" if was or now else ""
    sa, sb = _short(fx.site), _short(fy.site)
    where = f"{what} at " if what else "at "
    where += sa if sa == sb else f"{sa} -> {sb}"
    how = f", printed with '{wa}' -> '{wb}'" if wa != wb else ""
    return f"log: {note} ({where}{how})"


def _spans_at(fa: str, ta: str, at_a: tuple[int, int], fb: str, tb: str, at_b: tuple[int, int]
              ) -> tuple[tuple[Span, ...], int, tuple[Span, ...], int] | None:
    """Each line's conversions (models.printkspans.line_spans of its format ``fa``/``fb``) and the index of the one
    that printed characters ``at_a`` of ``ta`` / ``at_b`` of ``tb``; None where a line's are not told apart."""
    sa, sb = line_spans(fa.encode("latin-1"), ta.encode()), line_spans(fb.encode("latin-1"), tb.encode())
    ka, kb = _covering(sa, ta, *at_a), _covering(sb, tb, *at_b)
    if sa is None or sb is None or ka is None or kb is None:
        return None
    return sa, ka, sb, kb


def _reprints(x: Span, tx: bytes, y: Span, ty: bytes) -> bool:
    """Whether conversion ``y``, given the value conversion ``x`` printed in ``tx`` (read back, and printed again
    alike by models.printk), prints what ``y`` printed in ``ty``."""
    part, base = tx[x.start : x.end], _BASE.get(x.written[-1:])
    digits = part.strip(b" ").lstrip(b"+")
    negative = digits[:1] == b"-"
    digits = digits.lstrip(b"-")
    digits = digits[2:] if base == 16 and digits[:2].lower() == b"0x" else digits
    if base is None or not digits or not all(chr(c) in _HEX[:base] for c in digits.lower()):
        return False
    value = (-int(digits, base) if negative else int(digits, base)) & ((1 << 64) - 1)
    try:
        again, other = (vsnprintf(s.written.encode(), [value]).text for s in (x, y))
    except PrintkError:
        return False
    return again == part and other == ty[y.start : y.end]


def _named(found: _Found, sites: tuple[str, str], names: tuple[Names, Names], before: tuple[str, str] | None = None
           ) -> ConversionNote | None:
    """The note of conversions found, with the argument's expression (the call after's, else the one before's). Where
    the call before printed the argument after elsewhere among its arguments ('%d %llx', a, b made '%llx %u', b, a),
    the argument is said with its own conversion before (``before``: that side's format and line), and None (no
    conversion of it changed: the arguments were reordered) where that is the same."""
    ka, na, _, _, kb, nb, wb, pb, _ = found
    after, was = _argument(names[1], sites[1], kb, nb), _argument(names[0], sites[0], ka, na)
    args = names[0](sites[0])
    if before is None or not (after and was and after != was and after in args):
        return _note(found, sites, after or was)  # the same argument, or one rewritten ('err' made '(u32)err')
    if args.count(after) != 1:
        return None  # which of its conversions printed it before is not told
    own = na - len(args) + args.index(after)
    spans = line_spans(before[0].encode("latin-1"), before[1].encode())
    if spans is None or own >= len(spans):
        return None
    wa, pa = _shown(before[1].encode(), spans[own])
    return None if wa == wb else _note((own, na, wa, pa, kb, nb, wb, pb, ""), sites, after)


@lru_cache(maxsize=1024)  # a pair of lines' conversions recur under many outcomes, code groups and comparisons
def _note(found: _Found, sites: tuple[str, str], argument: str) -> ConversionNote:
    """The note of conversions found at ``sites``, their argument's expression ``argument``."""
    _, _, wa, pa, _, _, wb, pb, why = found
    change = ConversionChange(argument, wa, wb, pa, pb, *sites)
    site = _short(sites[0]) if _short(sites[0]) == _short(sites[1]) else f"{_short(sites[0])} -> {_short(sites[1])}"
    return ConversionNote(f"log: {argument or 'the value'} printed with '{wa}' -> '{wb}' ({pa} -> {pb}{why}) at "
                          f"{site}", change)


def _covering(found: tuple[Span, ...] | None, line: str, start: int, end: int) -> int | None:
    """The one conversion whose output (or the 0x glued before it) overlaps characters ``start``..``end`` of
    ``line``."""
    if found is None:
        return None
    b0, b1 = (start, end) if line.isascii() else (len(line[:start].encode()), len(line[:end].encode()))  # bytes
    hits = [k for k, s in enumerate(found) if b0 < s.end and s.start - 2 * (s.literal[-2:] in _OX) < b1]
    return hits[0] if len(hits) == 1 else None


def _glued(span: Span) -> str:
    """The 0x written right before a conversion ('0x%016llx'), which a reader reads with it."""
    return span.literal[-2:] if span.literal[-2:] in _OX else ""


def _shown(line: bytes, span: Span) -> tuple[str, str]:
    """A conversion as written with its glued 0x, and what it printed with it."""
    glued = _glued(span)
    out = line[span.start : span.end].decode("utf-8", "backslashreplace")
    return glued + span.written, glued + out


@lru_cache(maxsize=1024)  # a few sites, said in many notes
def _short(site: str) -> str:
    """A call's place as a reader finds it: the file's name and the line ('tdx.c:66')."""
    m = _SITE.fullmatch(site)
    return f"{PurePosixPath(m.group(1)).name}:{m.group(2)}" if m else site


def _argument(names: Names, site: str, k: int, count: int) -> str:
    """The expression of the ``k``-th of ``count`` conversions' argument: the call's arguments after its format are
    the last ones (pr_fmt()'s, such as __func__, come first); "" when the call is not read so."""
    args = names(site)
    first = count - len(args)
    return args[k - first] if args and first >= 0 and k >= first else ""


def call_arguments(sources: tuple[Source, ...], site: str) -> tuple[str, ...]:
    """The arguments after the format of the printk-family call at ``site`` (``path:line``), as the source writes
    them, spacing collapsed; empty when no such call starts on that line of a known text (a macro that prints)."""
    found = call_format(sources, site)
    return found[1] if found is not None else ()


def _format_and_after(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The format (its string literals' text, as written) and the arguments after it of the printk-family call that
    starts on the first line of ``text``; None when none does, or it does not close."""
    first = text.split("\n", 1)[0]
    call = next((c for c in _CALL.finditer(first) if c.group(1) in PRINTS), None)
    if call is None:
        return None
    args = _split_arguments(text, call.end())
    fmt = next((n for n, x in enumerate(args) if '"' in x), None)
    if fmt is None:
        return None
    return "".join(_LITERAL.findall(args[fmt])), tuple(" ".join(x.split()) for x in args[fmt + 1 :])


_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def call_format(sources: tuple[Source, ...], site: str) -> tuple[str, tuple[str, ...]] | None:
    """The format and the arguments after it of the printk-family call at ``site`` (``path:line``), as the source writes
    them, spacing collapsed; None when no such call starts on that line of a known text (a macro that prints)."""
    m = _SITE.fullmatch(site)
    if m is None:
        return None
    path, line = m.group(1), int(m.group(2))
    for s in sources:
        for start, lines in s.pieces if s.path == path else ():
            if start <= line < start + len(lines):
                return _format_and_after("\n".join(lines[line - start : line - start + _CALL_LINES]))
    return None


def _split_arguments(text: str, i: int) -> list[str]:
    """The comma-separated arguments of a call whose '(' ends before ``i``; empty when it does not close."""
    args: list[str] = []
    depth, quote, piece = 0, "", i
    while i < len(text):
        c = text[i]
        if quote:
            i += 2 if c == "\\" else 1
            quote = "" if c == quote else quote
            continue
        if c in "\"'":
            quote = c
        elif c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return [*args, text[piece:i]] if text[piece:i].strip() or args else args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[piece:i])
            piece = i + 1
        i += 1
    return []
