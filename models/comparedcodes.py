"""The codes a function compares a SEAMCALL's answer with, read from the AST (for models.retrycount's counts)."""

from __future__ import annotations

from contextlib import suppress

from pycparser import c_ast

from models.cparse import all_nodes
from models.literals import char_value, is_char_constant


def compared_codes(func: c_ast.FuncDef, held: frozenset[str]) -> set[int]:
    """The constants ``func`` compares an answer with (``err == 0x8000020000000000ULL``, ``!=`` too, its status bits
    ``(err & MASK) == ...`` too: the walk answers the constant, whose bits under the mask it works out): an answer is
    what a call of ``held`` returns, or a local it is stored in."""
    answers = {n.lvalue.name for n in all_nodes(func.body) if isinstance(n, c_ast.Assignment)
               and isinstance(n.lvalue, c_ast.ID) and _is_held(n.rvalue, held)}
    answers |= {n.name for n in all_nodes(func.body) if isinstance(n, c_ast.Decl) and n.name and _is_held(n.init, held)}
    out = set()
    for n in all_nodes(func.body):
        if isinstance(n, c_ast.Switch):
            out |= _cased(n, answers, held)
        if not isinstance(n, c_ast.BinaryOp) or n.op not in ("==", "!="):
            continue
        for a, b in ((n.left, n.right), (n.right, n.left)):
            a = _unmasked(a.expr if isinstance(a, c_ast.Cast) else a)
            b = b.expr if isinstance(b, c_ast.Cast) else b
            if ((isinstance(a, c_ast.ID) and a.name in answers) or _is_held(a, held)) \
                    and isinstance(b, c_ast.Constant) and b.type not in ("string", "char", "float", "double"):
                try:
                    out.add(_int(b.value))
                except ValueError:
                    continue
    return out


def _cased(node: c_ast.Switch, answers: set[str], held: frozenset[str]) -> set[int]:
    """The constants of a switch's case labels where it switches on an answer (``switch (err)``, a cast of it, its
    status bits), its own labels only (a switch inside has its own)."""
    on = _unmasked(node.cond.expr if isinstance(node.cond, c_ast.Cast) else node.cond)
    if not ((isinstance(on, c_ast.ID) and on.name in answers) or _is_held(on, held)):
        return set()
    out, todo = set(), [node.stmt]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Case) and isinstance(n.expr, c_ast.Constant) \
                and n.expr.type not in ("string", "char", "float", "double"):
            with suppress(ValueError):  # a constant _int does not read
                out.add(_int(n.expr.value))
        if not isinstance(n, c_ast.Switch):
            todo.extend(c for _, c in n.children())
    return out


def _unmasked(node: c_ast.Node) -> c_ast.Node:
    """``x`` of ``x & CONSTANT`` (either way round); ``node`` otherwise."""
    if isinstance(node, c_ast.BinaryOp) and node.op == "&":
        for part, mask in ((node.left, node.right), (node.right, node.left)):
            if isinstance(mask.expr if isinstance(mask, c_ast.Cast) else mask, c_ast.Constant):
                return part.expr if isinstance(part, c_ast.Cast) else part
    return node


def _is_held(node: c_ast.Node | None, held: frozenset[str]) -> bool:
    node = node.expr if isinstance(node, c_ast.Cast) else node
    return isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in held


def _int(text: str) -> int:
    if is_char_constant(text):
        return char_value(text)
    digits = text.rstrip("uUlL")
    if len(digits) > 1 and digits[0] == "0" and digits[1] not in "xXbB":
        return int(digits, 8)
    return int(digits, 0)
