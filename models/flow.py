"""Loops and switch: while, do-while, for (its own scope, with cleanups), switch with GNU case ranges."""

from __future__ import annotations

import itertools
from typing import Any

from pycparser import c_ast

from models.blocks import declares_cleanup, with_cleanups
from models.cparse import RANGE_OP
from models.ctype import CType, Int, promote
from models.errors import BuildFailure, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.values import BREAK, CONTINUE, Fn, Frame, Scope, Stmt, convert, truth


def _nothing(f: Frame) -> None:
    return None


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
    init = c.stmt(node.init, inner) if is_for and node.init is not None else _nothing
    cond: Fn = _always
    if node.cond is not None:
        cond = c.decision(truth(*_control(c, node.cond, inner, "a loop condition")), node.cond)
    body = c.stmt(node.stmt, inner)
    nxt = _control(c, node.next, inner, "a for statement")[0] if is_for and node.next is not None else _nothing
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

    init_items = [node.init] if is_for and node.init is not None else []
    if not declares_cleanup(init_items):
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
    for item in node.stmt.block_items or []:
        if isinstance(item, c_ast.Case):
            labels.append(_labels(c, item, ct, scope))
        elif isinstance(item, c_ast.Default):
            labels.append(None)
        else:
            raise UnsupportedConstruct(c.where(item.coord), "statement before the first case label")
        if declares_cleanup(item.stmts or []):
            raise UnsupportedConstruct(c.where(item.coord), "a variable with a cleanup directly under a case label")
        # A label counts as run when the switch picks its case (its value matched, or default): falling
        # into it from the case above tests nothing of its value.
        marks.append(c.mark(item))
        bodies.append([c.stmt(s, inner) for s in item.stmts or []])
    _check_duplicates(c, node, labels)

    def run(f: Frame) -> Any:
        v = cf(f)
        start = next((i for i, lab in enumerate(labels) if lab is not None and lab[0] <= v <= lab[1]), None)
        if start is None:
            start = next((i for i, lab in enumerate(labels) if lab is None), None)
        if start is None:
            return None
        marks[start](f)
        for stmts in bodies[start:]:
            for s in stmts:
                sig = s(f)
                if sig is BREAK:
                    return None
                if sig is not None:
                    return sig
        return None

    return run


def _check_duplicates(c: CompilerHooks, node: c_ast.Switch, labels: list[tuple[int, int] | None]) -> None:
    """gcc refuses a value two case labels (or ranges) share, and a second default."""
    ranges = sorted(lab for lab in labels if lab is not None and lab[0] <= lab[1])
    for (_, high), (low, _) in itertools.pairwise(ranges):
        if low <= high:
            raise BuildFailure(c.where(node.coord), f"duplicate (or overlapping) case value {low}")
    if labels.count(None) > 1:
        raise BuildFailure(c.where(node.coord), "multiple default labels in one switch")
