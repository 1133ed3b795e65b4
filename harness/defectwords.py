"""A defect of the patch a reviewer names tersely ("Typo: retires", "Stray whitespace.", "Off-by-one."): a point."""

from __future__ import annotations

import re

from models.lazyre import lazy

# Words that open a sentence without changing what it says: "Nit: ...", "Also, ...", "And again, ..." (the terse need
# of harness.askedwords reads them too).
LEAD = (r"^\W*(?:(?:nit|nitpick|minor|also|and|so|but|still|again|IMO|IMHO|FWIW|otherwise|here|hmm+|oh|"
        r"[A-Z][a-z]+,)[\s,:]+)*")
# A defect labelled: "Typo: retires", "Typo in the subject.", "Spelling: s/retires/retries/", "Whitespace damage here."
_LABEL = lazy(LEAD + r"(?:typos?|spelling|misspell(?:ed|ing)|grammar|whitespace(?:\s+damage)?|checkpatch|"
              r"indentation|coding\s+style|style\s+nit)\s*(?::\s*\S|\s+(?:in|here|on|at|above|below|again)\b|\s*[.!]?$)",
              re.I)
# A fragment naming an unwanted thing and nothing else: "Stray whitespace.", "Extra blank line here.", "Unrelated
# change.", "Missing a comment here.", "Missing Fixes: tag." (not "Missing the point.").
_FRAGMENT = lazy(LEAD + r"(?:(?:stray|extra|trailing|spurious|unrelated|unneeded|unnecessary|superfluous|"
                 r"redundant|unused|leftover|stale|misleading|bogus|wrong)\s+[\w:()-]+(?:\s+[\w:()-]+)?|"
                 r"missing\s+(?!(?:the\s+)?point\b)[\w:()\"'-]+(?:\s+[\w:()\"'-]+){0,3})"
                 r"(?:\s+(?:here|there|above|below|again))?\s*[.!]?$", re.I)


# A bug of the code claimed, its subject the code quoted or left out: "This leaks the buffer.", "Leaks args on error.",
# "This can overflow.", "It races with the loader.", "This loops forever if the loader stays busy.", "You leak args
# here." Not one denied ("This can't overflow.", "It no longer leaks."): nothing but a modal stands before the verb;
# not the past ("It leaked before this patch."), nor the verb's word as a noun ("Races are handled by the lock.").
_BUG_VERB = (r"(?:(?:leak|race|overflow|underflow|deadlock|truncate|sign-extend|double-free|corrupt|underrun|overrun|"
             r"livelock|clobber)(?:s|es)?|(?:loop|spin|wait|block)s?\s+forever|retr(?:y|ies)\s+forever|"
             r"dereferences?\s+(?:a\s+)?null)(?![\w-])")
_BUG_VERB_S = (r"(?:(?:leak|overflow|underflow|deadlock|corrupt|clobber)s|races|truncates|(?:loop|spin)s\s+forever|"
               r"retries\s+forever)(?![\w-])(?!\s+(?:are|is|were|was|have|has|can|could|may|might|will|would)\b)")
_BUG_CLAIM = lazy(LEAD + r"(?:(?:this|that|it|you)(?:\s+(?:loop|path|call|code|helper|function|one|line|hunk|change))?"
                  r"\s+(?:(?:can|could|may|might|will|would)\s+)?(?:still\s+|also\s+)?" + _BUG_VERB
                  + r"|(?:this|that|it)\s+is\s+(?:now\s+|just\s+)?(?:dead|unreachable)\s+code\b|" + _BUG_VERB_S + ")",
                  re.I)
# A bug named alone, or what is not needed: "Off-by-one.", "Double free.", "Possible NULL deref.", "Unbounded loop.",
# "Pointless check.", "No need for the unlikely()." (not "No need to resend.", "No need for a v3.": no change asked).
_BUG_NAMED = lazy(LEAD + r"(?:(?:possible|potential|likely|obvious|another|an?)\s+)?"
                  r"(?:off[\s-]by[\s-]one|double[\s-]free|use[\s-]after[\s-]free|null(?:[\s-]pointer)?\s+deref(?:erence)?|(?:integer\s+|buffer\s+)?"
                  r"(?:overflow|underflow)|(?:memory\s+|ref(?:count)?\s+)?leak|race(?:\s+condition)?|deadlock|"
                  r"(?:unbounded|infinite|endless)\s+loop|(?:pointless|needless|useless|dead|unreachable)\s+[\w()-]+)"
                  r"(?:\s+(?:here|there|again|on\s+[\w\s-]+|in\s+[\w\s()-]+))?\s*[.!]?$"
                  r"|" + LEAD + r"no\s+need\s+for\s+(?!(?:an?\s+|the\s+)?(?:resend|respin|re-?post|new\s+(?:version|"
                  r"revision)|v\d+|that|it|this\s+(?:one|patch|series)|thanks|apolog\w*|sorry)\b)"
                  r"(?!(?:this|it|that|them)\s+to\b)\S", re.I)


def defect_named(sentence: str) -> bool:
    """Whether ``sentence`` names a defect of the code it answers: a defect labelled (_LABEL), a fragment naming an
    unwanted or missing thing (_FRAGMENT), a bug claimed (_BUG_CLAIM) or named alone (_BUG_NAMED); not a question
    (what the code needs or lacks is harness.askedwords' _NEED)."""
    if sentence.rstrip().endswith("?"):
        return False
    return any(p().match(sentence) for p in (_LABEL, _FRAGMENT, _BUG_CLAIM, _BUG_NAMED))
