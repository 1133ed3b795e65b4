"""Partial rerolls: a revision resending some patches is that revision with the others carried over.

A revision that resends some patches of the one before, each In-Reply-To its old self, is read as ``b4 am``
reconstitutes it (b4 0.16, LoreMailbox.partial_reroll).
"""

from __future__ import annotations

from dataclasses import replace

from harness.errors import Where
from harness.model import Revision, Skipped, number_ranges
from models.record import record


@record
class Link:
    """What b4 reads of a message to walk up a thread: its In-Reply-To and the N/M its subject says (1/1 without)."""

    in_reply_to: str | None
    number: int
    total: int


def _answers_its_old_self(msgid: str, links: dict[str, Link]) -> bool:
    """Whether a patch mail's In-Reply-To chain (through any messages, replies too) reaches a message of its own
    N/M, as b4 checks each patch of a partial reroll."""
    own = links[msgid]
    seen = {msgid}
    at = own.in_reply_to
    while at is not None and at in links and at not in seen:
        seen.add(at)
        up = links[at]
        if (up.number, up.total) == (own.number, own.total):
            return True
        at = up.in_reply_to
    return False


def partial_rerolls(revisions: tuple[Revision, ...], links: dict[str, Link],
                    notes: list[Skipped]) -> tuple[Revision, ...]:
    """Each revision vN (N > 1) that lacks patches and whose every patch answers (In-Reply-To, up the thread) a
    message of its own N/M takes the missing ones from v(N-1) as read here (itself perhaps carried): its
    ``[PATCH v5 3/5]`` sent In-Reply-To v4's 3/5 is v4's series with that patch replaced. b4 am applies that;
    the revision was built without them. The carried patches are v(N-1)'s own (their subjects say so); v(N-1)'s
    cover letter stays its own, where b4 lends it too. A note says what was carried."""
    by_version = {r.version: r for r in revisions}
    out: dict[int, Revision] = {}
    for rev in sorted(revisions, key=lambda r: r.version):
        before = out.get(rev.version - 1, by_version.get(rev.version - 1))
        if (before is None or not rev.missing or not before.patches or not rev.patches
                or not all(p.mail.msgid in links and _answers_its_old_self(p.mail.msgid, links)
                           for p in rev.patches)):
            out[rev.version] = rev
            continue
        slots = tuple(replace(s, patch=before.patch(s.number)) if s.patch is None and before.patch(s.number)
                      else s for s in rev.slots)
        carried = [s.number for s in slots if s.patch is not None and rev.patch(s.number) is None]
        out[rev.version] = replace(rev, slots=slots) if carried else rev
        if carried:
            first = rev.patches[0].mail
            notes.append(Skipped(Where(first.where.path, first.where.line, first.msgid), (
                f"v{rev.version} is a partial reroll of v{before.version}: its patches answer their v{before.version} "
                f"selves, so patch{'es' if len(carried) > 1 else ''} {number_ranges(carried)} of {rev.total} "
                f"{'are' if len(carried) > 1 else 'is'} v{before.version}'s, as b4 am reconstitutes it")))
    return tuple(out[r.version] for r in revisions)
