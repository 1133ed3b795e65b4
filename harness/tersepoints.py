"""A review point in a reviewer's fewest words: one made elsewhere referred to, or a thing asked with a please."""

from __future__ import annotations

import re

from harness.regate import gated
from models.lazyre import lazy

_LEAD = r"^\W*(?:(?:nit|also|and|so|but|again|then|here|[A-Z][a-z]+,)[\s,:]+)*"
# Where the point was made: another revision, patch or place of the thread ("v1", "patch 1", "1/3", "the previous
# patch", "the cover letter", "above").
_ELSEWHERE = (r"(?:v\d+|(?:patch(?:es)?\s+)?#?\d+(?:/\d+)?|patch(?:es)?\s+\w+|"
              r"the\s+(?:previous|last|earlier|other|first|next|prior|old|cover)\s+[\w-]+(?:\s+[\w-]+)?|(?:my|the|your)\s+(?:earlier|previous|last|other)\s+"
              r"[\w-]+(?:\s+[\w-]+)?|(?:the\s+)?cover\s+letter|(?:the\s+)?other\s+(?:one|patch|helper|hunk|call|site)s?|"
              r"above|below|before|earlier|previously|last\s+time|there|that\s+one)")
ELSEWHERE = _ELSEWHERE  # harness.persistwords reads a point said to be one made there
# A point made elsewhere, said to hold here: "Same comment as on v1.", "Same issue here.", "Same nit as above.", "See
# my comment on patch 3.", "As I said on v1." (each read as nothing, the gate passed READY). The whole sentence is the
# reference: "As I said on v1, this looks good." and "Same here, looks good." say more, and are read for that.
_SAME_POINT = gated(
    _LEAD + r"(?:(?:the\s+)?same\s+(?:comment|issue|problem|nit|point|question|concern|remark|objection|feedback|"
    r"thing|story|bug|request|complaint)s?(?:\s+(?:here|again|applies|(?:as|like)\s+(?:on|in|for|with|at|from|to)?\s*"
    + _ELSEWHERE + r"|(?:as|like)\s+(?:I|we|\w+)\s+(?:said|made|gave|raised|had|wrote|mentioned))\b)*"
    r"|see\s+my\s+(?:earlier\s+|previous\s+|other\s+)?(?:comments?|reply|replies|remarks?|notes?|review|points?|nits?|"
    r"questions?)\s+(?:on|in|to|for|at|about)\s+" + _ELSEWHERE
    + r"|as\s+(?:I|we)\s+(?:already\s+)?(?:said|mentioned|noted|commented|pointed\s+out|asked|wrote)\s+"
    r"(?:on|in|for|to|about)\s+" + _ELSEWHERE + r")"
    r"(?:\s+(?:here|too|again|as\s+well|(?:still\s+)?appl(?:y|ies)(?:\s+here)?))*\s*[.!]?\s*$", re.I)
# A thing asked by naming it with a please: "Hex, please.", "hex please", "%#llx please.", "A comment here, please."
# (each read as nothing). Not thanks or assent ("Yes please.", "Sure, please."), nor what is asked of the mail or of
# others ("Plain text please.", "Reply-all please.", "Resend please.", "Review please.", "Thoughts, please."), nor a
# negation ("Don't drop, please.": harness.droprequest's).
_NOUN_PLEASE = gated(
    _LEAD + r"(?!(?:yes|yeah|yep|yup|sure|ok|okay|fine|thanks|thank\s+you|ty|no|nope|ping|reply(?:-all)?|plain\s+text|"
    r"bottom-?post(?:ing)?|cc(?:\s+(?:me|us))?(?:\s*[,.!]|\s+please)|resend|apply|merge|pull|take|queue|ack|acks|could|can|"
    r"would|will|let|kindly|please|"
    r"thoughts|opinions|input|feedback|comments|reviews?|tags?|help|(?:a\s+)?look|more\s+(?:eyes|reviewers?|testing))\b)"
    r"(?![^.!?]*\b(?:take\s+a\s+look|let\s+me\s+know|have\s+a\s+look|not|never|don['’]t)\b)"
    r"[\w%#().:/'+=-]+(?:\s+[\w%#().:/'+=-]+){0,6}?[\s,]+(?:please|pls|plz)\s*[.!]*$", re.I)

# A question saying an earlier point still stands, the sender's reminder: "Still not fixed?", "Not addressed yet?",
# "The leak is still there?", "Did you miss my comment on v2?", "Have you seen my review of v1?", "Why is this still
# not fixed?" (each a question to the author, whose answer lifted it: the gate passed what was still not fixed). Not a
# question of the patch itself ("Still applies on -rc3?", "Is this still needed?"), nor of others' words ("Did you
# see my reply to Olga?"); the sender answering it in the next sentence is harness.questionwords'.
_SETTLED = r"(?:fixed|addressed|done|resolved|handled|changed|taken\s+care\s+of|sorted(?:\s+out)?)"
_REVIEW = (r"(?:comments?|reviews?|points?|feedback|remarks?|questions?|nits?|notes?|repl(?:y|ies)|e?-?mails?|"
           r"objections?|concerns?|suggestions?|requests?)")
_STILL_ASKED = gated(
    r"(?:" + _LEAD + r"(?:(?:this|that|it|(?:the|my|your)\s+[\w%#().-]+(?:\s+[\w%#().-]+)?)\s+)?"
    r"(?:(?:(?:is|are|['’]s|['’]re)\s+)?(?:still\s+)?(?:not|n['’]t)\s+(?:yet\s+)?" + _SETTLED + r"(?:\s+yet)?"
    r"|(?:(?:is|are|['’]s|['’]re)\s+)?still\s+(?:unfixed|unaddressed|unresolved|there|present|not\s+there|open|"
    r"outstanding|the\s+same)"
    r"|still\s+(?:(?:is|are)\s*)?(?:not|n['’]t)\s+" + _SETTLED + r")"
    r"(?:\s+(?:in|with|for)\s+(?:this|the\s+new|v\d+)(?:\s+(?:version|revision|spin|posting))?)?"
    r"|" + _LEAD + r"(?:did|have|had)\s+you\s+(?:just\s+|perhaps\s+|maybe\s+)?(?:miss(?:ed)?|forg[eo]t(?:ten)?|"
    r"overlook(?:ed)?|ignore[ds]?|skip(?:ped)?|see|seen|read)\s+(?:about\s+)?(?:my|our)\s+(?:(?:earlier|previous|"
    r"other|last|original)\s+)?" + _REVIEW + r"(?:\s+(?:on|to|for|about|in|of|from)\s+" + _ELSEWHERE + r")?"
    r"|" + _LEAD + r"why\s+(?:is|are)\s+(?:this|that|it|the\s+[\w%#().-]+(?:\s+[\w%#().-]+)?)\s+still\s+"
    r"(?:(?:not|n['’]t)\s+" + _SETTLED + r"|there|unfixed|unaddressed|unresolved|not\s+there)"
    r"|" + _LEAD + r"why\s+(?:have|did|haven['’]t|didn['’]t)\s+you\s+(?:not\s+)?(?:ignored?|address(?:ed)?|fix(?:ed)?|"
    r"handle[d]?)\s+(?:my|our)\s+(?:(?:earlier|previous|other|last)\s+)?" + _REVIEW
    + r"(?:\s+(?:on|to|for|about|in|of|from)\s+" + _ELSEWHERE + r")?)"
    r"\s*[?!]*\?[?!]*\s*$", re.I)


def still_asked(sentence: str) -> bool:
    """Whether ``sentence``, a question, says an earlier point still stands (_STILL_ASKED: "Still not fixed?", "Did
    you miss my comment on v2?"): a point, which the author's answer does not lift."""
    return _STILL_ASKED().match(sentence) is not None


# A printf conversion named as the answer to a type said before it, or alone: "val64 is u64, so %llu.", "freq_khz is
# u32; %u." (read as nothing, READY: round 68); "%zu please" is _NOUN_PLEASE's.
# Not a log line's format quoted ("failed: %#llx"): after a comma or a colon only with its "so".
_SO_FORMAT = lazy(r"(?:(?:[,;:]\s*|^\s*)(?:so|hence|thus|therefore|then)\s+|;\s*|^\W*)(?:use\s+)?%[-#+ 0-9.*]*"
                  r"(?:hh|h|ll|l|z|t|j|L)?[diouxXcspfeEgGn](?:[A-Za-z]{0,2})\s*(?:here|instead|please)?\s*[.!]*$"
                  # One opening the sentence, its reason after it: "%zu please, len is size_t.", "%llu, val64 is u64."
                  # (not "%u, as before, is fine.").
                  r"|^\W*(?:use\s+)?%[-#+ 0-9.*]*(?:hh|h|ll|l|z|t|j|L)?[diouxXcspfeEgGn](?:[A-Za-z]{0,2})"
                  r"(?:[\s,]+(?:please|pls|here|instead))*\s*[,;:–—-](?![^.!?]*\b(?:fine|ok(?:ay)?|right|correct|good)\b)")


def terse_point(sentence: str) -> bool:
    """Whether ``sentence`` is a review point in its fewest words: a point made elsewhere said to hold here
    (_SAME_POINT), a thing asked by naming it with a please (_NOUN_PLEASE), an earlier point carried over as
    standing or unaddressed (carried_over), or a printf conversion a type calls for (_SO_FORMAT)."""
    return _SAME_POINT().match(sentence) is not None or _NOUN_PLEASE().match(sentence) is not None \
        or carried_over(sentence) or ("%" in sentence and _SO_FORMAT().search(sentence) is not None)


# An earlier point carried over, said as a statement (_STILL_ASKED reads the question): "My comment from v3 still
# applies.", "The comment I made on v1 still holds.", "My objection from v1 has not been addressed.", "Same comment as
# on v2, which was not addressed.", "You haven't addressed my earlier comment.", "This still hasn't been addressed."
# (each read as nothing, the gate READY, round 66). Not one addressed, moot or no longer standing ("My comment on v2 has
# been addressed.", "My v2 comment no longer applies.", "My comment on v1 still stands, and v3 addresses it."), nor a
# comment of the code ("The comment above the loop still applies": only the sender's own, or one of a revision, is a
# review's).
_NEGATED = (r"(?:(?:still\s+)?(?:is|are|was|were|has|have|['’]s|['’]re)\s+(?:still\s+)?(?:not|never)|(?:still\s+)?"
            r"(?:isn['’]t|aren['’]t|wasn['’]t|weren['’]t|hasn['’]t|haven['’]t)|(?:still\s+)?not|never)\s+"
            r"(?:yet\s+|really\s+|actually\s+|properly\s+)?(?:been\s+)?")
# An answer a review waits for (not "fixed" or "handled": "The NULL case is not handled here, the caller does it."
# explains), unless said to be still wanting ("The leak is still not fixed.").
_ANSWERED = r"(?:addressed|answered|acted\s+(?:on|upon)|taken\s+into\s+account|taken\s+care\s+of|incorporated)\b"
_ELSEWHERE_LATER = r"(?!\s+(?:in|by)\s+(?:patch|\d|the\s+(?:next|following|other|later)|a\s+(?:later|separate|follow)))"
_NOT_YET = _NEGATED + r"(?:" + _ANSWERED + r"|(?:fixed|resolved|handled|sorted(?:\s+out)?)\b)" + _ELSEWHERE_LATER
_STILL_NOT = (r"(?:" + _NEGATED + _ANSWERED + r"|(?=(?:[\w'’]+\s+){0,2}still\b)" + _NEGATED
              + r"(?:fixed|resolved|handled|sorted(?:\s+out)?)\b)" + _ELSEWHERE_LATER)
_STANDS = (r"(?:(?:still|also)\s+)?(?:stands?|appl(?:y|ies)|holds?|remains?)(?:\s+(?:valid|open|true|unaddressed|"
           r"unanswered|unresolved))?(?=\s*(?:[,;.!(]|$)|\s+(?:here|too|for|in|to|as|with|though)\b)"
           # Of another patch: "My comment still applies to patch 3, not this one."
           r"(?!\s+(?:to|for|in)\s+(?:patch(?:es)?\s+#?\d|#?\d+/\d+|the\s+(?:other|next|previous|first|last)\s+patch))"
           r"|(?:is|are)\s+still\s+(?:valid|open|relevant|unaddressed|unanswered|unresolved|pending|outstanding)\b"
           r"|(?:is|are|was|were)\s+(?:still\s+)?(?:unaddressed|unanswered|unresolved|ignored|missed|overlooked)\b|"
           + _NOT_YET)
# The sender's own point ("my comment"), one of a revision or made before ("the v1 comment", "the comment I made"),
# then what it still does.
_MINE = (r"(?:(?:my|our)\s+(?:(?:earlier|previous|last|original|old|other|v\d+|first|main|remaining|only)\s+)*"
         + _REVIEW + r"|(?:the|that|this|those|these)\s+(?:(?:earlier|previous|last|original|old|v\d+)\s+)+" + _REVIEW
         + r"|(?:the|that|this|those|these|same)\s+" + _REVIEW + r"(?=\s+(?:(?:that\s+)?(?:I|we)\s+|(?:from|on|in|for)"
         r"\s+(?:v\d+|the\s+(?:previous|last|earlier|prior|old)\b))))")
_CARRIED = lazy(r"(?:\b" + _MINE + r"|^\W*" + _REVIEW + r"(?=\s+(?:from|on|in|for)\s+v\d))"
                r"(?:\s+(?!(?:is|are|was|were|has|have|still|also|stands?|appl|holds?|remains?|no|not|never|longer)\b|"
                r"\w+n['’]t\b)[^\s,;.!?]+){0,8}?\s+"
                r"(?:" + _STANDS + r")"
                # Its sender's point left unanswered, by the author or a revision: "You haven't addressed my earlier
                # comment.", "Your reply didn't address my concern.", "v3 doesn't address my comment on the bound."
                r"|(?<!\bI\s)(?<!\bwe\s)\b(?:still\s+)?(?:haven['’]t|have\s+not|hasn['’]t|has\s+not|didn['’]t|did\s+not|"
                r"doesn['’]t|does\s+not|never)\s+(?:yet\s+|really\s+|actually\s+)?(?:address(?:ed)?|answer(?:ed)?|"
                r"respond(?:ed)?\s+to|repl(?:y|ied)\s+to|acted?\s+on|taken?\s+into\s+account|incorporated?)\s+"
                r"(?:any\s+of\s+)?(?:my|our)\b"
                r"|\byou\s+(?:still\s+)?(?:haven['’]t|have\s+not|didn['’]t|did\s+not|never)\s+(?:yet\s+|really\s+|"
                r"actually\s+)?(?:address(?:ed)?|answer(?:ed)?|respond(?:ed)?\s+to|repl(?:y|ied)\s+to|fix(?:ed)?|"
                r"handled?|acted?\s+on|taken?\s+into\s+account|incorporated?|consider(?:ed)?)\s+(?:any\s+of\s+)?"
                r"(?:my|our|the|this|that|it)\b"
                # A thing said not addressed, its subject anything but the sender: "This still hasn't been addressed.",
                # "The locking comment from v2 has still not been addressed.", "..., which was not addressed."
                r"|(?:^\W*(?:(?:so|and|but|also|again|sadly|unfortunately)[\s,]+)*|[,;(]\s*(?:(?:which|that|and|but)\s+)?)"
                r"(?!(?:I|we)\b)(?:[\w%#().'’/-]+\s+){0,6}?" + _STILL_NOT, re.I)
# A turn saying it is addressed after all: "..., and v3 addresses it.", "... but this version fixes it."
_SETTLED_AFTER = lazy(r"[,;]\s*(?:but|and|though|although|which)\b(?![^.;!?]*(?:\bnot|\bnever|n['’]t)\b)"
                      r"[^.;!?]*\b(?:address|fix|resolv|handl|sort|"
                      r"tak(?:e|es|en)\s+care|gone|moot|no\s+longer)", re.I)
# What the patch itself settles: "It was never fixed before this patch.", "This patch finally fixes what v1 did not
# address."
# None of them: "None of my comments were ignored, thanks."
_NONE_OF = lazy(r"\b(?:none|neither|nothing|no\s+one|not\s+(?:one|any))\s+of\b", re.I)
_FIXED_HERE = lazy(r"\b(?:before|until|prior\s+to|without)\s+(?:this|the|your)\s+(?:patch|change|series|commit|"
                   r"fix)\b|\b(?:this|the|your)\s+(?:patch|change|series|fix|version)\s+(?:now\s+|finally\s+)?(?:fixes|"
                   r"addresses|resolves|handles)\b|\b(?:finally|now)\s+(?:fixe[sd]|address(?:es|ed)|resolve[sd])\b",
                   re.I)
_CARRIED_WORDS = ("stand", "appl", "hold", "remain", "not", "n't", "n’t", "never", "still", "unaddressed",
                  "unanswered", "unresolved", "ignored", "missed", "overlooked")


def carried_over(sentence: str) -> bool:
    """Whether ``sentence`` carries an earlier point over as standing or not addressed (_CARRIED), as a statement,
    no turn saying it is settled after all, nor the patch settling it, nor none of them (_SETTLED_AFTER, _FIXED_HERE,
    _NONE_OF)."""
    low = sentence.lower()
    if sentence.rstrip().endswith("?") or not any(w in low for w in _CARRIED_WORDS):
        return False
    return _CARRIED().search(sentence) is not None and _SETTLED_AFTER().search(sentence) is None \
        and _FIXED_HERE().search(sentence) is None and _NONE_OF().search(sentence) is None
