"""How a reply's sentence is read as a request: no negation, no condition, not taken back.

No negation governing it, no condition, no question but one put as a request, not a request named as taken back
(harness.droprequest's patterns, and every other reading's, use it).
"""

from __future__ import annotations

import re
from typing import Protocol

from harness.regate import gated
from harness.replywords import sentences
from models.lazyre import lazy

_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|instead\s+of|rather\s+than)\b|n['’]t\b", re.I)
# A negation governs the clause it is in: "No, drop this patch.", "There is no user, this patch should be
# dropped." ask. One in an earlier clause of the sentence still governs when that clause says what someone thinks
# ("I don't think, at this point, we should drop it"); a "but" starts the request's clause afresh ("Not sure,
# but NAK"). An "and" starts a clause of its own too ("This is not acceptable and gets a NAK from me", "There is no
# user and this patch should be dropped").
_CONTRAST = re.compile(r"\b(?:but|however)\b", re.I)
_CLAUSE = re.compile(r"[,;:–—(]|\s-\s|\band\b", re.I)
# It governs only when what one thinks is still to come: the clause ends in the word ("I don't think, now, we should
# drop it"); one that says it all ("I don't think this is right, NAK.", "I don't see a user, drop this patch.") does
# not, nor does any before a clause that is only the verdict or the imperative ("I don't agree, NAK.").
_DEFERRED = lazy(r"\b(?:think|believe|sure|need|want|convinced|agree|see|say|suggest|like)\W*$", re.I)
_BARE_HEAD = re.compile(r"^\W*(?:(?:so|then|hence|thus|therefore|and|please|just|simply|IMO|IMHO)\W+)*$", re.I)
# A question is no request unless it is one in form ("Could you drop this patch?") or a suggestion ("Can we drop
# this patch?", "Why not drop this patch?", whose "not" negates nothing): "Should we drop this patch?" asks a view.
_ASKING = lazy(r"^\s*(?:(?:so|and|but|then|also|please)[\s,]+)*(?:(?:can|could|would|will)\s+(?:you|we)\b|"
               r"why\s+not\b)", re.I)
_WHY_NOT = lazy(r"^\W*why\s+not\b", re.I)
# Words that are the content of a condition, not a request: "If you drop this patch, patch 4 breaks." The request
# must sit in the clause the condition opens, right after its subject ("if you", "once we"); "If possible, drop
# this patch" and "If you ask me, drop this patch" still ask (the request is in a clause of its own).
_CONDITION = re.compile(r"(?:^|\s)(?:if|when|whenever|once|unless|in\s+case|before|after)\s+"
                        r"(?:you|we|they|i|he|she|someone|somebody|anyone|anybody|one)\s+(?:\w+\s+){0,2}$", re.I)


# A patch that has landed (or will) dropped from one's own tree, branch or queue: "Once this lands, you can drop the
# patch from your tree." keeps the patch; "please drop this from your tree" to the maintainer carrying it does not,
# nor a merge that went wrong ("now that it is merged by mistake").
_OWN_COPY = re.compile(r"\bfrom\s+(?:your|my|our)\s+(?:own\s+|local\s+|\w+\s+)?"
                       r"(?:tree|branch|queue|repo|repository|copy)\b", re.I)
_LANDED = lazy(r"\b(?:once|after|as\s+soon\s+as|now\s+that|when)\s+(?:it|this|that|they|these|"
               r"(?:the|this|that|your)\s+(?:patch|series|one|change|commit|fix)(?:es)?)(?:['’]s\s+|\s+)"
               r"(?:lands?|landed|"
               r"(?:(?:is|was|gets|got|has\s+been|have\s+been|are|were)\s+)?(?:merged|applied|upstream|queued|"
               r"picked\s+up|in\s+(?:mainline|linux-next|-next|\w+['’]s\s+tree|the\s+\w+\s+tree)))\b", re.I)
_AMISS = lazy(r"\b(?:mistake|mistakenly|accident\w*|wrong\w*|error|revert\w*|broke|breaks?|regress\w*)\b", re.I)


def says_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` in any case (one that is not ASCII may: re.IGNORECASE matches the Kelvin
    sign with k)."""
    low = text.lower()
    return not text.isascii() or any(w in low for w in words)


_SUBJECT = re.compile(r"(?:I|we)(?:['’]\w+)?\s+", re.I)
# A request named as one taken back: "Please disregard my request to drop this patch.", "Scratch my suggestion to drop
# 2/3." (each was read as a request to drop, the gate blocking on the words lifting one). "I repeat my request to ..."
# still asks.
_TAKEN_BACK = gated(r"\b(?:disregard|ignore|scratch|withdraw(?:ing)?|retract(?:ing)?|cancel|forget|take\s+back|rescind|"
                   r"revoke|drop)\s+(?:my|the|that|this|our)\s+(?:(?:earlier|previous|above|original|own|last)\s+)?"
                   r"(?:request|suggestion|ask|comment|note|proposal)\s+(?:to|for|about|on|of)\s+$", re.I)


def _landed_own_copy(sentence: str, found: re.Match[str]) -> bool:
    """Whether the request drops a landed patch from the addressee's own copy, not the patch (see _OWN_COPY)."""
    return bool(_OWN_COPY.search(sentence, found.start())) and bool(_LANDED().search(sentence)) \
        and not _AMISS().search(sentence)


def negated(sentence: str, start: int, end: int, negation: re.Pattern[str] = _NEGATION) -> bool:
    """Whether a negation governs the words at ``start``..``end`` of ``sentence``: one in them, or before them in
    their clause, or in an earlier clause that says what someone thinks; not across a "but"."""
    if negation.search(sentence, start, end):
        return True
    head = sentence[:start]
    turns = list(_CONTRAST.finditer(head))
    clauses = _CLAUSE.split(head[turns[-1].end():] if turns else head)
    if negation.search(clauses[-1]):
        return True
    if _BARE_HEAD.match(clauses[-1]):
        return False  # "I don't like this, NAK.", "I don't agree, drop this patch.": a verdict of its own
    return any(negation.search(c) and _DEFERRED().search(c) for c in clauses[:-1])


class Searcher(Protocol):
    """What a request's pattern must do: re.Pattern's search (harness.refusals also gives a pattern with a check of
    its own on each match)."""

    def search(self, string: str, pos: int = 0, /) -> re.Match[str] | None: ...


def request_in(text: str, pattern: Searcher, own_negation: bool = False) -> str | None:
    """The first sentence of ``text`` where ``pattern`` asks for something, as drop_sentence reads a request (no
    negation, condition or question): for another module's pattern (harness.unnameddrop's verdicts)."""
    found = request_match(text, pattern, own_negation)
    return found[0] if found else None


def request_match(text: str, pattern: Searcher, own_negation: bool = False, unless: Searcher | None = None
             ) -> tuple[str, re.Match[str]] | None:
    """The first sentence where ``pattern`` asks for something: no negation before or in it (before it only, when
    the request is a negation: ``own_negation``), no question but one put as a request, nothing after it that
    ``unless`` finds; sentences split within a paragraph, a mailer's line breaks joined."""
    for sentence in sentences(text):
        found = pattern.search(sentence)
        # "Why not drop this patch?" suggests it: its "not" is read as no negation of the request.
        why_not = _WHY_NOT().match(sentence) if sentence.endswith("?") else None
        read = sentence if why_not is None else " " * why_not.end() + sentence[why_not.end():]
        if found is None or negated(read, found.start(), found.start() if own_negation else found.end()) \
                or _TAKEN_BACK().search(sentence, 0, found.start()):
            continue
        # The subject a maintainer's word holds ("I" of "I drop this from my queue") belongs to the condition too.
        subject = _SUBJECT.match(found.group(0))
        head = sentence[: found.start()] + (subject.group(0) if subject else "")
        if _CONDITION.search(_CLAUSE.split(head)[-1]):
            continue  # what would follow if someone dropped it, not a request to
        if _landed_own_copy(sentence, found):
            continue
        if sentence.endswith("?") and not _ASKING().match(sentence):
            continue
        if unless is not None and unless.search(sentence, found.end()):
            continue  # what the rest of the sentence says undoes it (_ELSEWHERE)
        return sentence, found
    return None
