"""Patches a maintainer applies some of and holds back others by number ("Applied 1-3, 4 needs work.")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.appliedsome import COUNT_WORDS, VERB_FIRST, applied_by, applied_listed, some_counted
from harness.droprequest import numbered_drop
from harness.nakthreat import on_condition, threatened_nak
from harness.ordinalnames import ordinals_as_numbers
from harness.refusals import deferral
from harness.refusednumbers import declined_numbers
from harness.regate import gated
from harness.replywords import NUMBERS, SERIES_LIST, listed_numbers, sentences
from harness.requestgrammar import request_in
from harness.thanksummary import ThanksSummary, thanks_summary
from models.lazyre import lazy

# The patches held back, named at the start of their clause ("Applied 1-3, 4 needs work.": 4, not "1-3, 4"; not after
# "and": "Applied 1-3 and 4, 5 needs work." holds 5 back): the word patch and a list, the series' form ("4/4", "#4"),
# or a bare list of numbers, then what keeps them out.
# A hedge may open the clause: "Patch 1 is fine. I think 2 needs work, though." (read as nothing before: the gate
# passed patch 2); a negated one is a negation ("I don't think 4 needs work": request_in).
_CLAUSE_START = (r"(?:^|(?<=[,;:(])|\b(?:but|while|whereas|though|although|however)\b)\s*"
                 r"(?:(?:I|we)\s+(?:think|believe|fear|suspect|guess|feel)\s+(?:that\s+)?|I['’]m\s+afraid\s+(?:that\s+)?"
                 r"|IMO\s*,?\s*|IMHO\s*,?\s*|sadly\s*,?\s*|unfortunately\s*,?\s*"
                 # "Patch 1 is fine. To me 2 needs more work." (read as nothing: the gate passed patch 2).
                 r"|(?:it\s+)?(?:seems|looks)\s+(?:to\s+me\s+)?(?:like\s+|that\s+)?"
                 r"|(?:to|for)\s+me\s*,?\s*|in\s+my\s+(?:view|opinion)\s*,?\s*"
                 r"|as\s+far\s+as\s+I\s+can\s+(?:see|tell)\s*,?\s*)?(?:the\s+)?")
# The series' form as its subject writes it too: "[PATCH v2 2/3] needs more work." (read as nothing: the gate passed).
_LIST = (rf"(?:patch(?:es)?\s+{NUMBERS}|(?:\[(?:RFC\s+)?PATCH(?:\s+v\d+)?\s+(?=[\d#]))?{SERIES_LIST}\]?"
         rf"|(?P<bare>{NUMBERS}))(?![\w/'’])")
# What keeps them out: they need work or another round, are not ready, do not apply; each as the maintainer says why
# they did not take them. "4 needs a rebase" too: it was not applied.
_WORK = (r"(?:some|more|a\s+bit\s+more|a\s+little\s+more|a\s+lot\s+more|lots\s+more|much\s+more|further|additional|"
         r"another\s+round\s+of|some\s+more)\s+")
# "4 probably needs work" as "4 needs work" (read as nothing before: the gate passed patch 4).
_HEDGE = r"(?:(?:still|probably|likely|definitely|clearly|certainly|surely|really)\s+)*"
_KEPT_OUT = (rf"\s+{_HEDGE}(?:needs?|requires?)\s+(?:{_WORK})?(?:work|rework|changes|fixing|polishing|thought)\b"
             rf"|\s+{_HEDGE}(?:needs?|requires?)\s+(?:(?:another|a|one\s+more)\s+)?(?:round|look|spin|respin|"
             r"version|revision|iteration|rebase|rework|rewrite|rethink|redo|v\d+)\b"
             r"|\s+(?:needs?|has|have)\s+to\s+be\s+(?:reworked|respun|redone|revised|rebased|fixed|rewritten|rethought)\b"
             r"|\s+(?:does|do|did)(?:\s+not|n['’]t)\s+apply\b"
             # "2/3 didn't make it, it conflicts with tip." (read as nothing: the gate passed 2/3).
             r"|\s+(?:does|do|did)(?:\s+not|n['’]t)\s+make\s+(?:it|the\s+cut)(?=\s*(?:[.!;,)]|$|\b(?:in|into|to|for|"
             r"this|yet)\b))"
             r"|\s+(?:is|are)(?:\s+not|n['’]t)\s+(?:yet\s+)?ready\b|\s+(?:isn['’]t|aren['’]t)\s+(?:yet\s+)?ready\b"
             # "Patch 2 is a no-go.", "Patch 2 is not acceptable as is." (below the patch "It's a no-go." was read;
             # by number below the cover letter, nothing: the gate passed patch 2).
             r"|\s+(?:is|are)\s+(?:(?:still|simply|just|really)\s+)?(?:a\s+)?no[\s-]go\b"
             r"|\s+(?:is|are)(?:\s+not|n['’]t)\s+(?:yet\s+)?acceptable\b|\s+(?:isn['’]t|aren['’]t)\s+(?:yet\s+)?acceptable\b"
             # "Patch 3 is not applied (yet).", "3/3 wasn't queued.": said of it by the one applying.
             r"|\s+(?:is|are|was|were|has|have)(?:\s+not|n['’]t)\s+(?:been\s+)?(?:yet\s+)?"
             r"(?:applied|queued|merged|picked\s+up)\b(?!\s+(?:cleanly|correctly|properly|right|in\s+the\s+right|"
             r"to\s+the\s+(?:right|correct|wrong)))")
# What stops it in the tree, said by the one applying it: "4 has some issues", "2 conflicts with tip", "4 breaks the
# build", "4 doesn't build on 32-bit", "patch 4 is still under discussion". Only beside patches applied.
_BROKEN = (r"\s+(?:still\s+)?(?:has|have)\s+(?:some\s+|a\s+few\s+|open\s+|unresolved\s+|a\s+couple\s+of\s+)?"
           r"(?:issues?|problems?|bugs?|open\s+questions)\b|\s+conflicts?\s+with\b"
           r"|\s+breaks\s+(?:the\s+)?(?:build|boot|booting|compilation)\b|\s+(?:does|do)(?:\s+not|n['’]t)\s+"
           r"(?:build|compile|boot)\b|\s+fails?\s+to\s+(?:build|compile|boot|apply)\b|\s+(?:is|are)\s+still\s+"
           r"(?:under\s+discussion|being\s+discussed|in\s+discussion)\b")
# Held for another's word, or left by the one applying: "3/3 needs an ack from Thomas", "3/3 I'll leave for now" (the
# gate passed on 3/3, which Mae did not queue). Only beside patches applied: a reviewer's "Patch 3 needs an ack from
# the KVM folks" asks nothing of the patch.
_PENDING = (r"\s+(?:still\s+)?(?:needs?|requires?|waits?\s+for|is\s+waiting\s+for)\s+(?:an?\s+)?(?:acks?|reviews?|"
            r"tested-by|feedback)\b|\s+(?:I['’]ll|I\s+will|I['’]m|we['’]ll|we\s+will)\s+(?:leave|hold|skip|defer|park)")
# A colon or dash between the patches and what keeps them out: "Patch 2: needs rework.", "Patch 2 -- needs rework."
_HELD = gated(rf"{_CLAUSE_START}{_LIST}(?:\s*[:–—]|\s+-{{1,2}})?(?:{_KEPT_OUT}|(?P<pending>{_PENDING}|{_BROKEN}))",
              re.I)
# Said not to be, right after patches said fine: "Patch 1 is fine. Patch 2 is not.", "Patches 1 and 3 look good,
# patch 2 not so much." (read as nothing: the gate passed patch 2). Only after patches said fine (_NAMED_BEFORE).
_CONTRAST = gated(rf"{_CLAUSE_START}{_LIST},?\s+(?:(?:is|are|does|do|looks?|seems?)(?:\s+not|n['’]t)|not\s+so\s+much|"
                  r"not\s+really|less\s+so|not\s+at\s+all)(?:\s+(?:yet|really|quite|though|so\s+much))?\s*[.!;]?\s*$",
                  re.I)
# Named as left out of what was applied: "Applied 1-3, skipped 4.", "Applied all but 4.", "Applied everything except
# patch 4.", "Queued 1, 2 and 4, not 3.", "I held back 4.", "Applied the series minus patch 3."
# "Taking 1 and 3, dropping 2." too (read as nothing: the gate passed patch 2).
_LEFT_OUT = gated(rf"(?:\b(?:skipp(?:ed|ing)|dropp(?:ed|ing)|left\s+out|leaving\s+out|held\s+back|holding\s+back|"
                  r"leaving|"
                  r"holding\s+off\s+on|deferr(?:ed|ing)|park(?:ed|ing)|"
                  rf"(?:all|everything|the\s+rest|the\s+series)\s+(?:but|except(?:\s+for)?)|"
                  # "Applied the series, excluding patch 2." (read as nothing: the gate passed 2/3).
                  rf"except(?:\s+for)?|excluding|excluded|exclusive\s+of|with\s+the\s+exception\s+of|bar|barring|"
                  rf"minus|apart\s+from|aside\s+from|other\s+than|save\s+for)|(?<=[,;(])\s*(?:but\s+)?not)\s+(?:the\s+)?{_LIST}"
                  rf"|\bwithout\s+(?:the\s+)?(?:patch(?:es)?\s+{NUMBERS}|{SERIES_LIST})(?![\w/'’])", re.I)
# Left out in words only the one applying says: after "Queued for 6.20, thanks!", "I've left out 2/3 though." holds 2/3
# back (read as nothing: the gate passed it), as "skipped 4" alone may be of reading.
_KEPT_FROM_TREE = lazy(r"\W*(?:left\s+out|leaving\s+out|held\s+back|holding\s+back|holding\s+off\s+on|"
                       r"deferr(?:ed|ing)|park(?:ed|ing))\b", re.I)
# The patches applied by number in the same words: what makes a bare number a patch's ("4 needs work" alone names
# nothing), and what "all but 4" answers.
# Held back because another takes it, or it is in already: no objection to it.
_ROUTED = lazy(r"\b(?:took|takes|taking|take|goes|go|going|belongs?|via|through|already|instead|routed)\b", re.I)
_DIGIT = re.compile(r"\d")
# Not a verb counting how often ("I pulled 3 times; 2 needs more thought." held 2 back as left out of patches applied:
# "3 times" applies no patch, and a bare "2" beside it names none).
_TIMES = (rf"(?!\s+(?:(?:it|them|this|that|the\s+\w+|\w+/\w+)\s+)?(?:\d+|{COUNT_WORDS}|a\s+few|several|many|multiple|"
          r"some|a\s+couple\s+of)\s+times\b|\s+(?:(?:it|them|this|that)\s+)?(?:twice|thrice)\b)")
_APPLIED = gated(r"(?:\b(?:re-?)?(?:applied|queued|picked\s+up|merged|took|taken|taking|pushed|pulled)\b"
                 r"|\b(?:I['’]ll|I\s+will|I['’]m\s+going\s+to|let\s+me)\s+(?:(?:happily|gladly|just|now)\s+)?"
                 r"(?:take|apply|queue|pick\s+up|merge|pull)\b)" + _TIMES, re.I)
# Patches said to be fine before a bare number in its sentence make it a patch's: "Patches 1-2 look fine, 3 needs
# work.", "1/3 and 2/3 are fine; 3 needs another round.", "1-2 look good, 3 needs work." (each passed: a bare "3" named
# no patch but beside patches applied); "Patch 1 retries 3 times, 5 needs more thought" names no patch 5.
_NAMED_BEFORE = lazy(rf"(?:\bpatch(?:es)?\s+{NUMBERS}|(?<![\w/#]){SERIES_LIST}|^\W*{NUMBERS})\s+(?:all\s+|both\s+)?"
                     r"(?:(?:looks?|seems?|is|are)\s+(?:\w+\s+)?(?:good|fine|ok|okay|great|sane|reasonable|correct)\b"
                     # In a tree: "1 and 3 are in tip now; 2 is not." (read as nothing: the gate passed patch 2).
                     r"|(?:is|are)\s+(?:now\s+|already\s+)?in\s+(?:tip|(?:my|the)\s+(?:tree|queue|branch)|"
                     r"[\w.-]+/[\w.-]+|(?:linux-)?next)\b"
                     r"|LGTM\b)", re.I)


def held_back(text: str, titles: Sequence[str] = ()) -> tuple[tuple[int, ...], str] | None:
    """The patch numbers a reply's own words hold back from what its sender applied ("Applied 1-3, 4 needs work.":
    (4,)), with the sentence, as drop_sentence reads a request (no negation before it, no condition, no question).
    A bare number ("4 needs work") is a patch's only in a message that says patches were applied; "patch 4" and
    "4/4" are in any. Held back for another tree or already applied ("... except patch 2, which Ingo took", "4 goes
    via net") is none. None when there is none. ``titles``: the series' patch titles (left_unthanked)."""
    if not _DIGIT.search(text):
        return None  # most replies: no number names a patch
    applied = _APPLIED().search(text) is not None
    lead = ""  # the sentence before: "1-2 look good; 3 needs work.", "Patch 1 is fine. 2 needs work."
    for sentence in sentences(text):
        lead = (lead + " " + sentence).strip()
        for pattern in (_HELD(), _LEFT_OUT(), _CONTRAST()):
            said = request_in(sentence, pattern, own_negation=True)
            m = pattern.search(said) if said is not None else None
            if m is None or said is None or _ROUTED().search(said, m.end()) \
                    or (m.groupdict().get("pending") and not applied) \
                    or ((m.group("bare") or pattern is _CONTRAST()) and not (applied and m.group("bare"))
                        and not _named_before(lead, said, m.start())):
                continue
            if pattern is _LEFT_OUT() and not _APPLIED().search(said) \
                    and not (applied and _KEPT_FROM_TREE().match(m.group(0))):
                continue  # "I skipped 4 while reading" says nothing of applying
            held = tuple(n for n in listed_numbers(next(g for g in m.groups() if g))
                         if n not in _applied(text, titles))
            if held:  # "Applied 1-4; 4 had issues I fixed up while applying" holds nothing back
                return held, said
        lead = sentence
    return left_unthanked(text, titles)


def _named_before(sentence: str, said: str, at: int) -> bool:
    """Whether ``sentence`` names patches (_NAMED_BEFORE) before ``at`` in its part ``said`` (request_in may give a
    clause of it: "3 needs work." of "1-2 look good; 3 needs work.")."""
    start = max(sentence.find(said), 0)
    return _NAMED_BEFORE().search(sentence[:start] + said[:at]) is not None


def left_unthanked(text: str, titles: Sequence[str] = ()) -> tuple[tuple[int, ...], str] | None:
    """The patches of the series a b4 thank-you leaves out of what it lists as applied (harness.thanksummary), with
    its sentence saying they were applied ("Applied to x86/tdx, thanks!" then [1/3] and [3/3]: 2 was not).
    ``titles``: the series' patch titles, patch N's at N-1, by which a summary counting another total is read."""
    summary = thanks_summary(text, titles)
    held = summary.held if summary is not None else ()
    return (held, summary.said) if summary is not None and held else None


def _applied(text: str, titles: Sequence[str] = ()) -> set[int]:
    """The patch numbers ``text`` says were applied by number ("Applied 1-4", "queued patches 1 and 2"), or lists
    in a b4 thank-you's summary with a commit (read with the series' ``titles``)."""
    summary = thanks_summary(text, titles)
    # Another revision's ("Applied 1-3 of v1") are not: what they hold back holds (a block, the lesser error).
    read = (applied_by(m, text) for m in VERB_FIRST().finditer(text))
    return {n for numbers, rev in read if rev is None for n in numbers} | set(summary.applied if summary else ())


# The patch the reply is below held back, beside patches applied: "Applied 1-2, this one needs more work." below 3/3
# (it passed: "this one" names no patch by number).
# Or named as left out of what was applied: "Applied the others, not this one.", "Applied the rest of the series, except
# this one.", "Skipping this one, applied the rest." below 2/3 (each read as nothing: the gate passed 2/3).
_LEFT_THIS = (r"\b(?:except(?:\s+for)?|excluding|not|but\s+not|without|minus|skipp(?:ed|ing)|leaving\s+out|left\s+out|"
              r"holding\s+back|held\s+back|holding\s+off\s+on|park(?:ed|ing)|deferr(?:ed|ing))\s+"
              r"(?:this(?:\s+one|\s+patch)?|it)(?=\s*(?:[.!;,)]|$|\b(?:for\s+now|yet|until|though|sorry)\b))")
_HELD_THIS = lazy(rf"{_CLAUSE_START}(?:this(?:\s+one|\s+patch)?|it)"
                  rf"(?:{_KEPT_OUT}|{_PENDING}|{_BROKEN})|{_LEFT_THIS}", re.I)


def held_this(text: str) -> str | None:
    """The sentence of a reply's own words that holds back the patch it is below from what its sender applied
    ("Applied 1-2, this one needs more work."), as held_back reads one by number; None when none does."""
    if not _APPLIED().search(text):
        return None
    for sentence in sentences(text):
        said = request_in(sentence, _HELD_THIS(), own_negation=True)
        m = _HELD_THIS().search(said) if said is not None else None
        if said is not None and m is not None and not _ROUTED().search(said, m.end()):
            return said
    return None


# The patch below said to need work, with nothing applied: "This needs more work.", "This patch needs another round."
# The patch as it is is not to be applied, as "Patch 3 needs more work." is not: it was read as nothing, and the gate
# passed. Its subject leads the sentence (after a word that hedges or joins it), so that "this" is the patch under
# review or its code quoted above, never a thing the sentence names first ("The way this needs changes ...").
# Or it leads a clause a "but" opens, after praise of the idea ("I like the idea, but this needs more work."), "it"
# there as "this" ("Thanks for doing this, but it needs more work."): each read as nothing, the gate passing the patch
# its reviewer held back. A sentence's own "It" may be another thing ("I have a cleanup for this. It isn't ready.").
_BUT = r"(?:^\W*|\b(?:but|however|though|yet)\s*,?\s+)"
_LEADS = (r"(?:(?:so|but|sorry|well|IMO|IMHO|I\s+think|I\s+believe|I\s+fear|I['’]m\s+afraid|honestly|overall|"
          r"unfortunately|sadly|still)[\s,]+)*")
_NEEDS_WORK_THIS = gated(rf"(?:^\W*{_LEADS}this|\b(?:but|however|though|yet)\s*,?\s+{_LEADS}(?:this|it))"
                         rf"(?:\s+one|\s+patch)?(?:{_KEPT_OUT})", re.I)


# Its subject left out, as terse reviewers write it: "Needs more work.", "Still needs work.", "Needs another round."
# (each read as nothing at ea1ce1e3: the gate passed). Nothing after it but the sentence's end: "Needs work on the
# comment" is of the comment.
_NEEDS_WORK_ELIDED = gated(rf"{_BUT}(?:(?:so|but|sorry|well|IMO|IMHO|honestly|overall|unfortunately|sadly)[\s,]+)*"
                           rf"{_HEDGE}(?:needs|requires)\s+(?:(?:{_WORK})?(?:work|rework|changes|fixing|polishing|thought)"
                           r"|(?:(?:another|a|one\s+more)\s+)?(?:round|spin|respin|version|revision|iteration|rebase|"
                           r"rework|rewrite|rethink|redo|v\d+))(?:\s+(?:yet|still|I['’]m\s+afraid))?"
                           r"(?=\s*(?:[.!;)]|$))", re.I)


def needs_work_this(text: str) -> str | None:
    """The sentence of a reply's own words saying the patch it is below needs more work or another revision, as
    drop_sentence reads a request (no negation, condition or question: "If this needs more work, tell me." is none);
    None when none does."""
    low = text.lower()
    forms = [*([_NEEDS_WORK_THIS()] if "this" in low or "it" in low else []),
             *([_NEEDS_WORK_ELIDED()] if "need" in low or "requir" in low else [])]
    return next((said for sentence in sentences(text) for form in forms
                 if (said := request_in(sentence, form, own_negation=True)) is not None), None)


# A clause of a needs-work sentence saying the patch itself is fine: "This needs more work on the test side, but the
# patch itself is fine." The work is of something else, and whether this patch is to be applied as it is cannot be told
# (it was read as a request to drop, its sender calling the patch fine): not understood, it blocks until a rule citing
# the message judges it or a [[read]] table says what it meant. "..., but the patch is not fine" is no such clause.
# Or it comes first: "The patch itself is fine, but this needs more work on the test side."
_FINE_BESIDES = lazy(r"(?:\b(?:but|though|although|while|whereas)\s+|^\W*(?=.*\b(?:but|though|however|yet)\b))"
                     r"(?:the|this|your)\s+(?:patch|change|code|commit|fix)"
                     r"(?:\s+itself|\s+as\s+such)?\s+(?:is|looks|seems)\s+(?:(?!not\b|never\b)\w+\s+)?"
                     r"(?:fine|good|ok|okay|correct|sane|right)\b", re.I)


def fine_besides(text: str, said: str) -> str | None:
    """Why the sentence ``said`` of a reply's own words ``text``, read as a patch or the series needing more work
    (needs_work_this, series_needs_work, held_this), is not understood: it says the patch itself is fine too
    (_FINE_BESIDES); None when it does not, or ``said`` is another hold."""
    m = _FINE_BESIDES().search(said)
    if m is None or said not in (needs_work_this(text), series_needs_work(text), held_this(text)):
        return None
    return (f'it says both that more work is needed and that the patch is fine ("{m.group(0).strip()}"): whether the '
            "patch is to be applied as it is cannot be told")


# The series (or this revision of it) said to need work: "This series needs more work.", "I think the whole patchset
# needs another round.", "This version isn't ready yet." Its subject leads the sentence, as _NEEDS_WORK_THIS's ("The
# rest of the series needs work" names patches by place: harness.ordinalnames).
_NEEDS_WORK_SERIES = gated(rf"^\W*(?:(?:so|but|sorry|well|IMO|IMHO|I\s+think|I\s+believe|I\s+fear|I['’]m\s+afraid|"
                           r"honestly|overall|unfortunately|sadly|still)[\s,]+)*(?:this|the|your)\s+(?:whole\s+|"
                           r"entire\s+)?(?:series|patch\s*set|patch\s+series|set|version|revision|iteration|posting)"
                           rf"(?:\s+as\s+a\s+whole)?(?:{_KEPT_OUT})", re.I)


def series_needs_work(text: str) -> str | None:
    """The sentence of a reply's own words saying the whole series, or this revision of it, needs more work or
    another revision ("This series needs more work."), as needs_work_this reads one of the patch; None when none
    does. Wherever it is in the thread, no patch of the revision is to be applied as it is."""
    if not re.search(r"series|set|version|revision|iteration|posting", text, re.I):
        return None
    return next((said for sentence in sentences(text)
                 if (said := request_in(sentence, _NEEDS_WORK_SERIES(), own_negation=True)) is not None), None)


# Left to another tree or in already: "4 goes via net", "Ingo will take 2", "2 is already upstream". A number in such a
# sentence is not held back by what its sender applied (one they say they will take later is: "I'll take 2 later").
_ELSEWHERE = lazy(r"\b(?:goes|go|going|belongs?|via|through|routed|instead|already|upstream|mainline)\b"
                  r"|\b(?!(?:I|we)\b)[A-Z][\w'’-]*\s+(?:(?:will|can|should|would|may|could)\s+)?"
                  r"(?:takes?|took|picks?\s+up|picked\s+up|applie[sd]|queue[sd]|carr(?:y|ies))\b")
_TOKEN = lazy(r"(?<![\w./-])#?(\d{1,3})(?:/\d+)?(?![\w-]|\.\d|/\w)")


def left_unapplied(text: str, total: int, own: int | None = None) -> tuple[tuple[int, ...], str] | None:
    """The patches of a series of ``total`` that a reply whose sender says they applied some by number
    (harness.appliedsome: "Applied patches 1 and 3, thanks.") neither says are applied nor leaves to another tree
    (_ELSEWHERE), with that sentence: not applied by them, as a b4 thank-you's unlisted patches are not
    (left_unthanked); None when it says of none that they applied it, or leaves none out. ``own``: the revision the
    reply is below (applied_listed)."""
    found = applied_listed(text, own, total) if total >= 2 else None
    if found is None:
        return None
    elsewhere = {int(t) for s in sentences(text) if _ELSEWHERE().search(s) for t in _TOKEN().findall(s)}
    rest = tuple(n for n in range(1, total + 1) if n not in found[0] and n not in elsewhere)
    return (rest, found[1]) if rest else None


def numbered_request(text: str, titles: Sequence[str] = ()) -> tuple[tuple[int, ...], str] | None:
    """The patches a reply's own words ask to drop or not apply by number (droprequest.numbered_drop), decline to
    apply (harness.refusednumbers), or hold back from what their sender applied (held_back, with the series'
    ``titles``), with the sentence; None when none."""
    return numbered_drop(text) or declined_numbers(text) or held_back(text, titles)


def held_note(text: str, said: str, total: int = 0, own: int | None = None, titles: Sequence[str] = ()) -> str:
    """_held_note's, or for a request that says nothing more of itself, whether it puts the patch off to a later time
    (harness.refusals.deferral: "This won't go in until 6.20."), which blocks as a refusal does."""
    if note := _held_note(text, said, total, own, titles):
        return note
    later = deferral(said)
    return "" if later is None else (
        f'put off, not refused for good, "{later}": a READY revision may be applied now, which its sender says it may '
        "not; the gate cannot tell when that time comes, so it stands until they apply it or take it back")


def _held_note(text: str, said: str, total: int = 0, own: int | None = None, titles: Sequence[str] = ()) -> str:
    """The note of a request to drop in a reply's own words ``text`` whose sentence ``said`` holds patches back
    (held_back), "" for another: what the maintainer's words mean for them, since they ask nothing in so many words.
    ``total``: the series' patch count, for patches named by place ("the last one": harness.ordinalnames); ``own``: the
    revision the reply is below (harness.appliedsome); ``titles``: the series' patch titles (left_unthanked)."""
    if threatened_nak(text) == said and on_condition(said):
        return ("a NAK promised on a condition the gate does not judge, not given: what it names is not to be applied "
                "as it is; it stands until its sender applies it or takes it back, or a rule citing the message judges "
                "it")
    if threatened_nak(text) == said:
        return ("a NAK promised if the patch stays as it is, not given: this revision is that patch, not to be applied "
                "as it is; it stands until its sender applies it or takes it back")
    text, said = _as_numbers(text, said, total)
    held = held_back(text, titles)
    if numbered_drop(said) is not None or declined_numbers(said) is not None:
        return ""
    if (held is None or held[1] != said) and held_this(text) != said and needs_work_this(text) != said \
            and series_needs_work(text) != said:
        left = left_unapplied(text, total, own)
        some = applied_listed(text, own, total) if left is not None and left[1] == said else None
        if some is not None and not some[0] and (counted := _some_counted(said)) is not None:
            return (f"its sender says they applied {counted[0]} of the {counted[1]} patches, not which: "
                    f"{counted[1] - counted[0]} of them held back, unknown which; it stands until they name what "
                    "they applied or take it back")
        return "" if some is None else (
            f"left out of what its sender says they applied ({', '.join(map(str, some[0]))}): not applied, it stands "
            "until they apply it or take it back")
    if _APPLIED().search(text) is None:
        return "said to need more work or another revision: not to be applied as it is"
    if held is not None and (summary := thanks_summary(text, titles)) is not None and summary.said == said:
        return _thanks_note(summary)
    return "held back by its sender from what they applied: not applied, it stands until they apply it or take it back"


def _some_counted(said: str) -> tuple[int, int] | None:
    """How many of how many patches the sentence ``said`` counts applied, not naming which (appliedsome.some_counted:
    "Applied 2 of 3 patches." is (2, 3)); None when it counts none so."""
    return next((c for m in VERB_FIRST().finditer(said) if (c := some_counted(m)) is not None), None)


def _thanks_note(summary: ThanksSummary) -> str:
    """The note of patches a b4 thank-you's ``summary`` leaves out: what it lists as applied, and the titles it lists
    that are no patch of the revision (counted as none)."""
    strays = ", ".join(f"'{t}'" for t in summary.strays)
    stray = f" (it also lists {strays}, no patch of this revision by title: counted as none)" if strays else ""
    listed = ", ".join(f"{n}/{summary.total}" for n in summary.applied)
    if not listed and not strays:
        return ("its sender's thank-you lists no commit of any patch (b4's '(no commit info)'): not applied, it "
                "stands until they apply it or take it back")
    return (f"left out of what its sender's thank-you lists as applied ({listed or 'none'}){stray}: not applied, it "
            "stands until they apply it or take it back")


def _as_numbers(text: str, said: str, total: int) -> tuple[str, str]:
    """``text`` and its sentence ``said`` with the patches they name by place made numbers (ordinals_as_numbers),
    ``said`` read in its place in ``text``: "the rest" is the patches the sentences before it leave."""
    numbered = ordinals_as_numbers(text, total)
    before, after = sentences(text), sentences(numbered)
    if len(before) == len(after) and said in before:
        return numbered, after[before.index(said)]
    return numbered, ordinals_as_numbers(said, total)
