"""Patches a maintainer says they applied by number ("Applied patches 1 and 3."), and "the rest" of them by number."""

from __future__ import annotations

import re

from harness.regate import gated
from harness.replywords import NAMED_NUMBERS, NUMBERS, listed_numbers, sentences
from harness.requestgrammar import request_in
from models.lazyre import lazy

# Applied, the verb first: "Applied 1-3", "I've applied 1/3 and 3/3", "queued patches 1 and 2", "picked up #1 and #3".
# The list ends at its clause's end, or a word that says where, when or how ("to tip", "(2 conflicts)", "yesterday"):
# "Applied 1-3, 4 needs work" applied 1-3, not "1-3, 4"; never inside a list that goes on to its "and" ("Applied 1, 3
# and 5 of v1" is not "Applied 1"). The revision it names, if any ("of v1", "from version 2", "in v3": group rev; "of
# this series", "of 3" are the one the reply is below): applied_listed reads another's as none of this revision's.
# "Picked 1 and 3.", "Pulled 1 and 3." and a promise to take some, "I'll apply 1 and 3." (each read as nothing: 2/3
# passed the gate).
# The progressive too, "Taking 1 and 3 for now." (read as nothing: the gate passed 2/3).
_VERB = (r"(?:(?:re-?)?(?:applied|queued|picked\s+up|picked(?!\s+(?:on|at|apart|out)\b)|merged|took|taken|pushed|"
         r"pulled(?:\s+in)?|(?:taking|applying|queu(?:e)?ing|merging)(?:\s+(?:only|just))?)"
         r"|(?:I['’]ll|I\s+will|I['’]m\s+going\s+to|let\s+me)\s+(?:(?:happily|gladly|just|now)\s+)?"
         r"(?:take|apply|queue|pick\s+up|merge|pull(?:\s+in)?))")
_ONE = r"#?\d+(?:/\d+)?"
COUNTS = {w: n for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                      "eleven", "twelve"), start=1)}
# A series' count in words, read as one in digits ("out of three" read as nothing before, and the gate passed what
# "Applied the first two out of three." left out).
COUNT_WORDS = "|".join(COUNTS)
NUMBER_OR_WORD = rf"(?:\d{{1,3}}|{COUNT_WORDS})"


def count_of(said: str) -> int:
    """A count said in digits or in words ('3', 'Three') as a number (a word of COUNTS)."""
    return int(said) if said.isdigit() else COUNTS[said.lower()]
_OF = (r"(?:\s+(?:of|from|in)\s+(?:(?:v|version\s+)(?P<rev>\d+)\b|(?:this|the|your)\s+(?:whole\s+)?"
       r"(?:series|set|patch\s*set|patch\s+series|posting|version|revision|thread)\b)"
       rf"|\s+(?:out\s+)?of\s+(?P<the>the\s+)?(?P<count>\d+|{COUNT_WORDS})(?P<noun>\s+patches)?(?![\w/]))?")  # "of 3"
# A count in words of how many of how many ("Applied two of the three patches.": read as nothing, the gate passed).
VERB_FIRST = gated(rf"\b{_VERB}\s+(?:(?:only|just)\s+)?(?:the\s+)?(?:patch(?:es)?\s+{NUMBERS}|{NUMBERS}|"
                  rf"(?P<words>{COUNT_WORDS})(?=\s+(?:out\s+)?of\s))(?![\w/'’]){_OF}"
                  r"(?!\s+(?:of|from|in)\s+v\d)(?=\s*(?:[.!;,:()]|$|\b(?:again|to|into|in|for|on|thanks|as\s+well|too|"
                  r"only|"
                  r"also|now|yesterday|today|earlier|already|both|here|upstream|with|via|through|after|just|last|this|"
                  r"and(?!\s+(?:patch(?:es)?\s+)?#?\d))\b))",
                  re.I)
# A list VERB_FIRST ended at a comma that goes on to its "and": "Applied 1, 3 and 5 over the weekend." ended at "1,"
# (what follows "5" ends no list). Not when a verb follows, which makes it a clause of its own: "Applied 1-3, 4 and 5
# need work."
_LIST_ON = lazy(rf"\s*,\s*((?:(?:{_ONE}\s*,\s*)*{_ONE}\s*,?\s*)?(?:and|&)\s+(?:patch\s+)?{_ONE})(?![\w/'’])"
                r"(?!\s+(?:still\s+)?(?:need|needs|are|is|were|was|have|has|had|do|does|did|don['’]t|doesn['’]t|"
                r"can|could|should|must|will|would|look|looks|seem|seems|go|goes|conflicts?|breaks?|fails?|"
                rf"requires?|I|we)\b){_OF}", re.I)


_COUNTED = lazy(r"\d/(\d+)")


def counts_more(listed: str, total: int, said: str | None = None) -> bool:
    """Whether a list of patch numbers in the series' form ("1/5 and 3/5") or the count said after it (``said``: "5"
    or "five" of "of 5") counts more patches than a series of ``total`` has (0: not known): another series' or
    revision's numbers, none of this one's ("Applied 1 and 3 of 5." below 3 patches held 2 back)."""
    counts = [int(n) for n in _COUNTED().findall(listed)] + ([count_of(said)] if said else [])
    return total > 0 and any(n > total for n in counts)


def counts_other(listed: str, total: int) -> bool:
    """Whether a list of patch numbers in the series' form ("3/5") counts another total than a series of ``total``
    has (0: not known). Read where the list would say a patch is applied after all: "Applied 3/5 as well." below a
    3-patch series lifted what held 3/3 back (the gate passed it); a count short of the series' may be a b4
    thank-you renumbering part of it, read as this one's only where it holds patches back (the lesser error)."""
    return total > 0 and any(int(n) != total for n in _COUNTED().findall(listed))


def applied_by(m: re.Match[str], text: str) -> tuple[tuple[int, ...], int | None]:
    """The numbers a VERB_FIRST match ``m`` of ``text`` says were applied, its list read on past a comma to its "and"
    (_LIST_ON), and the revision it names as theirs (None: none named, or "of this series")."""
    numbers = listed_numbers(next(g for g in m.groups() if g))
    if (every := _all_counted(m)) is not None:
        return every, None
    if some_counted(m) is not None:
        return (), None  # how many, not which: none named applied (held_note says which are unknown)
    on = _LIST_ON().match(text, m.end()) if m.group("rev") is None else None
    if on is None:
        return numbers, int(m.group("rev")) if m.group("rev") else None
    return (*numbers, *listed_numbers(on.group(1))), int(on.group("rev")) if on.group("rev") else None


def _all_counted(m: re.Match[str]) -> tuple[int, ...] | None:
    """Every patch, 1 to N, when a VERB_FIRST match ``m`` counts them all rather than naming one: a bare number then
    "of (the) N patches" or "of the N", the same N ("Applied 3 of 3 patches." read as patch 3 alone held 1 and 2
    back); None else ("Applied patch 3 of 3.", "Applied 3 of 3." name patch 3/3)."""
    counted = _counted(m)
    return tuple(range(1, counted[1] + 1)) if counted is not None and counted[0] == counted[1] else None


def some_counted(m: re.Match[str]) -> tuple[int, int] | None:
    """How many patches of how many a VERB_FIRST match ``m`` counts applied when it counts fewer than all ("Applied 2
    of 3 patches.", "Queued 2 of the 3.": (2, 3)), not which: read as patch 2 applied, 1/3 and 3/3 were named as the
    ones left out. None else."""
    counted = _counted(m)
    return counted if counted is not None and counted[0] < counted[1] else None


def _counted(m: re.Match[str]) -> tuple[int, int] | None:
    """The bare number and the count of a VERB_FIRST match ``m`` that counts patches ("3 of (the) 3 patches", "2 of
    the 3"); None when it names a patch ("patch 3 of 3", "3 of 3") or says no count."""
    count, listed, words = m.group("count"), next(g for g in m.groups() if g), m.group("words")
    if count is None or not (m.group("noun") or m.group("the") or words) or not (listed.strip().isdigit() or words) \
            or m.group(1):
        return None  # group 1: the list after "patch"
    return count_of(listed.strip()), count_of(count)


def _counted_on(m: re.Match[str], sentence: str, total: int) -> bool:
    """Whether the list a VERB_FIRST match ``m`` of ``sentence`` begins goes on past a comma to a count larger than a
    series of ``total`` ("Applied 1, 3 and 5 of 5."; _LIST_ON)."""
    on = _LIST_ON().match(sentence, m.end()) if VERB_FIRST().found(m) and m.group("rev") is None else None
    return on is not None and counts_more(on.group(0), total, on.group("count"))


# The list first, the clause's subject: "Patches 1 and 3 applied, thanks.", "1 and 3 are queued now.", "4 was already
# applied by Ingo" (applied, by another: _BY_ANOTHER).
_SUBJECT_FIRST = gated(rf"(?:^\W*|(?<=[,;:])\s*|\b(?:and|but|while)\s+)(?:the\s+)?"
                       rf"(?:patch(?:es)?\s+{NUMBERS}|{NUMBERS})"
                       r"\s+(?:(?:are|were|was|is|have\s+been|has\s+been|got|now|already|also|both|all)\s+)*"
                       r"(?:re-?)?(?:applied|queued|merged|picked\s+up|pushed|taken|pulled(?:\s+in)?)\b", re.I)
# The patches taken named alone, no verb, as the one applying answers: "Just 1 and 3 for now, thanks.", "Only patches 1
# and 3 this time." (read as nothing: the gate passed 2/3). The whole sentence: "Only 1 and 3 need work." is none.
_ONLY = gated(rf"^\W*(?:(?:ok|okay|so|thanks|then)[\s,!.]+)*(?:just|only)\s+(?:the\s+)?(?:patch(?:es)?\s+{NUMBERS}|"
              rf"{NUMBERS})(?![\w/'’])(?:\s+(?:for\s+now|this\s+time|this\s+round|(?:for\s+)?this\s+cycle|then))*"
              r"(?:\s*[,;]\s*(?:thanks|thank\s+you|thx|sorry))?[\s.!]*$", re.I)
# Not the sender's applying: another's ("Ingo applied 1 and 3", "4 was already applied by Ingo", "... applied
# already"). Their numbers are applied all the same: not held back.
# An adverb is no one: "I only applied 1/3.", "Only applied patch 1." (read as another's applying: the gate passed 2/3).
_ANOTHER = lazy(r"(?<![\w'’])(?!(?:I|we|and|so|then|now|also|thanks|ok|okay|just|already|only|finally|actually|"
                r"eventually|simply|even|still|therefore|hence|thus|first|anyway|instead)\b)[A-Za-z][\w'’-]*\s+"
                r"(?:(?:has|have|had|already|just|also|since)\s+)*$", re.I)
_BY_ANOTHER = lazy(r"\s+(?:\w+\s+)?(?:by|via|through)\s+(?!(?:me|us)\b)\w|\s+already\b", re.I)


def applied_listed(text: str, own: int | None = None, total: int = 0) -> tuple[tuple[int, ...], str] | None:
    """The patch numbers a reply's own words say were applied by number (VERB_FIRST, _SUBJECT_FIRST), as
    drop_sentence reads a request (no negation, condition or question), with the first sentence in which its sender
    says they applied some; None when its sender says of none that they applied it. Numbers another applied ("4 was
    already applied by Ingo") are among those returned, but alone they return None: the rest were not the sender's
    to apply. ``own``: the revision the reply is below; a list naming another ("Applied 1 and 3 of v1.", or any
    revision when ``own`` is None), or counting more patches than the ``total`` of this one ("Applied 1 and 3 of 5.",
    "Applied 1/5 and 3/5." below 3 patches; 0: not known), is none of this one's."""
    if not re.search(rf"\d|\b(?:{COUNT_WORDS})\b", text, re.I) \
            or not re.search(r"appl|queu|merg|pick|took|tak|push|pull|just|only", text, re.I):
        return None  # most replies: no patch applied by number
    applied: list[int] = []
    said = None
    for sentence in sentences(text):
        for pattern in (VERB_FIRST(), _SUBJECT_FIRST(), _ONLY()):
            for m in pattern.finditer(sentence):
                if request_in(sentence[:m.end()], pattern) is None or _put_on_condition(sentence[:m.start()], m):
                    continue  # negated, a condition or a question
                numbers, rev = applied_by(m, sentence) if pattern is VERB_FIRST() else \
                    (listed_numbers(next(g for g in m.groups() if g)), None)
                if rev is not None and rev != own:
                    continue  # another revision's patches
                if counts_more(m.group(0), total, m.groupdict().get("count")) or _counted_on(m, sentence, total):
                    continue  # another series' (or revision's) count
                applied += numbers
                other = _BY_ANOTHER().match(sentence, m.end()) if pattern is _SUBJECT_FIRST() else \
                    _ANOTHER().search(sentence, 0, m.start())
                said = said or (sentence if other is None else None)
    return (tuple(sorted(set(applied))), said) if said is not None else None


# A clause opening the sentence that puts the applying on a condition: "If Thomas agrees, I'll apply 1 and 3.",
# "Provided the tests pass, applied 1 and 3." (each held 2 back as left out of what was applied: a condition met later,
# or never, applies nothing yet and says nothing of 2). "When", "once", "after" only before a promise ("Once Thomas
# acks, I'll queue 1 and 3."): "When I got back, I applied 1 and 3." applied them.
_IF = r"if|iff|unless|provided(?:\s+that)?|providing|assuming|in\s+case|as\s+long\s+as"
_IF_LATER = lazy(rf"(?:^|[,;:]\s*|\b(?:and|but|so)\s+)\W*(?:(?:{_IF})|(?:when|whenever|once|after|as\s+soon\s+as|"
                 r"before))\b[^;:]*,\s*(?:then\s+)?$", re.I)
_IF_NOW = lazy(rf"(?:^|[,;:]\s*|\b(?:and|but|so)\s+)\W*(?:{_IF})\b[^;:]*,\s*(?:then\s+)?$", re.I)
_PROMISE = lazy(r"(?:I['’]ll|I\s+will|I['’]m\s+going|let\s+me)\b", re.I)


def _put_on_condition(head: str, m: re.Match[str]) -> bool:
    """Whether the words ``head`` before an applying ``m`` open its sentence with a condition it is put on (_IF_LATER
    for a promise, "I'll apply", _IF_NOW for any)."""
    return (_IF_LATER() if _PROMISE().match(m.group(0)) else _IF_NOW()).search(head) is not None


# The patches not named so far: "the rest (of the series)", "the remaining (two) (patches)", "the others", "the other
# two (patches)". Followed by the end of the phrase or what is said of them ("the rest need work"), never a noun
# ("the rest of the loop", "the other hunks").
_NUMBER = NUMBER_OR_WORD
_REST = gated(rf"\bthe\s+(?:rest(?:\s+of\s+(?:the|this|your)\s+(?:series|set|patch\s*set|patches))?"
              rf"|remaining(?:\s+(?P<count>{_NUMBER}))?(?:\s+(?:patch(?:es)?|ones))?"
              rf"|others|other\s+(?:(?P<other>{_NUMBER})\s+)?(?:patch(?:es)?|ones)|other\s+(?P<alone>{_NUMBER}))"
              r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:need|needs|are|is|were|was|look|looks|have|has|had|do|does|don['’]t|"
              r"doesn['’]t|can|could|should|must|will|would|with|to|into|in|for|on|and|but|as|too|also|still|go|"
              r"went|I|we)\b)", re.I)


# All the series but patches named: "all but patch 3", "everything except 1/3 and 2/3" ("the last" made a number first:
# harness.ordinalnames).
_ALL_BUT = gated(rf"\b(?:all(?:\s+(?:the\s+)?patches)?|everything|the\s+(?:whole\s+)?series)\s+"
                 r"(?:but|except(?:\s+for)?)"
                 rf"\s+(?:the\s+)?(?:patch(?:es)?\s+{NUMBERS}|{NUMBERS})(?![\w/'’])", re.I)


def rest_as_numbers(text: str, total: int) -> str:
    """``text`` with each "the rest" of a series of ``total`` patches made the patches it names by number ("Applied
    patch 1, the rest needs more work." with 3: "Applied patch 1, patch 2 and patch 3 needs more work."): those the
    text names by number before it (NAMED_NUMBERS, VERB_FIRST), and "all but patch 3" made the others. Left as written
    when none is named before it, or the count it says ("the remaining two") is not how many are left."""
    if total < 2 or not re.search(r"\d", text):
        return text
    text = _ALL_BUT().sub(lambda m: _others(m, total), text) if re.search(r"but|except", text, re.I) else text
    if "the" not in text.lower():
        return text
    out, at = [], 0
    for m in _REST().finditer(text):
        before = text[:m.start()]
        named = {n for f in NAMED_NUMBERS().finditer(before) for n in listed_numbers(next(g for g in f.groups() if g))}
        named |= {n for f in VERB_FIRST().finditer(before) for n in applied_by(f, before)[0]}
        rest = [n for n in range(1, total + 1) if n not in named]
        said = m.group("count") or m.group("other") or m.group("alone")
        count = None if said is None else count_of(said)
        if not named or not rest or (count is not None and count != len(rest)):
            continue
        out += [text[at:m.start()], _listed(rest)]
        at = m.end()
    return "".join([*out, text[at:]])


def _others(m: re.Match[str], total: int) -> str:
    """The patches "all but N" names: the others of ``total``, as written when N is past the end or is all of them."""
    named = set(listed_numbers(next(g for g in m.groups() if g)))
    rest = [n for n in range(1, total + 1) if n not in named]
    return m.group() if not rest or max(named) > total else _listed(rest)


def _listed(numbers: list[int]) -> str:
    """Patch numbers as a reply naming them is read: "patch 2", "patch 2 and patch 3" (a list droprequest reads whole
    after a verb's own "patch 1 and": "Dropped patch 1 and patch 2 and patch 3")."""
    return " and ".join(f"patch {n}" for n in numbers)
