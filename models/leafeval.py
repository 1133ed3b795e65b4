"""The known bits of a function's expressions given its parameters' (the leaf's bit 63 known, models.leafbits).

A call of a function of the program whose body is one ``return`` is followed (at most _MAX_DEPTH deep), with the
arguments' known bits as its parameters'; likely(), unlikely() and __builtin_expect() as models.kernel has them; a
constant read once (C11 6.4.4.1).
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.ctype import INT, LONG, Int, literal_type
from models.errors import MirrorError
from models.knownbits import Bits, Value, binary, boolean, convert, join, unary
from models.leafcode import LeafCode
from models.leaftaint import locals_of
from models.leafwalks import ENUM, TYPE, Read, called
from models.literals import char_value, is_char_constant

_MAX_DEPTH = 8  # calls of one-return functions followed inside a condition
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}  # name -> its arguments


class LeafEval:
    """The known bits of expressions of one function, its parameters' known bits given."""

    def __init__(self, code: LeafCode, fn: str, env: dict[str, Value], depth: int = 0,
                 read: list[Read] | None = None) -> None:
        self.code, self.fn, self.env, self.depth = code, fn, env, depth
        self.local = locals_of(code.program.functions[fn])
        self.read = read  # what it read of the program beyond the function's body (models.leafwalks), when kept

    def value(self, n: c_ast.Node | None) -> Value:
        if isinstance(n, c_ast.Constant):
            return _constant(n, self.code.program)
        if isinstance(n, c_ast.ID):
            if n.name in self.local:
                return self.env.get(n.name)
            known = self.code.types.enums.get(n.name)
            if self.read is not None:
                self.read.append((ENUM, n.name, known))
            return Bits.of(known, INT) if known is not None else None  # an enumerator is an int (C11 6.7.2.2p3)
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return unary(n.op, self.value(n.expr))
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):
                return boolean(self.truth(n))
            return binary(n.op, self.value(n.left), self.value(n.right), self.code.program.where(n.coord))
        if isinstance(n, c_ast.Cast):
            t = self.code._int(n.to_type)
            if self.read is not None:
                self.read.append((TYPE, n.to_type, t))
            return convert(self.value(n.expr), t) if t is not None else None
        if isinstance(n, c_ast.TernaryOp):
            truth = self.truth(n.cond)
            a, b = self.value(n.iftrue), self.value(n.iffalse)
            if truth is not None:
                return a if truth else b
            return join(a, b) if a is not None and b is not None and a.t == b.t else None
        if isinstance(n, c_ast.FuncCall):
            return self._call(n)
        return None

    def truth(self, n: c_ast.Node | None) -> bool | None:
        """Whether the expression is nonzero in every run (``&&`` and ``||`` as C evaluates them), or None."""
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            left, right = self.truth(n.left), self.truth(n.right)
            stop = n.op == "||"  # the left operand's value that decides without the right
            if left is not None:
                return stop if left is stop else right
            return stop if right is stop else None
        v = self.value(n)
        return v.truth() if v is not None else None

    def _call(self, call: c_ast.FuncCall) -> Value:
        name = call.name.name if isinstance(call.name, c_ast.ID) else None
        args = list(call.args.exprs) if call.args is not None else []
        func = self.code.program.functions.get(name or "")
        if self.read is not None and name is not None:
            self.read.append(called(self.code, name))
        if func is None and name not in self.local and name in _EXPECT and len(args) == _EXPECT[name]:
            # models.kernel's primitives: likely(x) and unlikely(x) are !!x, __builtin_expect(x, c) is x, as a long
            return convert(self.value(args[0]) if len(args) == 2 else boolean(self.truth(args[0])), LONG)
        inner = self.callee(call)
        return None if inner is None else convert(inner[0].value(inner[1]), inner[2])

    def callee(self, call: c_ast.FuncCall) -> tuple[LeafEval, c_ast.Node, Int] | None:
        """The evaluator of a called function of the program whose body is one ``return`` (its parameters the
        arguments' known bits), that return's expression and the function's type; None for any other call."""
        found = self.entered(call)
        items = (found[1].body.block_items or []) if found is not None else []
        if found is None or found[2] is None or len(items) != 1 or not isinstance(items[0], c_ast.Return) \
                or items[0].expr is None:
            return None
        return found[0], items[0].expr, found[2]

    def entered(self, call: c_ast.FuncCall) -> tuple[LeafEval, c_ast.FuncDef, Int | None] | None:
        """The evaluator of a function of the program a call names (its parameters the arguments' known bits), its
        definition and its integer type (None for void or a pointer: ``const char *sc_fmt_for(u64 fn)``); None for
        a call of anything else, or too deep."""
        name = call.name.name if isinstance(call.name, c_ast.ID) else None
        args = list(call.args.exprs) if call.args is not None else []
        func = self.code.program.functions.get(name or "")
        if name is None or func is None or name in self.local or self.depth >= _MAX_DEPTH:
            return None
        params, ret = self.code.params[name], self.code.returns[name]
        if not passes(self.code, name, len(args)):
            return None
        env = {p: convert(self.value(a), t) if t is not None else None
               for (p, t), a in zip(params, args, strict=False) if p and p not in self.code.unusable[name]}
        return LeafEval(self.code, name, env, self.depth + 1, self.read), func, ret


_CONSTANTS: dict[tuple[str, str], Value] = {}  # (pycparser's type, text) -> its value: read once, not at every use


def _constant(n: c_ast.Constant, program: Program) -> Value:
    key = (n.type, n.value)
    kept = _CONSTANTS.get(key)
    if kept is not None or key in _CONSTANTS:
        return kept
    if len(_CONSTANTS) > 4096:
        _CONSTANTS.clear()
    value = _CONSTANTS[key] = _read_constant(n, program.where(n.coord))
    return value


def _read_constant(n: c_ast.Constant, where: str) -> Value:
    if is_char_constant(n.value):
        return Bits.of(char_value(n.value), INT)
    if n.type in ("string", "float", "double", "long double"):
        return None
    try:
        number, t = literal_type(n.value, where)
    except (MirrorError, ValueError):
        return None
    return Bits.of(number, t)


def passes(code: LeafCode, callee: str, count: int) -> bool:
    """Whether a call of ``callee`` with ``count`` arguments hands its parameters their values: as many as it has,
    or at least as many where it is variadic (the rest are its "...")."""
    n = len(code.params[callee])
    return count == n or (count > n and callee in code.variadic)
