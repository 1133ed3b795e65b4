"""Where a reply sits in its thread: the message it answers, up its chain of replies, and the patch it is below."""

from __future__ import annotations

from harness.model import Patch, Reply


def reply_heads(replies: dict[str, Reply]) -> dict[str, str]:
    """The message each reply is below: up its In-Reply-To chain through replies (without one, its References'
    last), to the first message that is no reply (a patch, the cover letter, or one the input lacks); in a loop of
    replies, the first one met again. Each reply's chain is walked once, what it ends at kept for every reply on it:
    walked from every reply anew, a chain of 10,000 replies each answering the last took 80 s."""
    tops: dict[str, str] = {}
    for start in replies:
        path: dict[str, None] = {}
        msgid = start
        while msgid in replies and msgid not in tops and msgid not in path:
            path[msgid] = None
            mail = replies[msgid].mail
            msgid = mail.in_reply_to or (mail.references[-1] if mail.references else "")
        if msgid in path:  # a loop: each of its replies is the first one met again from itself
            loop = list(path)[list(path).index(msgid):]
            tops.update((m, m) for m in loop)
        top = tops.get(msgid, msgid)
        tops.update((m, top) for m in path if m not in tops)
    return tops


def placed_below(r: Reply, up: str, heads: dict[str, Patch], patches: set[str], listed: dict[str, str]) -> str:
    """The message ``r`` is below. A parent the input lacks (a reply to a reply not given), or none named (a
    mailer that drops threading): the patch its References name, else the one its subject names, as the series
    view lists it; never dropped unsaid, never put on a patch the variant does not apply. ``up``: its head
    (reply_heads)."""
    if up in heads or up in patches:
        return up
    named = [m for m in reversed(r.mail.references) if m in heads or m in patches]
    return named[0] if named else listed[r.mail.msgid]
