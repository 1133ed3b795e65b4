"""A lone ``[PATCH]`` (no N/M) sent into a numbered revision's thread: an addendum to what it answers, not patch 1."""

from __future__ import annotations

from harness.diffparse import diff_start_line
from harness.mailinfo import MailInfo
from harness.model import Skipped
from harness.postings import Sent
from harness.sources import RawMessage
from harness.strictthread import DIFFSTAT
from harness.subject import parse_subject, says_version


def diff_and_stat(info: MailInfo) -> tuple[bool, bool]:
    """Whether a message holds a diff where git mailinfo finds one, and a diffstat (as b4 looks for them)."""
    patch = [ln.decode("utf-8", "replace") for _, ln in info.patch]
    body = "\n".join([t for _, t in info.log] + patch)
    return diff_start_line(patch) is not None, DIFFSTAT.search(body) is not None


def _explicit(info: MailInfo, sent: Sent) -> bool:
    """A patch mail numbered by its own subject (``[PATCH v3 1/3]``), or a cover letter found as one."""
    s = sent.mail.subject
    return (sent.patch and not s.is_reply and s.number is not None
            and (s.number == 0 or parse_subject(info.header_subject).number is not None))


def lone_addenda(messages: list[tuple[RawMessage, MailInfo, Sent]]) -> dict[str, Skipped]:
    """Lone patch mails read as replies to the message they answer (their diff a proposal): msgid -> a note.

    A ``[PATCH v3] title`` (or ``[PATCH] title`` In-Reply-To the v3 cover letter or v3's patch 1, whose
    revision b4 takes from it) sent In-Reply-To a message of a v3 whose patch 1 is numbered by its subject is
    an extra patch posted into the thread: b4 0.16 numbers it 1/1 (counters inferred) and LoreSeries.add_patch
    never keeps both: read after the numbered patch 1 it takes that slot and pushes patch 1 over patch 2 ("assume
    additional patch"; git am of b4's output then stops), read before it the numbered one replaces it. It was
    refused as v3's patch 01 "given twice" (exit 2), or, unversioned below the cover letter, made a v1 of its own
    whose pre-image is v3's end. One under the title of its sender's numbered patch of that revision is that patch
    mailed again (``[PATCH v3 RESEND] title``: reposts.number_lone_patches numbered it so), no addendum."""
    by_id = {sent.mail.msgid: (info, sent) for _, info, sent in messages}
    titled = {(sent.mail.subject.version, sent.sender, sent.mail.subject.title) for _, info, sent in messages
              if _explicit(info, sent) and sent.mail.subject.number}
    firsts = {sent.mail.subject.version for _, info, sent in messages
              if _explicit(info, sent) and sent.mail.subject.number == 1 and diff_and_stat(info)[0]}
    out: dict[str, Skipped] = {}
    for raw, info, sent in messages:
        s = sent.mail.subject
        parent = by_id.get(sent.mail.in_reply_to or "")
        if (not sent.patch or s.is_reply or parent is None or parent[1] is sent
                or parse_subject(info.header_subject).number is not None
                or (s.version, sent.sender, s.title) in titled):
            continue
        p_info, p_sent = parent
        if not _explicit(p_info, p_sent):
            continue
        ps = p_sent.mail.subject
        p_diff, p_stat = diff_and_stat(p_info)
        # b4 (LoreMailbox.add_message) gives an unversioned patch the revision of a cover letter (a diffstat, no
        # diff) or of a patch 1 it answers; below any other message it stays v1, a series of its own.
        fixed = (ps.number == 0 and p_stat and not p_diff) or (ps.number == 1 and p_diff)
        version = s.version if says_version(s) else (ps.version if fixed else None)
        if version != ps.version or version not in firsts:
            continue
        what = "cover letter" if ps.number == 0 else f"patch {ps.number}/{ps.total}"
        out[sent.mail.msgid] = Skipped(raw.where, (
            f"<{sent.mail.msgid}> ({s.raw.strip()}), no N/M, sent In-Reply-To v{version}'s {what}, is read as a "
            f"reply to it (its diff a proposal), not as a second v{version} patch 1 (b4 0.16 keeps the numbered "
            "one when it reads this one first, else puts this one in its place and it in patch 2's)"))
    return out
