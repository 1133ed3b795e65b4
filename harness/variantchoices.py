"""The variant names an input builds, said for a person choosing one: prefixes as ranges, ``base`` as an alias."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.lazyre import lazy

if TYPE_CHECKING:
    from harness.model import Series

# Past this many choices the list is cut: a series of 20 revisions and its reviewer variants is no one line to read.
MOST_SHOWN = 8
_PREFIX = re.compile(r"v(\d+):(\d+)")
_WHOLE = lazy(r"v\d+")
BASE_ALIAS = "base"  # harness.variants.revision_variants: vN:00 under a second name, for an input of one revision
NEWEST_ALIAS = "newest"  # the newest revision's whole state (aliased), whatever its number


def base_alias(names: Sequence[str]) -> str | None:
    """The ``vN:00`` that ``base`` names when the input holds one revision (it is listed after that revision)."""
    if BASE_ALIAS not in names:
        return None
    return next((n for n in names if (m := _PREFIX.fullmatch(n)) is not None and int(m.group(2)) == 0), None)


def newest(name: str, series: Series) -> str:
    """``newest``: the whole revision of the highest number that has a patch (``v3``: CI gates whatever revision
    was mailed without naming it); where none has one, the highest revision the input names (its cover letter
    alone: the refusal then says what the input holds of it, harness.emptyvariant), else itself (the
    unknown-variant error says so); any other name is itself."""
    if name != NEWEST_ALIAS:
        return name
    built = [r.version for r in series.revisions if r.patches] or [r.version for r in series.revisions]
    return f"v{max(built)}" if built else name


def aliased(name: str, series: Series) -> str:
    """The state a name is: ``newest`` the newest revision's (newest); ``base`` of an input of one revision is its
    vN:00 (harness.variants.revision_variants names that state both ways); any other name is itself."""
    if name == NEWEST_ALIAS:
        return newest(name, series)
    if name != BASE_ALIAS or len(series.revisions) != 1:
        return name
    rev = series.revisions[0]
    return f"v{rev.version}:{0:0{max(2, len(str(rev.total)))}d}"


def newest_in(names: Sequence[str]) -> str | None:
    """The revision ``newest`` names among variant names (as newest() of their series: the highest ``vN`` with a
    patch, ``vN:KK`` with KK past 00); None when no revision has one."""
    built = [int(m.group(1)) for n in names if (m := _PREFIX.fullmatch(n)) is not None and int(m.group(2)) > 0]
    return f"v{max(built)}" if built else None


def offer_newest(top: str | None) -> str:
    """The last choice a list of variant names offers: ``, or newest (v3 here, ...)``; "" when ``top`` is None."""
    return f", or {NEWEST_ALIAS} ({top} here, the newest revision: for CI)" if top else ""


def _ranges(version: str, numbers: list[str]) -> str:
    """``v3:00-v3:07``, runs of consecutive prefixes joined (a revision lacking patches has gaps)."""
    runs: list[list[str]] = []
    for n in numbers:
        if runs and int(n) == int(runs[-1][-1]) + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"v{version}:{r[0]}" + (f"-v{version}:{r[-1]}" if len(r) > 1 else "") for r in runs)


def choices(names: Sequence[str]) -> str:
    """The names to choose from in a few words, newest revision first, each whole revision with its patch prefixes
    as ranges ('v3 (v3:00-v3:07)'), then the other variants (a manifest's, a reply's), at most MOST_SHOWN of them
    and how many more ('seamharness series' lists every one)."""
    alias = base_alias(names)
    prefixes: dict[str, list[str]] = {}
    for n in names:
        if (m := _PREFIX.fullmatch(n)) is not None:
            prefixes.setdefault(m.group(1), []).append(m.group(2))
    wholes = [n for n in names if _WHOLE().fullmatch(n)]
    said = []
    for whole in reversed(wholes):
        parts = [_ranges(whole[1:], prefixes.get(whole[1:], []))] if prefixes.get(whole[1:]) else []
        if alias is not None and alias.startswith(f"{whole}:"):
            parts.append(f"{BASE_ALIAS} is {alias}")
        said.append(f"{whole} ({'; '.join(parts)})" if parts else whole)
    said += [n for n in names if n != BASE_ALIAS and not _WHOLE().fullmatch(n) and not _PREFIX.fullmatch(n)]
    if len(said) <= MOST_SHOWN:
        return ", ".join(said)
    return ", ".join(said[:MOST_SHOWN]) + f" and {len(said) - MOST_SHOWN} more (seamharness series lists every one)"
