"""NAKs and requests to drop in the input that no review rule cites: a reviewer's word the rules do not encode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from functools import partial

from harness.citing import judged
from harness.droprequest import drop_sentence, hold_sentence
from harness.language import unread_language
from harness.lifted import lifted_objections
from harness.memo import by_identity
from harness.model import Patch, Reply, Revision, Series
from harness.nakrevisions import carried_drops, naked_revisions
from harness.nakwords import nak_sentence, names_nak
from harness.namedpatches import drop_request, naked_patches
from harness.quotednak import Origins, input_senders, names, withdrawer
from harness.replyheads import Thread, quoted_once, revision_thread
from harness.samechange import counterparts, recombined, same_change, title
from harness.sentenceline import sentence_where
from harness.takenback import (
    by_name_only,
    drop_stands,
    fallen,
    no_earlier,
    retracted_here,
    taken_back,
    withdrawn_below,
    withdrawn_by_name,
)
from harness.titlenames import drop_by_name
from harness.variants import Variant
from models.record import record


class ObjectionKind(StrEnum):
    """What the reviewer said: a NAK, or a request to drop the patch (harness.droprequest)."""

    NAK = "nak"
    DROP = "drop"
    UNREAD = "unread"  # a reply whose words cannot be read (Reply.unreadable): a NAK in it cannot be told from none


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

    @property
    def title(self) -> str:
        """``NAK of v4 06/26 by Mae``, ``request to drop v4 06/26 by Mae`` or ``unreadable reply to ...``."""
        what = {ObjectionKind.NAK: "NAK of", ObjectionKind.DROP: "request to drop"}.get(self.kind,
                                                                                        "unreadable reply to")
        return f"{what} {self.target} by {self.author}"

    def describe(self) -> str:
        said = f"{self.title} <{self.msgid}> ({self.where}): \"{self.sentence}\"" + f" ({self.note})" * bool(self.note)
        return said + "".join(f"; also given in <{a.msgid}> ({a.where}), of {a.target}: \"{a.sentence}\""
                              for a in self.again)


def counts(objections: tuple[Objection, ...]) -> tuple[int, int, int]:
    """(NAKs, requests to drop, unreadable replies) among ``objections``."""
    naks, drops = (sum(o.kind is k for o in objections) for k in (ObjectionKind.NAK, ObjectionKind.DROP))
    return naks, drops, len(objections) - naks - drops


@record
class EarlierObjection:
    """An objection to an earlier revision's patch that no patch of the judged revision carries unchanged (no
    patch of it has the same ``git patch-id``): it changed since, or went. Not judged on this revision, and not
    taken as addressed: a note, not a block."""

    objection: Objection
    why: str  # "v2 02/3 has its title and another change (git patch-id)"

    def describe(self) -> str:
        return f"{self.objection.describe()}: {self.why}"


@record
class ReviewObjections:
    """What the review said of one judged state that no rule judges: the objections that stand on it (each blocks),
    and those to an earlier revision's patch changed since (notes). The gate and eval read both from here."""

    standing: tuple[Objection, ...] = ()
    earlier: tuple[EarlierObjection, ...] = ()
    read: tuple[str, ...] = ()  # the replies not read that the user read (harness.readreplies), one line each
    lifted: tuple[str, ...] = ()  # those their own sender took back since, with what did (harness.lifted)

    def headline_note(self) -> str:
        """What a verdict line adds for the earlier ones: said beside READY too, as they are not taken as addressed."""
        n = len(self.earlier)
        return (f"; {n} objection{'s' if n != 1 else ''} to an earlier revision's patch changed or dropped since, "
                "not judged" if n else "")


def review_objections(series: Series, target: Variant, cited: frozenset[str],
                      quoted: Mapping[str, tuple[str, ...]] | None = None, read: Mapping[str, str] | None = None
                      ) -> ReviewObjections:
    """The objections no rule judges of the state ``target``: ``cited``, the messages rules cite as a whole (a rule
    with no quote), judge all of theirs; ``quoted``, messages whose rules each point at a sentence (cited_by), only
    the objection in those sentences (harness.citing): a NAK in another sentence of a message cited for one point
    stands. ``read``: the replies the user read themselves (harness.readreplies), which a reply not read no longer
    blocks on: said as read by them. And those lifted, with what lifted them (harness.lifted): said, not blocking."""
    whole = frozenset(cited - (quoted or {}).keys())
    standing = open_objections(series, target, whole)
    earlier = earlier_objections(series, target, whole)
    if quoted:
        standing = tuple(o for o in standing if not judged(o.msgid, o.sentence, quoted))
        earlier = tuple(e for e in earlier if not judged(e.objection.msgid, e.objection.sentence, quoted))
    seen = [o for o in standing if o.kind is ObjectionKind.UNREAD and o.msgid in (read or {})]
    lifts = earlier_lifted(series, target.revision, whole) if target.revision is not None else ()
    return ReviewObjections(tuple(o for o in standing if o not in seen), earlier,
                            tuple(f"{o.describe()}: read by the user, who says it said {(read or {})[o.msgid]}"
                                  for o in seen),
                            lifted_objections(series, target, cited, lifts))


@record
class _Found:
    """An objection found below one revision's messages, with the patches it is of (none: the cover letter's)
    and who gave it: what carrying it to a later revision needs."""

    objection: Objection
    of: tuple[Patch, ...]
    reply: Reply | None  # the message it was found in (None: a trailer of the patch), for its Date
    email: str  # the sender's address, lower case ("": a quoted sender or a trailer, named by ``who``)
    who: str  # the sender as the attribution or trailer names them, lower case
    plan: bool = False  # the patch's author asking that it not be applied: a later revision is their later word
    revision: int | None = None  # the revision it was found below ("the next version" is the one after)


def open_objections(series: Series, target: Variant, cited: frozenset[str]) -> tuple[Objection, ...]:
    """The NAKs among the replies below the patches ``target`` applies and below its revision's cover letter
    (a reply to a reply too), less the messages a rule cites (``cited``: that rule judges the point); and those
    given below an earlier revision's patch that ``target`` applies unchanged (the same ``git patch-id``, or the
    same code but for comments: same_change)."""
    if target.revision is None:  # the base: no patch of the series, nobody's NAK of it
        return ()
    applied = _applied(series, target)
    out = {f.objection.msgid: f for f in _found(series, target.revision, applied, cited)}
    retarget: dict[str, str] = {}
    for f, was, _, same, how in _latest_first(series, _earlier(series, target.revision, cited)[0]):
        q = next((q for q in same if q in applied), None)
        if not same and _names(f, target.revision) and f.objection.msgid not in out:
            # Of the revision as a whole: which of its patches the NAK means cannot be told, so every variant's.
            retarget[f.objection.msgid] = f"v{target.revision} (as {was}: {how})"
            out[f.objection.msgid] = replace(f, of=())
        if q is None or f.objection.msgid in out or _carries(q, f.objection):
            continue
        retarget[f.objection.msgid] = f"v{target.revision} {q.label} (as {was}: {how})"
        out[f.objection.msgid] = replace(f, of=(q,))
    # One cited by another of its sender's keeps its own patch's label (Objection.again).
    merged = (replace(o, target=retarget.get(o.msgid, o.target)) for o, _ in _merged(list(out.values())))
    return (*merged, *_unplaced(series, target.revision, cited))


def earlier_objections(series: Series, target: Variant, cited: frozenset[str]) -> tuple[EarlierObjection, ...]:
    """The objections to an earlier revision's patches, standing there, whose change no patch of ``target``'s
    revision makes (git patch-id): the patch changed since, or went. Said, never judged on ``target``."""
    if target.revision is None:
        return ()
    rev = series.revision(target.revision)
    out: dict[str, tuple[_Found, str]] = {}
    for f, _, p, same, _ in _latest_first(series, _earlier(series, target.revision, cited)[0]):
        if same or f.objection.msgid in out or _names(f, target.revision):
            continue
        titled = [q for q in (rev.patches if rev is not None else ()) if p.number and title(q) == title(p)]
        cover = [rev.cover] if rev is not None and rev.cover is not None and not p.number else []
        if any(_withdrawn(f, q, rev, input_senders(series)) is not None for q in titled + cover):
            continue
        why = (f"of the series as a whole, which no git patch-id follows to v{target.revision}: " if not p.number else
               f"v{target.revision} {titled[0].label} has its title and another change (git patch-id): "
               if titled else f"no patch of v{target.revision} has its change or title (git patch-id): ")
        out[f.objection.msgid] = replace(f, of=(p,)), why + "not judged on this revision, nor addressed"
    whys = {id(f): why for f, why in out.values()}
    return tuple(EarlierObjection(o, whys[id(f)]) for o, f in _merged([f for f, _ in out.values()]))


def _latest_first(series: Series, found: tuple[_Carried, ...]) -> list[_Carried]:
    """``found`` (_earlier's), the later revisions' first: of one sender's objections to one change, the latest
    is the one listed (_merged), citing the others."""
    version = {p.mail.msgid: r.version for r in series.revisions for p in r.patches}
    return sorted(found, key=lambda e: -version.get(e[2].mail.msgid, 0))


def _merged(found: list[_Found]) -> list[tuple[Objection, _Found]]:
    """One objection per sender, kind and change: a sender's objection to a change (git patch-id) they objected to
    before, in another message, cites those (Objection.again) rather than being listed twice; ``found`` in the
    order to list them (the latest word first). Each with the found it is listed as."""
    firsts: list[tuple[_Found, list[Objection]]] = []
    for f in found:
        again = next((again for g, again in firsts if _same_objection(g, f)), None)
        if again is None:
            firsts.append((f, []))
        else:
            again.append(f.objection)
    return [(replace(f.objection, again=tuple(again)) if again else f.objection, f) for f, again in firsts]


def _same_objection(a: _Found, b: _Found) -> bool:
    """Whether two objections are one sender's of the same kind to the same change (git patch-id)."""
    if a.objection.kind is not b.objection.kind or not a.of or not b.of or not _same_sender(a, b):
        return False
    if {p.patch_id or p.mail.msgid for p in a.of} == {p.patch_id or p.mail.msgid for p in b.of}:
        return True
    # One patch each, the same code but for comments (same_change): a re-NAK of a next revision that reworded one.
    return len(a.of) == len(b.of) == 1 and same_change(a.of[0], b.of[0]) is not None


def _same_sender(a: _Found, b: _Found) -> bool:
    """Whether two objections are by one sender: by address, else one's address or name in how the other (a quote's
    attribution, a trailer) names its sender."""
    if not (a.email or a.who or b.email or b.who):  # two quotes no attribution names a sender of: by their words
        return a.objection.sentence == b.objection.sentence
    if a.email and b.email:
        return a.email == b.email
    one, other = (a, b) if a.email else (b, a)
    if one.email and one.reply is not None:
        return names(other.who, one.reply)
    return bool(a.who) and a.who == b.who


def _applied(series: Series, target: Variant) -> list[Patch]:
    return [p for p in (series.find_message(m) for m, _ in target.sources) if isinstance(p, Patch)]


# An objection, the patch's label, the patch, the later ones making its change, and how that is known.
_Carried = tuple["_Found", str, Patch, list[Patch], str]


# An earlier revision's NAK its sender took back below a patch of the judged revision making its change (or its cover
# letter): it, that patch, and the reply and words that took it back (harness.lifted says it).
LiftedEarlier = tuple[Objection, Patch, Reply, str]


def earlier_lifted(series: Series, revision: int, cited: frozenset[str]) -> tuple[LiftedEarlier, ...]:
    """The objections to an earlier revision's patches their sender took back below a patch of ``revision`` making
    the same change (or its cover letter), with what took each back."""
    return _earlier(series, revision, cited)[1]


def _earlier(series: Series, revision: int, cited: frozenset[str]
             ) -> tuple[tuple[_Carried, ...], tuple[LiftedEarlier, ...]]:
    """Each objection to a patch of a revision before ``revision`` (not the author's own plan), or of a later one
    whose words name ``revision`` as NAKed too ("NAK, and v1 too" below v2: the v1 gate passed), that its sender did
    not take back below a patch of ``revision`` making the same change: (it, the patch's label, the patch, those
    patches); and those they did (earlier_lifted)."""
    # open_objections, earlier_objections and the lifted lines read it, for every revision a report or gate judges.
    return by_identity("earlier objections", (series,), (revision, cited),
                       lambda: _earlier_found(series, revision, cited))


def _earlier_found(series: Series, revision: int, cited: frozenset[str]
                   ) -> tuple[tuple[_Carried, ...], tuple[LiftedEarlier, ...]]:
    rev = series.revision(revision)
    later = list(rev.patches) if rev is not None else []
    out, lifts, senders = [], [], input_senders(series)
    for old in (r for r in series.revisions if r.version != revision):
        # A revision's objections are the same whichever later revision carries them (one pass per revision).
        found = by_identity("revision objections", (series, old), (cited,),
                            partial(_found, series, old.version, list(old.patches), cited))
        for f in found:
            if old.version > revision and not _names(f, revision):
                continue
            # A NAK of the cover letter is the series' (no patch-id follows it), carried as a note only.
            for p in () if f.plan else f.of or ((old.cover,) if old.cover is not None else ()):
                same = [q for q in later if same_change(p, q)]
                how = same_change(p, same[0]) if same else None
                if not same and p.number and old.version < revision:
                    same, how = recombined(p, old, later)
                if not same and _names(f, revision):
                    same, how = counterparts(p, later, revision)
                named = rev is not None and rev.cover is not None and _names(f, revision)
                heads = same or ([rev.cover] if named and rev is not None and rev.cover is not None else [])
                lift = next(((f.objection, q, *by) for q in heads if (by := _withdrawn(f, q, rev, senders))), None)
                if lift is None:
                    out.append((f, f"v{old.version} {p.label}", p, same, how or ""))
                lifts.extend([lift] if lift is not None else [])
    return tuple(out), tuple(lifts)


def _names(f: _Found, revision: int) -> bool:
    """Whether a NAK given below an earlier revision names ``revision`` as NAKed too ("NAK, and v3 too", "NAK for v2
    and v3"): it is that revision's, whatever changed since (harness.nakrevisions); it was only noted."""
    return f.objection.kind is ObjectionKind.NAK and f.reply is not None and bool(f.email) \
        and revision in naked_revisions(f.reply.own_text, f.revision)


def _withdrawn(f: _Found, head: Patch, rev: Revision | None, senders: frozenset[tuple[str, str]]
               ) -> tuple[Reply, str] | None:
    """The reply and words by which the NAK's sender took it back below ``head`` (takenback.withdrawn_below)."""
    if f.objection.kind is not ObjectionKind.NAK:
        return None
    return withdrawn_below((f.email, f.who, f.reply), head, rev, senders)


def _carries(q: Patch, o: Objection) -> bool:
    """Whether the later patch carries the earlier one's ``Nacked-by:`` itself (its own objection says it)."""
    return o.msgid != q.mail.msgid and any(f"{t.key}: {t.value}" == o.sentence for t in q.trailers)


def _found(series: Series, revision: int, applied: list[Patch], cited: frozenset[str]) -> list[_Found]:
    """The objections below ``revision``'s cover letter and the ``applied`` patches of it (open_objections),
    the placed-below-nothing aside."""
    rev = series.revision(revision)
    heads, thread = revision_thread(series, rev, applied)
    below, replies, origins = thread[0], thread[1], thread[2]
    out: dict[str, _Found] = {}
    for r in replies.values():
        head = heads.get(below[r.mail.msgid])
        if head is not None and r.mail.msgid not in cited and r.mail.msgid not in out:
            found = _one(r, head, revision, applied, thread)
            out.update({found.objection.msgid: found} if found is not None else {})
    # ``h in applied`` alone compares h with each patch before it field by field (n*n/2 record comparisons for n
    # patches); what it finds is the same object, or an equal one, which has the same Message-ID.
    ids, msgids = {id(p) for p in applied}, {p.mail.msgid for p in applied}
    for h in (h for h in heads.values() if h.number == 0 or id(h) in ids or (h.mail.msgid in msgids and h in applied)):
        label = f"v{revision} " + ("cover letter" if h.number == 0 else h.label)
        out.update({o.msgid: _Found(o, (h,) if h.number else (), None, "", o.sentence.lower())
                    for o in _carried(h, label, below, replies, origins.senders) if o.msgid not in cited | out.keys()})
    present = {r.version for r in series.revisions}
    return [replace(f, revision=revision, objection=_unread_revisions(f, revision, present)) for f in out.values()]


def _unread_revisions(f: _Found, revision: int, present: set[int]) -> Objection:
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


def _one(r: Reply, head: Patch, revision: int, applied: list[Patch], thread: Thread) -> _Found | None:
    """The objection ``r`` gives below ``head``, if any."""
    below, replies, origins, numbers, patches, _ = thread
    label = f"v{revision} " + ("cover letter" if head.number == 0 else head.label)
    of, email = (head,) if head.number else (), r.mail.own_address
    if head.number and head not in applied:  # only a NAK naming applied patches by number (_found)
        return _named_elsewhere(r, head, revision, applied, thread)
    if r.unreadable:  # a gate does not pass words it could not read
        return _Found(Objection(r.mail.msgid, r.mail.author, label, r.unreadable, str(r.mail.where),
                                ObjectionKind.UNREAD), of, r, email, r.mail.author.lower())
    if "NAK" in r.verdicts and not taken_back(r, below, replies, numbers, patches) \
            and not fallen(r, below, replies, numbers, patches):
        said = nak_sentence(r.own_text) or "NAK"
        which = naked_patches(r, applied, patches, bool(head.number))
        if which == () and not head.number:  # a NAK of patches by number below the cover letter, none applied
            return None
        # Below a patch, of it and of the applied patches it names ("NAK for patch 2" below 3/3).
        # One each, by Message-ID: a set would hash each patch whole, its replies too (500 NAKs of a patch of 1,000
        # replies hashed 2 million records).
        which = tuple(sorted({p.mail.msgid: p for p in (*(which or ()), *of)}.values(), key=lambda p: p.number)) \
            if which or head.number else ()
        what = f"v{revision} {', '.join(p.label for p in which)}" if which else label
        return _Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said),
                                note=withdrawn_by_name(r, below, replies, numbers, patches)), which or of, r, email,
                      r.mail.author.lower())
    if _own(r, head) and (held := hold_sentence(r.own_text)) is not None:
        # The author asking that their own patch not be applied withdraws it, as a reviewer's request would.
        return _Found(Objection(r.mail.msgid, r.mail.author, label, held, sentence_where(r, held), ObjectionKind.DROP),
                      of, r, email, r.mail.author.lower(), plan=True)
    if not _own(r, head) and (asked := drop_request(r, head, applied, patches)) is not None \
            and drop_stands(r, below, replies):
        named, said = asked  # patches named by number: those, not the one the reply is below
        what = f"v{revision} {', '.join(p.label for p in named)}" if named else label
        return _Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said), ObjectionKind.DROP),
                      named or of, r, email, r.mail.author.lower())
    if (foreign := _unread_words(r, label, of)) is not None:  # after what can be read of it: a NAK is a NAK
        return foreign
    if (q := quoted_once(r, head, thread)) is not None and not q.who:
        return _Found(Objection(r.mail.msgid, f"an unnamed sender (quoted by {r.mail.author})", label, q.sentence,
                                q.where, note=_unnamed(r, origins)), of, r, "", "")
    if q is not None:
        kind = ObjectionKind.DROP if q.drop else ObjectionKind.NAK
        by = f"{q.who} (in {q.within}'s message, quoted by {r.mail.author})" if q.within else \
            f"{q.who} (quoted by {r.mail.author})"
        return _Found(Objection(r.mail.msgid, by, label, q.sentence, q.where, kind,
                                note=q.note), of, r, "", q.who.lower())
    return None


def _unread_words(r: Reply, what: str = "", of: tuple[Patch, ...] = ()) -> _Found | None:
    """A reply whose own words are in a language seamharness does not read (harness.language): a NAK or a request
    to drop in them cannot be told from none, and a gate does not pass words it did not read."""
    found = unread_language(r.own_text)
    if found is None:
        return None
    why, sentence = found
    return _Found(Objection(r.mail.msgid, r.mail.author, what, f"its words cannot be read: {why}",
                            sentence_where(r, sentence), ObjectionKind.UNREAD), of, r, r.mail.author_email.lower(),
                  r.mail.author.lower())


def _named_elsewhere(r: Reply, head: Patch, revision: int, applied: list[Patch], thread: Thread) -> _Found | None:
    """A NAK, or a reviewer's request to drop, below a patch the variant does not apply that names applied patches by
    number ("NAK for patch 2", "Please drop patch 2" below 3/3): of those."""
    below, replies, _, numbers, patches, _ = thread
    said, kind = None, ObjectionKind.NAK
    if "NAK" in r.verdicts and not taken_back(r, below, replies, numbers, patches):
        which, said = naked_patches(r, applied, patches, True), nak_sentence(r.own_text) or "NAK"
    elif not _own(r, head) and (asked := drop_by_name(r.own_text, patches) or (
            (tuple(c), drop_sentence(r.own_text) or "") if (c := carried_drops(r.own_text, patches)) else None)) \
            and drop_stands(r, below, replies):  # "Never mind, keep it." as below an applied patch: it blocked
        which, said, kind = tuple(p for p in applied if p.number in asked[0]), asked[1], ObjectionKind.DROP
    if said is None or not which:
        return None
    what = f"v{revision} {', '.join(p.label for p in which)}"
    note = withdrawn_by_name(r, below, replies, numbers, patches) if kind is ObjectionKind.NAK else ""
    return _Found(Objection(r.mail.msgid, r.mail.author, what, said, sentence_where(r, said), kind, note=note),
                  which, r, r.mail.own_address, r.mail.author.lower())


def _unnamed(r: Reply, origins: Origins) -> str:
    """Why a quoted NAK no attribution names a sender of stands (Objection.note)."""
    up = r.mail.in_reply_to
    answers = f", nor the message the reply answers (<{up}>)" if up and not origins.has(up) else ""
    return (f"no attribution line names whose NAK this is and no message of the input holds it{answers}: who gave "
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


def _unplaced(series: Series, revision: int, cited: frozenset[str]) -> tuple[Objection, ...]:
    """The NAKs, requests to drop and unreadable replies the input places below no message (their parent, References and
    subject name none it has: a subject changed, a thread cut): which patch they are of cannot be told, so they are
    every variant's. A request to drop by an author of the revision's patches is their plan; a NAK its sender took
    back anywhere in the input, in a reply dated no earlier (in its own, after it: retracted_here), is none."""
    rev = series.revision(revision)
    patches = rev.patches if rev is not None else ()
    authors = {p.mail.author_email.lower() for p in patches}
    every = [*(r for m in series.message_ids() if isinstance(r := series.find_message(m), Reply)), *series.orphans]
    out = []
    for r in series.orphans:
        said, kind = nak_sentence(r.own_text) if "NAK" in r.verdicts else None, ObjectionKind.NAK
        withdrawals = [w for w in every if "NAK-withdrawn" in w.verdicts and no_earlier(w, r) and w is not r]
        note = by_name_only(r, withdrawals) if said is not None else ""
        if said is not None and (retracted_here(r, patches) is not None or any(
                r.mail.own_address and w.mail.own_address == r.mail.own_address for w in withdrawals)):
            said = None
        elif said is None and r.mail.author_email.lower() not in authors:
            # By number or title too ("Please drop patch 3."): which revision's patch it is cannot be told.
            said, kind = drop_sentence(r.own_text) or (drop_by_name(r.own_text, patches) or ((), None))[1], \
                ObjectionKind.DROP
        foreign = _unread_words(r) if said is None and not r.unreadable else None
        if r.unreadable:  # its words, a NAK among them, could not be read
            said, kind = r.unreadable, ObjectionKind.UNREAD
        elif foreign is not None:
            said, kind = foreign.objection.sentence, ObjectionKind.UNREAD
        if said is not None and r.mail.msgid not in cited:
            up = f"<{r.mail.in_reply_to}>, not in the input" if r.mail.in_reply_to else "no message"
            what = f"v{revision} (placed below nothing: it answers {up})"
            where = (foreign.objection.where if foreign is not None else str(r.mail.where)) \
                if kind is ObjectionKind.UNREAD else sentence_where(r, said)
            out.append(Objection(r.mail.msgid, r.mail.author, what, said, where, kind,
                                 note=note if kind is ObjectionKind.NAK else ""))
    return tuple(out)


def _own(r: Reply, head: Patch) -> bool:
    """Whether the reply is by the author of the message it is below: "I'll drop this patch in v5" is the
    author's plan, not a reviewer's request."""
    return bool(r.mail.author_email) and r.mail.author_email.lower() == head.mail.author_email.lower()
