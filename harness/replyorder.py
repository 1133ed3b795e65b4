"""Which of two replies came later: one answering the other (up its chain), or dated after it."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

from harness.model import Mail, Reply


def reply_date(r: Reply) -> datetime | None:
    """The reply's Date: read, None when it has none or it reads as no date."""
    return mail_date(r.mail)


def mail_date(mail: Mail) -> datetime | None:
    """The mail's Date: read (RFC 5322, by email.utils), None when it has none or it reads as no date."""
    try:
        return parsedate_to_datetime(mail.date)
    except (TypeError, ValueError, IndexError):
        return None


def reply_chain(msgid: str, replies: dict[str, Reply]) -> set[str]:
    """The messages above a reply, up its In-Reply-To chain (its References' last without one)."""
    seen: set[str] = set()
    while msgid in replies and msgid not in seen:
        seen.add(msgid)
        mail = replies[msgid].mail
        msgid = mail.in_reply_to or (mail.references[-1] if mail.references else "")
    return seen | {msgid}


def later_than(r: Reply, drop: Reply, replies: dict[str, Reply]) -> bool:
    """Whether ``r`` answers ``drop`` (up its chain), or is dated strictly after it and is not above it."""
    if drop.mail.msgid in reply_chain(r.mail.msgid, replies):
        return True
    if r.mail.msgid in reply_chain(drop.mail.msgid, replies):
        return False
    later, earlier = reply_date(r), reply_date(drop)
    try:
        return later is not None and earlier is not None and later > earlier
    except TypeError:  # one with a zone, one without ("-0000"): they compare not
        return False
