"""Writes gcc refuses because their object is const: "assignment of read-only variable" (C11 6.5.16p2)."""

# The mirror's types keep no qualifiers (models.ctype), so what a variable's declaration makes const is kept on its
# Var: the variable itself (or its array's elements), or what it points at (``const struct tdx_module_args *args``).
# A write to such an object, a member or element of it, or through such a pointer named directly (``args->rcx = 0``,
# ``*p = 1``, ``p[1] = 0``) is a build failure, as gcc makes it, never run. A const reached through another pointer
# (a copy of one, a cast, a member), a const member and a typedef's const are not seen.

from __future__ import annotations

from collections.abc import Callable
from enum import IntFlag

from pycparser import c_ast

from models.ctype import Array, CType, Ptr
from models.errors import BuildFailure
from models.values import Var


class Const(IntFlag):
    """What a declaration makes const."""

    OBJECT = 1  # the variable, or each element of its array
    TARGET = 2  # what the pointer it declares points at


def declared_readonly(decl: c_ast.Node) -> int:
    """Const flags of a declaration: ``const u64 m``, ``struct s *const p``, ``const int tbl[2]`` make the object
    const; ``const int *p`` what p points at (p itself may change)."""
    t = getattr(decl, "type", None)
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    flags = Const.OBJECT if isinstance(t, c_ast.TypeDecl | c_ast.PtrDecl) and "const" in (t.quals or []) else 0
    if isinstance(t, c_ast.PtrDecl) and isinstance(t.type, c_ast.TypeDecl) and "const" in (t.type.quals or []):
        flags |= Const.TARGET
    return int(flags)


def refuse_readonly(lvalue: c_ast.Node, lookup: Callable[[str], Var | None], type_of: Callable[[c_ast.Node], CType],
                    where: str, what: str) -> None:
    """BuildFailure where ``lvalue`` is a variable declared const, a member (``.``) or element of one, or reached
    through a pointer variable declared to point at const (``->``, ``*``, an index); ``what`` is gcc's word for the
    write (assignment, increment, decrement)."""
    node, part = lvalue, ""
    while True:
        if isinstance(node, c_ast.StructRef) and node.type == ".":
            part = part or f"member '{node.field.name}' in "
            node = node.name
        elif isinstance(node, c_ast.ArrayRef) and isinstance(type_of(node.name), Array):
            part = part or "location in "
            node = node.name
        else:
            break
    target = _through(node, type_of)
    if target is not None:
        var = lookup(target.name)
        if var is not None and var.readonly & Const.TARGET:
            part = part or ("member '" + node.field.name + "' in " if isinstance(node, c_ast.StructRef) else
                            "location in ")
            raise BuildFailure(where, f"{what} of {part}read-only object '*{target.name}'")
        return
    if isinstance(node, c_ast.ID):
        var = lookup(node.name)
        if var is not None and var.readonly & Const.OBJECT:
            raise BuildFailure(where, f"{what} of {part}read-only {'object' if part else 'variable'} '{node.name}'")


def _through(node: c_ast.Node, type_of: Callable[[c_ast.Node], CType]) -> c_ast.ID | None:
    """The pointer variable an lvalue is reached through directly: ``p->x``, ``*p``, ``p[i]`` of a pointer ``p``."""
    if isinstance(node, c_ast.StructRef) and node.type == "->":
        base = node.name
    elif isinstance(node, c_ast.UnaryOp) and node.op == "*":
        base = node.expr
    elif isinstance(node, c_ast.ArrayRef) and isinstance(type_of(node.name), Ptr):
        base = node.name
    else:
        return None
    return base if isinstance(base, c_ast.ID) else None
