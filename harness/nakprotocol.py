"""NAK as a protocol's word ("the device returns a NAK", "the ACK/NAK handshake"), not a reviewer's verdict."""

from __future__ import annotations

import re

from harness.regate import gated
from models.lazyre import lazy

# NAK as a protocol's word, not a reviewer's verdict: one of the ACK/NAK pair ("the ACK/NAK handshake", "an ACK or a
# NAK"), the answer a device, firmware or peer sends back ("the device returns a NAK", "P-SEAMLDR answers with a NAK",
# "got a NAK from the device"), an event a step runs on ("retry on NAK", "upon a NAK"), or a word naming a protocol's
# thing ("the NAK path", "a NAK response"). A sender's own NAK is never one: a first person in its clause ("I'd send a
# NAK") or one it is from ("a NAK from me") keeps it a NAK, as do the trailer and the dotted forms.
# The pair is joined by a slash, a hyphen with no blank beside it, or a word on one line ("NAK\n- ack ..." is none).
_PAIR_BEFORE = lazy(r"\bACKs?(?:[ \t]*/[ \t]*|-|[ \t]+(?:or|and|vs\.?|versus)[ \t]+(?:an?[ \t]+)?)$", re.I)
_PAIR_AFTER = lazy(r"s?(?:[ \t]*/[ \t]*|-|[ \t]+(?:or|and|vs\.?|versus)[ \t]+(?:an?[ \t]+)?)ACK\b", re.I)
# A thing's doing, its subject before the verb in the clause: not a sender's bare "Reply with a NAK", "Sending a NAK"
# or "Hence sending a NAK".
_SOFT = r"(?:hence|thus|therefore|also|just|hereby|simply|now|again|so|and|but|then|politely|respectfully|formally)\b"
_SENT = gated(rf"(?:^|[,;:()])[ \t]*(?:{_SOFT}[ \t]*)*(?!{_SOFT})\w[^,;:()]*?[ \t]+"
             r"(?:return|send|sent|answer|repl(?:y|ie)|respond|signal|issu|rais|emit|generat)\w*[ \t]+"
             r"(?:back[ \t]+)?(?:with[ \t]+)?(?:(?:an?|the|its|their)[ \t]+)?$", re.I)
_RECEIVED = lazy(r"\b(?:get|got|gets|getting|receiv\w*|see|sees|saw|seeing|hit|hits)\s+(?:back\s+)?(?:an?\s+|the\s+)?$",
                 re.I)
# From a thing ("from the device"), not from a person a NAK is reported of ("from Thomas").
_FROM_OTHER = lazy(r"[ \t]+(?:back[ \t]+)?from[ \t]+(?:the|a|an|its|their)[ \t]", re.I)
_EVENT = lazy(r"\b(?:on|upon)[ \t]+(?:an?[ \t]+|each[ \t]+|every[ \t]+|any[ \t]+)?$", re.I)
# A protocol's thing NAK names, after an article: "NAK\nLoop is unbounded." (a verdict line) is none.
# A word may stand between the article and the NAK, naming whose protocol it is: "the i2c NAK handling", "the SMBus
# NAK path" (read as a reviewer's NAK at e918a2cb: the gate blocked on a review comment).
_ARTICLE = lazy(r"\b(?:an?|the|each|every|any|its|their|with|per|this|that)[ \t]+(?:[\w/-]+[ \t]+)?$", re.I)
_THING = gated(r"[ \t]+(?:handshake|response|packet|frame|bit|flag|status|code|condition|signal|path|case|handling|"
              r"handler|timeout|counter|interrupt|event|state|value|retry|retries|loop|line|pin|register|semantics|"
              r"logic|branch|support|processing|detection|behaviou?r|mechanism|field|mask|count|error|reply)s?\b", re.I)
# A thing a step handles, whoever's words they are ("We should handle a NAK here.", "check for a NAK first").
_HANDLED = gated(r"\b(?:handl\w*|detect\w*|check(?:s|ed|ing)?[ \t]+for|propagat\w*|process\w*|treat\w*|tolerat\w*|"
                r"deal(?:s|t|ing)?[ \t]+with|catch\w*|retr(?:y|ies|ying)[ \t]+"
                r"(?:on|after))[ \t]+(?:an?[ \t]+|the[ \t]+|each[ \t]+|every[ \t]+|any[ \t]+)?$", re.I)
# A name in code, or the word mentioned rather than used: an operand ("status == NAK", "case NAK:", "= NAK;") or the
# word in backticks or quotes ("the `NAK` case"): read as a reviewer's NAK at e918a2cb.
_OPERAND_BEFORE = lazy(r"(?:[=!<>]=|(?<![=!<>])=|\bcase|\breturn)[ \t]*$", re.I)
_OPERAND_AFTER = lazy(r"[ \t]*(?:[=!]=|\)[ \t]*(?:[{;]|&&|\|\||$)|&&|\|\|)", re.I)
_MENTIONED = ("`", '"', "'", "\u2018", "\u201c")
# From a thing, said of a NAK the sentence is about: "A NAK from the loader means busy." (not from a person).
_FROM_THING = lazy(r"[ \t]+from[ \t]+(?:the|a|an|its|their)[ \t]+(?!(?:\w+[ \t]+)?(?:maintainers?|reviewers?|authors?|"
                   r"community|list|people|folks)\b)", re.I)
# The sender's, or of the patch (a thing's word between: "a NAK response from me", "a NAK response to v2").
_MINE = lazy(r"(?:[ \t]+\w+)?\s+(?:(?:from|by)\s+(?:me|us)\b|(?:to|for|on|of)\s+(?:v\d+\b|"
             r"(?:this|these|it)\s*(?:[.!,;:]|$)|(?:(?:this|these|the|that|your)\s+)?"
             r"(?:patch|patches|series|patchset|version|revision|posting)\b))", re.I)
_FIRST_PERSON = lazy(r"\bI\b|\b(?:[Ww]e|me|us)\b")
_CLAUSE_START = lazy(r"[,;:()]|\b(?:and|but|so|because|since|while|when|if|then)\b", re.I)


# How far from the NAK its clause's words are read. Every reading above is of the few words beside the NAK; reading
# the whole sentence before each NAK made a sentence of many ("the device sends a NAK and ..." repeated) cost its
# square (54 KB of it took 10 s). A clause longer than this is read as no protocol's word: its NAK stays a NAK,
# which blocks a gate rather than passing one.
_WINDOW = 1000


def protocol(sentence: str, m: re.Match[str]) -> bool:
    """Whether the NAK at ``m`` is a protocol's word (the ACK/NAK pair, a device's answer, an event), not a verdict.

    Reads at most ``_WINDOW`` characters each side of the NAK: time linear in the sentence over all its NAKs."""
    if m.group().upper() not in ("NAK", "NACK"):  # "NAKed", "NAKing", "Nacked-by", "N.A.K.": a reviewer's
        return False
    # A mailer's line break is a blank ("the device\nreturns a NAK", a sentence the blank line above left opening
    # with one, was a reviewer's NAK and blocked); the same length, so ``m`` still places the NAK.
    start = max(0, m.start() - _WINDOW)
    before = sentence[start:m.start()].replace("\n", " ")
    after = sentence[m.end():m.end() + _WINDOW].replace("\n", " ")
    # Only inside a sentence: '"NAK" is all I have to say.' and "NAK == no." open with the sender's verdict.
    if before[:-1].strip() and before.endswith(_MENTIONED) and after.startswith(("`", '"', "'", "\u2019", "\u201d")):
        return True
    if before.strip() and (_OPERAND_BEFORE().search(before) or _OPERAND_AFTER().match(after)):
        return True
    if _PAIR_BEFORE().search(before) or _PAIR_AFTER().match(after) or _HANDLED().search(before):
        return True
    if _ARTICLE().search(before) and (_THING().match(after) or _FROM_THING().match(after)) and not _MINE().match(after):
        return True  # "I wonder whether the NAK path needs a retry.": the first person's verb is not the NAK's
    clauses = _CLAUSE_START().split(before)
    if start and len(clauses) == 1:  # the clause begins before the window: whose NAK it is cannot be read
        return False
    if _FIRST_PERSON().search(clauses[-1]) or _MINE().match(after):
        return False
    # Cut short, the window's start is no clause's: "\0" keeps _SENT's "^" from taking it for one.
    sent = _SENT().search("\0" + before if start else before)
    if sent or _EVENT().search(before) or (_ARTICLE().search(before) and _THING().match(after)):
        return True
    return bool(_RECEIVED().search(before) and _FROM_OTHER().match(after))
