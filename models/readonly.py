"""Writes gcc refuses because their object is const: "assignment of read-only variable" (C11 6.5.16p2)."""

# The mirror's types keep no qualifiers (models.ctype), so what a variable's declaration makes const is kept on its
# Var: the variable itself (or its array's elements), or what it points at (``const struct tdx_module_args *args``).
# A write to such an object, a member or element of it, or through such a pointer named directly (``args->rcx = 0``,
# ``*p = 1``, ``p[1] = 0``) is a build failure, as gcc makes it, never run; so are a typedef's and typeof's const, a
# member declared const, and a write through a pointer member, a cast or a defined function's result to const. What
# a statement expression, an undefined function's result or ``*pp`` points at is not seen.

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import IntFlag

from pycparser import c_ast

from models.ctype import Array, CType, Ptr, Struct
from models.errors import BuildFailure, UnsupportedConstruct
from models.typesys import TypeSystem
from models.values import Var

NO_FUNCTIONS: Mapping[str, c_ast.FuncDef] = {}


class Const(IntFlag):
    """What a declaration makes const."""

    OBJECT = 1  # the variable, or each element of its array
    TARGET = 2  # what the pointer it declares points at
    UNKNOWN = 4  # may be const: a write is refused as not modelled (typeof of a member or *p)


ExprFlags = Callable[[c_ast.Node], int]


def declared_readonly(decl: c_ast.Node, typedefs: Mapping[str, c_ast.Node] | None = None,
                      lookup: ExprFlags | None = None) -> int:
    """Const flags of a declaration: ``const u64 m``, ``struct s *const p``, ``const int tbl[2]`` make the object
    const; ``const int *p`` what p points at (p itself may change). A typedef's const is its name's (``typedef
    const u64 cu64; cu64 x``), and ``typeof(v)`` keeps v's qualifiers, as in gcc; ``typeof`` of another lvalue
    (a member, ``*p``) is what ``lookup`` (lvalue_readonly) says of it, UNKNOWN without one."""
    return type_readonly(getattr(decl, "type", None), typedefs or {}, lookup)


def type_readonly(t: c_ast.Node | None, typedefs: Mapping[str, c_ast.Node], lookup: ExprFlags | None = None) -> int:
    """Const flags of a declarator's type node (declared_readonly)."""
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    if isinstance(t, c_ast.PtrDecl):
        flags = Const.OBJECT if "const" in (t.quals or []) else 0
        target = type_readonly(t.type, typedefs, lookup)
        return flags | (Const.TARGET if target & Const.OBJECT else 0) | (target & Const.UNKNOWN)
    if not isinstance(t, c_ast.TypeDecl):
        return 0
    flags = Const.OBJECT if "const" in (t.quals or []) else 0
    inner = t.type
    if isinstance(inner, c_ast.IdentifierType) and len(inner.names) == 1 and inner.names[0] in typedefs:
        flags |= type_readonly(typedefs[inner.names[0]], typedefs, lookup)
    elif isinstance(inner, c_ast.TypeOf):
        flags |= _typeof_readonly(inner, typedefs, lookup)
    return int(flags)


def _typeof_readonly(node: c_ast.TypeOf, typedefs: Mapping[str, c_ast.Node], lookup: ExprFlags | None) -> int:
    """``typeof`` keeps the qualifiers of a type name or of an lvalue (what ``lookup`` says of it)."""
    if isinstance(node.expr, c_ast.Typename):
        return type_readonly(node.expr.type, typedefs, lookup)
    if _is_lvalue(node.expr):
        return lookup(node.expr) if lookup is not None else Const.UNKNOWN
    return 0  # not an lvalue: its value has no qualifiers


def _is_lvalue(e: c_ast.Node) -> bool:
    return isinstance(e, c_ast.ID | c_ast.StructRef | c_ast.ArrayRef) or (isinstance(e, c_ast.UnaryOp) and e.op == "*")


def lvalue_readonly(e: c_ast.Node, lookup: Callable[[str], Var | None], type_of: Callable[[c_ast.Node], CType],
                    types: TypeSystem) -> int:
    """Const flags of an lvalue's type, as ``typeof(e)`` keeps them: a variable's, a member's (declared const, or
    of a const struct), what a pointer to const reaches; UNKNOWN where a pointer's own flags are not known. What a
    pointer reached this way points at is not followed (``typeof(*pp)`` of ``const u64 **pp``: not seen)."""
    if isinstance(e, c_ast.ID):
        var = lookup(e.name)
        return var.readonly if var is not None else 0
    if isinstance(e, c_ast.StructRef):
        decl = _member_decl(e, type_of, types)
        own = type_readonly(decl.type, types.typedefs) if decl is not None else Const.UNKNOWN
        outer = lvalue_readonly(e.name, lookup, type_of, types) if e.type == "." else \
            _target(_pointer_readonly(e.name, lookup, type_of, types, types.typedefs))
        return own | (outer & (Const.OBJECT | Const.UNKNOWN))
    if isinstance(e, c_ast.ArrayRef) and isinstance(type_of(e.name), Array):
        return lvalue_readonly(e.name, lookup, type_of, types)  # an element has its array's flags
    base = _through(e, type_of)
    return _target(_pointer_readonly(base, lookup, type_of, types, types.typedefs)) if base is not None else 0


def _target(flags: int) -> int:
    """The flags of what a pointer with ``flags`` points at, as far as they are kept (one level)."""
    return (Const.OBJECT if flags & Const.TARGET else 0) | (flags & Const.UNKNOWN)


def refuse_readonly(lvalue: c_ast.Node, lookup: Callable[[str], Var | None], type_of: Callable[[c_ast.Node], CType],
                    where: str, what: str, types: TypeSystem | None = None,
                    functions: Mapping[str, c_ast.FuncDef] = NO_FUNCTIONS) -> None:
    """BuildFailure where ``lvalue`` is a variable declared const, a member (``.``) or element of one, a member
    declared const, a struct holding one, or reached through a pointer declared to point at const (a variable, a
    member, a cast: ``->``, ``*``, an index); ``what`` is gcc's word for the write (assignment, increment,
    decrement). A variable that may be const (UNKNOWN) is refused as not modelled."""
    typedefs = types.typedefs if types is not None else {}
    if types is not None and _holds_const(type_of(lvalue), types):
        raise BuildFailure(where, f"{what} of read-only variable (a struct with a const member)")
    node, part = lvalue, ""
    while True:
        if isinstance(node, c_ast.StructRef) and types is not None and _const_member(node, type_of, types):
            raise BuildFailure(where, f"{what} of read-only member '{node.field.name}'")
        if isinstance(node, c_ast.StructRef) and node.type == ".":
            part = part or f"member '{node.field.name}' in "
            node = node.name
        elif isinstance(node, c_ast.ArrayRef) and isinstance(type_of(node.name), Array):
            part = part or "location in "
            node = node.name
        else:
            break
    base = _through(node, type_of)
    if base is not None:
        flags = _pointer_readonly(base, lookup, type_of, types, typedefs, functions)
        if flags & Const.TARGET:
            part = part or ("member '" + node.field.name + "' in " if isinstance(node, c_ast.StructRef) else
                            "location in ")
            named = f"'*{base.name}'" if isinstance(base, c_ast.ID) else "(through a pointer to const)"
            raise BuildFailure(where, f"{what} of {part}read-only object {named}")
        if flags & Const.UNKNOWN:
            raise UnsupportedConstruct(where, f"{what} through a pointer that may point at const: not modelled")
        return
    if isinstance(node, c_ast.ID):
        var = lookup(node.name)
        if var is not None and var.readonly & Const.OBJECT:
            raise BuildFailure(where, f"{what} of {part}read-only {'object' if part else 'variable'} '{node.name}'")
        if var is not None and var.readonly & Const.UNKNOWN:
            raise UnsupportedConstruct(where, f"{what} of '{node.name}', declared by typeof of an lvalue whose "
                                              "qualifiers are not modelled (gcc keeps a const)")


def _pointer_readonly(base: c_ast.Node, lookup: Callable[[str], Var | None], type_of: Callable[[c_ast.Node], CType],
                      types: TypeSystem | None, typedefs: Mapping[str, c_ast.Node],
                      functions: Mapping[str, c_ast.FuncDef] = NO_FUNCTIONS) -> int:
    """Const flags of the pointer an lvalue is reached through: a variable's, a member's, an array element's or a
    cast's declared type, a call's of a function the code defines, through pointer arithmetic and ?:; 0 for any
    other (not seen)."""
    if isinstance(base, c_ast.ID):
        var = lookup(base.name)
        return var.readonly & ~Const.OBJECT if var is not None else 0
    if isinstance(base, c_ast.Cast):
        return type_readonly(base.to_type.type, typedefs) & ~Const.OBJECT
    if isinstance(base, c_ast.StructRef) and types is not None:
        decl = _member_decl(base, type_of, types)
        return type_readonly(decl.type, typedefs) & ~Const.OBJECT if decl is not None else 0
    if isinstance(base, c_ast.UnaryOp) and base.op in ("++", "--", "p++", "p--"):
        return _pointer_readonly(base.expr, lookup, type_of, types, typedefs, functions)
    if isinstance(base, c_ast.BinaryOp) and base.op in ("+", "-"):
        ptr = base.left if isinstance(type_of(base.left), Ptr | Array) else base.right
        return _pointer_readonly(ptr, lookup, type_of, types, typedefs, functions)
    if isinstance(base, c_ast.TernaryOp):
        return _pointer_readonly(base.iftrue, lookup, type_of, types, typedefs, functions) | \
            _pointer_readonly(base.iffalse, lookup, type_of, types, typedefs, functions)
    if isinstance(base, c_ast.FuncCall) and isinstance(base.name, c_ast.ID) and base.name.name in functions:
        return type_readonly(functions[base.name.name].decl.type.type, typedefs) & ~Const.OBJECT  # its return type
    if isinstance(base, c_ast.ArrayRef) and isinstance(type_of(base.name), Array):
        return _pointer_readonly(base.name, lookup, type_of, types, typedefs, functions)  # an array of pointers
    # &x (x's own const is checked as a write to x would be); a call of a function the code does not define, a
    # statement expression, *pp, p[i]
    # of a pointer to pointers: what the pointer points at is not kept (docs/mirror.md: not seen)
    return 0


def _member_decl(node: c_ast.StructRef, type_of: Callable[[c_ast.Node], CType], types: TypeSystem
                 ) -> c_ast.Decl | None:
    """The declaration of the member ``node`` names, in its struct's definition; None where it is not found."""
    t = type_of(node.name)
    if node.type == "->":
        t = t.target if isinstance(t, Ptr) else t
    full = types.struct_nodes.get(t.tag) if isinstance(t, Struct) else None
    for d in getattr(full, "decls", None) or ():
        if d.name == node.field.name:
            return d
    return None


def _const_member(node: c_ast.StructRef, type_of: Callable[[c_ast.Node], CType], types: TypeSystem) -> bool:
    decl = _member_decl(node, type_of, types)
    return decl is not None and bool(type_readonly(decl.type, types.typedefs) & Const.OBJECT)


def _holds_const(t: CType, types: TypeSystem, depth: int = 0) -> bool:
    """Whether a struct (or an array of them) has a member declared const, at any depth: gcc refuses to assign it."""
    while isinstance(t, Array):
        t = t.elem
    full = types.struct_nodes.get(t.tag) if isinstance(t, Struct) and depth < 16 else None
    if full is None:
        return False
    for d in full.decls or ():
        if type_readonly(d.type, types.typedefs) & Const.OBJECT:
            return True
    return any(_holds_const(ft, types, depth + 1) for _, ft in t.fields) if isinstance(t, Struct) else False


def _through(node: c_ast.Node, type_of: Callable[[c_ast.Node], CType]) -> c_ast.Node | None:
    """The pointer expression an lvalue is reached through directly: ``p->x``, ``*p``, ``p[i]`` of a pointer."""
    if isinstance(node, c_ast.StructRef) and node.type == "->":
        return node.name
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":
        return node.expr
    if isinstance(node, c_ast.ArrayRef) and isinstance(type_of(node.name), Ptr):
        return node.name
    return None
