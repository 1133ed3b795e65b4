"""A revision's headline evaluated without review rules: what its patches change in what ran, and what stands on it."""

from __future__ import annotations

from harness.comparison import Comparison
from harness.objections import ReviewObjections, counts
from models.lazyre import lazy
from reports.safe import counted


def unjudged_headline(name: str, patches: list[Comparison], differ: int) -> str:
    """A revision's headline without rules: how many patches change behaviour (and how many only add code:
    Comparison.adds_only), and, when some were not wholly compared (nothing or part of it ran on both sides, or
    changed code no run reached), that the count is of what ran: "0 of 2 patches change behaviour" over two
    patches that compared nothing would be a claim resting on no run (each patch's section says why, e.g. a
    definition known only from hunks); then the patches that do not apply on the state before them
    (Comparison.unapplied: "; v1 01/2 does not apply"), and "; no review rules evaluated"."""
    verb = "changes" if len(patches) == 1 else "change"  # "0 of 1 patch changes", "0 of 2 patches change"
    spanned = sum(_patches_in(c) for c in patches)
    # States evaluated patches apart are one comparison of several patches ('v4 04-05/5'): counted as what they are,
    # never as "1 of 1 patch" over two.
    what = counted(len(patches), "patch", "patches") if spanned == len(patches) else \
        f"{counted(len(patches), 'comparison', 'comparisons')} ({counted(spanned, 'patch', 'patches')})"
    head = f"{name}: {differ} of {what} {verb} behaviour"
    if adding := sum(c.adds_only for c in patches):
        head += f", {adding} only add{'s' * (adding == 1)} code (the entry points there before behave the same)"
    open_ = [c for c in patches if not c.changed and not c.unchanged]
    if open_:
        # Named, not counted: "1 compared in part" sent the reader through every patch's section to find which.
        blind = [c for c in open_ if not c.compared]
        parts = [f"{named_patches(blind)} compared nothing"] if blind else []
        part = [c for c in open_ if c.compared]
        parts += [f"{named_patches(part)} compared in part"] if part else []
        head += f" in what ran ({', '.join(parts)}: see {'that patch' if len(open_) == 1 else 'each'})"
    if failed := [c for c in patches if c.unapplied]:
        # Said in the headline, as the gate counts it a base problem: "0 of 1 patch changes behaviour" alone over a
        # patch git am stops at read as a clean result, the hunk that failed only in that patch's section.
        head += f"; {named_patches(failed)} do{'es' * (len(failed) == 1)} not apply"
    # A clause, not a parenthetical: after 'in what ran (...)' or 'only adds code (...)' it made two in a row.
    return head + "; no review rules evaluated"


def named_patches(patches: list[Comparison], most: int = 3) -> str:
    """``v4 02/3``, ``v4 02/3 and v4 03/3``, ``v4 01/9, v4 02/9, v4 03/9 and 2 more``: each comparison by its label's
    patch part."""
    names = [c.label.split(": ", 1)[0] for c in patches]
    if len(names) > most:
        return f"{', '.join(names[:most])} and {len(names) - most} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


_SPAN = lazy(r"v\d+ (\d+)-(\d+)/\d+: ")  # harness.compare._spanning's label: 'v4 04-05/5: ...'


def _patches_in(c: Comparison) -> int:
    """How many patches a revision's comparison spans: one, or those of states evaluated patches apart."""
    m = _SPAN().match(c.label)
    return int(m.group(2)) - int(m.group(1)) + 1 if m else 1


def standing(review: ReviewObjections) -> str:
    """What a revision's headline without rules adds for the objections that stand on it, in the gate's words
    (harness.verdict.Tally.headline): '; 1 NAK no rule judges (the gate blocks on each)'."""
    naks, drops, regressions, tags, points, unread = counts(review.standing)
    said = [counted(n, f"{one} no rule judges", f"{many} no rule judges") for n, one, many in (
        (naks, "NAK", "NAKs"), (drops, "request to drop", "requests to drop"),
        (regressions, "reported regression", "reported regressions"),
        (tags, "withdrawn review tag", "withdrawn review tags"), (points, "review point", "review points")) if n]
    said += [counted(unread, "reply not read", "replies not read")] if unread else []
    return f"; {', '.join(said)} (the gate blocks on each)" if said else ""
