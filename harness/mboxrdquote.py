""">From lines in a git format-patch file's commit message, which --pretty=mboxrd output may have quoted: said."""

from __future__ import annotations

from harness.errors import Where
from harness.mailinfo import MailInfo
from harness.model import Skipped
from models.lazyre import lazy

_QUOTED = lazy(r"^>+From ")


def mboxrd_quoting(info: MailInfo, where: Where) -> Skipped | None:
    """A note on the first ``>From `` line (any number of ``>``) of a commit message under git format-patch's
    separator, read as plain ``git am`` reads it (kept whole): ``git format-patch --pretty=mboxrd`` and ``git log
    --pretty=mboxrd`` write the same separator and quote each ``>*From `` line of the message with one ``>`` more,
    which ``git am --patch-format=mboxrd`` takes off again, so such a line may be the author's own or a quoted
    ``From `` line, and nothing in the file says which. None where no line is so, or where a line starts ``From ``
    unquoted: mboxrd output quotes every one of those, so the file is not it."""
    quoted = next(((n, t) for n, t in info.log if _QUOTED().match(t)), None)
    if quoted is None or any(t.startswith("From ") for _, t in info.log):
        return None
    line, text = quoted
    return Skipped(Where(where.path, line, where.msgid),
                   f"commit message line {text[:40]!r} read as plain git am reads it, every '>' kept; if the file "
                   "is --pretty=mboxrd output of git format-patch or git log, the author wrote it with one '>' "
                   "fewer, as git am --patch-format=mboxrd reads it (the separator line is format-patch's either "
                   "way: the file cannot tell)")


# An in-body "From: Name <address>" header line with '>' before it: a mailer or mbox writer quoted it as a "From "
# line (Exchange, some archives), and git mailinfo no longer reads it as the in-body header it was.
_QUOTED_HEADER = lazy(r"^>+From:\s*(\S.*<[^<>@\s]+@[^<>\s]+>)\s*$")


def quoted_inbody_from(info: MailInfo, where: Where) -> Skipped | None:
    """A note where a patch mail's body opens with a quoted in-body From: line (``>From: Name <a@x>``): git am reads
    no author from it, commits the mail's sender as the patch's author and keeps the line in its message, as read
    here; with the ``>`` taken off, git am commits the name it gives. None for any other first line."""
    first = next(((n, t) for n, t in info.log if t.strip()), None)
    if first is None or (m := _QUOTED_HEADER().match(first[1])) is None:
        return None
    return Skipped(Where(where.path, first[0], where.msgid),
                   f"the body opens with {first[1][:80]!r}, an in-body From: a mailer quoted with '>': git am reads "
                   f"it as no header, so git am commits the sender, {info.author}, as the author (read so here) and "
                   f"keeps the line in the commit message; take the '>' off for {m.group(1)} to be the author")
