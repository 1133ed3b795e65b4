"""A reviewer taking back their own request to drop the patch.

"Never mind, keep it.", "Please disregard my request to drop it.": read after the request, in the same words or a later
reply of the same sender (harness.takenback).
"""

from __future__ import annotations

import re

from harness.droprequest import drop_sentence
from harness.heldback import numbered_request
from harness.language import unread_language
from harness.regate import gated
from harness.replywords import NUMBERS, SERIES_LIST, sentences
from harness.requestgrammar import negated
from models.lazyre import lazy

_PATCH = r"(?:it|this(?:\s+(?:one|patch))?|that(?:\s+one)?|the\s+patch)"
# One's own objection to the patch or to nothing named (as harness.nakwords reads one taken back).
_OBJECTION = (r"(?:my|our)\s+(?:(?:earlier|previous|above|original|own)\s+)?objections?\b"
              r"(?:\s+(?:to|against)\s+(?:(?:this|the|that|your)\s+(?:patch|series|change|commit|one)\b|"
              r"(?:it|this|that)\b(?!\s+\w)))?(?!\s+(?:to|about|on|against|regarding)\b)")
# Words that may lead a keep: assent, or taking the request back ("Scratch that, keep it.", "On second thought, ...").
_LEAD = (r"(?:ok|okay|fine|so|then|actually|never\s*mind|scratch\s+that|forget\s+(?:that|it)|"
         r"on\s+second\s+thoughts?|sorry)")
# Patches named by number: "patch 2", "patches 2 and 3", "2/3", "[PATCH v2 2/3]" (droprequest's lists).
_NUMBERED = (rf"(?:patch(?:es)?\s+{NUMBERS}(?![\w/'’])|\[?(?:(?:RFC\s+)?PATCH(?:\s+v\d+)?\s+)?"
             rf"(?<![\w/#]){SERIES_LIST}\]?(?![\w/]))")
# What may follow a kept patch: the sentence's end, or words of when or where, never another object ("of the retries").
_KEPT_END = (r"(?=\s*(?:[.!;,]|$|\b(?:then|after\s+all|as\s+is|please|too|as\s+well|in\s+(?:the|your|my)\s+"
             r"(?:tree|queue|series|branch))\b))")
_KEEP = gated(
    # "Never mind." alone, or with what says the request was a mistake or that the patch stays.
    r"^\W*never\s*mind\b(?=\W*$|\s*[,;:-]\s*(?:(?:please\s+)?keep\b|I\s+(?:misread|was\s+wrong|missed|misunderstood)|"
    r"my\s+(?:mistake|bad)|it['’]?s\s+(?:fine|ok(?:ay)?|correct|right)\b|ignore\s+(?:me|that)\b))"
    r"|\b(?:disregard|ignore|scratch|withdraw|retract|cancel|forget|take\s+back|drop)\s+(?:my|the|that)\s+"
    r"(?:(?:earlier|previous|above|original|own)\s+)?(?:request|suggestion|ask|comment|note)\s+"
    r"(?:to\s+(?:drop|remove|revert)|for\s+dropping|about\s+dropping|on\s+dropping)\b"
    rf"|^\W*(?:{_LEAD}[\s,]+)*(?:please\s+)?(?:let['’]s\s+)?keep\s+{_PATCH}"
    r"(?=\s*(?:[.!;,]|$|\b(?:then|after\s+all|as\s+is|please|in\s+(?:the|your)\s+(?:tree|queue|series))\b))"
    # The go-ahead after a hold, led by a word taking it back: "OK, go ahead and apply it.", "Never mind, feel free to
    # apply it." (the hold stood). Not alone: "Please drop 2/3. Feel free to take this one." keeps 3/3, not 2/3.
    rf"|^\W*(?:{_LEAD}[\s,]+)+(?:please\s+)?(?:go\s+ahead\s+and\s+|feel\s+free\s+to\s+)?(?:apply|merge|take|queue|"
    rf"pick\s+up)\s+{_PATCH}(?=\s*(?:[.!;,]|$|\b(?:then|after\s+all|now|please)\b))"
    rf"|\bno\s+need\s+to\s+drop\s+{_PATCH}\b"
    rf"|^\W*(?:(?:ok|okay|so|then|actually|never\s*mind)[\s,]+)*(?:please\s+)?(?:don['’]t|do\s+not)\s+drop\s+{_PATCH}"
    r"(?=\s*(?:[.!;,]|$|\b(?:after\s+all|then|please)\b))"
    # The request made as an objection ("I object to this patch."), taken back as one: "My objection is withdrawn.",
    # "I retract my objection.", "Never mind my objection.", "I no longer object." (each left it standing). Not one to
    # a part of the patch ("my objection to the rename": a point's).
    rf"|\b(?:withdraw|retract|rescind|revoke|lift|drop|scratch|forget|disregard|ignore|never\s*mind)\s+{_OBJECTION}"
    rf"|\btake\s+{_OBJECTION}\s+back\b"
    rf"|(?:\b{_OBJECTION}|^\W*objections?)\s+(?:is\s+|are\s+|has\s+been\s+|hereby\s+)*(?:withdrawn|retracted|"
    r"rescinded|revoked|lifted|dropped)\b"
    r"|\bI\s+(?:do\s+)?no\s+longer\s+object(?:\s+to\s+(?:this|the|that|it)(?:\s+(?:patch|series|change|one))?)?"
    r"(?=\s*(?:[.!;,]|$|now\b|anymore\b|any\s+more\b))",
    re.I)
# By number: "Keep 2/3.", "Please keep patch 2.", "OK, let's keep 2/3 then.", "2/3 is fine, keep it.", "Patch 2: keep
# it.", "Don't drop 2/3 after all." (each read as no keep: the request to drop 2/3 stood); not "Keep 2/3 of the
# retries" (what follows names another thing). Compiled for a sentence with a digit only: its lists of numbers made
# _KEEP's compiling three times as slow (7 -> 23 ms), at every input with a request to drop.
_KEEP_NUMBERED = gated(
    rf"\bno\s+need\s+to\s+drop\s+{_NUMBERED}{_KEPT_END}"
    rf"|^\W*(?:{_LEAD}[\s,]+)*(?:please\s+)?(?:let['’]s\s+|(?:I|we)(?:['’]ll|\s+will)\s+)?(?:just\s+)?keep\s+"
    rf"{_NUMBERED}{_KEPT_END}"
    rf"|^\W*(?:{_LEAD}[\s,]+)*(?:(?:as\s+)?for\s+)?{_NUMBERED}(?:\s+(?:is|looks|seems)\s+(?:fine|ok(?:ay)?|good|"
    rf"correct|right|needed)(?:\s+after\s+all)?)?\s*[,;:-]\s*(?:(?:so|then|please)[\s,]+)*keep\s+{_PATCH}{_KEPT_END}"
    rf"|^\W*(?:(?:ok|okay|so|then|actually|never\s*mind)[\s,]+)*(?:please\s+)?(?:don['’]t|do\s+not)\s+drop\s+"
    rf"{_NUMBERED}{_KEPT_END}", re.I)
# Put as a condition, a question or a possibility, it takes nothing back: "Keep it if the loop is bounded", "Should we
# keep it?", "I'd maybe keep it".
_UNSURE = lazy(r"\b(?:if|iff|unless|until|once|provided|assuming|as\s+long\s+as|when|would|could|might|maybe|"
               r"perhaps|probably)\b|['’]d\b", re.I)
_NEGATION = lazy(r"\b(?:not|never|no|without|nor)\b|n['’]t\b", re.I)
_DIGIT = re.compile(r"\d")
# The patch kept as another revision or another's series has it ("Keep patch 2, as in Olga's v1.", "Keep it as it was
# in v1."): that version, not this revision's, is kept, and the request to drop this one stands (it lifted it).
_OTHER_VERSION = lazy(r"^\W*(?:as\s+(?:in|of|(?:it|they)\s+(?:was|were|is)\s+in|\w+\s+had\s+(?:it|them)\s+in)|like\s+"
                      r"(?:in\s+)?|from|of)\s+(?:\w+['’]s\s+)?(?:v\d+|series|version|revision|posting|patchset|"
                      r"(?:the\s+)?(?:other|previous|earlier|old|original|first|last)\s+(?:series|version|revision|"
                      r"posting|patchset|one))\b", re.I)


def kept_after(text: str) -> str | None:
    """The sentence of a reply's own words that takes back a request to drop the patch, after the last sentence of
    them that asks for it (none: a later reply's whole word), with no negation before it, no condition and no
    question, in English; None when there is none. "Never mind my earlier comment. Please drop this patch." asks."""
    found, last_drop = None, -1
    for n, sentence in enumerate(sentences(text)):
        if drop_sentence(sentence) is not None or numbered_request(sentence) is not None:  # "Please drop 3/5."
            last_drop, found = n, None
            continue
        m = _KEEP().search(sentence) or (_KEEP_NUMBERED().search(sentence) if _DIGIT.search(sentence) else None)
        # One in a language seamharness does not read keeps nothing: its English look-alike ("Never mind, keep it
        # nicht" is "do not keep it") took the request back.
        if m is None or sentence.endswith("?") or _UNSURE().search(sentence) or unread_language(sentence) is not None \
                or _OTHER_VERSION().search(sentence[m.end():]):
            continue
        said = re.sub(r"never\s*mind", " ", m.group(0), flags=re.I).lower().lstrip(" ,.")
        # The negation that is its word, not one of it: "Don't drop it.", "I no longer object."
        own = said.startswith(("don", "do not", "no need")) or re.match(r"i\s+(?:do\s+)?no\s+longer", said) is not None
        if negated(sentence, m.start(), m.start(), _NEGATION()) or (not own and _NEGATION().search(said)):
            continue
        found = (n, sentence) if n > last_drop else found
    return found[1] if found is not None else None


# In the request's own message a keep takes it back only when it says so: "Please drop this patch. Never mind, keep
# it." does; "Please drop patch 2. Keep this one." keeps the patch it is below, and lifted the request (the gate
# passed).
_RETRACTS = lazy(r"^\W*(?:never\s*mind|scratch\s+that|forget\s+(?:that|it)|on\s+second\s+thoughts?|actually|sorry|"
                 r"wait)\b|\b(?:request|suggestion|ask|comment|note|objections?|object)\b", re.I)


def retracts(said: str) -> bool:
    """Whether a keep (kept_after's sentence) says it takes a request back, as one in the request's own message must."""
    return _RETRACTS().search(said) is not None


_REQUEST_NAMED = lazy(r"\b(?:request|suggestion|ask|comment|note|objections?|object)\b", re.I)


def names_request(said: str) -> bool:
    """Whether a keep names the request it takes back ("Please disregard my request to drop it."): of that request
    wherever it stands."""
    return _REQUEST_NAMED().search(said) is not None
