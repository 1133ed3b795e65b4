"""Whether a later revision's patches make an earlier patch's change.

By git patch-id, code without comments, merged or split, or the patch a NAK naming that revision means; or
whether they keep much of its code, changed.
"""

from __future__ import annotations

from collections import Counter

from harness.model import Patch, Revision
from harness.patchid import code_lines, named_added
from models.record import record

_MOST_PARTS = 4  # a patch split in more than this many is not looked for


def recombined(p: Patch, old: Revision, later: list[Patch]) -> tuple[list[Patch], str | None]:
    """Consecutive patches of the later revision that make exactly ``p``'s change besides what their own earlier
    versions (same title; none for a new one, or one under ``p``'s own title) made, comments aside (patchid.
    code_lines): ``p`` merged into a neighbour unchanged (the neighbour's code is its earlier code and ``p``'s), or
    split into parts whose changed lines add up to ``p``'s. ([], None): no such patches."""
    mine = _code(p)
    if not mine:
        return [], None
    earlier = {title(q): q for q in old.patches if q is not p}
    for start in range(len(later)):
        total: Counter[tuple[str, bytes]] = Counter()
        for end in range(start, min(start + _MOST_PARTS, len(later))):
            q = later[end]
            own, before = _code(q), _code(earlier[title(q)]) if title(q) in earlier else Counter()
            if before - own or not own - before:  # it no longer makes all it made, or adds nothing of p's
                break
            total += own - before
            if total == mine and (end > start or before):
                run = later[start:end + 1]
                names = " and ".join(x.label for x in run)
                return run, (f"its change is split over {names}, comments aside" if end > start
                             else f"its change is folded into {names}, comments aside")
            if total - mine:
                break
    return [], None


def _code(p: Patch) -> Counter[tuple[str, bytes]]:
    """The patch's changed lines of code, comments aside, by file (patchid.code_lines)."""
    files = code_lines(p.diff.encode("utf-8", "surrogateescape")) if p.diff else {}
    return Counter({(path, line): n for path, lines in files.items() for line, n in lines.items()})


def same_change(p: Patch, q: Patch) -> str | None:
    """Whether ``q`` makes ``p``'s change, and how that is known: the same ``git patch-id``, or the same code once
    comments are left out (harness.patchid.code_id: a next revision that rewords a comment of a NAKed patch and
    nothing else carries the NAK's point unchanged). None: another change."""
    if p.patch_id is not None and q.patch_id == p.patch_id:
        return "the same change by git patch-id"
    if p.code_id is not None and q.code_id == p.code_id:
        return "the same code, comments aside"
    return None


@record
class Kept:
    """The patches of a later revision that make again much of an earlier patch's change under another title
    (kept_lines), how many of how many of its lines they make, and whether those are the lines it removes (a patch
    that adds no line naming something: a removal) rather than those it adds."""

    carriers: tuple[Patch, ...] = ()
    kept: int = 0
    total: int = 0
    removed: bool = False


def kept_lines(p: Patch, later: list[Patch]) -> Kept:
    """The patches of the later revision that add again lines of code ``p`` added (patchid.named_added: those that
    name something, comments and whitespace aside), when together they add half or more of them: ``p`` reworked and
    retitled (or split with a part changed), its code still there. A ``p`` that adds no such line (it only removes
    code) is measured by the lines it removes, which they remove again. No carriers when fewer (``p`` went), or ``p``
    changes no such line."""
    side = b"+" if _named(p, b"+") else b"-"
    mine = _named(p, side)
    total, kept, carriers = mine.total(), Counter[bytes](), []
    for q in later:
        got = mine & _named(q, side)
        if got:
            carriers.append(q)
            kept |= got
    if not total or 2 * kept.total() < total:
        return Kept(total=total, removed=side == b"-")
    return Kept(tuple(carriers), kept.total(), total, side == b"-")


def _named(p: Patch, side: bytes) -> Counter[bytes]:
    return named_added(p.diff.encode("utf-8", "surrogateescape"), side) if p.diff else Counter()


def counterparts(p: Patch, later: list[Patch], revision: int) -> tuple[list[Patch], str]:
    """The patch of the later revision a NAK of ``p`` naming that revision is of: the one with ``p``'s title; none
    (the revision as a whole) when no patch has it, or ``p`` is a cover letter."""
    titled = [q for q in later if p.number and title(q) == title(p)]
    how = f"its words name v{revision} as NAKed too"
    return titled, how + (f", and {titled[0].label} has its title" if titled else
                          ", and which patch of it is meant cannot be told")


def title(p: Patch) -> str:
    return " ".join(p.mail.subject.title.split()).casefold()
