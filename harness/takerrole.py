"""Whether a refusal's sender is seen applying the series: their "I won't take this" is then their tree's word."""

from __future__ import annotations

import re

from harness.droprequest import applied_sentence
from harness.model import Reply
from harness.thanksummary import thanks_summary
from models.lazyre import lazy

# Words only the one applying the patches says of their own doing: the first person, or the subject left out as mail
# does, taking, holding, parking, refusing, dropping or reverting it ("I won't take this.", "Parking this one.",
# "Reverted, it breaks boot."). Not a request to whoever applies ("Please drop this patch.", "Please hold off."): any
# reviewer asks that.
_TAKER = lazy(r"\b(?:I|we)(?:['’]\w+)?\s+(?:\w+\s+){0,3}?(?:take|taking|apply|applying|merge|merging|queue|queuing|"
              r"pick|picking|park|parking|holding|defer|deferring|pass|passing|reject|rejecting|revert|reverted|"
              r"reverting|pull|pulled|drop|dropped|dropping|unqueued|veto|vetoing|carry|carrying|accept)\b"
              r"|^\W*(?:(?:sorry|so|but|then|ok|okay|no|nope)[\s,.!]+)*(?:not\s+)?(?:taking|applying|merging|queuing|"
              r"parking|holding|deferring|dropped|dropping|reverted|reverting|pulled|rejected|unqueued)\b", re.I)


def taker_note(said: str, sender: str, replies: dict[str, Reply]) -> str:
    """What the gate says of a refusal or hold ``said`` in words only the one applying says (_TAKER), when its sender
    (an address, lower case) is not seen applying patches in the input ``replies`` (no "Applied" nor b4 thank-you of
    theirs): it blocks all the same, as their objection (a gate passing a refusal it misread is the worse error), and
    the note says that it is read so; "" otherwise."""
    if not sender or _TAKER().search(said) is None:
        return ""
    if any(r.mail.own_address == sender and (applied_sentence(r.own_text) is not None
                                             or thanks_summary(r.own_text) is not None) for r in replies.values()):
        return ""
    return ("its sender is not seen applying patches in the input (no \"Applied\" nor thank-you of theirs): read as "
            "their objection to the patch going in, not as their tree's word; it stands until they take it back or a "
            "rule citing the message judges it")
