"""A condition's C as bit-vector formulas (for the z3 solver), each value as models.condeval computes it.

C's conversions as models.ctype has them (promotions, the usual arithmetic conversions, wrapping arithmetic as the
kernel's -fno-strict-overflow has it), a helper's ``return`` chosen by its ``if`` statements, and where the mirror
computes no value (a shift past the width, a division by zero or that overflows, a path of a helper it does not read)
as a formula of its own. What is not written raises Unwritten. models.exactcond asks the solver of two of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.cload import Program
from models.condeval import STEPS, constant, declared, int_type
from models.condeval import nodes as _nodes
from models.consteval import BUG_ON_CONST, BUILD_BUG_ON_ZERO
from models.cparse import param_decls
from models.ctype import INT, Int, promote, usual
from models.record import record

_NODES = 400  # nodes of a formula's C (helpers' bodies included) past which it is not written
_DEPTH = 8  # helpers within helpers, as models.condeval follows them
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}


class Unwritten(Exception):
    """A construct not written as a formula here."""


@record
class _Sym:
    """A C value as a formula: its bits (``term``, of ``t.bits``), its type, and when the mirror computes none."""

    term: Any
    t: Int
    undef: Any


class Writer:
    """A condition's C as formulas, each name it reads standing for a bit-vector of ``names`` (the one variable and
    the others given), held as the type the side declares it with."""

    def __init__(self, z: Any, program: Program, function: str, names: dict[str, Any]) -> None:
        self.z, self.program, self.nodes = z, program, 0
        # Where a step (``--left``) is computed: the condition's value is not all of it, the store is the other part
        # (``--left || 1`` and ``1 || --left`` are both true, one of them steps left). By name: its direction and
        # when it runs, the tests of ``&&`` and ``||`` before it holding.
        self.guard, self.steps = z.BoolVal(True), {}  # type: tuple[Any, dict[str, tuple[int, Any]]]
        env: dict[str, _Sym] = {}
        for n, v in names.items():
            t = declared(program, function, n)
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
            raise Unwritten("too large a condition")
        z = self.z
        if isinstance(n, c_ast.Constant):
            b = constant(n)
            if b is None:
                raise Unwritten(f"the constant {n.value}")
            return _Sym(z.BitVecVal(b.value, b.t.bits), b.t, z.BoolVal(False))
        if isinstance(n, c_ast.ID):
            if n.name not in env:
                raise Unwritten(f"'{n.name}', whose value is not known")
            return env[n.name]
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return self._unary(n.op, self.value(n.expr, env, depth))
        if isinstance(n, c_ast.UnaryOp) and n.op in STEPS and isinstance(n.expr, c_ast.ID):
            old = self.value(n.expr, env, depth)
            if depth or n.expr.name in self.steps:
                raise Unwritten(f"a step of {n.expr.name} in a helper or stepped twice")
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
                raise Unwritten("a cast to a type not an integer's")
            return self.convert(self.value(n.expr, env, depth), t)
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None:
            return self._call(n.name.name, list(n.args.exprs), env, depth)
        raise Unwritten(f"a {type(n).__name__}")

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
            raise Unwritten("a value wider than 64 bits")
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
            raise Unwritten("an operand not an integer")
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
            raise Unwritten(f"the operator {op}")
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
        """``c ? x : y`` as models.condeval reads it: both branches computed, in the type both convert to; GNU
        ``c ?: y`` is ``c`` where it is not zero (gcc manual, Conditionals: ``c`` evaluated once, here as the
        condition)."""
        z = self.z
        taken, cu = self._truth(n.cond, env, depth)
        first = n.cond if n.iftrue is None else n.iftrue
        if any(isinstance(k, c_ast.UnaryOp) and k.op in STEPS for b in (n.iftrue, n.iffalse) if b is not None
               for k in _nodes(b)):
            raise Unwritten("a step in a branch of ?:")  # computed in one branch alone, which Eval does not say
        x, y = self.value(first, env, depth), self.value(n.iffalse, env, depth)
        t = usual(x.t, y.t)
        if not isinstance(t, Int):
            raise Unwritten("a ?: of no integer type")
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
                raise Unwritten(f"a call of {name}()")
            return self.value(args[0], env, depth) if len(args) == 2 else self._boolean(*self._truth(args[0], env,
                                                                                                      depth))
        params = param_decls(func)
        ret = int_type(self.program, func.decl.type.type)
        if depth >= _DEPTH or ret is None or len(params) != len(args):
            raise Unwritten(f"a call of {name}()")
        inner: dict[str, _Sym] = {}
        for p, a in zip(params, args, strict=True):
            t = int_type(self.program, p.type)
            if t is None or p.name is None:
                raise Unwritten(f"a call of {name}()")
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
