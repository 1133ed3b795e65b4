"""Whether a name is a likely typo of another: a slip of a letter or two, not another word (docs/rules.md)."""

from __future__ import annotations

from collections.abc import Iterable

# A word of up to this many letters takes one slip (a letter left out, doubled, swapped or wrong); a longer one two.
SHORT = 6


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions and
    transpositions of two adjacent letters, each one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _limit(word: str) -> int:
    return 1 if len(word) <= SHORT else 2


def likely_typo(name: str, other: str) -> bool:
    """Whether ``name`` is ``other`` mistyped: the same but for case or ``-`` for ``_``; or a letter or two
    off (one in a name of up to 6 letters), each word of it a slip of the other's word, not another word.

    ``seamcall_prer`` is a typo of ``seamcall_prerr``; ``seamldr_install`` is not one of ``seamldr_shutdown``,
    nor ``tdx_sys_init`` of ``tdx_sys_exit`` (a word of 4 letters with 2 wrong), nor ``seamcall_ret`` of
    ``seamcall_saved_ret`` (a word more).
    """
    a, b = name.lower().replace("-", "_"), other.lower().replace("-", "_")
    if a == b:
        return name != other
    if distance(a, b) > _limit(max(a, b, key=len)):
        return False
    wa, wb = a.split("_"), b.split("_")
    if len(wa) != len(wb):  # an underscore left out or added, one slip besides at most: not a word more
        return distance(a.replace("_", ""), b.replace("_", "")) <= 1
    return all(x == y or distance(x, y) <= _limit(max(x, y, key=len)) for x, y in zip(wa, wb, strict=True))


def typo_of(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` is a likely typo of (the nearest), or None."""
    near = sorted((distance(name.lower(), k.lower()), k) for k in known if likely_typo(name, k))
    return near[0][1] if near else None
