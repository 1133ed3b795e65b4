"""Whether a Reviewed-by or Acked-by is given under a condition or for something else.

"With the loop bounded, feel free to add:", "If you fix X, you can add my", "For patch 3:", "For v3:", "Reviewed-by: X #
for v3". Such a tag approves a version still to come, not the patch the reviewer NAKed, and lifts no NAK
(harness.takenback).
"""

from __future__ import annotations

import re

from harness.nakwords import condition_words, met_already
from harness.waivers import waived
from models.lazyre import lazy

# Another patch or version named as what the tag is for: "For patch 3:", "For 3/5", "For v3", "On v4, ...".
_OTHER = lazy(r"\b(?:for|on|to)\s+(?:the\s+)?(?:(?:patch(?:es)?\s+)?#?\d+(?:/\d+)?\b|v\d+\b|the\s+next\s+"
              r"(?:version|revision|spin|round))", re.I)
# Patches named without "for" as what the tag is for, or some left out: "# 1/3 only", "Patches 1 and 3:", "(patch 1)",
# "# except patch 2", "The first patch looks good:" (each lifted a NAK of patch 2 below the cover letter: the gate
# passed it). Such a tag's patches are not told apart here: it lifts no NAK, as one "for patch 3" does not.
_SCOPED = lazy(r"\bpatch(?:es)?\s+#?\d|(?<![\w/#])#?\d+/\d+\b|(?<![\w/])#\d+\b|\b(?:except|excluding|apart\s+from|"
               r"other\s+than|minus|without|but\s+not)\b|\b(?:first|second|third|fourth|fifth|last|other)\s+(?:\w+\s+)?"
               r"(?:patch(?:es)?|ones?)\b|^\W*#?\d+(?:\s*(?:,|and|&|-|–)\s*#?\d+)*(?:\s+only)?\W*$", re.I)
# A "with" or "after" phrase leading the sentence: a state that may be still to come ("With the loop bounded").
_LEAD = lazy(r"^\W*(?:with|after)(?!\s+or\s+without\b)\s+([^,;:]*)", re.I)
# A nit its sender waives in the paragraph above the tag: "Nit (feel free to ignore): ... Otherwise:", "Nit, not worth a
# respin: ... With or without that:", "Minor nit, optional: ...". Its "Otherwise:" leads a tag given either way, as a
# tag below a nit asked outright is (the gate passes "Nit: please fix the typo." then "Reviewed-by: ..."); it waited for
# the change it waived, and blocked.
_OPTIONAL = lazy(r"\bnit\b[^.!?]*(?<!\bnot\s)\b(?:optional(?:ly)?|up\s+to\s+you|your\s+call)\b|\(\s*optional\s*\)|"
                 r"\bwith\s+or\s+without\b", re.I)
_END = lazy(r"[.!?]\s*$")
# An imperative offering the tag as what follows it: "Bound the loop and you can add", "Fix the comment and feel free to
# add my" (the NAK was lifted). Not a statement ("The code is fine and you can add", "Looks good and ..."): no subject
# or finite verb of one before the "and", nor a word of assent first.
_OFFERED = lazy(r"^\W*+(?!(?:ok|okay|thanks|thank|looks|seems|sounds|reads|fine|good|great|nice|yes|sure|agreed|right|"
                r"well|so|and|lgtm|the|a|an|my|your|his|her|its|our|their|all|both|everything)\b)"
                r"(?:(?!\b(?:I|we|you|it|this|that|these|those|there|he|she|they|is|are|was|were|looks?|seems?|has|"
                r"have|had)\b)[^.!?])+?\band(?:\s+then)?\s+(?:(?:you\s+(?:can|may|could)|feel\s+free\s+to)\s+"
                r"(?:add|have|take|include|put|collect)\b|you\s+(?:(?:can|will|would|shall)\s+)?(?:have|get)\s+my\b|"
                r"you['’]ve\s+got\s+my\b)", re.I)
# Lines after the tag that go on with its sentence: right below it, or a paragraph below opening as a sentence goes on
# ("(assuming you bound the loop)", "...once the loop is bounded.", "but only once ...").
_GOES_ON = lazy(r"^\s*(?:\(|\.\.\.|…|[a-z])")


def conditional_tag(own_text: str, key: str, value: str) -> bool:
    """Whether the tag ``key: value`` in a reply's own words is put under a condition or given for another patch or
    version: its own comment ("# for v3"), or the sentence leading into it (the last one before its line, when it ends
    in a colon or no mark at all, or offers the tag: "feel free to add", "you can add my") says so."""
    return _held(own_text, key, value, True)


def change_awaited(own_text: str, key: str, value: str) -> bool:
    """Whether the tag ``key: value`` waits for a change (conditional_tag for a condition: "Modulo the bound:",
    "Reviewed-by: ... (with the off-by-one addressed)", "Conditional on restoring it:"), not only for another patch
    or version ("For patch 3:"): the change is asked of this patch (harness.pointwords.reply_point)."""
    return _held(own_text, key, value, False)


def _scoped(words: str, scoped: bool) -> bool:
    return scoped and (_OTHER().search(words) is not None or _SCOPED().search(words) is not None)


def _held(own_text: str, key: str, value: str, scoped: bool) -> bool:
    """conditional_tag; ``scoped``: a tag for another patch or version counts as held too."""
    comment = value.split("#", 1)[1] if "#" in value else ""
    if comment and (_scoped(comment, scoped) or _put_so(comment)):
        return True
    # "Mae <mae@x> (once the loop is bounded)", "Mae <mae@x> (for patch 1)"
    if ">" in value and (_put_so(value.split(">", 1)[1]) or _scoped(value.split(">", 1)[1], scoped)):
        return True
    lines = own_text.splitlines()
    at = next((n for n, ln in enumerate(lines) if re.match(rf"\s*{re.escape(key)}\s*:", ln, re.I)), None)
    if at is None:
        return False
    tail = lines[at].split(">", 1)[1].strip(" \t#") if ">" in lines[at] else ""  # "<mae@x> (with ... bounded)"
    if (tail and (_put_so(tail) or _scoped(tail, scoped))) or _after(lines[at + 1:]):
        return True
    before = [ln.strip() for ln in lines[:at] if not re.match(r"\s*[A-Za-z][\w-]*\s*:\s*\S", ln)]  # no trailer
    while before and not before[-1]:
        before.pop()
    start = max((n + 1 for n, ln in enumerate(before) if not ln), default=0)  # the paragraph right above
    sentence = re.split(r"(?<=[.!?])\s+", " ".join(before[start:]))[-1]
    # A full sentence leads into the tag only when it offers or names one: "Feel free to add it.", "Ack, pending the
    # bound fix." (not "Looks good.").
    if not sentence or (_END().search(sentence) and not re.search(r"\b(?:add|ack(?:ed)?|reviewed|r-?b|tag)\b", sentence,
                                                                   re.I)):
        return False
    if not scoped and _waived_above(" ".join(before[start:])):
        return False
    if _scoped(sentence, scoped) or condition_words(sentence) or _OFFERED().search(sentence):
        return True
    m = _LEAD().match(sentence)
    return m is not None and not met_already(m.group(1))


def _waived_above(paragraph: str) -> bool:
    """Whether ``paragraph``, right above a tag, waives the change it names (_OPTIONAL, harness.waivers.waived), with
    no change asked beside it outright (a "please", a "must": "Nit, optional: the name. But please fix the leak.")."""
    said = re.split(r"(?<=[.!?:])\s+", paragraph)
    return (_OPTIONAL().search(paragraph) is not None or any(waived(s) for s in said)) \
        and re.search(r"\b(?:please|pls|must|need\s+to|needs\s+to|have\s+to|has\s+to)\b", paragraph, re.I) is None


def _after(lines: list[str]) -> bool:
    """Whether the words right after a tag's line put it under a condition: its paragraph's lines below it (trailers
    aside), or a paragraph below that goes on with its sentence (_GOES_ON), read to their first sentence's end."""
    below = [ln.strip() for ln in lines]
    gap = next((n for n, ln in enumerate(below) if not ln), len(below))
    said = [ln for ln in below[:gap] if not re.match(r"[A-Za-z][\w-]*\s*:\s*\S", ln)]
    if not said and gap < len(below):
        rest = next((n for n in range(gap, len(below)) if below[n]), None)
        said = [below[rest]] if rest is not None and _GOES_ON().match(below[rest]) else []
    first = re.split(r"(?<=[.!?])\s+", " ".join(said))[0] if said else ""
    return bool(first) and _put_so(first)


def _put_so(words: str) -> bool:
    """Whether words after a tag put it under a condition: a condition's words ("once ...", "assuming ..."), or a
    "with" or "after" phrase naming a state still to come ("(with the loop bounded)"; "# with that" names none)."""
    m = _LEAD().match(words)
    return condition_words(words) or (m is not None and not met_already(m.group(1)))
