"""Loops and switch: while, do-while, for (its own scope, with cleanups), switch with GNU case ranges."""

from __future__ import annotations

import math
from bisect import bisect_right, insort
from collections.abc import Callable
from typing import Any, TypeVar

from pycparser import c_ast

from models.blocks import declares_cleanup, ends_lifetimes, with_cleanups
from models.consteval import NotConstant
from models.cparse import RANGE_OP, all_nodes
from models.ctype import CType, Int, promote
from models.errors import BuildFailure, MirrorError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.loopcycle import endless, entered, left, visit
from models.nestedcases import Nested, fall_through, nested_labels, switch_run
from models.nestedcases import entered as entered_at
from models.values import BREAK, CONTINUE, Fn, Frame, Scope, Stmt, convert, new_value, truth
from models.vlas import declares_vla

T = TypeVar("T")


def _always(f: Frame) -> int:
    return 1


def _control(c: CompilerHooks, node: c_ast.Node, scope: Scope, what: str) -> tuple[Fn, CType]:
    """A loop's or switch's controlling expression; a statement expression in it may not break or continue."""
    depth = len(c.escapes)
    fn, t = c.expr(node, scope)
    if any(jumps & {"break", "continue"} for jumps in c.escapes[depth:]):
        raise UnsupportedConstruct(c.where(node.coord), f"break or continue out of a statement expression in {what}")
    return fn, t


def loop(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    inner = [*scope, {}]
    is_for = isinstance(node, c_ast.For)
    init = c.stmt(node.init, inner) if is_for and node.init is not None else None
    cond: Fn = _always
    if node.cond is not None:
        cond = c.decision(truth(*_control(c, node.cond, inner, "a loop condition"), c.where(node.cond.coord)),
                          node.cond)
    body = c.stmt(node.stmt, inner)
    nxt = _control(c, node.next, inner, "a for statement")[0] if is_for and node.next is not None else None
    test_first = not isinstance(node, c_ast.DoWhile)
    no_way_out = endless(node)

    def run(f: Frame) -> Any:
        if init is not None:  # a call less per loop run, and per pass below, where there is none
            init(f)
        entered(f.m)  # its own step budget where it is the outermost (models.loopcycle)
        try:
            return passes(f)
        finally:
            left(f.m)

    def passes(f: Frame) -> Any:
        first = True
        while True:
            f.m.step(where)
            if f.m.past and (test_first or not first):  # past the step budget: models.loopcycle
                visit(f.m, node, f, where, no_way_out)
            if (test_first or not first) and not cond(f):
                sig = None
                break
            first = False
            sig = body(f)
            if sig is BREAK:
                sig = None
                break
            if sig is not None and sig is not CONTINUE:
                break
            if nxt is not None:
                nxt(f)
        if f.m.watch is not None:  # the loop watched ended: the next one reached is watched
            f.m.watch.left(node, f)
        return sig

    init_items = [node.init] if is_for and node.init is not None else []
    if not ends_lifetimes(c, init_items):
        return run

    # for (CLASS(...) = ...; ...): the variables of the init clause live until the loop is left.
    return with_cleanups(run)


def _labels(c: CompilerHooks, item: c_ast.Case, ct: Int, scope: Scope) -> tuple[int, int]:
    """A case label as a (low, high) range of values of the promoted controlling type."""
    expr = item.expr
    if isinstance(expr, c_ast.BinaryOp) and expr.op == RANGE_OP:
        return ct.wrap(c.const(expr.left, scope)[0]), ct.wrap(c.const(expr.right, scope)[0])
    value = ct.wrap(c.const(expr, scope)[0])
    return value, value


def switch(c: CompilerHooks, node: c_ast.Switch, scope: Scope) -> Stmt:
    where = c.where(node.coord)
    cf, t = _control(c, node.cond, scope, "a switch")
    ct = promote(t)
    if not isinstance(ct, Int) or not isinstance(node.stmt, c_ast.Compound):
        raise UnsupportedConstruct(where, "switch on a non-integer or without a block")
    cf = convert(cf, t, ct, where)
    inner = [*scope, {}]
    labels: list[tuple[int, int] | None] = []
    bodies: list[list[Stmt]] = []
    marks: list[Stmt] = []
    items = node.stmt.block_items or []
    first = next((i for i, item in enumerate(items) if isinstance(item, c_ast.Case | c_ast.Default)), len(items))
    before, items = items[:first], items[first:]
    unset = _before_cases(c, before, inner)
    labels = [_labels(c, item, ct, scope) if isinstance(item, c_ast.Case) else None for item in items]
    nested = nested_labels(items)  # Duff's device (models.nestedcases)
    c.nested_cases.update(n for _, _, n in nested)
    dead = _folded_labels(c, node, ct, labels, items, scope) if not nested else set()
    for pos, item in enumerate(items):
        # A label counts as run when the switch picks its case (its value matched, or default): falling
        # into it from the case above tests nothing of its value.
        marks.append(c.mark(item))
        bodies.append(_folded(c, pos in dead, item, pos == len(items) - 1, inner))
    if any(declares_vla(s, inner) for s in [*before, *(s for i in items[:-1] for s in i.stmts or [])]):
        raise BuildFailure(where, "switch jumps into scope of identifier with variably modified type")
    inside = [_labels(c, n, ct, scope) if isinstance(n, c_ast.Case) else None for _, _, n in nested]
    _check_duplicates(c, [*items, *(n for _, _, n in nested)], [*labels, *inside])
    if nested:
        return _nested_switch(c, (cf, unset, labels, marks, bodies), items, nested, inside, inner)

    def run(f: Frame) -> Any:
        v = cf(f)
        for slot, t in unset:  # declared before the first label: in scope, never initialised (C11 6.8.4.2p7)
            f.v[slot] = new_value(t, False)
        start = next((i for i, lab in enumerate(labels) if lab is not None and lab[0] <= v <= lab[1]), None)
        if start is None:
            start = next((i for i, lab in enumerate(labels) if lab is None), None)
        if start is None:
            return None
        marks[start](f)
        return fall_through(f, bodies[start:])

    return run


def _nested_switch(c: CompilerHooks, parts: tuple[Fn, list[tuple[str, CType]], list[tuple[int, int] | None],
                   list[Stmt], list[list[Stmt]]], items: list[c_ast.Node], nested: list[Nested],
                   inside: list[tuple[int, int] | None], inner: Scope) -> Stmt:
    """switch() where some labels lie inside a statement under a direct one (models.nestedcases): each an entry
    into that statement; a direct label (in the order written, then the nested ones: no value is in two) starts
    at its first statement."""
    cf, unset, labels, marks, bodies = parts
    for j, _, n in nested:
        if declares_cleanup(items[j].stmts or []):
            raise UnsupportedConstruct(c.where(n.coord), "a case label inside a statement under a label that "
                                                         "declares a variable with a cleanup is not modelled")
    entries = [entered_at(c, items[j].stmts[p], n, inner, loop) for j, p, n in nested]
    where = [*((j, 0, None) for j in range(len(items))), *((j, p, e) for (j, p, _), e in zip(nested, entries,
                                                                                              strict=True))]
    every = [*labels, *inside]
    default = next((i for i, lab in enumerate(every) if lab is None), None)

    def start(f: Frame, v: int) -> tuple[int, int, Stmt | None] | None:
        i = next((i for i, lab in enumerate(every) if lab is not None and lab[0] <= v <= lab[1]), default)
        if i is None:
            return None
        if i < len(items):
            marks[i](f)
        return where[i]

    def clear(f: Frame) -> None:
        for slot, t in unset:  # declared before the first label: in scope, never initialised (C11 6.8.4.2p7)
            f.v[slot] = new_value(t, False)

    return switch_run(cf, start, bodies, clear)


def _folded_labels(c: CompilerHooks, node: c_ast.Switch, ct: Int, labels: list[tuple[int, int] | None],
                   items: list[c_ast.Node], scope: Scope) -> set[int]:
    """The labels of a switch on an integer constant expression that constant folding removes: those before the
    one it picks, and those after a label whose statements end in break or return (nothing falls into them). None
    where a goto could jump in (a label statement in the block) or the value is not a constant."""
    if any(isinstance(n, c_ast.Label) for n in all_nodes(node.stmt)):
        return set()
    try:
        value = ct.wrap(c.const(node.cond, scope)[0])
    except (NotConstant, MirrorError):
        return set()
    picked = next((i for i, lab in enumerate(labels) if lab is not None and lab[0] <= value <= lab[1]),
                  next((i for i, lab in enumerate(labels) if lab is None), len(items)))
    live = set()
    for i in range(picked, len(items)):
        live.add(i)
        stmts = items[i].stmts or []
        if stmts and isinstance(stmts[-1], c_ast.Break | c_ast.Return):
            break
    return set(range(len(items))) - live


def if_branches(c: CompilerHooks, node: c_ast.If, scope: Scope) -> tuple[tuple[str, Stmt], tuple[str, Stmt] | None]:
    """An ``if``'s branches as statement sites; the one its integer constant condition skips compiled as folded
    away (gcc removes it before a BUILD_BUG() there could fail the build: models.builtins)."""
    try:
        taken: int | None = c.const(node.cond, scope)[0]
    except (NotConstant, MirrorError):
        taken = None  # not an integer constant expression: both branches stay
    then = _dead_if(c, taken == 0, lambda: c.stmt_site(node.iftrue, scope))
    if node.iffalse is None:
        return then, None
    return then, _dead_if(c, taken not in (0, None), lambda: c.stmt_site(node.iffalse, scope))


def _dead_if(c: CompilerHooks, dead: bool, compile_it: Callable[[], T]) -> T:
    if not dead:
        return compile_it()
    c.folded_away += 1
    try:
        return compile_it()
    finally:
        c.folded_away -= 1


def _folded(c: CompilerHooks, dead: bool, item: c_ast.Case | c_ast.Default, last: bool, inner: Scope) -> list[Stmt]:
    """A label's statements, compiled as folded away when constant folding removes them (models.builtins)."""
    return _dead_if(c, dead, lambda: _case_body(c, item, last, inner))


def _case_body(c: CompilerHooks, item: c_ast.Case | c_ast.Default, last: bool, inner: Scope) -> list[Stmt]:
    """The statements under one label. A variable with a cleanup (``default: guard(mutex)(&m);``) lives to the
    end of the switch's block: under the last label that is the end of these statements, run as one block
    (gcc 11 on take a declaration after a label). Under an earlier one a later label would jump into its
    scope, which clang refuses and gcc compiles to a cleanup of an uninitialised variable: refused."""
    stmts = item.stmts or []
    if not declares_cleanup(stmts):
        return [c.stmt(s, inner) for s in stmts]
    if not last:
        raise UnsupportedConstruct(c.where(item.coord), "a variable with a cleanup directly under a case label "
                                   "that a later case label jumps past (clang refuses it; put the case in braces)")
    return [c.stmt(c_ast.Compound(list(stmts), item.coord), inner)]


def _before_cases(c: CompilerHooks, stmts: list[c_ast.Node], inner: Scope) -> list[tuple[str, CType]]:
    """The statements of a switch's block before its first label: C allows them, and the switch jumps past them,
    so they never run (C11 6.8.4.2p7's example); compiled all the same, for what gcc checks when it builds (a
    static assertion, a type). A variable declared there is in scope for the cases, its initializer never run:
    (slot, type) of each, set unset when the switch starts. What a jump could reach (a label, a case label
    inside) and a declaration whose skipping changes more than its value (static, a cleanup, its address
    taken, so that its lifetime's end matters) are refused."""
    unset: list[tuple[str, CType]] = []
    addressed = c.addressed[-1] if c.addressed else frozenset()
    for stmt in stmts:
        where = c.where(stmt.coord)
        if any(isinstance(n, c_ast.Label | c_ast.Case | c_ast.Default) for n in all_nodes(stmt)):
            raise UnsupportedConstruct(where, "a label inside a statement before the first case label of a switch "
                                              "(a jump into it) is not modelled")
        if isinstance(stmt, c_ast.Decl) and stmt.name is not None and "extern" not in (stmt.storage or []):
            if "static" in (stmt.storage or []) or declares_cleanup([stmt]) or stmt.name in addressed:
                raise UnsupportedConstruct(where, f"the declaration of '{stmt.name}' before the first case label "
                                                  "of a switch (static, with a cleanup or its address taken) is "
                                                  "not modelled")
            c.stmt(stmt, inner)
            var = inner[-1][stmt.name]
            unset.append((var.slot, var.ctype))
        else:
            c.stmt(stmt, inner)
    return unset


def _check_duplicates(c: CompilerHooks, items: list[c_ast.Node], labels: list[tuple[int, int] | None]) -> None:
    """gcc refuses a value two case labels (or ranges) share, and a second default, at the first label (in the
    order written) that repeats an earlier one (c-family/c-common.cc, c_add_case_label)."""
    # The labels seen so far never overlap (else refused): sorted by their low end, those a label overlaps are
    # a run ending at the last one starting at or below its high end. Each label read every earlier one: a
    # switch of 50,000 cases took 36 s.
    seen: list[tuple[int, int, int]] = []  # low, high, order written
    defaults = 0
    for item, lab in zip(items, labels, strict=True):
        if lab is None:
            defaults += 1
            if defaults > 1:
                raise BuildFailure(c.where(item.coord), "multiple default labels in one switch")
            continue
        if lab[0] > lab[1]:
            continue
        j = bisect_right(seen, (lab[1], math.inf, math.inf)) - 1
        clashes = []
        while j >= 0 and seen[j][1] >= lab[0]:
            clashes.append(seen[j])
            j -= 1
        if clashes:
            first = min(clashes, key=lambda x: x[2])  # as gcc says it: the earliest label written
            raise BuildFailure(c.where(item.coord), f"duplicate (or overlapping) case value {max(lab[0], first[0])}")
        insort(seen, (lab[0], lab[1], len(seen)))
