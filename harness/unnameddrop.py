"""A request to drop that names nothing ("Please drop this."): of the patch, or of the code quoted right above it."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence

from harness.drawnclause import drawn_clauses
from harness.droprequest import (
    refused_or_broken,
    request_in,
    unnamed_drop_asked,
    unnamed_drop_sentence,
    unnamed_hold_sentence,
)
from harness.model import Patch, Quote, Reply
from harness.refusals import YIELDING
from harness.regate import Gated, gated
from harness.regressions import regression
from harness.replywords import sentences
from harness.scheduled import scheduled
from harness.verdictwords import _JUDGED_LEAD, _NOT_RIGHT, _UNCONVINCED, _UNSURE, _UNWANTED, _WRONG
from models.lazyre import lazy
from models.record import record

# A quoted line of a diff: a hunk or file header, a diffstat line, an added or removed line ("+\tpr_err(...);",
# "+ pr_err(...)", "-#define X"), or one indented (a diff's context line keeps its leading space; a log a changelog
# quotes). A "- " bullet of prose ("- Dropped the retry (Sean)") is none: no call, assignment or brace in it.
_DIFF = re.compile(r"^(?:@@|diff --git |index [0-9a-f]|--- |\+\+\+ |\s*\S+\s+\|\s+\d+|[+-](?! [A-Za-z])|\s+\S)")
_PROSE_BULLET = re.compile(r"^[+-] [A-Za-z]")
_CODE_MARK = lazy(r"\w\(|[;{}=]|->|/\*|\*/|^[+-] (?:if|for|while|return|static|struct|int|u\d+|void)\b")
# A trailer or tag of the commit message: "drop this" under it drops the tag ("Cc: stable@...", "Fixes: ..."), not the
# patch.
_SNIP = re.compile(r"^\s*(?:\[\s*(?:\.\.\.|…|snip(?:ped)?)\s*\]|\.\.\.|…|<\s*snip(?:ped)?\s*>)\s*$", re.I)  # a cut
_TAG = re.compile(r"^\s*(?:[\w-]+-by|Fixes|Link|Closes|Cc|BugLink|Message-ID|Change-Id|Signed-off-by)\s*:", re.I)


def _code_or_tag(line: str) -> bool:
    """Whether a quoted line is code (a diff's, _DIFF) or a commit message's tag (_TAG): what "drop this" under it
    names."""
    if _TAG.match(line):
        return True
    if _PROSE_BULLET.match(line):
        return bool(_CODE_MARK().search(line))
    return bool(_DIFF.match(line))


# A verdict that what it names cannot go in, naming nothing but a pronoun or nothing at all: "This isn't ready yet.",
# "It's a no-go.", "That's a non-starter for me.", "Not ready yet.", "No-go, I'm afraid." (each passed the gate below
# the patch). "It" and "that" may be a reviewer's suggestion as well as the patch: what the sentence follows and what
# it quotes tell (unnamed_drop, of_patch). Its own negation ("isn't"); one before it ("I don't think it's a no-go")
# gives none, as does anything after it but when or whose ("It's a no-go to call it here" names another thing).
_VERDICT = lazy(
    r"^\W*(?:(?:so|therefore|thus|hence|sorry|but|then|IMO|IMHO|honestly|frankly|well|no|nope|unfortunately|alas|"
    r"still)[\s,]+)*"
    r"(?:I\s+(?:think|believe|fear)\s+|I['’]m\s+afraid\s+)?"
    r"(?:(?:this|it|that)(?:\s+one)?(?:\s+is\s+not|\s+isn['’]t|['’]s\s+not)\s+(?:yet\s+)?ready"
    r"|not\s+(?:yet\s+)?ready"
    # Labelled not for merging, as a posting not meant to go in is: "Not for merging.", "NOT FOR MERGE", "This is not
    # for merging yet.", "Not meant for merging, just for discussion.", "Not to be merged." (each read as nothing at
    # 2c17463e: the gate passed). "Not for merging into stable." names where, and "... with the loader's retry" what.
    r"|(?:(?:this|it|that)(?:\s+one)?(?:\s+is\s+not|\s+isn['’]t|['’]s\s+not)|not)\s+(?:(?:yet|meant|intended|ready)\s+)?"
    r"for\s+(?:merging|merge|inclusion|applying)|not\s+to\s+be\s+(?:merged|applied)"
    r"|(?:this|it|that)(?:\s+one)?(?:\s+is|['’]s)\s+(?:(?:a|an|just|simply|clearly|definitely|still)\s+)*"
    r"(?:no[-\s]?go|non-?starter)|(?:a\s+)?(?:no-go|nogo|non-?starter)"
    # "That's a no.", "This is a hard no from me." (read as nothing at ea1ce1e3)
    r"|(?:this|it|that)(?:\s+one)?(?:\s+is|['’]s)\s+(?:still\s+)?a\s+(?:(?:hard|firm|clear|definite|big|strong)\s+)?"
    r"no(?=\s*(?:[.!;:,)]|$|\s+from\b)))"
    r"(?:\s+(?:yet|as[\s-]is|for\s+(?:me|us|now|prime\s*time|merging|mainline|upstream|inclusion)|from\s+(?:me|us|my\s+side)|in\s+(?:its|this)\s+(?:current\s+)?"
    r"(?:form|state|shape)))*(?=\s*(?:[.!;:,)]|$|\b(?:I['’]m\s+afraid|sorry|though|either)\b))", re.I)
# A sentence offering something other than the patch for the verdict's pronoun to be: a suggestion (the replier's or
# one they answer: "You could retry in the caller.", "How about a bounded loop?", "Alternatively, ...") or their own
# work ("I have a cleanup for this."). "The loader could spin" is a thing's doing, no suggestion. Asked of the sentence
# before one only once that one asks or judges something: most ask nothing, and it is not compiled for them.
_PROPOSES = gated(r"\b(?:you|we|one|I)\s+(?:could|might|can|may)\b|\b(?:I|we)(?:['’]d|\s+would)\b"
                  r"|\b(?:how|what)\s+about\b|\bwhy\s+not\b|\b(?:suggest|propos|alternativ|instead|rather|"
                  r"another\s+(?:option|way|approach)|option|idea|maybe|perhaps)\w*"
                  r"|\b(?:I|we)(?:['’]ve|\s+have|\s+had)\s+(?:got\s+)?(?:a|an|my|our|some)\b"
                  r"|\b(?:my|our)\s+(?:own\s+)?(?:patch|series|version|change|proposal|draft|fix|code|cleanup|diff)\b",
                  re.I)
_VERDICT_WORDS = ("ready", "no-go", "no go", "nogo", "starter", "a no", "hard no", "firm no", "clear no",
                  "definite no", "big no", "strong no", "for merg", "for inclusion", "for applying", "to be merged",
                  "to be applied")  # one holds each verdict: else not compiled


def verdict_sentence(text: str) -> str | None:
    """The sentence of ``text`` that is an unnamed verdict (_VERDICT), read as drop_sentence reads a request, unless
    the sentence before it offers something else it can be of (_PROPOSES): "You could retry in the caller. It's a
    no-go, though." judges the suggestion."""
    low = text.lower()
    if text.isascii() and not any(w in low for w in _VERDICT_WORDS):
        return None
    said = sentences(text)
    for i, sentence in enumerate(said):
        # A clause drawing the verdict from what the sentence said first reads as a sentence opening with it ("The
        # loop has no bound, so it's a no-go.", "Given the above, this isn't ready yet.": each passed the gate).
        if any(request_in(c, _VERDICT(), own_negation=True) is not None for c in (sentence, *drawn_clauses(sentence))) \
                and not (i and _PROPOSES().search(said[i - 1])):
            return sentence
    return None


# Asked not to be done, naming nothing: "Let's not do this.", "Please don't do that, it breaks the loader." (each passed
# the gate). Of the patch where the quote above says so; below quoted code, of that code ("Let's not do this, use
# usleep_range()"): not read there.
# A wish or a should put the same way: "I'd rather we not do this.", "I'd prefer you didn't do that.", "We shouldn't do
# this." (each read as nothing).
_NOT_DONE = gated(r"^\W*(?:(?:so|sorry|but|then|no|nope|honestly|frankly|well|IMO|IMHO)[\s,]+)*"
                  r"(?:(?:(?:let['’]s|let\s+us)\s+not|(?:please\s+)?(?:don['’]t|do\s+not)"
                  r"|(?:I['’]d|I\s+would|we['’]d|we\s+would)\s+(?:much\s+|really\s+)?(?:rather|prefer)\s+"
                  r"(?:(?:we|you|they|to)\s+)?(?:not|(?:we|you|they)\s+(?:didn['’]t|did\s+not))"
                  r"|(?:we|you)\s+(?:really\s+)?(?:should(?:n['’]t|\s+not)|must(?:n['’]t|\s+not)|ought\s+not\s+to)"
                  # The not put on the view: "I don't think we should do this.", "I don't believe you want to be
                  # doing that." (each read as nothing: the gate passed).
                  r"|I\s+(?:really\s+)?(?:don['’]t|do\s+not)\s+(?:think|believe)\s+(?:that\s+)?(?:we|you)\s+"
                  r"(?:really\s+)?(?:should|want\s+to|need\s+to|ought\s+to))"
                  r"\s+(?:do|be\s+doing)\s+(?:this|that)"
                  # Or the patch's doing put in the passive: "This shouldn't be done.", "That must not be done at all."
                  r"|(?:this|that|it)\s+(?:should(?:n['’]t|\s+not)|must(?:n['’]t|\s+not))\s+be\s+done)"
                  r"(?:\s+(?:please|at\s+all))?(?=\s*(?:[.!;:,)]|$))", re.I)


# A refusal by idiom, naming nothing: "Not gonna happen.", "That's not going to happen.", "This will never happen,
# sorry." (each read as nothing: the gate passed); "This won't fly." too (read as nothing at ea1ce1e3). Below quoted
# code it says the code's case cannot arise ("> if (!fn)" / "That's not going to happen."): read only where "do this"
# is (_not_done). Nothing after it but sorry, when or how: "It won't happen in practice, the caller checks" is of the
# code.
_NO_HAPPEN = gated(r"^\W*(?:(?:so|sorry|but|then|no|nope|nah|honestly|frankly|well|yeah|IMO|IMHO)[\s,.!]+)*"
                  r"(?:(?:this|that|it)(?:\s+one)?\s*(?:(?:is|['’]s)\s+(?:not|never)\s+|isn['’]t\s+|ain['’]t\s+)(?:ever\s+)?"
                  r"(?:going\s+to|gonna)|(?:not|never|ain['’]t)\s+(?:going\s+to|gonna)"
                  r"|(?:this|that|it)(?:\s+one)?\s*(?:won['’]t|will\s+not|will\s+never|['’]ll\s+never)(?:\s+ever)?)\s+(?:happen|fly)"
                  r"(?:\s+(?:as[\s-]is|like\s+(?:this|that)|in\s+(?:its|this)\s+(?:current\s+)?(?:form|state|shape)|"
                  r"either|anytime\s+soon|any\s+time\s+soon|I['’]m\s+afraid|sorry|(?:for|from)\s+(?:me|us)|upstream|"
                  r"in\s+(?:mainline|my\s+tree)))*(?=\s*(?:[.!;:,)]|$)(?!\s*,?\s*(?:if|unless|because|since|as|the|"
                  r"there|we|it|this)\b))", re.I)
# Asked to be done again, the patch as a whole: "Please rework this.", "Please rework.", "Rewrite this, please." (each
# read as nothing at e918a2cb: the gate passed what its reviewer sent back; "This needs more work." is
# harness.heldback's). A thing in it named is a review comment ("Please rework this comment a bit, otherwise fine."),
# and so is the pronoun below quoted code (that code's); "otherwise" or "but" after it grants the rest.
_REWORK_VERB = r"(?:rework|redo|rewrite|rethink|respin|re-?spin)"
_REWORK_THIS = (r"(?:this|that|it|the\s+(?:whole\s+)?(?:patch|series|thing)"
                r"|this\s+(?:whole\s+)?(?:patch|series|one|thing))")
_REWORK_END = (r"(?:\s+(?:(?:please|entirely|completely|properly|from\s+scratch|again|first)\b"
               r"|before\s+(?:it|this|that)\s+(?:can|could|should|goes|lands|is\s+(?:merged|applied|ready))[^.;!?,]*))*"
               r"(?=\s*(?:[.!;:]|$|,(?!\s*(?:but|though|although|however|if|unless|or|otherwise|apart|other|except|"
               r"and)\b)))")
_REWORK = lazy(rf"{_JUDGED_LEAD}(?:(?:please|just|simply)\s+)*{_REWORK_VERB}(?:\s+{_REWORK_THIS})?{_REWORK_END}", re.I)
_REWORK_WORDS = ("rework", "redo", "rewrit", "rethink", "respin", "re-spin")


def _rework(text: str) -> str | None:
    """The sentence of ``text`` asking that what it names be done again (_REWORK), as _not_happening reads a verdict;
    None when there is none, or when the words yield (_YIELDS)."""
    low = text.lower()
    if (text.isascii() and not any(w in low for w in _REWORK_WORDS)) or _YIELDS().search(text):
        return None
    said = sentences(text)
    return next((s for i, s in enumerate(said) if request_in(s, _REWORK()) is not None
                 and not (i and _PROPOSES().search(said[i - 1]))), None)


# (pattern, whether its negation is its own), each with a word every match holds. _WRONG holds no negation of its
# own but the "no" that may open it ("No, this is wrong.", read as nothing when it counted as one).
_IDIOMS = ((_NO_HAPPEN, True, "happen"), (_NO_HAPPEN, True, "fly"), (_WRONG, True, "wrong"),
           (_WRONG, True, "broken"), (_WRONG, True, "bogus"), (_WRONG, True, "buggy"),
           (_NOT_RIGHT, True, "right"), (_NOT_RIGHT, True, "correct"), (_NOT_RIGHT, True, "asked"),
           (_NOT_RIGHT, True, "ok"), (_NOT_RIGHT, True, "suggested"), (_NOT_RIGHT, True, "meant"),
           (_NOT_RIGHT, True, "work"), (_NOT_RIGHT, True, "way"), (_NOT_RIGHT, True, "good"),
           (_NOT_RIGHT, True, "wise"), (_NOT_RIGHT, True, "sensible"), (_UNWANTED, True, "want"),
           (_UNWANTED, True, "accept"), (_UNWANTED, True, "like"), (_UNWANTED, True, "need"),
           (_UNWANTED, True, "point"), (_UNWANTED, True, "use"), (_UNWANTED, True, "disagree"),
           (_UNWANTED, True, "fan"), (_UNWANTED, True, "happy"), (_UNWANTED, True, "keen"),
           (_UNWANTED, True, "thrilled"), (_UNWANTED, True, "comfortable"),
           (_WRONG, True, "hack"), (_WRONG, True, "gross"), (_WRONG, True, "disgusting"), (_WRONG, True, "revolting"),
           (_WRONG, True, "unmaintainable"),
           (_UNCONVINCED, True, "convinced"), (_UNCONVINCED, True, "persuaded"),
           (_WRONG, True, "suspicious"), (_WRONG, True, "fishy"), (_WRONG, True, "dodgy"), (_WRONG, True, "sketchy"),
           (_WRONG, True, "iffy"), (_WRONG, True, "dubious"), (_WRONG, True, "questionable"),
           (_UNSURE, True, "sure"), (_UNSURE, True, "doubts"), (_UNSURE, True, "concerns"),
           (_UNSURE, True, "reservations"))


# The sender yielding in the same words as a refusal's (harness.refusals.YIELDING), anywhere in the text: "We
# shouldn't do this, but I won't block it.", "I'd rather we not do this. Your call, though." (an opinion, no objection).
_YIELDS = gated(rf"\b(?:{YIELDING})\b", re.I)


def _not_happening(text: str, idioms: tuple[tuple[Callable[[], Gated], bool, str], ...] = _IDIOMS) -> str | None:
    """The sentence refusing by idiom (_NO_HAPPEN), judging what it names wrong (_WRONG) or not wanting it
    (_UNWANTED), as _not_done reads its request; None when there is none, or when the words yield (_YIELDS).
    ``idioms``: those read (code_verdict leaves _NO_HAPPEN out)."""
    low = text.lower()
    forms = [(p, own) for p, own, word in idioms if word in low or not text.isascii()]
    if not forms or _YIELDS().search(text):
        return None
    said = sentences(text)
    return next((s for i, s in enumerate(said)
                 if any(request_in(s, p(), own_negation=own) is not None for p, own in forms)
                 and not (i and _PROPOSES().search(said[i - 1]))), None)


# A bare no opening a reply, or its words below a quoted line of prose that asks nothing (a question quoted is what it
# answers; below code, a no to that code, a review point: code_verdict): "No.", "Nope!", "Absolutely not." (read as
# nothing, the gate passing the patch it answers; below a quoted line of the patch's message, "Sorry, but no." passed
# too). "No, that's fine." goes on, and is none.
# A doubt alone ("Still not convinced.", "I'm not convinced, sorry."; read as nothing) is one too.
# So is a no said with a sound, a repeat or a plea, as terse reviewers write it: "Heh, no.", "Again: No.", "No, no,
# no.", "No, just no.", "Please, no.", "Please don't.", "Not like this.", "Not in this form, no.", "Not a chance.",
# "Unacceptable." (each read as nothing at ea1ce1e3: the gate passed), "Yuck.", "-1" (a vote, its stop not needed;
# read as nothing at ef915852); a question of surprise before it is the same ("What? No.").
# The vote, whose it is or what it is on said after it: "-1 from me.", "-1 on this patch.", "-1 for this approach."
# (each read as nothing: the gate passed); "-1 on the name, +1 on the rest." names a part, and goes on.
_MINUS_ONE = (r"[-−]1(?:\s+(?:from|by)\s+(?:me|us|my\s+side|our\s+side)|\s+(?:on|for|to)\s+(?:this|that|it)"
              r"(?:\s+(?:one|patch|approach|change|version|series))?)*")
_NO_WORD = (r"(?:(?:just|simply|please|again|so|sorry|still|but|definitely|certainly|absolutely|really)[\s,]+)?"
            r"(?:no|nope|nah|hell\s+no|absolutely\s+not|definitely\s+not|certainly\s+not|no\s+way|"
            r"(?:not\s+a|no|zero)\s+chance|(?:not\s+like\s+(?:this|that)|"
            r"not\s+in\s+(?:this|its\s+current|the\s+current)\s+form)(?:[\s,]+please)?|(?:please\s+)?(?:don['’]t|do\s+not)|"
            r"(?:un|not\s+)acceptable|not\s+ok(?:ay)?|yuck|" + _MINUS_ONE
            + r"|not\s+with\s+my\s+(?:ack|acked-by|reviewed-by|blessing|sign-off)"
            # An ack withheld, as NAK says it ("Not acked.", "No ack from me.", "Unacked."; each read as nothing).
            r"|not\s+acked(?:\s+by\s+(?:me|us))?|no\s+acks?(?:\s+from\s+(?:me|us))?|un-?acked"
            # Kernel reviewers' other ways ("Hard pass.", "-ENOPE", "Not for me.", "I object."; each read as nothing).
            r"|(?:a\s+)?hard\s+pass|-enope|not\s+for\s+me|I\s+(?:still\s+)?object)")
_INTERJECTION = (r"(?:heh|hah|ha|ugh|argh|gah|bah|ew+|uh|erm|um+|hm+|sigh|meh|oh|well|again|so|sorry|please|honestly|"
                 r"frankly|seriously|what|huh|really)")
# The no framed as said before or as the answer: "I told you before: no.", "As I said, no.", "I already said no.", "My
# answer is still no." (each read as nothing at e918a2cb); a courtesy after it too, "Not like this, sorry.".
_SAID_FRAME = (r"(?:(?:as\s+)?(?:I|we)(?:['’]ve|\s+have|\s+had)?\s+(?:already\s+|clearly\s+)?"
               r"(?:told|said|answered|wrote|explained)(?:\s+(?:you|this|it|so|that|him|her|them))?"
               r"(?:\s+(?:before|already|earlier|previously|last\s+time|twice|repeatedly|more\s+than\s+once|(?:in|on|for)\s+v\d+))*"
               r"|(?:my|our|the)\s+answer\s+(?:is|was|remains|stays)(?:\s+(?:still|the\s+same))?"
               r"|once\s+again|for\s+the\s+(?:last|second|third|fourth|umpteenth|nth)\s+time)[\s,.:;!–—-]+")
_BARE_REFUSAL = gated(rf"^\W*(?:{_INTERJECTION}[\s,.:;!?]+)*(?:{_SAID_FRAME})?"
                           rf"(?:{_NO_WORD}(?:[\s,.:;!]+{_NO_WORD})*"
                           r"(?:[\s,]+(?:sorry|I['’]m\s+afraid))?|"
                           r"(?:(?:I['’]m|I\s+am|we['’]re|we\s+are)\s+)?(?:still\s+)?not\s+(?:yet\s+)?"
                           r"(?:convinced|persuaded)(?:[\s,]+(?:sorry|I['’]m\s+afraid|at\s+all|yet))?)\s*(?:[.!]+|(?<=-1)|(?<=−1)|(?<=-enope))\s*$",
                           re.I)
# A sentence of surprise alone ("What?", "Huh?", "Seriously?!"): the no after it is the first one with words.
_SURPRISE = re.compile(rf"^\W*(?:{_INTERJECTION}\W*)+$", re.I)


def _asked(quotes: Sequence[Quote]) -> bool:
    """Whether a quoted line ends in a question: a top-posted "No." answers it ("No." above "> Should this go to
    stable?")."""
    return any(t.rstrip().endswith("?") for q in quotes for t in q.lines)


def _bare_no(text: str) -> str | None:
    """The first sentence of ``text`` when it is a bare no (_BARE_REFUSAL); None else."""
    first = next((s for s in sentences(text) if not _SURPRISE.match(s)), "")
    return first if _BARE_REFUSAL().match(first) else None


# An ack withheld in a trailer's form: "Not-acked-by: Mae <mae@example.org>", "NOT Acked-by: ..." (read as nothing).
_NOT_ACKED_BY = re.compile(r"^\W*not[-\s]+acked[-\s]+by\s*:", re.I)


def _not_acked(text: str) -> str | None:
    """The sentence of ``text`` withholding an ack in a trailer's form (_NOT_ACKED_BY); None when there is none."""
    if "acked" not in text.lower() and text.isascii():
        return None
    return next((s for s in sentences(text) if _NOT_ACKED_BY.match(s)), None)


def _not_done(text: str) -> str | None:
    """The sentence asking that what it names not be done (_NOT_DONE), as drop_sentence reads a request, its negation
    its own, unless the sentence before it offers something else it can be of (as verdict_sentence); None when there
    is none."""
    low = text.lower()
    if (not any(w in low for w in ("do th", "doing th", "be done")) and text.isascii()) or _YIELDS().search(text):
        return None
    said = sentences(text)
    return next((s for i, s in enumerate(said) if request_in(s, _NOT_DONE(), own_negation=True) is not None
                 and not (i and _PROPOSES().search(said[i - 1]))), None)


def code_verdict(r: Reply) -> str | None:
    """The sentence of ``r``'s own words, right below a quoted line of code, asking that what it names not be done,
    judging it wrong, unwanted or to be redone, a bare no (_not_done, _not_happening, _rework, _bare_no), or asking
    to drop or revert it, its object left out ("Please revert.", "Drop.", "Revert, please.": droprequest's
    unnamed_drop_asked; each read as nothing there, the gate passed): of that code, which unnamed_drop reads as
    nothing there, a change asked of the patch (harness.pointwords). None when there is none, or when the words yield
    (_YIELDS)."""
    if _YIELDS().search(r.own_text):
        return None
    said = sentences(r.own_text)
    for i, s in enumerate(said):
        verdict = _not_done(s) or _not_happening(s, _CODE_IDIOMS) or _rework(s) or _bare_no(s) \
            or unnamed_drop_asked(s)
        if verdict is not None and not (i and _PROPOSES().search(said[i - 1])) and _below_code(r, s):
            return s
    return None


def _below_code(r: Reply, sentence: str) -> bool:
    """Whether ``sentence`` of ``r``'s own words stands right below a quoted line of code (not a tag)."""
    from harness.sentenceline import sentence_line  # few sentences get this far

    line = sentence_line(r, sentence)
    above = [q for q in r.quotes if line is not None and q.where.line < line]
    if not above:
        return False
    last = _last_with_words([max(above, key=lambda q: q.where.line)])[1]
    return last is not None and _code_or_tag(last) and not _TAG.match(last)


# Below quoted code, "That's not going to happen." says the case the code tests cannot arise: no verdict on the code.
_CODE_IDIOMS = tuple(i for i in _IDIOMS if i[0] is not _NO_HAPPEN)


# Held for later by the one applying, naming nothing: "Not this one for now, sorry.", "I'll take this one later, once
# Thomas acks it.", "Once Thomas acks it, I'll apply it." (each read as nothing: the gate passed what is not applied
# now). Its subject leads the sentence; a promise only with a time or an event after it, or a clause of one before it:
# "I'll apply it." applies it.
_LEAD = r"^\W*(?:(?:sorry|so|but|then|ok|okay|thanks|no|nope)[\s,.!]+)*"
_PROMISE = (r"(?:I['’]ll|I\s+will|I['’]m\s+going\s+to|we['’]ll|we\s+will)\s+(?:(?:only|happily|gladly|then)\s+)?"
            r"(?:take|apply|queue|merge|pick(?:\s+up)?)\s+(?:this|it|that)(?:\s+one|\s+patch)?(?:\s+up)?")
_LATER = gated(
    rf"{_LEAD}not\s+(?:this|that|it)(?:\s+one|\s+patch)?(?:\s+(?:yet|for\s+now|now|this\s+time|this\s+round|"
    r"(?:for\s+)?this\s+cycle|for\s+the\s+moment))?(?=\s*(?:[.!;]|$|,\s*(?:sorry|I['’]m\s+afraid)\b))"
    rf"|{_LEAD}(?:once|when|after|as\s+soon\s+as)\b[^,;]*,\s*{_PROMISE}"
    rf"|{_LEAD}{_PROMISE}(?=\s*,?\s*(?:later|afterwards|next\s+(?:cycle|release|week|time)|after|once|when|"
    r"as\s+soon\s+as|in\s+the\s+next)\b)", re.I)


def held_for_later(text: str) -> str | None:
    """The sentence of ``text`` holding what it names for later (_LATER), read as drop_sentence reads a request, unless
    the sentence before it offers something else it can be of (as verdict_sentence), or it names a time of the release
    calendar alone (harness.scheduled: "I'll take it after -rc1."); None when there is none."""
    if text.isascii() and not re.search(r"not\s|take|apply|queue|merge|pick", text, re.I):
        return None
    said = sentences(text)
    return next((s for i, s in enumerate(said) if request_in(s, _LATER(), own_negation=True) is not None
                 and not (i and _PROPOSES().search(said[i - 1])) and not scheduled(s)), None)


@record
class UnnamedDrop:
    """A request to drop that names nothing, and the quoted lines right above it (None: above every quote)."""

    sentence: str
    under: tuple[str, ...] | None


def unnamed_drop(lines: Sequence[tuple[int, str]], quotes: Sequence[Quote]) -> UnnamedDrop | None:
    """The sentence of a reply's own ``lines`` (input line number, text) asking to drop what it does not name
    ("Please drop this.", "This should be dropped."; droprequest.unnamed_drop_sentence) where that can be the patch:
    above every quote (a top-post, or a reply with none), or below a quoted line of prose (of_patch decides, once the
    message answered is known). Below a quoted line of code it asks to drop that code, a proposal; below a quoted tag,
    the tag: none. None when there is none."""
    above_of = _last_quote_above(quotes)
    groups: list[tuple[int, list[str]]] = []  # (the quote right above, or -1), its own lines below
    for number, text in lines:
        above = above_of(number)
        if groups and groups[-1][0] == above:
            groups[-1][1].append(text)
        else:
            groups.append((above, [text]))
    for above, texts in groups:
        under = _last_with_words(quotes[: above + 1]) if above >= 0 else None
        last = under[-1] if under is not None else None
        if last is not None and _TAG.match(last):
            # Below a quoted tag, a request drops the tag; a tag breaks no build: a report is the code's.
            if (broken := regression("\n".join(texts), request_in)) is not None and not broken.named:
                return UnnamedDrop(broken.sentence, under[0] if under is not None else None)
            continue
        # Below quoted code, "drop this" drops that code (a proposal); a hold or a verdict there judges the code it
        # quotes, the patch's in a reply to the patch (of_patch).
        code = last is not None and _code_or_tag(last)
        said = (unnamed_hold_sentence if code else unnamed_drop_sentence)("\n".join(texts))
        own = "\n".join(texts)
        if (said := said or verdict_sentence(own) or held_for_later(own)
                or (None if code else _not_done(own) or _not_happening(own) or _rework(own))
                or _unnamed_refusal(own) or _no_to(own, under[0] if under is not None else ())
                or (_bare_no(own) if not code and not _asked(quotes) else None) or _not_acked(own)) is not None:
            return UnnamedDrop(said, under[0] if under is not None else None)
    return None


def _last_quote_above(quotes: Sequence[Quote]) -> Callable[[int], int]:
    """For an input line number, the greatest index of a quote starting on a line before it (-1: none), whatever the
    quotes' order. Each own line looked at every quote: a reply of 10,000 passages of quote and answer in turn took
    5 s (its 10,000 lines), and lines by the hundred thousand below them would take hours."""
    order = sorted(range(len(quotes)), key=lambda i: quotes[i].where.line)
    starts = [quotes[i].where.line for i in order]
    last = list(itertools.accumulate(order, max))  # the greatest index among the quotes of the k earliest starts

    def above(number: int) -> int:
        k = bisect_left(starts, number)  # the quotes starting before ``number``
        return last[k - 1] if k else -1
    return above


def _unnamed_refusal(text: str) -> str | None:
    """A refusal by its grammar naming no patch ("This will never go in.", "Not going to take it."; harness.refusals):
    below quoted code too, as "This can't go in like that." is, since a patch is what one takes in; a report that it
    breaks something ("It breaks boot on SPR."; harness.regressions) too."""
    return said.sentence if (said := refused_or_broken(text)) is not None and not said.named else None


# A question of whether the patch goes in: "Can this go in for 6.20?", "Will you take it?", "Ping: any chance this gets
# applied?" (a question whose answer is the one applying's word on the patch).
_FATE = lazy(r"\b(?:(?:can|could|will|would|should|shall|is|are|does)\s+(?:this|it|these|the\s+(?:patch|series)|you|we)"
             r"|any\s+chance|ping)\b[^?]*\b(?:go(?:es|ing)?\s+(?:in|upstream)|land|take|apply|applied|merge|merged|queue|"
             r"queued|pick(?:ed)?\s+(?:it\s+|this\s+)?up|make\s+it)\b[^?]*\?\s*$", re.I)
# A bare no, with at most when or sorry: "No.", "Nope, not this cycle.", "No, sorry.", "Not yet."
_BARE_NO = lazy(r"^\W*(?:no|nope|nah|not\s+yet)\b(?:[\s,.!]+(?:sorry|not\s+(?:yet|now|for\s+now|this\s+(?:time|cycle|"
                r"round|release)|for\s+v?\d+(?:\.\d+)?)|I['’]m\s+afraid|for\s+now))*\W*$", re.I)


def asks_fate(text: str) -> bool:
    """Whether a message's words ``text`` end in a question of whether the patch goes in (_FATE)."""
    said = sentences(text)
    return bool(said) and _FATE().search(said[-1]) is not None


def _no_to(own: str, quoted: Sequence[str]) -> str | None:
    """The bare no (_BARE_NO) that opens ``own``, answering the question ``quoted`` above it ends in when that asks
    whether the patch goes in ("> Can this go in for 6.20?" / "No."): the one applying's refusal (it passed)."""
    first = next(iter(sentences(own)), "")
    if not quoted or not first.lstrip(" \t\"'(*_-").lower().startswith(("no", "nah")):  # most: nothing compiled
        return None
    return first if _BARE_NO().match(first) and asks_fate("\n".join(quoted)) else None


def _last_with_words(quotes: Sequence[Quote]) -> tuple[tuple[str, ...], str | None]:
    """The lines of the last of ``quotes`` that has a line with words, and that line (a mark of a cut, "[...]", is
    none); ((), None) when none has."""
    for q in reversed(quotes):
        last = next((t for t in reversed(q.lines) if t.strip() and not _SNIP.match(t)), None)
        if last is not None:
            return q.lines, last
    return (), None


def _flat(text: str) -> str:
    return " ".join(text.split())


def of_patch(r: Reply, head: Patch) -> bool:
    """Whether the reply's request to drop that names nothing (Reply.drop_said) is of ``head``, the patch (or cover
    letter) it is below: in a reply to ``head`` itself, above every quote or below a quote of its prose (the message
    answered is ``head``); a report that the code breaks something anywhere below ``head`` (_reports_on_code); in a
    reply to a reply, else only below a quote of ``head``'s own subject or commit message,
    every quoted line of it there (whitespace aside: a mailer may wrap them anew). Below another reviewer's words, or
    above the quote of their message, "drop this" answers them, not the patch: it was read as a drop of the patch."""
    if not r.drop_said:
        return False
    parent = r.mail.in_reply_to or (r.mail.references[-1] if r.mail.references else "")
    if parent == head.mail.msgid:
        return True
    # An answer to a question of whether the patch goes in ("Ping. Can this go in for 6.20?") is of the patch, above
    # every quote or below a quote of that question: "Dropped." or "I won't take this." there passed the gate.
    up = next((x for x in head.replies if x.mail.msgid == parent), None)
    if up is not None and asks_fate(up.own_text) and (
            not r.drop_under or all(t in _flat(up.own_text) for t in map(_flat, r.drop_under) if t)):
        return True
    if up is not None and _reports_on_code(r, up):
        return True
    if not r.drop_under:
        return False
    own = _flat(f"{head.mail.subject.title}\n{head.message}")
    said = [_flat(t) for t in r.drop_under if t.strip() and not _SNIP.match(t)]
    return bool(said) and all(t in own for t in said)


def _reports_on_code(r: Reply, up: Reply) -> bool:
    """Whether ``r``'s drop_said, in a reply to ``up`` (another reply below the patch), is a report that code breaks
    something ("This breaks the build: kvm/vmx/tdx.c still calls it."; harness.regressions): words break no build, so
    it is of the patch whoever it answers (below a reviewer's Acked-by it passed the gate), unless ``up`` proposes code
    of its own and the report sits above every quote or below a quoted line of that proposal: of the proposal."""
    if (said := regression(r.own_text, request_in)) is None or said.sentence != r.drop_said:
        return False
    if not up.proposals:
        return True
    if r.drop_under is None:
        return False
    proposed = {_flat(line) for p in up.proposals for line in p.text.splitlines() if line.strip()}
    return not any(_flat(t.lstrip("+- ")) in proposed or _flat(t) in proposed for t in r.drop_under if t.strip())
