"""Changed conditions of two programs, and the status values next to what they test: the answers that tell them apart.

A scripted SEAMCALL answer shows a condition's change only when the two conditions take it differently: ``err !=
X`` and ``(err & ~BIT_ULL(40)) != X`` agree on every answer but ``X`` with bit 40 set. So for each decision (the
condition of an if, a loop or a ``?:``) whose parsed, macro-expanded form differs between the two programs in a
function both have, the values next to the constants it compares with are derived from the expression itself: the
constant, it with the bits a mask or shift of the other operand names set and cleared, it plus and minus one in the
low 32 bits (a status code's details), and a bit a bare ``x & M`` tests. The caller runs them as answers on both
sides; the runs decide, these values only choose what to ask. ``same_truth`` says whether two conditions over one
variable agree on every value tried (evaluated as C does, models.knownbits), so that a refactor of a condition
is told from a change no run showed.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import replace

from pycparser import c_ast

from models.cload import Program
from models.ctype import ULONG, Int, literal_type
from models.errors import MirrorError
from models.knownbits import Bits, Value, binary, boolean, convert, unary
from models.literals import char_value, is_char_constant
from models.record import record
from models.typesys import TypeSystem

_MASK64 = (1 << 64) - 1
_LOW = 0xFFFFFFFF  # a status code's detail bits (the class is the high 32)
_COMPARE = frozenset({"==", "!=", "<", ">", "<=", ">="})
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}
_STEPS = {"--": -1, "++": 1, "p--": 0, "p++": 0}  # a prefix step is the value stepped, a postfix one the value
MAX_VALUES = 24  # answers tried per comparison: a condition of many constants is held to its first ones


@record
class Decision:
    """A decision of a function: where (file:line), its shape (the parsed condition, macros expanded) and node."""

    function: str
    where: str
    shape: tuple[object, ...]
    node: c_ast.Node


@record
class Changed:
    """A decision whose condition differs between the two programs (``a`` or ``b`` None: one side has no twin).
    ``via``: the functions the condition calls whose code differs (each with the place it differs at on either
    side), when the condition's own text is the same: ``if (is_x_call(fn))`` over a changed ``return``."""

    a: Decision | None
    b: Decision | None
    via: tuple[tuple[str, str, str], ...] = ()


def _shape(n: c_ast.Node) -> tuple[object, ...]:
    """The node as a comparable value: its class, attributes and children, coordinates left out."""
    attrs = tuple(repr(getattr(n, a, None)) for a in n.attr_names)
    return (type(n).__name__, attrs, tuple(_shape(c) for _, c in n.children()))


def _conditions(func: c_ast.FuncDef) -> list[c_ast.Node]:
    """The decisions of a function in source order: conditions of if, loops and ``?:``."""
    found: list[c_ast.Node] = []

    def walk(n: c_ast.Node) -> None:
        if isinstance(n, (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp)) and n.cond is not None:
            found.append(n.cond)
        for _, c in n.children():
            walk(c)

    walk(func.body)
    return found


_DECISIONS: dict[str, dict[str, list[Decision]]] = {}


def decisions(program: Program) -> dict[str, list[Decision]]:
    """Every function's decisions (read once per program)."""
    kept = _DECISIONS.get(program.key)
    if kept is not None:
        return kept
    out = {name: [Decision(name, program.where(c.coord), _shape(c), c) for c in _conditions(func)]
           for name, func in program.functions.items()}
    if len(_DECISIONS) > 256:
        _DECISIONS.clear()
    _DECISIONS[program.key] = out
    return out


def changed_decisions(a: Program, b: Program) -> list[Changed]:
    """The decisions whose conditions differ between ``a`` and ``b``, in the functions both have: paired in order
    where a run of them was replaced one for one, alone where one side added or removed some."""
    da, db = decisions(a), decisions(b)
    out: list[Changed] = []
    for name in sorted(da.keys() & db.keys()):
        xs, ys = da[name], db[name]
        match = difflib.SequenceMatcher(None, [x.shape for x in xs], [y.shape for y in ys], autojunk=False)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag != "equal":
                out += [replace(c, via=tuple(_changed_callees((a, b), c.a.node, set())))
                        if c.a is not None and c.b is not None else c for c in _paired(xs[i1:i2], ys[j1:j2])]
                continue
            for x, y in zip(xs[i1:i2], ys[j1:j2], strict=True):  # the same text: a helper it calls may differ
                via = _changed_callees((a, b), x.node, set())
                if via:
                    out.append(Changed(x, y, tuple(via)))
    return out


_DEPTH = 8  # helpers followed from a condition, call within call


def _called(n: c_ast.Node) -> list[str]:
    return [x.name.name for x in _nodes(n) if isinstance(x, c_ast.FuncCall) and isinstance(x.name, c_ast.ID)]


def _returns(func: c_ast.FuncDef) -> list[c_ast.Return]:
    return [x for x in _nodes(func.body) if isinstance(x, c_ast.Return)]


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
    rest, out = list(right), []
    for x in left:
        scored = [(difflib.SequenceMatcher(None, repr(x.shape), repr(y.shape), autojunk=False).ratio(), i)
                  for i, y in enumerate(rest)]
        best = max(scored, default=(0.0, -1))
        out.append(Changed(x, rest.pop(best[1])) if best[0] >= 0.5 else Changed(x, None))
    return out + [Changed(None, y) for y in rest]


# (program key, helper, depth, its parameters' values) -> what it returns: a changed condition is worked out for
# every value tried of the answer, its helpers called on the same leaf each time (a depth past 8 gives up).
_CALLS: dict[tuple[str, str, int, tuple[tuple[str, Bits], ...]], Value] = {}


class _Eval:
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
            return _constant(n)
        if isinstance(n, c_ast.ID):
            return self.env.get(n.name)
        if isinstance(n, c_ast.UnaryOp) and n.op in ("!", "~", "+", "-"):
            return unary(n.op, self._value(n.expr))
        if isinstance(n, c_ast.UnaryOp) and n.op in _STEPS and isinstance(n.expr, c_ast.ID):
            # --x is x - 1, x-- is x, where x is read nowhere else (agree_on): the store itself decides nothing here
            old = self.env.get(n.expr.name)
            step = _STEPS[n.op]
            return old if not step or old is None else binary("+" if step > 0 else "-", old, Bits.of(1, old.t), "")
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):
                return boolean(self.truth(n))
            return binary(n.op, self._value(n.left), self._value(n.right), self.program.where(n.coord))
        if isinstance(n, c_ast.Cast):
            t = _int_type(self.program, n.to_type)
            return convert(self._value(n.expr), t) if t is not None else None
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None:
            return self._call(n.name.name, list(n.args.exprs))
        return None

    def _call(self, name: str, args: list[c_ast.Node]) -> Value:
        """likely(x) and unlikely(x) as !!x, __builtin_expect(x, c) as x; a function of its arguments whose body is
        return statements chosen by if statements (``is_seamldr_call(fn)``, ``if (a) return x == A; else return x ==
        B;``); anything else unknown."""
        func = self.program.functions.get(name)
        if func is None:
            if len(args) != _EXPECT.get(name, -1):
                return None
            return self._value(args[0]) if len(args) == 2 else boolean(self.truth(args[0]))
        params = [p for p in (getattr(func.decl.type.args, "params", None) or []) if isinstance(p, c_ast.Decl)]
        ret = _int_type(self.program, func.decl.type.type)
        if self.depth > 8 or ret is None or len(params) != len(args):
            return None
        env: dict[str, Bits] = {}
        for p, a in zip(params, args, strict=True):
            t, v = _int_type(self.program, p.type), self._value(a)
            v = convert(v, t) if t is not None else None
            if v is None or p.name is None:
                return None
            env[p.name] = v
        key = (self.program.key, name, self.depth, tuple(env.items()))
        if key in _CALLS:
            return _CALLS[key]
        inner = _Eval(self.program, env, self.depth + 1)
        found = inner._returned(func.body.block_items or [])
        if len(_CALLS) > 65536:
            _CALLS.clear()
        _CALLS[key] = convert(inner._value(found), ret) if found is not None else None
        return _CALLS[key]

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


def _falls_through(n: c_ast.Node) -> bool:
    """Whether a branch holds no ``return`` (an empty one goes on to what follows)."""
    return not any(isinstance(x, c_ast.Return) for x in _nodes(n))


def _constant(n: c_ast.Constant) -> Value:
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


# (program key, id of a type node) -> the node (kept, so that its id is not reused) and its integer type: a
# condition is worked out for every value that may tell two sides apart, its casts and parameters each time.
_INT_TYPES: dict[tuple[str, int], tuple[c_ast.Node, Int | None]] = {}


def _int_type(program: Program, node: c_ast.Node) -> Int | None:
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


def _exact(e: _Eval, n: c_ast.Node) -> int | None:
    v = e.value(n)
    return v.exact() & _MASK64 if v is not None and v.exact() is not None else None  # type: ignore[operator]


def _nodes(n: c_ast.Node) -> Iterable[c_ast.Node]:
    yield n
    for _, c in n.children():
        yield from _nodes(c)


def _bits(mask: int) -> int:
    """The bits a mask names: those it keeps when it keeps few, else those it clears (``~BIT_ULL(40)``)."""
    mask &= _MASK64
    return mask if bin(mask).count("1") <= 32 else ~mask & _MASK64


def _around(k: int, named: Iterable[int]) -> set[int]:
    """``k``, it plus and minus one in the low 32 bits, and with each named set of bits set, cleared, and its lowest
    and highest bit flipped."""
    k &= _MASK64
    high = k & ~_LOW & _MASK64
    out = {k, high | ((k + 1) & _LOW), high | ((k - 1) & _LOW)}
    for bits in named:
        if bits:
            out |= {k | bits, k & ~bits & _MASK64, k ^ (bits & -bits), k ^ (1 << (bits.bit_length() - 1))}
    return out


def _operand_bits(e: _Eval, operand: c_ast.Node, k: int) -> tuple[set[int], set[int]]:
    """What a mask or shift in the tested operand names (bits, for _around), and values a shift moves ``k`` to."""
    named: set[int] = set()
    moved: set[int] = set()
    for n in _nodes(operand):
        if not isinstance(n, c_ast.BinaryOp):
            continue
        if n.op in ("&", "|", "^"):
            named |= {_bits(m) for m in (_exact(e, n.left), _exact(e, n.right)) if m is not None}
        elif n.op in (">>", "<<") and (count := _exact(e, n.right)) is not None and 0 < count < 64:
            low = (1 << count) - 1
            if n.op == ">>":
                base = (k << count) & _MASK64
                moved |= {base, base | 1, base | low}
            else:
                moved |= {k >> count, (k >> count) | (1 << (64 - count))}
                named.add(low << (64 - count) & _MASK64)
    return named, moved


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
            found = (a.where(x.coord), b.where(y.coord))
        _BODIES[key] = found
    return _BODIES[key]


def _reached(program: Program, cond: c_ast.Node) -> Iterable[c_ast.Node]:
    """The nodes of ``cond`` and of what the functions it calls return (helpers followed, each once)."""
    todo: list[c_ast.Node] = [cond]
    seen: set[str] = set()
    while todo and len(seen) <= _DEPTH:
        n = todo.pop()
        for x in _nodes(n):
            yield x
            func = program.functions.get(x.name.name) if isinstance(x, c_ast.FuncCall) and \
                isinstance(x.name, c_ast.ID) else None
            if func is not None and x.name.name not in seen:
                seen.add(x.name.name)
                todo += [r.expr for r in _returns(func) if r.expr is not None]


def neighbour_values(program: Program, cond: c_ast.Node) -> list[int]:
    """The answers next to what ``cond`` compares with (the module's list), smallest first, at most MAX_VALUES;
    what a helper it calls returns is read as part of it."""
    e = _Eval(program)
    out: set[int] = set()
    for n in _reached(program, cond):
        if not isinstance(n, c_ast.BinaryOp):
            continue
        if n.op in _COMPARE:
            left, right = _exact(e, n.left), _exact(e, n.right)
            if (left is None) == (right is None):
                continue
            k, operand = (left, n.right) if left is not None else (right, n.left)
            assert k is not None
            named, moved = _operand_bits(e, operand, k)
            out |= _around(k, named) | moved
        elif n.op == "&" and (m := _exact(e, n.right) if _exact(e, n.left) is None else _exact(e, n.left)):
            bits = m & _MASK64  # a bare test of bits: each alone, all of them, none
            out |= {bits, bits & -bits, 1 << (bits.bit_length() - 1), 0}
    return sorted(out)[:MAX_VALUES]


def free_names(n: c_ast.Node) -> frozenset[str]:
    """The identifiers a condition reads (called names aside)."""
    called = {id(x.name) for x in _nodes(n) if isinstance(x, c_ast.FuncCall)}
    return frozenset(x.name for x in _nodes(n) if isinstance(x, c_ast.ID) and id(x) not in called)


# (program key, function) -> the first declaration of each name among its parameters and locals, and the
# integer types read from them so far: the rules ask for every value of every changed condition.
_DECLS: dict[tuple[str, str], tuple[dict[str, c_ast.Decl], dict[str, Int]]] = {}


def _declared(program: Program, function: str, name: str) -> Int:
    """The integer type ``name`` is declared with in ``function`` (a parameter or local), else u64."""
    key = (program.key, function)
    found = _DECLS.get(key)
    if found is None:
        if len(_DECLS) > 1024:
            _DECLS.clear()
        decls: dict[str, c_ast.Decl] = {}
        func = program.functions.get(function)
        for n in _nodes(func) if func is not None else ():
            if isinstance(n, c_ast.Decl) and n.name is not None:
                decls.setdefault(n.name, n)
        found = _DECLS[key] = (decls, {})
    decls, types = found
    if name not in types:
        decl = decls.get(name)
        t = _int_type(program, decl.type) if decl is not None else None
        types[name] = t if t is not None else ULONG
    return types[name]


def _differing(a: c_ast.Node, b: c_ast.Node) -> list[tuple[c_ast.Node, c_ast.Node]]:
    """The pairs of nodes from the roots down to the smallest subtrees the two conditions differ in: a level whose
    one child alone differs is gone through (the rest of the condition is the same around it)."""
    path = [(a, b)]
    while True:
        x, y = path[-1]
        kids_x, kids_y = [c for _, c in x.children()], [c for _, c in y.children()]
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


def same_truth(pa: Program, a: Decision, pb: Program, b: Decision, values: Iterable[int]) -> bool | None:
    """Whether the two conditions come out alike for every value given the one variable (``err``) that the part
    they differ in reads, the rest of them being the same; None when that cannot be worked out: several variables,
    a call or a side effect there, a value not computed."""
    return agree_on(pa, a, pb, b, sorted({*values, 0, _MASK64, *(1 << i for i in range(64))}))  # every bit alone


def agree_on(pa: Program, a: Decision, pb: Program, b: Decision, tried: list[int]) -> bool | None:
    """same_truth for exactly the values ``tried``."""
    path = _differing(a.node, b.node)
    for depth in range(len(path) - 1, -1, -1):
        x, y = path[depth]
        if depth and not _truth_node(x) and not _truth_node(y):
            continue  # a value inside the test (``err`` of ``err & M``): its truth is not the condition's
        names = free_names(x)
        if len(names) != 1 or free_names(y) != names or _stepped_twice(x) or _stepped_twice(y):
            continue
        found = _agree(pa, a.function, x, pb, b.function, y, tried)
        if found is not None:
            return found
    return None


def set_by_call(program: Program, function: str) -> set[str]:
    """The variables of a function given a call's return (``err = __seamcall(fn, args)``, ``u64 err = op(...)``)."""
    func = program.functions.get(function)
    nodes = list(_nodes(func)) if func is not None else []
    return {n.lvalue.name for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="
            and isinstance(n.lvalue, c_ast.ID) and isinstance(n.rvalue, c_ast.FuncCall)} \
        | {n.name for n in nodes if isinstance(n, c_ast.Decl) and isinstance(n.init, c_ast.FuncCall)}


def _stepped_twice(n: c_ast.Node) -> bool:
    """Whether a variable is stepped (``--x``) and read again in one expression: its reads are not all one value."""
    stepped = any(isinstance(x, c_ast.UnaryOp) and x.op in _STEPS for x in _nodes(n))
    return stepped and len([x for x in _nodes(n) if isinstance(x, c_ast.ID)]) > 1


def _agree(pa: Program, fa: str, x: c_ast.Node, pb: Program, fb: str, y: c_ast.Node, values: list[int]
           ) -> bool | None:
    name = next(iter(free_names(x)))
    ta, tb = _declared(pa, fa, name), _declared(pb, fb, name)
    for v in values:
        p = _Eval(pa, {name: Bits.of(v, ta)}).truth(x)
        q = _Eval(pb, {name: Bits.of(v, tb)}).truth(y)
        if p is None or q is None:
            return None
        if p != q:
            return False
    return True
