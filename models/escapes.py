"""Variables whose address the code the runs execute lets go where no run follows what is done through it."""

from __future__ import annotations

from dataclasses import dataclass

from pycparser import c_ast

from models.builtinnames import COMPILE_TIME_NAMES
from models.calls import text_of
from models.cload import Program
from models.cparse import all_nodes
from models.kernel import KERNEL_SYMBOLS, PRIMITIVES

# What an address is of: a variable (by name) or the function's parameter (by index), for its callers.
Origin = str | int


def address_escapes(program: Program) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Name -> why, of each variable not defined const (file-scope, or a function's static local) whose address
    a function of ``program`` (the code the entry points reach, which the runs execute) lets go: stores where a
    local of its own does not hold it (a file-scope pointer, a member through a pointer, ``*pp``), or hands to a
    function the mirror does not run (neither the program's nor a kernel primitive: a run making that call stops,
    one that does not make it never sees the call), itself or through a function of the program that does so with
    its parameter. ``&x``, an array's name as a value (C11 6.3.2.1p3), a cast or an arithmetic of them, and the
    locals holding one count. What is written through the address there is code no run executes: the runs take
    the variable's value as their own stores leave it. Const variables are left out: a store through a pointer to
    one is undefined (C11 6.7.3p6). A call through a pointer is the mirror's (it runs what the pointer holds; a
    settable one is said by models.source). Second, per function returning a variable's address, the variable
    and the file:line of the ``return``: which code calls it beyond the program is for the sources to say
    (harness.outsidewrites)."""
    file_scope = _variables(program.ast.ext)
    bodies = {id(fn): _body(fn) for fn in program.functions.values()}
    if not any(_seeded(b, file_scope) for b in bodies.values()):
        return {}, {}  # no address of a variable taken anywhere (the corpus' programs): nothing to follow
    done: dict[int, _Function] = {}  # by id of the FuncDef: its parameters' escapes are its callers' to follow
    for _ in range(len(program.functions) + 1):  # parameters handed on to functions handing them on, to a fixpoint
        before = {k: frozenset(f.out) for k, f in done.items()}
        for name, fn in program.functions.items():
            done[id(fn)] = _Function(program, name, bodies[id(fn)], file_scope, {k: f.out for k, f in done.items()})
        if before == {k: frozenset(f.out) for k, f in done.items()}:
            break
    found: dict[str, str] = {}
    for f in done.values():
        for origin, why in f.out.items():
            if isinstance(origin, str):
                found.setdefault(origin, why)
    returned = {f.name: f.returned for f in done.values() if f.returned}
    return dict(sorted(found.items())), dict(sorted(returned.items()))


@dataclass(frozen=True)
class _Body:
    """What the walk reads of a parsed function, worked out once per definition (the programs holding it share it)."""

    fn: c_ast.FuncDef
    nodes: tuple[c_ast.Node, ...]  # its declarations, assignments, calls and returns
    decls: tuple[c_ast.Decl, ...]
    statics: dict[str, bool]  # its static locals not const: name -> whether an array
    own: frozenset[str]  # its parameters and other locals
    params: tuple[str, ...]
    addressed: frozenset[str]  # the names '&' is taken of that are none of own
    used: frozenset[str]  # the names it uses that are none of own


_BODIES: dict[int, _Body] = {}
_WALKED = (c_ast.Decl, c_ast.Assignment, c_ast.FuncCall, c_ast.Return)


def _body(fn: c_ast.FuncDef) -> _Body:
    kept = _BODIES.get(id(fn))
    if kept is not None and kept.fn is fn:
        return kept
    if len(_BODIES) > 4096:
        _BODIES.clear()
    every = all_nodes(fn.body)
    decls = tuple(n for n in every if isinstance(n, c_ast.Decl) and n.name)
    statics = _variables(list(decls), static_only=True)
    args = getattr(fn.decl.type, "args", None)
    params = tuple(getattr(x, "name", None) or "" for x in (args.params if args is not None else []))
    own = frozenset(d.name for d in decls if d.name not in statics) | frozenset(params)
    roots = {_root(n.expr) for n in every if isinstance(n, c_ast.UnaryOp) and n.op == "&"}
    used = frozenset(n.name for n in every if isinstance(n, c_ast.ID)) - own
    _BODIES[id(fn)] = found = _Body(fn, tuple(n for n in every if isinstance(n, _WALKED)), decls, statics, own,
                                    params, frozenset(r for r in roots if r is not None) - own, used)
    return found


def _root(e: c_ast.Node) -> str | None:
    """The variable an lvalue is (part of), through '.' and subscripts; None through a pointer."""
    while isinstance(e, (c_ast.StructRef, c_ast.ArrayRef)) and getattr(e, "type", ".") != "->":
        e = e.name
    return e.name if isinstance(e, c_ast.ID) else None


def _seeded(b: _Body, file_scope: dict[str, bool]) -> bool:
    """Whether a function takes the address of a variable: '&' of one, or an array's name used."""
    return bool(b.addressed & (file_scope.keys() | b.statics.keys())) or \
        any(file_scope.get(n) or b.statics.get(n) for n in b.used)


def _variables(decls: list[c_ast.Node], static_only: bool = False) -> dict[str, bool]:
    """The variables ``decls`` define that are not const, name -> whether an array (``static_only``: those
    with static storage, a function's static locals)."""
    out: dict[str, bool] = {}
    for d in decls:
        if not isinstance(d, c_ast.Decl) or not d.name or isinstance(d.type, c_ast.FuncDecl) \
                or (static_only and "static" not in d.storage) or "typedef" in d.storage:
            continue
        t = d.type
        while isinstance(t, c_ast.ArrayDecl):
            t = t.type
        if "const" not in getattr(t, "quals", []):
            out[d.name] = isinstance(d.type, c_ast.ArrayDecl)
    return out


class _Function:
    """One function's escapes: the addresses of variables (and of what its parameters point to) it lets go."""

    def __init__(self, program: Program, name: str, body: _Body, file_scope: dict[str, bool],
                 known: dict[int, dict[Origin, str]]) -> None:
        self.program, self.name, self.known = program, name, known
        self.out: dict[Origin, str] = {}
        self.returned: dict[str, str] = {}  # the variables whose address it returns: where
        # the variables it may name (name -> whether an array), and its parameters and locals, static ones included
        self.vars = {n: a for n, a in file_scope.items() if n not in body.own and n not in body.statics} | body.statics
        self.locals = body.own | body.statics.keys()
        self.held: dict[str, set[Origin]] = {p: {i} for i, p in enumerate(body.params) if p}  # what locals point to
        self._hold(body)
        for n in body.nodes:
            if isinstance(n, c_ast.Assignment) and self._local_root(n.lvalue) is None:
                self._let_go(self._origins(n.rvalue), f"stores its address to {text_of(n.lvalue)}", n)
            elif isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name not in self.locals:
                self._call(n, n.name.name)
            elif isinstance(n, c_ast.Return) and n.expr is not None:
                for o in self._origins(n.expr):
                    if isinstance(o, str):
                        self.returned.setdefault(o, self.program.where(n.coord))

    def _hold(self, body: _Body) -> None:
        """What the locals hold, to a fixpoint (flow-insensitive: any store anywhere in the function)."""
        for _ in range(len(body.decls) + 2):
            size = sum(len(v) for v in self.held.values())
            for n in body.nodes:
                if isinstance(n, c_ast.Decl) and n.init is not None:
                    self.held.setdefault(n.name, set()).update(self._origins(n.init))
                elif isinstance(n, c_ast.Assignment) and (root := self._local_root(n.lvalue)) is not None:
                    self.held.setdefault(root, set()).update(self._origins(n.rvalue))
            if size == sum(len(v) for v in self.held.values()):
                return

    def _call(self, n: c_ast.FuncCall, callee: str) -> None:
        args = list(n.args.exprs) if n.args is not None else []
        target = self.program.functions.get(callee)
        for i, arg in enumerate(args):
            origins = self._origins(arg)
            if not origins:
                continue
            if target is not None:
                inner = self.known.get(id(target), {}).get(i)
                if inner is not None:
                    self._let_go(origins, f"hands its address to {self.program.c_name(callee)}(), which {inner}", n)
            elif callee not in PRIMITIVES and callee not in KERNEL_SYMBOLS and callee not in COMPILE_TIME_NAMES \
                    and callee != "__sh_result":
                self._let_go(origins, f"hands its address to {callee}(), which the mirror does not run", n)

    def _let_go(self, origins: set[Origin], how: str, node: c_ast.Node) -> None:
        where = self.program.where(node.coord)
        for o in origins:
            self.out.setdefault(o, f"{self.program.c_name(self.name)}() ({where}) {how}" if isinstance(o, str)
                                else f"{how.replace(' its address', ' it', 1)} ({where})")

    def _local_root(self, lv: c_ast.Node) -> str | None:
        """The local an lvalue is part of (``p``, ``s.p``, ``a[i]`` of a local array), None for anything else."""
        while isinstance(lv, (c_ast.StructRef, c_ast.ArrayRef)) and getattr(lv, "type", ".") != "->":
            lv = lv.name
        return lv.name if isinstance(lv, c_ast.ID) and lv.name in self.locals else None

    def _origins(self, e: c_ast.Node) -> set[Origin]:
        """What the value of ``e`` may point to: the variables whose address it is, the parameters it comes from."""
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            return self._base(e.expr)
        if isinstance(e, c_ast.ID):
            if e.name in self.held:
                return set(self.held[e.name])
            return {e.name} if self.vars.get(e.name) else set()
        if isinstance(e, c_ast.Cast):
            return self._origins(e.expr)
        if isinstance(e, c_ast.TernaryOp):
            return self._origins(e.iftrue) | self._origins(e.iffalse)
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-"):
            return self._origins(e.left) | self._origins(e.right)
        if isinstance(e, (c_ast.ExprList, c_ast.InitList)):
            return set().union(*(self._origins(x) for x in e.exprs)) if e.exprs else set()
        if isinstance(e, c_ast.NamedInitializer):
            return self._origins(e.expr)
        if isinstance(e, c_ast.CompoundLiteral):
            return self._origins(e.init)
        if isinstance(e, c_ast.Assignment):
            return self._origins(e.rvalue)
        return set()

    def _base(self, e: c_ast.Node) -> set[Origin]:
        """What ``&e`` points into: the variable ``e`` is (part of), or what a pointer it goes through holds."""
        while isinstance(e, (c_ast.StructRef, c_ast.ArrayRef)) and getattr(e, "type", ".") != "->":
            if isinstance(e, c_ast.ArrayRef) and not (isinstance(e.name, c_ast.ID) and self.vars.get(e.name.name)):
                return self._origins(e.name)  # &p[i] of a pointer p: into what p points to
            e = e.name
        if isinstance(e, c_ast.ID):
            return {e.name} if e.name in self.vars else set()
        if isinstance(e, c_ast.StructRef):  # &p->x
            return self._origins(e.name)
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            return self._origins(e.expr)
        return set()
