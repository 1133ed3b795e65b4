"""Pointers inside a union's members: what reads and writes through them pass by.

Such as ``&u.w.lo``, ``&u.h[1]``, ``&u.s``; and where in the union they point (models.lvalues takes the addresses).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models import unions
from models.clayout import layout, sizeof
from models.ctype import Array, CType, Ptr, Struct
from models.hooks import CompilerHooks
from models.machine import Ref, StructObj
from models.values import Fn, Frame, Scope

Owner = tuple[Fn, Struct, str]  # the union object (evaluated when called), its type, the member a node is in


def union_owner(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> Owner | None:
    """The closest union a member or element access is inside of, and the member of it (``&u.w.lo``: ``u``,
    ``w``), when reaching it again evaluates nothing with side effects (names, members, constant or named
    subscripts); None otherwise, or when no union is on the way (``&u.lo`` is the union's own member)."""
    inner: c_ast.Node = node
    while isinstance(inner, c_ast.StructRef | c_ast.ArrayRef):
        if isinstance(inner, c_ast.ArrayRef) and not isinstance(inner.subscript, c_ast.ID | c_ast.Constant):
            return None
        base = inner.name
        if isinstance(inner, c_ast.StructRef) and inner is not node:
            bt = c.type_of(base, scope)
            st = bt.target if inner.type == "->" and isinstance(bt, Ptr) else bt
            if isinstance(st, Struct) and st.union and _plain(base):
                union_get, _ = c.expr(base, scope)  # a struct or union value, or a pointer to one: the object
                return union_get, st, inner.field.name
        inner = base
    return None


def _plain(node: c_ast.Node) -> bool:
    """Whether evaluating ``node`` again has no side effect: names, members, constant or named subscripts."""
    while isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        if isinstance(node, c_ast.ArrayRef) and not isinstance(node.subscript, c_ast.ID | c_ast.Constant):
            return False
        node = node.name
    return isinstance(node, c_ast.ID)


def passing(owner: Owner | None, f: Frame, ref: Ref) -> Ref:
    """A pointer to a scalar inside a union's member (``&u.w.lo``): each read and write through it first takes the
    union's bytes from a member changed since (models.unions.touch_member), so what it writes is the last."""
    if owner is None:
        return ref
    u_get, ut, um = owner
    u = u_get(f)

    def get() -> Any:
        unions.touch_member(u, ut, um)
        return ref.get()

    def put(v: Any) -> None:
        unions.touch_member(u, ut, um)
        ref.set(v)

    return Ref(get, put, ref.label, ref.ctype, ref.owner, ref.key, ref.place)


def array_holder(member: tuple[Fn, str, CType, Struct]
                 ) -> Callable[[Frame, int], tuple[StructObj, int] | None] | None:
    """Where element ``i`` of an array member (``u.h``, ``u.w.arr``: ``member`` as models.lvalues finds it, the
    object evaluated again, which union_owner() checked has no side effects) is: the struct or union holding the
    array and the element's offset in it in bytes; None for any other member."""
    obj, field, ft, st = member
    bits = layout(st)[0][field][0]
    if not isinstance(ft, Array) or bits % 8:
        return None
    size = sizeof(ft.elem)

    def place(f: Frame, i: int) -> tuple[StructObj, int] | None:
        o = obj(f)
        return (o, bits // 8 + i * size) if isinstance(o, StructObj) else None

    return place


def escaping(get: Fn, union: Fn, t: Struct, field: str) -> Fn:
    """``get``, after marking the union's ``field`` as reached by a pointer to a struct or array in it."""
    def run(f: Frame) -> Any:
        u = union(f)
        unions.escape(u, t, field, array=False)  # the member as the union's bytes give it, before it is reached
        v = get(f)
        if not isinstance(v, StructObj) or v.container is None:  # not a struct its holders are found from
            u.union_escaped = u.union_escaped | {field}
        return v

    return run
