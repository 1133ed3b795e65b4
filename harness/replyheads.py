"""Where a reply sits in its thread: the message it answers and the patch it is below.

Up its chain of replies; and the thread of a revision as its objections read it (harness.objections).
"""

from __future__ import annotations

from functools import partial

from harness.copyanswers import with_copy_answers
from harness.memo import by_identity
from harness.model import Patch, Reply, Revision, Series
from harness.quotednak import Origins, QuotedNak, quoted_nak, with_own_tail, without_copy
from harness.restated import without_restated
from harness.takenback import subject_nak


def reply_heads(replies: dict[str, Reply]) -> dict[str, str]:
    """The message each reply is below: up its In-Reply-To chain through replies (without one, its References'
    last), to the first message that is no reply (a patch, the cover letter, or one the input lacks); in a loop of
    replies, the first one met again. Each reply's chain is walked once, what it ends at kept for every reply on it:
    walked from every reply anew, a chain of 10,000 replies each answering the last took 80 s."""
    tops: dict[str, str] = {}
    for start in replies:
        path: dict[str, None] = {}
        msgid = start
        while msgid in replies and msgid not in tops and msgid not in path:
            path[msgid] = None
            mail = replies[msgid].mail
            msgid = mail.in_reply_to or (mail.references[-1] if mail.references else "")
        if msgid in path:  # a loop: each of its replies is the first one met again from itself
            loop = list(path)[list(path).index(msgid):]
            tops.update((m, m) for m in loop)
        top = tops.get(msgid, msgid)
        tops.update((m, top) for m in path if m not in tops)
    return tops


def placed_below(r: Reply, up: str, heads: dict[str, Patch], patches: set[str], listed: dict[str, str]) -> str:
    """The message ``r`` is below. A parent the input lacks (a reply to a reply not given), or none named (a
    mailer that drops threading): the patch its References name, else the one its subject names, as the series
    view lists it; never dropped unsaid, never put on a patch the variant does not apply. ``up``: its head
    (reply_heads). Where its References name the cover letter alone and the series view lists it below a patch (its
    subject names that patch, whose own mail the input lacks: harness.replythread), it is of that patch."""
    if up in heads or up in patches:
        return up
    named = [m for m in reversed(r.mail.references) if m in heads or m in patches]
    shown = listed[r.mail.msgid]
    if named and named[0] in heads and heads[named[0]].number == 0 and shown in heads and heads[shown].number:
        return shown
    return named[0] if named else shown


# Where each reply is, the replies, the input's messages, each message's patch number, the revision's patches, and
# what each reply quotes of a NAK (quoted_nak, by reply and head): none of it depends on which patches are applied.
Thread = tuple[dict[str, str], dict[str, Reply], Origins, dict[str, int], tuple[Patch, ...],
                dict[tuple[str, str], QuotedNak | None]]


def objection_thread(series: Series, rev: Revision | None, heads: dict[str, Patch]) -> Thread:
    """The replies below ``heads`` as read (a copy's own tail, a NAK in the subject), each placed below its head."""
    replies = {r.mail.msgid: r for h in heads.values() for r in h.replies}
    copies = _copies_read(heads, replies)
    replies = {m: subject_nak(copies[m], replies, heads) for m, r in replies.items()}
    listed = {r.mail.msgid: h.mail.msgid for h in heads.values() for r in h.replies}  # where the series lists it
    patches = {p.mail.msgid for p in rev.patches} if rev is not None else set()
    tops = reply_heads(replies)
    below = {m: placed_below(r, tops[m], heads, patches, listed) for m, r in replies.items()}
    numbers = {m: h.number for m, h in heads.items()}
    return below, replies, Origins(series, replies), numbers, rev.patches if rev else (), {}


def _copies_read(heads: dict[str, Patch], replies: dict[str, Reply]) -> dict[str, Reply]:
    """Each of ``replies`` (those below ``heads``) with a copy's lines, own tail and answers inside a copy read
    (without_copy, with_own_tail, with_copy_answers) and its restatement of the commit it answers taken out
    (without_restated): once per set of heads, whatever their order (a reviewer variant applying a revision's patches
    in another order lists its heads so), as what they read is which messages there are, never in which order. Not
    kept where two heads list a reply of one Message-ID: which of them ``replies`` holds is then the order's."""
    def read() -> dict[str, Reply]:
        return {m: without_restated(with_copy_answers(with_own_tail(without_copy(r, replies, heads), replies, heads),
                                                      heads), heads)
                for m, r in replies.items()}
    if len(replies) != sum(len(h.replies) for h in heads.values()):
        return read()
    ordered = tuple(heads[m] for m in sorted(heads))
    return by_identity("replies' copies read", ordered, (), read)


def revision_thread(series: Series, rev: Revision | None, applied: list[Patch]) -> tuple[dict[str, Patch], Thread]:
    """The messages replies to ``rev`` are placed below (its cover letter, the ``applied`` patches, then its other
    patches: below one not applied, a NAK naming applied ones by number, "NAK for patch 2" below 3/3, is theirs), and
    its thread as objections read it (objection_thread), read once for the same heads in the same order (a revision
    and every state of it, its prefixes and reviewer variants, whose proposals are replies)."""
    heads = {h.mail.msgid: h for h in ([rev.cover] if rev is not None and rev.cover is not None else []) + applied}
    heads.update({p.mail.msgid: p for p in (rev.patches if rev is not None else ()) if p.mail.msgid not in heads})
    revision = rev.version if rev is not None else None
    return heads, by_identity("objections' thread", (series,), (revision, tuple(heads)),
                              partial(objection_thread, series, rev, heads))


def quoted_once(r: Reply, head: Patch, thread: Thread) -> QuotedNak | None:
    """quoted_nak of ``r`` below ``head``, once per thread."""
    below, replies, origins, _, _, seen = thread
    key = (r.mail.msgid, head.mail.msgid)
    if key not in seen:
        seen[key] = quoted_nak(r, below, replies, origins, head)
    return seen[key]
