"""The expressions that choose a value: ``c ? a : b``, GNU ``a ?: b`` and ``_Generic`` (C11 6.5.15, 6.5.1.1)."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.consteval import QUALIFIERS_UNKEPT, holds_pointer
from models.ctype import Array, CType, Func, Int, Ptr, usual
from models.errors import UnsupportedConstruct
from models.hooks import CompilerHooks
from models.values import Fn, Frame, Scope, convert, scalar_required, truth


def conditional(c: CompilerHooks, node: c_ast.TernaryOp, scope: Scope) -> tuple[Fn, CType]:
    """``c ? a : b``: the condition, then one of the two, converted to their common type."""
    where = c.where(node.coord)
    cf, ct = c.expr(node.cond, scope)
    bf, bt = c.expr(node.iffalse, scope)
    if node.iftrue is None:
        return _elvis(cf, ct, bf, bt, where)
    test = c.decision(truth(cf, ct, c.where(node.cond.coord)), node.cond)
    af, at = c.expr(node.iftrue, scope)
    rt = _common(at, bt)
    a, b = convert(af, at, rt, where), convert(bf, bt, rt, where)
    return (lambda f: a(f) if test(f) else b(f)), rt


def _elvis(cf: Fn, ct: CType, bf: Fn, bt: CType, where: str) -> tuple[Fn, CType]:
    """GNU ``a ?: b``: ``a`` evaluated once, its value unless it is zero (gcc manual, Conditionals)."""
    scalar_required(ct, where)
    rt = _common(ct, bt)
    b = convert(bf, bt, rt, where)
    wrap = rt.wrap if isinstance(rt, Int) else None
    is_int = isinstance(ct, Int)

    def run(f: Frame) -> Any:
        v = cf(f)
        if (v if is_int else v is not None):
            return wrap(v) if wrap is not None else v
        return b(f)

    return run, rt


def _common(a: CType, b: CType) -> CType:
    """The type of ``c ? a : b``: usual conversions of two integers, else the pointer operand's type (an array
    operand decays to a pointer, C11 6.3.2.1p3)."""
    if isinstance(a, Int) and isinstance(b, Int):
        return usual(a, b)
    a, b = (Ptr(t.elem) if isinstance(t, Array) else t for t in (a, b))
    return a if not isinstance(a, Int) else b


def generic(c: CompilerHooks, node: c_ast.GenericSelection, scope: Scope) -> tuple[Fn, CType]:
    """_Generic: the association whose type is the controlling expression's, after lvalue conversion."""
    t = c.type_of(node.expr, scope)
    t = Ptr(t.elem) if isinstance(t, Array) else Ptr(t) if isinstance(t, Func) else t
    chosen = next((a for a in node.associations if a.type is not None and c.resolve(a.type, scope) == t),
                  next((a for a in node.associations if a.type is None), None))
    if chosen is None:
        raise UnsupportedConstruct(c.where(node.coord), f"_Generic has no association for {t}")
    if chosen.type is not None and holds_pointer(t) and not _unqualified_pair(node.expr, chosen.type):
        # 'int *' matched, where gcc may see 'const int *'
        raise UnsupportedConstruct(c.where(node.coord), f"_Generic of {t.name()}: {QUALIFIERS_UNKEPT}")
    return c.expr(chosen.expr, scope)


_BASIC = frozenset({"void", "char", "short", "int", "long", "signed", "unsigned", "_Bool"})


def _unqualified_pair(expr: c_ast.Node, typename: c_ast.Node) -> bool:
    """Whether both a _Generic's controlling expression and an association are known to have no qualifiers below
    the top: a string literal (``char *``) against a type spelled with basic types and no qualifier at all."""
    if not (isinstance(expr, c_ast.Constant) and expr.type == "string"):
        return False
    todo = [typename]
    while todo:
        n = todo.pop()
        if getattr(n, "quals", None) or (isinstance(n, c_ast.IdentifierType) and not _BASIC.issuperset(n.names)):
            return False
        todo.extend(n)
    return True
