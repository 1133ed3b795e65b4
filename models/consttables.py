"""A member read from a const table of file scope at a constant index, put as the entry's value (a function, a number).

For models.valueexprs: a refactor that calls through a table (``static const struct ops tbl[] = {{ .call =
__seamcall, .check = checked }};`` then ``tbl[0].check(tbl[0].call, fn)``, or ``ops->check(ops->call, fn)`` with
``const struct ops *ops = &tbl[0];``) computes what ``checked(__seamcall, fn)`` computes: C reads a const object's
initialiser and nothing else (C11 6.7.3p6: storing to it is undefined), so the entry is known wherever its index is a
constant. An index not constant, a table not const (code not read may store another function there), a local pointer
stored more than once or whose address is taken, a member the initialiser leaves out (zero) stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes, rebuilt, shape
from models.cparse import param_list
from models.fileconsts import constants
from models.fileenums import int_enumerators
from models.stores import written as _written
from models.tableinit import Path, flattened

# By program key: the const tables of its file scope (each program is a side of several comparisons).
_TABLES: dict[str, dict[str, c_ast.Decl]] = {}
_FLAT: dict[tuple[str, str], dict[Path, c_ast.Node] | None] = {}
_OBJECTS: dict[str, frozenset[str]] = {}


def _is_const(d: c_ast.Decl) -> bool:
    """A declaration of a const object (``static const struct ops tbl[]``; an array of const pointers, ``(*const
    t[2])(...)``), not volatile (C11 6.7.3p7: its value may change in ways the code does not show)."""
    quals = set(d.quals or ())
    kind = d.type.type if isinstance(d.type, c_ast.ArrayDecl) else d.type
    if isinstance(kind, c_ast.PtrDecl):
        quals |= set(kind.quals or ())
    return "const" in quals and "volatile" not in quals


def _tables(p: Program) -> dict[str, c_ast.Decl]:
    found = _TABLES.get(p.key)
    if found is None:
        if len(_TABLES) > 256:
            _TABLES.clear()
            _FLAT.clear()
        found = _TABLES[p.key] = {d.name: d for d in p.ast.ext if isinstance(d, c_ast.Decl) and d.name and
                                  isinstance(d.init, c_ast.InitList) and _is_const(d)}
    return found


def _flat(p: Program, table: str) -> dict[Path, c_ast.Node] | None:
    """What the const table's initialiser sets, by path (models.tableinit): its struct and typedef names read in the
    program's file scope."""
    key = (p.key, table)
    if key not in _FLAT:
        structs = {n.name: n for n in nodes(p.ast) if isinstance(n, c_ast.Struct) and n.name and n.decls}
        typedefs = {t.name: t.type for t in p.ast.ext if isinstance(t, c_ast.Typedef)}
        enums = int_enumerators(p.ast)  # a designator or size by enumerator, [OP_HI] = { ... } (C11 6.6p6)
        _FLAT[key] = flattened(_tables(p)[table], structs, typedefs, lambda n: _number(n, enums))
    return _FLAT[key]


def _number(n: c_ast.Node | None, enums: Mapping[str, int] | None = None) -> int | None:
    """A constant integer index: a literal, a cast of one (a const scalar or an enumerator put as its value), + - *,
    and an enumerator of ``enums``."""
    if isinstance(n, c_ast.ID) and enums is not None:
        return enums.get(n.name)
    if isinstance(n, c_ast.Cast):
        return _number(n.expr, enums)
    if isinstance(n, c_ast.Constant) and n.type in ("int", "unsigned int", "long int", "unsigned long int",
                                                     "long long int", "unsigned long long int"):
        try:
            return int(n.value.rstrip("uUlL"), 0)
        except ValueError:
            return None
    if isinstance(n, c_ast.BinaryOp) and n.op in ("+", "-", "*"):
        a, b = _number(n.left, enums), _number(n.right, enums)
        return None if a is None or b is None else {"+": a + b, "-": a - b, "*": a * b}[n.op]
    return None


def _element(p: Program, fname: str, table: str, index: c_ast.Node, field: tuple[str, ...] = ()) -> c_ast.Node | None:
    """``table[index]`` (or its member ``field``, a path of members: ``.inner.check``): what the initialiser sets
    there, where ``table`` is a const array of file scope and the index a constant; None where it sets nothing
    (zero) or is not read."""
    decl = _tables(p).get(table)
    at = _number(constants(p, fname, index))
    if decl is None or not isinstance(decl.type, c_ast.ArrayDecl) or at is None or at < 0:
        return None
    flat = _flat(p, table)
    return None if flat is None else flat.get((at, *field))


def flat_table(p: Program, fname: str, table: str, index: int, field: tuple[str, ...]) -> str | None:
    """The name of the function (or object) ``table[index].field`` holds, an entry ``&f`` as ``f``; None for none."""
    value = _element(p, fname, table, c_ast.Constant("int", str(index)), field)
    value = _designator(value, _objects(p), set()) if value is not None else None
    return value.name if isinstance(value, c_ast.ID) else None


def _objects(p: Program) -> frozenset[str]:
    """The objects of the program's file scope (variables, tables): ``&x`` of one is no ``x``. Any other name an entry
    holds is a function (its prototype may be sliced away): ``*f`` and ``&f`` of one are ``f`` (C11 6.5.3.2p4,
    6.3.2.1p4: a function designator converted to a pointer and back)."""
    found = _OBJECTS.get(p.key)
    if found is None:
        if len(_OBJECTS) > 256:
            _OBJECTS.clear()
        found = _OBJECTS[p.key] = frozenset(d.name for d in p.ast.ext if isinstance(d, c_ast.Decl) and d.name and
                                            not isinstance(d.type, c_ast.FuncDecl))
    return found


def _designator(value: c_ast.Node, objects: frozenset[str], hidden: set[str]) -> c_ast.Node:
    """``&f`` or ``*f`` of a function no local hides, as ``f``; ``value`` otherwise."""
    if isinstance(value, c_ast.UnaryOp) and value.op in ("&", "*") and isinstance(value.expr, c_ast.ID) and \
            value.expr.name not in objects and value.expr.name not in hidden:
        return value.expr
    return value


def _place(n: c_ast.Node, p: Program | None = None, fname: str = "") -> tuple[str, c_ast.Node] | None:
    """The table and index a pointer expression points at: ``&t[k]``, ``t`` (t[0]), ``t + k``, and (given the program)
    ``pt[k]`` of a const table of such pointers (``static const struct ops *const pt[] = { &tbl[1] };``)."""
    if p is not None and isinstance(n, c_ast.ArrayRef) and isinstance(n.name, c_ast.ID) and n.name.name in _tables(p):
        held = _element(p, fname, n.name.name, n.subscript)
        return _place(held) if held is not None and not isinstance(held, c_ast.ArrayRef) else None
    if isinstance(n, c_ast.UnaryOp) and n.op == "&" and isinstance(n.expr, c_ast.ArrayRef) and \
            isinstance(n.expr.name, c_ast.ID):
        return n.expr.name.name, n.expr.subscript
    if isinstance(n, c_ast.ID):
        return n.name, c_ast.Constant("int", "0")
    if isinstance(n, c_ast.BinaryOp) and n.op == "+" and isinstance(n.left, c_ast.ID):
        return n.left.name, n.right
    return None


def pointing(p: Program, func: c_ast.FuncDef) -> dict[str, c_ast.Node]:
    """The locals of ``func`` stored once (at their declaration or by one ``=``), their address never taken, with a
    pointer into a const table of file scope (``const struct ops *ops = &tbl[0];``): the value each holds."""
    tables, own = _tables(p), set(param_list(func))
    out: dict[str, c_ast.Node] = {}
    for name, stores in _written(func).items():
        place = _place(stores[0], p, func.decl.name) if len(stores) == 1 and stores[0] is not None and \
            name not in own else None
        if place is not None and place[0] in tables and place[0] not in own:
            out[name] = c_ast.UnaryOp("&", c_ast.ArrayRef(c_ast.ID(place[0]), place[1]))
    return out


def tabled(p: Program, func: c_ast.FuncDef, n: c_ast.Node) -> c_ast.Node:
    """A copy of ``n`` with each member read of a const table's element at a constant index (``t[k].m``, ``(&t[k])->m``,
    ``t->m``, ``p->m`` of a local of ``pointing``) put as that member's initialiser, where it is a name of file scope
    no local or parameter of ``func`` hides (a function) or a constant; ``n`` itself where it reads none."""
    tables = _tables(p)
    if not tables:
        return n
    if not any(isinstance(x, c_ast.StructRef | c_ast.ArrayRef) for x in nodes(n)):
        return n
    held = pointing(p, func)
    hidden = set(param_list(func)) | {d.name for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name}
    out = _rewrite(p, func.decl.name, n, held, hidden)
    return n if shape(out) == shape(n) else out


def _rewrite(p: Program, fname: str, n: c_ast.Node, held: dict[str, c_ast.Node], hidden: set[str]) -> c_ast.Node:
    out = rebuilt(n, lambda x: _rewrite(p, fname, x, held, hidden))
    if isinstance(n, c_ast.UnaryOp) and n.op == "*" and not isinstance(n.expr, c_ast.ID) and \
            isinstance(out, c_ast.UnaryOp):  # (*t[k].m)(...): the entry read, then the function it points at
        return _designator(out, _objects(p), hidden)
    if isinstance(out, c_ast.ArrayRef) and isinstance(out.name, c_ast.ID) and out.name.name not in hidden and \
            out.name.name in _tables(p):  # an array of functions or numbers: fp_table[1]
        return _put(p, _element(p, fname, out.name.name, out.subscript), out, hidden)
    chain = _members(out)
    if chain is None:
        return out
    base, fields, arrow = chain
    if arrow:
        place = _place(held.get(base.name, base) if isinstance(base, c_ast.ID) else base, p, fname)
    else:
        place = (base.name.name, base.subscript) if isinstance(base, c_ast.ArrayRef) and \
            isinstance(base.name, c_ast.ID) else None
    if place is None or place[0] not in _tables(p) or place[0] in hidden:
        return out
    return _put(p, _element(p, fname, *place, fields), out, hidden)


def _members(n: c_ast.Node) -> tuple[c_ast.Node, tuple[str, ...], bool] | None:
    """A member read down to what it reads from: ``t[k].inner.m`` as (t[k], (inner, m), False), ``o->inner.m`` as
    (o, (inner, m), True); None for no member read."""
    fields: list[str] = []
    while isinstance(n, c_ast.StructRef) and isinstance(n.field, c_ast.ID):
        fields.insert(0, n.field.name)
        if n.type == "->":
            return n.name, tuple(fields), True
        n = n.name
    return (n, tuple(fields), False) if fields else None


def _put(p: Program, value: c_ast.Node | None, read: c_ast.Node, hidden: set[str]) -> c_ast.Node:
    """The entry's value where the read is (its line), when it is a constant or a name of file scope no local or
    parameter hides (a function, written ``f`` or ``&f``); the read itself otherwise."""
    if value is not None:
        value = _designator(value, _objects(p), hidden)
    if isinstance(value, c_ast.Constant):
        return c_ast.Constant(value.type, value.value, read.coord)
    if isinstance(value, c_ast.ID) and value.name not in hidden:
        return c_ast.ID(value.name, read.coord)
    return read


def calls_compared(x: c_ast.Node, y: c_ast.Node, compared: list[tuple[str, str]]) -> bool:
    """Whether the functions two values call are, one for one, the same or a pair whose bodies are compared."""
    cx, cy = ([n.name.name for n in nodes(v) if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID)]
              for v in (x, y))
    return len(cx) == len(cy) and all(a == b or (a, b) in compared for a, b in zip(cx, cy, strict=True))


def tabled_calls(p: Program, func: c_ast.FuncDef) -> set[str]:
    """The functions ``func`` calls through a const table's entry at a constant index (``tbl[1].check(...)``)."""
    callees = [tabled(p, func, n.name) for n in nodes(func.body) if isinstance(n, c_ast.FuncCall)
               and not isinstance(n.name, c_ast.ID)]
    return {c.name for c in callees if isinstance(c, c_ast.ID)}
