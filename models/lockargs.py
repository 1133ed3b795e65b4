"""The lock a primitive's lock argument names (spin_lock(&tdx_lock), guard(mutex)(m)): its label, and its object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.calls import name_of
from models.ctype import VOID, Array, CType
from models.errors import MirrorError, UnsupportedConstruct
from models.interp import ExprCompiler
from models.locking import check_lock_kind, lock_name
from models.lockpaths import follow, lock_paths
from models.machine import ElemPtr, Machine, StructObj, element_struct
from models.onceunits import UNIT_COPY, in_header
from models.values import STATIC_SLOT, Fn, Frame, Scope, array_pointer

LockPath = tuple[str, str, tuple[str | int, ...]]  # a file-scope lock: its C path, its object's slot, steps from it

def lock_label(c: ExprCompiler, node: c_ast.Node, label: str, scope: Scope, lock_paths: Callable[[], list[LockPath]],
               keep: str = "") -> Fn:
    """The name of the lock an argument names: the object's (models.locking.lock_name(): its path in a
    file-scope object, ``tdx_lock``, ``dev.lock``, else the text that first named it in the run), however it
    is reached (``_T->lock`` in a DEFINE_LOCK_GUARD_1() class, ``m`` in a helper taking ``struct mutex *m``,
    ``&p->lock``); a lock the code does not declare is its text (models/native/sh_native.c alike). ``keep``
    (the primitive's name, whose lock type a declared one must have): (name, the object or None where the code
    does not declare it), the argument evaluated once; ``lock_paths``: file_lock_paths(), once a compiler."""
    root, direct, named_path = node, True, name_of(node) is not None
    while isinstance(root, c_ast.StructRef | c_ast.ArrayRef | c_ast.UnaryOp):
        direct = direct and not isinstance(root, c_ast.ArrayRef) and getattr(root, "type", ".") == "."
        root = root.expr if isinstance(root, c_ast.UnaryOp) else root.name
    var = c.lookup(root.name, scope) if isinstance(root, c_ast.ID) else None
    if (var is not None or not named_path) and keep:
        check_lock_kind(keep, lock_type(c, node, scope), c.where(node.coord))
    paths = lock_paths()
    if named_path and (var is None or (direct and var.storage != "local" and c.unit_slot(var) is None
                                       and any(label == p for p, _, _ in paths))):
        if not keep:  # &tdx_lock, &obj.lock: the text is its path (a lock the code does not declare)
            return lambda f: label
        if var is None:
            undeclared = (label, None)
            return lambda f: undeclared
        target, _ = c.expr(node, scope)  # a path of members: no side effect
        return lambda f: (label, target(f))
    value, vt = c.expr(node, scope)
    value = array_pointer(value, vt) if isinstance(vt, Array) else value  # spin_lock(locks): locks[0]

    where = c.where(node.coord)

    def named(f: Frame) -> Any:
        obj = element_struct(value(f))  # l = &h->locks[0]; l += 2: the lock h->locks[2]
        # After the argument: a file-scope object is made where the run first touches it, which may be in this
        # very evaluation (spin_lock(pick()) returning &sl_a, k ? &a : &b), and must then be known by its path.
        g = f.m.globals
        known = [(n, follow(g[slot], steps) if slot in g else None) for n, slot, steps in paths]
        known += unit_copies(f.m, paths)
        if not isinstance(obj, StructObj) and (obj.__class__ is ElemPtr or not named_path):
            raise UnsupportedConstruct(where, f"'{label}' does not point at a lock object of the run")
        name = lock_name(f.m, obj, label, known)
        return (name, obj) if keep else name

    return named


def unit_copies(m: Machine, paths: list[LockPath]) -> list[tuple[str, Any]]:
    """The locks of the other units' copies of a header's static objects (models.storage unit_slot(), slot
    ``UNIT>SLOT``): each its C path, onceunits.UNIT_COPY and the unit (the copy's name in the state), and the
    object, for models.locking.lock_name() (C11 6.2.2p3: two objects, two locks)."""
    out: list[tuple[str, Any]] = []
    for s, v in m.globals.items():
        _, sep, slot = s.partition(">")
        if sep and not slot.startswith(STATIC_SLOT) and s in m.initial:
            copy = UNIT_COPY + m.initial[s][2].partition(UNIT_COPY)[2]
            out.extend((n + copy, follow(v, steps)) for n, at, steps in paths if at == slot)
    return out


def lock_type(c: ExprCompiler, node: c_ast.Node, scope: Scope) -> CType:
    """The type of a lock argument, VOID where it cannot be told here (its compilation says why, if anything)."""
    try:
        return c.type_of(node, scope)
    except MirrorError:
        return VOID


def file_lock_paths(c: ExprCompiler) -> list[LockPath]:
    """The locks of the file-scope objects (struct mutex, spinlock_t, raw_spinlock_t objects, and those in
    structs and arrays): (C path, the object's slot, steps from it), models.lockpaths.lock_paths()."""
    out: list[LockPath] = []
    for n in c.global_decls:
        if n.startswith(STATIC_SLOT):
            continue  # a function's own static: named as an automatic object's lock (sh_native.c alike)
        var = c.global_var(n)
        if var is not None:
            out.extend((path, var.slot, steps) for path, steps in lock_paths(n, var.ctype))
    return out


def file_lock_scopes(c: ExprCompiler) -> dict[str, bool]:
    """Each file-scope lock path (file_lock_paths()), and whether its object is a header's ``static`` one: a copy
    in each translation unit including the header (C11 6.2.2p3), where any other file-scope object is one in the
    kernel (a .c file's static, or an object of external linkage, which every unit links to)."""
    out: dict[str, bool] = {}
    for n, decl in c.global_decls.items():
        var = None if n.startswith(STATIC_SLOT) else c.global_var(n)
        if var is not None:
            per_unit = "static" in decl.storage and in_header(c.where(decl.coord))
            out.update((path, per_unit) for path, _ in lock_paths(n, var.ctype))
    return out
