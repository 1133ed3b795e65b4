"""Which lines of C start inside a ``/* ... */`` comment, read across lines (a ``*`` line may be code: ``*v = 3;``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache


def comment_starts(lines: Sequence[str]) -> list[bool]:
    """Per line, whether it starts inside a block comment opened on a line before it; string and character literals
    and ``//`` comments are read as the compiler reads them, a literal ending at its line's end. A piece of a file
    (a hunk's lines) may start inside a comment: where a ``*/`` closes one never opened, it did."""
    for inside in (False, True):
        out: list[bool] = []
        stray = False
        for text in lines:
            out.append(inside)
            inside, closed = _ends_inside(text, inside)
            stray = stray or closed
        if not stray:
            return out
    return out


def _ends_inside(text: str, inside: bool) -> tuple[bool, bool]:
    """Whether a line starting inside a block comment (``inside``) or not ends inside one, and whether it closes one
    it was not seen to open (a ``*/`` outside every comment)."""
    i, n, quote = 0, len(text), ""
    while i < n:
        if inside:
            if text.startswith("*/", i):
                inside, i = False, i + 2
                continue
        elif quote:
            if text[i] == "\\":
                i += 1
            elif text[i] == quote:
                quote = ""
        elif text[i] in "\"'":
            quote = text[i]
        elif text.startswith("//", i):
            return False, False
        elif text.startswith("/*", i):
            inside, i = True, i + 2
            continue
        elif text.startswith("*/", i):
            return inside, True
        i += 1
    return inside, False


def code_of(text: str, starts_inside: bool) -> str:
    """A line without the part of a block comment it starts inside (all of it where the comment does not end there)."""
    if not starts_inside:
        return text
    end = text.find("*/")
    return "" if end < 0 else " " * (end + 2) + text[end + 2:]


@lru_cache(maxsize=512)
def _starts(lines: tuple[str, ...]) -> tuple[bool, ...]:
    return tuple(comment_starts(lines))


def in_comment(pieces: Iterable[tuple[int, tuple[str, ...]]], number: int) -> bool | None:
    """Whether line ``number`` of a file known as ``pieces`` ((first line, lines): a whole file, or the fragments its
    hunks show) starts inside a block comment; None where no piece holds it."""
    for start, lines in pieces:
        if start <= number < start + len(lines):
            return _starts(lines)[number - start]
    return None
