"""container_of() of include/linux/container_of.h: the struct a pointer to one of its members lies in."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.ctype import VOID, CType, Ptr, Struct, compatible
from models.errors import BuildFailure, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.literals import string_value
from models.machine import AddrPtr, Ref, StructObj
from models.values import Fn, Frame, Scope

NAME = "__sh_container_of"


def container_of(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__sh_container_of(ptr, (type *)0, "member", member, offset): the prelude's container_of() (the last two for
    gcc, models/native/sh_native.h); gcc's check that ptr points to
    the member's type or to void (container_of.h's static_assert), then at run time the enclosing object."""
    if len(args) != 5 or not isinstance(args[2], c_ast.Constant) or args[2].type != "string":
        raise UnsupportedConstruct(where, "container_of() takes a pointer, a type and a member name")
    outer_t = c.type_of(args[1], scope)
    outer = outer_t.target if isinstance(outer_t, Ptr) else None
    member = string_value(args[2].value)
    if not isinstance(outer, Struct) or outer.union:
        raise UnsupportedConstruct(where, f"container_of() of a type that is not a struct: {outer_t}")
    fields = dict(outer.fields)
    if member not in fields:
        raise UnsupportedConstruct(where, f"container_of(): {outer.name()} has no member '{member}' (a member of "
                                          "a member, an array element: not modelled)")
    fn, ptr_t = c.expr(args[0], scope)
    pointee = ptr_t.target if isinstance(ptr_t, Ptr) else None
    if pointee is None or not (compatible(pointee, fields[member]) or pointee == VOID):
        raise BuildFailure(where, "pointer type mismatch in container_of()")

    def run(f: Frame) -> Any:
        return _enclosing(fn(f), outer, member, where)

    return run, Ptr(outer)


def _enclosing(v: Any, outer: Struct, member: str, where: str) -> Any:
    """The object whose ``member`` the pointer ``v`` points at, as gcc computes (char *)v - offsetof()."""
    found: StructObj | None = None
    if isinstance(v, Ref) and isinstance(v.owner, StructObj) and v.key == member:
        found = v.owner
    elif isinstance(v, StructObj) and v.container is not None:
        holder, name = v.container
        if name == member and holder.get(member) is v:  # still its member: not copied or replaced since
            found = holder
    if found is not None and compatible(found.ctype, outer):
        return found
    if isinstance(v, AddrPtr) or v is None or v == 0:
        raise UnsupportedConstruct(where, "container_of() of a pointer that does not point at an object (NULL, "
                                          "an ERR_PTR or an integer address): memory is not modelled")
    raise UnsupportedConstruct(where, f"container_of(): the pointer does not point at the member '{member}' of a "
                                      f"{outer.name()} the mirror holds (an element of an array, an object "
                                      "copied out of its struct, another object: not modelled)")
