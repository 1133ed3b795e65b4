"""Patch mails sent again: unversioned reposts, replacements and a lone patch's next revision.

The revision an unversioned one takes from the patch it answers, the slot a replacement takes, a lone patch's repost as
its next revision; where b4 0.16 reads them otherwise, said in each docstring.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from harness.diffparse import diff_start_line
from harness.mailinfo import MailInfo
from harness.message import notes_revision
from harness.model import Revision, Skipped
from harness.postings import Sent
from harness.sources import RawMessage
from harness.strictthread import DIFFSTAT
from harness.subject import parse_subject, says_version
from models.lazyre import lazy


def replacements(messages: list[tuple[RawMessage, MailInfo, Sent]]) -> dict[str, str]:
    """Patch mails numbered N/M sent In-Reply-To the patch of their own slot by its sender (the same revision,
    once an unversioned one is read as its parent's, number and count): msgid -> the msgid of the one replaced.

    A resent or reworked patch posted that way (``git send-email --in-reply-to`` the old one) is the newer
    patch of the slot. b4 0.16 reads it as a patch added after the old one (LoreSeries.add_patch: "assume
    additional patch"), which moves the old one into the next slot and drops the patch there (in the tests
    ``git am`` of its output stops: the old and the new patch 1 create one file twice)."""
    by_id = {sent.mail.msgid: sent for _, _, sent in messages}
    out: dict[str, str] = {}
    for _, info, sent in messages:
        s = sent.mail.subject
        parent = by_id.get(sent.mail.in_reply_to or "")
        if (not sent.patch or not s.number or s.is_reply or parent is None or parent is sent
                or parse_subject(info.header_subject).number is None):
            continue  # a lone [PATCH] answering its sender's own is their next revision (lone_reposts)
        ps = parent.mail.subject
        if (parent.patch and not ps.is_reply and parent.sender == sent.sender
                and (ps.version, ps.number, ps.total, ps.point) == (s.version, s.number, s.total, s.point)):
            out[sent.mail.msgid] = parent.mail.msgid
    return out


def depth(msgid: str, replaces: dict[str, str]) -> int:
    """How many patches ``msgid`` replaced one after another (a loop of In-Reply-To ends the count)."""
    seen = {msgid}
    while (msgid := replaces.get(msgid, "")) and msgid not in seen:
        seen.add(msgid)
    return len(seen) - 1


def replacement_notes(revisions: tuple[Revision, ...], replaces: dict[str, str]) -> list[Skipped]:
    """One note per slot a replacement took (replacements): where b4 0.16 reads the thread otherwise."""
    out = []
    for rev in revisions:
        for slot in rev.slots:
            old = {q.mail.msgid for q in slot.superseded}
            for p in (*slot.superseded, *([slot.patch] if slot.patch else [])):
                if replaces.get(p.mail.msgid) in old:  # each step of a chain of replacements
                    out.append(Skipped(p.mail.where, (
                        f"<{p.mail.msgid}> replaces <{replaces[p.mail.msgid]}> as v{rev.version} patch {p.label}: "
                        "its sender sent it In-Reply-To that patch (b4 0.16 takes both, the old one as the next "
                        "patch in place of that one)")))
    return out


def _diff_and_stat(info: MailInfo) -> tuple[bool, bool]:
    patch = [ln.decode("utf-8", "replace") for _, ln in info.patch]
    body = "\n".join([t for _, t in info.log] + patch)
    return diff_start_line(patch) is not None, DIFFSTAT.search(body) is not None


def revision_of_parent(
    messages: list[tuple[RawMessage, MailInfo, Sent]],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """A ``[PATCH 3/5]`` without a version tag sent In-Reply-To a v4 cover letter (a diffstat, no diff: ``[PATCH v4
    0/5]``, or one no subject numbers, ``[PATCH v4] ...``, naked_covers) or to a v4 patch 1 is v4's 3/5, as b4 reads
    it (LoreMailbox.add_message: "fixed revision"): a patch resent into the thread without ``-v4``, or a series
    whose cover subject alone was edited. So is one its sender
    sent In-Reply-To their own v4 3/5 (a replacement of it: replacements), where b4 0.16 keeps v1: it then takes
    that lone 3/5 for the newest series, 1/5, 2/5, 4/5 and 5/5 missing."""
    by_id = {sent.mail.msgid: (info, sent) for _, info, sent in messages}
    out = list(messages)
    for i, (raw, info, sent) in enumerate(messages):
        s = sent.mail.subject
        parent = by_id.get(sent.mail.in_reply_to or "")
        if not sent.patch or not s.number or says_version(s) or parent is None or not _diff_and_stat(info)[0]:
            continue
        p_info, p_sent = parent
        ps = p_sent.mail.subject
        if not p_sent.patch or ps.is_reply or ps.version == s.version:
            continue
        p_diff, p_stat = _diff_and_stat(p_info)
        own = ps.number == s.number and ps.total == s.total and p_sent.sender == sent.sender
        if (p_stat and not p_diff) or (ps.number == 1 and p_diff) or (own and p_diff):
            out[i] = (raw, info, replace(sent, mail=replace(sent.mail, subject=replace(s, version=ps.version))))
    return out


_ZERO_BLOB = lazy(r"^0+$")
_INDEX_LINE = lazy(rb"^index ([0-9a-f]{7,64})\.\.([0-9a-f]{7,64})(?: \d{6})?\r?$")


def _images(info: MailInfo) -> tuple[set[str], set[str], set[bytes]]:
    """The pre-image and post-image blob ids of a patch's ``index`` lines (an all-zero one, a file's absence, left
    out), abbreviated to 7 digits: format-patch's default (``--full-index`` gives 40) and git's shortest; and the
    paths its ``---``/``+++`` header pairs name (the ``a/``, ``b/`` prefix and a timestamp after a tab dropped)."""
    pre: set[str] = set()
    post: set[str] = set()
    paths: set[bytes] = set()
    previous = b""
    for _, line in info.patch:
        if line.startswith(b"index ") and (m := _INDEX_LINE().match(line.rstrip(b"\n"))):
            for side, blob in ((pre, m.group(1)), (post, m.group(2))):
                if not _ZERO_BLOB().match(blob.decode()):
                    side.add(blob.decode()[:7])
        elif line.startswith(b"+++ ") and previous.startswith(b"--- "):
            for name in (previous[4:], line[4:]):
                name = name.rstrip(b"\r\n").split(b"\t")[0]
                if name != b"/dev/null":
                    paths.add(name.split(b"/", 1)[-1])
        previous = line
    return pre, post, paths


def _lone(sent: Sent) -> bool:
    """A lone ``[PATCH] x``: a patch with no version, no N/M, not a reply."""
    s = sent.mail.subject
    return sent.patch and s.number is None and not says_version(s) and not s.is_reply


def _root(i: int, messages: list[tuple[RawMessage, MailInfo, Sent]], by_id: dict[str, int]) -> int:
    """The top of the In-Reply-To chain above message ``i`` among the inputs (a loop stops it)."""
    seen = {i}
    while (up := by_id.get(messages[i][2].mail.in_reply_to or "")) is not None and up not in seen:
        seen.add(up)
        i = up
    return i


def repost_parents(messages: list[tuple[RawMessage, MailInfo, Sent]]) -> dict[int, int]:
    """Each lone patch sent In-Reply-To its sender's own lone patch that is that patch again -> that patch's index
    (lone_reposts): the same title, a file's pre-image blob the same as the other's (a new take on the same base),
    a file of the other's changed anew, or notes below ``---`` that say a later revision (_says_later); never one
    made on the result of a lone patch of that sender in that thread (a pre-image blob that is its post-image: the
    next patch of one sending, ``-N --thread`` answering the first patch with each). Format-patch output not sent
    yet and a RESEND are no reposts."""
    by_id = {sent.mail.msgid: i for i, (_, _, sent) in enumerate(messages)}
    images = {i: _images(info) for i, (_, info, sent) in enumerate(messages) if _lone(sent)}
    posts: dict[tuple[str, int], set[str]] = defaultdict(set)  # (sender, thread top) -> post-image blobs
    for i in images:
        posts[(messages[i][2].sender, _root(i, messages, by_id))] |= images[i][1]
    out: dict[int, int] = {}
    for i, (pre, post, paths) in images.items():
        raw, _, sent = messages[i]
        at = by_id.get(sent.mail.in_reply_to or "")
        if at is None or at not in images or raw.unsent or sent.mail.subject.resend:
            continue
        parent = messages[at][2]
        if parent.sender != sent.sender or pre & (posts[(sent.sender, _root(i, messages, by_id))] - post):
            continue
        parent_pre, _, parent_paths = images[at]
        if (sent.mail.subject.title == parent.mail.subject.title or pre & parent_pre or paths & parent_paths
                or _says_later(messages[i][1], messages[at][1])):
            out[i] = at
    return out


def _says_later(info: MailInfo, parent: MailInfo) -> bool:
    """Whether a patch's notes below ``---`` say it is a later revision than the notes of the patch it answers do
    (message.notes_revision; a patch whose notes say none is the first): a repost that changed other files only
    says so there, where the patches of one ``-N`` sending name no revision or the same one."""
    said = notes_revision(info)
    return said is not None and said > (notes_revision(parent) or 1)


def lone_reposts(
    messages: list[tuple[RawMessage, MailInfo, Sent]], notes: list[Skipped],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """A lone ``[PATCH] x`` (no version, no N/M, no RESEND) its sender sent In-Reply-To their own lone unversioned
    ``[PATCH]`` is the next revision of it (of a repost of a repost, the one after), as b4 0.16 reads a later lone
    patch of one sender (LoreMailbox.add_message: "Assuming new revision"; b4 needs no In-Reply-To, but git am's
    reading of lone patch files, one series in the order read, stays for those not sent so), when it is that patch
    again (repost_parents). A lone patch of another title made on the other's result or on other files is the
    next patch of one sending (``git format-patch -N --thread``, or ``-N`` sent by ``git send-email``, which threads
    every mail below the first): one series, as ``git am`` of the thread applies it, where b4 0.16 makes each a
    revision and takes the last alone, which does not apply on the base. Format-patch output not sent yet is no
    repost either: one series, as ``git am`` of the folder applies it (b4 0.16 drops its first patch). A lone patch
    answering none of them, sent, whose notes below ``---`` name a later revision (``Changes in v2:``: the patch
    reworked and sent again in a thread of its own) is that revision (_noted), said in ``notes``."""
    parents = repost_parents(messages)
    ids = {sent.mail.msgid for _, _, sent in messages if not (sent.patch and sent.mail.subject.number == 0)}
    # A lone patch its sender's next patch of one sending answers (-N --thread): the sending is read as one series.
    sending = {(s.mail.in_reply_to, s.sender) for j, (_, _, s) in enumerate(messages) if _lone(s) and j not in parents}
    versions: dict[int, int] = {}
    for i in range(len(messages)):
        chain: list[int] = []
        j: int | None = i
        while j is not None and j not in versions and j not in chain:  # up the reposts; a loop stops it
            chain.append(j)
            j = parents.get(j)
        if j is not None and j in versions:
            v = versions[j]
        else:  # the first posting (or where In-Reply-To loops) keeps its own version, or the one its notes name
            top = chain.pop()
            v = versions[top] = _noted(messages[top], ids, sending, notes)
        for k in reversed(chain):
            v += 1
            versions[k] = v
    out = list(messages)
    for i, (raw, info, sent) in enumerate(messages):
        v = versions.get(i, sent.mail.subject.version)
        if v != sent.mail.subject.version:
            out[i] = (raw, info, replace(sent, mail=replace(sent.mail, subject=replace(sent.mail.subject, version=v))))
    return out


def _noted(message: tuple[RawMessage, MailInfo, Sent], ids: set[str], sending: set[tuple[str | None, str]],
           notes: list[Skipped]) -> int:
    """The revision of the first of a lone patch's reposts: its own, or the later one its notes below ``---`` name
    where it is a lone ``[PATCH]`` sent in a thread of its own or below a cover letter (answering none of the other
    messages ``ids``: one below a patch is an addendum or a reply, harness.loneaddenda; nor answered by its sender's
    next patch of one ``-N`` sending, ``sending`` holding (In-Reply-To, sender) of those; message.notes_revision;
    format-patch output not sent yet is one series as ``git am`` of the folder applies it), with a note in ``notes``."""
    raw, info, sent = message
    own = sent.mail.subject.version
    parent = sent.mail.in_reply_to or (sent.mail.references[-1] if sent.mail.references else None)
    alone = parent not in ids and (sent.mail.msgid, sent.sender) not in sending
    said = notes_revision(info) if _lone(sent) and alone and not raw.unsent else None
    if said is None or said <= own:
        return own
    notes.append(Skipped(sent.mail.where, f"<{sent.mail.msgid}> [PATCH] {sent.mail.subject.title} read as v{said}, a "
                                          f"revision its subject does not name: its notes below '---' name v{said}"))
    return said


def naked_covers(
    messages: list[tuple[RawMessage, MailInfo, Sent]],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """The cover letter of a revision whose subjects name none ([PATCH v4 0/5]), found as b4 0.16 finds it
    (LoreMailbox.get_series): the message its lowest-numbered patch with an In-Reply-To answers, when that holds
    no diff and has a diffstat, or starts its thread (no In-Reply-To) from that patch's sender. A cover written by
    hand ("[PATCH v4] x86/virt: rework", a subject without a tag) was an empty patch (exit 2) or a reply to
    nothing, its base-commit: and its replies' trailers lost. Only a message that is no numbered patch nor a
    reply ("Re:") is taken: another revision's cover letter stays that revision's, where b4 lends it to both,
    and a "Re:" one stays a reply, where b4 names it the cover letter but gives it no follow-up trailers."""
    by_id = {sent.mail.msgid: i for i, (_, _, sent) in enumerate(messages)}
    covered = {s.mail.subject.version for _, _, s in messages if s.patch and s.mail.subject.number == 0}
    firsts: dict[int, list[Sent]] = {}
    for _, _, sent in messages:
        s = sent.mail.subject
        if sent.patch and s.number and not s.is_reply and s.version not in covered:
            firsts.setdefault(s.version, []).append(sent)
    out = list(messages)
    taken: set[int] = set()
    for version, members in sorted(firsts.items()):
        for member in sorted(members, key=lambda m: m.mail.subject.number or 0):  # stable: the one read first
            at = by_id.get(member.mail.in_reply_to or "")
            if at is None or at in taken:
                continue
            raw, info, cand = out[at]
            has_diff, has_stat = _diff_and_stat(info)
            cs = cand.mail.subject
            if has_diff or cs.is_reply or (cand.patch and cs.number is not None):
                continue
            if has_stat or (cand.mail.in_reply_to is None and cand.sender == member.sender):
                subject = replace(cs, version=version, number=0, total=member.mail.subject.total, is_patch=True)
                out[at] = (raw, info, replace(cand, mail=replace(cand.mail, subject=subject), patch=True))
                taken.add(at)
                break
    return out


def followups_without_re(
    messages: list[tuple[RawMessage, MailInfo, Sent]],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """A numbered patch mail with no diff sent In-Reply-To the message of its own slot (the same revision, N and
    M: its patch, or the cover letter for a 0/M) is a reply whose mailer kept the subject without "Re:" (an
    author's "ping", a note below their own patch), as b4 0.16 takes it: a follow-up when it has trailers, else
    nothing of the series (LoreMessage, LoreMailbox.add_message). It was an empty patch (exit 2) or, below the
    cover letter, a second posting of the revision. A 0/M that patches of its revision answer is no note: it is
    the cover letter of the revision posted again (``git send-email --in-reply-to`` the first cover letter), read
    as that posting sent in a thread of its own."""
    by_id = {sent.mail.msgid: sent for _, _, sent in messages}
    answered: dict[str, list[MailInfo]] = defaultdict(list)  # msgid -> its numbered patches' (a cover letter's)
    for _, info, sent in messages:
        if sent.patch and sent.mail.subject.number and sent.mail.in_reply_to:
            answered[sent.mail.in_reply_to].append(info)
    out = list(messages)
    for i, (raw, info, sent) in enumerate(messages):
        s = sent.mail.subject
        parent = by_id.get(sent.mail.in_reply_to or "")
        if not sent.patch or s.number is None or parent is None or parent is sent or not parent.patch:
            continue
        if s.number == 0 and any(_diff_and_stat(x)[0] for x in answered.get(sent.mail.msgid, ())):
            continue
        ps = parent.mail.subject
        if (ps.version, ps.number, ps.total) == (s.version, s.number, s.total) and not _diff_and_stat(info)[0]:
            out[i] = (raw, info, replace(sent, patch=False))
    return out


def number_lone_patches(
    messages: list[tuple[RawMessage, MailInfo, Sent]],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """Lone ``[PATCH] x`` mails (no N/M) numbered: patch 1 of 1, never a cover letter; those of one revision and
    sender (``git format-patch -N`` or ``-k`` output, ``git am *.patch``) are one series in the order read, as
    ``git am`` applies them, a title each: a title seen before is another version of that patch (given twice).
    Format-patch output not sent yet (its separator line) is one series whoever wrote each commit: its From: is
    each commit's author, and ``git am`` of the folder applies them all; keyed by sender, a branch of two
    authors' commits was two postings of patch 1 (one set aside, exit 2); its cover letter (``-N --cover-letter``:
    ``[PATCH] *** SUBJECT HERE ***``, no diff, a diffstat) is the series' cover letter, not an empty patch 1. A sent
    one under the title of its sender's numbered patch of that revision takes that patch's N/M (_numbered_again)."""
    lone: dict[tuple[int, str], list[int]] = defaultdict(list)
    covers: dict[int, list[int]] = defaultdict(list)  # of unsent output, by revision
    again = _numbered_again(messages)
    for i, (raw, info, sent) in enumerate(messages):
        if sent.patch and sent.mail.subject.number is None and i not in again:
            if raw.unsent and _diff_and_stat(info) == (False, True):
                covers[sent.mail.subject.version].append(i)
            else:
                lone[(sent.mail.subject.version, "" if raw.unsent else sent.sender)].append(i)
    out = list(messages)
    for (version, who), indices in lone.items():
        numbers: dict[str, int] = {}
        for i in indices:
            numbers.setdefault(out[i][2].mail.subject.title, len(numbers) + 1)
        numbered = [(i, numbers[out[i][2].mail.subject.title]) for i in indices]
        for i, number in numbered + ([(i, 0) for i in covers.pop(version, [])] if not who else []):
            raw, info, sent = out[i]
            mail = replace(sent.mail, subject=replace(sent.mail.subject, number=number, total=len(numbers)))
            out[i] = (raw, info, replace(sent, mail=mail))
    for i, (number, total) in again.items():
        raw, info, sent = out[i]
        out[i] = (raw, info, replace(sent, mail=replace(sent.mail, subject=replace(
            sent.mail.subject, number=number, total=total))))
    return out


def _numbered_again(messages: list[tuple[RawMessage, MailInfo, Sent]]) -> dict[int, tuple[int, int]]:
    """Each sent lone patch (no N/M: ``[PATCH v2 RESEND] x``) whose sender sent a numbered patch of its revision and
    title (``[PATCH v2 2/3] x``) -> that patch's number and count: that patch mailed again, not a series of its own
    (harness.resent decides by git patch-id whether it is the same change, read in that slot)."""
    numbered: dict[tuple[int, str, str], tuple[int, int]] = {}
    for raw, _, sent in messages:
        s = sent.mail.subject
        if sent.patch and s.number and s.total and not s.is_reply and not raw.unsent:
            numbered.setdefault((s.version, sent.sender, s.title), (s.number, s.total))
    return {i: at for i, (raw, _, sent) in enumerate(messages)
            if sent.patch and sent.mail.subject.number is None and not raw.unsent and not sent.mail.subject.is_reply
            and (at := numbered.get((sent.mail.subject.version, sent.sender, sent.mail.subject.title))) is not None}


def numbered_resends(
    messages: list[tuple[RawMessage, MailInfo, Sent]], notes: list[Skipped],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """A numbered patch mailed again with no revision in its subject (``[PATCH RESEND 2/3] x``: the ``v2`` left out)
    whose notes below ``---`` name a later revision (message.notes_revision), its sender having sent the patch of that
    revision, number, count and title (``[PATCH v2 2/3] x``), is that patch again, of that revision (harness.resent
    then decides by git patch-id whether it is the same change, read in its slot), said in ``notes``. It was a v1 of
    one patch of three, beside v2."""
    numbered = {(s.version, sent.sender, s.number, s.total, s.title) for raw, _, sent in messages
                if sent.patch and (s := sent.mail.subject).number and not s.is_reply and not raw.unsent}
    out = list(messages)
    for i, (raw, info, sent) in enumerate(messages):
        s = sent.mail.subject
        if not sent.patch or not s.number or s.is_reply or raw.unsent or says_version(s):
            continue
        said = notes_revision(info)
        if said is not None and said > s.version and (said, sent.sender, s.number, s.total, s.title) in numbered:
            out[i] = (raw, info, replace(sent, mail=replace(sent.mail, subject=replace(s, version=said))))
            notes.append(Skipped(sent.mail.where, (
                f"<{sent.mail.msgid}> [{' '.join(s.tags)}] {s.title} read as v{said} patch {s.number}/{s.total}, a "
                f"revision its subject does not name: its notes below '---' name v{said}, and its sender sent "
                f"v{said}'s patch {s.number}/{s.total} of that title")))
    return out
