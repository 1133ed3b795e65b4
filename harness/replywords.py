"""Words every reader of a review reply shares: its sentences, patches named by number, full-width forms."""

from __future__ import annotations

import functools
import re

from models.lazyre import lazy

RANGE = r"(?:-|–|\.\.|to|through|thru)"
# Between two numbers of a list: "3, 4", "3 and 4", "3 & 4", "3 + 4", "3 plus 4", "3 as well as 4", "3 and patch 4",
# a range ("3-4"). "and patch 4" and "+ 4/5" ended the list, and patch 4 was not asked. Not ", patch 2": "NAK for
# patch 3, patch 2 is fine" names 3 alone.
_SEP = rf"\s*(?:,|(?:and|&|\+|plus|as\s+well\s+as)(?:\s+(?:the\s+)?patch)?|{RANGE})\s*"
NUMBERS = rf"(#?\d+(?:/\d+)?(?:{_SEP}#?\d+(?:/\d+)?)*)"
# A list in the series' form, its last number marked ("3/5 and 4/5", "2-3/5", "#3 and #4"), read whole.
SERIES_LIST = rf"((?>(?:#?\d+(?:/\d+)?{_SEP})*(?:#\d+|\d+/\d+)))"
# The patches a sentence names by number, in either form ("keep 2/3", "keep patch 2"): harness.takenback.
NAMED_NUMBERS = lazy(rf"\bpatch(?:es)?\s+{NUMBERS}|(?<![\w/#]){SERIES_LIST}", re.I)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
# A patch named first, then what is asked of it: "Patch 6: ...", "For 6/26, ...", "[PATCH v2 3/3]: ...".

# A period inside a word ("6.12", "tdx.c", "e.g.") ends no sentence.
# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
SENTENCE = re.compile(r"[^.!?;\n]*+(?:\.(?=\w)[^.!?;\n]*+)*+(?:[.!?;]+|\n|$)")

# A sed-style substitution, whatever it holds and whichever its delimiter: "s/0x%llx/%#llx/", "s/tries-- > 0/--tries/",
# "s/misread/mis-read/", "s|a/b|c|g" (the second and third were read as nothing: spaces in it, or a word of the patch's
# fate in it, "read"). The "s" stands alone (not "it's,a,b,"); the old text is not empty and does not open with a
# blank; after the last delimiter only flags, then the end, a blank or a stop: "s/he and/or s/he" is no substitution.
SED = lazy(r"(?<![^\s(\"'`‘“])(?<!\w['’])s(?P<d>[/|#!@~+,:])(?!\s|(?P=d))(?:\\.|(?!(?P=d)).)+?(?P=d)"
           r"(?:\\.|(?!(?P=d)).)*?(?P=d)[gimx]*(?=$|[\s.,;:!?)\"'`’”])")


# A CJK input method's full-width forms ("ＮＡＫ", "Nacked-by：") read as the ASCII they stand for (Unicode's
# compatibility mapping of U+FF01..U+FF5E, and the ideographic space), one character for one: each was no NAK and
# passed the gate (harness.nakwords). The sentences cited are the reply's own characters.
_FULLWIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def ascii_forms(text: str) -> str:
    """``text`` with its full-width ASCII forms made ASCII (_FULLWIDTH), its length and positions kept."""
    return text.translate(_FULLWIDTH)


# The word NAK spelt with dots ("N.A.K.", "N.A.C.K."): a NAK as plain as the word (harness.nakwords; it read as
# none, and passed).
DOTTED_NAK = r"N\.A\.(?:C\.)?K\b"


def listed_numbers(listed: str) -> tuple[int, ...]:
    """The numbers a list NUMBERS or SERIES_LIST matched names: "2, 3 and 5/5", a range "2-4" (2, 3 and 4)."""
    numbers: list[int] = []
    ranged = False
    for number, sep in re.findall(rf"#?(\d+)(?:/\d+)?|({RANGE})", listed, re.I):
        if sep:
            ranged = True
        elif ranged and numbers and 0 < int(number) - numbers[-1] <= 100:
            numbers.extend(range(numbers[-1] + 1, int(number) + 1))  # "2-4": 2, 3 and 4
            ranged = False
        else:
            numbers.append(int(number))
            ranged = False
    return tuple(dict.fromkeys(numbers))


def holds_each(low: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``low`` holds one word of every group of ``groups`` (a form's word gate: True for no group, False for
    an empty group), as ``all(any(w in low for w in words) for words in groups)``. Loops, not generators: the reply
    readers ask it of every sentence and form (some 3,600 times in a `series` of the corpus)."""
    for words in groups:
        for w in words:
            if w in low:
                break
        else:
            return False
    return True


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, split within each paragraph, a mailer's line breaks joined."""
    return list(_split(text))


@functools.lru_cache(maxsize=1024)  # a reply is split again by each reader of it (drops, holds, verdicts, NAKs)
def _split(text: str) -> tuple[str, ...]:
    return tuple(s for paragraph in _RULED().split(text) for s in _paragraph(" ".join(paragraph.split())))


# A paragraph ends at a blank line, or at a rule line a log draws: lockdep's report opens with a line of "=" above its
# "WARNING: possible circular locking dependency detected", which the two joined hid (READY, h701).
_RULED = lazy(r"\n\s*\n|^[ \t]*(?:={3,}|-{3,}|_{3,}|\*{3,}|~{3,})[ \t]*(?:\n|$)", re.M)


# A stop inside a substitution (SED): the split reads it as a letter.
_STOPS = str.maketrans(".!?;", "xxxx")


def _paragraph(line: str) -> list[str]:
    """The sentences of ``line``, a paragraph joined; a substitution is one whatever stops it holds:
    "s/Retry. The/Retry; the/" was three sentences, none a substitution, and read as nothing (the gate passed)."""
    read = line
    for m in SED().finditer(line):  # the same length: the sentences' places are the line's
        read = read[:m.start()] + m.group(0).translate(_STOPS) + read[m.end():]
    return [line[m.start():m.end()].strip() for m in SENTENCE.finditer(read) if m.group(0).strip()]
