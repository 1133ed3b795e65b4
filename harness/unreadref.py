"""Unread: the patch mail not read that a reply placed below a patch read answers (Reply.answers_unread)."""

from __future__ import annotations

from models.record import record


@record
class Unread:
    """A patch mail of a posting not read (refused for another of its revision: harness.postings) that a reply answers,
    by which harness.replythread placed it: ``msgid`` its Message-ID, ``version`` its revision. ``by_diff``: the reply
    is given to the read patch of its number for its diff, kept there only where git apply takes it
    (harness.unreadfixups): a ``[PATCH v2 2/2 fixup]`` (a patch mail, as b4 and git am read it), or a reply holding a
    diff whose change no other revision's patch makes (git am takes any mail's diff; b4 credits the trailers of such a
    follow-up to none, nor does harness.followups); else it is below the read patch of another revision that is the
    same change (``git patch-id --stable``), whose trailers b4 0.16 carries to that change's patch of every revision
    but ``version`` (b4/__init__.py's trailer_map, ``if pmsg.revision != revision``: harness.followups)."""

    msgid: str
    version: int
    by_diff: bool
