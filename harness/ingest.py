"""parse_series: messages from files into one Series with revisions, slots and threaded replies."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from harness import sources
from harness.amreading import AmReading
from harness.barquote import thread_holds
from harness.coverversion import changelog_revisions
from harness.diffparse import combined_diff_refusal, diff_start_line
from harness.diffpaths import unprefixed
from harness.errors import InputError, Where
from harness.gitview import GIT_HEADER_LINES
from harness.loneaddenda import lone_addenda
from harness.mailinfo import MailInfo, mailinfo
from harness.mailpaths import read_paths
from harness.mailwalk import TooManyLines
from harness.message import date_stop, mail_of, patch_of
from harness.mimedecode import decode_header, fold_space, knows_charset, parse_from, words_unconverted
from harness.misaddressed import misaddressed_notes
from harness.model import Mail, Patch, Reply, Revision, Series, Skipped, Slot, number_ranges
from harness.msgcopies import MessageCopies
from harness.patchfilediff import unread_notes
from harness.postings import Postings, Sent, one_posting_per_revision
from harness.postingwords import joined_note
from harness.rangediff import range_diff_notes
from harness.replies import bounded_reply, refuse_many_passages
from harness.replythread import thread_replies
from harness.reposts import depth as chain_depth
from harness.reposts import (
    followups_without_re,
    lone_reposts,
    naked_covers,
    number_lone_patches,
    numbered_resends,
    replacement_notes,
    replacements,
    revision_of_parent,
)
from harness.rerolls import Link, partial_rerolls
from harness.sources import RawMessage, too_many_lines
from harness.strictthread import DIFFSTAT, Node, angled, strict_thread
from harness.subject import parse_subject
from harness.threadcache import ThreadCopy
from harness.tradnames import Depth
from models.record import record


@record
class IngestRequest:
    """What to read: files, mboxes or directories; ``threads`` the copies of lore threads among them, of each
    only the thread of its Message-ID is read (harness.strictthread)."""

    paths: tuple[Path, ...]
    threads: tuple[ThreadCopy, ...] = ()
    reading: AmReading = AmReading()  # git am's configuration in the --tree (harness.amreading)


def _mboxrd_quoting(info: MailInfo, where: Where) -> Skipped | None:
    from harness.mboxrdquote import mboxrd_quoting  # read for an unsent patch alone (format-patch's own output)

    return mboxrd_quoting(info, where)


def _quoted_inbody_from(info: MailInfo, where: Where) -> Skipped | None:
    # Read only for a body whose first line is quoted: `series` loads no reader its input does not need.
    if not next((t for _, t in info.log if t.strip()), "").startswith(">"):
        return None
    from harness.mboxrdquote import quoted_inbody_from

    return quoted_inbody_from(info, where)


def _is_patch(mail: Mail, info: MailInfo) -> bool:
    """A patch (or cover letter): not a reply, and carrying a diff or numbered like ``[PATCH 3/7]``.

    The diff is looked for where git mailinfo puts it (after the patch break, decoded), so a lone
    ``[PATCH]`` whose body is 8-bit or encoded is found as git am finds it.
    """
    s = mail.subject
    if s.is_reply:
        return False
    has_diff = diff_start_line([ln.decode("utf-8", "replace") for _, ln in info.patch]) is not None
    if s.reply_after_tags and not has_diff and s.number != 0:
        return False  # "[PATCH] Re: ..." without a diff: a hand-written reply (b4 ignores it); [PATCH 0/M] a cover
    # A lone "[PATCH] x" with no diff is a patch git am finds empty (its diff lost to a mail client, say), not a
    # reply to nothing: [PATCH 1/2] was refused so, and this one listed as "(empty)" with exit status 0.
    said_patch = any(t.lower().startswith("patch") for t in s.tags)
    return has_diff or (s.is_patch and s.number is not None) or said_patch


def _sort_key(mail: Mail) -> tuple[int, int, tuple[int, ...]]:
    return (mail.subject.version, mail.subject.number or 0, mail.subject.point)


# The most patches one revision may have (the kernel's largest series have a few hundred).
MAX_SERIES_PATCHES = 9999


def _group(patches: list[Patch], skipped: list[Skipped],
           replaces: dict[str, str] | None = None) -> tuple[Revision, ...]:
    by_version: dict[int, dict[int, Patch]] = defaultdict(dict)
    superseded: dict[tuple[int, int], list[Patch]] = defaultdict(list)
    replaces = replaces or {}
    depth = {p.mail.msgid: chain_depth(p.mail.msgid, replaces) for p in patches}
    # Of two patches of one slot the one read first is kept (sorted() is stable) and the second refused, as
    # one_posting_per_revision keeps the first posting read; how their Message-IDs sort says nothing.
    for p in sorted(patches, key=lambda p: (_sort_key(p.mail), depth[p.mail.msgid])):
        if max(p.mail.subject.total or 0, p.number) > MAX_SERIES_PATCHES:
            # A revision has a slot per patch number: an absurd N/M must not size it (memory, time).
            skipped.append(Skipped(p.mail.where, f"[PATCH {p.number}/{p.mail.subject.total}]: a series of more "
                                                 f"than {MAX_SERIES_PATCHES} patches is not read"))
            continue
        slots = by_version[p.mail.subject.version]
        other = slots.get(p.number)
        if other is not None and p.number and (other.mail.subject.point < p.mail.subject.point
                                               or replaces.get(p.mail.msgid) == other.mail.msgid):
            # "[PATCH v2.1 3/7]" is an update of v2's 3/7 (git format-patch -v2.1), a patch sent In-Reply-To
            # the one of its slot by its sender a replacement of it (harness.reposts): it takes the slot.
            superseded[(p.mail.subject.version, p.number)].append(other)
        elif other is not None:
            skipped.append(Skipped(p.mail.where, (
                f"v{p.mail.subject.version} patch {p.label} given twice: "
                f"<{other.mail.msgid}> and <{p.mail.msgid}>; refusing to mix them")))
            continue
        slots[p.number] = p
    revisions = []
    for version in sorted(by_version):
        slots = by_version[version]
        cover = slots.pop(0, None)
        totals = [max(p.mail.subject.total or 1, n) for n, p in slots.items()]  # "[PATCH 6/5]" is patch 6
        total = max(totals + ([cover.mail.subject.total or 0] if cover else []) + [0])
        rfc = any(p.mail.subject.rfc for p in slots.values()) or bool(cover and cover.mail.subject.rfc)
        revisions.append(Revision(
            version=version, rfc=rfc, total=total, cover=cover,
            slots=tuple(Slot(n, slots.get(n), tuple(superseded[(version, n)])) for n in range(1, total + 1)),
        ))
    return tuple(revisions)


def _text_of(lines: Iterable[str]) -> str:
    """Lines as one text, whatever their line ends (an .eml's CRLF, an mbox's LF) and the blank lines after
    them (an mbox's separator line): what two copies of one message have alike."""
    return "\n".join(ln.rstrip("\r\n") for ln in lines).rstrip("\n")


def _commit_digest(info: MailInfo) -> bytes:
    """A digest of what git am would commit of a message (author, subject, message, patch): the same again (a
    thread saved twice, a mail in two folders) is the same message, read once, as b4 does. A digest, not the
    texts: each message's whole text was kept a second time for this comparison alone. BLAKE2b, 32 bytes (held in
    memory only: CPython's _blake2 hashes 4x faster than the builtin sha256 the command line has, harness.launch)."""
    h = hashlib.blake2b(digest_size=32)
    for part in (info.author, info.email, info.subject, _text_of(t for _, t in info.log),
                 _text_of(b.decode("utf-8", "surrogateescape") for _, b in info.patch)):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)  # not prefix + data: a third copy of a 4 MiB text, past test_reply_size's bound
    return h.digest()


_QUOTED_CR = {
    False: "quoted CRLF detected (git am's warning): lines of the body reach git mailinfo ending in CR LF (the base64 "
           "or quoted-printable body decodes to them, or the mail has one CR more than mailsplit drops); git am keeps "
           "the CR, as read here, so hunks may not apply (b4 am and git am --quoted-cr=strip drop it)",
    # Under --keep-cr mailinfo sees every CR LF line end of the mail as quoted, not only decoded ones.
    True: "quoted CRLF detected (git am's warning): lines of the body end in CR LF, kept as git am --keep-cr keeps "
          "them (am.keepcr is set in the --tree's git config) or decoded so from base64 or quoted-printable; git am "
          "keeps the CR, as read here, so hunks may not apply (git am --quoted-cr=strip drops it)",
}


def _read(raws: list[RawMessage], skipped: list[Skipped], notes: list[Skipped],
          reading: AmReading) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """Each message once (duplicate Message-IDs: MessageCopies.take), with what git mailinfo takes from it and how
    the thread sees it."""
    copies = MessageCopies({}, skipped, notes, lambda raw: _damaged(raw, reading))
    out: list[tuple[RawMessage, MailInfo, Sent]] = []
    budget = sources.MAX_INPUT_LINES  # body lines as decoded, of every message read: base64 makes some 28 of a line
    for raw in raws:
        try:
            info = mailinfo(raw.data, raw.where.line, reading.quoted_cr, budget)
            mail = mail_of(raw, info)
        except TooManyLines as exc:
            raise too_many_lines(Where(raw.where.path, exc.number)) from None
        except InputError as exc:
            skipped.append(Skipped(exc.where or raw.where, exc.message))
            continue
        budget -= len(info.log) + len(info.patch)
        same = _commit_digest(info)
        at = copies.take(mail.msgid, raw, same, len(out))
        if at is None:
            continue
        is_patch = _is_patch(mail, info)
        if is_patch and info.quoted_cr is not None:
            notes.append(Skipped(Where(raw.where.path, info.quoted_cr, mail.msgid), _QUOTED_CR[reading.keep_cr]))
        if is_patch and (bad := info.unconverted or _unconverted_header(raw)) is not None:
            notes.append(Skipped(Where(raw.where.path, bad[0], mail.msgid), _unconverted(*bad), stops_am=True))
        if is_patch and (late := date_stop(raw, info, mail.msgid)) is not None:
            notes.append(late)
        if is_patch and (bare := _unprefixed(info)) is not None:
            notes.append(Skipped(Where(raw.where.path, bare[0], mail.msgid), bare[1]))
        if is_patch and raw.unsent and (rd := _mboxrd_quoting(info, Where(raw.where.path, 0, mail.msgid))):
            notes.append(rd)
        if is_patch and (from_line := _quoted_inbody_from(info, Where(raw.where.path, 0, mail.msgid))):
            notes.append(from_line)
        if is_patch and (squash := _AUTOSQUASH.match(mail.subject.title)) is not None:
            notes.append(Skipped(raw.where, f"'{mail.subject.title}': a commit git rebase -i --autosquash folds into "
                                            f"the one titled '{squash.group(2)}' ({squash.group(1)}), sent as a patch "
                                            "of its own: read and applied as sent, the patch it amends compared "
                                            "without it"))
        sender = parse_from(fold_space(decode_header(raw.header("From").encode("utf-8", "surrogateescape"))))[1]
        entry = (raw, info, Sent(mail, sender.lower(), is_patch))
        if at == len(out):
            out.append(entry)
        else:
            out[at] = entry
    return number_lone_patches(numbered_resends(lone_reposts(naked_covers(followups_without_re(revision_of_parent(
        changelog_revisions(out, notes)))), notes), notes))


def _damaged(raw: RawMessage, reading: AmReading) -> str | None:
    """Why git am commits no patch of the patch mail ``raw`` (a diff it stops at, as patch_of reads it; none at all,
    as a mail cut off before it), for MessageCopies to keep a sound copy of it; None when it commits one, or ``raw``
    is no patch mail (a reply, a cover letter)."""
    try:
        info = mailinfo(raw.data, raw.where.line, reading.quoted_cr, sources.MAX_INPUT_LINES)
        mail = mail_of(raw, info)
        if mail.subject.is_reply or mail.subject.number == 0 or not _is_patch(mail, info):
            return None
        if diff_start_line([ln.decode("utf-8", "replace") for _, ln in info.patch]) is None:
            combined = combined_diff_refusal(info.patch)
            return combined[1] if combined else "it has no diff (git am: Patch is empty), a mail cut short or damaged"
        patch_of(raw, mail, info)
    except TooManyLines:
        return None  # said where the copy read is
    except InputError as exc:
        return exc.message
    return None


def _unconverted_header(raw: RawMessage) -> tuple[int, str, str] | None:
    """The message's first line, the charset and the header (From, Subject, Date: the ones git mailinfo decodes) whose
    RFC 2047 words git cannot convert to UTF-8 (mailinfo.c decode_header), or None."""
    for name in ("From", "Subject", "Date"):
        if (charset := words_unconverted(raw.header(name).encode("utf-8", "surrogateescape"))) is not None:
            return raw.where.line, charset, f"its {name}: header"
    return None


def _unconverted(line: int, charset: str, what: str = "the commit message") -> str:
    """Why a patch's text (a commit message line, a header) is read where git am stops on it (mailinfo.c
    convert_to_utf8)."""
    why = "a charset git does not know" if not knows_charset(charset) else f"bytes that are not {charset} text"
    return (f"git am stops here: 'cannot convert from {charset} to UTF-8' ({why} in {what}): read as git am "
            "--no-utf8 commits it, its bytes as UTF-8, Latin-1 where invalid (b4 am takes it, bytes U+FFFD)")


# git commit --fixup/--squash titles (sequencer.c: "fixup! ", "squash! ", "amend! "), which --autosquash moves.
_AUTOSQUASH = re.compile(r"^(fixup|squash|amend)! (.+)$")


def _unprefixed(info: MailInfo) -> tuple[int, str] | None:
    """The first ``diff --git`` line of a patch whose names lack a/ and b/ (harness.diffpaths.unprefixed), with its
    line and note; None where each has them, or where a traditional patch before it fixed -p0 (git apply then reads
    the git diff's names whole too: harness.tradnames.Depth)."""
    depth, in_git, lines = Depth(), False, info.patch
    for k, (n, data) in enumerate(lines):
        if data.startswith(b"diff --git "):
            if depth.p == 0:
                return None
            if (said := unprefixed(data.decode("utf-8", "surrogateescape").rstrip("\r\n"))) is not None:
                return n, said
            in_git = True
        elif in_git and not data.decode("ascii", "replace").startswith(GIT_HEADER_LINES):
            in_git = False  # the header ends here, hunk or not (a mode change's): a traditional patch may follow
        if not in_git and data.startswith(b"--- ") and k + 2 < len(lines) and lines[k + 1][1].startswith(b"+++ ") \
                and lines[k + 2][1].startswith(b"@@ -"):
            depth.guess(*(lines[j][1][4:].decode("utf-8", "surrogateescape").removesuffix("\n") for j in (k, k + 1)))
    return None


def _in_threads(messages: list[tuple[RawMessage, MailInfo, Sent]], threads: tuple[ThreadCopy, ...],
                notes: list[Skipped]) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """Of each fetched thread, the messages b4 am takes for its Message-ID (harness.strictthread); those left
    out are named in one note. Raises InputError (naming the URL) when none is: the server sent a thread
    that neither holds the message nor refers to it (b4: "No messages found")."""
    out = messages
    for copy in threads:
        mine = [i for i, (raw, _, _) in enumerate(out) if raw.where.path == str(copy.path)]
        if not mine:  # nothing of it could be read: its own error says why
            continue
        keep = {mine[k] for k in strict_thread([_node(*out[i]) for i in mine], copy.msgid)}
        if not keep:
            raise InputError(Where(copy.url or str(copy.path)), f"the thread sent for <{copy.msgid}> holds neither "
                                                                "that message nor any message that refers to it")
        left = [i for i in mine if i not in keep]
        if left:
            ids = ", ".join(f"<{out[i][2].mail.msgid}>" for i in left[:3]) + (" ..." if len(left) > 3 else "")
            notes.append(Skipped(out[left[0]][0].where, f"{len(left)} message{'s' if len(left) > 1 else ''} of the "
                                 f"thread sent for <{copy.msgid}> not read ({ids}): outside what b4 am takes, the "
                                 "messages In-Reply-To and References link to it (of a v1 patch sent in reply to "
                                 "another message, the patch or its cover letter and what answers them)"))
            out = [e for i, e in enumerate(out) if i not in set(left)]
    return out


def _node(raw: RawMessage, info: MailInfo, sent: Sent) -> Node:
    """A message as b4 threads it: its ids, what its own subject says (not the numbering of lone patches)."""
    subject = parse_subject(info.header_subject)
    patch = [ln.decode("utf-8", "replace") for _, ln in info.patch]
    body = "\n".join([t for _, t in info.log] + patch)
    return Node(sent.mail.msgid, angled(raw.header("In-Reply-To")) + angled(raw.header("References")),
                next(iter(angled(raw.header("In-Reply-To"))), None), bool(raw.header("References").strip()),
                subject.is_reply, subject.version, 1 if subject.number is None else subject.number,
                1 if subject.total is None else subject.total,
                diff_start_line(patch) is not None or DIFFSTAT.search(body) is not None)


def _links(messages: list[tuple[RawMessage, MailInfo, Sent]]) -> dict[str, Link]:
    """Each message's In-Reply-To and the N/M its own subject says, as b4 walks a thread (harness.rerolls)."""
    out = {}
    for _, info, sent in messages:
        s = parse_subject(info.header_subject)
        out[sent.mail.msgid] = Link(sent.mail.in_reply_to, 1 if s.number is None else s.number,
                                    1 if s.total is None else s.total)
    return out


def _refuse_nul(raw: RawMessage, info: MailInfo) -> None:
    """A NUL byte in what the commit would hold (decoded from base64 or quoted-printable, or past the first
    bytes sources checks): git am stops ("a NUL byte in commit log message not allowed", commit.c).

    Raises InputError at the line that holds it."""
    line = next((n for n, text in info.log if "\0" in text), None)
    if line is None and "\0" not in info.author + info.email + info.subject:
        return
    raise InputError(Where(raw.where.path, line or raw.where.line, raw.where.msgid),
                     "a NUL byte in the commit message or author (git am refuses it: commit.c)")


def _refuse_combined(raw: RawMessage, info: MailInfo) -> None:
    """Raises InputError at the line of a merge's combined diff that a patch mail without a diff git applies holds."""
    if (combined := combined_diff_refusal(info.patch)) is not None:
        raise InputError(Where(raw.where.path, combined[0], raw.where.msgid), combined[1])


def parse_series(request: IngestRequest) -> Series:
    """Read every message under the request's paths into one Series; bad inputs are listed."""
    raws, skipped = read_paths(list(request.paths), request.reading.keep_cr)
    notes: list[Skipped] = []
    messages = _in_threads(_read(raws, skipped, notes, request.reading), request.threads, notes)
    postings = Postings([sent for _, _, sent in messages])
    addenda = lone_addenda(messages)
    notes.extend(addenda.values())
    patches: list[Patch] = []
    replies: list[Reply] = []
    by_id = {sent.mail.msgid: (raw, sent.mail) for raw, _, sent in messages}  # a thread's "|" quotes (barquote)
    for raw, info, sent in messages:
        mail = sent.mail
        try:
            if sent.patch and (postings.is_proposal(mail.msgid) or mail.msgid in addenda):
                replies.append(bounded_reply(raw, mail, info, True, thread_holds(mail, by_id)))
            elif sent.patch:
                patch = patch_of(raw, mail, info)
                if patch.number and not patch.files:
                    _refuse_combined(raw, info)
                    # git am stops here ("Patch is empty"); nothing may be claimed of what it was to change.
                    raise InputError(raw.where, f"patch {patch.number}/{mail.subject.total or '?'} has no diff "
                                                "(git am: Patch is empty): a mail cut short or damaged?")
                _refuse_nul(raw, info)
                patches.append(patch)
                if (joined := postings.joined(mail.msgid)) is not None:
                    notes.append(Skipped(raw.where, joined_note(mail, sent.sender, joined.mail, joined.sender)))
            else:
                refuse_many_passages(info.log, mail)
                replies.append(bounded_reply(raw, mail, info, held=thread_holds(mail, by_id)))
        except InputError as exc:
            skipped.append(Skipped(exc.where or raw.where, exc.message))
    kept = one_posting_per_revision(patches, postings)
    skipped.extend(kept.skipped)
    notes.extend(kept.notes)
    replaces = replacements(messages)
    # A tie's mails and those refused behind one: their lines name the replies below them as not read either.
    ties = {k.where for k in kept.skipped if k.tie is not None or kept.behind.get(k.where) is k}
    revisions, orphans, uncredited = thread_replies(_group(kept.patches, skipped, replaces), replies, kept.aliases,
                                                    patches, frozenset(p.mail.msgid for p in patches
                                                                       if p.mail.where in ties))
    notes.extend(uncredited)
    notes.extend(misaddressed_notes(revisions))
    revisions = partial_rerolls(revisions, _links(messages), notes)
    notes.extend(replacement_notes(revisions, replaces))
    notes.extend(unread_notes(replies, revisions))  # a diff not proposed is said
    notes.extend(range_diff_notes(messages, revisions))
    title = _title(revisions)
    notes.extend(_placeholder_notes(revisions, title))
    notes.extend(_past_total_notes(revisions))
    notes.extend(_mixed_total_notes(revisions, frozenset((n.where.path, n.where.line) for n in notes)))
    return Series(title=title, revisions=revisions, orphans=orphans, skipped=tuple(skipped), notes=tuple(notes))


# The subject `git format-patch --cover-letter` writes for the author to replace (builtin/log.c,
# make_cover_letter): a series sent straight from format-patch output is better named by its first patch.
FORMAT_PATCH_PLACEHOLDER = "*** SUBJECT HERE ***"


def _placeholder_notes(revisions: tuple[Revision, ...], title: str) -> list[Skipped]:
    """A note at each cover letter whose subject is format-patch's unedited placeholder: the series is named
    otherwise than the letter says, which was done without a word."""
    return [Skipped(rev.cover.mail.subject_where or rev.cover.mail.where,
                    f"the cover letter of v{rev.version} has git format-patch's unedited subject "
                    f"'{FORMAT_PATCH_PLACEHOLDER}': the series is named '{title}' here (a cover letter's title, else "
                    "the first patch's)")
            for rev in revisions
            if rev.cover and rev.cover.mail.subject.title.strip() == FORMAT_PATCH_PLACEHOLDER]


def _past_total_notes(revisions: tuple[Revision, ...]) -> list[Skipped]:
    """A note at each patch numbered past the total its subject gives ('[PATCH 2/1]') in a revision that then lacks
    patches: it is read as that many patches (_group, as b4 reads '[PATCH v2 4/3]', a patch added later), and the
    ones it lacks are said missing, which no mail said. A revision whole so read needs no word; git am numbers
    nothing, so the patch is read all the same."""
    return [Skipped(p.mail.subject_where or p.mail.where,
                    f"v{rev.version} patch {p.number} is numbered past the total its subject gives "
                    f"({p.number}/{p.mail.subject.total}): v{rev.version} is read as {rev.total} patches, and the "
                    f"input lacks {'patch' if len(rev.missing) == 1 else 'patches'} {number_ranges(rev.missing)}")
            for rev in revisions if rev.missing for p in rev.patches
            if p.mail.subject.total is not None and p.number > p.mail.subject.total]


def _mixed_total_notes(revisions: tuple[Revision, ...], noted: frozenset[tuple[str, int]]) -> list[Skipped]:
    """A note at the first patch of a revision whose subject gives another total than its first patch's ('[PATCH
    1/3]', then '[PATCH 6.1 046/123]', a stable tree's review posting): the revision is read as one of the largest
    total (_group), the postings of two series of one version mixed in it without a word. A patch a note already
    names (``noted``: each note's file and line; another sender's patch joined to the posting, harness.postingwords
    joined_note) is said there, not twice."""
    notes = []
    for rev in revisions:
        given = [p for p in rev.patches if p.mail.subject.total is not None
                 and (p.mail.where.path, p.mail.where.line) not in noted]
        totals: dict[int | None, Patch] = {}
        for p in given:
            totals.setdefault(p.mail.subject.total, p)  # each total's first patch
        if len(totals) < 2:
            continue
        other = next(p for p in given if p.mail.subject.total != given[0].mail.subject.total)
        shown = ", ".join(f"{t} ({p.number}/{t}, <{p.mail.msgid}>)" for t, p in totals.items())
        notes.append(Skipped(other.mail.subject_where or other.mail.where,
                             f"v{rev.version} mixes patches of {len(totals)} totals: {shown}: read as one revision of "
                             f"{rev.total} patches; postings of two series of one version in one input (a stable "
                             "tree's '[PATCH 6.1 046/123]', another series)? Give each series' mails apart"))
    return notes


def _title(revisions: tuple[Revision, ...]) -> str:
    """The newest cover letter title (an earlier revision's when the newer ones have none, or format-patch's
    unedited one), else the newest revision's first patch's."""
    for rev in reversed(revisions):
        if rev.cover and rev.cover.mail.subject.title.strip() != FORMAT_PATCH_PLACEHOLDER:
            return rev.cover.mail.subject.title
    for rev in reversed(revisions):
        for p in rev.patches:
            return p.mail.subject.title
    return "(empty)"
