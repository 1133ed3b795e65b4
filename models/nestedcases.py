"""A switch's case labels inside a statement under one of its labels (Duff's device): the switch enters there."""

# C11 6.8.4.2p3: a case or default label may be anywhere in the switch's body but inside a nested switch; the
# switch jumps to it, into a loop, a block or an if's branch (past whatever comes before it there, C11 6.8.6.1).
# Each such label is compiled as an entry: the statement holding it run from the label on (a loop's pass then
# ends as every pass does and the loop goes on), then what follows it under its direct label, then the labels
# after. Reached by falling through, such a label is its statement (models.stmtkinds s_Case).

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias

from pycparser import c_ast

from models.blocks import Skip, ends_lifetimes, jump_past, skipped, unlabelled, with_cleanups
from models.errors import BuildFailure, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.values import BREAK, CONTINUE, Fn, Frame, Scope, Stmt
from models.vlas import declares_vla

Label: TypeAlias = c_ast.Case | c_ast.Default
# (item, statement) of where a nested label lies: the switch's direct label (its index among them) and the
# statement under it that holds the nested one.
Nested: TypeAlias = tuple[int, int, Label]
Loop: TypeAlias = Callable[[CompilerHooks, c_ast.Node, Scope], Stmt]


def nested_labels(items: list[c_ast.Node]) -> list[Nested]:
    """The case and default labels inside the statements under this switch's direct labels ``items``, in the
    order written, but those of a switch inside."""
    return [(j, p, n) for j, item in enumerate(items) for p, s in enumerate(item.stmts or []) for n in _within(s)]


def _within(node: c_ast.Node) -> Iterator[Label]:
    if isinstance(node, c_ast.Switch):  # its labels are its own
        return
    if isinstance(node, c_ast.Case | c_ast.Default):
        yield node
    for child in node:
        yield from _within(child)


def _holds(node: c_ast.Node, target: c_ast.Node) -> bool:
    return node is target or any(_holds(child, target) for child in node if not isinstance(child, c_ast.Switch))


def entered(c: CompilerHooks, node: c_ast.Node, target: Label, scope: Scope, loop: Loop) -> Stmt:
    """Statement ``node`` run from label ``target`` inside it on (``loop``: models.flow.loop, for what a loop
    entered does once its entered pass ends)."""
    if node is target:
        mark, body = c.mark(node), [c.stmt(s, scope) for s in node.stmts or []]
        return _in_turn([mark, *body])
    if isinstance(node, c_ast.Case | c_ast.Default | c_ast.Label):  # a label on the way to it: its statements
        stmts = list(node.stmts or []) if isinstance(node, c_ast.Case | c_ast.Default) else [node.stmt]
        k = next(i for i, s in enumerate(stmts) if _holds(s, target))
        return _in_turn([entered(c, stmts[k], target, scope, loop), *(c.stmt(s, scope) for s in stmts[k + 1:])])
    if isinstance(node, c_ast.Compound):
        return _block(c, node, target, scope, loop)
    if isinstance(node, c_ast.DoWhile | c_ast.While | c_ast.For):
        return _loop(c, node, target, scope, loop)
    if isinstance(node, c_ast.If):  # the condition is jumped past: the branch holding the label runs
        branch = node.iftrue if _holds(node.iftrue, target) else node.iffalse
        return entered(c, branch, target, scope, loop)
    raise UnsupportedConstruct(c.where(target.coord), f"a case label inside a {type(node).__name__} (a jump into "
                                                      "it) is not modelled")


def _in_turn(body: list[Stmt]) -> Stmt:
    def run(f: Frame) -> Any:
        for s in body:
            sig = s(f)
            if sig is not None:
                return sig
        return None

    return run


def _block(c: CompilerHooks, node: c_ast.Compound, target: Label, scope: Scope, loop: Loop) -> Stmt:
    """A block entered at the item holding ``target``: the declarations before it jumped past (models.blocks),
    the items after it run in turn."""
    items = list(node.block_items or [])
    where = c.where(target.coord)
    if any(isinstance(i, c_ast.Label) for i in items):
        raise UnsupportedConstruct(where, "a case label in a block that also has goto labels is not modelled")
    k = next(i for i, s in enumerate(items) if _holds(s, target))
    inner = [*scope, {}]
    skips: list[Skip] = []
    for item in items[:k]:  # compiled for their names and what gcc checks; never run
        run = c.stmt(item, inner)
        if declares_vla(item, inner):
            raise BuildFailure(where, "switch jumps into scope of identifier with variably modified type")
        if isinstance(unlabelled(item), c_ast.Decl | c_ast.DeclList):
            skips.append(skipped(c, unlabelled(item), run, inner))
    into = entered(c, items[k], target, inner, loop)
    rest = _in_turn([into, *(c.stmt(i, inner) for i in items[k + 1:])])

    def run_entered(f: Frame) -> Any:
        for skip in skips:
            jump_past(f, skip, False, "the switch", where)
        return rest(f)

    return with_cleanups(run_entered) if ends_lifetimes(c, items) else run_entered


def _loop(c: CompilerHooks, node: c_ast.DoWhile | c_ast.While | c_ast.For, target: Label, scope: Scope,
          loop: Loop) -> Stmt:
    """A loop entered in its body: that pass run from ``target`` on (its condition and a for's first clause
    jumped past), then, unless it breaks or returns, a for's third clause and the loop from its test on."""
    nxt: Fn | None = None
    if isinstance(node, c_ast.For):
        if isinstance(node.init, c_ast.Decl | c_ast.DeclList):
            raise UnsupportedConstruct(c.where(target.coord), "a case label inside a for statement that declares "
                                                              "its variable (jumped past) is not modelled")
        nxt = c.expr(node.next, scope)[0] if node.next is not None else None
        rest = loop(c, c_ast.For(None, node.cond, node.next, node.stmt, node.coord), scope)
    else:
        rest = loop(c, c_ast.While(node.cond, node.stmt, node.coord), scope)
    into = entered(c, node.stmt, target, scope, loop)

    def run(f: Frame) -> Any:
        sig = into(f)
        if sig is BREAK:
            return None
        if sig is not None and sig is not CONTINUE:
            return sig
        if nxt is not None:
            nxt(f)
        return rest(f)

    return run


def switch_run(cf: Fn, start: Callable[[Frame, int], tuple[int, int, Stmt | None] | None],
               bodies: list[list[Stmt]], unset: Callable[[Frame], None]) -> Stmt:
    """A switch some of whose labels are nested: ``start`` gives, for the controlling value, the direct label's
    index, the statement under it to go on after, and the nested label's entry (None for a direct label, which
    starts at its first statement), or None where no label is taken."""
    def run(f: Frame) -> Any:
        v = cf(f)
        unset(f)
        picked = start(f, v)
        if picked is None:
            return None
        j, p, into = picked
        first = bodies[j][p:]
        if into is not None:
            sig = into(f)
            if sig is BREAK:
                return None
            if sig is not None:
                return sig
            first = bodies[j][p + 1:]
        return fall_through(f, (first, *bodies[j + 1:]))

    return run


def fall_through(f: Frame, bodies: Iterable[list[Stmt]]) -> Any:
    """Run a switch's ``bodies`` in order from the label taken, falling through each into the next (C11 6.8.4.2):
    None at their end or at a ``break``, else the first other signal (a return, a goto out, a continue)."""
    for stmts in bodies:
        for s in stmts:
            sig = s(f)
            if sig is BREAK:
                return None
            if sig is not None:
                return sig
    return None
