"""Postings of a revision's changes again: a resend of the same commits, a later posting of the same diffs.

What ``git am`` commits of a patch mail (commit_of) tells a resend read once; ``git patch-id`` tells a later
posting of the same changes (an RFC posting and the later one, a resend carrying the trailers given since, one
patch of a posting mailed again), read instead of the earlier, whose mails are aliased to it (their replies go
there). Used by harness.postings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from harness.errors import Where
from harness.model import Patch, Skipped
from harness.sentorder import date_note, resent_later, sent_after, sent_later
from models.record import record


@record
class Kept:
    """What one_posting_per_revision keeps: the patches, the postings refused, the resends read once (``notes``)
    and, for each patch mail of a resend, the Message-ID of the one read (``aliases``: replies go there); ``behind``:
    the line of each patch mail refused behind a tie (harness.postingwords.behind), by its place, live while it is
    in ``skipped`` (a line said anew replaces it): the replies below it are named as not read."""

    patches: list[Patch]
    skipped: list[Skipped]
    notes: list[Skipped]
    aliases: dict[str, str]
    behind: dict[Where, Skipped]


_NOWHERE = Where("")


def commit_of(p: Patch) -> tuple[object, ...]:
    """What ``git am`` commits of a patch mail: author, title, message, trailers and each file's change, not
    where the mail holds them."""
    files = tuple(replace(f, where=_NOWHERE, hunks=tuple(replace(h, where=_NOWHERE) for h in f.hunks))
                  for f in p.files)
    trailers = tuple((t.key, t.value) for t in p.trailers)
    return (p.mail.author, p.mail.author_email, p.mail.subject.title, p.message, trailers, files)


def resent(group: list[Patch], held: dict[int, Patch]) -> bool:
    """Whether a posting is a resend of the one held (``[PATCH RESEND v4 n/5]``, a series mailed twice): the same
    count, each patch the same commit as the held one of its number, a cover letter only where one is held."""
    patches = [p for p in group if p.number]
    if not patches:  # a cover letter alone (a local copy's, its patches read as a resend): the same letter again
        return 0 in held and all(commit_of(p) == commit_of(held[0]) for p in group)
    return all(
        (q := held.get(p.number)) is not None and p.mail.subject.total == q.mail.subject.total
        and commit_of(p) == commit_of(q) for p in patches) and all(0 in held for p in group if not p.number)


def same_changes(group: list[Patch], held: dict[int, Patch], partial: bool = False) -> bool:
    """Whether a posting carries the held patches' changes again: the same patch numbers and count, each diff of
    the same ``git patch-id`` as the held one of its number (its message, trailers or tags may differ). With
    ``partial`` (postings of one sender), one holding some of the other's numbers is too: a patch of the posting
    mailed again (``[PATCH v2 RESEND 2/3]`` with the trailers given since), or the posting after a patch sent alone."""
    numbered = {p.number: p for p in group if p.number}
    mine, theirs = set(numbered), {n for n in held if n}
    return bool(numbered) and (mine == theirs or (partial and (mine < theirs or mine > theirs))) and all(
        p.mail.subject.total == held[n].mail.subject.total and p.patch_id is not None
        and p.patch_id == held[n].patch_id for n, p in numbered.items() if n in theirs)


def _how_it_differs(old: dict[int, Patch], new: dict[int, Patch]) -> str:
    said = []
    if any(p.mail.subject.rfc for p in old.values()) and not any(p.mail.subject.rfc for p in new.values()):
        said.append("no longer RFC")
    if any(commit_of(p) != commit_of(old[n]) for n, p in new.items() if n and n in old):
        said.append("other commit messages or trailers")
    return f" ({', '.join(said)})" if said else ""


def repost(group: list[Patch], held: dict[int, Patch], version: int, out: Kept) -> dict[int, Patch]:
    """A posting of the held changes again (``[PATCH RESEND v4 n/5]`` carrying the trailers given since, the
    ``[PATCH]`` of an ``[RFC PATCH]`` series): the later of the two (the one alone a RESEND, else by Date:) is read,
    the other's patch mails aliased to its patches of their numbers (their replies, trailers too, go there), each
    patch with the earlier mail's in-body trailers it lacks (an ``[RFC PATCH]``'s Reviewed-by the final posting left
    out: a trailer given once stays given), with a note; the held patches after. Where one holds some of the other's
    numbers (a patch mailed again, or sent alone before the posting), each of those is read in its slot
    (in_place_of), whichever of the two is the later."""
    mine = {p.number: p for p in group}
    later = resent_later(group, list(held.values()))
    new, old = (mine, held) if (sent_later(group, held) if later is None else later) else (held, mine)
    out.aliases.update({p.mail.msgid: new[n].mail.msgid for n, p in old.items() if n in new})
    if {n for n in new if n} != {n for n in old if n}:  # some patches mailed again: each read in its slot
        read = {n: in_place_of(new[n], old[n], version) for n in sorted(set(new) & set(old))}
        out.notes.extend(note for _, note in read.values())
        return {**old, **new, **{n: p for n, (p, _) in read.items()}}
    first = min(new.values(), key=lambda p: p.number)
    earlier = min(old.values(), key=lambda p: p.number)
    more = f" and {len(new) - 1} more mail{'s' if len(new) > 2 else ''}" if len(new) > 1 else ""
    cover, kept = _earlier_cover(old, new)
    joined = {n: _joined(p, old[n]) for n, p in new.items() if n and n in old}
    words = "".join(f"; {', '.join(said)} of <{old[n].mail.msgid}> kept" for n, (_, said) in joined.items() if said)
    out.notes.append(Skipped(first.mail.where, (
        f"<{first.mail.msgid}>{more} of v{version} read: a later posting of the changes of <{earlier.mail.msgid}> "
        f"(each diff of the same git patch-id){_how_it_differs(old, new)}, whose replies and trailers go with it"
        f"{kept}{words}{date_note(list(old.values()), list(new.values()))}")))
    return {**new, **{n: p for n, (p, _) in joined.items()}, **cover}


def _joined(new: Patch, old: Patch) -> tuple[Patch, list[str]]:
    """``new`` with the in-body trailers of ``old`` (the earlier mail of the same change) it lacks after its own, a
    trailer given once staying given, and those trailers as ``Key: value``."""
    have = {(t.key.lower(), t.value) for t in new.trailers}
    kept = tuple(t for t in old.trailers if (t.key.lower(), t.value) not in have)
    return replace(new, trailers=new.trailers + kept), [f"{t.key}: {t.value}" for t in kept]


def in_place_of(new: Patch, old: Patch, version: int) -> tuple[Patch, Skipped]:
    """One patch mail read in its slot in place of the earlier mail of the same change (git patch-id): ``[PATCH v2
    RESEND 2/3]`` carrying the trailers given since, on its own or In-Reply-To the cover letter. The patch read is
    ``new`` with the trailers of ``old`` it lacks after its own (a trailer given once stays given), and the note
    saying so: the trailers it adds, those kept from ``old``."""
    read, kept = _joined(new, old)
    had = {(t.key.lower(), t.value) for t in old.trailers}
    added = [f"{t.key}: {t.value}" for t in new.trailers if (t.key.lower(), t.value) not in had]
    words = (f"; it adds {', '.join(added)}" if added else "") + (
        f"; {', '.join(kept)} of <{old.mail.msgid}> kept" if kept else "")
    differs = _how_it_differs({new.number: old}, {new.number: new})
    return read, Skipped(new.mail.where, (
        f"v{version} patch {new.label} <{new.mail.msgid}> read in place of <{old.mail.msgid}> ({old.mail.where}): "
        f"the same change mailed again (the same git patch-id){differs}, the other patches of v{version} as posted; "
        f"the replies and trailers of <{old.mail.msgid}> go with it{words}{date_note([old], [new])}"))


def _earlier_cover(old: dict[int, Patch], new: dict[int, Patch]) -> tuple[dict[int, Patch], str]:
    """The earlier posting's cover letter where the later one has none (an ``[RFC PATCH 0/3]`` and the ``[PATCH
    n/3]`` sent later without one), and the note's words on it: kept only as the revision's text, its RFC tag the
    later posting's (ingest reads a revision as RFC when its cover letter is), as b4 0.16 am keeps it as the cover."""
    if 0 in new or 0 not in old:
        return {}, ""
    rfc = any(p.mail.subject.rfc for p in new.values())
    was = old[0]
    cover = replace(was, mail=replace(was.mail, subject=replace(was.mail.subject, rfc=rfc)))
    return {0: cover}, (f"; the cover letter <{was.mail.msgid}> of the earlier posting kept as its cover: the later "
                        "one has none")


def with_reposts(out: Kept) -> Kept:
    """Each patch read with the Message-IDs of the mails read as it (Patch.reposted), an alias of an alias too."""
    def end(msgid: str) -> str:
        seen = {msgid}
        while (msgid := out.aliases.get(msgid, msgid)) not in seen:
            seen.add(msgid)
        return msgid

    by_read: dict[str, list[str]] = defaultdict(list)
    for alias in out.aliases:
        by_read[end(alias)].append(alias)
    out.aliases.update({alias: end(alias) for alias in out.aliases})
    out.patches[:] = [replace(p, reposted=tuple(by_read[p.mail.msgid])) if by_read.get(p.mail.msgid) else p
                      for p in out.patches]
    return out


def read_once(patches: list[Patch], key: Mapping[str, str], out: Kept) -> list[Patch]:
    """The patches but a patch mail sent again within its posting (``[PATCH RESEND v4 2/5]`` In-Reply-To the
    cover letter: the list lost it, or it carries the trailers given since) of the same count and number: as the
    same commit, the first is read; as the same change (git patch-id), the later (later_of_same_change). Either
    way once, with a note in ``out``, the other's replies going to it (``out.aliases``). ``key``: each patch
    mail's posting (harness.postings.Postings.key)."""
    first: dict[tuple[int, str, int, tuple[int, ...]], Patch] = {}
    slots: dict[tuple[int, str, int, tuple[int, ...]], set[str]] = defaultdict(set)
    for p in patches:
        slots[(p.mail.subject.version, key[p.mail.msgid], p.number, p.mail.subject.point)].add(p.mail.msgid)
    kept = []
    for p in patches:
        s = p.mail.subject
        at = (s.version, key[p.mail.msgid], p.number, s.point)
        q = first.setdefault(at, p)
        if q is p or not p.number or s.total != q.mail.subject.total:
            kept.append(p)
        elif commit_of(p) == commit_of(q):
            out.aliases[p.mail.msgid] = q.mail.msgid
            out.notes.append(Skipped(p.mail.where, f"<{p.mail.msgid}> is v{s.version} patch {p.label} again, the same "
                                                   f"commit as <{q.mail.msgid}>, which is read (its replies go there)"))
        elif (later := later_of_same_change(p, q, slots[at])) is not None:
            new, old = (p, q) if later else (q, p)
            first[at], note = in_place_of(new, old, s.version)
            kept = [first[at] if k is q else k for k in kept]
            out.aliases[old.mail.msgid] = new.mail.msgid
            out.notes.append(note)
        else:
            kept.append(p)
    return kept


def later_of_same_change(p: Patch, q: Patch, slot: set[str]) -> bool | None:
    """Of two patch mails of one slot in one posting and the same change (git patch-id), whether ``p`` was sent later:
    the one alone a RESEND, whatever the Dates say (resent_later), else by Date: (sent_after); None when that cannot
    be told, or they differ in their change, or either answers a patch mail of the slot (``slot``: their Message-IDs;
    a replacement: harness.reposts, the older kept as superseded)."""
    if p.patch_id is None or p.patch_id != q.patch_id or {p.mail.in_reply_to, q.mail.in_reply_to} & slot:
        return None
    later = resent_later([p], [q])
    return sent_after([p], {q.number: q})[0] if later is None else later
