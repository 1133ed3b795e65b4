"""Postings: which patch mails were sent together, and which of them answer someone else's series.

A *posting* is what one ``git send-email`` run sends: a cover letter and the patches threaded below it
(``--thread``), or a chain of patches each answering the one before (``--chain-reply-to``), all from one
sender; patches sent ``--no-thread`` share their sender, revision and patch count. A revision is one
posting: when two postings claim the same patch numbers of one revision (two series in one thread or
mbox), the one sent later (Date:, else the RESEND; neither: none) is kept whole and the other is skipped
whole, never mixed slot by slot; a resend of
the same commits (``[PATCH RESEND v4 n/5]``, what git am commits of each patch the same) is read once, and of two
postings of the same diffs (git patch-id: an RFC posting and the later one, a resend with trailers collected) the
later is read, the other's patch mails read as its patches. Of two postings sent by other people, one holding every
number of the other and more is the revision, the other set aside (a third party's lone mail under its numbers).

A posting whose thread answers a message of another sender's series, with a revision number no higher
than that series' (a reviewer's ``[PATCH]`` or counter-series sent in the thread, a bot's fix), is not a
revision of the series: its mails are replies, and their diffs proposals, as b4 reads follow-ups. A
higher revision sent in the old thread (``git send-email --in-reply-to`` the last cover) stays a
revision; so do patches of the same revision past the posting's numbers (Postings.joined), as b4 am takes them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from harness.model import Mail, Patch, Skipped
from harness.postingwords import join_tie, refused, tied, unsay, what_differs
from harness.resent import Kept, read_once, repost, resent, same_changes, with_reposts
from harness.sentorder import BACKDATED, SAME_DATE, resent_later, sent_after, sent_at, sent_order, where_key
from models.record import record


@record
class Sent:
    """A message as the thread sees it: its Mail, who sent it (the header From address, not an in-body
    author) and whether it reads as a patch mail (a patch or cover letter)."""

    mail: Mail
    sender: str
    patch: bool


class Postings:
    """Posting keys of the patch mails among ``sent`` (every message read, replies too, in input order).

    Every walk up the thread is memoized, so a chain of thousands (``--chain-reply-to``, a long discussion
    above patches) is read in linear time.
    """

    def __init__(self, sent: list[Sent]) -> None:
        self.sent = {s.mail.msgid: s for s in sent}
        self._parents = {msgid: self._parent(s.mail) for msgid, s in self.sent.items()}
        self._roots: dict[str, str] = {}
        self._above: dict[str, str | None] = {}
        self._answered: dict[str, Sent | None] = {}
        self.key = {s.mail.msgid: self._key(s) for s in sent if s.patch}
        self._numbers: defaultdict[str, set[int | None]] | None = None  # posting key -> its patch numbers (_adds_to)

    def _parent(self, mail: Mail) -> str | None:
        """The nearest message of the input this one answers: In-Reply-To, else the last known References."""
        if mail.in_reply_to in self.sent and mail.in_reply_to != mail.msgid:
            return mail.in_reply_to
        return next((r for r in reversed(mail.references) if r in self.sent and r != mail.msgid), None)

    def _linked(self, sent: Sent) -> Sent | None:
        """The patch mail above this one when both are of one posting: the same revision, and the same sender
        or an earlier number of the same count (``_same_posting``); a cover letter starts its posting."""
        parent = self.sent.get(self._parents[sent.mail.msgid] or "")
        if (sent.mail.subject.number == 0 or parent is None or not parent.patch
                or parent.mail.subject.version != sent.mail.subject.version or not _same_posting(parent, sent)):
            return None
        return parent

    def _root(self, sent: Sent) -> Sent:
        """Up from a patch mail through the patch mails of its posting it answers, to the top: the cover letter,
        or the first patch of a chain (``git format-patch --thread`` output: each file's From is its patch's
        author, the cover letter's the user's, and nothing was sent yet)."""
        path: dict[str, None] = {}  # ordered, and a cycle is found in O(1)
        current = sent
        while current.mail.msgid not in self._roots:
            path[current.mail.msgid] = None
            parent = self._linked(current)
            if parent is None or parent.mail.msgid in path:
                root = current.mail.msgid
                break
            current = parent
        else:
            root = self._roots[current.mail.msgid]
        self._roots.update(dict.fromkeys(path, root))
        return self.sent[root]

    def _key(self, sent: Sent) -> str:
        root = self._root(sent)
        if root.mail.subject.number == 0 or self._parents[root.mail.msgid] is not None:
            return root.mail.msgid
        s = root.mail.subject  # sent --no-thread: what the patches share
        return f"{root.sender} v{s.version} of {s.total}"

    def _patch_above(self, msgid: str) -> str | None:
        """The nearest patch mail above a message, through the replies between."""
        path: dict[str, None] = {}
        current: str | None = msgid
        found: str | None = None
        while current is not None and current not in self._above and current not in path:
            path[current] = None
            parent = self._parents[current]
            if parent is not None and self.sent[parent].patch:
                found = parent
                break
            current = parent
        else:
            found = self._above.get(current) if current is not None else None
        self._above.update(dict.fromkeys(path, found))
        return found

    def answered(self, msgid: str) -> Sent | None:
        """The nearest patch mail of another posting above this patch mail's posting, if any."""
        key, path = self.key[msgid], {msgid: None}
        above = self._patch_above(msgid)
        found: Sent | None = None
        while above is not None and self.key[above] == key and above not in path:
            if above in self._answered:  # of this posting: what it answers, this mail answers
                found = self._answered[above]
                break
            path[above] = None
            above = self._patch_above(above)
        else:
            found = self.sent[above] if above is not None and self.key[above] != key else None
        self._answered.update(dict.fromkeys(path, found))
        return found

    def replies_below(self, postings: list[list[Patch]]) -> list[Mail]:
        """The replies (messages not patch mails, and reviewers' patches in the thread: is_proposal) below the patch
        mails of ``postings``, through the replies between, as their In-Reply-To (else the last References known)
        names them, in FILE:LINE order."""
        mine = {p.mail.msgid for ps in postings for p in ps}
        return sorted((s.mail for msgid, s in self.sent.items() if msgid not in mine
                       and (not s.patch or self.is_proposal(msgid)) and self._patch_above(msgid) in mine),
                      key=lambda m: where_key(m.where))

    def is_proposal(self, msgid: str) -> bool:
        """A patch mail of a posting that answers another sender's series of the same or a later revision."""
        other = self.answered(msgid)
        mine = self.sent[msgid]
        return (other is not None and other.sender != mine.sender
                and mine.mail.subject.version <= other.mail.subject.version and not self._adds_to(msgid, other))

    def joined(self, msgid: str) -> Sent | None:
        """The patch mail of another sender's posting that this patch mail adds patches to (_adds_to), if any."""
        other = self.answered(msgid)
        return other if other is not None and other.sender != self.sent[msgid].sender and \
            self._adds_to(msgid, other) else None

    def _adds_to(self, msgid: str, other: Sent) -> bool:
        """Whether this patch mail's posting adds patches to the posting it answers, ``other``'s, as b4 am takes
        them whoever sent them (LoreSeries.add_patch: a patch of the revision in a slot no mail holds): the same
        revision, every mail of it numbered (``[PATCH v4 5/5]`` under a ``0/4`` cover), no cover letter of its own,
        and none under a number the answered posting holds (a counter-series, or another version of a patch,
        stays a proposal)."""
        if self.sent[msgid].mail.subject.version != other.mail.subject.version:
            return False
        if self._numbers is None:
            self._numbers = defaultdict(set)
            for m, key in self.key.items():
                self._numbers[key].add(self.sent[m].mail.subject.number)
        own, theirs = self._numbers[self.key[msgid]], self._numbers[self.key[other.mail.msgid]]
        return None not in own and 0 not in own and not own & theirs


def _same_posting(parent: Sent, child: Sent) -> bool:
    """Whether a patch mail answering another of its revision was sent with it: the same sender, or the same
    patch count with a lower number above it (a series carries patches of several authors; a reviewer's
    patch in the thread has its own count or numbers)."""
    up, down = parent.mail.subject, child.mail.subject
    if parent.sender == child.sender:
        return True
    return up.total == down.total and up.number is not None and down.number is not None and up.number < down.number


def _set_aside(stray: list[Patch], whole: list[Patch], version: int, postings: Postings, out: Kept) -> None:
    """Each patch mail of ``stray`` skipped: another sender's, under patch numbers that ``whole``, the revision's
    posting (_Slots._whole_of_two_senders), holds with more of the revision. Named with who sent each and where the
    revision's posting is, so the line the gate stops on says both."""
    first = min(whole, key=lambda p: p.number)
    who = sorted({postings.sent[p.mail.msgid].sender for p in whole})
    more = sorted({p.number for p in whole} - {p.number for p in stray})
    for p in stray:
        out.skipped.append(Skipped(p.mail.where, (
            f"v{version} patch {p.label} <{p.mail.msgid}> sent by {postings.sent[p.mail.msgid].sender} is set aside: "
            f"the posting of <{first.mail.msgid}> ({first.mail.where}) sent by {', '.join(who)} holds its patch "
            f"numbers and more of v{version} ({', '.join(f'{n:02d}' for n in more)}), so it is the revision and this "
            f"mail another's under its numbers, not a resend (that comes from its sender): refusing to mix two "
            f"series")))


def _dated_before(group: list[Patch], other: list[Patch]) -> bool:
    """Whether the first Date: of ``group`` is before that of ``other`` (False where either has none: sent_at)."""
    mine, theirs = ([t for p in ps if (t := sent_at(p)) is not None] for ps in (group, other))
    return bool(mine and theirs) and min(mine) < min(theirs)


def one_posting_per_revision(patches: list[Patch], postings: Postings) -> Kept:
    """Per revision, the postings in the order they were sent (sent_order: not the files' order) whose patch numbers
    no posting before them holds, or that were sent after the one that does (sent_after: the earlier is then
    skipped), none of those tied (tied); every patch mail of another is skipped with a note, but for a resend of the
    same commits, read once, and a later posting of the same changes (resent.repost), read instead. A point update
    (``v2.1``) claims no number: it updates the slot it names (ingest._group)."""
    by_version: dict[int, dict[str, list[Patch]]] = defaultdict(dict)
    out = Kept([], [], [], {}, {})
    for p in read_once(patches, postings.key, out):
        by_version[p.mail.subject.version].setdefault(postings.key[p.mail.msgid], []).append(p)
    for version, groups in by_version.items():
        slots = _Slots(version, postings, out)
        for group in sorted(groups.values(), key=sent_order):
            slots.place(group)
        out.patches.extend(slots.kept)
    return with_reposts(out)


@record
class _Tie:
    """Postings of a revision under the same patch numbers, none read (postingwords.tied): ``told`` why, where not
    one Date: (a backdated RESEND: _Slots._unspend). ``postings`` grows as later ones join (join_tie)."""

    postings: list[list[Patch]]
    told: str | None


@dataclass
class _Slots:
    """One revision's patch numbers as its postings are read in sent order (one_posting_per_revision): mutable, as
    each posting read changes what the next one is judged against."""

    version: int
    postings: Postings
    out: Kept
    held: dict[int, Patch] = field(default_factory=dict)
    kept: list[Patch] = field(default_factory=list)
    ties: list[_Tie] = field(default_factory=list)  # each live tie, on its own patch numbers (tied)
    beaten: list[list[Patch]] = field(default_factory=list)  # refused for a later one (said anew: resay)
    spent: dict[str, tuple[list[Patch], list[Skipped]]] = field(default_factory=dict)  # _spend
    by_tag: dict[str, list[Patch]] = field(default_factory=dict)  # a RESEND's key: the posting refused for its tag

    def place(self, group: list[Patch]) -> None:
        """Reads one posting against those before it: taken, a resend read once, a repost read instead, tied or
        refused."""
        numbers = {p.number: p for p in group if not p.mail.subject.point}
        clash = sorted(set(numbers) & set(self.held))
        ties = [t for t in self.ties if set(numbers) & {p.number for ps in t.postings for p in ps}]
        if ties and not all(self._after(group, t) for t in ties):
            self._join(group, ties, clash)
            return
        if not clash:
            self._refuse_ties(group, ties)
            self.held.update(numbers)
            self.kept.extend(group)
            return
        first = self.held[clash[0]]
        held = self._of(clash)  # the postings it clashes with, not others read under other numbers
        rfc = any(p.mail.subject.rfc for p in held.values()) != any(p.mail.subject.rfc for p in group)
        said, gone = len(self.out.notes), resent_later(group, list(held.values())) is False
        if resent(group, held) and not rfc:  # an RFC one and a later one are not one posting (resent.repost)
            self.out.aliases.update({p.mail.msgid: held[p.number].mail.msgid for p in group})
            more = f" and {len(group) - 1} more mail{'s' if len(group) > 2 else ''}" if len(group) > 1 else ""
            same = "the same commits as the posting of" if any(p.number for p in group) else "the cover letter"
            self.out.notes.append(Skipped(group[0].mail.where, (
                f"<{group[0].mail.msgid}>{more} of v{self.version}: a resend of {same} <{first.mail.msgid}>, which "
                f"is read (replies to the resend go with it)")))
        elif len(numbers) == len(group) and same_changes(
                group, held, partial=bool(self._whom(group) & self._whom(list(held.values())))):
            now = repost(group, held, self.version, self.out)
            read = {p.mail.msgid: p for p in now.values()}  # an earlier cover kept, its RFC tag the later's
            both = {p.mail.msgid for p in (*held.values(), *group)}
            self.kept = [read.get(p.mail.msgid, p) for p in (*self.kept, *group)
                         if p.mail.msgid in read or p.mail.msgid not in both]
            self.held = {n: p for n, p in self.held.items() if n not in held} | now
            held = now
        else:
            self._clash(group, numbers, clash, first)
            if any(p is group[0] for p in self.kept):  # read: the ties under its numbers, sent before it, refused
                self._refuse_ties(group, ties)
            return
        if gone:
            self._spend(group, said, held)

    def _after(self, group: list[Patch], tie: _Tie) -> bool:
        """Whether ``group`` is known to be sent after the postings of ``tie`` (join_tie: never for a backdated
        RESEND's tie, ``told``)."""
        return tie.told is None and bool(sent_after(group, {p.number: p for p in tie.postings[0]})[0])

    def _refuse_ties(self, group: list[Patch], ties: list[_Tie]) -> None:
        """The live ties under the numbers of ``group``, read and sent after each, refused in its favour (join_tie)."""
        for t in ties:
            join_tie(group, t.postings, self.beaten, self.version, self.out, t.told, self.postings.replies_below)
        self.ties = [t for t in self.ties if all(t is not u for u in ties)]

    def _join(self, group: list[Patch], ties: list[_Tie], clash: list[int]) -> None:
        """A posting under the numbers of live ties, not known to be sent after every one: it joins each it is not
        known to be sent after (join_tie), none of them read; a tie it came after stays as it is (neither read). Each
        tie is weighed on its own (two ties on other numbers of one revision: each its own line). A posting read that
        holds numbers of it (``clash``) is weighed against it as if it had come first (_pull). Another sender's mail
        under numbers a tied posting holds with more (_whole_of_two_senders) is set aside, as against it read."""
        whole = next((ps for t in ties for ps in t.postings if self._whole_of_two_senders(group, ps) is ps), None)
        if whole is not None:  # another sender's mail under numbers a tied posting holds with more: set aside
            _set_aside(group, whole, self.version, self.postings, self.out)
            return
        joined = [t for t in ties if not self._after(group, t)]
        for t in joined:
            join_tie(group, t.postings, self.beaten, self.version, self.out, t.told, self.postings.replies_below)
        if clash:
            self._pull(group, joined[0], clash)

    def _pull(self, group: list[Patch], tie: _Tie, clash: list[int]) -> None:
        """The postings read under numbers of ``group``, which joined ``tie`` (none of it read), weighed against it:
        of its Date: (or none, sent_after None), one of the tie; sent before it, refused for it all the same (it is
        not read: behind); sent after it, still read; another sender's it holds the whole of (_whole_of_two_senders),
        set aside. As they would be had they come after it, whatever the input order (sent_order reads postings of one
        Date: by FILE:LINE)."""
        key, moved = self.postings.key, False
        for k in sorted({key[self.held[n].mail.msgid] for n in clash}):
            was = [p for p in self.kept if key[p.mail.msgid] == k]
            later = sent_after(group, {p.number: p for p in was})[0]
            whole = self._whole_of_two_senders(group, was)
            if whole is was or (whole is None and later is False):
                continue
            self.kept = [p for p in self.kept if key[p.mail.msgid] != k]
            self.held = {n: p for n, p in self.held.items() if key[p.mail.msgid] != k}
            if whole is group:  # another sender's under its numbers: set aside, as against it read (_clash)
                _set_aside(was, group, self.version, self.postings, self.out)
                continue
            (self.beaten if later else tie.postings).append(was)
            moved = True
        if moved:
            unsay(tie.postings, self.out)
            why = what_differs({p.number: p for p in group}, {p.number: p for p in tie.postings[0]})
            tied(tie.postings, self.version, why, self.out, self.beaten, tie.told, self.postings.replies_below)

    def _of(self, numbers: list[int]) -> dict[int, Patch]:
        """The held patches of the postings holding any of ``numbers``: what a posting under them is weighed against,
        never a posting read under other numbers of the revision (its Date: or RESEND tag tells nothing of this one)."""
        key = self.postings.key
        owners = {key[self.held[n].mail.msgid] for n in numbers}
        return {n: p for n, p in self.held.items() if key[p.mail.msgid] in owners}

    def _spend(self, group: list[Patch], said: int, held: dict[int, Patch]) -> None:
        """Records ``group`` read as the same commits or changes as the RESEND held, which is read instead of it (a
        RESEND backdated, it comes first in sent_order): the RESEND resends ``group``, so it was sent after it, but
        that says nothing of when against a third posting (_clash). Keyed by the RESEND's posting key, with the notes
        said of ``group`` from ``said`` on (taken back if the RESEND is not read); ``held``: the RESEND's patches."""
        keys = {self.postings.key[p.mail.msgid] for p in held.values()}
        if len(keys) == 1 and any(p.mail.subject.resend for p in held.values()):
            self.spent[key := keys.pop()] = (group, self.out.notes[said:])
            lost = self.by_tag.pop(key, None)
            if lost is not None and not _dated_before(lost, group):
                self._retie(key, lost)

    def _retie(self, resend: str, lost: list[Patch]) -> None:
        """The posting refused for the RESEND of key ``resend`` by its tag alone (``lost``: undated, or of one Date:)
        tied with it instead, once the RESEND is found to resend a later posting (_spend): sent after that one, it may
        be before or after ``lost``."""
        key = self.postings.key
        mine = [p for p in self.kept if key[p.mail.msgid] == resend]
        unsay([lost], self.out)
        self.beaten = [ps for ps in self.beaten if ps is not lost]
        tie = _Tie([mine, lost], self._unspend(self.spent.pop(resend), mine))
        self.ties.append(tie)
        self.kept = [p for p in self.kept if key[p.mail.msgid] != resend]
        self.held = {n: p for n, p in self.held.items() if key[p.mail.msgid] != resend}
        tied(tie.postings, self.version, what_differs({p.number: p for p in lost}, {p.number: p for p in mine}),
             self.out, self.beaten, tie.told, self.postings.replies_below)

    def _clash(self, group: list[Patch], numbers: dict[int, Patch], clash: list[int], first: Patch) -> None:
        """A posting of other changes under numbers one before it holds: the later read, the other refused; tied
        when which was sent later cannot be told."""
        held = self._of(clash)
        why = what_differs(numbers, held)
        key = self.postings.key
        mine = {key[self.held[n].mail.msgid] for n in clash}
        later, how = sent_after(group, held)
        if len(mine) != 1:
            self._over_all(group, numbers, mine)
            return
        was = [p for p in self.kept if key[p.mail.msgid] in mine]
        if (whole := self._whole_of_two_senders(group, was)) is not None:
            stray = was if whole is group else group
            _set_aside(stray, whole, self.version, self.postings, self.out)
            if whole is group:  # not beaten: its line names the whole posting, never as read (_set_aside)
                self.kept = [p for p in self.kept if key[p.mail.msgid] not in mine] + group
                self.held = {n: p for n, p in self.held.items() if key[p.mail.msgid] not in mine} | numbers
            return
        spent = self.spent.get(next(iter(mine))) if how in (BACKDATED, SAME_DATE) and not later else None
        if how in (BACKDATED, SAME_DATE) and later is not None and spent is None:  # the RESEND read for its tag
            self.by_tag[key[group[0].mail.msgid] if later else next(iter(mine))] = was if later else group
        if spent is not None:  # the RESEND read for its tag resends another posting: that tells nothing of this one
            later = None
        if later is None:  # which was sent later cannot be told: neither is read
            tie = _Tie([[p for p in self.kept if key[p.mail.msgid] in mine], group],
                       None if spent is None else self._unspend(spent, was))
            self.ties.append(tie)
            tied(tie.postings, self.version, why, self.out, self.beaten, tie.told, self.postings.replies_below)
        elif later:  # the later posting read, whichever the input gave first
            refused(was, group[0], self.version, why, how, self.out)
            self.beaten.append(was)
        else:
            refused(group, first, self.version, why, how, self.out)
            return
        self.kept = [p for p in self.kept if key[p.mail.msgid] not in mine] + ([] if later is None else group)
        self.held = {n: p for n, p in self.held.items() if key[p.mail.msgid] not in mine} | \
            ({} if later is None else numbers)

    def _over_all(self, group: list[Patch], numbers: dict[int, Patch], owners: set[str]) -> None:
        """A posting under numbers several postings hold (``owners``: their keys), weighed against each on its own
        (sent_after on that one's patches, _whole_of_two_senders): one read over it (sent after it, or the whole of
        two senders against it) refuses it, named with how. Else those it is not known to be sent after tie with it
        (none read), and the others are refused for it, or set aside as another sender's under its numbers; with no
        tie it is read."""
        key = self.postings.key
        each = {k: [p for p in self.kept if key[p.mail.msgid] == k] for k in sorted(owners)}
        how = {k: sent_after(group, {p.number: p for p in ps}) for k, ps in each.items()}
        whole = {k: self._whole_of_two_senders(group, ps) for k, ps in each.items()}
        if ahead := [k for k, ps in each.items() if whole[k] is ps or (whole[k] is None and how[k][0] is False)]:
            refused(group, min(each[ahead[0]], key=lambda p: p.number), self.version, what_differs(
                numbers, {p.number: p for p in each[ahead[0]]}), how[ahead[0]][1], self.out)
            self.beaten.append(group)  # said anew should the one read be tied or refused in turn (resay)
            return
        tie = [k for k in each if whole[k] is None and how[k][0] is None]
        for k, ps in each.items():
            if whole[k] is group:
                _set_aside(ps, group, self.version, self.postings, self.out)
            elif k not in tie:
                refused(ps, group[0], self.version, what_differs(numbers, {p.number: p for p in ps}), how[k][1],
                        self.out)
            if k not in tie and not (tie and whole[k] is group):
                self.beaten.append(ps)
        self.kept = [p for p in self.kept if key[p.mail.msgid] not in owners] + ([] if tie else group)
        self.held = {n: p for n, p in self.held.items() if key[p.mail.msgid] not in owners} | ({} if tie else numbers)
        if tie:
            t = _Tie([*(each[k] for k in tie), group], None)
            self.ties.append(t)
            tied(t.postings, self.version, what_differs(numbers, {p.number: p for p in each[tie[0]]}), self.out,
                 self.beaten, None, self.postings.replies_below)

    def _unspend(self, resends: tuple[list[Patch], list[Skipped]], resend: list[Patch]) -> str:
        """What ties a backdated (or undated) RESEND (_spend) with a posting of other changes dated after the one it
        resends (the RESEND held, read for its tag alone: sent_after): the notes reading the RESEND in place of that
        one taken back, that one refused with them (beaten: behind). ``resend``: the RESEND's patch mails."""
        original, notes = resends
        self.out.notes[:] = [n for n in self.out.notes if all(n is not m for m in notes)]
        ids = {p.mail.msgid for p in resend}  # its replies go where they answer, no longer to the RESEND not read
        for p in original:
            if self.out.aliases.get(p.mail.msgid) in ids:
                del self.out.aliases[p.mail.msgid]
        self.beaten.append(original)
        first = min(original, key=lambda p: p.number)
        dated = "dated before it" if any(sent_at(p) is not None for p in resend) else "with no Date:"
        return (f"one a RESEND of <{first.mail.msgid}> ({first.mail.where}) {dated} (sent after it all the same, at a "
                f"time not known)")

    def _whole_of_two_senders(self, group: list[Patch], was: list[Patch]) -> list[Patch] | None:
        """Of two postings under one revision's numbers sent by other people (no sender in common), the one holding
        every number of the other and more (a cover letter, the other patches): the revision, whatever their Dates
        say. The other is a mail of someone else's under its numbers (a third party's unthreaded ``[PATCH v4 2/3]``),
        no resend: a resend comes from its sender, and as b4 reads the thread of the revision, it is not in it.
        None when they share a sender or neither holds the other's numbers (sent_after decides). Whom a mail is from
        is its sender and its author (an in-body ``From:``, as ``b4 send`` through the web relay sends it)."""
        if self._whom(group) & self._whom(was):
            return None
        mine, theirs = ({p.number for p in ps} for ps in (group, was))
        return group if mine > theirs else was if theirs > mine else None

    def _whom(self, ps: list[Patch]) -> set[str]:
        """Whom patch mails are from: each one's sender and author (an in-body ``From:``, as ``b4 send`` through the
        web relay sends it), lower case."""
        return {who for p in ps for who in (self.postings.sent[p.mail.msgid].sender, p.mail.author_email.lower())}

