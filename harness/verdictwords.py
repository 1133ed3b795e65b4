"""What a reply judges without naming it ("This is wrong.", "I don't want this."), as harness.unnameddrop reads it."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.askedwords import C_NAME
from harness.judgingwords import BUG_VERB, DIFFERENT, THAN_OLD, WORSE, Use, judging
from harness.refusals import JUSTIFIED
from harness.regate import Gated, gated

# The patch judged wrong or broken as a whole, naming nothing: "Nope, this is wrong.", "This is just broken.", "This
# approach is fundamentally wrong." Below quoted code it judges that code, a review comment: read as _NO_HAPPEN is.
# Its subject left out as terse reviewers do, "Still broken.", "Still wrong.", "Nope, still broken.", and the wrong
# approach named, "This is the wrong approach.", "This is broken in multiple ways." (each read as nothing at ea1ce1e3).
# An interjection or a courtesy before a verdict changes nothing: "Ehh, I'm not sure about this one.", "With respect, I
# don't think this is a good idea.", "Hmm, I don't think we want this in its current shape." (READY: round 68).
_SOFT_LEADS = (r"hmm+|hm+|eh+|ehm|erm+|uh+|uhm|um+|with\s+(?:all\s+(?:due\s+)?)?respect|respectfully|"
               r"to\s+be\s+honest|tbh")
_JUDGED_LEAD = (r"^\W*(?:(?:so|sorry|but|then|no|nope|nah|honestly|frankly|well|sigh|again|IMO|IMHO|" + _SOFT_LEADS
                + r")[\s,.!:]+)*"
                r"(?:I\s+(?:think|believe|fear)\s+|I['’]m\s+afraid\s+)?")
_JUDGED_THIS = r"(?:this|that|it)(?:\s+(?:one|approach|whole\s+thing|version|patch))?"
_JUDGED_ADV = (r"(?:(?:just|simply|plain|plainly|clearly|completely|totally|fundamentally|entirely|all|so|very|still|"
               r"really|quite|pretty)\s+)*")
# How it seems is the same verdict: "This looks wrong.", "Looks broken to me.", "This seems wrong.", "This feels like a
# hack." (each read as nothing: the gate passed).
_JUDGED_SEEMS = r"(?:looks|seems|feels|sounds)(?:\s+(?:like|to\s+be))?"
_JUDGED_SUBJECT = (rf"{_JUDGED_LEAD}(?:{_JUDGED_THIS}\s*(?:(?:is|['’]s)|{_JUDGED_SEEMS})\s+|{_JUDGED_SEEMS}\s+)?"
                   rf"{_JUDGED_ADV}")
_JUDGED_END = (r"(?:\s+in\s+(?:(?:so\s+)?many|multiple|several|various|a\s+few|a\s+couple\s+of)\s+ways"
               r"|\s+beyond\s+repair|\s+again|\s+to\s+me)?"
               r"(?=\s*(?:[.!;:]|$|,(?!\s*(?:but|though|although|however|if|unless|or|in|for)\b)))")
# Disgust with the patch as a whole is the same verdict: "This is a horrible hack.", "This is really gross." (read as
# nothing at ef915852); "Yuck." stands alone (_BARE_REFUSAL); "This is a bit of a hack, but ..." goes on, and is none
# (_JUDGED_END). Not "That's terrible.", said as often of a bug the thread reports.
_DISGUST = (r"(?:an?\s+)?(?:(?:horrible|ugly|gross|terrible|awful|disgusting|nasty|vile)\s+)?hack|gross|disgusting|"
            r"revolting|unmaintainable")
# Or suspect: "This looks suspicious.", "Fishy.", "Dodgy." (each read as nothing; harness.judgingwords' Use.PATCH).
_WRONG = gated(rf"{_JUDGED_SUBJECT}(?:{judging(Use.PATCH)}|all\s+kinds\s+of\s+(?:wrong|broken)|{_DISGUST}|"
              r"(?:a\s+(?:step|move)\s+in\s+)?(?:the\s+)?wrong\s+(?:approach|fix|way|direction|solution|thing\s+to\s+do)"
              # "I think this is the wrong way to do it." (read as nothing: the gate passed)
              r"(?:\s+to\s+(?:do|fix|solve|handle|go\s+about)\s+(?:it|this|that))?)"
              rf"{_JUDGED_END}", re.I)
# The same verdict put with a "not", which is its own: "This is still not right.", "That's not what I asked for.",
# "This isn't the right approach.", "This can't work." (each read as nothing at ea1ce1e3).
_NOT_RIGHT = gated(rf"{_JUDGED_LEAD}(?:(?:{_JUDGED_THIS}\s*(?:is|['’]s)\s+)?{_JUDGED_ADV}not\s+|{_JUDGED_THIS}\s*"
                  rf"isn['’]t\s+{_JUDGED_ADV}"
                  # The negation put on the sender's view: "I don't think this is a good idea." (READY: round 68)
                  rf"|I\s+(?:really\s+|just\s+)?(?:don['’]t|do\s+not)\s+think\s+(?:that\s+)?{_JUDGED_THIS}\s*(?:is|['’]s)\s+"
                  rf"{_JUDGED_ADV})"
                  r"(?:right|correct|ok|okay|what\s+I\s+(?:asked\s+for|suggested|meant)|(?:a\s+)?good\s+(?:idea|approach|"
                  r"fix|solution)|wise|sensible|"
                  r"(?:the\s+)?right\s+(?:approach|fix|way(?:\s+to\s+do\s+(?:it|this))?|direction|solution|thing(?:\s+to\s+do)?)"
                  # "This is not the way to fix this." (read as nothing: the gate passed)
                  r"|the\s+way\s+to\s+(?:do|fix|solve|handle|go\s+about)\s+(?:it|this|that)|the\s+(?:right\s+)?way\s+to\s+go)"
                  rf"{_JUDGED_END}"
                  # The "not" on the belief before it: "I don't think this is right.", "I don't believe that's the
                  # right approach.", "I don't think this works." (each read as nothing: the gate passed).
                  r"|^\W*(?:(?:so|sorry|but|then|no|nope|honestly|frankly|well|again)[\s,.!:]+)*(?:I|we)\s+(?:really\s+)?"
                  r"(?:do\s+not|don['’]t)\s+(?:really\s+)?(?:think|believe|feel)\s+(?:that\s+)?"
                  rf"{_JUDGED_THIS}\s*(?:(?:is|['’]s)\s+{_JUDGED_ADV}(?:right|correct|ok|okay|(?:the\s+)?right\s+"
                  r"(?:approach|fix|way(?:\s+to\s+(?:do|fix)\s+(?:it|this))?|direction|solution|thing(?:\s+to\s+do)?))"
                  r"|(?:works|will\s+work|can\s+work|would\s+work))"
                  rf"{_JUDGED_END}"
                  rf"|{_JUDGED_LEAD}{_JUDGED_THIS}\s*(?:can(?:not|['’]t|\s+not)|won['’]t|will\s+not|"
                  r"(?:is|['’]s)\s+not\s+going\s+to|isn['’]t\s+going\s+to|does(?:n['’]t|\s+not))\s+(?:possibly\s+|ever\s+)?"
                  rf"work{_JUDGED_END}", re.I)


# Not wanted, accepted or liked, naming nothing: "I don't want this.", "We really do not want that, sorry.", "I don't
# accept this.", "I really don't like this." (read as nothing at ef915852; "I don't like this name" names its object)
# ("I don't want this merged" is droprequest's); read as _NO_HAPPEN is.
# Not needed, or disagreed with, the same way: "We don't need this.", "I don't think we want this.", "I don't see
# why we'd need this.", "I don't see the point of this patch.", "I disagree with this patch." (each read as nothing:
# the gate passed).
_UNWANTED = gated(r"^\W*(?:(?:so|sorry|but|then|no|nope|nah|honestly|frankly|well|IMO|IMHO|" + _SOFT_LEADS
                  + r")[\s,.!]+)*"
                 r"(?:(?:I|we)\s+(?:really\s+|just\s+|simply\s+)?(?:do\s+not|don['’]t)\s+(?:really\s+)?"
                 r"(?:(?:think|believe)\s+(?:that\s+)?(?:we|you|anyone)\s+(?:really\s+|even\s+)?(?:want|need)"
                 r"|want|accept|like|need)\s+(?:this|that|it)"
                 r"|I\s+(?:really\s+)?(?:do\s+not|don['’]t)\s+see\s+(?:why\s+(?:we|you|anyone)(?:['’]d|\s+would)\s+"
                 r"(?:want|need)\s+|the\s+(?:need|point|use)\s+(?:for|of|in)\s+)(?:this|that|it)"
                 r"|(?:I|we)\s+(?:strongly\s+|really\s+|completely\s+|fundamentally\s+)?disagree\s+with\s+(?:this|that|it)"
                 # Not liked, put as what the sender cannot say: "Can't say I like this." (read as nothing: round 68)
                 r"|(?:I\s+)?(?:can['’]t|cannot|can\s+not)\s+say\s+(?:that\s+)?I\s+(?:really\s+|much\s+)?(?:like|love|"
                 r"agree\s+with)\s+(?:this|that|it)"
                 # Not liked, put as the one judging: "Not a fan of this.", "I'm not happy with this." (read as nothing)
                 r"|(?:(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+)?(?:really\s+|still\s+)?not\s+(?:(?:really|much\s+of|exactly)\s+)?"
                 r"(?:a\s+(?:big\s+|huge\s+)?fan|"
                 r"(?:at\s+all\s+|really\s+|too\s+|very\s+)?(?:happy|keen|thrilled|comfortable))"
                 r"(?:\s+(?:of|with|about)\s+(?:this|that|it))?)"
                 r"(?:\s+(?:one|patch|change|approach))?(?:\s+(?:at\s+all|upstream|in|either|in\s+(?:its|this|the)\s+"
                 r"(?:current\s+)?(?:form|shape|state)|as[\s-]is|as\s+it\s+stands))?"
                 r"(?=\s*(?:[.!;:]|$|,\s*(?:sorry|I['’]m\s+afraid|to\s+be\s+honest|honestly|tbh)\b))", re.I)
# The patch as a thing wanted in the tree: "I'm not sure this is something we want upstream." (read as nothing, READY:
# round 68); "something we want in stable" names where, and is no doubt of the change.
_WANTED = (r"(?:something|anything|what)\s+(?:(?:I|we)\s+(?:really\s+)?(?:want|need)(?:\s+to\s+(?:take|merge|carry))?)"
           r"(?:\s+(?:upstream|in\s+(?:mainline|the\s+kernel|the\s+tree)|merged))?")
# A doubt that what it names is needed or right, naming nothing: "I'm still not convinced this is the right approach.",
# "Not convinced we need it." (each read as nothing: the gate passed); below quoted code it doubts that code, a review
# comment: read as _NO_HAPPEN is. "Not convinced this is wrong" doubts no merit of it.
_UNCONVINCED = gated(r"^\W*(?:(?:so|sorry|but|then|no|nope|honestly|frankly|well|IMO|IMHO|" + _SOFT_LEADS
                     + r")[\s,.!]+)*"
                    r"(?:(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+)?(?:(?:still|really|just)\s+)?not\s+(?:yet\s+|at\s+all\s+|"
                    r"entirely\s+|fully\s+|really\s+)?(?:convinced|persuaded)\s+(?:that\s+)?"
                    r"(?:(?:we|you|anyone)\s+(?:really\s+|even\s+)?(?:need|want)\s+(?:this|it|that)(?:\s+one)?"
                    rf"|(?:this|it|that)(?:\s+one)?\s*(?:is|['’]s)\s+(?:really\s+|even\s+)?(?:{JUSTIFIED}|{_WANTED}))"
                    r"(?=\s*(?:[.!;:,)]|$))", re.I)
# A doubt put as not being sure, or as doubts held: "Not sure this is correct.", "Hmm, not sure about this.", "I have
# concerns about this approach." (each read as nothing: the gate passed). Not one granting the rest after it ("Not
# sure about this, but fine."), nor a doubt of something named ("Not sure about the name.").
_UNSURE = gated(r"^\W*(?:(?:so|sorry|but|then|honestly|frankly|well|IMO|IMHO|" + _SOFT_LEADS + r")[\s,.!]+)*"
                r"(?:(?:(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+)?(?:still\s+|really\s+|just\s+)?not\s+(?:so\s+|too\s+|"
                r"entirely\s+|really\s+|at\s+all\s+|fully\s+)?sure\s+(?:about\s+(?:this|that|it)(?:\s+(?:one|approach|"
                r"change|patch))?|(?:that\s+)?(?:this|it|that)(?:\s+one)?\s*(?:is|['’]s)\s+(?:really\s+|even\s+)?"
                rf"(?:{JUSTIFIED}|{_WANTED}))"
                r"|(?:I|we)\s+(?:still\s+)?(?:have|had)\s+(?:some\s+|serious\s+|real\s+|strong\s+|my\s+)?(?:doubts|"
                r"concerns|reservations)\s+(?:about|with|on|regarding)\s+(?:this|that|it)(?:\s+(?:one|approach|change|"
                r"patch))?)"
                r"(?=\s*(?:[.!;:)]|$|,(?!\s*(?:but|though|although|however)\b)))", re.I)


# What judges the code a reply quotes or names in few words (code_judged). The judging words: "wrong", "stale",
# "pointless", "superfluous", "overkill" ... (harness.judgingwords' Use.CODE); "needed" or "fine" judge nothing wrong.
_JUDGING = judging(Use.CODE) + r"(?![\w-])"
# Words that open a sentence without changing what it says ("Nit: ...", "Hmm, ...", "I think ...", "Mae, ..."); no
# negation.
_CODE_LEAD = (r"^\W*(?:(?:nit|nitpick|minor|also|and|so|but|again|then|hmm+|hm+|honestly|frankly|sadly|"
              r"unfortunately|well|yes|yeah|IMO|IMHO|FWIW|I\s+think|I\s+believe|I\s+guess|I\s+suspect|I\s+fear|"
              r"I['’]m\s+afraid|(?-i:[A-Z][a-z]+,))[\s,:]+)*")
# Degrees and times a verdict holds in; not "not", "no longer", "never", "hardly" (each takes it back).
_CODE_ADV = (r"(?:(?:now|still|also|just|simply|clearly|obviously|completely|totally|entirely|fully|largely|mostly|"
             r"pretty|quite|rather|really|very|so|somewhat|kind\s+of|sort\s+of|a\s+bit|a\s+little|actually|effectively|"
             r"basically|essentially|probably|likely|then|even|IMO|IMHO)[\s,]+)*")
# The code judged: "this comment", "the format string", "the error path here", "tdx_call_busy()", "it" (a name of C
# in its own case: under re.I, C_NAME's capitals would take any word, "Nothing is wrong here.").
_CODE_SUBJECT = (r"(?:(?:this|that|it|these|those)(?:\s+[\w%#.()-]+){0,2}|(?:the|your|its|our|their|each|every|both|"
                 rf"all|such)\s+[\w%#.()-]+(?:\s+[\w%#.()-]+){{0,3}}|(?-i:{C_NAME}))")
# What may follow a verdict of few words: where, when or in what it holds ("here", "again", "in this version", "for
# a single caller", ", IMHO"), then the sentence's end.
_TAIL = (r"(?:[\s,]+(?:now|here|there|again|too|as\s+well|anymore|any\s+more|yet|either|still|IMO|IMHO|to\s+me|"
         r"I\s+think|(?:in|with|for|on|after|since|from)\s+(?:this|the\s+(?:new|latest|current)|v\d+)(?:\s+(?:"
         r"version|revision|spin|posting|series|patch|change))?|(?:for|in|on|with)\s+(?:an?|the|this|that|such|"
         r"one|each|every|\w+_\w*)\s+[\w%#().-]+(?:\s+[\w%#().-]+)?))*\s*[.!]*\s*$")
# The code said to be so: "This comment is stale.", "The cast looks pointless here.", "It's dead code now."
_IS_JUDGED = gated(rf"{_CODE_LEAD}{_CODE_SUBJECT}(?:\s+(?:is|are|looks|look|seems|seem|appears|remains|stays)|"
                   rf"['’](?:s|re))\s+{_CODE_ADV}{_JUDGING}", re.I)
# A judging word alone, or naming a thing: "Useless.", "Overkill, IMHO.", "Completely unnecessary.", "Stale comment.",
# "Obsolete comment here." Not a word of the sender's own mail: "Wrong patch, sorry." (they answered another).
_BARE_JUDGED = gated(rf"{_CODE_LEAD}{_CODE_ADV}{_JUDGING}(?:\s+(?!(?:patch|thread|mail|e-?mail|message|reply|list|"
                     r"address|person|link|tree|branch|for|in|on|with|here|now|again|too)\b)[\w%#().:/-]+){0,2}"
                     + _TAIL, re.I)
# A bug of the code claimed, its subject a part of the code named ("The error path leaks the page.";
# harness.defectwords reads "This leaks ..."); not the code before the patch ("The old code leaks the buffer.").
_BUG_CLAIMED = gated(r"^\W*(?:(?:also|and|so|but|hmm+|I\s+think|(?-i:[A-Z][a-z]+,))[\s,:]+)*"
                     r"(?:the|your|its|each|every)\s+(?!(?:old|previous|original|current|existing|unpatched|upstream)\b)"
                     rf"[\w%#.()-]+(?:\s+[\w%#.()-]+){{0,3}}?\s+(?:(?:can|could|may|might|will|would)\s+)?"
                     rf"(?:still\s+|also\s+)?{BUG_VERB}", re.I)
# The code judged against what it replaced, its subject the patch's code or a part of it: "This reads worse than
# before.", "The new condition is subtly different from the old one.", "This is not equivalent to the old code.",
# "It's harder to follow now.", its subject left out, "Subtly different from the old one." (each read as nothing:
# the gate passed). Not the old code's ("The old code reads worse than this." praises the patch), nor one denied ("This
# is no worse.", "This isn't different.": no negation but the form's own before the word), nor a wish ("This would be
# worse.").
_COMPARED = gated(rf"{_CODE_LEAD}(?:(?!(?:the|its|your)\s+(?:old|previous|original|existing|former|prior|unpatched|"
                  rf"upstream)\b){_CODE_SUBJECT}(?:\s+(?:is|are|looks|look|seems|seem|reads|read|feels|feel|appears|"
                  rf"behaves|gets|got|becomes|became)|['’](?:s|re))\s+)?{_CODE_ADV}(?:(?:much|far|even|a\s+lot|way)\s+)?"
                  rf"(?:{WORSE}|{DIFFERENT}){THAN_OLD}", re.I)
# Where a sentence's verdict is taken back, granted or left to the author after it: "Redundant, but harmless.",
# "This is unused, so dropping it is fine.", "The old code leaks the buffer, this fixes it."
_TAKEN = gated(r"\b(?:but|though|although|however|yet|except|unless|fine|ok(?:ay)?|good|great|nice|right|correct|"
               r"thanks|agreed?|makes\s+sense|harmless|ignore|sorry|my\s+bad|never\s*mind|expected|intended|"
               r"fix(?:es|ed)?|without\s+(?:this|the\s+(?:patch|series|fix|change)|patch)|before\s+(?:this|the\s+"
               r"patch))\b", re.I)
# A point said still open: "This still isn't addressed.", "Still not fixed in this version.", "Not addressed yet.",
# "The leak is still there.", "You still haven't addressed my comment."
_SETTLED = r"(?:fixed|addressed|done|resolved|handled|changed|taken\s+care\s+of|sorted(?:\s+out)?)"
_UNFIXED = gated(rf"{_CODE_LEAD}(?:{_CODE_SUBJECT}\s*)?(?:(?:(?:is|are|['’]s|['’]re)\s+)?(?:still\s+)?"
                 r"(?:(?:is|are)\s*)?"
                 rf"(?:not|n['’]t)\s+(?:yet\s+|really\s+|fully\s+|properly\s+)?{_SETTLED}"
                 r"|(?:(?:is|are|['’]s|['’]re)\s+)?still\s+(?:unaddressed|unfixed|unresolved|unchanged|there|present|"
                 r"the\s+same|outstanding|open)"
                 r"|(?:you\s+)?(?:still\s+)?(?:haven['’]t|have\s+not|didn['’]t|did\s+not)\s+(?:yet\s+|really\s+)?"
                 r"(?:address|fix|handle|resolve|answer|respond\s+to)(?:ed)?\s+(?:my|this|that|it|the|v\d+['’]s)"
                 rf"(?:\s+[\w%#().-]+){{0,3}}?)(?![\w-]){_TAIL}", re.I)

# A merit of the code doubted: the "not" on the belief, or a doubt, before what the patch claims or needs ("I don't
# think the leak is fixed here.", "I'm not sure the retry loop is bounded.", "I doubt this works with
# CONFIG_SMP=n.": each passed READY at 0a5e4da7). "Needed" only of a thing named: "I don't think that's needed."
# answers a question as often. Not the old code's ("I don't think the old code handles it, this does.").
_DOUBTING = (r"^\W*(?:(?:so|but|honestly|frankly|well|also|and|hmm+|hm+|IMO|IMHO|FWIW)[\s,.!:]+)*"
             r"(?:(?:I|we)\s+(?:really\s+|still\s+)?(?:do\s+not|don['’]t)\s+(?:really\s+)?(?:think|believe)"
             r"|(?:(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+)?(?:still\s+)?(?:not|far\s+from)\s+(?:really\s+|entirely\s+|fully\s+|at\s+all\s+)?"
             r"(?:sure|convinced|certain)|I\s+(?:really\s+|strongly\s+|seriously\s+|highly\s+|very\s+much\s+)?doubt)\s+(?:that\s+)?"
             r"(?!(?:the|its|your)\s+(?:old|previous|original|existing|former|unpatched|upstream)\b)")
_MERIT_ADV = r"(?:(?:really|actually|fully|properly|entirely|quite|always|even|still)\s+)?"
# The code whose merit is doubted: a part of it named in at most two words, so that no verb of the sentence is taken
# for its name ("I don't think this needs more work.": "this needs more" would be a name, "work" its merit).
_MERIT_SUBJECT = (r"(?:(?:this|that|it)(?:\s+(?:patch|change|code|fix|version|loop|check|path|one|helper|function))?"
                  r"|(?:the|your|its|each|every)\s+[\w%#.()-]+(?:\s+[\w%#.()-]+)?|(?-i:" + C_NAME + "))"
                  # Where: "I'm not at all convinced the error unwinding here is complete." (READY, h701)
                  r"(?:\s+(?:here|there|now|then|in\s+this\s+(?:patch|version)))?")
_DOUBTED_MERIT = gated(
    rf"{_DOUBTING}(?:{_MERIT_SUBJECT}(?:\s+(?:is|are)|['’](?:s|re))\s+{_MERIT_ADV}(?:fixed|correct|right|safe|"
    r"sufficient|enough|bounded|equivalent|atomic|covered|handled|tested|valid|complete|accurate|thread-safe)"
    rf"|{_MERIT_SUBJECT}\s+{_MERIT_ADV}(?:works?|will\s+work|would\s+work|handles?|covers?|solves?|fixes|addresses|"
    # What the code must withstand or catch: "I doubt this survives a suspend/resume cycle." (h701)
    r"terminates?|survives?|catch(?:es)?|scales?|builds?|compiles?|boots?|prevents?|protects?|holds\s+up)"
    r"|(?!(?:it|that)\s*(?:is|['’]s))" rf"{_MERIT_SUBJECT}(?:\s+(?:is|are)|['’](?:s|re))\s+{_MERIT_ADV}"
    r"(?:needed|necessary|required))(?![\w-])", re.I)
# What takes a doubted merit back after it: "..., but it's harmless.", "..., but fine."
_DOUBT_TAKEN = gated(r"\b(?:but|though|although|however|fine|ok(?:ay)?|harmless|ignore\s+me|sorry|my\s+bad|"
                     r"never\s*mind|it['’]s\s+your\s+call)\b", re.I)


def code_judged(sentence: str) -> bool:
    """Whether ``sentence`` judges the code it quotes or names in few words: a part of the code said to be wrong,
    stale, pointless ... (_IS_JUDGED: "This comment is stale."), a judging word alone or naming a thing
    (_BARE_JUDGED: "Useless.", "Stale comment."), a point said still open (_UNFIXED: "Still not fixed in this
    version."), a bug claimed of a part named (_BUG_CLAIMED: "The error path leaks the page."), the code judged
    against what it replaced (_COMPARED: "This reads worse than before.") or a merit of it doubted (_DOUBTED_MERIT:
    "I don't think the leak is fixed here."); a build or test failure reported is
    harness.regressions'. Not a question, nor one the rest of the sentence takes back or grants (_TAKEN)."""
    if sentence.rstrip().endswith("?"):
        return False
    if _BARE_JUDGED().match(sentence) or _UNFIXED().match(sentence):
        return True  # the whole sentence
    if merit_doubted(sentence):
        return True
    return any(_judged_by(pattern, sentence) for pattern in (_IS_JUDGED, _BUG_CLAIMED, _COMPARED))


def merit_doubted(sentence: str) -> bool:
    """Whether ``sentence`` doubts a merit of the code (_DOUBTED_MERIT: "I'm not sure the cast is correct.") and
    nothing after it takes that back (_DOUBT_TAKEN); a question doubts nothing."""
    if sentence.rstrip().endswith("?"):
        return False
    doubted = _DOUBTED_MERIT().match(sentence)
    return doubted is not None and not _DOUBT_TAKEN().search(sentence, doubted.end())


def code_compared(sentence: str) -> bool:
    """Whether ``sentence`` judges the code against what it replaced (_COMPARED: "This is harder to read than before.",
    "The new condition is subtly different from the old one."), not taken back: asked of a sentence before the words
    of the patch's fate are ("read", "review" name what the code is hard to do, no fate of the patch)."""
    return not sentence.rstrip().endswith("?") and _judged_by(_COMPARED, sentence)


def _judged_by(pattern: Callable[[], Gated], sentence: str) -> bool:
    """Whether ``pattern`` matches ``sentence`` from its start, and nothing after the match takes it back (_TAKEN)."""
    found = pattern().match(sentence)
    return found is not None and not _TAKEN().search(sentence, found.end())
