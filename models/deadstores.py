"""A statement storing into a local that nothing reads: a retry loop's round runs the same without it."""

# 'int tries = 0; ... tries++;' with 'tries' named nowhere else: no later statement, test, print or return reads the
# value stored, and the store makes no SEAMCALL, so a run shows nothing of it (C17 5.1.2.3p6: what an implementation
# must keep is accesses to volatile objects, files and the program's output). harness.switchform leaves such a
# statement out before a case's test, harness.countedalike out of a loop's other statements, models.valueexprs out of
# the values it compares.

from __future__ import annotations

from collections.abc import Callable, Iterable

from pycparser import c_ast

from models.condeval import nodes
from models.cparse import param_list
from models.retryints import named_type
from models.structlocals import Members, body_tags, member_decls, member_key

Tags = Callable[[str], Members | None] | None  # a struct tag -> its members at file scope (models.structlocals)

_STEPS = ("++", "--", "p++", "p--")
# Where a statement stands as a statement (its value read by nothing): a block's items, a case's, a branch or body.
_HOLDERS = (c_ast.Compound, c_ast.Case, c_ast.Default, c_ast.If, c_ast.Label, c_ast.For, c_ast.While, c_ast.DoWhile)


def unread_store(func: c_ast.FuncDef, stmt: c_ast.Node, tags: Tags = None) -> bool:
    """Whether ``stmt`` is ``n++;``, ``--n;``, ``n op= C;`` or ``n = C;`` (C an integer literal; cast to void
    too, ``(void)n++;``, or a ``for``'s first clause or step, whose value is discarded as a statement's, C17
    6.8.5.3) into ``n``, a local of ``func`` declared once (own_local: no parameter, not ``static``), of an integer
    type, not ``volatile``, given a literal where declared if a step or ``op=`` reads it (an unset value read is
    undefined, C17 6.3.2.1p2), that the function names nowhere but in such statements standing alone: nothing reads
    what it holds, its address is never taken. So is such a store into an integer member of a local struct whose
    declaration lists its members (models.structlocals.member_decls: ``st.n++;``, each member's initializer as C
    gives it; or by its tag's one definition at file scope, ``tags``, where ``func`` defines no such tag itself:
    models.structlocals.body_tags), the struct named nowhere else. A signed step overflows (undefined, C17 6.5p5)
    only past its type's range of rounds, which the counted loops compared here do not make. A comma of such stores
    (``tries++, n++;``, a ``for``'s step too) is one where each of its operands is."""
    if isinstance(_unvoided(stmt), c_ast.ExprList):  # 'tries++, n++;': each operand's value discarded, C17 6.5.17p2
        return all(unread_store(func, x, tags) for x in _operands(stmt))
    key = _stored(stmt)
    if key is None:
        return False
    base = key.split(".")[0]
    stores = _statements(func, base)
    decl = own_local(func, base, len(stores))
    if decl is None or "volatile" in decl.quals or "volatile" in getattr(decl.type, "quals", ["volatile"]):
        return False
    members = member_decls(decl, body_tags(func, tags)) if tags is not None else member_decls(decl)
    targets = {base: decl} if "." not in key else {m.name: m for m in members or []}
    for store in stores:
        target = targets.get(_stored(store) or "")
        if target is None or not isinstance(target.type, c_ast.TypeDecl) or named_type(target.type) is None or \
                "volatile" in target.type.quals:
            return False
        done = _unvoided(store)
        init, reads = target.init, not (isinstance(done, c_ast.Assignment) and done.op == "=")
        if not ((init is None and not reads) or (isinstance(init, c_ast.Constant) and "int" in init.type)):
            return False
    return True


def own_local(func: c_ast.FuncDef, name: str, uses: int) -> c_ast.Decl | None:
    """The declaration of ``name`` where it is a local of ``func`` declared once, not static, and named ``uses``
    times in its body (as an identifier, the declaration aside): nothing reads or sets it but those; else None."""
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == name]
    if name in param_list(func) or len(decls) != 1 or decls[0].storage or \
            sum(isinstance(x, c_ast.ID) and x.name == name for x in nodes(func.body)) != uses:
        return None
    return decls[0]


def live(func: c_ast.FuncDef, items: Iterable[c_ast.Node], tags: Tags = None) -> list[c_ast.Node]:
    """``items`` but the unread stores among them (``tags``: unread_store's)."""
    return [x for x in items if not unread_store(func, x, tags)]


def _unvoided(stmt: c_ast.Node) -> c_ast.Node:
    """A statement's expression, a cast to ``void`` taken off (``(void)tries++;``)."""
    while isinstance(stmt, c_ast.Cast) and isinstance(stmt.to_type.type, c_ast.TypeDecl) and \
            getattr(stmt.to_type.type.type, "names", None) == ["void"]:
        stmt = stmt.expr
    return stmt


def _stored(stmt: c_ast.Node) -> str | None:
    """The local (or a local struct's member, ``st.n``: models.structlocals.member_key) ``stmt`` steps or sets to an
    integer literal (the only thing it does), None for another."""
    stmt = _unvoided(stmt)
    target = stmt.expr if isinstance(stmt, c_ast.UnaryOp) and stmt.op in _STEPS else \
        stmt.lvalue if isinstance(stmt, c_ast.Assignment) and isinstance(stmt.rvalue, c_ast.Constant) and \
        "int" in stmt.rvalue.type else None
    return member_key(target) if isinstance(target, (c_ast.ID, c_ast.StructRef)) else None


def _statements(func: c_ast.FuncDef, name: str) -> list[c_ast.Node]:
    """The statements of ``func`` that only step or set ``name`` or one of its members (_stored), each standing as a
    statement (or a ``for``'s first clause or step)."""
    out = []
    for holder in nodes(func.body):
        if not isinstance(holder, _HOLDERS):
            continue
        below = (holder.block_items or []) if isinstance(holder, c_ast.Compound) else \
            (holder.stmts or []) if isinstance(holder, (c_ast.Case, c_ast.Default)) else \
            [holder.iftrue, holder.iffalse] if isinstance(holder, c_ast.If) else \
            [holder.stmt, holder.init, holder.next] if isinstance(holder, c_ast.For) else [holder.stmt]
        out += [x for x in below if x is not None for x in _operands(x) if (_stored(x) or "").split(".")[0] == name]
    return out


def _operands(stmt: c_ast.Node) -> list[c_ast.Node]:
    """A statement's comma operands (``tries++, n++``, a cast to void taken off, nested commas flattened: each one's
    value is discarded, C17 6.5.17p2); the statement itself where it is no comma."""
    done = _unvoided(stmt)
    return [x for e in done.exprs for x in _operands(e)] if isinstance(done, c_ast.ExprList) else [stmt]
