"""The program's functions as the bit-63 leaf analysis (models.leafbits) reads them: parameters, stores, calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes, cleanup_call, kept_nodes
from models.ctype import Int
from models.errors import MirrorError
from models.knownbits import Value
from models.pointees import _named_as_values, file_variables
from models.pointsat import stored_base as _base
from models.typesys import TypeSystem

_STEPS = frozenset({"++", "--", "p++", "p--", "&"})  # a parameter changed, or its address taken


@dataclass
class LeafCode:
    """The program's functions as this analysis reads them: parameter names and types, return types."""

    program: Program
    types: TypeSystem
    params: dict[str, list[tuple[str | None, Int | None]]] = field(default_factory=dict)
    returns: dict[str, Int | None] = field(default_factory=dict)
    unusable: dict[str, frozenset[str]] = field(default_factory=dict)  # parameters stored into or shadowed
    # the variadic functions: a call passes its first arguments to the parameters, the rest to the "..." (C11 6.5.2.2p7)
    variadic: frozenset[str] = frozenset()
    # Read once for every analysis of the program (one per value of bit 63, and per entry point): the functions
    # called through a pointer, and each function's direct calls.
    pointed: frozenset[str] = frozenset()
    variables: frozenset[str] = frozenset()  # file-scope variables (a function pointer among them)
    calls: dict[str, tuple[c_ast.FuncCall, ...]] = field(default_factory=dict)
    # id(node) -> its coverage key (models.leafbits._Marks.key), and a decision's tag (_Marks.decide): made once for
    # every walk
    keys: dict[int, str] = field(default_factory=dict)
    tags: dict[int, str] = field(default_factory=dict)
    # A function's marks, by its parameters' known bits (_marked): the same for both values of bit 63 and for every
    # entry point's analysis where what its calls pass is the same (most functions: the leaf never reaches them).
    walked: dict[tuple[str, tuple[tuple[str, Value], ...]], list[tuple[str, str | None]]] = field(default_factory=dict)
    # _settled's answers by (bit, seeds), with the functions it merged: entry_gains asks again what component_fixed did.
    settled: dict[tuple[int, frozenset[str] | None], tuple[dict[str, dict[str, Value]] | None, tuple[str, ...]]] = \
        field(default_factory=dict)
    callable: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)  # _callable's answers, by seeds
    # models.otherbits' functions of the program stored to each pointer name or '.member', made when first asked
    stored_functions: dict[str, tuple[str, ...]] | None = None
    # models.otherbits.carried_variables: each file-scope variable a store of a function an entry point reaches sets
    # from bits of the leaf other than bit 63, with the store's place; made by models.leafbits before its walks
    carried: dict[str, str] | None = None
    # models.otherbits._handed_format: by (function, parameter), the print whose format reads the parameter and every
    # lookup on the way (models.leafwalks reads: _printing's answer, the same for every call handing it a value)
    printing: dict[tuple[str, str], tuple[c_ast.FuncCall | None, tuple[tuple[Any, ...], ...]]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        for name, func in self.program.functions.items():
            decl = func.decl.type
            every = getattr(decl.args, "params", None) or []
            ps = [p for p in every if not isinstance(p, c_ast.EllipsisParam)]
            if len(ps) < len(every):
                self.variadic |= {name}
            self.params[name] = [(getattr(p, "name", None), self._int(p.type)) for p in ps]
            self.returns[name] = self._int(decl.type)
            changed, self.calls[name] = changed_names(func)
            self.unusable[name] = changed & {n for n, _ in self.params[name] if n}
        self.pointed = _named_as_values(self.program)  # file-scope initializers' too
        self.variables = file_variables(self.program)

    def _int(self, node: c_ast.Node) -> Int | None:
        try:
            t = self.types.resolve(node)
        except (MirrorError, KeyError, AttributeError):
            return None
        return t if isinstance(t, Int) else None


@lru_cache(maxsize=4096)
def changed_names(func: c_ast.FuncDef) -> tuple[frozenset[str], tuple[c_ast.FuncCall, ...]]:
    """The names the body stores into, steps, takes the address of, or declares; and its direct calls, a cleanup
    variable's ``f(&var)`` among them (one walk).
    Read once per function: a parsed definition is shared by every program whose code has it (models.cload)."""
    found: set[str] = set()
    calls: list[c_ast.FuncCall] = []
    todo: list[c_ast.Node] = [func.body]
    while todo:
        n = todo.pop()
        todo.extend(n)
        if isinstance(n, c_ast.Assignment):
            found.add(_base(n.lvalue)[0] or "")
        elif isinstance(n, c_ast.UnaryOp) and n.op in _STEPS:
            found.add(_base(n.expr)[0] or "")
        elif isinstance(n, c_ast.Decl) and n.name:
            found.add(n.name)
            cleanup = cleanup_call(n)  # run at the end of its scope: a call of this function's runs
            if cleanup is not None:
                calls.append(cleanup)
        elif isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID):
            calls.append(n)
    return frozenset(found), tuple(calls)


POSITIONAL = "{}"  # stored_functions' key of the functions an initialiser list holds by place, not by name


def stored_functions(code: LeafCode) -> dict[str, tuple[str, ...]]:
    """The functions of the program stored to each pointer name and ``.member`` anywhere in it (initialisers,
    designated ones, ``=``), and those an initialiser list holds by place (POSITIONAL: ``{ sc_code_for }``), read
    once per program."""
    if code.stored_functions is None:
        found: dict[str, set[str]] = {}
        bodies = [kept_nodes(func.body) for func in code.program.functions.values()]  # walked again by other programs
        for n in (x for top in (all_nodes(code.program.ast), *bodies) for x in top):
            for key, value in [(POSITIONAL, x) for x in n.exprs] if isinstance(n, c_ast.InitList) else [_store(n)]:
                value = uncast(value) if value is not None else None
                value = uncast(value.expr) if isinstance(value, c_ast.UnaryOp) and value.op == "&" else value
                if key is not None and isinstance(value, c_ast.ID) and value.name in code.program.functions:
                    found.setdefault(key, set()).add(value.name)
        code.stored_functions = {k: tuple(sorted(v)) for k, v in found.items()}
    return code.stored_functions


def _store(n: c_ast.Node) -> tuple[str | None, c_ast.Node | None]:
    """What ``n`` stores to (a name, or ``.member``) and the value, for an initialiser or an ``=``."""
    if isinstance(n, c_ast.Decl) and isinstance(n.name, str) and n.init is not None:
        return n.name, n.init
    if isinstance(n, c_ast.NamedInitializer) and n.name and isinstance(n.name[-1], c_ast.ID):
        return "." + n.name[-1].name, n.expr
    if isinstance(n, c_ast.Assignment) and n.op == "=":
        lv = uncast(n.lvalue)
        key = lv.name if isinstance(lv, c_ast.ID) else "." + lv.field.name if isinstance(lv, c_ast.StructRef) else None
        return key, n.rvalue
    return None, None


def uncast(n: c_ast.Node) -> c_ast.Node:
    """``n`` without the casts around it."""
    while isinstance(n, c_ast.Cast):
        n = n.expr
    return n
