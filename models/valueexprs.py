"""Changed values of two programs: expressions other than conditions that compute otherwise for some value of one name.

A patch that changes what a function returns, passes or stores (``return err;`` made ``return err & ~0x10ULL;``,
``seamcall_err(fn, err, args)`` made ``seamcall_err(fn, err & ~0x10ULL, args)``, the leaf printed as ``fn &
~0x10ULL``) changes behaviour only at the values it computes otherwise: a status with bit 4 set, which no script
answers, a leaf no scenario takes. No condition changed, so models.neighbours finds nothing to run, and every
scenario agrees: the comparison said "no behaviour change". Here each function both programs have is read for its
value expressions outside conditions (a ``return``'s, each argument of a call, what a declaration or ``=`` stores),
paired in source order with the other side's where a run of them was replaced one for one; a pair whose two forms
read the same one name and nothing else (no call, no store) is worked out as C computes it (models.condeval) at
every bit alone, 0, all ones, the values given (the matrix's answers and leaves) and each of those with one bit
flipped. Where the two compute otherwise, those values are the pair's ``apart``: the caller runs them as answers,
and holds the pair to be undecided unless a run shows the difference. A pair not worked out (two names, a call) is
left to the runs as before.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from pycparser import c_ast

from models.cload import Program
from models.condeval import MASK64, STEPS, Eval, declared, exact, nodes
from models.knownbits import Bits
from models.neighbours import _conditions, _shape, free_names
from models.record import record

APART_MAX = 4  # values run per changed value: those next to an answer a script gives first


@record
class ChangedValue:
    """A value expression of ``function`` that computes otherwise on the two sides: where each is (file:line), the
    one name both read and values of it at which they differ (next to the given ones first, at most APART_MAX)."""

    function: str
    a_where: str
    b_where: str
    name: str
    apart: tuple[int, ...]


def _values(func: c_ast.FuncDef) -> list[c_ast.Node]:
    """A function's value expressions outside its conditions, in source order: returns', call arguments, stores."""
    inside = {id(x) for c in _conditions(func) for x in nodes(c)}
    out: list[c_ast.Node] = []
    for n in nodes(func.body):
        if id(n) in inside:
            continue
        if isinstance(n, c_ast.Return) and n.expr is not None:
            out.append(n.expr)
        elif isinstance(n, c_ast.FuncCall) and n.args is not None:
            out += [a for a in n.args.exprs if not isinstance(a, c_ast.Constant)]
        elif isinstance(n, c_ast.Decl) and n.init is not None and not isinstance(n.init, c_ast.InitList):
            out.append(n.init)
        elif isinstance(n, c_ast.Assignment) and n.op == "=":
            out.append(n.rvalue)
    return out


def _plain(n: c_ast.Node) -> bool:
    """Whether an expression only computes: no call, no store, no step."""
    return not any(isinstance(x, (c_ast.FuncCall, c_ast.Assignment)) or
                   (isinstance(x, c_ast.UnaryOp) and (x.op in STEPS or x.op == "&")) for x in nodes(n))


def _tried(given: Iterable[int]) -> list[int]:
    """The given values and each with one bit flipped (first: next to what a script answers), then every bit alone,
    0 and all ones."""
    near: dict[int, None] = {}
    for g in sorted({g & MASK64 for g in given}):
        near.update(dict.fromkeys(g ^ (1 << i) for i in range(64)))
    return [*dict.fromkeys([*near, *(1 << i for i in range(64)), 0, MASK64])]


def _computed(p: Program, function: str, x: c_ast.Node, name: str, v: int) -> int | None:
    return exact(Eval(p, {name: Bits.of(v, declared(p, function, name))}), x)


def _apart(pa: Program, pb: Program, function: str, x: c_ast.Node, y: c_ast.Node, tried: list[int]
           ) -> tuple[str, tuple[int, ...]] | None:
    """The name both read and the values of it at which ``x`` and ``y`` compute otherwise; None where not worked
    out (several names, a call or a store, a value not computed)."""
    names = free_names(x)
    if len(names) != 1 or free_names(y) != names or not _plain(x) or not _plain(y):
        return None
    name = next(iter(names))
    found: list[int] = []
    for v in tried:
        p, q = _computed(pa, function, x, name, v), _computed(pb, function, y, name, v)
        if p is None or q is None:
            return None
        if p != q and len(found) < APART_MAX:
            found.append(v)
    return name, tuple(found)


def changed_values(pa: Program, pb: Program, given: Iterable[int]) -> list[ChangedValue]:
    """The value expressions of the functions both programs have that compute otherwise for some value of the one
    name they read (``given``: the values to try first, the matrix's answers and leaves)."""
    tried = _tried(given)
    out: list[ChangedValue] = []
    for function in sorted(pa.functions.keys() & pb.functions.keys()):
        xs, ys = _values(pa.functions[function]), _values(pb.functions[function])
        sx, sy = [_shape(x) for x in xs], [_shape(y) for y in ys]
        if sx == sy:
            continue
        match = difflib.SequenceMatcher(None, sx, sy, autojunk=False)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag != "replace" or i2 - i1 != j2 - j1:
                continue
            for x, y in zip(xs[i1:i2], ys[j1:j2], strict=True):
                found = _apart(pa, pb, function, x, y, tried)
                if found is not None and found[1]:
                    out.append(ChangedValue(function, pa.where(x.coord), pb.where(y.coord), *found))
    return out
