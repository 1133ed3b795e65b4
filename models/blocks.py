"""Blocks and declarations: compound statements, statement expressions, __cleanup() scopes, initializers."""

# A declaration with the cleanup attribute (``__cleanup(f)``, ``__free(x)``, ``guard()``, ``scoped_guard()``)
# registers ``f(&var)`` on the frame when it runs; the scope that declared it calls the registered cleanups,
# latest first, on every way out: its end, break, continue, return (gcc manual, Common Variable Attributes).

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.clayout import incomplete
from models.consteval import refuse_bit_field
from models.cparse import cleanup_call, cleanup_of
from models.ctype import VOID, Array, CType, Incomplete, Struct
from models.errors import UnsupportedConstruct
from models.hooks import CompilerHooks
from models.initializers import initializer
from models.lifetimes import end_of_life
from models.marks import discarding, marked_sequence, recorded
from models.onceunits import in_header, static_slot
from models.pragmas import loop_pragmas
from models.reachable import NORETURN, folding, unreachable_from
from models.readonly import callee_returns, declared_readonly, declared_returns, expr_readonly
from models.statetext import state_snapshot
from models.values import (
    STATIC_SLOT,
    Escape,
    Fn,
    Frame,
    Goto,
    Scope,
    Stmt,
    Var,
    copy_value,
    decayed,
    new_value,
)
from models.vlas import declare_vla, is_vla, jumps_into_vla, vla_length

_STATEMENTS = (c_ast.Decl, c_ast.DeclList, c_ast.StaticAssert, c_ast.Compound, c_ast.If, c_ast.For, c_ast.While,
               c_ast.DoWhile, c_ast.Switch, c_ast.Return, c_ast.Break, c_ast.Continue, c_ast.Goto, c_ast.Label,
               c_ast.Case, c_ast.Default, c_ast.EmptyStatement, c_ast.Pragma, c_ast.Typedef)
_LOOPS = (c_ast.For, c_ast.While, c_ast.DoWhile)


def declares_cleanup(items: list[c_ast.Node]) -> bool:
    """Whether any of these block items (or a DeclList among them) declares a variable with a cleanup."""
    return any(cleanup_of(d) for i in items for d in (i.decls if isinstance(i, c_ast.DeclList) else [i]))


def ends_lifetimes(c: CompilerHooks, items: list[c_ast.Node]) -> bool:
    """Whether leaving a block of these items runs something: a cleanup, or the end of a local's lifetime whose
    address the function takes (``end_of_life``)."""
    if declares_cleanup(items):
        return True
    addressed = c.addressed[-1] if c.addressed else frozenset()
    return any(isinstance(d, c_ast.Decl) and d.name in addressed and not set(d.storage or ()) & {"static", "extern"}
               for i in items for d in (i.decls if isinstance(i, c_ast.DeclList) else [i]))


def unwind(f: Frame, mark: int) -> None:
    """Run the cleanups registered since ``mark``, latest first."""
    while len(f.defer) > mark:
        cleanup, _ = f.defer.pop()
        cleanup(f)


def sequence(body: list[Stmt], scoped: bool, labels: dict[str, int] | None = None,
             decls: dict[int, Skip] | None = None) -> Stmt:
    """Statements run in order until one signals; a scope with cleanups runs them on the way out. A ``goto``
    to one of the block's ``labels`` (name -> statement index) resumes there, doing what jumping past each
    declaration in between does (``decls``: statement index -> skipped())."""
    if labels:
        return _with_labels(body, scoped, labels, decls or {})
    def run(f: Frame) -> Any:
        for s in body:
            sig = s(f)
            if sig is not None:
                return sig
        return None

    return with_cleanups(run) if scoped else run


def with_cleanups(run: Stmt) -> Stmt:
    """``run`` in a scope with cleanup variables: the cleanups it registers run, latest first, on every way
    out (a signal, the end, a jump out of a statement expression)."""
    def scoped(f: Frame) -> Any:
        mark = len(f.defer)
        try:
            sig = run(f)
        except Escape:
            unwind(f, mark)
            raise
        unwind(f, mark)
        return sig

    return scoped


def _with_labels(body: list[Stmt], scoped: bool, labels: dict[str, int], decls: dict[int, Skip]) -> Stmt:
    def steps(f: Frame) -> Any:
        i = 0
        marks: dict[int, int] = {}  # statement index -> cleanups registered before it ran
        done: set[int] = set()  # the declarations run to their end since the block was entered
        while i < len(body):
            marks[i] = len(f.defer)
            sig = body[i](f)
            i += 1
            if sig is None and i - 1 in decls:
                done.add(i - 1)
            if not isinstance(sig, Goto) or sig.label not in labels:
                if sig is not None:
                    return sig
                continue
            target = labels[sig.label]
            for d in range(i - 1, target):  # forward over declarations (the goto's own, left by a jump out)
                if d in decls:
                    jump_past(f, decls[d], d in done, f"goto {sig.label}", sig.where)
            if scoped and target < i - 1:
                # Back above a cleanup variable's declaration leaves its scope: its cleanup runs (gcc), and the
                # declaration runs again. Within its scope ("goto out;" after guard()) nothing is left.
                unwind(f, marks.get(target, len(f.defer)))
            f.m.step(sig.where)  # a backward goto is a loop: bounded as one
            i = target
        return None

    return with_cleanups(steps) if scoped else steps


# What jumping forward past one declaration does: the statics it declares set up (their initializer is the
# program's start's, run once however they are reached); each automatic variable's slot, type and, where its address
# is taken, the end of its lifetime its block's exit runs (as the declaration registers it); or why it is refused.
Skip = tuple[list[Stmt], list[tuple[str, CType, tuple[Stmt, str] | None]], str]


def jump_past(f: Frame, skip: Skip, done: bool, jump: str, where: str) -> None:
    """Jump past a declaration (``jump``: the goto or switch, as said): C11 6.8.6.1 allows it but into a variably
    modified type's scope (gcc refuses that at build time); the variable is in scope, its initializer not run. Its
    lifetime began when the block was entered (6.2.4p6), so it is unset (indeterminate) unless this entry of the
    block already ran the declaration, whose value stays (a goto back above it and forward again)."""
    statics, autos, refused = skip
    if refused:
        raise UnsupportedConstruct(where, f"{jump} jumps over the declaration of {refused}, which the mirror does "
                                          "not model")
    for init in statics:
        init(f)
    if not done:
        for slot, t, entry in autos:
            f.v[slot] = new_value(t, False)
            if entry is not None:
                f.defer.append(entry)


def skipped(c: CompilerHooks, item: c_ast.Node, run: Stmt, scope: Scope) -> Skip:
    """What a goto past declaration ``item`` (compiled as ``run``, its names in ``scope[-1]``) does (Skip)."""
    decls = [d for d in (item.decls if isinstance(item, c_ast.DeclList) else [item])
             if isinstance(d, c_ast.Decl) and d.name is not None and "extern" not in (d.storage or [])]
    if any("static" in (d.storage or []) for d in decls):
        return [run], [], ""
    addressed = c.addressed[-1] if c.addressed else frozenset()
    autos: list[tuple[str, CType, tuple[Stmt, str] | None]] = []
    for d in decls:
        if cleanup_of(d):  # its cleanup would run on an unset variable (gcc builds it, clang refuses)
            return [], [], f"'{d.name}', which has a cleanup"
        var, where = scope[-1][d.name], c.where(d.coord)
        autos.append((var.slot, var.ctype, (end_of_life(d.name, var.slot, var.ctype, where), where)
                      if d.name in addressed else None))
    return [], autos, ""


def unlabelled(item: c_ast.Node) -> c_ast.Node:
    while isinstance(item, c_ast.Label):
        item = item.stmt
    return item


def compound(c: CompilerHooks, node: c_ast.Compound, scope: Scope, head: str | None = None) -> Stmt:
    """A block; ``head``, given, is its own start, noted as recorded() around it would note it."""
    inner = [*scope, {}]
    items = list(node.block_items or [])
    labels: dict[str, int] = {}
    for i, item in enumerate(items):
        while isinstance(item, c_ast.Label):  # "out: err: ..." labels the same statement
            labels[item.name] = i
            item = item.stmt
    loop_pragmas(items, c.where)
    stops = NORETURN | c.program.noreturn if c.program.noreturn else NORETURN  # a declared noreturn call ends a path
    cut = len(items) if labels else unreachable_from(items, folding(lambda e: c.const(e, inner)[0]), stops)
    parts = [c.block_part(item, inner) for item in items[:cut]]
    if cut < len(items):  # no path reaches them: gcc removes them, a BUILD_BUG() there too (models.builtins)
        c.folded_away += 1
        try:
            parts += [c.block_part(item, inner) for item in items[cut:]]
        finally:
            c.folded_away -= 1
    scoped = ends_lifetimes(c, items)
    if labels:
        jumps_into_vla(c, items, inner)
        decls = {i: skipped(c, item, parts[i][1], inner) for i, item in enumerate(map(unlabelled, items))
                 if isinstance(item, c_ast.Decl | c_ast.DeclList)}
        body = sequence([recorded(discarding(run) if value else run, site) for site, run, value in parts], scoped,
                        labels, decls)
        return body if head is None else recorded(body, head)
    run = marked_sequence(parts, head)
    return with_cleanups(run) if scoped else run


def statement_expression(c: CompilerHooks, node: c_ast.Compound, scope: Scope, inner: Scope | None = None
                         ) -> tuple[Fn, CType]:
    """GNU ``({ ... })``: the value of its last expression statement, void otherwise (gcc manual).

    A return, break or continue inside jumps out of the expression, and so does a goto to a label outside it (gcc
    permits jumping out of one): the run raises Escape, which the innermost statement containing the expression
    turns back into its signal (models.statements), a goto's then taken as a goto there is. ``inner``, given,
    is the scope its names are declared in (``[*scope, {}]``).
    """
    inner = inner if inner is not None else [*scope, {}]
    items = list(node.block_items or [])
    last = items.pop() if items and not isinstance(items[-1], _STATEMENTS) else None
    loop_pragmas(items, c.where)
    _refuse_own_labels(c, items)
    body = [c.stmt(item, inner) for item in items]
    value, vt = c.expr(last, inner) if last is not None else (_nothing, VOID)
    jumps = escaping_jumps(node) | _gotos_out(node)
    if jumps:
        c.escapes.append(jumps)
    if isinstance(vt, Struct):
        value = _copying(value)
    value, vt = decayed(value, vt)
    scoped = ends_lifetimes(c, items)

    def run(f: Frame) -> Any:
        mark = len(f.defer)
        try:
            for s in body:
                sig = s(f)
                if sig is not None:
                    raise Escape(sig)
            v = value(f)
        except Escape:
            unwind(f, mark)
            raise
        if scoped:
            unwind(f, mark)
        return v

    return run, vt


def _copying(fn: Fn) -> Fn:
    return lambda f: copy_value(fn(f))


def _refuse_own_labels(c: CompilerHooks, items: list[c_ast.Node]) -> None:
    """A label among a statement expression's own items (not in a block inside it) refused: its items run one by
    one, with no block to take a goto to it; a goto there ran out of the expression as a seamharness bug."""
    for item in items:
        if isinstance(item, c_ast.Label):
            raise UnsupportedConstruct(c.where(item.coord), f"label '{item.name}' directly inside a statement "
                                                             "expression's braces (not in a block there)")


def _gotos_out(node: c_ast.Compound) -> frozenset[str]:
    """{"goto"} when a goto inside the statement expression ``node`` names a label that is not inside it."""
    inside = list(_walk(node))
    own = {n.name for n in inside if isinstance(n, c_ast.Label)}
    return frozenset({"goto"}) if any(isinstance(n, c_ast.Goto) and n.name not in own for n in inside) \
        else frozenset()


def escaping_jumps(node: c_ast.Node, in_loop: bool = False, in_switch: bool = False) -> frozenset[str]:
    """The jumps out of a statement expression: return anywhere, break/continue not inside its own loops."""
    found: set[str] = set()
    if isinstance(node, c_ast.Return):
        found.add("return")
    elif isinstance(node, c_ast.Break) and not (in_loop or in_switch):
        found.add("break")
    elif isinstance(node, c_ast.Continue) and not in_loop:
        found.add("continue")
    for child in node:
        found |= escaping_jumps(child, in_loop or isinstance(node, _LOOPS),
                                in_switch or isinstance(node, c_ast.Switch))
    return frozenset(found)


def declare(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    if node.name is None:
        c.resolve(node.type, scope)  # a struct or enum declaration inside a function
        return _nothing
    if "extern" in (node.storage or []):
        return _nothing
    dim = vla_length(c, node, scope)
    if dim is not None:  # T name[n] (models.vlas)
        return declare_vla(c, node, dim, scope, (_readonly(c, node, scope), _returns(c, node, scope)))
    t = _declared_type(c, node, scope)
    if is_vla(t):  # typeof(buf) of a VLA: its length is buf's, which the type does not hold (models.vlas)
        raise UnsupportedConstruct(where, f"'{node.name}' declared with the type of a variable length array "
                                          "(typeof) is not modelled")
    cleanup = cleanup_of(node)
    if "static" in (node.storage or []):
        if cleanup:
            raise UnsupportedConstruct(where, f"__cleanup({cleanup}) on the static variable '{node.name}'")
        return _static(c, node, t, scope, where)
    slot = c.new_slot(node.name)
    # Its scope begins where its declarator ends (C11 6.2.1p7), before the initializer: 'struct s *p =
    # kzalloc(sizeof(*p), ...)' takes the size of what p points to (an outer variable of the same name is hidden).
    scope[-1][node.name] = Var(slot, t, "local", node.name, _readonly(c, node, scope), _returns(c, node, scope))
    value = _unset_first(initializer(c, node.init, t, scope, zero=False), node, slot, t)
    if cleanup:
        return _with_cleanup(c, node, cleanup, slot, value, scope, where)
    if c.addressed and node.name in c.addressed[-1]:  # a pointer to it may outlive its block
        entry = (end_of_life(node.name, slot, t, where), where)

        def run_addressed(f: Frame) -> None:
            f.v[slot] = value(f)
            f.defer.append(entry)

        return run_addressed

    def run(f: Frame) -> None:
        f.v[slot] = value(f)

    return run


def _unset_first(value: Fn, node: c_ast.Decl, slot: str, t: CType) -> Fn:
    """An initializer that names its own variable reads it unset (not a value an earlier run of the block left)."""
    if node.init is None or not any(isinstance(n, c_ast.ID) and n.name == node.name for n in _walk(node.init)):
        return value

    def unset_then(f: Frame) -> Any:
        f.v[slot] = new_value(t, False)
        return value(f)

    return unset_then


def _walk(node: c_ast.Node) -> Any:
    yield node
    for child in node:
        yield from _walk(child)


def _readonly(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> int:
    """What the declaration makes const, its typedef's and typeof's const too (models.readonly)."""
    return declared_readonly(node, c.types.typedefs, lambda e: expr_readonly(e, c.seen(scope)))


def _returns(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> int:
    """What a call through the declared function pointer returns is const (models.readonly.declared_returns)."""
    return declared_returns(node, c.types.typedefs, lambda e: callee_returns(e, c.seen(scope)))


def _declared_type(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> CType:
    """The declared type; ``__auto_type x = e`` takes the type of ``e`` (gcc manual, Typeof)."""
    if isinstance(node.type, c_ast.TypeDecl) and isinstance(node.type.type, c_ast.InferredType):
        if node.init is None:
            raise UnsupportedConstruct(c.where(node.coord), f"__auto_type '{node.name}' without an initializer")
        refuse_bit_field(node.init, c.typer(scope), c.where(node.coord), "'__auto_type' used with")
        return decayed(*c.expr(node.init, scope))[1]
    t = c.resolve(node, scope)  # the Decl: an array of unknown size takes its size from the initializer
    inner = t.elem if isinstance(t, Array) else t
    if isinstance(inner, Incomplete):  # typeof(*p) of a struct never defined: gcc, "storage size isn't known"
        raise incomplete(inner, c.where(node.coord), f"the variable '{node.name}'")
    return t


def _static(c: CompilerHooks, node: c_ast.Decl, t: CType, scope: Scope, where: str) -> Stmt:
    column = getattr(node.coord, "column", 0) or 0  # two on one line (two dev_err_once() there) are two objects
    var = Var(f"{STATIC_SLOT}{where}:{node.name}@{column}", t, "global", node.name, _readonly(c, node, scope),
              _returns(c, node, scope))
    owner, name, line = scope[0]["#func"].name if "#func" in scope[0] else "?", node.name, where.rpartition(":")[2]
    sites = c.static_sites.setdefault(f"{owner}::{name}", {})  # two functions may each have a static of one name
    sites[var.slot] = (int(line) if line.isdigit() else 0, column)
    c.static_lines.setdefault(where, {})[var.slot] = column
    scope[-1][name] = var
    c.global_decls.setdefault(var.slot, node)
    value = initializer(c, node.init, t, scope, zero=True)
    if in_header(where):  # one object per translation unit (models.onceunits.static_slot)
        def init_unit_static(f: Frame) -> None:
            slot, copy = static_slot(f.m, var.slot, where, name)
            if slot not in f.m.globals:
                f.m.globals[slot] = v = value(f)
                f.m.initial[slot] = (state_snapshot(v, t), t, static_label(owner, name, sites, var.slot) + copy)

        return init_unit_static

    def init_static(f: Frame) -> None:
        if var.slot not in f.m.globals:
            f.m.globals[var.slot] = v = value(f)
            f.m.initial[var.slot] = (state_snapshot(v, t), t, static_label(owner, name, sites, var.slot))

    return init_static


def static_label(owner: str, name: str, sites: dict[str, tuple[int, int]], slot: str) -> str:
    """The name a run's state gives a function's static (models.mirror.changed_state): ``owner::name``, numbered in
    source order where the function declares several of that name (``f::__print_once#2``: each dev_err_once() site
    of include/linux/dev_printk.h dev_level_once() has its own, C11 6.2.4p3), as once_state numbers pr_err_once()."""
    label = f"{owner}::{name}"
    if len(sites) == 1:
        return label
    return f"{label}#{sorted(sites, key=sites.__getitem__).index(slot) + 1}"


def _with_cleanup(c: CompilerHooks, node: c_ast.Decl, cleanup: str, slot: str, value: Fn, scope: Scope,
                  where: str) -> Stmt:
    """Initialise the variable, then register ``cleanup(&var)`` for the end of its scope."""
    call = cleanup_call(node)
    assert call is not None  # the caller found the attribute
    run_cleanup = c.expr(call, scope)[0]
    entry = (run_cleanup, where)

    def run(f: Frame) -> None:
        f.v[slot] = value(f)
        f.defer.append(entry)

    return run


def _nothing(f: Frame) -> None:
    return None
