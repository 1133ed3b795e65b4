"""The one list of words that judge code, which harness.verdictwords and harness.defectwords both read."""

from __future__ import annotations

import enum


class Use(enum.Flag):
    """Which readers take a judging word."""

    CODE = enum.auto()  # verdictwords.code_judged: "This comment is stale.", "Pointless.", "Stale comment."
    PATCH = enum.auto()  # verdictwords._WRONG, the patch judged as a whole: "This is just broken.", "Fishy."
    FRAGMENT = enum.auto()  # defectwords._FRAGMENT, before what it names: "Stray whitespace.", "Wrong errno."
    NAMED = enum.auto()  # defectwords._BUG_NAMED, before what it names: "Pointless check.", "Dead code here."


_C, _P, _F, _N = Use.CODE, Use.PATCH, Use.FRAGMENT, Use.NAMED
# Each judging adjective (a regex of one word), in the order the readers' alternations list them, and who reads it.
# A word a reader does not take is left out of it on purpose: "Incorrect." judges code, "This is incorrect." said of
# the whole patch is read as _NOT_RIGHT's "not right" is not; "Extra blank line." names a thing, "Extra." nothing.
JUDGING: tuple[tuple[str, Use], ...] = (
    ("wrong", _C | _P | _F), ("incorrect", _C), ("inaccurate", _C), ("broken", _C | _P), ("bogus", _C | _P | _F),
    ("buggy", _C | _P),
    ("stale", _C | _F), ("outdated", _C), (r"out[\s-]of[\s-]date", _C), ("obsolete", _C),
    ("dead", _C | _N), ("unreachable", _C | _N), ("unused", _C | _F), ("useless", _C | _N), ("pointless", _C | _N),
    ("needless", _C | _N), ("unneeded", _C | _F), ("unnecessary", _C | _F), ("superfluous", _C | _F),
    ("redundant", _C | _F), ("extraneous", _C),
    ("misleading", _C | _F), ("confusing", _C), ("meaningless", _C), ("overkill", _C), ("backwards", _C),
    ("inverted", _C), ("nonsense", _C), ("garbage", _C),
    ("stray", _F), ("extra", _F), ("trailing", _F), ("spurious", _F), ("unrelated", _F), ("leftover", _F),
    # Suspect, said of the whole patch: "This looks suspicious.", "Fishy.", "Dodgy."
    ("suspicious", _P), ("fishy", _P), ("dodgy", _P), ("sketchy", _P), ("iffy", _P), ("dubious", _P),
    ("questionable", _P),
)


def judging(use: Use) -> str:
    """The judging words ``use``'s reader takes, as one regex group."""
    return "(?:" + "|".join(word for word, uses in JUDGING if use in uses) + ")"


# A bug of the code claimed with a verb: "leaks", "races", "overflows", "loops forever", "dereferences NULL". Not one
# denied or of the past (each reader's grammar around it); not the verb's word as a noun.
BUG_VERB = (r"(?:(?:leak|race|overflow|underflow|deadlock|truncate|sign-extend|double-free|corrupt|underrun|overrun|"
            r"livelock|clobber)(?:s|es)?|(?:loop|spin|wait|block)s?\s+forever|retr(?:y|ies)\s+forever|"
            r"dereferences?\s+(?:a\s+)?null)(?![\w-])")
# The same verbs in the third person alone, opening a sentence whose subject is left out: "Leaks args on error.";
# not the noun before a verb ("Races are handled by the lock.").
BUG_VERB_S = (r"(?:(?:leak|overflow|underflow|deadlock|corrupt|clobber)s|races|truncates|(?:loop|spin)s\s+forever|"
              r"retries\s+forever)(?![\w-])(?!\s+(?:are|is|were|was|have|has|can|could|may|might|will|would)\b)")

# The code judged against what it replaces: worse, harder to read, subtly different or not equivalent
# (verdictwords.code_judged's _COMPARED). "Better", "cleaner", "simpler" praise it; "no worse" and "not different" (the
# negation before the word) say it is as good.
WORSE = (r"(?:worse|uglier|messier|clunkier|hairier|slower|(?:harder|more\s+difficult)\s+to\s+(?:read|follow|"
         r"understand|parse|review|maintain|reason\s+about|get\s+right)|less\s+(?:readable|legible|clear|obvious|"
         r"maintainable|robust|safe|intuitive|efficient|idiomatic)|more\s+(?:confusing|convoluted|complicated|complex|"
         r"fragile|error[\s-]prone|obscure|cryptic|awkward|contorted|brittle))(?![\w-])")
# A change of behaviour said of a change meant to keep it: "subtly different", "not equivalent", "not quite the same".
DIFFERENT = (r"(?:(?:subtly|slightly|semantically|functionally|behaviou?rally|logically|silently|quietly|actually)\s+"
             r"different|(?:not|no\s+longer)\s+(?:(?:quite|exactly|strictly|really|fully|entirely|semantically|"
             r"functionally|logically)\s+)?(?:equivalent|identical|the\s+same(?=\s+(?:as|thing)\b)))(?![\w-])")
# What the code is compared with, the code it replaces or an earlier revision: "than before", "from the old one".
THAN_OLD = (r"(?:\s+(?:than|from|to|as|with)\s+(?:before(?!\s+(?:this|the|your|it)\b)|(?:the\s+)?(?:old|previous|"
            r"original|existing|former|prior|current|upstream|earlier)(?:\s+[\w%#().-]+){0,2}|it\s+was|"
            r"(?:what|the\s+code)\s+(?:it|this|you|we)\s+(?:replaces?|had|removes?|removed)|v\d+|"
            r"the\s+(?:un)?patched\s+\w+|upstream))?")
