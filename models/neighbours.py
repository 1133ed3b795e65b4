"""Changed conditions of two programs, and the status values next to what they test: the answers that tell them apart.

A scripted SEAMCALL answer shows a condition's change only when the two conditions take it differently: ``err !=
X`` and ``(err & ~BIT_ULL(40)) != X`` agree on every answer but ``X`` with bit 40 set. So for each decision (the
condition of an if, a loop or a ``?:``) whose parsed, macro-expanded form differs between the two programs in a
function both have, the values next to the constants it compares with are derived from the expression itself: the
constant, it with the bits a mask or shift of the other operand names set and cleared, it plus and minus one in the
low 32 bits (a status code's details), and a bit a bare ``x & M`` tests (models.nearvalues). The caller runs them as
answers on both sides; the runs decide, these values only choose what to ask. ``same_truth`` says whether two
conditions agree for every value of what they read: tried at those values and every bit alone (evaluated as C does,
models.knownbits), then, where all of those agree, decided for every value by models.exactcond (a solver; a value it
finds them apart at is run too), so that a refactor of a condition is told from a change no run showed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

from pycparser import c_ast

from models.caselabels import as_switched
from models.cload import Program
from models.condeval import MASK64, STEPS, declared, nodes, truth_at
from models.condeval import shape as _shape
from models.decisions import Changed as Changed
from models.decisions import Decision as Decision
from models.exactcond import Found, Side, exact_pair
from models.fileconsts import constants
from models.handedon import bound_node, handed_on
from models.linecoord import file_line
from models.looptests import same_loop_test, same_nested_goto
from models.movedconds import moved_across
from models.nearvalues import MAX_VALUES as MAX_VALUES
from models.nearvalues import neighbour_values as neighbour_values
from models.switchheads import same_switched

_COMPARE = frozenset({"==", "!=", "<", ">", "<=", ">="})


def _conditions(func: c_ast.FuncDef) -> list[c_ast.Node]:
    """The decisions of a function in source order: conditions of if, loops and ``?:``."""
    found: list[c_ast.Node] = []

    def walk(n: c_ast.Node) -> None:
        if isinstance(n, (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp)) and n.cond is not None:
            found.append(n.cond)
        for c in n:
            walk(c)

    walk(func.body)
    return found


_DECISIONS: dict[str, tuple[dict[str, c_ast.FuncDef], dict[str, list[Decision]]]] = {}
# By function body, the body held with its conditions and their shapes (so that its id is no other's meanwhile): the
# programs of a run share the parsed definitions no patch changed (models.cload), and each program's decisions walked
# every body again; only a decision's place (Program.where) is each program's own.
_SHAPED: dict[int, tuple[c_ast.Node, tuple[tuple[c_ast.Node, tuple[object, ...]], ...]]] = {}


def _shaped_conditions(func: c_ast.FuncDef) -> tuple[tuple[c_ast.Node, tuple[object, ...]], ...]:
    """_conditions of a function with each one's shape, worked out once per body (read-only, shared)."""
    kept = _SHAPED.get(id(func.body))
    if kept is not None and kept[0] is func.body:
        return kept[1]
    if len(_SHAPED) > 4096:
        _SHAPED.clear()
    found = tuple((c, _shape(c)) for c in _conditions(func))
    _SHAPED[id(func.body)] = (func.body, found)
    return found


def forwarded(program: Program, function: str, other: Program) -> str:
    """The function ``function`` hands its call on to whole, where its body is only ``return g(p1, ..., pn);`` (or
    ``g(p1, ..., pn);``) of its own parameters in order, and ``g`` is new to ``program`` (``other`` does not define
    it): the body moved under a new name behind a wrapper that adds nothing (``sc_retry()`` made a wrapper of a new
    ``__sc_retry()`` holding its loop), whose decisions are the ones to compare; ``function`` itself otherwise (and
    where the call gives g constants too: models.handedon, which changed_decisions reads)."""
    name, bound = handed_on(program, function, other)
    return function if bound else name


def _handed_decisions(program: Program, function: str, other: Program) -> tuple[str, list[Decision]]:
    """The function whose decisions stand for ``function``'s (models.handedon), and those decisions, a switch's
    labels too, with the constants the wrapper gives its parameters in place: 'err != busy' of a helper handed
    TDX_RND_NO_ENTROPY compared as 'err != (u64)0x8000020300000000ULL'."""
    name, bound = handed_on(program, function, other)
    found = decisions(program)[name] + case_decisions(program, name)
    if not bound:
        return name, found
    return name, [replace(d, shape=_shape(node), node=node) for d in found
                  for node in (bound_node(d.node, bound),)]


# (program key, function) -> its case decisions, as _DECISIONS keeps the rest: each function both sides define is
# asked again in every comparison of the program (a walk of its whole body: the corpus eval asked 472, 220 distinct),
# and the same test node each time lets the memos keyed by a condition's node (models.condeval.truths) find it again.
# Each entry holds the function it was read from: a program of the same key loaded again after its parse was dropped
# (models.mirror.clear_caches, a long run's bounded caches) has nodes of its own, which its decisions must be.
_CASES: dict[tuple[str, str], tuple[c_ast.FuncDef | None, tuple[Decision, ...]]] = {}


def case_decisions(program: Program, function: str) -> list[Decision]:
    """A function's switches' case labels as decisions ``cond == label``, in source order (a new list each call), a
    label wider than what is switched on converted to its type as the switch does (models.caselabels)."""
    key = (program.key, function)
    func = program.functions.get(function)
    kept = _CASES.get(key)
    if kept is None or kept[0] is not func:
        out = []
        for sw in (n for n in nodes(func.body) if isinstance(n, c_ast.Switch)) if func is not None else ():
            tested = _switched(sw.cond)
            for case in (n for n in nodes(sw.stmt) if isinstance(n, c_ast.Case)):
                test = c_ast.BinaryOp("==", tested, as_switched(program, function, tested, case.expr), case.coord)
                out.append(Decision(function, file_line(program.where, case.coord), _shape(test), test))
        if len(_CASES) > 4096:
            _CASES.clear()
        kept = _CASES[key] = (func, tuple(out))
    return list(kept[1])


def _switched(cond: c_ast.Node) -> c_ast.Node:
    """What a switch's labels are compared with: ``x`` of ``switch (x = e)``, the value of an assignment being its
    left operand's after the store, of that operand's type (C17 6.5.16p3), as ``x = e; switch (x)`` reads it; the
    controlling expression itself otherwise."""
    if isinstance(cond, c_ast.Assignment) and cond.op == "=" and isinstance(cond.lvalue, c_ast.ID):
        return cond.lvalue
    return cond


def decisions(program: Program) -> dict[str, list[Decision]]:
    """Every function's decisions (read once per program key, and shared by the programs of that key whose functions
    are the same parsed definitions: models.cload shares them between the programs of a run). A decision's node is
    one of the program's own: the memos keyed by a condition's node and the loops found by it (harness.countedalike)
    read it in the program's functions."""
    kept = _DECISIONS.get(program.key)
    if kept is not None and _same_functions(kept[0], program.functions):
        return kept[1]
    out = {name: [Decision(name, file_line(program.where, c.coord), shape, c) for c, shape in _shaped_conditions(func)]
           for name, func in program.functions.items()}
    if len(_DECISIONS) > 256:
        _DECISIONS.clear()
    _DECISIONS[program.key] = (program.functions, out)
    return out


def _same_functions(kept: dict[str, c_ast.FuncDef], functions: dict[str, c_ast.FuncDef]) -> bool:
    """Whether two programs' functions are the very same parsed definitions."""
    return kept is functions or (len(kept) == len(functions)
                                 and all(functions.get(name) is func for name, func in kept.items()))


def changed_decisions(a: Program, b: Program, renamed: tuple[tuple[str, str], ...] = ()) -> list[Changed]:
    """The decisions whose conditions differ between ``a`` and ``b``, in the functions both have, and in each
    function ``a`` alone has that ``renamed`` pairs with one ``b`` alone has (old name, new name: a helper renamed,
    moved with it or not, harness.renames): paired in order where a run of them was replaced one for one, alone
    where one side added or removed some."""
    da, db = decisions(a), decisions(b)
    out: list[Changed] = []
    swapped = _swapped(da, db)
    pairs = [(name, swapped.get(name, name)) for name in sorted(da.keys() & db.keys())]
    # By name alone, a renamed helper's changed loop test was in neither: no value ran at the status it now takes.
    pairs += [(old, new) for old, new in renamed if old in da and old not in db and new in db and new not in da]
    for name, other in pairs:
        # A switch's labels too (``case 0x10: err = 0;`` added): the values next to each run as the answers.
        (na, xs), (nb, ys) = _handed_decisions(a, name, b), _handed_decisions(b, other, a)
        match = difflib.SequenceMatcher(None, [x.shape for x in xs], [y.shape for y in ys], autojunk=False)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag != "equal":
                # 'if (A) { if (K) goto again; }' against a loop's one test: 'if (A && K) goto again;' is that test.
                if same_nested_goto(a, na, [x.node for x in xs[i1:i2]], b, nb, [y.node for y in ys[j1:j2]]) and not any(
                        _changed_callees((a, b), d.node, set()) for d in (*xs[i1:i2], *ys[j1:j2])):
                    continue
                paired = [replace(c, via=tuple(_changed_callees((a, b), c.a.node, set())))
                          if c.a is not None and c.b is not None else c for c in _paired(xs[i1:i2], ys[j1:j2])]
                # A do/while made for (;;) with the test turned into an 'if (...) break;': the same test; so is a
                # switch's label on a call's answer and on the local it was stored in right before.
                out += [c for c in paired if c.a is None or c.b is None or c.via or not (same_loop_test(
                    a, c.a.function, c.a.node, b, c.b.function, c.b.node) or (same_switched(
                    a, c.a.function, c.a.node, b, c.b.function, c.b.node) and not any(
                        _changed_callees((a, b), n, set()) for n in (c.a.node, c.b.node))))]
                continue
            for x, y in zip(xs[i1:i2], ys[j1:j2], strict=True):  # the same text: a helper it calls may differ
                via = _changed_callees((a, b), x.node, set())
                if via:
                    out.append(Changed(x, y, tuple(via)))
    return moved_across((a, b), out, (da, db), renamed, _changed_callees)


def _swapped(da: dict[str, list[Decision]], db: dict[str, list[Decision]]) -> dict[str, str]:
    """Two functions both sides define whose names the change swapped (``sc_retry()`` and ``sc_mark_dirty()``, callers
    swapped with them: harness.renames follows it), each's decisions on one side exactly the other's on the other:
    each name of ``da`` paired with the one of ``db`` holding its decisions. Compared by name, the loop's test read
    as removed from one and added to the other, which no value run decides."""
    def shapes(d: list[Decision]) -> list[object]:
        return [x.shape for x in d]

    both = sorted(da.keys() & db.keys())
    out: dict[str, str] = {}
    for i, n in enumerate(both):
        if shapes(da[n]) == shapes(db[n]):
            continue
        for m in both[i + 1:]:
            if shapes(da[n]) == shapes(db[m]) and shapes(da[m]) == shapes(db[n]) and shapes(da[m]) != shapes(db[m]):
                out[n], out[m] = m, n
                break
    return out


_DEPTH = 8  # helpers followed from a condition, call within call


def _called(n: c_ast.Node) -> list[str]:
    return [x.name.name for x in nodes(n) if isinstance(x, c_ast.FuncCall) and isinstance(x.name, c_ast.ID)]


def _returns(func: c_ast.FuncDef) -> list[c_ast.Return]:
    return [x for x in nodes(func.body) if isinstance(x, c_ast.Return)]


def _changed_callees(programs: tuple[Program, Program], n: c_ast.Node, seen: set[str]) -> list[tuple[str, str, str]]:
    """The functions both programs have that ``n`` calls, or that what they return calls, whose code differs: each
    with where it first differs on either side (its first ``return`` that differs, else its definition)."""
    a, b = programs
    out: list[tuple[str, str, str]] = []
    for name in _called(n):
        fa, fb = a.functions.get(name), b.functions.get(name)
        if fa is None or fb is None or name in seen or len(seen) > _DEPTH:
            continue
        seen.add(name)
        at = _differs(programs, name)
        if at is not None:
            out.append((name, *at))
        for r in _returns(fa) + _returns(fb):
            if r.expr is not None:
                out += _changed_callees(programs, r.expr, seen)
    return out


def _paired(left: list[Decision], right: list[Decision]) -> list[Changed]:
    """Decisions one side replaced by others: one for one in order when as many, else each with the most alike of
    the rest (half its shape the same at least), the others alone (added or removed)."""
    if len(left) == len(right):
        return [Changed(x, y) for x, y in zip(left, right, strict=True)]
    # The most alike pairs first, over all of them: taken in the left's order, a removed 'if (unlikely(fn & BIT))'
    # took the right's one condition, 'err != X || !--left', from its own earlier self 'err != busy || !--left'.
    scored = sorted(((_ratio(repr(x.shape), repr(y.shape)), -i, -j) for i, x in enumerate(left)
                     for j, y in enumerate(right)), reverse=True)
    match: dict[int, int] = {}
    for ratio, i, j in scored:
        if ratio >= 0.5 and -i not in match and -j not in match.values():
            match[-i] = -j
    return [Changed(x, right[match[i]] if i in match else None) for i, x in enumerate(left)] + \
        [Changed(None, y) for j, y in enumerate(right) if j not in match.values()]


# (two conditions' shapes as text) -> how alike they are: the same conditions are replaced in each comparison of the
# variants that have them. (SequenceMatcher's cheap upper bounds do not spare the ratio here: conditions' shapes are
# written in the same few characters, so that bound is near 1 for any two.)
_RATIOS: dict[tuple[str, str], float] = {}


def _ratio(a: str, b: str) -> float:
    found = _RATIOS.get((a, b))
    if found is None:
        if len(_RATIOS) > 4096:
            _RATIOS.clear()
        found = _RATIOS[a, b] = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    return found


_BODIES: dict[tuple[str, str, str], tuple[str, str] | None] = {}


def _differs(programs: tuple[Program, Program], name: str) -> tuple[str, str] | None:
    """Where the function ``name`` first differs on either side (its first ``return`` that differs, else its
    definition), when its code differs (what it returns may, whether or not its own decisions do); once per pair."""
    a, b = programs
    key = (a.key, b.key, name)
    if key not in _BODIES:
        if len(_BODIES) > 4096:
            _BODIES.clear()
        fa, fb = a.functions[name], b.functions[name]
        found = None
        if _shape(fa.body) != _shape(fb.body):
            pairs = zip(_returns(fa), _returns(fb), strict=False)
            x, y = next(((x, y) for x, y in pairs if _shape(x) != _shape(y)), (fa, fb))
            found = (file_line(a.where, x.coord), file_line(b.where, y.coord))
        _BODIES[key] = found
    return _BODIES[key]


def free_names(n: c_ast.Node) -> frozenset[str]:
    """The identifiers a condition reads (called names aside)."""
    called = {id(x.name) for x in nodes(n) if isinstance(x, c_ast.FuncCall)}
    return frozenset(x.name for x in nodes(n) if isinstance(x, c_ast.ID) and id(x) not in called)


def _differing(a: c_ast.Node, b: c_ast.Node) -> list[tuple[c_ast.Node, c_ast.Node]]:
    """The pairs of nodes from the roots down to the smallest subtrees the two conditions differ in: a level whose
    one child alone differs is gone through (the rest of the condition is the same around it)."""
    path = [(a, b)]
    while True:
        x, y = path[-1]
        kids_x, kids_y = list(x), list(y)
        if type(x) is not type(y) or _shape(x)[1] != _shape(y)[1] or len(kids_x) != len(kids_y):
            return path
        apart = [(p, q) for p, q in zip(kids_x, kids_y, strict=True) if _shape(p) != _shape(q)]
        if len(apart) != 1:
            return path
        path.append(apart[0])


def _truth_node(n: c_ast.Node) -> bool:
    """Whether a node's value is a truth C computes as 0 or 1 (a comparison, ``!``, ``&&``, ``||``)."""
    return (isinstance(n, c_ast.BinaryOp) and n.op in (*_COMPARE, "&&", "||")) or \
        (isinstance(n, c_ast.UnaryOp) and n.op == "!")


def truth_level(path: list[tuple[c_ast.Node, c_ast.Node]], depth: int) -> bool:
    """Whether the pair at ``depth`` of a levels() path is told by its truth alone: the whole conditions, two values
    C computes as 0 or 1, or parts whose parent reads their truth alone (``!``, ``&&``, ``||``); not ``(x != 0) == 1``
    made ``x == 1``, whose parts agree in truth where the conditions do not (x = 2)."""
    x, y = path[depth]
    parent = path[depth - 1][0] if depth else None
    return not depth or (_truth_node(x) and _truth_node(y)) or (isinstance(parent, c_ast.UnaryOp) and
                                                                 parent.op == "!") or \
        (isinstance(parent, c_ast.BinaryOp) and parent.op in ("&&", "||"))


def same_truth(pa: Program, a: Decision, pb: Program, b: Decision, values: Iterable[int]) -> bool | None:
    """Whether the two conditions come out alike for every value given the one variable (``err``) that the part
    they differ in reads, the rest of them being the same; None when that cannot be worked out: several variables,
    a call or a side effect there, a value not computed. A variable declared wider than 64 bits (``u128``) is given
    128-bit values too (wide_values): its low 64 bits alone would call ``x == 5`` and ``(u64)x == 5`` the same.
    Agreeing on the values tried is not enough: models.exactcond then decides it for every value the variable can
    hold (``(err + 7) % 1000003 == (UD + 7) % 1000003`` for ``err == UD`` agrees on every value tried), None where
    that is not worked out."""
    return judged(pa, a, pb, b, values)[0]


def judged(pa: Program, a: Decision, pb: Program, b: Decision, values: Iterable[int]) -> tuple[bool | None, int | None]:
    """same_truth, and the value the solver found them apart at where none of those tried did (to run it)."""
    tried = sorted({*values, 0, MASK64, *(1 << i for i in range(64))})  # every bit alone
    for x, y, name in _compared(pa, a, pb, b):
        wide = max(declared(pa, a.function, name).bits, declared(pb, b.function, name).bits) > 64
        found = _agree(pa, a.function, x, pb, b.function, y, name, wide_values(tried) if wide else tried)
        if found is True:  # the values tried are chosen, not all: the solver decides for every value
            exact = exact_pair((Side(pa, a.function, x), Side(pb, b.function, y)), name)
            if exact.found is not Found.UNKNOWN:
                return exact.found is Found.SAME, exact.value
        elif found is not None:
            return found, None
    path = levels(pa, a, pb, b)
    for x, y in (path[d] for d in range(len(path) - 1, -1, -1) if truth_level(path, d)):  # several names read
        x, y = constants(pa, a.function, x), constants(pb, b.function, y)  # a name of file scope: its value
        names = tuple(sorted(free_names(x) | free_names(y)))  # (``err != X || !--left``): each any value
        pair = (Side(pa, a.function, x), Side(pb, b.function, y))
        if names and exact_pair(pair, None, free=names).found is Found.SAME:
            return True, None
    return None, None


def callees_differ(pa: Program, a: Decision, pb: Program, b: Decision) -> bool:
    """Whether a function both conditions call (or what it returns calls) has code that differs: then the part the
    conditions' text differs in is not all that differs, and only the whole conditions, calls worked out, tell."""
    return bool(_changed_callees((pa, pb), a.node, set()) or _changed_callees((pa, pb), b.node, set()))


def levels(pa: Program, a: Decision, pb: Program, b: Decision) -> list[tuple[c_ast.Node, c_ast.Node]]:
    """The pairs of nodes a comparison of two conditions may stand on (_differing), the whole conditions alone when
    a helper they call differs (``is_x(err) && !--left`` made ``is_x(err) && left-- == 1`` as is_x() changes: the
    counter's parts agree, the conditions need not)."""
    path = _differing(a.node, b.node)
    return path[:1] if callees_differ(pa, a, pb, b) else path


def agree_on(pa: Program, a: Decision, pb: Program, b: Decision, tried: list[int], wide: bool = False
             ) -> bool | None:
    """same_truth for exactly the values ``tried`` (``wide``: and wide_values() of them for a variable declared wider
    than 64 bits on either side)."""
    for x, y, name in _compared(pa, a, pb, b):
        values = tried
        if wide and max(declared(pa, a.function, name).bits, declared(pb, b.function, name).bits) > 64:
            values = wide_values(tried)
        found = _agree(pa, a.function, x, pb, b.function, y, name, values)
        if found is not None:
            return found
    return None


def wide_values(tried: Iterable[int]) -> list[int]:
    """64-bit values ``tried`` made 128-bit too: each in the high half, in both halves, every bit of the high half
    alone and all 128 set, so that what only the high half tells apart is tried."""
    low = sorted(set(tried))
    return sorted({*low, *(v << 64 for v in low), *(v << 64 | v for v in low), *(1 << i for i in range(64, 128)),
                   (1 << 128) - 1})


# (each side's program key and condition's id) -> both conditions (kept, so that their ids are not reused) and what
# agree_on compares of them: harness.valuecover asks it once for each value next to a changed condition.
_COMPARED: dict[tuple[str, int, str, int], tuple[c_ast.Node, c_ast.Node, list[tuple[c_ast.Node, c_ast.Node, str]]]]
_COMPARED = {}


def _compared(pa: Program, a: Decision, pb: Program, b: Decision) -> list[tuple[c_ast.Node, c_ast.Node, str]]:
    """The pairs of levels() agree_on works out, deepest first, with the one variable each reads: a value inside the
    test (``err`` of ``err & M``) is left out, its truth not the condition's, and so is a part reading other than
    one variable, or stepping one it reads again."""
    key = (pa.key, id(a.node), pb.key, id(b.node))
    kept = _COMPARED.get(key)
    if kept is not None and kept[0] is a.node and kept[1] is b.node:
        return kept[2]
    path = levels(pa, a, pb, b)
    out = []
    for depth in range(len(path) - 1, -1, -1):
        x, y = path[depth]
        if not truth_level(path, depth):
            continue
        x, y = constants(pa, a.function, x), constants(pb, b.function, y)  # a name of file scope: its value
        names = free_names(x)
        if len(names) != 1 or free_names(y) != names or _stepped_twice(x) or _stepped_twice(y):
            continue
        out.append((x, y, next(iter(names))))
    if len(_COMPARED) > 4096:
        _COMPARED.clear()
    _COMPARED[key] = (a.node, b.node, out)
    return out


def set_by_call(program: Program, function: str) -> set[str]:
    """The variables of a function given a call's return (``err = __seamcall(fn, args)``, ``u64 err = op(...)``)."""
    func = program.functions.get(function)
    found = list(nodes(func)) if func is not None else []
    return {n.lvalue.name for n in found if isinstance(n, c_ast.Assignment) and n.op == "="
            and isinstance(n.lvalue, c_ast.ID) and isinstance(n.rvalue, c_ast.FuncCall)} \
        | {n.name for n in found if isinstance(n, c_ast.Decl) and isinstance(n.init, c_ast.FuncCall)}


def _stepped_twice(n: c_ast.Node) -> bool:
    """Whether a variable is stepped (``--x``) and read again in one expression: its reads are not all one value."""
    stepped = any(isinstance(x, c_ast.UnaryOp) and x.op in STEPS for x in nodes(n))
    return stepped and len([x for x in nodes(n) if isinstance(x, c_ast.ID)]) > 1


def _agree(pa: Program, fa: str, x: c_ast.Node, pb: Program, fb: str, y: c_ast.Node, name: str, values: list[int]
           ) -> bool | None:
    for v in values:
        p = truth_at(pa, fa, x, ((name, v),))
        q = truth_at(pb, fb, y, ((name, v),))
        if p is None or q is None:
            return None
        if p != q:
            return False
    return True
