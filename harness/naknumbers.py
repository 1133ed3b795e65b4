"""The patches a NAK names as what it is of: "NAK for patch 3", "Patch 3: NAK", "NAK: patches 2 and 3"."""

from __future__ import annotations

import re

from harness.regate import gated
from harness.replywords import DOTTED_NAK, NUMBERS, ORDINALS, RANGE, ascii_forms, listed_numbers
from models.lazyre import lazy

_NUMBERS, _ORDINALS, _RANGE = NUMBERS, ORDINALS, RANGE  # harness.replywords' lists, read alike
# A NAK that names the patches it is of: "NAK for patch 3", "NAK to patches 2 and 3", "NAK on 3/5", "Patch 3: NAK".
# Without the word "patch", numbers of the series' form or marked "#" ("NAK for 2-3/3", "NAK on #2-#3", "2/3 and
# 3/3"), or ordinals ("NAK to the second and third patch"): each was read as naming none, a NAK of the cover letter
# that blocked every variant.
_MARKED = r"(?:#\d+|\d+/\d+)"
_BARE = rf"((?:(?:#?\d+(?:/\d+)?)\s*(?:,|and|&|{_RANGE})\s*)*{_MARKED})"
_ORDINAL = rf"(?:{'|'.join(_ORDINALS)})"
_ORDINAL_LIST = rf"({_ORDINAL}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_ORDINAL})*)\s+(?:patch(?:es)?|ones?)\b"
# The patches as the verb's object, no "for" ("NAK patch 2", "I'm NAKing 2/3", "I NAK the second patch"): each was read
# as a NAK of the cover letter. Only as "patch N", a number of the series' form or an ordinal: "NAK 2 times" names none.
_NAK_OF = gated(rf"\b(?:NAC?K(?:ed|ing|s)?|{DOTTED_NAK}\.?)\s+(?:from\s+me\s+)?(?:(?:for|to|on|of)\s+)?(?:the\s+)?"
                rf"(?:patch(?:es)?\s+{_NUMBERS}(?![\w/'’])|{_BARE}(?![\w/'’])|{_ORDINAL_LIST})", re.I)
# The patches named at the head of the NAK's line: "Patch 2/3 - NAK", "[PATCH v2 2/3]: NAK", "2/3: NAK" ("Patch 2:"
# alone was read; each other head a NAK of the cover letter, blocking every variant).
_HEAD = (rf"(?:\[\s*(?:RFC\s+)?PATCH(?:\s+v\d+)?\s+{_BARE}\s*\]|(?:patch(?:es)?\s+{_NUMBERS}|{_BARE})(?![\w/'’]))"
         r"\s*(?:[:,]|-+|–|—)\s*")
# A bare number heads the NAK only as a line or sentence of its own before a colon or a dash ("1 and 3 look fine. 2:
# NAK.": a NAK of the cover letter, every variant blocked); "We retried 2: NAK" and times ("10:30:") are no head.
_BARE_HEAD = r"(\d{1,3})\s*(?::|\s-+|–|—)\s*"
_HEAD_NAK = gated(rf"^\W*(?:{_HEAD}|{_BARE_HEAD})(?:NAC?K(?:ed)?|{DOTTED_NAK})", re.I)
# The patches as the NAK's subject: "Patch 2 is NAKed.", "Patch 2 gets a NAK from me." (a NAK of the cover letter).
_SUBJECT_NAK = gated(rf"^\W*(?:the\s+)?(?:patch(?:es)?\s+{_NUMBERS}|{_BARE})(?![\w/'’])\s+(?:is|are|gets?|got|has|have)"
                     rf"\s+(?:(?:also|hereby|now)\s+)?(?:an?\s+|my\s+)?(?:NAC?K(?:ed)?|{DOTTED_NAK})\b", re.I)
# A NAK trailer whose comment names the patches and nothing more: "Nacked-by: X # for patch 2", "... # 2/3 only"
# (read as of the message it answers: below the cover letter, every patch). A comment saying more ("# patch 2, and
# the approach in general") is of the message still: a NAK read narrower than meant passes what it was of.
_TRAILER_FOR = gated(rf"^\W*NAC?K(?:ed)?-by\s*:[^#]*#\s*(?:(?:for|on|of|re)\s*:?\s+)?(?:the\s+)?"
                     rf"(?:patch(?:es)?\s+{_NUMBERS}(?![\w/'’])|{_BARE}(?![\w/'’])|{_ORDINAL_LIST})"
                     r"(?=\s*(?:only)?\s*[.;)]?\s*$)", re.I)
_NUMBERED_HEAD = gated(rf"\bpatch(?:es)?\s+{_NUMBERS}\s*:\s*$|(?:^|[.!?]\s)\W*(?:{_HEAD}|{_BARE_HEAD})$", re.I)
# The patches named after the NAK's colon: "NAK: patches 2 and 3".
_NUMBERED_TAIL = lazy(rf"^\s*:\s*(?:for\s+)?(?:the\s+)?(?:patch(?:es)?\s+{_NUMBERS}(?![\w/'’])|{_BARE}(?![\w/'’])|"
                      rf"{_ORDINAL_LIST})", re.I)


def nak_numbers(sentence: str, before: str, after: str = "") -> tuple[int, ...] | None:
    """The patches a NAK sentence names as what it is of ("NAK for patch 3", "Patch 3:" right ``before`` it, or
    ": patches 2 and 3" right ``after`` it); None when it names none (it is of the message it answers)."""
    m = _NAK_OF().search(ascii_forms(sentence)) or _TRAILER_FOR().search(ascii_forms(sentence)) \
        or _HEAD_NAK().search(ascii_forms(sentence)) or _SUBJECT_NAK().search(ascii_forms(sentence)) \
        or _NUMBERED_HEAD().search(ascii_forms(before))
    if m is None and (sentence.rstrip().upper().endswith(("NAK", "NACK")) or not sentence.strip()):
        m = _NUMBERED_TAIL().match(ascii_forms(after))
    if m is None:
        return None
    listed = next(g for g in m.groups() if g)
    ordinals = re.findall(_ORDINAL, listed, re.I)
    if ordinals:
        return tuple(dict.fromkeys(_ORDINALS.index(o.lower()) + 1 for o in ordinals))
    return listed_numbers(listed)
