"""A wrapper handing its call on whole to a new helper, with constants for the helper's other parameters."""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes, rebuilt, shape
from models.cparse import param_decls

# (program key, wrapper, the other program's key) -> the function whose decisions stand for the wrapper's, and the
# helper's parameters given constants, each as the cast its call makes of the constant: asked for each function both
# sides define, in each comparison of the program.
_HANDED: dict[tuple[str, str, str], tuple[str, dict[str, c_ast.Node]]] = {}
_STEPS = frozenset({"++", "--", "p++", "p--", "&"})


def handed_on(program: Program, function: str, other: Program) -> tuple[str, dict[str, c_ast.Node]]:
    """Where ``function``'s body is only ``return g(...);`` (or ``g(...);``) handing on its own parameters in order,
    and constants for the rest of g's ('return sc_retry_loop(op, fn, args, TDX_RND_NO_ENTROPY, 10);'), and g is new
    to ``program`` (``other`` does not define it): g, whose decisions are the ones to compare, with each of its
    parameters given a constant mapped to ``(T)constant``, T its type (C11 6.5.2.2p7: the argument converted as by
    assignment), where g never stores to it, steps it nor takes its address, so that it holds that value throughout.
    A parameter g changes (a counter 'int left' counted down) may be given a constant only where ``function`` in
    ``other`` has a local of that name, type and initializer (_locals): the counter moved into the helper's
    parameters. ``function`` and nothing otherwise."""
    key = (program.key, function, other.key)
    kept = _HANDED.get(key)
    if kept is None:
        if len(_HANDED) > 4096:
            _HANDED.clear()
        kept = _HANDED[key] = _handed_on(program, function, other)
    return kept


def _handed_on(program: Program, function: str, other: Program) -> tuple[str, dict[str, c_ast.Node]]:
    from models.consttables import tabled  # it reads models.decided, which reads this module

    func = program.functions.get(function)
    items = func.body.block_items or [] if func is not None else []
    if func is None or len(items) != 1:
        return function, {}
    call = items[0].expr if isinstance(items[0], c_ast.Return) else items[0]
    # A call through a const table's entry at a constant index is the call of its function (models.consttables).
    callee = tabled(program, func, call.name) if isinstance(call, c_ast.FuncCall) else None
    if not isinstance(call, c_ast.FuncCall) or not isinstance(callee, c_ast.ID) or call.args is None or \
            callee.name in other.functions or callee.name not in program.functions:
        return function, {}
    helper = program.functions[callee.name]
    own = [p.name for p in param_decls(func)]
    params = param_decls(helper)
    args = list(call.args.exprs)
    if [a.name for a in args if isinstance(a, c_ast.ID)] != own or len(params) != len(args):
        return function, {}
    changed, before = _changed(helper), _locals(other.functions.get(function))
    bound: dict[str, c_ast.Node] = {}
    for p, a in zip(params, args, strict=True):
        if isinstance(a, c_ast.ID):
            continue
        if p.name is None or not _constant(a):
            return function, {}
        if p.name not in changed:
            bound[p.name] = c_ast.Cast(c_ast.Typename(None, [], None, p.type), a, a.coord)
        elif before.get(p.name) != (shape(p.type), shape(a)):
            return function, {}
    return str(callee.name), bound


def _locals(func: c_ast.FuncDef | None) -> dict[str, tuple[object, object]]:
    """The shapes of type and initializer of each local the function declares once, with an initializer: a helper's
    parameter the wrapper gives the same constant, of the same name and type ('int left' handed 10 where the body
    had 'int left = 10;'), is that local, counted down alike (its name kept in the decisions compared)."""
    if func is None:
        return {}
    decls = [n for n in nodes(func.body) if isinstance(n, c_ast.Decl) and n.name]
    once = {n.name for n in decls if sum(d.name == n.name for d in decls) == 1}
    return {n.name: (shape(n.type), shape(n.init)) for n in decls if n.name in once and n.init is not None}


def _changed(func: c_ast.FuncDef) -> set[str]:
    """The names a function stores to, steps or takes the address of."""
    out: set[str] = set()
    for n in nodes(func.body):
        if isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID):
            out.add(n.lvalue.name)
        elif isinstance(n, c_ast.UnaryOp) and n.op in _STEPS and isinstance(n.expr, c_ast.ID):
            out.add(n.expr.name)
        elif isinstance(n, c_ast.Decl) and n.name:
            out.add(n.name)  # a local of the same name hides the parameter
    return out


def _constant(n: c_ast.Node) -> bool:
    """An expression of constants and operators alone (macros expanded: 'TDX_RND_NO_ENTROPY' is its number)."""
    return all(isinstance(x, (c_ast.Constant, c_ast.UnaryOp, c_ast.BinaryOp, c_ast.TernaryOp)) and
               not (isinstance(x, c_ast.UnaryOp) and x.op in (*_STEPS, "*", "sizeof")) for x in nodes(n))


def bound_node(n: c_ast.Node, bound: dict[str, c_ast.Node]) -> c_ast.Node:
    """``n`` with each parameter of ``bound`` read in it put as its constant (a copy; ``n`` itself is left alone)."""
    if isinstance(n, c_ast.ID) and n.name in bound:
        return bound[n.name]
    if isinstance(n, c_ast.StructRef):  # 'args->busy': a member's name, not the parameter
        return c_ast.StructRef(bound_node(n.name, bound), n.type, n.field, n.coord)
    return rebuilt(n, lambda x: bound_node(x, bound))
