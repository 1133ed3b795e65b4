"""Block-structured statements: compound (with guard() cleanups), declarations, loops, switch, initializers."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.consteval import const_int, string_value
from models.ctype import Array, CType, Int, Struct
from models.errors import UnsupportedConstruct
from models.hooks import CompilerHooks
from models.kernel import PRIMITIVES
from models.machine import StructObj, StrVal
from models.values import BREAK, CONTINUE, Fn, Frame, Scope, Stmt, Var, convert, copy_value, new_value, truth


def _guard_kind(node: c_ast.Node) -> str | None:
    """``guard(kind)()`` after preprocessing: a call of ``__sh_guard("kind")``."""
    if (isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.FuncCall)
            and isinstance(node.name.name, c_ast.ID) and node.name.name.name == "__sh_guard"):
        arg = node.name.args.exprs[0]
        return string_value(arg.value) if isinstance(arg, c_ast.Constant) else "?"
    return None


def compound(c: CompilerHooks, node: c_ast.Compound, scope: Scope) -> Stmt:
    inner = [*scope, {}]
    items: list[tuple[str | None, Any]] = []
    for item in node.block_items or []:
        kind = _guard_kind(item)
        items.append((kind, c.where(item.coord)) if kind is not None else (None, c.stmt(item, inner)))
    if all(k is None for k, _ in items):
        body = [s for _, s in items]

        def run(f: Frame) -> Any:
            for s in body:
                sig = s(f)
                if sig is not None:
                    return sig
            return None

        return run
    enter, leave = PRIMITIVES["__sh_guard_enter"].impl, PRIMITIVES["__sh_guard_exit"].impl

    def guarded(f: Frame) -> Any:
        held: list[tuple[str, str]] = []
        try:
            for kind, s in items:
                if kind is not None:
                    enter(f.m, [StrVal(kind)], s)
                    held.append((kind, s))
                    continue
                sig = s(f)
                if sig is not None:
                    return sig
            return None
        finally:
            for kind, where in reversed(held):
                leave(f.m, [StrVal(kind)], where)

    return guarded


def declare(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    if node.name is None:
        c.types.resolve(node.type)  # a struct or enum declaration inside a function
        return lambda f: None
    t = c.types.resolve(node.type)
    if "extern" in (node.storage or []):
        return lambda f: None
    if "static" in (node.storage or []):
        var = Var(f"static:{where}:{node.name}", t, "global", node.name)
        scope[-1][node.name] = var
        c.global_decls.setdefault(var.slot, node)
        value = initializer(c, node.init, t, scope, zero=True)

        def init_static(f: Frame) -> None:
            if var.slot not in f.m.globals:
                f.m.globals[var.slot] = value(f)

        return init_static
    slot = c.new_slot(node.name)
    value = initializer(c, node.init, t, scope, zero=False)
    scope[-1][node.name] = Var(slot, t, "local", node.name)

    def run(f: Frame) -> None:
        f.v[slot] = value(f)

    return run


def initializer(c: CompilerHooks, init: c_ast.Node | None, t: CType, scope: Scope, zero: bool) -> Fn:
    where = c.where(init.coord) if init is not None else ""
    if init is None:
        return lambda f: new_value(t, zero)
    if isinstance(init, c_ast.InitList):
        if isinstance(t, Struct):
            return _struct_init(c, init, t, scope)
        if isinstance(t, Array):
            elems = [initializer(c, e, t.elem, scope, True) for e in init.exprs]
            n = t.length if t.length is not None else len(elems)
            return lambda f: [e(f) for e in elems] + [new_value(t.elem, True) for _ in range(n - len(elems))]
        if len(init.exprs) == 1:
            return initializer(c, init.exprs[0], t, scope, zero)
        raise UnsupportedConstruct(where, f"initializer list for {t}")
    fn, st = c.expr(init, scope)
    if isinstance(t, Struct):
        return lambda f: copy_value(fn(f))
    return convert(fn, st, t, where)


def _struct_init(c: CompilerHooks, init: c_ast.InitList, t: Struct, scope: Scope) -> Fn:
    fields: list[tuple[str, Fn]] = []
    order = [n for n, _ in t.fields]
    pos = 0
    for e in init.exprs:
        if isinstance(e, c_ast.NamedInitializer):
            name = e.name[0].name
            pos = order.index(name) if name in order else -1
            e = e.expr
        if not 0 <= pos < len(order):
            raise UnsupportedConstruct(c.where(e.coord), f"initializer does not match {t}")
        ft = t.fields[pos][1]
        fields.append((order[pos], initializer(c, e, ft, scope, True)))
        pos += 1

    def run(f: Frame) -> StructObj:
        obj = StructObj(t, {n: new_value(ft, True) for n, ft in t.fields})
        for name, value in fields:
            obj[name] = value(f)
        return obj

    return run


def _nothing(f: Frame) -> None:
    return None


def _always(f: Frame) -> int:
    return 1


def loop(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    inner = [*scope, {}]
    init = c.stmt(node.init, inner) if isinstance(node, c_ast.For) and node.init is not None else _nothing
    if node.cond is None:
        cond: Fn = _always
    else:
        cf, ct = c.expr(node.cond, inner)
        cond = truth(cf, ct)
    body = c.stmt(node.stmt, inner)
    nxt = c.expr(node.next, inner)[0] if isinstance(node, c_ast.For) and node.next is not None else _nothing
    test_first = not isinstance(node, c_ast.DoWhile)

    def run(f: Frame) -> Any:
        init(f)
        first = True
        while True:
            f.m.step(where)
            if (test_first or not first) and not cond(f):
                return None
            first = False
            sig = body(f)
            if sig is BREAK:
                return None
            if sig is not None and sig is not CONTINUE:
                return sig
            nxt(f)

    return run


def switch(c: CompilerHooks, node: c_ast.Switch, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    cf, ct = c.expr(node.cond, scope)
    if not isinstance(ct, Int) or not isinstance(node.stmt, c_ast.Compound):
        raise UnsupportedConstruct(where, "switch on a non-integer or without a block")
    inner = [*scope, {}]
    labels: list[int | None] = []
    bodies: list[list[Stmt]] = []
    for item in node.stmt.block_items or []:
        if isinstance(item, c_ast.Case):
            labels.append(ct.wrap(const_int(item.expr, c.types)))
        elif isinstance(item, c_ast.Default):
            labels.append(None)
        else:
            raise UnsupportedConstruct(c.where(item.coord), "statement before the first case label")
        bodies.append([c.stmt(s, inner) for s in item.stmts or []])

    def run(f: Frame) -> Any:
        v = cf(f)
        start = next((i for i, lab in enumerate(labels) if lab == v), None)
        if start is None:
            start = next((i for i, lab in enumerate(labels) if lab is None), None)
        if start is None:
            return None
        for stmts in bodies[start:]:
            for s in stmts:
                sig = s(f)
                if sig is BREAK:
                    return None
                if sig is not None:
                    return sig
        return None

    return run
