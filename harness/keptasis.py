"""A reviewer's word that a part of the patch stays as it is ("Keep it as is."): no change asked, or one refused."""

from __future__ import annotations

import re

from harness.regate import gated

# Why: "Let's keep the name as it is, renaming would only churn.", "Leave it like that, it's fine.", "Nothing to
# change, keep the ordering as you have it." were each read as a change asked ("Let's ...", an imperative), the gate
# NOT READY. And "You can't keep it like that, it overflows." was read as the patch's fate (harness.requestverbs.FATE:
# "keep it"), asking nothing: READY.
_AS_IS = (r"(?:keep|leave)\s+(?:[\w()'’-]+\s+){0,4}?(?:as\s+(?:it\s+is|is|they\s+are|you\s+(?:have|had|wrote)\s+"
          r"(?:it|them)|it\s+was|written)|like\s+(?:that|this|it\s+is)|unchanged|alone|untouched|where\s+it\s+is|"
          r"that\s+way|this\s+way)\b")
# At a clause's start, with no negation before it: "Keep it as is.", "Fine to keep it as is.", "Let's leave the name
# alone.", "Nothing to change, keep the ordering as you have it.", "I'd keep it as it is."
_KEPT = gated(r"(?:^|[,;:]\s*)\W*(?:(?:ok|okay|so|then|yes|sure|fine|nah|honestly|personally|imo|imho|I\s+think)"
              r"[\s,]+)*(?:(?:fine|ok(?:ay)?|better|happy|good)\s+to\s+|please\s+|just\s+|let['’]s\s+(?:just\s+)?|"
              r"I['’]d\s+(?:just\s+)?|(?:you|we)\s+(?:can|could|may)\s+(?:just\s+)?|feel\s+free\s+to\s+)?"
              + _AS_IS, re.I)
# Refused: "You can't keep it like that.", "Please don't leave it as is.", "This shouldn't stay as it is."
_REFUSED = gated(r"\b(?:can['’]?t|cannot|can\s+not|shouldn['’]t|should\s+not|mustn['’]t|must\s+not|don['’]t|do\s+not|"
                 r"won['’]t|not)\s+(?:just\s+|simply\s+|really\s+)?(?:" + _AS_IS + r"|stay\s+(?:as\s+(?:it\s+is|is)|"
                 r"like\s+(?:that|this)))", re.I)


def kept_as_is(sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` says a part of the patch stays as it is (_KEPT), not as a question or a condition: the words
    around it are read for a point of their own ("Keep it as is, but add a comment."); None when it says none."""
    if sentence.endswith("?") or re.match(r"\W*(?:if|unless|when|once)\b", sentence, re.I) is not None:
        return None
    return m.span() if (m := _KEPT().search(sentence)) is not None else None


def keep_refused(sentence: str) -> bool:
    """Whether ``sentence`` refuses that a part of the patch stays as it is (_REFUSED): a change asked."""
    return _REFUSED().search(sentence) is not None
