"""A review point said as one that persists, turned or put aside: carried over, "still", ironic, answered, placed."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from harness.tersepoints import ELSEWHERE
from models.lazyre import lazy

# Why its own reader: each form below wraps a point in words the other readers do not look through, and each was read
# as nothing (the gate READY, round 67): "Same as v2: you still haven't added the missing of_node_put().", "The magic
# value is still unexplained.", "I think this wants a Co-developed-by: too.", "Great, yet another unchecked kmalloc().",
# "Fine as is? No, the counter still wraps.", "This drops the error handling; please keep it.", "The changes since v2
# go below the --- line." The same words of a thing fine ("Same as v2: looks good.", "I still think this is fine.",
# "Can this overflow? No, both are bounded.", "The changelog is below the --- now.") object to nothing.

# A point said to be one made before, then the point: "Same as v2: ...", "As I said on v1, ...", "Repeating my v2
# comment: ...", "This was pointed out on v3 already and it's still there: ...".
_CARRIED_LEAD = lazy(
    r"^\W*(?:(?:the\s+)?same\s+(?:(?:comment|issue|problem|point|remark|concern|objection|thing|story|bug)\s+)?"
    r"(?:as|like)\s+(?:(?:on|in|for|with|at|from|to)\s+)?" + ELSEWHERE
    + r"|(?:as|like)\s+(?:I|we)\s+(?:already\s+)?(?:said|mentioned|noted|commented|pointed\s+out|wrote|asked|explained)"
    r"(?:\s+(?:on|in|for|to|about|with)\s+" + ELSEWHERE
    + r"|\s+(?:before|earlier|previously|last\s+time))?(?:\s+already)?"
    r"|(?:repeating|restating|reiterating)\s+(?:my|our)\s+(?:(?:earlier|previous|last|v\d+|original)\s+)*(?:comments?|"
    r"points?|remarks?|concerns?|objections?|feedback)(?:\s+(?:on|from|for|to)\s+" + ELSEWHERE + r")?"
    r"|(?:this|it|that)\s+was\s+(?:already\s+)?(?:pointed\s+out|raised|mentioned|reported|flagged|noted|discussed)\s+"
    r"(?:on|in|for|at|during)\s+" + ELSEWHERE + r"(?:\s+already)?(?:\s*,?\s*and\s+(?:it['’]s|it\s+is|is)\s+still\s+"
    r"(?:there|here|present|unfixed|not\s+fixed))?)\s*[:,;–—-]\s*(?=\S)", re.I)
# What after such a lead states a flaw without a reader's form ("the refcount is never dropped"), or approves, or
# answers ("As I said before, no, the loader does not retry.").
_FLAWISH = lazy(r"\b(?:not|never|no|nothing|nobody|none|without|missing|still|wrong|broken|leaks?|races?|racy|twice|"
                r"overflows?|wraps?|unchecked|ignored?|forever)\b|n['’]t\b", re.I)
_APPROVING = lazy(r"\b(?:good|fine|great|nice|like|love|happy|lgtm|ok(?:ay)?|correct|agree|thanks?|thank\s+you|"
                  r"[\w-]+-by)\b|^\W*(?:I|we|yes|yeah|yep|no|nope)\b", re.I)

# A hedge of the sender misreading, then the point: "Unless I'm missing something, this leaks the page on the error
# path.", "If I'm reading this correctly, the error path forgets to free the skb.", "Correct me if I'm wrong, but the
# lock isn't released." (each read as nothing, READY: round 68; "If"/"Unless" open a condition to the other readers).
_HEDGE_LEAD = lazy(
    r"^\W*(?:(?:but|so|and|also|hmm+)[\s,]+)?(?:unless\s+I(?:['’]m|\s+am)\s+(?:(?:badly|completely|totally)\s+)?"
    r"(?:missing|misreading|misunderstanding|overlooking)\s+(?:something|this|it|the\s+\w+)(?:\s+(?:here|obvious))?"
    r"|unless\s+I\s+(?:misread|misunderstand|misunderstood|missed)(?:\s+(?:it|this|that|something|the\s+\w+))?"
    r"(?:\s+(?:here|obvious))?|if\s+I(?:['’]m|\s+am)\s+reading\s+(?:this|it|that|the\s+\w+)\s+(?:right|correctly|"
    r"properly)|if\s+I\s+(?:read|understand|understood)(?:\s+(?:this|it|that|the\s+\w+))?\s+(?:right|correctly|"
    r"properly)|(?:if\s+I(?:['’]m|\s+am)\s+not|unless\s+I(?:['’]m|\s+am))\s+(?:mistaken|wrong)"
    r"|correct\s+me\s+if\s+I(?:['’]m|\s+am)\s+wrong|(?:maybe|perhaps)\s+I(?:['’]m|\s+am)\s+missing\s+something)"
    r"\s*[,:;–—-]?\s*(?:but\s+)?(?=\w)", re.I)
# An interjection of surprise, then what the change does: "Err, this drops the memory barrier.", "Uh, this is now
# called with the lock held.", "Huh, this now runs with interrupts disabled." ("Hmm" and "Oh" muse as often: not here).
_INTERJECTION = lazy(r"^\W*(?:e+r+m*|u+h+|u+h*m+|huh|ehm|eh+|ugh|argh|gah|sigh|ouch|whoa|woah|yikes|wait|uh[\s-]+oh)"
                     r"[\s,.!]+(?=\w)", re.I)
# What a change does that such a lead makes a flaw: it drops, removes or loses code, or now does a thing.
_CHANGED = lazy(r"\b(?:drops?|dropped|removes?|removed|loses?|lost|deletes?|deleted|breaks?|broke|now|skips?|skipped|"
                r"misses|bypass(?:es)?|forgets?|disagree|opposite|undoes|undid|reverts?|reintroduces?)\b", re.I)
# What after such a lead takes the sender's words back, or grants the code: "Err, ignore me, I misread the diff.",
# "Uh, never mind, ...", "Unless I'm missing something, this can't happen.", "Huh, this now works here too."
_SELF_TAKEN = lazy(r"\b(?:ignore\s+(?:me|that|this)|never\s*mind|scratch\s+that|my\s+(?:bad|mistake)|sorry|misread|"
                   r"I\s+see|got\s+it|disregard|forget\s+(?:it|that|this)|works?|builds?|boots?|pass(?:es)?|"
                   r"(?:can['’]t|cannot|can\s+never|could\s+never|never|won['’]t)\s+(?:happen|occur|trigger|be\s+"
                   r"(?:hit|reached|true))|no\s+(?:more\s+)?(?:issues?|problems?|bugs?)|not\s+(?:a\s+)?(?:problem|issue|bug)|"
                   r"nothing\s+(?:(?:left|more|else)\s+)?(?:to\s+(?:fix|do|change|add|worry)|wrong|missing))\b", re.I)
# "still" read away: "The counter still wraps." is "The counter wraps." ("Still, ..." concedes: left as it is).
_STILL = lazy(r"\bstill\b(?!\s*,)(?!\s+(?:drop|apply|merge|take|queue|nak|nack|ack|revert|want|need)\b)\s*",
              re.I)
# The sender's own earlier complaint named after the flaw, read away: "This one still calls seamldr_call() with
# preemption enabled, which is what I complained about in v1." (READY, h701: the tail read as the sender's past).
_MY_EARLIER = lazy(r",?\s*(?:which|that)\s+(?:is|was)\s+(?:exactly\s+|precisely\s+)?what\s+I\s+(?:had\s+)?"
                   r"(?:complained|objected|warned|worried|asked|commented)\s+(?:about|to|on)\b[^.;!?]*(?=[.!]?\s*$)",
                   re.I)
# An opinion's lead read away: "I think this wants a Co-developed-by: too." (not "I don't think": a negation).
# So is a certainty or a hunch: "Pretty sure this breaks the !CONFIG_SMP build.", "I have a feeling this underflows."
_OPINION = lazy(r"^\W*(?:(?:but|so|and|also|honestly|personally)[\s,]+)*(?:(?:I|we)\s+(?:(?:still|also|really|do)\s+)?"
                r"(?:think|believe|suspect|guess|feel)|(?:I['’]m\s+|I\s+am\s+)?(?:pretty|fairly|quite|almost|reasonably)\s+"
                r"(?:sure|certain|confident)|I\s+(?:have|get)\s+a\s+(?:feeling|hunch|suspicion)|my\s+(?:guess|hunch)\s+is"
                r"|I['’]d\s+bet|I\s+bet)\s+(?:that\s+)?(?=\w)", re.I)
# A thing of the code left unexplained or unchecked, or a bare flaw label: "The magic value 0x3f is still
# unexplained.", "Still racy: the flag is read without the lock." (not "... is no longer unchecked", the past, or I).
_LEFT = lazy(r"^(?!\W*(?:I|we|if|unless|once|when|whenever|until|assuming|provided)\b)"
             r"(?![^.;!?]*\b(?:not|no\s+longer|never)\s+(?:\w+\s+)?(?:un\w+|hard))"
             # Nor one granted: "The value is hard-coded by the spec, so this is fine."
             r"(?![^.;!?]*\b(?:fine|ok(?:ay)?|intended|expected|deliberate(?:ly)?|on\s+purpose|by\s+design)\b)"
             r"[^.;!?]*?\b(?:is|are|"
             r"remains?|stays?|looks?|seems?)\s+(?:(?:still|also|completely|totally|entirely|largely)\s+)?"
             r"(?:unexplained|undocumented|unchecked|unbounded|unhandled|unprotected|unjustified|unfixed|"
             r"uninitiali[sz]ed|unbalanced|unvalidated|unverified|unsynchroni[sz]ed|unlocked|unseriali[sz]ed|"
             r"unaccounted\s+for|hard[\s-]?coded)\b"
             r"|^\W*(?:still\s+)?(?:racy|broken|buggy|wrong|leaky|unsafe|incorrect|unbounded|unchecked)\s*(?:[:!.–—-]|$)",
             re.I)

# Irony: praise, then a flaw of the code: "Great, yet another unchecked kmalloc().", "Oh good, another open-coded
# min().", "Nice, so now we sleep under a spinlock.", "Sure, because nobody ever passes a zero length.", "Surely that
# can never fail." Not "Great, this is much easier to read now.", "Nice, another user of the helper.", "Right, because
# the caller holds the lock." (the praise meant: no flaw named after it).
_FLAW_ADJ = (r"(?:unchecked|open[\s-]?coded|magic|hard[\s-]?coded|unbounded|undocumented|copy[\s-]?(?:and[\s-]?)?"
             r"pasted?|duplicated?|pointless|useless|needless|unnecessary|redundant|bogus|racy|ad[\s-]hoc|one[\s-]off|"
             r"busy[\s-]wait(?:ing)?|unexplained|ignored|leaky|broken|buggy|hand[\s-]rolled|reinvented)")
_PRAISE = (r"^\W*(?:(?:oh|ah|wow|well)[\s,]+)?(?:great|good|nice|wonderful|lovely|brilliant|fantastic|awesome|perfect|"
           r"excellent|splendid|cool|sure|right|yeah|yay|(?<=oh\s)yes|(?<=ah\s)yes|(?:I\s+)?love)\b[\s,.!]+")
# What is too big or too many, praised (h686): "Love the 400-line function.", "Ah yes, because a 12-argument function is
# so readable.", "Wonderful, a fifth level of indentation.", "Fantastic, one more bool parameter ...", "Great, now
# tdx_init() takes 9 arguments.", "Right, because three levels of macros are so obvious." Not a size removed or split
# ("Love that the 400-line function is now split"), one more user of a helper, nor the reason meant ("Right, because the
# caller holds the lock.").
_SIZE = (r"(?:\d{3,}[\s-]?lines?(?:[\s-]long)?|(?:[6-9]|\d{2,})[\s-]?(?:arguments?|parameters?|args?)|nested\s+"
         r"ternar\w+|(?:\w+\s+)?levels?\s+of\s+(?:indentation|nesting|macros?|indirection|ifdefs?))\b")
_COMPLEX = (r"(?:bool(?:ean)?\s+(?:parameters?|arguments?|args?|flags?)|global(?:\s+variables?)?|cop(?:y|ies)|"
            r"levels?\s+of|layers?\s+of|#?ifdefs?|gotos?|special[\s-]cases?|indirection)\b")
_ORDINAL = r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
_EASY = (r"(?:easy|readable|obvious|clear|simple|intuitive|maintainable|fun|pleasant|straightforward|elegant)")
_SHRUNK = (r"(?![^.;!?]*\b(?:split|gone|removed|replaced|broken\s+up|shr[iu]nk|reduced|converted|dropped|deleted|"
           r"shorter|smaller|fewer|less|anymore|no\s+more)\b)")
# What is sized is code, not its comment or its test ("Love the 100-line comment explaining the state machine.").
_CODE_NOUN = (r"(?:functions?|macros?|switch(?:es)?|loops?|helpers?|statements?|blocks?|handlers?|routines?|methods?|"
              r"expressions?|conditionals?|conditions?|ifs?|#?ifdefs?|structs?|enums?|patch(?:es)?|diffs?|hunks?|"
              r"commits?|files?|wrappers?|calls?|prototypes?|signatures?)\b")
_TOO_BIG = (r"(?:(?:the|a|an)\s+(?:[\w-]+\s+)?" + _SIZE + r"\s*(?:[\w-]+\s+)?" + _CODE_NOUN
            + r"|(?:yet\s+)?(?:another|one\s+more|more)\s+(?:[\w-]+\s+)?(?:" + _COMPLEX + "|" + _FLAW_ADJ + ")"
            + r"|an?\s+" + _ORDINAL + r"\s+(?:[\w-]+\s+)?(?:way|level|layer|variant|implementation|flavou?r|wrapper|"
            r"definition|bool|flag|argument|parameter|global|special\s+case|goto)s?\b"
            + r"|because\s+(?:[\w()'-]+\s+){1,8}?(?:is|are)\s+(?:so|such|always\s+so)\s+" + _EASY + r"\b"
            + r"|now\s+(?:the\s+)?[\w()]+(?:\s+\w+)?\s+(?:is|has|takes)\s+(?:\d{3,}\s+lines(?:\s+long)?|"
            r"(?:[6-9]|\d{2,})\s+(?:arguments|parameters|args))\b)" + _SHRUNK)
# One thing praised for a flaw it has, or lacking what it needs (round 68: READY): "Nice, a magic number with no
# comment.", "Fantastic, another ioctl with no compat handling.", "Lovely, a goto that jumps backwards." (not "Nice,
# a real cleanup.", "Great, another bug gone.").
_ONE = r"(?:(?:yet\s+)?another|one\s+more|an?)\s+(?:new\s+)?"
_ONE_FLAWED = (r"(?:(?:so\s+)?(?:now\s+)?" + _ONE + r"(?:[\w-]+\s+)?(?:" + _FLAW_ADJ
               + r"|(?:[\w-]+\s+)?gotos?\s+(?:that\s+)?(?:jumps?|goes|going)\s+(?:backwards?|up)|backwards?\s+gotos?)"
               r"|" + _ONE + r"(?:[\w()-]+\s+){1,3}?(?:with\s+no|without)\s+(?!(?:any\s+)?"
               r"(?:issues?|problems?|bugs?|regressions?|warnings?|changes?|fuss|churn)\b)"
               r"(?!(?:the|that|this|those|these|all|its|any\s+of|extra|needless|redundant)\b)\w"
               # One nobody needs, or a knob the kernel wants no more of ("Oh great, a new module parameter.").
               r"|" + _ONE + r"(?:[\w()-]+\s+){1,4}?(?:nobody|no\s+one)\s+"
               r"(?:will\s+|would\s+|is\s+going\s+to\s+|ever\s+)*"
               r"(?:use|need|want|call|read|set|touch)"
               r"|" + _ONE + r"(?:[\w-]+\s+)?(?:module|(?:kernel\s+)?command[\s-]line|boot)\s+"
               r"(?:param(?:eter)?s?|options?|"
               r"knobs?)\b(?![^.;!?]*\b(?:thanks|thank\s+you|exactly|as\s+(?:I\s+)?(?:asked|requested|suggested)|"
               r"what\s+I\s+(?:asked|wanted))\b))")
_IRONY = lazy(
    _PRAISE + _ONE_FLAWED + "|" + _PRAISE + _TOO_BIG + "|" + _PRAISE
    + r"(?:(?:so\s+)?(?:now\s+)?(?:yet\s+)?another\s+(?:[\w-]+\s+)?" + _FLAW_ADJ
    + r"|yet\s+another\b|(?:yet\s+)?another\s+copy\s+of|an?\s+(?:second|third|fourth|fifth|\w+th)\s+(?:copy|"
    r"open[\s-]?coded|version)\b|(?:so\s+)?now\s+we\s+(?:\w+\s+)?(?:sleep|leak|spin|deadlock|race|crash|hang|panic|"
    r"corrupt|lose|ignore|overflow|wrap|break|fail|double[\s-]free|busy[\s-]wait|loop\s+forever|return\s+garbage)\b"
    r"|because\s+(?:nobody|no\s+one|nothing)\s+(?:ever|would|will|could|can)\b)"
    r"|^\W*yet\s+another\s+(?:[\w-]+\s+)?" + _FLAW_ADJ
    + r"|^\W*surely\s+(?:that|this|it|nothing|nobody|no\s+one|\w+\(\))\s+(?:can|could|will|would|does|is)\s+never\b"
    r"[^?]*$", re.I)

# A thing the sender pointed out before, said to be there still: "Your v5 still has the out-of-bounds read I pointed
# out.", "Still has the unchecked copy_from_user() I flagged in v1." (round 68: READY; the thing's own words hold no
# flaw a reader knows, or a word of the patch's fate). Not a tag or a fix kept ("still has the fix I asked for").
_STILL_POINTED = lazy(r"\bstill\s+(?:has|have|contains?|carries|keeps|shows?|includes?)\s+(?:the|that|this|those|these|"
                      r"an?|my)\s+(?![^.;!?]*\b(?:fix(?:es)?|[\w-]+-by|tags?|acks?|suggestions?)\b[^.;!?]*\b(?:I|we)\s)"
                      r"[^.;!?]{1,80}?\b(?:I|we)\s+(?:already\s+|had\s+|have\s+)?(?:pointed\s+out|flagged|mentioned|"
                      r"reported|raised|noted|commented\s+on|complained\s+about|called\s+out|spotted|found)\b", re.I)

# Where a part of the mail goes, said of one put wrong: "The changes since v2 go below the --- line, not in the
# commit message.", "The version history belongs after the --- separator." (not "The changelog is below the --- now").
_PLACED = lazy(r"\b(?:belongs?|goes|go|should\s+(?:go|live|be|sit))\s+(?:(?:right|just)\s+)?(?:below|after|under|"
               r"beneath|above|before)\s+(?:the\s+)?(?:[\"'“]?-{3}|separator|scissors|cut[\s-]?line|diffstat|dashes|"
               r"triple[\s-]dash|(?:sign-?off|signed-off-by|tags?|trailers?)\b)"
               r"(?![^.;!?]*\b(?:now|already|thanks|thank\s+you)\b)", re.I)

# Code the patch removes, then "keep it": "This drops the error handling; please keep it.", "You removed the NULL
# check; please keep it." (the patch's fate is "keep this patch": harness.pointwords' _FATE).
_REMOVAL = (r"\b(?:drops?|dropped|dropping|removes?|removed|removing|deletes?|deleted|loses?|lost|kills?|killed|"
            r"(?:gets?|got)\s+rid\s+of)\s+(?!(?:the\s+|this\s+|that\s+)?(?:patch(?:es)?|series|commit|v\d+|"
            r"[\w-]+-by|tags?|acks?)\b)(?:the|a|an|this|that|its|our|your|\w+\(\))\b")
_KEPT = r"(?:but\s+|so\s+)?(?:please\s+)?(?:keep|retain|preserve|restore)\s+(?:it|them|that|this|those)\b"
_KEEP_REMOVED = lazy(_REMOVAL + r"[^;:.!?]*[;:,.–—-]\s*" + _KEPT, re.I)
_KEEP_ALONE = lazy(r"^\W*" + _KEPT + r"(?:\s*(?:[.!,;:]|$)|\s+(?:please|as\s+well|too|there)\b)", re.I)
_REMOVES = lazy(_REMOVAL, re.I)

# A question, then its sender's own answer against the code: a safety asked and denied ("Fine as is? No, the counter
# still wraps."), a hazard asked and confirmed ("Can this overflow? Yes, on 32-bit."), a "who" answered "nobody".
_SAFE_Q = lazy(r"\b(?:safe|fine|ok|okay|correct|right|enough|sufficient|handled?|handles|covered|covers?|works?|"
               r"valid|bounded|checked|protected|balanced|intended)\b", re.I)
_HAZARD_Q = lazy(r"\b(?:overflows?|underflows?|wraps?|races?|fails?|leaks?|deadlocks?|sleeps?|crash(?:es)?|breaks?|"
                 r"hangs?|faults?|truncates?|corrupts?|go(?:es)?\s+away|be\s+(?:NULL|zero|negative|freed)|"
                 r"double[\s-]free|use[\s-]after[\s-]free|(?:spin|loop)s?\s+forever)\b", re.I)
_WHO_Q = lazy(r"^\W*(?:who|what|where|which)\b", re.I)
_NEG_Q = lazy(r"\b(?:not|never)\b|n['’]t\b", re.I)
_YES = lazy(r"^\W*(?:yes|yeah|yep|yup|(?:sure|of\s+course|unfortunately)[\s,]+it\s+(?:does|can|will)|it\s+(?:does|can|"
            r"will|could|is|might|may))\b(?!\s*n['’]t)(?!\s+not\b)", re.I)
_NO = lazy(r"^\W*(?:no|nope|not\s+really|not\s+quite|not\s+as\s+is|it\s+(?:doesn['’]t|does\s+not|isn['’]t|is\s+not|"
           r"can['’]t|cannot|won['’]t))\b", re.I)
_NOBODY = lazy(r"^\W*(?:nobody|no\s+one|nothing|none|nowhere|never)\b", re.I)
_WORDS = ("still", "same", "as ", "like ", "repeat", "restat", "reiterat", "was ", "think", "believe", "suspect",
          "guess", "feel", "sure", "certain", "confident", "feeling", "hunch", "bet ",
          "unexplain", "undocument", "unchecked", "unbounded", "unhandled", "unprotected",
          "unjustified", "unfixed", "uninitiali", "unbalanced", "unvalidated", "unverified", "unsynchroni",
          "unlocked", "unseriali", "unaccounted", "coded", "racy", "broken", "buggy", "wrong", "leaky", "incorrect",
          "another", "now we", "a ", "an ", "one more",
          # Of _TOO_BIG: a size, a count, an ordinal, one more.
          "line", "arg", "parameter", "ternar", "level", "more", "cop", "second", "third", "th ", "st ", "nd ", "rd ",
          "now ",
          "because", "surely", "belong", "go", "should", "keep", "retain", "preserve", "restore", "?")


def persisting_point(sentence: str, around: Sequence[str], reread: Callable[[str], bool]) -> bool:
    """Whether ``sentence`` (``around``: the sentence before it, or "", then the one after it, if any) is a review point
    said in words the other readers do not look through: a point said to be one made before (_CARRIED_LEAD), one with
    "still" or an opinion's lead read away (_STILL, _OPINION; ``reread`` tells whether the words left hold a point), a
    thing left unexplained (_LEFT), irony (_IRONY), a part of the mail placed wrong (_PLACED), removed code to keep
    (_KEEP_REMOVED), or a question its sender answers against the code (answered_against)."""
    if not sentence.rstrip().endswith("?") and (lead := _HEDGE_LEAD().match(sentence)
                                                or _INTERJECTION().match(sentence)) is not None:
        return _hedged_flaw(sentence[lead.end():], reread)
    low = sentence.lower()
    if not any(w in low for w in _WORDS):
        return False
    if sentence.rstrip().endswith("?"):
        return answered_against(sentence, around[1:2])
    if (lead := _CARRIED_LEAD().match(sentence)) is not None:
        rest = sentence[lead.end():]
        if reread(rest) or (_FLAWISH().search(rest) is not None and _APPROVING().search(rest) is None):
            return True
    if _LEFT().search(sentence) or _IRONY().search(sentence) or _PLACED().search(sentence) \
            or _STILL_POINTED().search(sentence) \
            or _KEEP_REMOVED().search(sentence):
        return True
    if _KEEP_ALONE().match(sentence) and around[:1] and _REMOVES().search(around[0]):
        return True
    for form in (_STILL, _OPINION, _MY_EARLIER):
        plain = form().sub("", sentence, count=1)
        if plain != sentence and plain.strip() and reread(plain[:1].upper() + plain[1:]):
            return True
    return False


def _hedged_flaw(rest: str, reread: Callable[[str], bool]) -> bool:
    """Whether ``rest``, a sentence's words after a hedge of misreading or an interjection (_HEDGE_LEAD,
    _INTERJECTION), hold a point: one the readers find, or a flaw or a change's doing the sender neither takes back
    nor grants (_SELF_TAKEN, _APPROVING)."""
    if _SELF_TAKEN().search(rest) or _APPROVING().search(rest):
        return False
    return reread(rest[:1].upper() + rest[1:]) or _FLAWISH().search(rest) is not None \
        or _CHANGED().search(rest) is not None


def answered_against(question: str, following: Sequence[str]) -> bool:
    """Whether ``question`` and the sentence after it (``following``) are its sender asking and answering against the
    code: a safety asked and denied, a hazard asked and confirmed, "who"/"what" answered "nobody"/"nothing". Not a
    negated question ("Isn't this racy? Yes.": either answer may be meant), nor an answer that is none."""
    if not following or _NEG_Q().search(question):
        return False
    answer = following[0]
    safe, hazard = _SAFE_Q().search(question) is not None, _HAZARD_Q().search(question) is not None
    if safe and not hazard and _NO().match(answer):
        return True
    if hazard and not safe and _YES().match(answer):
        return True
    return _WHO_Q().match(question) is not None and _NOBODY().match(answer) is not None
