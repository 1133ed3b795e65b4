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


def defect_named(sentence: str) -> bool:
    """Whether ``sentence`` names a defect of the code it answers: what it needs or lacks (_NEEDS), a defect
    labelled (_LABEL), or a fragment naming an unwanted or missing thing (_FRAGMENT); not a question."""
    if sentence.rstrip().endswith("?"):
        return False
    return any(p().match(sentence) for p in (_NEEDS, _LABEL, _FRAGMENT))
