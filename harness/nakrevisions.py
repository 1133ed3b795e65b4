"""The later revisions a NAK given below an earlier one names as NAKed too ("NAK, and v3 too", "NAK for v2 and v3")."""

from __future__ import annotations

import re

from harness.droprequest import ascii_forms, sentences
from harness.nakwords import nak_sentences

# "v3", "V3", "version 3", "v3's"; a range "v2-v4", "v2..4", "v2 to v4", "v2 through v4"; a list "v2, v3 and v4",
# "v2/v3".
_ONE = r"(?:\bv|\bversion\s+)(\d+)\b"
_RANGE = re.compile(rf"{_ONE}\s*(?:-|–|\.\.\.?|to|through|thru)\s*v?(\d+)\b", re.I)
_REVISION = re.compile(_ONE, re.I)
# A sentence with no NAK of its own that carries the one before to a revision it names: "Same for v3.", "This applies
# to v3 as well.", "v3 too.", "Also v3.", "Likewise v3."
_CARRIES = re.compile(r"\b(?:too|also|as\s+well|same|likewise|either|applies|again|still)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|fixe[sd]|fine|ok(?:ay)?|good)\b|n['’]t\b", re.I)
_CLAUSE = re.compile(r"[,;:()]|\b(?:but|though|although|while|whereas)\b", re.I)  # "NAK, v3 fixes it": v3's own clause
_MOST = 100  # a range longer than this names no revisions (a typo, or not revisions at all)


def naked_revisions(text: str) -> frozenset[int]:
    """The revisions a reply's own words name as NAKed: each named in a sentence that NAKs, or in one that carries the
    NAK on ("Same for v3."), in a clause with no negation or approval ("NAK, v3 fixes it" NAKs v3 not). A false block
    (a revision named in a NAK that does not mean it) is the lesser error than one passed."""
    said = nak_sentences(text)
    if not said:
        return frozenset()
    carried = [s for s in sentences(text) if _CARRIES.search(s)]
    clauses = (c for s in [*said, *carried] for c in _CLAUSE.split(ascii_forms(s)))
    return frozenset(n for c in clauses if not _NEGATION.search(c) for n in _revisions(c))


def _revisions(sentence: str) -> set[int]:
    """The revision numbers a sentence names, ranges spelt out."""
    out: set[int] = set()
    for m in _RANGE.finditer(sentence):
        first, last = int(m.group(1)), int(m.group(2))
        if 0 < last - first <= _MOST:
            out.update(range(first, last + 1))
    return out | {int(m.group(1)) for m in _REVISION.finditer(sentence)}
