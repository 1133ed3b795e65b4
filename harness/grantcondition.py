"""An approval, a tag or the patch's fate held back until a change is made: the change is asked."""

from __future__ import annotations

import re

from harness.nakwords import met_already
from harness.regate import gated
from harness.requestverbs import FATE, ING, VERBS
from harness.unnameddrop import held_for_later
from models.lazyre import lazy

# A change's past participle, what a condition waits for: "the leaf is printed in hex", "you've renamed the macro",
# "the format fixed". Not a test, a reading or the patch's own fate ("once it is merged", "after I've tested it").
_DONE = (r"(?:(?!(?:prefer|merge|test|check|try|pick|choose|keep|leave|read)\w*\b)(?:" + VERBS
         + r")(?:[bdglmnprt]?ed|d)|split|made|rewritten|written|put|done|resolved|sorted(?:\s+out)?|taken\s+care\s+of|"
         r"dealt\s+with|cleaned\s+up|simplified)\b")
# A condition naming a change: "if you add a cpu_relax()", "once the leaf is printed in hex", "after you rename the
# macro", "as long as you cap the retries", "provided the format is fixed" ("if you prefer", "once it is merged",
# "when you resend" name none).
_ASKED_IF = gated(r"\b(?:if|once|after|when(?:ever)?|as\s+soon\s+as|(?:as|so)\s+long\s+as|provided|providing|assuming|"
                  r"until|unless)(?:\s+that)?\s+(?:you(?:['’](?:ve|ll|d)|\s+(?:have|also|just|can|could|would|will|do|"
                  r"please|then|first|simply))*\s+(?:(?!(?:prefer|keep|leave|test|check|try|pick|choose|merge)\b)(?:"
                  + VERBS + r")\b|" + _DONE + r")|(?:(?!(?:now|already|then)\b)[\w%#().'’-]+\s+){1,5}?(?:is|are|gets?|"
                  r"has\s+been|have\s+been|will\s+be|['’]s|['’]re)\s+(?:(?:also|properly|all|both)\s+)*" + _DONE + r")",
                  re.I)
# A condition naming a change as a gerund: "after addressing the off-by-one", "once restoring the bound", "upon
# switching to %#llx" (not a test, a choice or the patch's own fate: "after testing it", "once merging it").
_ASKED_ING = gated(r"\b(?:after|once|upon|when(?:ever)?)\s+(?:(?:first|also|properly|just)\s+)?"
                   r"(?!(?:prefer|merg|test|check|try|pick|choos|keep|leav|read)\w*\b)(?:" + ING + r")\b", re.I)
# A condition naming a change by its noun: "Ack, pending the bound fix.", "Feel free to add my Acked-by after the
# off-by-one fix." "After" may name a change made ("This is fine after the change in patch 1.") or another patch
# waited for ("I'll queue it after the firmware fix."): only before a tag offered (_OFFER) is it one still to come.
_ASKED_NOUN = gated(r"\b(?:(?P<after>after|upon)|pending)\s+(?:the|a|an|your|that|this)\s+(?:[\w%#().'’-]+\s+){0,3}?"
                    r"(?:fix|fixup|rename|rework|change|cleanup|tweak|adjustment)(?:e?s)?\b"
                    r"(?!\s+(?:in|of)\s+(?:patch|v\d|\d))", re.I)
_OFFER = lazy(r"\b(?:feel\s+free|you\s+(?:can|may|could)\s+(?:add|have|take|include|collect))\b", re.I)
# What a condition may hold back: an approval, a tag or the patch taken ("Happy to apply this if ...", "Acked-by once
# you switch to %#llx.", "Fine to merge after ...", "I'll take it once ..."). Not a consequence ("If you use %#llx,
# the width changes." says what would follow), nor a tag or the patch taken away ("If you change the loop, please drop
# my Reviewed-by.": a change the author may make, not one asked).
_GRANT = lazy(r"\b(?:ack(?:ed|s)?|(?:reviewed|tested|acked)-by|r-?bs?|lgtm|looks?\s+(?:good|fine|ok(?:ay)?|sane|great)|"
              r"fine|ok(?:ay)?|happy|glad|good\s+to\s+go|no\s+objections?|ship\s+it|feel\s+free|you\s+(?:can|may)\s+add|"
              r"appl(?:y|ied|ying)|tak(?:e|en|ing)|merg(?:e|ed|ing)|queu(?:e|ed|ing)|pick(?:ed)?\s+(?:\w+\s+)?up|keep|"
              r"land|carry|collect)\b", re.I)
_TAKEN_AWAY = lazy(r"\b(?:drop|remove|revert|delete|withdraw|retract|take\s+back|ignore|disregard|forget|scratch)\b",
                   re.I)
# A "with" or "after" phrase of a change done, leading a tag or an approval: "With the format fixed:" (then the
# Reviewed-by), "With that fixed:", "After the loop is bounded, this is fine." ("With the loop now bounded:" names
# what is there: harness.nakwords.met_already; "With that:" names no change.)
_WITH_DONE = gated(r"^\W*(?:with|after)\s+((?:[\w%#().'’-]+\s+){1,5}?)(?:(?:is|are|gets?|"
                   r"has\s+been|have\s+been)\s+)?" + _DONE
                   # Or straight into the offer, no comma: "With that fixed you can add my R-b." (READY: round 69)
                   + r"(?=\s*(?:[,:]|$)|\s+(?:you\s+(?:can|may|could)|feel\s+free)\b)", re.I)


# Another's work a maintainer's take waits for, no change of this patch: "I'll take it once the KVM side is fixed.",
# "I'll apply it after Sean's series is merged." Their hold (harness.unnameddrop.held_for_later) blocks on its own until
# they apply it; read as a point too, it blocked after their "Applied, thanks." (the author cannot make that change).
_ELSEWHERE = lazy(r"\b(?:the\s+(?!(?:whole|entire|same|current|present|this|your|patch)\b)[\w-]+(?:\s+[\w-]+)?\s+"
                  r"(?:side|series|patch\s*set|patchset|tree|branch)|(?:another|other|separate|dependent|prerequisite)\s+"
                  r"(?:series|patch(?:es|set)?)|(?!(?:your|its)\b)\w+['’]s\s+(?:series|patch(?:es|set)?|side|tree|"
                  r"branch)|(?:the\s+)?(?:firmware|BIOS|microcode))\b", re.I)


def granted_if_changed(sentence: str) -> bool:
    """Whether ``sentence`` holds an approval, a tag or the patch's fate back until a change is made: a condition that
    names one (_ASKED_IF; or a gerund, a noun: _ASKED_ING, _ASKED_NOUN) beside a grant (_GRANT), or a "with" phrase
    of one leading into a grant or a tag (_WITH_DONE). "Happy to apply this if you add a cpu_relax() between tries.",
    "Feel free to add my Acked-by after addressing the off-by-one.": the change is asked, whatever is granted (each
    passed the gate READY); not one the sender makes ("myself")."""
    m = _WITH_DONE().match(sentence)
    if m is not None and not met_already(sentence[m.start(1):m.end()]):
        rest = sentence[m.end():].lstrip(" ,:")
        if not rest or _granted(rest):
            return True
    if _OWN_DOING().search(sentence):
        return False  # "I'll take it after fixing the typo myself.": the sender makes the change
    for asked in (_ASKED_IF, _ASKED_ING, _ASKED_NOUN):
        m = asked().search(sentence)
        if m is None:
            continue
        # The condition's clause ends at a comma, or where the offer starts with none: "Once that is fixed you can add
        # my R-b." (its "add my R-b" read as the condition's, the mail's: READY, round 69).
        after = sentence[m.end():]
        end = re.search(r"[,;:]|\s--?\s", after)
        offer = _OFFER().search(after) if end is None else None
        clause_end = end.start() if end else offer.start() if offer else len(after)
        if FATE().search(sentence[m.start():m.end() + clause_end]):
            continue  # "if you add my Acked-by", "once you keep me on Cc": the mail's, no change of the code
        if _ELSEWHERE().search(sentence, m.start(), m.end()) and held_for_later(sentence) is not None:
            continue  # another's work awaited, the maintainer's hold
        rest = sentence[:m.start()] + " " + (after[end.end():] if end else after[offer.start():] if offer else "")
        if _granted(rest) and (m.groupdict().get("after") is None or _OFFER().search(rest) is not None):
            return True
    return False


# The sender making the change: "I'll take it after fixing the typo myself."
_OWN_DOING = lazy(r"\b(?:myself|ourselves)\b", re.I)


def _granted(words: str) -> bool:
    """Whether ``words`` grant an approval, a tag or the patch taken (_GRANT), none taken away (_TAKEN_AWAY)."""
    return _GRANT().search(words) is not None and _TAKEN_AWAY().search(words) is None
