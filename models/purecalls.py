"""Whether evaluating an expression may change what later code reads: a pr_*_once() site's arguments (statements)."""

# A pr_*_once() site evaluates its arguments only while it prints (include/linux/once_lite.h DO_ONCE_LITE_IF): where
# they assign, step or call what may store, a later call starts from another state. A call of a function of the code
# whose body stores only into its own variables and calls only such functions changes nothing a later call reads.

from __future__ import annotations

from pycparser import c_ast

from models.condeval import STEPS
from models.cparse import all_nodes, param_list


def changes(arg: c_ast.Node, functions: dict[str, c_ast.FuncDef]) -> bool:
    """Whether evaluating ``arg`` may change what later code reads: an assignment, ++/--, or a call of anything but
    a function of ``functions`` that changes nothing (_pure)."""
    return any(isinstance(n, c_ast.Assignment) or (isinstance(n, c_ast.UnaryOp) and n.op in STEPS) or
               (isinstance(n, c_ast.FuncCall) and not _pure_call(n, functions, frozenset())) for n in all_nodes(arg))


def _pure_call(call: c_ast.FuncCall, functions: dict[str, c_ast.FuncDef], seen: frozenset[str]) -> bool:
    """Whether ``call`` names a function of the code (not recursively) whose body changes nothing but its own."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else None
    func = functions.get(name) if name is not None and name not in seen else None
    return func is not None and _pure(func, functions, seen | {str(name)})


def _pure(func: c_ast.FuncDef, functions: dict[str, c_ast.FuncDef], seen: frozenset[str]) -> bool:
    """Whether ``func`` stores only into its parameters and the automatic variables its body's outer block declares
    once (in scope everywhere in it, so that no store reaches a file-scope variable of that name), by name (not
    through a pointer, member or element), and calls only such functions; no static or extern declaration."""
    items = func.body.block_items or []
    top = [d.name for d in items if isinstance(d, c_ast.Decl) and d.name and not d.storage]
    own = set(top) | {p for p in param_list(func) if p}
    if len(top) != len(set(top)):
        return False
    for n in all_nodes(func.body):
        if isinstance(n, c_ast.Decl) and (n.storage or (n.name and n.name not in own)):
            return False  # a static's state, an extern, or a variable of an inner block (which may hide another)
        target = n.lvalue if isinstance(n, c_ast.Assignment) else \
            n.expr if isinstance(n, c_ast.UnaryOp) and n.op in STEPS else None
        if target is not None and not (isinstance(target, c_ast.ID) and target.name in own):
            return False
        if isinstance(n, c_ast.FuncCall) and not _pure_call(n, functions, seen):
            return False
    return True
