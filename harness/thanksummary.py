"""The patches a b4 thank-you ("b4 ty": "Applied, thanks!" then "[1/4] title" and its commit) lists as applied."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.replywords import sentences
from models.lazyre import lazy
from models.record import record

# b4's summary of what was applied (b4/ty.py generate_am_thanks): a line "[KK/NN] subject" per patch, the counter as
# b4 wrote it in the series ("1/4", "01/26"), then, indented below it, the commit as the tree's mask gives it
# ("commit: 0123abcd", a URL ending in the id) or "(no commit info)" when b4 found no commit of that patch. A patch
# b4 was not asked to apply ("b4 am -P 1,3") is not listed at all, and maintainers delete the lines of what they
# left out: either way not applied. A commit id: six hex digits or more, one of them a digit ("decade" in a wrapped
# title is none); "commit: ID" on the entry's own line too, as some edit it.
# The patchwork bot's ("This series was applied to netdev/net-next.git (main)", then "  - [v2,1/3] subject" and the
# commit's URL below it: pwbot's summary) is read alike: its 2/3 left out of the summary passed the gate.
_ENTRY = lazy(r"^[ \t]*(?:-[ \t]+)?\[(?:[\w.-]+,)*(\d+)/(\d+)\][ \t]+(?P<title>\S[^\n]*?)"
              r"(?:[ \t]+commit:[ \t]*(?P<inline>[0-9a-f]{6,40}))?[ \t]*(?:\n|$)"
              r"(?:[ \t]*\n)?(?:(?![ \t]*(?:-[ \t]+)?\[(?:[\w.-]+,)*\d+/\d+\])[ \t]+"
              r"(?:(?P<none>\(no\s+commit\s+info\))|"
              r"(?P<commit>[^\n]*?(?<![0-9a-z])(?=[0-9a-f]{0,39}\d)[0-9a-f]{6,40}(?![0-9a-z]))[^\n]*)(?:\n|$))?",
              re.I | re.M)
_APPLIED = lazy(r"\b(?:re-?)?(?:applied|queued|picked\s+up|merged|pushed)\b", re.I)


@record
class ThanksSummary:
    """What a thank-you's b4 summary lists: ``applied`` (patch numbers with a commit), ``total`` (the series' patch
    count its counters give, or the series' own when read by titles), ``said`` (its sentence saying they were
    applied: "Applied to x86/tdx, thanks!"), ``strays`` (listed titles, as written, of no patch of the series:
    counted as none), ``alone`` (the patches of the series a summary of one patch alone, "[1/1]", speaks of: b4 was
    handed that message by itself; None: it speaks of the whole series)."""

    applied: tuple[int, ...]
    total: int
    said: str
    strays: tuple[str, ...] = ()
    alone: tuple[int, ...] | None = None

    @property
    def held(self) -> tuple[int, ...]:
        """The series' patches the summary does not list with a commit: not applied by its sender. One of a patch
        alone ("[1/1]") holds none of the others: "[1/1]" with patch 2's title held 1/3 and 3/3 back (NOT READY)."""
        every = range(1, self.total + 1) if self.alone is None else self.alone
        return tuple(n for n in every if n not in self.applied)


def thanks_summary(text: str, titles: Sequence[str] = ()) -> ThanksSummary | None:
    """The b4 summary in a reply's own words ``text`` (_ENTRY), when it lists at least one patch with a commit (or b4
    found none: "(no commit info)" under each, ``applied`` empty), all its counters give one patch count (two or
    more) and a sentence outside it says they were applied; None else (a
    reviewer's list of patches with no commits, or a mail of another series' counters, says nothing here).
    ``titles``: the series' patch titles, patch N's at N-1 ("" for one missing; none given: the counters alone).
    When the counters give another total, or a listed title is not that number's patch's, each listed patch is the
    one its title names (by_title), and one naming none is counted as none (``strays``), never as its number's; when
    none names a patch of the series, the summary is another series', None."""
    if "[" not in text or "/" not in text:
        return None  # most replies: no counter at all
    entries = list(_ENTRY().finditer(text))
    listed = [(int(m.group(1)), int(m.group(2)), m.group("title"), bool(m.group("commit") or m.group("inline")))
              for m in entries]
    strays: tuple[str, ...] = ()
    single = bool(listed) and all(t == 1 for _, t, _, _ in listed)  # "[1/1]": b4 had that patch alone
    if titles and listed and any(t != len(titles) or not 0 < n <= t or not _names(title, titles[n - 1])
                                 for n, t, title, _ in listed):
        numbers = [by_title(title, titles) if n > 0 else 0 for n, _, title, _ in listed]
        if not any(numbers):
            # No listed title is a patch of the series: a summary of another series (sent to the wrong thread, or
            # pasted), which says nothing of which of these were applied. Read as none applied, it held every patch
            # back below the "Applied, thanks!" said to them (v2 NOT READY, "left out ... (none)").
            return None
        strays = tuple(" ".join(title.split()) for (n, _, title, _), at in zip(listed, numbers, strict=True)
                       if n > 0 and not at)
        listed = [(at, len(titles), title, commit) for (_, _, title, commit), at in zip(listed, numbers, strict=True)]
    totals = {t for _, t, _, _ in listed}
    applied = tuple(sorted({n for n, _, _, commit in listed if commit and n > 0}))
    # b4 found no commit of any patch ("None of the patches matched": "(no commit info)" under each): none applied.
    unmatched = not applied and (bool(strays) or any(m.group("none") for m in entries))
    if not (applied or unmatched) or len(totals) != 1 or (total := totals.pop()) < 2 or max(applied, default=0) > total:
        return None
    rest = text
    for m in reversed(entries):  # the summary's own lines name no applying: "[1/3] Applied fixes" is a title
        rest = rest[:m.start()] + "\n\n" + rest[m.end():]
    said = next((s for s in sentences(rest) if _APPLIED().search(s)), None)
    alone = tuple(sorted({n for n, _, _, _ in listed if n > 0})) if single else None
    return None if said is None else ThanksSummary(applied, total, said, strays, alone)


def entry_spans(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` each line of a b4 summary (_ENTRY: "[1/3] title" and its commit below) is, its last newline
    left out: (start, end) character offsets, in order."""
    if "[" not in text or "/" not in text:
        return []
    return [(m.start(), m.start() + len(m.group().rstrip("\n"))) for m in _ENTRY().finditer(text)]


def by_title(listed: str, titles: Sequence[str]) -> int:
    """The number of the patch of ``titles`` (patch N's at N-1) a summary's ``listed`` title names: the one it is,
    its words' case and spacing aside, or failing that the one alone it begins (a title the mailer wrapped); 0 for
    none, or more than one."""
    same = [n for n, title in enumerate(titles, start=1) if _words(title) == _words(listed)]
    begun = same or [n for n, title in enumerate(titles, start=1) if _names(listed, title)]
    return begun[0] if len(begun) == 1 else 0


def _names(listed: str, title: str) -> bool:
    """Whether a summary's ``listed`` title is ``title`` or its first words (wrapped), case and spacing aside."""
    words, whole = _words(listed), _words(title)
    return bool(words) and whole[:len(words)] == words


def _words(title: str) -> list[str]:
    """A title's words as titles are matched (harness.titlenames: any case, any spacing)."""
    return title.lower().split()
