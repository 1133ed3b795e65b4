"""A refusal to take the patch, read by its clause's grammar: who refuses, a negated verb of taking, and what."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from harness.drawnclause import drawn_clauses
from harness.regate import Gated, gated
from harness.replywords import NAMED_NUMBERS, NUMBERS, SERIES_LIST, holds_each, listed_numbers, sentences
from harness.requestgrammar import Searcher
from harness.tersepoints import carried_over
from models.lazyre import lazy
from models.record import record

# The refusals droprequest reads each named one form ("I won't apply this.", "This won't go in."), and every other
# form a maintainer writes passed the gate ("I will not be taking this patch.", "This will never go in.", "No way this
# goes in.", "Not going to take this."). Here a refusal is a clause of three parts, each read whatever its words:
#   a subject: the one taking (I, we, or none: "Not going to take this") or the patch itself ("this patch", "it");
#   a negated auxiliary: "won't", "will not be", "am not going to", "'ll never", "can't", "have no intention of",
#     "refuse to", a progressive "am not ... -ing", or a frame that negates the whole clause ("No way ...");
#   a verb of taking the patch in: apply, merge, take, queue, accept, carry, include, pick up, push, for the one
#     taking; go in, land, get in or merged, make it in, be applied or merged, for the patch;
# then its object (the patch named, or "this", "it") and what may end such a clause (its end, "as is", "until ...",
# "for now", "into my tree"; never another complement: "take it personally", "take this into account").
# The sentence is read as droprequest reads a request (harness.droprequest._request): a negation before the clause's
# own ("I'm not saying I won't take this"), a condition on it ("If I can't take this, ..."), a question ("Why won't
# you take this?"), a route elsewhere ("I can't take this, Andrew should") or an order of applying ("... without patch
# 2") make it none; quoted words are not the reply's and are never read here.
# Adverbs that may stand before a verb, up to two ("I really still can't take this."): a next revision's reply says
# "still", "again", "also" ("This version still breaks boot.", "I still won't take this.": each read as nothing).
_ADV_WORDS = (r"really|certainly|definitely|probably|simply|just|ever|likely|currently|honestly|absolutely|quite|"
              r"still|also|again|even|always|sadly|unfortunately|reliably|consistently|clearly|obviously|"
              r"apparently|actually|now")
_ADV = rf"(?:(?:{_ADV_WORDS})\s+){{0,2}}"
_PRE_ADV = rf"(?:\s+(?:{_ADV_WORDS})){{0,2}}"  # between the one who refuses and the verb: "I still won't"
_ONE_TAKING = r"(?:\b(?:I|we))"
# Another who takes it, the refusal reported ("Thomas won't take this.", "The x86 maintainers will not merge it.", "He
# isn't going to apply this."): a name (capitalised, not a word that opens a sentence), a pronoun, the maintainers.
_OPENERS = ("This|That|These|Those|There|Here|It|Its|You|Your|We|They|He|She|Nobody|Noone|Someone|Somebody|Anyone|"
            "Anybody|Everyone|Everybody|Which|What|Who|Why|How|When|Where|If|Then|So|But|And|Or|Maybe|Perhaps|Surely|"
            "Sorry|Please|Yes|No|Nope|Also|Well|Honestly|Frankly|Obviously|Clearly|Hopefully|Probably|Otherwise|Now|"
            "Still|Even|Just|Patch|Series|Code|The|A|An|One|Nothing|Unfortunately|Thanks|Again|Anyway|Hmm|Ok|Okay")
_OTHER_TAKING = (rf"(?:\b(?:he|she|they|upstream|mainline)|(?-i:\b(?!(?:{_OPENERS})\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
                 r"|\bthe\s+(?:[\w-]+\s+)?maintainers?)")
# Its negation in the third person ("isn't going to", "doesn't want to", "refuses to") beside _NEG_TAKER's.
_NEG_OTHER = (rf"(?:(?:\s+is|['’]s)\s+{_ADV}(?:not|never)\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?"
              rf"|\s+isn['’]t\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?"
              r"|\s+does(?:n['’]t|\s+not)\s+(?:plan|intend|want|wish|expect)\s+to\s+|\s+(?:refuses|declines)\s+to\s+)")
_NEG_TAKER = (
    rf"(?:(?:['’]m|\s+am|['’]re|\s+are)\s+{_ADV}(?:not|never)\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?"
    rf"|(?:['’]m|\s+am|['’]re|\s+are)\s+{_ADV}not\s+{_ADV}(?=\w+ing\b)"
    rf"|(?:\s+will|\s+shall|['’]ll)\s+{_ADV}(?:not|never)\s+{_ADV}(?:be\s+)?|\s+won['’]t\s+{_ADV}(?:be\s+)?"
    rf"|\s+(?:can(?:not|['’]t|\s+not)|(?:could|should)(?:n['’]t|\s+not)|would(?:n['’]t|\s+not|\s+never)|"
    r"['’]d\s+(?:not|never))"
    rf"\s+{_ADV}(?:be\s+)?"
    r"|\s+(?:do|did)(?:n['’]t|\s+not)\s+(?:plan|intend|want|wish|expect)\s+to\s+"
    # Declined as a preference: "I'd rather not take this as is.", "We'd prefer not to queue it.", "I'd rather we
    # didn't merge this." (each read as nothing, READY: round 68).
    r"|(?:['’]d|\s+would)\s+(?:(?:much|really|honestly|still)\s+)?(?:rather|prefer)\s+(?:not(?:\s+to)?|(?:I|we)\s+"
    r"(?:didn['’]t|did\s+not))\s+"
    # Declined as a view of what the sender can do: "I don't think I can take this one.", "I do not think we should
    # apply it." (the view's negation is the refusal's own, as "I can't take this" is).
    r"|\s+(?:do(?:n['’]t|\s+not))\s+(?:think|believe|see\s+how)\s+(?:that\s+)?(?:I|we)\s+(?:can|could|should|will|"
    r"would)\s+"
    # "I can not agree to merge this.", "I do not agree with merging this patch."
    r"|\s+(?:do(?:n['’]t|\s+not)|can(?:not|['’]t|\s+not))\s+agree\s+(?:to|with)\s+"
    r"|\s+(?:have|had)\s+no\s+(?:plans?|intention|interest|desire)\s+(?:of|in|to)\s+"
    r"|(?:['’]m|\s+am|['’]re|\s+are)\s+(?:not\s+(?:willing|prepared|inclined|going|able)|unwilling|unable|reluctant)"
    r"\s+to\s+"
    # Uneasy with taking it: "I'm really not comfortable taking this without a test." (READY: round 68)
    rf"|(?:['’]m|\s+am|['’]re|\s+are)\s+{_ADV}not\s+{_ADV}(?:comfortable|happy|keen)\s+(?:with\s+)?(?=\w+ing\b)"
    r"|\s+(?:refuse|decline)\s+to\s+)")
# The subject left out, as mail does: "Not going to take this.", "Not taking it, sorry.", "Won't apply this."
_LEAD = (r"(?:^|[,;:(]|\s[-–—]\s|\b(?:but|so|and|then|thus|hence|therefore|anyway)\b)\W*(?:(?:sorry|so|but|then|"
         r"honestly|frankly|well|no|nope|hmm+|ok|okay|unfortunately|alas|again|also|IMO|IMHO|FWIW|I['’]m\s+afraid|"
         r"I\s+fear|as\s+it\s+stands|at\s+this\s+point|from\s+(?:my|our|the\s+\w+|\w+)\s+side)[\s,.!]+)*"
         # A view put first: "I think this won't go in.", "I fear this will never land."
         # A certainty or a hunch put first as well: "Pretty sure this breaks the !CONFIG_SMP build." (round 68)
         r"(?:(?:(?:I|we)\s+(?:think|believe|fear|suspect|expect|guess|know|reckon)|(?:I['’]m\s+|I\s+am\s+)?(?:pretty|"
         r"fairly|quite|almost|reasonably)\s+(?:sure|certain|confident)|I\s+(?:have|get)\s+a\s+(?:feeling|hunch|"
         r"suspicion))\s+(?:that\s+)?)?")
_NEG_BARE = (rf"(?:(?:not|never)\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?|not\s+(?=\w+ing\b)"
             r"|(?:won['’]t|can['’]t|cannot|let['’]s\s+not|let\s+us\s+not)\s+)")
_TAKE = (r"(?:apply|applying|merge|merging|take|taking|queue|queu(?:e)?ing|accept|accepting|carry|carrying|include|"
         # An ack withheld is a refusal as well ("I won't ack this.", "I can't ack this patch."): the one asked to
         # vouch for it says no.
         r"including|push|pushing|pick(?:ing)?\s+up|send(?:ing)?\s+(?:upstream|on)|ack|acking|ack['’]?ing)")
_PICK = r"(?:pick(?:ing)?)"  # "pick this up": the object between the verb and its particle
# The patch named: "this patch", "the whole series", or by number ("patch 2", "patches 2 and 3", "2/3": of those).
_NOUN = (r"(?:(?:this|the|that|your|these|those)\s+(?:whole\s+|entire\s+|current\s+|new\s+|latest\s+)?"
         rf"(?:patch(?:set|es)?|series|commits?)|patch(?:es)?\s+{NUMBERS}(?![\w/'’])|(?<![\w/#]){SERIES_LIST}(?![\w/])"
         # The revision by its name ("I won't take v4.", "v4 is not going in.": read as nothing, READY), as
         # breakwords._REVISION reads a report of it.
         r"|\bv\d+(?:\s+of\s+(?:this|the|your)\s+(?:patch(?:set)?|series))?(?!\w))"
         # Not taken another way ("I'm not taking patch 3 personally."): a thing done with it, not the patch refused.
         r"(?!\s+(?:personally|seriously|lightly|literally|for\s+granted|(?:the\s+)?wrong\s+way|that\s+way|into\s+"
         r"(?:account|consideration)|as\s+(?:a|an)\b|to\s+mean)\b)(?!['’]s\b)(?!\s+(?:(?:yet\s+)?without\s+(?:patch|\d)|on\s+its\s+own|"
         r"alone|separately|before\s+patch|(?:to|for|into|in)\s+(?:the\s+)?(?:[\w.]+[-/])?stable)\b)"
         r"(?!\s+(?:title|subject|prefix|description|changelog|log|tag|number|name|hunk|message|hash|id|of|to|about)s?\b)")
_PRONOUN = (r"(?:(?:this|that|these|those)\s+(?:ones?|changes?|versions?|revisions?|postings?)"
            r"|this|it|that|these|them|those)")
# What may end a clause refusing a pronoun: its end, when or how ("as is", "until v3", "for now", "in this form"),
# where ("into my tree", "upstream"); never another complement ("take it personally", "take that into account",
# "apply it to the other loop", "take it back": a thing done with it, not the patch refused).
_WHEN = (r"(?:as[\s-]is|as\s+(?:it|they)\s+stands?|until|unless|yet|now|for\s+now|"
         r"for\s+(?:v?\d|the\s+next|this\s+(?:cycle|release|round)|the\s+"
         r"(?:moment|time\s+being))|in\s+(?:its|this|the)\s+(?:current\s+)?(?:form|state|shape)|like\s+(?:this|that)|"
         r"either|at\s+all|ever|again|this\s+(?:cycle|round|time|merge\s+window)|sorry|please|"
         r"though|then|upstream|by\s+(?:me|us)|without\s+(?!patch\b|\d)|in\s+(?:my|our|the|\w+['’]s)\s+(?:tree|branch|queue)|"
         r"(?:into|through|via)\s+(?:my|our|the|\w+['’]s|[\w.-]+/[\w.-]+|linux-next|tip)\b|because|since|as\s+long|"
         r"while|given|I|we|it|there)")
_END = rf"(?=\s*(?:[.!;,:)]|[-–—]|$|\b{_WHEN}\b))"
# Another only applies, merges, takes, queues, picks up or acks it: "Firmware won't accept it." is of a value.
_OTHERS_VERB = r"(?=(?:\w+\s+){0,2}?(?:apply|applying|merg|tak|queu|pick|ack)\w*\s)"
_TAKER_REFUSES = (rf"(?:{_ONE_TAKING}{_PRE_ADV}{_NEG_TAKER}"
                  rf"|{_OTHER_TAKING}{_PRE_ADV}(?:{_NEG_TAKER}|{_NEG_OTHER}){_OTHERS_VERB}"
                  rf"|{_LEAD}{_NEG_BARE})"
                  rf"{_ADV}(?:able\s+to\s+)?"
                  rf"(?:{_TAKE}\s+(?:(?P<noun>{_NOUN})|{_PRONOUN}{_END})|{_PICK}\s+(?:(?P<noun2>{_NOUN})|{_PRONOUN})"
                  # The object left out where the sentence ends: "Not applying.", "I won't ack." (read as nothing at
                  # ea1ce1e3)
                  rf"\s+up\b|(?:{_TAKE}|{_PICK}\s+up)(?=\s*(?:,\s*sorry\b|,\s*I['’]m\s+afraid\b|[.!])*\s*$))")
# The patch as the subject: "This will never go in.", "The series is not going anywhere.", "It won't get merged."
_NEG_PATCH = (rf"(?:\s+(?:(?:will|shall|would|could|should|must|may)(?:{_PRE_ADV}\s+not|n['’]t)|can(?:not|['’]t|"
              rf"{_PRE_ADV}\s+not)|won['’]t)"
              r"\s+(?:ever\s+)?"
              r"|['’]ll\s+never\s+|\s+(?:will|would|can|could)\s+never\s+"
              rf"|(?:\s+(?:is|are)(?:{_PRE_ADV}\s+not|n['’]t)|['’]s{_PRE_ADV}\s+not|['’]re{_PRE_ADV}\s+not|\s+(?:is|are)\s+never|"
              r"['’]s\s+never)"
              r"\s+(?:ever\s+)?(?:going\s+to|gonna)\s+)")
_PATCH_GOES = (r"(?:go\s+(?:in|upstream|anywhere|into\s+(?:mainline|linux-next|tip|[\w.-]+/[\w.-]+|\w+['’]s\s+tree|"
               r"(?:my|the|our)\s+(?:tree|branch|queue)))|land|get\s+(?:in|merged|applied|taken|accepted|picked\s+up|"
               r"queued|upstream)|make\s+it\s+(?:in|upstream)|be\s+(?:applied|merged|taken|accepted|picked\s+up|queued|"
               r"included|going\s+in))\b")
# The progressive with "not": "This isn't going anywhere.", "It's not getting merged." ("isn't going in" droprequest
# reads: the two alternatives overlap harmlessly).
_PATCH_GOING = (rf"(?:\s+(?:is|are)(?:{_PRE_ADV}\s+not|n['’]t)|['’]s{_PRE_ADV}\s+not|['’]re{_PRE_ADV}\s+not)\s+"
                r"(?:going\s+(?:in|upstream|anywhere)|"
                r"getting\s+(?:in|merged|applied|taken|accepted|picked\s+up|queued)|landing)\b")
# Its subject left out, as terse reviewers write it: "Must not be applied.", "Should not be merged.", "Shouldn't go in
# as is." (each read as nothing at e918a2cb: the gate passed); "Must not be applied to stable" names where, and is none.
# Only where the sentence starts: "... similar but should not be merged" is of two things in the code.
_BARE_MODAL = (r"^\W*(?:(?:sorry|so|no|nope|honestly|frankly|well|again|IMO|IMHO)[\s,.!]+)*"
               rf"{_ADV}(?:(?:must|should|shall|can|could|may|will|would)(?:{_PRE_ADV}\s+not|n['’]t)|cannot|won['’]t)")
_PATCH_REFUSED = (rf"(?:{_LEAD}(?:(?P<noun3>{_NOUN})|{_PRONOUN}){_PRE_ADV}(?:{_NEG_PATCH}{_PATCH_GOES}|{_PATCH_GOING})"
                  rf"|{_BARE_MODAL}\s+(?:ever\s+)?{_PATCH_GOES}){_END}")
# A frame negating the whole clause: "No way this goes in.", "There's no way I'm applying this.", "No way in hell
# we merge this series."
_NO_WAY = (rf"{_LEAD}(?:there['’]s\s+|there\s+is\s+)?no\s+way(?:\s+in\s+hell)?\s+(?:that\s+)?"
           rf"(?:{_ONE_TAKING}(?:['’](?:m|re|ll|d)|\s+(?:am|are|will|would|can|could))?\s+(?:be\s+)?(?:going\s+to\s+)?"
           rf"(?:{_TAKE}|appl(?:y|ies)|merges|takes|queues|accepts|picks\s+up)\s+(?:(?P<noun4>{_NOUN})|{_PRONOUN}{_END})"
           rf"|(?:(?P<noun5>{_NOUN})|{_PRONOUN})(?:\s+(?:will|would|can|could|is|['’]s)|['’]ll)?\s+(?:be\s+)?"
           r"(?:going\s+to\s+)?(?:go(?:es|ing)?\s+(?:in|upstream|anywhere)|lands?|landing|gets?\s+(?:in|merged|applied)|"
           r"getting\s+(?:in|merged|applied)|makes?\s+it\s+(?:in|upstream)|merged|applied|taken|accepted)\b)")
# Given up for dead by its holder: "Consider this patch dropped.", "Consider it rejected." ("Consider it done": none.)
_CONSIDER = (rf"\bconsider\s+(?:(?P<noun6>{_NOUN})|{_PRONOUN})\s+(?:(?:as|to\s+be)\s+)?(?:dropped|withdrawn|rejected|"
             r"dead|gone|unqueued|nak(?:ed|['’]d)|nack(?:ed|['’]d))\b")
# The sender's own objection named before "consider it withdrawn": "My objection on v2 was wrong: the caller holds the
# lock, so consider it withdrawn." withdraws the objection, not the patch (it blocked as a request to drop).
_OWN_POINT = lazy(r"\b(?:my|our)\s+(?:(?:earlier|previous|last|original|own|v\d+)\s+)?(?:objections?|concerns?|"
                  r"comments?|points?|remarks?|nits?|complaints?|questions?|NAK|NACK|feedback|suggestions?)\b", re.I)


def _own_withdrawn(sentence: str, m: re.Match[str]) -> bool:
    """Whether ``m``, a match of _CONSIDER with a pronoun and "withdrawn", gives up the sender's own objection that
    ``sentence`` (with the one before it) names (_OWN_POINT), not the patch ("..., consider it NAKed." gives up
    nothing)."""
    return "noun6" in m.groupdict() and not m.group("noun6") and m.group(0).lower().endswith("withdrawn") \
        and _OWN_POINT().search(sentence) is not None


# Declined in the affirmative, by the one taking: "I'm going to pass on this one.", "I reject this patch.", "Rejected."
# ("I'm not rejecting it" does not match: nothing may stand between the auxiliary and the verb), or the patch said to be
# ("This patch is rejected.").
# An objection said as one: "I object.", "I still object to this.", "I'm against this patch." (each read as nothing at
# ea1ce1e3); "I won't object" and "I don't object" are none (nothing may stand between the subject and the verb).
_DECLINED = (rf"{_ONE_TAKING}(?:['’](?:ll|m|d)|\s+(?:will|am|are|would|must|shall))?{_PRE_ADV}\s+"
             rf"(?:(?:going\s+to|have\s+to|gonna|hereby)\s+)?(?:pass(?:ing)?\s+on|reject(?:ing|s)?|declin(?:e|ing)|say(?:ing)?\s+no\s+to|"
             r"object(?:ing)?\s+to|(?:strongly\s+|firmly\s+)?(?:against|opposed\s+to))\s+"
             rf"(?:(?P<noun7>{_NOUN})|{_PRONOUN}{_END})"
             rf"|{_ONE_TAKING}(?:['’](?:ll|d)|\s+(?:will|would|must))?{_PRE_ADV}\s+(?:(?:strongly|firmly)\s+)?object"
             rf"(?=\s*(?:[.!;:]|$|,\s*(?:sorry|the|this|it|that)\b))"
             rf"|{_LEAD}(?:pass\s+on\s+(?:(?P<noun8>{_NOUN})|{_PRONOUN}{_END})|rejected(?=\s*(?:[.!;:,]|$)))"
             # Passed on with the object left out: "Thanks, but I'll pass.", "I'm going to pass, sorry." (round 68)
             rf"|{_ONE_TAKING}(?:['’](?:ll|m)|\s+(?:will|am))?{_PRE_ADV}\s+(?:(?:going\s+to|have\s+to|gonna)\s+)?pass"
             r"(?=\s*(?:[.!;]|$|,\s*(?:sorry|I['’]m\s+afraid|thanks)\b|\s+(?:for\s+now|this\s+time)\b))"
             # "It is rejected" is as often a call's answer: only "this" or "that" here.
             rf"|{_LEAD}(?:(?P<noun9>{_NOUN})|(?:this|that)(?:\s+one)?)\s+(?:is|has\s+been|was|got|['’]s)\s+(?:now\s+)?"
             rf"rejected{_END}")
# Not a thing one takes: "This isn't something we want upstream.", "Not something I'd merge.", "This is not acceptable
# to merge.", and a doubt of the one asked to take it, "I don't see this going in.", "I'm not convinced this should
# go in at all."
_NOT_A_TAKE = (rf"{_LEAD}(?:(?:(?P<noun>{_NOUN})|{_PRONOUN})"
               rf"(?:\s+is{_PRE_ADV}\s+not|\s+isn['’]t|['’]s{_PRE_ADV}\s+not)\s+|not\s+)"
               r"(?:(?:something|anything)\s+(?:(?:I|we)(?:['’]d|\s+would|\s+will|['’]ll|\s+can)?\s+)?(?:want\s+to\s+)?"
               r"(?:merge|take|apply|queue|accept|carry|want(?:\s+(?:in|upstream|merged|applied))?)"
               r"|(?:acceptable|mergeable)(?:\s+(?:to\s+(?:merge|apply|take)|for\s+(?:merging|inclusion|mainline)))?"
               # "... not OK to merge", "... not fine for upstream": alone "not OK" may be of the code quoted.
               r"|(?:ok|okay|fine|good)\s+(?:to\s+(?:merge|apply|take|go\s+in)|for\s+(?:upstream|merging|inclusion|mainline|"
               rf"merge))){_END}")
# The one taking seen not to: "I don't really see us taking this.", "I can't see anyone merging it." (round 68).
_NOT_SEEN = (rf"{_ONE_TAKING}\s+(?:do\s+not|don['’]t|can(?:not|['’]t|\s+not)){_PRE_ADV}\s+see\s+"
             r"(?:(?:us|me|you|anyone|anybody|him|them|\w+)\s+(?:ever\s+)?(?:taking|merging|applying|queu(?:e)?ing|"
             rf"accepting|picking\s+up)\s+(?:(?P<noun2>{_NOUN})|{_PRONOUN})"
             rf"|(?:(?P<noun>{_NOUN})|{_PRONOUN})"
             r"\s+(?:going\s+(?:in|upstream|anywhere)|getting\s+(?:in|merged|applied)|being\s+(?:merged|applied|taken)|"
             rf"landing|making\s+it\s+(?:in|upstream))){_END}")
# The sender yielding, in words that yield wherever they stand in a reply ("We shouldn't do this, but I won't block
# it.", "I'd rather we not do this. Your call, though."): an opinion, no objection. The one definition of them:
# harness.unnameddrop reads them anywhere in its sentence's text, _YIELDED after a "but" in the refusal's clause.
YIELDING = (r"(?:won['’]t|will\s+not|not\s+going\s+to|don['’]t\s+want\s+to)\s+(?:block|object|nak|nack|insist|"
            r"stand\s+in\s+the\s+way)|your\s+call|up\s+to\s+you|(?:don['’]t|do\s+not)\s+feel\s+strongly|"
            r"not\s+a\s+(?:blocker|big\s+deal)|no\s+strong\s+(?:opinion|feelings?)|fine\s+either\s+way|"
            r"(?:I|we)\s+can\s+live\s+with|"
            # A nit waived: "The name is a bit odd but not worth a respin." (h674: a review point since softwords)
            r"not\s+worth\s+(?:a\s+|another\s+)?(?:respin|resend|repost|new\s+(?:version|revision)|v\d+|round)")
# The sender yielding after their doubt or objection, in the same clause ("..., but I won't block it.", "..., but that
# can be a follow-up."): there, after the "but", weaker words yield too ("fine", "later", "minor"), which alone (as
# harness.unnameddrop would read them, anywhere in the text) say nothing of the objection.
_YIELDED = (rf"[^.;!?]*\b(?:but|though|although|however)\b[^.;!?]*\b(?:{YIELDING}|follow[- ]?up|fine|ok(?:ay)?|"
            r"can\s+wait|later|minor|a\s+nit|no\s+big\s+deal)\b")
_YIELDED_AT = lazy(_YIELDED, re.I)


class _Unyielded:
    """A refusal's pattern whose match may not start where the sender yields in the rest of its clause (_YIELDED: "...,
    but I won't block it."): as a negative lookahead at the pattern's start, but tried only where the pattern matched.
    Why: the lookahead ran at every position of a sentence and scanned to its end, and a reply of 10,000 unpunctuated
    lines of its own (test_hostile's quote and answer in turn) took minutes; this is the same match, found in linear
    time. The next match is looked for one character on, as the regex engine would."""

    def __init__(self, pattern: Gated) -> None:
        self.pattern = pattern

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        m = self.pattern.search(string, pos)
        while m is not None and _YIELDED_AT().match(string, m.start()):
            m = self.pattern.search(string, m.start() + 1)
        return m


def _unyielded(pattern: str) -> Callable[[], Searcher]:
    """``pattern`` (case-insensitive) as an _Unyielded, compiled at the first text that may hold a match of it and kept
    (harness.regate.gated: the 4,300 characters of _STANDS were compiled for 4 sentences of the corpus' eval holding
    no match, some 50 M instructions)."""
    made = gated(pattern, re.I)
    return functools.cache(lambda: _Unyielded(made()))


# A doubt of the one asked to take it, its subject left out too and "still" said: "I'm not convinced this should go
# in.", "Still not convinced this should go in.", "Not convinced we should take this." (each but the first read as
# nothing), and, convinced or persuaded, that it is needed or right, the patch named ("I'm not convinced this patch is
# needed.", "I am not convinced we need this patch."; "this" alone is placed by the quote above it, unnameddrop).
_DOUBTER = (rf"(?:{_ONE_TAKING}(?:['’]m|\s+am|['’]re|\s+are){_PRE_ADV}\s+|{_LEAD}{_ADV})not\s+(?:yet\s+|at\s+all\s+|"
            r"entirely\s+|fully\s+|really\s+)?")
_NOT_SURE = (rf"{_DOUBTER}(?:convinced|sure|persuaded)\s+(?:that\s+)?"
             rf"(?:(?:(?P<noun>{_NOUN})|{_PRONOUN})\s+(?:should|can|could|is\s+ready\s+to|needs\s+to)\s+(?:ever\s+)?"
             rf"{_PATCH_GOES}{_END}|(?:we|you|anyone|they)\s+(?:really\s+)?(?:should|ought\s+to|need\s+to|want\s+to)\s+"
             rf"{_TAKE}\s+(?:(?P<noun2>{_NOUN})|{_PRONOUN}{_END}))")
# What a patch is judged to be, doubted: needed, right, worth it (never "wrong": "Not convinced this is wrong").
JUSTIFIED = (r"(?:needed|necessary|required|justified|warranted|worth\s+(?:it|merging|taking|having)|worthwhile|"
             r"a\s+good\s+idea|(?:the\s+)?right\s+(?:approach|fix|thing(?:\s+to\s+do)?|way(?:\s+forward)?|solution|"
             r"direction)|an\s+improvement|correct|right)")
_UNJUSTIFIED = (rf"{_DOUBTER}(?:convinced|persuaded)\s+(?:that\s+)?(?:(?:we|you|anyone)\s+"
                rf"(?:really\s+|even\s+)?need\s+(?P<noun>{_NOUN})|(?P<noun2>{_NOUN})\s+(?:is|are|['’]s)\s+(?:really\s+|even\s+)?{JUSTIFIED})"
                rf"{_END}")
# The patch named and judged wrong as a whole: "This patch is wrong.", "Patch 2 is fundamentally broken." (read as
# nothing); "this is wrong" naming nothing is harness.unnameddrop's (below quoted code it judges the code).
_JUDGED_WRONG = (rf"{_LEAD}(?P<noun>{_NOUN})\s+(?:is|are|['’]s)\s+(?:(?:just|simply|plain|plainly|clearly|completely|"
                 r"totally|fundamentally|entirely|all|so|very|still)\s+)*(?:wrong|broken|bogus)"
                 r"(?=\s*(?:[.!;:]|$|,(?!\s*(?:but|though|although|however|if|unless|or|in|for)\b)))")
# Not wanted or accepted, the patch named: "I don't want this patch.", "We do not want this series upstream.", "Don't
# want this patch, sorry.", "I don't accept this patch.", "This patch is not wanted." (each read as nothing). Nothing
# may follow but where or when: "I don't want this patch to be delayed", "... dropped", "... backported" want another
# thing of it ("I don't want this." is harness.unnameddrop's, placed by the quote above it).
_WANT_END = (r"(?:\s+(?:in|upstream|merged|applied|at\s+all|either|as[\s-]is|(?:in|into)\s+(?:mainline|"
             r"(?:my|our|the)\s+(?:tree|branch|queue))|in\s+(?:its|this|the)\s+(?:current\s+)?(?:form|state|shape)))*"
             r"(?=\s*(?:[.!;,:)]|$|\s[-–—]\s|\b(?:until|unless|for\s+now|because|since|sorry|please|I|we|it|there|"
             r"this\s+(?:cycle|round|time))\b))")
_UNWANTED = (rf"(?:(?:{_ONE_TAKING}|{_OTHER_TAKING}){_PRE_ADV}\s+(?:do|does|did)(?:n['’]t|\s+not)|"
             rf"{_LEAD}(?:do(?:n['’]t|\s+not)))\s+{_ADV}(?:want|accept)\s+(?P<noun>{_NOUN}){_WANT_END}"
             rf"|{_LEAD}(?P<noun2>{_NOUN})\s+(?:(?:is|are)(?:{_PRE_ADV}\s+not|n['’]t)\s+(?:wanted|welcome)|(?:is|are)"
             rf"{_PRE_ADV}\s+unwanted){_END}")
# An objection of the sender's said to stand against this revision: "This doesn't address my feedback on v3.", "v2
# still doesn't address my comments on v1.", "My objections to v1 still apply.", "My feedback on v1 was not
# addressed.", "You ignored my feedback.", "I don't think this addresses my concerns." (each read as nothing: the gate
# passed what the reviewer says still has their objection against it). What it stands against is the patch it is below,
# or the patch its words name ("my review of patch 1"), whatever is quoted above it. A clause's subject only, never one
# under a condition ("If this doesn't address my feedback, ..."); "doesn't just address" praises, and one yielded
# ("..., but that can be a follow-up") stands not.
_POINTS = (r"(?:my|our)\s+(?:(?:earlier|previous|prior|original|last|outstanding|main|review|own|v\d+)\s+)?"
           r"(?:feedback|comments?|concerns?|objections?|review(?:\s+comments?)?|points?|complaints?|remarks?|NAK|NACK)"
           r"(?:\s+(?:on|from|to|about|for|against|regarding|of|in)\s+[^,;:.!?()]{1,40}?)?"
           # "You ignored what I said in v1.", "... everything I asked for" (read as nothing at ea1ce1e3)
           r"|(?:what|everything|anything|all|most)\s+(?:that\s+)?(?:I|we)\s+(?:said|asked\s+for|asked|suggested|wrote|"
           r"pointed\s+out|requested|commented)(?:\s+(?:on|about|for|in|to|regarding)\s+[^,;:.!?()]{1,40}?"
           r"|\s+(?:last\s+time|before|earlier|previously))?"
           # "You didn't fix the bug I pointed out.", "The bug I pointed out in v1 is still there." (read as nothing at
           # ea1ce1e3)
           r"|(?:the\s+)?(?:bugs?|problems?|issues?|concerns?)\s+(?:that\s+)?(?:I|we)\s+(?:pointed\s+out|reported|"
           r"mentioned|raised|flagged|described|found)(?:\s+(?:in|on|for|about|with)\s+[^,;:.!?()]{1,40}?)?")
# Not one the next clause says this revision settles: "My comment on v1 still stands, and v3 addresses it." (it
# blocked as a request to drop).
_STAND_END = (r"(?=\s*(?:[.!;,:)]|$|\s[-–—]\s|\b(?:either|at\s+all|yet|still|though|I|we|so|and|which|here)\b))"
              r"(?![,;]?\s*(?:and|but|though|although)\s+(?:this|it|v\d+|the\s+new\s+version|this\s+(?:version|"
              r"revision))\s+(?:now\s+|finally\s+)?(?:address|fix|resolv|handl)e?s\s+(?:it|them|that|those|all\s+of\s+"
              r"(?:it|them))\b)")
_SAYER = (r"(?:(?:this|it|that|you|v\d+(?:\.\d+)?|(?:this|the|that|your)(?:\s+(?:new|latest|current|updated))?\s+"
          r"(?:version|revision|patch|series|posting|respin|change|code|one|reply|answer|update|changelog))\s+)?")
_STANDS = (rf"(?:(?:^|[,;:]\s*|\b(?:but|so|and|sadly|unfortunately|still|now)\s+)\W*{_SAYER}"
           r"(?:(?:still|also|really|sadly|again)\s+)?"
           r"(?:(?:does|did|do)(?:n['’]t|\s+not)|(?:has|have)(?:n['’]t|\s+not)|fails?\s+to|failed\s+to|won['’]t)\s+"
           r"(?:(?:still|even|really|fully|actually|properly|yet)\s+)?(?:address|resolve|answer|fix|handle)(?:e?[ds])?\s+"
           r"(?:(?:any|all)\s+(?:of\s+)?)?"
           rf"|(?:^|[,;:]\s*|\b(?:but|so|and|sadly|unfortunately|still)\s+)\W*(?:{_SAYER}|you(?:['’]ve|\s+have)\s+|"
           r"(?:this|it|v\d+)\s+has\s+)(?:(?:simply|just|completely|again|still)\s+)?"
           r"(?:ignored|ignores|disregarded|disregards)\s+"
           r"|\bI\s+(?:do\s+not|don['’]t)\s+(?:think|believe|see\s+how)\s+(?:that\s+)?(?:\w+\s+){1,3}?"
           r"(?:(?:really|fully|actually)\s+)?(?:address|resolve|answer|fix|handle)(?:e?s)?\s+(?:(?:any|all)\s+(?:of\s+)?)?)"
           rf"(?P<noun>{_POINTS}){_STAND_END}"
           rf"|(?:^|[,;:]\s*|\b(?:but|so|and|sadly|unfortunately)\s+)\W*(?P<noun2>{_POINTS})\s+(?:(?:still|all|also)\s+)?"
           r"(?:stands?|appl(?:y|ies)|holds?|remains?(?:\s+(?:unaddressed|unanswered|valid|open))?|"
           r"(?:is|are|was|were|have\s+been|has\s+been)\s+(?:still\s+)?(?:not|never)\s+(?:been\s+)?"
           r"(?:addressed|answered|resolved|fixed|handled)|(?:isn['’]t|aren['’]t|wasn['’]t|weren['’]t|haven['’]t\s+been|"
           rf"hasn['’]t\s+been)\s+(?:addressed|answered|resolved|fixed|handled)|(?:is|are)\s+still\s+(?:there|present|"
           rf"here|unfixed|open|unaddressed)){_STAND_END}"
           # "None of my comments from v1 were addressed." (read as nothing at ea1ce1e3)
           rf"|(?:^|[,;:]\s*|\b(?:but|so|and|sadly|unfortunately)\s+)\W*none\s+of\s+(?P<noun3>{_POINTS})\s+"
           r"(?:(?:was|were|is|are|has|have)\s+(?:(?:been|really|actually|even)\s+)*|got\s+)"
           rf"(?:addressed|answered|resolved|fixed|handled){_STAND_END}")
_STANDS_RE = _unyielded(_STANDS)
# The sender's objection to an earlier revision said again of this one: "Same objection as for v1.", "Same problem as
# before.", "Still the same bug as in v1." (each read as nothing at ea1ce1e3). Not comments or nits, which may be
# anything ("Same comment as for patch 1: s/foo/bar/").
_SAME_AGAIN = (r"^\W*(?:(?:so|sigh|again|sadly|unfortunately)[\s,.]+)*(?:(?:it['’]s|this\s+is|that['’]s|there['’]s|"
               r"(?:this|it|v\d+)\s+(?:still\s+)?has)\s+)?(?:still\s+)?(?:the\s+)?same\s+(?:(?:old|NAK|fundamental)\s+)?"
               r"(?:objections?|concerns?|problems?|bugs?|issues?|NAK|NACK|complaints?)\s+(?:as\s+(?:(?:for|on|in|with|"
               r"against|with|to)\s+)?(?:v\d+|before|last\s+time|earlier|previously|the\s+(?:last|previous|earlier)\s+"
               r"(?:version|revision|round|posting|one))|again|here|still)(?:\s+(?:is|are)\s+still\s+(?:there|here|present))?"
               r"(?=\s*(?:[.!;:,)]|$))")
_NO_THANKS = r"^\W*(?:(?:thanks|thank\s+you)[\s,]+but\s+)?no\s+thanks?\b(?=\s*(?:[.!;,]|$))"
# A doubt that it ever goes in: "I don't think this will ever go in.", "I doubt this will be merged."
_DOUBTED = (rf"{_ONE_TAKING}\s+(?:(?:do\s+not|don['’]t)\s+(?:think|believe|expect)|doubt)\s+(?:that\s+)?"
            rf"(?:(?P<noun>{_NOUN})|{_PRONOUN})(?:\s+(?:will|would|can|could|is\s+going\s+to)|['’]ll)\s+(?:ever\s+)?"
            rf"{_PATCH_GOES}{_END}")
_NO_CHANCE = (rf"\b(?:zero|no|little)\s+chance\s+(?:of|that)\s+(?:(?P<noun>{_NOUN})|{_PRONOUN})?\s*(?:will\s+)?"
              r"(?:going\s+in|goes\s+in|go\s+in|being\s+(?:merged|applied)|getting\s+(?:in|merged|applied)|landing|lands?|"
              rf"making\s+it\s+in){_END}")
_NEGATIONS = ("not", "n't", "n’t", "never", "refuse", "declin", "unwilling", "unable", "reluctant", "no plan",
              "no intention", "no interest", "no desire")
_NOT = ("not", "n't", "n’t", "never")
# The words every way of going in (_PATCH_GOES, _PATCH_GOING) holds one of.
_GOES = ("go in", "go upstream", "go anywhere", "go into", "land", "get in", "get merged", "get applied", "get taken",
         "get accepted", "get picked", "get queued", "get upstream", "make it", "be applied", "be merged", "be taken",
         "be accepted", "be picked", "be queued", "be included", "be going", "going in", "going upstream",
         "going anywhere", "getting in", "getting merged", "getting applied", "getting taken", "getting accepted",
         "getting picked", "getting queued")
# Each form, compiled only for a sentence holding a word of each of its groups (every match holds one): compiled
# whole, the forms were 280 M instructions at the first reply with a "not" in it (most replies); the corpus's
# sentences now compile none.
_FORMS: tuple[tuple[Callable[[], Searcher], tuple[tuple[str, ...], ...]], ...] = (
    (gated(_TAKER_REFUSES, re.I), (("appl", "merg", "tak", "queu", "accept", "carr", "includ", "push", "pick", "send",
                                   " ack"),
                                  _NEGATIONS)),
    (gated(_PATCH_REFUSED, re.I), (_GOES, _NOT)),
    (gated(_NO_WAY, re.I), (("no way",),)),
    (gated(_CONSIDER, re.I), (("consider",),)),
    (gated(_DECLINED, re.I), (("pass", "reject", "declin", "say no", "object", "against", "opposed"),)),
    (gated(_NOT_A_TAKE, re.I), (("something", "anything", "acceptable", "mergeable", "ok", "fine", "good"),
                               ("merg", "tak", "appl", "queu", "accept", "carr", "want", "upstream", "mainline",
                                "inclusion", "go in"), _NOT)),
    (gated(_NOT_SEEN, re.I), (("see",), ("going", "getting", "being", "landing", "making", "taking", "merging",
                                         "applying", "queu", "accepting", "picking"), _NOT)),
    (_unyielded(_NOT_SURE), (("convinced", "sure", "persuaded"), (*_GOES, "appl", "merg", "tak", "queu", "accept",
                                                                   "carr", "includ", "push", "pick", "send", " ack"))),
    (_unyielded(_UNJUSTIFIED), (("convinced", "persuaded"), ("need", "necess", "requir", "justif", "warrant",
                                                             "worth", "idea", "right", "improv", "correct"))),
    (_unyielded(_UNWANTED), (("want", "accept", "welcome"),)),
    (_STANDS_RE, (("my ", "our ", "i said", "i asked", "i suggested", "i wrote", "i pointed", "i requested",
                   "i commented", "we said", "we asked", "we suggested", "we wrote", "we pointed", "we requested",
                   "we commented", "i reported", "i mentioned", "i raised", "i flagged", "i described", "i found",
                   "we reported", "we mentioned", "we raised", "we flagged", "we described", "we found"),
                  ("address", "resolv", "answer", "fix", "handl", "stand", "appl", "hold", "remain", "ignor",
                   "disregard", "still"))),
    (gated(_SAME_AGAIN, re.I), (("same",),)),
    (gated(_NO_THANKS, re.I), (("no thank",),)),
    (gated(_JUDGED_WRONG, re.I), (("wrong", "broken", "bogus"), ("patch", "series", "commit", "/", "v"))),
    (gated(_DOUBTED, re.I), (("doubt", "think", "believe", "expect"), _GOES)),
    (gated(_NO_CHANCE, re.I), (("chance",),)),
)
# Sent elsewhere, or a thing being done rather than the patch taken: undoes the refusal (droprequest._ELSEWHERE).
_ELSEWHERE = lazy(r"\b(?:belongs?|should\s+(?:go|take|apply|pick|route|merge|queue)|(?:goes|go|going)\s+(?:via|through)"
                  r"|instead|(?:rather|better)\s+(?:via|through|in)|(?:\w+|he|she|they)\s+(?:will|should|can)\s+"
                  r"(?:take|pick|apply|queue|merge))\b|\b(?:should|will|can)\W*$"
                  # An ack not the sender's to give ("I can't ack this, I'm not the maintainer."): no refusal.
                  r"|\b(?:(?:I['’]m|I\s+am)\s+not\s+(?:the|a|its)\s+(?:\w+\s+)?maintainer|not\s+my\s+(?:area|call|"
                  r"code|tree|subsystem))\b", re.I)


@record
class Refusal:
    """A sentence refusing the patch, and whether it names the patch ("this patch") or a pronoun or nothing ("I won't
    take this"), which the quote above it places (harness.unnameddrop)."""

    sentence: str
    named: bool
    numbers: tuple[int, ...] = ()  # the patches it names by number ("I will not be taking patch 2."), () for "this"


def refusal_at(sentence: str, m: re.Match[str]) -> Refusal:
    """The Refusal a form's match ``m`` in ``sentence`` makes: the patch its ``noun*`` group names, and the numbers
    listed there ("patch 2 and 3" -> (2, 3)); an unnamed one ("I won't take this") names none."""
    named = next((v for k, v in m.groupdict().items() if k.startswith("noun") and v), "")
    listed = NAMED_NUMBERS().search(named) if named else None
    numbers = listed_numbers(next(g for g in listed.groups() if g)) if listed else ()
    return Refusal(sentence, bool(named), numbers)


def refusal(text: str, request_in: Callable[[str, Searcher, bool], str | None]) -> Refusal | None:
    """The first sentence of ``text`` (a reply's own words) refusing to take the patch in (one of _FORMS), read by
    ``request_in`` (harness.droprequest.request_in: no negation before the refusal's own, no condition on it) in the
    whole sentence or a clause drawing it from what the sentence said first ("The loop has no bound, so I won't take
    this."); never a question ("Would you consider this patch dropped?"), nor an earlier point of the sender's said to
    stand that harness.tersepoints reads ("My comment still stands.": one meaning, a review point still standing, not a
    request to drop); None when there is none."""
    every = sentences(text)
    for n, sentence in enumerate(every):
        if sentence.endswith("?"):
            continue
        low, ascii_words = sentence.lower(), sentence.isascii()  # re.I matches some letters not ASCII with ASCII
        for form, gates in _FORMS:
            if (ascii_words and not holds_each(low, gates)) or (form is _STANDS_RE and _a_point(sentence)):
                continue
            for clause in (sentence, *drawn_clauses(sentence)):
                said = request_in(clause, form(), True)
                m = form().search(said) if said is not None else None
                if m is not None and not _ELSEWHERE().search(clause, m.end()) \
                        and not _own_withdrawn(" ".join(every[max(n - 1, 0):n + 1]), m):
                    return refusal_at(sentence, m)
    return None


def _a_point(sentence: str) -> bool:
    """Whether ``sentence``, an objection of its sender's said to stand, is theirs against the patch it is below, which
    harness.tersepoints reads as a review point still standing (one meaning: "My comment still stands." blocked as a
    request to drop here and as a point there); one naming another patch by number stays a refusal of that patch."""
    return carried_over(sentence) and NAMED_NUMBERS().search(sentence) is None


# When a refusal or hold says the patch may go in later: a release, a revision, a cycle or a merge window ("until
# 6.20", "until v3", "before the next merge window", "for now", "this cycle").
_DEFERRED = gated(r"\b(?:until|till|before|after)\s+(?:(?:the\s+)?(?:next\s+)?(?:merge\s+window|cycle|release|rc\d*)"
                  r"|v?\d+\.\d+(?:-rc\d+)?|v\d+|-?rc\d+|(?:the\s+)?(?:\d+\.\d+\s+)?merge\s+window\s+(?:closes|opens|is\s+over))"
                  r"|\b(?:for\s+now|this\s+(?:cycle|round|time|merge\s+window)|for\s+(?:this|the\s+(?:current|next))\s+"
                  r"(?:cycle|release|merge\s+window)|not\s+yet|for\s+the\s+(?:moment|time\s+being))\b", re.I)


def deferral(sentence: str) -> str | None:
    """The words of ``sentence`` (an objection read as a request to drop) putting the patch off to a later time
    rather than refusing it for good ("until 6.20", "for now", "this cycle"); None when there are none. A CI gate's
    READY says the revision may be applied now: a deferral says it may not, so it blocks as a refusal does, and the gate
    says it is one (it cannot tell when that time comes: the sender's later "Applied" lifts it)."""
    m = _DEFERRED().search(sentence)
    return m.group(0) if m else None


def standing_note(sentence: str) -> str:
    """What the gate says of a refusal ``sentence`` that is an objection of its sender's said to stand (_STANDS: "This
    doesn't address my feedback on v3."): whose objection, and that it is read against the revision the reply is
    below; "" for another."""
    m = _STANDS_RE().search(sentence)
    if m is None:
        return ""
    points = " ".join((m.group("noun") or m.group("noun2") or m.group("noun3")).split())
    return (f'its sender says an objection of theirs ("{points}") still stands against this revision: read as their '
            "request to drop it; it stands until they take it back or a rule citing the message judges it")

