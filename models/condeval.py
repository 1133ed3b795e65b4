"""A condition's value as C computes it, with some variables given.

For models.neighbours and models.decided (models.knownbits): its constants, casts, helpers of return statements and the
types its names are declared with.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable

from pycparser import c_ast

from models.cload import Program
from models.consteval import BUG_ON_CONST, BUILD_BUG_ON_ZERO
from models.cparse import param_decls
from models.ctype import INT, ULONG, Int, literal_type, usual
from models.errors import MirrorError
from models.knownbits import Bits, Value, binary, boolean, convert, unary
from models.literals import char_value, is_char_constant
from models.typesys import TypeSystem

MASK64 = (1 << 64) - 1
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}
STEPS = {"--": -1, "++": 1, "p--": 0, "p++": 0}  # a prefix step is the value stepped, a postfix one the value

# (program key, helper, depth, its parameters' values) -> what it returns: a changed condition is worked out for
# every value tried of the answer, its helpers called on the same leaf each time (a depth past 8 gives up).
_CALLS: dict[tuple[str, str, int, tuple[tuple[str, Bits], ...]], Value] = {}


class Eval:
    """A condition's value as C computes it (models.knownbits), with some variables given; anything else unknown."""

    def __init__(self, program: Program, env: dict[str, Bits] | None = None, depth: int = 0) -> None:
        self.program, self.env, self.depth = program, env or {}, depth

    def value(self, n: c_ast.Node | None) -> Value:
        try:
            return self._value(n)
        except (MirrorError, ArithmeticError, ValueError, RecursionError):
            return None

    def _value(self, n: c_ast.Node | None) -> Value:
        if isinstance(n, c_ast.Constant):
            return constant(n)
        if isinstance(n, c_ast.ID):
            return self.env.get(n.name)
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return unary(n.op, self._value(n.expr))
        if isinstance(n, c_ast.UnaryOp) and n.op in STEPS and isinstance(n.expr, c_ast.ID):
            # --x is x - 1, x-- is x, where x is read nowhere else (agree_on): the store itself decides nothing here.
            # The value of --x is the new value of x, in x's type (C11 6.5.3.1): a u8 at 0 steps to 255, not -1.
            old = self.env.get(n.expr.name)
            step = STEPS[n.op]
            return old if not step or old is None else \
                convert(binary("+" if step > 0 else "-", old, Bits.of(1, old.t), ""), old.t)
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):
                return boolean(self.truth(n))
            return binary(n.op, self._value(n.left), self._value(n.right), self.program.where(n.coord))
        if isinstance(n, c_ast.TernaryOp):
            return self._chosen(n)
        if isinstance(n, c_ast.Cast):
            t = int_type(self.program, n.to_type)
            return convert(self._value(n.expr), t) if t is not None else None
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None:
            return self._call(n.name.name, list(n.args.exprs))
        return None

    def _chosen(self, n: c_ast.TernaryOp) -> Value:
        """``c ? x : y``: the branch its condition takes, in the type both branches convert to (C11 6.5.15), which
        needs both known (``is_seamldr_call(fn) ? SEAMLDR_RND_NO_ENTROPY : TDX_RND_NO_ENTROPY``)."""
        taken = self.truth(n.cond)
        x, y = self._value(n.iftrue), self._value(n.iffalse)
        if taken is None or x is None or y is None:
            return None
        t = usual(x.t, y.t)
        return convert(x if taken else y, t) if isinstance(t, Int) else None

    def _call(self, name: str, args: list[c_ast.Node]) -> Value:
        """likely(x) and unlikely(x) as !!x, __builtin_expect(x, c) as x; a function of its arguments whose body is
        return statements chosen by if statements (``is_seamldr_call(fn)``, ``if (a) return x == A; else return x ==
        B;``); anything else unknown."""
        func = self.program.functions.get(name)
        if func is None and name in (BUG_ON_CONST, BUILD_BUG_ON_ZERO) and len(args) == 1:
            # The prelude's build checks (GENMASK_ULL()'s input check inside TDX_SEAMCALL_UD): 0 where the check
            # holds, as models.consteval folds them; one that fails does not build, and one not known is unknown.
            return Bits.of(0, INT) if self.truth(args[0]) is False else None
        if func is None:
            if len(args) != _EXPECT.get(name, -1):
                return None
            return self._value(args[0]) if len(args) == 2 else boolean(self.truth(args[0]))
        params = param_decls(func)
        ret = int_type(self.program, func.decl.type.type)
        if self.depth > 8 or ret is None or len(params) != len(args):
            return None
        env: dict[str, Bits] = {}
        for p, a in zip(params, args, strict=True):
            t, v = int_type(self.program, p.type), self._value(a)
            v = convert(v, t) if t is not None else None
            if v is None or p.name is None:
                return None
            env[p.name] = v
        key = (self.program.key, name, self.depth, tuple(env.items()))
        try:  # one lookup: a tuple keeps no hash, and each Bits in it hashes in Python (most calls are asked again)
            return _CALLS[key]
        except KeyError:
            pass
        inner = Eval(self.program, env, self.depth + 1)
        found = inner._returned(func.body.block_items or [])
        if len(_CALLS) > 65536:
            _CALLS.clear()
        value = _CALLS[key] = convert(inner._value(found), ret) if found is not None else None
        return value

    def _returned(self, items: list[c_ast.Node]) -> c_ast.Node | None:
        """The expression the first ``return`` these statements reach returns; None when another kind of statement
        comes first or an ``if`` on the way is not worked out."""
        for item in items:
            if isinstance(item, c_ast.Return):
                return item.expr
            if not isinstance(item, c_ast.If):
                return None
            taken = self.truth(item.cond)
            if taken is None:
                return None
            branch = item.iftrue if taken else item.iffalse
            if branch is not None:
                found = self._returned(branch.block_items or [] if isinstance(branch, c_ast.Compound) else [branch])
                if found is not None or not _falls_through(branch):
                    return found
        return None

    def truth(self, n: c_ast.Node | None) -> bool | None:
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            left = self.truth(n.left)
            stop = n.op == "||"
            if left is not None:
                return stop if left is stop else self.truth(n.right)
            return None
        v = self.value(n)
        return v.truth() if v is not None else None


# (program key, function, id of a condition node) -> the node (kept, so that its id is not reused) and its truth by the
# values of the names it reads: a variant is a side of several comparisons, and each asks its changed conditions again
# for the same answers (models.decided, models.neighbours).
_TRUTHS: dict[tuple[str, str, int], tuple[c_ast.Node, dict[tuple[tuple[str, int], ...], bool | None]]] = {}


def truth_at(program: Program, function: str, node: c_ast.Node, given: tuple[tuple[str, int], ...]) -> bool | None:
    """Whether ``node``, a condition of ``function``, holds with each name ``given`` (sorted pairs of a name and its
    value) holding that value as the type the name is declared with (declared()); None when that is not known."""
    return truths(program, function, node)(given)


Truths = Callable[[tuple[tuple[str, int], ...]], bool | None]


def truths(program: Program, function: str, node: c_ast.Node) -> Truths:
    """truth_at of one condition, what is kept of it looked up once: models.decided asks a condition at each answer
    it tries (some 140 values, for each assignment of the other names it reads)."""
    key = (program.key, function, id(node))
    kept = _TRUTHS.get(key)
    if kept is None or kept[0] is not node:
        if len(_TRUTHS) > 4096:
            _TRUTHS.clear()
        kept = _TRUTHS[key] = (node, {})
    seen = kept[1]

    def at(given: tuple[tuple[str, int], ...]) -> bool | None:
        if given in seen:
            return seen[given]
        found = seen[given] = Eval(program, {n: Bits.of(k, declared(program, function, n)) for n, k in given}
                                   ).truth(node)
        return found
    return at


def _falls_through(n: c_ast.Node) -> bool:
    """Whether a branch holds no ``return`` (an empty one goes on to what follows)."""
    return not any(isinstance(x, c_ast.Return) for x in nodes(n))


def constant(n: c_ast.Constant) -> Value:
    return _literal(n.value, n.type)


@functools.lru_cache(maxsize=4096)
def _literal(text: str, kind: str) -> Value:
    """A constant's value and type by its spelling (Bits are immutable, so one object serves every use)."""
    if is_char_constant(text):
        return Bits.of(char_value(text), Int(32, True, 3, "int"))
    if kind in ("string", "float", "double", "long double"):
        return None
    number, t = literal_type(text)
    return Bits.of(number, t)


_TYPES: dict[str, TypeSystem | None] = {}


def _types(program: Program) -> TypeSystem | None:
    if program.key not in _TYPES:
        if len(_TYPES) > 64:
            _TYPES.clear()
        try:
            _TYPES[program.key] = TypeSystem(program.ast, program.where, program.dropped, program.partial)
        except (MirrorError, KeyError, AttributeError, RecursionError):
            _TYPES[program.key] = None
    return _TYPES[program.key]


def typed_enumerators(program: Program) -> dict[str, tuple[int, Int]]:
    """Name -> value and type of each enumerator past int's range gcc gives its enum's type (models.typesys:
    ``SC_RND = 0x8000020300000000ULL`` an ``unsigned long``); none where the program's types are not read."""
    types = _types(program)
    return types.typed_enums if types is not None else {}


# (program key, id of a type node) -> the node (kept, so that its id is not reused) and its integer type: a
# condition is worked out for every value that may tell two sides apart, its casts and parameters each time.
_INT_TYPES: dict[tuple[str, int], tuple[c_ast.Node, Int | None]] = {}


def int_type(program: Program, node: c_ast.Node) -> Int | None:
    key = (program.key, id(node))
    known = _INT_TYPES.get(key)
    if known is not None and known[0] is node:
        return known[1]
    types = _types(program)
    try:
        t = types.resolve(node) if types is not None else None
    except (MirrorError, KeyError, AttributeError):
        t = None
    if len(_INT_TYPES) > 65536:
        _INT_TYPES.clear()
    _INT_TYPES[key] = (node, t if isinstance(t, Int) else None)
    return _INT_TYPES[key][1]


def exact(e: Eval, n: c_ast.Node) -> int | None:
    """The value ``n`` is known to have, in 64 bits; None when not known, or of a 128-bit type (its 64 bits alone
    would tell apart values that are not alike)."""
    v = e.value(n)
    if v is None or v.t.bits > 64:
        return None
    return v.exact() & MASK64 if v.exact() is not None else None  # type: ignore[operator]


def rebuilt(n: c_ast.Node, f: Callable[[c_ast.Node], c_ast.Node]) -> c_ast.Node:
    """A shallow copy of ``n`` with each child node, and each node of a list slot, put as ``f`` of it (``coord``
    kept): the step of every copy-on-rewrite walk of an expression (models.valuecalls, models.valueexprs)."""
    out = copy.copy(n)
    for slot in type(n).__slots__:
        if slot in ("coord", "__weakref__"):
            continue
        x = getattr(n, slot, None)
        if isinstance(x, c_ast.Node):
            setattr(out, slot, f(x))
        elif isinstance(x, list):
            setattr(out, slot, [f(y) if isinstance(y, c_ast.Node) else y for y in x])
    return out


def nodes(n: c_ast.Node) -> Iterable[c_ast.Node]:
    """``n`` and every node below it, each before its children, in the order ``children()`` gives them (pycparser
    yields a node's children in that order: no named pair made per child, and no generator per level passing on
    every node below it)."""
    todo = [n]
    while todo:
        x = todo.pop()
        yield x
        below = list(x)
        below.reverse()
        todo += below


# (program key, function) -> the first declaration of each name among its parameters and locals, and the
# integer types read from them so far: the rules ask for every value of every changed condition.
_DECLS: dict[tuple[str, str], tuple[dict[str, c_ast.Decl], dict[str, Int]]] = {}


def declared(program: Program, function: str, name: str) -> Int:
    """The integer type ``name`` is declared with in ``function`` (a parameter or local), else u64."""
    key = (program.key, function)
    found = _DECLS.get(key)
    if found is None:
        if len(_DECLS) > 1024:
            _DECLS.clear()
        decls: dict[str, c_ast.Decl] = {}
        func = program.functions.get(function)
        for n in nodes(func) if func is not None else ():
            if isinstance(n, c_ast.Decl) and n.name is not None:
                decls.setdefault(n.name, n)
        found = _DECLS[key] = (decls, {})
    decls, types = found
    if name not in types:
        decl = decls.get(name)
        t = int_type(program, decl.type) if decl is not None else None
        types[name] = t if t is not None else ULONG
    return types[name]


def shape(n: c_ast.Node) -> tuple[object, ...]:
    """The node as a comparable value: its class, attributes and children (as pycparser yields them, in children()'s
    order, without its named pairs), coordinates left out. Worked out once per node (_SHAPES)."""
    kept = _SHAPES.get(id(n))
    if kept is not None and kept[0] is n:
        return kept[1]
    found = type(n).__name__, tuple([repr(getattr(n, a, None)) for a in n.attr_names]), tuple(map(shape, n))
    if len(_SHAPES) >= 1 << 16:
        _SHAPES.clear()
    _SHAPES[id(n)] = (n, found)
    return found


# Each node's shape by its identity, the node held with it (so that its id is no other's; parsed code is not changed
# once loaded, a rewrite copies what it changes: models.condeval.rebuilt): the value runs and the rules compare the
# same conditions, helpers and declarations again and again (the corpus' eval: 7,311 shapes of 2,473 nodes).
_SHAPES: dict[int, tuple[c_ast.Node, tuple[object, ...]]] = {}
