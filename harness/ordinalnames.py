"""Patches a reply names by place in the series ("the first three", "the last one", "the second patch")."""

from __future__ import annotations

import re

from harness.appliedsome import COUNT_WORDS, NUMBER_OR_WORD, count_of, rest_as_numbers
from harness.regate import gated
from models.lazyre import lazy

_ORDINAL = {w: n for n, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                        "ninth", "tenth", "eleventh", "twelfth"), start=1)}
# What may follow a place named: the patches, or the end of the phrase ("Applied the first three, thanks.", "the last
# two need work"); never another noun ("the first three lines", "the first two hunks" name no patch).
_AFTER = (r"(?=(?:\s*(?:[.,;:!?)]|$)|\s+(?:patch(?:es)?|ones?)\b|\s+(?:need|needs|are|is|were|was|look|looks|"
          r"have|has|had|do|does|did|don['’]t|doesn['’]t|can|could|should|must|will|would|with|to|into|in|for|on|and|but|thanks|as|too|also|now|still|again|go|went|I|we)\b))")
# Read with the place: "the last one of the series", "the first 2 of 3".
_OF_SERIES = (r"(?:\s+(?:of|in)\s+(?:the|this|your)\s+(?:series|set|patch\s*set)"
              rf"|\s+(?:out\s+)?of\s+(?:the\s+)?(?P<of>\d{{1,3}}|{COUNT_WORDS})(?:\s+patches)?(?![\w/]))?")
_NUMBER = NUMBER_OR_WORD
_ORDINALS = "|".join(_ORDINAL)
# "the first three (patches)", "the last two", "the last patch", "the first one".
_ENDS = gated(rf"\bthe\s+(?P<end>first|last)\s+(?:(?P<count>{_NUMBER})(?:\s+(?:patch(?:es)?|ones))?|(?:patch|one)\b)"
              rf"{_OF_SERIES}{_AFTER}", re.I)
# "the middle patch" of an odd count ("NAK on the middle patch" was a NAK of the cover letter, blocking every variant);
# of an even one it names none, left as written.
_MIDDLE = lazy(rf"\bthe\s+middle\s+patch\b{_OF_SERIES}{_AFTER}", re.I)
# "the second patch", "the second and third patches", "the third one".
_PLACES = gated(rf"\bthe\s+(?P<places>(?:{_ORDINALS})(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:{_ORDINALS}))*)"
                rf"(?:\s+(?:patch(?:es)?|ones?))?{_OF_SERIES}{_AFTER}", re.I)
# "all but the last", "everything except the first": the place alone, after words that leave out a patch.
_BUT_END = gated(rf"\b(?P<but>(?:all|everything|the\s+series|the\s+rest)\s+(?:but|except(?:\s+for)?)\s+)"
                 rf"the\s+(?P<end>first|last){_AFTER}", re.I)
_WORD = lazy(rf"{_ORDINALS}", re.I)
# Patches named from one on or up to one: "the remaining two after patch 1", "everything after 2/5", "patches 3
# onwards", "from patch 3 on", "patch 3 and later", "all patches up to 3/5", "everything before patch 4". After or
# before a patch only with words that name patches before it ("Apply the rest after patch 1 has landed" is when);
# then the end of the phrase or what is said of them, never "is"/"has"/"lands" (when).
_AT = r"(?:(?:the\s+)?patch\s+|#)?(?P<at>\d{1,3})(?:/\d+)?(?![\w/'’-])"
_SAID = (r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:need|needs|are|look|looks|seem|seems|should|must|can|could|will|would|do|"
         r"don['’]t|doesn['’]t|and|but|thanks|too|also|now|still|again|for|to|into|as|from|of|in|I|we)\b)")
_HEAD = (rf"\b(?:everything|all(?:\s+(?:of\s+)?(?:the\s+)?(?:patches|rest|others))?|(?:any\s+|the\s+)?patches|"
         rf"the\s+(?:rest|others|remaining(?:\s+(?P<count>{_NUMBER}))?(?:\s+(?:patch(?:es)?|ones))?))")
_FROM = gated(rf"{_HEAD}\s+(?P<how>after|following|past|beyond)\s+{_AT}{_SAID}"
              rf"|(?:\bfrom\s+(?:(?:the\s+)?patch\s+|#|(?=\d+/\d))(?P<from>\d{{1,3}})(?:/\d+)?\s+on(?:wards?)?\b|(?:\bfrom\s+)?(?:\bpatch(?:es)?\s+|#)?(?<![\w/#-])"
              rf"(?P<on>\d{{1,3}})(?:/\d+)?\s+(?:onwards?\b|and\s+(?:later|up|beyond|following|after)\b)"
              rf"(?:\s+(?:patch(?:es)?|ones))?)", re.I)
_UP_TO = gated(rf"{_HEAD}\s+(?P<how>before|up\s+to(?:\s+and\s+including)?|through|until|till)\s+{_AT}{_SAID}"
               rf"|\bup\s+to(?:\s+and\s+including)?\s+(?:(?:the\s+)?patch\s+|#)(?P<upto>\d{{1,3}})(?:/\d+)?"
               rf"(?![\w/'’-]){_SAID}", re.I)
_RANGE_WORDS = re.compile(r"after|following|past|beyond|onward|\bon\b|later|\bup\b|before|through|until|till", re.I)


def _patches(first: int, last: int) -> str:
    """Patches ``first`` to ``last`` as a reply naming them by number is read."""
    return f"patch {first}" if first == last else f"patches {first}-{last}"


def _from(m: re.Match[str], total: int) -> str:
    """The patches "everything after patch N" or "N onwards" names, as numbers; as written past the series' end, or
    when the count it says ("the remaining three after patch 1") is not how many follow."""
    at = int(m.group("at") or m.group("on") or m.group("from"))
    first = at + 1 if m.group("how") else at
    count = m.group("count")
    said = None if count is None else count_of(count)
    if not 1 <= first <= total or at < 1 or (said is not None and said != total - first + 1):
        return m.group()
    return _patches(first, total)


def _up_to(m: re.Match[str], total: int) -> str:
    """The patches "everything before patch N" or "up to patch N" names, as numbers; as written past the series'
    end, or when the count it says is not how many come before."""
    at = int(m.group("at") or m.group("upto"))
    last = at - 1 if (m.group("how") or "").lower() == "before" else at
    count = m.group("count")
    said = None if count is None else count_of(count)
    if not 1 <= last <= total or (said is not None and said != last):
        return m.group()
    return _patches(1, last)


def ranges_as_numbers(text: str, total: int) -> str:
    """``text`` with each run of patches it names from or up to one ("everything after patch 1", "patches 2
    onwards", "up to patch 3") made ``patches A-B`` of a series of ``total`` patches (_FROM, _UP_TO)."""
    if total < 2 or not _RANGE_WORDS.search(text) or not _DIGIT.search(text):
        return text
    return _UP_TO().sub(lambda m: _up_to(m, total), _FROM().sub(lambda m: _from(m, total), text))


_DIGIT = re.compile(r"\d")


# A patch named by its number in words: "Patch two needs more work.", "patches two and three" (read as nothing: the
# gate passed patch 2). Never a count ("two patches") nor past the series' end.
_WORDED = lazy(rf"(?<!\bthe\s)(?<!\ba\s)(?<!\bany\s)(?<!\beach\s)\bpatch(?:es)?\s+"
               rf"(?P<words>(?:{COUNT_WORDS})(?:\s*(?:,|and|&)\s*(?:patch\s+)?(?:{COUNT_WORDS}))*)\b"
               r"(?!\s+(?:of|out\s+of)\b)", re.I)


def _worded(m: re.Match[str], total: int) -> str:
    """The patches "patch two" names, as numbers; as written past the series' end."""
    numbers = [count_of(w) for w in re.findall(COUNT_WORDS, m.group("words"), re.I)]
    if max(numbers) > total:
        return m.group()
    return f"patch {numbers[0]}" if len(numbers) == 1 else \
        "patches " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def ordinals_as_numbers(text: str, total: int) -> str:
    """``text`` with each patch it names by its place in a series of ``total`` patches made ``patch N`` or ``patches
    A-B`` ("Applied the first three, the last one needs work." with 4: "Applied patches 1-3, patch 4 needs work."),
    as a reply naming them by number is read, runs from or up to one ("everything after patch 1": ranges_as_numbers)
    and "the rest" after patches named (harness.appliedsome). A place past
    the series' end, or a count of none, is left as written."""
    text = ranges_as_numbers(text, total)
    if total >= 2 and re.search(r"patch", text, re.I):
        text = _WORDED().sub(lambda m: _worded(m, total), text)
    if total < 2 or "the" not in text.lower():
        return text
    text = _ENDS().sub(lambda m: _ends(m, total), text)
    if total % 2:
        text = _MIDDLE().sub(lambda m: _middle(m, total), text)
    text = _BUT_END().sub(lambda m: m.group("but") + f"patch {1 if m.group('end').lower() == 'first' else total}", text)
    return rest_as_numbers(_PLACES().sub(lambda m: _places(m, total), text), total)


def _ends(m: re.Match[str], total: int) -> str:
    """The patches "the first N" or "the last N" names, as numbers."""
    said = m.group("count")
    count = 1 if said is None else count_of(said)
    if not 0 < count <= total or _counts_more(m, total):
        return m.group()
    first = 1 if m.group("end").lower() == "first" else total - count + 1
    return f"patch {first}" if count == 1 else f"patches {first}-{first + count - 1}"


def _places(m: re.Match[str], total: int) -> str:
    """The patches "the second and third" names, as numbers."""
    places = [_ORDINAL[w.lower()] for w in _WORD().findall(m.group("places"))]
    if max(places) > total or _counts_more(m, total):
        return m.group()
    if len(places) == 1:
        return f"patch {places[0]}"
    return "patches " + ", ".join(map(str, places[:-1])) + f" and {places[-1]}"


def _counts_more(m: re.Match[str], total: int) -> bool:
    """Whether the place ``m`` names is counted in more patches than a series of ``total`` has ("the last one out of
    five" below 3 patches: another series' fifth, not patch 3)."""
    said = m.group("of")
    return said is not None and count_of(said) > total


def _middle(m: re.Match[str], total: int) -> str:
    """The patch "the middle patch" of an odd ``total`` names, as a number; as written when it counts another total
    ("the middle patch of 5" below 3 patches is another series')."""
    said = m.group("of")
    return m.group() if said is not None and count_of(said) != total else f"patch {total // 2 + 1}"
