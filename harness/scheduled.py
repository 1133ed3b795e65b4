"""A maintainer's promise to apply the patch at a time of the release calendar alone ("I'll take it after -rc1.")."""

from __future__ import annotations

import re

from harness.regate import gated

# Why: "I'll pick this up once the merge window is over." was read as the patch held for later (harness.unnameddrop:
# _LATER), blocking as a request to drop; the one applying accepts it and says when, asking nothing of the author. A
# time of anything else still holds it: "once Thomas acks it", "once the prerequisite lands", "later" alone.
_WHEN = (r"(?:(?:the\s+)?(?:next\s+|upcoming\s+|coming\s+|current\s+)?merge\s+window(?:\s+(?:is\s+over|closes|opens|"
         r"ends|has\s+(?:closed|ended|opened)|is\s+(?:closed|open|done)))?|(?:v?\d+\.\d+)?-?rc\d+(?:\s+(?:is\s+out|is\s+"
         r"tagged|is\s+released|comes\s+out|has\s+been\s+(?:tagged|released)|lands))?|v?\d+\.\d+(?:\s+is\s+(?:out|"
         r"released))?|(?:the\s+)?next\s+(?:cycle|release|week|rc)|I['’]m\s+back(?:\s+from\s+\w+)?)")
_PROMISE = (r"(?:I['’]ll|I\s+will|I['’]m\s+going\s+to|we['’]ll|we\s+will|(?:I\s+)?will)\s+(?:(?:only|happily|gladly|"
            r"then|just)\s+)?(?:take|apply|queue|merge|pick(?:\s+up)?)\s+(?:this|it|that|the\s+(?:patch|series))"
            r"(?:\s+one|\s+patch)?(?:\s+up)?")
_SCHEDULED = gated(r"^\W*(?:(?:thanks|thank\s+you|ok|okay|so|sure)[\s,.!]+)*(?:" + _PROMISE
                   + r"\s*,?\s*(?:(?:once|when|after|as\s+soon\s+as|for)\s+)?" + _WHEN
                   + r"|(?:once|when|after|as\s+soon\s+as)\s+" + _WHEN + r"\s*,\s*" + _PROMISE
                   + r")\s*(?:,?\s*(?:thanks|thank\s+you)\b)?\W*$", re.I)


def scheduled(sentence: str) -> bool:
    """Whether ``sentence`` is a promise to apply the patch at a time of the release calendar alone (_SCHEDULED)."""
    return _SCHEDULED().match(sentence) is not None
