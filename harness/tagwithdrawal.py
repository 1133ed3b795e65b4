"""A reviewer taking back their own Reviewed-by, Acked-by or Tested-by ("I retract my Reviewed-by."): it counts not."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from email.utils import parseaddr

from harness.model import Patch, Reply, Trailer
from harness.regate import gated
from harness.replyorder import mail_date
from harness.replywords import sentences
from harness.requestgrammar import request_in
from models.lazyre import lazy

# The tag taken back, named as its trailer's key or as reviewers call it: "my Reviewed-by", "my R-b", "my ack", "my
# review tag", "the Acked-by I gave". A Tested-by is no approval (it lifts no NAK: harness.takenback._APPROVALS), but
# one taken back is a tester saying the patch may not work, and b4 am still adds it: it blocks as the others do
# ("Please remove my Tested-by." passed while the same words with Reviewed-by blocked).
_TAG = (r"(?:(?:reviewed|acked|tested)[-_\s]?by(?:\s+(?:tag|trailer|line))?|r-?b|a-?b|t-b|ack|acks|review(?:\s+tag)?|"
        r"(?:review|ack)\s+(?:tag|trailer))")
_WHOSE = r"(?:my|our)\s+(?:(?:earlier|previous|above|own|last)\s+)?"
# Said by the one who gave it, the verb of taking back in the first person or as a request to the author: "I retract
# my Reviewed-by.", "Please drop my Reviewed-by, I missed X", "Scratch my Ack", "I withdraw my Acked-by.", "Consider
# my Reviewed-by withdrawn.", "My Reviewed-by no longer stands." (each left the tag counted: a NAK it had lifted
# passed the gate). "You dropped my Reviewed-by in v3." is the author's doing, "Keep my Reviewed-by." keeps it, and a
# negation, a condition or a question takes nothing back (requestgrammar.request_in).
_VERB = (r"(?:withdraw(?:ing)?|retract(?:ing)?|rescind(?:ing)?|revok(?:e|ing)|scratch|strike|cancel|take\s+back|"
         r"drop(?:ping)?|remove|removing|ignore|disregard|pull(?:ing)?)")
_LEAD = (r"(?:^|[,;:]\s*|\b(?:so|but|and)\s+)\W*(?:(?:sorry|so|but|then|oops|ugh|hmm+|well|actually|also|"
         r"unfortunately|however|ok|okay|and|please)[\s,.!:]+)*")
# A regret before it withdraws as well: "I'm afraid I have to withdraw my Reviewed-by." (READY in round 68); read
# away before the forms, which repeat _LEAD seven times (each alternative there cost `series` 6 M instructions).
_REGRET = lazy(r"^\W*(?:(?:I['’]m|I\s+am)\s+afraid|I\s+fear|sadly|regrettably)(?:\s+that)?[\s,]+", re.I)
_WITHDRAWN = gated(
    rf"{_LEAD}(?:(?:I|we)(?:['’](?:m|ll|d)|\s+(?:am|will|have\s+to|must|need\s+to|hereby|would\s+like\s+to))?\s+)?"
    rf"(?:(?:hereby|have\s+to|must|need\s+to|want\s+to)\s+)?(?:please\s+)?{_VERB}\s+{_WHOSE}(?P<tag>{_TAG})(?!\w)"
    rf"(?:\s+(?:back|for\s+(?:this|now)|again))*"
    r"(?=\s*(?:[.!;:,)(]|$|\s[-–—]\s|\b(?:from|on|for|as|since|because|please|I|we|it|there|this|the)\b))"
    rf"|{_LEAD}(?:please\s+)?consider\s+{_WHOSE}(?P<tag2>{_TAG})\s+(?:(?:as|to\s+be)\s+)?(?:withdrawn|retracted|"
    r"revoked|void|dropped|gone)\b"
    rf"|{_LEAD}(?:my|our)\s+(?P<tag3>{_TAG})\s+(?:(?:is|was)\s+(?:hereby\s+)?(?:withdrawn|retracted|revoked|"
    r"void)|(?:no\s+longer|doesn['’]t|does\s+not)\s+(?:stands?|appl(?:y|ies)|hold))\b"
    rf"|{_LEAD}(?P<tag4>(?:reviewed|acked|tested)[-_\s]?by|r-?b|t-b|ack)\s*:?\s+(?:withdrawn|retracted|revoked)\b"
    # The particle after the tag: "I take my Acked-by back.", "Taking my R-b back for now."
    rf"|{_LEAD}(?:(?:I|we)(?:['’](?:ll|d)|\s+(?:will|have\s+to|must|need\s+to|want\s+to))?\s+)?(?:please\s+)?"
    rf"(?:take|taking)\s+{_WHOSE}(?P<tag5>{_TAG})\s+back\b"
    # The ack undone in one word, with a reason or an apology: "Unacked, sorry.", "Un-ack for now: ...". Alone
    # ("Unacked.") it is as well an ack withheld, never given (harness.refusals: a refusal, which blocks as a drop).
    r"|(?:^|[;:]\s*)\W*(?:(?:sorry|oops|ugh|hmm+|well|actually|so|ok|okay)[\s,.!]+)*(?P<tag6>un-?ack(?:ed)?)"
    r"(?=\s*[;:,]|\s+(?:for\s+now|sorry|then|again|until|because|since)\b)", re.I)
# The tag said to have been given wrongly, which takes it back as well: "My Tested-by was premature.", "I no longer
# ack this.", "I can no longer give my Reviewed-by to this.", "I didn't mean to give my Reviewed-by on this one.",
# "That Reviewed-by was meant for patch 1, not this one." (each left the tag counted, READY). "My Reviewed-by was
# meant for the whole series." gives it more widely, so a tag meant elsewhere must say "not this" or "the wrong".
_GIVEN = r"(?:(?:(?:my|our|a|an|the|that)\s+)?(?:(?:earlier|previous|own|last)\s+)?)"
_WHOM = r"(?:this|it|that|the\s+(?:patch|change|series|commit|version|fix))\b"
_UNGIVEN = gated(
    rf"{_LEAD}(?:my|our)\s+(?:(?:earlier|previous|own|last)\s+)?(?P<tag>{_TAG})\s+(?:was|is)\s+(?:(?:a\s+bit|too|"
    r"rather|clearly|probably|definitely)\s+)?(?:premature|hasty|(?:a\s+)?mistake|(?:an\s+)?error|wrong|"
    r"unwarranted|undeserved|(?:given|sent|added)\s+(?:in\s+error|by\s+mistake|too\s+(?:early|soon)|prematurely))\b"
    rf"|{_LEAD}(?:I|we)\s+(?:(?:can|could)\s+)?no\s+longer\s+(?:(?P<ack>ack)\s+{_WHOM}|(?:give|offer|keep|stand\s+"
    rf"(?:by|behind))\s+{_GIVEN}(?P<tag2>{_TAG})(?!\w))"
    rf"|{_LEAD}(?:I|we)\s+(?:can['’]?t|cannot|can\s+not)\s+(?:(?P<ack2>ack)\s+{_WHOM}|(?:give|offer|keep|stand\s+"
    rf"(?:by|behind))\s+{_GIVEN}(?P<tag3>{_TAG})(?!\w)[^.;]*?)\s+any\s*(?:more|longer)\b"
    rf"|{_LEAD}(?:I|we)\s+(?:did\s*n['’]?t|did\s+not|never)\s+(?:mean|meant|intend|intended)\s+to\s+(?:(?P<ack3>ack)\s+{_WHOM}|"
    rf"(?:give|send|add|offer)\s+{_GIVEN}(?P<tag4>{_TAG})(?!\w))"
    rf"|{_LEAD}(?:I|we)\s+should\s*(?:n['’]?t|\s+not)\s+have\s+(?:(?P<ack4>acked)\s+{_WHOM}|(?:given|sent|added)\s+"
    rf"{_GIVEN}(?P<tag5>{_TAG})(?!\w))"
    rf"|{_LEAD}(?:that|this|my|our|the)\s+(?P<tag6>{_TAG})(?:\s+(?:I|we)\s+(?:gave|sent))?\s+(?:was|is)\s+(?:only\s+)?"
    r"(?:(?:meant|intended)\s+)?for\s+[^.;!?]*?\bnot\s+(?:for\s+)?(?:this|here)\b"
    rf"|{_LEAD}(?:I|we)\s+(?:sent|gave|put|added)\s+{_GIVEN}(?P<tag7>{_TAG})\s+(?:to|on|in)\s+the\s+wrong\s+"
    r"(?:patch|thread|version|mail|email|message|series)\b"
    # The author told not to carry it, with a change of mind or a flaw found: "Please don't apply my Reviewed-by to
    # this one after all, I found a problem in the rollback." (READY, h701); not a tag kept off other patches alone.
    rf"|{_LEAD}(?:please\s+)?(?:don['’]t|do\s+not)\s+(?:apply|add|include|carry|pick\s+up|use|record)\s+{_WHOSE}"
    rf"(?P<tag8>{_TAG})(?!\w)(?=[^.;!?]*\b(?:after\s+all|any\s*more|any\s+longer|I\s+(?:found|missed|spotted)|"
    r"problems?|issues?|bugs?|broken|wrong)\b)", re.I)
_CONDITIONAL = lazy(r"^\W*(?:if|when|whenever|once|unless|in\s+case|should\s+you|after|otherwise)\b", re.I)
_WORDS = ("withdraw", "retract", "rescind", "revok", "scratch", "strike", "cancel", "take", "taking", "drop", "remov",
          "unack", "un-ack", "premature", "hasty", "mistake", "error", "wrong", "unwarranted", "undeserved", "mean",
          "intend", "should", "any more", "anymore", "early", "soon",
          "ignore", "disregard", "pull", "consider", "longer", "not stand", "n't stand", "not apply", "n't apply",
          "n't add", "not add", "n't include", "not include", "n't carry", "not carry", "n't use", "not use",
          "n't pick", "not pick", "n't record", "not record")


def tag_withdrawn(text: str) -> tuple[str, str] | None:
    """The sentence of a reply's own words ``text`` taking back its sender's Reviewed-by or Acked-by, and which one
    ("Reviewed-by", "Acked-by", or "" when it names its review or tag alone: either); None when none does."""
    low = text.lower()
    if text.isascii() and (not any(w in low for w in _WORDS) or not any(w in low for w in ("by", "ack", "r-b", "rb",
                                                                                             "review", "a-b", "ab"))):
        return None
    for sentence in sentences(text):
        if _CONDITIONAL().match(sentence):
            continue  # "If you change the loop, please drop my Reviewed-by.": of a revision still to come
        plain = _REGRET().sub("", sentence, count=1)
        for pattern in (_WITHDRAWN(), _UNGIVEN()):
            said = request_in(plain, pattern, own_negation=True)
            m = pattern.search(said) if said is not None else None
            if m is not None:
                return sentence, _key(next(v for k, v in m.groupdict().items() if v and k.startswith(("tag", "ack"))))
    return None


def _key(tag: str) -> str:
    """The trailer a tag's name ``tag`` names: "my ack" and "my review" are how reviewers call either a Reviewed-by
    or an Acked-by, of whichever they gave ("")."""
    tag = tag.lower()
    if tag.startswith(("tested", "t-")):
        return "Tested-by"
    return "Reviewed-by" if tag.startswith(("reviewed", "r")) else "Acked-by" if tag.startswith(("acked", "a-", "ab",
                                                                                                 "un")) else ""


def withdrawal_of(tagged: Reply, tag: str, replies: Iterable[Reply], later: Callable[[Reply], bool]) -> Reply | None:
    """The reply among ``replies`` by which the sender of ``tagged`` took back its trailer ``tag`` ("Reviewed-by: Mae
    <mae@x>"): from the same address, ``later`` than it (it answers it, or is dated after it), its words withdrawing
    that tag or one it names not (tag_withdrawn); None when none did."""
    who, key = tagged.mail.own_address, tag.split(":", 1)[0].strip().lower()
    for w in replies:
        if w is tagged or not who or w.mail.own_address != who or "-withdrawn" not in " ".join(w.verdicts):
            continue
        said = tag_withdrawn(w.own_text)
        if said is not None and said[1].lower() in ("", key) and later(w):
            return w
    return None


def trailer_withdrawn(t: Trailer | tuple[str, str], replies: Sequence[Reply], given: Reply | None,
                      later: Callable[[Reply, Reply], bool]) -> tuple[Reply, str] | None:
    """The reply among ``replies`` (those below the message trailer ``t`` is of; or its key and value) by which the
    one a Reviewed-by or Acked-by names took it back, and its sentence: from the address it names, ``later`` than
    ``given`` (the reply that gave it; None: the patch carries it), its words withdrawing that tag or one they name
    not (tag_withdrawn); None when none did, or they gave it again since (a later reply of theirs with the
    trailer): a maintainer applying the patch must leave it out, which b4 am does not."""
    key, value = (t.key, t.value) if isinstance(t, Trailer) else t
    key = key.lower().strip()
    # Most trailers are no such tag (Signed-off-by): parseaddr, which reads an address a character at a time (some
    # 300,000 instructions a call), is asked only of the tags it may take back.
    if key not in ("reviewed-by", "acked-by"):
        return None
    who = parseaddr(value)[1].lower()
    if "@" not in who:
        return None
    mine = [r for r in replies if r is not given and r.mail.own_address == who]
    for w in mine:
        said = tag_withdrawn(w.own_text) if "-withdrawn" in " ".join(w.verdicts) else None
        if said is None or said[1].lower() not in ("", key) or (given is not None and not later(w, given)):
            continue
        again = any(x is not w and later(x, w) and any(
            y.key.lower() == key and who in y.value.lower() for y in x.trailers) for x in mine)
        if not again:
            return w, said[0]
    return None


def unplaced_withdrawal(orphans: Iterable[Reply], tagged: Reply | Patch, tag: str,
                        later: Callable[[Reply, Reply], bool]) -> tuple[Reply, str] | None:
    """The reply placed below nothing (an orphan: its subject changed, its thread cut) by which the one trailer ``tag``
    ("Reviewed-by: Mae <mae@x>") names took back such a tag since ``tagged`` gave it (a reply: ``later`` than it; a
    patch carrying it: dated after it), and its sentence (trailer_withdrawn). Which patch's tag it takes back cannot be
    told, so none of theirs given before it approves anything since (harness.unplaced blocks every variant on it
    besides): the tag lifted a NAK and stayed among those b4 am adds. None when there is none."""
    key, _, value = tag.partition(":")
    if isinstance(tagged, Reply):
        return trailer_withdrawn((key, value), list(orphans), tagged, later)
    start = mail_date(tagged.mail)
    return trailer_withdrawn((key, value), [o for o in orphans if _after(mail_date(o.mail), start)], None, later)


def _after(later: datetime | None, earlier: datetime | None) -> bool:
    try:
        return later is not None and earlier is not None and later > earlier
    except TypeError:  # one with a zone, one without: they compare not
        return False


def carried_withdrawal(patches: Iterable[Patch], tagged: Reply, tag: str,
                       later: Callable[[Reply, Reply], bool]) -> tuple[Reply, str] | None:
    """The reply by which the sender of ``tagged`` took back its trailer ``tag`` ("Reviewed-by: Mae <mae@x>") below
    one of ``patches`` that carries it among its own trailers (a later revision's patch, the tag kept from this
    review; trailer_withdrawn), ``later`` than ``tagged``, and its sentence: the tag approves nothing since, though
    the withdrawal is not below the message that gave it (a v2 NAK stayed lifted by a Reviewed-by of v2 taken back
    in a reply to v3, which carries it). None when there is none."""
    key, _, value = tag.partition(":")
    who = tagged.mail.own_address
    for p in patches:
        if who and any(t.key.lower() == key.strip().lower() and who in t.value.lower() for t in p.trailers):
            found = trailer_withdrawn((key, value), p.replies, None, later)
            if found is not None and later(found[0], tagged):
                return found
    return None
