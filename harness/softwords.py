"""A reviewer's objection put softly: hedged, polite, as advice or as unease, told by the sender's own stance words."""

from __future__ import annotations

import re

from models.lazyre import lazy

# Why its own reader: harness.concernwords tells a flaw by the words of the flaw; a polite reviewer names none and
# says where they stand instead: "I'm afraid this doesn't quite work.", "It's a bit much to print a warning every
# time.", "This would read better as a switch.", "Something to consider: the retry could live in the caller.", "I'm
# still not happy with the naming." (each read as nothing, the gate
# READY, round 66). The same stance words said of the sender's own time or doing ("I'm afraid I won't have time to
# test this."), of a thing done now ("It reads better as a switch now."), of later work ("Something to consider for a
# follow-up.") object to nothing. Advice ("You don't want to ...", "You may want to ...") is harness.askedwords'.

_LEAD = (r"^\W*(?:(?:but|so|and|also|well|hmm+|sadly|unfortunately|still|again|honestly|frankly|nit|[A-Z][a-z]+,)"
         r"[\s,:]+)*")
# A hedge before a flaw: "I'm afraid this doesn't quite work.", "This won't work on older firmware, I'm afraid."
_AFRAID = lazy(_LEAD + r"(?:I['’]?m|I\s+am)\s+(?:(?:still|also)\s+)?afraid\s+(?:that\s+)?|[\s,]+I['’]?m\s+afraid\W*$",
               re.I)
# What follows the hedge holds a negation, not the negation alone ("I'm afraid not.": an answer), nor the sender's
# part or their time ("I'm afraid I can't review the KVM side.", "I'm afraid this isn't my area.", "I'm afraid this
# won't make the merge window.").
_HEDGED_FLAW = lazy(r"^(?!\W*(?:not|no)\b)(?![^.;!?]*\b(?:I|me|my|we|us|our|merge\s+window|cycle|in\s+time|release|"
                    r"rc\d*|deadline|holidays?|vacation)\b)[^.;!?]*?(?:\b(?:not|never|no|nothing|nobody|none|cannot)\b|"
                    r"n['’]t\b)", re.I)
# Too much of a thing, or another hedged judgement: "It's a bit much to retry sixteen times.", "Dumping the whole
# leaf is a bit much.", "This seems a little heavy-handed." (not "a bit much to ask": the sender's request). Only a
# hedge of a little: "quite" or "rather" explains ("the policy is quite complex, so it lives in userspace").
_MUCH = lazy(r"\b(?:is|are|['’]s|['’]re|seems?|feels?|looks?|sounds?|gets?|getting)\s+(?:(?:a\s+)?(?:bit|little|tad)|"
             r"slightly|kind\s+of|sort\s+of)\s+(?:too\s+)?(?:much|excessive|heavy(?:[\s-]?"
             r"handed|[\s-]?weight)?|aggressive|verbose|noisy|chatty|awkward|clunky|odd|weird|strange|convoluted|"
             r"complicated|complex|involved|magic(?:al)?|opaque|arbitrary|random|hacky|fragile|brittle|ugly|obscure|"
             r"cryptic|roundabout|overkill|overdone|over[\s-]the[\s-]top)\b(?!\s+to\s+(?:ask|expect|demand|require)\b)"
             r"|\bheavy[\s-]handed\b|\bover[\s-]the[\s-]top\b|^\W*(?:a\s+)?bit\s+much\W*$", re.I)
# Too much of the mail or of what the code follows, not the code: "Forty emails on this thread is a bit much.", "The
# spec is a bit odd here, so the code follows it."
_MAIL = lazy(r"\b(?:thread|e-?mails?|mails?|discussion|bikeshed\w*|pings?|replies|my\s+(?:reply|comment|tone)|spec|"
             r"specification|firmware|hardware|documentation|datasheet)\b", re.I)
# Another form that would read better: "This would read better as a switch.", "The check would read better
# inverted.", "This reads better as a for loop." (not "It reads better as a switch now.", "reads better than v2").
_READS = lazy(r"\b(?:would|could|might|['’]d)\s+(?:(?:probably|also|perhaps|maybe)\s+)?read\s+"
              r"(?:(?:much|a\s+lot|a\s+bit|far|slightly|even)\s+)?(?:better|nicer|easier|cleaner|clearer|more\s+\w+)\b"
              r"|\breads?\s+(?:(?:much|a\s+lot|a\s+bit|far|slightly|even)\s+)?(?:better|nicer|easier|cleaner|clearer|"
              r"more\s+naturally)\s+(?:as|if|when|inverted|reversed|flipped|negated|split|using)\b"
              r"(?!\s+(?:a\s+whole|is|it\s+is|written)\b)(?![^.;!?]*\b(?:now|already|than|v\d+)\b)", re.I)
# A thing to consider, put first: "Something to consider: the retry could live in the caller.", "One thing worth
# considering is moving the check." (not "Something to consider for a later series": _LATER).
_CONSIDER = lazy(_LEAD + r"(?:something|one\s+(?:more\s+)?thing|another\s+(?:thing|option|idea)|an?\s+(?:idea|option|"
                 r"alternative))\s+(?:(?:to|worth|you\s+(?:may|might|could)\s+(?:want\s+to\s+)?)\s*(?:consider(?:ing)?|"
                 r"think(?:ing)?\s+about|look(?:ing)?\s+(?:at|into)|keep(?:ing)?\s+in\s+mind|ponder(?:ing)?)\b)"
                 r"\s*(?:[:–—-]|,\s*\w|\s(?:is|would\s+be|might\s+be|could\s+be)\b)", re.I)
# Worth doing: "It might be worth moving the check into the helper.", "Might be worth a second look at the error
# path." (not "worth it", "worth noting that ...": the sender's own remark).
_WORTH = lazy(r"(?:\b(?:might|may|could|would)\s+(?:also\s+|still\s+|well\s+)?be|\b(?:it['’]s|it\s+is)"
              r"(?:\s+(?:probably|maybe|perhaps|possibly|also))?)\s+worth\s+(?!(?:it|noting|mentioning\s+that|saying|pointing\s+out\s+"
              r"that|the\s+wait|reading|a\s+read|checking\s+out|backporting|merging|applying|taking|queu(?:e)?ing|"
              r"picking|testing|trying|reviewing|waiting|sending)\b)(?:\w+ing\b|(?:a|an|another|some)\s+\w+)"
              r"|^\W*(?:(?:perhaps|maybe|probably|possibly|also)\s+)+worth\s+\w+ing\b", re.I)
# Unease or a hedged disagreement of the sender's: "I'm still not happy with the naming.", "I'd be wary of calling
# this under the lock.", "I have reservations about exporting this symbol.", "I'm not sure I agree with making this a
# module parameter.", "I don't love the new flag.", "This part could use more work." Not of the past ("I was wary of
# it at first"), another's thing ("I don't love TDX's firmware interface"), or the sender's own ("I'm not sure I'll
# have time").
_FEELING = (r"uneasy|uncomfortable|nervous|worried|wary|skeptical|sceptical|hesitant|reluctant|unconvinced|unhappy|"
            r"doubtful")
_CONTENT = (r"happy|keen|thrilled|comfortable|sold|enthused|enthusiastic|pleased|satisfied|convinced|fond|crazy")
_UNEASE = lazy(r"\b(?:I['’]m|I\s+am|I\s+remain|I['’]d\s+be|I\s+would\s+be|I\s+feel)\s+(?:(?:still|also|a\s+bit|"
               r"a\s+little|somewhat|rather|quite|really|very|slightly|kind\s+of|sort\s+of)\s+)*(?:" + _FEELING
               + r")\s+(?:about|of|with|by|on|that|to\s+(?:see|take|merge|apply|ack|add))\b"
               r"|(?:\b(?:I['’]m|I\s+am|I\s+remain)\s+|^\W*)(?:still\s+|also\s+)?(?:not|n['’]t)\s+(?:(?:entirely|really|too|"
               r"very|all\s+that|so|particularly|completely|fully|quite|terribly|super|that|overly)\s+)?(?:" + _CONTENT
               # Nor of the code the patch replaces: "I'm not keen on the old code either, so this is welcome."
               + r")\s+(?:with|about|on|by|of)\s+(?!(?:him|her|them|my|myself|how\s+long|how\s+much\s+time|(?:the\s+)?"
               r"(?:old|original|previous|existing|earlier|former)\s+\w+)\b|"
               r"\w+['’]s\s|(?-i:[A-Z])[a-z]+\b)"
               r"|\b(?:I|we)\s+(?:still\s+|also\s+)?(?:have|['’]ve\s+got|have\s+got)\s+(?:(?:some|a\s+few|serious|real|"
               r"strong|mixed|my|several|lingering|grave)\s+)*(?:reservations?|doubts?|misgivings|qualms|worries|concerns?)\s+"
               r"(?:about|with|over|regarding|on|around|(?:that|whether)(?!\s+(?:any|some|no)(?:one|body)\b|\s+(?:it|this)\s+matters\b))\b"
               r"|\bnot\s+(?:so\s+|too\s+|entirely\s+|really\s+|totally\s+|completely\s+)?sure\s+(?:that\s+)?(?:I|we)\s+"
               r"(?:agree|like|buy|want|need)\s+(?!with\s+(?:him|her|them|you|\w+['’]s|(?-i:[A-Z])[a-z]+\b))"
               r"(?:with|this|that|it|these|those|the|a|an|another|yet|to|such|\w+\(\)|\w+_\w+)\b"
               r"|\b(?:don['’]t|do\s+not)\s+(?:really\s+|particularly\s+|exactly\s+|much\s+|entirely\s+)?(?:love|care\s+for|"
               r"enjoy)\s+(?:(?:the|this|these|those|how|having|adding|using|another|it)\b|that\b(?!\s+(?:I|we|you)\b))"
               r"|(?<!\bI\s)(?<!\bwe\s)\bcould\s+(?:really\s+)?(?:use|do\s+with)\s+(?:a\s+(?:bit|little|lot)\s+(?:more\s+)?"
               r"(?:of\s+)?|some\s+(?:more\s+)?|more\s+|another\s+|further\s+|an?\s+(?:extra\s+|second\s+|better\s+)?)\w",
               re.I)
# What makes the stance no objection here: a question, a condition, later work, or a turn granting the code.
_OPENS_IF = lazy(r"^\W*(?:if|unless|once|when|whenever|in\s+case|even\s+if|assuming)\b", re.I)
_LATER = lazy(r"\b(?:later|follow[\s-]?ups?|future|next\s+(?:series|cycle|time|release|version)|separate(?:ly)?|"
              r"another\s+(?:series|day|time|patch)|not\s+(?:for\s+)?(?:this|now)|no\s+need|not\s+needed|optional|"
              r"not\s+a\s+blocker|fine\s+as\s+is)\b", re.I)
_GRANTED = lazy(r"[,;]\s*(?:but|though|although)\b[^.;!?]*\b(?:correct|fine|good|right|ok(?:ay)?|harmless|works?|"
                r"well|nice|great|sane|covers?|handles?|takes\s+care)\b", re.I)
# The words one of the patterns needs, looked for before any runs.
_WORDS = ("afraid", "much", "heavy", "over", "read", "consider", "think", "look", "keep", "ponder", "want", "worth",
          "happy", "keen", "thrilled", "comfortable", "sold", "enthus", "pleased", "satisfied", "convinced", "fond",
          "crazy", "uneasy", "nervous", "worried", "wary", "skeptical", "sceptical", "hesitant", "reluctant",
          "doubt", "reservation", "misgiving", "qualm", "worries", "concern",
          "sure", "love", "care", "enjoy", "could", "bit",
          "slightly", "kind", "sort", "tad", "little")


def soft_objection(sentence: str) -> bool:
    """Whether ``sentence``, a reviewer's own, objects to the code softly: a flaw after a hedge (_AFRAID), too much of
    a thing (_MUCH), another form that reads better (_READS), a thing to consider (_CONSIDER), something worth doing
    (_WORTH), or the sender's unease or hedged disagreement (_UNEASE). Not a question, a
    condition, later work or a stance the sentence's turn takes back (_OPENS_IF, _LATER, _GRANTED)."""
    s = sentence.strip()
    low = s.lower()
    if not s or s.endswith("?") or not any(w in low for w in _WORDS) or _OPENS_IF().match(s) \
            or _GRANTED().search(s):
        return False
    if (m := _AFRAID().search(s)) is not None:
        rest = s[m.end():] if m.start() == 0 else s[:m.start()]
        if _HEDGED_FLAW().search(rest):
            return True
    if (_MUCH().search(s) and not _MAIL().search(s)) or any(p().search(s) for p in (_READS, _UNEASE)):
        return True
    return any(p().search(s) for p in (_CONSIDER, _WORTH)) and _LATER().search(s) is None
