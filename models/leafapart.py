"""Leaves no scenario takes at which a changed condition on the leaf alone comes out otherwise on the two sides.

A decision that reads only the leaf takes one way in every run of a leaf, so the scenarios that ran decide it for
their leaves (models.decided). They decide nothing for the others: ``fn & SEAMLDR_LEAF_BIT`` made ``fn &
(SEAMLDR_LEAF_BIT | 0x10)`` agrees on every leaf of the matrix (33, 35, bit 63 with 0 or 1) and differs for a
TDX-module leaf with bit 4 set (16, 48, ...), which no scenario takes. Here both forms are worked out (as C computes
them, models.condeval) at the leaves of the component of each leaf in scope (bit 63 as it has it, by the ABI:
models.leafbits) with one other bit flipped, or that bit alone: where they come out otherwise the runs could not
show it, and the change is not known to keep behaviour. Where the conditions read more (an answer, a counter),
the widest part they differ in that reads the leaf alone is (an operand of ``||``: its truth; else its value).
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import Eval, declared, exact
from models.decided import Scope, leaf_params
from models.knownbits import Bits
from models.neighbours import Decision, free_names, levels

_BIT63 = 1 << 63
SHOWN = 4  # leaves kept per condition


def _leaf_part(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope
               ) -> tuple[c_ast.Node, str, c_ast.Node, str, bool] | None:
    """The widest parts the two conditions differ in (models.neighbours.levels: the whole conditions first) that
    read one name each and nothing else, a parameter every compared call passes the leaf to, with those names and
    whether only their truth counts (the whole condition, an operand of ``&&``, ``||``, ``!``) or their value."""
    ca = leaf_params(pa, scope.entries).get(a.function, set())
    cb = leaf_params(pb, scope.entries).get(b.function, set())
    path = levels(pa, a, pb, b)
    for depth, (x, y) in enumerate(path):
        nx, ny = free_names(x), free_names(y)
        if len(nx) == 1 and len(ny) == 1 and nx <= ca and ny <= cb:
            up = path[depth - 1][0] if depth else None
            truth = up is None or (isinstance(up, c_ast.BinaryOp) and up.op in ("&&", "||")) or \
                (isinstance(up, c_ast.UnaryOp) and up.op == "!")
            return x, next(iter(nx)), y, next(iter(ny)), truth
    return None


def _at(p: Program, d: Decision, node: c_ast.Node, name: str, leaf: int, truth: bool) -> int | None:
    e = Eval(p, {name: Bits.of(leaf, declared(p, d.function, name))})
    if truth:
        t = e.truth(node)
        return None if t is None else int(t)
    return exact(e, node)


def _others(scope: Scope) -> list[int]:
    """Leaves of the components in scope that no scenario takes: each leaf with one bit other than 63 flipped, then
    each other bit alone with bit 63 as a leaf in scope has it."""
    taken = set(scope.leaves)
    near = [leaf ^ (1 << i) for leaf in sorted(taken) for i in range(63)]
    alone = [high | (1 << i) for high in sorted({leaf & _BIT63 for leaf in taken}) for i in range(63)]
    return [v for v in dict.fromkeys(near + alone) if v not in taken]


def leaves_apart(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope) -> tuple[int, ...] | None:
    """Leaves of the compared components no scenario takes at which the two conditions come out otherwise (at most
    SHOWN; () where none); None when no part they differ in reads the leaf alone, or a value is not worked out."""
    part = _leaf_part(pa, a, pb, b, scope) if scope.leaves else None
    if part is None:
        return None
    x, na, y, nb, truth = part
    out: list[int] = []
    for leaf in _others(scope):
        p, q = _at(pa, a, x, na, leaf, truth), _at(pb, b, y, nb, leaf, truth)
        if p is None or q is None:
            return None
        if p != q:
            out.append(leaf)
            if len(out) == SHOWN:
                break
    return tuple(out)
