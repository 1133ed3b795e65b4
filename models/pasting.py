"""Which macro names ``##`` can make from a piece of code's tokens (C11 6.10.3.3).

The definitions a paste's result needs, since the result is rescanned and expanded when it is a macro.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

# Each distinct set of names handed to pasted_macros as one object. A variant's macro names come again with each
# piece of its code, as a new list: the cache's keys held a copy each (the corpus: 765 sets of hundreds of names,
# 1.4 MB kept until the report is written), now the first one. Held to the cache's size.
_NAMES: dict[frozenset[str], frozenset[str]] = {}
_KEPT = 4096


def pasted_macros(names: Iterable[str], tokens: set[str]) -> set[str]:
    """_pasted_macros with hashable arguments (the same code is looked at again and again: every variant's
    chunks and closures): worked out once per distinct pair."""
    key = frozenset(names)
    if len(_NAMES) >= _KEPT:
        _NAMES.clear()
    key = _NAMES.setdefault(key, key)  # the cache then finds its key by identity, not by comparing the sets
    return set(_pasted_macros(key, frozenset(tokens)))  # a set, not a sorted tuple: no sort per call


@lru_cache(maxsize=_KEPT)
def _pasted_macros(names: frozenset[str], tokens: frozenset[str]) -> frozenset[str]:
    """The macro names ``##`` can build from these tokens: each one that is two or more of them joined
    (``CAT(kind, _RETRY_LOOPS)`` with ``kind`` = ``SEAM`` makes ``SEAM_RETRY_LOOPS``). The result of a paste is
    rescanned and expanded when it is a macro (C11 6.10.3.3p3, 6.10.3.4), so its definition is needed too;
    a superset is harmless (a definition nothing expands changes nothing).

    A name is tried only when a token starts it and one ends it (most names: this much in C)."""
    ends = tuple(tokens)
    made = frozenset(name for name in _started(names, tokens, ends) if name not in tokens and name.endswith(ends)
                     and _joined(name, tokens))
    return made | {""} if "" in names and "" not in tokens else made  # "": no token at all joined


def _started(names: frozenset[str], tokens: frozenset[str], ends: tuple[str, ...]) -> Iterable[str]:
    """The non-empty names a token starts. Fewer names than tokens (a piece of code's own macros): each tested with
    str.startswith() given every token at once. Else (a variant's and the prelude's, some 900): each token looked
    up in the names in order, where those it starts are a run; testing every name against every token was 760,000
    comparisons of the corpus' 143 asked sets, some 80 M instructions."""
    if len(names) <= len(tokens):
        return [name for name in names if name.startswith(ends) and name]
    ordered, heads = _in_order(names)
    started = set()
    for token in tokens:
        if token[:2] not in heads:
            continue  # no name starts with its first two characters (or its one, or is empty)
        at = bisect_left(ordered, token)
        while at < len(ordered) and ordered[at].startswith(token):
            started.add(ordered[at])
            at += 1
    started.discard("")
    return started


@lru_cache(maxsize=64)
def _in_order(names: frozenset[str]) -> tuple[list[str], frozenset[str]]:
    """The names sorted, and the first two characters of each (and its first one), once per distinct set (a
    frozenset keeps its hash: the lookup is one comparison by identity, pasted_macros handing the same object)."""
    return sorted(names), frozenset({n[:2] for n in names} | {n[:1] for n in names})


def _joined(name: str, tokens: frozenset[str]) -> bool:
    first, last = _ends(name)
    if name and (tokens.isdisjoint(first) or tokens.isdisjoint(last)):
        return False  # no token starts it, or none ends it (most names: this much in C)
    ends = {0}  # positions in name reached by whole tokens
    for i in range(len(name)):
        if i in ends:
            ends.update(j for j in range(i + 1, len(name) + 1) if name[i:j] in tokens)
    return len(name) in ends


@lru_cache(maxsize=8192)
def _ends(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The non-empty prefixes and suffixes of a name: the first and last token of a joining are among them."""
    return frozenset(name[:i] for i in range(1, len(name) + 1)), frozenset(name[i:] for i in range(len(name)))
