"""A function or variable several .c files define: every copy but the first gets a name of its own (cload)."""

from __future__ import annotations

import copy

from pycparser import c_ast

from models.closure import local_functions
from models.native.records import COPY_SUFFIX  # the name a file's own copy gets: the C's name, this, a number
from models.slicer import Definition, Kind


def own_copies(ext: list[c_ast.Node], used: list[Definition]) -> dict[str, str]:
    """Give every copy but the first of a function or variable several .c files define (models.loader.
    local_functions: the closure holds the copy each file's code uses) a name of its own, in that copy and in the
    code of its file (``ext`` is changed in place; parsed nodes are shared through the parse cache, so changed
    ones are copied). Program name -> the name in the C."""
    objects: dict[str, list[Definition]] = {}
    for d in used:
        if d.kind in (Kind.FUNCTION, Kind.VARIABLE):
            objects.setdefault(d.name, []).append(d)
    renames: dict[str, dict[str, str]] = {}
    labels: dict[str, str] = {}
    for name in local_functions(objects):
        for k, d in enumerate(objects[name][1:], 1):
            renames.setdefault(d.path, {})[name] = new = f"{name}{COPY_SUFFIX}{k}"
            # Shown as the C names it: which copy is first depends on what else is loaded, so a name with its
            # file would differ between variants whose runs are the same.
            labels[new] = name
    for i, node in enumerate(ext):
        names = renames.get(getattr(node.coord, "file", ""), {})
        if names:
            ext[i] = _renamed(copy.deepcopy(node), names)
    return labels


def _renamed(node: c_ast.Node, names: dict[str, str]) -> c_ast.Node:
    """``node`` with each ordinary identifier in ``names`` renamed (struct members, designators and labels are
    other name spaces, C11 6.2.3, and stay)."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.ID | c_ast.Decl | c_ast.TypeDecl) and getattr(n, "name", None) in names:
            n.name = names[n.name]
        if isinstance(n, c_ast.TypeDecl) and n.declname in names:
            n.declname = names[n.declname]
        if isinstance(n, c_ast.StructRef):
            todo.append(n.name)
        elif isinstance(n, c_ast.NamedInitializer):
            todo.append(n.expr)
        elif not isinstance(n, c_ast.Struct | c_ast.Union):
            todo.extend(n)
    return node
