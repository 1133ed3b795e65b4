"""Members of a local struct as names of their own, for walks that fold counters (models.retrycount).

``struct { int tries; int left; } st = { .left = 10 };`` holds two integers named here ``st.tries`` and ``st.left``
(a '.' no C name has): C11 6.7.9 sets each member its initializer names, by position or by a designator, and every
other member of an initialized struct to zero (6.7.9p21). Only what is spelt in the declaration is read: the members
listed there (a tag defined elsewhere is not looked up), each a named integer of a type spelt by name (no bit-field,
array, pointer or struct), and an initializer list of plain expressions, by position or all by one-level designators.
"""

from __future__ import annotations

from pycparser import c_ast

from models.cparse import all_nodes


def member_key(node: c_ast.Node | None) -> str | None:
    """The walk's name of a local ``node`` names: ``x`` for ``x``, ``st.left`` for ``st.left``; None for any other
    place (``p->left``, ``a[i]``, ``st.in.left``)."""
    if isinstance(node, c_ast.ID):
        return str(node.name)
    if isinstance(node, c_ast.StructRef) and node.type == "." and isinstance(node.name, c_ast.ID) \
            and isinstance(node.field, c_ast.ID):
        return f"{node.name.name}.{node.field.name}"
    return None


def member_decls(decl: c_ast.Decl) -> list[c_ast.Decl] | None:
    """The members of the struct ``decl`` declares as declarations of their own, named ``name.member`` and
    initialized as C initializes them (None: no initializer; 0: one the list leaves out); None where ``decl`` is no
    struct read here (see the module's docstring) or its initializer is not a list read here."""
    struct = decl.type.type if isinstance(decl.type, c_ast.TypeDecl) else None
    if not isinstance(struct, c_ast.Struct) or not struct.decls or not decl.name:
        return None
    members = struct.decls
    if not all(isinstance(m, c_ast.Decl) and m.name and m.bitsize is None and isinstance(m.type, c_ast.TypeDecl)
               and isinstance(m.type.type, c_ast.IdentifierType) for m in members):
        return None
    inits = _initializers(decl.init, [m.name for m in members])
    if inits is None:
        return None
    return [c_ast.Decl(f"{decl.name}.{m.name}", [], [], [], [], m.type, inits.get(m.name), None, m.coord)
            for m in members]


def _initializers(init: c_ast.Node | None, names: list[str]) -> dict[str, c_ast.Node | None] | None:
    """Each member's initializer from a struct's initializer list (the constant 0 for one it leaves out); every
    member None where there is no initializer; None where the list is not read (a nested list, designators and
    positions mixed, a member named twice or not a member, more values than members)."""
    if init is None:
        return dict.fromkeys(names)
    if not isinstance(init, c_ast.InitList) or any(isinstance(e, c_ast.InitList) for e in all_nodes(init)
                                                  if e is not init):
        return None
    named = [e for e in init.exprs if isinstance(e, c_ast.NamedInitializer)]
    if named and (len(named) != len(init.exprs) or any(len(e.name) != 1 or not isinstance(e.name[0], c_ast.ID)
                                                        for e in named)):
        return None
    pairs = [(e.name[0].name, e.expr) for e in named] if named else list(zip(names, init.exprs, strict=False))
    given = dict(pairs)
    if len(given) != len(pairs) or not set(given) <= set(names) or len(init.exprs) > len(names):
        return None
    return {n: given.get(n, c_ast.Constant("int", "0")) for n in names}


def assigned(node: c_ast.Node) -> set[str]:
    """The walk's names (member_key) of what ``node`` stores in by ``=``, ``op=``, ``++`` or ``--``."""
    out = set()
    for n in all_nodes(node):
        target = n.lvalue if isinstance(n, c_ast.Assignment) else n.expr \
            if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
        key = member_key(target)
        if key is not None:
            out.add(key)
    return out
