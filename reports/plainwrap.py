"""A summary's lines as plain text, wrapped as rich wraps them, for a console that writes no styles (a pipe, a file).

rich.text.Text.wrap splits a line into words (rich._wrap.divide_line), cuts it into Text objects, pads, crops and
renders each into segments: 170 M instructions of the corpus' 724-line eval summary, for text whose bytes, with no
colour written, are the words and where the lines break. A line of printable ASCII breaks where rich breaks it (a
cell is a character there); anything else is left to rich (tests/reports/test_terminal.py holds the two equal).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word: a word, the spaces before it (a line's first) and after it


def plain_lines(text: Text, width: int) -> list[str] | None:
    """The lines ``text`` prints as at ``width`` cells, each without its trailing spaces (as harness.console.show
    writes them), or None when only rich can tell: not printable ASCII (wide or combining characters, tabs,
    newlines), or wrapped other than word by word and folded."""
    if (text.end != "\n" or text.no_wrap or text.overflow not in (None, "fold")
            or text.justify not in (None, "default", "left")):
        return None
    return text_lines(text.plain, width)


def text_lines(plain: str, width: int) -> list[str] | None:
    """plain_lines() of a Text of ``plain`` folded at the width (reports.lines.Line: no rich object made), or None
    when only rich can tell."""
    if width < 1 or not (plain.isascii() and plain.isprintable()):
        return None
    starts = [0, *_breaks(plain, width), len(plain)]
    # rich strips a piece's spaces past the width and crops it there (Text.rstrip_end, Text.truncate): its first
    # ``width`` characters, which show() strips of trailing spaces.
    return [plain[a:b][:width].rstrip() for a, b in pairwise(starts)]


def _breaks(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line where a character is a cell: where each line after the first starts."""
    out: list[int] = []
    offset = 0
    for found in _WORD.finditer(text):  # as words() matching on from each word's end: spaces end every word
        start, word = found.start(), found.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # longer than a line: folded, width characters a line (spaces after it too)
            for i in range(0, len(word), width):
                if start + i:
                    out.append(start + i)
                offset = len(word[i:i + width])
        elif offset and start:
            out.append(start)
            offset = len(word)
    return out
