"""Which functions named as values the runs of some entry points may call through a pointer (models.leafbits)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.leaftaint import locals_of
from models.nodecopy import origin


def callable_from(program: Program, seeds: frozenset[str], pointed: frozenset[str],
                  calls: Mapping[str, tuple[c_ast.FuncCall, ...]], variables: frozenset[str]) -> frozenset[str]:
    """Of ``pointed`` (the functions named as values), those the runs of ``seeds`` may call through a pointer: each
    taking as many arguments as some call through a pointer in the code those runs reach by direct ``calls`` (C11
    6.5.2.2p6: another count is undefined; a variadic or unprototyped function takes any), followed through what
    it calls in turn. A P-SEAMLDR wrapper named in an ops table, taking four arguments, is no callee of a TDX-module
    entry point whose calls through a pointer pass two or three: what it passes its callees is not theirs."""
    wrappers = set(program.entries.values())
    found: set[str] = set()
    reached: set[str] = set()
    todo = sorted(seeds)
    while todo:
        fn = todo.pop()
        if fn in reached or fn not in program.functions:
            continue
        reached.add(fn)
        local = locals_of(program.functions[fn])
        todo += [c.name.name for c in calls[fn] if c.name.name not in wrappers and c.name.name not in local]
        counts = _indirect_counts(origin(program.functions[fn]), local, variables)
        for name in sorted(pointed - found):
            if any(_takes(program.functions[name], n) for n in counts):
                found.add(name)
                todo.append(name)
    return frozenset(found)


@lru_cache(maxsize=4096)
def _indirect_counts(func: c_ast.FuncDef, local: frozenset[str], variables: frozenset[str]) -> frozenset[int]:
    """How many arguments each call through a pointer in ``func`` passes: a call of an expression, of a parameter or
    local, or of a file-scope variable (not of a function, the program's or the kernel's, by its name)."""
    counts: set[int] = set()
    todo: list[c_ast.Node] = [func.body]
    while todo:
        n = todo.pop()
        todo.extend(n)
        if isinstance(n, c_ast.FuncCall) and (not isinstance(n.name, c_ast.ID) or n.name.name in local
                                              or n.name.name in variables):
            counts.add(len(n.args.exprs) if n.args is not None else 0)
    return frozenset(counts)


def _takes(func: c_ast.FuncDef, count: int) -> bool:
    """Whether a call with ``count`` arguments may call ``func`` (its prototype's parameters, ``(void)`` none)."""
    args = func.decl.type.args
    if args is None:  # unprototyped: any count
        return True
    real = [p for p in args.params if not isinstance(p, c_ast.EllipsisParam)]
    variadic = len(real) < len(args.params)
    if len(real) == 1 and isinstance(real[0], c_ast.Typename) and \
            getattr(getattr(real[0].type, "type", None), "names", None) == ["void"]:
        real = []
    return count == len(real) or (variadic and count >= len(real))
