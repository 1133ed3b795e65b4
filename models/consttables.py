"""A member read from a const table of file scope at a constant index, put as the entry's value (a function, a number).

For models.valueexprs: a refactor that calls through a table (``static const struct ops tbl[] = {{ .call =
__seamcall, .check = checked }};`` then ``tbl[0].check(tbl[0].call, fn)``, or ``ops->check(ops->call, fn)`` with
``const struct ops *ops = &tbl[0];``) computes what ``checked(__seamcall, fn)`` computes: C reads a const object's
initialiser and nothing else (C11 6.7.3p6: storing to it is undefined), so the entry is known wherever its index is a
constant. An index not constant, a table not const (code not read may store another function there), a local pointer
stored more than once or whose address is taken, a member the initialiser leaves out (zero) stay as they are.
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes, rebuilt, shape
from models.cparse import param_list
from models.decided import _written
from models.fileconsts import constants

# By program key: the const tables of its file scope (each program is a side of several comparisons).
_TABLES: dict[str, dict[str, c_ast.Decl]] = {}
_STRUCTS: dict[str, dict[str, list[str]]] = {}


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
            _STRUCTS.clear()
        found = _TABLES[p.key] = {d.name: d for d in p.ast.ext if isinstance(d, c_ast.Decl) and d.name and
                                  isinstance(d.init, c_ast.InitList) and _is_const(d)}
        _STRUCTS[p.key] = {n.name: [f.name for f in n.decls] for n in nodes(p.ast)
                           if isinstance(n, c_ast.Struct) and n.name and n.decls}
    return found


def _number(n: c_ast.Node | None) -> int | None:
    """A constant integer index: a literal, a cast of one (a const scalar or an enumerator put as its value), + - *."""
    if isinstance(n, c_ast.Cast):
        return _number(n.expr)
    if isinstance(n, c_ast.Constant) and n.type in ("int", "unsigned int", "long int", "unsigned long int",
                                                     "long long int", "unsigned long long int"):
        try:
            return int(n.value.rstrip("uUlL"), 0)
        except ValueError:
            return None
    if isinstance(n, c_ast.BinaryOp) and n.op in ("+", "-", "*"):
        a, b = _number(n.left), _number(n.right)
        return None if a is None or b is None else {"+": a + b, "-": a - b, "*": a * b}[n.op]
    return None


def _entry(init: c_ast.InitList, want: int, fields: list[str] | None) -> c_ast.Node | None:
    """The initialiser of element ``want`` (an array's index, or a struct's member by its place in ``fields``), as
    C11 6.7.9p17-19 places positional and designated ones (a designator moves the place; the last one given wins);
    None where none is (the element is zero) or a designator is not read here (nested: ``.a.b``, ``[0].call``)."""
    found, place = None, 0
    for x in init.exprs:
        if isinstance(x, c_ast.NamedInitializer):
            key = x.name[0] if len(x.name) == 1 else None
            if isinstance(key, c_ast.ArrayDesignator):  # [k] = : a Constant, or (newer pycparser) this holding it
                key = key.expr
            at = fields.index(key.name) if isinstance(key, c_ast.ID) and fields and key.name in fields else \
                _number(key) if key is not None and not isinstance(key, c_ast.ID) else None
            if at is None:
                return None
            place, x = at, x.expr
        if place == want:
            found = x
        place += 1
    return found


def _element(p: Program, fname: str, table: str, index: c_ast.Node) -> c_ast.Node | None:
    """``table[index]``'s initialiser, where ``table`` is a const array of file scope and the index a constant."""
    decl = _tables(p).get(table)
    at = _number(constants(p, fname, index))
    if decl is None or not isinstance(decl.type, c_ast.ArrayDecl) or at is None or at < 0:
        return None
    return _entry(decl.init, at, None)


def _member(p: Program, element: c_ast.Node | None, table: str, field: str) -> c_ast.Node | None:
    """Member ``field`` of a const table's element (an initialiser list of its struct type)."""
    if not isinstance(element, c_ast.InitList):
        return None
    kind = _tables(p)[table].type
    kind = kind.type if isinstance(kind, c_ast.ArrayDecl) else kind
    struct = kind.type if isinstance(kind, c_ast.TypeDecl) else None
    fields = _STRUCTS[p.key].get(struct.name) if isinstance(struct, c_ast.Struct) and struct.name else None
    return _entry(element, fields.index(field), fields) if fields and field in fields else None


def _place(n: c_ast.Node) -> tuple[str, c_ast.Node] | None:
    """The table and index a pointer expression points at: ``&t[k]``, ``t`` (t[0]), ``t + k``."""
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
        place = _place(stores[0]) if len(stores) == 1 and stores[0] is not None and name not in own else None
        if place is not None and place[0] in tables and place[0] not in own:
            out[name] = stores[0]
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
    if isinstance(out, c_ast.ArrayRef) and isinstance(out.name, c_ast.ID) and out.name.name not in hidden and \
            out.name.name in _tables(p):  # an array of functions or numbers: fp_table[1]
        return _put(_element(p, fname, out.name.name, out.subscript), out, hidden)
    if not isinstance(out, c_ast.StructRef) or not isinstance(out.field, c_ast.ID):
        return out
    base = out.name
    if out.type == "->":
        place = _place(held.get(base.name, base) if isinstance(base, c_ast.ID) else base)
    else:
        place = (base.name.name, base.subscript) if isinstance(base, c_ast.ArrayRef) and \
            isinstance(base.name, c_ast.ID) else None
    if place is None or place[0] not in _tables(p) or place[0] in hidden:
        return out
    return _put(_member(p, _element(p, fname, *place), place[0], out.field.name), out, hidden)


def _put(value: c_ast.Node | None, read: c_ast.Node, hidden: set[str]) -> c_ast.Node:
    """The entry's value where the read is (its line), when it is a constant or a name of file scope no local or
    parameter hides (a function); the read itself otherwise."""
    if isinstance(value, c_ast.Constant):
        return c_ast.Constant(value.type, value.value, read.coord)
    if isinstance(value, c_ast.ID) and value.name not in hidden:
        return c_ast.ID(value.name, read.coord)
    return read
