"""The constants of a program's file scope put in an expression for the names it reads, and what that needs.

For models.valuecalls and models.valueexprs (a changed value's expression) and models.neighbours (a changed
condition): a ``const`` scalar's initial value converted to its type, an enumerator's value in its type.
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import STEPS, nodes, rebuilt, typed_enumerators
from models.fileenums import as_int, int_enumerators, wide_enumerators


def plain(n: c_ast.Node, calls: bool = False) -> bool:
    """Whether an expression only computes: no call (with ``calls``, calls allowed: models.condeval works out a
    helper whose body only returns, chosen by ifs, and likely()/unlikely(), and nothing else), no store, no step."""
    return not any((isinstance(x, c_ast.FuncCall) and not calls) or isinstance(x, c_ast.Assignment) or
                   (isinstance(x, c_ast.UnaryOp) and (x.op in STEPS or x.op == "&")) for x in nodes(n))


def subst(n: c_ast.Node, given: dict[str, c_ast.Node], own: set[str]) -> c_ast.Node:
    """A copy of ``n`` with each parameter of ``given`` put as its argument, ``*&x`` read as ``x`` and ``(&x)->m``
    as ``x.m``; the callee's own names (``own``) stay as they are: read where compared as names whose value is not
    known (any value tried)."""
    if isinstance(n, c_ast.ID) and n.name in given and n.name not in own:
        return given[n.name]
    out = rebuilt(n, lambda x: subst(x, given, own))
    if isinstance(out, c_ast.UnaryOp) and out.op == "*" and isinstance(out.expr, c_ast.UnaryOp) and \
            out.expr.op == "&":
        return out.expr.expr
    if isinstance(out, c_ast.StructRef) and out.type == "->" and isinstance(out.name, c_ast.UnaryOp) and \
            out.name.op == "&":
        return c_ast.StructRef(out.name.expr, ".", out.field, out.coord)
    return out


# By program key: the file-scope constants of a program (each program is a side of several comparisons).
_CONSTS: dict[str, dict[str, c_ast.Node]] = {}


def constants(p: Program, function: str, n: c_ast.Node) -> c_ast.Node:
    """A copy of ``n`` with each file-scope ``const`` scalar it reads put as its initial value, converted to its type
    (``static const int sc_tries = RDRAND_RETRY_LOOPS;``: ``int left = sc_tries;`` is ``int left = (int)10;``), and
    each enumerator of file scope as its int value (``enum { SC_TRIES = 10 };``: models.fileenums), or past int as
    its value in its enum's type (gcc's, models.fileenums.wide_enumerators); ``n`` itself where it reads none. A
    name not ``const`` (a module parameter, a variable code not read may set) stays, so does a ``const volatile``
    one (its value may change in ways the code does not show, C11 6.7.3p7), and one ``function`` declares itself
    (a local or parameter of that name)."""
    found = _CONSTS.get(p.key)
    if found is None:
        if len(_CONSTS) > 256:
            _CONSTS.clear()
        found = _CONSTS[p.key] = {
            d.name: c_ast.Cast(c_ast.Typename(None, [], None, d.type, d.coord), d.init, d.coord)
            for d in p.ast.ext if isinstance(d, c_ast.Decl) and d.name and isinstance(d.type, c_ast.TypeDecl) and
            "const" in (d.quals or []) and "volatile" not in d.quals and d.init is not None and
            not isinstance(d.init, c_ast.InitList) and plain(d.init)}
        for name, value in int_enumerators(p.ast).items():
            found.setdefault(name, as_int(value))
        for name, node in wide_enumerators(p.ast, typed_enumerators(p)).items():
            found.setdefault(name, node)
    reads = {x.name for x in nodes(n) if isinstance(x, c_ast.ID)} & found.keys()
    func = p.functions.get(function)
    if reads and func is not None:
        reads -= {d.name for d in nodes(func) if isinstance(d, (c_ast.Decl, c_ast.Enumerator)) and d.name}
    return subst(n, {r: found[r] for r in reads}, set()) if reads else n
