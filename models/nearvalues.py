"""The status values next to what a condition compares with: the answers that may tell two forms of it apart.

models.neighbours finds the conditions a change makes; for each, the values next to the constants it compares with
are derived from the expression itself (that module's docstring says which), through the helpers it calls, whose
parameters take what the call passes where that is known.
"""

from __future__ import annotations

from collections.abc import Iterable

from pycparser import c_ast

from models.cload import Program
from models.condeval import MASK64, Eval, exact, int_type, nodes
from models.cparse import param_decls
from models.knownbits import Bits, convert

_LOW = 0xFFFFFFFF  # a status code's detail bits (the class is the high 32)
_COMPARE = frozenset({"==", "!=", "<", ">", "<=", ">="})
MAX_VALUES = 24  # answers tried per comparison: a condition of many constants is held to its first ones
_DEPTH = 8  # helpers followed from a condition, call within call


def _returns(func: c_ast.FuncDef) -> list[c_ast.Return]:
    return [x for x in nodes(func.body) if isinstance(x, c_ast.Return)]


def _bits(mask: int) -> int:
    """The bits a mask names: those it keeps when it keeps few, else those it clears (``~BIT_ULL(40)``)."""
    mask &= MASK64
    return mask if bin(mask).count("1") <= 32 else ~mask & MASK64


def _around(k: int, named: Iterable[int]) -> set[int]:
    """``k``, it plus and minus one in the low 32 bits, and with each named set of bits set, cleared, and its lowest
    and highest bit flipped."""
    k &= MASK64
    high = k & ~_LOW & MASK64
    out = {k, high | ((k + 1) & _LOW), high | ((k - 1) & _LOW)}
    for bits in named:
        if bits:
            out |= {k | bits, k & ~bits & MASK64, k ^ (bits & -bits), k ^ (1 << (bits.bit_length() - 1))}
    return out


def _operand_bits(e: Eval, operand: c_ast.Node, k: int) -> tuple[set[int], set[int]]:
    """What a mask or shift in the tested operand names (bits, for _around), and values a shift moves ``k`` to."""
    named: set[int] = set()
    moved: set[int] = set()
    for n in nodes(operand):
        if not isinstance(n, c_ast.BinaryOp):
            continue
        if n.op in ("&", "|", "^"):
            named |= {_bits(m) for m in (exact(e, n.left), exact(e, n.right)) if m is not None}
        elif n.op in (">>", "<<") and (count := exact(e, n.right)) is not None and 0 < count < 64:
            low = (1 << count) - 1
            if n.op == ">>":
                base = (k << count) & MASK64
                moved |= {base, base | 1, base | low}
            else:
                moved |= {k >> count, (k >> count) | (1 << (64 - count))}
                named.add(low << (64 - count) & MASK64)
        elif n.op in ("*", "/"):
            moved |= _undone(e, n, k)
    return named, moved


def _undone(e: Eval, n: c_ast.BinaryOp, k: int) -> set[int]:
    """Values ``x`` of ``x * m`` or ``x / d`` (a constant ``m``, ``d``) that give ``k`` or border it: a multiply by
    ``m = odd << t`` drops x's top t bits (so x with each of them set too), a divide rounds a run of ``d`` values to
    one (its ends, and the next)."""
    if n.op == "/":
        d = exact(e, n.right)
        if d is None or d <= 1:
            return set()
        return {v & MASK64 for v in (k * d, k * d + d - 1, k * d + d, k * d - 1)}
    m = exact(e, n.right) if exact(e, n.left) is None else exact(e, n.left)
    m = (m or 0) & MASK64
    t = (m & -m).bit_length() - 1
    if t <= 0 or k & ((1 << t) - 1):
        return set()  # odd m: a bijection modulo 2**64, nothing dropped; k off m's multiples: no x gives it
    x = ((k >> t) * pow(m >> t, -1, 1 << (64 - t))) % (1 << (64 - t))
    dropped = [1 << b for b in range(64 - t, 64)]
    return {x, x | sum(dropped), *(x | bit for bit in dropped)}


def _reached(program: Program, cond: c_ast.Node, env: dict[str, Bits] | None
             ) -> Iterable[tuple[c_ast.Node, Eval]]:
    """The nodes of ``cond`` and of what the functions it calls return (helpers followed, each once), each with how
    to work out its values: ``env`` for the condition's own names, a helper's parameters given what the call passes
    them where that is known (``is_busy(err, fn)`` under a leaf: its ``fn``)."""
    todo: list[tuple[c_ast.Node, Eval]] = [(cond, Eval(program, env))]
    seen: set[str] = set()
    while todo and len(seen) <= _DEPTH:
        n, e = todo.pop()
        for x in nodes(n):
            yield x, e
            func = program.functions.get(x.name.name) if isinstance(x, c_ast.FuncCall) and \
                isinstance(x.name, c_ast.ID) else None
            if func is not None and x.name.name not in seen:
                seen.add(x.name.name)
                inner = Eval(program, _passed(e, func, x))
                todo += [(r.expr, inner) for r in _returns(func) if r.expr is not None]


def _passed(e: Eval, func: c_ast.FuncDef, call: c_ast.FuncCall) -> dict[str, Bits]:
    """A helper's parameters that a call passes a known value, in the parameter's type (others left out)."""
    params = param_decls(func)
    args = list(call.args.exprs) if call.args is not None else []
    out: dict[str, Bits] = {}
    for p, a in zip(params, args, strict=False):
        t, v = int_type(e.program, p.type), e.value(a)
        v = convert(v, t) if t is not None and v is not None else None
        if p.name and v is not None and v.exact() is not None:
            out[p.name] = v
    return out


def neighbour_values(program: Program, cond: c_ast.Node, env: dict[str, Bits] | None = None) -> list[int]:
    """The answers next to what ``cond`` compares with (the module's list), smallest first, at most MAX_VALUES;
    what a helper it calls returns is read as part of it; ``env``: values of names it reads (a leaf, a local)."""
    out: set[int] = set()
    for n, e in _reached(program, cond, env):
        if not isinstance(n, c_ast.BinaryOp):
            continue
        if n.op in _COMPARE:
            left, right = exact(e, n.left), exact(e, n.right)
            if (left is None) == (right is None):
                continue
            k, operand = (left, n.right) if left is not None else (right, n.left)
            assert k is not None
            named, moved = _operand_bits(e, operand, k)
            out |= _around(k, named) | moved
        elif n.op == "&" and (m := exact(e, n.right) if exact(e, n.left) is None else exact(e, n.left)):
            bits = m & MASK64  # a bare test of bits: each alone, all of them, none
            out |= {bits, bits & -bits, 1 << (bits.bit_length() - 1), 0}
    return sorted(out)[:MAX_VALUES]
