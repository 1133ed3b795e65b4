"""models.leafflow's sites as placed in a body, (kind, node, form), and their keys in a program.

A site is found as a node of a function's body and a form of key; its key is made from the node's coordinates in
the program at hand. So the sites a flow found are also the sites of a moved copy of the same text
(models.nodecopy), placed at the same nodes of the copy's body (models.leafflowkeep), keyed from its coordinates.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.facts import PRINTS, SITE_LEAF_SHAPE
from models.marks import decision_tag

# (kind, node, form): form "?" is a decision's tag ``?path:line:col~size``, ":" the node's ``path:line`` (a warning's
# place), "" its ``path:line:col``, "@N" that followed by ``@N``.
Placed = tuple[str, c_ast.Node, str]
Site = tuple[str, str, str]  # (function label, kind, key)

# A child of one of these names (pycparser's, an index aside) is a statement of its own (models.statements.stmt
# records where each starts).
_STATEMENTS = frozenset({"block_items", "iftrue", "iffalse", "stmt", "stmts"})
_SITES = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp, c_ast.BinaryOp, c_ast.Switch,
          c_ast.FuncCall, c_ast.Assignment, c_ast.Decl)


@lru_cache(maxsize=4096)
def site_nodes(body: c_ast.Node) -> tuple[tuple[c_ast.Node, c_ast.Node | None], ...]:
    """(node, the statement holding it; None: the body) of the nodes of a function's body that models.leafflow's
    _sites reads, in the order of a walk of the whole body: found once per body, where _sites reads each function for
    every entry."""
    out = []
    todo: list[tuple[c_ast.Node, c_ast.Node | None]] = [(body, None)]
    while todo:
        n, stmt = todo.pop()
        if isinstance(n, _SITES) and not (isinstance(n, c_ast.BinaryOp) and n.op not in ("&&", "||")):
            out.append((n, stmt))
        for name, child in n.children():
            todo.append((child, child if stmt is None or name.partition("[")[0] in _STATEMENTS else stmt))
    return tuple(out)


def site_key(program: Program, node: c_ast.Node, form: str) -> str:
    """The key of a site placed at ``node`` with ``form`` (Placed) in ``program``."""
    if form == "?":
        return f"?{program.site(node.coord)}~{decision_tag(node)}"
    if form == ":":
        return program.where(node.coord)
    return program.site(node.coord) + form


def keyed(program: Program, body: c_ast.Node, placed: list[Placed]) -> list[tuple[str, str]]:
    """(kind, key) of each site placed in ``body`` in ``program``, but a leaf-shape site of a printer whose place
    another printer shares (a macro printing twice: which one printed a line is not told by its place)."""
    out = [(kind, site_key(program, node, form)) for kind, node, form in placed]
    if all(kind != SITE_LEAF_SHAPE for kind, _ in out):
        return out
    printers = Counter(program.site(n.coord) for n, stmt in site_nodes(body) if stmt is not None
                       and isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in PRINTS)
    return [(kind, k) for kind, k in out if kind != SITE_LEAF_SHAPE or printers[k.rpartition("@")[0]] == 1]


def labelled(program: Program, entry: str, wrapper: str, placed: dict[str, list[Placed]]) -> tuple[Site, ...]:
    """The sites of an entry point's flow, each once in order: per function reached (in ``placed``'s order), its
    sites keyed in ``program`` under the entry's name (its wrapper's) or the function's name in the C."""
    found: dict[Site, None] = {}
    for fn, sites in placed.items():
        label = entry if fn == wrapper else program.c_name(fn)
        found.update(dict.fromkeys((label, kind, k) for kind, k in keyed(program, program.functions[fn].body, sites)))
    return tuple(found)
