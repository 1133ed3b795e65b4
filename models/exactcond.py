"""Two conditions over one variable decided for every value it can hold, as bit-vector formulas (the z3 solver).

models.neighbours and models.decided try a condition at chosen values (the constants it tests, their neighbours,
every bit alone): a rewrite whose two forms differ only where none of those lands (``(err + 7) % 1000003 == (UD + 7)
% 1000003`` for ``err == UD``) looked the same. Here each condition is written as a formula over the variable's bits
with C's conversions as models.condeval computes them (models.ctype: promotions, the usual arithmetic conversions,
wrapping arithmetic as the kernel's -fno-strict-overflow has it, a helper's ``return`` chosen by its ``if``
statements), with where the mirror computes no value (a shift past the width, a division by zero or that overflows,
a path of a helper it does not read) as a formula of its own. The solver then says whether some value, other than
those already tried, makes them differ or makes either not computed; a value it names is checked with the mirror
(models.condeval.truth_at) before anything is said of it, so the solver only chooses values. What is not written
here (a construct the mirror reads that this does not, a formula the solver gives up on within its resource limit)
is said so: never a "same". The solver is asked only what models.cutcond does not decide (each name only compared with
constants: the mirror run at one value of each piece its constants cut its range into), so that libz3 (some 40 MB) is
loaded only for those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from pycparser import c_ast

from models.cload import Program
from models.condeval import STEPS, constant, declared, int_type, truth_at
from models.condeval import nodes as _nodes
from models.consteval import BUG_ON_CONST, BUILD_BUG_ON_ZERO
from models.cparse import param_decls, param_nodes
from models.ctype import INT, Int, promote, usual
from models.errors import MirrorError
from models.record import record

_RLIMIT = 1_500_000  # the solver's resource limit per question: deterministic, unlike a time limit (~0.5 s at most)
_NODES = 400  # nodes of a formula's C (helpers' bodies included) past which it is not written
_DEPTH = 8  # helpers within helpers, as models.condeval follows them
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}


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


class _Unwritten(Exception):
    """A construct not written as a formula here."""


@record
class _Sym:
    """A C value as a formula: its bits (``term``, of ``t.bits``), its type, and when the mirror computes none."""

    term: Any
    t: Int
    undef: Any


@record
class Side:
    """One side of a comparison: its program, the function the condition is in, and the condition (or a part)."""

    program: Program
    function: str
    node: c_ast.Node


Given = tuple[tuple[str, int], ...]  # names other than the variable with their values, sorted (truth_at's pairs)


class _Writer:
    """A condition's C as formulas, each name it reads standing for a bit-vector of ``names`` (the one variable and
    the others given), held as the type the side declares it with."""

    def __init__(self, z: Any, side: Side, names: dict[str, Any]) -> None:
        self.z, self.program, self.nodes = z, side.program, 0
        # Where a step (``--left``) is computed: the condition's value is not all of it, the store is the other part
        # (``--left || 1`` and ``1 || --left`` are both true, one of them steps left). By name: its direction and
        # when it runs, the tests of ``&&`` and ``||`` before it holding.
        self.guard, self.steps = z.BoolVal(True), {}  # type: tuple[Any, dict[str, tuple[int, Any]]]
        env: dict[str, _Sym] = {}
        for n, v in names.items():
            t = declared(side.program, side.function, n)
            env[n] = _Sym(self._given(v, t), t, z.BoolVal(False))
        self.env = env

    def _given(self, v: Any, t: Int) -> Any:
        """The value ``v`` (unsigned, of its width) held as type ``t`` (models.knownbits Bits.of: its low bits)."""
        z = self.z
        if t.rank == 0:
            return z.If(v != 0, z.BitVecVal(1, t.bits), z.BitVecVal(0, t.bits))
        width = v.size()
        return z.Extract(t.bits - 1, 0, v) if t.bits <= width else z.ZeroExt(t.bits - width, v)

    # -- values -------------------------------------------------------------------------------------------------

    def value(self, n: c_ast.Node | None, env: dict[str, _Sym], depth: int) -> _Sym:
        self.nodes += 1
        if self.nodes > _NODES:
            raise _Unwritten("too large a condition")
        z = self.z
        if isinstance(n, c_ast.Constant):
            b = constant(n)
            if b is None:
                raise _Unwritten(f"the constant {n.value}")
            return _Sym(z.BitVecVal(b.value, b.t.bits), b.t, z.BoolVal(False))
        if isinstance(n, c_ast.ID):
            if n.name not in env:
                raise _Unwritten(f"'{n.name}', whose value is not known")
            return env[n.name]
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return self._unary(n.op, self.value(n.expr, env, depth))
        if isinstance(n, c_ast.UnaryOp) and n.op in STEPS and isinstance(n.expr, c_ast.ID):
            old = self.value(n.expr, env, depth)
            if depth or n.expr.name in self.steps:
                raise _Unwritten(f"a step of {n.expr.name} in a helper or stepped twice")
            self.steps[n.expr.name] = (1 if "+" in n.op else -1, self.guard)
            step = STEPS[n.op]  # a prefix step is the value stepped, in the variable's type (C11 6.5.3.1)
            return old if not step else self.convert(self._binary("+" if step > 0 else "-", old, self._one(old.t)),
                                                      old.t)
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):
                return self._boolean(*self._truth(n, env, depth))
            return self._binary(n.op, self.value(n.left, env, depth), self.value(n.right, env, depth))
        if isinstance(n, c_ast.TernaryOp):
            return self._chosen(n, env, depth)
        if isinstance(n, c_ast.Cast):
            t = int_type(self.program, n.to_type)
            if t is None:
                raise _Unwritten("a cast to a type not an integer's")
            return self.convert(self.value(n.expr, env, depth), t)
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None:
            return self._call(n.name.name, list(n.args.exprs), env, depth)
        raise _Unwritten(f"a {type(n).__name__}")

    def _one(self, t: Int) -> _Sym:
        return _Sym(self.z.BitVecVal(1, t.bits), t, self.z.BoolVal(False))

    def _boolean(self, truth: Any, undef: Any) -> _Sym:
        z = self.z
        return _Sym(z.If(truth, z.BitVecVal(1, 32), z.BitVecVal(0, 32)), INT, undef)

    def truth_of(self, s: _Sym) -> Any:
        return s.term != self.z.BitVecVal(0, s.t.bits)

    def truth(self, n: c_ast.Node) -> tuple[Any, Any]:
        """Whether the condition ``n`` holds, and when the mirror computes it not."""
        return self._truth(n, self.env, 0)

    def as_value(self, n: c_ast.Node) -> tuple[Any, Any]:
        """The value of the expression ``n`` in 64 bits as models.condeval.exact gives it (its type's bits, sign
        extended), and when the mirror computes it not; a wider type's is not written (exact gives none)."""
        s = self.value(n, self.env, 0)
        if s.t.bits > 64:
            raise _Unwritten("a value wider than 64 bits")
        grow = self.z.SignExt if s.t.signed and s.t.rank != 0 else self.z.ZeroExt
        return (grow(64 - s.t.bits, s.term) if s.t.bits < 64 else s.term), s.undef

    def _truth(self, n: c_ast.Node, env: dict[str, _Sym], depth: int) -> tuple[Any, Any]:
        """Whether ``n`` holds, and when it is not computed (``&&``, ``||``: the right side only where read)."""
        z = self.z
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            lt, lu = self._truth(n.left, env, depth)
            before = self.guard
            self.guard = z.And(before, lt if n.op == "&&" else z.Not(lt))  # the right side is computed only then
            rt, ru = self._truth(n.right, env, depth)
            self.guard = before
            if n.op == "&&":
                return z.And(lt, rt), z.Or(lu, z.And(lt, ru))
            return z.Or(lt, rt), z.Or(lu, z.And(z.Not(lt), ru))
        s = self.value(n, env, depth)
        return self.truth_of(s), s.undef

    def convert(self, s: _Sym, t: Int) -> _Sym:
        """models.knownbits.convert: to bool by its truth, narrower by its low bits, wider by its type's sign."""
        z = self.z
        if t.rank == 0:
            return _Sym(z.If(self.truth_of(s), z.BitVecVal(1, t.bits), z.BitVecVal(0, t.bits)), t, s.undef)
        if t.bits <= s.t.bits:
            term = s.term if t.bits == s.t.bits else z.Extract(t.bits - 1, 0, s.term)
            return _Sym(term, t, s.undef)
        grow = z.SignExt if s.t.signed and s.t.rank != 0 else z.ZeroExt
        return _Sym(grow(t.bits - s.t.bits, s.term), t, s.undef)

    def _unary(self, op: str, s: _Sym) -> _Sym:
        z = self.z
        if op == "!":
            return self._boolean(z.Not(self.truth_of(s)), s.undef)
        t = promote(s.t)
        assert isinstance(t, Int)
        c = self.convert(s, t)
        term = ~c.term if op == "~" else -c.term if op == "-" else c.term
        return _Sym(term, t, c.undef)

    def _binary(self, op: str, a: _Sym, b: _Sym) -> _Sym:
        """models.ctype.arith as formulas: wrapping arithmetic; a shift past the width, a division by zero or one
        that overflows not computed."""
        z = self.z
        undef = z.Or(a.undef, b.undef)
        if op in ("<<", ">>"):
            t = promote(a.t)
            assert isinstance(t, Int)
            x = self.convert(a, t).term
            # The count in its own type, one bit wider than either width: out of [0, width) is not computed.
            wide = max(b.t.bits, t.bits) + 1
            count = (z.SignExt if b.t.signed else z.ZeroExt)(wide - b.t.bits, b.term)
            bad = z.Or(count < 0, count >= t.bits)
            n = z.Extract(t.bits - 1, 0, count)
            term = x << n if op == "<<" else (x >> n if t.signed else z.LShR(x, n))
            return _Sym(term, t, z.Or(undef, bad))
        t = usual(a.t, b.t)
        if not isinstance(t, Int):
            raise _Unwritten("an operand not an integer")
        x, y = self.convert(a, t).term, self.convert(b, t).term
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return self._boolean(self._compare(op, x, y, t.signed), undef)
        if op in ("/", "%"):
            over = z.And(x == z.BitVecVal(1 << (t.bits - 1), t.bits), y == z.BitVecVal(t.mask, t.bits)) \
                if t.signed else z.BoolVal(False)
            bad = z.Or(y == 0, over)
            divide = (lambda p, q: p / q, z.UDiv) if op == "/" else (z.SRem, z.URem)
            term = divide[0](x, y) if t.signed else divide[1](x, y)
            return _Sym(term, t, z.Or(undef, bad))
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q,
            "&": lambda p, q: p & q, "|": lambda p, q: p | q, "^": lambda p, q: p ^ q}
        if op not in ops:
            raise _Unwritten(f"the operator {op}")
        return _Sym(ops[op](x, y), t, undef)

    def _compare(self, op: str, x: Any, y: Any, signed: bool) -> Any:
        z = self.z
        if op == "==":
            return x == y
        if op == "!=":
            return x != y
        if signed:
            return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
        return {"<": z.ULT(x, y), ">": z.UGT(x, y), "<=": z.ULE(x, y), ">=": z.UGE(x, y)}[op]

    def _chosen(self, n: c_ast.TernaryOp, env: dict[str, _Sym], depth: int) -> _Sym:
        """``c ? x : y`` as models.condeval reads it: both branches computed, in the type both convert to."""
        z = self.z
        taken, cu = self._truth(n.cond, env, depth)
        if any(isinstance(k, c_ast.UnaryOp) and k.op in STEPS for b in (n.iftrue, n.iffalse) for k in _nodes(b)):
            raise _Unwritten("a step in a branch of ?:")  # computed in one branch alone, which Eval does not say
        x, y = self.value(n.iftrue, env, depth), self.value(n.iffalse, env, depth)
        t = usual(x.t, y.t)
        if not isinstance(t, Int):
            raise _Unwritten("a ?: of no integer type")
        p, q = self.convert(x, t), self.convert(y, t)
        return _Sym(z.If(taken, p.term, q.term), t, z.Or(cu, p.undef, q.undef))

    def _call(self, name: str, args: list[c_ast.Node], env: dict[str, _Sym], depth: int) -> _Sym:
        """models.condeval Eval._call: likely()/unlikely() as ``!!x``, ``__builtin_expect(x, c)`` as x, the prelude's
        build checks as 0 where they hold, and a helper whose body is ``return`` statements chosen by ``if``."""
        z = self.z
        func = self.program.functions.get(name)
        if func is None and name in (BUG_ON_CONST, BUILD_BUG_ON_ZERO) and len(args) == 1:
            holds, undef = self._truth(args[0], env, depth)
            return _Sym(z.BitVecVal(0, 32), INT, z.Or(undef, holds))
        if func is None:
            if len(args) != _EXPECT.get(name, -1):
                raise _Unwritten(f"a call of {name}()")
            return self.value(args[0], env, depth) if len(args) == 2 else self._boolean(*self._truth(args[0], env,
                                                                                                      depth))
        params = param_decls(func)
        ret = int_type(self.program, func.decl.type.type)
        if depth >= _DEPTH or ret is None or len(params) != len(args):
            raise _Unwritten(f"a call of {name}()")
        inner: dict[str, _Sym] = {}
        for p, a in zip(params, args, strict=True):
            t = int_type(self.program, p.type)
            if t is None or p.name is None:
                raise _Unwritten(f"a call of {name}()")
            inner[p.name] = self.convert(self.value(a, env, depth), t)
        done = self._returned(func.body.block_items or [], inner, depth + 1, ret)
        undef = z.Or(*(s.undef for s in inner.values()), done.undef) if inner else done.undef
        return _Sym(done.term, ret, undef)

    def _returned(self, items: list[c_ast.Node], env: dict[str, _Sym], depth: int, ret: Int) -> _Sym:
        """What the first ``return`` these statements reach returns, as Eval._returned finds it: a path through
        another statement first, or off the end, computes nothing."""
        z = self.z
        none = _Sym(z.BitVecVal(0, ret.bits), ret, z.BoolVal(True))
        read: list[Any] = []  # the tests of ifs neither way of which returns: still computed on the way
        for i, item in enumerate(items):
            if isinstance(item, c_ast.Return):
                found = self.convert(self.value(item.expr, env, depth), ret) if item.expr is not None else none
                return _Sym(found.term, ret, z.Or(*read, found.undef)) if read else found
            if not isinstance(item, c_ast.If):
                return none
            taken, cu = self._truth(item.cond, env, depth)
            branches = [_items(b) if b is not None and _returns_in(b) else None for b in (item.iftrue, item.iffalse)]
            if branches == [None, None]:
                read.append(cu)
                continue
            rest = items[i + 1:]
            p, q = (self._returned(b if b is not None else rest, env, depth, ret) for b in branches)
            return _Sym(z.If(taken, p.term, q.term), ret, z.Or(*read, cu, z.If(taken, p.undef, q.undef)))
        return none


def _items(branch: c_ast.Node) -> list[c_ast.Node]:
    return list(branch.block_items or []) if isinstance(branch, c_ast.Compound) else [branch]


def _returns_in(n: c_ast.Node) -> bool:
    return any(isinstance(x, c_ast.Return) for x in _nodes(n))


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
        writers = [_Writer(z3, s, held) for s in pair]
        (ta, ua), (tb, ub) = ((w.as_value if by_value else w.truth)(s.node) for w, s in zip(writers, pair, strict=True))
        for w, s in zip(writers, pair, strict=True):
            if any(sum(isinstance(x, c_ast.ID) and x.name == n for x in _nodes(s.node)) > 1 for n in w.steps):
                raise _Unwritten("a name stepped and read again")
    except (_Unwritten, MirrorError, ArithmeticError, ValueError, RecursionError) as e:
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
