"""thread_replies: each reply attached to the patch (or cover letter) it answers, or kept as an orphan.

A reply hangs below the message its In-Reply-To (else References) names, through the replies between; one the input
places below no patch read is matched by its subject. A reply to a patch mail that is not read (a posting refused or
tied for another of its revision: harness.postings) goes to no patch read of that revision, whatever its subject or
``git patch-id --stable`` (b4 0.16 am of such an mbox credits it to none); to the patch read of another revision that is
the same change, as b4 carries a review by patch-id only from another revision (b4/__init__.py's trailer_map); else it
stays an orphan, its trailers credited to nothing and a NAK among them every variant's (harness.unplaced).
Used by harness.ingest.parse_series.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from harness.model import Patch, ProposalKind, Reply, Revision, Skipped
from harness.patchfilediff import rebuilt_replies
from harness.quotededit import edited_replies
from harness.sentorder import where_key
from harness.subject import addendum
from harness.unreadref import Unread


def thread_replies(
    revisions: tuple[Revision, ...], replies: list[Reply], aliases: dict[str, str] | None = None,
    every: list[Patch] | None = None, tied: frozenset[str] = frozenset(),
) -> tuple[tuple[Revision, ...], tuple[Reply, ...], list[Skipped]]:
    """The revisions with each reply attached to the patch it answers: ancestry first, then subject; a reply to a
    resend's patch mail (``aliases``: its Message-ID -> the one read) to the patch read. ``every``: each patch mail
    parsed, read or not; a reply below one not read goes only to the same change of another revision (_Targets),
    below one of a tie or one refused behind a tie too (``tied``: their Message-IDs; their lines name the replies
    below them as not read with a posting of their revision), never by its diff; b4 0.16 carries a reply by patch-id
    only to another revision's patch, from any patch mail, b4/__init__.py's trailer_map.
    Returns the revisions, the orphans (in FILE:LINE order) and the note naming the replies not credited
    (uncredited_note)."""
    aliases = aliases or {}
    patches: dict[str, Patch] = {}
    by_subject: dict[tuple[int, int, str], str] = {}
    for rev in revisions:
        # Superseded postings first: a reply found by subject alone goes to the update that replaced them.
        older = [q for slot in rev.slots for q in slot.superseded]
        for p in ([rev.cover] if rev.cover else []) + older + list(rev.patches):
            patches[p.mail.msgid] = p
            s = p.mail.subject
            by_subject[(s.version, s.number or 0, s.title)] = p.mail.msgid
    patches.update({alias: patches[read] for alias, read in aliases.items() if read in patches})
    unread = {p.mail.msgid: p for p in every or () if p.mail.msgid not in patches}
    attached: dict[str, list[Reply]] = defaultdict(list)
    orphans: list[Reply] = []
    targets = _Targets(patches, unread, by_subject, {r.mail.msgid: r for r in replies}, revisions)
    targets.tied = tied
    for reply in sorted(replies, key=lambda r: r.mail.where.path + f":{r.mail.where.line:09d}"):
        target = targets.of(reply)
        if target is None:
            orphans.append(reply)
        else:
            placed = targets.answered.get(reply.mail.msgid)
            attached[aliases.get(target, target)].append(replace(reply, answers_unread=placed) if placed else reply)

    def fill(p: Patch | None) -> Patch | None:
        return replace(p, replies=rebuilt_replies(p, edited_replies(p, tuple(attached.get(p.mail.msgid, ()))))) \
            if p else None

    threaded = tuple(
        replace(rev, cover=fill(rev.cover), slots=tuple(
            replace(s, patch=fill(s.patch), superseded=tuple(q for q in map(fill, s.superseded) if q is not None))
            for s in rev.slots))
        for rev in revisions
    )
    return threaded, tuple(orphans), uncredited_note(targets.uncredited)


class _Targets:
    """Where each reply goes (of): ``patches`` read (and aliases to them), ``unread`` the patch mails parsed but not
    read, ``uncredited`` each reply below one of those that its subject alone would have put below another change."""

    def __init__(self, patches: dict[str, Patch], unread: dict[str, Patch], by_subject: dict[tuple[int, int, str], str],
                 replies: dict[str, Reply], revisions: tuple[Revision, ...]) -> None:
        self.patches, self.unread, self.by_subject, self.replies = patches, unread, by_subject, replies
        self.seen = patches | unread  # the walk up stops at a patch mail, read or not
        self.memo: dict[str, str | None] = {}
        self.numbered = {(rev.version, p.number): p.mail.msgid for rev in revisions for p in rev.patches}
        self.revisions = revisions
        self.tied: frozenset[str] = frozenset()  # patch mails of a tie (harness.postingwords.tied): credited to none
        self.uncredited: list[tuple[Reply, Patch, Patch]] = []
        self.answered: dict[str, Unread] = {}  # a reply placed though below a patch mail not read -> that mail

    def of(self, reply: Reply) -> str | None:
        """The Message-ID of the patch read ``reply`` goes below, None: an orphan."""
        target = _ancestor(reply, self.seen, self.replies, self.memo, self.by_subject)
        answered = self.unread.get(target or "")
        if answered is not None:
            target = None
        s = reply.mail.subject
        if s.number and addendum(s):
            # "[PATCH v3 06/26 fixup]" answers 06/26 whatever it was sent in reply to (the cover letter, say); below
            # a posting not read, kept there only where it applies to the one read (harness.unreadfixups).
            numbered = self.numbered.get((s.version, s.number))
            if numbered is not None and answered is not None:
                self.answered[reply.mail.msgid] = Unread(answered.mail.msgid, answered.mail.subject.version, True)
            target = numbered or target
        if target is not None:
            return target
        found = self.by_subject.get((s.version, s.number or 0, s.title))
        if answered is None:
            return found
        same = self.same_change(answered, found, other=True)
        if answered.mail.msgid in self.tied:  # a tie's mail: never of its revision (its lines say so), but b4 -v N
            if same is not None:  # carries a review of it by patch-id to another revision's same change too
                self.answered[reply.mail.msgid] = Unread(answered.mail.msgid, answered.mail.subject.version, False)
            return same
        numbered = self.same_change(answered, None, other=False) or \
            self.numbered.get((answered.mail.subject.version, answered.number))
        if same is None and numbered is not None and any(p.kind is not ProposalKind.SNIPPET for p in reply.proposals):
            # Its diff, written on the patch not read, is tried on the read one that is its change, else of its number,
            # as a fixup's is (git am takes a reply's diff as any mail's); its trailers credit nothing there
            # (harness.followups: b4's rule).
            self.answered[reply.mail.msgid] = Unread(answered.mail.msgid, answered.mail.subject.version, True)
            return numbered
        named = found or self.same_change(answered, found, other=False)
        if same is None and named is not None:
            self.uncredited.append((reply, answered, self.patches[named]))
        if same is not None:
            self.answered[reply.mail.msgid] = Unread(answered.mail.msgid, answered.mail.subject.version, False)
        return same

    def same_change(self, answered: Patch, named: str | None, other: bool) -> str | None:
        """The Message-ID of the patch read that is ``answered``'s change (the same ``git patch-id --stable``), of the
        newest revision other than ``answered``'s (``other``; b4 carries a review by patch-id only from another
        revision's patch, b4/__init__.py's trailer_map: ``if pmsg.revision != revision``), else of its own revision
        (said in the note only: b4 0.16 credits it to none); the one its reply's subject ``named`` first, then the one
        of ``answered``'s number, else the lowest numbered; None: no such (a cover letter has no patch-id)."""
        if answered.patch_id is None:
            return None
        version = answered.mail.subject.version
        revs = [r for r in self.revisions if (r.version != version) == other]
        rev = next((r for r in sorted(revs, key=lambda r: -r.version)
                    if any(p.patch_id == answered.patch_id for p in r.patches)), None)
        if rev is None:
            return None
        ids = [p.mail.msgid for p in rev.patches if p.patch_id == answered.patch_id]
        numbered = self.numbered.get((rev.version, answered.mail.subject.number or 0))
        return named if named in ids else numbered if numbered in ids else ids[0]


def uncredited_note(uncredited: list[tuple[Reply, Patch, Patch]]) -> list[Skipped]:
    """One note naming the replies (reply, the patch mail not read it answers, the patch read its subject names, else
    the one of its revision that is its change) kept as orphans, not credited to the patch read: the first three by
    FILE:LINE, then how many more; [] when none."""
    if not uncredited:
        return []
    ordered = sorted(uncredited, key=lambda u: where_key(u[0].mail.where))
    shown = ", ".join(f"<{r.mail.msgid}> ({r.mail.where}) to <{p.mail.msgid}>, not <{q.mail.msgid}>"
                      for r, p, q in ordered[:3]) + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")
    count = "a reply" if len(ordered) == 1 else f"{len(ordered)} replies"
    return [Skipped(ordered[0][0].mail.where, (
        f"{count} to patch mails not read credited to no patch ({shown}): each answers a posting not read, and b4 "
        "0.16 credits a review of it to no patch of that revision, by its subject or by git patch-id alike (it carries "
        "a review by patch-id only to another revision's patch; a cover letter has none); kept as replies placed "
        "below no patch, a NAK among them every variant's"))]


def _ancestor(reply: Reply, patches: dict[str, Patch], replies: dict[str, Reply],
              memo: dict[str, str | None], by_subject: dict[tuple[int, int, str], str]) -> str | None:
    """The patch (or cover letter) a reply hangs below: up through the replies it answers, to a parent that is a
    patch, or to the nearest patch named in References where the parent is not in the input. What each reply
    on the way hangs below is kept in ``memo``: a chain of 20,000 replies took minutes, walked once per reply."""
    path: dict[str, None] = {}  # ordered, and a loop of In-Reply-To is found in O(1)
    current: Reply | None = reply
    found: str | None = None
    while current is not None and current.mail.msgid not in path:
        if current.mail.msgid in memo:
            found = memo[current.mail.msgid]
            break
        path[current.mail.msgid] = None
        parent = current.parent
        if parent in patches:
            found = parent
            break
        if parent not in replies:
            found = _referenced(current, patches, by_subject)
            break
        current = replies.get(parent) if parent else None
    memo.update(dict.fromkeys(path, found))
    return found


def _referenced(reply: Reply, patches: dict[str, Patch], by_subject: dict[tuple[int, int, str], str]) -> str | None:
    """The nearest patch (or cover letter) ``reply``'s References name, of the revision its subject's patch tags name
    where they name one: a reply to '[PATCH v2 2/3]' whose v2 the input lacks answers no v1 message, though its
    References start at the thread's root, v1's cover letter (which v2's cover letter answered). Where that is a cover
    letter yet the subject names one of its patches read, by number and title, the patch: the mail it answers (the
    patch's own, a resend read in its place) is lost, and what it says is of that patch, not of the series.
    None: no such."""
    s = reply.mail.subject
    ref = next((ref for ref in reversed(reply.mail.references) if ref in patches
                and (not s.is_patch or patches[ref].mail.subject.version == s.version)), None)
    if ref is None or not s.is_patch or not s.number or patches[ref].mail.subject.number:
        return ref
    named = by_subject.get((s.version, s.number, s.title))
    return named if named in patches else ref
