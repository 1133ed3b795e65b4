"""The lines said of postings of a revision not read: tied (which was sent later cannot be told), or refused.

Each line names every posting it weighs and where each is, so the one line the gate stops on says them all and reads
the same in any input order. Used by harness.postings (one_posting_per_revision).
"""

from __future__ import annotations

from collections.abc import Callable

from harness.model import Mail, Patch, Skipped
from harness.resent import Kept
from harness.sentorder import sent_after, where_key

Below = Callable[[list[list[Patch]]], list[Mail]]
"""The replies below the patch mails of postings (through replies between, as their In-Reply-To and References
name them: harness.postings.Postings.replies_below), in FILE:LINE order."""


def tied(postings: list[list[Patch]], version: int, why: str, out: Kept, beaten: list[list[Patch]],
         told: str | None = None, below: Below | None = None) -> None:
    """Each patch mail of two postings (or more) of other changes of one revision skipped, none read: the same Date:
    (or none) and none a ``RESEND``, or what ``told`` says (a backdated RESEND of a third posting:
    harness.postings._Slots._spend). Reading the one given first made what `series` and `eval` showed, and the line the
    gate stops on, depend on the order of the files; nothing in the mail tells which was sent later. Each line
    names every posting's first mail, the one of the sooner ``FILE:LINE`` first, so it reads the same in any order;
    a third posting of that Date: is one of them (it was read, as if the two had never been). Those they were read
    instead of (``beaten``) are said anew (behind): their line named one of them as read. The replies below them all
    (``below``) are named as not read either (_unread_replies)."""
    ordered = sorted(postings, key=lambda ps: where_key(min(ps, key=lambda p: p.number).mail.where))
    named = [f"<{f.mail.msgid}> ({f.mail.where})" for f in (min(ps, key=lambda p: p.number) for ps in ordered)]
    every = " and ".join([", ".join(named[:-1]), named[-1]])
    count = {2: "two", 3: "three", 4: "four"}.get(len(named), str(len(named)))
    none = "neither" if count == "two" else "none"
    numbers = {p.number for ps in postings for p in ps}
    earlier = [ps for ps in beaten if {p.number for p in ps} & numbers]
    unread = "" if below is None else _unread_replies(below(ordered), [
        (min(ps, key=lambda p: p.number), got) for ps in earlier if (got := below([ps]))])
    for ps in ordered:
        for p in ps:
            out.skipped.append(Skipped(p.mail.where, (
                f"v{version} patch {p.label} <{p.mail.msgid}> is of one of {count} postings of v{version}, {every}, "
                f"with the same patch numbers, {told or f'the same Date: and {none} a RESEND'}: "
                f"which was sent later cannot be told, so {none} is read{unread}: refusing "
                f"to mix {count} series{why}"), tie=every))
    resay(beaten, postings, out, lambda ps: behind(ps, postings, version, why, out, told, below))


def _unread_replies(mine: list[Mail], earlier: list[tuple[Patch, list[Mail]]], whose: str = "their mails") -> str:
    """The words naming the replies below tied postings' mails (``mine``) and below those of each posting refused for
    them (``earlier``: its first mail and the replies below it; the one a backdated RESEND resends too): none of them
    read, as their posting is not. b4 0.16 reads a reply with the posting its In-Reply-To and References name (``b4
    am`` of that posting's thread), never with another of the revision. The first three by FILE:LINE, then how many
    more; "" when there are none. ``whose``: what ``mine`` are below."""
    every = sorted({m.msgid: m for m in (*mine, *(m for _, ms in earlier for m in ms))}.values(),
                   key=lambda m: where_key(m.where))
    if not every:
        return ""
    shown = ", ".join(f"<{m.msgid}> ({m.where})" for m in every[:3]) + (
        f" and {len(every) - 3} more" if len(every) > 3 else "")
    firsts = sorted((p for p, _ in earlier), key=lambda p: where_key(p.mail.where))
    whose += "".join(f" and <{p.mail.msgid}>'s" for p in firsts)
    return f", nor {'the reply' if len(every) == 1 else f'the {len(every)} replies'} below {whose} ({shown})"


def join_tie(group: list[Patch], tie: list[list[Patch]], beaten: list[list[Patch]], version: int, out: Kept,
             told: str | None, below: Below | None = None) -> bool:
    """A posting under the numbers of postings tied (tied): sent after them (it comes later in sent_order), it is
    read and they are refused in its favour, as are those they were read instead of (``beaten``: False); of their
    Date: too, it is one of them, none read (True); where they tie for a backdated RESEND (``told``:
    harness.postings._Slots._unspend), it is one of them too: sent after the posting the RESEND resends (sent_order),
    it may be before or after the RESEND. Their lines are said anew, as if it had come first."""
    first = {p.number: p for p in tie[0]}
    later, how = sent_after(group, first) if told is None else (None, "")
    why = what_differs({p.number: p for p in group}, first)
    unsay(tie, out)
    if later:
        for ps in tie:
            refused(ps, group[0], version, why, how, out)
        resay(beaten, tie, out, lambda ps: refused(ps, group[0], version, why, how, out))
        beaten.extend(tie)
        return False
    tie.append(group)
    tied(tie, version, why, out, beaten, told, below)
    return True


def unsay(postings: list[list[Patch]], out: Kept) -> None:
    """The skip lines of ``postings``' mails taken back (to be said anew)."""
    wheres = {p.mail.where for ps in postings for p in ps}
    out.skipped[:] = [k for k in out.skipped if k.where not in wheres]


def resay(beaten: list[list[Patch]], tie: list[list[Patch]], out: Kept, say: Callable[[list[Patch]], None]) -> None:
    """The postings refused in favour of one now tied or refused in turn (``beaten``, of ``tie``'s numbers) said anew
    by ``say``: their line named a posting as read that is not."""
    numbers = {p.number for ps in tie for p in ps}
    again = [ps for ps in beaten if {p.number for p in ps} & numbers]
    unsay(again, out)
    for ps in again:
        say(ps)


def behind(group: list[Patch], tie: list[list[Patch]], version: int, why: str, out: Kept, told: str | None,
           below: Below | None = None) -> None:
    """Each patch mail of ``group`` skipped, sent before postings of its numbers that tie (tied, ``told``: why they
    do), none of them read; the replies below its mails (``below``) not read either."""
    unread = "" if below is None else _unread_replies(below([group]), [], "its mails")
    named = " and ".join(f"<{f.mail.msgid}> ({f.mail.where})" for f in sorted(
        (min(ps, key=lambda p: p.number) for ps in tie), key=lambda p: where_key(p.mail.where)))
    for p in group:
        out.skipped.append(Skipped(p.mail.where, (
            f"v{version} patch {p.label} <{p.mail.msgid}> was sent before {named}, other postings of v{version} with "
            f"its patch numbers, {told or 'of one Date: and none a RESEND'}, none of which is read (which was sent "
            f"later cannot be told){unread}: refusing to mix series{why}")))
        out.behind[p.mail.where] = out.skipped[-1]


def refused(group: list[Patch], read: Patch, version: int, why: str, how: str, out: Kept) -> None:
    """Each patch mail of ``group`` skipped, two postings of the revision not being mixed: named with the mail of the
    posting read (``read``, ``how`` it was chosen) and where each is, so the one line the gate stops on says both."""
    for p in group:
        out.skipped.append(Skipped(p.mail.where, (
            f"v{version} patch {p.label} <{p.mail.msgid}> was sent apart from <{read.mail.msgid}> ({read.mail.where}), "
            f"another posting of v{version} with a patch {read.number} too, which is read ({how}): refusing to mix "
            f"two series{why}")))


def what_differs(numbers: dict[int, Patch], held: dict[int, Patch]) -> str:
    """Of a posting of the held patch numbers again (an RFC posting and the later one, a resend) that is not the same
    changes, which patches' diffs differ (git patch-id): what a reader looks at to choose one posting."""
    if {n for n in numbers if n} != {n for n in held if n}:
        return ""
    other = [n for n, p in sorted(numbers.items()) if n and p.patch_id != held[n].patch_id]
    if not other:
        return ""
    listed = f"{'patch' if len(other) == 1 else 'patches'} {', '.join(f'{n:02d}' for n in other)}"
    return f" (the same patches, but the diff of {listed} differs: git patch-id)"


def joined_note(patch: Mail, sender: str, other: Mail, other_sender: str) -> str:
    """Why another sender's patch mail in a revision's thread is read as a patch of the revision (harness.postings
    Postings.joined), not a reviewer's proposal: b4 am takes it so."""
    s = patch.subject
    return (f"v{s.version} patch {s.number}/{s.total} <{patch.msgid}> sent by {sender} in reply to the posting of "
            f"<{other.msgid}> sent by {other_sender} is read as a patch of v{s.version}, as b4 am takes it: no mail "
            f"of that posting holds patch {s.number} (a diff in a reply, or under a number the posting holds, is a "
            "proposal)")
