"""A reviewer's word that what they just said blocks nothing: "Not a blocker.", "No need to respin."."""

from __future__ import annotations

import re

from harness.refusals import YIELDING
from models.lazyre import lazy

# Why: "Out of curiosity, why 16 retries? Not a blocker." and "Have you considered a follow-up to convert the other
# callers? Not for this series." blocked the gate as questions to the author (harness.questionwords.open_question):
# the sender says in the next words that the patch need not wait for the answer. Words that waive (YIELDING's, and
# those of a question or a change left to later) ...
_WAIVER = lazy(rf"\b(?:{YIELDING})\b"
               r"|\b(?:does(?:n['’]t|\s+not)|won['’]t|will\s+not|need(?:n['’]t|\s+not)|should(?:n['’]t|\s+not))\s+"
               r"(?:(?:really|necessarily)\s+)?(?:block|hold\s+(?:up|back))(?:\s+(?:this|it|the\s+(?:patch|series|merge)|"
               r"anything|merging|v\d+))?\s*(?:[.,;!]|$)|\bnot\s+(?:a\s+)?blocking(?:\s+(?:issue|point|comment))?\b"
               r"|\b(?:feel\s+free\s+to|you\s+can|safe\s+to)\s+ignore\b"
               r"|\bno\s+(?:need\s+(?:to|for\s+an?)\s+(?:respin|resend|repost|re-?roll|new\s+(?:version|revision)|v\d+)|"
               r"(?:action|change)\s+(?:needed|required))\b"
               r"|\bnot\s+(?:(?:needed|required|necessary)\s+)?(?:for\s+(?:this|the\s+current)\s+(?:series|patch(?:set)?|"
               r"revision|version|cycle))\s*(?:[.!]|$)|\bnot\s+(?:needed|required|necessary)\s+(?:right\s+)?now\b"
               # Left to later, not asked as a later patch ("Applied, please fix the typo in a follow-up." asks one).
               r"|\b(?:that|this|it|which)\s+(?:can|could|may)\s+(?:(?:be|come)\s+(?:as\s+)?(?:a\s+)?(?:later\s+)?"
               r"follow[- ]?up|(?:be\s+done\s+)?(?:later|separately))\b"
               r"|\bfor\s+a\s+(?:later\s+|future\s+)?(?:follow[- ]?up|series)\b(?!\s+(?:please|pls)\b)"
               r"|(?:^|[.!?]\s)\W*can\s+be\s+done\s+(?:later|separately)\b"
               r"|\bjust\s+(?:curious|wondering|asking|a\s+thought|FYI)\b", re.I)
# ... unless a turn after them makes a point of its own: "Not a blocker for v3, but must be fixed before merge.", "No
# need to respin just for that, but the unlock below does need a v4."; nor a question ("Not a blocker? It is.").
_TURN = lazy(r"[,;:]?\s*\b(?:but|however|though|although|yet|except)\b(?![^.;!?]*\b(?:fine|ok(?:ay)?|your\s+call|"
             r"up\s+to\s+you|later|follow[- ]?up|minor|a\s+nit|optional)\b)", re.I)


# What a turn after the waiver must say to hold the patch after all: a change required ("must be fixed", "needs to",
# "does need a v4", "before merge"), not one suggested ("Not a blocker, but a comment here would help." waives it).
_REQUIRED = lazy(r"\b(?:must|(?:do|does|did)\s+need|needs?\s+(?:to|a|an|fixing)|ha(?:s|ve)\s+to|required|mandatory|"
                 r"blocker|before\s+(?:it\s+|this\s+)?(?:merg|appl|go(?:es)?\s+in|land)\w*|NAK|NACK|"
                 r"(?:is|are)\s+(?:still\s+)?(?:broken|wrong|a\s+bug)|can(?:not|['’]t)\s+(?:go|be\s+(?:merged|applied))"
                 # The negated verb left out: "It doesn't block the patch, but the leak in patch 3 does."
                 r"|(?:does|do|will|would)(?=\s*(?:[.!]|$)))",
                 re.I)


def turned_after(text: str, pos: int) -> bool:
    """Whether the sentence of ``text`` holding ``pos`` turns after it (_TURN) to a change required (_REQUIRED)."""
    end = re.search(r"[.!?](?:\s|$)", text[pos:])
    stop = pos + end.start() if end else len(text)
    turn = _TURN().search(text, pos, stop)
    return turn is not None and _REQUIRED().search(text, turn.end(), stop) is not None


def waived(sentence: str) -> bool:
    """Whether ``sentence`` says that what its sender said just before it (or in it, before the words) blocks nothing
    (_WAIVER), with no turn after those words (_TURN) and no question mark ending it."""
    s = sentence.strip()
    if not s or s.endswith("?"):
        return False
    m = _WAIVER().search(s)
    return m is not None and not turned_after(s, m.end()) and not turned_after(s[:m.start()], 0)
