"""Two conditions decided for every value without the solver where each variable is only compared with constants.

models.exactcond asks here first and loads z3 only where nothing is said here. A variable ``v`` of ``b`` bits (held
as a type of that width, as models.condeval.truth_at holds it) converted through types at least that wide is, on each
half of its range (its top bit clear, set), ``v`` plus a constant, congruent to ``v`` modulo ``2**b``: every bit above
its ``b`` is zero or a copy of its top bit. So ``v OP K`` (==, !=, <, <=, >, >=, in the type both convert to, K a
constant) changes only where ``v`` is ``K`` or ``K + 1`` modulo ``2**b``, its truth ``v != 0`` at 0 and 1, and ``v &
M`` only at multiples of M's lowest bit below ``b``. A condition built of such tests (with ``!``, ``&&``, ``||``,
``?:``, casts, arithmetic of their results and helpers of ``if`` and ``return``, as models.condeval.Eval reads them)
is constant between those cuts, so the mirror's own truth_at at one value of each piece (not one of those left out)
decides it: SAME where both sides compute alike at every one, else the value they differ at, which the caller runs
again. Anything else (a variable in other arithmetic, two variables compared, a step such as ``--left``, a value
not computed) is not decided by the cuts; a search of the constants the two read may still find a value they differ
at, computed by the mirror; otherwise None, for the solver.
"""

from __future__ import annotations

import itertools
import math
import random

from pycparser import c_ast

from models.cload import Program
from models.condeval import STEPS, constant, declared, int_type, nodes, truths
from models.consteval import BUG_ON_CONST, BUILD_BUG_ON_ZERO
from models.cparse import param_decls
from models.ctype import INT, Int, promote, usual
from models.errors import MirrorError
from models.knownbits import Bits, binary, convert, unary
from models.record import record

_POINTS = 4096  # values run in all (assignments x each variable's pieces) past which the cuts say nothing
_MASK_BITS = 6  # ``v & M`` cut into at most 2**6 blocks of v's range
_NODES = 2000  # nodes read (helpers' bodies and their branches included) past which the cuts say nothing
_DEPTH = 8  # helpers within helpers, as models.condeval.Eval follows them
_SEARCH = 256  # values the search tries per question
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}
_COMPARE = ("==", "!=", "<", ">", "<=", ">=")

Given = tuple[tuple[str, int], ...]
Decided = tuple[int, Given] | bool | None  # a value and assignment they differ at; True: the same; None: not said


class _Refused(Exception):
    """A construct whose value is not shown constant between the cuts."""


@record
class _Lin:
    """The variable ``name`` converted to ``t``: its value plus a constant on each half of its range."""

    name: str
    t: Int


@record
class _Step:
    """A value constant between the cuts: its type alone is known here."""

    t: Int


_Abstract = Bits | _Lin | _Step


class _Cuts:
    """Where each variable's pieces start (``cuts``), read off one side's condition with the other names given."""

    def __init__(self, program: Program, held: dict[str, int], cuts: dict[str, set[int]]) -> None:
        self.program, self.held, self.cuts, self.nodes = program, held, cuts, 0

    def _cut(self, name: str, *at: int) -> None:
        mask = (1 << self.held[name]) - 1
        self.cuts[name].update(a & mask for a in at)

    def _exact(self, b: Bits | None) -> Bits:
        if b is None or b.exact() is None:
            raise _Refused("a value not computed")
        return b

    def value(self, n: c_ast.Node | None, env: dict[str, _Abstract], depth: int) -> _Abstract:
        self.nodes += 1
        if self.nodes > _NODES:
            raise _Refused("too large")
        if isinstance(n, c_ast.Constant):
            return self._exact(constant(n))
        if isinstance(n, c_ast.ID):
            if n.name not in env:
                raise _Refused(n.name)
            return env[n.name]
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return self._unary(n.op, self.value(n.expr, env, depth))
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):
                return self._boolean(self.truth(n, env, depth))
            return self._binary(n, self.value(n.left, env, depth), self.value(n.right, env, depth))
        if isinstance(n, c_ast.TernaryOp):
            return self._chosen(n, env, depth)
        if isinstance(n, c_ast.Cast):
            t = int_type(self.program, n.to_type)
            if t is None:
                raise _Refused("a cast")
            return self.convert(self.value(n.expr, env, depth), t)
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None:
            return self._call(n.name.name, list(n.args.exprs), env, depth)
        raise _Refused(type(n).__name__)  # a step (--left) among them

    @staticmethod
    def _boolean(truth: bool | None) -> _Abstract:
        return _Step(INT) if truth is None else Bits.of(int(truth), INT)

    def truth(self, n: c_ast.Node | None, env: dict[str, _Abstract], depth: int) -> bool | None:
        """Whether ``n`` holds where that is one answer for every value, else None (the cuts it needs made);
        ``&&`` and ``||`` read their right side only where models.condeval.Eval does."""
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            left = self.truth(n.left, env, depth)
            stop: bool = n.op == "||"
            if left is stop:
                return left
            right = self.truth(n.right, env, depth)
            return right if left is not None else None
        v = self.value(n, env, depth)
        if isinstance(v, Bits):
            return v.truth()
        if isinstance(v, _Lin):
            self._cut(v.name, 0, 1)
        return None

    def convert(self, v: _Abstract, t: Int) -> _Abstract:
        if isinstance(v, Bits):
            return self._exact(convert(v, t))
        if isinstance(v, _Step):
            return _Step(t)
        if t.rank == 0:
            self._cut(v.name, 0, 1)
            return _Step(t)
        if t.bits < self.held[v.name]:
            raise _Refused("a variable narrowed")
        return _Lin(v.name, t)

    def _unary(self, op: str, v: _Abstract) -> _Abstract:
        if isinstance(v, Bits):
            return self._exact(unary(op, v))
        if op == "!":
            self.truth_of(v)
            return _Step(INT)
        t = promote(v.t)
        assert isinstance(t, Int)
        if isinstance(v, _Step):
            return _Step(t)
        if op != "+":
            raise _Refused(f"{op} of a variable")
        return self.convert(v, t)

    def truth_of(self, v: _Abstract) -> None:
        if isinstance(v, _Lin):
            self._cut(v.name, 0, 1)

    def _binary(self, n: c_ast.BinaryOp, a: _Abstract, b: _Abstract) -> _Abstract:
        op = n.op
        if isinstance(a, Bits) and isinstance(b, Bits):
            return self._exact(binary(op, a, b, self.program.where(n.coord)))
        lin = [x for x in (a, b) if isinstance(x, _Lin)]
        if not lin:
            return _Step(INT if op in _COMPARE else self._type(op, a.t, b.t))
        other = b if lin[0] is a else a
        if len(lin) > 1 or not isinstance(other, Bits) or (op not in _COMPARE and op != "&"):
            raise _Refused(f"a variable under {op}")
        t = usual(a.t, b.t)
        if not isinstance(t, Int):
            raise _Refused("no integer type")
        k = self._exact(convert(other, t))
        name = lin[0].name
        if op in _COMPARE:  # v + c crosses K where v is K (mod 2**b): its truth changes at K or K + 1
            self._cut(name, k.value, k.value + 1)
            return _Step(INT)
        low = k.value & ((1 << self.held[name]) - 1)
        if low:
            shift = (low & -low).bit_length() - 1
            if self.held[name] - shift > _MASK_BITS:
                raise _Refused("a mask of many pieces")
            self._cut(name, *range(0, 1 << self.held[name], 1 << shift))
        return _Step(t)

    @staticmethod
    def _type(op: str, a: Int, b: Int) -> Int:
        t = promote(a) if op in ("<<", ">>") else usual(a, b)
        if not isinstance(t, Int):
            raise _Refused("no integer type")
        return t

    def _chosen(self, n: c_ast.TernaryOp, env: dict[str, _Abstract], depth: int) -> _Abstract:
        """``c ? x : y`` as models.condeval.Eval reads it: both branches computed, in the type both convert to."""
        taken = self.truth(n.cond, env, depth)
        x, y = self.value(n.iftrue, env, depth), self.value(n.iffalse, env, depth)
        t = usual(x.t, y.t)
        if isinstance(x, _Lin) or isinstance(y, _Lin) or not isinstance(t, Int):
            raise _Refused("a variable chosen by ?:")
        if taken is None or not isinstance(x, Bits) or not isinstance(y, Bits):
            return _Step(t)
        return self._exact(convert(x if taken else y, t))

    def _call(self, name: str, args: list[c_ast.Node], env: dict[str, _Abstract], depth: int) -> _Abstract:
        """models.condeval Eval._call: likely(), unlikely(), __builtin_expect(), the prelude's build checks, and a
        helper whose body is ``return`` statements chosen by ``if`` statements."""
        func = self.program.functions.get(name)
        if func is None and name in (BUG_ON_CONST, BUILD_BUG_ON_ZERO) and len(args) == 1:
            holds = self.truth(args[0], env, depth)
            if holds is True:
                raise _Refused("a build check that fails")
            return Bits.of(0, INT) if holds is False else _Step(INT)
        if func is None:
            if len(args) != _EXPECT.get(name, -1):
                raise _Refused(f"a call of {name}()")
            return self.value(args[0], env, depth) if len(args) == 2 else \
                self._boolean(self.truth(args[0], env, depth))
        params = param_decls(func)
        ret = int_type(self.program, func.decl.type.type)
        if depth >= _DEPTH or ret is None or len(params) != len(args):
            raise _Refused(f"a call of {name}()")
        inner: dict[str, _Abstract] = {}
        for p, a in zip(params, args, strict=True):
            t = int_type(self.program, p.type)
            if t is None or p.name is None:
                raise _Refused(f"a call of {name}()")
            inner[p.name] = self.convert(self.value(a, env, depth), t)
        return self._returned(list(func.body.block_items or []), inner, depth + 1, ret)

    def _returned(self, items: list[c_ast.Node], env: dict[str, _Abstract], depth: int, ret: Int) -> _Abstract:
        """What the first ``return`` these statements reach returns, as Eval._returned finds it; both ways of an
        ``if`` whose test is not one answer for every value, and then a variable returned is refused."""
        for i, item in enumerate(items):
            if isinstance(item, c_ast.Return) and item.expr is not None:
                return self.convert(self.value(item.expr, env, depth), ret)
            if not isinstance(item, c_ast.If):
                raise _Refused("a statement Eval does not read")
            taken = self.truth(item.cond, env, depth)
            ways = (item.iftrue, item.iffalse) if taken is None else (item.iftrue if taken else item.iffalse,)
            found = [self._returned(_items(w) if w is not None and _returns_in(w) else items[i + 1:], env, depth, ret)
                     for w in ways]
            if len(found) == 1:
                return found[0]
            if any(isinstance(f, _Lin) for f in found):
                raise _Refused("a variable returned by one way of an if")
            return _Step(ret)
        raise _Refused("no return reached")


def _items(branch: c_ast.Node) -> list[c_ast.Node]:
    return list(branch.block_items or []) if isinstance(branch, c_ast.Compound) else [branch]


def _returns_in(n: c_ast.Node) -> bool:
    return any(isinstance(x, c_ast.Return) for x in nodes(n))


Side = tuple[Program, str, c_ast.Node]  # a program, the function the condition is in, the condition


def _read(n: c_ast.Node) -> set[str]:
    """The names a condition reads, a called function's aside (as models.exactcond._read)."""
    called = {id(x.name) for x in nodes(n) if isinstance(x, c_ast.FuncCall)}
    return {x.name for x in nodes(n) if isinstance(x, c_ast.ID) and id(x) not in called}


def _held(sides: tuple[Side, Side], names: list[str]) -> dict[str, int] | None:
    """Each variable's width as both sides declare it (one width, not _Bool), else None."""
    out: dict[str, int] = {}
    for n in names:
        ts = {declared(p, f, n) for p, f, _ in sides}
        widths = {t.bits for t in ts}
        if len(widths) != 1 or any(t.rank == 0 for t in ts):
            return None
        out[n] = widths.pop()
    return out


def _pieces(sides: tuple[Side, Side], held: dict[str, int], g: Given) -> dict[str, list[int]] | None:
    """Where each variable's pieces start on both sides with the assignment ``g``, sorted; None where refused."""
    cuts = {n: {0, 1 << (b - 1)} for n, b in held.items()}
    try:
        for program, function, node in sides:
            env: dict[str, _Abstract] = {n: _Lin(n, declared(program, function, n)) for n in held}
            env.update((n, Bits.of(v, declared(program, function, n))) for n, v in g if n not in held)
            _Cuts(program, held, cuts).truth(node, env, 0)
    except (_Refused, MirrorError, ArithmeticError, ValueError, RecursionError):
        return None
    return {n: sorted(c) for n, c in cuts.items()}


def _values(starts: list[int], bits: int, width: int | None, excluded: frozenset[int]) -> list[int]:
    """One value of each piece (its start, or the first one not ``excluded`` of the ``width``-bit values whose low
    ``bits`` lie in it; ``width`` None: no value is left out); a piece of only values left out gives none."""
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else 1 << bits
        if width is None:
            out.append(s)
            continue
        tries = (s + k for k in range(min(end - s, len(excluded) + 1))) if bits == width else \
            (s + (k << bits) for k in range(min(1 << (width - bits), len(excluded) + 1)))
        out.extend(itertools.islice((v for v in tries if v not in excluded), 1))
    return out


def _run(sides: tuple[Side, Side], point: Given) -> tuple[bool | None, bool | None]:
    """Both sides' truth at ``point`` (the names each reads), as models.exactcond._checked runs them."""
    p, q = (truths(program, function, node)(tuple(sorted((n, v) for n, v in point if n in read)))
            for program, function, node, read in ((*side, _read(side[2])) for side in sides))  # read once a side
    return p, q


def by_cuts(sides: tuple[Side, Side], name: str | None, width: int, given: tuple[Given, ...],
            excluded: frozenset[int], free: tuple[str, ...]) -> Decided:
    """models.exactcond.compare's question decided at one value of each piece: True (the same), a value of ``name``
    and the assignment (the free names' values among it) they differ at, or None (not decided here)."""
    if any(isinstance(x, c_ast.UnaryOp) and x.op in STEPS for _, _, node in sides for x in nodes(node)):
        return None  # a step counts by when it runs too (models.exactcond._stepped_apart)
    names = [n for n in (name, *free) if n is not None]
    if any(n in names for g in given for n, _ in g):
        return None
    held = _held(sides, names)
    if held is None or (name is not None and held[name] > width) or any(b > 128 for b in held.values()):
        return None
    plans = []
    for g in given:
        pieces = _pieces(sides, held, g)
        if pieces is None:
            return None
        values = [_values(pieces[n], held[n], width if n == name else None, excluded) for n in names]
        plans.append((g, values))
    if sum(math.prod(map(len, v)) for _, v in plans) > _POINTS:
        return None
    for g, values in plans:
        for chosen in itertools.product(*values):
            point = tuple(sorted((*g, *zip(names, chosen, strict=True))))
            p, q = _run(sides, point)
            if p is None or q is None:
                return None
            if p != q:
                return _answer(name, names, chosen, g)
    return True


def _answer(name: str | None, names: list[str], chosen: tuple[int, ...], g: Given) -> tuple[int, Given]:
    """As models.exactcond._solve gives a value: ``name``'s, and the assignment with the free names' values."""
    at = dict(zip(names, chosen, strict=True))
    return (at[name] if name is not None else 0), tuple(sorted((*g, *((n, v) for n, v in at.items() if n != name))))


def _constants(sides: tuple[Side, Side]) -> set[int]:
    """The constants the two conditions read, and the helpers they call (helpers within them too)."""
    out: set[int] = set()
    for program, _, node in sides:
        todo, seen = [node], set()
        while todo:
            for x in nodes(todo.pop()):
                if isinstance(x, c_ast.Constant):
                    b = constant(x)
                    if b is not None and b.exact() is not None:
                        out.add(b.exact())  # type: ignore[arg-type]
                func = program.functions.get(x.name.name) if isinstance(x, c_ast.FuncCall) and \
                    isinstance(x.name, c_ast.ID) else None
                if func is not None and x.name.name not in seen:
                    seen.add(x.name.name)
                    todo.append(func.body)
    return out


def searched(sides: tuple[Side, Side], name: str | None, width: int, given: tuple[Given, ...],
             excluded: frozenset[int], free: tuple[str, ...]) -> tuple[int, Given] | None:
    """A value (with an assignment of ``given`` and values of ``free``) both sides compute and differ at, among
    the constants they read, their neighbours, 0, 1, the top bit and all ones, for each variable (``_SEARCH`` of
    those, chosen the same way each time); None where none of those is found."""
    names = [n for n in (name, *free) if n is not None]
    if not names or any(n in names for g in given for n, _ in g):
        return None
    consts = _constants(sides) | {v for g in given for _, v in g}
    rng = random.Random(358)
    pools = []
    for n in names:
        bits = width if n == name else 128
        mask = (1 << bits) - 1
        pool = {0, 1, mask, 1 << 63, (1 << 64) - 1, *((k + d) & mask for k in consts for d in (-1, 0, 1))}
        pools.append(sorted(v for v in pool if n != name or v not in excluded))
    if any(not p for p in pools):
        return None
    tries = [tuple(p[min(i, len(p) - 1)] for p in pools) for i in range(max(map(len, pools)))]
    tries += [tuple(rng.choice(p) for p in pools) for _ in range(_SEARCH - len(tries))]
    for i, chosen in enumerate(tries[:_SEARCH]):
        g = given[i % len(given)]
        point = tuple(sorted((*g, *zip(names, chosen, strict=True))))
        p, q = _run(sides, point)
        if p is not None and q is not None and p != q:
            return _answer(name, names, chosen, g)
    return None
