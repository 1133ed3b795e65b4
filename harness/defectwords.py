"""A defect of the patch a reviewer names tersely ("Typo: retires", "Stray whitespace.", "Off-by-one."): a point."""

from __future__ import annotations

import re

from harness.judgingwords import BUG_VERB, BUG_VERB_S, Use, judging
from harness.regate import gated
from harness.requestverbs import ING, VERBS

# Words that open a sentence without changing what it says: "Nit: ...", "Also, ...", "And again, ..." (the terse need
# of harness.askedwords reads them too).
LEAD = (r"^\W*(?:(?:nit|nitpick|minor|also|and|so|but|still|again|IMO|IMHO|FWIW|otherwise|here|hmm+|oh|"
        r"[A-Z][a-z]+,)[\s,:]+)*")
# A defect labelled: "Typo: retires", "Typo in the subject.", "Spelling: s/retires/retries/", "Whitespace damage here."
_LABEL = gated(LEAD + r"(?:typos?|spelling|misspell(?:ed|ing)|grammar|whitespace(?:\s+damage)?|checkpatch|"
               r"indentation|coding\s+style|style\s+nit)\s*(?::\s*\S|\s+(?:in|here|on|at|above|below|again)\b|\s*[.!]?$)",
               re.I)
# A fragment naming an unwanted thing and nothing else: "Stray whitespace.", "Extra blank line here.", "Unrelated
# change.", "Missing a comment here.", "Missing Fixes: tag." (not "Missing the point.").
# Not the sender's own mail sent astray: "Uh, sorry, wrong thread.", "Err, sorry, wrong patch." (a point: round 68).
_FRAGMENT = gated(LEAD + r"(?:(?:(?<!sorry,\s)(?<!sorry\s)|(?!wrong\s+(?:patch|version|revision|series|one)\b))"
                  r"(?!wrong\s+(?:thread|e-?mail|mail|message|reply|recipient)\b)"
                  + judging(Use.FRAGMENT) + r"\s+[\w:()-]+(?:\s+[\w:()-]+)?|"
                  r"missing\s+(?!(?:the\s+)?point\b)[\w:()\"'-]+(?:\s+[\w:()\"'-]+){0,3})"
                  r"(?:\s+(?:here|there|above|below|again))?\s*[.!]?$", re.I)

# A checker or a build named as complaining of the code: "Checkpatch complains.", "coccicheck warns about this.",
# "checkpatch.pl still gives two warnings here.", "W=1 is unhappy.", "There are checkpatch warnings.", "New sparse
# warning." (the first two read as nothing: the gate passed; harness.regressions reads a build's warning as a
# regression first). Not one clean or denied ("Checkpatch is clean.", "checkpatch doesn't complain", "No checkpatch
# warnings.": nothing but an adverb of time stands before the verb), nor one under a condition ("If checkpatch
# complains, ...": the sentence opens with the checker), nor one waved away after it (", but that's a false positive").
_CHECKER = (r"(?:(?:scripts/)?checkpatch(?:\.pl)?|coccicheck|coccinelle|cocci|sparse|smatch|clang-tidy|kernel-doc|"
            r"(?:scripts/)?kernel-doc|objtool|(?:make\s+)?W=\d|(?:make\s+)?C=\d|make\s+htmldocs|gcc|clang|"
            r"the\s+(?:compiler|linker|build))")
_ISSUES = r"(?:warnings?|errors?|complaints?|issues?|splats?|reports?)"
_COMPLAINS = gated(
    LEAD + r"(?:(?:the|my|a|running)\s+)?" + _CHECKER + r"(?:\s+--?[a-z][\w-]*)*(?:\s+(?:run|output|build))?\s+"
    r"(?:(?:still|also|now|again|"
    r"rightfully|correctly|actually)\s+)*(?:complains|warns|moans|whines|barfs|chokes|grumbles|"
    r"(?:is|was)\s+(?:(?:still|also)\s+)?(?:unhappy|complaining|warning|angry)"
    r"|(?:gives|reports|flags|throws|emits|spits\s+out|shows|prints|generates|produces|raises|has)\s+(?:(?:an?|some|"
    r"a\s+few|a\s+couple\s+of|several|many|lots\s+of|new|two|three|\d+)\s+)*(?:new\s+)?" + _ISSUES + r")"
    r"|" + LEAD + r"(?:(?:there\s+(?:are|is)|I\s+(?:get|got|see|saw)|(?:an?|some|new|more|several|many)\s+)\s*)*"
    r"(?:new\s+)?" + _CHECKER + r"\s+" + _ISSUES + r"(?=\s*(?:[.!:]|$|\s+(?:here|there|on|in|for|with|about|again)\b))",
    re.I)
# A checker's complaint waved away after it: "..., but it's a false positive.", "..., which is fine."
_WAVED = gated(r"\b(?:but|though|although|however|false\s+positives?|ignore|ignored|harmless|fine|ok(?:ay)?|expected|"
               r"intended|noise|bogus|spurious|wrong)\b", re.I)

# A nit labelled as one, then the flaw in the sender's own words: "nit: extra blank line in the macro.", "Minor: the
# backslashes don't line up.", "Just a nit, but the name is long.", "(nit) the name is long.", "Small thing: ...". The
# label says the sender wants it changed, whatever the words after it say of the code.
_NIT = gated(r"^\W*(?:(?:just|only|one|a|another|tiny|small|little|minor|super|very|cosmetic|style|some|few|two|"
             r"couple\s+of|of)\s+)*(?:nit(?:pick)?s?|minor(?:\s+(?:thing|point|issue|comment|one|suggestion))?|"
             r"small\s+(?:thing|issue|point|one)|cosmetics?|cosmetically|style(?:-?wise)?|stylistically|typos?)"
             r"(?:\s*[:,)\]–—-]+\s*(?:but\s+)?|\s+but\s+)(?=\w)", re.I)
# What after a label names no flaw, the whole of it: none ("Nit: none from me.", "Nits: nothing else.", "Minor: no
# further comments."), the reader sent below ("A few nits: see below."), an approval ("Style: looks fine.", "Minor:
# otherwise good.", "Nit: the other hunks are fine."), thanks; or, at its start, the sender's own fix-up ("Minor: I'll
# fix it up when applying.") or a waiver ("Minor, so feel free to ignore.": harness.pointwords' _YIELDS reads one
# anywhere in the sentence or the next; docs/rules.md). Not "Nit: nothing checks the return value.", "Nit: no comment
# says why.", "Nit: the name is not good.": each names a flaw.
_END = r"(?:[\s,]+(?:thanks|thank\s+you|cheers))?\s*[.!:]*\s*$"
_NONE_NAMED = (r"(?:none|nothing|n/a|nope)(?:\s+(?:else|more|further|from\s+me|here|really|to\s+add|major|big|serious|"
               r"blocking|important))*" + _END
               + r"|no\s+(?:(?:more|further|other|real|big|actual|strong|additional)\s+)*(?:nits?|comments?|issues?|"
               r"complaints?|objections?|problems?|concerns?|opinions?|changes?|points?|questions?)(?:\s+(?:from\s+me|"
               r"here|really|otherwise|for\s+now|on\s+my\s+side|beyond\s+that))*" + _END
               + r"|see\s+(?:my\s+\w+\s+)?(?:below|inline)\b|(?:below|inline|as\s+follows)\s*[.!:]*\s*$")
_APPROVAL = (r"(?:[^,;:.!?]*?(?:\b(?:is|are|looks?|seems?|reads?|feels?)|['’]s|['’]re)\s+(?:(?!not\b|never\b|no\b)\w+"
             r"\s+)?|(?:otherwise|overall|but|else)[\s,]+)?(?:fine|ok|okay|good|great|correct|sane|reasonable|lgtm)"
             r"(?:\s+(?:as\s+is|to\s+me|otherwise|overall|by\s+me|with\s+me|here|now|then|though|either\s+way|too))*"
             + _END + r"|(?:thanks|thank\s+you)(?:\s+for\b[^,;]*)?" + _END
             + r"|(?:(?:very|really)\s+)?(?:good|great|nice|excellent)\s+(?:catch|work|job|find|idea|point|cleanup)"
             + _END)
_NO_FLAW = gated(rf"(?:{_NONE_NAMED}|{_APPROVAL}|I(?:['’]ll|\s+will|\s+can|\s+could|\s+may)\s+(?:just\s+)?(?:fix|fold|"
                 r"tweak|adjust|change|do|take\s+care)\b|(?:so\s+|but\s+)?(?:feel\s+free|(?:you\s+(?:can|may)\s+)?"
                 r"ignore\s+(?:it|this|that|me)|your\s+call|up\s+to\s+you|optional|take\s+it\s+or\s+leave\s+it)\b)",
                 re.I)


# A bug of the code claimed, its subject the code quoted or left out: "This leaks the buffer.", "Leaks args on error.",
# "This can overflow.", "It races with the loader.", "This loops forever if the loader stays busy.", "You leak args
# here." Not one denied ("This can't overflow.", "It no longer leaks."): nothing but a modal stands before the verb;
# not the past ("It leaked before this patch."), nor the verb's word as a noun ("Races are handled by the lock.").
_BUG_CLAIM = gated(LEAD + r"(?:(?:this|that|it|you)(?:\s+(?:loop|path|call|code|helper|function|one|line|hunk|change))?"
                   r"\s+(?:(?:can|could|may|might|will|would)\s+)?(?:still\s+|also\s+)?" + BUG_VERB
                   + r"|(?:this|that|it)\s+is\s+(?:now\s+|just\s+)?(?:dead|unreachable)\s+code\b|" + BUG_VERB_S
                   # A thing put the wrong way round by the author: "You have the condition inverted.", "You've got
                   # the arguments backwards.", "You've swapped the two checks." (each read as nothing: round 68).
                   + r"|you(?:['’]ve|\s+have)?\s+(?:got\s+)?(?:the|these|those|both|your|its|this|that)\s+"
                   r"(?:[\w()>.-]+\s+){0,3}?"
                   r"(?:inverted|reversed|backwards?|the\s+wrong\s+way\s+(?:round|around)|swapped|mixed\s+up|flipped|"
                   r"upside\s+down)\b|you(?:['’]ve|\s+have)\s+(?:swapped|inverted|reversed|flipped|mixed\s+up)\s+"
                   r"(?:the|these|those|both|two)\b)", re.I)
# A bug named alone, or what is not needed: "Off-by-one.", "Double free.", "Possible NULL deref.", "Unbounded loop.",
# "Pointless check.", "No need for the unlikely()." (not "No need to resend.", "No need for a v3.": no change asked).
# Or said of the code quoted: "That's an off-by-one.", "This is a use-after-free.", "There's a leak here." (each read as
# nothing, READY); not of the past or another's ("This was an off-by-one.", "It is no longer a leak.").
_BUG_NAMED = gated(LEAD + r"(?:(?:this|that|it|there)(?:['’]s|\s+is|\s+looks\s+like|\s+seems\s+like)\s+"
                   r"(?:(?:still|also|clearly|now|just)\s+)?)?(?:(?:possible|potential|likely|obvious|another|an?)\s+){0,2}"
                   r"(?:off[\s-]by[\s-]one|double[\s-]free|use[\s-]after[\s-]free|null(?:[\s-]pointer)?\s+deref(?:erence)?|(?:integer\s+|buffer\s+)?"
                   r"(?:overflow|underflow)|(?:memory\s+|ref(?:count)?\s+)?leak|race(?:\s+condition)?|deadlock|"
                   r"(?:unbounded|infinite|endless)\s+loop|" + judging(Use.NAMED) + r"\s+[\w()-]+)"
                   r"(?:\s+(?:here|there|again|on\s+[\w\s-]+|in\s+[\w\s()-]+))?\s*[.!]?$"
                   r"|" + LEAD + r"no\s+need\s+for\s+(?!(?:an?\s+|the\s+)?(?:resend|respin|re-?post|new\s+(?:version|"
                   r"revision)|v\d+|that|it|this\s+(?:one|patch|series)|thanks|apolog\w*|sorry)\b)"
                   r"(?!(?:this|it|that|them)\s+to\b)\S", re.I)


# A change the author left out, said to them: "You didn't add a Fixes tag.", "You haven't Cc'd the DRM maintainers.",
# "You never free the buffer." (each read as nothing, READY: round 68). Not one granted or asked ("You didn't change
# the ABI, good.", "You didn't drop the check, right?"), nor one the sender need not see done ("You didn't need to").
_LEFT_OUT = gated(LEAD + r"you\s+(?:didn['’]t|did\s+not|haven['’]t|have\s+not|never|still\s+don['’]t|don['’]t)\s+"
                  r"(?:(?:even|actually|really|seem\s+to|appear\s+to)\s+)?(?:(?:" + VERBS
                  + r")\b(?!\s+(?:it|this|that|them)\b)|cc(?:['’]d|['’]?ed)?\b)"
                  r"(?![^.;!?]*\b(?:good|fine|great|nice|right|correct|thanks|ok(?:ay)?|which\s+is|need(?:ed)?\s+to|"
                  r"had\s+to|have\s+to)\b)"
                  # Or missed: "You missed Cc'ing the stable list.", "You forgot adding the check."
                  r"|" + LEAD + r"you(?:['’]ve|\s+have)?\s+(?:missed|forgot(?:ten)?)\s+(?:(?:" + ING
                  + r")\b|cc['’-]?ing\b)"
                  # Two changes said to be one patch: "This is really two patches: the refactor and the fix."
                  r"|" + LEAD + r"(?:this|it|that)(?:\s+(?:patch|commit|change))?\s*(?:is|['’]s)\s+"
                  r"(?:really\s+|actually\s+|clearly\s+|basically\s+)?(?:two|three|several|multiple)\s+"
                  r"(?:separate\s+|different\s+|unrelated\s+)?(?:patches|changes|commits)\b"
                  r"(?![^.;!?]*\b(?:fine|ok(?:ay)?|good|correct|right)\b)"
                  # A trailer the author needs: "You need a Fixes: tag here." (not "You need root to run this.")
                  r"|" + LEAD + r"you\s+(?:still\s+|also\s+)?need\s+(?:a|an|to\s+add\s+(?:a|an))\s+(?:(?:[\w-]+:?\s+)?"
                  r"(?:tag|trailer|sign-?off)|(?:fixes|cc|signed-off-by|reported-by|closes|link|suggested-by|"
                  r"co-developed-by)\b:?)", re.I)


def defect_named(sentence: str) -> bool:
    """Whether ``sentence`` names a defect of the code it answers: a defect labelled (_LABEL), a nit labelled and
    described (_NIT), a fragment naming an unwanted or missing thing (_FRAGMENT), a bug claimed (_BUG_CLAIM) or named
    alone (_BUG_NAMED), a change the author left out (_LEFT_OUT), a checker named as complaining (_COMPLAINS) not
    waved away (_WAVED); not a question (what the code needs or lacks is harness.askedwords' _NEED)."""
    if sentence.rstrip().endswith("?"):
        return False
    if (nit := _NIT().match(sentence)) is not None and not _NO_FLAW().match(sentence, nit.end()):
        return True
    if (said := _COMPLAINS().match(sentence)) is not None and not _WAVED().search(sentence, said.end()):
        return True
    return any(p().match(sentence) for p in (_LABEL, _FRAGMENT, _BUG_CLAIM, _BUG_NAMED, _LEFT_OUT))
