"""Patches the one who applies them declines by number in words droprequest does not read ("Let's skip patch 3.")."""

from __future__ import annotations

import re

from harness.regate import gated
from harness.replywords import NUMBERS, SERIES_LIST, listed_numbers
from harness.requestgrammar import request_in
from models.lazyre import lazy

_PATCHES = rf"(?:the\s+)?(?:patch(?:es)?\s+{NUMBERS}(?![\w/'’])|(?<![\w/#]){SERIES_LIST}(?![\w/]))"
_TAKE = r"(?:apply(?:ing)?|merg(?:e|ing)|queu(?:e|ing)|pick(?:ing)?\s+up|tak(?:e|ing))"
# What may follow the patches: the clause's end, or words that say when or how ("for now", "as is", "until v3"),
# never another object ("I don't want to take patch 3's comment") nor an order of applying ("... before patch 2").
_THEN = (r"(?=\s*(?:[.!;,)]|$|\b(?:as[\s-]is|until|yet|for\s+now|now|in\s+(?:its|this|the)\s+(?:current\s+)?"
         r"(?:form|state|shape)|either|anymore|any\s+more|sorry|please|at\s+all)\b))")
# Each passed the gate, read as nothing: "I don't want to take patch 3.", "I'm inclined not to take 3/3.", "I'm not
# keen on taking patch 3.", "I'd rather patch 3 wasn't applied.", "I'd prefer to leave patch 3 out.", "Let's skip
# patch 3.", "Patch 3, I'd rather not." ("I'll skip patch 3" may be of reading it, not of applying it: none).
_DECLINED = gated(
    rf"(?:\b(?:I|we)\s+(?:really\s+)?(?:do\s+not|don['’]t)\s+want\s+to\s+|\binclined\s+not\s+to\s+"
    rf"|\bnot\s+(?:too\s+|very\s+|really\s+|that\s+)?keen\s+on\s+){_TAKE}\s+{_PATCHES}{_THEN}"
    rf"|\b(?:rather|prefer)\s+(?:that\s+)?{_PATCHES}\s+(?:wasn['’]t|weren['’]t|was\s+not|were\s+not|isn['’]t|"
    r"is\s+not|not\s+be|didn['’]t\s+go|did\s+not\s+go|stays?\s+out)\b"
    rf"|\b(?:leave|keep)\s+{_PATCHES}\s+out\b(?!\s+of\b)"
    rf"|\b(?:let['’]s|let\s+us|please)\s+(?:just\s+)?skip\s+{_PATCHES}{_THEN}"
    # The patches first, then "rather not" with no verb or one of applying them: "Patch 3, I'd rather not."
    rf"|(?:^|(?<=[,;:]))\W*(?:(?:as\s+(?:for|to)|regarding|about)\s+)?{_PATCHES}\s*[,:;]?\s*(?:I|we)(?:['’]d|\s+would)"
    rf"\s+(?:really\s+)?(?:rather\s+not|prefer\s+not\s+to)(?:\s+{_TAKE}(?:\s+(?:it|them|that(?:\s+one)?|those))?"
    r"|\s+see\s+(?:it\s+|them\s+)?(?:applied|merged|queued|taken|picked\s+up))?"
    rf"{_THEN}"
    # The patches first, then a refusal to take them: "2/3 I will not take.", "Patch 2, I won't apply it."
    rf"|(?:^|(?<=[,;:]))\W*(?:(?:as\s+(?:for|to)|regarding|about)\s+)?{_PATCHES}\s*[,:;]?\s*(?:I|we)\s*(?:will\s+not|"
    rf"won['’]t|(?:am|['’]m|are|['’]re)\s+not\s+going\s+to|can\s*not|can['’]t)\s+{_TAKE}"
    rf"(?:\s+(?:it|them|that(?:\s+one)?|those))?{_THEN}"
    # The patches first, then "not" and when: "Patch 3, not for now.", "2/3: not yet.", "Patch 3 not in this form."
    # (read as nothing before: the gate passed patch 3). Never "Patch 3, not 2." nor "Patch 3, not bad."
    rf"|(?:^|(?<=[,;:]))\W*(?:(?:as\s+(?:for|to)|regarding|about)\s+)?{_PATCHES}\s*[,:;-]?\s*(?:but\s+)?not\s+"
    r"(?:yet|for\s+now|now|right\s+now|at\s+the\s+moment|at\s+this\s+point|this\s+(?:time|cycle|round|release|"
    r"merge\s+window)|as[\s-]is|in\s+(?:its|this|the)\s+(?:current\s+)?(?:form|state|shape))(?=\s*(?:[.!;,)]|$|"
    r"\b(?:please|sorry|though|I['’]m\s+afraid)\b))", re.I)
# Sent to another tree, not declined: "I don't want to take patch 3, it should go via net."
_ELSEWHERE = lazy(r"\b(?:belongs?|should\s+(?:go|take|apply|pick|route|merge|queue)|(?:goes|go|going)\s+(?:via|"
                  r"through|in)|(?:through|via)\s+(?:the|his|her|their|\w+['’]s|[\w-]+/[\w-]+)|instead)\b", re.I)
_WORDS = re.compile(r"want|inclined|keen|rather|prefer|leave|keep|skip|not\b|n['’]t\b", re.I)


def declined_numbers(text: str) -> tuple[tuple[int, ...], str] | None:
    """The patch numbers a reply's own words decline to apply (_DECLINED), with the sentence, as drop_sentence reads
    a request (its negation its own; no condition, no question); None when none does, or the patches are sent to
    another tree (_ELSEWHERE)."""
    if not _WORDS.search(text) or not re.search(r"\d", text):
        return None  # most replies
    said = request_in(text, _DECLINED(), own_negation=True)
    m = _DECLINED().search(said) if said is not None else None
    if said is None or m is None or _ELSEWHERE().search(said, m.end()):
        return None
    return listed_numbers(next(g for g in m.groups() if g)), said
