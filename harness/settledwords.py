"""A reviewer's sentence that settles a point of their own: the code needs no change ("No change needed.")."""

from __future__ import annotations

import re

from models.lazyre import lazy

# Why: "Does this need a barrier?" then "Never mind, no change needed." (the same mail or the next), "Agreed, no need
# to change anything.", "Leave it, it's fine as is." each blocked the gate: "no ... needed" read as a virtue denied
# (harness.concernwords), "need to change" as a change asked, "Leave it" as an imperative, and a later "Fine as is."
# lifted nothing. Only a sentence that is all of it settles: "Keep it as is, but add a comment.", "Leave it as a
# u32.", "No change needed? The loop still spins." and "No change needed in 2/3; this one leaks." stay points.

# What may open it: an assent, a change of mind, a word of thanks (_CHANGE_OF_MIND: those that take back the sender's
# own sentence before it).
_CHANGE_OF_MIND = (r"never\s*mind|nevermind|actually|on\s+second\s+thoughts?|on\s+reflection|scratch\s+that|"
                   r"thinking\s+(?:about\s+it\s+)?(?:again|more)|looking\s+(?:at\s+it\s+)?again|ignore\s+(?:me|that)|"
                   r"nah|I\s+misread(?:\s+(?:it|that|this|the\s+\w+))?")
_FILLER = r"(?:hmm+|oh|ah|ok(?:ay)?|well|no|nope|so)"
_OPENER = (rf"(?:{_CHANGE_OF_MIND}|{_FILLER}|I\s+see|right|yes|yeah|sure|agreed|fair\s+enough|makes\s+sense|got\s+it|"
           r"then|in\s+that\s+case|thanks?|thank\s+you|sorry|my\s+bad|you['’]re\s+right)")
# The code needs no change, said whole.
_CORE = (r"(?:(?:then\s+)?no\s+(?:further\s+|code\s+)?(?:changes?|action|update|respin|new\s+version)\s+"
         r"(?:is\s+|are\s+)?(?:needed|required|necessary)"
         r"|no\s+need\s+(?:to\s+(?:change|touch|do|fix|update)(?:\s+(?:anything|it|this|that|them))?|for\s+(?:a\s+)?"
         r"changes?)"
         r"|nothing\s+(?:(?:needs?|has)\s+to|to)\s+(?:change|be\s+changed|do|fix)"
         r"|(?:(?:it|this|that)(?:['’]s|\s+is|\s+looks|\s+seems)\s+)?(?:fine|ok(?:ay)?|good|correct)\s+as\s+(?:is|it\s+is)"
         r"|(?:leave|keep)\s+it(?:\s+as\s+(?:is|it\s+is)|\s+alone|\s+be)?"
         r"|(?:it|this|that)(?:['’]s|\s+is)\s+fine)")
# What may follow it: where or when, the sender seeing it now, thanks or an apology.
_TAIL = (r"(?:then|here|as\s+well|too|(?:I\s+)?see\s+(?:it|that|why)(?:\s+now)?|I\s+misread\s+(?:it|that|this|"
         r"the\s+[\w-]+)|thanks?|thank\s+you|sorry(?:\s+for\s+the\s+noise)?|my\s+bad|after\s+all)")
_SETTLED = lazy(rf"^\W*(?:{_OPENER}[\s,.;:!-]+)*(?:{_CORE})(?:(?:\s*[,;.!-]\s*|\s+)(?:{_CORE}|{_TAIL}))*[\s.!]*$",
                re.I)
_CHANGED_MIND = lazy(rf"^\W*(?:{_FILLER}[\s,.;:!-]+)*(?:{_CHANGE_OF_MIND})\b", re.I)


def settled(sentence: str) -> bool:
    """Whether ``sentence`` says, all of it, that the code needs no change (_SETTLED): "No change needed, I see it
    now.", "Nah, fine as is.", "Actually leave it, it's fine."; not a question ("No change needed?")."""
    s = sentence.strip()
    return bool(s) and not s.endswith("?") and _SETTLED().match(s) is not None


def taken_back_by(sentence: str, following: list[str]) -> bool:
    """Whether the sentence after ``sentence`` (``following``: it, or none) settles it: after a question, one that
    says nothing needs changing ("Is the cast needed? Fine as is."); after any other, one that also opens with a change
    of mind ("Why not use kzalloc? Actually leave it, it's fine.", "Use kzalloc. Never mind, no change needed."; not
    "Add a comment. It's fine as is.")."""
    if not following or not settled(following[0]):
        return False
    return sentence.rstrip().endswith("?") or _CHANGED_MIND().match(following[0]) is not None
