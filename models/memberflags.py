"""Flags saved in a member of the code's own struct (spin_lock_irqsave(&s->lock, s->flags)), followed where confined."""

# A driver keeps the flags of spin_lock_irqsave() in the struct its lock is in, or in a per-CPU struct
# (DEFINE_PER_CPU(struct x, v); this_cpu_ptr(&v)->flags). The value is the whole EFLAGS image (models.eflags): the
# mirror may follow such a member as it follows a local only where no code can read the image, i.e. every access
# of the member is a save's target, a restore's flags argument or a by-value flags argument, and no object of the
# struct is ever used whole (copied, returned, cast, handed to memcpy() or printk(), held in an array), nor any
# object of a struct holding one or a pointer to one (struct host { struct dev *dev; struct dev in; }: h->dev->flags,
# h->in.flags). The state a run leaves shows such a member's value as the image it is (models.statetext FLAGS_TEXT).

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pycparser import c_ast

from models.containerof import NAME as CONTAINER_OF
from models.cparse import all_nodes

PCP = "__sh_pcp"  # the prelude's this_cpu_ptr(): ({ __auto_type __sh_pcp = (ptr); ...; __sh_pcp; })


Fields = dict[str, dict[str, c_ast.Node]]  # a struct's type name -> its members' declared types, by name


def struct_members(program: Any, kept: Callable[[list[c_ast.Node]], set[int]],
                   skip: frozenset[str] = frozenset()) -> frozenset[str]:
    """The names of the members of the program's named structs (``struct tag`` or a typedef of one) that keep saved
    flags only: every member access of that name in the code (of any struct) is in ``kept`` (the ids of the saves'
    targets, restores' and by-value flags arguments among nodes, models.eflags.guard_kept()), and each struct
    declaring one but ``skip`` (the lock guard classes' structs, models.guardflags) is confined (_confined()); the
    saves into any other member are refused where they run. An access's struct is its base's declared type (_base():
    a name, a member of a struct, ``*p``, ``&x``, this_cpu_ptr(), per_cpu(), get_cpu_var())."""
    items = [i for i in program.ast.ext if isinstance(i, (c_ast.FuncDef, c_ast.Decl, c_ast.Typedef))]
    allowed: set[int] = set()
    members_kept = False  # the node lists are walked again below, not held: an eval's peak memory
    for item in items:
        nodes = all_nodes(item)
        got = kept(nodes)
        allowed |= got
        members_kept = members_kept or any(id(n) in got and isinstance(n, c_ast.StructRef) for n in nodes)
    if not members_kept:
        return frozenset()  # saves into locals only (or none): no member holds any (_holding() of none), no walk more
    fields = _fields(program.ast)
    keys: dict[str, set[str]] = {}  # member -> the type names of the structs declaring it
    for name, declared in fields.items():
        for m in declared:
            keys.setdefault(m, set()).add(name)
    top = {i.name: _type_name(_pointee(i.type)) for i in items if isinstance(i, c_ast.Decl) and i.name}
    refs: dict[str, list[tuple[c_ast.StructRef, str | None]]] = {}
    for item in items:
        nodes = all_nodes(item)
        scope = _scope(item, top)
        for n in nodes:
            if isinstance(n, c_ast.StructRef):
                refs.setdefault(n.field.name, []).append((n, _base(n.name, scope, fields)))
    # each save into a member names a struct that keeps flags only; each other access one that keeps none
    members = {m for m, uses in refs.items() if m in keys and not m.startswith("__")
               and (held := _holding(uses, allowed)) and held <= keys[m]
               and all(id(r) in allowed or (b is not None and b not in held) for r, b in uses)}
    return frozenset(m for m in members if _confined(frozenset(_holding(refs[m], allowed) - skip), items, fields))


def _fields(ast: c_ast.FileAST) -> Fields:
    """The members of each struct the file defines, by its type names (``struct tag``, a typedef defining it: the
    same dict for both); an anonymous one's under ""."""
    fields: Fields = {}
    for item in ast.ext:
        for n in all_nodes(item):
            if isinstance(n, c_ast.Struct) and n.decls:
                names = {f"struct {n.name}"} if n.name else set()
                if isinstance(item, c_ast.Typedef) and item.type.type is n:
                    names.add(item.name)
                members = {d.name or "": d.type for d in n.decls}
                for name in names or {""}:
                    fields[name] = {**fields.get(name, {}), **members} if name == "" else members
    return fields


def _scope(item: c_ast.Node, top: dict[str, str | None]) -> dict[str, str | None]:
    """The struct each name in ``item`` is declared as or points to (file scope, then a function's own
    declarations in any block); None for a name a function declares with two types."""
    scope = dict(top)
    if isinstance(item, c_ast.FuncDef):
        seen: dict[str, set[str | None]] = {}
        for d in [*(item.decl.type.args.params if item.decl.type.args else []), *all_nodes(item)]:
            if isinstance(d, c_ast.Decl) and d.name:
                seen.setdefault(d.name, {top[d.name]} if d.name in top else set()).add(_type_name(_pointee(d.type)))
        scope.update({k: next(iter(v)) if len(v) == 1 else None for k, v in seen.items()})
    return scope


def _base(e: c_ast.Node, scope: dict[str, str | None], fields: Fields, depth: int = 0) -> str | None:
    """The struct (its type name) ``e.m`` or ``e->m`` reaches: a name's (``scope``), a member's of the struct its
    own base reaches (``a->b->m``, ``a.in.m``), through ``*``, ``&``, an element (``a[i].m``), a conditional, the
    value of a statement expression (this_cpu_ptr(&v)->m, per_cpu(v, cpu).m, get_cpu_var(v).m: models.prelude); None
    where not known."""
    if depth > 32:
        return None
    if isinstance(e, c_ast.ID):
        return scope.get(e.name)
    if isinstance(e, c_ast.StructRef):
        base = _base(e.name, scope, fields, depth + 1)
        t = fields[base].get(e.field.name) if base in fields else None
        return None if t is None else _type_name(_pointee(t))
    if isinstance(e, c_ast.UnaryOp) and e.op in ("&", "*"):
        return _base(e.expr, scope, fields, depth + 1)
    if isinstance(e, c_ast.ArrayRef):  # a[i].m, p[i].m: the struct the array holds or the pointer points to
        return _base(e.name, scope, fields, depth + 1)
    if _container_of(e):  # container_of(l, struct x, lock)->m: the type it names
        return _type_name(_pointee(e.to_type.type))
    if isinstance(e, c_ast.TernaryOp):  # (c ? &a : &b)->m: one struct for both, NULL aside
        bases = {_base(x, scope, fields, depth + 1) for x in (e.iftrue, e.iffalse) if not _null(x)}
        return bases.pop() if len(bases) == 1 else None
    value = _value(e)
    return None if value is None else _base(value, scope, fields, depth + 1)


def _value(e: c_ast.Node) -> c_ast.Node | None:
    """The expression giving the value of a statement expression ``({ ...; v; })`` (of this_cpu_ptr()'s
    ``({ __auto_type PCP = (ptr); ...; PCP; })``: ptr) or of a comma expression; None for any other node (a block's
    last statement being a block gives none: models.cparse)."""
    if isinstance(e, c_ast.ExprList) and e.exprs:
        return e.exprs[-1]
    if isinstance(e, c_ast.Compound) and e.block_items and not isinstance(e.block_items[-1], c_ast.Compound):
        first, last = e.block_items[0], e.block_items[-1]
        if isinstance(last, c_ast.ID) and last.name == PCP and isinstance(first, c_ast.Decl) and first.name == PCP:
            return first.init
        return last
    return None


def _holding(uses: list[tuple[c_ast.StructRef, str | None]], allowed: set[int]) -> frozenset[str]:
    """The structs whose member a save, restore or flags argument among ``uses`` (access, its base's struct) names;
    none where one's base is not known."""
    bases = {b for r, b in uses if id(r) in allowed}
    return frozenset() if None in bases else frozenset(b for b in bases if b is not None)


def _pointee(t: c_ast.Node) -> c_ast.Node:
    """The type a declared pointer points to, or a declared array's element type; ``t`` itself otherwise."""
    return t.type if isinstance(t, (c_ast.PtrDecl, c_ast.ArrayDecl)) else t


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
    """"object", "pointer" or "array" where declared type ``t`` is one of ``keys``, a pointer to one or an array of
    them; "other" where it names one otherwise (an array of arrays or of pointers, a pointer to a pointer, a function
    returning one); None where it names none."""
    if _type_name(t) in keys:
        return "object"
    if isinstance(t, c_ast.PtrDecl) and _type_name(t.type) in keys:
        return "pointer"
    if isinstance(t, c_ast.ArrayDecl) and _type_name(t.type) in keys:
        return "array"  # of objects of it: each used as one (a[i].m, &a[i]), the name as a pointer
    if isinstance(t, c_ast.Struct):  # a definition: its members are declarations of their own (_holders())
        return None
    if isinstance(t, c_ast.FuncDecl):  # its parameters are declarations of their own; what it returns goes anywhere
        return "other" if any(_type_name(n) in keys for n in all_nodes(t.type) if isinstance(n, c_ast.TypeDecl)) \
            else None
    return "other" if any(_type_name(n) in keys for n in all_nodes(t) if isinstance(n, c_ast.TypeDecl)) else None


def _confined(keys: frozenset[str], items: list[c_ast.Node], fields: Fields) -> bool:
    """Whether every object of the struct ``keys`` names, and of each struct holding one or a pointer to one
    (_holders()), is used only member by member (_uses_allowed())."""
    if not keys:
        return True
    keys = _holders(keys, fields)
    if "" in keys:
        return False  # held in an anonymous struct: its objects are not told apart
    params = {f: [_kind(p.type, keys) if isinstance(p, c_ast.Decl) else None for p in
                  (i.decl.type.args.params if i.decl.type.args else [])]
              for i in items if isinstance(i, c_ast.FuncDef) and (f := i.decl.name)}
    decls = [n for i in items for n in all_nodes(i) if isinstance(n, (c_ast.Decl, c_ast.Typename))]
    if any(_kind(d.type, keys) == "other" for d in decls):
        return False  # an array of it or of a holder, a pointer to a pointer, a function returning one
    if any(isinstance(i, c_ast.Typedef) and not _defines(i) and _kind(i.type, keys) for i in items):
        return False  # another name for it: objects declared so are not seen
    ours = {id(n) for i in items for e in all_nodes(i) if _container_of(e) for n in all_nodes(e)}
    if any(isinstance(d, c_ast.Typename) and _kind(d.type, keys) and id(d) not in ours for d in decls):
        return False  # a cast or sizeof naming it (but container_of()'s: the object its member lies in)
    top = {i.name: _kind(i.type, keys) for i in items if isinstance(i, c_ast.Decl) and i.name}
    tops = {i.name: _type_name(_pointee(i.type)) for i in items if isinstance(i, c_ast.Decl) and i.name}
    held = frozenset(m for ms in fields.values() for m, t in ms.items() if _kind(t, keys))
    for item in items:
        if isinstance(item, c_ast.Decl) and item.init is not None:
            if top.get(item.name or "") == "pointer":
                return False  # a file-scope pointer's initializer: not followed
            if not _initialized(item, _Places(top, tops, fields, keys, held)):
                return False  # named in a file-scope initializer (``void *p = &x;``): not followed
        if isinstance(item, c_ast.FuncDef):
            kinds: dict[str, str | None] = {k: v for k, v in top.items() if v}
            for d in [*(item.decl.type.args.params if item.decl.type.args else []), *all_nodes(item.body)]:
                if isinstance(d, c_ast.Decl) and d.name:  # one of its names in any block: each use checked
                    kinds[d.name] = _kind(d.type, keys) or kinds.get(d.name)
            places = _Places({k: v for k, v in kinds.items() if v}, _scope(item, tops), fields, keys, held)
            if not _uses_allowed(item, places, params):
                return False
            if any(isinstance(d, c_ast.Decl) and d.init is not None and places.names.get(d.name or "") == "pointer"
                   and not _source(d.init, places) for d in all_nodes(item.body)):
                return False  # a pointer of it given what may point anywhere (a call's value, a cast)
    return True


def _holders(keys: frozenset[str], fields: Fields) -> frozenset[str]:
    """``keys`` with every other name of their structs (``struct tag`` and its defining typedef) and every struct
    holding one of them or a pointer to one, again (``struct host { struct dev *d; struct dev in; }``): a whole
    object of a holder is the image's too."""
    out = set(keys)
    while True:
        more = {s for s, ms in fields.items() if s not in out and (
            any(_kind(t, frozenset(out)) for t in ms.values()) or any(ms is fields.get(k) for k in out))}
        if not more:
            return frozenset(out)
        out |= more


@dataclass(frozen=True)
class _Places:
    """What a name or member access in one function (or a file-scope initializer) is: "object" or "pointer" of the
    confined structs ``keys``, "unknown" (an access of a member ``held`` names, one of them in some struct, on a base
    of no known struct), or None."""

    names: dict[str, str | None]  # name -> "object" / "pointer"
    scope: dict[str, str | None]  # name -> the struct it is or points to (_scope())
    fields: Fields
    keys: frozenset[str]
    held: frozenset[str]

    def kind(self, e: c_ast.Node) -> str | None:
        if isinstance(e, c_ast.ID):
            return self.names.get(e.name)
        if isinstance(e, c_ast.ArrayRef):  # a[i], p[i]: an object of an array, or where a pointer of it points
            return "object" if self.kind(e.name) in ("array", "pointer") else None
        if _container_of(e):  # a pointer to the object its member lies in, used as any other (models.containerof)
            return "pointer" if _kind(e.to_type.type, self.keys) == "pointer" else None
        if not isinstance(e, c_ast.StructRef) or e.field.name not in self.held:
            return None
        base = _base(e.name, self.scope, self.fields)
        if base is None:
            return "unknown"
        t = self.fields.get(base, {}).get(e.field.name)
        return None if t is None else _kind(t, self.keys)


def _initialized(decl: c_ast.Decl, places: _Places) -> bool:
    """Whether a file-scope initializer gives each pointer member of the confined structs ``&x`` of an object of
    them or NULL (``static struct host h = { .dev = &d };``, a member's own initializer list likewise), and names
    their objects nowhere else but as a member access's base (``void *p = &x;``: no)."""
    parents = {id(c): n for n in all_nodes(decl) for c in n}
    return _init_ok(decl.init, _type_name(decl.type), places, parents)


def _init_ok(init: c_ast.Node, struct: str | None, places: _Places, parents: dict[int, c_ast.Node]) -> bool:
    """_initialized() of ``init``, the initializer of an object of ``struct`` (None: of another type)."""
    members = places.fields.get(struct or "", {})
    for item in init.exprs if isinstance(init, c_ast.InitList) and members else [init]:
        named = isinstance(item, c_ast.NamedInitializer)
        field = item.name[0] if named and len(item.name) == 1 else None
        value = item.expr if named else item
        t = members.get(field.name) if isinstance(field, c_ast.ID) else None
        kind = _kind(t, places.keys) if t is not None else None
        if t is not None and ((kind == "pointer" and _source(value, places))
                              or (kind == "object" and _init_ok(value, _type_name(t), places, parents))):
            continue
        if kind is not None or (t is None and any(_kind(m, places.keys) for m in members.values())):
            return False  # a member of it given another value, or one not told (by position)
        if any(places.kind(n) and not _member_of(n, parents) for n in all_nodes(value)):
            return False
    return True


def _member_of(n: c_ast.Node, parents: dict[int, c_ast.Node]) -> bool:
    """Whether ``n`` is the base of a member access (``n.m``, ``n->m``) or the member's name itself."""
    up = parents.get(id(n))
    return isinstance(up, c_ast.StructRef) and (up.name is n or up.field is n)


def _uses_allowed(fn: c_ast.FuncDef, places: _Places, params: dict[str, list[str | None]]) -> bool:
    """Whether each use in ``fn`` of an object, a pointer or an array of the confined structs (a name, a member holding
    one) is ``x.m`` / ``p->m`` (``a[i].m``, ``p[i].m``: an object), a pointer (``&x``, ``p`` or ``a``) stored in a
    pointer of the struct or handed to a parameter of the code's function declared so (``params``), tested (against
    NULL, ``if (p)``, ``!p``), discarded by a cast to void, or given by a statement expression (this_cpu_ptr(&x),
    per_cpu(x, cpu)) used so."""
    parents = {id(c): n for n in all_nodes(fn.body) for c in n}
    for n in all_nodes(fn.body):
        kind = places.kind(n)
        if kind == "unknown":
            return False
        if kind is None or _member_of(n, parents):
            continue
        up = parents.get(id(n))
        if kind in ("array", "pointer") and isinstance(up, c_ast.ArrayRef) and up.name is n:
            continue  # a[i], p[i]: that node is checked as an object
        if kind == "object":
            if not (isinstance(up, c_ast.UnaryOp) and up.op == "&"):
                return False
            n, up = up, parents.get(id(up))
        if not _pointer_goes(n, up, places, params, parents):
            return False
    return True


def _pointer_goes(n: c_ast.Node, up: c_ast.Node | None, places: _Places, params: dict[str, list[str | None]],
                  parents: dict[int, c_ast.Node]) -> bool:
    """Whether pointer value ``n`` (its parent ``up``) goes only where _uses_allowed() lets it."""
    n, up = _given(n, up, parents)
    if isinstance(up, c_ast.StructRef) and up.name is n:
        return True  # this_cpu_ptr(&x)->m
    if isinstance(up, c_ast.UnaryOp) and up.op == "*":
        above = parents.get(id(up))
        return isinstance(above, c_ast.StructRef) and above.name is up  # (*p).m, per_cpu(x, cpu).m
    if isinstance(up, c_ast.Decl):
        return up.init is n and places.names.get(up.name or "") == "pointer" and _source(n, places)
    if isinstance(up, c_ast.Assignment) and up.op == "=":
        return _source(up.rvalue, places) if up.lvalue is n else places.kind(up.lvalue) == "pointer"
    if isinstance(up, c_ast.BinaryOp) and up.op in ("==", "!="):
        return _null(up.right if up.left is n else up.left)
    if (isinstance(up, c_ast.UnaryOp) and up.op == "!") or (isinstance(up, c_ast.BinaryOp) and up.op in ("&&", "||")):
        return True
    if isinstance(up, (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp)) and up.cond is n:
        return True  # tested: if (p), p ? a : b
    if isinstance(up, c_ast.Cast) and _void(up.to_type):
        return True  # put_cpu_var(x): (void)&(x)
    call = parents.get(id(up)) if isinstance(up, c_ast.ExprList) else None
    if isinstance(call, c_ast.FuncCall) and isinstance(call.name, c_ast.ID) and isinstance(up, c_ast.ExprList):
        kinds = params.get(call.name.name, [])
        at = next(i for i, a in enumerate(up.exprs) if a is n)
        return at < len(kinds) and kinds[at] == "pointer"
    return False


def _given(n: c_ast.Node, up: c_ast.Node | None,
           parents: dict[int, c_ast.Node]) -> tuple[c_ast.Node, c_ast.Node | None]:
    """Pointer value ``n`` (parent ``up``) followed out of the statement and comma expressions it is the value of
    (_value()) and of the conditionals it is a branch of: the expression giving it and that one's parent."""
    while up is not None:
        if isinstance(up, c_ast.Decl) and up.name == PCP and up.init is n:
            block = parents.get(id(up))
            if block is None or _value(block) is not n:
                return n, up
            n = block
        elif (_value(up) is n and not isinstance(parents.get(id(up)), c_ast.FuncCall)) or (
                isinstance(up, c_ast.TernaryOp) and up.cond is not n):
            n = up  # c ? &a : &b goes where the conditional's value goes (_source() checks both)
        else:
            return n, up
        up = parents.get(id(n))
    return n, up


def _void(t: c_ast.Node) -> bool:
    """Whether type name ``t`` is ``void``."""
    inner = getattr(t.type, "type", None)
    return isinstance(t.type, c_ast.TypeDecl) and isinstance(inner, c_ast.IdentifierType) and inner.names == ["void"]


def _source(e: c_ast.Node, places: _Places) -> bool:
    """Whether a pointer of the struct is given ``e``: ``&x`` of an object of it, a pointer of it, NULL, a conditional
    both of whose branches are one, or the value of a statement expression giving one (this_cpu_ptr(&x): the
    prelude's ``({ __auto_type PCP = &x; ...; PCP; })``)."""
    value = _value(e)
    if value is not None:
        return _source(value, places)
    if isinstance(e, c_ast.TernaryOp):  # p = c ? &a : &b (or NULL): either
        return _source(e.iftrue, places) and _source(e.iffalse, places)
    if isinstance(e, c_ast.UnaryOp) and e.op == "&":
        return places.kind(e.expr) == "object"
    return places.kind(e) in ("pointer", "array") or _null(e)


def _container_of(e: c_ast.Node) -> bool:
    """Whether ``e`` is the prelude's container_of(): ``(type *)__sh_container_of(ptr, ...)``, whose value is the
    object of ``type`` the pointer's member lies in, or the run is refused there (models.containerof)."""
    return isinstance(e, c_ast.Cast) and isinstance(e.expr, c_ast.FuncCall) and isinstance(
        e.expr.name, c_ast.ID) and e.expr.name.name == CONTAINER_OF


def _null(n: c_ast.Node) -> bool:
    """Whether ``n`` is the constant 0 or NULL (``(void *)0``)."""
    if isinstance(n, c_ast.Cast):
        n = n.expr
    return isinstance(n, c_ast.Constant) and n.value in ("0", "0L", "0UL")
