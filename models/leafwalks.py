"""The bit-63 marks of a function's body (models.leafbits._marked) kept across programs that read it alike.

A walk of one function with its parameters' known bits gives the same marks in every program where it reads the
same: its body (a parsed definition is shared by every program whose code has it: models.cload), the places of
its nodes (their coordinates' own where Program.origin is empty), and what it asks of the program beyond its
body, which the walk records as it goes (``Read``): each enumerator's value, each cast's integer type, each
function it calls by name or looks at (its definition or its absence, its parameters' names and types, its return
type, the parameters it stores into), those of the one-return functions it evaluates through and of the helpers it
follows a format into included, the functions the program stores to each pointer or member it calls through, and
whether each file-scope variable a format reads is set elsewhere from bits of the leaf other than bit 63
(models.otherbits). A walk is used again only where every one of those reads the same in the program at hand;
anything else walks again.

A definition a patch moved is a copy of the parsed text with other coordinates (models.nodecopy), whose walk
gives the same values at the same nodes: a walk kept by its definition's origin() is used for a copy too, where
each function it read is the same text (origin), its marks' keys made from the copy's nodes at the same places in
the body (a mark of a node out of the body, a helper's print, is used only for that definition and helper).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.cparse import kept_nodes
from models.leafcode import LeafCode, stored_functions
from models.nodecopy import origin

if TYPE_CHECKING:
    from pycparser import c_ast

    from models.knownbits import Value

ENUM, TYPE, FUNCTION, STORED, CARRIED = "enum", "type", "function", "stored", "carried"
# (ENUM, name, value) | (TYPE, node, type) | (FUNCTION, name, definition, params, ret, unusable) |
# (STORED, pointer name or ".member", the functions the program stores to it: models.otherbits) |
# (CARRIED, file-scope variable, the place of a store setting it from other bits of the leaf or None: LeafCode.carried)
Read = tuple[Any, ...]
Env = tuple[tuple[str, "Value"], ...]
Marks = list[tuple[str, str | None]]
Placed = tuple["c_ast.Node", str, str | None]  # a mark as (node, form, value): models.leafbits._Marks.key_of's form
KeyOf = Callable[["c_ast.Node", str], str]  # (node, form) -> the mark's key in the program at hand
# A walk kept: the definition walked, what it read, its marks, and the same as (index of the node in the body's
# kept_nodes(), form, value) when every node marked is in the body (None: a helper's node among them)
_Kept = tuple["c_ast.FuncDef", tuple[Read, ...], Marks, tuple[tuple[int, str, str | None], ...] | None]

# (id of the definition's origin(), its parameters' known bits) -> that origin (so that the id is no other node's)
# and each walk kept
_WALKS: dict[tuple[int, Env], tuple[c_ast.FuncDef, list[_Kept]]] = {}
_MAX = 4096


def keeps(code: LeafCode) -> bool:
    """Whether walks of this program are kept and looked up: only where a node's place is its coordinates' own."""
    return not code.program.origin


def called(code: LeafCode, name: str) -> Read:
    """What a walk reads of the function ``name`` it calls (None for each part the program does not have)."""
    return (FUNCTION, name, code.program.functions.get(name), code.params.get(name), code.returns.get(name),
            code.unusable.get(name))


def _reads_alike(code: LeafCode, read: Read, same: bool) -> bool:
    """Whether the program reads ``read`` alike: a function by its definition (``same``: that object, else its
    text: origin())."""
    kind = read[0]
    if kind == ENUM:
        return bool(code.types.enums.get(read[1]) == read[2])
    if kind == TYPE:
        return bool(code._int(read[1]) == read[2])
    if kind == STORED:
        return bool(stored_functions(code).get(read[1], ()) == read[2])
    if kind == CARRIED:
        return code.carried is not None and code.carried.get(read[1]) == read[2]
    now = called(code, read[1])
    if same or now[2] is None or read[2] is None:
        return now[2] is read[2] and now[3:] == read[3:]
    return origin(now[2]) is origin(read[2]) and now[3:] == read[3:]


def walked_before(code: LeafCode, func: c_ast.FuncDef, env: Env, key_of: KeyOf) -> Marks | None:
    """The marks a walk of ``func`` (or of a copy of its text) with ``env`` gave in a program that read alike what
    this one holds, keyed here by ``key_of``; None when none did (or this program's walks are not kept)."""
    if not keeps(code):
        return None
    first = origin(func)
    kept = _WALKS.get((id(first), env))
    if kept is None or kept[0] is not first:
        return None
    for walked, reads, marks, placed in kept[1]:
        if walked is func and all(_reads_alike(code, r, True) for r in reads):
            return marks
        if placed is not None and all(_reads_alike(code, r, False) for r in reads):
            nodes = kept_nodes(func.body)
            return [(key_of(nodes[at], form), value) for at, form, value in placed]
    return None


def keep_walk(func: c_ast.FuncDef, env: Env, read: list[Read], marks: Marks, placed: list[Placed]) -> None:
    """Keep a walk's marks with what it read (each read once), by the origin() of its definition."""
    distinct: dict[tuple[str, object], Read] = {}
    for r in read:
        distinct.setdefault((r[0], id(r[1]) if r[0] == TYPE else r[1]), r)
    nodes = kept_nodes(func.body)
    try:  # by identity (pycparser's nodes define no ==); ValueError: a node out of the body
        movable: tuple[tuple[int, str, str | None], ...] | None = tuple(
            (nodes.index(n), form, value) for n, form, value in placed)
    except ValueError:
        movable = None
    if len(_WALKS) >= _MAX:
        _WALKS.clear()
    first = origin(func)
    key = (id(first), env)
    kept = _WALKS.get(key)
    if kept is None or kept[0] is not first:
        kept = _WALKS[key] = (first, [])
    kept[1].append((func, tuple(distinct.values()), marks, movable))
