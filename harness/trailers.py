"""A commit message's trailers as ``git interpret-trailers --parse`` finds them (git's trailer.c)."""

from __future__ import annotations

import re

from harness.errors import Where
from harness.mimedecode import GIT_SPACE, git_strip
from harness.model import Trailer
from models.lazyre import lazy

# trailer.c git_generated_prefixes: a block holding one of these needs only 25% trailer lines.
_GIT_GENERATED = ("Signed-off-by: ", "(cherry picked from commit ")
_COMMENT = "#"  # core.commentChar, git's default
_TOKEN = re.compile(r"[A-Za-z0-9-]*")
_BLANKS = re.compile(r"[ \t]*")
# wt-status.c cut_line: with the comment char and a space before it, the end of what a commit keeps.
_SCISSORS = _COMMENT + " ------------------------ >8 ------------------------"
_FOLD = re.compile(r"\n[ \t\n\r]*")


def find_separator(line: str) -> int:
    """Where the ``:`` of a ``Token: value`` line is, -1 when it is none (trailer.c find_separator).

    The token is ASCII letters, digits and ``-``; blanks may stand between it and the colon, never first.
    """
    at = _TOKEN.match(line).end()  # type: ignore[union-attr]
    if at and line[at : at + 1] in (" ", "\t"):
        at = _BLANKS.match(line, at).end()  # type: ignore[union-attr]
    return at if line[at : at + 1] == ":" else -1


def _is_blank(line: str) -> bool:
    """trailer.c is_blank_line: nothing but git whitespace."""
    return not line.strip(GIT_SPACE)


def _end_of_log(lines: list[str]) -> int:
    """Lines of the message proper: up to a ``---`` divider, less trailing blanks, comments, an old
    ``Conflicts:`` block and anything after a scissors line (trailer.c find_end_of_log_message,
    ignored_log_message_bytes)."""
    end = next((i for i, t in enumerate(lines) if t.startswith("---") and (len(t) == 3 or t[3] in GIT_SPACE)),
               len(lines))
    cutoff = next((i for i, t in enumerate(lines[:end]) if t == _SCISSORS), end)
    boc: int | None = None
    conflicts = False
    for i, t in enumerate(lines[:cutoff]):
        if t.startswith(_COMMENT) or t == "":
            boc = i if boc is None else boc
        elif t == "Conflicts:":
            conflicts, boc = True, i if boc is None else boc
        elif conflicts and t.startswith("\t"):
            pass  # a path of the old conflicts block
        elif boc is not None:
            boc, conflicts = None, False
    return cutoff if boc is None else boc


def _block_start(lines: list[str], end: int) -> int:
    """First line of the trailer block of ``lines[:end]``, ``end`` when there is none
    (trailer.c find_trailer_block_start): the last paragraph, after the title, when all of it is
    trailers, or a quarter of it with a git-generated one; indented lines continue the one above."""
    title_end = next((i for i, t in enumerate(lines[:end]) if not t.startswith(_COMMENT) and _is_blank(t)), end)
    only_spaces, recognized = True, False
    trailers = others = maybe_continued = 0
    for i in range(end - 1, title_end - 1, -1):
        line = lines[i]
        if line.startswith(_COMMENT):
            others, maybe_continued = others + maybe_continued, 0
        elif _is_blank(line):
            if only_spaces:
                continue
            others += maybe_continued
            if (recognized and trailers * 3 >= others) or (trailers and not others):
                return i + 1
            return end
        else:
            only_spaces = False
            if line.startswith(_GIT_GENERATED):
                trailers, maybe_continued, recognized = trailers + 1, 0, True
            elif find_separator(line) >= 1 and line[0] not in GIT_SPACE:
                trailers, maybe_continued = trailers + 1, 0
            elif line[0] in GIT_SPACE:
                maybe_continued += 1
            else:
                others, maybe_continued = others + 1 + maybe_continued, 0
    return end


def _items(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The block's lines with each indented line joined to the trailer above it (trailer.c trailer_info_get)."""
    items: list[tuple[int, str]] = []
    last: int | None = None
    for number, line in numbered:
        if last is not None and line[:1] in (" ", "\t"):
            items[last] = (items[last][0], items[last][1] + "\n" + line)
            continue
        items.append((number, line))
        last = len(items) - 1 if find_separator(line) >= 1 else None
    return items


def commit_trailers(numbered: list[tuple[int, str]], where: Where) -> tuple[Trailer, ...]:
    """The trailers of a commit message body (the lines after its subject, as (line number, text)),
    read as ``git interpret-trailers --parse`` reads ``subject + blank line + body``: key and value
    trimmed, a folded value unfolded to one line. Each trailer's ``where`` is its first line.
    """
    lines = ["S", "", *(t for _, t in numbered)]  # the subject paragraph: never trailers
    end = _end_of_log(lines)
    start = max(_block_start(lines, end), 2)
    found: list[Trailer] = []
    for number, item in _items([(numbered[i - 2][0], lines[i]) for i in range(start, end)]):
        sep = find_separator(item)
        if item.startswith(_COMMENT) or sep < 1:
            continue
        value = git_strip(_FOLD.sub(" ", git_strip(item[sep + 1 :])))
        found.append(Trailer(git_strip(item[:sep]), value, Where(where.path, number, where.msgid)))
    return tuple(found)


def without_trailers(body: str) -> str:
    """A commit message body (the lines after its subject) without the trailers of its trailer block, as
    commit_trailers() finds it, that point elsewhere: a person's address (Signed-off-by, Cc), a URL (Link), a
    commit (Fixes: 0123abcd ("title")). They name, they explain nothing; a trailer of another value is words of
    the message git reads as a trailer ('Note: P-SEAMLDR leaves have bit 63 set.') and stays."""
    lines = ["S", "", *body.split("\n")]
    end = _end_of_log(lines)
    start = max(_block_start(lines, end), 2)
    kept, dropping = [], False
    for line in lines[start:end]:
        if line[:1] in GIT_SPACE and line.strip(GIT_SPACE):  # a folded value goes with its trailer
            if not dropping:
                kept.append(line)
            continue
        sep = find_separator(line)
        dropping = sep >= 1 and _REFERENCE().search(git_strip(line[sep + 1:])) is not None
        if not dropping:
            kept.append(line)
    return "\n".join(lines[2:start] + kept + lines[end:])


# A trailer value that points elsewhere: an address, a URL, a commit id first.
_REFERENCE = lazy(r"<[^<>\s@]+@[^<>\s]+>|\b[a-z][a-z0-9+.-]*://\S|^[0-9a-f]{7,40}\b", re.IGNORECASE)
