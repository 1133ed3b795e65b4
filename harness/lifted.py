"""NAKs, drop requests and review points of a judged state that their own sender lifted since, said beside it.

A withdrawal, a later Reviewed-by, "Never mind, keep it", an earlier revision's NAK below the later patch making its
change: said beside the gate's verdict with what lifted them, never passed unsaid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.coverpoints import cover_point_of
from harness.dropstands import drop_kept
from harness.language import unread_language
from harness.model import Patch, Reply, Revision, Series
from harness.nakwords import nak_sentence
from harness.namedpatches import drop_request, naked_patches
from harness.pointwords import point_lifted, reply_point
from harness.quotednak import Origins
from harness.replyheads import revision_thread
from harness.sentenceline import sentence_where
from harness.takenback import lifted_by
from harness.titlenames import patch_total
from harness.variants import Variant

if TYPE_CHECKING:
    from harness.objections import LiftedEarlier


def lifted_objections(series: Series, target: Variant, cited: frozenset[str], earlier: tuple[LiftedEarlier, ...] = ()
                      ) -> tuple[str, ...]:
    """One line for each NAK, request to drop or review point (harness.pointwords) below the cover letter or a patch
    ``target`` applies that its sender took back (harness.takenback): the objection, where it is, and the message and
    words that lifted it. A message a rule cites (``cited``) is the rule's to judge. ``earlier``: the earlier
    revisions' NAKs taken back below its revision (objections.earlier_lifted)."""
    if target.revision is None:
        return ()
    rev = series.revision(target.revision)
    applied = [p for p in (series.find_message(m) for m, _ in target.sources) if isinstance(p, Patch)]
    ids = {p.mail.msgid for p in applied}
    heads, thread = revision_thread(series, rev, applied)
    below, replies, origins, numbers, patches, _ = thread
    out = []
    for m, r in replies.items():
        head = heads.get(below[m])
        if head is None or m in cited:
            continue
        # Below a patch the state does not apply, only what names applied patches by number or title stood.
        label = f"v{target.revision} " + ("cover letter" if head.number == 0 else head.label)
        line = _lifted(r, head, label, (below, replies, numbers, patches, applied), head.mail.msgid in ids, origins)
        out.extend([line] if line else [])
    return (*out, *_replaced(series, rev, applied, cited), *_earlier(target, ids, cited, earlier))


def _replaced(series: Series, rev: Revision | None, applied: list[Patch], cited: frozenset[str]) -> list[str]:
    """The same for the postings a point update replaced in the slots the state applies (v4 2/3, once v4.1 2/3 came):
    a NAK of one taken back below it passed the gate unsaid (harness.objections carries those that stand)."""
    ids = {p.mail.msgid for p in applied}
    slots = [s for s in (rev.slots if rev is not None else ()) if s.patch is not None and s.patch.mail.msgid in ids]
    out: list[str] = []
    for k in range(max((len(s.superseded) for s in slots), default=0)):
        swap = {s.patch.mail.msgid: s.superseded[k] for s in slots if s.patch is not None and k < len(s.superseded)}
        olds = {p.mail.msgid for p in swap.values()}
        posted = [swap.get(p.mail.msgid, p) for p in applied]
        heads, thread = revision_thread(series, rev, posted)
        below, replies, origins, numbers, patches, _ = thread
        for m, r in replies.items():
            head = heads.get(below[m])
            if head is None or head.mail.msgid not in olds or m in cited:
                continue
            label = f"v{head.mail.subject.version} {head.label} <{head.mail.msgid}> (replaced by a point update)"
            line = _lifted(r, head, label, (below, replies, numbers, patches, posted), origins=origins)
            out.extend([line] if line and line not in out else [])
    return out


def _earlier(target: Variant, ids: set[str], cited: frozenset[str], earlier: tuple[LiftedEarlier, ...]) -> list[str]:
    """One line for each NAK of an earlier revision's patch its sender took back below a patch ``target`` applies
    making the same change (a withdrawal, their Reviewed-by or Acked-by), or below its revision's cover letter."""
    out: list[str] = []
    for o, head, w, said in earlier:
        words = " ".join(said.split())
        if o.msgid in cited or (head.number and head.mail.msgid not in ids):
            continue  # a rule's to judge; or below a patch this state does not apply, where it would not stand either
        below = f"v{target.revision} " + ("cover letter" if head.number == 0 else head.label)
        line = (f"{o.title} <{o.msgid}> ({o.where}): \"{o.sentence}\": lifted below {below} by its sender "
                f"<{w.mail.msgid}> ({sentence_where(w, words)}): \"{words}\"")
        out.extend([line] if line not in out else [])
    return out


def _lifted(r: Reply, head: Patch, label: str,
            thread: tuple[dict[str, str], dict[str, Reply], dict[str, int], tuple[Patch, ...], list[Patch]],
            applied_head: bool = True, origins: Origins | None = None) -> str:
    """What lifted the reply's NAK or request to drop ("" when it gave none, or it stands); below a patch the state
    does not apply (not ``applied_head``), one naming applied patches alone."""
    below, replies, numbers, patches, applied = thread
    own = bool(r.mail.author_email) and r.mail.author_email.lower() == head.mail.author_email.lower()
    if "NAK" in r.verdicts:
        named = naked_patches(r, applied, patches, True) if not applied_head and head.number else None
        if not applied_head and head.number and not named:
            return ""
        by, said, what = lifted_by(r, below, replies, numbers, patches, origins), nak_sentence(r.own_text) or "NAK", \
            "NAK of"
    elif not own and (asked := drop_request(r, head, applied, patches)) is not None \
            and (applied_head or not head.number or asked[0]):
        # Of the patches it names ("Please drop 1/3 and 2/3."), not of the one it is below.
        named, said, what = asked[0], asked[1], "request to drop"
        by = drop_kept(r, below, replies, {p.number for p in named}, numbers, patch_total(patches))
    elif not own and (applied_head or not head.number) and (point := reply_point(r, head, replies)) is not None \
            and not r.unreadable and unread_language(r.own_text) is None and "drop-patch" not in r.verdicts \
            and (head.number or cover_point_of(point[0], r.own_text, applied, patches) is not None):
        # A change asked of the patch that its sender approved as is or gave up on since, or a question its author
        # answered (harness.pointwords).
        named, said, what, by = (), point[0], "review point on", point_lifted(r, below, replies, head)
    else:
        return ""
    if named:
        label = f"{label.split(' ')[0]} {', '.join(p.label for p in named)}"
    if by is None:
        return ""
    w, words = by
    # Cited as the objection is, whitespace joined: the mail's line break inside a quote ("I take\nback my NAK") broke
    # the terminal's wrapping and put a newline into the JSON's string.
    said, words = " ".join(said.split()), " ".join(words.split())
    where = "in the same message" if w is r else f"<{w.mail.msgid}>"
    who = "its sender" if w.mail.own_address == r.mail.own_address else "the answer of the patch's author"
    return (f"{what} {label} by {r.mail.author} <{r.mail.msgid}> ({sentence_where(r, said)}): \"{said}\": lifted by "
            f"{who} {where} ({sentence_where(w, words)}): \"{words}\"")
