"""An ack withheld for a reason that is no objection: the sender cannot test it, or it is not theirs to give."""

from __future__ import annotations

import re

from models.lazyre import lazy

# "I won't ack this: I have no way to test it.", "I can't ack this. I don't have the hardware.", "I won't ack this, not
# my area." (each blocked v2 as a refusal, a false NOT READY): the one asked to vouch for the patch says they cannot,
# not that it must not go in. An ack refused for the code's sake ("I won't ack this until the WARN is gone.") is none
# of these and stays a refusal.
_ACK = lazy(r"\back(?:ing|['’]?ing)?\b", re.I)
_NOT_MINE = lazy(r"\b(?:no\s+(?:way|means|hardware|machine|box|setup)\s+to\s+test"
                 r"|(?:can(?:not|['’]t)|could(?:n['’]t|\s+not)|unable\s+to)\s+test|(?:do(?:n['’]t|\s+not)|does(?:n['’]t|\s+not))\s+have\s+(?:the|any|a|access\s+to)\s+"
                 r"(?:hardware|machine|box|setup|system)|not\s+(?:familiar|(?:my|our)\s+(?:area|call|code|tree|subsystem))|"
                 r"(?:I['’]m|I\s+am)\s+not\s+(?:the|a|its)\s+(?:\w+\s+)?maintainer|(?:do(?:n['’]t|\s+not))\s+know\s+"
                 r"(?:this|the|that)\s+code)\b", re.I)


def not_mine_to_ack(sentence: str, text: str) -> bool:
    """Whether ``sentence``, a refusal read in a reply's own words ``text``, withholds an ack (_ACK) for a reason
    ``text`` gives that is no objection (_NOT_MINE): the sender cannot test it, or it is not theirs to give."""
    return "ack" in sentence.lower() and _ACK().search(sentence) is not None and _NOT_MINE().search(text) is not None
