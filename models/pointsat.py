"""What a pointer may point at: the file-scope objects the stores and initialisers of a program set it to address.

A value stored where a pointer points (``*sc_dst = vaf;``, ``*sc_pp = &vaf;``) is stored into the object it points at,
which a print may read by that object's own name (``pr_err("%pV", &sc_keep)``). The analysis is by name and
flow-insensitive: a variable may point at every variable some store or initialiser of it names (``p = &x``, ``p = q``,
``static T **pp = &keep;``, ``{ &a, &b }``), and at what those point at in turn; a value read from a call (what a
helper returns is not followed) may be anything (UNKNOWN). It errs towards more objects.
"""

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes, param_decls, param_list
from models.pointees import file_variables
from models.pointertypes import file_typedef

UNKNOWN = "?"  # among a variable's targets: set from a value the reader does not follow (a call's); may be anything


def stored_base(node: c_ast.Node) -> tuple[str | None, bool]:
    """The variable an lvalue stores into, and whether through a pointer (``*p``, ``p->f``, ``p[i]``)."""
    through = False
    while True:
        if isinstance(node, c_ast.ID):
            return node.name, through
        if isinstance(node, c_ast.StructRef):
            through = through or node.type == "->"
            node = node.name
        elif isinstance(node, c_ast.ArrayRef):
            through = True
            node = node.name
        elif isinstance(node, c_ast.UnaryOp) and node.op in ("*", "&"):
            through = through or node.op == "*"
            node = node.expr
        elif isinstance(node, c_ast.Cast):
            node = node.expr
        else:
            return None, through


def _named(value: c_ast.Node) -> frozenset[str]:
    """The variables a stored value names (not a call's callee), UNKNOWN among them where it reads a call's value."""
    found: set[str] = set()
    todo = [value]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.FuncCall):
            found.add(UNKNOWN)
            todo.extend([n.args] if n.args is not None else [])
            continue
        if isinstance(n, c_ast.StructRef):
            todo.append(n.name)  # the member's name is no variable
            continue
        if isinstance(n, c_ast.ID):
            found.add(n.name)
        todo.extend(n)
    return frozenset(found)


@lru_cache(maxsize=4096)
def address_stores(node: c_ast.Node) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each initialiser and ``=`` in ``node`` (a body, or a file-scope declaration) with the variable it stores into
    (or into a member or element of) and the variables its value names (_named): ``p = &x;`` gives ``("p", {"x"})``.
    Read once per node, which every program holding the definition shares."""
    found: list[tuple[str, frozenset[str]]] = []
    for n in all_nodes(node):
        if isinstance(n, c_ast.Decl) and n.name and n.init is not None:
            found.append((n.name, _named(n.init)))
        elif isinstance(n, c_ast.Assignment) and n.op == "=" and (name := stored_base(n.lvalue)[0]) is not None:
            found.append((name, _named(n.rvalue)))
    return tuple(found)


def _closed(edges: dict[str, set[str]], keep: frozenset[str]) -> dict[str, frozenset[str]]:
    """Per name of ``edges``, the names of ``keep`` (and UNKNOWN) it reaches through one edge or more."""
    out: dict[str, frozenset[str]] = {}
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(edges.get(n, ()))
        out[start] = frozenset(n for n in seen if n in keep or n == UNKNOWN)
    return out


@lru_cache(maxsize=4096)
def local_names(func: c_ast.FuncDef) -> frozenset[str]:
    """A definition's parameters and every variable its body declares."""
    return frozenset(p for p in param_list(func) if p) | frozenset(
        n.name for n in all_nodes(func.body) if isinstance(n, c_ast.Decl) and n.name)


def pointees(program: Program, func: c_ast.FuncDef, name: str) -> tuple[frozenset[str], bool]:
    """The file-scope variables ``name`` (as ``func`` reads it: its local, else the file's) may point at, UNKNOWN
    among them where not known; and whether that read stores outside ``func`` (a file-scope pointer's initialiser,
    another function's store): an answer kept for ``func`` alone holds only where it did not. A parameter no
    store of ``func`` sets points at what its callers hand it, which this does not follow (none). A local whose
    pointer whose address ``func`` takes (``sc_aim(&p);``, ``q = &p;``) may be set through it by any store: UNKNOWN
    among them (a ``va_list`` handed to ``va_start()`` is none: its type is no pointer the files declare)."""
    own = local_names(func)
    files = file_targets(program)
    if name not in own:
        return files.get(name, frozenset()), True
    edges: dict[str, set[str]] = {}
    for stored, named in address_stores(func.body):
        if stored in own:
            edges.setdefault(stored, set()).update(named)
    if name in addressed(func) and _pointer(program, func, name):
        edges.setdefault(name, set()).add(UNKNOWN)
    if name not in edges:
        return frozenset(), False
    for other in [n for targets in edges.values() for n in targets if n not in own]:
        edges.setdefault(other, set()).update(files.get(other, ()))
    found = _closed(edges, file_variables(program) - own)[name]
    return found, bool(found - {UNKNOWN})  # what a file-scope variable points at is read outside


@lru_cache(maxsize=4096)
def addressed(func: c_ast.FuncDef) -> frozenset[str]:
    """The variables whose own address (``&p``, ``&s.m``; not ``&p->m``, an object ``p`` points at) a definition's
    body takes: a store through that address may set them (C17 6.5.3.2)."""
    bases = [stored_base(n.expr) for n in all_nodes(func.body) if isinstance(n, c_ast.UnaryOp) and n.op == "&"]
    return frozenset(name for name, through in bases if name is not None and not through)


def _pointer(program: Program, func: c_ast.FuncDef, name: str) -> bool:
    """Whether ``func`` declares ``name`` (a parameter, a local of any block) a pointer: written ``*``, or a typedef
    of the files standing for one (models.pointertypes.file_typedef; the prelude's builtin types are none)."""
    typedef = file_typedef(program, func)
    for decl in [*param_decls(func), *(n for n in all_nodes(func.body) if isinstance(n, c_ast.Decl))]:
        t: c_ast.Node | None = decl.type if decl.name == name else None
        for _ in range(8):  # a typedef of a typedef, as deep as models.pointertypes resolves
            if isinstance(t, c_ast.PtrDecl):
                return True
            names = t.type.names if isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType) \
                else []
            t = typedef(names[0]) if len(names) == 1 else None
    return False


_FILE: list[tuple[Program, dict[str, frozenset[str]]]] = []  # the last program's


def file_targets(program: Program) -> dict[str, frozenset[str]]:
    """Per file-scope variable some initialiser or store of the program sets, the file-scope variables it may point
    at, UNKNOWN among them where not known (a store through a local set from a call)."""
    kept = next(iter(_FILE), None)  # one read: another thread may replace it
    if kept is not None and kept[0] is program:
        return kept[1]
    variables = file_variables(program)
    edges: dict[str, set[str]] = {}
    for decl in program.ast.ext:
        if isinstance(decl, c_ast.Decl) and decl.name in variables and decl.init is not None:
            edges.setdefault(decl.name, set()).update(*(named for _, named in address_stores(decl)))
    for func in program.functions.values():
        own = local_names(func)
        stores = address_stores(func.body)
        locals_: dict[str, set[str]] = {}
        for name, named in stores:
            if name in own:
                locals_.setdefault(name, set()).update(named)
        for name, named in stores:
            if name in variables and name not in own:
                edges.setdefault(name, set()).update(_outside(named, locals_, own))
    found = _closed(edges, variables)
    _FILE[:] = [(program, found)]
    return found


def _outside(named: frozenset[str], locals_: dict[str, set[str]], own: frozenset[str]) -> set[str]:
    """The names not of ``own`` that ``named`` holds or reaches through the stores of ``own``'s locals, any number of
    them (``a = &keep; b = a; dst = b;`` gives keep; ``c = give(); dst = c;`` UNKNOWN)."""
    out: set[str] = set()
    seen: set[str] = set()
    todo = list(named)
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in own:
            todo.extend(locals_.get(n, ()))
        else:
            out.add(n)
    return out


def pointing_at(program: Program, names: set[str] | frozenset[str]) -> frozenset[str]:
    """The file-scope variables that may point at one of ``names`` (file_targets), or at anything: a read through
    one (``pr_err("%pV", *sc_pp)`` with ``sc_pp = &sc_keep``) reads it."""
    return frozenset(p for p, targets in file_targets(program).items() if UNKNOWN in targets or targets & names)
