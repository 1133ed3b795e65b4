"""Whether a stored value is computed from bits of the leaf other than bit 63 (``codes[fn & 3]``), by known bits.

models.leafbits marks such a store (CodeFacts.bit63_fixed's OTHER_BITS under ``"=" + path:line:col``) for either
value of bit 63: the leaves of the matrix show only what theirs make of it, however often it ran (harness.leafsame).
The leaf is the one value models.leafbits knows in part (bit 63 alone); an operation on it whose result is known in
part, some bit below 63 among them, reads other bits of it.
"""

from __future__ import annotations

from typing import Protocol

from pycparser import c_ast

from models.ctype import Int
from models.facts import FORMAT_FIRST
from models.knownbits import Value
from models.leafcode import LeafCode
from models.leafwalks import Read, called


class _Eval(Protocol):
    """What of models.leafbits' evaluator this module reads (a protocol: leafbits imports this module)."""

    code: LeafCode
    fn: str
    env: dict[str, Value]
    depth: int
    read: list[Read] | None
    local: frozenset[str]

    def __init__(self, code: LeafCode, fn: str, env: dict[str, Value], depth: int = 0,
                 read: list[Read] | None = None) -> None: ...

    def value(self, n: c_ast.Node | None) -> Value: ...

    def entered(self, call: c_ast.FuncCall) -> tuple[_Eval, c_ast.FuncDef, Int] | None: ...

_LEAF_BIT = 63


def other_bits(ev: _Eval, node: c_ast.Node) -> bool:
    """Whether an operation in ``node`` computes a value from bits of the leaf other than bit 63: an operator given a
    parameter only some of whose bits are known (the leaf: bit 63 alone) whose result is known in part, some bit
    below 63 among them (``fn & 3`` knows bits 2-63 alone; ``fn >> 63`` every bit), here or in a ``return`` of a
    helper it calls (``sc_code_for(fn)`` returning ``codes[fn & 3]``, its parameters known as the arguments are).
    The leaf itself, copied, converted or re-spelt (``fn & ~BIT_ULL(63)``), is no such operation: a test of it is one
    of the leaf (models.leafflow). A local that is a copy of the leaf (``u64 leaf = fn;``, never stored to again nor
    its address taken) is read as the leaf, which models.leafbits knows of no local."""
    copies = _leaf_copies(ev) if any(isinstance(x, c_ast.ID) and x.name in ev.local and x.name not in ev.env
                                     for x in _nodes(node)) else {}
    if copies:
        ev = type(ev)(ev.code, ev.fn, {**ev.env, **copies}, ev.depth, ev.read)
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.BinaryOp, c_ast.UnaryOp)) and n.op not in ("&&", "||", "sizeof") \
                and any(_part(ev.value(x)) for x in n if isinstance(_uncast(x), c_ast.ID)) \
                and _part_past_bit_63(ev.value(n)):
            return True
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and (inner := ev.entered(n)) is not None:
            if ev.read is not None:  # what the walk read, so that a walk kept is not reused past a changed helper
                ev.read.append(called(ev.code, n.name.name))
            if any(isinstance(r, c_ast.Return) and r.expr is not None and other_bits(inner[0], r.expr)
                   for r in _nodes(inner[1].body)):
                return True
        todo.extend(n)
    return False


def printed_other_bits(ev: _Eval, call: c_ast.FuncCall) -> bool:
    """Whether a pr_*() or printk() call's format is chosen by bits of the leaf other than bit 63 (``pr_err(
    sc_fmts[fn & 3], fn, err)``, or a local set once to that): what a leaf whose bits no run had prints is not
    shown by the lines that ran (harness.consistency)."""
    args = call.args.exprs if call.args is not None else []
    if not (isinstance(call.name, c_ast.ID) and call.name.name in FORMAT_FIRST and args):
        return False
    fmt = _uncast(args[0])
    init = _single_inits(ev).get(fmt.name) if isinstance(fmt, c_ast.ID) else None
    return other_bits(ev, args[0]) or (init is not None and other_bits(ev, init))


def _leaf_copies(ev: _Eval) -> dict[str, Value]:
    """The locals of the function ``ev`` evaluates that copy the leaf: declared once with it (its known bits: bit 63
    alone, as a parameter holding it), stored to by no other statement, their address never taken."""
    out: dict[str, Value] = {}
    for name, init in _single_inits(ev).items():
        v = ev.value(init)
        if _part(v) and not _part_past_bit_63(v):
            out[name] = v
    return out


def _single_inits(ev: _Eval) -> dict[str, c_ast.Node]:
    """The locals of the function ``ev`` evaluates declared once with a value, stored to by no other statement,
    their address never taken: what they hold is that value."""
    decls: dict[str, list[c_ast.Node | None]] = {}
    changed: set[str] = set()
    for n in _nodes(ev.code.program.functions[ev.fn].body):
        if isinstance(n, c_ast.Decl) and isinstance(n.name, str):
            decls.setdefault(n.name, []).append(n.init)
        elif isinstance(n, c_ast.Assignment) and isinstance(_uncast(n.lvalue), c_ast.ID):
            changed.add(_uncast(n.lvalue).name)
        elif isinstance(n, c_ast.UnaryOp) and n.op in ("&", "++", "--", "p++", "p--") \
                and isinstance(_uncast(n.expr), c_ast.ID):
            changed.add(_uncast(n.expr).name)
    return {name: init for name, (init, *more) in decls.items()
            if not more and isinstance(init, c_ast.Node) and name in ev.local and name not in changed}


def _nodes(node: c_ast.Node) -> list[c_ast.Node]:
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(n)
    return out


def _part(v: Value) -> bool:
    return v is not None and 0 < v.known < v.t.mask


def _part_past_bit_63(v: Value) -> bool:
    """Known in part, some bit below 63 among those known: ``fn ^ BIT_ULL(63)`` or ``fn & ~BIT_ULL(63)`` carries
    every other bit of the leaf as the leaf does (the leaf re-spelt, as a copy is), ``fn & 3`` picks some."""
    return v is not None and 0 < v.known < v.t.mask and bool(v.known & ~(1 << _LEAF_BIT))


def _uncast(n: c_ast.Node) -> c_ast.Node:
    while isinstance(n, c_ast.Cast):
        n = n.expr
    return n
