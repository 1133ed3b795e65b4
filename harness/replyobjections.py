"""The objections of one revision's review: each reply's, its trailers', and those placed below nothing.

A NAK, a request to drop, words not read: what each reply below the revision's patches and cover letter gives, what its
messages' trailers carry, and what replies placed below nothing give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from functools import partial

from harness.authorconfirms import confirmed_breakage
from harness.coverpoints import SERIES, UNNAMED, cover_point_of
from harness.droprequest import drop_sentence, hold_sentence, unnamed_hold_sentence
from harness.dropstands import drop_stands, reported_only
from harness.heldback import fine_besides, held_note
from harness.language import unread_language
from harness.memo import Table, Watched, by_identity
from harness.model import Patch, Reply, Series
from harness.nakrevisions import carried_drops, naked_revisions, others_note, others_only
from harness.nakwords import nak_sentence, nak_sentences, names_nak
from harness.namedpatches import drop_request, naked_patches, unplaced_drop
from harness.pointwords import point_lifted, point_note, reply_point
from harness.quotednak import Origins, withdrawer
from harness.refusals import standing_note
from harness.replyheads import Thread, quoted_once, revision_thread
from harness.reportednak import ReportedNak, ambiguity, gave, relayed_nak, reported_nak
from harness.sentenceline import sentence_where
from harness.takenback import (
    fallen,
    tag_taken_back,
    taken_back,
    withdrawn_by_name,
    withdrawn_part,
)
from harness.takerrole import taker_note
from harness.titlenames import drop_by_name, patch_total, revision_of, series_titles
from harness.unnameddrop import of_patch, verdict_sentence
from models.record import record


class ObjectionKind(StrEnum):
    """What the reviewer said: a NAK, a request to drop the patch (harness.droprequest), a report that it breaks
    something (harness.regressions), or their Reviewed-by or Acked-by taken back (harness.tagwithdrawal); the last two
    ask nothing, but block as a request to drop does."""

    NAK = "nak"
    DROP = "drop"
    # "I bisected a boot hang to this patch.", or the patch's author confirming such a report: it was counted and
    # written as a "request to drop", which the tester never made.
    REGRESSION = "regression"
    TAG = "tag-withdrawn"
    UNREAD = "unread"  # a reply whose words cannot be read (Reply.unreadable): a NAK in it cannot be told from none
    # A reviewer asking for a change to the patch ("Cap the retries at 8.") in a reply no rule cites: what the gate
    # passed was the very code the point was made on, unchanged, the point read by no rule (harness.pointwords).
    POINT = "point"


@record
class Objection:
    """A NAK, or a reviewer's request to drop the patch, in the input, of a patch the judged variant applies (or of
    its cover letter) that no rule cites: the rules were written for earlier review, and this reviewer's word on
    this very code is not among them."""

    msgid: str
    author: str
    target: str  # "v4 06/26" or "v4 cover letter"
    sentence: str
    where: str  # path:line of the sentence in the input (of the reply where its words read do not hold it)
    kind: ObjectionKind = ObjectionKind.NAK
    # The same sender's same objection to the same change (git patch-id), given before in other messages (an earlier
    # revision's patch, or again below this one): one objection, each message cited, the latest first.
    again: tuple[Objection, ...] = ()
    note: str = ""  # why it is read as it is, when that is not plain (a quote no attribution line names a sender of)
    # Unread words holding a NAK (_unread_nak): a [[read]] table lifts it no more than it lifts a NAK read.
    holds_nak: bool = False
    # Of words not read: the sender's own review trailers, which read in any language ('Tested-by: Mae <m@x>'), when
    # they are clear (_clear_trailers): the reply does not block, and what was not read is said (objections).
    trailers: str = ""
    # Of a TAG: which tag its sender took back, "Reviewed-by", "Acked-by" or "tag" (either; harness.tagwithdrawal).
    tag_withdrawn: str = ""

    @property
    def title(self) -> str:
        """``NAK of v4 06/26 by Mae``, ``request to drop v4 06/26 by Mae``, ``regression reported in v4 06/26 by Mae``,
        ``Reviewed-by withdrawn from v4 06/26 by Mae``, ``review point on v4 06/26 by Mae`` or ``unreadable reply to
        ...``."""
        what = {ObjectionKind.NAK: "NAK of",
                ObjectionKind.DROP: "request to drop", ObjectionKind.REGRESSION: "regression reported in",
                ObjectionKind.TAG: f"{self.tag_withdrawn or 'tag'} withdrawn from",
                ObjectionKind.POINT: "review point on"}.get(
                    self.kind, "unreadable reply to")
        return f"{what} {self.target} by {self.author}"

    def describe(self) -> str:
        said = f"{self.title} <{self.msgid}> ({self.where}): \"{self.sentence}\"" + f" ({self.note})" * bool(self.note)
        return said + "".join(f"; also given in <{a.msgid}> ({a.where}), of {a.target}: \"{a.sentence}\""
                              for a in self.again)


@record
class Found:
    """An objection found below one revision's messages, with the patches it is of (none: the cover letter's)
    and who gave it: what carrying it to a later revision needs."""

    objection: Objection
    of: tuple[Patch, ...]
    reply: Reply | None  # the message it was found in (None: a trailer of the patch), for its Date
    email: str  # the sender's address, lower case ("": a quoted sender or a trailer, named by ``who``)
    who: str  # the sender as the attribution or trailer names them, lower case
    plan: bool = False  # the patch's author asking that it not be applied: a later revision is their later word
    reported: bool = False  # a NAK the reply reports of another: ``who`` is the name it gives (reportednak.gave)
    revision: int | None = None  # the revision it was found below ("the next version" is the one after)


def found(series: Series, revision: int, applied: list[Patch], cited: frozenset[str]) -> list[Found]:
    """The objections below ``revision``'s cover letter and the ``applied`` patches of it
    (harness.objections.open_objections), the placed-below-nothing aside (unplaced)."""
    rev = series.revision(revision)
    heads, thread = revision_thread(series, rev, applied)
    below, replies, origins = thread[0], thread[1], thread[2]
    out: dict[str, Found] = {}
    # ``h in applied`` alone compares h with each patch before it field by field (n*n/2 record comparisons for n
    # patches); what it finds is the same object, or an equal one, which has the same Message-ID.
    ids, msgids = {id(p) for p in applied}, {p.mail.msgid for p in applied}
    for r in replies.values():
        head = heads.get(below[r.mail.msgid])
        if head is not None and r.mail.msgid not in cited and r.mail.msgid not in out:
            head_in = id(head) in ids or (head.mail.msgid in msgids and head in applied)
            one = _one(r, head, head_in, revision, applied, thread)
            one = None if one is not None and diff_placed(r) and (
                one.objection.kind in _EVERY or _read_unplaced(one, r, thread[4])) else one
            out.update({one.objection.msgid: one} if one is not None else {})
    for h in (h for h in heads.values() if h.number == 0 or id(h) in ids or (h.mail.msgid in msgids and h in applied)):
        label = f"v{revision} " + ("cover letter" if h.number == 0 else h.label)
        out.update({o.msgid: Found(o, (h,) if h.number else (), None, "", o.sentence.lower())
                    for o in _carried(h, label, below, replies, origins.senders) if o.msgid not in cited | out.keys()})
    present = {r.version for r in series.revisions}
    return [replace(f, revision=revision, objection=_unread_revisions(f, revision, present)) for f in out.values()]


def _unread_revisions(f: Found, revision: int, present: set[int]) -> Objection:
    """The objection, its note saying the revisions its NAK names as NAKed too that the input does not hold ("NAK,
    and v5 too" with v1..v4 read): not judged, and not dropped unsaid."""
    o = f.objection
    if o.kind is not ObjectionKind.NAK or f.reply is None:
        return o
    missing = sorted(naked_revisions(f.reply.own_text, revision) - present)
    if not missing:
        return o
    named = ", ".join(f"v{n}" for n in missing)
    said = (f"the NAK names {named} as NAKed too, which the input does not contain: not judged here (give "
            f"{named}'s mail)")
    return replace(o, note=f"{o.note}; {said}" if o.note else said)


def _one(r: Reply, head: Patch, head_in: bool, revision: int, applied: list[Patch], thread: Thread) -> Found | None:
    """The objection ``r`` gives below ``head`` (``head_in``: one of the ``applied`` patches), if any: worked out once
    per reply, head, thread and, when its reading reads them (a NAK or request to drop naming patches by number or the
    series), applied patches (by identity), whatever messages the rules cite (found asks again for each set of them: a
    rule that does not apply to a variant, or a warning that does not pass there, cites nothing of it). A revision's
    prefixes list its heads in its order, so share its thread: most replies below their patches read none of them."""
    read, found = by_identity("a reply's objection, whatever is applied", (r, head, thread), (revision, head_in),
                              partial(_watched_one, r, head, head_in, revision, applied, thread), _ONE)
    return by_identity("a reply's objection", (r, head, thread, *applied), (revision, head_in),
                       partial(_read_one, r, head, head_in, revision, applied, thread), _ONE) if read else found


def _watched_one(r: Reply, head: Patch, head_in: bool, revision: int, applied: list[Patch],
                 thread: Thread) -> tuple[bool, Found | None]:
    """(False, the objection) where reading it read none of the ``applied`` patches (harness.memo.Watched), so it is
    that of any: up to its first read of them, nothing it does depends on them. Else (True, None), the objection kept
    under these patches."""
    watched = Watched(applied)
    found = _read_one(r, head, head_in, revision, watched, thread)
    if not watched.read:
        return False, found
    by_identity("a reply's objection", (r, head, thread, *applied), (revision, head_in), lambda: found, _ONE)
    return True, None


# _one's, a table of its own: an entry per reply and variant (harness.memo.by_identity).
_ONE: Table = {}


def _read_one(r: Reply, head: Patch, head_in: bool, revision: int, applied: Sequence[Patch],
              thread: Thread) -> Found | None:
    label = f"v{revision} " + ("cover letter" if head.number == 0 else head.label)
    of, email = (head,) if head.number else (), r.mail.own_address
    if head.number and not head_in:  # only a NAK naming applied patches by number (found)
        return _named_elsewhere(r, head, revision, applied, thread)
    if r.unreadable:  # a gate does not pass words it could not read
        return Found(Objection(r.mail.msgid, r.mail.author, label, r.unreadable, str(r.mail.where),
                                ObjectionKind.UNREAD), of, r, email, r.mail.author.lower())
    rep = (reported_nak(r.own_text) or relayed_nak(r)) if "NAK" in r.verdicts else None
    if _nak_stands(r, rep, revision, thread):
        return _nak_found(r, rep, head, revision, applied, thread)
    found = _own_found(r, head, thread[1], label) if _own(r, head) else \
        _reviewer_found(r, head, revision, applied, thread)
    if found is not None:
        return found
    if (foreign := unread_words(r, label, of)) is not None:  # after what can be read of it: a NAK is a NAK
        return foreign
    # A point of a NAK its sender took back went with it ("NAK, drop the unlikely()." then "I withdraw my NAK.").
    point = not _own(r, head) and "NAK" not in r.verdicts
    return _quoted_found(r, head, thread, label) or (_point_found(r, head, thread, label, applied) if point else None) \
        or (_diff_unread(r, head, thread, label) if point else None)


def _diff_unread(r: Reply, head: Patch, thread: Thread, label: str) -> Found | None:
    """A reviewer's reply whose diff git apply refuses as it stands (a line a mailer wrapped), its words asking nothing
    else: the change it proposes is not read, so the gate does not pass it, and says so at the diff's line."""
    if (n := next((n for n in r.unread if n.unread_diff), None)) is None or point_lifted(r, *thread[:2], head):
        return None
    note = "the change it proposes is not read: it blocks until a rule cites the reply, or the diff is sent again"
    return Found(Objection(r.mail.msgid, r.mail.author, label, f"its diff could not be read: "
                           f"{n.reason.split(': ', 1)[-1]}", str(n.where), ObjectionKind.UNREAD, note=note),
                 (head,) if head.number else (), r, r.mail.own_address, r.mail.author.lower())


def _nak_stands(r: Reply, rep: ReportedNak | None, revision: int, thread: Thread) -> bool:
    """Whether a reply's NAK (its own, or one it reports of another: ``rep``) stands against this revision: not
    taken back, not fallen, not a NAK of other revisions only with this one said to answer it ("My NAK was for v1;
    v2 is fine.")."""
    below, replies, origins, numbers, patches, _ = thread
    return "NAK" in r.verdicts and not others_only(r.own_text, revision) and (
        not _report_lifted(r, rep, thread) if rep is not None else
        not taken_back(r, below, replies, numbers, patches, origins)
        and not fallen(r, below, replies, numbers, patches))


def _nak_found(r: Reply, rep: ReportedNak | None, head: Patch, revision: int, applied: Sequence[Patch],
               thread: Thread) -> Found | None:
    """The NAK that stands (_nak_stands), of the patch it is below and the applied patches it names; None for a NAK
    of patches by number below the cover letter, none of them applied."""
    below, replies, origins, numbers, patches, _ = thread
    label = f"v{revision} " + ("cover letter" if head.number == 0 else head.label)
    of, email = (head,) if head.number else (), r.mail.own_address
    if (unread := _unread_nak(r, label, of)) is not None:
        return unread
    said = nak_sentence(r.own_text) or "NAK"
    which = naked_patches(r, applied, patches, bool(head.number))
    if which == () and not head.number:  # a NAK of patches by number below the cover letter, none applied
        return None
    # Below a patch, of it and of the applied patches it names ("NAK for patch 2" below 3/3).
    # One each, by Message-ID: a set would hash each patch whole, its replies too (500 NAKs of a patch of 1,000
    # replies hashed 2 million records).
    which = tuple(sorted({p.mail.msgid: p for p in (*(which or ()), *of)}.values(), key=lambda p: p.number)) \
        if which or head.number else ()
    if len(which) > 1 and rep is None:  # "I withdraw my NAK for patch 3." after "NAK for patch 2 and patch 3."
        part = withdrawn_part(r, below, replies, numbers, patches)
        which = tuple(p for p in which if p.number not in part) or which
    what = f"v{revision} {', '.join(p.label for p in which)}" if which else label
    # Another's NAK the sender reports is theirs, lifted by their withdrawal (_report_lifted).
    by, email, who = (r.mail.author, email, r.mail.author.lower()) if rep is None else \
        (f"{rep.who or 'someone the reply does not name'} (reported by {r.mail.author})", "", rep.who.lower())
    note = withdrawn_by_name(r, below, replies, numbers, patches, origins) if rep is None else \
        ambiguity(rep.who, origins.written)
    note = "; ".join(n for n in (note, others_note(r.own_text, revision)) if n)  # "NAK on v1." below v2
    return Found(Objection(r.mail.msgid, by, what, said, sentence_where(r, said), note=note), which or of, r,
                 email, who, reported=rep is not None)


def _own_found(r: Reply, head: Patch, replies: dict[str, Reply], label: str) -> Found | None:
    """The patch author's own word against it: asking that it not be applied, or confirming another's breakage."""
    of, email = (head,) if head.number else (), r.mail.own_address
    if (held := hold_sentence(r.own_text) or _own_unnamed(r, head)) is not None:
        # The author asking that their own patch not be applied withdraws it, as a reviewer's request would.
        return Found(Objection(r.mail.msgid, r.mail.author, label, held, sentence_where(r, held), ObjectionKind.DROP),
                     of, r, email, r.mail.author.lower(), plan=True)
    if (confirmed := _confirmed(r, replies)) is not None:
        # The author confirming a breakage another reported: the revision judged is broken in its author's own words.
        parent, said = confirmed
        note = f"the patch's author confirms the breakage {parent.mail.author} reported in <{parent.mail.msgid}>"
        return Found(Objection(r.mail.msgid, r.mail.author, label, said, sentence_where(r, said),
                               ObjectionKind.REGRESSION, note=note), of, r, email, r.mail.author.lower())
    return None


def _reviewer_found(r: Reply, head: Patch, revision: int, applied: Sequence[Patch], thread: Thread) -> Found | None:
    """Another's request to drop, report of a regression, or Reviewed-by or Acked-by taken back."""
    below, replies, _, numbers, patches, _ = thread
    label = f"v{revision} " + ("cover letter" if head.number == 0 else head.label)
    of, email = (head,) if head.number else (), r.mail.own_address
    if (asked := drop_request(r, head, applied, patches)) is not None \
            and drop_stands(r, below, replies, {p.number for p in asked[0]}, numbers, series_titles(patches)):
        named, said = asked  # patches named by number: those, not the one the reply is below
        what = f"v{revision} {', '.join(p.label for p in named)}" if named else label
        if (why := fine_besides(r.own_text, said)) is not None:  # "..., but the patch itself is fine."
            return Found(Objection(r.mail.msgid, r.mail.author, what, f"its words were not understood: {why}",
                                   sentence_where(r, said), ObjectionKind.UNREAD), named or of, r, email,
                         r.mail.author.lower())
        note = held_note(r.own_text, said, patch_total(patches), revision_of(patches), series_titles(patches)) \
            or taker_note(said, email, replies) or standing_note(said)
        # A report asks nothing ("I bisected a boot hang to this patch."); a maintainer's "I've taken the patch out,
        # it breaks the build." is their drop, its reason beside it.
        kind = ObjectionKind.REGRESSION if reported_only(r) else ObjectionKind.DROP
        return Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said), kind, note=note),
                     named or of, r, email, r.mail.author.lower())
    if (back := tag_taken_back(r, below, replies)) is not None:
        # "I retract my Reviewed-by.", "Please drop my Reviewed-by, I missed X": whether a fault was found cannot be
        # told (it was read as nothing, the gate passing), so it blocks as a request to drop does, said as what it is
        # (it was counted as a "request to drop", which the reviewer never made).
        said, key = back
        note = (f"its sender takes back their {key or 'Reviewed-by or Acked-by'}: whether they found a fault cannot be "
                "told, so it blocks until a rule citing the message judges it or they give the tag again")
        return Found(Objection(r.mail.msgid, r.mail.author, label, said, sentence_where(r, said), ObjectionKind.TAG,
                               note=note, tag_withdrawn=key or "tag"), of, r, email, r.mail.author.lower())
    return None


def _quoted_found(r: Reply, head: Patch, thread: Thread, label: str) -> Found | None:
    """A NAK or request to drop the reply quotes once, of its sender or of someone it does not name."""
    of = (head,) if head.number else ()
    if (q := quoted_once(r, head, thread)) is not None and not q.who:
        kind = ObjectionKind.REGRESSION if q.report else ObjectionKind.NAK
        return Found(Objection(r.mail.msgid, f"an unnamed sender (quoted by {r.mail.author})", label, q.sentence,
                                q.where, kind, note=_unnamed(r, thread[2], "report" if q.report else "NAK")), of, r, "",
                     "")
    if q is not None:
        kind = ObjectionKind.REGRESSION if q.report else ObjectionKind.DROP if q.drop else ObjectionKind.NAK
        by = f"{q.who} (in {q.within}'s message, quoted by {r.mail.author})" if q.within else \
            f"{q.who} (quoted by {r.mail.author})"
        return Found(Objection(r.mail.msgid, by, label, q.sentence, q.where, kind,
                                note=q.note), of, r, "", q.who.lower())
    return None


def _point_found(r: Reply, head: Patch, thread: Thread, label: str, applied: Sequence[Patch]) -> Found | None:
    """A change another asks of the patch (harness.pointwords) that its sender has not taken back: no rule cites the
    reply, so no rule judges whether the state judged makes it. Below the cover letter, of the patches it names, or
    of the series (harness.coverpoints): "For the whole series: please use %#llx.", "Patch 3 should go first." passed
    the gate, said nowhere."""
    if (found := reply_point(r, head, thread[1])) is None or point_lifted(r, thread[0], thread[1], head) is not None:
        return None
    said, question = found
    of, which = ((head,), "") if head.number else (cover_point_of(said, r.own_text, applied, thread[4]) or ((), ""))
    if not of:
        return None  # below the cover letter, naming patches this state does not apply alone
    # Of the patches it names, by their labels ("v2 03/3"); of the series, the cover letter's.
    named = not head.number and which not in (SERIES, UNNAMED)
    note = point_note(said, question, "series" if not head.number and not named else "named" if named else "patch")
    note = f"{which}; {note}" if which else note
    what = f"{label.split(' ')[0]} {', '.join(p.label for p in of)}" if named else label
    return Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said), ObjectionKind.POINT,
                           note=note), of, r, r.mail.own_address, r.mail.author.lower())


def _report_lifted(r: Reply, rep: ReportedNak, thread: Thread) -> bool:
    """Whether the NAK ``r`` reports of another is not ``r``'s to raise: the one it names took a NAK back, or their
    own NAK is in the input, below the same message (an objection of its own, lifted by their word alone). One no
    name is given for ("He NAKed it.") stands: whose it is cannot be told."""
    below, replies, origins = thread[0], thread[1], thread[2]
    at = below.get(r.mail.msgid)
    return bool(rep.who) and any(
        w is not r and below.get(m) == at and ("NAK-withdrawn" in w.verdicts or "NAK" in w.verdicts)
        and gave(rep.who, w, origins.senders) for m, w in replies.items())


def unread_words(r: Reply, what: str = "", of: tuple[Patch, ...] = ()) -> Found | None:
    """A reply whose own words are in a language seamharness does not read (harness.language): a NAK or a request
    to drop in them cannot be told from none, and a gate does not pass words it did not read."""
    found = unread_language(r.own_text)
    if found is None:
        return None
    why, sentence = found
    return Found(Objection(r.mail.msgid, r.mail.author, what, f"its words cannot be read: {why}",
                            sentence_where(r, sentence), ObjectionKind.UNREAD, trailers=_clear_trailers(r)), of, r,
                  r.mail.author_email.lower(), r.mail.author.lower())


_REVIEWED = ("reviewed-by", "acked-by", "tested-by")


def _clear_trailers(r: Reply) -> str:
    """The review trailers a reply gives as its sender's own (followups.senders: b4 applies them), joined by '; ',
    when they are clear: one or more of Reviewed-by, Acked-by, Tested-by (any case) and none naming a NAK; "" else. A
    trailer's ``Token: value`` is no language's (git interpret-trailers reads it by its shape), so a reply whose prose
    is not read still says this much."""
    from harness.followups import senders  # followups reads replies' trailers: imported where needed

    own = [t for t in r.trailers if senders(t, r.mail)]
    if any(names_nak(t.key) for t in r.trailers) or not any(t.key.lower() in _REVIEWED for t in own):
        return ""
    return "; ".join(f"{t.key}: {t.value}" for t in own if t.key.lower() in _REVIEWED)


def _unread_nak(r: Reply, what: str, of: tuple[Patch, ...]) -> Found | None:
    """A reply each of whose NAK sentences is in a language seamharness does not read ("Ich ziehe mein NAK zurück.", a
    withdrawal, read as a NAK): what its other words say of the NAK cannot be told, so the reply is not read, which
    blocks as a NAK does, a [[read]] table of it too ("NAK, das ist falsch." is one). A NAK alone in its sentence
    ("NAK.") and a Nacked-by trailer read in any language."""
    said = nak_sentences(r.own_text)
    unread = [w for s in said if (w := unread_language(s)) is not None]
    if not said or len(unread) < len(said):
        return None
    why, sentence = unread[0]
    note = "its words hold a NAK: it blocks until a rule citing the message judges it, as a NAK does"
    return Found(Objection(r.mail.msgid, r.mail.author, what, f"its words cannot be read: {why}",
                           sentence_where(r, sentence), ObjectionKind.UNREAD, note=note, holds_nak=True), of, r,
                 r.mail.author_email.lower(), r.mail.author.lower())


def _named_elsewhere(r: Reply, head: Patch, revision: int, applied: Sequence[Patch], thread: Thread) -> Found | None:
    """A NAK, or a reviewer's request to drop, below a patch the variant does not apply that names applied patches by
    number ("NAK for patch 2", "Please drop patch 2" below 3/3): of those."""
    below, replies, origins, numbers, patches, _ = thread
    said, kind = None, ObjectionKind.NAK
    if "NAK" in r.verdicts and not taken_back(r, below, replies, numbers, patches, origins):
        which, said = naked_patches(r, applied, patches, True), nak_sentence(r.own_text) or "NAK"
    elif not _own(r, head) and (asked := drop_by_name(r.own_text, patches) or (
            (tuple(c), drop_sentence(r.own_text) or "") if (c := carried_drops(r.own_text, patches)) else None)) \
            and drop_stands(r, below, replies, asked[0], numbers, series_titles(patches)):  # "Never mind, keep it."
        which, said, kind = tuple(p for p in applied if p.number in asked[0]), asked[1], ObjectionKind.DROP
    if said is None or not which:
        return None
    what = f"v{revision} {', '.join(p.label for p in which)}"
    note = withdrawn_by_name(r, below, replies, numbers, patches, origins) if kind is ObjectionKind.NAK else \
        held_note(r.own_text, said, patch_total(patches), revision_of(patches), series_titles(patches))
    return Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said), kind, note=note),
                  which, r, r.mail.own_address, r.mail.author.lower())


def _unnamed(r: Reply, origins: Origins, what: str = "NAK") -> str:
    """Why a quoted NAK (or report) no attribution names a sender of stands (Objection.note)."""
    up = r.mail.in_reply_to
    answers = f", nor the message the reply answers (<{up}>)" if up and not origins.has(up) else ""
    return (f"no attribution line names whose {what} this is and no message of the input holds it{answers}: who gave "
            "it, and whether they took it back, cannot be told")


def _carried(head: Patch, label: str, below: dict[str, str], replies: dict[str, Reply],
             senders: frozenset[tuple[str, str]]) -> tuple[Objection, ...]:
    """A ``Nacked-by:`` the patch (or cover letter) carries in its own trailers: a NAK given in earlier review and
    kept, unless its sender takes a NAK back below it."""
    out = []
    for t in head.trailers:
        if not (t.key.lower().endswith("-by") and names_nak(t.key)):
            continue
        if any("NAK-withdrawn" in w.verdicts and withdrawer(t.value.lower(), w, senders) and below[m] == head.mail.msgid
               for m, w in replies.items()):
            continue
        who = t.value.split("<")[0].strip().strip('"') or t.value
        out.append(Objection(head.mail.msgid, f"{who} (carried by the patch)", label, f"{t.key}: {t.value}",
                             str(t.where)))
    return tuple(out[:1])


# What unplaced reads of a diff_placed reply: it says them, found does not (a NAK, drop, report: _read_unplaced).
_EVERY = frozenset({ObjectionKind.UNREAD, ObjectionKind.TAG})


def diff_placed(r: Reply) -> bool:
    """Whether ``r`` answers a patch mail not read and went below a read patch for its diff alone (Unread.by_diff,
    harness.unreadfixups): what its words object to is a change no variant makes, as for such a reply with no diff (an
    orphan), so unplaced reads it as every variant's too. A diff the read patch takes does not narrow a NAK to the
    variants holding that patch: the lines it changes may be in the others too (a line patch 1 adds)."""
    return r.answers_unread is not None and r.answers_unread.by_diff


def _read_unplaced(f: Found, r: Reply, patches: tuple[Patch, ...]) -> bool:
    """Whether ``f``, a NAK, request to drop or regression of diff_placed ``r``, is one harness.unplaced reads of ``r``
    as every variant's, as it reads the same reply with no diff: its sender's own NAK (nak_sentence), or a reviewer's
    words asking to drop the patch, holding it back or reporting it breaks something (namedpatches.unplaced_drop: "I
    bisected a boot hang to this patch.", "This needs more work."). Else (a NAK or report ``r`` quotes of another,
    the patch's author confirming a breakage, words unplaced does not read) it stays below the read patch, never
    lost."""
    if f.objection.kind is ObjectionKind.NAK:
        return "NAK" in r.verdicts and nak_sentence(r.own_text) is not None
    authors = {p.mail.author_email.lower() for p in patches}
    return f.objection.kind in (ObjectionKind.DROP, ObjectionKind.REGRESSION) and "NAK" not in r.verdicts \
        and r.mail.author_email.lower() not in authors and unplaced_drop(r, patches) is not None


def _own_unnamed(r: Reply, head: Patch) -> str | None:
    """The author's own hold naming nothing, where it is of their patch (unnameddrop.of_patch): "Please hold off, I
    found a bug.", "Sorry, this isn't ready yet." withdraw it as "Please don't apply this one" does (they passed the
    gate). Their unnamed "drop this" stays a plan, and one answering a reviewer's suggestion declines it."""
    said = r.drop_said
    if not said or not of_patch(r, head):
        return None
    return said if unnamed_hold_sentence(said) is not None or verdict_sentence(said) is not None else None


def _confirmed(r: Reply, replies: dict[str, Reply]) -> tuple[Reply, str] | None:
    """The message of another that ``r`` (the patch's author's reply) answers, and the sentence of ``r`` confirming the
    failure it tells of (harness.authorconfirms); None when there is none."""
    parent = replies.get(r.mail.in_reply_to or "")
    if parent is None or parent.mail.own_address == r.mail.own_address:
        return None
    said = confirmed_breakage(r.own_text, parent.own_text)
    return (parent, said) if said is not None else None


def _own(r: Reply, head: Patch) -> bool:
    """Whether the reply is by the author of the message it is below: "I'll drop this patch in v5" is the
    author's plan, not a reviewer's request."""
    return bool(r.mail.author_email) and r.mail.author_email.lower() == head.mail.author_email.lower()
