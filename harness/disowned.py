"""A flaw's words its sender disowns: their own point withdrawn, a failure not this patch's, a flaw meant so."""

from __future__ import annotations

import re

from harness.regate import gated
from models.lazyre import lazy

# Why: harness.concernwords reads a flaw by its words, and these name one the sender does not claim: "Retracting my
# concern about the overflow, the value is bounded." (their own point taken back), "That splat is unrelated, it
# happens on mainline too." (a failure not of this patch), "The caller ignores errors on purpose: it is best effort."
# (the code's design) each blocked as a review point. What follows a turn is read again ("Forget my comment on the
# naming; the real problem is that this deadlocks.", "The splat is unrelated, but the leak is yours.").
_LEAD = r"^\W*(?:(?:ok|okay|sorry|actually|oops|ah|oh|hmm|right|well|so|also)[\s,.!]+)*"
# A point of the sender's own, named as one: "my concern", "my earlier NAK", "what I said about the leak".
_OWN_POINT = (r"(?:(?:my|our)\s+(?:(?:earlier|previous|original|above|own|first|last|initial|v\d+)\s+)*"
              r"(?:nak|nack|objection|concern|comment|point|remark|review|worry|complaint|question|nit|claim|"
              r"feedback|reply)s?\b|what\s+I\s+(?:said|wrote|claimed|asked)\b)")
# Taken back by a verb leading the sentence: "Retracting my concern about ...", "Forget what I said about ...", "I
# take back my comment about ...". Not "Forget the locking, the leak is still there." (no point of the sender's named).
_TAKEN_BACK = gated(_LEAD + r"(?:I\s+(?:hereby\s+|also\s+|now\s+)?)?(?:withdraw(?:ing)?|retract(?:ing)?|"
                    r"take\s+back|taking\s+back|scratch|forget|ignore|disregard|drop(?:ping)?|never\s*mind|"
                    r"rescind(?:ing)?)\s+" + _OWN_POINT
                    # Its subject, not the sender's doing: "Withdrawing my NAK would be wrong."
                    + r"(?![^,;:]*\b(?:would|will|is|was|are|were|isn['’]t|wasn['’]t|makes?|seems?|sounds?|might|could|"
                    r"should|can['’]?t|cannot)\b)[^,;:]*", re.I)
# Said withdrawn, wrong or moot by its own predicate: "My previous NAK no longer applies ...", "My earlier objection
# about the leak is withdrawn.", "My comment was based on a misreading." (not "My concern still stands.").
_SAID_VOID = gated(_LEAD + _OWN_POINT + r"[^,;:]*?\b(?:(?:is|are|was|were|has\s+been|have\s+been)\s+"
                   r"(?:hereby\s+|now\s+|simply\s+|just\s+)?(?:withdrawn|retracted|moot|void|invalid|bogus|wrong|mistaken|unfounded|"
                   r"based\s+on\s+(?:a\s+|my\s+)?mis\w+)|no\s+longer\s+(?:applies|apply|holds?|stands?|valid|"
                   r"relevant)|(?:does|do)(?:n['’]t|\s+not)\s+(?:apply|hold|stand)(?:\s+any\s*more)?)\b[^,;:]*", re.I)
# A failure the sentence is of, named before what it says of it: "That splat", "The kselftest failure".
_FAILURE_FIRST = lazy(r"^\W*(?:(?:fwiw|btw|also|and|so|sadly|anyway)[\s,]+)*(?:(?:the|that|this|those|these|a|an|my|"
                      r"any)\s+)?(?:[\w/.()-]+\s+){0,3}?(?:splat|warning|oops|crash|failure|fail|hang|bug|issue|"
                      r"problem|error|regression|breakage|panic|trace|backtrace|timeout|lockup|report|oops)(?:s|es)?\b",
                      re.I)
# What says the failure is not this patch's: unrelated, known, or seen without it.
# Not "unrelated to the rename": another thing, not the patch.
_NOT_OURS = gated(r"\b(?:unrelated(?!\s+to\s+(?!(?:this|that|it|your|these|the\s+(?:patch|series|change|commit|fix)))"
                  r"\w)|"
                  r"pre-?existing|(?:a\s+)?known\s+(?:issue|problem|bug|failure)|"
                  r"nothing\s+to\s+do\s+with\s+(?:this|the|your|these)|"
                  r"not\s+(?:caused|triggered|introduced)\s+by\s+(?:this|the|your|these)|"
                  r"(?:on|in|with)\s+(?:a\s+)?(?:plain\s+|stock\s+|vanilla\s+|current\s+|bare\s+)?(?:mainline|upstream|"
                  r"linux-next|linus['’]?\s+tree|v?\d+\.\d+(?:[.-][\w.-]+)?)\s+(?:too|as\s+well|also|without)\b|"
                  r"without\s+(?:this|the|your|these)\s+(?:patch|series|change|patches|commits?)(?:es)?\s+(?:too|"
                  r"as\s+well|also)\b)", re.I)
# Agreeing with the code as it is: "I'm OK with keeping the open-coded loop here." (not under a condition: "I'm fine
# with the loop if it is bounded.").
_FINE_WITH = lazy(r"^\W*I(?:['’]m|\s+am)\s+(?:(?:quite|perfectly|totally|also)\s+)?(?:ok(?:ay)?|fine|happy|good)\s+"
                  r"with\b(?![^.;!?]*\b(?:if|unless|once|provided|as\s+long\s+as|when)\b)", re.I)
_NEGATOR = lazy(r"\b(?:not|never|no)\b|n['’]t\b", re.I)
# A clause's end or a turn: what follows is the sender's own point again ("..., but the leak is yours.").
_TURN = lazy(r"[,;:]|\s\b(?:but|however|though|although|yet|except|apart\s+from|other\s+than)\b", re.I)
_CONTESTED = lazy(r"[\s,;:-]*(?:but|however|though|although|yet|except|apart\s+from|other\s+than|only)\b", re.I)
# The failure said to be this patch's: "the oops is yours", "The warning comes from your patch.", "The splat is not
# unrelated."
_YOURS = lazy(r"\b(?:is|are|was|were|looks|seems)\s+(?:\w+\s+)?(?:yours|your\s+(?:patch|series|change)['’]s|this\s+"
              r"(?:patch|series|change)['’]s)\b|\b(?:comes?|came)\s+from\s+(?:this|your)\s+(?:patch|series|change)\b"
              # Back again, or not unrelated: "The compile failure is back in this version." (not "back to -EINVAL").
              r"|\b(?:(?:is|are)\s+(?:now\s+)?back|came\s+back|comes\s+back)\b(?!\s+to\b)"
              r"|\b(?:is|are)(?:\s+not|n['’]t)\s+(?:really\s+)?unrelated\b", re.I)
# Meant so: "ignores errors on purpose", "is ignored deliberately", "The missing break is intentional."
_INTENDED = lazy(r"\b(?:on\s+purpose|deliberate(?:ly)?|intentional(?:ly)?|by\s+design|as\s+intended|is\s+intended)\b",
                 re.I)


def disowned_end(sentence: str) -> int | None:
    """Where in ``sentence`` the words its sender disowns end (their own point withdrawn, _TAKEN_BACK or _SAID_VOID; a
    failure said not to be this patch's, _NOT_OURS; the code accepted as it is, _FINE_WITH): at the end of their clause
    (a comma, a colon or a turn: "..., but ...", "... though"), all that follows read as the sender's own ("That
    splat is unrelated, the leak though is yours."); None when it disowns none."""
    if (m := _TAKEN_BACK().match(sentence) or _SAID_VOID().match(sentence)) is not None:
        end = m.end()
    elif _FINE_WITH().match(sentence) is not None:
        end = _clause_end(sentence, 0)
    elif (first := _FAILURE_FIRST().match(sentence)) is None \
            or (m := _NOT_OURS().search(sentence, first.end())) is None:
        return None  # "Unrelated to the splat, the error path leaks.": the failure named after, not its subject
    else:
        end = _clause_end(sentence, m.end())
        # A negation elsewhere in it may be of the phrase ("The splat is not unrelated.", "It doesn't happen on
        # mainline too."): read as nothing disowned, the flaw read as before.
        if _NEGATOR().search(sentence[:m.start()] + " " + sentence[m.end():end]):
            return None
        # Said again in the clause after: "... is a known issue with the firmware, unrelated to this."
        while (again := _NOT_OURS().match(sentence, _next_clause(sentence, end))) is not None:
            end = _clause_end(sentence, again.end())
    # A turn right after contests it ("The crash happens on mainline too, but much more often with this patch.", "I'm
    # fine with it except for the leak."): the whole sentence is read as before.
    return None if _CONTESTED().match(sentence, end) else end


def _next_clause(sentence: str, end: int) -> int:
    """Where the clause after the one ending at ``end`` starts: past its punctuation and blanks."""
    rest = sentence[end:]
    return end + len(rest) - len(rest.lstrip(" ,;:-"))


def _clause_end(sentence: str, at: int) -> int:
    """Where the clause holding ``at`` ends: at a comma, semicolon or colon, or before a turn (_TURN), else the
    sentence's end."""
    m = _TURN().search(sentence, at)
    return m.start() if m is not None else len(sentence)


def intended(sentence: str, at: int) -> bool:
    """Whether the flaw's word at ``at`` in ``sentence`` is said meant so later in its clause, not denied ("The caller
    ignores errors on purpose", not "... is ignored, and that is not intentional")."""
    end = re.search(r"[,;:.!?]", sentence[at:])
    clause = sentence[at:at + end.start()] if end is not None else sentence[at:]
    m = _INTENDED().search(clause)
    return m is not None and _NEGATOR().search(clause, 0, m.start()) is None


def failure_owned(sentence: str) -> bool:
    """Whether ``sentence`` says the failure it is of is this patch's (_YOURS after _FAILURE_FIRST): "the oops is
    yours.", "That warning comes from your patch." (read as nothing: no flaw's word)."""
    first = _FAILURE_FIRST().match(sentence)
    return first is not None and (m := _YOURS().search(sentence, first.end())) is not None \
        and _NEGATOR().search(sentence, first.end(), m.start()) is None and not sentence.rstrip().endswith("?")
