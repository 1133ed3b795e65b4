"""A reviewer's request to drop the patch in their own words ("please drop this patch", "it should be dropped")."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from harness.refusals import Refusal, refusal
from harness.regate import Gated, gated
from harness.regressions import regression
from harness.replywords import NUMBERS, ORDINALS, SERIES_LIST, listed_numbers, sentences
from harness.requestgrammar import negated as negated  # re-exported: readings not yet importing requestgrammar
from harness.requestgrammar import request_in as request_in
from harness.requestgrammar import request_match, says_any
from models.lazyre import lazy

# The patch (or the series) as the object: "this patch", "the whole series", "that commit"; never a line, a
# comment, a hunk or a change in it ("drop this line", "drop the comment"), nor a part of the patch named after it
# ("drop the patch's Fixes tag", "drop the patch title prefix").
_OBJECT = r"(?:this|the|that|your)\s+(?:whole\s+|entire\s+)?(?:patch(?:set)?|series|commit)"
_NOT_WHOLE = (r"(?!['’]s\b|\s+(?:title|subject|prefix|description|changelog|log|tag|number|name|hunk|message|hash|id|"
              r"of)s?\b|\s+#?\d)")
# Where a patch is carried: "your tree", "Andrew's queue", "the series", "mm-unstable".
_HOLDER = (r"(?:(?:(?:your|the|his|her|their|our|my|\w+['’]s)\s+)(?:\w+\s+)?"
           r"(?:tree|branch|queue|series|repo|repository)|linux-next|[\w.]+-(?:unstable|stable|next|fixes))\b")
# A maintainer's word that the patch left their tree or queue ("I'll drop this from my queue", "Dropped from my tree",
# "I've dropped this patch for now", "Unqueued the series."): the revision will not be applied, which a gate passing
# would hide. Said by the one carrying it, so first person, or with the subject left out as mail does ("Dropped
# ..."); "you dropped this patch in v2" is none. A holder is one's own ("my tree", "our queue"), a queue, or a branch
# by its path ("x86/tdx", "kvm-x86/next"); a patch dropped while testing ("I reverted this patch and it boots") names
# none and is left out, as is what is dropped while applying ("Applied, dropped the Fixes tag": not the patch).
_SELF = (r"(?:^\W*|\b(?:I|we)(?:['’](?:ve|ll|m|d)|\s+(?:have|had|will|shall|am|are))?\s+)"
         r"(?:(?:now|just|already|also|then|simply|temporarily|quietly|will|have|had|go\s+ahead\s+and|"
         r"went\s+ahead\s+and)\s+){0,2}")
_OUT = (r"(?:dropp(?:ed|ing)|drop|unqueu(?:ed|ing|e)|de-?queu(?:ed|ing|e)|zapp(?:ed|ing)|zap|"
        r"(?:remov|revert)(?:ed|ing|e)?|back(?:ed|ing)?\s+out|pull(?:ed|ing)?\s+out|kick(?:ed|ing)?\s+out)")
_OWN_HOLDER = (r"(?:(?:my|our)\s+(?:\w+\s+)?(?:tree|branch|queue|repo|repository|pile|stack)|"
               r"(?:the\s+)?(?:[\w.-]+\s+)?queue|linux-next|tip|[\w.]+-(?:unstable|next|fixes)|"
               # A branch by its path, not a file or directory of the kernel ("from arch/x86", "from tdx.c").
               r"(?!(?:arch|drivers|include|kernel|mm|fs|net|tools|lib|scripts|Documentation|virt|security|sound|"
               r"block|crypto|init|ipc|samples|usr|rust)/)[A-Za-z][\w-]*(?:/[\w-]+){1,2}(?![\w/-]|\.\w))\b")
# The reason after a comma: "I'm dropping this, it breaks the 32-bit build." (read as nothing: the gate passed).
_WHY = r"it|this|that|the|there|as|since|because|I|we"
_DROPPED_FROM = (rf"{_SELF}{_OUT}\s+(?:(?:this|it|that|them|these|those)(?:\s+ones?)?\s+|{_OBJECT}\s+)?"
                 rf"(?:again\s+)?(?:from|out\s+of)\s+{_OWN_HOLDER}"
                 # Taken, backed, pulled or kicked out of it: "I've taken this out of my queue.", "Backing this out of
                 # tip." (read as nothing: the gate passed it). With no holder, only the patch named: "I took it out"
                 # below a quoted line is the line's.
                 rf"|{_SELF}(?:tak(?:en|ing|e)|took|back(?:ed|ing)?|pull(?:ed|ing)?|kick(?:ed|ing)?)\s+"
                 rf"(?:(?:this|it|that|them|these|those)(?:\s+ones?)?|{_OBJECT})\s+"
                 rf"(?:back\s+)?out(?:\s+again)?\s+of\s+{_OWN_HOLDER}"
                 rf"|{_SELF}(?:tak(?:en|ing|e)|took)\s+{_OBJECT}{_NOT_WHOLE}\s+(?:back\s+)?out(?:\s+again)?"
                 rf"(?=\s*(?:[.!;]|$|,\s*(?:thanks|sorry|{_WHY})\b))")
# Reverted or dropped with what that fixed, a tester's word too: "I reverted this patch and the machine boots again.",
# "I dropped it locally and the warning is gone." (each read as nothing): the patch breaks it, a regression report.
_FIXED = (r"(?:\s+(?:locally|here|on\s+my\s+[\w-]+(?:\s+[\w-]+)?))?\s*,?\s+and\s+(?:now\s+)?"
          r"(?:the\s+[\w-]+(?:\s+[\w-]+)?|it|my\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:boots|works|runs|is\s+(?:fine|stable|gone|happy|back))\b")
_DROPPED_WHOLE = (rf"{_SELF}(?:dropp(?:ed|ing)|unqueu(?:ed|ing)|de-?queu(?:ed|ing)|revert(?:ed|ing))\s+{_OBJECT}"
                  rf"{_NOT_WHOLE}"
                  rf"(?=\s*(?:[.!;]|$|,\s*(?:thanks|sorry|please|{_WHY})\b|\b(?:for\s+now|again|until|pending|since|"
                  r"because|as|so)\b))")
# An imperative or a wish: "drop this patch", "I'd like this patch dropped", "this patch should be dropped".
_REQUEST = gated(
    rf"\b(?:drop|discard|abandon|remove)\s+{_OBJECT}\b{_NOT_WHOLE}"
    rf"|\b(?:revert|back\s+out)\s+this\s+(?:patch|commit|series|change)\b{_NOT_WHOLE}"
    rf"|\b{_OBJECT}\s+(?:should|must|needs\s+to|has\s+to|can|could|ought\s+to)\s+(?:\w+\s+)?be\s+"
    r"(?:dropped|removed|reverted)\b"
    rf"|\b{_OBJECT}\s+(?:should|must|needs\s+to|has\s+to)\s+go(?:\s+away)?(?=\s*(?:[.!;,]|$))"
    rf"|\b(?:like|want|prefer|have)\s+{_OBJECT}\s+(?:dropped|removed|reverted)\b"
    # The patch named by where it is carried: only a patch is dropped from a tree, branch or queue ("Andrew, please
    # drop this from your tree").
    rf"|\b(?:drop|discard)\s+(?:this|it|that)\s+(?:one\s+)?from\s+{_HOLDER}",
    re.I,
)
# Passive, from its holder: "This patch is dropped from my queue.", "The series has been dropped from tip." (none).
_DROPPED_PASSIVE = (rf"\b{_OBJECT}{_NOT_WHOLE}\s+(?:is|has\s+been|was|got)\s+(?:now\s+)?(?:dropped|unqueued|de-?queued)"
                    rf"(?:\s+again)?\s+(?:from|out\s+of)\s+{_OWN_HOLDER}")
# "This patch was dropped because an updated version will be issued" (a maintainer's queue notice): dropped for a
# reason, any but that it went in ("... because it was merged into mainline").
_DROPPED_BECAUSE = (rf"\b{_OBJECT}{_NOT_WHOLE}\s+(?:is|has\s+been|was|got)\s+dropped\s+because\b"
                    r"(?![^.;]*\b(?:merged|applied|upstream|mainline)\b)")
_DROPPED = gated(rf"{_DROPPED_FROM}|{_DROPPED_WHOLE}|{_DROPPED_PASSIVE}|{_DROPPED_BECAUSE}", re.I)
# Pulled from its holder ("Pulled from linux-next.": read as nothing), not fetched ("I pulled it from linux-next and it
# boots", "... to test it"): nothing but a reason may follow. Reverted or dropped with what that fixed (_FIXED), the
# patch named or not (_UNNAMED_OUT's place). Apart from _DROPPED and _UNNAMED_OUT, and compiled only for a text with
# their words: inside them they made every reply's first compiling 16 M instructions dearer.
_PULLED = gated(rf"{_SELF}pull(?:ed|ing)\s+(?:(?:this|it|that|them)(?:\s+ones?)?\s+|{_OBJECT}\s+)?(?:again\s+)?"
                rf"from\s+{_OWN_HOLDER}(?=\s*(?:[.!;]|$|,\s*(?:thanks|sorry|{_WHY})\b|\s+(?:for\s+now|until)\b))", re.I)
_REVERTED_FIXED = gated(rf"{_SELF}(?:revert(?:ed|ing)|dropp(?:ed|ing))\s+{_OBJECT}{_NOT_WHOLE}{_FIXED}", re.I)
_UNNAMED_FIXED = gated(rf"{_SELF}(?:revert(?:ed|ing)|dropp(?:ed|ing))(?:\s+(?:it|this|that)(?:\s+one)?)?{_FIXED}", re.I)
_FIXED_WORDS = ("boots", "works", "runs", "fine", "stable", "gone", "happy", "back")


def _out_fixed(text: str, pattern: Callable[[], Gated] | None = None) -> tuple[str, re.Match[str]] | None:
    """_PULLED's or, with ``pattern``, a revert with what it fixed (_REVERTED_FIXED, _UNNAMED_FIXED) in ``text``."""
    low = text.lower()
    if pattern is None:
        return request_match(text, _PULLED()) if "pull" in low or not text.isascii() else None
    fixed = ("revert" in low or "dropp" in low) and any(w in low for w in _FIXED_WORDS)
    return request_match(text, pattern()) if fixed or not text.isascii() else None
# Asked not to be applied: "Please don't apply this one", "do not merge this patch yet". The negation is the
# request's own; one before it ("I never said don't apply this patch") is none, and an order of applying
# ("don't apply this patch without patch 2", "... on its own") asks for no drop.
# Also "Let's not merge this patch", "This patch should not be merged", and "Please don't merge this." (only a patch is
# applied or merged: "this" alone is one, unless a word follows that names something else, "this suggestion").
_BARE = r"(?:this|it)(?=\s*(?:[.!,;:)]|$|\b(?:yet|now|please|for|until|as|in|to|into|upstream)\b))"
_ORDER = (r"(?!\s+(?:(?:yet\s+)?without|on\s+its\s+own|alone|separately|independently|by\s+itself|before\s+patch|"
          r"(?:to|for|into|in)\s+(?:the\s+)?(?:[\w.]+[-/])?stable)\b)")  # an order of applying, a backport held back
# Said of the patch: "This patch must not be merged.", "... can't go in as is", "... should not land".
# "won't go in" too, and the progressive, "isn't going in" (_NOT_GOING: "Nope, this isn't going in." below the patch
# by its maintainer was read as nothing, and the gate passed it).
_MUST_NOT = r"(?:(?:should|must|could|will)(?:\s+not|n['’]t)|won['’]t|can(?:not|\s+not|['’]t)|may\s+not)"
_GO_IN = (r"(?:go\s+(?:in|upstream|into\s+(?:mainline|linux-next|[\w.-]+/[\w.-]+|\w+['’]s\s+tree))|land|"
          r"be\s+(?:applied|merged|queued|picked\s+up|taken))\b")
_NOT_GOING = (r"(?:\s+(?:is|are)|['’]s|['’]re)(?:\s+not|n['’]t)\s+going\s+(?:in|upstream|into\s+(?:mainline|linux-next|"
              r"[\w.-]+/[\w.-]+|\w+['’]s\s+tree))(?=\s*(?:[.!;,)]|$|\b(?:as[\s-]is|until|yet|for\s+now|now|like\s+"
              r"(?:this|that)|in\s+(?:its|this|the)\s+(?:current\s+)?(?:form|state|shape)|either|anymore)\b))")
_APPLY = r"(?:apply(?:ing)?|merg(?:e|ing)|queu(?:e|ing)|pick(?:ing)?\s+up)"
_HOLD = gated(
    # A wish put as a preference: "I'd rather we didn't merge this.", "I'd rather not take this patch." (they passed).
    r"(?:\b(?:do\s+not|don['’]t|let['’]s\s+not|let\s+us\s+not|(?:I['’]d|I\s+would|we['’]d|we\s+would)\s+"
    r"(?:rather|prefer)\s+(?:not|(?:we|you|they|\w+)\s+(?:didn['’]t|did\s+not)))\s+(?:(?:apply|merge|take|queue|pick\s+up)\s+"
    rf"(?:this|that|the)\s+(?:one|patch|commit|series|change){_NOT_WHOLE}\b|(?:apply|merge|queue|pick\s+up)\s+{_BARE})"
    rf"|\b{_OBJECT}(?:\s+{_MUST_NOT}\s+{_GO_IN}|{_NOT_GOING})"
    # Asked to wait before applying it: "Please wait before applying this.", "Wait with merging this patch until
    # ..." (it passed). Only a patch is applied, so "this" alone is one; "Wait, I see it now." asks nothing.
    rf"|\bwait\s+(?:with|before|on)\s+{_APPLY}\s+(?:{_OBJECT}{_NOT_WHOLE}\b|{_BARE})"
    # Asked to be passed over: "Please ignore this patch, I sent the wrong version."; not a thing in it ("ignore this
    # warning", "the noise in this patch"). "Ignore this one" is the author's alone (_POSTING_IGNORED).
    rf"|\b(?:ignore|disregard)\s+{_OBJECT}{_NOT_WHOLE}\b"
    # An objection to it in the first person: "I object to this patch.", "I'm against merging this series."
    rf"|\bI(?:['’]m|\s+am)?\s+(?:(?:strongly|really)\s+)?(?:object\s+to|against|opposed\s+to)\s+(?:(?:applying|merging|taking)\s+)?"
    rf"{_OBJECT}{_NOT_WHOLE}\b"
    rf"|\bI(?:['’]m|\s+am)?\s+(?:(?:hereby|going\s+to|have\s+to)\s+)?veto(?:ing|es)?\s+{_OBJECT}{_NOT_WHOLE}\b){_ORDER}",
    re.I,
)
# The one who applies patches refusing to ("I won't apply this.", "Not merging this one, sorry.", "I can't take this
# patch as is.", "I'm not going to merge this series."), or asking that it be held ("Hold off on applying this.",
# "Don't pick this up yet."): in the first person or with the subject left out. Only a patch is applied, merged or
# queued, so "this" alone is one (as _BARE); what one takes or holds off on may be anything ("I can't take this
# suggestion"), so "this" alone there is placed by the quote above it (_UNNAMED_REFUSED). Sent to another tree ("I
# can't take this, Andrew should.", "... it belongs in net", "... via x86/tdx") it is not refused. Never the author's
# (hold_sentence): their "Not applying this, the old form is clearer" declines a reviewer's suggestion.
# What may follow the refused patch: the sentence's end, or words that say when or how ("as is", "until v3", "yet"),
# never another object ("take this suggestion", "take it that way", "taking this personally").
_THEN = (r"(?=\s*(?:[.!;,)]|$|\b(?:as[\s-]is|until|yet|for\s+now|now|in\s+(?:its|this|the)\s+(?:current\s+)?"
         r"(?:form|state|shape)|like\s+(?:this|that)|unless|either|anymore|any\s+more|on\s+top|sorry|please)\b))")
# Not wanted in: "I don't want this merged.", "We do not want this patch applied yet." (only a patch is applied, so
# "this" alone is one), "This isn't ready to be merged.", "This patch is not ready for inclusion yet.", "This needs more
# work before it can be merged.", and the doubt that is an objection: "I don't think this should be merged.", "I don't
# think we should take this patch." (what one thinks of dropping it, "I don't think this patch should be dropped", is
# none: _DEFERRED). Its own negation, as _HOLD's; tried only on a text holding one of _UNWANTED_WORDS.
_IN = r"(?:applied|merged|queued|picked\s+up|taken)"
_UNWANTED = gated(
    rf"(?:\b(?:I|we)\s+(?:really\s+)?(?:do\s+not|don['’]t)\s+want\s+(?:{_OBJECT}{_NOT_WHOLE}|this|it|that)(?:\s+one)?"
    r"\s+(?:(?:to\s+be\s+|to\s+get\s+|getting\s+|being\s+)?(?:applied|merged|queued|picked\s+up|upstream)|to\s+(?:go\s+in|"
    r"land))\b"
    rf"|\b(?:{_OBJECT}|this|it|that)(?:\s+one)?\s+(?:is\s+not|isn['’]t|['’]s\s+not)\s+(?:yet\s+)?ready\s+(?:yet\s+)?"
    r"(?:to\s+be\s+(?:applied|merged|queued|picked\s+up)|to\s+go\s+in|for\s+(?:merging|merge|inclusion|applying|"
    r"mainline|upstream))\b"
    rf"|(?<!\bif\s)(?<!\bwhen\s)(?<!\bonce\s)(?<!\bunless\s)\b(?:{_OBJECT}|this|it)(?:\s+one)?\s+needs\s+(?:(?:some|more|a\s+lot\s+more|a\s+bit\s+more|further|much\s+more)\s+)?"
    rf"work\s+before\s+(?:it|this|they)\s+(?:can|could)\s+be\s+{_IN}\b"
    r"|\bI\s+(?:really\s+)?(?:do\s+not|don['’]t)\s+think\s+(?:that\s+)?"
    rf"(?:(?:{_OBJECT}|this|it)(?:\s+one)?\s+(?:should|can|could)\s+(?:be\s+{_IN}|go\s+in|land){_THEN}"
    rf"|(?:{_OBJECT}|this|it)(?:\s+one)?\s+is\s+ready\s+(?:to\s+be\s+{_IN}|to\s+go\s+in|for\s+(?:merging|merge|"
    r"inclusion|applying|mainline|upstream))\b"
    # Ready with no complement: of nothing but the patch here ("I don't think this is ready (yet)."; it passed).
    rf"|(?:{_OBJECT}|this|it)(?:\s+one)?\s+is\s+(?:quite\s+|really\s+)?ready(?:\s+yet)?(?:\s+as[\s-]is)?"
    r"(?=\s*(?:[.!;]|$))"
    rf"|(?:we|you|anyone)\s+should\s+(?:apply|merge|queue|take|pick\s+up)\s+(?:{_OBJECT}{_NOT_WHOLE}\b|{_BARE}))"
    # A preference it stays out: "I'd really prefer this not go in until the ABI is documented." (READY, h701)
    rf"|\bI(?:['’]d|\s+would)\s+(?:(?:really|much|strongly)\s+)?(?:prefer|rather)\s+(?:that\s+)?(?:{_OBJECT}|this|it)"
    rf"(?:\s+one)?\s+(?:not|didn['’]t|did\s+not|wasn['’]t)\s+(?:go(?:es)?\s+in|land|(?:be|get|got|was)\s+{_IN})\b(?!\s+(?:through|via|to)\b)"
    # A verdict that it cannot go in: "This is a no-go.", "This patch is a non-starter for me." (it passed). Its
    # subject leads the sentence ("Calling it from atomic context is a no-go" is of a use, not the patch), and nothing
    # follows but whose verdict it is or when ("... a no-go to call it here" names another thing).
    rf"|^\W*(?:(?:so|sorry|but|then|IMO|IMHO|honestly|frankly|well)[\s,]+)*(?:I\s+(?:think|believe|fear)\s+)?"
    rf"(?:{_OBJECT}{_NOT_WHOLE}|this)(?:\s+one)?\s+(?:is|['’]s)\s+(?:(?:a|an|just|simply|clearly|definitely|still)\s+)*"
    r"(?:no[-\s]?go|non-?starter)(?=\s*(?:[.!;,)]|$|\b(?:from|for\s+(?:me|us)|as[\s-]is|in\s+its|until|yet|"
    r"I['’]m\s+afraid)\b)))"
    rf"{_ORDER}", re.I)
_UNWANTED_WORDS = ("want", "ready", "work", "think", "no-go", "no go", "nogo", "starter", "prefer", "rather")
_PRONOUN = r"(?:this|it|that)(?:\s+one)?"
_REFUSER = (r"(?:^\W*not\s+|\b(?:I|we)(?:['’](?:m|re|ll)|\s+(?:am|are|will))?\s+(?:not\s+going\s+to|not|won['’]t|"
            r"will\s+not|can['’]t|cannot|can\s+not|refuse\s+to|would\s+not|wouldn['’]t)\s+)")
# Searched once in the rest of the sentence (_request's ``unless``): as a lookahead of each match it was quadratic.
_ELSEWHERE = gated(r"\b(?:belongs?|should\s+(?:go|take|apply|pick|route|merge|queue)|(?:goes|go|going)\s+"
                  r"(?:via|through|in)|(?:through|via)\s+(?:the|his|her|their|\w+['’]s|[\w-]+/[\w-]+)|instead)\b|"
                  r"\bshould\W*$", re.I)
_REFUSED = gated(
    rf"(?:{_REFUSER}(?:{_APPLY}\s+(?:{_PRONOUN}|{_OBJECT}{_NOT_WHOLE})|tak(?:e|ing)\s+{_OBJECT}{_NOT_WHOLE}){_THEN}"
    rf"|\bhold\s+off\s+on\s+(?:{_APPLY}\s+(?:{_PRONOUN}|{_OBJECT})|{_OBJECT}){_NOT_WHOLE}{_THEN}"
    rf"|\b(?:do\s+not|don['’]t)\s+pick\s+{_PRONOUN}\s+up\b){_ORDER}", re.I)
_UNNAMED_REFUSED = gated(rf"(?:{_REFUSER}tak(?:e|ing)\s+{_PRONOUN}{_THEN}"
                         rf"|\bhold\s+off\s+on\s+{_PRONOUN}{_THEN}){_ORDER}", re.I)
# By number: "drop patch 3", "drop patches 2 and 3/5", "patch #4 should be dropped", a range ("patches 2-4",
# "2 through 4"), a number of the series' form alone ("drop 2/3", "drop [PATCH v2 2/3]"), an ordinal ("drop the
# second patch").
_HEAD = (rf"^\W*(?:(?:as\s+)?for\s+)?(?:(?:the\s+)?patch(?:es)?\s+{NUMBERS}|\[?(?:(?:RFC\s+)?PATCH(?:\s+v\d+)?\s+)?"
         rf"{SERIES_LIST}\]?)\s*[:,]\s*")
_NUMBERED = gated(
    rf"\b(?:drop|discard|abandon|remove|revert|leave\s+out)\s+(?:(?:the|this|that)\s+)?patch(?:es)?\s+{NUMBERS}"
    r"(?![\w/'’])"
    # "Let's leave out patch 2 for now.", "Leave 2/3 out." (read as nothing: the gate passed 2/3).
    rf"|\bleave\s+(?:patch(?:es)?\s+{NUMBERS}|{SERIES_LIST})\s+out\b"
    rf"|(?:\bpatch(?:es)?\s+{NUMBERS}|(?<![\w/#]){SERIES_LIST})"  # "3/5 and 4/5 should be dropped" too
    r"\s+(?:(?:should|must|needs\s+to|have\s+to|has\s+to|can|could|ought\s+to)\s+(?:\w+\s+)?be\s+dropped\b"
    # "Patch 2 should go.", as "This patch should go." (read as nothing: the gate passed 2/3).
    r"|(?:should|must|needs\s+to|has\s+to|have\s+to)\s+go(?:\s+away)?(?=\s*(?:[.!;,]|$)))"
    # "drop 3/5", "drop 3/5 and 4/5", "drop 2-3/5" (the list read whole: "and 4/5" went unread, and passed).
    rf"|\b(?:drop|discard|abandon|revert)\s+(?:both\s+)?(?:\[(?:RFC\s+)?PATCH(?:\s+v\d+)?\s+)?"
    rf"{SERIES_LIST}(?:\]|(?![\w/])(?!\s+of\b))"
    # Its maintainer's word that patches named by number left their tree ("Dropped 2/3, thanks.", "I've dropped patches
    # 2-3 for now.", "Queued 1/3 and 3/3, dropped 2/3."), as _DROPPED reads "Dropped this patch": each passed the gate.
    rf"|(?:{_SELF}|,\s*(?:and\s+)?)(?:dropp(?:ed|ing)|unqueu(?:ed|ing)|de-?queu(?:ed|ing))\s+(?:patch(?:es)?\s+"
    rf"{NUMBERS}(?![\w/'’])|{SERIES_LIST}(?![\w/]))(?=\s*(?:[.!;,)]|$|\b(?:from|out\s+of|for\s+now|again|until|"
    r"pending|since|because|as|so|thanks)\b))"
    # Reverted or removed by number from a tree, branch or queue: "I've reverted 2/3 from x86/tdx, it breaks boot."
    # (read as nothing: the gate passed 2/3). With no holder, a revert is a tester's ("I reverted 2/3 and it boots").
    rf"|{_SELF}(?:revert(?:ed|ing)|remov(?:ed|ing)|back(?:ed|ing)\s+out|pull(?:ed|ing)\s+out|kick(?:ed|ing)\s+out)\s+"
    rf"(?:patch(?:es)?\s+{NUMBERS}(?![\w/'’])|{SERIES_LIST}(?![\w/]))\s+(?:again\s+)?(?:from|out\s+of)\s+{_OWN_HOLDER}"
    # With what that fixed, a tester's too: "I reverted 2/3 and it boots again." (a regression report: _FIXED).
    rf"|{_SELF}revert(?:ed|ing)\s+(?:patch(?:es)?\s+{NUMBERS}(?![\w/'’])|{SERIES_LIST}(?![\w/])){_FIXED}"
    rf"|\b(?:drop|discard|abandon)\s+the\s+({'|'.join(ORDINALS)})\s+patch{_NOT_WHOLE}\b"
    # The patch named first, the request after ("Patch 6: please drop it.", "For 6/26, drop this one."), as "Patch 3:
    # NAK" names its patch: "it" and "this" can only be the patch just named.
    rf"|{_HEAD}(?:(?!(?:if|unless|once|when|until|after|before)\b)\w+[\s,]+){{0,2}}?(?:drop|discard|abandon)\s+"
    r"(?:it|them|this(?:\s+one)?|these)(?=\s*(?:[.!,;)]|$|\b(?:please|now|for|until|as|from)\b))"
    # Its object left out ("Patch 3: please drop.", "TITLE: drop", harness.titlenames): only after words that leave
    # the verb an imperative, not a thing that drops ("Patch 3: the values drop.").
    rf"|{_HEAD}(?:(?:please|just|simply|so|then|I['’]d|I\s+would|let['’]s|(?:we|you)\s+(?:should|can|could|must))"
    r"[\s,]+){0,2}(?:drop|discard|abandon)(?=\s*(?:[.!;)]|$|\b(?:please|now)\b))",
    re.I,
)
# A word every alternative of _DROPPED and _UNNAMED_OUT holds: a text with none (most replies) is not searched for them.
_OUT_WORDS = ("drop", "queu", "zap", "remov", "revert", "back", "pull", "kick", "tak", "took")


_REFUSE_WORDS = ("appl", "merg", "queu", "pick", "tak", "hold")  # _REFUSED's and _UNNAMED_REFUSED's


def _says_out(text: str) -> bool:
    """Whether ``text`` may hold a maintainer's word that the patch went (_DROPPED): one of its verbs, any case."""
    return says_any(text, _OUT_WORDS)


@functools.lru_cache(maxsize=1024)  # a reply's words are read for every state judged and every report part
def drop_sentence(text: str) -> str | None:
    """The sentence of a reply's own words that asks to drop the patch it answers: the request with no negation
    before it or in it in its sentence ("no need to drop this patch", "I don't think this patch should be dropped"
    are none), and no question but a request put as one; None when there is none. A past tense ("Dropped patch 3",
    an author's changelog) is no request."""
    if (asked := asked_sentence(text)) is not None:
        return asked
    # Any other refusal by its grammar ("I will not be taking this patch."; harness.refusals) naming the patch.
    return said.sentence if (said := refused_or_broken(text)) and said.named and not said.numbers else None


@functools.lru_cache(maxsize=1024)
def asked_sentence(text: str) -> str | None:
    """drop_sentence by the forms of asking to drop the patch or saying it went alone ("Please drop this patch.",
    "I've taken the patch out, it breaks the build."): no refusal by its grammar, no report that it breaks something
    ("This patch breaks boot.")."""
    refused = says_any(text, _REFUSE_WORDS)
    found = request_match(text, _REQUEST()) or (request_match(text, _DROPPED()) if _says_out(text) else None) \
        or _out_fixed(text) or _out_fixed(text, _REVERTED_FIXED) \
        or request_match(text, _HOLD(), own_negation=True) \
        or (request_match(text, _UNWANTED(), own_negation=True) if says_any(text, _UNWANTED_WORDS) else None) \
        or (request_match(text, _REFUSED(), True, _ELSEWHERE()) if refused else None)
    return found[0] if found else None


def _not_mine_to_ack(sentence: str, text: str) -> bool:
    from harness.ackreasons import not_mine_to_ack  # loaded only for a text holding a refusal

    return not_mine_to_ack(sentence, text)


@functools.lru_cache(maxsize=1024)
def refused_or_broken(text: str) -> Refusal | None:
    """A refusal by its grammar (harness.refusals), else a report that the patch breaks something (harness.regressions:
    "This patch breaks boot.", an objection a gate must not pass over), in ``text``, a reply's own words. Read once
    per text: a reply's objection, its drop requests and its numbered ones each ask (the corpus' eval: 93 asks of 63
    texts, each through every sentence and refusal form)."""
    said = refusal(text, request_in)
    if said is not None and _not_mine_to_ack(said.sentence, text):  # "I won't ack this: I have no way to test it."
        said = None
    return said or regression(text, request_in)


def reports_only(text: str) -> bool:
    """Whether ``text`` (one sender's words) objects only by reporting that the patch breaks something
    (harness.regressions): no request to drop or refusal beside it ("This patch breaks boot." alone, not with "Please
    drop this patch."). Its kind is a regression, whoever it is read as from (its sender, or one a quote names)."""
    if (said := regression(text, request_in)) is None or refusal(text, request_in) is not None:
        return False
    numbered = numbered_drop(text)
    return drop_sentence(text) in (said.sentence, None) and unnamed_drop_sentence(text) is None \
        and (numbered is None or numbered[1] == said.sentence)


def reported_alone(text: str) -> bool:
    """Whether ``text`` objects only by a report that the patch breaks something (reports_only) and asks or does no
    drop beside it ("I've taken the patch out, it breaks the build." is its maintainer's drop): a regression, said and
    counted so, never a request to drop, which its sender did not make."""
    return reports_only(text) and asked_sentence(text) is None


# The author passing over their posting ("Disregard this one, v3 follows.", "Ignore this version."); a reviewer's
# "ignore this one" takes back their own comment.
_POSTING_IGNORED = gated(r"\b(?:ignore|disregard)\s+(?:this|that)\s+(?:one|version|revision|posting|submission|"
                         r"resend|v\d+)\b(?!\s+of\b)", re.I)


# Its maintainer's word that the patch is in their tree after all: "Applied, thanks.", "Re-applied.", "Queued again.",
# "I've applied it now.", "I picked this patch up again." (applied_sentence).
_APPLIED = gated(rf"{_SELF}(?:re-?)?(?:applied|queued|picked\s+up|merged)(?:\s+(?:{_PRONOUN}|{_OBJECT}{_NOT_WHOLE}))?"
                 r"(?:\s+(?:again|back|now|after\s+all|as\s+well|too|also))*(?=\s*(?:[.!;,]|$|\b(?:to|into|in|for|on|thanks)\b))",
                 re.I)


def applied_sentence(text: str) -> str | None:
    """The sentence saying, in the first person or with the subject left out, that the patch was applied or queued
    ("Applied, thanks.", "Re-applied."), as drop_sentence reads a request (no negation, condition or question)."""
    found = request_match(text, _APPLIED()) if says_any(text, ("appl", "queu", "pick", "merg")) else None
    return found[0] if found else None


def hold_sentence(text: str) -> str | None:
    """The sentence asking that the patch not be applied ("Please don't apply this one."), as drop_sentence reads
    it: a request to whoever applies patches, the patch's own author's too (a plan, "I'll drop it in v3", is not
    one)."""
    found = request_match(text, _HOLD(), own_negation=True) \
        or request_match(text, _POSTING_IGNORED(), own_negation=True) \
        or (request_match(text, _UNWANTED(), own_negation=True) if says_any(text, _UNWANTED_WORDS) else None)
    return found[0] if found else None


# A courtesy after the request, no condition on it: "Drop this if possible.", "... if you can", "... if that's ok".
_COURTESY = (r"if\s+(?:at\s+all\s+)?possible|if\s+you\s+(?:can|could|would|don['’]t\s+mind|please)|"
             r"if\s+(?:that['’]s|that\s+is|it['’]s|it\s+is)\s+(?:ok|okay|fine|possible|alright|all\s+right)")
# The patch left unnamed: "Please drop this.", "Drop this one.", "This should be dropped.", "I'd drop it." Whether
# "this" is the patch or the code quoted above it only the quote can tell (harness.unnameddrop): never read alone.
# The object left out too ("Drop, please.", "Please drop."), only as the sentence's imperative, after words that
# leave it one (as _NUMBERED's "Patch 3: please drop."): "The values drop." is no request.
# Reverting it, once applied, is asking the same: "Please revert this.", "Revert, please.", "This should be reverted."
# (each read as nothing: the gate passed).
_UNNAMED = gated(
    r"\b(?:drop|discard|abandon|revert)\s+(?:this|that|it)(?:\s+one)?"
    rf"(?=\s*(?:[.!?,;:)]|$|\b(?:please|now|for\s+now|then|entirely|altogether|completely|instead|until|pending|"
    rf"and\s+wait|{_COURTESY})\b))"
    r"|^\W*(?:(?:please|just|simply|so|then|I['’]d|I\s+would|let['’]s|(?:we|you)\s+(?:should|can|could|must))"
    r"[\s,]+){0,2}(?:drop|discard|abandon|revert)"
    rf"(?=\s*(?:[.!;)]|$|,?\s*(?:please|{_COURTESY})\b\W*$))"
    r"|\b(?:this|that|it)(?:\s+one)?\s+(?:should|must|needs\s+to|has\s+to|can|could|ought\s+to)\s+(?:\w+\s+)?be\s+"
    r"(?:dropped|discarded|reverted)\b",
    re.I,
)
# Its maintainer's word that it went, naming nothing ("Dropped.", "Dropped for now, thanks.", "I've dropped it
# again."): of the patch only above every quote or below its own words, as "Please drop this." is.
_UNNAMED_OUT = gated(rf"{_SELF}(?:dropped|unqueued|de-?queued|dropping|revert(?:ed|ing))"
                     r"(?:\s+(?:it|this|that)(?:\s+one)?)?"
                     rf"(?:\s+(?:again|for\s+now|now))?(?=\s*(?:[.!;]|$|,\s*(?:thanks|sorry|please|{_WHY})\b))"
                     # Passive, from its holder ("This is dropped from tip.": read as none), or "Consider it dropped."
                     r"|^\W*(?:(?:so|ok|okay|then)[\s,]+)*(?:(?:this|it|that)(?:\s+one)?\s+(?:is|has\s+been|was|got)\s+"
                     rf"(?:now\s+)?(?:dropped|unqueued|de-?queued)(?:\s+again)?\s+(?:from|out\s+of)\s+{_OWN_HOLDER}"
                     r"|consider\s+(?:it|this|that)(?:\s+one)?\s+dropped(?=\s*(?:[.!;]|$|,)))", re.I)
# Asked not to be applied, naming nothing ("Please don't apply.", "Don't merge yet."): as _HOLD, its own negation.
# A word to wait first ("Hold on, please don't merge yet."), and the reason after a comma ("Please don't apply, I found
# a bug."): the request stands; "Don't merge, rebase onto tip." gives no reason and asks for none.
_UNNAMED_HOLD = gated(r"^\W*(?:(?:hold\s+on|hang\s+on|wait|sorry|oops|actually|no|nope)[\s,.!]+)?(?:please[\s,]+)?"
                      r"(?:do\s+not|don['’]t)\s+(?:apply|merge|queue|take|pick\s+up)(?:\s+(?:this|it|that)(?:\s+one)?)?"
                      r"(?=\s*(?:[.!;]|$|\b(?:yet|for\s+now|please)\b\W*$|(?:\s+yet)?,\s*(?:I|we|it|this|there|the|please)\b))"
                      # "This must not be merged.", "It can't go in as is.": what "this" is, the quote above it tells.
                      rf"|^\W*(?:(?:so|and|but|then|IMO|IMHO|no|nope|sorry)[\s,]+)*(?:this|it|that)(?:\s+one)?\s+"
                      rf"{_MUST_NOT}\s+{_GO_IN}{_THEN}"
                      rf"|^\W*(?:(?:so|and|but|then|IMO|IMHO|no|nope|sorry)[\s,]+)*(?:this|it|that)(?:\s+one)?{_NOT_GOING}"
                      # "Please hold off.", "Nope, hold off for now." (it passed): only a patch is held off, its
                      # thing named ("hold off on the rename") is none.
                      r"|^\W*(?:(?:no|nope|sorry|so|but|then)[\s,]+)*(?:please[\s,]+)?(?:let['’]s\s+)?hold\s+off"
                      r"(?:\s+(?:for\s+now|please|for\s+a\s+bit|on\s+(?:this|it|that)(?:\s+one)?))*"
                      r"(?=\s*(?:[.!;]|$|,\s*(?:I|we|it|this|there|the|please)\b|\s+until\b))"
                      # A veto, or a firm no: "I'm vetoing this.", "Hard no from me on this one." (each read as nothing:
                      # the gate passed). Only as the sentence's verdict: "a hard no-op" or "no from the lock" is none.
                      rf"|^\W*(?:(?:so|sorry|but|then|IMO|IMHO|honestly|frankly|well|nope|no)[\s,.!]+)*"
                      r"(?:(?:that|this|it)(?:['’]s|\s+is)\s+)?(?:an?\s+)?(?:hard|firm|strong|definite|clear)\s+no"
                      r"(?:\s+from\s+(?:me|us))?(?:\s+(?:on|for|to)\s+(?:this|it|that)(?:\s+one)?)?(?=\s*(?:[.!;,]|$))"
                      rf"|^\W*(?:(?:so|sorry|but|then|well|nope|no)[\s,.!]+)*I(?:['’]m|\s+am)?\s+(?:(?:hereby|going\s+to|"
                      rf"have\s+to)\s+)?veto(?:ing|es)?\s+(?:this|it|that)(?:\s+one)?{_THEN}"
                      # Parked by the one applying: "Parking this one until the ABI discussion settles.", "I'm holding
                      # this back for now." (each read as nothing: the gate passed it).
                      r"|^\W*(?:(?:so|sorry|but|then|ok|okay)[\s,]+)*(?:I['’]m\s+|I\s+am\s+|I['’]ll\s+|I\s+will\s+|I\s+)?"
                      # "Hold it until the lock is taken." is of code: "hold" only as "holding" or "hold ... back".
                      r"(?:(?:park(?:ing)?|defer(?:ring)?|holding)\s+(?:this|it|that)(?:\s+one|\s+patch)?(?:\s+back)?"
                      r"|hold\s+(?:this|it|that)(?:\s+one|\s+patch)?\s+back)"
                      r"(?=\s*(?:[.!;]|$|,\s*(?:I|we|it|this|there|the|please|sorry)\b|\s+(?:until|for\s+now|"
                      r"for\s+the\s+(?:moment|time\s+being)|pending)\b))", re.I)


def unnamed_drop_sentence(text: str) -> str | None:
    """The sentence asking to drop what it does not name ("Please drop this.", "This should be dropped."), as
    drop_sentence reads a request (no negation, condition or question); None when there is none. Of the patch only
    where the reply's quote says so (harness.unnameddrop). Not the sender's own item of their list (_OWN_ITEM)."""
    found = _unnamed_found(text)
    if found is not None and _OWN_ITEM().search(found):
        said = sentences(text)
        rest = said[said.index(found) + 1:] if found in said else []
        return unnamed_drop_sentence("\n\n".join(rest)) if rest else None
    return found


# The sender dropping their own item, named on their list: "Thanks, this was on my todo list too, happy to drop it
# now." (blocked as a request to drop the patch, round 70); not "Please drop it." nor a maintainer's "happy to drop it".
_OWN_ITEM = lazy(r"\b(?:on|off|from)\s+my\s+(?:own\s+)?(?:long\s+)?(?:(?:todo|to-?do|to\s+do|wish)[\s-]*)?list\b"
                 r"[^.;!?]*?(?:\b(?:happy|glad|able)\s+to|\bI\s+(?:can|could|will)|\bI['’]ll)\s+(?:now\s+|finally\s+)?"
                 r"drop\s+(?:it|this|that|mine|my\b)", re.I)


def _unnamed_found(text: str) -> str | None:
    refused = says_any(text, _REFUSE_WORDS)
    found = request_match(text, _UNNAMED()) or (request_match(text, _UNNAMED_OUT()) if _says_out(text) else None) \
        or _out_fixed(text, _UNNAMED_FIXED) \
        or request_match(text, _UNNAMED_HOLD(), own_negation=True) \
        or (request_match(text, _UNNAMED_REFUSED(), True, _ELSEWHERE()) if refused else None)
    return found[0] if found else None


def unnamed_drop_asked(text: str) -> str | None:
    """Of unnamed_drop_sentence's, the sentence asking in so many words that what it does not name go ("Please
    revert.", "Drop it.", "This should be dropped."): not a word that it went ("Dropped.": a maintainer's report, of
    the quoted line when below it), nor one holding it for later."""
    found = request_match(text, _UNNAMED())
    return found[0] if found else None


def unnamed_hold_sentence(text: str) -> str | None:
    """Of unnamed_drop_sentence's, the sentence asking that what it names not be applied, or refusing to ("This can't
    go in like that.", "Please hold off."): below quoted code of the patch too, where "drop this" drops the code."""
    found = (request_match(text, _UNNAMED_HOLD(), own_negation=True) if says_any(text, _HOLD_SAYS) else None) \
        or (request_match(text, _UNNAMED_REFUSED(), True, _ELSEWHERE()) if says_any(text, _REFUSE_WORDS) else None)
    return found[0] if found else None


# A word each alternative of _UNNAMED_HOLD holds ("cannot" holds "not", "a hard no" holds "no").
_HOLD_SAYS = ("not", "n't", "n’t", "hold", "no", "veto", "park", "defer")


# A word every alternative of _NUMBERED holds ("dropped" holds "drop"): ASCII text with none of them, any case, asks
# nothing of it (re.IGNORECASE matches an ASCII letter with no other ASCII character), and most replies have none.
_NUMBERED_VERBS = ("drop", "discard", "abandon", "remove", "revert", "queu", "leave", "should go", "must go", "to go")


# Asked by number not to be applied, the negation the request's own (as _HOLD): "Please don't apply patch 3.", "Don't
# merge 3/5 yet.", "Patch 3 should not be merged.", "3/3 is not ready to be merged.", "I don't want 3/3 merged.",
# "Please hold off on patch 3." Each passed the gate below the cover letter: only a drop verb named a patch by number.
_PATCHES = rf"(?:patch(?:es)?\s+{NUMBERS}(?![\w/'’])|(?<![\w/#]){SERIES_LIST}(?![\w/]))"
_NUMBERED_HOLD = gated(
    rf"(?:\b(?:do\s+not|don['’]t|let['’]s\s+not)\s+(?:{_APPLY}|take)\s+(?:(?:the|this|that)\s+)?{_PATCHES}"
    rf"(?!\s+the\s+wrong\s+way)|{_PATCHES}(?:\s+{_MUST_NOT}\s+{_GO_IN}|{_NOT_GOING})"
    rf"|{_PATCHES}\s+(?:is|are)(?:\s+not|n['’]t)\s+(?:yet\s+)?ready\s+(?:yet\s+)?(?:to\s+be\s+{_IN}|to\s+go\s+in|"
    r"for\s+(?:merging|merge|inclusion|applying|mainline|upstream))\b"
    rf"|\b(?:I|we)\s+(?:really\s+)?(?:do\s+not|don['’]t)\s+want\s+{_PATCHES}\s+(?:to\s+be\s+)?"
    r"(?:applied|merged|queued|picked\s+up|upstream)\b"
    rf"|\bhold\s+off\s+on\s+(?:{_APPLY}\s+)?{_PATCHES}"
    # Refused by the one who applies: "I won't take 3/3.", "I'm not going to apply patch 3 as is.", "I'd rather not
    # take patch 3." (each passed), as _REFUSED reads "I won't apply this."
    rf"|(?:{_REFUSER}|\b(?:I['’]d|I\s+would|we['’]d|we\s+would)\s+(?:rather|prefer)\s+not(?:\s+to)?\s+)"
    rf"(?:{_APPLY}|tak(?:e|ing))\s+(?:the\s+)?{_PATCHES}{_THEN}"
    # Vetoed, a firm no, parked, or taken out of a tree, by number, as "I'm vetoing this." and "Parking this one." are
    # below the patch: "I veto patch 2.", "Patch 2 is a hard no from me.", "Parking 2/3 until ...", "I've taken 2/3
    # out of my queue.", "Backed 2/3 out of tip." (each read as nothing below the cover letter: the gate passed 2/3).
    rf"|\bveto(?:ing|es|ed)?\s+(?:the\s+)?{_PATCHES}"
    rf"|{_PATCHES}\s+(?:is|['’]s)\s+(?:an?\s+)?(?:hard|firm|strong|definite|clear)\s+no\b(?!-)"
    rf"|(?:^\W*|\b(?:I|we)(?:['’](?:m|ll)|\s+(?:am|are|will))?\s+)(?:park(?:ed|ing)?|defer(?:red|ring)?)\s+{_PATCHES}"
    r"(?=\s*(?:[.!;,]|$|\b(?:until|for\s+now|for\s+the\s+(?:moment|time\s+being)|pending)\b))"
    rf"|{_SELF}(?:tak(?:en|ing|e)|took|back(?:ed|ing)?|pull(?:ed|ing)?|kick(?:ed|ing)?)\s+{_PATCHES}\s+"
    rf"(?:back\s+)?out(?:\s+again)?\s+of\s+{_OWN_HOLDER}){_ORDER}", re.I)
_HOLD_WORDS = ("appl", "merg", "queu", "pick", "tak", "want", "ready", "hold", "land", "go", "veto", "no", "park",
               "defer", "took", "out")


def numbered_drop(text: str) -> tuple[tuple[int, ...], str] | None:
    """The patch numbers a reply's own words ask to drop by number ("Please drop patch 3.", "Patches 2 and 3/5
    should be dropped.") or not to apply (_NUMBERED_HOLD), with the sentence, as drop_sentence reads a request; None
    when there is none."""
    ascii_words = text.isascii()
    # No alternative of _NUMBERED can match a text with none of its verbs: it is not compiled for such a text.
    found = None if ascii_words and not any(verb in text.lower() for verb in _NUMBERED_VERBS) \
        else request_match(text, _NUMBERED())
    if found is None and (not ascii_words or says_any(text, _HOLD_WORDS)):
        found = request_match(text, _NUMBERED_HOLD(), own_negation=True, unless=_ELSEWHERE())
    if found is None:  # a refusal by its grammar naming patches by number ("I will not be taking patch 2.")
        said = refused_or_broken(text)
        return (said.numbers, said.sentence) if said is not None and said.numbers else None
    sentence, m = found
    listed = next(g for g in m.groups() if g)
    if listed.lower() in ORDINALS:
        return (ORDINALS.index(listed.lower()) + 1,), sentence
    return listed_numbers(listed), sentence
