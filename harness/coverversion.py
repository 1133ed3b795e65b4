"""A cover letter whose subject names no revision but whose changelog or patches do: its posting is that revision."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from harness.mailinfo import MailInfo
from harness.message import cover_revision
from harness.model import Skipped
from harness.postings import Sent
from harness.sources import RawMessage
from harness.subject import says_version


def changelog_revisions(
    messages: list[tuple[RawMessage, MailInfo, Sent]], notes: list[Skipped],
) -> list[tuple[RawMessage, MailInfo, Sent]]:
    """A ``[PATCH 0/3]`` cover letter (no version tag) whose changelog names a later revision ("Changes in v2:",
    "Changes since v1:", "v1 -> v2:") is that revision's, and so are its sender's unversioned patches of that count
    below it (In-Reply-To it, or a patch of them: ``--thread=deep``): a series reworked and sent again without
    ``-v2``. It was another posting of v1, the two postings of other changes refused (exit 2). b4 0.16 reads no
    changelog: it numbers the later posting v1 too (in one thread with the first, it mixes the two's patches).
    Without a changelog, one whose patches In-Reply-To it all name one later revision is that revision's
    (_patches_revision): a cover letter whose tag was left out by hand. Each such letter is said in ``notes`` (on its
    ``FILE:LINE``: what told its revision, how many of its patches follow it), as no subject names that revision."""
    below: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, sent) in enumerate(messages):
        if sent.mail.in_reply_to:
            below[sent.mail.in_reply_to].append(i)
    out = list(messages)
    for i, (_, info, sent) in enumerate(messages):
        s = sent.mail.subject
        if not sent.patch or s.number != 0 or s.is_reply or says_version(s):
            continue
        logged = cover_revision(info)
        said = logged or _patches_revision(sent, [messages[j][2] for j in below.get(sent.mail.msgid, ())])
        if said is None or said <= s.version:
            continue
        todo, seen = [i], {i}
        while todo:  # down the cover's thread through its own patches only: each message once
            at = todo.pop()
            raw, at_info, member = out[at]
            out[at] = (raw, at_info, replace(member, mail=replace(member.mail, subject=replace(
                member.mail.subject, version=said))))
            for j in below.get(member.mail.msgid, ()):
                o = messages[j][2]
                os_ = o.mail.subject
                if (j not in seen and o.patch and os_.number and not os_.is_reply and not says_version(os_)
                        and o.sender == sent.sender and os_.total == s.total):
                    seen.add(j)
                    todo.append(j)
        notes.append(_note(out[i][2], said, len(seen) - 1, logged == said))
    return out


def _note(cover: Sent, said: int, patches: int, logged: bool) -> Skipped:
    """The note on a cover letter read as revision ``said`` with ``patches`` of its own below it: its changelog named
    it (``logged``), else its patches' tags did."""
    head = f"<{cover.mail.msgid}> [PATCH 0/{cover.mail.subject.total}]"
    if not logged:
        return Skipped(cover.mail.where, f"{head} read as v{said}, a revision its subject does not name: its patches "
                                  f"In-Reply-To it name v{said}")
    below = f" and its {patches} patch{'es' if patches != 1 else ''} below it" if patches else ""
    return Skipped(cover.mail.where, f"{head}{below} read as v{said}, a revision no subject of theirs names: the cover "
                              f"letter's changelog names v{said}")


def _patches_revision(cover: Sent, children: list[Sent]) -> int | None:
    """The revision every numbered patch of the cover letter's sender and count In-Reply-To it names by a tag
    (``[PATCH v2 1/3]`` below a ``[PATCH 0/3]``), None where one names none or they differ. b4 0.16 takes such a letter
    for that revision's cover (LoreMailbox.get_series: the message its first patch answers); it was read as a
    resend of the earlier revision's cover letter, the revision's own left without one."""
    s = cover.mail.subject
    # Every one counts, its own patches too: v2's sent In-Reply-To v1's cover letter beside v1's keep it v1's.
    named = {c.mail.subject.version if says_version(c.mail.subject) else None for c in children
             if c.patch and c.sender == cover.sender and c.mail.subject.number and c.mail.subject.total == s.total
             and not c.mail.subject.is_reply}
    return named.pop() if len(named) == 1 else None
