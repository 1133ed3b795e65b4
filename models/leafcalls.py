"""The calls the compared entry points can make, through function pointers too: whose arguments a leaf is carried by.

models.decided holds a parameter to the scenario's leaf only where every call that can reach its function passes
the leaf there. A call names its function (``sc_retry(op, fn, args)``) or goes through a pointer: a parameter
(``op(fn, args)`` in sc_retry()), whose functions are those its callers pass there, followed up through their own
parameters; or a table or local (``ops->call(fn, args)``, ``.call = do_call``), which may hold any function the code
names as a value (in a function or a global's initialiser). A function handed to code the program does not have (a
builtin that may call it with anything) has calls that are not all known: none of its parameters is held.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes
from models.cparse import cleanup_call, param_list
from models.nodecopy import origin
from models.pointees import _values_named
from models.record import record

Site = tuple[str, list[c_ast.Node]]  # the calling function, the arguments
_ROUNDS = 16  # pointers handed on through parameters, each round one level further


@record
class Calls:
    """The calls reachable from the entry wrappers, by the function they enter, and the functions whose calls are
    not all known (handed to code the program lacks; every one when pointers are not worked out within _ROUNDS)."""

    sites: dict[str, list[Site]]
    unknown: frozenset[str]


def _globals(program: Program) -> dict[str, frozenset[str]]:
    """The global variables (not functions), each with the functions its initialiser names (a table of them)."""
    out: dict[str, frozenset[str]] = {}
    for ext in program.ast.ext:
        if isinstance(ext, c_ast.Decl) and ext.name and not isinstance(ext.type, c_ast.FuncDecl):
            named = {n.name for n in nodes(ext.init) if isinstance(n, c_ast.ID)} if ext.init is not None else set()
            out[ext.name] = frozenset(named & program.functions.keys())
    return out


@lru_cache(maxsize=4096)
def _body(body: c_ast.Node) -> tuple[tuple[tuple[c_ast.Node, list[c_ast.Node]], ...], frozenset[str]]:
    """A function body's calls (what each calls, its arguments) and the names it declares: read once per body,
    which every program holding the definition shares, for every round and every set of entry points."""
    calls: list[tuple[c_ast.Node, list[c_ast.Node]]] = []
    local: set[str] = set()
    todo: list[c_ast.Node] = [body]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.FuncCall):
            calls.append((n.name, list(n.args.exprs) if n.args else []))
        elif isinstance(n, c_ast.Decl) and n.name:
            local.add(n.name)
            cleanup = cleanup_call(n)  # ``f(&var)`` at the end of its scope (a guard's destructor, a __free())
            if cleanup is not None:
                calls.append((cleanup.name, list(cleanup.args.exprs)))
        todo.extend(n)
    return tuple(calls), frozenset(local)


class _Walk:
    """One pass over the calls reachable from the wrappers, pointers resolved as ``targets`` says so far."""

    def __init__(self, program: Program, tables: tuple[dict[str, frozenset[str]], frozenset[str]],
                 targets: dict[tuple[str, int], frozenset[str]]) -> None:
        self.funcs = program.functions
        self.globals, self.named = tables
        self.targets = targets
        self.sites: dict[str, list[Site]] = {}
        self.handed: list[c_ast.Node] = []  # arguments of calls to code the program lacks

    def run(self, wrappers: list[str], written: Callable[[str], set[str]]) -> None:
        todo, seen = list(wrappers), set(wrappers)
        while todo:
            name = todo.pop()
            func = self.funcs.get(name)
            if func is None:
                continue
            params = param_list(func)
            calls, local = _body(func.body)
            for called, args in calls:
                callees = self._callees(called, name, params, local | written(name))
                if callees is None:  # code the program lacks: what it is handed may be called with anything
                    self.handed.extend(args)
                    continue
                for c in callees:
                    self.sites.setdefault(c, []).append((name, args))
                    if c not in seen:
                        seen.add(c)
                        todo.append(c)

    def _callees(self, called: c_ast.Node, caller: str, params: list[str], local: frozenset[str]
                 ) -> frozenset[str] | None:
        """The functions of the program a call may enter; None for a function the program does not have.
        ``local``: the names the caller declares or stores to."""
        if not isinstance(called, c_ast.ID):
            return self.named  # through a table, an array or a dereference: any function named as a value
        if called.name in params and called.name not in local:
            return self.targets.get((caller, params.index(called.name)), frozenset())
        if called.name in local or called.name in self.globals:  # a local, a global, a parameter stored to
            return self.named
        return frozenset({called.name}) if called.name in self.funcs else None

    def unknown(self) -> frozenset[str]:
        """The functions handed to code the program lacks, directly or through a global's initialiser."""
        out: set[str] = set()
        for arg in self.handed:
            for i in _values_named(arg):  # a call in it (``__sh_result(busy(...))``) hands on its value only
                if i in self.funcs:
                    out.add(i)
                out.update(self.globals.get(i, ()))
        return frozenset(out)

    def passed(self, written: Callable[[str], set[str]]) -> dict[tuple[str, int], frozenset[str]]:
        """The functions each parameter may hold as the calls found pass them: a function named, a caller's
        parameter's, or (anything else, or a parameter stored to) any named as a value."""
        out: dict[tuple[str, int], set[str]] = {}
        for callee, sites in self.sites.items():
            for caller, args in sites:
                cparams = param_list(self.funcs[caller]) if caller in self.funcs else []
                for i, a in enumerate(args):
                    out.setdefault((callee, i), set()).update(self._value(a, caller, cparams, written))
        return {k: frozenset(v) for k, v in out.items()}

    def _value(self, a: c_ast.Node, caller: str, cparams: list[str], written: Callable[[str], set[str]]
               ) -> frozenset[str]:
        if isinstance(a, c_ast.UnaryOp) and a.op == "&":
            a = a.expr
        if isinstance(a, c_ast.ID) and a.name in cparams and a.name not in written(caller):
            return self.targets.get((caller, cparams.index(a.name)), frozenset())
        if isinstance(a, c_ast.ID) and a.name in self.funcs and a.name not in cparams:
            return frozenset({a.name})
        return self.named


def call_sites(program: Program, wrappers: list[str], written: Callable[[str], set[str]]) -> Calls:
    """The calls reachable from ``wrappers`` (``written``: the names a function stores to)."""
    funcs = program.functions
    tables = _globals(program)
    named = frozenset({n for f in funcs.values() for n in _values_named(origin(f.body))} & funcs.keys()
                      | {n for fs in tables.values() for n in fs})
    targets: dict[tuple[str, int], frozenset[str]] = {}
    for _ in range(_ROUNDS):
        walk = _Walk(program, (tables, named), targets)
        walk.run(wrappers, written)
        found = walk.passed(written)
        if found == targets:
            return Calls(walk.sites, walk.unknown())
        targets = found
    return Calls(walk.sites, frozenset(program.functions))  # not worked out: no call is known to carry the leaf
