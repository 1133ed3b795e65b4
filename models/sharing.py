"""A function's compiled form shared between programs that read the same when compiling it (models.statements)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any, Protocol

from pycparser import c_ast

from models.cload import Program
from models.ctype import Func
from models.errors import MirrorError


class Compiler(Protocol):
    """What sharing reads and sets of a models.statements.Compiler (which imports this module)."""

    program: Program
    funcs: dict[str, Any]  # models.statements.Compiled
    starts: dict[str, set[str]]
    once_sites: dict[str, str]
    global_decls: dict[str, c_ast.Decl]
    undefined_externs: frozenset[str]
    declared_percpu: dict[str, str]
    seam_functions: frozenset[str]

    @property
    def share_key(self) -> int | None: ...

    def signature(self, name: str) -> Func: ...


# A compiled function, with what compiling it added to its compiler: its statements' starts, the per-site primitives'
# once_sites it set, its statics' declarations; by (program_key, name, the function's node).
Made = tuple[Any, frozenset[str], tuple[tuple[str, str], ...], tuple[tuple[str, c_ast.Decl], ...]]
_SHARED: dict[tuple[int, str, c_ast.FuncDef], Made] = {}
# Each distinct program key's number: the key is hashed once per program, not at each function's look-up (a tuple
# does not keep its hash, and hashing the signatures' types is Python code).
_NUMBERS: dict[tuple[object, ...], int] = {}
_NEXT = count()  # never reset: a compiler keeps its number, which no other key may get after forget()
_MAX = 4096


def forget() -> None:
    """Forget every shared compiled function (models.mirror.clear_caches)."""
    _SHARED.clear()
    _NUMBERS.clear()


def program_key(c: Compiler) -> int | None:
    """All that compiling a function reads of its program but the function itself, so that two programs with the same
    key compile it to the same closures: each node of the unit but the functions' (the parse caches share a node
    between programs only for the same text at the same place: the prelude's, types, enums, typedefs, variables and
    their initialisers, prototypes, so that the types, enumerators, file-scope variables and their locks are the same),
    every function's name and resolved signature (a call is compiled from its callee's signature; the callee's body is
    the run's own program's, Machine.compiler), what was dropped and why, the file copies' names, where unknown names
    were looked for, the files known in part, the unit's line origins, the variables only declared extern or
    DECLARE_PER_CPU(), the responders. None (nothing shared) when a signature cannot be resolved for a reason other
    than the mirror's own."""
    p = c.program
    sigs: list[tuple[str, object]] = []
    try:
        for name in sorted(p.functions):
            try:
                sigs.append((name, c.signature(name)))
            except MirrorError as exc:
                sigs.append((name, f"{type(exc).__name__}: {exc}"))
    except Exception:  # compiled alone then: each use says what it says, as before
        return None
    key = (tuple([n for n in p.ast.ext if not isinstance(n, c_ast.FuncDef)]), tuple(sigs),
           tuple(sorted(p.dropped.items())), tuple(sorted(p.aliases.items())), p.unknown, p.searched, p.partial,
           tuple(p.origin), c.undefined_externs, tuple(sorted(c.declared_percpu.items())), c.seam_functions)
    number = _NUMBERS.get(key)
    if number is None:
        if len(_NUMBERS) >= _MAX:
            forget()
        number = _NUMBERS[key] = next(_NEXT)
    return number


def compile_shared(c: Compiler, name: str, node: c_ast.FuncDef, compile_body: Callable[[str, c_ast.FuncDef], None]
                   ) -> None:
    """Compile ``name`` in ``c`` by ``compile_body``, or take what a program with the same key compiled for it."""
    share = c.share_key
    if share is None:
        compile_body(name, node)
        return
    key = (share, name, node)
    made = _SHARED.get(key)
    if made is not None:
        compiled, starts, once_sites, statics = made
        c.funcs[name] = compiled
        if starts:
            c.starts.setdefault(name, set()).update(starts)
        for site, label in once_sites:
            c.once_sites[site] = label
        for slot, decl in statics:
            c.global_decls.setdefault(slot, decl)
        return
    once, statics_before = dict(c.once_sites), len(c.global_decls)
    compile_body(name, node)  # a failed compilation raises: only one that succeeded is kept
    if len(_SHARED) >= _MAX:
        _SHARED.clear()
    # The sites it set (assigned), and the statics it declared (setdefault: new keys, after the others).
    _SHARED[key] = (c.funcs[name], frozenset(c.starts.get(name, ())),
                    tuple([(k, v) for k, v in c.once_sites.items() if once.get(k) != v]),
                    tuple(c.global_decls.items())[statics_before:])
