"""How alike two definitions are, and which old name pairs with which new one (git diff -M).

Scored as git diff -M scores a rename (diffcore-rename.c): the share of C tokens in common, at least THRESHOLD per cent,
one candidate each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from harness.linediff import changed_regions
from models.slicer import Definition, Kind

THRESHOLD = 50  # per cent, git diff -M's default (diffcore.h DEFAULT_RENAME_SCORE)
TOKEN = re.compile(r"[A-Za-z_]\w*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|\S")


def token_list(text: str) -> list[str]:
    """A definition's C tokens, as similarity() counts them: two texts with the same tokens differ in layout alone."""
    return TOKEN.findall(text)


def similarity(old: str, new: str, names: Mapping[str, str]) -> int:
    """How much of two definitions is the same, per cent: the C tokens (names, numbers, punctuation; comments
    blanked beforehand) that lie in blocks both have in the same order (difflib's matching blocks, bounded by
    harness.linediff), over the token count of the larger, after ``names`` (old -> new) are replaced in
    ``old``. 100 is the same text under new names, 0 nothing in common (git scores a file rename the same
    way: the bytes copied over the size of the larger, diffcore-rename.c estimate_similarity). Worked out once per
    texts and names: renames, moves and local renames score the same pairs of definitions again."""
    return _similarity(old, new, frozenset(names.items()))


@lru_cache(maxsize=4096)
def _similarity(old: str, new: str, renaming: frozenset[tuple[str, str]]) -> int:
    names = dict(renaming)
    a = [names.get(t, t) for t in TOKEN.findall(old)]
    b = TOKEN.findall(new)
    if not a or not b:
        return 0
    longer = max(len(a), len(b))
    if min(len(a), len(b)) < longer * THRESHOLD / 100:
        return 0  # not even the token counts allow the threshold (difflib's real_quick_ratio): skip the matching
    matched = len(a) - sum(i2 - i1 for i1, i2, _, _ in changed_regions(a, b))
    return 100 * matched // longer


def _bare(d: Definition) -> bool:
    """A macro that defines no tokens (``#define _ASM_X86_TDX_H``, an include guard or a flag): its name is all it
    has, so nothing tells a rename of it from another name (as git diff --no-rename-empty pairs no empty file)."""
    return d.kind is Kind.MACRO and d.params is None and not set(TOKEN.findall(d.text)) - {"#", "define", d.name}


def _shape(d: Definition) -> tuple[Kind, bool]:
    return d.kind, d.params is not None


def rename_scores(gone: dict[str, Definition], came: dict[str, Definition], names: Mapping[str, str]
            ) -> dict[str, list[tuple[str, int]]]:
    """Per old name, the new ones of its shape at or above the threshold, best first (never itself: a helper
    rewritten in place is in both, see ``find_renames``)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for old, d in gone.items():
        if _bare(d):
            continue
        found = [(new, s) for new, e in came.items() if new != old and _shape(d) == _shape(e) and not _bare(e)
                 and (s := similarity(d.text, e.text, {**names, old: new})) >= THRESHOLD]
        if found:
            out[old] = sorted(found, key=lambda x: (-x[1], x[0]))
    return out


def _unique(scores: dict[str, list[tuple[str, int]]]) -> dict[str, tuple[str, int]]:
    """The old names with one candidate that no other old name has."""
    shared: dict[str, int] = {}
    for found in scores.values():
        for new, _ in found:
            shared[new] = shared.get(new, 0) + 1
    return {old: found[0] for old, found in scores.items() if len(found) == 1 and shared[found[0][0]] == 1}


def paired(scores: dict[str, list[tuple[str, int]]]) -> dict[str, tuple[str, int]]:
    """The old names with one candidate no other old name has (``_unique``), and those of helpers renamed together
    that each resemble the other's new name too (``sc_retry()`` and ``sc_retry_prerr()`` both renamed, alike in
    their parameters): where the old names and the new ones of such a group are as many, and each old name's best
    candidate, scored strictly above its others, has that old name strictly best among the old names that name it,
    every name of the group is paired and none is left over to be a second candidate (git diff -M pairs them so,
    by score). An old name with a candidate no other old name takes (``sc_retry_once()`` beside
    ``seamcall_retry()``) is still two candidates."""
    out = _unique(scores)
    best: dict[str, tuple[str, int]] = {}
    for old, found in scores.items():
        if old not in out and (len(found) == 1 or found[0][1] > found[1][1]):
            best[old] = found[0]
    for old, (new, score) in best.items():
        rivals = [s for o, found in scores.items() if o != old for n, s in found if n == new]
        group = _group(scores, old)
        mates = {best[o][0] for o in group if o in best}
        if all(s < score for s in rivals) and mates == {n for o in group for n, _ in scores[o]} \
                and len(mates) == len(group):
            out[old] = (new, score)
    return out


def _group(scores: dict[str, list[tuple[str, int]]], old: str) -> set[str]:
    """The old names linked to ``old`` by candidates they share, directly or through others."""
    group, todo = {old}, [old]
    while todo:
        news = {n for n, _ in scores[todo.pop()]}
        for o, found in scores.items():
            if o not in group and news & {n for n, _ in found}:
                group.add(o)
                todo.append(o)
    return group
