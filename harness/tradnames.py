"""A traditional diff's ``---``/``+++`` lines (diff -u, quilt, svn) read as git apply reads them: names, -p, epoch."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.diffpaths import c_unquote
from models.lazyre import lazy

_SPACE = " \t\n\v\f\r"  # C isspace() in git's locale-free ctype
# GNU diff -N marks a created or deleted file by the epoch as its time (apply.c has_epoch_timestamp): midnight
# of 1970-01-01 UTC in the zone written, so 1969-12-31 west of it; seconds 00, any fraction all zeros.
_EPOCH = lazy(r"(1969-12-31|1970-01-01) ([0-2][0-9]):([0-5][0-9]):00(?:\.0+)? ([-+])([0-2][0-9]):?([0-5][0-9])")


def _digits(text: str) -> bool:
    return bool(text) and all("0" <= c <= "9" for c in text)


def _fixed(text: str, n: int, pattern: str) -> int:
    """len(pattern) when ``text[:n]`` ends in it, ``d`` standing for any digit; else 0."""
    start = n - len(pattern)
    if start < 0:
        return 0
    ok = all(("0" <= c <= "9") if p == "d" else c == p for c, p in zip(text[start:n], pattern, strict=True))
    return len(pattern) if ok else 0


def _fraction(text: str, n: int) -> int:
    """' 19:41:17.620000023' ending ``text[:n]``: its length, else 0."""
    p = n - 1
    if p < 0 or not _digits(text[p]):
        return 0
    while p > 0 and _digits(text[p]):
        p -= 1
    whole = _fixed(text, p, " dd:dd:dd") if text[p] == "." else 0
    return n - p + whole if whole else 0


def timestamp_len(text: str) -> int:
    """Characters of the time a diff tool wrote after the name (``\\t2026-01-05 10:00:00.000000000 +0100``, POSIX's
    ``2026-01-05 10:00:00``, after a tab or spaces), apply.c diff_timestamp_len; 0 when there is none."""
    n = len(text)
    if not n or not _digits(text[-1]):
        return 0
    end = n - (_fixed(text, n, " +dddd") or _fixed(text, n, " -dddd")
               or _fixed(text, n, " +dd:dd") or _fixed(text, n, " -dd:dd"))
    end -= _fixed(text, end, " dd:dd:dd") or _fraction(text, end)
    date = _fixed(text, end, "dd-dd-dd")
    if not date:
        return 0
    end -= date + (2 if _fixed(text, end - date, "dd") else 0)  # a four-digit year
    if end == 0 or text[end - 1] not in " \t":
        return 0
    if text[end - 1] == "\t":
        return n - end + 1
    return n - len(text[:end].rstrip(" "))


def _squash(name: str) -> str:
    return re.sub("/+", "/", name)


def _common(text: str, default: str | None, p: int, end: int | None) -> str | None:
    """apply.c find_name_common: the name after ``p`` slashes, up to ``end`` or else a tab or line end (spaces are
    part of it); ``default`` (the ``---`` name) when that is a shorter start of it (``file`` of ``file.orig``)."""
    start = 0 if p == 0 else None
    i, stop = 0, len(text) if end is None else end
    while i < stop:
        c = text[i]
        if end is None and c in _SPACE and c != " ":
            break
        i += 1
        if c == "/":
            p -= 1
            start = i if p == 0 else start
    if start is None or i == start:
        return default
    name = text[start:i]
    if default is not None and len(default) < len(name) and name.startswith(default):
        return default
    return _squash(name)


def _quoted(text: str, p: int) -> str | None:
    """apply.c find_name_gnu: a C-quoted name, ``p`` components stripped; None if it has fewer, or git cannot unquote
    it (no end quote, an escape quote.c does not know): find_name() then reads it as find_name_traditional does."""
    quoted = c_unquote(text)
    if quoted is None:
        return None
    name = quoted[0]
    for _ in range(p):
        if "/" not in name:
            return None
        name = name.split("/", 1)[1]
    return _squash(name)


def find_name(text: str, default: str | None, p: int) -> str | None:
    """The file a ``---``/``+++`` line's text names at -p ``p`` (apply.c find_name_traditional)."""
    if text.startswith('"') and (name := _quoted(text, p)) is not None:
        return name
    stamp = timestamp_len(text)
    return _common(text, default, p, len(text) - stamp if stamp else None)


def is_dev_null(text: str) -> bool:
    return text.startswith("/dev/null") and (len(text) == 9 or text[9] in _SPACE)


def has_epoch(text: str) -> bool:
    """Whether the time after the line's last tab is the epoch in its zone (GNU diff -N: no such file)."""
    if "\t" not in text:
        return False
    m = _EPOCH().fullmatch(text.rsplit("\t", 1)[1])
    if m is None:
        return False
    day, hour, minute, sign, zh, zm = m.groups()
    zone = (int(zh) * 60 + int(zm)) * (-1 if sign == "-" else 1)
    return int(hour) * 60 + int(minute) - zone == (24 * 60 if day == "1969-12-31" else 0)


@dataclass
class Depth:
    """git apply's -p for one run (one mail's diff): 1 until a traditional patch's names show it (both without a
    slash: 0), then fixed for the patches after it (apply.c guess_p_value, p_value_known)."""

    p: int = 1
    known: bool = False

    def guess(self, first: str, second: str) -> None:
        if self.known:
            return
        p, q = (self._guess(t) for t in (first, second))
        p = q if p < 0 else p
        if 0 <= p == q:
            self.p, self.known = p, True

    @staticmethod
    def _guess(text: str) -> int:
        if is_dev_null(text):
            return -1
        name = find_name(text, None, 0)
        return -1 if name is None else 0 if "/" not in name else -1


def traditional_header(first: str, second: str, depth: Depth) -> tuple[str | None, str | None]:
    """(old name, new name) of a diff without a ``diff --git`` line, from the text after ``--- `` and ``+++ ``
    (line end and carriage return removed), as git apply reads them (apply.c parse_traditional_patch): /dev/null
    or the epoch as a side's time creates or deletes; else one name for both, the ``+++`` one unless the ``---``
    one is a shorter start of it; never a rename. A side with no name is None."""
    depth.guess(first, second)
    if is_dev_null(first):
        return None, find_name(second, None, depth.p)
    if is_dev_null(second):
        return find_name(first, None, depth.p), None
    name = find_name(second, find_name(first, None, depth.p), depth.p)
    if has_epoch(first):
        return None, name
    if has_epoch(second):
        return name, None
    return name, name
