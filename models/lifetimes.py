"""Where objects' lifetimes end (C11 6.2.4p2), and reads through pointers that outlive them.

A local whose address is taken ends when its block is left, a parameter when its function returns; a pointer that
outlives the object reads a value whose read is a run-time error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pycparser import c_ast

from models import unions
from models.cparse import all_nodes
from models.ctype import Array, CType, Struct
from models.machine import StructObj
from models.values import Frame, Stmt, Unknown


@lru_cache(maxsize=4096)
def address_taken(body: c_ast.Node) -> frozenset[str]:
    """The names whose address ``body`` takes: the variable under ``&x``, ``&s.m``, ``&a[i]``, ``&a[i].m``, and
    an array it declares, or a struct's member (which may be an array), used whole, as an array decays to a
    pointer to its first element (``f(a)``, ``p = s.regs``): not as an index's array, an operand of sizeof, or a
    member access's struct accessed further. Read once per body: a parsed definition is shared by every program
    whose code has it (models.cload), and each compiles it; a moved copy is asked as models.nodecopy.origin()."""
    names: set[str] = set()
    arrays = {n.name for n in all_nodes(body) if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.ArrayDecl)}
    todo: list[tuple[c_ast.Node, c_ast.Node | None]] = [(body, None)]
    while todo:
        n, parent = todo.pop()
        if isinstance(n, c_ast.UnaryOp) and n.op in ("sizeof", "_Alignof"):
            continue
        if isinstance(n, c_ast.UnaryOp) and n.op == "&":
            root = n.expr
            while isinstance(root, c_ast.ArrayRef) or (isinstance(root, c_ast.StructRef) and root.type == "."):
                root = root.name
            if isinstance(root, c_ast.ID):
                names.add(root.name)
        elif _used_whole(n, parent):
            root = n
            while isinstance(root, c_ast.StructRef) and root.type == ".":
                root = root.name
            if isinstance(root, c_ast.ID) and (root is not n or root.name in arrays):
                names.add(root.name)
        todo.extend((child, n) for child in n)
    return frozenset(names)


def _used_whole(n: c_ast.Node, parent: c_ast.Node | None) -> bool:
    """Whether ``n``, a name or a ``.`` member, is used as a value of its own (which an array's decays): not the
    array an index applies to, not the struct of a further member access, not a call's function."""
    if not (isinstance(n, c_ast.ID) or (isinstance(n, c_ast.StructRef) and n.type == ".")):
        return False
    if isinstance(parent, c_ast.ArrayRef) and parent.name is n:
        return False
    if isinstance(parent, c_ast.StructRef) and parent.name is n:
        return False
    return not (isinstance(parent, c_ast.FuncCall) and parent.name is n)


def end_of_life(name: str, slot: str, t: CType, where: str, how: str = "its block was left"
                ) -> Callable[[Frame], None]:
    """What leaving the block of a local whose address is taken does (``how``: or the function's return, for a
    parameter): the object is gone (C11 6.2.4p2), and a pointer that outlives it reads what the mirror cannot know
    (gcc reuses the stack; returned, the address is NULL): its value, each scalar of it (not what a pointer member
    points at), becomes one whose read is a run-time error; a union's members too, and its bytes are settled so
    that no member is read back from them (models.unions.settle)."""
    dead = Unknown(f"is read through a pointer after its lifetime ended (declared at {where}, {how}, "
                   "C11 6.2.4p2): undefined behaviour", dead=True)

    def end(f: Frame) -> None:
        if isinstance(t, Struct | Array):
            bury(f.v.get(slot), t, dead)
        else:
            f.v[slot] = dead

    return end


def bury(v: Any, vt: CType, dead: Unknown) -> None:
    """Each scalar of object ``v`` of type ``vt`` (not what a pointer member points at) made ``dead``: a union's
    members too, its bytes settled so that no member is read back from them (models.unions.settle)."""
    if isinstance(vt, Struct) and isinstance(v, StructObj):
        for k, ft in vt.fields:
            if k in v:
                if isinstance(ft, Struct | Array):
                    bury(v[k], ft, dead)
                else:
                    v[k] = dead
        if vt.union:
            unions.settle(v, vt, dead.why)
    elif isinstance(vt, Array) and isinstance(v, list):
        for i, e in enumerate(v):
            if isinstance(vt.elem, Struct | Array):
                bury(e, vt.elem, dead)
            else:
                v[i] = dead


def parameters_end(body: Stmt, params: list[tuple[str, str, CType, str]]) -> Stmt:
    """A function's body whose parameters (name, slot, type, where declared) have their addresses taken: their
    lifetimes end when it returns (C11 6.2.4p2, 6.9.1p9: they are its block's objects), after the value it returns
    is made."""
    ends = [(end_of_life(n, slot, t, where, "the function returned"), where) for n, slot, t, where in params]

    def run(f: Frame) -> Any:
        mark = len(f.defer)
        f.defer.extend(ends)
        sig = body(f)
        while len(f.defer) > mark:  # models.blocks.unwind(): the body's own scopes have run theirs
            f.defer.pop()[0](f)
        return sig

    return run
