"""Postings: which patch mails were sent together, and which of them answer someone else's series.

A *posting* is what one ``git send-email`` run sends: a cover letter and the patches threaded below it
(``--thread``), or a chain of patches each answering the one before (``--chain-reply-to``), all from one
sender; patches sent ``--no-thread`` share their sender, revision and patch count. A revision is one
posting: when two postings claim the same patch numbers of one revision (two series in one thread or
mbox), the first one read is kept whole and the other is skipped whole, never mixed slot by slot.

A posting whose thread answers a message of another sender's series, with a revision number no higher
than that series' (a reviewer's ``[PATCH]`` or counter-series sent in the thread, a bot's fix), is not a
revision of the series: its mails are replies, and their diffs proposals, as b4 reads follow-ups. A
higher revision sent in the old thread (``git send-email --in-reply-to`` the last cover) stays a
revision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from harness.model import Mail, Patch, Skipped


@dataclass(frozen=True)
class Sent:
    """A message as the thread sees it: its Mail, who sent it (the header From address, not an in-body
    author) and whether it reads as a patch mail (a patch or cover letter)."""

    mail: Mail
    sender: str
    patch: bool


class Postings:
    """Posting keys of the patch mails among ``sent`` (every message read, replies too, in input order)."""

    def __init__(self, sent: list[Sent]) -> None:
        self.sent = {s.mail.msgid: s for s in sent}
        self.key = {s.mail.msgid: self._key(s) for s in sent if s.patch}

    def _parent(self, mail: Mail) -> str | None:
        """The nearest message of the input this one answers: In-Reply-To, else the last known References."""
        if mail.in_reply_to in self.sent:
            return mail.in_reply_to
        return next((r for r in reversed(mail.references) if r in self.sent and r != mail.msgid), None)

    def _root(self, sent: Sent) -> Sent:
        """Up from a patch mail through the patch mails of its posting it answers, to the top: the cover letter,
        or the first patch of a chain. A parent of the same revision is of the posting when its sender is this
        one's, or when it is an earlier number of the same count (``git format-patch --thread`` output: each
        file's From is its patch's author, the cover letter's the user's, and nothing was sent yet)."""
        seen = {sent.mail.msgid}
        while sent.mail.subject.number != 0:
            parent = self.sent.get(self._parent(sent.mail) or "")
            if (parent is None or not parent.patch or parent.mail.msgid in seen
                    or parent.mail.subject.version != sent.mail.subject.version or not _same_posting(parent, sent)):
                break
            seen.add(parent.mail.msgid)
            sent = parent
        return sent

    def _key(self, sent: Sent) -> str:
        root = self._root(sent)
        if root.mail.subject.number == 0 or self._parent(root.mail) is not None:
            return root.mail.msgid
        s = root.mail.subject  # sent --no-thread: what the patches share
        return f"{root.sender} v{s.version} of {s.total}"

    def answered(self, msgid: str) -> Sent | None:
        """The nearest patch mail of another posting above this patch mail's posting, if any."""
        key = self.key[msgid]
        current = self.sent[msgid]
        seen: set[str] = set()
        while (parent := self._parent(current.mail)) is not None and parent not in seen:
            seen.add(parent)
            current = self.sent[parent]
            if current.patch and self.key[parent] != key:
                return current
        return None

    def is_proposal(self, msgid: str) -> bool:
        """A patch mail of a posting that answers another sender's series of the same or a later revision."""
        other = self.answered(msgid)
        mine = self.sent[msgid]
        return (other is not None and other.sender != mine.sender
                and mine.mail.subject.version <= other.mail.subject.version)


def _same_posting(parent: Sent, child: Sent) -> bool:
    """Whether a patch mail answering another of its revision was sent with it: the same sender, or the same
    patch count with a lower number above it (a series carries patches of several authors; a reviewer's
    patch in the thread has its own count or numbers)."""
    up, down = parent.mail.subject, child.mail.subject
    if parent.sender == child.sender:
        return True
    return up.total == down.total and up.number is not None and down.number is not None and up.number < down.number


def one_posting_per_revision(patches: list[Patch], postings: Postings) -> tuple[list[Patch], list[Skipped]]:
    """Per revision, the postings in input order whose patch numbers no posting before them holds; every
    patch mail of another is skipped with a note. A point update (``v2.1``) claims no number: it updates
    the slot it names (ingest._group)."""
    by_version: dict[int, dict[str, list[Patch]]] = defaultdict(dict)
    for p in patches:
        by_version[p.mail.subject.version].setdefault(postings.key[p.mail.msgid], []).append(p)
    kept: list[Patch] = []
    skipped: list[Skipped] = []
    for version, groups in by_version.items():
        held: dict[int, Patch] = {}
        for group in groups.values():
            numbers = {p.number: p for p in group if not p.mail.subject.point}
            clash = sorted(set(numbers) & set(held))
            if not clash:
                held.update(numbers)
                kept.extend(group)
                continue
            first = held[clash[0]]
            for p in group:
                skipped.append(Skipped(p.mail.where, (
                    f"v{version} patch {p.label} <{p.mail.msgid}> was sent apart from <{first.mail.msgid}>, "
                    f"another posting of v{version} with a patch {first.number} too: refusing to mix two series")))
    return kept, skipped
