"""Two conditions over one variable decided for every value it can hold, as bit-vector formulas (the z3 solver).

models.neighbours and models.decided try a condition at chosen values (the constants it tests, their neighbours, every
bit alone): a rewrite whose two forms differ only where none of those lands (``(err + 7) % 1000003 == (UD + 7) %
1000003`` for ``err == UD``) looked the same. Here each condition is written as a formula over the variable's bits with
C's conversions as models.condeval computes them (models.ctype: promotions, the usual arithmetic conversions, wrapping
arithmetic as the kernel's -fno-strict-overflow has it, a helper's ``return`` chosen by its ``if`` statements), with
where the mirror computes no value (a shift past the width, a division by zero or that overflows, a path of a helper it
does not read) as a formula of its own (models.condformula writes them). The solver then says whether some value, other
than those already tried, makes them differ or makes either not computed; a value it names is checked with the mirror
(models.condeval.truth_at) before anything is said of it, so the solver only chooses values. What is not written here (a
construct the mirror reads that this does not, a formula the solver gives up on within its resource limit) is said so:
never a "same". The solver is asked only what models.cutcond does not decide (each name only compared with constants:
the mirror run at one value of each piece its constants cut its range into), so that libz3 (some 40 MB) is loaded only
for those.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from pycparser import c_ast

from models.cload import Program
from models.condeval import declared, int_type, truth_at
from models.condeval import nodes as _nodes
from models.condformula import Unwritten, Writer
from models.cparse import param_nodes
from models.errors import MirrorError
from models.record import record

_RLIMIT = 1_500_000  # the solver's resource limit per question: deterministic, unlike a time limit (~0.5 s at most)


class Found(Enum):
    """What the solver said of two conditions."""

    SAME = "same"  # no value (but those excluded) makes them differ or leaves either not computed
    APART = "apart"  # ``value`` makes them differ, as the mirror computes them too
    UNKNOWN = "unknown"  # not worked out: ``why`` says what


@record
class Exact:
    """The answer of compare(): ``value`` where they differ (APART), ``why`` where not worked out (UNKNOWN)."""

    found: Found
    value: int | None = None
    why: str = ""


@record
class Side:
    """One side of a comparison: its program, the function the condition is in, and the condition (or a part)."""

    program: Program
    function: str
    node: c_ast.Node


Given = tuple[tuple[str, int], ...]  # names other than the variable with their values, sorted (truth_at's pairs)


# (both sides as compared, the variable, its width, the values left out) -> the sides' nodes (kept, so that their ids
# are not reused) and the answer: the value runs and the rules ask the same pairs again.
_ASKED: dict[tuple[object, ...], tuple[c_ast.Node, c_ast.Node, Exact]] = {}


def compare(pair: tuple[Side, Side], name: str | None, width: int, given: tuple[Given, ...] = ((),),
            excluded: Iterable[int] = (), free: tuple[str, ...] = ()) -> Exact:
    """Whether some value of ``name`` (read as ``width`` bits and given both sides, each holding it as the type it
    declares it with: models.condeval.truth_at), other than ``excluded``, with the other names holding one of the
    assignments ``given``, makes the two conditions come out differently, or leaves either not computed (then it is
    APART only if the mirror computes both there and they differ, else UNKNOWN with that value). ``name`` None: the
    conditions read only the names given. One question for all the assignments: the solver chooses among them.
    ``free``: names that may hold any value too, each its own (a counter beside the answer: ``err != X || !--left``).
    A step (``--left``) counts by when it runs as well as by the value: two forms stepping a name under different
    conditions are not the same, and a name stepped and read again, or stepped in a helper, is not written."""
    a, b = pair
    left = frozenset(v & ((1 << width) - 1) for v in excluded)
    key = (a.program.key, a.function, id(a.node), b.program.key, b.function, id(b.node), name, width, given, left,
           free)
    kept = _ASKED.get(key)
    if kept is not None and kept[0] is a.node and kept[1] is b.node:
        return kept[2]
    names = {name, *free, *(n for g in given for n, _ in g)}
    shapes = (_fingerprint(a, names), _fingerprint(b, names), name, width, given, left, free)
    solved = _SOLVED.get(shapes)
    if solved is None:
        solved = _cheap(pair, name, width, given, left, free) or _solve(pair, (name, free), width, given, left)
        if len(_SOLVED) > 4096:
            _SOLVED.clear()
        _SOLVED[shapes] = solved
    found = solved if isinstance(solved, Exact) else _checked(pair, name, *solved)
    if len(_ASKED) > 4096:
        _ASKED.clear()
    _ASKED[key] = (a.node, b.node, found)
    return found


# (what each side's formula is made of: _fingerprint, the variable, its width, the assignments, the values left out)
# -> the solver's answer: variants whose code is alike (each revision's prefixes, reviewers' proposals) ask the same
# question of other programs; a value it names is checked with each pair's own mirror.
_SOLVED: dict[tuple[object, ...], Exact | tuple[int, Given]] = {}


def _cheap(pair: tuple[Side, Side], name: str | None, width: int, given: tuple[Given, ...], excluded: frozenset[int],
           free: tuple[str, ...]) -> Exact | tuple[int, Given] | None:
    """The question decided without the solver (models.cutcond: each variable's range cut at the constants it is
    compared with, the mirror run at one value of each piece), or a value the mirror computes the two apart at found
    among the constants they read; None: for the solver, which is loaded only then (libz3 is some 40 MB)."""
    from models.cutcond import by_cuts, searched

    sides = tuple((s.program, s.function, s.node) for s in pair)
    assert len(sides) == 2
    found = by_cuts(sides, name, width, given, excluded, free)
    if found is True:
        return Exact(Found.SAME)
    return found or searched(sides, name, width, given, excluded, free)


def _fingerprint(side: Side, names: set[str | None]) -> tuple[object, ...]:
    """What a side's formula is made of: the condition's text (macros expanded), the types of the names given and
    of its casts, and the helpers it calls (their text, parameters' and return types), helpers within them too."""
    from models.condeval import nodes, shape

    program = side.program
    parts: list[object] = [shape(side.node), *((n, declared(program, side.function, n)) for n in sorted(
        n for n in names if n is not None))]
    todo, seen = [side.node], set()
    while todo:
        for x in nodes(todo.pop()):
            if isinstance(x, c_ast.Cast):
                parts.append(int_type(program, x.to_type))
            func = program.functions.get(x.name.name) if isinstance(x, c_ast.FuncCall) and \
                isinstance(x.name, c_ast.ID) else None
            if func is not None and x.name.name not in seen:
                seen.add(x.name.name)
                params = param_nodes(func)
                parts.append((x.name.name, shape(func), int_type(program, func.decl.type.type),
                              *(int_type(program, p.type) if isinstance(p, c_ast.Decl) else None for p in params)))
                todo.append(func.body)
    return tuple(parts)


def _solve(pair: tuple[Side, Side], asked: tuple[str | None, tuple[str, ...]], width: int, given: tuple[Given, ...],
           excluded: frozenset[int], by_value: bool = False) -> Exact | tuple[int, Given]:
    """compare()'s question to the solver: SAME, UNKNOWN (why), or the value and assignment it found them apart at
    (the free names' values among the assignment's)."""
    try:
        import z3
    except ImportError:
        return Exact(Found.UNKNOWN, why="the z3 solver is not installed (pip install -e .)")
    name, free = asked
    names = sorted({n for g in given for n, _ in g} - {name, *free})
    held = {n: z3.BitVec(f"given_{n}", 128) for n in (*names, *free)}  # wide enough for any value given
    if name is not None:
        held[name] = z3.BitVec("answer", width)
    try:
        writers = [Writer(z3, s.program, s.function, held) for s in pair]
        (ta, ua), (tb, ub) = ((w.as_value if by_value else w.truth)(s.node) for w, s in zip(writers, pair, strict=True))
        for w, s in zip(writers, pair, strict=True):
            if any(sum(isinstance(x, c_ast.ID) and x.name == n for x in _nodes(s.node)) > 1 for n in w.steps):
                raise Unwritten("a name stepped and read again")
    except (Unwritten, MirrorError, ArithmeticError, ValueError, RecursionError) as e:
        return Exact(Found.UNKNOWN, why=f"not written as a formula: {e}")
    solver = z3.SimpleSolver()
    solver.set("rlimit", _RLIMIT)
    solver.add(z3.Or(ua, ub, ta != tb, *_stepped_apart(z3, writers[0].steps, writers[1].steps)))
    if names:
        solver.add(z3.Or(*(z3.And(*(held[n] == z3.BitVecVal(v % (1 << 128), 128) for n, v in g if n in held))
                           for g in given)))
    if name is not None and excluded:  # as one SMT-LIB assertion: some 150 values, each an API call otherwise
        digits = (width + 3) // 4
        text = " ".join(f"(= answer #x{v:0{digits}x})" for v in sorted(excluded))
        solver.add(z3.parse_smt2_string(f"(assert (not (or {text})))", decls={"answer": held[name]}))
    said = solver.check()
    if said == z3.unsat:
        return Exact(Found.SAME)
    if said != z3.sat:
        return Exact(Found.UNKNOWN, why="the solver gave up within its resource limit")
    model = solver.model()
    chosen = {n: model.eval(v, model_completion=True).as_long() for n, v in held.items()}
    assignment = next(g for g in given if all(chosen[n] == v % (1 << 128) for n, v in g if n in held))
    return (chosen[name] if name is not None else 0), tuple(sorted((*assignment, *((n, chosen[n]) for n in free))))


def _stepped_apart(z: Any, a: dict[str, tuple[int, Any]], b: dict[str, tuple[int, Any]]) -> list[Any]:
    """When the two sides' steps store differently: a name stepped under different conditions, or both ways."""
    out = []
    for n in sorted(a.keys() | b.keys()):
        (da, ga), (db, gb) = a.get(n, (0, z.BoolVal(False))), b.get(n, (0, z.BoolVal(False)))
        out.append(z.Or(ga, gb) if da and db and da != db else ga != gb)
    return out


def _checked(pair: tuple[Side, Side], name: str | None, value: int, given: Given) -> Exact:
    """The solver's value run through the mirror on both sides: only the mirror's results are said."""
    p, q = (truth_at(s.program, s.function, s.node, tuple(sorted(
        (*((n, v) for n, v in given if n != name and n in _read(s.node)), *(((name, value),) if name else ())))))
        for s in pair)
    if p is None or q is None:
        return Exact(Found.UNKNOWN, value, f"not computed at {value:#x}")
    if p != q:
        return Exact(Found.APART, value)
    return Exact(Found.UNKNOWN, value, f"the formulas differ at {value:#x}, where the mirror computes both alike")


def values_apart(pair: tuple[Side, Side], names: tuple[str, ...]) -> Exact | tuple[int, ...]:
    """Whether two value expressions (models.valueexprs: ``return err;`` made ``return err & ~0x10ULL;``) compute
    otherwise, in 64 bits as models.condeval.exact gives them, for some values of ``names`` (each any 64-bit value,
    held as its side declares it): SAME, UNKNOWN (why), or the values of ``names`` the solver found them apart at,
    for the caller to compute with the mirror before it says anything."""
    key = ("value", _fingerprint(pair[0], set(names)), _fingerprint(pair[1], set(names)), names)
    solved = _SOLVED.get(key)
    if solved is None:
        solved = _solve(pair, (None, names), 64, ((),), frozenset(), by_value=True)
        if len(_SOLVED) > 4096:
            _SOLVED.clear()
        _SOLVED[key] = solved
    if isinstance(solved, Exact):
        return solved
    chosen = dict(solved[1])
    return tuple(chosen[n] & ((1 << 64) - 1) for n in names)


def _read(n: c_ast.Node) -> set[str]:
    """The names a condition reads, a called function's aside (models.neighbours.free_names)."""
    called = {id(x.name) for x in _nodes(n) if isinstance(x, c_ast.FuncCall)}
    return {x.name for x in _nodes(n) if isinstance(x, c_ast.ID) and id(x) not in called}


def exact_pair(pair: tuple[Side, Side], name: str | None, given: tuple[Given, ...] = ((),),
               excluded: Iterable[int] = (), free: tuple[str, ...] = ()) -> Exact:
    """compare() of two conditions over ``name`` (and ``free``), read as 128 bits where either side declares one wider
    than 64 (``u128``), else as 64 (a status, a leaf, a counter)."""
    bits = max((declared(s.program, s.function, n).bits for s in pair for n in (name, *free) if n), default=64)
    return compare(pair, name, 128 if bits > 64 else 64, given, excluded, free)
