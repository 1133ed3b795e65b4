"""Patches a reply names by place in the series ("the first three", "the last one", "the second patch")."""

from __future__ import annotations

import re

from harness.appliedsome import rest_as_numbers
from harness.lazyre import lazy

_ORDINAL = {w: n for n, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                        "ninth", "tenth", "eleventh", "twelfth"), start=1)}
_COUNT = {w: n for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                      "eleven", "twelve"), start=1)}
# What may follow a place named: the patches, or the end of the phrase ("Applied the first three, thanks.", "the last
# two need work"); never another noun ("the first three lines", "the first two hunks" name no patch).
_AFTER = (r"(?=(?:\s*(?:[.,;:!?)]|$)|\s+(?:patch(?:es)?|ones?)\b|\s+(?:need|needs|are|is|were|was|look|looks|"
          r"have|has|had|do|does|did|don['’]t|doesn['’]t|can|could|should|must|will|would|with|to|into|in|for|on|and|but|thanks|as|too|also|now|still|again|go|went|I|we)\b))")
_OF_SERIES = r"(?:\s+(?:of|in)\s+(?:the|this|your)\s+(?:series|set|patch\s*set))?"  # read with the place
_NUMBER = rf"(?:\d{{1,3}}|{'|'.join(_COUNT)})"
_ORDINALS = "|".join(_ORDINAL)
# "the first three (patches)", "the last two", "the last patch", "the first one".
_ENDS = lazy(rf"\bthe\s+(?P<end>first|last)\s+(?:(?P<count>{_NUMBER})(?:\s+(?:patch(?:es)?|ones))?|(?:patch|one)\b)"
             rf"{_OF_SERIES}{_AFTER}", re.I)
# "the second patch", "the second and third patches", "the third one".
_PLACES = lazy(rf"\bthe\s+(?P<places>(?:{_ORDINALS})(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:{_ORDINALS}))*)"
               rf"(?:\s+(?:patch(?:es)?|ones?))?{_OF_SERIES}{_AFTER}", re.I)
# "all but the last", "everything except the first": the place alone, after words that leave out a patch.
_BUT_END = lazy(rf"\b(?P<but>(?:all|everything|the\s+series|the\s+rest)\s+(?:but|except(?:\s+for)?)\s+)"
                rf"the\s+(?P<end>first|last){_AFTER}", re.I)
_WORD = re.compile(rf"{_ORDINALS}", re.I)


def ordinals_as_numbers(text: str, total: int) -> str:
    """``text`` with each patch it names by its place in a series of ``total`` patches made ``patch N`` or ``patches
    A-B`` ("Applied the first three, the last one needs work." with 4: "Applied patches 1-3, patch 4 needs work."),
    as a reply naming them by number is read, and "the rest" after patches named (harness.appliedsome). A place past
    the series' end, or a count of none, is left as written."""
    if total < 2 or "the" not in text.lower():
        return text
    text = _ENDS().sub(lambda m: _ends(m, total), text)
    text = _BUT_END().sub(lambda m: m.group("but") + f"patch {1 if m.group('end').lower() == 'first' else total}", text)
    return rest_as_numbers(_PLACES().sub(lambda m: _places(m, total), text), total)


def _ends(m: re.Match[str], total: int) -> str:
    """The patches "the first N" or "the last N" names, as numbers."""
    said = m.group("count")
    count = 1 if said is None else int(said) if said.isdigit() else _COUNT[said.lower()]
    if not 0 < count <= total:
        return m.group()
    first = 1 if m.group("end").lower() == "first" else total - count + 1
    return f"patch {first}" if count == 1 else f"patches {first}-{first + count - 1}"


def _places(m: re.Match[str], total: int) -> str:
    """The patches "the second and third" names, as numbers."""
    places = [_ORDINAL[w.lower()] for w in _WORD.findall(m.group("places"))]
    if max(places) > total:
        return m.group()
    if len(places) == 1:
        return f"patch {places[0]}"
    return "patches " + ", ".join(map(str, places[:-1])) + f" and {places[-1]}"
