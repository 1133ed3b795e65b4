"""What happened on a --tree base to a state built across patches the input lacks.

Which patch failed where, as git apply says it, or whether the base held the blobs the patch after the gap was made on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.errors import Where
    from harness.model import Revision, Series
    from harness.patching import Finding
    from harness.variants import Variant

_OLD_START = re.compile(r"@@ -(\d+)")
_PRE_IMAGE = "pre-image blob is "


def _failed(f: Finding) -> str:
    """A problem as git apply words it: 'patch failed at PATH:N' (apply.c apply_fragments: the hunk's old start)."""
    start = _OLD_START.match(f.hunk) if f.hunk else None
    if start is None:
        return f"{f.path}: {f.reason}"
    why = f.reason.removeprefix("hunk does not apply: ")
    return f"patch failed at {f.path}:{start.group(1)} (hunk {f.hunk}: {why})"


def patch_at(series: Series, where: Where) -> str:
    """``patch v3 04/26``: the patch whose file header or hunk is at ``where``; ``the diff`` for another (a reply's)."""
    for rev in series.revisions:
        for p in rev.patches:
            if any(pf.where == where or any(h.where == where for h in pf.hunks) for pf in p.files):
                return f"patch v{rev.version} {p.label}"
    return "the diff"


def _patch_of(series: Series, f: Finding) -> str:
    return patch_at(series, f.where).removeprefix("patch ")


def tree_gap(v: Variant, series: Series, rev: Revision, missing: list[int], top: int) -> str:
    """Why a state built on a tree across ``missing`` patches (numbers) is not known to be the series': the first
    patch that did not apply there and where (the base is then not what it was made on, whatever it holds), or the
    first pre-image blob that differs from its index line, or, where every one matched, that what the missing patches
    change in other files is not known; never "built without" them, which the base may well hold."""
    from harness.model import number_ranges

    lacks = (f"v{rev.version} patch{'es' if len(missing) > 1 else ''} {number_ranges(missing)} (of {rev.total}), "
             "which the input lacks")
    problems = [f for f in v.findings if not f.note]
    failed = next((f for f in problems if not f.reason.startswith(_PRE_IMAGE)), None)
    if failed is not None:
        patch = _patch_of(series, failed)
        return (f"{v.name} does not build on its base, {v.base}: {patch} does not apply there: {_failed(failed)}; "
                f"the base's {failed.path} is not the one {patch} was made on, the series' after {lacks}")
    other = next((f for f in v.findings if f.reason.startswith(_PRE_IMAGE)), None)
    if other is not None:
        patch = _patch_of(series, other)
        return (f"{v.name} is built on its base, {v.base}, in place of {lacks}: {patch} applies there, but to "
                f"another {other.path} than the one it was made on ({other.reason}): its code is not the series'; "
                f"give every patch up to {top}")
    return (f"{v.name} is built on its base, {v.base}, in place of {lacks}: the base has the blobs the patches after "
            f"them name as their pre-images, but whether it holds what the missing patches change in other files is "
            f"not known; give every patch up to {top}")
