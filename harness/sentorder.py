"""Which of two postings of one revision was sent later, and the order postings are read in.

By their Date: headers, else the ``RESEND``, else (the same changes) the one carrying more trailers; postings are read
in that order, whatever order the files were given in (harness.postings). Of two postings of the same changes, the one
alone a ``RESEND`` is the later whatever the Dates say (resent_later).
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from harness.errors import Where
from harness.model import Patch

BACKDATED = "the RESEND, its Date: before the other's: a resend comes after the mail it resends"
"""How sent_after tells a RESEND the later against its Date: (resent_later): the reason a posting's claim rests on."""
SAME_DATE = "the RESEND, the same Date:"
"""How sent_after tells a RESEND the later where the Dates do not (the same, or either missing)."""


def sent_at(p: Patch) -> float | None:
    """The time of the patch mail's Date: header, seconds since the epoch; None where it does not parse (RFC 5322)."""
    try:
        return parsedate_to_datetime(p.mail.date).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def sent_later(group: list[Patch], held: dict[int, Patch]) -> bool:
    """Whether a posting of the held changes was sent after the held one: by its Date: headers, else (same_date)."""
    mine = [t for p in group if (t := sent_at(p)) is not None]
    theirs = [t for p in held.values() if (t := sent_at(p)) is not None]
    if mine and theirs and min(mine) != min(theirs):
        return min(mine) > min(theirs)
    return same_date(group, list(held.values()))[0]


def resent_later(group: list[Patch], held: list[Patch]) -> bool | None:
    """Of two postings of the same changes (git patch-id), whether ``group`` is the later as the one of them alone a
    ``RESEND`` (``[PATCH v2 RESEND 2/3]``): a resend comes after the mail it resends, whatever its Date: says (a client
    clock set back, a backdated mail). None when both or neither are, or one is RFC and the other not (an RFC posting
    resent is not the final one mailed again): the Dates decide (sent_later, sent_after)."""
    mine, theirs = (any(p.mail.subject.resend for p in ps) for ps in (group, held))
    rfc = {any(p.mail.subject.rfc for p in ps) for ps in (group, held)}
    return mine if mine != theirs and len(rfc) == 1 else None


def same_date(group: list[Patch], held: list[Patch]) -> tuple[bool, str]:
    """Of two postings of the same changes with one Date: (or one missing), whether ``group``, which comes after
    ``held`` in sent_order, is the later, and how that is told: the ``RESEND``; else the one carrying more trailers on
    its patches (those collected since); else ``group``, of the later ``FILE:LINE``. The one given later in the input
    was read, so the trailers a gate read were the order of the files' choice."""
    resent, was = any(p.mail.subject.resend for p in group), any(p.mail.subject.resend for p in held)
    if resent != was:
        return resent, "the RESEND"
    numbers = {p.number for p in group} & {p.number for p in held}
    mine, theirs = (sum(len(p.trailers) for p in ps if p.number in numbers) for ps in (group, held))
    if mine != theirs:
        return mine > theirs, "the one carrying more trailers"
    return True, "neither a RESEND nor carrying more trailers: the one of the later FILE:LINE"


def sent_after(group: list[Patch], held: dict[int, Patch]) -> tuple[bool | None, str]:
    """Whether a posting of other changes under the held patch numbers was sent after the held one, so that it is
    read instead, and how the one read is known to be the later: by its Date: headers (its first mail later than
    theirs), but for the one alone a ``RESEND`` of the same RFC tag (resent_later), the later whatever the Dates say,
    as for a RESEND of the same changes (a RESEND of changed patches breaks Documentation/process/
    submitting-patches.rst, yet it was still sent after what it resends, and it is what ``b4 am`` of its own thread
    gives the maintainer); else (the same date, or one missing) by which alone is a ``RESEND``; neither: None (which
    is read cannot be told: _tied)."""
    mine = [t for p in group if (t := sent_at(p)) is not None]
    theirs = [t for p in held.values() if (t := sent_at(p)) is not None]
    if mine and theirs and min(mine) != min(theirs):
        later = resent_later(group, list(held.values()))
        if later is not None and later != (min(mine) > min(theirs)):
            return later, BACKDATED
        return min(mine) > min(theirs), "sent later by its Date:"
    resent, was = (any(p.mail.subject.resend for p in ps) for ps in (group, held.values()))
    if resent != was:
        return resent, SAME_DATE
    return None, ""


def sent_order(group: list[Patch]) -> tuple[bool, float, bool, tuple[str, int]]:
    """Where a posting of a revision comes in the order they are read, whatever order the files were given in: by its
    first Date: (none first), the ``RESEND`` after the other of one Date:, then by ``FILE:LINE``: a posting is
    compared with those before it (sent_after, later), and the one given later in the input was the later."""
    times = [t for p in group if (t := sent_at(p)) is not None]
    first = min(group, key=lambda p: p.number)
    return bool(times), min(times, default=0.0), any(p.mail.subject.resend for p in group), where_key(first.mail.where)


def where_key(where: Where) -> tuple[str, int]:
    """A place as its file and line, to order places whatever order the files were given in."""
    return where.path, where.line


def date_note(old: list[Patch], new: list[Patch]) -> str:
    """How the later of two postings of the same changes with one Date: (or none) was chosen (same_date), or against
    their Dates (resent_later), for the note ("" when their Dates told)."""
    was, now = sent_order(old), sent_order(new)
    if was[0] and now[0] and now[1] < was[1]:  # read as the later by its RESEND (resent_later)
        them = min(old, key=lambda p: p.number)
        return (f"; its Date: is before that of <{them.mail.msgid}>, read as the later all the same: the RESEND (a "
                "resend comes after the mail it resends: a client clock set back or a backdated mail)")
    if was[:2] != now[:2]:
        return ""
    first, second = (new, old) if now > was else (old, new)
    return f"; the same Date: on both, read as the later: {same_date(first, second)[1]}"
