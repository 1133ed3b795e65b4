"""A summary's lines as plain text, wrapped as rich wraps them, for a console that writes no styles (a pipe, a file).

rich.text.Text.wrap splits a line into words (rich._wrap.divide_line), cuts it into Text objects, pads, crops and
renders each into segments: 170 M instructions of the corpus' 724-line eval summary, for text whose bytes, with no
colour written, are the words and where the lines break. A line of printable ASCII breaks where rich breaks it (a
cell is a character there); anything else is left to rich (tests/reports/test_terminal.py holds the two equal).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word: a word, the spaces before it (a line's first) and after it


def plain_lines(text: Text, width: int, whole: bool = False) -> list[str] | None:
    """The lines ``text`` prints as at ``width`` cells, each without its trailing spaces (as harness.console.show
    writes them), or None when only rich can tell: not printable ASCII (wide or combining characters, tabs,
    newlines), or wrapped other than word by word and folded; with ``whole`` as unfolded() makes them."""
    if (text.end != "\n" or text.no_wrap or text.overflow not in (None, "fold")
            or text.justify not in (None, "default", "left")):
        return None
    return text_lines(text.plain, width, whole)


def text_lines(plain: str, width: int, whole: bool = False) -> list[str] | None:
    """plain_lines() of a Text of ``plain`` folded at the width (reports.lines.Line: no rich object made), or None
    when only rich can tell; with ``whole``, a word longer than the width is not folded but given a line of its own,
    whole (unfolded())."""
    if width < 1 or not (plain.isascii() and plain.isprintable()):
        return None
    starts = [0, *breaks(plain, width, len, whole), len(plain)]
    # rich strips a piece's spaces past the width and crops it there (Text.rstrip_end, Text.truncate): its first
    # ``width`` characters, which show() strips of trailing spaces. Unfolded, a piece past the width is one word.
    return [(plain[a:b] if whole else plain[a:b][:width]).rstrip() for a, b in pairwise(starts)]


def unfolded(text: Text, width: int) -> list[Text]:
    """``text`` wrapped at ``width`` cells as Text.wrap wraps it (its lines apart, tabs expanded), but a word longer
    than the width is not folded: it is a line of its own, whole, for the terminal to wrap (a path folded by us has a
    line end in the middle of its name, which a copy keeps: not a path to paste any more). Each line's trailing
    spaces stripped."""
    from rich.cells import cell_len

    out: list[Text] = []
    for line in text.split(allow_blank=True):
        if "\t" in line.plain:
            line.expand_tabs(text.tab_size or 8)
        for piece in line.divide(breaks(line.plain, width, cell_len, whole=True)):
            piece.rstrip()
            out.append(piece)
    return out


def widest(plain: str, cells: Callable[[str], int]) -> int:
    """The cells of the widest word of ``plain`` as the wrapping reads words (a line's first with its leading
    spaces), 0 for none."""
    return max((cells(found.group().rstrip()) for found in _WORD.finditer(plain)), default=0)


def breaks(text: str, width: int, cells: Callable[[str], int] = len, whole: bool = False) -> list[int]:
    """rich._wrap.divide_line, a word measured by ``cells``: where each line after the first starts; a word longer
    than the width folded at ``width`` characters a line (a character is a cell there), or with ``whole`` a line of
    its own (divide_line(fold=False), not cropped after)."""
    out: list[int] = []
    offset = 0
    for found in _WORD.finditer(text):  # as words() matching on from each word's end: spaces end every word
        start, word = found.start(), found.group()
        length = cells(word.rstrip())
        if width - offset >= length:
            offset += cells(word)
        elif length > width and whole:  # on a line of its own: the next word starts the next line
            if start:
                out.append(start)
            offset = cells(word)
        elif length > width:  # longer than a line: folded, width characters a line (spaces after it too)
            for i in range(0, len(word), width):
                if start + i:
                    out.append(start + i)
                offset = len(word[i:i + width])
        elif offset and start:
            out.append(start)
            offset = cells(word)
    return out
