"""The functions of a program a call through a pointer may enter: those named as values, in a body or an initializer."""

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes
from models.nodecopy import origin


def initialisers(program: Program) -> set[str]:
    """Functions a file-scope variable's initializer names (``static sc_func_t op = f;``, ``.log = f`` of a struct
    table): a call through the variable may enter them."""
    inits = [n.init for n in program.ast.ext if isinstance(n, c_ast.Decl) and n.init is not None]
    return {n.name for init in inits for n in all_nodes(init)
            if isinstance(n, c_ast.ID) and n.name in program.functions}


def file_variables(program: Program) -> frozenset[str]:
    """The names of the file-scope variables (a function pointer among them), not of functions declared."""
    return frozenset(e.name for e in program.ast.ext if isinstance(e, c_ast.Decl) and e.name
                     and not isinstance(e.type, c_ast.FuncDecl))


_NAMED: list[tuple[Program, frozenset[str]]] = []  # the last program's: code_facts asks here and in models.leafbits


def _named_as_values(program: Program) -> frozenset[str]:
    """Functions of the program that some function names other than by calling it (a pointer handed on)."""
    kept = next(iter(_NAMED), None)  # one read: another thread may replace it
    if kept is not None and kept[0] is program:
        return kept[1]
    found = frozenset(_named(program))
    _NAMED[:] = [(program, found)]
    return found


def _named(program: Program) -> set[str]:
    functions = program.functions
    return {name for func in functions.values() for name in _values_named(origin(func.body)) if name in functions} \
        | initialisers(program)


@lru_cache(maxsize=4096)
def _values_named(body: c_ast.Node) -> frozenset[str]:
    """Every name a function body uses other than as the name a call calls: read once per body, which every program
    holding the definition shares, where each program's functions were walked again."""
    found: set[str] = set()
    todo: list[c_ast.Node] = [body]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.FuncCall):
            todo.extend([n.args] if n.args is not None else [])
            if not isinstance(n.name, c_ast.ID):
                todo.append(n.name)
            continue
        if isinstance(n, c_ast.ID):
            found.add(n.name)
        todo.extend(n)
    return frozenset(found)
