"""The words of a change asked of a patch: its verbs, a sentence's openers, and the patch's own fate."""

from __future__ import annotations

import re

from harness.regate import gated

# Words that open a sentence without changing what it asks: "Nit: ...", "Also, please ...", "Mae, please ...".
OPENERS = (r"^\W*(?:(?:nit|nitpick|minor|also|and|so|then|but|still|just|again|ideally|IMO|IMHO|honestly|"
           r"otherwise|instead|rather|here|in\s+any\s+case|either\s+way|[A-Z][a-z]+,|"
           # The first of two changes offered: "Either take a reference or free it with kfree_rcu()." (round 68)
           r"either|"
           # The least asked, after a question: "So what if the queue is full? At least return -EBUSY." (round 68)
           r"at\s+(?:the\s+(?:very\s+)?)?(?:least|minimum|a\s+minimum))[\s,:]+)*")
PLEASE_WORD = r"(?:please|pls|kindly)[\s,]+"
LEAD = OPENERS + rf"(?:{PLEASE_WORD})?"
# Verbs of a change to code or a changelog asked in the imperative: "Use %#llx, not 0x%llx.", "Cap the retries at
# 8.", "Print the leaf in hex.", "Don't retry forever.", "Only retry on TDX_RND_NO_ENTROPY.". Not a verb of the
# mail itself ("Please Cc me", "Let me know", "See below"): no change asked of the code.
VERBS = (r"use|print|cap|limit|bound|make|change|move|rename|add|remove|replace|switch|keep|split|avoid|convert|"
         r"return|check|call|fold|squash|document|mention|explain|describe|reword|rephrase|update|fix|handle|"
         r"pass|turn|define|declare|put|retry|stop|log|report|format|write|spell|drop|delete|get\s+rid\s+of|"
         r"restore|reuse|share|factor|pull|open-?code|inline|unify|consolidate|simplify|clean\s+up|bail|warn|"
         r"initiali[sz]e|include|export|hide|expose|leave|restrict|loop|give\s+up|try|test|pick|choose|annotate|"
         r"mark|wrap|unwrap|guard|lock|free|compare|treat|separate|merge|reorder|swap|sort|rework|rewrite|"
         r"shorten|trim|tighten|loosen|defer|postpone|decouple|flip|invert|negate|propagate|plumb|revert|undo|prefer|"
         r"address|increase|decrease|lower|raise|reduce|bump|align|introduce|insert|append|prepend|extend|shrink|"
         r"adjust|tweak|refactor|indent|parenthesi[sz]e|cast|widen|narrow|relax|emit|rearrange|reorganize|"
         r"reorganise|restructure|redesign|collapse|combine|hoist|extract|isolate|relocate|truncate|increment|decrement|seriali[sz]e|"
         r"stringify|saniti[sz]e|dedupe|deduplicate|unroll|memoize|go\s+back\s+to|grab|acquire|allocate|"
         r"preallocate|take\s+a\s+reference|take\s+a\s+ref|take\s+the\s+lock|take\s+the\s+mutex|"
         r"hold\s+the\s+lock")


# What names the patch or the series itself, not code of it: "Keep 2/3.", "Keep it.", "Please drop patch 3.", "Don't
# drop, please." (its fate, which harness.droprequest reads: a "Please drop this." it does not read as the patch's is of
# code it quotes, a change asked), "This must not be merged with patch 3.", "I'd rather not take patch 3." (how it is
# applied), "Please keep me on Cc." (who the mail goes to). Not code to change.
FATE = gated(r"\b(?:keep|drop|remove|revert|delete)\b(?:\s*[,.!?]|\s*$|\s+(?:the\s+|this\s+|that\s+)?"
             r"(?:patch(?:es)?|series|commit|posting|v\d+)\b|\s+#?\d+(?:/\d+)?\b)"
             r"|\b(?:keep|drop|remove|add|carry|collect|keeping|dropping|removing|adding|carrying|collecting)\s+"
             r"(?:my|his|her|their|the|your|our)\s+(?:[\w-]+-by|acks?|tags?|r-?bs?|review)\b"
             r"|\bkeep\s+(?:it|this|that|them|these|both)\b(?!\s+(?:in|as|at|to|under|out|away|from|local|static|before|"
             r"after|above|below|where|inside|outside|around|until|while|across|between|instead|together)\b)"
             # Its object the patch, or none: "Applied, thanks.", "I'll take it through tip.", "Queued for 6.20.";
             # not "This should take the count as a parameter.", "Please merge the two loops." (a change asked).
             # Not a lock "still taken", "taken twice" (code's: "... the lock is still taken twice, which deadlocks.").
             # Not a patch that fails to apply: "Your patch is whitespace-damaged, it doesn't apply." (READY, round 69)
             r"|\b(?:merg(?:e|ed|ing)|(?<!doesn['’]t\s)(?<!does\snot\s)(?<!didn['’]t\s)(?<!no\slonger\s)appl(?:y|ied|ying)|(?<!\bis\s)(?<!\bare\s)(?<!\bstill\s)tak(?:e|en|ing)"
             r"(?!\s+(?:twice|again|too\s+early|too\s+late|(?:with|under)\s+\w+\s+held)\b)|pick(?:ed)?\s+up|"
             # A noun after an article or a flaw's adjective is no verb of a fate: "the queue spinlock", "the
             # out-of-bounds read", "a lockless read" (each sentence read as a fate and its flaw lost: round 68).
             r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bits\s)queu(?:e|ed|ing)|"
             r"rout(?:e|ed|ing)|backport(?:ed)?|(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bits\s)(?<!bounds\s)(?<!\boob\s)"
             r"(?<!\blockless\s)(?<!\bracy\s)(?<!\btorn\s)(?<!\bstale\s)(?<!\bdouble\s)(?<!\bunlocked\s)read"
             # Nor memory the code reads: "..., otherwise you read past the end of the array." (READY: round 69)
             r"(?!s?\s+(?:past|beyond|off\s+the\s+end|out\s+of\s+bounds|outside|uninitiali[sz]ed|garbage|freed)\b)|"
             r"seen|considered|sent|resen[dt]|land(?:s|ed|ing)?|"
             r"go(?:es)?\s+(?:in|into|through|via|upstream))\b"
             r"(?!\s+(?!(?:it|this|that|them|these|those|both|all|v\d+|patch(?:es)?|series|\d+(?:/\d+)?|up|in|into|to|"
             r"for|through|via|as|now|later|once|after|with|upstream|the\s+(?:patch(?:es)?|series|set|fix|rest|first|"
             r"whole|lot)|(?:my|your|the)\s+(?:tree|branch))\b)(?:the|a|an|two|both|each|every|only|just|\w+_\w*|\w+\(\))\b)"
             # Who the mail goes to, said of the sender or done ("Please Cc me.", "Cc'ing netdev.", "Cc: x86"); not
             # a Cc asked of the author ("Please Cc the x86 maintainers.", "You forgot to Cc netdev.", "... and Cc
             # everyone it lists.": each read as nothing, READY, round 68).
             r"|\b(?:keep|put|add|leave)\s+(?:me|us)\b|\bcc\s+(?:me|us|myself)\b|(?<!\bplease\s)(?<!\bpls\s)"
             r"(?<!\bkindly\s)(?<!\bto\s)(?<!\band\s)(?<!n['’]t\s)(?<!\bnot\s)(?<!\bshould\s)(?<!\bmust\s)(?<!please\salso\s)(?<!missed\s)(?<!forgot\s)"
             r"\bcc\b(?!:?\s*<?stable\b)"
             r"(?!\s+(?!me\b|us\b)[^.;!?]*\b(?:please|pls)\b)"
             # The sender's own objection dropped: "Drop my NAK.", "Please drop my comment." (a withdrawal).
             r"|\b(?:drop|remove|ignore|disregard|forget|scratch)\s+(?:my|our)\s+(?:(?:earlier|previous|last|"
             r"above)\s+)?(?:na?c?ks?|objections?|concerns?|comments?|nits?|points?|suggestions?|requests?)\b", re.I)


def gerunds(verbs: str) -> str:
    """The gerunds of the alternatives of ``verbs`` (each a verb's regex, its first word the verb): "use" "using",
    "free" "freeing", "cap" "capp?ing", "get\\s+rid\\s+of" "gett?ing\\s+rid\\s+of"."""
    out = []
    for alt in verbs.split("|"):
        word, sep, rest = alt.partition("\\s+")
        stem = word + "ing" if word.endswith(("ee", "y", "o")) else word[:-1] + "ing" if word.endswith("e") \
            else f"{word}{word[-1]}?ing"
        out.append(stem + sep + rest)
    return "|".join(out)


ING = gerunds(VERBS)
