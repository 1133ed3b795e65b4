"""Translation phases 2 and 3 (C11 5.1.1.2p1) where pcpp's lexer differs: line splicing, unterminated comments."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from models.lazyre import lazy


@dataclass(frozen=True)
class Spliced:
    """A text with every backslash-newline removed, and where each one was: pcpp's lexer reads one as white space
    (``12\\`` then ``34`` as two numbers, ``// c \\`` as a comment the next line does not continue), gcc as
    nothing, before any token is read."""

    text: str
    at: tuple[int, ...]  # the offset in ``text`` of each removed line break (where its next physical line starts)
    line: tuple[int, ...]  # the line of ``text`` each one is in
    first: tuple[int, ...]  # the index in ``at`` of the first one in that line

    def place(self, tokens: Iterable[Any]) -> None:
        """Give the tokens pcpp lexed from ``text`` the physical line they were written on, and those after a
        removed break on their line their column in it (``spliced_column``, which models.cpp's placing reads)."""
        for tok in tokens:
            k = self._before(tok.lexpos, tok.lineno)
            if k >= 0:
                tok.spliced_column = tok.lexpos - self.at[k] + 1
                tok.lineno += k - self.first[k] + 1

    def last_line(self, line: int) -> int:
        """The last physical line of logical line ``line`` of ``text`` (its first physical line: the line breaks
        removed are put back after it): one further per backslash-newline it joined, a blank one after its last
        token too (``#line 5 \\`` then an empty line: the directive's, gcc numbers the line after it 5)."""
        return line + bisect_right(self.line, line) - bisect_left(self.line, line)

    def physical(self, offset: int) -> int:
        """The physical line of ``offset`` in ``text``."""
        line = self.text.count("\n", 0, offset) + 1
        k = self._before(offset, line)
        return line if k < 0 else line + k - self.first[k] + 1

    def _before(self, offset: int, line: int) -> int:
        """The index of the last removed break before ``offset`` in its line ``line``; -1 when there is none."""
        k = bisect_right(self.at, offset) - 1
        return k if k >= 0 and self.line[k] == line else -1


def spliced(text: str) -> Spliced | None:
    """``text`` as pcpp lexes it (each line's trailing white space cut, as gcc cuts it between a backslash and
    the newline), each backslash-newline removed and as many line breaks put back after that logical line, so
    that every later line keeps its number; None when there is no backslash-newline."""
    if "\\" not in text:
        return None
    lines = [x.rstrip() for x in text.splitlines()]
    out: list[str] = []
    at: list[int] = []
    line: list[int] = []
    first: list[int] = []
    current, owed, size, start = "", 0, 0, 0
    for i, physical in enumerate(lines):
        if physical.endswith("\\") and i + 1 < len(lines):
            current += physical[:-1]
            at.append(size + len(current))
            line.append(len(out) + 1)
            first.append(start)
            owed += 1
            continue
        current = (current + physical).rstrip()  # pcpp cuts it again: offsets after it would move
        out.extend([current, *[""] * owed])
        size += len(current) + 1 + owed
        current, owed, start = "", 0, len(at)
    if not at:
        return None
    return Spliced("\n".join(out), tuple(at), tuple(line), tuple(first))


# What the lexer reads first at each place a comment could start: a string, a character, a // comment, a
# comment that ends, or a '/*' that does not.
_COMMENT = lazy(r'"(?:\\.|[^"\\\n])*"' r"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?\*/|/\*", re.DOTALL)


def unterminated_comment(text: str) -> int | None:
    """The offset of a ``/*`` in ``text`` that no ``*/`` ends (gcc: "unterminated comment", even in a group
    that is skipped; pcpp's lexer read it as '/' and '*' and the text after it as code); None when there is none."""
    if "/*" not in text:
        return None
    for found in _COMMENT().finditer(text):
        if found.group() == "/*":
            return found.start()
    return None


# A #line directive or gcc's line marker (# N) at the start of a line (models.directives.line_number reads it)
LINE_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*(?:line\b|[0-9])")
_CONTINUED = re.compile(r"\\[ \t\f\v\r]*\n")  # a backslash-newline (gcc allows blanks between the two)


def in_line_directive(text: str, at: int, joined: list[tuple[int, int]]) -> bool:
    """Whether offset ``at`` of ``text`` is in a #line directive (or line marker): its physical line starts one, or
    continues one, after a backslash-newline or as the last line of a comment models.slicer joined to one (``joined``:
    those comments' starts and ends, in order)."""
    start = text.rfind("\n", 0, at) + 1
    while True:
        if LINE_DIRECTIVE.match(text, start):
            return True
        comment = next((c for c in reversed(joined) if c[0] < start <= c[1]), None)
        if comment is not None:
            start = text.rfind("\n", 0, comment[0]) + 1
            continue
        before = text.rfind("\n", 0, start - 1) + 1 if start else -1
        splice = _CONTINUED.search(text, before, start) if before >= 0 else None
        if splice is None or splice.end() != start:
            return False
        start = before


# A directive's head: its name, then the first word after it and, written right after that word, a parenthesised
# list (a macro's name and parameters; ``#undef``'s or ``#ifdef``'s name; an ``#if``'s first word).
_HEAD = re.compile(r"\s*#\s*(\w*)(?:\s+([A-Za-z_]\w*)(\([^)]*\)?)?)?")


def join_split_head(lines: list[str], i: int, end: int) -> bool:
    """Make the directive of ``lines[i:end]`` (comments blanked, '%:' made '#'; each but the last ending in a
    backslash) one line where a backslash-newline splits its head (``#un\\`` then ``def X``; ``#define \\`` then
    ``X 1``; ``#define X\\`` then ``(a) a``, a function-like macro), as gcc reads it after phase 2 (C11 5.1.1.2p1),
    the lines it took left empty so that every later line keeps its number: a reader of its first line saw another
    directive, or none. A head written whole on its first line is left as written (a multi-line macro keeps its
    lines). Whether it joined them."""
    whole = "".join(ln.rstrip().removesuffix("\\") for ln in lines[i:end])
    first, spliced_head = _HEAD.match(lines[i].rstrip().removesuffix("\\")), _HEAD.match(whole)
    if first is not None and spliced_head is not None and first.groups() == spliced_head.groups():
        return False
    lines[i:end] = [whole] + [""] * (end - i - 1)
    return True


def spliced_lines(numbered: Sequence[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Each logical line of ``numbered`` (line number and text, in order) as gcc reads it after phase 2 (C11
    5.1.1.2p1), with the number of its first line: a line ending in a backslash (blanks after it allowed, as gcc
    allows them) joined with the next where that one is known (numbered one further), the backslash-newline removed
    (``#pragma weak \\`` then ``f``: one directive). A raw reader of single lines missed such a directive."""
    i = 0
    while i < len(numbered):
        n, text = numbered[i]
        i += 1
        while text.rstrip().endswith("\\") and i < len(numbered) and numbered[i][0] == numbered[i - 1][0] + 1:
            text = text.rstrip()[:-1] + numbered[i][1]
            i += 1
        yield n, text
