"""A NAK the sender promises unless the patch changes ("If this isn't fixed I'll NAK it."): no NAK, an objection."""

from __future__ import annotations

import re

from harness.regate import gated
from harness.replywords import listed_numbers, sentences
from models.lazyre import lazy

# The sender's NAK to come: "I'll NAK it", "I will have to NAK this", "we'd NACK", "I'm going to NAK".
_WILL_NAK = (r"\b(?:I|we)(?:['’]ll|['’]d|\s+will|\s+would|\s+shall|['’]m\s+going\s+to|\s+am\s+going\s+to)\s+"
             r"(?:(?:have\s+to|need\s+to|certainly|definitely|surely|probably|just|simply|also)\s+)*NA(?:C?K)\b")
# The condition: the patch left as it is. "unless" with what would change it ("unless this is fixed", "unless you
# bound the loop"); "if" with its negation ("if this isn't fixed", "if you don't bound the loop") or with the patch
# staying as it is ("if this stays", "if it goes in as is"). Read in the clause before or after the NAK.
_UNCHANGED = (r"\bunless\b[^.;!?]*"
              r"|\bif\b(?=[^.;!?]*(?:\b(?:not|never|no)\b|n['’]t\b|\b(?:stays?|remains?|as[\s-]is|unchanged)\b))"
              r"[^.;!?]*")
# The other way round, a demand then the NAK as what follows if it is not met: "Fix this, or NAK.", "Bound the loop or
# I'll NAK it.", "Please fix this; otherwise, NAK.", "Otherwise I'll have to NACK it." (its demand the sentence
# before). The NAK, the sender's to come or the bare word, ends its clause ("..., or NAK from me"); "ACK or NAK" asks
# for either.
_OR_NAK = (r"(?:(?<=\w)(?<!\back)(?<!\backed)(?<!\backs)[,;]?\s+|^\W*)(?:or(?:\s+else)?|otherwise|else)\b[\s,:]*"
           rf"(?:(?:then\s+)?{_WILL_NAK}|"
           r"(?:(?:it['’]s|it\s+is|that['’]s|that\s+is|this\s+is)\s+)?(?:a\s+)?NA(?:C?K)(?:\s+from\s+(?:me|us))?"
           r"(?=\s*(?:[.!;,)]|$)))")
_THREAT = gated(rf"(?:{_UNCHANGED})[,\s]*(?:then\s+)?{_WILL_NAK}|{_WILL_NAK}[^.;!?]*?(?:{_UNCHANGED})|{_OR_NAK}", re.I)
# A NAK promised on any other condition: "If the loop is unbounded, I'd NAK 2.", "I would NAK this if it retried
# forever.", "Should the loop spin forever, I'd NAK this.", "If this retries forever then NAK." Each blocked as a NAK
# given, of the message it answers: every patch below the cover letter, the one it names too. Not given; what it
# is promised on the gate does not judge (a rule citing the message does): a request to drop what it names. Not a
# condition: "even if" (the NAK holds either way), "if you ask me", "if anything", "if only because".
_IF = (r"(?:\bif\b|\bin\s+case\b|\bprovided\b|\bassuming\b|\b(?:as|so)\s+long\s+as\b|^\W*(?:should|were)\s+"
       r"(?:this|that|it|the|you|they|patch|[\w-]+\(\)))")
_ON_CONDITION = gated(rf"(?:{_IF})[^.;!?:]*?(?:[,\s](?:then\s+)?{_WILL_NAK}|(?:,\s*(?:then\s+)?|\s+then\s+)NA(?:C?K)"
                      r"(?:\s+from\s+(?:me|us))?\s*[.!]?\s*$)"
                      rf"|{_WILL_NAK}[^.;!?:—–]*?(?:{_IF})", re.I)
_FIRM = lazy(r"\beven\s+(?:if|though|when|so)\b|\bif\s+(?:you\s+ask\s+me|anything|only|so|I\s+may|"
             r"I\s+(?:were|was)\s+you|"
             r"it\s+(?:were|was)\s+up\s+to\s+me|I\s+had\s+my\s+way|you\s+want\s+my\s+(?:opinion|view)|"
             r"that\s+(?:wasn['’]t|was\s+not|isn['’]t)|it\s+(?:wasn['’]t|isn['’]t)\s+(?:clear|obvious))\b|\bas\s+if\b"
             r"|\bwhether\s+or\s+not\b|\bregardless\b|\bin\s+case\s+(?:it|that)\s+(?:wasn['’]t|isn['’]t)\b", re.I)
# What leaves it no threat of the sender's: asked ("Would you NAK it if ...?"), or another's ("Thomas said he'd NAK").
_NOT_OWN = lazy(r"\?\s*$|\b(?:said|says|told|thinks?|wrote)\s+(?:that\s+)?(?:he|she|they)\b", re.I)


def threatened_nak(text: str) -> str | None:
    """The sentence of a reply's own words in which its sender promises a NAK if the patch stays as it is ("If this
    isn't fixed I'll NAK it.", "I will NAK this unless the loop is bounded."), None when none does. No NAK is given
    (harness.nakwords reads none), but the revision it was said of is that patch unchanged: a maintainer would not
    apply it, and the gate does not pass it (harness.namedpatches)."""
    if not re.search(r"NA(?:C?K)", text, re.I):
        return None
    return next((s for s in sentences(text) if (_THREAT().search(s) or on_condition(s)) and not _NOT_OWN().search(s)),
                None)


def on_condition(sentence: str) -> bool:
    """Whether ``sentence`` promises its sender's NAK on a condition other than the patch staying as it is
    (_ON_CONDITION: "If the loop is unbounded, I'd NAK 2."), which threatened_nak reads as a threat too."""
    return _ON_CONDITION().search(sentence) is not None and not _THREAT().search(sentence) \
        and not _FIRM().search(sentence)


# A bare number right after the NAK promised, its object: "If the loop is unbounded, I'd NAK 2." names patch 2 (read
# as naming none, every patch below the cover letter was held). Never a count of something ("NAK 2 of them").
_BARE_AFTER = lazy(r"\bNA(?:C?K)\s+((?:\d{1,3}\s*(?:,|and|&|-|–)\s*)*\d{1,3})(?![\w/'’-]|\.\d)"
                   r"(?=\s*(?:[,.;!)]|$|\b(?:if|unless|too|as\s+well|then|in\s+case|should|provided|assuming|or)\b))",
                   re.I)


def threatened_numbers(sentence: str) -> tuple[int, ...]:
    """The patch numbers a NAK promised in ``sentence`` (threatened_nak's) names bare, right after the NAK ("I'd NAK
    2 if ...": (2,)); () when none."""
    m = _BARE_AFTER().search(sentence)
    return listed_numbers(m.group(1)) if m is not None else ()
