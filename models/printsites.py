"""Every printk-family call of each function, where a run notes it and the test it sits under.

A log pattern is judged on the lines the runs printed: a ``pr_err()`` under an answer no script gives printed
nothing, so what it would print was never seen. Each call of models.facts.PRINTS is listed by the coverage key a
run notes when it makes it: its statement's start (``path:line:column``, models.statements) for printk and its
wrappers, the call's ``path:line`` (its warning event's place) for a ``WARN()`` with a message, which prints only
when it fires. The innermost test above it is kept too, to say what a script must answer to reach it, and a
pr_*() or printk() call's format when it is a string literal (harness.logformat reads what it can print).
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.facts import PRINTK, PRINTS, SITE_PRINT, SITE_WARN
from models.linecoord import file_line

PRINT = SITE_PRINT  # a printk-family call: its statement must run
WARNS = SITE_WARN  # a WARN() with a message: it must fire
# A child of one of these names (pycparser's, an index aside) is a statement of its own (models.statements).
_STATEMENTS = frozenset({"block_items", "iftrue", "iffalse", "stmt", "stmts"})
_TESTS = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Switch, c_ast.TernaryOp)


def print_sites(program: Program, functions: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Per function of ``functions`` (the program's names) that prints: ``[kind, key, callee, guard, format]`` for
    each printk-family call (kind PRINT or WARNS, see the module doc), a WARNS one below a ``#line`` with the
    ``path:line`` the file holds it on after them (its key is gcc's line); ``guard`` is the ``path:line`` of the
    innermost test (an ``if``, a loop's, a ``switch``, a ``?:``) the call sits under in its function, "" when none;
    ``format`` the string literal (as pycparser joined it, quotes and escapes kept) a pr_*() or printk() call
    takes as its format, "" when it takes another expression or is another call (dev_*(): the device's name in
    front; a WARN())."""
    out: dict[str, list[list[str]]] = {}
    for name in functions:
        node = program.functions.get(name)
        if node is not None and (sites := _sites_once(program, node.body)):
            out[name] = sites
    return out


# A body's sites by the parsed body (shared by every program whose code has the definition: models.cload), held
# with it so that an id is never another node's; only where a node's place is its coordinates' own (Program.origin
# empty), and handed out as copies (the lists are the caller's).
_KEPT: dict[int, tuple[c_ast.Node, list[list[str]]]] = {}


def _sites_once(program: Program, body: c_ast.Node) -> list[list[str]]:
    if program.origin:
        return _sites(program, body)
    kept = _KEPT.get(id(body))
    if kept is None or kept[0] is not body:
        if len(_KEPT) > 4096:
            _KEPT.clear()
        kept = _KEPT[id(body)] = (body, _sites(program, body))
    return [list(site) for site in kept[1]]


def _sites(program: Program, body: c_ast.Node) -> list[list[str]]:
    found: list[list[str]] = []
    # (node, the statement holding it, the innermost test above it); the body itself is no statement
    todo: list[tuple[c_ast.Node, c_ast.Node | None, c_ast.Node | None]] = [(body, None, None)]
    while todo:
        n, stmt, guard = todo.pop()
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in PRINTS:
            where = program.where(n.coord)
            # the test above, as the reports quote it: the file's line (models.linecoord.file_line)
            under = file_line(program.where, guard.coord) if guard is not None else ""
            if n.name.name in PRINTK and stmt is not None:
                found.append([PRINT, program.site(stmt.coord), n.name.name, under, _format(n)])
            elif n.name.name not in PRINTK:  # below a #line, the line the file holds it on too (text_place)
                at = file_line(program.where, n.coord)
                found.append([WARNS, where, n.name.name, under, "", *([at] if at != where else [])])
        inner = n if isinstance(n, _TESTS) else guard
        for name, child in n.children():
            own = stmt is None or name.partition("[")[0] in _STATEMENTS
            # A test's own condition is not under it; its branches and body are.
            todo.append((child, child if own else stmt, guard if name == "cond" else inner))
    return sorted(found, key=lambda s: (s[1], s[0]))


def _format(call: c_ast.FuncCall) -> str:
    """The string literal a pr_*() or printk() call takes as its format (its first argument), else ""."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else ""
    if not name.startswith(("pr_", "printk")) or call.args is None or not call.args.exprs:
        return ""
    first = call.args.exprs[0]
    return first.value if isinstance(first, c_ast.Constant) and first.type == "string" else ""
