"""Brace elision in initializers (C11 6.7.9p20): which initializers an aggregate member takes without braces."""

from __future__ import annotations

from collections.abc import Callable

from pycparser import c_ast

from models.ctype import Array, CType, Int, Struct
from models.errors import UnsupportedConstruct

StructValued = Callable[[c_ast.Node], bool]  # whether an initializer expression has a struct type


def elided(t: CType, e: c_ast.Node, struct_valued: StructValued) -> bool:
    """Whether ``e`` starts the elements of an aggregate member ``t`` written without its braces
    (``struct p t[2] = { 1, 2, 3, 4 }``): not a braced list, a designation, a string for a char array, or a
    struct-valued expression for a struct."""
    if isinstance(e, c_ast.InitList | c_ast.NamedInitializer):
        return False
    if isinstance(t, Array):
        return not (isinstance(e, c_ast.Constant) and e.type == "string" and isinstance(t.elem, Int)
                    and t.elem.bits == 8)
    return isinstance(t, Struct) and not struct_valued(e)


def take(t: CType, exprs: list[c_ast.Node], i: int, struct_valued: StructValued,
         where: str) -> tuple[c_ast.InitList, int]:
    """The initializers an aggregate whose braces are elided takes from ``exprs[i:]``, as a braced list, and
    where the rest starts: as many as its members need, nested ones elided too; a designation ends it (it
    names a member of the braced aggregate around)."""
    if isinstance(t, Array):
        if t.length is None:
            raise UnsupportedConstruct(where, f"an initializer of {t} without its braces")
        members = [t.elem] * t.length
    elif isinstance(t, Struct):
        members = [ft for _, ft in t.fields][: 1 if t.union else None]
    else:
        raise UnsupportedConstruct(where, f"braces elided around {t}")
    taken: list[c_ast.Node] = []
    for mt in members:
        if i >= len(exprs) or isinstance(exprs[i], c_ast.NamedInitializer):
            break
        if elided(mt, exprs[i], struct_valued):
            sub, i = take(mt, exprs, i, struct_valued, where)
            taken.append(sub)
        else:
            taken.append(exprs[i])
            i += 1
    return c_ast.InitList(taken, taken[0].coord if taken else None), i


def member(t: CType, first: c_ast.Node, exprs: list[c_ast.Node], i: int, struct_valued: StructValued,
           where: str) -> tuple[c_ast.InitList, int]:
    """An aggregate member ``t`` initialized from ``first`` (after its designator, if any) and what follows it
    in ``exprs`` from ``i``, its braces elided: its braced list, and where the rest starts."""
    sub, taken = take(t, [first, *exprs[i:]], 0, struct_valued, where)
    return sub, i + taken - 1
