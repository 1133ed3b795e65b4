"""A switch on a call's answer and one on the local that answer was stored in right before: one decision per label."""

# 'err = f(x); switch (err) { case X: ... }' and 'switch (f(x)) { case X: ... }' jump to the same label for every
# answer f gives where err is declared with the integer type f returns (the same width and signedness): err then
# holds f's answer unchanged (C17 6.5.16.1p2), and each case constant is converted to the same promoted type on both
# sides (6.8.4.2p5). models.neighbours reads each label as 'cond == label' (case_decisions), 'err == X' on one side and
# 'f(x) == X' on the other: no value run relates the two, though they never come out otherwise.

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes
from models.condeval import shape as _shape
from models.retryints import named_type


def same_switched(pa: Program, fa: str, a: c_ast.Node, pb: Program, fb: str, b: c_ast.Node) -> bool:
    """Whether the case decisions ``a`` of ``fa`` and ``b`` of ``fb`` (``cond == label``) are one: the same label
    constant, one side's switch on a local stored right above it in its block (``err = f(x);`` or ``T err = f(x);``),
    the other's on that call (the same text), the function a function of each program declared to return the
    integer type the local is declared with (declared once, not ``volatile``). Whether f's code is the same on both
    sides is the caller's to ask (models.neighbours: a changed callee is said with the condition)."""
    if not (isinstance(a, c_ast.BinaryOp) and isinstance(b, c_ast.BinaryOp) and a.op == b.op == "==") or \
            _shape(a.right) != _shape(b.right):
        return False
    for (p1, f1, x), (p2, f2, y) in (((pa, fa, a), (pb, fb, b)), ((pb, fb, b), (pa, fa, a))):
        stored, called = p1.functions.get(f1), p2.functions.get(f2)
        if stored is None or called is None or not isinstance(x.left, c_ast.ID) or \
                not isinstance(y.left, c_ast.FuncCall) or _switch_of(called, y) is None:
            continue
        store = _stored_above(stored, x)
        if store is not None and _shape(store) == _shape(y.left) and \
                _same_type(_local(stored, x.left.name), _returned(p1, store), _returned(p2, y.left)):
            return True
    return False


def _switch_of(func: c_ast.FuncDef, d: c_ast.BinaryOp) -> c_ast.Switch | None:
    """The switch of ``func`` one of whose case labels ``d`` tests (its constant the label's own node)."""
    for sw in (n for n in nodes(func.body) if isinstance(n, c_ast.Switch)):
        if any(isinstance(c, c_ast.Case) and c.expr is d.right for c in nodes(sw.stmt)):
            return sw
    return None


def _stored_above(func: c_ast.FuncDef, d: c_ast.BinaryOp) -> c_ast.FuncCall | None:
    """The call whose answer the statement right above ``d``'s switch, in its block, stores in the local the switch
    is on (``err = f(x);``, ``u64 err = f(x);``); None for another."""
    sw = _switch_of(func, d)
    if sw is None or not isinstance(sw.cond, c_ast.ID):
        return None
    for block in (n for n in nodes(func.body) if isinstance(n, c_ast.Compound) and n.block_items):
        items = block.block_items
        at = next((i for i, x in enumerate(items) if x is sw), None)
        if at is None:
            continue
        above = items[at - 1] if at else None
        if isinstance(above, c_ast.Assignment) and above.op == "=" and isinstance(above.lvalue, c_ast.ID) and \
                above.lvalue.name == sw.cond.name and isinstance(above.rvalue, c_ast.FuncCall):
            return above.rvalue
        if isinstance(above, c_ast.Decl) and above.name == sw.cond.name and isinstance(above.init, c_ast.FuncCall):
            return above.init
    return None


def _local(func: c_ast.FuncDef, name: str) -> c_ast.Decl | None:
    """The one declaration of ``name`` in the body, not ``volatile``; None for none, several or a volatile one."""
    found = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == name]
    return found[0] if len(found) == 1 and "volatile" not in found[0].quals else None


def _returned(program: Program, call: c_ast.FuncCall) -> c_ast.Node | None:
    """The type node of what the function ``call`` names returns, a function the program defines; None otherwise."""
    func = program.functions.get(call.name.name) if isinstance(call.name, c_ast.ID) else None
    return func.decl.type.type if func is not None and isinstance(func.decl.type, c_ast.FuncDecl) else None


def _same_type(decl: c_ast.Decl | None, one: c_ast.Node | None, other: c_ast.Node | None) -> bool:
    """Whether a local and the two functions' returns are of integer types of one width and signedness."""
    types = [named_type(decl.type) if decl is not None else None, named_type(one), named_type(other)]
    return all(t is not None for t in types) and len({(t.bits, t.signed) for t in types if t is not None}) == 1
