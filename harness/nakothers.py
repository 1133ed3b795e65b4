"""A NAK word that gives no NAK of the sender: asked of another's, or supposed.

Asked of another's ("Thomas NAKed it?") or supposed ("if Thomas NAKs it").
"""

from __future__ import annotations

import re

from harness.regate import gated
from models.lazyre import lazy

# The NAK as a verb in the past or passive, what another did or what was done ("NAKed", "NACKed"), not the verdict.
_PAST = lazy(r"NA(?:C?K)ed", re.I)
# The sender as its subject, with the words that may come between ("I NAKed", "I've already NAKed", "we had NACKed"):
# a question restating one's own NAK ("Why is this applied when I NAKed it twice?") still gives it.
_MINE = lazy(r"\b(?:I|we)(?:['’](?:ve|d))?(?:\s+(?:have|had|already|also|just|clearly|explicitly|previously|earlier|"
             r"even|did|never|twice|once))*\s+$", re.I)
# A tag after a statement, which asks only that it be confirmed: "Thomas NAKed this, didn't he?", "..., right?". The
# statement stands as a report of another's NAK (harness.reportednak).
_TAG = lazy(r",\s*(?:didn['’]t|did|hasn['’]t|has|hadn['’]t|wasn['’]t|isn['’]t|weren['’]t|right|no|correct|"
            r"remember|as\s+far\s+as\s+I\s+(?:know|remember|recall))\b[^,]*\?\W*$", re.I)


# A passive with no agent: "v1 was NAKed", "this got NACKed" (who NAKed it the words do not say).
_PASSIVE = lazy(r"\b(?:was|were|been|got|is|are)\s+(?:(?:already|also|previously|earlier|ever)\s+)*$", re.I)
_AGENT = lazy(r"\s+by\b", re.I)


def asked_of_another(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` of a question ``sentence`` asks whether another NAKed: "Thomas NAKed it?", "Has Thomas
    NAKed this?", "I thought Thomas NAKed it?", "It was NAKed by Thomas?" (each read as a NAK, Thomas's or the
    sender's). A question is no NAK, and a report of another's NAK is not the sender's. Not: the sender's own ("...
    when I NAKed it twice?"), nor a statement with a tag ("Thomas NAKed this, didn't he?"), unless the NAK is a
    passive naming no one who gave it ("v1 was NAKed, wasn't it?": no one's NAK to report, it asks)."""
    if _PAST().fullmatch(m.group()) is None or _MINE().search(sentence[:m.start()]) is not None:
        return False
    return _TAG().search(sentence) is None or (_PASSIVE().search(sentence[:m.start()]) is not None
                                               and _AGENT().match(sentence, m.end()) is None)


# A condition's clause whose verb is the NAK: "If Thomas NAKs it, ...", "Even if Thomas NAKed it, I'd take it.",
# "Unless someone NAKs this, I'll apply it.", "If I NAK this, will you rework it?": supposed, not given. The NAK is the
# verb of the clause the opener begins: its subject (up to three words) and auxiliaries alone between them, so that
# the sender's NAK after a condition ("If this isn't fixed I'll NAK it", "If not fixed I'll NAK it", "If so, NAK.")
# stays one (a second subject begins the clause after the condition); and a verb there
# (past, or with its object after it), so that a verdict after a hedge ("Unless I'm missing something NAK.") does.
_SUPPOSING = gated(r"\b(?:if|unless|whether|suppose|supposing|assuming|in\s+case)\s+[\w'’.-]+\s+"
                  r"(?:(?!(?:I|we|you|he|she|they)(?:['’]\w+)?\s)[\w'’.-]+\s+){0,2}?"
                  r"(?:(?:did|does|do|would|will|had|has|have|ever|already|really|actually|(?:were|was)\s+to|"
                  r"(?:decides?|wants?|chooses?|tries|try)\s+to)\s+)*$", re.I)
_OBJECT = lazy(r"\s+(?:it|this|that|them|these|those|the|a|an|v\d+|patch|series|one)\b", re.I)


# Another asked or invited to NAK: "Feel free to NAK this.", "Please NAK it if you object.", "Go ahead and NAK it.",
# "Speak now or NAK forever.", "I expect Thomas to NAK this.", "Thomas will likely NAK this." (each the sender's NAK).
# The NAK a verb, its object or what it depends on after it ("Please, NAK." and "Please consider this a NAK." give one).
_INVITED = gated(r"\b(?:feel\s+free\s+to|free\s+to|welcome\s+to|go\s+ahead\s+and|speak\s+now\s+or|please|"
                 r"(?:expect|expecting|expected|want|wants|asked|ask|told|tell|need|needs)\s+(?!(?:me|us|to)\b)[\w'’-]+"
                 r"(?:\s+[A-Z][\w'’-]*)?\s+to|(?!(?:I|we)\b)[\w'’-]+\s+(?:will|would|may|might|could|can|should|must)\s+"
                 r"(?:\w+ly|also|still|surely|too))\s+$", re.I)
_VERB_AFTER = gated(r"\s+(?:it|this|that|them|these|those|the|v\d+|patch|series|one|forever|if|unless|whenever|as)\b",
                    re.I)


# Leave to NAK given to the one addressed, the condition theirs: "NAK it if you must.", "Just NAK this if you
# disagree.", "NAK it as you see fit." (each read as the sender's NAK). The NAK an imperative (nothing before it in its
# clause but a word that softens it), with its object, then a condition of the addressee's will or view; "NAK this, if
# you ask me." and "NAK it if you don't fix it." stay the sender's.
_BARE_IMPERATIVE = lazy(r"(?:^|[,;:]|\b(?:so|then|and|but))\W*(?:(?:just|then|so|well|ok(?:ay)?|fine|sure|go\s+ahead|"
                        r"by\s+all\s+means)[\s,]+)*$", re.I)
_YOUR_CONDITION = lazy(r"\s+(?:it|this|that|them|these|those|v\d+|(?:the|this|that)\s+(?:patch|series|one))\s*,?\s*"
                       r"(?:(?:if|when|whenever|in\s+case)\s+you\s+(?:really\s+)?(?:must|insist|prefer|disagree|object|"
                       r"have\s+to|need\s+to|see\s+fit|(?:want|wish|like)(?=\s*(?:[.!,;]|$|to\b))|feel\s+(?:strongly|the\s+need|"
                       r"it|that|like)|think\s+(?:it|that|so|this))\b|as\s+you\s+(?:see\s+fit|like|wish|please|want)\b)",
                       re.I)


def invited(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` is what the sender asks, invites or expects another to do (_INVITED), or leaves to the
    one addressed (_YOUR_CONDITION), not their NAK."""
    if m.group().upper() not in ("NAK", "NACK"):
        return False
    if _BARE_IMPERATIVE().search(sentence[:m.start()]) and _YOUR_CONDITION().match(sentence, m.end()):
        return True
    return _INVITED().search(sentence[:m.start()]) is not None and _VERB_AFTER().match(sentence, m.end()) is not None


# Another's NAK told as taken back: "Thomas withdrew his NAK.", "Thomas has since withdrawn his NAK, so ..." (each the
# sender's NAK; their own, "I withdrew my NAK.", is a withdrawal: harness.nakwords).
_TAKEN_BACK = gated(r"\b(?!(?:I|we)\b)[\w'’-]+\s+(?:(?:has|had|have|since|already|now|just|also)\s+)*"
                   r"(?:withdrew|withdrawn|retracted|rescinded|revoked|lifted|took\s+back)\s+(?:his|her|their|the|that|this)\s+"
                   r"(?:(?:earlier|previous|original)\s+)?$", re.I)


def taken_back_by_another(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` is told as another's, taken back (_TAKEN_BACK): no NAK of the sender's."""
    return _TAKEN_BACK().search(sentence[:m.start()]) is not None


def supposed(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` is the verb of a condition's clause (_SUPPOSING), not a NAK given."""
    if _SUPPOSING().search(sentence[:m.start()]) is None:
        return False
    return _PAST().fullmatch(m.group()) is not None or _OBJECT().match(sentence, m.end()) is not None


# A NAK told as what would have been, or nearly was: "I'd have NAKed this if the loop could spin forever.", "I would've
# NAKed 2 ...", "I almost NAKed it", "I was going to NAK this, but ..." (each blocked the gate as a NAK given). "I would
# have to NAK this" and "I'd NAK this" are the sender's (a NAK, as harness.nakwords reads them).
_UNREAL = gated(r"(?:\b(?:would|could|might|should)|['’]d)\s+(?:(?:probably|definitely|certainly|surely|likely|"
                r"otherwise|also|then|normally|usually)\s+)*(?:have|['’]ve)\s+(?:(?:had\s+to|been\s+(?:tempted|inclined)"
                r"\s+to)\s+)?$|\b(?:would|could|might|should)['’]ve\s+$"
                r"|\b(?:almost|nearly|(?:was|were)\s+(?:going|about|tempted|inclined|ready)\s+to|meant\s+to)\s+$", re.I)


def unreal(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` is told as what would have been or nearly was (_UNREAL), not a NAK given."""
    return _UNREAL().search(sentence[:m.start()]) is not None


# Another's NAK asked or urged to be taken back: "Tom, I think you can withdraw your NAK now.", "Please lift your NAK.",
# "Tom should drop his NAK." (each read as the sender's NAK, and the gate blocked on it). The sender's own ("I withdraw
# my NAK") is a withdrawal (harness.nakwords).
_WITHDRAW_VERB = (r"(?:withdraw(?:s|n|ing)?|withdrew|retract(?:s|ed|ing)?|rescind(?:s|ed|ing)?|revok(?:e|es|ed|ing)|"
                  r"lift(?:s|ed|ing)?|drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|cancel(?:s|led|ed|ling|ing)?|"
                  r"reconsider(?:s|ed|ing)?|tak(?:e|es|ing)\s+back|took\s+back)")
_ANOTHERS_NAK = gated(rf"\b{_WITHDRAW_VERB}\s+(?:your|his|her|their|(?!(?:it|that|this|there|what)['’]s)\w+['’]s?)\s+"
                      r"(?:(?:earlier|previous|above|original|own)\s+)?$", re.I)
_TAKE_BACK = lazy(r"\btak(?:e|es|ing)\s+(?:your|his|her|their|\w+['’]s?)\s+(?:(?:earlier|previous|original)\s+)?$",
                  re.I)


def others_withdrawn(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK ``m`` is another's, asked or said to be taken back (_ANOTHERS_NAK: "withdraw your NAK",
    _TAKE_BACK: "take your NAK back"), not the sender's NAK."""
    head = sentence[:m.start()]
    return _ANOTHERS_NAK().search(head) is not None or (
        _TAKE_BACK().search(head) is not None and re.match(r"\s+back\b", sentence[m.end():], re.I) is not None)
