"""Assignment: ``E1 = E2`` and ``E1 op= E2`` (C11 6.5.16), compiled into closures for models.interp."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models import lvalues
from models.ctype import CType, Int, Ptr, Struct, arith
from models.errors import UnsupportedConstruct
from models.hooks import CompilerHooks
from models.machine import StructObj
from models.ptrarith import moved, moves, unchanged
from models.unknowns import store
from models.values import Fn, Frame, Scope, Setter, assign_into, check_pointer_types, convert, scalar_operands


def assignment(c: CompilerHooks, node: c_ast.Assignment, scope: Scope) -> tuple[Fn, CType]:
    """``E1 = E2`` (a struct copied in place, where pointers to it see it), ``E1 op= E2`` of an integer and of a
    pointer (``p += n``), the lvalue evaluated once where reading it again would not be the same object; the const
    check is the caller's (models.readonly)."""
    where = c.where(node.coord)
    get, put, t = c.lvalue(node.lvalue, scope)
    rf, rt = c.expr(node.rvalue, scope)
    if node.op == "=" and isinstance(t, Struct):
        whole, name = convert(rf, rt, t, where), t.name()

        def assign_struct(f: Frame) -> Any:
            dst = get(f)
            if isinstance(dst, StructObj):  # in place: pointers to it see the new members
                store(dst, name, where)  # freed memory (models.heap): KASAN's use-after-free Write
                return assign_into(dst, whole(f))
            v = whole(f)
            put(f, v)
            return v

        return assign_struct, t
    if node.op == "=":
        check_pointer_types(rt, t, where, "assignment")
        value = convert(rf, rt, t, where)

        def assign(f: Frame) -> Any:
            v = value(f)
            put(f, v)
            return v

        return assign, t
    return _compound(c, node, scope, (get, put, t), (rf, rt))


def _compound(c: CompilerHooks, node: c_ast.Assignment, scope: Scope, target: tuple[Fn, Setter, CType],
              value: tuple[Fn, CType]) -> tuple[Fn, CType]:
    """``E1 op= E2``: ``E1 = E1 op E2`` with E1 evaluated once (C11 6.5.16.2p3)."""
    (get, put, t), (rf, rt), where = target, value, c.where(node.coord)
    scalar_operands(node.op[:-1], where, t, rt)
    if isinstance(t, Int) and isinstance(rt, Int):
        combine, back = arith(node.op[:-1], t, rt, where)[0], t.wrap if t.rank else _as_bool
    elif isinstance(t, Ptr) and moves(t) and isinstance(rt, Int) and node.op in ("+=", "-="):
        combine, back = moved(t, node.op, where), unchanged  # p += n is p = p + n (C11 6.5.16.2p3)
    else:
        raise UnsupportedConstruct(where, f"compound assignment {node.op} on {t}")
    if not lvalues.pure(node.lvalue):  # p()->n += 1: the lvalue evaluated once, to read and to write
        loc = lvalues.located(c, node.lvalue, scope)[0]

        def update_located(f: Frame) -> Any:
            read, write = loc(f)
            v = back(combine(read(), rf(f)))
            write(v)
            return v

        return update_located, t

    def update(f: Frame) -> Any:
        v = back(combine(get(f), rf(f)))  # a pure lvalue: reading it again to write is the same object
        put(f, v)
        return v

    return update, t


def _as_bool(v: Any) -> Any:
    """A compound assignment's result stored back to a ``_Bool``: 1 for any non-zero value (C11 6.3.1.2)."""
    return 1 if v else 0
