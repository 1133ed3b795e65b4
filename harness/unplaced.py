"""unplaced: the objections of replies placed below nothing, or below a read patch for their diff alone.

A reply the input places below no message it reads (a subject changed, a thread cut, a posting refused or tied), or that
only its diff put below a read patch (harness.replyobjections.diff_placed): which patch its NAK, request to drop, words
not read or Reviewed-by taken back are of cannot be told, so they block every variant of every revision.
"""

from __future__ import annotations

from harness.heldback import fine_besides, held_note
from harness.model import Patch, Reply, Series
from harness.nakwords import nak_sentence
from harness.namedpatches import unplaced_drop
from harness.quotednak import Origins, input_senders, names, quoted_nak, withdrawer, written_senders
from harness.replyobjections import Objection, ObjectionKind, diff_placed, unread_words
from harness.reportednak import ambiguity, gave, relayed_nak, reported_nak
from harness.sentenceline import sentence_where
from harness.tagwithdrawal import tag_withdrawn
from harness.takenback import by_name_only, no_earlier, retracted_here
from harness.titlenames import patch_total, revision_of, series_titles


def unplaced(series: Series, revision: int, cited: frozenset[str]) -> tuple[Objection, ...]:
    """The NAKs, requests to drop and unreadable replies the input places below no message (their parent, References and
    subject name none it has: a subject changed, a thread cut), or below a read patch for their diff alone
    (diff_placed): which patch they are of cannot be told, so they are every variant's. A request to drop by an
    author of the revision's patches is their plan; a NAK its sender took back anywhere in the input, in a reply
    dated no earlier (in its own, after it: retracted_here), is none."""
    rev = series.revision(revision)
    patches = rev.patches if rev is not None else ()
    authors = {p.mail.author_email.lower() for p in patches}
    every = [*(r for m in series.message_ids() if isinstance(r := series.find_message(m), Reply)), *series.orphans]
    withdrawn = [w for w in every if "NAK-withdrawn" in w.verdicts]  # once: per orphan it was quadratic
    orphans = {r.mail.msgid for r in series.orphans}
    out: list[Objection] = []
    for r in [*series.orphans, *(r for r in every if diff_placed(r))]:
        said, kind = nak_sentence(r.own_text) if "NAK" in r.verdicts else None, ObjectionKind.NAK
        withdrawals = [w for w in withdrawn if no_earlier(w, r) and w is not r]
        note = by_name_only(r, withdrawals) if said is not None else ""
        rep = (reported_nak(r.own_text) or relayed_nak(r)) if said is not None else None
        if rep is not None:  # another's NAK reported (_report_lifted): their withdrawal lifts it, the sender's not
            note, by = ambiguity(rep.who, written_senders(series)), \
                f"{rep.who or 'someone the reply does not name'} (reported by {r.mail.author})"
            said = None if rep.who and any(gave(rep.who, w, input_senders(series)) for w in withdrawals) else said
        elif said is not None and (retracted_here(r, patches) is not None or any(
                r.mail.own_address and w.mail.own_address == r.mail.own_address for w in withdrawals)):
            said = None
        elif said is None and r.mail.author_email.lower() not in authors:
            said, kind = _unplaced_request(r, patches)
        foreign = unread_words(r) if said is None and not r.unreadable else None
        if r.unreadable:  # its words, a NAK among them, could not be read
            said, kind = r.unreadable, ObjectionKind.UNREAD
        elif foreign is not None:
            said, kind = foreign.objection.sentence, ObjectionKind.UNREAD
        what = f"v{revision} (placed below nothing: it answers {_answered(series, r)})"
        if said is None and r.mail.msgid not in cited and r.mail.msgid in orphans:
            out.extend(filter(None, [_quoted(series, r, patches, withdrawals, what)]))
        elif said is not None and r.mail.msgid not in cited:
            where = (foreign.objection.where if foreign is not None else str(r.mail.where)) \
                if kind is ObjectionKind.UNREAD else sentence_where(r, said)
            who = by if rep is not None and kind is ObjectionKind.NAK else r.mail.author
            out.append(Objection(r.mail.msgid, who, what, said, where, kind, note=_note(r, kind, said, note, patches),
                                 trailers=foreign.objection.trailers if foreign and not r.unreadable else "",
                                 tag_withdrawn=(tag_withdrawn(said) or ("", ""))[1] or "tag" if kind is
                                 ObjectionKind.TAG else ""))
    return tuple(out)


def _quoted(series: Series, r: Reply, patches: tuple[Patch, ...], withdrawals: list[Reply],
            what: str) -> Objection | None:
    """A NAK, request to drop or report that the patch breaks something that ``r``, a reply placed below nothing (an
    orphan), quotes from a message the input lacks (quotednak.quoted_nak, as below a patch): the quoted sender's, not
    ``r``'s, and blocking every variant as ``r``'s own would. Lifted by its sender's withdrawal anywhere in the input
    dated no earlier than ``r`` (``withdrawals``, as unplaced lifts an own NAK); a quoted "drop" of an author of the
    revision's patches is their plan. None when it quotes none (it was read as nothing: the gate passed)."""
    if not r.quotes or not patches:
        return None
    replies = {o.mail.msgid: o for o in series.orphans}
    q = quoted_nak(r, dict.fromkeys(replies, ""), replies, Origins(series, replies), patches[0])
    if q is None or (q.who and any(withdrawer(q.who.lower(), w, input_senders(series)) for w in withdrawals)):
        return None
    if q.drop and not q.report and any(names(q.who.lower(), p) for p in patches):
        return None
    kind = ObjectionKind.REGRESSION if q.report else ObjectionKind.DROP if q.drop else ObjectionKind.NAK
    by = f"{q.who} (in {q.within}'s message, quoted by {r.mail.author})" if q.who and q.within else \
        f"{q.who or 'an unnamed sender'} (quoted by {r.mail.author})"
    note = q.note if q.who else ("no attribution line names whose words these are and no message of the input holds "
                                 "them: who said them, and whether they took them back, cannot be told")
    return Objection(r.mail.msgid, by, what, q.sentence, q.where, kind, note=note)


def _note(r: Reply, kind: ObjectionKind, said: str, nak_note: str, patches: tuple[Patch, ...]) -> str:
    """The note of an objection of ``r`` placed below nothing: a NAK's ``nak_note``, why a tag taken back blocks, and
    what a request to drop or hold means as below a patch (heldback.held_note: "said to need more work or another
    revision: not to be applied as it is")."""
    if kind is ObjectionKind.NAK:
        return nak_note
    if kind is ObjectionKind.TAG:
        return _TAG_NOTE
    if kind is ObjectionKind.DROP:
        return held_note(r.own_text, said, patch_total(patches), revision_of(patches), series_titles(patches))
    return ""


_TAG_NOTE = ("its sender takes back their Reviewed-by or Acked-by, of a patch that cannot be told: whether they found "
             "a fault cannot be told either, so it blocks every variant until a rule citing the message judges it")


def _unplaced_request(r: Reply, patches: tuple[Patch, ...]) -> tuple[str | None, ObjectionKind]:
    """A request to drop in a reply placed below nothing, by number or title too ("Please drop patch 3."), a patch or
    the series said to need more work ("This needs more work.": namedpatches.unplaced_drop), or its
    sender's Reviewed-by or Acked-by taken back (harness.tagwithdrawal: "I retract my Reviewed-by."): which revision's
    patch either is of cannot be told. (None, DROP) when it holds neither."""
    said = unplaced_drop(r, patches)
    if said is not None and (why := fine_besides(r.own_text, said)) is not None:  # "..., but the patch is fine."
        return f"its words were not understood: {why}", ObjectionKind.UNREAD
    if said is None and any(v.endswith("-withdrawn") and v != "NAK-withdrawn" for v in r.verdicts) \
            and (back := tag_withdrawn(r.own_text)) is not None:
        return back[0], ObjectionKind.TAG
    return said, ObjectionKind.DROP


def _answered(series: Series, r: Reply) -> str:
    """What the reply placed below nothing answers, as unplaced says it: ``<x@y>, of a posting not read`` (diff_placed),
    ``<x@y>, a message not read`` (one the input holds and a note says is skipped: a posting refused or tied),
    ``<x@y>, not in the input``, or ``no message``."""
    x = r.mail.in_reply_to
    return f"<{r.answers_unread.msgid}>, of a posting not read" if r.answers_unread else \
        f"<{x}>, a message not read" if x and any(k.where.msgid == x for k in series.skipped) else \
        f"<{x}>, not in the input" if x else "no message"
