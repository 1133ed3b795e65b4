"""Whether the runs decide a changed condition: the answers at which its two forms can differ, each run or not.

A change of a condition shows only at the answers where its two forms differ. models.neighbours.same_truth reads a
condition of one variable; this one also reads the leaf (a parameter every call passes the entry point's leaf to,
followed from the entry wrapper through the calls, through pointers too: models.leafcalls) and locals every store
of which is worked out from constants and the leaf (``ret == retry_code``, ``retry_code`` set to one status or
another by the leaf, or ``is_seamldr_call(fn) ? A : B``), each enumerated over what it can hold: the leaves in
scope, the values stored under them. The forms then differ at a set of answers; when every one of them
ran on both sides in scope (a script's first answer, or a value harness.valuecover ran) and nothing differed, the
runs decided the condition. A decision one side adds or removes whose condition reads only the leaf and such
locals takes the same way in every run of a leaf: the scenarios that ran decide it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable

from pycparser import c_ast

from models.cload import Program
from models.condeval import Eval, declared, exact, nodes, truth_at, truths
from models.condeval import shape as _shape
from models.cparse import param_list
from models.knownbits import Bits
from models.leafcalls import call_sites
from models.neighbours import (
    Decision,
    _stepped_twice,
    free_names,
    levels,
    set_by_call,
    truth_level,
    wide_values,
)
from models.record import record
from models.stores import written as _written


@record
class Scope:
    """What the compared runs are: the leaves they take, and the entry points they run (by the matrix's names)."""

    leaves: tuple[int, ...]
    entries: frozenset[str]


_COMBOS = 64  # assignments of the leaf and the constant locals tried per condition: past it, not decided
_MASK64 = (1 << 64) - 1


# (program key, function, the leaf's parameters there, the leaves) -> the locals the leaf or constants set
_SET: dict[tuple[str, str, frozenset[str], tuple[int, ...]], dict[str, set[int]]] = {}


def _set_by_leaf(program: Program, function: str, carried: frozenset[str], leaves: tuple[int, ...]
                 ) -> dict[str, set[int]]:
    """The locals of a function whose every store is worked out from constants and the leaf (its parameters
    ``carried`` holding each of ``leaves``: ``code = is_seamldr_call(fn) ? A : B``), with the values they can hold:
    a store's value under every leaf, whichever leaf reaches it (more values, never fewer)."""
    key = (program.key, function, carried, leaves)
    if key in _SET:
        return _SET[key]
    func = program.functions.get(function)
    out: dict[str, set[int]] = {}
    if func is not None:
        params = set(param_list(func))
        evals = [Eval(program, {p: Bits.of(leaf, declared(program, function, p)) for p in carried})
                 for leaf in (leaves if carried else leaves[:1] or (0,))]
        for name, stores in _written(func).items():
            values = [exact(e, v) if v is not None else None for v in stores for e in evals]
            if name not in params and values and all(v is not None for v in values):
                out[name] = {v for v in values if v is not None}
    if len(_SET) > 4096:
        _SET.clear()
    _SET[key] = out
    return out


_CARRIED: dict[tuple[str, frozenset[str]], dict[str, set[str]]] = {}


def leaf_params(program: Program, entries: frozenset[str]) -> dict[str, set[str]]:
    """The parameters, per function, that every call the entry points ``entries`` can make passes the leaf to (from
    their wrappers' ``__sh_fn``, through parameters never stored to): only those are known to hold the scenario's
    leaf in their runs (a call elsewhere, from an entry point not compared, passing a constant does not count)."""
    key = (program.key, entries)
    if key not in _CARRIED:
        if len(_CARRIED) > 256:
            _CARRIED.clear()
        _CARRIED[key] = _carried(program, [w for e, w in program.entries.items() if e in entries])
    return _CARRIED[key]


def _carried(program: Program, wrappers: list[str]) -> dict[str, set[str]]:
    """leaf_params' work: the calls the wrappers can reach, through pointers too (models.leafcalls), read from the
    wrappers' ``__sh_fn`` down, each round one call deeper."""
    kept: dict[str, set[str]] = {}

    def written(name: str) -> set[str]:
        if name not in kept:
            func = program.functions.get(name)
            kept[name] = set(_written(func)) if func is not None else set()
        return kept[name]

    calls = call_sites(program, wrappers, written)
    carried = {w: {"__sh_fn"} for w in wrappers}
    for _ in range(8):  # calls within calls, each round one level deeper
        grown = False
        for callee, sites in calls.sites.items():
            if callee in calls.unknown or callee not in program.functions:
                continue  # called from code the program lacks too: with anything
            params = param_list(program.functions[callee])
            held = {params[i] for i in range(len(params)) if params[i] and params[i] not in written(callee) and all(
                i < len(args) and isinstance(args[i], c_ast.ID) and args[i].name in carried.get(caller, set())
                for caller, args in sites)}
            if held - carried.get(callee, set()):
                carried[callee] = carried.get(callee, set()) | held
                grown = True
        if not grown:
            break
    return carried


def _domains(program: Program, d: Decision, names: Iterable[str], scope: Scope) -> dict[str, list[int]]:
    """What the names can hold that are known to: the leaves in scope for a leaf parameter, the values of a local
    the leaf or constants set (any other name is left out)."""
    carried = leaf_params(program, scope.entries).get(d.function, set())
    consts = _set_by_leaf(program, d.function, frozenset(carried), tuple(sorted(set(scope.leaves))))
    out: dict[str, list[int]] = {}
    for n in names:
        if n in carried:
            out[n] = sorted(set(scope.leaves))
        elif n in consts:
            out[n] = sorted(consts[n])
    return out


def _assignments(sides: list[dict[str, list[int]]]) -> list[dict[str, int]] | None:
    names = sorted({n for s in sides for n in s})
    pools = [sorted({v for s in sides for v in s.get(n, [])}) for n in names]
    combos = list(itertools.islice(itertools.product(*pools), _COMBOS + 1))
    return None if len(combos) > _COMBOS else [dict(zip(names, c, strict=True)) for c in combos]


def known_values(program: Program, d: Decision, scope: Scope) -> list[dict[str, Bits]]:
    """Each assignment of the names of a decision that the runs in ``scope`` know (the leaf's parameters, the locals
    the leaf or constants set), typed as declared: what it compares the answer with there (``ret == retry_code``);
    none when it reads none or past _COMBOS."""
    fixed = _assignments([_domains(program, d, free_names(d.node), scope)])
    return [{n: Bits.of(v, declared(program, d.function, n)) for n, v in f.items()} for f in fixed or () if f]


# differing_answers' answers by the programs' identity (held with them), the two decisions, the scope and the values:
# the value runs and the rules ask it again of the same pair of programs (variants whose code is the same share them).
_APART: dict[tuple[object, ...], tuple[Program, Program, frozenset[int] | None]] = {}
_APART_MAX = 4096


def differing_answers(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope,
                      values: Iterable[int]) -> set[int] | None:
    """The answers among ``values`` (and every bit alone) at which the two conditions come out differently for some
    leaf in scope and constant the locals they read may hold; None when that cannot be worked out. The answer read
    into a variable declared wider than 64 bits (``u128``) is tried over 128 bits too (models.neighbours.wide_values):
    where its high half alone tells the forms apart, the answers at which they differ are past what a run answers,
    so none decides them. A new set each call (worked out once per programs, decisions, scope and values)."""
    asked = frozenset(values)
    key = (id(pa), id(pb), a, b, scope, asked)
    kept = _APART.get(key)
    if kept is None or kept[0] is not pa or kept[1] is not pb:
        if len(_APART) >= _APART_MAX:
            _APART.clear()
        found = _differing(pa, a, pb, b, scope, asked)
        kept = _APART[key] = (pa, pb, None if found is None else frozenset(found))
    return None if kept[2] is None else set(kept[2])


def _differing(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope, values: frozenset[int]
               ) -> set[int] | None:
    tried = sorted({*values, 0, _MASK64, *(1 << i for i in range(64))})
    calls = _calls(pa, a, b)
    if calls and _shape(a.node) == _shape(b.node):  # the same text over a helper that differs: what it returns
        found: set[int] = set()
        for x, y in calls:
            part = _pair(pa, a, x, pb, b, y, (scope, tried))
            if part is None:
                return None
            found |= part
        return found
    path = levels(pa, a, pb, b)
    for depth, (x, y) in reversed(list(enumerate(path))):
        if not truth_level(path, depth):
            continue
        apart = _pair(pa, a, x, pb, b, y, (scope, tried))
        if apart is not None:
            return apart
    return None


def _calls(pa: Program, a: Decision, b: Decision) -> list[tuple[c_ast.Node, c_ast.Node]]:
    """The calls of functions of ``pa`` in the two conditions, paired in order."""
    return [(x, y) for x, y in zip(nodes(a.node), nodes(b.node), strict=False)
            if isinstance(x, c_ast.FuncCall) and isinstance(x.name, c_ast.ID) and x.name.name in pa.functions]


def answer_only(pa: Program, a: Decision, pb: Program, b: Decision, scope: Scope) -> bool:
    """Whether what tells the two conditions apart reads no more than the answer (a call's return on both sides),
    the leaf and constant locals, as differing_answers reads them, without working out where they differ: not a
    register, a counter read twice, a global."""
    calls = _calls(pa, a, b)
    if calls and _shape(a.node) == _shape(b.node):
        return all(_reads(pa, a, x, pb, b, y, scope) is not None for x, y in calls)
    path = levels(pa, a, pb, b)
    return any(_reads(pa, a, x, pb, b, y, scope) is not None for depth, (x, y) in enumerate(path)
               if truth_level(path, depth))


def _reads(pa: Program, a: Decision, x: c_ast.Node, pb: Program, b: Decision, y: c_ast.Node, scope: Scope
           ) -> tuple[str | None, list[dict[str, int]]] | None:
    """What ``x`` (of ``a``) and ``y`` (of ``b``) read: the one name neither a leaf nor a constant local, given a
    call's return on both sides (an answer, not a counter), and each assignment of the others; None if more."""
    if _stepped_twice(x) or _stepped_twice(y):
        return None
    names = free_names(x) | free_names(y)
    da, db = _domains(pa, a, names, scope), _domains(pb, b, names, scope)
    answer = [n for n in names if n not in da and n not in db]
    fixed = _assignments([da, db])
    if len(answer) > 1 or fixed is None or (answer and not (
            answer[0] in set_by_call(pa, a.function) and answer[0] in set_by_call(pb, b.function))):
        return None
    return (answer[0] if answer else None), fixed


def _pair(pa: Program, a: Decision, x: c_ast.Node, pb: Program, b: Decision, y: c_ast.Node,
          held: tuple[Scope, list[int]]) -> set[int] | None:
    """The answers at which ``x`` (of ``a``) and ``y`` (of ``b``) come out differently: the one name neither a
    leaf nor a constant local, given a call's return on both sides (an answer, not a counter), over ``tried``."""
    scope, tried = held
    env = _reads(pa, a, x, pb, b, y, scope)
    return None if env is None else _apart(pa, a, x, pb, b, y, env, tried)


def _apart(pa: Program, a: Decision, x: c_ast.Node, pb: Program, b: Decision, y: c_ast.Node,
           env: tuple[str | None, list[dict[str, int]]], tried: list[int]) -> set[int] | None:
    answer, fixed = env
    p_at, q_at = _truths(pa, a, x), _truths(pb, b, y)
    if answer is not None and max(declared(pa, a.function, answer).bits, declared(pb, b.function, answer).bits) > 64:
        tried = wide_values(tried)
    out: set[int] = set()
    for given in fixed:
        p_of, q_of = p_at(given, answer), q_at(given, answer)
        for v in tried if answer is not None else [0]:
            p, q = p_of(v), q_of(v)
            if p is None or q is None:
                return None
            if p != q:
                out.add(v)
    if answer is None or not fixed:
        return out
    # The values tried are chosen, not all: one more they differ at under some assignment, from the solver
    # (models.exactcond: the solver chooses it, the mirror shows it); not worked out, nothing is known.
    from models.exactcond import Found, Side, exact_pair

    assignments = tuple(tuple(sorted((k, v) for k, v in g.items() if k != answer)) for g in fixed)
    more = exact_pair((Side(pa, a.function, x), Side(pb, b.function, y)), answer, assignments, tried)
    if more.found is Found.UNKNOWN:
        return None
    return out | ({more.value} if more.value is not None else set())


Truth = Callable[[int], bool | None]  # a condition's truth by the answer's value, the other names' values given


def _truths(program: Program, d: Decision, node: c_ast.Node) -> Callable[[dict[str, int], str | None], Truth]:
    """A condition's truth (models.condeval.truths) for given values of the names it reads, by the answer's value:
    worked out once per values of the names it reads; a side that does not read the answer (or a leaf) comes out the
    same for each value tried, and is looked up once for them all."""
    names = free_names(node)
    at = truths(program, d.function, node)

    def over(given: dict[str, int], answer: str | None) -> Truth:
        base = sorted((n, k) for n, k in given.items() if n in names and n != answer)
        if answer is None or answer not in names:
            key = tuple(base)
            once: list[bool | None] = []

            def same(_: int) -> bool | None:
                if not once:
                    once.append(at(key))
                return once[0]
            return same
        i = bisect.bisect_left([n for n, _ in base], answer)
        head, tail = tuple(base[:i]), tuple(base[i:])
        return lambda v: at((*head, (answer, v), *tail))
    return over


def leaf_decided(program: Program, d: Decision, scope: Scope) -> bool:
    """Whether a decision is worked out from the leaf and constant locals alone, for each of them (``(fn & BIT(63))
    && err == X`` under the TDX module's leaves): every run of a leaf takes it one way, which its scenarios show."""
    names = free_names(d.node)
    fixed = _assignments([_domains(program, d, names, scope)])  # any other name unknown: worked out without it
    if fixed is None:
        return False
    return all(truth_at(program, d.function, d.node, tuple(sorted(f.items()))) is not None for f in fixed)
