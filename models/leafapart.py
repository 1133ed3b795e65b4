"""Leaves no scenario takes at which a changed condition on the leaf alone comes out otherwise on the two sides.

A decision that reads only the leaf takes one way in every run of a leaf, so the scenarios that ran decide it for
their leaves (models.decided). They decide nothing for the others: ``fn & SEAMLDR_LEAF_BIT`` made ``fn &
(SEAMLDR_LEAF_BIT | 0x10)`` agrees on every leaf of the matrix (33, 35, bit 63 with 0 or 1) and differs for a
TDX-module leaf with bit 4 set (16, 48, ...), which no scenario takes. Here both forms are worked out (as C computes
them, models.condeval) at the leaves of the component of each leaf in scope (bit 63 as it has it, by the ABI:
models.leafbits) with one other bit flipped, or that bit alone: where they come out otherwise the runs could not
show it, and the change is not known to keep behaviour. A form that reads more than the leaf (an answer, a
counter) is not worked out here (None).
"""

from __future__ import annotations

from models.cload import Program
from models.condeval import truth_at
from models.decided import Scope, leaf_params
from models.neighbours import Decision, free_names

_BIT63 = 1 << 63
SHOWN = 4  # leaves kept per condition


def _leaf_name(p: Program, d: Decision, scope: Scope) -> str | None:
    """The one name the decision reads, when it is a parameter every compared call passes the leaf to."""
    names = free_names(d.node)
    carried = leaf_params(p, scope.entries).get(d.function, set())
    return next(iter(names)) if len(names) == 1 and names <= carried else None


def _others(scope: Scope) -> list[int]:
    """Leaves of the components in scope that no scenario takes: each leaf with one bit other than 63 flipped, then
    each other bit alone with bit 63 as a leaf in scope has it."""
    taken = set(scope.leaves)
    near = [leaf ^ (1 << i) for leaf in sorted(taken) for i in range(63)]
    alone = [high | (1 << i) for high in sorted({leaf & _BIT63 for leaf in taken}) for i in range(63)]
    return [v for v in dict.fromkeys(near + alone) if v not in taken]


def leaves_apart(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope) -> tuple[int, ...] | None:
    """Leaves of the compared components no scenario takes at which the two conditions come out otherwise (at most
    SHOWN; () where none); None when a side reads more than the leaf or a truth is not worked out."""
    na, nb = _leaf_name(pa, a, scope), _leaf_name(pb, b, scope)
    if na is None or nb is None or not scope.leaves:
        return None
    out: list[int] = []
    for leaf in _others(scope):
        p = truth_at(pa, a.function, a.node, ((na, leaf),))
        q = truth_at(pb, b.function, b.node, ((nb, leaf),))
        if p is None or q is None:
            return None
        if p != q:
            out.append(leaf)
            if len(out) == SHOWN:
                break
    return tuple(out)
