"""A flaw of the patch a reviewer states in plain words, told by the words of concern it holds, not by its shape."""

from __future__ import annotations

import re

from harness.deedwords import deed_stated, denied_before
from harness.disowned import disowned_end, failure_owned, intended
from harness.fixedbugwords import _EXPLAINS, _LASTED, _LIVED, _MET, _MY_LIST
from harness.kerneldefects import KERNEL_FLAW
from harness.regate import gated
from harness.requestverbs import VERBS
from harness.settledwords import settled
from harness.shapewords import ABILITY, shape_stated, tense_free
from harness.unmetwords import condition_unmet, flaw_if
from models.lazyre import lazy

# Why a lexicon: the sentence forms of harness.pointwords, askedwords, defectwords and verdictwords each read one
# shape, and a reviewer's plain statement of a flaw in another shape was read as nothing, the gate READY: "The lock is
# dropped too early.", "This will spam dmesg.", "The error code gets lost.", "Nobody checks the return value.",
# "pr_warn, not pr_err.", "%llx -> %#llx" (of 105 such sentences written for round 65, 46 passed). A flaw is told by
# its words whatever the shape: a word of a flaw not denied, a virtue denied, a comparison or a correction.
# What it leaves alone: questions (harness.questionwords reads them), conditions ("If this breaks boot, we revert
# it.": pointwords' rule, a condition asks nothing), the flaw the patch fixes ("This fixes a leak."), the old code's
# or another time's ("It was racy before.", "I reverted it and it still crashes."), the sender's own ("Wrong patch,
# sorry."), a flaw conceded ("Redundant, but harmless.") and an assent ("Right, not needed then.").

# Words of a flaw of the code. Not "breaks" ("breaks out of the loop", "breaks up the helper") nor "hangs" ("It
# hangs with the old firmware."): harness.regressions reads the failures a tester reports.
_FLAW = (r"wrong(?:ly)?|broken|bogus|buggy|racy|races?|racing|leak(?:s|ed|ing)?|lost|los(?:e|es|ing)|"
         # A thing released twice: "The caller frees the buffer twice.", "The refcount is now dropped twice."
         r"(?:freed|dropped|released|unlocked|decremented|put)\s+twice|"
         r"(?:frees|drops|releases|unlocks|decrements|puts)\s+(?:(?:the|its|a|this|that)\s+)?[\w>.-]+\s+twice|"
         r"swallow(?:s|ed|ing)?|ignor(?:ed|es)|misleading|confusing|inconsistent|contradict(?:s|ed|ory)?|mismatch(?:es)?|"
         r"bad|worse|ugly|terse|noisy|spam(?:s|my|ming)?|flood(?:s|ed|ing)?|useless|pointless|needless|unnecessary|unneeded|redundant|"
         r"superfluous|overkill|forbidden|illegal|"
         # A time-of-check race: "There's a window between the check and the use where ..."
         r"(?<=there['’]s\sa\s)(?:small\s+|tiny\s+|narrow\s+|short\s+)?(?:race\s+)?window|"
         r"(?<=there\sis\sa\s)(?:small\s+|tiny\s+|narrow\s+|short\s+)?(?:race\s+)?window|"
         # A call or a doing judged a no-go: "... so mutex_lock() is a no-go." (not "This is a no-go.": a drop asked,
         # harness.droprequest's)
         r"(?:\w+\(\)|\w+ing\s+(?:[\w()>.-]+\s+){0,5}?)\s*(?:is|are)\s+a\s+no[\s-]go|over-?engineered|overly|convoluted|complexity|hacky|fragile|unsafe|unbalanced|"
         r"double[\s-](?:unlock|lock|free|put|get|release|init|count|fetch|print|log|report)(?:s|ed|ing)?|"
         r"missing|lacks?|lacking|forgot(?:ten)?|forgets|regression|regress(?:es|ed)?|splat|oops(?:es|ed)|"
         r"crash(?:es|ed)?|deadlocks?|livelocks?|off[\s-]by[\s-]one|overflows?|underflows?|infinite|"
         r"forever|unbounded|unlimited|indistinguishable|stale|incorrect|invalid|inaccurate|unclear|obscure|excessive|subtly|silently|"
         r"open[\s-]?cod(?:ed|ing|es)|duplicat(?:ed|es|ion)|complains?|problem(?:s|atic)?|issues?|bugs?|unrelated|"
         r"harder|less\s+(?:readable|clear|obvious)|more\s+(?:difficult|confusing|fragile)|step\s+back(?:wards?)?|"
         r"papers?\s+over|mix(?:es|ing)\s+(?:a|an|two|the|functional|unrelated|\w+\s+(?:and|with))|dubious|"
         r"questionable|suspicious|fishy|dodgy|iffy|sketchy|meaningless|vague|shadow(?:s|ed|ing)|"
         r"truncat(?:es|ed|ing)|reintroduc(?:es|ed|ing)|hard\s+to\s+(?:follow|read|understand|review|debug|grep|"
         r"maintain)|chang(?:es|ing)\s+(?:the\s+)?(?:abi|uapi|user[\s-]?(?:space|visible)\w*)|"
         # A claim it cannot work, a resource never given back, a state left undefined (READY, h701): "This cannot
         # possibly work on 32-bit.", "..., the sigstruct page is never freed.", "the CPU is left in an undefined state"
         r"(?:can(?:not|['’]t|\s+not)|will\s+never|can\s+never)\s+(?:possibly\s+|ever\s+|really\s+)?work|"
         r"(?:is|are|gets?)\s+never\s+(?:freed|released|unlocked|unmapped|put|dropped|destroyed|restored|reset|cleared|"
         r"undone|rolled\s+back)(?!\s+(?:by\s+design|on\s+purpose|intentionally|deliberately))|undefined\s+(?:state|behaviou?r)|(?:left|stays?|remains?)\s+(?:in\s+)?(?:an?\s+)?"
         r"(?:inconsistent|unknown|half[\s-]\w+|broken|bad)\s+state|"
         # Input judged the wrong way: "this rejects valid blobs." (READY, h701)
         r"reject(?:s|ed|ing)?\s+(?:perfectly\s+)?(?:valid|legitimate|legal|correct)|"
         r"accept(?:s|ed|ing)?\s+(?:invalid|bogus|malformed|corrupt(?:ed)?|truncated)")
# Not the flaw itself: "Races are handled by the lock.", "Overflow checking is done in the caller.", "missing the
# point", "with the wrong leaf" (a condition), "I expected worse", "This patch regressed nothing".
# A check or handling of a flaw named by a noun is no flaw ("race checking", "overflow checks", "leak detection"); one
# named by an adjective is ("This adds a racy check.", "The wrong check is used.": READY before).
_NOUN_END = "|".join(rf"(?<=\b{w})" for w in (
    "race", "races", "leak", "leaks", "overflow", "overflows", "underflow", "underflows", "deadlock", "deadlocks",
    "livelock", "livelocks", "crash", "crashes", "bug", "bugs", "issue", "issues", "problem", "problems", "regression",
    "splat", "oops", "mismatch", "mismatches", "duplication", "one", "free", "unlock", "lock", "put", "get", "release",
    "init", "count", "fetch", "uaf", "deref", "dereference"))
_FLAW_NOT = (rf"(?!(?:{_NOUN_END})\s+(?:check(?:s|ing)?|handling|detection|protection)\b)"
             r"(?!\s+(?:are|is)\s+(?:handled|checked|covered|done|prevented|avoided|impossible|not\s+possible)\b)"
             r"(?!\s+(?:the|my|your)\s+point\b)(?!(?:\s+\w+)?\s+(?:nothing|none)\b)"
             # Said not to be there: "The leak is not there.", "The race isn't real." (not "..., but it is in v3").
             r"(?!\s+(?:is|are)(?:n['’]t|\s+not)\s+(?:really\s+|actually\s+)?(?:there|present|real|possible|reachable|"
             r"an?\s+(?:real\s+)?(?:issue|problem|concern))\b(?![^.;!?]*\bbut\b))"
             # A case the code meets, not a part it lacks: "-ENOENT for a missing module" (not "the missing module
             # check").
             r"(?!(?<=missing)\s+(?:modules?|loaders?|firmware|devices?|files?|entr(?:y|ies)|drivers?|features?|"
             r"keys?|nodes?|tables?|leaf|leaves|bios|cpus?|hardware)\b(?!\s+(?:checks?|tests?|handling|paths?|puts?|"
             r"gets?|locks?|unlocks?|frees?|cases?)\b))")
_ANY_FLAW = f"{_FLAW}|{KERNEL_FLAW}"
_FLAW_SAID = gated(rf"(?<!\bexpected\s)(?<!\bfeared\s)(?<!\bwith\sthe\s)(?<!\bgiven\sthe\s)(?<!\bon\sthe\s)"
                   rf"\b(?:{_ANY_FLAW})\b{_FLAW_NOT}", re.I)
# A negator, then up to three words of its clause, then the word it denies: "I don't think this is racy", "No leaks
# here" deny a flaw, "not needed" a virtue. Not "No, it works now." (an answer), "not right now".
_NEGATOR = r"(?:\w*n['’]t|not|no|never|nobody|nothing|without|no\s+longer|neither|nor|hardly|barely|cannot)"
# A turn ends the negator's reach: "The deadlock no longer happens but the leak is still there." denies no leak; nor
# does a negator reach the second of a pair: "This is not slow but racy.", "not only ugly but racy" deny neither.
_DENIED = (r"\b{neg}(?![\w'’])(?!\s*[,.;:!])(?:[^\w,;:.!?]+(?!(?:but|yet|though|although|however|whereas|instead|"
           r"rather|only|just)\b)\w+){{0,3}}?[^\w,;:.!?]+(?:{word})\b")
# A belief denied, or a doubt, reaches its whole clause: "I don't think the locking is broken.", "I doubt the new
# path is racy." (the flaw blocked as stated); not over a "not" of its own ("I'm not sure this doesn't deadlock."
# suspects one).
_BELIEF_DENIED = (r"\b(?:(?:do\s+not|don['’]t)\s+(?:really\s+)?(?:think|believe)|doubt)(?![\w'’])(?!\s*[,.;:!])"
                  r"(?:[^\w,;:.!?]+(?!(?:but|yet|though|although|however|whereas|instead|rather|only|just|not|no|never)\b)"
                  r"(?!\w+n['’]t\b)\w+){{0,6}}?[^\w,;:.!?]+(?:{word})\b")
_FLAW_DENIED = gated(_DENIED.format(neg=_NEGATOR, word=f"{_FLAW}|{KERNEL_FLAW}") + "|"
                     + _BELIEF_DENIED.format(word=f"{_FLAW}|{KERNEL_FLAW}"), re.I)
# A virtue of the code, denied by any negator: "not needed", "no benefit", "not a pure code move", "not safe", "no
# upper bound"; not "No need for a v3." nor "No thanks needed." (harness.defectwords reads "No need for this cast.").
# "Good" as a merit of the code: "This way is not good." (READY, h701), not the sender's ("not good at naming").
_VIRTUE = (r"needed|necessary|need\s+to\s+be|safe|allowed|permitted|correct|bounded|capped|limited(?!\s+to\b)|"
           r"irq[\s-]?safe|nmi[\s-]?safe|re-?entrant|idempotent|(?<!\bnothing\s)good(?!\s+(?:reason|at(?!\s+all)|position|place|time|news|with|for\s+(?:me|us))\b)(?!,\s*not\s+bad)|"
           r"right(?!\s+(?:now|away|after|before|here|there|then)\b)|"
           r"clear|pure|benefit|consistent|obvious|accurate|justified|justification|rationale|explanation|"
           r"reason\s+to\s+(?!resend|respin|repost|worry|wait|apologi|rush|hurry)|(?:the\s+)?(?:right|correct)\s+"
           r"(?!(?:now|away|after|before|here|"
           r"there|then)\b)\w+|(?:what|how)\s+(?:we|the|it|you|this|that|a|an)\b")
_VIRTUE_DENIED = gated(_DENIED.format(neg=_NEGATOR, word=_VIRTUE), re.I)
# A bound or a guard the code lacks: "There's no upper bound on the retries.", "Retries without a limit." (not "I
# don't think you should bound the loop.": a view against a change).
# So is an ordering or a check: "No memory barrier between the flag write and the wakeup." (READY, round 69).
_NO_LIMIT = lazy(r"\b(?:no|without)\s+(?:an?\s+|any\s+)?(?:upper\s+|hard\s+|sane\s+)?(?:bound|limit|cap|timeout|"
                 r"locking|lock|exit|way\s+out|escape|(?:memory\s+|compiler\s+|write\s+|read\s+)?barriers?|"
                 r"(?:bounds?\s+|length\s+|size\s+|range\s+|null\s+|error\s+)?checks?|validation)\b"
                 r"(?!\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:needed|necessary|required|wanted)\b)", re.I)
# A virtue the code does not do, by a verb's own negation, its subject not the sender: "The error path doesn't
# unlock.", "The changelog doesn't explain why.", "This doesn't look right.", "The comment no longer matches the
# code.", "This name doesn't say what it does." (not "We won't apply it on SPR."). Not "doesn't build/boot/work":
# harness.regressions reads those, and places them (below a reviewer's proposal they judge the proposal).
_VERB_DENIED = gated(r"(?<!\bI\s)(?<!\bwe\s)(?<!\bI['’]m\s)\b(?:\w+n['’]t|does\s+not|do\s+not|did\s+not|no\s+longer|"
                     r"never|cannot|can\s+not)\s+(?:really\s+|actually\s+|even\s+|always\s+|quite\s+)?"
                     r"(?:(?:unlock|check|handle|free|release|restore|reset|clear|explain|match|mention|document|"
                     r"belong)(?:e?s|ed)?\b|"
                     r"(?:says?|tells?)\s+(?:what|why|how|when|which)\b|makes?\s+sense\b|"
                     # "The loop never gives up.", "This never terminates.", "The caller never sees the error."
                     r"(?:gives?\s+up|terminates?|ends?|exits?|finish(?:es)?|completes?|times?\s+out|bails?(?:\s+out)?|"
                     r"breaks?\s+out|stops?(?!\s+(?:us|me|you|anyone|anybody|people|them)\b))\b|"
                     r"returns?(?=\s*(?:[.;!]|$))|(?:sees?|notices?|learns?\s+(?:of|about)|hears?\s+(?:of|about))\s+"
                     r"(?:the\s+|an?\s+|any\s+|that\s+)?(?:\w+\s+)?(?:errors?|failures?|status|result|return\s+value|"
                     r"problem|warning)\b|"
                     r"(?:looks?|seems?)\s+(?:right|correct|safe|good|ok)\b)", re.I)
# "I don't see why this is needed." (not "I don't see why this can't go in.")
_SEE_WHY = gated(r"\b(?:don['’]t|do\s+not|can['’]t|cannot|fail\s+to)\s+(?:really\s+)?(?:see|understand)\s+(?:why|how|"
                 r"the\s+point|what)\b(?![^,;.]*\b(?:can['’]t|cannot|not|shouldn['’]t)\b)", re.I)
# "Nobody checks the return value.", "Nothing frees args." (not "Nothing else.", "Nothing to add.", "Nothing looks
# wrong to me.": a flaw denied).
_NOBODY = gated(r"\b(?:nobody|no\s+one|nothing)\s+(?:(?:ever|really|actually|still|then|now)\s+)?"
                r"(?:recovers?(?!\s+from)|cleans?\s+up|undoes|rolls?\s+back|checks?|reads?|calls?|uses?|frees?|handles?|sets?|clears?|tests?|unlocks?|releases?|restores?|"
                r"resets?|guarantees?|prevents?|stops?|sees?|notices?|can\s+read|will\s+read|will\s+notice|looks?\s+at)\b",
                re.I)
# A comparison that prefers other code: "This would be simpler with scoped_guard().", "This could be simplified.",
# "Probably better to drop the retry.", "The lock is dropped too early.", "Overly complicated."; not an approval
# ("This reads better now.", "v3 is better than v2").
_COMPARE = gated(r"\b(?:would|could|might|'d|’d)\s+(?:be\s+)?(?:(?:much|a\s+lot|far|a\s+bit|slightly)\s+)?"
                 r"(?:better|simpler|cleaner|nicer|clearer|easier|shorter|safer|simplified|cleaned\s+up|improved|"
                 r"tightened|shortened|reworded|streamlined)\b"
                 # Also after a turn, a way conceded first: "udelay() if you must, but better restructure.", "...,
                 # but it's better to move this to the worker." (round 68: READY).
                 r"|(?:^\W*|[,;]\s*but\s+)(?:(?:probably|maybe|perhaps|possibly|imo|imho|fwiw)[\s,]+)*"
                 r"(?:(?:it['’]?s|it\s+is|it\s+would\s+be)\s+)?(?:(?:much|far|way)\s+)?"
                 r"(?:better|simpler|cleaner|safer|easier)\s+(?:to\s+\w+|(?:just\s+)?(?:" + VERBS + r")\b)"
                 # "too" as "also" is no comparison: "I've hit this too on my test box.", "Same here too with v3."
                 r"|\btoo\s+(?!much\s+(?:for|to)\b|bad\b|late\s+for\b|happy\b|(?:on|in|at|with|here|there|when|"
                 r"after|before|since|while|so|and|but|then|now|by|from|under|over|during|for\s+(?:me|us))\b)\w+"
                 r"|\bover-\w+", re.I)
# The old code preferred: "The old name was better." (before _NOT_THIS, which reads "was" as the past's flaw).
_OLD_BETTER = gated(r"\b(?:old|original|previous|earlier|existing)\b[\w\s]{0,30}\b(?:was|were|is|are|reads?|looks?)\s+"
                    r"(?:much\s+|a\s+lot\s+|far\s+)?(?:better|simpler|cleaner|nicer|clearer|easier|safer)\b", re.I)
# What a code name says is enough: "IMHO pr_warn is enough here." (not "This is good enough.")
_ENOUGH = gated(r"^\W*(?:(?:imo|imho|fwiw|i\s+think|honestly)[\s,]+)*(?:an?\s+)?(?:(?:plain|simple|single)\s+)?"
                r"(?:\w+\(\)|\w+_\w+|u\d+|s\d+|int|long|"
                r"hex|decimal)\s+(?:is|would\s+be|should\s+be)\s+(?:enough|sufficient|plenty)\b", re.I)
# A correction: "pr_warn, not pr_err.", "%llx -> %#llx", "u32 => u64".
_CORRECTION = lazy(r"^\W*[\w%#().*-]+\s*(?:,\s*not|->|=>|→)\s*[\w%#().*-]+\W*$", re.I)
# The sender's "not this" points elsewhere: "Not this one, the next one has the bug."
_NOT_HERE = lazy(r"^\W*not\s+(?:this|that|here|in\s+this)\b", re.I)
# Where it should be: "This belongs in tdx.h.", "This hunk belongs in the previous patch.", "Wrong place."
_PLACE = lazy(r"\bbelongs?\s+(?:in|into|to|with)\b|\bshould\s+(?:live|sit|be\s+moved)\b|\bwrong\s+place\b", re.I)
# What the sender would do: "I'd print the leaf in hex." (not "I'd say it's fine.", "I'd like to thank you.", "I'd
# have NAKed this if ...": harness.askedwords reads a wish).
_WOULD_DO = gated(r"^\W*(?:(?:personally|honestly|imo|imho|fwiw|also)[\s,]+)*I(?:['’]d|\s+would)\s+(?:just\s+|rather\s+"
                  r"|probably\s+|still\s+)?(?!(?:say|guess|think|imagine|assume|hope|be|love|like|appreciate|"
                  r"prefer|want|need|agree|argue|suggest|take|apply|ack|nak|nack|queue|pick|merge|have|not|never|"
                  r"rather|wait|defer|leave|let|welcome|recommend)\b)(?!expect\s+(?:this|it|that|so|no|nothing)\b)"
                  r"(?!go\s+(?:ahead|for\s+it)\b)[a-z]+\b"
                  # Agreeing, not another way: "Personally I'd do the same.", "I'd write it that way too."
                  r"(?!\s+(?:the\s+same|likewise|so|exactly\s+(?:the\s+same|this|that)|(?:it|this|that)\s+"
                  r"(?:the\s+same\s+way|this\s+way|that\s+way|too|as\s+well))\b)", re.I)
# An objection or a preference for other code: "I object to the loop rewrite.", "Strongly disagree with the loop
# change.", "I don't like the do/while.", "I liked the old loop better.", "'tries_left' is a better name.", "-EBUSY
# fits better.", "Worth a comment.", "Ideally this would warn once.", "left can be unsigned.", "Suggest renaming it.",
# "The caller is the right place for this.", "tdx_sc_checked() is not the place for this.", "The loop should stay."
# (not "I don't agree with Dave's concern.": another's objection disagreed with).
# Another person disagreed with, not the code: "I disagree with Dave.", "I don't agree with him." (a name: capital).
_OTHER = r"(?-i:[A-Z])[a-z]+\b(?!\s+(?:change|loop|patch|rewrite|version))|him\b|her\b|them\b"
# Whom or what a disagreement is with that is not the code: another person, or their NAK, objection or point.
_WITH_OTHER = (r"(?!\s+(?:with\s+)?(?:" + _OTHER + r"|(?:the|that|this|his|her|their|your|\w+['’]s)\s+(?:\w+\s+)?"
               r"(?:nak|nack|objection|concern|point|comment|review|feedback|suggestion|worry)))")
# An objection or a disagreement is with the code when its object is a part of it, a number or a code name: "I object
# to the loop rewrite.", "Strongly disagree with the loop change.", "I don't agree with the 16."; not with a person,
# what is above, or a NAK ("I disagree: the loader does run out of entropy.", "I disagree with the above.").
_CODE_OBJECT = (r"(?:the|this|that|your)\s+(?:new\s+|old\s+)?(?:\w+[\s/-])?(?:change|loop|rewrite|approach|rename|move|"
                r"cast|format|retry|retries|hunk|code|design|direction|condition|bound|macro|helper|name|naming|"
                r"do/while|\d+)\b|\d+\b|\w+\(\)|\w+_\w+")
_PREFERENCE = gated(r"\bI\s+(?:(?:strongly|still|really|do)\s+)?(?:object\s+to|disagree\s+with)\s+(?:"
                    + _CODE_OBJECT + ")"
                    r"|^\W*(?:(?:strongly|respectfully)\s+)?disagree\s+with\s+(?:" + _CODE_OBJECT + ")"
                    r"|\b(?:don['’]t|do\s+not)\s+(?:really\s+)?agree\s+with\s+(?:" + _CODE_OBJECT + ")"
                    r"|\b(?:don['’]t|do\s+not)\s+(?:really\s+)?like\b" + _WITH_OTHER
                    # Not of the code it replaces: "I'm not a fan of the old code either, so this is welcome."
                    + r"|\bnot\s+(?:(?:really|much\s+of|exactly)\s+)?(?:a\s+)?(?:big\s+|huge\s+|great\s+)?fan\b"
                    r"(?!\s+of\s+(?:the\s+)?(?:old|original|previous|existing|earlier|former|current)\b)"
                    r"|\bnot\s+convinced\b(?=[^,;.]*\b(?:needed|necessary|right|correct|better|an\s+improvement|worth|should|"
                    r"need|helps?|safe)\b)|\b(?:liked|prefer(?:red)?)\s+the\s+(?:old|original|previous|earlier)\b"
                    r"|\b(?:is|was|would\s+be|sounds\s+like)\s+(?:a\s+)?(?:much\s+)?better\s+(?:name|choice|fit|option|"
                    r"approach|place|way|errno|type)\b|\bfits?\s+better\b|\bI\s+find\b.*\b(?:easier|clearer|simpler|"
                    r"nicer|more\s+readable)\b|\b(?:worth|deserves?)\s+(?:a|an|some)\s+(?:comment|note|mention|"
                    r"explanation|warn\w*|assert\w*|check|test|helper|line)\b|^\W*worth\s+\w+ing\b|^\W*ideally\b"
                    r"|\bought\s+to\b(?!\s+be\s+(?:fine|ok|okay|enough|safe)\b)|^\W*(?:I\s+)?suggest(?:ing)?\s+\w+ing\b"
                    r"|\bcan\s+be\s+(?:unsigned|signed|static|const|inline|u\d+|s\d+|bool|__\w+|simplified|made\s+\w+)\b"
                    r"|^\W*(?!this\b|here\b|it\b|that\b)(?:the\s+)?[\w()]+\s+is\s+the\s+(?:right|better|proper|correct)\s+"
                    r"(?:place|layer|level|spot)\b|\bnot\s+the\s+(?:right\s+|best\s+|proper\s+)?(?:place|layer|level|spot)\b"
                    r"|\b(?:should|must)\s+(?:stay|remain)\b|\b(?:two|several|multiple)\s+(?:\w+\s+)?changes\s+in\s+one\b"
                    r"|\bnone\s+of\s+(?:the|its|our|their)\s+\w+\s+(?:handles?|checks?|frees?|unlocks?|uses?|expects?)\b",
                    re.I)
# The sender wonders whether it should be: "I wonder if we should retry at all."
_WONDER = lazy(r"\bI\s+(?:do\s+)?wonder\s+(?:if|whether|why)\b", re.I)
# Another says otherwise, or it exists already: "The TDX module spec says otherwise.", "There is already a helper."
_OTHERWISE = gated(r"\b(?:says?|said|states?|documents?|requires?)\s+otherwise\b|\b(?:there\s+is|there['’]s|we\s+have|"
                   r"we['’]ve\s+got)\s+already\b|\balready\s+(?:exists?|have|has|provides?)\b", re.I)

# A flaw the patch takes out, named as the object of a verb of removal or the subject of one done: "This removes a
# lot of duplicated code.", "This drops the redundant NULL check, good.", "The stale comment is gone, thanks.", "The
# duplicated error path is cleaned up nicely." (all blocked: a flaw word read as this code's). Only the flaw word it
# names is the removed one: the object stops at a turn or a clause's verb ("This removes the check and makes it racy.",
# "This drops the lock, which is racy."), and "still", "not" or "again" before the verb say it is there.
_GONE = (r"(?:gone|removed|dropped|deleted|killed|ditched|stripped|eliminated|cleaned\s+up|tidied\s+up|"
         r"taken\s+out|deduplicated|consolidated|history|a\s+thing\s+of\s+the\s+past|no\s+more)")
# A word that ends the object: a turn, a clause's verb, "with" ("This drops the lock with a racy loop in its place.").
_STOP = (r"(?!(?:and|but|which|that|so|while|or|because|since|then|making|makes?|made|leav\w+|caus\w+|introduc\w+|"
         r"add(?:s|ed|ing)?|break\w*|instead|still|not|is|are|was|were|it|this|now|only|with|by|into)\b)")
_OBJECT = rf"(?:\s+(?:all|both|a\s+lot|a\s+bunch|lots|some|most|plenty)(?:\s+of)?)?(?:\s+{_STOP}[\w'’/()-]+){{0,5}}?"
_REMOVED = lazy(rf"\b(?<!\bstill\s)(?<!\bnot\s)(?:remov(?:es|ed|ing)|drop(?:s|ped|ping)|delet(?:es|ed|ing)|"
                rf"kill(?:s|ed|ing)|ditch(?:es|ed|ing)|strip(?:s|ped|ping)|eliminat(?:es|ed|ing)|"
                rf"(?:gets?|got|getting)\s+rid\s+of|(?:cleans?|cleaned|cleaning|tid(?:ies|ied|ying))\s+up|"
                rf"takes?\s+out|took\s+out|dedup\w*|riddance\s+to|less|fewer|"
                # A flaw stopped: "Good, this finally stops the log spam on every boot." (h686)
                rf"stop(?:s|ped|ping)|silenc(?:es|ed|ing)|quiet(?:s|ens|ed|ened|ing)|"
                # What it puts something in place of: "This replaces the hacky loop with a helper, good."
                rf"replac(?:es|ed|ing)|supersed(?:es|ed|ing))"
                rf"(?:\s+(?:that|this|those|these))?{_OBJECT}\s+(?:{_ANY_FLAW})\b"
                rf"|\b(?:{_ANY_FLAW})\b(?:\s+{_STOP}[\w'’/()-]+){{0,4}}?\s+(?:(?:is|are|has\s+been|have\s+been|got|gets|"
                rf"['’]s)\s+(?:now\s+|finally\s+|all\s+|also\s+|properly\s+|nicely\s+|completely\s+)?{_GONE}\b"
                # A failure no longer seen (one flaw alternation, tried once a position): "The NULL dereference no
                # longer happens with v3.", "The deadlock went away.", "The crash disappeared."
                rf"|(?:(?:now|finally|also)\s+)?(?:(?:no\s+longer|(?:does|do|did)(?:n['’]t|\s+not))\s+(?:happen|"
                rf"reproduce|trigger|show|occur|appear|fire|hit)\w*|(?:went|goes|has\s+gone|is\s+gone)\s+away|"
                rf"(?:disappear|vanish)(?:s|ed))\b)"
                # Seen gone: "Glad to see the ugly macro go.", "Happy to see the stale comment removed." (not "I'd
                # like to see ...", a wish: harness.askedwords).
                rf"|(?<!\blike\sto\s)(?<!\bwant\sto\s)(?<!\bprefer\sto\s)(?<!\bhope\sto\s)"
                rf"\b(?:see|seeing|saw|seen)\b{_OBJECT}\s+(?:{_ANY_FLAW})\b(?:\s+{_STOP}[\w'’/()-]+){{0,4}}?"
                rf"\s+(?:go|going|disappear\w*|{_GONE})\b",
                re.I)

# What the patch removes that is needed: "This removes the only check of the return value.", "This drops the bounds
# check, which is needed." (READY before: no flaw word).
# A safeguard the author took out, said to them: "You've dropped the NULL check.", "You removed the bounds check that
# v2 had." (READY, round 68: no flaw word); not one the sender finds needless or welcomes ("You've dropped the
# redundant NULL check, good.", "You removed the lock, which is fine since ...").
_SAFEGUARD = (r"(?:checks?|tests?|validation|locks?|locking|unlocks?|spinlocks?|mutex(?:es)?|refcounts?|references?|"
              r"barriers?|guards?|(?:error\s+)?handling|cleanup|"
              r"error\s+paths?|\w+\(\)(?:\s+calls?)?)")
_YOU_REMOVED = (r"(?:^\W*|[,;:]\s*)(?:(?:hmm+|wait|also|and|but|so|now|oh|ah)[\s,]+)*"
                r"(?:you(?:['’]ve|\s+have)?|v\d+)\s+(?:now\s+|also\s+|silently\s+|accidentally\s+|just\s+)?"
                r"(?:dropped|removed|deleted|lost|killed)\s+(?:the|a|an|its|this|that|your)\s+"
                r"(?!(?:[\w()>.-]+\s+){0,2}?(?:redundant|unneeded|unnecessary|useless|pointless|dead|duplicated?|extra|"
                r"superfluous|bogus|stale|needless|double|second|bogus)\b)"
                r"(?:[\w()>.-]+\s+){0,3}?" + _SAFEGUARD + r"(?!\w)"
                r"(?![^.;!?]*\b(?:good|fine|thanks|thank\s+you|nice|great|ok(?:ay)?|redundant|dead|unneeded|unnecessary|"
                r"not\s+needed|no\s+longer\s+needed|as\s+(?:asked|requested|suggested))\b)")
_REMOVED_NEEDED = lazy(_YOU_REMOVED
                       + r"|\b(?:remov(?:es|ed|ing)|drop(?:s|ped|ping)|delet(?:es|ed|ing)|kill(?:s|ed|ing)|"
                       r"(?:gets?|got|getting)\s+rid\s+of)\s+(?:the|its|our|their)\s+only\b"
                       r"|\b(?:remov(?:es|ed|ing)|drop(?:s|ped|ping)|delet(?:es|ed|ing)|(?:gets?|got)\s+rid\s+of)\b"
                       r"[^,;:.!?]*,\s*which\s+(?:is|was|are|were)\s+(?:still\s+|really\s+|very\s+)?(?:needed|"
                       r"required|necessary|important|essential)\b", re.I)

# The flaw is the one the patch fixes, the past's, one undone, the sender's own, or no way the code has it.
_NOT_THIS = gated(_LASTED + "|" + _LIVED + "|" + _EXPLAINS + "|" + _MY_LIST + "|" + _MET + "|"
                  # Not the patch's fix judged: "But the fix is incomplete: the same bug is in the resume path."
                  # Not one said not done: "The double free I mentioned in v1 is not fixed." (READY, round 70)
                  r"(?!(?:(?<=\bnot\s)|(?<=n['’]t\s)|(?<=\bnever\s)|(?<=\bnot\syet\s))fixed\b(?!\s+(?:by|with|in)\b))"
                  r"\b(?:fix(?:es|ed)?(?!:|\s+tags?\b)(?!\s+(?:is|looks|seems)\s+(?:still\s+)?(?:incomplete|insufficient|"
                  r"partial|wrong|broken|buggy|not\s+(?:complete|enough|sufficient|right|correct))\b)|address(?:es|ed)|avoid(?:s|ed)?|prevent(?:s|ed)?|solves?|solved|"
                  r"resolves?|"
                  r"resolved|cur(?:es|ed)|closes?(?!:?\s+(?:link|tags?|trailers?)\b)|closed|"
                  r"was|were|had|(?<!\bbeen\s)(?<!\bbe\s)(?<!\bis\s)(?<!\bare\s)(?<!\bget\s)(?<!\bgets\s)used\s+to|"
                  r"had\s+been|previously|before\s+(?:this|the)\s+(?:patch|change|series|commit)|"
                  r"without\s+(?:this|the)\s+(?:patch|change|series|commit|fix|revert)\b|without\s+(?:this|it)\s*[,.;]|"
                  r"prior\s+to|"
                  r"revert(?:s|ed|ing)?|my\s+bad|my\s+mistake|I\s+was\s+wrong|"
                  # The sender's own misreading, or their point withdrawn: "Withdrawn: I confused this with the host
                  # path, which already has the check." (the reason read as a concern).
                  r"I\s+(?:confused|mixed\s+up|misread|misunderstood|was\s+mistaken|missed\s+that)|^\W*withdrawn|"
                  # A failure bisected to other code: "Bisected the regression to the old code path; ..."
                  r"bisect(?:ed|ing)\s+(?:[\w-]+\s+){0,4}?to\s+(?!(?:this|your|it|v\d+|the\s+(?:patch|series|change|"
                  r"commit)|patch)\b)|"
                  # Not an apology that softens a verdict: "Sorry mate, this doesn't work, ...", "Sorry, but it leaks."
                  r"I\s+stand\s+corrected|ignore\s+me|disregard|sorry(?![\s,]+(?:mate|but|to\s+say)\b)|apolog\w+|"
                  # A thought taken back: "I first thought this leaked, but the put is in the exit path."
                  r"I\s+(?:first\s+|initially\s+|originally\s+|had\s+)?thought\b(?=[^.;!?]*\b(?:but|however)\b)|"
                  r"no\s+way(?!\s+(?:for\s+(?:[\w()-]+\s+){1,3}?)?to\s+(?:(?:ever|even|reliably|easily|safely|actually|"
                  r"then)\s+)?(?:" + ABILITY + r")\b))\b"
                  r"|^\W*(?:dropped|applied|queued|merged|picked\s+up|pushed|taken)\b"
                  # What was missing is there now: "The missing of_node_put() from v2 is there now."
                  r"|\bmissing\b[^.;!?]*\b(?:is|are)\s+(?:now\s+)?(?:there|in\s+place|back|present|added)\s+now\b"
                  # Another version's flaw this one mends: "The v2 version clobbered ret; v3 keeps it."
                  r"|[;,]\s*(?:but\s+)?(?:this\s+(?:one|version|patch)|v\d+|now|the\s+new\s+(?:one|version|code))\s+"
                  r"(?:\w+\s+)?(?:keeps?|restores?|preserves?|handles?|gets?\s+it\s+right|does\s+it\s+right)\b", re.I)
_TENSES = frozenset(("was", "were", "had", "had been"))
# Another commit's fix, named to say this patch undoes it: "This reintroduces the bug fixed by commit 1234567890ab.",
# "It brings back the bug that 1234abcd5678 fixed.", "This undoes the fix from commit 0123456789ab." Its "fix" is no
# flaw this patch fixes (_NOT_THIS), so it is read as OTHER_FIX (harness.deedwords reads it undone); only beside a
# word of undoing, and not a fix the sentence says is there ("The hang is already fixed by commit ...").
_HASH = r"(?:commit\s+)?(?=[a-f]*\d)[0-9a-f]{7,40}\b(?:\s*\((?:\"[^\")]*\"|[^)]*)\))?"
_OTHER_FIX = lazy(r"(?<!\bis\s)(?<!\bwas\s)(?<!\bbeen\s)(?<!\bbe\s)(?<!\bare\s)(?<!\bwere\s)(?<!\bget\s)(?<!\bgets\s)"
                  r"(?<!\bgot\s)(?<!\balready\s)\bfixed\s+(?:by|in|with)\s+" + _HASH
                  + r"|\b(?:the|that|its|an?)\s+(?:earlier\s+|previous\s+|original\s+)?fix\s+(?:from|in|of|by|for)\s+"
                  + _HASH + r"|\b" + _HASH + r"['’]s\s+fix\b|(?<=\bthat\s)" + _HASH + r"\s+fixed\b", re.I)
_UNDOING = lazy(r"\b(?:re-?introduc\w*|brings?\s+back|brought\s+back|undo\w*|undid|defeat\w*|resurrect\w*|reviv\w*|"
                r"re-?open\w*|re-?add\w*|breaks?|broke|regress\w*|again|(?:is|are|comes?)\s+back)\b", re.I)
# An assent or an approval opening the sentence: "Right, not needed then.", "Fair enough, no issue.", "Good catch, it
# leaks." — harness.pointwords' readers of assent and approval read these.
_OPENS_AGREEING = gated(r"^\W*(?:fair\s+enough|ok(?:ay)?|right|true|agreed|indeed|makes\s+sense|got\s+it|"
                        r"i\s+see(?=\W*$|[.,!;])|you['’]re\s+right|good\s+(?:catch|point|find)|nice|thanks|thank\s+you|"
                        r"yes|yep|sure|fine|understood|no\s+(?:problem|worries|issue|objection)"
                        # "Oh"/"Ah" assent only with an assent's word: "Oh, right, ...", "Ah, I see, ..."; alone they
                        # lead a finding ("Oh, this is now called from atomic context.": READY, round 68).
                        r"|(?:ah|oh)(?=[\s,.!]+(?:ok(?:ay)?|right|true|i\s+see|yes|yeah|yep|indeed|good|nice|thanks|thank|"
                        r"fine|sure|got\s+it|makes\s+sense|you['’]re|fair|of\s+course|cool|great|alright|i\s+missed|"
                        r"i\s+misread|never\s*mind|sorry|that\s+makes|understood|agreed)\b))\b", re.I)
# A turn after an assent or praise: what follows it is the sender's own point ("Nice cleanup, but this leaks memory.").
_TURN = lazy(r"[,;:]\s*(?:but|however|though|although|except\s+that|yet|only)\b", re.I)
# A condition opening the sentence asks nothing (harness.pointwords): "If this doesn't work, tell me.", "Once you
# discard the patch, nothing calls it."; one after it is left out: "This can be dropped if we don't need it."
_OPENS_IF = lazy(r"^\W*(?:if|unless|once|when|whenever|in\s+case|even\s+if|assuming|suppose|"
                 r"should\s+(?:this|it|you))\b", re.I)
_IF_CLAUSE = lazy(r"\b(?:if|unless|in\s+case|whether|as\s+long\s+as)\b[^,;]*", re.I)
# A flaw conceded: "Redundant, but harmless.", "This doesn't build on arm64, but that's expected.", "..., which is
# intended.", "Checkpatch complains, but it's a false positive."
_CONCEDED = gated(r"^\W*\w+ing\b[^,;.]{0,40}\b(?:is|was)\s+(?:\w+\s+)?(?:intended|intentional|deliberate|on\s+purpose|"
                  r"by\s+design|harmless|fine|ok|okay|expected|correct|right)\b|"
                  r"[,;]\s*(?:but|though|although|which)\s+(?:(?:it|that|this)(?:['’]s|\s+is)\s+|"
                  r"(?:it|that|this|is)\s+)?(?:\w+\s+)?(?:harmless|fine|ok|okay|good|better|expected|intended|deliberate|acceptable|"
                  r"by\s+design|on\s+purpose|your\s+call|works?|looks\s+(?:fine|good|ok)|(?:a\s+)?false\s+positive)\b"
                  # Not a better way asked: "..., but better restructure.", "..., but it's better to defer it."
                  r"(?!(?<=better)\s+(?:to\s+\w|(?:just\s+)?(?:" + VERBS + r")\b))"
                  # What is lacking not needed: "Userspace cannot tell which CPU failed, but it doesn't need to."
                  r"|[,;]\s*but\s+(?:\w+\s+)?(?:doesn['’]t|does\s+not|don['’]t|do\s+not|needn['’]t)\s+(?:really\s+)?"
                  r"(?:need|have)\s+to\b"
                  # The reason for the code's choice: "The caller can't block here, which is why it uses GFP_NOWAIT."
                  r"|[,;]\s*which\s+is\s+(?:why|the\s+reason)\b", re.I)
# A flaw conceded by the sentence's one predicate: "The redundant check is harmless.", "Redundant locks are fine here."
# (not "The loop is racy and the lock is fine.": another clause).
_CONCEDED_WHOLE = lazy(r"^(?![^.]*\b(?:and|but|or|though|although|while)\b)[^,;:]*\b(?:is|are|seems?|looks?)\s+"
                       r"(?:(?:probably|mostly|really|quite|perfectly|totally|completely)\s+)?(?:harmless|fine|ok|okay|"
                       r"acceptable|intended|deliberate|by\s+design|on\s+purpose)(?:\s+(?:here|then|to\s+me))?\W*$"
                       # Its one predicate done by design, under a condition at most (h686): "The warning fires on
                       # purpose when the firmware is too old." ("too old" of the condition).
                       r"|^(?![^.]*\b(?:and|but|or|though|although|while|which)\b)[^,;:]*\b(?:on\s+purpose|by\s+design|"
                       r"deliberately|intentionally)\s*(?:(?:when|whenever|if|unless|once|so\s+that|to)\b[^,;:]*)?\W*$",
                       re.I)
# The old code the subject: "The old code reads worse than this." (praise of the patch).
_OLD_SUBJECT = lazy(r"^\W*(?:the\s+)?(?:old|original|previous|existing|current)\s+(?:code|version|loop|one|helper|"
                    r"format|name)\b"
                    # An earlier version's doing, told in the past: "The v2 version clobbered ret; v3 keeps it."
                    r"|^\W*(?:the\s+)?v\d+(?:\s+(?:version|code|patch|one|loop|helper))?\s+(?:\w+ed|had|was|were|did|"
                    r"used\s+to|threw|lost|ate|hid|took|broke)\b", re.I)
# The earlier version's flaw said to be this one's too: "v1 leaked the page; v3 still does."
_STILL_DOES = lazy(r"[,;.]\s*(?:but\s+|and\s+)?(?:v\d+|this\s+(?:one|version|patch|revision)|it|the\s+new\s+"
                   r"(?:one|version|code))\s+(?:still|also)\s+(?:does|do|has|is)\b", re.I)
# That said alone, after the sentence of the earlier version's flaw: "v1 leaked the page on error; v3 still does."
_STILL_ALONE = lazy(r"^\W*(?:but\s+|and\s+)?(?:v\d+|this\s+(?:one|version|patch|revision)|it|the\s+new\s+"
                    r"(?:one|version|code))\s+(?:still|also)\s+(?:does|do|has|is)(?:\s+(?:too|as\s+well|here))?\W*$",
                    re.I)
# The sender's own doing or none: "I'll fix it up when applying.", "Any issues, let me know.", "No issues seen."
_SELF_OR_NONE = gated(r"\bI(?:['’]ll|\s+will|\s+can|\s+could)\s+(?:just\s+)?(?:fix|fold|tweak|adjust|change|do|take)\b|"
                      # The sender's own test or setup: "My test module ignored the return value, ..."
                      r"^\W*(?:my|our)\s+(?:own\s+)?(?:test|tests|testing|setup|config|script|tree|branch|build|box|"
                      r"machine|board|hack|debug\w*|local)\b|"
                      r"\b(?:any|some)\s+(?:issues?|problems?|bugs?)\b|\bno\s+(?:\w+\s+)?(?:issues?|problems?|bugs?|"
                      r"splats?|regressions?|complaints?)\b|\bmissing\s+(?:the|my)\s+point\b|\b(?:thanks|apolog\w*|worries)\s+needed\b",
                      re.I)


# A fix supposed, no flaw's clause closed: "Reverting it would fix the hang, but then the leak comes back."
_SUPPOSED_FIX = lazy(r"\b(?:would|could|might|may)\b|\w['’]d\b", re.I)
# What the patch puts in place of a flaw, said worse: "This replaces the hacky loop with an even hackier one."
_REPLACED_WORSE = lazy(r"\breplac(?:es|ed|ing)\b[^,;.!?]*\bwith\s+(?:an?\s+|the\s+)?(?:even\s+|more\s+|still\s+)"
                       r"|\breplac(?:es|ed|ing)\b[^,;.!?]*\bwith\s+[^,;.!?]*\b(?:worse|\w+ier)\b", re.I)


def concern_stated(sentence: str, shapes_only: bool = False) -> bool:
    """Whether ``sentence``, a reviewer's own, states a flaw of the code it answers in plain words: a word of a flaw
    not denied (_FLAW), a virtue denied (_VIRTUE, _VERB_DENIED), a comparison preferring other code, a correction,
    another place for it, what the sender would do instead, the sender wondering whether it should be, another
    source saying otherwise, or a verb of what the code does wrong (harness.deedwords: "This hides the failure.",
    "This reintroduces the bug fixed by commit 1234567890ab.": another commit's fix is OTHER_FIX). Not a question
    or a condition, nor a flaw fixed, of the past, the sender's own, conceded, or under an assent (_NOT_THIS,
    _OPENS_AGREEING, _CONCEDED). ``shapes_only``: whether, past those exclusions, a flaw stated by its shape alone
    (harness.shapewords) is read, for a sentence harness.pointwords reads a word of the patch's fate in ("You read
    hdr->size and only then check hdr.": "read")."""
    s = sentence.strip()
    if not shapes_only and _held_unmet(s):
        return True
    if not s or s.endswith("?") or _OPENS_IF().match(s) or _CONCEDED().search(s) or settled(s) \
            or _CONCEDED_WHOLE().match(s):
        return False
    if failure_owned(s):
        return True  # "The oops is yours." (harness.disowned)
    if (end := disowned_end(s)) is not None:
        # Words its sender disowns (harness.disowned): "Retracting my concern about the overflow, ...", "That splat is
        # unrelated, ..."; what follows a turn after them is read ("..., but the leak is yours.").
        s = s[end:]
        if not s.strip(" ,;:.!-"):
            return False
    if _OPENS_AGREEING().match(s):
        # Praise then a turn states the flaw after it: "Nice one, but it leaks the buffer." (READY before).
        turn = _TURN().search(s)
        if turn is None:
            return False
        s = s[turn.end():]
    if not shapes_only and (_WONDER().search(s) or _REMOVED_NEEDED().search(s) or _REPLACED_WORSE().search(s)):
        return True
    # Only a fix undone: "It no longer reintroduces the bug fixed by ..." keeps its "fixed" (_NOT_THIS).
    if "fix" in s.lower() and (undone := _UNDOING().search(s)) and not denied_before(s, undone.start()):
        s = _OTHER_FIX().sub("OTHER_FIX", s)
    whole, s = s, _IF_CLAUSE().sub("", s)
    if not shapes_only and (_OLD_BETTER().search(s) or _ENOUGH().match(s)):
        return True
    # A tense in a clause a shape holds is no past of the flaw ("... is not the size that was allocated.", "The caller
    # has no way to know the update was only partially applied.").
    clause = tense_free(s)
    past = next((m for m in _NOT_THIS().finditer(s) if clause is None or not clause[0] <= m.start() < clause[1]
                 or m.group(0).lower() not in _TENSES), None)
    if past is not None and (turn := _TURN().search(s, past.end())) is not None \
            and not _SUPPOSED_FIX().search(s, 0, turn.start()):
        # The fixed, past or own flaw is the first clause's: "I was wrong about the leak, but the refcount is now
        # dropped twice.", "This fixes the hang, but the leak remains." (each passed READY).
        return concern_stated(s[turn.end():], shapes_only)
    if _OLD_SUBJECT().match(s) and (still := _STILL_DOES().search(s)) is not None \
            and _flaw_word(s[:still.start()]):
        return True  # "v1 leaked the page on error; v3 still does." (READY before: read as v1's flaw alone)
    if past is not None and not shapes_only and _flaw_before_past(s, past.start(), past.group(0)) \
            and not _SELF_OR_NONE().search(s) and not _OLD_SUBJECT().match(s):
        return True
    if past is not None or _SELF_OR_NONE().search(s) or _OLD_SUBJECT().match(s):
        return False
    if _NOT_HERE().match(s):
        return False
    if shapes_only:
        return shape_stated(s, whole)
    if any(p().search(s) for p in (_PLACE, _PREFERENCE, _OTHERWISE, _NOBODY, _COMPARE, _VIRTUE_DENIED, _VERB_DENIED,
                                    _SEE_WHY, _NO_LIMIT)) or _CORRECTION().match(s) or _WOULD_DO().match(s) \
            or deed_stated(s, whole) or shape_stated(s, whole):
        return True
    return _flaw_word(s)


def _held_unmet(s: str) -> bool:
    """Whether ``s`` says a condition the code's merit needs is unmet, or a flaw under a condition of its run
    (harness.unmetwords), neither conceded nor settled."""
    if _CONCEDED().search(s) or settled(s):
        return False
    return condition_unmet(s) or ((main := flaw_if(s)) is not None and concern_stated(main))


# Where a clause after the first starts, no turn or consequence opening it: "Fixes tag is wrong, the bug was ...".
_LATER_CLAUSE = lazy(r"[,;]\s*(?!(?:but|though|although|however|yet|so|as|because|since|if|unless)\b)", re.I)


def _flaw_before_past(s: str, at: int, tense: str) -> bool:
    """Whether the past tense ``tense`` at ``at`` in ``s`` is a later clause's, told of another thing, after a first
    clause that states a flaw of its own in the present: "Fixes tag is wrong, the bug was introduced by 3c1d2f5a9e01.",
    "The Fixes: tag points at the wrong commit, this code was added by ..." (READY, round 68: "was" read as the flaw
    being the past's). Not a past of the flaw's own clause ("It was racy, ...")."""
    if tense.lower() not in _TENSES:
        return False
    ends = list(_LATER_CLAUSE().finditer(s, 0, at))
    if not ends:
        return False
    head = s[:ends[-1].start()]
    return _NOT_THIS().search(head) is None and _flaw_word(head)


def _flaw_word(s: str) -> bool:
    """Whether ``s`` holds a flaw's word (_FLAW_SAID) not denied, not removed by the patch and not said meant so."""
    denied = {m.end() for m in _FLAW_DENIED().finditer(s)}
    removed = [m.span() for m in _REMOVED().finditer(s)]
    return any(m.end() not in denied and not any(a <= m.start() < b for a, b in removed) and not intended(s, m.start())
               for m in _FLAW_SAID().finditer(s))


def still_too(before: str, sentence: str) -> bool:
    """Whether ``sentence`` says the flaw the sentence ``before`` it names of an earlier version is this one's too
    (_STILL_ALONE: "v1 leaked the page on error; v3 still does.", a sentence each as harness.replywords splits them)."""
    return _STILL_ALONE().match(sentence) is not None and concern_stated(f"{before} {sentence}")
