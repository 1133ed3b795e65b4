"""Members of a local struct as names of their own, for walks that fold counters (models.retrycount).

``struct { int tries; int left; } st = { .left = 10 };`` holds two integers named here ``st.tries`` and ``st.left``
(a '.' no C name has): C11 6.7.9 sets each member its initializer names, by position or by a designator, and every
other member of an initialized struct to zero (6.7.9p21). Read: the members the declaration lists, or those of its tag's
one definition at file scope (``tags``: struct_tags) that no definition in the function hides; each a named integer of
a type spelt by name (no bit-field, array or pointer) or a struct read the same way (``st.r.left``, its own braced
list or none); an initializer list of plain expressions, by position or all by one-level designators (a struct
member's values without its braces, C11 6.7.9p20's elision, is not read). A local pointer set to ``&st`` where
declared stands for ``st`` (``p->left`` is ``st.left``) while nothing stores in it (``aliases``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pycparser import c_ast

from models.cparse import all_nodes

Members = tuple[c_ast.Decl, ...]
_LEFT_OUT = c_ast.Constant("int", "0")  # a member its struct's initializer list leaves out: zero (C11 6.7.9p21)


def _no_tags(_: str) -> Members | None:
    return None


def member_key(node: c_ast.Node | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The walk's name of a local ``node`` names: ``x`` for ``x``, ``st.left`` for ``st.left``, ``st.r.left`` for
    ``st.r.left``, ``st.left`` for ``p->left`` where ``aliases`` maps ``p`` to ``st``; None for any other place
    (``q->left``, ``a[i]``, ``(*p).left``)."""
    if isinstance(node, c_ast.ID):
        return str(node.name)
    if not isinstance(node, c_ast.StructRef) or not isinstance(node.field, c_ast.ID):
        return None
    if node.type == "->":
        held = (aliases or {}).get(node.name.name) if isinstance(node.name, c_ast.ID) else None
        return None if held is None else f"{held}.{node.field.name}"
    inner = member_key(node.name, aliases) if isinstance(node.name, (c_ast.ID, c_ast.StructRef)) else None
    return None if inner is None else f"{inner}.{node.field.name}"


def tag_members(struct: c_ast.Struct) -> Members | None:
    """The members a struct's definition lists, each named; None where one is not (or it lists none)."""
    decls = tuple(struct.decls or ())
    return decls if decls and all(isinstance(d, c_ast.Decl) and d.name for d in decls) else None


def body_tags(func: c_ast.FuncDef, tags: Callable[[str], Members | None]) -> Callable[[str], Members | None]:
    """``tags`` (a tag's members at file scope) as seen in ``func``: a tag it defines itself, in any block, is not
    looked up there."""
    own = {n.name for n in all_nodes(func.body) if isinstance(n, (c_ast.Struct, c_ast.Union)) and n.decls is not None}
    return lambda name: None if name in own else tags(name)


def member_decls(decl: c_ast.Decl, tags: Callable[[str], Members | None] = _no_tags) -> list[c_ast.Decl] | None:
    """The members of the struct ``decl`` declares (nested ones too, flattened) as declarations of their own, named
    ``name.member`` and initialized as C initializes them (None: no initializer; 0: one the list leaves out); None
    where ``decl`` is no struct read here (see the module's docstring) or its initializer is not a list read here."""
    if not decl.name:
        return None
    return _flat(str(decl.name), decl.type, decl.init, tags)


def _fields(t: c_ast.Node, tags: Callable[[str], Members | None]) -> Members | None:
    struct = t.type if isinstance(t, c_ast.TypeDecl) else None
    if not isinstance(struct, c_ast.Struct):
        return None
    members = tuple(struct.decls) if struct.decls else tags(struct.name) if struct.name and struct.decls is None \
        else None
    if not members or not all(isinstance(m, c_ast.Decl) and m.name and m.bitsize is None and
                              isinstance(m.type, c_ast.TypeDecl) and isinstance(m.type.type, (
                                  c_ast.IdentifierType, c_ast.Struct)) for m in members):
        return None
    return members


def _flat(name: str, t: c_ast.Node, init: c_ast.Node | None, tags: Callable[[str], Members | None]
          ) -> list[c_ast.Decl] | None:
    members = _fields(t, tags)
    inits = _initializers(init, [m.name for m in members]) if members is not None else None
    if members is None or inits is None:
        return None
    out = []
    for m in members:
        if isinstance(m.type.type, c_ast.Struct):
            inner = _flat(f"{name}.{m.name}", m.type, inits[m.name], tags)
            if inner is None:
                return None
            out += inner
        elif isinstance(inits[m.name], c_ast.InitList):
            return None
        else:
            out.append(c_ast.Decl(f"{name}.{m.name}", [], [], [], [], m.type, inits[m.name], None, m.coord))
    return out


def _initializers(init: c_ast.Node | None, names: list[str]) -> dict[str, c_ast.Node | None] | None:
    """Each member's initializer from a struct's initializer list (_LEFT_OUT for one it leaves out); every member
    None where there is no initializer, _LEFT_OUT where the struct is itself left out; None where the list is not read
    (designators and positions mixed, a member named twice or not a member, more values than members)."""
    if init is None or init is _LEFT_OUT:
        return dict.fromkeys(names, init)
    if not isinstance(init, c_ast.InitList):
        return None
    named = [e for e in init.exprs if isinstance(e, c_ast.NamedInitializer)]
    if named and (len(named) != len(init.exprs) or any(len(e.name) != 1 or not isinstance(e.name[0], c_ast.ID)
                                                        for e in named)):
        return None
    pairs = [(e.name[0].name, e.expr) for e in named] if named else list(zip(names, init.exprs, strict=False))
    given = dict(pairs)
    if len(given) != len(pairs) or not set(given) <= set(names) or len(init.exprs) > len(names):
        return None
    return {n: given.get(n, _LEFT_OUT) for n in names}


def alias_of(decl: c_ast.Decl) -> str | None:
    """The local ``decl`` points at where it is a pointer declared ``T *p = &st;`` (``st``), else None."""
    init = decl.init
    if isinstance(decl.type, c_ast.PtrDecl) and isinstance(init, c_ast.UnaryOp) and init.op == "&" and \
            isinstance(init.expr, c_ast.ID):
        return str(init.expr.name)
    return None


def assigned(node: c_ast.Node, aliases: Mapping[str, str] | None = None) -> set[str]:
    """The walk's names (member_key) of what ``node`` stores in by ``=``, ``op=``, ``++`` or ``--``."""
    out = set()
    for n in all_nodes(node):
        target = n.lvalue if isinstance(n, c_ast.Assignment) else n.expr \
            if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
        key = member_key(target, aliases)
        if key is not None:
            out.add(key)
    return out
