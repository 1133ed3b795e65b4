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
