"""A defect of the patch a reviewer names tersely ("This needs a comment.", "Typo: retires"): a review point."""

from __future__ import annotations

import re

from models.lazyre import lazy

# Words that open a sentence without changing what it says: "Nit: ...", "Also, ...", "And again, ...".
_LEAD = (r"^\W*(?:(?:nit|nitpick|minor|also|and|so|but|still|again|IMO|IMHO|FWIW|otherwise|here|hmm+|oh|"
         r"[A-Z][a-z]+,)[\s,:]+)*")
_THIS = r"(?:this|that|it|these|those)(?:\s+(?:one|hunk|line|loop|function|helper|message|change|bit|part|call))?"
_ADV = r"(?:(?:still|also|really|probably|definitely|certainly|clearly|then)\s+)*"
# Words after "to be" that say no change: a view ("It needs to be fine.") or the patch's fate ("That wants to be
# reviewed by Thomas.").
_NOT_ASKED = (r"(?:fine|ok|okay|safe|good|enough|correct|right|reviewed|acked|tested|merged|applied|taken|queued|"
              r"picked|looked|discussed|decided)")
# What the code lacks, asked as what it needs or wants, its subject the code quoted or left out: "This needs a
# comment.", "This wants to be hex.", "Needs a Fixes: tag.", "It deserves a comment.", "This lacks a comment.", "This
# wants a WARN_ON_ONCE()." Not another's review or tag asked for ("This needs an ack from Thomas."), nor nothing
# needed ("This needs no change."), nor more work or a respin (harness.heldback's: "This needs more work.").
_NEEDS = lazy(
    _LEAD + rf"(?:{_THIS}\s+)?{_ADV}(?:(?:wants?\s+to\s+be|needs?\s+to\s+be)\s+(?!{_NOT_ASKED}\b)(?:in\s+)?"
    r"(?:hex|decimal|signed|unsigned|static|const|inline|local|global|atomic|%[#\w]+|[\w-]+_[\w-]+|an?\s)|"
    r"(?:needs?|wants?|deserves?|lacks?|misses|is\s+missing|are\s+missing)\s+"
    r"(?!(?:an?\s+|some\s+|more\s+|the\s+|your\s+)?(?:acks?|review(?:s|ing)?|reviewed-by|acked-by|tested-by|r-?b|"
    r"sign-?offs?|signed-off-by|look|eyes|approval|maintainer|tag)\b)"
    r"(?!(?:no|nothing|not|anything)\b)"
    # More work or another revision is harness.heldback's (a request to drop, or unread beside praise of the patch).
    r"(?!(?:some\s+|a\s+(?:bit|lot)\s+(?:of\s+)?|much\s+)?(?:more\s+)?(?:work|another\s+(?:revision|version|spin|round|"
    r"look)|a\s+(?:re-?spin|rewrite|rework|redo|new\s+version))\b)"
    r"(?:a\b|an\b|some\b|more\b|its\b|the\b|proper\b|better\b|[\w-]+ing\b|[\w-]+(?:[:()]|_\w)))"
    # "The Fixes: tag is missing.", "The comment is still missing here."
    r"|^\W*the\s+[\w:()-]+(?:\s+[\w:()-]+)?\s+(?:is|are)\s+(?:still\s+)?missing(?:\s+(?:here|again))?\s*[.!]?$", re.I)
# A defect labelled: "Typo: retires", "Typo in the subject.", "Spelling: s/retires/retries/", "Whitespace damage here."
_LABEL = lazy(_LEAD + r"(?:typos?|spelling|misspell(?:ed|ing)|grammar|whitespace(?:\s+damage)?|checkpatch|"
              r"indentation|coding\s+style|style\s+nit)\s*(?::\s*\S|\s+(?:in|here|on|at|above|below|again)\b|\s*[.!]?$)",
              re.I)
# A fragment naming an unwanted thing and nothing else: "Stray whitespace.", "Extra blank line here.", "Unrelated
# change.", "Missing a comment here.", "Missing Fixes: tag." (not "Missing the point.").
_FRAGMENT = lazy(_LEAD + r"(?:(?:stray|extra|trailing|spurious|unrelated|unneeded|unnecessary|superfluous|"
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
_BUG_CLAIM = lazy(_LEAD + r"(?:(?:this|that|it|you)(?:\s+(?:loop|path|call|code|helper|function|one|line|hunk|change))?"
                  r"\s+(?:(?:can|could|may|might|will|would)\s+)?(?:still\s+|also\s+)?" + _BUG_VERB
                  + r"|(?:this|that|it)\s+is\s+(?:now\s+|just\s+)?(?:dead|unreachable)\s+code\b|" + _BUG_VERB_S + ")",
                  re.I)
# A bug named alone, or what is not needed: "Off-by-one.", "Double free.", "Possible NULL deref.", "Unbounded loop.",
# "Pointless check.", "No need for the unlikely()." (not "No need to resend.", "No need for a v3.": no change asked).
_BUG_NAMED = lazy(_LEAD + r"(?:(?:possible|potential|likely|obvious|another|an?)\s+)?"
                  r"(?:off[\s-]by[\s-]one|double[\s-]free|use[\s-]after[\s-]free|null(?:[\s-]pointer)?\s+deref(?:erence)?|(?:integer\s+|buffer\s+)?"
                  r"(?:overflow|underflow)|(?:memory\s+|ref(?:count)?\s+)?leak|race(?:\s+condition)?|deadlock|"
                  r"(?:unbounded|infinite|endless)\s+loop|(?:pointless|needless|useless|dead|unreachable)\s+[\w()-]+)"
                  r"(?:\s+(?:here|there|again|on\s+[\w\s-]+|in\s+[\w\s()-]+))?\s*[.!]?$"
                  r"|" + _LEAD + r"no\s+need\s+for\s+(?!(?:an?\s+|the\s+)?(?:resend|respin|re-?post|new\s+(?:version|"
                  r"revision)|v\d+|that|it|this\s+(?:one|patch|series)|thanks|apolog\w*|sorry)\b)"
                  r"(?!(?:this|it|that|them)\s+to\b)\S", re.I)


def defect_named(sentence: str) -> bool:
    """Whether ``sentence`` names a defect of the code it answers: what it needs or lacks (_NEEDS), a defect
    labelled (_LABEL), a fragment naming an unwanted or missing thing (_FRAGMENT), a bug claimed (_BUG_CLAIM) or named
    alone (_BUG_NAMED); not a question."""
    if sentence.rstrip().endswith("?"):
        return False
    return any(p().match(sentence) for p in (_NEEDS, _LABEL, _FRAGMENT, _BUG_CLAIM, _BUG_NAMED))
