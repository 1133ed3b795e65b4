"""A const table's initialiser flattened to each scalar it sets, by path, as C11 6.7.9 places them.

A const table's initialiser flattened to the value of each scalar it sets, by path (``(1, "check")``), as C11
6.7.9 places them: designators nested (``[0].call = f``), braces elided (``{ lo, checked }`` for a struct's two
members inside an array's list), a typedef'd struct's members, a later initialiser of a place winning.

What is not read here (a union, a positional initialiser after a nested designator, an index past a sized array, a
string for a char array) makes the whole table not worked out (None): a wrong entry would be worse than none."""

from __future__ import annotations

from collections.abc import Callable

from pycparser import c_ast

Path = tuple[int | str, ...]
# A type as the flattening needs it: None for a scalar (a number, a pointer, a function pointer); ("array", element,
# length or None); ("struct", ((member, type), ...)).
Shape = tuple[object, ...] | None
Number = Callable[[c_ast.Node | None], int | None]


class _NotRead(Exception):
    """An initialiser this module does not place."""


def shape_of(t: c_ast.Node, structs: dict[str, c_ast.Struct], typedefs: dict[str, c_ast.Node], number: Number,
             depth: int = 0) -> Shape:
    """The shape of a declaration's type (``Decl.type``); raises _NotRead for a union or a type not found."""
    if depth > 16:
        raise _NotRead("types nested too deep")
    if isinstance(t, c_ast.ArrayDecl):
        n = number(t.dim) if t.dim is not None else None
        if t.dim is not None and n is None:
            raise _NotRead("an array's length not read")
        return ("array", shape_of(t.type, structs, typedefs, number, depth + 1), n)
    if isinstance(t, c_ast.PtrDecl | c_ast.FuncDecl):
        return None
    if isinstance(t, c_ast.TypeDecl):
        inner = t.type
        if isinstance(inner, c_ast.Struct):
            decls = inner.decls if inner.decls is not None else (structs[inner.name].decls if inner.name in structs
                                                                 else None)
            if decls is None:
                raise _NotRead(f"struct {inner.name} not found")
            return ("struct", tuple((d.name, shape_of(d.type, structs, typedefs, number, depth + 1)) for d in decls))
        if isinstance(inner, c_ast.Union):
            raise _NotRead("a union")
        if isinstance(inner, c_ast.IdentifierType) and len(inner.names) == 1 and inner.names[0] in typedefs:
            return shape_of(typedefs[inner.names[0]], structs, typedefs, number, depth + 1)
        return None
    raise _NotRead("a type not read")


def _key_at(shape: tuple[object, ...], pos: int) -> tuple[int | str, Shape] | None:
    """The ``pos``-th subobject of an aggregate: its key and shape; None past its end."""
    if shape[0] == "array":
        length = shape[2]
        return None if isinstance(length, int) and pos >= length else (pos, shape[1])  # type: ignore[return-value]
    members = shape[1]
    assert isinstance(members, tuple)
    return members[pos] if pos < len(members) else None


def _pos_of(shape: tuple[object, ...], key: c_ast.Node, number: Number) -> int:
    """Where a designator (``[k]``, ``.m``) puts the place in an aggregate."""
    if isinstance(key, c_ast.ArrayDesignator):
        key = key.expr
    if shape[0] == "array":
        at = number(key)  # an ID here is an index, [OP_HI] (an aggregate of an array has no member .m): number's
        length = shape[2]
        if at is None or at < 0 or (isinstance(length, int) and at >= length):
            raise _NotRead("an index designator not read")
        return at
    members = shape[1]
    assert isinstance(members, tuple)
    names = [m for m, _ in members]
    if not isinstance(key, c_ast.ID) or key.name not in names:
        raise _NotRead("a member designator not read")
    return names.index(key.name)


def _set(out: dict[Path, c_ast.Node], path: Path, shape: Shape, x: c_ast.Node, number: Number) -> None:
    """One subobject (``path``, of ``shape``) given a braced list or a scalar's value: what it held before is
    overridden (C11 6.7.9p19)."""
    for p in [p for p in out if p[:len(path)] == path]:
        del out[p]
    if isinstance(x, c_ast.InitList):
        if shape is None:  # { v } for a scalar
            if len(x.exprs) != 1 or isinstance(x.exprs[0], c_ast.InitList | c_ast.NamedInitializer):
                raise _NotRead("a scalar's braced list")
            out[path] = x.exprs[0]
            return
        _fill(out, path, shape, x.exprs, 0, True, number)
    elif shape is None:
        out[path] = x
    else:
        raise _NotRead("an aggregate given one expression")  # a struct copied from another: not read


def _fill(out: dict[Path, c_ast.Node], path: Path, shape: tuple[object, ...], items: list[c_ast.Node], k: int,
          braced: bool, number: Number) -> int:
    """The subobjects of an aggregate from ``items[k:]``: all of them where its list is braced, else (its braces
    elided) as many as it has places for, a designation ending it (it names a place of the list around). Returns
    where the rest starts."""
    pos, nested = 0, False
    while k < len(items):
        x = items[k]
        if isinstance(x, c_ast.NamedInitializer):
            if not braced:
                return k
            keys = list(x.name)
            pos = _pos_of(shape, keys[0], number)
            if len(keys) > 1:
                _designated(out, path, shape, keys, x.expr, number)
                pos, nested, k = pos + 1, True, k + 1
                continue
            x = x.expr
        elif nested:
            raise _NotRead("a positional initialiser after a nested designator")
        sub = _key_at(shape, pos)
        if sub is None:
            if braced:
                raise _NotRead("more initialisers than places")
            return k
        key, sub_shape = sub
        if sub_shape is not None and not isinstance(x, c_ast.InitList) and not isinstance(items[k],
                                                                                          c_ast.NamedInitializer):
            k = _fill(out, (*path, key), sub_shape, items, k, False, number)  # braces elided
        else:
            _set(out, (*path, key), sub_shape, x, number)
            k += 1
        pos += 1
        if not braced and _key_at(shape, pos) is None:
            return k
    return k


def _designated(out: dict[Path, c_ast.Node], path: Path, shape: tuple[object, ...], keys: list[c_ast.Node],
                x: c_ast.Node, number: Number) -> None:
    """``[0].call = f``: the place the designators name, from ``shape`` down, given ``x``."""
    here: Shape = shape
    for key in keys:
        if here is None:
            raise _NotRead("a designator into a scalar")
        sub = _key_at(here, _pos_of(here, key, number))
        if sub is None:
            raise _NotRead("a designator past the end")
        path, here = (*path, sub[0]), sub[1]
    if here is not None and not isinstance(x, c_ast.InitList):
        raise _NotRead("an aggregate given one expression")
    _set(out, path, here, x, number)


def flattened(decl: c_ast.Decl, structs: dict[str, c_ast.Struct], typedefs: dict[str, c_ast.Node], number: Number
              ) -> dict[Path, c_ast.Node] | None:
    """Each scalar a const table's initialiser sets, by path; None where the initialiser is not read here."""
    try:
        shape = shape_of(decl.type, structs, typedefs, number)
        if shape is None or not isinstance(decl.init, c_ast.InitList):
            return None
        out: dict[Path, c_ast.Node] = {}
        _fill(out, (), shape, decl.init.exprs, 0, True, number)
        return out
    except (_NotRead, RecursionError):
        return None
