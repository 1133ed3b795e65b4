"""The order C wants a generated translation unit's declarations in.

Each after what it uses, a tag in its last definition only (models.native.codegen writes them so).
"""

from __future__ import annotations

from pycparser import c_ast

from models.cparse import all_nodes


def _tag(ext: c_ast.Node) -> tuple[str, str] | None:
    """("struct", name) of a declaration that defines a struct, union or enum tag; None for anything else."""
    t = getattr(ext, "type", None) if isinstance(ext, c_ast.Decl) and ext.name is None else None
    if isinstance(t, c_ast.Struct | c_ast.Union) and t.name and t.decls is not None:
        return type(t).__name__, t.name
    if isinstance(t, c_ast.Enum) and t.name and t.values is not None:
        return "Enum", t.name
    return None


def _defines(ext: c_ast.Node) -> set[tuple[str, str]]:
    """What a top-level declaration defines: ("tag", name) of a struct, union or enum it completes, ("type",
    name) of a typedef, ("id", name) of a variable, function or enumerator."""
    out: set[tuple[str, str]] = set()
    if isinstance(ext, c_ast.Typedef):
        out.add(("type", ext.name))
    elif isinstance(ext, c_ast.Decl) and ext.name:
        out.add(("id", ext.name))
    for n in all_nodes(ext.type if isinstance(ext, c_ast.Decl | c_ast.Typedef) else ext):
        if isinstance(n, c_ast.Struct | c_ast.Union) and n.name and n.decls is not None:
            out.add(("tag", n.name))
        elif isinstance(n, c_ast.Enum) and n.values is not None:
            out.update(("id", v.name) for v in n.values.enumerators)
            if n.name:
                out.add(("tag", n.name))
    return out


def _uses(ext: c_ast.Node) -> set[tuple[str, str]]:
    """The tags, typedef names and identifiers a top-level declaration names."""
    out: set[tuple[str, str]] = set()
    for n in all_nodes(ext):
        if isinstance(n, c_ast.Struct | c_ast.Union | c_ast.Enum) and n.name:
            out.add(("tag", n.name))
        elif isinstance(n, c_ast.IdentifierType):
            out.update(("type", name) for name in n.names)
        elif isinstance(n, c_ast.ID):
            out.add(("id", n.name))
    return out


def in_dependency_order(exts: list[c_ast.Node]) -> list[c_ast.Node]:
    """The declarations in the mirror's order (the order it reached them), but each after those defining what it
    uses: C wants a struct, union or typedef complete before a member of its type (the mirror loads ``struct
    outer`` before the ``union ver`` it holds). A cycle (only pointers can make one) keeps the order it has."""
    owner: dict[tuple[str, str], int] = {}
    for i, ext in enumerate(exts):
        for key in _defines(ext):
            owner.setdefault(key, i)
    state: dict[int, bool] = {}  # False while its dependencies are being placed, True once placed
    out: list[c_ast.Node] = []
    for start in range(len(exts)):
        stack = [(start, False)]
        while stack:
            i, ready = stack.pop()
            if ready:
                state[i] = True
                out.append(exts[i])
                continue
            if i in state:
                continue
            state[i] = False
            stack.append((i, True))
            deps = sorted({owner[k] for k in _uses(exts[i]) - _defines(exts[i]) if k in owner} - {i}, reverse=True)
            stack.extend((d, False) for d in deps if d not in state)
    return out


def last_definitions(exts: list[c_ast.Node]) -> set[int]:
    """ids of the top-level nodes to write: a tag defined twice (the prelude's, then the variant's own, which
    the mirror's types take) only in its last definition, as C allows one per translation unit."""
    last: dict[tuple[str, str], int] = {}
    for ext in exts:
        tag = _tag(ext)
        if tag is not None:
            last[tag] = id(ext)
    return {id(ext) for ext in exts if _tag(ext) is None or last[_tag(ext)] == id(ext)}  # type: ignore[index]
