"""models.leafflow's flows kept with what each read of its program, for a program that reads alike."""

# (entry point, id of its wrapper's definition) -> the wrapper (so that the id is no other node's) and each flow kept:
# what it read of its program (_Read), and the sites it found. A flow reads of its program only the definitions of the
# functions it reached and of the names they call (a parsed definition is one object in every program that holds it:
# models.cload; and what a local it reads as a copy of the leaf is named as: a file-scope variable or not), the
# functions named as values where a call through a pointer read them (its targets), what it asked beyond them (Typed:
# the declared types of calls through pointers, the struct definitions of members it read), the reached functions' C
# names, and the places of nodes (their coordinates' own where Program.origin is empty): the programs of a series'
# variants mostly hold the same code.

from __future__ import annotations

from collections.abc import Callable, Iterable

from pycparser import c_ast

from models.cload import Program

Typed = tuple[str, c_ast.Node, int, object]  # (function, node, argument or -1, the answer leafflow._asked gave)
Asked = Callable[[Program, frozenset[str], str, c_ast.Node, int], object]
Sites = tuple[tuple[str, str, str], ...]
_Read = tuple[tuple[tuple[str, c_ast.Node | None, str], ...], frozenset[str] | None, tuple[Typed, ...]]
_FLOWS: dict[tuple[str, int], tuple[c_ast.FuncDef, list[tuple[_Read, Sites]]]] = {}
_FLOWS_MAX = 4096


def flowed_before(program: Program, entry: tuple[str, str], targets: frozenset[str], variables: frozenset[str],
                  asked: Asked) -> Sites | None:
    """The sites a flow of ``entry`` (its name, its wrapper's) found in a program that read alike what ``program``
    holds (``asked`` asked again of each Typed); None when none did."""
    func = program.functions[entry[1]]
    kept = _FLOWS.get((entry[0], id(func)))
    if program.origin or kept is None or kept[0] is not func:
        return None
    c_name = program.c_name
    for (defs, named, typed), sites in kept[1]:
        if (named is None or named == targets) and all(_read(program, variables, n) is d and c_name(n) == c
                                                       for n, d, c in defs) \
                and all(asked(program, variables, fn, node, at) is found for fn, node, at, found in typed):
            return sites
    return None


def keep_flow(program: Program, entry: tuple[str, str], variables: frozenset[str],
              read: tuple[Iterable[str], frozenset[str] | None, tuple[Typed, ...]], sites: Sites) -> None:
    """Keep a flow's sites with what it read of its program: (the names of the functions it reached and called, its
    targets where it read them, what it asked beyond)."""
    if program.origin:
        return
    names, targets, typed = read
    defs = tuple((n, _read(program, variables, n), program.c_name(n)) for n in sorted(names))
    func = program.functions[entry[1]]
    if len(_FLOWS) >= _FLOWS_MAX:
        _FLOWS.clear()
    kept = _FLOWS.get((entry[0], id(func)))
    if kept is None or kept[0] is not func:
        kept = _FLOWS[(entry[0], id(func))] = (func, [])
    kept[1].append(((defs, targets, typed), sites))


_VARIABLE = c_ast.ID("a file-scope variable")  # what a flow read of a name called that is one


def _read(program: Program, variables: frozenset[str], name: str) -> c_ast.Node | None:
    """What a flow reads of a name called: the function's definition, a variable (called through), or nothing."""
    return program.functions.get(name) or (_VARIABLE if name in variables else None)
