"""Conditions that moved between a function and a helper only one side defines (inlined, merged, split off)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from pycparser import c_ast

from models.condeval import nodes

if TYPE_CHECKING:
    from models.cload import Program
    from models.decisions import Changed, Decision

Via = Callable[[tuple["Program", "Program"], c_ast.Node, set[str]], list[tuple[str, str, str]]]


def _calls(program: Program, function: str, only: set[str]) -> set[str]:
    """The functions of ``only`` that ``function`` calls in ``program``, and those they call in turn among ``only``
    (a helper inlined that called another one inlined with it)."""
    found: set[str] = set()
    todo = [function]
    while todo:
        func = program.functions.get(todo.pop())
        if func is None:
            continue
        for n in nodes(func.body):
            if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in only \
                    and n.name.name not in found:
                found.add(n.name.name)
                todo.append(n.name.name)
    return found


def _twin(pool: dict[str, list[Decision]], callees: set[str], d: Decision) -> Decision | None:
    """The first decision of the same shape in one of ``callees`` (a helper inlined into each of its callers is the
    twin of each)."""
    return next((x for name in sorted(callees) for x in pool.get(name, []) if x.shape == d.shape), None)


def moved_across(programs: tuple[Program, Program], changed: list[Changed], decided: tuple[
        dict[str, list[Decision]], dict[str, list[Decision]]], renamed: tuple[tuple[str, str], ...], via: Via
                 ) -> list[Changed]:
    """``changed`` without a decision one side adds to (or takes from) a function whose twin, of the same shape, is
    in a helper only the other side defines which that function calls there: a helper inlined into its caller, or
    merged into it, holds the very test on one side and its caller on the other (a split: the test left for a new
    helper the function now calls). The two are one test, paired as an unchanged one is: said only where a function
    it calls differs (``via``, models.neighbours._changed_callees). Before, 'a condition of f() changed, none in A ->
    ...': no value run decides a test with no twin."""
    a, b = programs
    da, db = decided
    olds, news = {o for o, _ in renamed}, {n for _, n in renamed}
    gone = {n for n in da if n not in db and n not in olds}
    new = {n for n in db if n not in da and n not in news}
    if not gone and not new:
        return changed
    pools = ({n: da[n] for n in gone}, {n: db[n] for n in new})
    out: list[Changed] = []
    for c in changed:
        d, side = (c.b, 0) if c.a is None else (c.a, 1) if c.b is None else (None, 0)
        if d is None:
            out.append(c)
            continue
        host, only = (a, gone) if side == 0 else (b, new)
        twin = _twin(pools[side], _calls(host, d.function, only), d)
        if twin is None:
            out.append(c)
            continue
        x, y = (twin, d) if side == 0 else (d, twin)
        through = via(programs, x.node, set())
        if through:
            out.append(replace(c, a=x, b=y, via=tuple(through)))
    return out
