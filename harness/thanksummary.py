"""The patches a b4 thank-you ("b4 ty": "Applied, thanks!" then "[1/4] title" and its commit) lists as applied."""

from __future__ import annotations

import re

from harness.droprequest import sentences
from harness.lazyre import lazy
from models.record import record

# b4's summary of what was applied (b4/ty.py generate_am_thanks): a line "[KK/NN] subject" per patch, the counter as
# b4 wrote it in the series ("1/4", "01/26"), then, indented below it, the commit as the tree's mask gives it
# ("commit: 0123abcd", a URL ending in the id) or "(no commit info)" when b4 found no commit of that patch. A patch
# b4 was not asked to apply ("b4 am -P 1,3") is not listed at all, and maintainers delete the lines of what they
# left out: either way not applied. A commit id: six hex digits or more, one of them a digit ("decade" in a wrapped
# title is none); "commit: ID" on the entry's own line too, as some edit it.
_ENTRY = lazy(r"^[ \t]*\[(\d+)/(\d+)\][ \t]+\S[^\n]*?(?:[ \t]+commit:[ \t]*(?P<inline>[0-9a-f]{6,40}))?[ \t]*(?:\n|$)"
              r"(?:[ \t]*\n)?(?:(?![ \t]*\[\d+/\d+\])[ \t]+(?:(?P<none>\(no\s+commit\s+info\))|"
              r"(?P<commit>[^\n]*?(?<![0-9a-z])(?=[0-9a-f]{0,39}\d)[0-9a-f]{6,40}(?![0-9a-z]))[^\n]*)(?:\n|$))?",
              re.I | re.M)
_APPLIED = lazy(r"\b(?:re-?)?(?:applied|queued|picked\s+up|merged|pushed)\b", re.I)


@record
class ThanksSummary:
    """What a thank-you's b4 summary lists: ``applied`` (patch numbers with a commit), ``total`` (the series' patch
    count its counters give), ``said`` (its sentence saying they were applied: "Applied to x86/tdx, thanks!")."""

    applied: tuple[int, ...]
    total: int
    said: str

    @property
    def held(self) -> tuple[int, ...]:
        """The series' patches the summary does not list with a commit: not applied by its sender."""
        return tuple(n for n in range(1, self.total + 1) if n not in self.applied)


def thanks_summary(text: str) -> ThanksSummary | None:
    """The b4 summary in a reply's own words ``text`` (_ENTRY), when it lists at least one patch with a commit (or b4
    found none: "(no commit info)" under each, ``applied`` empty), all its counters give one patch count (two or
    more) and a sentence outside it says they were applied; None else (a
    reviewer's list of patches with no commits, or a mail of another series' counters, says nothing here)."""
    if "[" not in text or "/" not in text:
        return None  # most replies: no counter at all
    entries = list(_ENTRY().finditer(text))
    totals = {int(m.group(2)) for m in entries}
    applied = tuple(sorted({int(m.group(1)) for m in entries
                            if (m.group("commit") or m.group("inline")) and int(m.group(1)) > 0}))
    # b4 found no commit of any patch ("None of the patches matched": "(no commit info)" under each): none applied,
    # as one such patch is not.
    unmatched = not applied and any(m.group("none") for m in entries)
    if not (applied or unmatched) or len(totals) != 1 or (total := totals.pop()) < 2 or max(applied, default=0) > total:
        return None
    rest = text
    for m in reversed(entries):  # the summary's own lines name no applying: "[1/3] Applied fixes" is a title
        rest = rest[:m.start()] + "\n\n" + rest[m.end():]
    said = next((s for s in sentences(rest) if _APPLIED().search(s)), None)
    return None if said is None else ThanksSummary(applied, total, said)
