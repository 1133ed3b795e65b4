"""The nodes of a function's body that models.leafflow's _sites reads, each with the statement holding it."""

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

# A child of one of these names (pycparser's, an index aside) is a statement of its own (models.statements.stmt
# records where each starts).
_STATEMENTS = frozenset({"block_items", "iftrue", "iffalse", "stmt", "stmts"})
_SITES = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp, c_ast.BinaryOp, c_ast.Switch,
          c_ast.FuncCall, c_ast.Assignment, c_ast.Decl)


@lru_cache(maxsize=4096)
def site_nodes(body: c_ast.Node) -> tuple[tuple[c_ast.Node, c_ast.Node | None], ...]:
    """(node, the statement holding it; None: the body) of the nodes of a function's body that models.leafflow's
    _sites reads (conditions' holders, ``&&``/``||``, switches, calls, assignments, declarations), in the order of a
    walk of the whole body: found once per body, where _sites reads each function for every entry."""
    out = []
    todo: list[tuple[c_ast.Node, c_ast.Node | None]] = [(body, None)]
    while todo:
        n, stmt = todo.pop()
        if isinstance(n, _SITES) and not (isinstance(n, c_ast.BinaryOp) and n.op not in ("&&", "||")):
            out.append((n, stmt))
        for name, child in n.children():
            todo.append((child, child if stmt is None or name.partition("[")[0] in _STATEMENTS else stmt))
    return tuple(out)
