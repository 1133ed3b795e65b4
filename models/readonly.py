"""Writes gcc refuses because their object is const: "assignment of read-only variable" (C11 6.5.16p2)."""

# The mirror's types keep no qualifiers (models.ctype), so what a variable's declaration makes const is kept on its
# Var: the variable itself (or its array's elements), or what it points at (``const struct tdx_module_args *args``).
# A write to such an object, a member or element of it, or through such a pointer named directly (``args->rcx = 0``,
# ``*p = 1``, ``p[1] = 0``) is a build failure, as gcc makes it, never run; so are a typedef's and typeof's const, a
# member declared const, and a write through a pointer member, a cast, a defined function's result, a statement
# expression, ``&x`` or a pointer reached through pointers (``**pp`` of ``const u64 **pp``) to const: the flags keep
# the const of every level a declaration names (OBJECT the object, TARGET what it points at, then deeper levels).
# What a call through a function pointer returns is its declared return type's (Var.returns, callee_returns).
# A call of a function the code does not define is refused where compiled (models.statements), so no write through
# its result runs; a kernel primitive's pointer is void *, none to const.

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import IntFlag

from pycparser import c_ast

from models.ctype import Array, CType, Ptr, Struct
from models.errors import BuildFailure, UnsupportedConstruct
from models.record import record
from models.typesys import TypeSystem
from models.values import Var


class Const(IntFlag):
    """What a declaration makes const."""

    OBJECT = 1  # the variable, or each element of its array
    TARGET = 2  # what the pointer it declares points at
    UNKNOWN = 4  # may be const: a write is refused as not modelled (typeof of a member or *p)
    # what TARGET points at is the next bit (8), and so on: _level(k) is the bit of k pointer steps down


LEVELS = 16  # pointer levels kept; C11 5.2.4.1 asks for 12 declarators


_NOT_OBJECT = ~int(Const.OBJECT)  # every level but the object's own (``~Const.OBJECT`` keeps only the named flags)


def _level(k: int) -> int:
    """The flag of what ``k`` dereferences of the declared object reach being const."""
    return 1 if k == 0 else 2 if k == 1 else 8 << (k - 2)


def _deeper(flags: int) -> int:
    """The flags of a pointer to something with ``flags`` (each level one step further away); UNKNOWN kept."""
    return sum(_level(k + 1) for k in range(LEVELS - 1) if flags & _level(k)) | (flags & Const.UNKNOWN)


def _target(flags: int) -> int:
    """The flags of what a pointer with ``flags`` points at (each level one step nearer); UNKNOWN kept."""
    return sum(_level(k) for k in range(LEVELS - 1) if flags & _level(k + 1)) | (flags & Const.UNKNOWN)


ExprFlags = Callable[[c_ast.Node], int]


def declared_readonly(decl: c_ast.Node, typedefs: Mapping[str, c_ast.Node] | None = None,
                      lookup: ExprFlags | None = None) -> int:
    """Const flags of a declaration: ``const u64 m``, ``struct s *const p``, ``const int tbl[2]`` make the object
    const; ``const int *p`` what p points at (p itself may change). A typedef's const is its name's (``typedef
    const u64 cu64; cu64 x``), and ``typeof(v)`` keeps v's qualifiers, as in gcc; ``typeof`` of another lvalue
    (a member, ``*p``) is what ``lookup`` (lvalue_readonly) says of it, UNKNOWN without one."""
    return type_readonly(getattr(decl, "type", None), typedefs or {}, lookup)


def declared_returns(decl: c_ast.Node, typedefs: Mapping[str, c_ast.Node] | None = None,
                     lookup: ExprFlags | None = None) -> int:
    """Const flags of what a call through the variable ``decl`` declares returns (type_returns): ``lookup``
    (callee_returns) says it of ``typeof(e)``."""
    return type_returns(getattr(decl, "type", None), typedefs or {}, lookup)


def type_readonly(t: c_ast.Node | None, typedefs: Mapping[str, c_ast.Node], lookup: ExprFlags | None = None) -> int:
    """Const flags of a declarator's type node (declared_readonly)."""
    while isinstance(t, c_ast.ArrayDecl):
        t = t.type
    if isinstance(t, c_ast.PtrDecl):
        flags = Const.OBJECT if "const" in (t.quals or []) else 0
        return flags | _deeper(type_readonly(t.type, typedefs, lookup))
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
    """``typeof`` keeps the qualifiers of a type name or of an expression (what ``lookup``, expr_readonly, says of
    it); without ``lookup``, UNKNOWN but for a constant. ``typeof_unqual`` (C23 6.7.2.5p5, gcc 14's
    ``__typeof_unqual__``) drops the type's own: ``typeof_unqual(const u64) x`` may be written, ``typeof_unqual(const
    u64 *)`` still points at const."""
    if isinstance(node.expr, c_ast.Typename):
        flags = type_readonly(node.expr.type, typedefs, lookup)
    elif lookup is not None:
        flags = lookup(node.expr)
    else:
        flags = 0 if isinstance(node.expr, c_ast.Constant) else Const.UNKNOWN
    return flags & _NOT_OBJECT if "unqual" in str(node.op) else int(flags)


def _is_lvalue(e: c_ast.Node) -> bool:
    return isinstance(e, c_ast.ID | c_ast.StructRef | c_ast.ArrayRef) or (isinstance(e, c_ast.UnaryOp) and e.op == "*")


Lookup = Callable[[str], Var | None]
Typer = Callable[[c_ast.Node], CType]


@record
class Seen:
    """What the checks see where the write is: its names and their types, the program's typedefs and structs, the
    functions it defines, and (``enter``) the names and types inside a statement expression there."""

    lookup: Lookup
    type_of: Typer
    types: TypeSystem | None
    functions: Mapping[str, c_ast.FuncDef]
    enter: Callable[[c_ast.Compound], tuple[Lookup, Typer]] | None = None

    @property
    def typedefs(self) -> Mapping[str, c_ast.Node]:
        return self.types.typedefs if self.types is not None else {}


def expr_readonly(e: c_ast.Node, seen: Seen) -> int:
    """Const flags of ``typeof(e)``: an lvalue's qualifiers (lvalue_readonly); a value's type has none of its own,
    but what a pointer value points at keeps its const (``typeof(p + 0)`` of ``const u64 *p``)."""
    return lvalue_readonly(e, seen) if _is_lvalue(e) else _pointer_readonly(e, seen)


def lvalue_readonly(e: c_ast.Node, seen: Seen) -> int:
    """Const flags of an lvalue's type, as ``typeof(e)`` keeps them: a variable's, a member's (declared const, or
    of a const struct), what a pointer to const reaches, at every level; UNKNOWN where a member is not found."""
    if isinstance(e, c_ast.ID):
        var = seen.lookup(e.name)
        return var.readonly if var is not None else 0
    if isinstance(e, c_ast.StructRef):
        decl = _member_decl(e, seen.type_of, seen.types) if seen.types is not None else None
        own = type_readonly(decl.type, seen.typedefs) if decl is not None else Const.UNKNOWN
        outer = lvalue_readonly(e.name, seen) if e.type == "." else _target(_pointer_readonly(e.name, seen))
        return own | (outer & (Const.OBJECT | Const.UNKNOWN))
    if isinstance(e, c_ast.ArrayRef) and isinstance(seen.type_of(e.name), Array):
        return lvalue_readonly(e.name, seen)  # an element has its array's flags
    base = _through(e, seen.type_of)
    return _target(_pointer_readonly(base, seen)) if base is not None else 0


def refuse_readonly(lvalue: c_ast.Node, seen: Seen, where: str, what: str) -> None:
    """BuildFailure where ``lvalue`` is a variable declared const, a member (``.``) or element of one, a member
    declared const, a struct holding one, or reached through a pointer to const (a variable, a member, a cast, a
    call, a statement expression, ``*pp``: ``->``, ``*``, an index); ``what`` is gcc's word for the write
    (assignment, increment, decrement). What may be const (UNKNOWN) is refused as not modelled."""
    types = seen.types
    if types is not None and _holds_const(seen.type_of(lvalue), types):
        raise BuildFailure(where, f"{what} of read-only variable (a struct with a const member)")
    node, part = lvalue, ""
    while True:
        if isinstance(node, c_ast.StructRef) and types is not None and _const_member(node, seen.type_of, types):
            raise BuildFailure(where, f"{what} of read-only member '{node.field.name}'")
        if isinstance(node, c_ast.StructRef) and node.type == ".":
            part = part or f"member '{node.field.name}' in "
            node = node.name
        elif isinstance(node, c_ast.ArrayRef) and isinstance(seen.type_of(node.name), Array):
            part = part or "location in "
            node = node.name
        else:
            break
    base = _through(node, seen.type_of)
    if base is not None:
        flags = _pointer_readonly(base, seen)
        if flags & Const.TARGET:
            part = part or ("member '" + node.field.name + "' in " if isinstance(node, c_ast.StructRef) else
                            "location in ")
            named = f"'*{base.name}'" if isinstance(base, c_ast.ID) else "(through a pointer to const)"
            raise BuildFailure(where, f"{what} of {part}read-only object {named}")
        if flags & Const.UNKNOWN:
            raise UnsupportedConstruct(where, f"{what} through a pointer that may point at const: not modelled")
        return
    if isinstance(node, c_ast.ID):
        var = seen.lookup(node.name)
        if var is not None and var.readonly & Const.OBJECT:
            raise BuildFailure(where, f"{what} of {part}read-only {'object' if part else 'variable'} '{node.name}'")
        if var is not None and var.readonly & Const.UNKNOWN:
            raise UnsupportedConstruct(where, f"{what} of '{node.name}', declared by typeof of an lvalue whose "
                                              "qualifiers are not modelled (gcc keeps a const)")


def _pointer_readonly(base: c_ast.Node, seen: Seen) -> int:
    """Const flags of the pointer value an lvalue is reached through, its own const aside: a variable's, a member's,
    an element's, ``*pp``'s or a cast's declared type, ``&x`` (x's flags one level down), the return type of a
    function the code defines, through pointer arithmetic, ``?:``, a comma and a statement expression's value."""
    if isinstance(base, c_ast.ArrayRef) and isinstance(seen.type_of(base.name), Array):
        return _pointer_readonly(base.name, seen)  # an array of pointers
    if isinstance(base, c_ast.ID | c_ast.ArrayRef) or (isinstance(base, c_ast.UnaryOp) and base.op == "*"):
        return lvalue_readonly(base, seen) & _NOT_OBJECT  # a variable, or what a pointer to pointers reaches
    if isinstance(base, c_ast.Cast):
        return type_readonly(base.to_type.type, seen.typedefs) & _NOT_OBJECT
    if isinstance(base, c_ast.StructRef):
        decl = _member_decl(base, seen.type_of, seen.types) if seen.types is not None else None
        return type_readonly(decl.type, seen.typedefs) & _NOT_OBJECT if decl is not None else 0
    if isinstance(base, c_ast.UnaryOp) and base.op == "&":
        return _deeper(lvalue_readonly(base.expr, seen)) & _NOT_OBJECT
    if isinstance(base, c_ast.UnaryOp) and base.op in ("++", "--", "p++", "p--"):
        return _pointer_readonly(base.expr, seen)
    if isinstance(base, c_ast.Assignment):
        return lvalue_readonly(base.lvalue, seen) & _NOT_OBJECT  # its value has the left operand's type
    if isinstance(base, c_ast.BinaryOp) and base.op in ("+", "-"):
        ptr = base.left if isinstance(seen.type_of(base.left), Ptr | Array) else base.right
        return _pointer_readonly(ptr, seen)
    if isinstance(base, c_ast.TernaryOp):
        return _pointer_readonly(base.iftrue, seen) | _pointer_readonly(base.iffalse, seen)
    if isinstance(base, c_ast.ExprList) and base.exprs:
        return _pointer_readonly(base.exprs[-1], seen)
    if isinstance(base, c_ast.Compound):
        return _value_readonly(base, seen)
    if isinstance(base, c_ast.FuncCall):
        return callee_returns(base.name, seen)
    return 0


def callee_returns(callee: c_ast.Node, seen: Seen) -> int:
    """Const flags of the pointer a call of ``callee`` returns: a function the code defines, a function pointer
    (a variable, a member, an element, ``*fp``, ``&f``, a cast, ``?:``), as its declared return type says; UNKNOWN
    where the callee is another expression. A kernel primitive's pointer is ``void *`` (memset(), memcpy(),
    __guard_ptr(): models.kernel), none to const; a function the code does not define is refused where compiled."""
    if isinstance(callee, c_ast.ID):
        var = seen.lookup(callee.name)
        if var is not None:
            return var.returns
        fn = seen.functions.get(callee.name)
        return type_readonly(fn.decl.type.type, seen.typedefs) & _NOT_OBJECT if fn is not None else 0
    if isinstance(callee, c_ast.UnaryOp) and callee.op in ("*", "&"):
        return callee_returns(callee.expr, seen)  # a function designator and a pointer to it call alike
    if isinstance(callee, c_ast.ArrayRef):
        return callee_returns(callee.name, seen)  # an element of an array of function pointers: its declaration's
    if isinstance(callee, c_ast.StructRef):
        decl = _member_decl(callee, seen.type_of, seen.types) if seen.types is not None else None
        return type_returns(decl.type, seen.typedefs) if decl is not None else Const.UNKNOWN
    if isinstance(callee, c_ast.Cast):
        return type_returns(callee.to_type.type, seen.typedefs)
    if isinstance(callee, c_ast.TernaryOp):
        return callee_returns(callee.iftrue, seen) | callee_returns(callee.iffalse, seen)
    if isinstance(callee, c_ast.ExprList) and callee.exprs:
        return callee_returns(callee.exprs[-1], seen)
    return int(Const.UNKNOWN)


def type_returns(t: c_ast.Node | None, typedefs: Mapping[str, c_ast.Node], lookup: ExprFlags | None = None) -> int:
    """Const flags of what a call through an object of declarator type ``t`` returns (``const u64 *(*fp)(void)``,
    an array of them, a pointer to one, a typedef's, ``typeof(f)``'s): its function type's return type, without
    the object's own const (a value); 0 for a type that is no function's."""
    for _ in range(64):
        if isinstance(t, c_ast.ArrayDecl | c_ast.PtrDecl):
            t = t.type
        elif isinstance(t, c_ast.FuncDecl):
            return type_readonly(t.type, typedefs) & _NOT_OBJECT
        elif isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType) \
                and len(t.type.names) == 1 and t.type.names[0] in typedefs:
            t = typedefs[t.type.names[0]]
        elif isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.TypeOf):
            if isinstance(t.type.expr, c_ast.Typename):
                t = t.type.expr.type
            else:
                return lookup(t.type.expr) if lookup is not None else int(Const.UNKNOWN)
        else:
            return 0
    return int(Const.UNKNOWN)


def _value_readonly(node: c_ast.Compound, seen: Seen) -> int:
    """The flags of a statement expression's value, its last expression statement's, with the names it declares
    (UNKNOWN where those are not seen: no ``enter``)."""
    items = node.block_items or []
    if seen.enter is None:
        return Const.UNKNOWN
    if not items:
        return 0
    lookup, type_of = seen.enter(node)
    return _pointer_readonly(items[-1], Seen(lookup, type_of, seen.types, seen.functions, seen.enter))


def _member_decl(node: c_ast.StructRef, type_of: Callable[[c_ast.Node], CType], types: TypeSystem
                 ) -> c_ast.Decl | None:
    """The declaration of the member ``node`` names, in its struct's definition; None where it is not found."""
    t = type_of(node.name)
    if node.type == "->":
        t = t.target if isinstance(t, Ptr) else t
    full = types.struct_nodes.get(t.tag) if isinstance(t, Struct) else None
    return _named_member(getattr(full, "decls", None) or (), node.field.name, 0)


def _named_member(decls: list[c_ast.Decl] | tuple[()], name: str, depth: int) -> c_ast.Decl | None:
    """The declaration of member ``name``, in an anonymous struct or union member too (C11 6.7.2.1p13)."""
    for d in decls:
        if d.name == name:
            return d
        inner = d.type if d.name is None else None  # an anonymous member's Decl holds its Struct or Union
        if isinstance(inner, c_ast.Struct | c_ast.Union) and inner.decls and depth < 16:
            found = _named_member(inner.decls, name, depth + 1)
            if found is not None:
                return found
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
