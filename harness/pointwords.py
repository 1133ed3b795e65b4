"""A reviewer's request for a change to the patch, in their own words: a review point a rule may not encode yet."""

from __future__ import annotations

import functools
import re

from harness.askedwords import C_NAME, plainly_asked
from harness.concernwords import concern_stated, still_too
from harness.defectwords import defect_named
from harness.dropstands import drop_kept
from harness.grantcondition import granted_if_changed
from harness.keepwords import kept_after
from harness.keptasis import keep_refused, kept_as_is
from harness.model import Patch, Reply
from harness.persistwords import persisting_point
from harness.questionwords import (
    answered,
    asks_author,
    change_question,
    explain_asked,
    imperative_asked,
    off_topic,
    open_question,
    rhetorical,
    self_answered,
)
from harness.refusals import YIELDING
from harness.regate import gated
from harness.replydiffs import without_code
from harness.replyorder import later_than
from harness.replywords import SED, sentences
from harness.requestgrammar import request_match
from harness.requestverbs import FATE, LEAD, OPENERS, PLEASE_WORD, VERBS
from harness.resendwords import RESEND_WITH
from harness.settledwords import declined_after, settled, taken_back_by
from harness.softwords import soft_objection
from harness.tagcondition import change_awaited
from harness.takenback import approval, reviewed_since
from harness.tersepoints import carried_over, still_asked, terse_point
from harness.testtally import tallied_failures, tally_words
from harness.unnameddrop import code_verdict
from harness.unneededwords import code_seen, needed_point
from harness.verdictwords import code_compared, code_judged, merit_doubted
from harness.waivers import turned_after, waived
from models.lazyre import lazy

# "Please" and a verb is a request whatever the verb ("Please serialize this.", "Please unexport it."): VERBS lists
# the verbs of a change asked bare ("Truncate it."), and a verb it lacks after "please" was read as nothing, READY.
# Not a verb of the mail or the review itself ("Please let me know", "Please see below", "Please ignore v2", "Please
# CC me", "Please do." agreeing to an offer), nor one of the patch's fate (FATE: "Please apply", checked first).
_PLEASE = gated(OPENERS + PLEASE_WORD + r"(?:(?:do\s+not|don['’]t|never|also|just|only|still|again|really|then|now|"
                # "Please do send a follow-up." (not "Please do so.", "Please do.": assent to an offer)
                r"rather|definitely|do(?=\s+(?!(?:so|it|that|this|the\s+same)\b)[a-z]))\s+)*+"
                # A verb of VERBS is _IMPERATIVE's, with its exceptions ("Please still drop it.": the patch's fate).
                # "Please reorder: binding first, then the driver." (a verb's colon is a label only without "please")
                r"(?!(?:" + VERBS + r")\b(?!\s*:))"
                r"(?!(?:let|see|find|note|ignore|disregard|forgive|excuse|feel|cc\s+(?:me|us|myself)|ping|reply|respond|answer|tell|"
                r"confirm|advise|share\s+your|correct\s+me|keep\s+(?:me|us)|take\s+(?:a\s+)?look|have\s+a\s+look|"
                r"look|check\s+(?:your|my)\s+(?:mail|inbox)|be\s+(?:patient|aware)|stop\s+top-?posting|do|no|yes|"
                r"thanks?|thank\s+you|ack|review|bear\s+with)\b)[a-z][a-z-]*\b(?!['’])", re.I)
# The verb's word used as a noun or a label is no imperative: "Use of %#llx here ...", "Update: I tested v3",
# "Return value looks right", "Print statements are ...", "Test results attached", "Keep in mind ...", "Make sense".
_NOUN_USE = (r"(?!\s*[:=])(?!\s+of\b)(?!\s+(?:in\s+mind|sense|back)\b)"
             r"(?!\s+[\w-]+\s+(?:is|are|was|were|looks?|seems?|works?|reads?|sounds?|attached)\b)")
# An adverb may stand between a negation and its verb: "Please don't silently return the busy status."
_IMPERATIVE = gated(LEAD + r"(?:(?:(?:do\s+not|don['’]t|never)(?:\s+\w+ly)?|only|always|just|also)\s+)*(?:" + VERBS
                    + r")\b"
                    + _NOUN_USE + r"(?!\s+(?:me|us)\s+know\b)(?!\s+(?:up\s+)?the\s+good\s+work\b)", re.I)
# A change put as what the code or the author should do: "This move should be a pure code move.", "The leaf needs to
# be printed in hex.", "You must not retry forever.". Not a view of what it does ("This should work.", "It should be
# fine."): the sentence names a change.
# Not a conformity ("fails on ENODEV, as it should on a machine without TDX": h686), nor a guess of the past ("This
# must have been broken for ages.": not "This should have been a separate patch.").
_MODAL = gated(r"^\W*(?:(?:[\w%#.()-]+[\s,]+){0,6}?)(?<!\bas\sit\s)(?<!\bas\sthey\s)(?<!\bas\sthis\s)(?<!\bas\sthat\s)"
               r"(?<!\bas\swe\s)(?<!\bas\syou\s)(?:should(?:n['’]t)?|must(?:n['’]t)?(?!\s+have\s+been\b)|needs?\s+to|has\s+to|"
               r"have\s+to|"
               r"ought\s+to)\s+(?:not\s+)?(?:(?:also|really|still|probably|just|only|then|rather)\s+)*"
               r"(?!(?:be\s+)?(?:fine|ok|okay|safe|good|enough|correct|right|harmless|possible|work|happen|"
               r"matter)\b)", re.I)
# A patch named by number is a subject too: "Patch 3 should go first." (below the cover letter: harness.coverpoints).
# A name of C is a subject as well ("tdx_call_busy() should warn once.", "TDX_BUSY_TRIES should be 8."), and
# "there" ("There should be a warning ..."), and a thing not there yet ("A warning should be printed.").
_SUBJECT = lazy(r"^\W*(?:(?:so|also|and|but|or|then|IMO|IMHO|I\s+(?:still\s+|also\s+|really\s+)?(?:think|believe))"
                r"[\s,]+)*"
                r"(?:this|that|it|these|those|you|we|there|(?:the|a|an|each|every|any|all|both|such|its|your|our|"
                r"their|some|one)\s+[\w%#.()-]+(?:\s+[\w%#.()-]+)?|patch(?:es)?\s+#?\d+(?:/\d+)?|#?\d+/\d+|"
                + C_NAME + r")(?!\w)", re.I)
# A preference or a suggestion put as one: "I'd rather you printed the leaf in hex.", "It would be better to cap the
# retries.", "Why not reuse seamcall_err()?", "Could you print it in hex?".
_SUGGEST = gated(r"^\W*(?:(?:so|also|and|but|then|IMO|IMHO|honestly)[\s,]+)*(?:"
                 r"I(?:['’]d|\s+would)\s+(?:(?:much|still|really|also|rather|strongly|definitely|honestly|just|far)\s+)*"
                 # Not the sender's own hold declined: "I'd rather not hold this up any longer." (it blocked).
                 r"(?:rather|prefer|suggest|like\s+(?:you|to\s+see|it))(?!\s+not\s+(?:to\s+)?(?:hold\s+(?:this|it|"
                 r"the\s+(?:patch|series))\s+up|block|delay|stall|bikeshed|drag)\b)"
                 # Nor more of a change declined: "I'd rather not split it further."
                 r"(?!\s+not\s+(?:to\s+)?\w+\s+(?:(?:it|this|that|them)\s+(?:any\s+)?(?:further|more|anymore)|"
                 r"(?:any(?:thing)?\s+)?more\s+(?:to|in|on(?:to)?)\s+(?:it|this|that|the\s+(?:series|patch(?:set)?)))\b)"
                 # Nor the tree it goes through: "I'd prefer this goes through the x86 tree." (a point: round 68)
                 r"(?!\s+(?:(?:that\s+)?(?:this|it|these|they|the\s+(?:patch|series|set))\s+)?(?:to\s+)?(?:go(?:es)?|went)\s+"
                 r"(?:in\s+)?(?:through|via)\s+(?:(?:(?:the|my|your|his|her|their|\w+['’]s)\s+)?(?:[\w./-]+\s+)?(?:tree|"
                 r"branch|queue|repo|pull)|tip|linux-next|net-next|mm-\w+)\b)"
                 # Nor the code kept as it is and granted: "I'd rather keep it as is, it's fine." (a point: round 68)
                 r"(?!\s+(?:keep|leave)\s+(?:it|this|that|them)\s+(?:as\s+(?:is|it\s+is)|unchanged|alone)\b"
                 r"[^.;!?]*\b(?:fine|ok(?:ay)?|good)\b)|"
                 r"I\s+(?:suggest|propose|prefer)|"
                 r"(?:it|this)\s+(?:would|might)\s+be\s+(?:better|cleaner|nicer|simpler|clearer|safer)\s+(?:to|if)|"
                 r"(?:better|cleaner|simpler)\s+(?:to|would\s+be)|"
                 r"(?:can|could|would)\s+(?:you|we)\s+(?:please\s+)?(?:" + VERBS + r")\b|"
                 r"why\s+not\s+(?:just\s+)?(?:" + VERBS + r")\b)", re.I)
# A change offered as what the author may do: "You can drop the braces here.", "Nit: you could just return the call
# directly." (these passed: no imperative, modal or question). Verbs of a change to the code alone: not "You can
# leave it as is", "You can add my Reviewed-by" (FATE), "You can ignore this"; nor one put off ("You could move it
# later", "in a follow-up").
_YOU_MAY = gated(OPENERS + r"you\s+(?:can|could|might|may)\s+(?:(?:also|just|simply|probably|easily|now|then|even|"
                 r"safely|instead)\s+)*(?:drop|remove|delete|get\s+rid\s+of|use|return|replace|rename|move|inline|"
                 r"open-?code|simplify|fold|squash|reuse|cast|print|cap|limit|bound|make|change|switch|convert|split|"
                 r"combine|collapse|hoist|extract|unify|consolidate|shorten|trim|avoid|skip)\b"
                 r"(?!\s+(?:it|this|that|them)\s+as[\s-]+is\b)(?![^.!?]*\b(?:later|follow-?ups?|separately|future)\b)",
                 re.I)
# A suggestion put as a question of its own form: "How about %#llx?", "What about capping it at 8?".
_HOW_ABOUT = lazy(r"^\W*(?:(?:so|also|and|but|then)[\s,]+)*(?:how|what)\s+about\b", re.I)
# A tag offered once a change is made: "With the loop bounded, you can add:", "If you bound the loop, feel free to add
# my", "Modulo the loop bound, ..." (harness.tagcondition reads the tag as conditional; the change is a point).
_OFFERED = gated(r"^\W*(?:(?:with|if|once|after|assuming|provided)\b(?!\s+(?:that|this|those|these)\s*[,:]?\s*$)"
                 r"[^.!?]*?\b(?:you\s+(?:can|may|could)|feel\s+free\s+to)\s+(?:add|have|take|include|put|collect)\b|"
                 r"modulo\b)", re.I)
# A patch's subject listed, as a b4 thank-you or a series list gives it ("[1/3] x86/virt/tdx: Add ...", "- [v2,1/3]
# ..."): the patch's own imperative title, no change asked.
_LISTED = lazy(r"^\s*(?:[-*]\s*)?\[(?:[\w.]+,\s*)?\d+/\d+\]\s")
# One after a lead-in: "Here is the summary with links: - [v2,1/3] ...".
_LISTED_IN = lazy(r"\s*(?:[-*]\s*)?\[(?:[\w.]+,\s*)?\d+/\d+\]\s.*$")
# A listed patch's counter and its title, which names its subsystem ("[1/3] x86/seamldr: fix a leak"), to the next one.
_TITLED = lazy(r"\[(?:[\w.]+,\s*)?\d+/\d+\]\s+[\w/.,+-]+:\s[^\[]*?"
               r"(?=\s*\[|[,;]\s*(?:but|however|though)\b|\s+(?:please|pls|kindly)\b|$)", re.I)
# Words in quotes, read as one word: a title quoted ("I withdraw my NAK of 'x86/tdx: Add foo'.") holds no clause.
_QUOTED = lazy(r"(?<!\w)'[^'\n]+'(?!\w)|\"[^\"\n]+\"|`[^`\n]+`")
# A sed-style substitution (harness.replywords.SED, one sentence whatever it holds).
_SED = SED
# "With the nit fixed, Reviewed-by: ..." leads a tag under a change still to come: the change it names is asked.
_FIXED = gated(r"^\W*(?:with|after|once|if)\s+(?:th(?:at|is|ese|ose)|the|my|your|both|all)\s+(?:[\w-]+\s+){0,3}?"
               r"(?:nits?|comments?|changes?|points?|issues?|things?|fix(?:es)?|suggestions?|concerns?|typos?)\s+"
               r"(?:above\s+|below\s+)?(?:fixed|addressed|changed|done|resolved|applied|taken\s+care\s+of|sorted)",
               re.I)


# The sender leaving it to the author, in the sentence or the next: "I'd rather we not rename it, but it's your call.",
# "We shouldn't do this, IMO, but I won't block it.", "... but here it is fine." (harness.refusals.YIELDING), "Just a
# thought." (not "On second thought, ...": a change of mind, whose point stands).
# A follow-up asked with "please" yields nothing: "Queued, but please send a follow-up fixing the leak." (as "Applied,
# please fix the typo in a follow-up." does not; READY, round 68). Nor a time of the run: "brought online later".
_YIELDS = gated(rf"\b(?:{YIELDING})|\b(?:but|though|although|however)\b"
                r"(?![^.;!?]*\b(?:please|pls|kindly)\b[^.;!?]*\bfollow[- ]?up)[^.;!?]*\b(?:fine|ok(?:ay)?|minor|"
                r"(?<!\bonline\s)(?<!\bup\s)later|follow[- ]?up|optional|harmless|anyway)\b"
                r"|\bfeel\s+free\s+to\s+ignore\b|\b(?:just\s+)?a\s+thought\b"
                # A nit its sender labels optional, as "feel free to ignore" (not "Nit, not optional: ...").
                r"|\bnit(?:pick)?s?\b[^.;!?:]*?(?<!\bnot\s)\b(?:optional|take\s+it\s+or\s+leave\s+it)\b"
                r"|\boptional\s+nit(?:pick)?s?\b|\(\s*optional\s*\)|\btake\s+it\s+or\s+leave\s+it\b",
                re.I)


def _yielded(plain: str) -> bool:
    """Whether ``plain`` (a sentence and the next) holds words its sender yields in (_YIELDS, harness.waivers.waived)
    with no turn after them in their sentence: "Not a blocker for v3, but must be fixed before merge." yields nothing
    (it passed READY)."""
    m = _YIELDS().search(plain)
    return (m is not None and not turned_after(plain, m.end())) or waived(plain)


# A sentence whose first clause finds the code fine, with no turn after it, describes; it asks nothing: "Use of %#llx
# here is fine.", "Return value looks right now.", "Log levels look right." ("Cap the retries; the rest looks good."
# asks: the approval is not its first clause).
_APPROVES = gated(r"^[^,;:]*?\b(?:is|are|looks?|seems?|works?)\s+(?:\w+\s+)?(?:fine|ok(?:ay)?|good|right|correct|sane|"
                  r"reasonable)\b(?![^.;!?]*\b(?:but|though|although|however|except|unless|once|if|when|until)\b)",
                  re.I)


# Two changes offered, the second's verb one of a change: "Either take the mutex in the caller or document the
# locking rule." (its first verb no change's: READY, round 69).
_EITHER = gated(OPENERS + r"either\b[^.;!?]*?\bor\s+(?:(?:just|simply|better)\s+)?(?:" + VERBS + r")\b" + _NOUN_USE,
                re.I)
# The patterns of a change asked in one sentence (point_sentence), each read by request_match.
_ASKING = (_IMPERATIVE, _PLEASE, _SUGGEST, _YOU_MAY, _FIXED, _EITHER)


# A reply's words are read again for every state judged and report part (corpus eval: 30 calls, 4 texts), by 40 readers.
@functools.lru_cache(maxsize=1024)
def point_sentence(text: str) -> str | None:
    """The first sentence of a reply's own words (``text``) that asks for a change to the patch: an imperative of a
    change, a change the code or its author should make, a suggestion, a substitution, a tag offered once a change
    is made, a defect named tersely (harness.defectwords: "This needs a comment.", "Typo: retires"), a point in its
    fewest words (harness.tersepoints: "Same comment as on v1.", "Hex, please.") or a change in everyday words
    (harness.askedwords: "I'd like tdx_call_busy() to warn once.", "Let's warn once."); None when none does. A
    negation before it ("I don't think you should use %#llx"), a condition ("If you use %#llx, ...") or a question
    that is no request ("Should we use %#llx?") asks nothing, nor does a word of the patch's fate or of how it is
    applied (FATE: "Never mind, keep it.", "Please drop patch 3."), nor one its sender leaves to the author
    (_YIELDS: "..., but it's your call.")."""
    said = sentences(text)
    for n, sentence in enumerate(said):
        # What a substitution holds is the code's or the changelog's words, none of the sentence's own ("s/fine/ok/"
        # yields nothing, "s/misread/mis-read/" names no fate).
        plain = _SED().sub(" s/SED/SED/ ", " ".join(said[n:n + 2]))
        if _LISTED().match(sentence) or _yielded(plain) or explain_asked(sentence) or settled(sentence) \
                or off_topic(sentence) or taken_back_by(sentence, said[n + 1:n + 2], _reads_point) \
                or (n > 0 and declined_after(said[n - 1], sentence)):
            continue
        if (kept := kept_as_is(sentence)) is not None:
            # "Keep it as is.", "Let's leave the name alone, renaming would only churn." (harness.keptasis): no
            # change, unless the words around it ask one ("Keep it as is, but add a comment.").
            if any(point_sentence(part.strip(" ,;:-")) is not None
                   for part in (sentence[:kept[0]], sentence[kept[1]:]) if part.strip(" ,;:.!-")):
                return sentence
            continue
        if tallied_failures(sentence) is not None:
            # A test run's tally (harness.testtally) asks nothing ("PASS 58, SKIP 2, FAIL 0": "PASS" read as an
            # imperative); its failures counted ("FAIL: 2") are a report the patch breaks a test, one verdict with the
            # run's FAIL lines (harness.regressions), not a review point as well. Its words beside it may ask.
            if any(point_sentence(part.strip(" ,;:-")) is not None for part in tally_words(sentence) if part):
                return sentence
            continue
        # Read before the words of the patch's fate (FATE): "harder to read", "would read better as a switch", "Have
        # you seen my review of v1?", "Why did you ignore my comments?" name none.
        if granted_if_changed(sentence) or persisting_point(sentence, (said[n - 1] if n else "", *said[n + 1:n + 2]),
                                                             _reads_point) \
                or request_match(sentence, _SED(), own_negation=True) is not None \
                or code_compared(sentence) or (still_asked(sentence) and not self_answered(said[n + 1:n + 2])) \
                or carried_over(sentence) \
                or soft_objection(sentence):
            return sentence
        if kept_after(sentence) is not None or FATE().search(sentence):
            # A flaw's shape holds a fate's verb of its own: "You read hdr->size and only then check hdr.", "The
            # lock is taken after the list is walked." (harness.shapewords).
            # The titles a thank-you lists are the patches', none of its words ("Applied to for-next: [1/3] x86/foo:
            # fix a leak [2/3] ...": "fix a leak" read as asked, the lines of its list joined in one sentence).
            told = _TITLED().sub(" ", sentence)
            if _turn_asks(told) or _and_asks(told) or _asked_first(told) or keep_refused(told) \
                    or RESEND_WITH().search(told) \
                    or concern_stated(told, shapes_only=True):
                return sentence
            continue
        if _APPROVES().match(sentence):
            # "The caller is the right place for this.", "I'm not convinced 16 is right.": "is right" of another
            # thing, or doubted, approves nothing here ("I'm not certain the cast is correct.": a merit doubted).
            if _and_asks(sentence) or concern_stated(sentence) or merit_doubted(sentence):
                return sentence  # "Looks good, and please add a comment."
            continue
        if sentence.endswith("?") and (_HOW_ABOUT().match(sentence) or change_question(sentence)):
            return sentence
        # "Print the leaf in hex here too?", "Maybe cap the retries?": the imperative, put as a question.
        if (asked := imperative_asked(sentence)) is not None \
                and request_match(asked, _IMPERATIVE(), own_negation=True) is not None:
            return sentence
        if any(request_match(sentence, p(), own_negation=True) for p in _ASKING) \
                or _OFFERED().search(sentence) or _clause_asks(_QUOTED().sub("QUOTED", _LISTED_IN().sub("", sentence))):
            return sentence
        if _modal_asks(sentence) or defect_named(sentence) or terse_point(sentence) \
                or plainly_asked(sentence) or code_judged(sentence) or concern_stated(sentence) \
                or (n > 0 and still_too(said[n - 1], sentence)):
            return sentence
    return None


def _reads_point(words: str) -> bool:
    """Whether ``words`` (a sentence with a lead or a "still" read away: harness.persistwords) hold a point."""
    return point_sentence(words) is not None


def _modal_asks(clause: str) -> bool:
    """Whether ``clause`` puts a change as what its subject should do (_MODAL after _SUBJECT), not as a question."""
    return not clause.endswith("?") and _MODAL().search(clause) is not None and _SUBJECT().match(clause) is not None \
        and request_match(clause, _MODAL(), own_negation=True) is not None


def reply_point(r: Reply, head: Patch, replies: dict[str, Reply]) -> tuple[str, bool] | None:
    """The review point of ``r``, a reply below ``head``, and whether it is a question alone (one the patch's author's
    answer lifts: point_lifted; not one that reads as rhetorical, questionwords.rhetorical): point_sentence of its own
    words; in a reply to ``head`` itself, its words judging what they quote wrong, unwanted or not to be done
    ("> +\tretry = 10;" then "This is wrong.", "We don't want this."; unnameddrop.code_verdict), which below quoted
    code are of that code, not of the patch, and were read as nothing (the gate passed code its reviewer judged wrong);
    and in a reply to the patch or to its author, a question they must answer ("Why is this needed?";
    questionwords.open_question), which passed unsaid. Below another's words, those two judge or ask those words, and
    are not read here."""
    words = without_code(r.own_text)  # its proposed code is no sentence of its sender's
    # Nor is a trailer it gives (git interpret-trailers reads "Key: value" by its shape): "Acked-by: Mark Brown <...>"
    # read "Mark Brown" as an imperative, a review point (h674); a tag held for a change is _tag_held's.
    if r.trailers:
        words = _without_trailers(words, {f"{t.key}: {t.value}".strip() for t in r.trailers})
    said = needed_point(words, code_seen(r, head), point_sentence)  # "No check is needed here.": none added
    if said is not None:
        said = _with_request_after(words, said)
    if said is None and (r.mail.in_reply_to or (r.mail.references[-1] if r.mail.references else "")) \
            == head.mail.msgid:
        said = code_verdict(r)
    if said is None:
        said = _tag_held(r)
    if said is not None:
        return said, False
    asked = open_question(words)
    if asked is None or not asks_author(r, head, replies, asked):
        return None
    return asked, not rhetorical(asked)  # one that may ask a change is no question alone: an answer does not lift it


def _with_request_after(words: str, said: str) -> str:
    """The point ``said`` (point_sentence of ``words``) with the sentence right after it where ``said`` states a
    concern or a judgment and that one asks the change outright (an imperative, a "please"): the request is what the
    author must do. Was the reason alone: "spinning ten times here just hides a locking bug." quoted, "Please keep
    the loop to no-entropy only and return the busy status to the caller." not."""
    if _asks_outright(said):
        return said
    said_all = sentences(words)
    n = said_all.index(said) if said in said_all else -1
    after = said_all[n + 1] if 0 <= n < len(said_all) - 1 else None
    if after is None or not _asks_outright(after) or point_sentence(after) != after:
        return said
    return f"{said} {after}"


def _asks_outright(sentence: str) -> bool:
    return not sentence.endswith("?") and any(
        request_match(sentence, p(), own_negation=True) is not None for p in (_IMPERATIVE, _PLEASE))


def _without_trailers(words: str, given: set[str]) -> str:
    """``words`` less the lines that are trailers ``given`` standing alone: not one ending a sentence the line above
    leaves open ("Bound the loop and you can add" then "Reviewed-by: ...": the tag is that sentence's object)."""
    lines, kept = words.split("\n"), list[str]()
    for n, line in enumerate(lines):
        above, below = (kept[-1].strip() if kept else ""), (lines[n + 1].strip() if n + 1 < len(lines) else "")
        # Not one a condition continues on the next line ("(once you switch to %#llx)": _tag_held's to read).
        if line.strip() in given and (not above or above.endswith((".", "!", "?", ":", ")")) or above in given) \
                and not below.startswith(("(", "#")):
            continue
        kept.append(line)
    return "\n".join(kept)


def _tag_held(r: Reply) -> str | None:
    """The line of a Reviewed-by or Acked-by ``r`` gives that waits for a change (tagcondition.change_awaited:
    "Conditional on restoring the pre-decrement:" above it, "(with the off-by-one addressed)" or "# modulo the bound"
    after it): the change is asked of the patch; the tag lifts nothing (harness.takenback.approval) and was read as
    nothing, READY."""
    for t in r.trailers:
        if t.key.lower() in ("reviewed-by", "acked-by") and change_awaited(r.own_text, t.key, t.value):
            return next((ln.strip() for ln in r.own_text.splitlines() if ln.strip().lower().startswith(t.key.lower())),
                        f"{t.key}: {t.value}")
    return None


def point_note(said: str, question: bool, of: str) -> str:
    """The note of a review point ``said`` (reply_point's, ``question`` its second half) of ``of``: "patch" (the one it
    answers), "named" (patches a reply to the cover letter names, which its note has said) or "series": what it asks,
    of whom, and what lifts it. A question that reads as rhetorical (questionwords.rhetorical) says so: whether it asks
    for a change cannot be told, so the author's answer alone does not lift it."""
    of_what = {"patch": "of this patch ", "named": "", "series": "of the series "}[of]
    if question:
        whose = "series'" if of == "series" else "patch's"
        return (f"a question to the {whose} author that no answer of theirs below it in the input follows: it blocks "
                "until they answer it, a rule cites the reply, or a [[read]] table says what it asked")
    lift = "cite the reply in a rule that checks it, or say what it asked in a [[read]] table"
    if rhetorical(said) and point_sentence(said) is None:
        return ("a question that reads as rhetorical: whether it asks for a change (to drop or reuse what it names) or "
                "only for an answer cannot be told from its words, so the author's answer alone does not lift it: "
                f"{lift}, or its sender lifts it (their Reviewed-by, or their assent below the answer)")
    return f"a change asked {of_what}that no rule judges: {lift}"


# Where a later clause of a sentence starts: "Looks good, but please cap the retries.", "One nit: print the leaf in
# hex.", "The loop is fine; only retry on TDX_RND_NO_ENTROPY."
_CLAUSE_START = lazy(r"(?:[,;:]|\s--?)\s+")


def _clause_asks(sentence: str) -> bool:
    """Whether a clause after the first of ``sentence`` is an imperative, a suggestion of a change or a change its
    subject should make (one the whole sentence's first words hide: an approval, a label or a lead-in before it: "As
    I said on v1, this should be hex.", "Agree with Olga, the leaf should be hex."; the last read as nothing, the gate
    passed), not itself an approval."""
    for start in _CLAUSE_START().finditer(sentence):
        clause = sentence[start.end():]
        if not _APPROVES().match(clause) and (any(request_match(clause, p(), own_negation=True)
                                                  for p in (_IMPERATIVE, _PLEASE, _SUGGEST)) or _modal_asks(clause)):
            return True
    return False


# Where a clause turning from the patch's fate or a withdrawal starts: "Keep it, but please add a comment.", "Drop my
# NAK; do add a cpu_relax() between tries though.", "Applied -- please send the fix for the leaf too.", "Removing my
# Ack, please bound the loop."
_TURN = lazy(r"[,;]?\s+(?:but|though|although|however|yet)\b|\s*;\s*|\s--?\s|:\s+|,\s+(?=(?:please|pls|kindly)\b)",
             re.I)


def _turn_asks(sentence: str) -> bool:
    """Whether a clause after a turn in ``sentence``, which states the patch's fate or takes an objection back (FATE,
    harness.keepwords), asks a change itself (point_sentence): "Drop my NAK, but please add a cpu_relax() between
    tries." lifts the NAK and asks (the request was lost: the gate passed). A clause of a fate ("Drop 2/3, but keep
    3/3.") asks nothing."""
    return any(part and not FATE().search(part) and point_sentence(part) is not None
               for part in _TURN().split(sentence)[1:])


# An "and" joining a second clause: "Keep it and add a comment.", "Looks good, and please add a comment."
_AND = lazy(r",?\s+and\s+(?:then\s+)?(?!(?:patch(?:es)?\s+)?#?\d)", re.I)  # not "1 and 3"
# The sender as the subject an imperative after "and" shares: "I'll take it and fix the typo myself."
_SENDER = lazy(r"\b(?:I|we)\b|\blet\s+(?:me|us)\b", re.I)
_PLEASE_FIRST = lazy(r"^\W*(?:please|pls|kindly)\b", re.I)


def _and_asks(sentence: str) -> bool:
    """Whether a clause after an "and" in ``sentence`` asks a change itself (point_sentence), one of the patch's fate
    aside: "Keep it and add a comment.", "Looks good, and please add a comment." Not an imperative whose subject is
    the sender's, before the "and" ("I'll take it and fix the typo myself."), unless it says "please". Before an "and"
    the fate follows, the change is asked first ("Please fix the typo and resend.": READY, round 70)."""
    for m in _AND().finditer(sentence):
        part, head = sentence[m.end():], sentence[:m.start()]
        if FATE().search(part) and not FATE().search(head) and not _SENDER().search(head):
            part = head
        elif FATE().search(part) or (_SENDER().search(head) and not _PLEASE_FIRST().match(part)):
            continue
        if point_sentence(part) is not None:
            return True
    return False


# A clause the patch's fate waits in: "... before this goes in.", "Before I take it, ...", "... until it is merged."
_UNTIL = lazy(r"\b(?:before|until|till|prior\s+to|ahead\s+of)\b[^,;:!?]*?(?=\s*[,;:!?]|\.?\s*$)", re.I)


def _asked_first(sentence: str) -> bool:
    """Whether ``sentence`` asks a change to come before the patch's fate, which its own clause names (_UNTIL): "It
    needs fixing before this goes in.", "Before I take it, the loop needs a bound." (the fate was read, the change
    lost: READY)."""
    for m in _UNTIL().finditer(sentence):
        if not FATE().search(m.group(0)):
            continue
        rest = (sentence[:m.start()] + " " + sentence[m.end():]).strip(" ,;:")
        if rest and not FATE().search(rest) and not _WAITS().search(rest) and kept_after(rest) is None \
                and point_sentence(rest) is not None:
            return True
    return False


# A wait, no change: "Please wait before applying this to stable." (harness.droprequest reads a hold).
_WAITS = lazy(r"\b(?:wait|hold\s+(?:off|on|it|this|back)|hang\s+on|pause)\b", re.I)


# Assent to the answer the point got, in the reviewer's own later words: "Fair enough.", "OK, makes sense.", "You're
# right, keep it.", "I stand corrected." (a point its sender gave up on).
_ASSENT = lazy(r"^\W*(?:(?:ok|okay|ah|oh|hmm|right|yes|yeah|well|sure)[\s,.!]+)*(?:fair\s+enough|makes\s+sense|"
               r"(?:that|this)\s+makes\s+sense|you['’]re\s+right|you\s+are\s+right|I\s+stand\s+corrected|"
               r"I\s+see\s+your\s+point|point\s+taken|agreed|fine\s+by\s+me|fine\s+with\s+me|never\s+mind|nevermind|"
               r"ignore\s+(?:my|that)\s+(?:comment|nit|point|suggestion)|I\s+withdraw\s+(?:my|that|the)\s+"
               r"(?:comment|nit|point|suggestion)|no\s+strong\s+(?:opinion|feelings?))\b", re.I)


def point_lifted(point: Reply, below: dict[str, str], replies: dict[str, Reply], head: Patch | None = None
                 ) -> tuple[Reply, str] | None:
    """What took a review point back: its sender's own Reviewed-by or Acked-by given as is (no condition), in the same
    message or a later one below the same message; their later word keeping the patch or taking their mail back
    (harness.dropstands.drop_kept); or their later assent, with no point of its own, below the point or the message
    it answers ("Fair enough."). Another's word, a tag under a condition ("With the nit fixed, Reviewed-by: ...",
    "Fine to merge after you rename the macro." above it: granted_if_changed), and the patch author's answer alone
    ("No, I'd rather keep it.") lift nothing: who is right is not read here; but a question alone (reply_point),
    asking ``head``'s author nothing to change, is lifted by their answer below it (questionwords.answered)."""
    who = point.mail.own_address
    # A tag beside an approval held back until a change ("Fine to merge after you rename the macro." above it) is
    # under that condition: it lifted the point, the gate passed.
    if (tag := approval(point, who)) and not _FIXED().search(point.own_text) \
            and not any(granted_if_changed(s) for s in sentences(point.own_text)):
        return point, tag
    if (since := reviewed_since(point, below, replies)) is not None:
        return since
    if (kept := drop_kept(point, below, replies)) is not None:
        return kept
    at = below.get(point.mail.msgid)
    for m, r in replies.items():
        if r is point or not who or r.mail.own_address != who or not later_than(r, point, replies):
            continue
        if (below.get(m) == at or r.mail.in_reply_to == point.mail.msgid or _answers_below(r, point, replies)) \
                and point_sentence(r.own_text) is None:
            said = next((s for s in sentences(r.own_text) if (_ASSENT().match(s) and not s.rstrip().endswith("?"))
                         or settled(s)), None)
            if said is not None:
                return r, said
    if head is not None and (found := reply_point(point, head, replies)) is not None and found[1]:
        return answered(point, head, replies)
    return None


def _answers_below(r: Reply, point: Reply, replies: dict[str, Reply]) -> bool:
    """Whether ``r`` answers a message below ``point`` (the author's answer to it): the point's thread."""
    parent = replies.get(r.mail.in_reply_to or "")
    return parent is not None and parent.mail.in_reply_to == point.mail.msgid
