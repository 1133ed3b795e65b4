"""The bit-63 marks of a function's body (models.leafbits._marked) kept across programs that read it alike.

A walk of one function with its parameters' known bits gives the same marks in every program where it reads the
same: its body (a parsed definition is shared by every program whose code has it: models.cload), the places of
its nodes (their coordinates' own where Program.origin is empty), and what it asks of the program beyond its
body, which the walk records as it goes (``Read``): each enumerator's value, each cast's integer type, each
function it calls by name or looks at (its definition or its absence, its parameters' names and types, its return
type, the parameters it stores into), those of the one-return functions it evaluates through and of the helpers it
follows a format into included, the functions the program stores to each pointer or member it calls through, and
whether each file-scope variable a format reads is set elsewhere from bits of the leaf other than bit 63
(models.otherbits), and what the file-scope pointers may point at where a store through one was read
(models.keptprints). A walk is used again only where every one of those reads the same in the program at hand;
anything else walks again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.leafcode import LeafCode, stored_functions
from models.pointsat import file_targets

if TYPE_CHECKING:
    from pycparser import c_ast

    from models.knownbits import Value

ENUM, TYPE, FUNCTION, STORED, CARRIED, POINTS = "enum", "type", "function", "stored", "carried", "points"
# (ENUM, name, value) | (TYPE, node, type) | (FUNCTION, name, definition, params, ret, unusable) |
# (STORED, pointer name or ".member", the functions the program stores to it: models.otherbits) |
# (CARRIED, file-scope variable, the place of a store setting it from other bits of the leaf or None: LeafCode.carried)
# | (POINTS, "", what each file-scope variable may point at: models.pointsat.file_targets, read by models.keptprints)
Read = tuple[Any, ...]
Env = tuple[tuple[str, "Value"], ...]
Marks = list[tuple[str, str | None]]

# (id of the definition, its parameters' known bits) -> the definition (so that the id is no other node's) and
# each walk kept: what it read, the marks it gave
_WALKS: dict[tuple[int, Env], tuple[c_ast.FuncDef, list[tuple[tuple[Read, ...], Marks]]]] = {}
_MAX = 4096


def keeps(code: LeafCode) -> bool:
    """Whether walks of this program are kept and looked up: only where a node's place is its coordinates' own."""
    return not code.program.origin


def called(code: LeafCode, name: str) -> Read:
    """What a walk reads of the function ``name`` it calls (None for each part the program does not have)."""
    return (FUNCTION, name, code.program.functions.get(name), code.params.get(name), code.returns.get(name),
            code.unusable.get(name))


def _reads_alike(code: LeafCode, read: Read) -> bool:
    kind = read[0]
    if kind == ENUM:
        return bool(code.types.enums.get(read[1]) == read[2])
    if kind == TYPE:
        return bool(code._int(read[1]) == read[2])
    if kind == STORED:
        return bool(stored_functions(code).get(read[1], ()) == read[2])
    if kind == POINTS:
        return bool(file_targets(code.program) == read[2])
    if kind == CARRIED:
        return code.carried is not None and code.carried.get(read[1]) == read[2]
    now = called(code, read[1])
    return now[2] is read[2] and now[3:] == read[3:]


def walked_before(code: LeafCode, func: c_ast.FuncDef, env: Env) -> Marks | None:
    """The marks a walk of ``func`` with ``env`` gave in a program that read alike what this one holds; None when
    none did (or this program's walks are not kept)."""
    if not keeps(code):
        return None
    kept = _WALKS.get((id(func), env))
    if kept is None or kept[0] is not func:
        return None
    for reads, marks in kept[1]:
        if all(_reads_alike(code, r) for r in reads):
            return marks
    return None


def keep_walk(func: c_ast.FuncDef, env: Env, read: list[Read], marks: Marks) -> None:
    """Keep a walk's marks with what it read (each read once)."""
    distinct: dict[tuple[str, object], Read] = {}
    for r in read:
        distinct.setdefault((r[0], id(r[1]) if r[0] == TYPE else r[1]), r)
    if len(_WALKS) >= _MAX:
        _WALKS.clear()
    key = (id(func), env)
    kept = _WALKS.get(key)
    if kept is None or kept[0] is not func:
        kept = _WALKS[key] = (func, [])
    kept[1].append((tuple(distinct.values()), marks))
