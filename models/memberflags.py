"""Flags saved in a member of the code's own struct (spin_lock_irqsave(&s->lock, s->flags)), followed where confined."""

# A driver keeps the flags of spin_lock_irqsave() in the struct its lock is in, or in a per-CPU struct
# (DEFINE_PER_CPU(struct x, v); this_cpu_ptr(&v)->flags). The value is the whole EFLAGS image (models.eflags): the
# mirror may follow such a member as it follows a local only where no code can read the image, i.e. every access
# of the member is a save's target, a restore's flags argument or a by-value flags argument, and no object of the
# struct is ever used whole (copied, returned, cast, handed to memcpy() or printk(), held in an array or in another
# struct). The state a run leaves shows such a member's value as the image it is (models.statetext FLAGS_TEXT).

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.cparse import all_nodes

PCP = "__sh_pcp"  # the prelude's this_cpu_ptr(): ({ __auto_type __sh_pcp = (ptr); ...; __sh_pcp; })


def struct_members(program: Any, kept: Callable[[list[c_ast.Node]], set[int]],
                   skip: frozenset[str] = frozenset()) -> frozenset[str]:
    """The names of the members of the program's named structs (``struct tag`` or a typedef of one) that keep saved
    flags only: every member access of that name in the code (of any struct) is in ``kept`` (the ids of the saves'
    targets, restores' and by-value flags arguments among nodes, models.eflags.guard_kept()), and each struct
    declaring one but ``skip`` (the lock guard classes' structs, models.guardflags) is confined (_confined()); the
    saves into any other member are refused where they run."""
    keys: dict[str, set[str]] = {}  # member -> the type names of the structs declaring it
    for item in program.ast.ext:
        for n in all_nodes(item):
            if isinstance(n, c_ast.Struct) and n.decls:
                names = {f"struct {n.name}"} if n.name else set()
                if isinstance(item, c_ast.Typedef) and item.type.type is n:
                    names.add(item.name)
                for d in n.decls:
                    keys.setdefault(d.name or "", set()).update(names or {""})
    items = [i for i in program.ast.ext if isinstance(i, (c_ast.FuncDef, c_ast.Decl, c_ast.Typedef))]
    top = {i.name: _type_name(_pointee(i.type)) for i in items if isinstance(i, c_ast.Decl) and i.name}
    refs: dict[str, list[tuple[c_ast.StructRef, str | None]]] = {}
    allowed: set[int] = set()
    for item in items:
        nodes = all_nodes(item)
        allowed |= kept(nodes)
        scope = dict(top)
        if isinstance(item, c_ast.FuncDef):
            seen: dict[str, set[str | None]] = {}  # a name declared with two types in one function: not known
            for d in [*(item.decl.type.args.params if item.decl.type.args else []), *nodes]:
                if isinstance(d, c_ast.Decl) and d.name:
                    seen.setdefault(d.name, {top[d.name]} if d.name in top else set()).add(
                        _type_name(_pointee(d.type)))
            scope.update({k: next(iter(v)) if len(v) == 1 else None for k, v in seen.items()})
        for n in nodes:
            if isinstance(n, c_ast.StructRef):
                base = scope.get(n.name.name) if isinstance(n.name, c_ast.ID) else None
                refs.setdefault(n.field.name, []).append((n, base))
    # each save into a member names a struct that keeps flags only; each other access one that keeps none
    members = {m for m, uses in refs.items() if m in keys and not m.startswith("__")
               and (held := _holding(uses, allowed)) and held <= keys[m]
               and all(id(r) in allowed or (b is not None and b not in held) for r, b in uses)}
    return frozenset(m for m in members if _confined(frozenset(_holding(refs[m], allowed) - skip), items))


def _holding(uses: list[tuple[c_ast.StructRef, str | None]], allowed: set[int]) -> frozenset[str]:
    """The structs whose member a save, restore or flags argument among ``uses`` (access, its base's struct) names;
    none where one's base is not known."""
    bases = {b for r, b in uses if id(r) in allowed}
    return frozenset() if None in bases else frozenset(b for b in bases if b is not None)


def _pointee(t: c_ast.Node) -> c_ast.Node:
    """The type a declared pointer points to; ``t`` itself otherwise."""
    return t.type if isinstance(t, c_ast.PtrDecl) else t


def _defines(item: c_ast.Typedef) -> bool:
    """Whether a typedef defines its struct (``typedef struct [tag] { ... } name;``)."""
    return isinstance(item.type, c_ast.TypeDecl) and isinstance(item.type.type, c_ast.Struct) and bool(
        item.type.type.decls)


def _type_name(t: c_ast.Node) -> str | None:
    """``struct tag`` or the typedef name a TypeDecl's type names, else None."""
    inner = t.type if isinstance(t, c_ast.TypeDecl) else None
    if isinstance(inner, c_ast.Struct) and inner.name:
        return f"struct {inner.name}"
    if isinstance(inner, c_ast.IdentifierType) and len(inner.names) == 1:
        return str(inner.names[0])
    return None


def _kind(t: c_ast.Node, keys: frozenset[str]) -> str | None:
    """"object" or "pointer" where declared type ``t`` is one of ``keys`` or a pointer to one; "other" where it
    names one otherwise (an array, a pointer to a pointer, a function returning one); None where it names none."""
    if _type_name(t) in keys:
        return "object"
    if isinstance(t, c_ast.PtrDecl) and _type_name(t.type) in keys:
        return "pointer"
    if isinstance(t, c_ast.FuncDecl):  # its parameters are declarations of their own; what it returns goes anywhere
        return "other" if any(_type_name(n) in keys for n in all_nodes(t.type) if isinstance(n, c_ast.TypeDecl)) \
            else None
    return "other" if any(_type_name(n) in keys for n in all_nodes(t) if isinstance(n, c_ast.TypeDecl)) else None


def _confined(keys: frozenset[str], items: list[c_ast.Node]) -> bool:
    """Whether every object of the struct ``keys`` names is used only member by member (_uses_allowed())."""
    params = {i.decl.name: [_kind(p.type, keys) if isinstance(p, c_ast.Decl) else None for p in
                            (i.decl.type.args.params if i.decl.type.args else [])]
              for i in items if isinstance(i, c_ast.FuncDef)}
    decls = [n for i in items for n in all_nodes(i) if isinstance(n, (c_ast.Decl, c_ast.Typename))]
    if any(_kind(d.type, keys) == "other" for d in decls):
        return False
    if not keys:
        return True
    if any(isinstance(i, c_ast.Typedef) and not _defines(i) and _kind(i.type, keys) for i in items):
        return False  # another name for it: objects declared so are not seen
    if any(isinstance(n, c_ast.Struct) and n.decls and any(_kind(d.type, keys) for d in n.decls)
           for i in items for n in all_nodes(i)):
        return False  # held in a struct: `o.inner` is a whole object, `o.next` a pointer going anywhere
    if any(isinstance(d, c_ast.Typename) and _kind(d.type, keys) for d in decls):
        return False  # a cast or sizeof naming it
    top = {i.name: _kind(i.type, keys) for i in items if isinstance(i, c_ast.Decl) and i.name}
    for item in items:
        if isinstance(item, c_ast.Decl) and top.get(item.name or "") == "pointer" and item.init is not None:
            return False  # a file-scope pointer's initializer: not followed
        if isinstance(item, c_ast.FuncDef):
            kinds: dict[str, str | None] = {k: v for k, v in top.items() if v}
            for d in [*(item.decl.type.args.params if item.decl.type.args else []), *all_nodes(item.body)]:
                if isinstance(d, c_ast.Decl) and d.name:  # one of its names in any block: each use checked
                    kinds[d.name] = _kind(d.type, keys) or kinds.get(d.name)
            names: dict[str, str | None] = {k: v for k, v in kinds.items() if v}
            if names and not _uses_allowed(item, names, params):
                return False
            if any(isinstance(d, c_ast.Decl) and d.init is not None and names.get(d.name or "") == "pointer"
                   and not _source(d.init, names) for d in all_nodes(item.body)):
                return False  # a pointer of it given what may point anywhere (a call's value, a cast)
    return True


def _uses_allowed(fn: c_ast.FuncDef, names: dict[str, str | None], params: dict[str, list[str | None]]) -> bool:
    """Whether each use in ``fn`` of ``names`` (name -> "object" or "pointer") is ``x.m`` / ``p->m``, a pointer
    (``&x`` or ``p``) stored in a pointer of the struct or handed to a parameter of the code's function declared so
    (``params``), a pointer tested against NULL, or this_cpu_ptr(&x) stored so."""
    parents = {id(c): n for n in all_nodes(fn.body) for c in n}
    for n in all_nodes(fn.body):
        if not (isinstance(n, c_ast.ID) and n.name in names):
            continue
        up = parents.get(id(n))
        if isinstance(up, c_ast.StructRef) and up.name is n:
            continue
        if names[n.name] == "object":
            if not (isinstance(up, c_ast.UnaryOp) and up.op == "&"):
                return False
            n, up = up, parents.get(id(up))
            if isinstance(up, c_ast.Decl) and up.name == PCP:
                n, up = parents.get(id(up)), parents.get(id(parents.get(id(up))))
        if not _pointer_goes(n, up, names, params, parents):
            return False
    return True


def _pointer_goes(n: c_ast.Node, up: c_ast.Node | None, names: dict[str, str | None],
                  params: dict[str, list[str | None]], parents: dict[int, c_ast.Node]) -> bool:
    """Whether pointer value ``n`` (its parent ``up``) goes only where _uses_allowed() lets it."""
    if isinstance(up, c_ast.Decl):
        return up.init is n and names.get(up.name or "") == "pointer" and _source(n, names)
    if isinstance(up, c_ast.Assignment) and up.op == "=":
        other = up.rvalue if up.lvalue is n else up.lvalue
        if up.lvalue is n:
            return _source(other, names)
        return isinstance(other, c_ast.ID) and names.get(other.name) == "pointer"
    if isinstance(up, c_ast.BinaryOp) and up.op in ("==", "!="):
        return _null(up.right if up.left is n else up.left)
    if isinstance(up, c_ast.UnaryOp) and up.op == "!":
        return True
    call = parents.get(id(up)) if isinstance(up, c_ast.ExprList) else None
    if isinstance(call, c_ast.FuncCall) and isinstance(call.name, c_ast.ID) and isinstance(up, c_ast.ExprList):
        kinds = params.get(call.name.name, [])
        at = next(i for i, a in enumerate(up.exprs) if a is n)
        return at < len(kinds) and kinds[at] == "pointer"
    return False


def _source(e: c_ast.Node, names: dict[str, str | None]) -> bool:
    """Whether a pointer of the struct is given ``e``: ``&x`` of an object of it, a pointer of it, NULL, or
    this_cpu_ptr(&x) (the prelude's statement expression declaring PCP = &x and giving it)."""
    if isinstance(e, c_ast.Compound) and e.block_items and isinstance(first := e.block_items[0], c_ast.Decl):
        last = e.block_items[-1]
        return first.name == PCP and isinstance(last, c_ast.ID) and last.name == PCP and first.init is not None \
            and _source(first.init, names)
    if isinstance(e, c_ast.UnaryOp) and e.op == "&":
        return isinstance(e.expr, c_ast.ID) and names.get(e.expr.name) == "object"
    return (isinstance(e, c_ast.ID) and names.get(e.name) == "pointer") or _null(e)


def _null(n: c_ast.Node) -> bool:
    """Whether ``n`` is the constant 0 or NULL (``(void *)0``)."""
    if isinstance(n, c_ast.Cast):
        n = n.expr
    return isinstance(n, c_ast.Constant) and n.value in ("0", "0L", "0UL")
