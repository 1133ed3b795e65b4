"""A statement storing into a local that nothing reads: a retry loop's round runs the same without it."""

# 'int tries = 0; ... tries++;' with 'tries' named nowhere else: no later statement, test, print or return reads the
# value stored, and the store makes no SEAMCALL, so a run shows nothing of it (C17 5.1.2.3p6: what an implementation
# must keep is accesses to volatile objects, files and the program's output). harness.switchform leaves such a
# statement out before a case's test, harness.countedalike out of a loop's other statements, models.valueexprs out of
# the values it compares.

from __future__ import annotations

from collections.abc import Iterable

from pycparser import c_ast

from models.condeval import nodes
from models.cparse import param_list
from models.retryints import named_type

_STEPS = ("++", "--", "p++", "p--")
# Where a statement stands as a statement (its value read by nothing): a block's items, a case's, a branch or body.
_HOLDERS = (c_ast.Compound, c_ast.Case, c_ast.Default, c_ast.If, c_ast.Label, c_ast.For, c_ast.While, c_ast.DoWhile)


def unread_store(func: c_ast.FuncDef, stmt: c_ast.Node) -> bool:
    """Whether ``stmt`` is ``n++;``, ``--n;``, ``n op= C;`` or ``n = C;`` (C an integer literal) into ``n``, a local
    of ``func`` declared once (own_local: no parameter, not ``static``), of an integer type, not
    ``volatile``, given a literal where declared if a step or ``op=`` reads it (an unset value read is undefined,
    C17 6.3.2.1p2), that the function names nowhere but in such statements standing alone: nothing reads what it
    holds, its address is never taken. A signed step overflows (undefined, C17 6.5p5) only past its type's range of
    rounds, which the counted loops compared here do not make."""
    name = _stored(stmt)
    if name is None:
        return False
    stores = _statements(func, name)
    decl = own_local(func, name, len(stores))
    if decl is None or not isinstance(decl.type, c_ast.TypeDecl) or named_type(decl.type) is None or \
            "volatile" in decl.quals or "volatile" in decl.type.quals:
        return False
    reads = any(not (isinstance(s, c_ast.Assignment) and s.op == "=") for s in stores)
    init = decl.init
    return (init is None and not reads) or (isinstance(init, c_ast.Constant) and "int" in init.type)


def own_local(func: c_ast.FuncDef, name: str, uses: int) -> c_ast.Decl | None:
    """The declaration of ``name`` where it is a local of ``func`` declared once, not static, and named ``uses``
    times in its body (as an identifier, the declaration aside): nothing reads or sets it but those; else None."""
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == name]
    if name in param_list(func) or len(decls) != 1 or decls[0].storage or \
            sum(isinstance(x, c_ast.ID) and x.name == name for x in nodes(func.body)) != uses:
        return None
    return decls[0]


def live(func: c_ast.FuncDef, items: Iterable[c_ast.Node]) -> list[c_ast.Node]:
    """``items`` but the unread stores among them."""
    return [x for x in items if not unread_store(func, x)]


def _stored(stmt: c_ast.Node) -> str | None:
    """The local ``stmt`` steps or sets to an integer literal (the only thing it does), None for another."""
    if isinstance(stmt, c_ast.UnaryOp) and stmt.op in _STEPS and isinstance(stmt.expr, c_ast.ID):
        return str(stmt.expr.name)
    if isinstance(stmt, c_ast.Assignment) and isinstance(stmt.lvalue, c_ast.ID) and \
            isinstance(stmt.rvalue, c_ast.Constant) and "int" in stmt.rvalue.type:
        return str(stmt.lvalue.name)
    return None


def _statements(func: c_ast.FuncDef, name: str) -> list[c_ast.Node]:
    """The statements of ``func`` that only step or set ``name`` (_stored), each standing as a statement."""
    out = []
    for holder in nodes(func.body):
        if not isinstance(holder, _HOLDERS):
            continue
        below = (holder.block_items or []) if isinstance(holder, c_ast.Compound) else \
            (holder.stmts or []) if isinstance(holder, (c_ast.Case, c_ast.Default)) else \
            [holder.iftrue, holder.iffalse] if isinstance(holder, c_ast.If) else [holder.stmt]
        out += [x for x in below if x is not None and _stored(x) == name]
    return out
