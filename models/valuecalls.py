"""Calls in changed values: a helper's stores and returns put in its caller's place, a call both sides make as a name.

models.valueexprs compares the values two sides of a patch compute; a call hides what it computes. Here a call of a
function of the code's own is followed by the stores it makes that its caller sees (``sc_clean(&err)`` of ``*e &=
~0x10ULL`` is ``err &= ~0x10ULL``), a helper whose body is one ``return`` is its value (``sc_get(&err)`` of ``return
*e;`` is ``err``), and a call neither can be put for that both sides make alike (``op(fn, args)``, the SEAMCALL's
answer) is a name of its own, whatever it answers (``op(fn, args)`` against ``op(fn, args) & ~0x10ULL`` computes
otherwise at an answer 0x10). A value that reads through memory (a member, a pointer, a helper returning one) rests on
what no value run sets: through() says so, for the caller to say it, never to leave it to runs that cannot show it.
"""

from __future__ import annotations

from collections.abc import Mapping

from pycparser import c_ast, c_generator

from models.cload import Program
from models.condeval import STEPS, nodes, rebuilt
from models.condeval import shape as _shape
from models.cparse import param_list
from models.fileconsts import plain, subst
from models.prelude import PRELUDE_PATH
from models.stores import written as _written

COMPOUND = frozenset(("&=", "|=", "^=", "+=", "-=", "<<=", ">>=", "*="))
CALLEE_DEPTH = 3  # calls followed into the code's own functions (callee_stores, returned, through)


def pure(n: c_ast.Node) -> bool:
    """Whether an expression has no effect (no call, store or step; an address taken is none): an argument that may
    be put in each place its parameter is read."""
    return not any(isinstance(x, (c_ast.FuncCall, c_ast.Assignment)) or
                   (isinstance(x, c_ast.UnaryOp) and x.op in STEPS) for x in nodes(n))


def pure_in(n: c_ast.Node, functions: Mapping[str, c_ast.FuncDef], seen: frozenset[str] = frozenset()) -> bool:
    """Whether an expression has no effect (pure), a call in it allowed where it calls (by name, not recursively) a
    function of ``functions`` whose body is one ``return E;`` with E naming only its parameters (no file-scope state
    read) and pure_in itself: such a call computes a value of its arguments alone and changes nothing (C17 6.5.2.2p4:
    the parameters are the callee's own copies), so it may be evaluated before or after a store the caller makes."""
    for x in nodes(n):
        if isinstance(x, c_ast.Assignment) or (isinstance(x, c_ast.UnaryOp) and x.op in STEPS):
            return False
        if not isinstance(x, c_ast.FuncCall):
            continue
        name = x.name.name if isinstance(x.name, c_ast.ID) else None
        func = functions.get(name) if name is not None and name not in seen else None
        value = _one_return(func) if func is not None else None
        if func is None or value is None or not _params_only(value, set(param_list(func)) - {""}) or \
                not pure_in(value, functions, seen | {str(name)}):
            return False
    return True


def _params_only(value: c_ast.Node, params: set[str]) -> bool:
    """Whether ``value`` reads only the values of ``params`` (a called function's own name aside): no other name, no
    member, element or pointer's target."""
    if isinstance(value, c_ast.ID):
        return value.name in params
    if isinstance(value, (c_ast.StructRef, c_ast.ArrayRef)) or (isinstance(value, c_ast.UnaryOp) and value.op == "*"):
        return False
    if isinstance(value, c_ast.FuncCall):
        return value.args is None or _params_only(value.args, params)
    return all(_params_only(c, params) for _, c in value.children())


def _own(p: Program, call: c_ast.FuncCall) -> c_ast.FuncDef | None:
    """The function of the code's own (not the prelude's) a call calls by name; None for any other call."""
    func = p.functions.get(call.name.name) if isinstance(call.name, c_ast.ID) else None
    return None if func is None or p.where(func.coord).startswith(PRELUDE_PATH) else func


def _given(func: c_ast.FuncDef, call: c_ast.FuncCall) -> tuple[dict[str, c_ast.Node], set[str]] | None:
    """Each parameter of ``func`` as the argument ``call`` gives it, and each pointer or value of its own set once
    (``u64 *p = e;``) as what it holds; and the names of its own left (a local stored more than once). None where
    the call's arguments do not match the parameters (a variadic function, an unnamed parameter)."""
    params = param_list(func)
    if call.args is None or len(params) != len(call.args.exprs) or "" in params:
        return None
    given = dict(zip(params, call.args.exprs, strict=True))
    own = {d.name for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name}
    for local, stores in _written(func).items():
        if local in own and len(stores) == 1 and stores[0] is not None and plain(stores[0]):
            given[local] = subst(stores[0], given, own - {local})
    return given, own - given.keys()


def callee_stores(p: Program, call: c_ast.FuncCall, depth: int = CALLEE_DEPTH,
                  seen: frozenset[str] = frozenset()) -> list[c_ast.Assignment]:
    """The stores (``=``, ``op=``) a call of a function of the code's own (not the prelude's) makes that its caller
    sees: through a pointer parameter (``*e``, ``a->rdx``) or to a file-scope name, with each parameter put as the
    argument given (``sc_clean(&err)`` of ``*e &= ~0x10ULL`` is ``err &= ~0x10ULL``; ``sc_fix(args)`` of ``a->rdx &=
    ~0x10ULL`` is ``args->rdx &= ~0x10ULL``), and those of the calls it makes in turn (``depth`` calls deep). A store
    to a name of the callee's own (a local, a parameter's copy) is the callee's business; one through a pointer of
    its own is followed where that pointer is set once (``u64 *p = e;``), else kept as it is: a value through a name
    not known, not worked out (said, never passed). A helper keeps no store from comparison: the runs cover its
    lines, but not a value it computes otherwise only for answers no script gives."""
    func = _own(p, call)
    found = _given(func, call) if func is not None and func.decl.name not in seen and depth > 0 else None
    if func is None or found is None:
        return []
    given, own = found
    out: list[c_ast.Assignment] = []
    for n in nodes(func.body):
        if isinstance(n, c_ast.FuncCall) and n.args is not None:
            inner = c_ast.FuncCall(n.name, c_ast.ExprList([subst(a, given, own) for a in n.args.exprs]), n.coord)
            out += callee_stores(p, inner, depth - 1, seen | {str(func.decl.name)})
        elif isinstance(n, c_ast.Assignment) and (n.op == "=" or n.op in COMPOUND):
            root = _root(n.lvalue)
            if root is None or (isinstance(n.lvalue, c_ast.ID) and (root in own or root in given)):
                continue  # the callee's own name, or its copy of a parameter
            out.append(c_ast.Assignment(n.op, subst(n.lvalue, given, own), subst(n.rvalue, given, own), n.coord))
    return out


def _root(lvalue: c_ast.Node) -> str | None:
    """The name an lvalue goes through (``e`` of ``*e``, ``a->rdx``, ``e[1]``); None for another shape (a cast, a
    call's result)."""
    while not isinstance(lvalue, c_ast.ID):
        if isinstance(lvalue, c_ast.UnaryOp) and lvalue.op == "*":
            lvalue = lvalue.expr
        elif isinstance(lvalue, (c_ast.StructRef, c_ast.ArrayRef)):
            lvalue = lvalue.name
        else:
            return None
    return str(lvalue.name)


def _one_return(func: c_ast.FuncDef) -> c_ast.Node | None:
    """The value of a function whose body is one ``return E;``; None for any other body."""
    items = func.body.block_items or []
    if len(items) != 1 or not isinstance(items[0], c_ast.Return) or items[0].expr is None:
        return None
    return items[0].expr


def returned(p: Program, n: c_ast.Node, depth: int = CALLEE_DEPTH) -> c_ast.Node:
    """A copy of ``n`` with each call of a function of the code's own whose body is one ``return E;`` put as ``(T)
    E``, its parameters as the arguments given (T its return type, C11 6.8.6.4: ``sc_get(&err)`` of ``return *e;`` is
    ``(u64)err``); ``n`` itself where it calls none. Its place is the call's (the line a report names)."""
    if depth == 0:
        return n
    if isinstance(n, c_ast.FuncCall):
        func = _own(p, n)
        value = _one_return(func) if func is not None else None
        found = _given(func, n) if func is not None and value is not None else None
        if func is not None and value is not None and found is not None and not found[1] and \
                all(pure(a) for a in found[0].values()):
            kind = func.decl.type.type
            put = returned(p, subst(value, found[0], set()), depth - 1)
            return c_ast.Cast(c_ast.Typename(None, [], None, kind, n.coord), put, n.coord)
    if not any(isinstance(x, c_ast.FuncCall) for x in nodes(n)):
        return n
    return rebuilt(n, lambda x: returned(p, x, depth))


def named_calls(x: c_ast.Node, y: c_ast.Node, computed: frozenset[str]) -> tuple[c_ast.Node, c_ast.Node]:
    """``x`` and ``y`` with each call both make alike, of a function not in ``computed`` (those models.condeval
    works out), put as a name of its own, its C text (``op(fn, args)``): what it answers is any value, the same on
    both sides. A call one side alone makes stays as it is."""
    def calls(n: c_ast.Node) -> dict[tuple[object, ...], c_ast.FuncCall]:
        return {_shape(c): c for c in nodes(n) if isinstance(c, c_ast.FuncCall) and not (
            isinstance(c.name, c_ast.ID) and c.name.name in computed)}
    both = calls(x).keys() & calls(y).keys()
    if not both:
        return x, y
    text = c_generator.CGenerator()
    return _named(x, both, text), _named(y, both, text)


def _named(n: c_ast.Node, both: set[tuple[object, ...]], text: c_generator.CGenerator) -> c_ast.Node:
    if isinstance(n, c_ast.FuncCall) and _shape(n) in both:
        return c_ast.ID(text.visit(n), n.coord)
    return rebuilt(n, lambda x: _named(x, both, text))


def through(p: Program, x: c_ast.Node, depth: int = CALLEE_DEPTH) -> bool:
    """Whether a value reads through a pointer, a member or an index (``args->rdx & 0x10ULL``, ``*e``), or calls a
    function of the code's own that returns such a value (``sc_extra(args)`` of ``return a->rdx & 0x10ULL;``,
    ``depth`` calls deep): what it computes then rests on memory no value run sets (a run varies the SEAMCALL's
    answer, not the registers it leaves), so a pair not worked out is said, never left to runs that cannot show
    it."""
    for n in nodes(x):
        if isinstance(n, (c_ast.StructRef, c_ast.ArrayRef)) or (isinstance(n, c_ast.UnaryOp) and n.op == "*"):
            return True
        func = _own(p, n) if isinstance(n, c_ast.FuncCall) and depth > 0 else None
        if func is not None and any(isinstance(r, c_ast.Return) and r.expr is not None and
                                    through(p, r.expr, depth - 1) for r in nodes(func.body)):
            return True
    return False
