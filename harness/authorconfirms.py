"""The patch's author confirming a reported breakage in their own words ("Yes, I can reproduce, will fix in v4.")."""

from __future__ import annotations

import re

from harness.droprequest import request_in
from harness.replywords import sentences
from models.lazyre import lazy

# A reviewer's report that the revision breaks something may be in words seamharness does not read as one ("Hmm, my
# SPR box is unhappy with v2: an oops in tdx_init()."); its author's answer "Yes, I can reproduce, will fix in v4." says
# the revision judged is broken in words of the author's own, and was read as nothing (v2 READY, exit 0). A
# confirmation is the author's affirmative word that they reproduce or see it: "I can reproduce", "Reproduced here.",
# "Confirmed, it hangs on my box too.", "I see the same oops here." Not negated ("I can't reproduce it"), not a
# condition ("If I can reproduce it, ...") nor a question; only in a reply to another's message telling of a failure
# (_FAILURE_WORDS): "I can confirm the loop is bounded" to a question is none.
_OBJECT = (r"(?:\s+(?:it|this|that|the\s+(?:same\s+)?(?:[\w-]+\s+)?(?:hang|crash|oops|panic|issue|problem|bug|failure|"
           r"breakage|regression|splat|warning|report)s?))?"
           r"(?=\s*(?:[.!;,:]|$|\b(?:here|too|as\s+well|also|on|with|locally|now|easily|reliably|every|thanks)\b))")
_CONFIRMS = lazy(r"(?:^|[,;:]\s*|\b(?:yes|yeah|yep|right|indeed|ouch|oops|ugh|argh|ok|okay|thanks|sorry|and|so)\b"
                 r"[\s,.!]*)"
                 r"(?:(?:(?:I|we)\s+(?:can|could|was\s+able\s+to|were\s+able\s+to|managed\s+to)\s+(?:now\s+)?"
                 r"(?:reproduce|repro|confirm|trigger|hit|see)"
                 r"|(?:(?:I|we)\s+)?(?:(?:have|['’]ve)\s+)?(?:reproduced|confirmed|repro['’]?d))" + _OBJECT +
                 r"|(?:I|we)\s+(?:see|get|hit)\s+(?:it|this|that|the\s+same(?:\s+\w+)?)\s+(?:too|as\s+well|here|also)\b"
                 r"|(?:my\s+(?:bad|mistake|fault)|good\s+catch)[,.;!\s]+(?:it|this|that|the\s+patch|v\d+)\s+"
                 r"(?:does\s+)?(?:break|breaks|broke|hangs|crashes|oopses|panics)\b)", re.I)
# The author's later word that the patch is not what broke it: "Reproduced, but it was my stale config."
_NOT_THE_PATCH = lazy(r"\b(?:false\s+(?:alarm|positive)|not\s+(?:caused\s+by|related\s+to|due\s+to)\s+"
                      r"(?:this|the|my)\s+(?:patch|series|change)|(?:is\s+)?not\s+(?:this|the|my)\s+(?:patch|series|change)['’]?s?\s+fault"
                      r"|(?:was|is)\s+(?:a\s+|my\s+|your\s+)?(?:stale|bad|broken|local|old)\s+(?:build|config|tree|kernel|"
                      r"firmware|bios))\b", re.I)
# A word every match of _CONFIRMS holds.
_CONFIRM_WORDS = ("repro", "confirm", " see ", " get ", " hit ", "trigger", "my bad", "my mistake", "my fault",
                  "good catch")
# What a report of a failure holds (harness.regressions' verbs and nouns): the message the confirmation answers.
_FAILURE_WORDS = lazy(r"\b(?:break\w*|broke\w*|regress\w*|hang\w*|hung|crash\w*|panic\w*|oops\w*|splat\w*|"
                      r"lock(?:s|ed)?[\s-]?up|deadlock\w*|reboot\w*|triple[\s-]faults?|warn\w*|bug\w*|fail\w*|"
                      r"null\s+pointer|use-after-free|leak\w*|corrupt\w*|(?:doesn['’]t|does\s+not|won['’]t|no\s+longer)\s+"
                      r"boot)\b", re.I)


def confirmed_breakage(own: str, answered: str) -> str | None:
    """The sentence of the author's own words ``own`` confirming the failure the message they answer tells of (its
    own words ``answered``, in a sentence that is no question; _CONFIRMS, _FAILURE_WORDS), read as droprequest reads a
    request (no negation, condition or question); None when there is none, when ``answered`` tells of no failure, or
    when the author says later in ``own`` that the patch is not what broke it (_NOT_THE_PATCH: "Reproduced, but it
    was my stale config.")."""
    low = f" {own.lower()} "
    if own.isascii() and not any(w in low for w in _CONFIRM_WORDS):
        return None  # most answers: nothing compiled, nothing split
    if not any(_FAILURE_WORDS().search(s) and not s.endswith("?") for s in sentences(answered)):
        return None  # "Does this hang if the module stays busy?" asks; "I can confirm that." answers no report
    for n, sentence in enumerate(told := sentences(own)):
        if request_in(sentence, _CONFIRMS(), False) is not None:
            return None if any(_NOT_THE_PATCH().search(s) for s in told[n:]) else sentence
    return None
