"""What a NAK names as NAKed besides what it is of: later revisions and patches carried on.

Later revisions ("NAK, and v3 too", "NAK for v2 and v3") given below an earlier one, and patches carried on after the
one it names ("NAK for patch 3, and 2 too", "Same for patch 2.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from harness.droprequest import drop_sentence
from harness.model import Patch
from harness.nakwords import nak_sentences
from harness.replywords import NUMBERS, ascii_forms, listed_numbers, sentences
from harness.titlenames import as_numbers
from models.lazyre import lazy

# "v3", "V3", "version 3", "v3's"; a range "v2-v4", "v2..4", "v2 to v4", "v2 through v4"; a list "v2, v3 and v4",
# "v2/v3".
_ONE = r"(?:\bv|\bversion\s+)(\d+)\b"
_RANGE = re.compile(rf"{_ONE}\s*(?:-|–|\.\.\.?|to|through|thru)\s*v?(\d+)\b", re.I)
_REVISION = re.compile(_ONE, re.I)
# A sentence with no NAK of its own that carries the one before to a revision it names: "Same for v3.", "This applies
# to v3 as well.", "v3 too.", "Also v3.", "Likewise v3."
_CARRIES = re.compile(r"\b(?:too|also|as\s+well|same|likewise|either|applies|again|still)\b", re.I)
# A clause that negates, approves or contrasts ("v3 fixes it", "v1 was better", "unlike v1") NAKs what it names not.
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|fixe[sd]|fine|ok(?:ay)?|good|better|correct|right|works?|"
                       r"unlike|than|instead|except|versus|vs)\b|n['’]t\b", re.I)
_CLAUSE = re.compile(r"[,;:()]|\b(?:but|though|although|while|whereas)\b", re.I)  # "NAK, v3 fixes it": v3's own clause
_MOST = 100  # a range longer than this names no revisions (a typo, or not revisions at all)


# The revision after the one the reply is below, named with no number: "NAK, and the next version too".
_NEXT = re.compile(r"\b(?:next|following|upcoming|subsequent)\s+(?:version|revision|spin|posting|round|iteration|"
                   r"respin|series)\b", re.I)


def naked_revisions(text: str, own: int | None = None) -> frozenset[int]:
    """The revisions a reply's own words name as NAKed: each named in a sentence that NAKs, or in one that carries the
    NAK on ("Same for v3."), in a clause with no negation or approval ("NAK, v3 fixes it" NAKs v3 not); "the next
    version" is ``own`` + 1 (``own``: the revision the reply is below). A false block (a revision named in a NAK that
    does not mean it) is the lesser error than one passed."""
    said = nak_sentences(text)
    if not said:
        return frozenset()
    carried = [s for s in sentences(text) if _CARRIES.search(s)]
    clauses = (c for s in [*said, *carried] for c in _CLAUSE.split(ascii_forms(s)))
    return frozenset(n for c in clauses if not _NEGATION.search(c)
                     for n in _revisions(c) | ({own + 1} if own is not None and _NEXT.search(c) else set()))


# A patch a clause names: "patch 2", "patches 2-4", "2/3", "#2"; in a clause that carries the NAK on ("and 2 too",
# "(and 2)", "also 2"), a bare number too.
_PATCH = re.compile(rf"\bpatch(?:es)?\s+{NUMBERS}|(?<![\w/.])(\d+/\d+)(?![\w/])|(?<![\w/])#(\d+)\b", re.I)
_BARE = re.compile(r"(?<![\w/.#-])(\d+)(?![\w/.%-])")
_AND = re.compile(r"^\W*(?:and|&|plus)\b", re.I)


def carried_drops(text: str, patches: Sequence[Patch]) -> frozenset[int]:
    """carried_patches of a reply's request to drop the patch it answers ("Drop this patch and patch 2 too", "Please
    drop this patch. Same for patch 2."): it asks the same of those (it was read as of the patch it answers alone, and
    a variant stopping before that patch passed)."""
    return carried_patches(text, patches, lambda t: [s] if (s := drop_sentence(t)) is not None else [])


def carried_patches(text: str, patches: Sequence[Patch],
                    said_in: Callable[[str], list[str]] = nak_sentences) -> frozenset[int]:
    """The patch numbers of ``patches`` a reply NAKing patches by number names in the clauses that carry its NAK on
    (naked_revisions' clauses: "NAK for patch 3 (and 2)", "NAK for patch 3, and 2 too", "NAK for patch 3. Same for
    patch 2."): the NAK is of those as well. Read for a NAK only, never for a withdrawal, which it would widen
    (``said_in``: the sentences that NAK, or that ask to drop: carried_drops). Patches named by title, place or run
    ("NAK to everything after patch 1": 2 and 3, not 1) are read as numbers first (titlenames.as_numbers)."""
    text = as_numbers(text, patches)
    said = said_in(text)
    if not said:
        return frozenset()
    known = {p.number for p in patches if p.number}
    out: set[int] = set()
    for sentence, naks in [*((s, True) for s in said), *((s, False) for s in sentences(text) if _CARRIES.search(s))]:
        for clause in _CLAUSE.split(ascii_forms(sentence)):
            if _NEGATION.search(clause):
                continue
            out.update(n for m in _PATCH.finditer(clause) for n in listed_numbers(next(g for g in m.groups() if g)))
            if _CARRIES.search(clause) or (naks and _AND.match(clause)):
                out.update(int(n) for n in _BARE.findall(_PATCH.sub(" ", clause)))
    return frozenset(out & known)


# The revision a reply is below said to be fine or to answer the NAK: "v2 is fine", "this version fixes it".
_FINE = (r"\b(?:v{own}|version\s+{own}|this\s+(?:one|version|revision|posting|series)|the\s+new\s+(?:one|version))\s+"
         r"(?:is\s+(?:fine|ok|okay|good|correct|better)|looks\s+(?:good|fine|ok|okay|correct)|(?:fixes|fixed|addresses|"
         r"addressed|resolves|resolved|solves|solved)\b)")


# A later revision named by its place: "the next version fixes this" below v1 is of v2.
_NEXT_FINE = (r"\b(?:the\s+next\s+(?:one|version|revision|posting|spin|series))\s+(?:is\s+(?:fine|ok|okay|good|correct|"
              r"better)|looks\s+(?:good|fine|ok|okay|correct)|(?:fixes|fixed|addresses|addressed|resolves|resolved|"
              r"solves|solved)\b)")


def later_answers(text: str, later: int, own: int) -> bool:
    """Whether a reply below revision ``own`` says, in its own words, that revision ``later`` answers it or is fine
    ("NAK, v2 fixes this." below v1; "the next version fixes this" of ``own + 1``): its objection is then not one of
    ``later`` (harness.objections.earlier_objections)."""
    words = ascii_forms(text)
    return re.search(_FINE.format(own=later), words, re.I) is not None or (
        later == own + 1 and re.search(_NEXT_FINE, words, re.I) is not None)


def others_only(text: str, own: int) -> bool:
    """Whether a reply below revision ``own`` NAKs only other revisions in its own words ("My NAK was for v1; this
    version is fine.", "NAK for v1 only, v2 is fine."): its NAK sentences name revisions, none of them ``own``, and it
    says ``own`` is fine or answers them (_FINE). Such a NAK blocked ``own`` as its own (the gate said NOT READY for a
    NAK of v1 below v2 that v2 answered)."""
    return bool(_others_named(text, own)) and re.search(_FINE.format(own=own), ascii_forms(text), re.I) is not None


def _others_named(text: str, own: int) -> frozenset[int]:
    """The revisions a reply below revision ``own`` names as NAKed when ``own`` is not among them and its NAK names
    not "this one" or "the next version" either; empty else."""
    named = naked_revisions(text)  # in clauses with no negation or approval: "v2 fixes it" names none
    if not named or own in named:
        return frozenset()
    said = nak_sentences(text)
    # "NAK for v1 and this one, ...", "NAK for v1, and the next version too": this revision NAKed as well.
    if any(_NEXT.search(s) or (_THIS().search(c) and not _NEGATION.search(c)) for s in said
           for c in _CLAUSE.split(ascii_forms(s))):
        return frozenset()
    return named


_BESIDES = lazy(r"\b(?:too|also|as\s+well|besides|likewise)\b", re.I)


def others_note(text: str, own: int) -> str:
    """What the gate says of a NAK below revision ``own`` that names only other revisions as NAKed ("NAK on v1."
    below v2) and does not say ``own`` answers it (others_only): it is read as a NAK of ``own`` too, the revision its
    sender answered (a NAK that stands is the lesser error than one passed), and the note says so; "" else."""
    named = sorted(_others_named(text, own))
    # "NAK, and v5 too.": of this revision, and another besides.
    if not named or others_only(text, own) or any(_BESIDES().search(s) for s in nak_sentences(text)):
        return ""
    which = ", ".join(f"v{n}" for n in named)
    return (f"its words NAK {which}, not v{own}, which it answers, nor say v{own} answers the NAK: read as a NAK of "
            f"v{own} as well, until its sender says v{own} is fine or takes it back")


_THIS = lazy(r"\bthis\s+(?:one|version|revision|patch|posting|series|spin)\b|\b(?:it|this)\s+(?:too|as\s+well)\b",
                   re.I)


def _revisions(sentence: str) -> set[int]:
    """The revision numbers a sentence names, ranges spelt out."""
    out: set[int] = set()
    for m in _RANGE.finditer(sentence):
        first, last = int(m.group(1)), int(m.group(2))
        if 0 < last - first <= _MOST:
            out.update(range(first, last + 1))
    return out | {int(m.group(1)) for m in _REVISION.finditer(sentence)}
