"""A NAK the sender promises unless the patch changes ("If this isn't fixed I'll NAK it."): no NAK, an objection."""

from __future__ import annotations

import re

from harness.droprequest import sentences
from harness.lazyre import lazy

# The sender's NAK to come: "I'll NAK it", "I will have to NAK this", "we'd NACK", "I'm going to NAK".
_WILL_NAK = (r"\b(?:I|we)(?:['’]ll|['’]d|\s+will|\s+would|\s+shall|['’]m\s+going\s+to|\s+am\s+going\s+to)\s+"
             r"(?:(?:have\s+to|need\s+to|certainly|definitely|surely|probably|just|simply|also)\s+)*NA(?:C?K)\b")
# The condition: the patch left as it is. "unless" with what would change it ("unless this is fixed", "unless you
# bound the loop"); "if" with its negation ("if this isn't fixed", "if you don't bound the loop") or with the patch
# staying as it is ("if this stays", "if it goes in as is"). Read in the clause before or after the NAK.
_UNCHANGED = (r"\bunless\b[^.;!?]*"
              r"|\bif\b(?=[^.;!?]*(?:\b(?:not|never|no)\b|n['’]t\b|\b(?:stays?|remains?|as[\s-]is|unchanged)\b))"
              r"[^.;!?]*")
# The other way round, a demand then the NAK as what follows if it is not met: "Fix this, or NAK.", "Bound the loop or
# I'll NAK it.", "Please fix this; otherwise, NAK.", "Otherwise I'll have to NACK it." (its demand the sentence
# before). The NAK, the sender's to come or the bare word, ends its clause ("..., or NAK from me"); "ACK or NAK" asks
# for either.
_OR_NAK = (r"(?:(?<=\w)(?<!\back)(?<!\backed)(?<!\backs)[,;]?\s+|^\W*)(?:or(?:\s+else)?|otherwise|else)\b[\s,:]*"
           rf"(?:(?:then\s+)?{_WILL_NAK}|"
           r"(?:(?:it['’]s|it\s+is|that['’]s|that\s+is|this\s+is)\s+)?(?:a\s+)?NA(?:C?K)(?:\s+from\s+(?:me|us))?"
           r"(?=\s*(?:[.!;,)]|$)))")
_THREAT = lazy(rf"(?:{_UNCHANGED})[,\s]*(?:then\s+)?{_WILL_NAK}|{_WILL_NAK}[^.;!?]*?(?:{_UNCHANGED})|{_OR_NAK}", re.I)
# What leaves it no threat of the sender's: asked ("Would you NAK it if ...?"), or another's ("Thomas said he'd NAK").
_NOT_OWN = lazy(r"\?\s*$|\b(?:said|says|told|thinks?|wrote)\s+(?:that\s+)?(?:he|she|they)\b", re.I)


def threatened_nak(text: str) -> str | None:
    """The sentence of a reply's own words in which its sender promises a NAK if the patch stays as it is ("If this
    isn't fixed I'll NAK it.", "I will NAK this unless the loop is bounded."), None when none does. No NAK is given
    (harness.nakwords reads none), but the revision it was said of is that patch unchanged: a maintainer would not
    apply it, and the gate does not pass it (harness.namedpatches)."""
    if not re.search(r"NA(?:C?K)", text, re.I):
        return None
    return next((s for s in sentences(text) if _THREAT().search(s) and not _NOT_OWN().search(s)), None)
