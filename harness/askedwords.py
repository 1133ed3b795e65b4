"""A change asked in everyday words: a need, a wish, advice, a verdict on the code, a "let's", a "too many"."""

from __future__ import annotations

import re

from harness.defectwords import LEAD
from harness.regate import gated
from harness.requestgrammar import request_match
from models.lazyre import lazy

# A name of C as a sentence's subject: a call ("tdx_call_busy()"), a name with an underscore ("sc_retry"), a macro
# ("TDX_BUSY_TRIES", "BIT"), a printf conversion ("%#llx"). Words of English have none of these shapes.
C_NAME = r"(?:[A-Za-z_]\w*\(\)|[A-Za-z]\w*_\w*|_\w+|[A-Z][A-Z0-9]{2,}|%[#0-9.a-z]+)(?!\w)"
# Sender's words about their own reading or the mail, not of the code: "I'd like to thank ...", "I want to
# understand why", "I need to look at this again", "I'd like to test it first".
_OWN_ACT = (r"thank|say|add\s+that|mention\s+that|point\s+out|note|know|understand|ask|hear|think|look|read|review|"
            r"test|try|check|see\s+(?:if|whether|how|what|why|where|when)|double[- ]check|dig|play|run|apologi[sz]e|"
            r"clarify|confirm|be\s+sure|make\s+sure\s+I|get|find\s+out")
# The patch itself not ready ("3 needs more work.", "This needs another round."): held back, as harness.heldback
# and harness.droprequest read it, no change named; nor another's word wanted.
_HELD = (r"(?!\s+(?:(?:some|a\s+lot|a\s+bit|a\s+few|more|another|further|a|an|of)\s+)*(?:work|thought|rounds?|"
         r"looks?|spins?|respins?|iterations?|review|time|testing|polish)\b(?!\s+(?:on|in)\b))"
         # Another's word wanted: "This needs an ack from Thomas."
         r"(?!\s+(?:(?:an?|the|some|their|his|her|more)\s+)?(?:acks?|reviews?|approval|blessing|sign-?offs?|"
         r"[\w-]+-by|input|opinion|feedback)\b)")
# Neither form reads more eyes wanted ("Needs more eyes.", "Needs a second pair of eyes.") or the idiom of a point
# missed ("Missing the point.", "This misses the point entirely."): no lack of the code.
_NOT_OF_CODE = (r"(?!\s+(?:(?:more|other|some|(?:a\s+)?(?:second|another|fresh|new)\s+(?:pair|set)\s+of)\s+)?"
                r"(?:eyes|eyeballs)\b)"
                # Nor a lack this version mends, said in the sentence: "Missing from v3 was the changelog, now it's
                # there, thanks." (it blocked; harness.concernwords._MET reads "The missing ... is now in v3.").
                r"(?![^.;!?]*,\s*(?:and\s+)?now\s+(?:it['’]s|it\s+is|they['’]re|they\s+are)\s+(?:there|in(?:\s+place)?|"
                r"present|included|added)\b(?![^.;!?]*\b(?:but|though|however)\b))"
                r"(?!\s+(?:the|my|his|her|their|your|our)\s+point\s*(?:[.!,;]|$|\s+(?:here|entirely|completely|"
                r"again)\b))")
# A need or a lack of the code, its subject the code quoted or left out, read from the sentence's start: "This needs
# a comment.", "This wants to be hex.", "Needs a Fixes: tag.", "It deserves a comment.", "This needs more testing."
# Not another's review or tag asked for ("This needs an ack from Thomas."), nor nothing needed ("This needs no
# change."), nor more work or a respin (harness.heldback's: "This needs more work."), nor a view after "to be" ("It
# needs to be fine.", "That wants to be reviewed by Thomas.").
_THIS = r"(?:this|that|it|these|those)(?:\s+(?:one|hunk|line|loop|function|helper|message|change|bit|part|call))?"
_NOT_ASKED = (r"(?:fine|ok|okay|safe|good|enough|correct|right|reviewed|acked|tested|merged|applied|taken|queued|"
              r"picked|looked|discussed|decided)")
_SPLIT = (r"(?:split|(?:an?\s+|its\s+own\s+)?separate(?:d)?|(?:two|three|four|\d+)\s+(?:separate\s+)?(?:patch(?:es)?|"
          r"commits?|changes)|(?:its|their)\s+own\s+(?:patch|commit)|squashed|folded|moved\s+(?:to|into|before|after|"
          r"out)|(?:done|applied|sent)\s+(?:first|separately|before))\b")
_TERSE_NEED = (
    LEAD + rf"(?:{_THIS}\s+)?(?:(?:still|also|really|probably|definitely|certainly|clearly|then)\s+)*"
    rf"(?:(?:wants?\s+to\s+be|needs?\s+to\s+be)\s+(?!{_NOT_ASKED}\b)(?:in\s+)?"
    r"(?:hex|decimal|signed|unsigned|static|const|inline|local|global|atomic|%[#\w]+|[\w-]+_[\w-]+|an?\s|"
    # Split or ordered: "This wants to be two patches.", "The cleanup wants to be split out." (nothing: round 68)
    + _SPLIT + r")|"
    r"(?:needs?|wants?|deserves?|lacks?|misses|is\s+missing|are\s+missing)" + _NOT_OF_CODE + r"\s+"
    r"(?!(?:an?\s+|some\s+|more\s+|the\s+|your\s+)?(?:acks?|review(?:s|ing)?|reviewed-by|acked-by|tested-by|r-?b|"
    r"sign-?offs?|signed-off-by|look|eyes|approval|maintainer|tag)\b)"
    r"(?!(?:no|nothing|not|anything)\b)"
    r"(?!(?:some\s+|a\s+(?:bit|lot)\s+(?:of\s+)?|much\s+)?(?:more\s+)?(?:work|another\s+(?:revision|version|spin|round|"
    # Not a new version alone; one with a change named is that change asked ("Needs a respin with the old bound.").
    r"look)|a\s+(?:re-?spin|rewrite|rework|redo|new\s+version))\b(?!\s+(?:with|without|that|which|where)\b))"
    r"(?:a\b|an\b|some\b|more\b|its\b|the\b|proper\b|better\b|[\w-]+ing\b|[\w-]+(?:[:()]|_\w)))")
# The same of any subject, read where it stands: "The loop needs a bound.", "The Fixes: tag is missing.", "Missing a
# pr_warn_once() here." ("needs to" is a modal: harness.pointwords). One pattern, so each sentence is read once for a
# need: the terse form first (a match at the sentence's start, only its own lookaheads limit it), then any subject.
_NEED = gated(rf"(?P<terse>{_TERSE_NEED})|\bwants?\s+to\s+be\s+(?:{_SPLIT})|"
              # A need with nothing after it is what the code meets: "..., which is what the helper needs."
              r"\b(?:(?:needs|wants)(?!\W*$)|lacks|deserves|warrants|(?:is|are)\s+(?:still\s+)?missing|misses)\b"
              r"(?!\s+(?:to|no|not|nothing|none)\b)" + _HELD + _NOT_OF_CODE + "|"
              r"^\W*(?:(?:also|and|but|so|still|IMO|IMHO|nit)[\s,:]+)*(?:needs|wants|missing|lacks|lacking)\b"
              + _HELD + _NOT_OF_CODE, re.I)
# Another person asked to review, not the code to change: "3 I'd like Thomas to look at first.", "I'd like someone
# from x86 to ack it." (harness.heldback reads what it holds back).
_REVIEWER = r"(?:[A-Z][a-z]+|someone|somebody|others|another\s+\w+|(?:the\s+)?maintainers?|\w+\s+folks)"
# A wish of the sender's or of their team: "I'd like tdx_call_busy() to warn.", "I would like a warning here.",
# "I want a pr_warn_once().", "We really want a warning.", "I'd love to see a bound." Not one of their own
# doing (_OWN_ACT): "I'd like to thank you.", "I want to test this first."
# Not what is wanted named as what the code does: "..., which is what we want."
_WISH = gated(r"(?<!\bwhat\s)\b(?:I|we)(?:['’]d|\s+would|\s+do|\s+really|\s+still|\s+also|\s+definitely|\s+much|"
              r"\s+strongly|\s+only|\s+just)*\s+"
              r"(?:like|love|want|need|prefer|wish)\b(?!\s+(?:to\s+)?(?:" + _OWN_ACT + r")\b)(?!\s+to\s+be\b)"
              r"(?!\s+" + _REVIEWER + r"(?:\s+(?:from|in|on)\s+[\w/-]+)?\s+to\s+(?:look|review|ack|test|check|"
              r"weigh\s+in|chime\s+in|comment|take\s+a\s+look|have\s+a\s+look|see|give)\b)"
              r"(?!\s+(?:more\s+)?time\b)"
              # Nor the patch itself wanted, nor the sender's hold declined: "I'm convinced we want this.", "I'd
              # prefer not to hold this up any longer." (each a review point: round 68).
              r"(?!\s+(?:this|it|that|these|them)(?:\s+(?:one|patch|series|change))?(?:\s+(?:in|upstream|merged|applied|"
              r"for\s+[\w.-]+))?\s*(?:[.!;,]|$))"
              r"(?!\s+not\s+(?:to\s+)?(?:hold|block|delay|stall|bikeshed|drag)\b)"
              # Nor the tree it goes through: "I'd prefer this goes through the x86 tree."
              r"(?!\s+(?:(?:that\s+)?(?:this|it|these|they|the\s+(?:patch|series|set))\s+)?(?:to\s+)?(?:go(?:es)?|went)\s+"
              r"(?:in\s+)?(?:through|via)\s+(?:(?:(?:the|my|your|his|her|their|\w+['’]s)\s+)?(?:[\w./-]+\s+)?(?:tree|"
                 r"branch|queue|repo|pull)|tip|linux-next|net-next|mm-\w+)\b)", re.I)
# "You" as no subject of advice: under a condition, or reported ("If you want, ...", "I know you want ...").
_NOT_REPORTED = (r"(?<!\bif\s)(?<!\bwhen\s)(?<!\bunless\s)(?<!\bknow\s)(?<!\bthat\s)(?<!\bthink\s)(?<!\bwhat\s)"
                 r"(?<!\bas\s)")
# A wish that the code be otherwise, put as what the sender does not want: "I don't want a silent failure here.", "We
# don't want to spin forever.", "I wouldn't want a magic number here.", or the author's ("You don't want a magic number
# here."). Not their own part or the patch's fate ("I don't want to block this.", "I don't want to hold this up.", "I
# don't want you to respin just for this.", "We don't want a v3 for this.", "You don't want to respin for this."), nor
# the patch, by name or alone ("I don't want this patch dropped.", "I don't want 3/3 merged.", "We don't want this.":
# harness.unnameddrop reads it below the code it quotes).
_UNWANTED = gated(r"\b(?:I|we|" + _NOT_REPORTED + r"you)(?:\s+(?:really|certainly|definitely|just|also|still|probably|"
                  r"surely))*\s+"
                  r"(?:don['’]t|do\s+not|would\s+not|wouldn['’]t|['’]d\s+not|never)\s+(?:(?:really|ever)\s+)?want\b"
                  r"(?!\s+to\s+(?:" + _OWN_ACT + r"|be|block|hold|delay|stall|nak|nack|object|insist|stand|bikeshed|"
                  r"nit-?pick|derail|drag|repeat|argue|rehash|waste|bother|annoy|sound|come\s+across|step|hijack|force|"
                  r"spend|merge|apply|take|queue|pick|land|rush|send|resend|respin|speak|comment|reply|discuss|wait|"
                  r"slow|get\s+in|make\s+(?:this|it|you|a\s+big)|go\s+(?:there|down|back|overboard|further)|"
                  r"start\s+(?:a|an|another)|push\s+(?:back|this|it|too|for)|keep\s+(?:you|this|it\s+from)|"
                  r"(?:re)?do\s+(?:this|it|that|the\s+whole))\b)"
                  r"(?!\s+(?:you|anyone|them|him|her|people)\s+to\s+(?:respin|resend|send|redo|rework|rewrite|waste|"
                  r"worry|bother|feel|think|block|spend|wait)\b)"
                  r"(?!\s+(?:(?:a|another|yet\s+another)\s+)?(?:v\d+|respin|resend|re-?post|new\s+(?:version|revision)|"
                  r"round|version|revision|spin)\b)"
                  r"(?!\s+(?:(?:this|that|the|your|my)\s+(?:patch(?:es)?|series|commit|posting|set|version)|patch(?:es)?\s+"
                  r"#?\d|#?\d+/\d+|v\d+)\b)"
                  r"(?!\s+(?:this|that|it|them|these|those)(?:\s+one)?\s*(?:$|[.!,;]|\s+(?:in|merged|applied|dropped|"
                  r"backported|reverted|taken|queued|picked|held|upstream|now|yet|for|either|at\s+all|as\s+is|going|"
                  r"to\s+(?:go|land|be|hold|block|delay|stall))\b))"
                  r"(?!\s+(?:more\s+)?time\b)"
                  # A reader's loss or their curiosity, no code: "You don't want to miss the v4 of this.", "You don't
                  # want to know how long I spent on it." (each blocked).
                  r"(?!\s+to\s+(?:miss|skip|see|read|check\s+out)\s+(?:the\s+)?(?:v\d+|this\s+(?:one|series|patch)|"
                  r"it\b|the\s+(?:series|patch|thread|discussion|talk))|\s+to\s+know\s+(?:how|what|why|who|when|where)\b)",
                  re.I)
# Advice against a check or a run, of the author's code: "You don't want to check the return value here.", "You
# don't want to run this in atomic context." (_UNWANTED leaves these verbs out as the sender's own: "I don't want to
# check it myself"; read as nothing, the gate READY).
_YOU_UNWANTED = gated(_NOT_REPORTED + r"\byou(?:\s+(?:really|certainly|definitely|probably|surely|just))*\s+"
                      r"(?:don['’]t|do\s+not|wouldn['’]t|would\s+not)\s+(?:really\s+)?want\s+to\s+(?:double[- ]check|"
                      r"check|run|get|try)\b", re.I)
# The series landing, wished or called good: "I'd love to see this merged.", "It would be good to get this into
# 6.20.": its fate (harness.pointwords' _FATE), no change asked.
_LANDING = gated(r"\b(?:get|have|see|take|land)\s+(?:this|it|these|them|the\s+(?:series|patch(?:es)?|fix))\s+"
                 r"(?:in|into|merged|applied|queued|upstream|landed|soon|for)\b", re.I)
# A change called good, with its own subject: "A warning when the loop gives up would be good.", "A pr_warn_once()
# would help.", "It'd be nice to warn once.", "Would be good to cap it." Not the patch praised ("This would help
# debugging a lot.": _PRAISED).
_WOULD_GOOD = gated(r"\b(?:would|might|could|['’]d)\s+(?:(?:really|also|probably|definitely|certainly|still|be\s+"
                    r"much|be\s+far|be\s+a\s+lot)\s+)*(?:help|make\s+(?:more\s+)?sense|be\s+(?:(?:a\s+)?(?:lot|bit|"
                    r"little|much|far|really|very|more)\s+)*(?:good|nice|better|great|welcome|useful|helpful|"
                    r"preferable|cleaner|clearer|safer|simpler|wise|wiser|appropriate|best|desirable|nicer|prudent|"
                    r"sensible|(?:a\s+)?good\s+idea|an?\s+improvement|worth\s+\w+))\b"
                    # Not a talk wished for, no change: "Would be nice to discuss this in person at LPC." (as _LETS)
                    r"(?!\s+to\s+(?:discuss|talk|chat|meet|hear|catch\s+up|get\s+together|sync\s+up)\b(?![^.;!?]*\b(?:"
                    r"changelog|commit\s+(?:message|log)|comments?|cover\s+letter|doc\w*|patch|code)\b))", re.I)
_PRAISED = gated(r"^\W*(?:(?:I\s+think|IMO|so|and|also|yes|yeah|ok|okay|thanks|thank\s+you|please|sure)[\s,!]+)*"
                 r"(?:this|that|it|these|the\s+"
                 r"(?:patch|series|change|commit|rework|cleanup|move|rename|fix|approach|idea))(?:\s+(?:change|patch|"
                 r"series|one))?\s+(?:would|might|could|['’]d)\b(?![^.;!?]*\b(?:to|if)\b)", re.I)
# A change put to the sender and the author together: "Let's warn once.", "Let's not retry forever."
_LETS = gated(r"\blet(?:['’]s|\s+us)\s+(?:(?:not|just|also|simply|rather|instead|please)\s+)*(?!see\b|wait\b|"
              r"discuss\b|talk\b|hear\b|move\s+on\b|worry\b|bother\b|bikeshed|argue\b|block\b|delay\b|rush\b|"
              r"over-?(?:think|engineer)|go\s+(?:there|with\s+(?:this|that|it|your|v\d))\b|take\s+(?:this|it|that)\s+"
              r"(?:off|to)\b|(?:keep|leave)\s+(?:it|this|that|them)\s+(?:as\s+(?:is|it\s+is)|unchanged|alone)\b"
              # The patch's fate, no change: "Let's get it into -next and see what breaks." (as _LANDING); not one
              # with a change ("Let's get this in with the warning dropped.")
              r"|(?:get|have)\s+(?:this|it|these|them|the\s+(?:series|patch(?:es)?|fix))\s+(?:in|into|merged|applied|"
              r"queued|upstream|landed)\b(?![^.;!?]*\b(?:with|without|once|after|but|if|minus|except)\b)"
              r"|(?:apply|merge|queue|land|ship)\s+(?:this|it|these|them|the\s+(?:series|patch(?:es)?|fix))\b"
              r"(?![^.;!?]*\b(?:with|without|once|after|but|if|minus|except)\b))"
              r"[a-z]+\b", re.I)
# Verbs of the mail, of reading or waiting, or of the patch's fate, not of a change to the code: "You may want to wait
# for Thomas.", "You probably want to know that I tested it.", "Consider resending with x86@ on Cc."
_NOT_CHANGE = (r"know|hear|see|read|look|wait|ask|talk|tell|ping|cc|send|resend|re-?post|review|thank|rebase|"
               r"consider|have\s+a\s+look|take\s+a\s+look|merge|apply|queue|pick|land|"
               # The patch taken, not a lock or a reference: "You'll want to take the lock first." asks a change.
               r"take(?!\s+(?:the|a|an|another|one|that|this)\s+(?!(?:patch(?:es)?|series|fix|rest|whole|lot|look|"
               r"break|moment|while|second|minute|chance|risk)\b)[\w-])")
_NOT_CHANGE_ING = (r"knowing|hearing|seeing|reading|looking|waiting|asking|talking|telling|pinging|cc['’-]?ing|"
                   r"sending|resending|re-?posting|reviewing|thanking|rebasing|merging|applying|taking|queu(?:e)?ing|"
                   r"picking|landing")
# A change put as a thing to consider: "Consider keeping the pre-decrement.", "Maybe consider using %#llx.", "You
# might consider adding a cpu_relax().", "I'd consider renaming it.", "Maybe consider a bound here." Not a thing
# to consider done or so ("Consider this series applied.", "Consider it done.", "Consider everything above optional"):
# a gerund follows, of no word of the mail or the patch's fate (_NOT_CHANGE_ING), or a thing not there yet.
_CONSIDER = gated(r"(?:" + LEAD + r"(?:(?:maybe|perhaps|please|do|just|also)\s+)*|\b(?:you|we)\s+(?:(?:may|might|could|"
                  r"should|can|would|probably|also|really|want\s+to)\s+)+|\bI(?:['’]d|\s+would)\s+(?:(?:also|probably|"
                  r"seriously|strongly|really)\s+)*|\bworth\s+)consider(?:ing)?\s+(?:(?:instead|also|just|maybe|not)\s+)*"
                  r"(?:(?!\w*thing\b)(?!(?:" + _NOT_CHANGE_ING + r")\b)[a-z][\w-]*ing\b|(?:a|an|some)\s+"
                  r"(?!(?:[\w-]+-by|acks?|reviews?|tags?|look|while|moment|time|re-?spin|resend|re-?post)\b)"
                  r"[\w%#()-]+)", re.I)
# A change put as what the author will want: "You probably want --tries here.", "You may want to keep the cast.",
# "You'll want a bound on the loop." (what they will not: _UNWANTED). Not a word of the mail or of reading
# (_NOT_CHANGE: "You probably want to know that I tested it.", "You may want to wait for Thomas."), the patch landing
# ("You probably want this in 6.20."), another's word or time, nor under a condition or reported (_NOT_REPORTED).
_YOU_WANT = gated(_NOT_REPORTED + r"\byou(?:['’]ll|['’]d|\s+(?:probably|may|might|could|will|"
                  r"would|also|really|still|definitely|likely|most\s+likely|just|certainly|surely))*\s+"
                  # Or need, of the code ("You need READ_ONCE() here."): not what a test or a build of it takes ("You
                  # need CONFIG_KASAN=y to reproduce.", "You need a TDX machine for this."), nor what it already has.
                  r"(?:want|need(?![^.;!?]*\bto\s+(?:reproduce|test|trigger|see|hit|run|boot|try|build|apply|enable|"
                  r"use)\b)(?!\s+(?:an?\s+|the\s+)?(?:TDX|SPR|EMR|GNR|machine|box|system|host|config|CONFIG_\w+|kernel|"
                  r"firmware|BIOS|hardware|patience)\b)(?![^.;!?]*\bwhich\s+you\s+(?:have|do|did|already)\b))\s+"
                  r"(?!(?:to\s+)?(?:" + _NOT_CHANGE + r")\b)(?!(?:I|we|me|us)\b)"
                  r"(?!(?:this|it|these|them|that|the\s+(?:series|patch(?:es)?|fix))\s+(?:in|into|merged|applied|"
                  r"queued|upstream|landed|for|to\s+(?:go|land|be|get))\b)"
                  r"(?!(?:(?:my|his|her|their|an?|the|some|more)\s+)*(?:[\w-]+-by|acks?|reviews?|tags?|opinions?|"
                  r"feedback|input|answers?|time)\b)", re.I)
# A verdict on the code: "Silently returning the busy status is not acceptable.", "This is wrong.", "16 is too
# many; 8 is plenty.", "I think a pr_warn_once() is warranted." Not one negated ("That is not wrong.",
# "I don't think it's wrong" read by request_match).
_BAD = (r"unacceptable|wrong|broken|buggy|bogus|incorrect|overkill|excessive|insufficient|inadequate|pointless|"
        r"unnecessary|unneeded|redundant|confusing|misleading|racy|fragile|dangerous|unsafe|a\s+bug|a\s+problem|"
        r"(?:a\s+)?(?:bad|poor)\s+(?:idea|choice|name)|silly|ugly|gross|hacky|a\s+hack|awkward|convoluted|"
        r"over-?engineered|overly\s+\w+")
# A thing not in the code said due, its subject indefinite: "I think a pr_warn_once() is warranted.", "Some
# comment is needed here." ("The check is needed for P-SEAMLDR." defends code there).
_DUE = gated(r"\b(?:a|an|some|more|another|extra)\s+(?:[^\s.;!?]+\s+){1,5}?(?:is|are|would\s+be|seems?)\s+"
             r"(?:(?:also|really|still|probably|definitely|clearly)\s+)?(?:warranted|needed|required|necessary|"
             r"called\s+for|in\s+order|due)\b", re.I)
_VERDICT = gated(r"(?:\b(?:is|are|looks?|seems?|feels?|sounds?)|['’]s|['’]re)\s+(?:(?!not\b|never\b|no\b)"
                 r"(?:clearly|just|simply|plainly|still|really|very|quite|pretty|rather|definitely|probably|certainly|totally|"
                 r"also|then|here|now)\s+)*(?:" + _BAD + r")\b|"
                 r"(?:\b(?:is|are)\s+not|\b(?:isn|aren)['’]t|['’](?:s|re)\s+not)\s+(?:really\s+|quite\s+)?"
                 r"(?:acceptable|ok|okay|right(?!\s+now)|correct|enough|sufficient|ideal|great|good|safe|a\s+good\s+idea)\b|"
                 r"\b(?:way\s+|much\s+|far\s+)?too\s+(?:many|few|much|little|long|short|big|small|large|high|low|"
                 r"noisy|verbose|often|rarely|strict|loose|aggressive|broad|narrow|generic|complex|complicated|"
                 r"clever|magic)\b", re.I)
# What describes a past or what the patch fixes: "The old code was wrong.", "This fixes a bug where ...".
_PAST = lazy(r"\b(?:was|were|used\s+to\s+be|had\s+been|fix(?:es|ed)?|before\s+this\s+patch)\b", re.I)


def plainly_asked(sentence: str) -> bool:
    """Whether ``sentence`` asks a change in everyday words (a need or a lack of the code, a wish of the sender, what
    they do not want, a change called good, a "let's", a thing to consider, what the author will want, a verdict on
    the code), as request_match reads a request: not negated ("We don't need a warning."), under no condition, no
    question."""
    if request_match(sentence, _LETS(), own_negation=True) is not None:
        return True
    # A need read from the sentence's start holds beside a wish that the series land ("This needs a Fixes: tag to get
    # it into stable."); one of any subject does not.
    need = request_match(sentence, _NEED(), own_negation=True)
    if need is not None and need[1].group("terse") is not None:
        return True
    if _LANDING().search(sentence):
        return False
    # Advice is a change asked: "Consider keeping the pre-decrement.", "You probably want --tries here.", "You need
    # READ_ONCE() here." (READY before round 69: only "you need to ..." read)
    if any(request_match(sentence, p(), own_negation=True) is not None for p in (_CONSIDER, _YOU_WANT)):
        return True
    if need is not None or any(request_match(sentence, p()) is not None for p in (_WISH, _DUE)) \
            or request_match(sentence, _UNWANTED(), own_negation=True) is not None \
            or request_match(sentence, _YOU_UNWANTED(), own_negation=True) is not None:
        return True
    if not _PRAISED().match(sentence) and request_match(sentence, _WOULD_GOOD()) is not None:
        return True
    found = request_match(sentence, _VERDICT(), own_negation=True)
    if found is None:
        return False
    # The verdict's own clause: "That's better than what was there, but this is pretty silly." judges the code now.
    clause = _TURN().split(sentence[:found[1].start()])[-1] + found[1].group(0)
    return not _PAST().search(clause) and not _NOTHING().search(clause)


# A verdict of nothing: "No, nothing is wrong here."
_NOTHING = lazy(r"\b(?:nothing|none|nobody|neither)\b", re.I)
_TURN = lazy(r"\b(?:but|however|though|although)\b|[;:]", re.I)
