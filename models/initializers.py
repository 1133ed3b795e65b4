"""Initializers: a declaration's value from its initializer list, with designators (C11 6.7.9).

For structs, unions and arrays.
"""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models import unions
from models.cparse import RANGE_OP
from models.ctype import Array, CType, Int, Struct
from models.elision import StructValued, elided, member
from models.errors import UnsupportedConstruct
from models.hooks import CompilerHooks
from models.machine import StructObj
from models.values import (
    Fn,
    Frame,
    Scope,
    check_pointer_types,
    convert,
    copy_value,
    new_value,
)


def initializer(c: CompilerHooks, init: c_ast.Node | None, t: CType, scope: Scope, zero: bool) -> Fn:
    where = c.where(init.coord) if init is not None else ""
    if init is None:
        return lambda f: new_value(t, zero)
    if isinstance(t, Array) and isinstance(init, c_ast.Constant) and init.type == "string" \
            and isinstance(t.elem, Int) and t.elem.bits == 8:
        # char s[] = "..." (C11 6.7.9p14): its bytes and the NUL
        data = c.types.strings.bytes_of(init.value, where) + b"\0"
        n = t.length if t.length is not None else len(data)
        chars = [t.elem.wrap(b) for b in data[:n]] + [0] * (n - len(data))
        return lambda f: list(chars)
    if isinstance(init, c_ast.InitList):
        if isinstance(t, Struct):
            return _struct_init(c, init, t, scope)
        if isinstance(t, Array):
            return _array_init(c, init, t, scope)
        if len(init.exprs) == 1:
            return initializer(c, init.exprs[0], t, scope, zero)
        raise UnsupportedConstruct(_init_where(c, init), f"initializer list for {t}")
    fn, st = c.expr(init, scope)
    if isinstance(t, Struct):
        return lambda f: copy_value(fn(f))
    check_pointer_types(st, t, where, "initialization")
    return convert(fn, st, t, where)


def _init_where(c: CompilerHooks, init: c_ast.InitList) -> str:
    """Where an initializer list is: pycparser gives the list no place of its own, so its first element's."""
    for e in init.exprs:
        coord = e.coord or (e.expr.coord if isinstance(e, c_ast.NamedInitializer) else None)
        if coord is not None:
            return c.where(coord)
    return c.where(init.coord)


def _designator(c: CompilerHooks, e: c_ast.NamedInitializer, where: str) -> c_ast.Node:
    """The one designator of ``.field = x`` or ``[index] = x``; nested ones (``.a.b``, ``[1].x``) are refused."""
    if len(e.name) != 1:
        raise UnsupportedConstruct(where, "a nested designator (.a.b = or [i].x =) is not modelled")
    return e.name[0]


def _struct_valued(c: CompilerHooks, scope: Scope) -> StructValued:
    return lambda e: isinstance(c.type_of(e, scope), Struct)


def _array_init(c: CompilerHooks, init: c_ast.InitList, t: Array, scope: Scope) -> Fn:
    """{a, b, [5] = c, d}: positional elements from 0, a designator moving the position (C11 6.7.9p17); an
    aggregate element without its braces takes the initializers it needs (models.elision)."""
    where = _init_where(c, init)
    init = _grouped_elements(c, init, scope)
    fns: list[Fn] = []
    slots: dict[int, int] = {}  # element -> its initializer in fns (one for every element of a range)
    pos, i = 0, 0
    while i < len(init.exprs):
        e = init.exprs[i]
        i += 1
        last = pos
        if isinstance(e, c_ast.NamedInitializer):
            index = _designator(c, e, where)
            if not isinstance(index, c_ast.ArrayDesignator):
                raise UnsupportedConstruct(where, "a field designator in an array initializer")
            pos, last = _index_range(c, index.expr, scope)
            e = e.expr
        if elided(t.elem, e, _struct_valued(c, scope)):
            e, i = member(t.elem, e, init.exprs, i, _struct_valued(c, scope), where)
        for p in (pos, last):
            if p < 0 or (t.length is not None and p >= t.length):
                raise UnsupportedConstruct(where, f"array initializer element {p} is outside {t}")
        if last < pos:  # gcc: "empty index range in initializer"
            raise UnsupportedConstruct(where, f"the empty index range [{pos} ... {last}] in an array initializer")
        fns.append(initializer(c, e, t.elem, scope, True))
        slots.update(dict.fromkeys(range(pos, last + 1), len(fns) - 1))
        pos = last + 1
    n = t.length if t.length is not None else max(slots, default=-1) + 1
    return lambda f: _elements(f, fns, slots, n, t.elem)


def _grouped_elements(c: CompilerHooks, init: c_ast.InitList, scope: Scope) -> c_ast.InitList:
    """An array's initializer with each designator that reaches inside an element, ``[1][2] = x`` or ``[0].regs[1]
    = x``, as a braced initializer of that element where its first such designator stands (``[1] = { [2] = x }``,
    C11 6.7.9p19: each sets only its own subobject), as _grouped_designators does for a struct's members. Refused: a
    positional initializer after one (it would go on inside the element, 6.7.9p17), a range of elements (``[0 ... 2]
    .x``), and one into an element initialized whole (either way round)."""
    exprs: list[c_ast.Node] = []
    inner: dict[int, c_ast.InitList] = {}
    whole: set[int] = set()
    where = _init_where(c, init)
    for e in init.exprs:
        index = e.name[0] if isinstance(e, c_ast.NamedInitializer) and e.name else None
        if not isinstance(index, c_ast.ArrayDesignator) or len(e.name) == 1:
            if inner and not isinstance(e, c_ast.NamedInitializer):
                raise UnsupportedConstruct(where, "a positional initializer after a designator inside an element")
            if isinstance(index, c_ast.ArrayDesignator):
                first, last = _index_range(c, index.expr, scope)
                if any(k in inner for k in range(first, last + 1)):
                    raise UnsupportedConstruct(where, f"element {first} initialized whole after a designator inside "
                                                      "it")
                whole.update(range(first, last + 1))
            exprs.append(e)
            continue
        if isinstance(index.expr, c_ast.BinaryOp) and index.expr.op == RANGE_OP:
            raise UnsupportedConstruct(where, "a range of elements with a designator inside them ([a ... b].x =)")
        k = _index_range(c, index.expr, scope)[0]
        if k in whole:
            raise UnsupportedConstruct(where, f"a designator inside element {k}, which is initialized whole before")
        if k not in inner:
            inner[k] = c_ast.InitList([], e.coord)
            exprs.append(c_ast.NamedInitializer([index], inner[k], e.coord))
        inner[k].exprs.append(c_ast.NamedInitializer(e.name[1:], e.expr, e.coord))
    return c_ast.InitList(exprs, init.coord) if inner else init


def _index_range(c: CompilerHooks, index: c_ast.Node, scope: Scope) -> tuple[int, int]:
    """The first and last element ``[i]`` or GNU C's ``[first ... last]`` designates."""
    if isinstance(index, c_ast.BinaryOp) and index.op == RANGE_OP:
        return c.const(index.left, scope)[0], c.const(index.right, scope)[0]
    at = c.const(index, scope)[0]
    return at, at


def _elements(f: Any, fns: list[Fn], slots: dict[int, int], n: int, elem: CType) -> list[Any]:
    """An array's elements; the initializer of a range is evaluated once, its side effects too, and each element
    of the range is a copy of its value (gcc manual, "Designated Initializers")."""
    values: dict[int, Any] = {}
    out = []
    for k in range(n):
        slot = slots.get(k)
        if slot is None:
            out.append(new_value(elem, True))
        elif slot in values:
            out.append(copy_value(values[slot]))
        else:
            values[slot] = fns[slot](f)
            out.append(values[slot])
    return out


def _grouped_designators(c: CompilerHooks, init: c_ast.InitList, t: Struct) -> c_ast.InitList:
    """A struct's initializer with each designator that reaches inside a member, ``.id.leaf = fn`` or ``.leaf =
    fn`` for a member of an anonymous struct or union member (C11 6.7.2.1p13), as a braced initializer of that
    member where its first such designator stands (``.id = { .leaf = fn, .ver = 2 }``, C11 6.7.9p19: each sets
    only its own subobject). Refused: a positional initializer after one (it would go on inside the member,
    6.7.9p17), and one into a member initialized whole (it would keep the rest of that member's value)."""
    exprs: list[c_ast.Node] = []
    inner: dict[str, c_ast.InitList] = {}
    whole: set[str] = set()
    where = _init_where(c, init)
    for e in init.exprs:
        chain = _designators(e, t)
        if chain is None or len(chain) == 1:
            if chain is not None:
                whole.add(chain[0].name)
            if inner and not isinstance(e, c_ast.NamedInitializer):
                raise UnsupportedConstruct(where, "a positional initializer after a designator of a member's member")
            if chain is not None and chain[0].name in inner:
                raise UnsupportedConstruct(where, f"'{chain[0].name}' initialized whole after a designator inside it")
            exprs.append(e)
            continue
        top = chain[0].name
        if top in whole:
            raise UnsupportedConstruct(where, f"a designator inside '{top}', which is initialized whole before")
        if top not in inner:
            inner[top] = c_ast.InitList([], e.coord)
            exprs.append(c_ast.NamedInitializer([c_ast.ID(top, e.coord)], inner[top], e.coord))
        inner[top].exprs.append(c_ast.NamedInitializer(chain[1:], e.expr, e.coord))
    return c_ast.InitList(exprs, init.coord) if inner else init


def _designators(e: c_ast.Node, t: Struct) -> list[Any] | None:
    """A member designator's chain as it reaches its subobject, through anonymous members; None for another."""
    if not isinstance(e, c_ast.NamedInitializer) or not e.name or not isinstance(e.name[0], c_ast.ID):
        return None
    path = t.member_path(e.name[0].name)
    if path is None:
        return list(e.name)
    return [*(c_ast.ID(name, e.coord) for _, name, _ in path), *e.name[1:]]


def _struct_init(c: CompilerHooks, init: c_ast.InitList, t: Struct, scope: Scope) -> Fn:
    fields: list[tuple[str, Fn]] = []
    order = [n for n, _ in t.fields]
    init = _grouped_designators(c, init, t)
    pos, i = 0, 0
    while i < len(init.exprs):
        e = init.exprs[i]
        i += 1
        if isinstance(e, c_ast.NamedInitializer):
            field = _designator(c, e, _init_where(c, init))  # one left: _grouped_designators took the rest
            name = field.name if isinstance(field, c_ast.ID) else None
            pos = order.index(name) if name in order else -1
            e = e.expr
        if not 0 <= pos < len(order):
            raise UnsupportedConstruct(_init_where(c, init), f"initializer does not match {t}")
        ft = t.fields[pos][1]
        if elided(ft, e, _struct_valued(c, scope)):
            e, i = member(ft, e, init.exprs, i, _struct_valued(c, scope), _init_where(c, init))
        fields.append((order[pos], initializer(c, e, ft, scope, True)))
        pos += 1

    if t.union:
        return _union_init(t, fields, _init_where(c, init))

    def run(f: Frame) -> StructObj:
        obj = StructObj(t, {n: new_value(ft, True) for n, ft in t.fields})
        for name, value in fields:
            obj[name] = value(f)
        obj.adopt()
        return obj

    return run


def _union_init(t: Struct, fields: list[tuple[str, Fn]], where: str) -> Fn:
    """``{ .member = v }`` of a union: one member initialized (models.unions); ``{}`` zeroes it all."""
    if len(fields) > 1:
        # gcc keeps the last (with a warning); positional ones past the first are excess elements
        raise UnsupportedConstruct(where, f"an initializer of {t} with {len(fields)} members")
    if not fields:
        return lambda f: new_value(t, True)
    name, value = fields[0]
    ft = t.field(name)

    def run(f: Frame) -> StructObj:
        obj = new_value(t, True)
        return unions.initialized(obj, t, name, ft, value(f))

    return run
