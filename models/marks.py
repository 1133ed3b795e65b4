"""Coverage marks: what compiled statements and decisions note in a run's ``ran`` (harness.reach, harness.linecover)."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.cparse import kept_nodes
from models.values import Fn, Frame, Stmt


def recorded(run: Stmt, site: str) -> Stmt:
    """``run``, noting its start ``site`` ("file:line:column") in the run's ``ran`` each time it executes."""
    def marked(f: Frame) -> Any:
        f.m.ran.add(site)
        return run(f)
    return marked


def marked_sequence(parts: list[tuple[str, Stmt, bool]], head: str | None = None) -> Stmt:
    """Statements run in order until one signals, each noted at its start as recorded() notes it: one call a
    statement, not two (a block's statements are most of a run's). A part flagged True is an expression statement
    whose closure gives the value the statement discards: never a signal, so run without a wrapper dropping it.
    ``head``, given, is the block's own start, noted first as recorded() around the block would (a function's or
    a loop's body: one call, not two, each time it runs)."""
    def run(f: Frame) -> Any:
        ran = f.m.ran
        if head is not None:
            ran.add(head)
        for site, s, discards in parts:
            ran.add(site)
            sig = s(f)
            if sig is not None and not discards:
                return sig
        return None
    return run


def discarding(fn: Fn) -> Stmt:
    """An expression statement: ``fn``, its value dropped (a statement's result is a signal or None)."""
    def run(f: Frame) -> None:
        fn(f)
    return run


def decided(test: Fn, site: str, tagged: str) -> Fn:
    """``test``, noting whether it came out true or false at its ``site`` and its ``tagged`` site (":T", ":F")."""
    yes, no = (f"{site}:T", f"{tagged}:T"), (f"{site}:F", f"{tagged}:F")

    def run(f: Frame) -> Any:
        value = test(f)
        f.m.ran.update(yes if value else no)
        return value
    return run


def fired(call: Fn, site: str, tagged: str) -> Fn:
    """An assertion's ``call`` (lockdep_assert_held()): a test of its own, the kernel's WARN_ON() inside it, noted as
    decided() notes one, true where the call reported (an event), false where it passed: one that always passed
    shows nothing of what it reports (harness.linecover)."""
    yes, no = (f"{site}:T", f"{tagged}:T"), (f"{site}:F", f"{tagged}:F")

    def run(f: Frame) -> Any:
        before = len(f.m.events)
        value = call(f)
        f.m.ran.update(yes if len(f.m.events) != before else no)
        return value
    return run


def branch(test: Fn, sites: tuple[str, str], then: tuple[str, Stmt], other: tuple[str, Stmt] | None) -> Stmt:
    """An if statement: ``test`` noted as decided() notes it at its ``sites``, then the branch it picks noted at
    its start as recorded() notes it (``then`` and ``other``: stmt_site()'s), in one update."""
    (site, tagged), (then_site, then_run) = sites, then
    yes = (f"{site}:T", f"{tagged}:T", then_site)
    if other is None:
        no = (f"{site}:F", f"{tagged}:F")

        def one(f: Frame) -> Any:
            if test(f):
                f.m.ran.update(yes)
                return then_run(f)
            f.m.ran.update(no)
            return None
        return one
    other_site, other_run = other
    otherwise = (f"{site}:F", f"{tagged}:F", other_site)

    def both(f: Frame) -> Any:
        if test(f):
            f.m.ran.update(yes)
            return then_run(f)
        f.m.ran.update(otherwise)
        return other_run(f)
    return both


def decision_sites(where: str, node: c_ast.Node, starts: set[str]) -> tuple[str, str]:
    """A decision's site ("?file:line:column") and its tagged site, each kept in the function's ``starts`` as ":D"."""
    site = f"?{where}:{getattr(node.coord, 'column', 0) or 0}"
    # pycparser places ``a && b`` where ``a`` starts, so two decisions may share a site: the same site tagged
    # with the decision's size (decision_tag) tells them apart (models.leafflow and harness.linecover read it).
    tagged = f"{site}~{decision_tag(node)}"
    starts.update((f"{site}:D", f"{tagged}:D"))
    return site, tagged


def decision_tag(node: c_ast.Node) -> int:
    """How many AST nodes a decision's expression has: a decision and one that starts at its column (its left
    operand) differ in it, so ``?path:line:col~N`` names one decision where ``?path:line:col`` may name two."""
    return len(kept_nodes(node))
