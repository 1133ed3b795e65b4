"""A review point in a reviewer's fewest words: one made elsewhere referred to, or a thing asked with a please."""

from __future__ import annotations

import re

from models.lazyre import lazy

_LEAD = r"^\W*(?:(?:nit|also|and|so|but|again|then|here|[A-Z][a-z]+,)[\s,:]+)*"
# Where the point was made: another revision, patch or place of the thread ("v1", "patch 1", "1/3", "the previous
# patch", "the cover letter", "above").
_ELSEWHERE = (r"(?:v\d+|(?:patch(?:es)?\s+)?#?\d+(?:/\d+)?|patch(?:es)?\s+\w+|"
              r"the\s+(?:previous|last|earlier|other|first|next|prior|old|cover)\s+[\w-]+(?:\s+[\w-]+)?|(?:my|the|your)\s+(?:earlier|previous|last|other)\s+"
              r"[\w-]+(?:\s+[\w-]+)?|(?:the\s+)?cover\s+letter|(?:the\s+)?other\s+(?:one|patch|helper|hunk|call|site)s?|"
              r"above|below|before|earlier|previously|last\s+time|there|that\s+one)")
# A point made elsewhere, said to hold here: "Same comment as on v1.", "Same issue here.", "Same nit as above.", "See
# my comment on patch 3.", "As I said on v1." (each read as nothing, the gate passed READY). The whole sentence is the
# reference: "As I said on v1, this looks good." and "Same here, looks good." say more, and are read for that.
_SAME_POINT = lazy(
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
_NOUN_PLEASE = lazy(
    _LEAD + r"(?!(?:yes|yeah|yep|yup|sure|ok|okay|fine|thanks|thank\s+you|ty|no|nope|ping|reply(?:-all)?|plain\s+text|"
    r"bottom-?post(?:ing)?|cc|resend|apply|merge|pull|take|queue|ack|acks|could|can|would|will|let|kindly|please|"
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
_STILL_ASKED = lazy(
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


def terse_point(sentence: str) -> bool:
    """Whether ``sentence`` is a review point in its fewest words: a point made elsewhere said to hold here
    (_SAME_POINT), or a thing asked by naming it with a please (_NOUN_PLEASE)."""
    return _SAME_POINT().match(sentence) is not None or _NOUN_PLEASE().match(sentence) is not None
