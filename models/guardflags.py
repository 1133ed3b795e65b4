"""Flags a lock guard of the code's own keeps in its class's struct (DEFINE_LOCK_GUARD_1(..., unsigned long flags))."""

# include/linux/spinlock.h defines the kernel's spinlock_irqsave guard so: DEFINE_LOCK_GUARD_1(spinlock_irqsave,
# spinlock_t, spin_lock_irqsave(_T->lock, _T->flags), spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long
# flags). The class's struct is an automatic object of the guard's scope, which only the class's own functions
# reach: its flags member is followed as a local's are where nothing else can read it (models.eflags).

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.cparse import all_nodes
from models.memberflags import struct_members

# The prelude's names for a class's functions (models.cleanup USER_GUARDS): class_<name>_<what>, __sh_scope_ok_<name>
SCOPE_OK = "__sh_scope_ok_"


def guard_members(program: Any, kept: Callable[[list[c_ast.Node]], set[int]]) -> frozenset[str]:
    """The names of the members (but ``lock``) of a lock guard class's struct (``class_<name>_t``) that keep saved
    flags as a local keeps them: every member access of that name in the code (of any struct) is a save's target,
    a restore's flags argument or an argument of a by-value flags parameter (``kept``: the ids of those among
    nodes, models.eflags.guard_kept()), and every object of each class holding one is confined: an automatic
    object or a pointer to one that the code uses only as ``x->m`` / ``x.m``, as ``&x`` handed to the class's
    own functions (its destructor, __guard_ptr(), scoped_guard()'s test) or to the pointer its constructor
    declares, and as the constructor's ``return _t``. Anything else (a file-scope or static object, a copy,
    ``memcpy()``, printing it) could read the whole EFLAGS image: not followed, the save refused where it runs.
    With them, the members of the code's other structs models.memberflags.struct_members() follows; a name a guard
    class and another struct both declare, where both follow it."""
    classes = {item.name: {d.name for d in item.type.type.decls if d.name != "lock"} for item in program.ast.ext
               if isinstance(item, c_ast.Typedef) and item.name.startswith("class_")
               and isinstance(item.type, c_ast.TypeDecl) and isinstance(item.type.type, c_ast.Struct)
               and item.type.type.decls}
    extras = set().union(*classes.values()) if classes else set()
    others = struct_members(program, kept, frozenset(classes))
    if not extras:
        return others
    items = [i for i in program.ast.ext if isinstance(i, (c_ast.FuncDef, c_ast.Decl))]
    nodes = [n for i in items for n in all_nodes(i)]
    allowed = kept(nodes)
    extras -= {n.field.name for n in nodes if isinstance(n, c_ast.StructRef) and id(n) not in allowed}
    # the classes' own functions: a name two guards' scopes share (scoped_guard()'s ``scope``) is one name here
    own = tuple(p for cls in classes for p in (f"{cls.removesuffix('_t')}_", f"{SCOPE_OK}{cls[6:].removesuffix('_t')}"))
    for cls, members in classes.items():
        if members & extras and not _confined(cls, items, own):
            extras -= members
    every = set().union(*classes.values())
    return frozenset((others - every) | (others & extras))


def _confined(cls: str, items: list[c_ast.Node], own: tuple[str, ...]) -> bool:
    """Whether every object of typedef ``cls`` (a guard class's struct) is used as guard_members() allows; ``own``:
    the prefixes of the names of the guard classes' functions."""
    for item in items:
        if isinstance(item, c_ast.Decl) and _typed(item.type, cls) is not None:
            return False  # a file-scope object: the state a run leaves shows it
        if not isinstance(item, c_ast.FuncDef):
            continue
        decls = [*(item.decl.type.args.params if item.decl.type.args else []), *all_nodes(item.body)]
        names = {d.name for d in decls if isinstance(d, c_ast.Decl) and _typed(d.type, cls) is not None
                 and not {"static", "extern"} & set(d.storage or ())}
        if any(isinstance(d, c_ast.Decl) and _typed(d.type, cls) is not None and {"static", "extern"} & set(d.storage
               or ()) for d in decls):
            return False
        if names and not _uses_allowed(item, names, own, cls):
            return False
    return True


def _uses_allowed(fn: c_ast.FuncDef, names: set[str], own: tuple[str, ...], cls: str) -> bool:
    """Whether each use of ``names`` in ``fn`` is a member access, ``&x`` handed to one of the class's functions
    (``own``: their names' prefixes) or to a pointer declared of the class, or the constructor's return."""
    parents = {id(c): n for n in all_nodes(fn.body) for c in n}
    constructor = fn.decl.name == f"{cls.removesuffix('_t')}_constructor"
    for n in all_nodes(fn.body):
        if not (isinstance(n, c_ast.ID) and n.name in names):
            continue
        up = parents.get(id(n))
        if (isinstance(up, c_ast.StructRef) and up.name is n) or (constructor and isinstance(up, c_ast.Return)):
            continue
        if not (isinstance(up, c_ast.UnaryOp) and up.op == "&"):
            return False
        at = parents.get(id(up))
        call = parents.get(id(at)) if isinstance(at, c_ast.ExprList) else None
        if isinstance(call, c_ast.FuncCall) and isinstance(call.name, c_ast.ID) and call.name.name.startswith(own):
            continue
        if not (isinstance(at, c_ast.Decl) and _typed(at.type, cls) == "pointer"):
            return False
    return True


def _typed(t: c_ast.Node, cls: str) -> str | None:
    """"object" or "pointer" where declared type ``t`` is ``cls`` or a pointer to it, else None."""
    what = "object"
    if isinstance(t, c_ast.PtrDecl):
        t, what = t.type, "pointer"
    names = t.type.names if isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType) else []
    return what if names == [cls] else None
