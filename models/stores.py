"""Each name's stores in a C function body (a value stored, or None for a store of another kind), read once per body."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pycparser import c_ast

from models.condeval import nodes

# By function body, the body held with its stores (so that its id is no other's meanwhile): the programs of a run share
# the parsed definitions no patch changed (models.cload), and each program's leaf parameters and constant locals read
# every body again.
_STORES: dict[int, tuple[c_ast.Node, Mapping[str, list[c_ast.Node | None]]]] = {}


def written(func: c_ast.FuncDef) -> Mapping[str, list[c_ast.Node | None]]:
    """Each name's stores in a function: the value stored (a declaration's initialiser, ``x = v``), or None for a
    store of another kind (``x += v``, ``x++``, ``&x`` taken). Read once per body, and shared: read only."""
    kept = _STORES.get(id(func.body))
    if kept is not None and kept[0] is func.body:
        return kept[1]
    if len(_STORES) > 4096:
        _STORES.clear()
    found = MappingProxyType(stores(func.body))
    _STORES[id(func.body)] = (func.body, found)
    return found


def stores(body: c_ast.Node) -> dict[str, list[c_ast.Node | None]]:
    """Each name's stores in ``body``, uncached (written() keeps them per body)."""
    out: dict[str, list[c_ast.Node | None]] = {}
    for n in nodes(body):
        if isinstance(n, c_ast.Decl) and n.name and n.init is not None:
            out.setdefault(n.name, []).append(n.init)
        elif isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID):
            out.setdefault(n.lvalue.name, []).append(n.rvalue if n.op == "=" else None)
        elif isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--", "&") and isinstance(n.expr, c_ast.ID):
            out.setdefault(n.expr.name, []).append(None)
    return out
