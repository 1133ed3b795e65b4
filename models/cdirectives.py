"""A C file's preprocessing directives as gcc reads them: backslash-newlines gone, comments a space, '%:' a '#'."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from models.lazyre import lazy

# Where a directive may begin, each at the start of a physical line: blanks then '#', '%' (the digraph '%:', maybe
# split '%\' then ':'), a comment ('/* c */ #define X 1': phase 3 makes it a space before phase 4 reads a '#'), or
# a backslash (a line that phase 2 joins to the next, whose '#' then follows blanks). A reader of single lines missed
# each but the plain form; this finds them in one scan of the text, the rest of its lines never looked at in Python.
_START = lazy(r"\n[ \t\f\v]*(?:#|%|/\*|\\)")  # after a line end: a literal first, found fast (not '^' under re.M)
_SPLICE = lazy(r"\\[ \t\f\v\r]*\n")  # a backslash-newline (gcc allows blanks between the two, with a warning)
# What the lexer reads first at each place a comment could start: a string, a character, a // comment, a comment.
_TOKEN = lazy(r'"(?:\\.|[^"\\\n])*"' r"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?\*/|/\*", re.DOTALL)
_DEFINED = lazy(r"#define\s+([A-Za-z_]\w*)")  # by_line's text of a #define: the name
_HEAD = lazy(r"[ \t\f\v]*(?:#|%:)[ \t\f\v]*([A-Za-z_]\w*)?")
# The whole text lexed as gcc's phase 3 reads it: strings and characters (a backslash-newline inside goes on), //
# comments (one a backslash-newline goes on), comments.
_LEXEME = lazy(r'"(?:\\(?:[ \t\f\v\r]*\n|.)|[^"\\\n])*"' r"|'(?:\\(?:[ \t\f\v\r]*\n|.)|[^'\\\n])*'"
               r"|//(?:\\[ \t\f\v\r]*\n|[^\n])*|/\*.*?\*/|/\*", re.DOTALL)


class Directive(NamedTuple):  # a tuple: made for every directive of every file state read, cheaply
    """One directive: the physical line its first character is on, its name (``include``; "" for a null directive
    or a line marker ``# 5``) and what follows the name, each comment one space, stripped."""

    line: int
    name: str
    rest: str

    def included(self) -> tuple[str, str] | None:
        """An ``#include``'s bracket (``"`` or ``<``) and name as written, ``("", rest)`` for one whose name a macro
        gives (``#include HEADER``: it may name any file); None for another directive."""
        if self.name != "include":
            return None
        close = {'"': '"', "<": ">"}.get(self.rest[:1], "")
        end = self.rest.find(close, 1) if close else -1
        return (self.rest[0], self.rest[1:end]) if end > 1 else ("", self.rest)


def directives(pieces: Iterable[tuple[int, Sequence[str]]]) -> tuple[Directive, ...]:
    """The directives of a file's known lines (runs of consecutive lines, each with its first line's number), in
    order, each read whole as gcc reads it after phases 2 and 3 (C11 5.1.1.2p1): ``#inc\\`` then ``lude "x.h"``,
    ``%:include "x.h"``, ``# /*c*/ include "x.h"`` and ``#include /*`` then ``*/ "x.h"`` all include x.h. A line
    that a backslash-newline joins to the line above is no directive; one whose run starts with it (the line above
    not known) is read as one. The lines of a comment are no directives, one that starts after code on its line
    (``int a; /*``) too; a run is read as starting outside any comment."""
    return tuple(d for start, lines in pieces for d in in_text("\n".join(lines), start))


def in_text(text: str, first: int = 1) -> Iterator[Directive]:
    """directives() of one run of lines, as one text (a file's whole: ``first`` 1)."""
    return (d for d, _ in _scan(text, first, False))


def by_line(lines: Sequence[str]) -> dict[int, tuple[int, str]]:
    """For a reader of a run of lines one at a time: the index of each directive's first line -> (the index past its
    last, the directive as one line, ``#name rest``), read as in_text reads them. Its other lines are no code; a
    line not in the table is code (one joined to the code above, in a comment, or one a directive goes on over)."""
    return {d.line - 1: (d.line + more, f"#{d.name} {d.rest}".rstrip()) for d, more in _scan("\n".join(lines), 1, True)}


def defines(lines: Sequence[str]) -> tuple[dict[int, str], frozenset[int]]:
    """For a reader of a run of lines looking for definitions: the index of each ``#define``'s first line -> the name
    it defines, and the indexes of every line a directive holds (none of them code: a function head there is one
    of a macro's body), as by_line reads them."""
    if not any("#" in ln or "%" in ln for ln in lines):
        return {}, frozenset()
    read = by_line(lines)
    names = {i: m.group(1) for i, (_, text) in read.items() if (m := _DEFINED().match(text)) is not None}
    return names, frozenset(k for i, (end, _) in read.items() for k in range(i, end))


def _scan(text: str, first: int, spans: bool) -> Iterator[tuple[Directive, int]]:
    """in_text's directives, each with the number of lines it goes on over past its first (``spans``; else 0)."""
    text = "\n" + text  # each physical line then starts after a line end, the first too
    line, at, end, known = first - 1, 0, 0, 0  # known: a place outside any comment
    comments: list[tuple[int, int]] | None = None
    for m in _START().finditer(text):
        p = m.start() + 1
        if p < end:
            continue  # a line of the directive or comment read last
        opened = text.rfind("/*", known, p)
        if opened >= 0 and text.find("*/", opened + 2, p) < 0:  # p may be in a comment ('int a; /*' above)
            comments = _comments(text) if comments is None else comments
            k = bisect.bisect(comments, (p,))
            if k and comments[k - 1][1] > p:
                end = known = comments[k - 1][1]  # its lines are no directives
                continue
        known = p
        line += text.count("\n", at, p)
        at = p
        if _continues(text, p):
            continue
        if m.group().endswith("*") and not _directive_after(text, m.end()):
            close = text.find("*/", m.end())
            end = close + 2 if close >= 0 else len(text)  # the lines of the comment are no directives
            continue
        logical, end = _logical(text, p)
        head = _HEAD().match(logical)
        if head is not None:
            yield Directive(line, head.group(1) or "", logical[head.end():].strip()), \
                text.count("\n", p, end) if spans else 0


def _comments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each comment of ``text`` that goes on over a line end, in order: the text lexed whole (a '/*'
    in a string or a // comment opens none), which in_text does only where a comment may hold a line it reads."""
    return [(t.start(), t.end()) for t in _LEXEME().finditer(text) if t.group().startswith("/*") and "\n" in t.group()]


def _directive_after(text: str, at: int) -> bool:
    """Whether a directive may follow the comment opened just before ``at`` on its line (``/* c */ #define X 1``):
    something that may start one comes first after it (most such comments are a block of lines before code)."""
    close = text.find("*/", at)
    if close < 0:
        return False
    nl = text.find("\n", close)
    return text[close + 2:nl if nl >= 0 else len(text)].lstrip(" \t\f\v").startswith(("#", "%", "/", "\\"))


def _continues(text: str, p: int) -> bool:
    """Whether the physical line at ``p`` is joined to the one above it (that one ends in a backslash)."""
    if p < 2 or text[p - 2] not in "\\ \t\f\v\r":
        return False
    above = text[text.rfind("\n", 0, p - 1) + 1:p - 1].rstrip(" \t\f\v\r")
    return above.endswith("\\")


def _logical(text: str, p: int) -> tuple[str, int]:
    """The logical line starting at ``p`` (its backslash-newlines removed, comments each one space, a comment that
    goes on over line ends read to its end) and the offset after its last physical line."""
    end = _line_end(text, p)
    while True:
        piece = text[p:end]
        if "/*" not in piece and "//" not in piece:
            return (_SPLICE().sub("", piece) if "\\" in piece else piece), end
        out, k, open_comment = [], 0, False
        joined = _SPLICE().sub("", piece)
        for tok in _TOKEN().finditer(joined):
            if tok.group().startswith("/"):
                out += [joined[k:tok.start()], " "]
                k = tok.end()
                open_comment = tok.group() == "/*"
        if not open_comment or end >= len(text):
            return "".join([*out, joined[k:]]), end
        close = text.find("*/", end)  # gcc: a comment goes on past the line end, and the directive with it
        end = _line_end(text, close + 2 if close >= 0 else len(text))


def _line_end(text: str, p: int) -> int:
    """The end of the physical line at ``p`` and of each line a backslash-newline joins to it."""
    while True:
        nl = text.find("\n", p)
        if nl < 0:
            return len(text)
        if text[p:nl].rstrip(" \t\f\v\r").endswith("\\"):
            p = nl + 1
            continue
        return nl
