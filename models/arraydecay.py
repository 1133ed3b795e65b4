"""Arrays inside a union's member used as pointers (``u.b``, ``u.q.h``, ``u.m[1]``): pointers that sync the unions."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models import unions
from models.ctype import Array, CType
from models.errors import CRuntimeError
from models.hooks import CompilerHooks
from models.lvalues import array_label, member_of, via_pointer
from models.machine import ElemPtr, StructObj
from models.values import Fn, Frame, Scope, integer_index, read_var


def decayed(c: CompilerHooks, node: c_ast.StructRef, scope: Scope) -> tuple[Fn, CType] | None:
    """``u.bytes`` or ``u.q.h`` used as a pointer (an array member inside a union decays): a pointer whose reads and
    writes first take the bytes of the unions the array lies in (ElemPtr.sync; gcc's read the bytes as another
    member left them); None for any other member access."""
    where = c.where(node.coord)
    obj, field, ft, st = member_of(c, node, scope, where)
    if not isinstance(ft, Array):
        return None
    label, elem = array_label(node), ft.elem

    def run(f: Frame) -> Any:
        o = obj(f)
        if st.union:
            unions.escape(o, st, field, array=False)  # the member as the union's bytes give it

            def sync() -> None:
                unions.touch_member(o, st, field)
        elif isinstance(o, StructObj) and o.container is not None:
            def sync() -> None:
                unions.holders(o)
        else:
            return read_var(o[field], field, where)
        v = read_var(o[field], field, where)
        return ElemPtr(v, 0, elem, label, sync) if v.__class__ is list else v

    return run, ft


def decayed_row(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope) -> Fn | None:
    """``u.m[1]`` of an array of arrays used as a pointer: a row of an array inside a union's member syncs as the
    array does (decayed); None where the array is named or reached through a pointer (no union on the way)."""
    if not isinstance(node.name, c_ast.StructRef | c_ast.ArrayRef) or via_pointer(c, node, scope):
        return None
    base, bt = c.expr(node.name, scope)  # the array, or a pointer into it that syncs (decayed)
    if not isinstance(bt, Array) or not isinstance(bt.elem, Array):
        return None
    idx, it = c.expr(node.subscript, scope)
    where, label, elem = c.where(node.coord), array_label(node.name), bt.elem.elem
    integer_index(it, where)

    def run(f: Frame) -> Any:
        b, i = base(f), idx(f)
        arr = b.synced() if b.__class__ is ElemPtr else b
        if not 0 <= i < len(arr):
            raise CRuntimeError(where, f"index {i} outside {label}[{len(arr)}]")
        v = read_var(arr[i], f"{label}[{i}]", where)
        sync = b.sync if b.__class__ is ElemPtr else None
        return ElemPtr(v, 0, elem, array_label(node), sync) if sync is not None and v.__class__ is list else v

    return run
