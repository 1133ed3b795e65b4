"""misaddressed_notes: a reply sent In-Reply-To one patch whose subject names another patch of the revision."""

from __future__ import annotations

from harness.model import Revision, Skipped


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def misaddressed_notes(revisions: tuple[Revision, ...]) -> list[Skipped]:
    """One note per reply answering a patch's own mail (its In-Reply-To: the patch or a resend read as it) whose
    subject names another patch of that revision, by number and title ('Re: [PATCH v2 3/4] TITLE-OF-3' sent by
    answering 2/4): it is read below the patch it answers, as b4 0.16 am reads it (by In-Reply-To alone), and what it
    says may be of the other, which nothing else says."""
    out: list[Skipped] = []
    for rev in revisions:
        by_number = {p.number: p for p in rev.patches}
        for p in rev.patches:
            own = {p.mail.msgid, *p.reposted}
            for r in (r for r in p.replies if r.mail.in_reply_to in own):
                s = r.mail.subject
                other = by_number.get(s.number or 0) if s.version == rev.version and s.number != p.number else None
                if other is None or _words(s.title) != _words(other.mail.subject.title) \
                        or _words(s.title) == _words(p.mail.subject.title):
                    continue
                mine, named = p.label, other.label
                out.append(Skipped(r.mail.where, (
                    f"<{r.mail.msgid}> answers v{rev.version} {mine} (its In-Reply-To) though its subject names "
                    f"v{rev.version} {named} ({other.mail.subject.title}): read as a reply to {mine}, as b4 am reads "
                    f"it, so what it says is of {mine}")))
    return out
