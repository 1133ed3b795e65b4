"""A variant of which the input holds no patch at all (its revision's cover letter alone) is refused: bad input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.model import Revision, Series
    from harness.variants import Variant


def refuse_empty(s: Series, v: Variant, what: str) -> None:
    """Raise UsageError (one line naming the cover letter, exit 2) when ``v``'s revision has patches the input lacks
    and none it holds: there is nothing to ``what`` (apply: git am of a cover letter stops, 'Patch is empty'; judge:
    every rule would be inconclusive or n/a, and a gate READY of code nobody sent)."""
    rev = s.revision(v.revision) if v.revision is not None else None
    if rev is None or rev.patches or not rev.missing:
        return
    raise UsageError(None, f"{v.name}: the input holds {none_given(rev)}: nothing to {what}; give the patches"
                           f"{not_read(s)}")


def not_read(s: Series, most: int = 2) -> str:
    """'; not read: FILE:LINE: why' for the inputs (not a reply's diff) the series skipped, at most ``most`` then how
    many more: a patch cut short or mangled is among them, and "give the patches" alone told the user to send again
    what they had sent (eval says these lines as it reads; the gate's refusal was its only line)."""
    said = [f"{s_.where}: {s_.reason}" for s_ in s.skipped if s_.of_reply is None]
    if not said:
        return ""
    more = f"; and {len(said) - most} more not read" if len(said) > most else ""
    return f"; not read: {'; '.join(said[:most])}{more}"


def none_given(rev: Revision) -> str:
    """'none of its N patches (not given: RANGES), only its cover letter (FILE:LINE)': what the input holds of a
    revision none of whose patches it has (the cover letter's part when it has that)."""
    from harness.model import number_ranges

    cover = f", only its cover letter ({rev.cover.mail.where})" if rev.cover is not None else ""
    return f"none of its {rev.total} patches (not given: {number_ranges(rev.missing)}){cover}"
