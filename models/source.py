"""Facts about the patched code itself, read from pycparser's AST: calls, printers, where a variable is set."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pycparser import c_ast

from models.loader import EntryPoint, Program, Source, definitions
from models.mirror import cached_mirror
from models.slicer import Kind

_LEVELS = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
PRINTK = frozenset({"printk", "printk_once", "printk_ratelimited", "printk_deferred", "pr_cont",
                    *(f"pr_{lv}{kind}" for lv in _LEVELS for kind in ("", "_once", "_ratelimited"))})


class _Calls(c_ast.NodeVisitor):  # type: ignore[misc]
    def __init__(self) -> None:
        self.names: Counter[str] = Counter()
        self.ids: set[str] = set()

    def visit_FuncCall(self, node: c_ast.FuncCall) -> None:
        if isinstance(node.name, c_ast.ID):
            self.names[node.name.name] += 1
        self.generic_visit(node)

    def visit_ID(self, node: c_ast.ID) -> None:
        self.ids.add(node.name)


@dataclass(frozen=True)
class CodeFacts:
    """What a variant's helper code contains, function by function: plain data (it is cached as JSON).

    ``sets[fn][var]`` lists the top-level statements of ``fn`` (0-based) that set ``var``.
    """

    functions: tuple[str, ...]
    calls: dict[str, Counter[str]]
    names: dict[str, frozenset[str]]
    sets: dict[str, dict[str, list[int]]]
    where: dict[str, str]

    def setting_statements(self, fn: str, var: str) -> list[int]:
        """Indexes of ``fn``'s top-level statements that set ``var``."""
        return self.sets.get(fn, {}).get(var, [])

    def to_dict(self) -> dict[str, Any]:
        return {"functions": list(self.functions), "calls": {f: dict(c) for f, c in self.calls.items()},
                "names": {f: sorted(n) for f, n in self.names.items()}, "sets": self.sets, "where": self.where}

    @staticmethod
    def from_dict(d: dict[str, Any]) -> CodeFacts:
        return CodeFacts(tuple(d["functions"]), {f: Counter(c) for f, c in d["calls"].items()},
                         {f: frozenset(n) for f, n in d["names"].items()},
                         {f: {v: list(i) for v, i in s.items()} for f, s in d["sets"].items()}, dict(d["where"]))

    def reach(self, fn: str) -> list[str]:
        """``fn`` and every function of these facts it calls, directly or not, in call order."""
        order, todo = [], [fn]
        while todo:
            name = todo.pop(0)
            if name in order or name not in self.calls:
                continue
            order.append(name)
            todo.extend(sorted(n for n in self.calls[name] if n in self.calls) +
                        sorted(n for n in self.names[name] if n in self.calls and n not in self.calls[name]))
        return order

    def calls_from(self, fn: str) -> Counter[str]:
        """Calls made by ``fn`` and by everything it reaches."""
        total: Counter[str] = Counter()
        for name in self.reach(fn):
            total.update(self.calls[name])
        return total

    def printers(self) -> set[str]:
        """Functions that print with printk()/pr_*() themselves."""
        return {f for f, c in self.calls.items() if PRINTK & set(c)}


def code_facts(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...] = ()) -> CodeFacts:
    """Facts of every function the entry points reach (every function of the sources when none are given)."""
    if not entries:
        table = definitions(sources)
        entries = tuple(EntryPoint(n, ("fn",)) for n, ds in table.items() if ds[0].kind is Kind.FUNCTION)
    program: Program = cached_mirror(sources, entries).program
    names = tuple(n for n in program.functions if n not in program.entries.values())
    calls: dict[str, Counter[str]] = {}
    ids: dict[str, frozenset[str]] = {}
    where: dict[str, str] = {}
    for name in names:
        node = program.functions.get(name)
        if node is None:
            continue
        v = _Calls()
        v.visit(node.body)
        calls[name], ids[name] = v.names, frozenset(v.ids)
        where[name] = program.where(node.coord)
    sets = {n: _sets(program.functions[n]) for n in calls}
    return CodeFacts(tuple(calls), calls, ids, sets, where)


def _assigned(node: c_ast.Node) -> set[str]:
    """The variables a statement sets (a declaration with initializer, an assignment, or a branch that does)."""
    if isinstance(node, c_ast.Decl):
        return {node.name} if node.name and node.init is not None else set()
    if isinstance(node, c_ast.Assignment):
        return {node.lvalue.name} if isinstance(node.lvalue, c_ast.ID) else set()
    if isinstance(node, c_ast.If):
        return set().union(*(_assigned(b) for b in (node.iftrue, node.iffalse) if b is not None))
    if isinstance(node, c_ast.Compound):
        return set().union(*(_assigned(s) for s in node.block_items or []))
    return set()


def _sets(func: c_ast.FuncDef) -> dict[str, list[int]]:
    """Per variable, the indexes of the function body's top-level statements that set it."""
    out: dict[str, list[int]] = {}
    for i, stmt in enumerate(func.body.block_items or []):
        for var in sorted(_assigned(stmt)):
            out.setdefault(var, []).append(i)
    return out
