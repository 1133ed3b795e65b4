"""A name found in C text with fixed patterns around it: no pattern compiled per name.

``re.search(rf"(?<![\\w.]){re.escape(name)}\\s*\\(", text)`` compiled one pattern for every name a program has, on
every run of a new series (harness.recache keeps them by their text, so a new name is a new pattern; the corpus'
empty-cache eval compiled some 60 such in models/). Here the name is looked for as a string and the patterns around
it are matched at its ends: the same places, since a name spelt as written (re.escape) matches in one way only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator

NOT_AFTER_WORD = re.compile(r"(?<![\w.])")  # not after a word character or a '.' (a member, a number's digits)
NOT_AFTER_IDENT = re.compile(r"(?<![\w$])")  # not after a word character or gcc's '$' in identifiers
NOT_AFTER_LETTER = re.compile(r"(?<!\w)")  # not after a word character (a word of prose)
BOUNDARY = re.compile(r"\b")
NO_WORD_AFTER = re.compile(r"(?!\w)")
NO_IDENT_AFTER = re.compile(r"(?![\w$])")
CALL_AFTER = re.compile(r"\s*\(")  # the name is called (or is a macro's invocation)
CALLED_TWICE_AFTER = re.compile(r"\s*\([^()]*\)\s*\(")  # ``name(x)(`` : a macro making the name before parameters


def name_spans(text: str, name: str, before: re.Pattern[str], after: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """The (start, end) of each match of ``before.pattern + re.escape(name) + after.pattern`` in ``text``, left to
    right and not overlapping, as ``re.finditer`` gives them, ``before`` being zero-width (a lookbehind, ``\\b``).

    ``before`` is matched where the name starts, ``after`` where it ends (a pattern matched at a position sees the
    text before it: lookbehinds and ``\\b`` read the same characters as in the whole pattern). An empty ``name``,
    whose empty matches re.finditer places by rules of its own, is left to it (one pattern for every such call)."""
    if not name:
        yield from (m.span() for m in re.finditer(before.pattern + after.pattern, text))
        return
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        tail = after.match(text, end) if before.match(text, at) is not None else None
        if tail is not None:
            yield at, tail.end()
            at = text.find(name, tail.end())
        else:
            at = text.find(name, at + 1)


def has_name(text: str, name: str, before: re.Pattern[str], after: re.Pattern[str]) -> bool:
    """Whether ``re.search(before.pattern + re.escape(name) + after.pattern, text)`` finds one (name_spans)."""
    return next(name_spans(text, name, before, after), None) is not None


def replace_name(text: str, name: str, before: re.Pattern[str], after: re.Pattern[str], by: str) -> str:
    """``re.sub(before.pattern + re.escape(name) + after.pattern, lambda _: by, text)``: each match (name_spans)
    replaced by ``by`` as it is (never a template)."""
    out: list[str] = []
    last = 0
    for start, end in name_spans(text, name, before, after):
        out += (text[last:start], by)
        last = end
    return "".join(out) + text[last:] if out else text


def replace_word(text: str, word: str, by: str) -> str:
    """``re.sub(rf"\\b{re.escape(word)}\\b", lambda _: by, text)``: each whole-word ``word`` replaced by ``by``."""
    return replace_name(text, word, BOUNDARY, BOUNDARY, by)


def name_tail(text: str, name: str, before: re.Pattern[str], after: re.Pattern[str]) -> re.Match[str] | None:
    """``after``'s match at the end of the name in ``re.search(before.pattern + re.escape(name) + after.pattern,
    text)`` (name_spans' first): its groups and end are the whole match's (``name\\s*\\((.*?)\\)``'s arguments)."""
    for start, _ in name_spans(text, name, before, after):
        return after.match(text, start + len(name))
    return None


def any_word(names: Collection[str]) -> Callable[[str], bool]:
    """Whether a text has one of ``names`` as a whole word: ``re.compile(r"\\b(?:" + "|".join(map(re.escape,
    sorted(names))) + r")\\b").search`` found one (its alternatives are tried in turn at each place). One name is
    looked for as a string (has_name): no pattern compiled per name; several, by that one pattern."""
    if len(names) == 1:
        name = next(iter(names))
        return lambda text: has_name(text, name, BOUNDARY, BOUNDARY)
    search = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b").search
    return lambda text: search(text) is not None
