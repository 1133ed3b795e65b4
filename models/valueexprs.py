"""Changed values of two programs: expressions other than conditions that compute otherwise for some value of one name.

A patch that changes what a function returns, passes or stores (``return err;`` made ``return err & ~0x10ULL;``,
``seamcall_err(fn, err, args)`` made ``seamcall_err(fn, err & ~0x10ULL, args)``, the leaf printed as ``fn &
~0x10ULL``) changes behaviour only at the values it computes otherwise: a status with bit 4 set, which no script
answers, a leaf no scenario takes. No condition changed, so models.neighbours finds nothing to run, and every
scenario agrees: the comparison said "no behaviour change". Here each function both programs have is read for its
value expressions outside conditions (a ``return``'s, each argument of a call, what a declaration or ``=`` stores),
a local stored once with a computed value read as that value (``u64 shown = err & ~0x10ULL;`` then ``g(shown)``),
paired one for one with the other side's where as many replaced as many and each goes to the same place (a return, a
callee's argument); a pair whose two forms read the same one name and nothing else (no call, no store) is worked out
as C computes it (models.condeval) at every bit alone, 0, all ones, the values given (the matrix's answers and
leaves) and each of those with one bit flipped. Where the two compute otherwise, those values are the pair's
``apart``: the caller runs them as answers, and holds the pair to be undecided unless a run shows the difference. A
pair not worked out (two names, a call) is left to the runs as before.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable

from pycparser import c_ast

from models.cload import Program
from models.condeval import MASK64, STEPS, Eval, declared, exact, nodes
from models.decided import _params, _written
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


def _values(func: c_ast.FuncDef) -> list[tuple[tuple[object, ...], c_ast.Node]]:
    """A function's value expressions outside its conditions, in source order, each with where it goes: a return's,
    a call's argument (the callee and the argument's place), what a declaration or ``=`` stores (and where)."""
    inside = {id(x) for c in _conditions(func) for x in nodes(c)}
    held = _held(func)
    out: list[tuple[tuple[object, ...], c_ast.Node]] = []
    for n in nodes(func.body):
        if id(n) in inside:
            continue
        if isinstance(n, c_ast.Return) and n.expr is not None:
            out.append((("return",), n.expr))
        elif isinstance(n, c_ast.FuncCall) and n.args is not None:
            callee = _shape(n.name)
            out += [(("argument", callee, i), a) for i, a in enumerate(n.args.exprs)
                    if not isinstance(a, c_ast.Constant)]
        elif isinstance(n, c_ast.Decl) and n.init is not None and not isinstance(n.init, c_ast.InitList):
            out += [(("init", n.name), n.init)] if n.name not in held else []  # compared where it is read
        elif isinstance(n, c_ast.Assignment) and n.op == "=":
            held_store = isinstance(n.lvalue, c_ast.ID) and n.lvalue.name in held
            out += [] if held_store else [(("store", _shape(n.lvalue)), n.rvalue)]
    return [(key, _inlined(x, held)) for key, x in out]


def _held(func: c_ast.FuncDef) -> dict[str, c_ast.Node]:
    """The locals stored once, with a value that only computes from names stored at most once (parameters never):
    what such a local holds wherever it is read (``u64 shown = err & ~0x10ULL;`` then ``seamcall_err(fn, shown,
    args)``), so that the value passed is compared, not the local's name."""
    written, params = _written(func), set(_params(func))
    out: dict[str, c_ast.Node] = {}
    for name, stores in written.items():
        value = stores[0] if len(stores) == 1 and name not in params else None
        if value is not None and _plain(value) and \
                all(len(written.get(r, ())) <= (r not in params) for r in free_names(value)):
            out[name] = value
    return out


def _inlined(n: c_ast.Node, held: dict[str, c_ast.Node], depth: int = 4) -> c_ast.Node:
    """A copy of ``n`` with each local of ``held`` it reads put as the value it holds (``depth`` locals deep)."""
    if depth == 0 or not free_names(n) & held.keys():
        return n
    if isinstance(n, c_ast.ID):  # where it is read: the line a report names
        value = copy.copy(_inlined(held[n.name], held, depth - 1))
        value.coord = n.coord
        return value
    out = copy.copy(n)
    for slot in (s for s in type(n).__slots__ if s not in ("coord", "__weakref__")):
        x = getattr(n, slot, None)
        if isinstance(x, c_ast.Node):
            setattr(out, slot, _inlined(x, held, depth))
        elif isinstance(x, list):
            setattr(out, slot, [_inlined(y, held, depth) if isinstance(y, c_ast.Node) else y for y in x])
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
        fa, fb = pa.functions[function], pb.functions[function]
        if _shape(fa.body) == _shape(fb.body):
            continue
        xs, ys = _values(fa), _values(fb)
        match = difflib.SequenceMatcher(None, [(k, _shape(x)) for k, x in xs], [(k, _shape(y)) for k, y in ys],
                                        autojunk=False)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag != "replace" or i2 - i1 != j2 - j1:
                continue  # values added or removed: which one stands for which is not told
            for (kx, x), (ky, y) in zip(xs[i1:i2], ys[j1:j2], strict=True):
                if kx != ky:
                    continue  # another place (a return made an argument)
                found = _apart(pa, pb, function, x, y, tried)
                if found is not None and found[1]:
                    out.append(ChangedValue(function, pa.where(x.coord), pb.where(y.coord), *found))
    return out
