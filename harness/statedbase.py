"""Two revisions' bases as their mails name them (format-patch --base's base-commit:) where no tree was read."""

from __future__ import annotations

import re

from harness.model import Patch, Revision
from models.record import record

NONE_NAMED = "none named"
_HEX = re.compile(r"[0-9a-fA-F]{7,40}")


@record
class BasesApart:
    """Two revisions compared on different bases: each one's base (``a``, ``b``), the sentence saying so, and
    where the bases were read: ``tree`` (the commits the patches were built on) or ``mail`` (what the mails name)."""

    a: str
    b: str
    note: str
    source: str = "tree"


def _first_mail(rev: Revision) -> tuple[Patch, str] | None:
    """The mail git format-patch --base writes the base into: the cover letter, else patch 1 (None when the input
    lacks it: what it names is then not known)."""
    if rev.cover is not None:
        return rev.cover, f"{rev.name}'s cover letter"
    first = rev.patch(1)
    return (first, f"{rev.name} {first.label}") if first is not None else None


def _said(name: str | None) -> str:
    """A base as the note says it: ``base-commit: 0123456789ab`` (a full id cut as git's short ids are), or none."""
    if name is None:
        return "names no base (no base-commit: line)"
    return f"names base-commit: {_short(name)}"


def _short(name: str) -> str:
    """A full id cut as git's short ids are; another name as it is."""
    return name[:12] if len(name) == 40 else name


def _one_id(a: str | None, b: str | None) -> bool:
    """Two names of one commit: a full id and a short one of it (``64fa3d08d5cc``), as a hand-written line gives."""
    if not a or not b or not _HEX.fullmatch(a) or not _HEX.fullmatch(b):
        return False
    short, full = sorted((a.lower(), b.lower()), key=len)
    return len(short) >= 7 and full.startswith(short)


def _named(a: Revision, b: Revision) -> tuple[str, str | None, str | None] | None:
    """What the two revisions' first mails name as bases, when they differ: the words saying both, and each base
    (None where one names none); None when they name the same one or none, or the input lacks a mail naming it."""
    first_a, first_b = _first_mail(a), _first_mail(b)
    if first_a is None or first_b is None:
        return None
    (mail_a, where_a), (mail_b, where_b) = first_a, first_b
    base_a, base_b = mail_a.base_commit, mail_b.base_commit
    if base_a == base_b or _one_id(base_a, base_b):
        return None
    return f"{where_a} {_said(base_a)}, {where_b} {_said(base_b)}", base_a, base_b


def stated_apart(a: Revision, b: Revision) -> BasesApart | None:
    """Two revisions whose mails name different bases (or one names one and the other none), said once where they
    are compared: what differs between them may hold what the base changed, which hunks alone cannot show. None
    when both name the same base or none, or when the input lacks the mail that would name it."""
    found = _named(a, b)
    if found is None:
        return None
    said, base_a, base_b = found
    named = "both commits" if base_a and base_b else "the named commit"
    note = (f"{said}: what differs between {a.name} and {b.name} may include a change of base, which the mails alone "
            f"do not show (eval --tree with a tree holding {named} builds each revision on its own base and says what "
            f"the base changed)")
    return BasesApart(base_a or NONE_NAMED, base_b or NONE_NAMED, note, "mail")


def one_base_apart(a: Revision, b: Revision, base: str, lacking: tuple[str, ...]) -> BasesApart | None:
    """With a tree: two revisions whose mails name different bases, both built on one commit (``base``, as eval's
    ``base:`` line names it), the tree lacking the base the revisions named in ``lacking`` name (or one naming none),
    the blobs their patches' pre-images name matching that commit. What differs between them then holds no change of
    base, and what the author's base changed is not shown: said once under ``vA -> vB``, as without a tree
    (stated_apart)."""
    found = _named(a, b)
    if found is None:
        return None
    said, base_a, base_b = found
    missing = [_short(x) for r, x in ((a, base_a), (b, base_b)) if r.name in lacking and x]
    why = f"this tree lacks {' and '.join(missing)}" if missing else "the blobs their pre-images name match it"
    note = (f"{said}, yet both are built on {base} ({why}): what differs between {a.name} and {b.name} holds no "
            f"change of base, and what the named bases change is not shown (a tree holding "
            f"{'both commits' if base_a and base_b else 'the named commit'} builds each on its own base)")
    return BasesApart(base_a or NONE_NAMED, base_b or NONE_NAMED, note, "mail")  # the names the mails give
