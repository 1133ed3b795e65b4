"""Quotes inline in a reply's own words: ``Mae schrieb: »NAK, ...«``, ``Mae a écrit : « NAK, ... »``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from harness.attribution import QUOTE, inline_sender
from harness.errors import Where
from harness.model import Quote
from models.lazyre import lazy

# German's »…« and „…“ (Polish and Czech close „ with ” too), French's «…»: the marks German and French mail
# clients and writers quote another's words with inline. A NAK so quoted ("Mae schrieb: »NAK, ...«") was the replier's
# own: it blocked as theirs, and Mae's withdrawal did not lift it; a withdrawal so quoted took the replier's NAK back.
_CLOSE = {"»": "«", "«": "»", "„": "“”"}
_OPEN = re.compile("[»«„]")
_SENTENCE_END = lazy(r".*[.!?](?:\s|$)")
_SPAN_LINES = 12  # a quote inline runs over a few lines of its paragraph at most


def inline_quotes(own: list[tuple[int, str]], where: Where, lines: Iterable[tuple[int, str]] = ()
                  ) -> tuple[list[tuple[int, str]], tuple[Quote, ...]]:
    """``own`` (a reply's own lines, quotes left out) less each span between quotation marks that a colon opens
    ("Mae schrieb: »...«", "Mae a écrit :" then "« ... »" on the next line), its marks and words blanked so the places
    of the others are kept, and the spans as quotes of the sender the words before the colon name
    (attribution.inline_sender: "Mae Maint schrieb:", "Mae Maint a écrit :"; none: an unnamed sender's). A span no
    colon opens ("bitte »foo« umbenennen") or that its paragraph does not close stays the reply's own words.
    ``lines``: every line of the reply with its input line number, for a line above a span that is not among ``own``
    ("Mae Maint wrote:", read as an attribution line)."""
    if not any(_OPEN.search(t) for _, t in own):  # most replies: one search a line, no change
        return own, ()
    out, quotes, numbered = list(own), list[Quote](), dict(lines)
    i = 0
    while i < len(out):
        found = _span(out, i, numbered)
        if found is None:
            i += 1
            continue
        (k, col), (end_k, end_col), said = found
        words = _blank(out, (k, col), (end_k, end_col))
        quotes.append(Quote(1, inline_sender(said), tuple(words), Where(where.path, out[k][0], where.msgid)))
        i = k  # the same line again: another span may follow on it
    return out, tuple(quotes)


def _span(out: list[tuple[int, str]], i: int, lines: Mapping[int, str]
          ) -> tuple[tuple[int, int], tuple[int, int], str] | None:
    """The first span on line ``i`` that a colon opens and its paragraph closes: where it opens and closes (index,
    column) and the words introducing it (from the start of their sentence to the colon)."""
    number, line = out[i]
    above = out[i - 1][1] if i > 0 and out[i - 1][0] == number - 1 else lines.get(number - 1, "")
    for m in _OPEN.finditer(line):
        before = line[: m.start()].rstrip()
        if not before and not QUOTE.match(above):
            before = above.rstrip()  # "Mae a écrit :" ends the line above
        if not before.endswith((":", "：")):
            continue
        close = _closing(out, i, m.end(), _CLOSE[m.group(0)])
        if close is None:
            continue
        lead = _SENTENCE_END().match(before)
        return (i, m.start()), close, before[lead.end() if lead else 0 :].strip()
    return None


def _closing(out: list[tuple[int, str]], i: int, col: int, marks: str) -> tuple[int, int] | None:
    """Where the first of ``marks`` after column ``col`` of line ``i`` stands, in its paragraph (no blank line
    between) and within _SPAN_LINES lines; None when none does, or the span holds no word."""
    words = ""
    for k in range(i, min(i + _SPAN_LINES, len(out))):
        text = out[k][1]
        if k > i and not text.strip():
            return None
        start = col if k == i else 0
        at = next((j for j in range(start, len(text)) if text[j] in marks), None)
        words += text[start:at]
        if at is not None:
            return (k, at) if re.search(r"\w", words) else None
    return None


def _blank(out: list[tuple[int, str]], start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    """The words between ``start`` (an opening mark) and ``end`` (its closing one), line by line, each blanked in
    ``out`` with its marks."""
    words = []
    for k in range(start[0], end[0] + 1):
        number, text = out[k]
        a = start[1] if k == start[0] else 0
        b = end[1] + 1 if k == end[0] else len(text)
        words.append(text[a:b].strip(" \t»«„“”\u00a0\u202f"))
        out[k] = (number, text[:a] + " " * (b - a) + text[b:])
    return [w for w in words if w]
