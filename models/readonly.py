"""Writes gcc refuses because their object is const: "assignment of read-only variable" (C11 6.5.16p2)."""

# The mirror's types keep no qualifiers (models.ctype), so a variable's own const is kept on its Var, from its
# declaration: a write to it, or to a member or element of it, is a build failure, as gcc makes it, never run.
# A const reached through a pointer (``const int *p; *p = 1``), a const member and a typedef's const are not seen.

from __future__ import annotations

from collections.abc import Callable

from pycparser import c_ast

from models.ctype import Array, CType
from models.errors import BuildFailure
from models.values import Var


def declared_readonly(decl: c_ast.Node) -> bool:
    """Whether a declaration makes its object, or each element of its array, const (``const u64 m``,
    ``struct s *const p``, ``const int tbl[2]``); not a pointer to const (``const int *p``: p itself may change)."""
    t = getattr(decl, "type", None)
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    return isinstance(t, c_ast.TypeDecl | c_ast.PtrDecl) and "const" in (t.quals or [])


def refuse_readonly(lvalue: c_ast.Node, lookup: Callable[[str], Var | None], type_of: Callable[[c_ast.Node], CType],
                    where: str, what: str) -> None:
    """BuildFailure where ``lvalue`` is a variable declared const, or a member (``.``) or element of one; ``what``
    is gcc's word for the write (assignment, increment, decrement)."""
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
    if isinstance(node, c_ast.ID):
        var = lookup(node.name)
        if var is not None and var.readonly:
            raise BuildFailure(where, f"{what} of {part}read-only {'object' if part else 'variable'} '{node.name}'")
