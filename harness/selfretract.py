"""A reviewer taking back their mail whole, naming no NAK ("Ignore me, I misread.", "Never mind."): its NAK too."""

from __future__ import annotations

import re

from harness.language import unread_language
from harness.model import Reply
from harness.replywords import sentences
from harness.requestgrammar import request_in
from models.lazyre import lazy

# The sender's own earlier word called void or mistaken, the whole of it: "Ignore me.", "Please disregard my previous
# mail.", "Never mind.", "Sorry, my mistake.", "I misread.", "I was wrong.", "Withdrawn." (each left the NAK it answers
# standing: the gate blocked on words their sender took back). Said of something else it is no retraction: "Never mind
# the nit", "Ignore the comment above, but ...", "I misread the first hunk" (a part of it).
_MAIL = (r"(?:my\s+(?:(?:previous|last|earlier|above|first|own)\s+)?(?:mail|e-?mail|message|reply|response|review|"
         r"comments?)|me|that|this|it|the\s+above)")
_RETRACT = lazy(
    r"^\W*(?:(?:sorry|oops|argh|ugh|ah|uh|hmm+|doh|d['’]oh|oh|well|ok|okay|actually|so|please|yes)[\s,.!:;-]+)*"
    r"(?:(?:please\s+)?(?:ignore|disregard|forget|scratch)\s+" + _MAIL +
    r"|never\s*mind|nevermind|nvm|my\s+(?:mistake|bad|error|fault)|"
    r"(?:I|we)\s+(?:(?:completely|totally|clearly|obviously)\s+)?(?:misread|misunderstood|misparsed|"
    r"was\s+(?:wrong|mistaken|confused)|got\s+(?:it|this|that)\s+wrong|stand\s+corrected|spoke\s+too\s+soon)"
    r"|(?:that|this)\s+was\s+(?:wrong|a\s+mistake|my\s+mistake|bogus|nonsense|noise)|false\s+alarm"
    # The answered mail withdrawn, bare or with a pronoun: "Withdrawn.", "Retracted, sorry.", "I take that back." (a
    # bare "Withdrawn." below one's own NAK left it standing).
    r"|withdrawn|retracted|rescinded|revoked"
    r"|(?:I|we)\s+(?:hereby\s+)?(?:withdraw|retract|rescind|revoke)\s+(?:it|that|this)"
    r"|(?:I|we)\s+take\s+(?:it|that|this)\s+back)"
    r"(?:\s+(?:then|please|entirely|completely|sorry|here|again|everything|it|that|this|the\s+(?:code|patch|loop)))*"
    r"(?=\s*(?:[.!;:,)]|$|\s[-–—]\s))", re.I)
_STILL = lazy(r"\b(?:but|however|though|although|still|except|apart\s+from|other\s+than)\b", re.I)
_WORDS = ("ignore", "disregard", "forget", "scratch", "mind", "nvm", "mistake", "bad", "error", "fault", "mis",
          "wrong", "confused", "corrected", "too soon", "bogus", "nonsense", "noise", "alarm", "withdr", "retract",
          "rescind", "revok", "back")


def retracts_answered(text: str) -> str | None:
    """The sentence of a reply's own words ``text`` taking back, whole, the message it answers (_RETRACT), when no
    word of it keeps a part ("but", "still": _STILL); None else. Only of a message of the same sender it answers
    (harness.takenback): to another's, "Ignore me" is of the sender's own words in that thread."""
    low = text.lower()
    if (text.isascii() and not any(w in low for w in _WORDS)) or _STILL().search(text):
        return None
    return next((s for s in sentences(text) if request_in(s, _RETRACT(), own_negation=True) is not None), None)


def answered_retraction(said: Reply, replies: dict[str, Reply]) -> tuple[Reply, str] | None:
    """A reply of the sender of ``said`` (a NAK or a request to drop) answering that very message, or another's answer
    to it ("The loop is bounded by the caller." / "Ah, I misread. Ignore me."), and taking it back whole in words
    naming no NAK ("Ignore me, I misread.", "Never mind."; harness.selfretract), with no NAK nor request to drop of its
    own, and its sentence; None when none does."""
    who = said.mail.own_address

    def answers(x: Reply) -> bool:
        up = replies.get(x.mail.in_reply_to or "")
        return x.mail.in_reply_to == said.mail.msgid or (
            up is not None and up.mail.in_reply_to == said.mail.msgid and up.mail.own_address != who)
    for x in replies.values():
        if x is not said and who and x.mail.own_address == who and answers(x) \
                and "NAK" not in x.verdicts and "drop-patch" not in x.verdicts \
                and unread_language(x.own_text) is None \
                and (words := retracts_answered(x.own_text)) is not None:  # "Never mind, keep it nicht." no English
            return x, words
    return None

