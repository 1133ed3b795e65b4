"""A thing a reviewer says is not needed, which asks to drop it only where the patch adds it or the reply quotes it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from harness.model import Patch, Reply
from harness.replywords import sentences
from models.lazyre import lazy

# Why: "No check is needed here.", "Good point about READ_ONCE(), but it is not needed here since we hold the lock.",
# "As for the smp_mb() Jane proposed: not needed here, we already hold the lock." each blocked as a review point
# (round 70: a virtue denied, harness.concernwords). A thing not needed is a change asked only when the patch adds it
# ("> +\tx = READ_ONCE(y);" then "READ_ONCE() is not needed here."): none added, the sender says nothing is missing, or
# answers another's suggestion of it, which asks the author nothing. Not "This check ..." or "it" alone: the code
# quoted, always the patch's.
_LEAD = r"^\W*(?:(?:ok(?:ay)?|right|hmm+|ah|oh|so|also|fwiw|and|but|then|agreed|true)[\s,.!]+)*"
# The thing: a name of C ("READ_ONCE()", "smp_mb()") or a noun of up to three words ("the barrier", "NULL check").
_THING = r"(?P<x{}>[A-Za-z_][\w>-]*\(\)|(?:[\w-]+\s+){{0,2}}?[\w-]+)"
_NOT_NEEDED = (r"(?:is|are|['’]s)?\s*(?:not|n['’]t)\s+(?:really\s+|strictly\s+|actually\s+)?(?:needed|required|"
               r"necessary)")
# What it answers, another's suggestion: "Good point about X", "Re Jane's suggestion of adding X", "As for the X Jane
# proposed", "I see why Dan suggested an extra X".
_ANSWERED = (r"(?:(?:good|fair|valid|nice)\s+(?:point|catch|question|idea|thought)\s+(?:about|on|re|regarding|wrt|"
             r"with)\s+(?:the\s+|an?\s+)?" + _THING.format(1)
             + r"|(?:re|as\s+for|as\s+to|regarding|wrt)\s+(?:[A-Z]\w+['’]s\s+|the\s+)?(?:suggestion|idea|proposal)\s+"
             r"(?:of|to)\s+(?:add(?:ing)?\s+|us(?:e|ing)\s+)?(?:an?\s+|the\s+)?" + _THING.format(2)
             + r"|(?:re|as\s+for|as\s+to|regarding|wrt)\s+(?:the\s+)?" + _THING.format(3)
             + r"(?:\s+(?:[A-Z]\w+|you|someone|others?)\s+(?:proposed|suggested|mentioned|asked\s+for))?"
             r"|I\s+see\s+why\s+(?:[A-Z]\w+|you|someone)\s+suggested\s+(?:an?\s+|the\s+)?(?:extra\s+|additional\s+)?"
             + _THING.format(4) + r")\s*(?:[,;:-]\s*|\s+)(?:but\s+)?(?:(?:it|that|this|they|one)(?:\s+|(?=['’])))?"
             + _NOT_NEEDED)
# None of it needed: "No check is needed here.", "No extra locking is needed here."; or it named, not needed:
# "READ_ONCE() is not needed here." (not "This check is not needed": the code quoted); no need for it.
_NONE = (r"no\s+(?:extra\s+|additional\s+|further\s+|explicit\s+|separate\s+|other\s+|new\s+)?" + _THING.format(5)
         + r"\s+(?:is|are)\s+(?:really\s+|strictly\s+|actually\s+)?(?:needed|required|necessary)"
         + r"|(?!(?:this|that|these|those|it|they)\b)(?:the\s+)?" + _THING.format(6) + r"\s+" + _NOT_NEEDED
         # "No need for a barrier here, the lock orders it."
         + r"|no\s+need\s+for\s+(?:an?\s+|any\s+)?(?:extra\s+|additional\s+|explicit\s+|separate\s+)?"
         + _THING.format(7))
_UNNEEDED = lazy(_LEAD + r"(?:" + _ANSWERED + r"|" + _NONE + r")\s*(?:here|there|then|for\s+this|in\s+this\s+(?:path|"
                 r"case|function))?(?P<why>(?:\s*[,;:.-]\s*|\s+)(?:since|because|as|given\s+that)?[^?]*|\W*)$", re.I)
# The reason saying the patch adds it: the thing is the patch's whatever the code read shows.
_ADDED_SAID = lazy(r"\b(?:add(?:s|ed|ing)?|introduc(?:es|ed|ing)|you\s+put)\b", re.I)
_STOP = frozenset(("the", "a", "an", "extra", "additional", "explicit", "further", "separate", "other", "new", "any",
                   "of", "adding", "using", "real"))
# A noun reviewers write for code by what it is: a check is an early test (not any "if": a loop's condition), a
# barrier any of the kernel's.
_KINDS = {
    "check": r"\bif\s*\(\s*(?:!|unlikely\s*\(\s*!|IS_ERR|[\w>.-]+\s*[=!]=\s*NULL)|\b(?:WARN|BUG)_ON\w*\s*\(|\bIS_ERR",
    "null": r"\bNULL\b|\bif\s*\(\s*!",
    "barrier": r"\bbarrier\s*\(|\b(?:smp_|virt_|dma_)?[rw]?mb\s*\(|_ONCE\s*\(|\bsmp_(?:load_acquire|store_release)",
    "locking": r"lock",
    "assert": r"assert|lockdep",
}
_KIND_OF = {"checks": "check", "test": "check", "tests": "check", "barriers": "barrier", "lock": "locking",
            "locks": "locking", "mutex": "locking", "spinlock": "locking", "assertion": "assert"}


def unneeded_thing(sentence: str, makes_point: Callable[[str], bool]) -> str | None:
    """The thing ``sentence`` says, all of it, is not needed (_UNNEEDED), its reason after it making no point of its
    own (``makes_point``: "No check is needed here, but please add a comment." makes one); None when it says none."""
    m = _UNNEEDED().match(sentence.strip())
    if m is None:
        return None
    why = m.group("why").strip(" ,;:.-")
    if why and (makes_point(why) or _ADDED_SAID().search(why)):
        return None  # "..., but please add a comment.", "... and the patch adds it in a hot path."
    return next(v for k, v in m.groupdict().items() if k.startswith("x") and v)


def added_in(thing: str, code: Iterable[str]) -> bool:
    """Whether ``thing`` (unneeded_thing's) is in ``code``, the patch's added lines and the code the reply quotes: a
    word of it or the code its noun names (_KINDS). A thing of no word read is taken as added: its point stands."""
    words = [w.lower().removesuffix("()") for w in re.findall(r"[\w>-]+(?:\(\))?", thing)]
    words = [w for w in words if w not in _STOP]
    if not words:
        return True
    text = "\n".join(code)
    for w in words:
        kind = _KIND_OF.get(w, w)
        pattern = _KINDS.get(kind, r"(?<!\w)" + re.escape(w) + r"(?!\w)")
        if re.search(pattern, text, re.I):
            return True
    return False


def needed_point(words: str, code: list[str], point_sentence: Callable[[str], str | None]) -> str | None:
    """``point_sentence`` of ``words`` (harness.pointwords'), past a sentence saying a thing is not needed
    (unneeded_thing) that is not in ``code`` (code_seen): it asks nothing to change; the words after it are read."""
    said = point_sentence(words)
    while said is not None and (thing := unneeded_thing(said, lambda w: point_sentence(w) is not None)) is not None \
            and not added_in(thing, code):
        rest = sentences(words)
        rest = rest[rest.index(said) + 1:] if said in rest else []
        said = point_sentence("\n\n".join(rest)) if rest else None
    return said


def code_seen(r: Reply, head: Patch) -> list[str]:
    """The lines ``head`` adds and those ``r`` quotes: where a thing said not needed is the patch's."""
    added = [ln[1:] for ln in head.diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return [*added, *(ln for q in r.quotes for ln in q.lines)]
