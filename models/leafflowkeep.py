"""models.leafflow's flows kept with what each read of its program, for a program that reads alike."""

# (entry point, id of its wrapper's definition's origin()) -> that origin (so that the id is no other node's) and each
# flow kept: the wrapper walked, what it read of its program (_Read), the sites it found, and the same placed by index
# in the bodies (_Moved; None where a node it read or an answer it got is not one of the reached functions' own). A
# flow reads of its program only the definitions of the functions it reached and of the names they call (a parsed
# definition is one object in every program that holds it: models.cload; and what a local it reads as a copy of the
# leaf is named as: a file-scope variable or not), the functions named as values where a call
# through a pointer read them (its targets), what it asked beyond them (Typed: the declared types of calls through
# pointers, the struct definitions of members it read), the reached functions' C names, and the places of nodes
# (their coordinates' own where Program.origin is empty): the programs of a series' variants mostly hold the same code.
# A definition a patch moved is a copy of the same text with other coordinates (models.nodecopy): a flow through the
# same texts (origin()) asks the same of it, at the same nodes, and finds its sites at the same nodes
# (models.leafsitekeys), keyed from the copy's coordinates.

from __future__ import annotations

from collections.abc import Callable, Iterable

from pycparser import c_ast

from models.cload import Program
from models.cparse import kept_nodes
from models.leafsitekeys import Placed, Site, labelled
from models.nodecopy import origin

Typed = tuple[str, c_ast.Node, int, object]  # (function, node, argument or -1, the answer leafflow._asked gave)
Asked = Callable[[Program, frozenset[str], str, c_ast.Node, int], object]
Sites = tuple[Site, ...]
_Read = tuple[tuple[tuple[str, c_ast.Node | None, str], ...], frozenset[str] | None, tuple[Typed, ...]]
# Per function reached, its sites as (kind, index of the node in kept_nodes() of its body, form); what the flow asked
# as (function, where the node is in its definition (_at), argument, answer).
_Moved = tuple[dict[str, list[tuple[str, int, str]]], tuple[tuple[str, int, int, object], ...]]
_Kept = tuple[c_ast.FuncDef, _Read, Sites, _Moved | None]
_FLOWS: dict[tuple[str, int], tuple[c_ast.FuncDef, list[_Kept]]] = {}
_FLOWS_MAX = 4096


def flowed_before(program: Program, entry: tuple[str, str], targets: frozenset[str], variables: frozenset[str],
                  asked: Asked) -> Sites | None:
    """The sites a flow of ``entry`` (its name, its wrapper's) found in a program that read alike what ``program``
    holds (``asked`` asked again of each Typed), or through the same texts (origin()) at the same nodes, keyed here;
    None when none did."""
    func = program.functions[entry[1]]
    first = origin(func)
    kept = _FLOWS.get((entry[0], id(first)))
    if program.origin or kept is None or kept[0] is not first:
        return None
    for walked, (defs, named, typed), sites, moved in kept[1]:
        if named is not None and named != targets:
            continue
        if walked is func and all(_read(program, variables, n) is d and program.c_name(n) == c for n, d, c in defs) \
                and all(asked(program, variables, fn, node, at) is found for fn, node, at, found in typed):
            return sites
        if moved is not None and all(_same_text(_read(program, variables, n), d) and program.c_name(n) == c
                                     for n, d, c in defs) \
                and _asks_alike(program, variables, asked, moved[1]):
            return labelled(program, entry[0], entry[1], {
                fn: [(kind, kept_nodes(program.functions[fn].body)[i], form) for kind, i, form in placed]
                for fn, placed in moved[0].items()})
    return None


def _asks_alike(program: Program, variables: frozenset[str], asked: Asked,
                typed: tuple[tuple[str, int, int, object], ...]) -> bool:
    """Whether ``program`` answers each question a flow asked (by index: _Moved) as it was answered then."""
    for fn, i, at, found in typed:
        node = _node_at(program.functions[fn], i) if fn in program.functions else None
        if node is None or asked(program, variables, fn, node, at) is not found:
            return False
    return True


def _same_text(now: c_ast.Node | None, then: c_ast.Node | None) -> bool:
    """Whether a name reads the same text: a definition of the same origin(), or the same sentinel or none."""
    if now is None or then is None or now is _VARIABLE or then is _VARIABLE:
        return now is then
    return origin(now) is origin(then)


def keep_flow(program: Program, entry: tuple[str, str], variables: frozenset[str],
              read: tuple[Iterable[str], frozenset[str] | None, tuple[Typed, ...]], sites: Sites,
              placed: dict[str, list[Placed]]) -> None:
    """Keep a flow's sites with what it read of its program: (the names of the functions it reached and called, its
    targets where it read them, what it asked beyond), and ``placed``, its sites by function as found."""
    if program.origin:
        return
    names, targets, typed = read
    defs = tuple((n, _read(program, variables, n), program.c_name(n)) for n in sorted(names))
    func = program.functions[entry[1]]
    if len(_FLOWS) >= _FLOWS_MAX:
        _FLOWS.clear()
    first = origin(func)
    kept = _FLOWS.get((entry[0], id(first)))
    if kept is None or kept[0] is not first:
        kept = _FLOWS[(entry[0], id(first))] = (first, [])
    kept[1].append((func, (defs, targets, typed), sites, _moved(program, placed, typed)))


def _moved(program: Program, placed: dict[str, list[Placed]], typed: tuple[Typed, ...]) -> _Moved | None:
    """The sites and questions by index (_Moved), or None where a node is not its function's own (a struct's
    definition a member was read from, say) or an answer is a node (a copy's would be another)."""
    try:
        sites = {fn: [(kind, kept_nodes(program.functions[fn].body).index(node), form) for kind, node, form in found]
                 for fn, found in placed.items()}
        asked = tuple((fn, _at(program.functions[fn], node), q, found) for fn, node, q, found in typed)
    except (ValueError, KeyError):  # tuple.index: not a node of the body; no such function
        return None
    if any(isinstance(found, c_ast.Node) for _, _, _, found in asked):
        return None
    return sites, asked


def _at(func: c_ast.FuncDef, node: c_ast.Node) -> int:
    """Where ``node`` is in a definition: its index in kept_nodes() of the body, or -1 less its index in those of the
    declaration (a parameter); ValueError for neither."""
    try:
        return kept_nodes(func.body).index(node)  # by identity: pycparser's nodes define no ==
    except ValueError:
        return -1 - kept_nodes(func.decl).index(node)


def _node_at(func: c_ast.FuncDef, at: int) -> c_ast.Node | None:
    """The node _at() placed at ``at`` in a definition of the same text (None past its end: another text)."""
    nodes = kept_nodes(func.body) if at >= 0 else kept_nodes(func.decl)
    i = at if at >= 0 else -1 - at
    return nodes[i] if i < len(nodes) else None


_VARIABLE = c_ast.ID("a file-scope variable")  # what a flow read of a name called that is one


def _read(program: Program, variables: frozenset[str], name: str) -> c_ast.Node | None:
    """What a flow reads of a name called: the function's definition, a variable (called through), or nothing."""
    return program.functions.get(name) or (_VARIABLE if name in variables else None)
