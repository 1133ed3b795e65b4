"""An entry point a change moves into another .c file: its runs in the old unit paired with the new.

The change moves it out of the .c file it was found in, into another .c file (created by the change or before it), and
keeps it private to there.
"""

from __future__ import annotations

from harness.matrix import EntryKind
from harness.matrixresult import MatrixResult
from harness.runner import variant_sources
from harness.variants import Variant
from models.loader import definitions
from models.wordfind import any_word


def unit_moves(result: MatrixResult, a: Variant, b: Variant) -> list[tuple[int, int]]:
    """(the entry point's lane in its file's unit, its lane in the other file's unit), for each entry point found
    in the code (not the matrix's, whose units are the matrix's word) that ``a`` defines first in a .c file and ``b``
    in another .c file that ``b`` holds whole (created by a change between them, or there before without it),
    where ``b`` provides it only in the new unit and ``a`` only in the old, the two lanes run the same leaves and
    scripts, and nothing in the old file is left to call it (gone, or known whole and naming it nowhere). A unit's
    own name on both sides is then one helper moved, not one gone and one new (a wrapper moved with its caller into
    seamldr.c: said gone from its old file, a change of behaviour)."""
    found = {e.name for e in result.matrix.entries if e.kind is not EntryKind.MATRIX}
    paths = {u.name: u.path for u in result.matrix.units}
    lanes: dict[str, dict[str, int]] = {}
    for n, lane in enumerate(result.lanes):
        if lane.entry in found and lane.unit in paths:
            lanes.setdefault(lane.entry, {})[paths[lane.unit]] = n
    if not lanes:
        return []
    before, after = definitions(variant_sources(a)), definitions(variant_sources(b))
    out = []
    for entry, units in sorted(lanes.items()):
        old, new = before.get(entry), after.get(entry)
        if not old or not new or old[0].path == new[0].path or old[0].path not in units or new[0].path not in units:
            continue
        pair = units[old[0].path], units[new[0].path]
        if _whole_c(b, new[0].path) and not _may_call(b, old[0].path, entry) and _alike(result, a, b, pair):
            out.append(pair)
    return out


def _whole_c(v: Variant, path: str) -> bool:
    now = v.file(path)
    return path.endswith(".c") and now is not None and now.complete


def _may_call(v: Variant, path: str, entry: str) -> bool:
    """Whether ``v``'s file at ``path`` may still call ``entry``: there and not known whole, or naming it."""
    left = v.file(path)
    if left is None or left.absent:
        return False
    named = any_word((entry,))
    return not left.complete or any(named(text) for text, _ in left.lines.values())


def _alike(result: MatrixResult, a: Variant, b: Variant, pair: tuple[int, int]) -> bool:
    """Whether ``a`` provides the entry point only in the old lane and ``b`` only in the new, with the same scenarios
    (leaf, script) in the same order."""
    old, new = pair
    if result.code_group(a.name, new) >= 0 or result.code_group(b.name, old) >= 0:
        return False
    if result.code_group(a.name, old) < 0 or result.code_group(b.name, new) < 0:
        return False
    scenarios, lanes = result.matrix.scenarios, result.lanes

    def cells(n: int) -> list[tuple[str, str]]:
        return [(scenarios[p].leaf_name, scenarios[p].script.name) for p in lanes[n].positions]
    return cells(old) == cells(new)
