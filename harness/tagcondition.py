"""Whether a reviewer's Reviewed-by or Acked-by is given under a condition or for something else: "With the loop
bounded, feel free to add:", "If you fix X, you can add my", "For patch 3:", "For v3:", "Reviewed-by: X # for v3". Such
a tag approves a version still to come, not the patch the reviewer NAKed, and lifts no NAK (harness.takenback)."""

from __future__ import annotations

import re

from harness.lazyre import lazy
from harness.nakwords import condition_words, met_already

# Another patch or version named as what the tag is for: "For patch 3:", "For 3/5", "For v3", "On v4, ...".
_OTHER = lazy(r"\b(?:for|on|to)\s+(?:the\s+)?(?:(?:patch(?:es)?\s+)?#?\d+(?:/\d+)?\b|v\d+\b|the\s+next\s+"
              r"(?:version|revision|spin|round))", re.I)
# A "with" or "after" phrase leading the sentence: a state that may be still to come ("With the loop bounded").
_LEAD = lazy(r"^\W*(?:with|after)\s+([^,;:]*)", re.I)
_END = re.compile(r"[.!?]\s*$")


def conditional_tag(own_text: str, key: str, value: str) -> bool:
    """Whether the tag ``key: value`` in a reply's own words is put under a condition or given for another patch or
    version: its own comment ("# for v3"), or the sentence leading into it (the last one before its line, when it ends
    in a colon or no mark at all, or offers the tag: "feel free to add", "you can add my") says so."""
    if "#" in value and _OTHER().search(value.split("#", 1)[1]):
        return True
    lines = own_text.splitlines()
    at = next((n for n, ln in enumerate(lines) if re.match(rf"\s*{re.escape(key)}\s*:", ln, re.I)), None)
    if at is None:
        return False
    before = [ln.strip() for ln in lines[:at] if not re.match(r"\s*[A-Za-z][\w-]*\s*:\s*\S", ln)]  # no trailer
    while before and not before[-1]:
        before.pop()
    start = max((n + 1 for n, ln in enumerate(before) if not ln), default=0)  # the paragraph right above
    sentence = re.split(r"(?<=[.!?])\s+", " ".join(before[start:]))[-1]
    if not sentence or (_END.search(sentence) and not re.search(r"\badd\b", sentence, re.I)):
        return False
    if _OTHER().search(sentence) or condition_words(sentence):
        return True
    m = _LEAD().match(sentence)
    return m is not None and not met_already(m.group(1))
