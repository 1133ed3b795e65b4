"""A reviewer's sentence that settles a point of their own: the code needs no change ("No change needed.")."""

from __future__ import annotations

import re
from collections.abc import Callable

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
# A bikeshed declined, said whole: "The naming could be bikeshedded forever, let's not.", "Let's not bikeshed the name,
# it's fine.", "We could argue about the naming forever." (each blocked, round 70: "let's not" read as a change put to
# sender and author, "forever" beside "could" as a flaw). A talk put as endless and not had asks no change; a change
# beside it does ("..., but please rename it.", "Let's not bikeshed this, but the name is wrong").
_TALK = (r"(?:bike-?shed\w*|go\s+back\s+and\s+forth(?:\s+on)?|"
         r"argu(?:e|ed|ing)|debat(?:e|ed|ing)|discuss(?:ed|ing)?|quibbl(?:e|ed|ing)|nitpick\w*)")
_ENDLESS = (r"(?:forever|endlessly|all\s+day|for\s+(?:(?:many\s+)?(?:days|weeks|months|years|ages)|ever)|either\s+way|"
            r"ad\s+infinitum)")
_DECLINED = (r"(?:(?:but\s+|so\s+|and\s+)?let['’]s\s+not|"
             r"(?:but\s+)?(?:(?:it['’]s|it\s+is|that['’]s)\s+)?not\s+worth\s+it|"
             r"(?:and\s+)?nobody\s+(?:would|will)\s+win|(?:(?:it['’]s|it\s+is|this\s+is|that['’]s)\s+)?fine(?:\s+as\s+is)?|"
             r"I['’]m\s+fine\s+with\s+it(?:\s+as\s+is)?)")
_BIKESHED = lazy(rf"^\W*(?:{_OPENER}[\s,.;:!-]+)*(?:(?:[\w'’-]+\s+){{0,4}}?(?:could|can|might)\s+(?:be\s+)?{_TALK}\b"
                 rf"[^,;:.!?]*?\b{_ENDLESS}|let['’]s\s+not\s+{_TALK}(?:\s+(?:about\s+)?(?:it|this|that|the\s+[\w-]+))?)"
                 rf"(?:(?:\s*[,;:.-]\s*|\s+){_DECLINED})*[\s.!;:]*$", re.I)
# The decline said alone after it: "We could bikeshed it forever; let's not." (split at the ";").
_DECLINED_ALONE = lazy(rf"^\W*{_DECLINED}[\s.!]*$", re.I)


def declined_after(before: str, sentence: str) -> bool:
    """Whether ``sentence`` declines, alone ("Let's not.", "Not worth it."), the bikeshed ``before`` it puts as
    endless (_BIKESHED): no change asked."""
    return _DECLINED_ALONE().match(sentence.strip()) is not None and _BIKESHED().match(before.strip()) is not None
# The sender taking back what they said just before, with or without a reason after it: "Scratch that, the caller
# frees it.", "Ignore my comment above, I misread the loop.", "I retract that.", "Never mind." (not "Never mind the
# cast.", "Ignore my comment on the loop; ...", "I retract my objection to patch 1, ...": another point named).
_POINT = r"(?:comment|point|remark|note|objection|concern|nit|question|suggestion)s?"
_WITHDRAWN = lazy(rf"^\W*(?:{_FILLER}[\s,.;:!-]+|sorry[\s,.;:!-]+)*(?:scratch\s+that|never\s*mind|nevermind|"
                  rf"(?:ignore|disregard|forget|scratch)\s+(?:that|me|(?:my|the)\s+(?:(?:earlier|previous|last)\s+)?"
                  rf"{_POINT}(?:\s+(?:above|there|before))?)|I\s+(?:retract|withdraw|take\s+back)\s+(?:that|this|it|"
                  rf"my\s+(?:(?:earlier|previous|last)\s+)?{_POINT}(?:\s+(?:above|there))?)|"
                  # Said alone after it: "... READ_ONCE() is enough here. Withdrawn." (round 70: it blocked)
                  rf"(?:(?:that|this|my\s+{_POINT})\s+)?(?:(?:is|are)\s+)?(?:withdrawn|retracted))\s*(?:[,.;:!-]|$)",
                  re.I)
_CHANGED_MIND = lazy(rf"^\W*(?:{_FILLER}[\s,.;:!-]+)*(?:{_CHANGE_OF_MIND})\b", re.I)

# A need the patch meets or a flaw it ends, said whole, no turn or negation in it (round 70, each blocked as a point):
# the context changed and the patch followed ("We can't sleep here, hence GFP_ATOMIC, which is right.", "..., and you
# switched to GFP_ATOMIC accordingly."), a fix there now or a flaw gone ("READ_ONCE() is there now, KCSAN should be
# happy.", "The refcount leak I pointed out is gone in this version."), one less bug praised ("Great, another bug
# gone."). Not "..., and that's what the patch should use.", "The race is there now." (a flaw there), "... is back".
# A negation only of the need's own words: "We can't sleep here", "this path may not sleep".
_NO_TURN = (r"^(?![^?]*(?:\b(?:but|though|although|however|yet|except|unless|still|must|please|once|when|after|if|"
            r"until|before|needs?|has\s+to|have\s+to)\b|"
            r"\bshould\b(?!\s+(?:be\s+(?:happy|quiet|satisfied|silent|fine)|stop\s+\w+ing|go\s+away)\b)|"
            r"(?:\b(?:not|never)|n['’]t)\s+(?!(?:sleep|block|be\s+preempted)\b)))")
_QUIET = (r"(?:[,;]\s*(?:so\s+|and\s+)?(?:[\w-]+\s+){1,4}?should\s+(?:be\s+(?:happy|quiet|satisfied|silent|fine)|"
          r"stop\s+(?:complaining|warning|firing|splatting|whining)|go\s+away))")
_PRAISE = r"(?:great|nice|good|excellent|lovely|yay|cool|awesome|neat|sweet|brilliant|wonderful|perfect)"
_THANKS = r"(?:\s*[,;.!]\s*(?:thanks?|thank\s+you|good|great|nice|fine|lgtm)\b)"
_FLAWED = (r"(?![^,;]*\b(?:leak|race|bug|crash|deadlock|regression|warning|splat|problem|issue|use-after-free|uaf|"
           r"double\s+free|overflow|hang|oops|bogus|wrong|broken|error)\w*\b)")
_MET = lazy(_NO_TURN + r"\W*(?:(?:ok(?:ay)?|oh|ah|right|good|nice|great)[\s,.!]+)*(?:"
            # a need and the patch's answer to it
            r"[^?]*?(?:[,;]\s*(?:and\s+)?(?:(?:which|that)(?:['’]s|\s+is)|this\s+is)\s+(?:exactly\s+|precisely\s+)?"
            r"(?:(?:the\s+)?right(?:\s+(?:thing|choice|call|fix))?|correct|what\s+(?:the\s+patch|this\s+patch|this\s+"
            r"version|v\d+|it|you)\s+(?:now\s+)?(?:does|do|uses?|has|did|picked|chose)|what\s+I\s+would\s+have\s+"
            r"(?:done|suggested|used|picked)(?:\s+too)?)|\byou\s+(?:switched|moved|changed|converted|updated|adjusted)\b"
            r"[^.;!?,]*\baccordingly|\byou\s+(?:correctly|rightly|properly|sensibly)\s+(?:switched|moved|changed|converted|"
            r"updated|adjusted|used|picked|chose)\b[^.;!?,]*)"
            # a fix there now, a flaw gone: a tool quiet after it
            r"|(?:with\s+)?(?:the\s+)?" + _FLAWED + r"[\w()>-]+(?:\s+[\w()>-]+){0,7}?\s+(?:(?:is|are)\s+)?(?:now\s+)?"
            r"(?:there|in\s+place|present|added)(?:\s+now)?" + _QUIET
            + r"|(?:the\s+)?[\w()>-]+(?:\s+[\w()>-]+){0,7}?\s+(?:is|are)\s+(?:now\s+)?(?:gone|fixed|addressed|resolved|"
            r"handled)(?:\s+(?:now|in\s+(?:this|the\s+new)\s+(?:version|revision|one|posting)|in\s+v\d+))?"
            r"(?:" + _QUIET + r")?"
            r"|" + _PRAISE + r"[\s,!]+(?:another\s+(?:[\w-]+\s+){0,2}?[\w-]+\s+(?:gone|down|fixed|squashed|killed|"
            r"removed)|one\s+(?:less|fewer)\s+(?:[\w-]+\s+){0,1}?[\w-]+(?:\s+(?:in|at|on|from)\s+(?:the\s+)?"
            r"[\w-]+(?:\s+[\w-]+)?)?))"
            + _THANKS + r"*[\s.!]*$", re.I)


def settled(sentence: str) -> bool:
    """Whether ``sentence`` says, all of it, that the code needs no change (_SETTLED): "No change needed, I see it
    now.", "Nah, fine as is.", "Actually leave it, it's fine."; not a question ("No change needed?")."""
    s = sentence.strip()
    return bool(s) and not s.endswith("?") and any(p().match(s) is not None for p in (_SETTLED, _BIKESHED, _MET))


def taken_back_by(sentence: str, following: list[str], makes_point: Callable[[str], bool]) -> bool:
    """Whether the sentence after ``sentence`` (``following``: it, or none) takes it back or settles it: one taking
    it back (_WITHDRAWN: "Scratch that, the caller frees it."), when what follows the withdrawal makes no point of its
    own (``makes_point``: "Scratch that: it leaks twice." makes one); after a question, one that says nothing needs
    changing ("Is the cast needed? Fine as is."); after any other, one that also opens with a change of mind ("Why not
    use kzalloc? Actually leave it, it's fine.", "Use kzalloc. Never mind, no change needed."; not "Add a comment.
    It's fine as is.")."""
    if following and (rest := withdrawn_rest(following[0])) is not None:
        return not makes_point(rest)
    if following and _MENDED().match(following[0].strip()):
        return True
    if not following or not settled(following[0]):
        return False
    return sentence.rstrip().endswith("?") or _CHANGED_MIND().match(following[0]) is not None


# A later version said to have mended what the sentence before it says: "You can't sleep here in v1; v2 fixed that,
# thanks." (the flaw blocked: harness.replywords ends a sentence at ";"). Not a question, a hope or a turn after it.
_MENDED = lazy(r"^\W*(?:and\s+)?(?:v\d+|this\s+(?:version|one|revision|posting)|the\s+new\s+(?:version|one|code))\s+"
               r"(?:now\s+|already\s+|has\s+|finally\s+)*(?:fixed|fixes|addressed|addresses|resolved|resolves|handles|"
               r"handled|sorted|cured)\s+(?:that|it|this|them|those)\b(?![^?]*\?)"
               r"(?![^.;!?]*\b(?:but|though|although|however|except|partly|partially)\b)", re.I)


# An apology opening what follows a withdrawal, no part of its reason ("Scratch that, sorry, it leaks twice.").
_SORRY = lazy(r"^[\W]*(?:(?:sorry|my\s+bad|apologies)\b[\W]*)+", re.I)


def withdrawn_rest(sentence: str) -> str | None:
    """The words after the sender's taking back of what they said just before (_WITHDRAWN: "Scratch that, the caller
    frees it." gives "the caller frees it."), "" when none follow; None when ``sentence`` takes nothing back. Whoever
    reads it asks whether those words make a point of their own ("Scratch that: it leaks twice." takes nothing back)."""
    m = _WITHDRAWN().match(sentence.strip())
    return None if m is None else _SORRY().sub("", sentence.strip()[m.end():])
