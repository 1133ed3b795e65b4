"""Revision state names (``vN``, ``vN:KK``, a reply's ``vN:KK+who``): read, listed in patch order, and their gaps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from harness.errors import UsageError
from harness.model import Series, number_ranges
from harness.variants import NO_TREE

if TYPE_CHECKING:
    from harness.variants import Variant

_PREFIX = re.compile(r"^v(\d+)(?::(\d+))?$")


def parse_prefix(name: str) -> tuple[int, int | None]:
    """``v3`` -> (3, None), ``v3:06`` -> (3, 6); anything else is a usage error."""
    m = _PREFIX.match(name)
    if m is None:
        raise UsageError(None, f"not a revision state name: {name!r} (want vN or vN:KK)")
    return int(m.group(1)), int(m.group(2)) if m.group(2) is not None else None


# How harness.replyvariants names a reply's diff to patch KK of vN: vN:KK+author on top of it, vN:KK~author in its
# place.
_REPLY_VARIANT = re.compile(r"v(\d+):(\d+)[+~]")


def reply_upto(v: Variant) -> int | None:
    """KK for the variant of a reply's diff to patch KK (started at vN:KK): it holds the revision up to KK, the diff
    on top or in KK's place, and no later patch, so a rule on a later patch is n/a there as on vN:KK itself (it was
    judged on the proposal's code, which lacks that patch's: inconclusive, an error rule blocking the proposal).
    None for any other variant (a manifest's proposal starting before a patch stands in for it)."""
    m = _REPLY_VARIANT.match(v.name)
    if m is None or v.start is None or parse_prefix(v.start) != (int(m.group(1)), int(m.group(2))):
        return None
    return int(m.group(2))


def prefix_states(variants: Sequence[Variant]) -> list[Variant]:
    """Every revision's states in patch order (by revision, then prefix): each ``vN:KK``, and the whole ``vN``
    for the state after its last present patch when that state's ``vN:KK`` is not among ``variants`` (the same
    files under another name: ``--variant v4:06 --variant v4`` is patch 07's before and after)."""
    named = [v for v in variants if v.revision is not None and v.prefix is not None and v.start is None]
    have = {(v.revision, v.prefix) for v in named if ":" in v.name}
    states = [v for v in named
              if ":" in v.name or (v.name == f"v{v.revision}" and (v.revision, v.prefix) not in have)]
    return sorted(states, key=lambda v: (v.revision or 0, v.prefix or 0))


def state_alias(variants: Sequence[Variant], name: str) -> Variant | None:
    """The whole revision ``vN`` when ``name`` is ``vN:KK`` of its last present patch (built once, as ``vN``)."""
    m = _PREFIX.match(name)
    if m is None or m.group(2) is None:
        return None
    return next((v for v in variants if v.name == f"v{m.group(1)}" and v.start is None
                 and v.prefix == int(m.group(2))), None)


def state_gap(v: Variant, series: Series) -> str | None:
    """Why a variant is no state of its revision: a patch before its last one is not in the input, so the
    patches after it were applied without it (what a rule reads of the code would not be the series'); None
    when nothing before its last patch is missing."""
    rev = series.revision(v.revision) if v.revision is not None else None
    if rev is None:
        return None
    top = parse_prefix(v.start)[1] if v.start is not None else v.prefix
    if top is None:  # a start that is a whole revision
        top = max((p.number for p in rev.patches), default=0)
    missing = [n for n in rev.missing if n < top]
    if not missing:
        return None
    if v.base != NO_TREE:  # the tree may hold the patches the input lacks: what git apply made of it is said
        from harness.gapbase import tree_gap

        return tree_gap(v, series, rev, missing, top)
    return (f"{v.name} is built without v{rev.version} patch{'es' if len(missing) > 1 else ''} "
            f"{number_ranges(missing)} (of {rev.total}), which the input lacks: the patches after it were applied "
            f"without it, so its code is not the series'; give every patch up to {top}")
