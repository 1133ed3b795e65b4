"""Statements gcc's optimiser removes as unreachable: those after one that never completes (a return on every path)."""

# BUILD_BUG() and BUILD_BUG_ON() are calls of a function gcc refuses to build only where the call survives its
# optimisation (models.builtins): after ``switch (KIND) { case 1: return 10; default: return 30; }``, after a
# return, a goto, a break or BUG(), no path reaches them and gcc -O2 builds. Which statements can complete is
# worked out as gcc folds: an integer constant condition picks its branch, case or loop. What is not known to
# end (a loop without a constant condition, a statement expression's jump) counts as completing: its successors
# stay reachable, so a BUILD_BUG() there still fails the build, as before.

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.consteval import NotConstant
from models.cparse import RANGE_OP, all_nodes
from models.errors import MirrorError

Const = Callable[[c_ast.Node], int | None]  # an integer constant expression's value, None for any other
NORMAL, BREAK, CONTINUE, JUMP = "normal", "break", "continue", "jump"  # JUMP: return, goto, a noreturn call
NORETURN = frozenset({"__builtin_trap", "__builtin_unreachable", "BUG", "panic"})


def folding(const: Callable[[c_ast.Node], int]) -> Const:
    """``const`` (an integer constant expression's value, raising for any other) as a Const."""
    def value(node: c_ast.Node) -> int | None:
        try:
            return const(node)
        except (NotConstant, MirrorError):
            return None
    return value


def unreachable_from(items: list[c_ast.Node], const: Const, stops: frozenset[str] = NORETURN) -> int:
    """The index of the first of ``items`` (a block's, with no label among them) no path reaches: the one after
    the first that never completes; ``len(items)`` where every one may run. ``stops``: the functions whose call
    never returns (NORETURN and those the code declares noreturn, models.noreturn)."""
    if any(_entered(item) for item in items):
        return len(items)
    for i, item in enumerate(items):
        if NORMAL not in exits(item, const, stops):
            return i + 1
    return len(items)


@lru_cache(maxsize=8192)  # by node (pycparser's hash is identity): the programs of a run share parsed definitions
def _entered(node: c_ast.Node) -> bool:
    """Whether a jump may enter ``node`` from outside: a label in it, or a case label not of a switch inside. Read
    once per parsed node: every program that has the definition compiles its blocks, and each block reads its
    statements' subtrees again."""
    todo: list[tuple[c_ast.Node, bool]] = [(node, False)]  # a node, and whether a switch inside ``node`` holds it
    while todo:
        n, switched = todo.pop()
        if isinstance(n, c_ast.Label) or (not switched and isinstance(n, c_ast.Case | c_ast.Default)):
            return True  # a goto's label inside a switch too; a case label only of no switch inside
        if isinstance(n, c_ast.Switch):
            todo += ((child, inner) for child, inner in ((n.cond, switched), (n.stmt, True)) if child is not None)
        else:
            todo += ((child, switched) for child in n)  # pycparser yields a node's children (children()'s)
    return False


def exits(node: c_ast.Node, const: Const, stops: frozenset[str] = NORETURN) -> frozenset[str]:
    """How ``node`` may be left: completing (NORMAL), by break, continue, or a jump out of the function (a call of
    one of ``stops``, functions that never return, too)."""
    if isinstance(node, c_ast.Return | c_ast.Goto):
        return frozenset({JUMP})
    if isinstance(node, c_ast.Break):
        return frozenset({BREAK})
    if isinstance(node, c_ast.Continue):
        return frozenset({CONTINUE})
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in stops:
        return frozenset({JUMP})
    if isinstance(node, c_ast.Label):
        return exits(node.stmt, const, stops) if node.stmt is not None else frozenset({NORMAL})
    if isinstance(node, c_ast.Compound):
        return _sequence(node.block_items or [], const, stops)
    if isinstance(node, c_ast.If):
        return _if(node, const, stops)
    if isinstance(node, c_ast.While | c_ast.DoWhile | c_ast.For):
        return _loop(node, const, stops)
    if isinstance(node, c_ast.Switch):
        return _switch(node, const, stops)
    return frozenset({NORMAL})


def _sequence(items: list[c_ast.Node], const: Const, stops: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for i, item in enumerate(items):
        e = exits(item, const, stops)
        out |= e - {NORMAL}
        if NORMAL not in e and not any(_entered(rest) for rest in items[i + 1:]):  # a label below is reached
            return frozenset(out)
    return frozenset(out | {NORMAL})


def _if(node: c_ast.If, const: Const, stops: frozenset[str]) -> frozenset[str]:
    taken = const(node.cond)
    then = exits(node.iftrue, const, stops)
    other = exits(node.iffalse, const, stops) if node.iffalse is not None else frozenset({NORMAL})
    if taken is None:
        return then | other
    return then if taken else other


def _loop(node: c_ast.While | c_ast.DoWhile | c_ast.For, const: Const, stops: frozenset[str]) -> frozenset[str]:
    """A loop completes when its condition may end it or its body breaks; a return inside leaves it."""
    body = exits(node.stmt, const, stops) if node.stmt is not None else frozenset({NORMAL})
    value = 1 if node.cond is None else const(node.cond)
    reaches_cond = NORMAL in body or CONTINUE in body
    if isinstance(node, c_ast.DoWhile):  # the body first, then the condition
        ends = reaches_cond and (value is None or value == 0)
    elif value == 0:
        return frozenset({NORMAL})  # the body never runs
    else:
        ends = value is None  # tested before each pass: a condition not constant may end it
    return frozenset((body & {JUMP}) | ({NORMAL} if ends or BREAK in body else set()))


def _switch(node: c_ast.Switch, const: Const, stops: frozenset[str]) -> frozenset[str]:
    """A switch completes where the case it may start at falls off its end or breaks."""
    items = node.stmt.block_items or [] if isinstance(node.stmt, c_ast.Compound) else []
    labels = [i for i, item in enumerate(items) if isinstance(item, c_ast.Case | c_ast.Default)]
    if any(isinstance(n, c_ast.Label) for n in all_nodes(node.stmt)) or not labels:
        return frozenset({NORMAL, JUMP})
    value = const(node.cond)
    picked = _picked(items, labels, value, const) if value is not None else None
    starts = [picked] if picked is not None else labels
    out: set[str] = set()
    if picked is None and (value is not None or not any(isinstance(items[i], c_ast.Default) for i in labels)):
        out.add(NORMAL)  # no label matches: past the switch
    for start in starts:
        out |= _from(items, start, const, stops)
    return frozenset(out)


def _picked(items: list[c_ast.Node], labels: list[int], value: int, const: Const) -> int | None:
    for i in labels:
        item = items[i]
        if isinstance(item, c_ast.Case):
            expr = item.expr
            low, high = (expr.left, expr.right) if isinstance(expr, c_ast.BinaryOp) and expr.op == RANGE_OP else \
                (expr, expr)
            lo, hi = const(low), const(high)
            if lo is None or hi is None:
                return None
            if lo <= value <= hi:
                return i
    return next((i for i in labels if isinstance(items[i], c_ast.Default)), None)


def _from(items: list[c_ast.Node], start: int, const: Const, stops: frozenset[str]) -> set[str]:
    """How a switch is left starting at label ``start``: falling through the labels after it."""
    out: set[str] = set()
    for item in items[start:]:
        stmts = item.stmts or [] if isinstance(item, c_ast.Case | c_ast.Default) else [item]
        e = _sequence(stmts, const, stops)
        out |= e - {NORMAL, BREAK}
        if BREAK in e:
            out.add(NORMAL)
        if NORMAL not in e:
            return out
    return out | {NORMAL}
