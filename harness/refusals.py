"""A refusal to take the patch, read by its clause's grammar: who refuses, a negated verb of taking, and what."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.drawnclause import drawn_clauses
from harness.lazyre import lazy
from harness.replywords import sentences
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
_ADV = r"(?:(?:really|certainly|definitely|probably|simply|just|ever|likely|currently|honestly|absolutely|quite)\s+)?"
_ONE_TAKING = r"(?:\b(?:I|we))"
_NEG_TAKER = (
    rf"(?:(?:['’]m|\s+am|['’]re|\s+are)\s+{_ADV}(?:not|never)\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?"
    rf"|(?:['’]m|\s+am|['’]re|\s+are)\s+{_ADV}not\s+{_ADV}(?=\w+ing\b)"
    rf"|(?:\s+will|\s+shall|['’]ll)\s+{_ADV}(?:not|never)\s+{_ADV}(?:be\s+)?|\s+won['’]t\s+{_ADV}(?:be\s+)?"
    rf"|\s+(?:can(?:not|['’]t|\s+not)|(?:could|should)(?:n['’]t|\s+not)|would(?:n['’]t|\s+not|\s+never)|"
    r"['’]d\s+(?:not|never))"
    rf"\s+{_ADV}(?:be\s+)?"
    r"|\s+(?:do|did)(?:n['’]t|\s+not)\s+(?:plan|intend|want|wish|expect)\s+to\s+"
    r"|\s+(?:have|had)\s+no\s+(?:plans?|intention|interest|desire)\s+(?:of|in|to)\s+"
    r"|(?:['’]m|\s+am|['’]re|\s+are)\s+(?:not\s+(?:willing|prepared|inclined|going|able)|unwilling|unable|reluctant)"
    r"\s+to\s+"
    r"|\s+(?:refuse|decline)\s+to\s+)")
# The subject left out, as mail does: "Not going to take this.", "Not taking it, sorry.", "Won't apply this."
_LEAD = (r"(?:^|[,;:(]|\s[-–—]\s|\b(?:but|so|and|then|thus|hence|therefore|anyway)\b)\W*(?:(?:sorry|so|but|then|"
         r"honestly|frankly|well|no|nope|hmm+|ok|okay|unfortunately|alas|again|also|IMO|IMHO|FWIW|I['’]m\s+afraid|"
         r"I\s+fear|as\s+it\s+stands|at\s+this\s+point)[\s,.!]+)*"
         # A view put first: "I think this won't go in.", "I fear this will never land."
         r"(?:(?:I|we)\s+(?:think|believe|fear|suspect|expect|guess|know|reckon)\s+(?:that\s+)?)?")
_NEG_BARE = (rf"(?:(?:not|never)\s+{_ADV}(?:going\s+to|gonna)\s+(?:be\s+)?|not\s+(?=\w+ing\b)"
             r"|(?:won['’]t|can['’]t|cannot)\s+)")
_TAKE = (r"(?:apply|applying|merge|merging|take|taking|queue|queu(?:e)?ing|accept|accepting|carry|carrying|include|"
         r"including|push|pushing|pick(?:ing)?\s+up|send(?:ing)?\s+(?:upstream|on))")
_PICK = r"(?:pick(?:ing)?)"  # "pick this up": the object between the verb and its particle
_NOUN = (r"(?:this|the|that|your|these|those)\s+(?:whole\s+|entire\s+|current\s+|new\s+|latest\s+)?"
         r"(?:patch(?:set|es)?|series|commits?)(?!['’]s\b)(?!\s+(?:(?:yet\s+)?without\s+(?:patch|\d)|on\s+its\s+own|"
         r"alone|separately|before\s+patch|(?:to|for|into|in)\s+(?:the\s+)?(?:[\w.]+[-/])?stable)\b)"
         r"(?!\s+(?:title|subject|prefix|description|changelog|log|tag|number|name|hunk|message|hash|id|of|to|about)s?\b)")
_PRONOUN = (r"(?:(?:this|that|these|those)\s+(?:ones?|changes?|versions?|revisions?|postings?)"
            r"|this|it|that|these|them|those)")
# What may end a clause refusing a pronoun: its end, when or how ("as is", "until v3", "for now", "in this form"),
# where ("into my tree", "upstream"); never another complement ("take it personally", "take that into account",
# "apply it to the other loop", "take it back": a thing done with it, not the patch refused).
_WHEN = (r"(?:as[\s-]is|until|unless|yet|now|for\s+now|for\s+(?:v?\d|the\s+next|this\s+(?:cycle|release|round)|the\s+"
         r"(?:moment|time\s+being))|in\s+(?:its|this|the)\s+(?:current\s+)?(?:form|state|shape)|like\s+(?:this|that)|"
         r"either|at\s+all|ever|again|this\s+(?:cycle|round|time|merge\s+window)|sorry|please|"
         r"though|then|upstream|without\s+(?!patch\b|\d)|in\s+(?:my|our|the|\w+['’]s)\s+(?:tree|branch|queue)|"
         r"(?:into|through|via)\s+(?:my|our|the|\w+['’]s|[\w.-]+/[\w.-]+|linux-next|tip)\b|because|since|as\s+long|"
         r"while|given|I|we|it|there)")
_END = rf"(?=\s*(?:[.!;,:)]|[-–—]|$|\b{_WHEN}\b))"
_TAKER_REFUSES = (rf"(?:{_ONE_TAKING}{_NEG_TAKER}|{_LEAD}{_NEG_BARE}){_ADV}(?:able\s+to\s+)?"
                  rf"(?:{_TAKE}\s+(?:(?P<noun>{_NOUN})|{_PRONOUN}{_END})|{_PICK}\s+(?:(?P<noun2>{_NOUN})|{_PRONOUN})"
                  r"\s+up\b)")
# The patch as the subject: "This will never go in.", "The series is not going anywhere.", "It won't get merged."
_NEG_PATCH = (r"(?:\s+(?:(?:will|shall|would|could|should|must|may)(?:\s+not|n['’]t)|can(?:not|['’]t|\s+not)|won['’]t)"
              r"\s+(?:ever\s+)?"
              r"|['’]ll\s+never\s+|\s+(?:will|would|can|could)\s+never\s+"
              r"|(?:\s+(?:is|are)(?:\s+not|n['’]t)|['’]s\s+not|['’]re\s+not|\s+(?:is|are)\s+never|['’]s\s+never)"
              r"\s+(?:ever\s+)?(?:going\s+to|gonna)\s+)")
_PATCH_GOES = (r"(?:go\s+(?:in|upstream|anywhere|into\s+(?:mainline|linux-next|tip|[\w.-]+/[\w.-]+|\w+['’]s\s+tree|"
               r"(?:my|the|our)\s+(?:tree|branch|queue)))|land|get\s+(?:in|merged|applied|taken|accepted|picked\s+up|"
               r"queued|upstream)|make\s+it\s+(?:in|upstream)|be\s+(?:applied|merged|taken|accepted|picked\s+up|queued|"
               r"included|going\s+in))\b")
# The progressive with "not": "This isn't going anywhere.", "It's not getting merged." ("isn't going in" droprequest
# reads: the two alternatives overlap harmlessly).
_PATCH_GOING = (r"(?:\s+(?:is|are)(?:\s+not|n['’]t)|['’]s\s+not|['’]re\s+not)\s+(?:going\s+(?:in|upstream|anywhere)|"
                r"getting\s+(?:in|merged|applied|taken|accepted|picked\s+up|queued)|landing)\b")
_PATCH_REFUSED = (rf"{_LEAD}(?:(?P<noun3>{_NOUN})|{_PRONOUN})(?:{_NEG_PATCH}{_PATCH_GOES}|{_PATCH_GOING}){_END}")
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
_REFUSAL = lazy(rf"{_TAKER_REFUSES}|{_PATCH_REFUSED}|{_NO_WAY}|{_CONSIDER}", re.I)
# Only text holding one of these is searched (most replies hold none): each alternative has one.
_WORDS = ("not", "n't", "n’t", "never", "no way", "refuse", "decline", "no plan", "no intention", "no interest",
          "no desire", "unwilling", "unable", "reluctant", "consider")
# Sent elsewhere, or a thing being done rather than the patch taken: undoes the refusal (droprequest._ELSEWHERE).
_ELSEWHERE = lazy(r"\b(?:belongs?|should\s+(?:go|take|apply|pick|route|merge|queue)|(?:goes|go|going)\s+(?:via|through)"
                  r"|instead|(?:rather|better)\s+(?:via|through|in)|(?:\w+|he|she|they)\s+(?:will|should|can)\s+"
                  r"(?:take|pick|apply|queue|merge))\b|\b(?:should|will|can)\W*$", re.I)
_NOUN_GROUPS = ("noun", "noun2", "noun3", "noun4", "noun5", "noun6")


@record
class Refusal:
    """A sentence refusing the patch, and whether it names the patch ("this patch") or a pronoun or nothing ("I won't
    take this"), which the quote above it places (harness.unnameddrop)."""

    sentence: str
    named: bool


def refusal(text: str, request_in: Callable[[str, re.Pattern[str], bool], str | None]) -> Refusal | None:
    """The first sentence of ``text`` (a reply's own words) refusing to take the patch in (_REFUSAL), read by
    ``request_in`` (harness.droprequest.request_in: no negation before the refusal's own, no condition on it) in the
    whole sentence or a clause drawing it from what the sentence said first ("The loop has no bound, so I won't take
    this."); never a question ("Would you consider this patch dropped?"); None when there is none."""
    low = text.lower()
    if text.isascii() and not any(w in low for w in _WORDS):
        return None
    for sentence in sentences(text):
        if sentence.endswith("?"):
            continue
        for clause in (sentence, *drawn_clauses(sentence)):
            said = request_in(clause, _REFUSAL(), True)
            m = _REFUSAL().search(said) if said is not None else None
            if m is None or _ELSEWHERE().search(clause, m.end()):
                continue
            return Refusal(sentence, any(m.group(g) for g in _NOUN_GROUPS))
    return None


# When a refusal or hold says the patch may go in later: a release, a revision, a cycle or a merge window ("until
# 6.20", "until v3", "before the next merge window", "for now", "this cycle").
_DEFERRED = lazy(r"\b(?:until|till|before|after)\s+(?:(?:the\s+)?(?:next\s+)?(?:merge\s+window|cycle|release|rc\d*)"
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
