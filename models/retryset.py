"""The answers a retry loop's test holds for, read from its C as a set of codes.

What ``err == A || err == B``, a ``!=``, a ``!`` and a helper looking the answer up in a const table
(``is_retryable(err)``) each mean.

Two loops whose tests are spelt apart (``err != TDX_RND_NO_ENTROPY`` leaving one, ``is_retryable(err)`` keeping the
other going while a table of that one code holds it) decide alike when the sets are equal (harness.countedalike).
Read: comparisons of the answer (a 64-bit unsigned local) with integer constants, ``!``, ``&&``, ``||``,
likely()/unlikely(), and a call handing the answer alone to a function of the program whose body is a counted lookup,
``for (i = 0; i < ARRAY_SIZE(t); i++) if (x == t[i]) return true; return false;`` over a ``const`` table of file
scope given whole by constants (or of structs, ``t[i].code == x`` returning true or ``t[i].retry``), a single
``return`` of such a test, or a ``switch`` on the answer whose labels each return a constant (``case A: case B:
return true; default: return false;``, falling through as C does). Anything else (a mask, a table not const or read
past its end, another type) is None: not read, never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pycparser import c_ast

from models.consteval import MUST_BE_ARRAY
from models.cparse import all_nodes, param_decls, param_nodes
from models.errors import UnsupportedConstruct
from models.record import record

if TYPE_CHECKING:
    from models.cload import Program

_EXPECT = frozenset({"likely", "unlikely", "__builtin_expect"})
ID = c_ast.ID
_DEPTH = 4  # helpers calling helpers, at most


@record
class Codes:
    """A set of answers: ``codes``, or (``rest``) every answer but ``codes``."""

    codes: frozenset[int]
    rest: bool = False

    def negated(self) -> Codes:
        return Codes(self.codes, not self.rest)

    def union(self, other: Codes) -> Codes:
        if not self.rest and not other.rest:
            return Codes(self.codes | other.codes)
        if self.rest and other.rest:
            return Codes(self.codes & other.codes, True)
        finite, cofinite = (self, other) if not self.rest else (other, self)
        return Codes(cofinite.codes - finite.codes, True)

    def intersection(self, other: Codes) -> Codes:
        return self.negated().union(other.negated()).negated()


def answer_codes(program: Program, func: c_ast.FuncDef, test: c_ast.Node, answer: str, depth: int = 0
                 ) -> Codes | None:
    """The answers held in ``answer`` (a local or parameter of ``func``, 64 bits unsigned) for which ``test`` is
    true; None where that is not read."""
    if depth > _DEPTH or not _is_u64(program, _declared(func, answer)):
        return None
    return _Read(program, func, answer, depth).codes(test)


class _Read:
    """One reading of tests of ``answer`` in ``func``."""

    def __init__(self, program: Program, func: c_ast.FuncDef, answer: str, depth: int) -> None:
        self.program, self.func, self.answer, self.depth = program, func, answer, depth

    def codes(self, n: c_ast.Node) -> Codes | None:
        if isinstance(n, c_ast.UnaryOp) and n.op == "!":
            inner = self.codes(n.expr)
            return inner.negated() if inner is not None else None
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            a, b = self.codes(n.left), self.codes(n.right)
            if a is None or b is None:
                return None
            return a.union(b) if n.op == "||" else a.intersection(b)
        if isinstance(n, c_ast.BinaryOp) and n.op in ("==", "!="):
            for x, c in ((n.left, n.right), (n.right, n.left)):
                if self._is_answer(x) and (v := _value(c)) is not None:
                    return Codes(frozenset({v}), n.op == "!=")
            return None
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID):
            args = n.args.exprs if n.args is not None else []
            if n.name.name in _EXPECT and args:
                return self.codes(args[0])
            if len(args) == 1 and self._is_answer(args[0]):
                return _helper(self.program, n.name.name, self.depth + 1)
        return None

    def _is_answer(self, n: c_ast.Node) -> bool:
        return isinstance(n, c_ast.ID) and n.name == self.answer


def _helper(program: Program, name: str, depth: int) -> Codes | None:
    """The answers a function of one 64-bit unsigned parameter returns true for: a single ``return`` of a test of
    it, or a counted lookup of it in a const table (_lookup)."""
    func = program.functions.get(name)
    params = param_decls(func) if func is not None else []
    if func is None or len(params) != 1:
        return None
    items = [i for i in func.body.block_items or [] if not _plain_decl(i)]
    if len(items) == 1 and isinstance(items[0], c_ast.Return) and items[0].expr is not None:
        return answer_codes(program, func, items[0].expr, params[0].name, depth)
    if len(items) == 2 and isinstance(items[0], c_ast.For) and _returns(items[1]) == 0:
        return _lookup(program, func, items[0], params[0].name)
    if items and isinstance(items[0], c_ast.Switch) and len(items) <= 2 and \
            _is_u64(program, _declared(func, params[0].name)):
        after = _returns(items[1]) if len(items) == 2 else None
        return None if len(items) == 2 and after is None else _switch(items[0], params[0].name, after)
    return None


def _switch(sw: c_ast.Switch, param: str, after: int | None) -> Codes | None:
    """``switch (param) { case A: case B: return true; ... default: return false; }``, then ``after`` (the truth of
    the ``return`` after it; None: there is none): each label's answer is the first ``return`` of a constant its
    statements reach, falling through the labels below it; a ``break``, or the switch's end, reaches ``after``.
    Statements but those, an empty one and a ``fallthrough;``, are not read; nor a path that returns no value."""
    if not isinstance(sw.cond, c_ast.ID) or sw.cond.name != param or not isinstance(sw.stmt, c_ast.Compound):
        return None
    labels = list(sw.stmt.block_items or [])
    if not all(isinstance(x, (c_ast.Case, c_ast.Default)) for x in labels):
        return None
    answers: list[int | None] = []
    below = after
    for label in reversed(labels):  # from the last: a label falling through takes the answer of the one below
        found = _label_answer(label.stmts or [], below, after)
        if found is _NOT_READ:
            return None
        below = found if isinstance(found, int) else None
        answers.append(below)
    cases: dict[int, int | None] = {}
    default = after
    for label, answer in zip(labels, reversed(answers), strict=True):
        if isinstance(label, c_ast.Default):
            default = answer
            continue
        v = _value(label.expr)
        if v is None or v in cases:
            return None
        cases[v] = answer
    if default is None or None in cases.values():
        return None  # a path leaves the helper without a return C gives a value for
    if default:
        return Codes(frozenset(v for v, r in cases.items() if not r), True)
    return Codes(frozenset(v for v, r in cases.items() if r))


_NOT_READ = object()


def _label_answer(stmts: list[c_ast.Node], below: int | None, after: int | None) -> object:
    """The truth a label's statements return: their first ``return`` of a constant, ``after`` at a ``break``,
    ``below`` (the next label's) when they reach neither; _NOT_READ where a statement is none of those."""
    for n in stmts:
        if isinstance(n, c_ast.Return):
            got = _returns(n)
            return _NOT_READ if got is None else got
        if isinstance(n, c_ast.Break):
            return after
        if not isinstance(n, c_ast.EmptyStatement) and not _fallthrough(n):
            return _NOT_READ
    return below


def _fallthrough(n: c_ast.Node) -> bool:
    """``fallthrough;`` as the prelude expands it (``do {} while (0)``): nothing."""
    return isinstance(n, c_ast.DoWhile) and _value(n.cond) == 0 and isinstance(n.stmt, c_ast.Compound) and \
        not n.stmt.block_items


def _lookup(program: Program, func: c_ast.FuncDef, loop: c_ast.For, param: str) -> Codes | None:
    """``for (i = 0; i < N; i++) if (param == table[i]) return true;``: the table's first N values, N its length
    (ARRAY_SIZE()) or less; a bound past its end is not read. A table of structs is looked up by a member
    (``table[i].code == param``), returning true or another member of the element found (``return table[i].retry;``):
    the codes of the elements whose answer is true, the first of equal codes deciding, as the loop stops there."""
    i = _counter(loop)
    body = loop.stmt.block_items[0] if isinstance(loop.stmt, c_ast.Compound) and \
        len(loop.stmt.block_items or []) == 1 else loop.stmt
    if i is None or not isinstance(body, c_ast.If) or body.iffalse is not None or \
            not isinstance(body.cond, c_ast.BinaryOp) or body.cond.op != "==":
        return None
    for x, t in ((body.cond.left, body.cond.right), (body.cond.right, body.cond.left)):
        found = _element(t, i)
        if not (isinstance(x, ID) and x.name == param) or found is None:
            continue
        name, member = found
        answer = _answered(body.iftrue, name, i)
        values = _table(program, name) if member is None else _column(program, name, member, True)
        truths = [1] * len(values or []) if answer == 1 else \
            _column(program, name, answer, False) if isinstance(answer, str) and member is not None else None
        bound = _bound(loop.cond, i, name, values)
        if values is None or truths is None or bound is None or bound > len(values) or \
                not _is_u64(program, _declared(func, param)):
            return None
        first: dict[int, int] = {}
        for v, truth in zip(values[:bound], truths, strict=False):
            first.setdefault(v, truth)
        return Codes(frozenset(v for v, truth in first.items() if truth))
    return None


def _element(n: c_ast.Node, i: str) -> tuple[str, str | None] | None:
    """``table[i]`` -> (table, None); ``table[i].member`` -> (table, member); else None."""
    member = None
    if isinstance(n, c_ast.StructRef) and n.type == "." and isinstance(n.field, ID):
        member, n = n.field.name, n.name
    if isinstance(n, c_ast.ArrayRef) and isinstance(n.name, ID) and isinstance(n.subscript, ID) and \
            n.subscript.name == i:
        return n.name.name, member
    return None


def _answered(n: c_ast.Node | None, table: str, i: str) -> int | str | None:
    """What a lookup's ``return`` gives: 1 for true, a member's name for ``table[i].member``; None for anything
    else."""
    if isinstance(n, c_ast.Compound) and len(n.block_items or []) == 1:
        n = n.block_items[0]
    if not isinstance(n, c_ast.Return) or n.expr is None:
        return None
    found = _element(n.expr, i)
    if found is not None and found[0] == table and found[1] is not None:
        return found[1]
    return 1 if _returns(n) == 1 else None


def _counter(loop: c_ast.For) -> str | None:
    """The counter of ``for (i = 0; ...; i++)`` (``++i``, ``i += 1``), or None."""
    init = loop.init.exprs[0] if isinstance(loop.init, c_ast.ExprList) and len(loop.init.exprs) == 1 else loop.init
    if isinstance(init, c_ast.DeclList) and len(init.decls) == 1:
        name, start = init.decls[0].name, init.decls[0].init
    elif isinstance(init, c_ast.Assignment) and init.op == "=" and isinstance(init.lvalue, c_ast.ID):
        name, start = init.lvalue.name, init.rvalue
    else:
        return None
    step = loop.next
    stepped = (isinstance(step, c_ast.UnaryOp) and step.op in ("++", "p++") and isinstance(step.expr, c_ast.ID)
               and step.expr.name == name) or (isinstance(step, c_ast.Assignment) and step.op == "+=" and
                                               isinstance(step.lvalue, c_ast.ID) and step.lvalue.name == name and
                                               _value(step.rvalue) == 1)
    return name if stepped and _value(start) == 0 else None


def _bound(cond: c_ast.Node, i: str, table: str, values: list[int] | None) -> int | None:
    """N of ``i < N``: a constant, or ``sizeof(t) / sizeof(t[0])`` (``+ __sh_must_be_array(t)``, 0 for an array:
    ARRAY_SIZE() as the prelude expands it) of the table looked up."""
    if not isinstance(cond, c_ast.BinaryOp) or cond.op != "<" or not isinstance(cond.left, c_ast.ID) or \
            cond.left.name != i:
        return None
    n = cond.right
    if isinstance(n, c_ast.BinaryOp) and n.op == "+" and isinstance(n.right, c_ast.FuncCall) and \
            isinstance(n.right.name, c_ast.ID) and n.right.name.name == MUST_BE_ARRAY:
        n = n.left
    if isinstance(n, c_ast.BinaryOp) and n.op == "/" and _sizeof_of(n.left, table, False) and \
            _sizeof_of(n.right, table, True):
        return len(values) if values is not None else None
    return _value(n)


def _sizeof_of(n: c_ast.Node, table: str, element: bool) -> bool:
    """``sizeof(table)``, or (``element``) ``sizeof(table[0])`` / ``sizeof(*table)``."""
    if not isinstance(n, c_ast.UnaryOp) or n.op != "sizeof":
        return False
    x = n.expr
    if element:
        if isinstance(x, c_ast.ArrayRef) and _value(x.subscript) == 0:
            x = x.name
        elif isinstance(x, c_ast.UnaryOp) and x.op == "*":
            x = x.expr
        else:
            return False
    return isinstance(x, c_ast.ID) and x.name == table


def _table(program: Program, name: str) -> list[int] | None:
    """The values of a ``const`` array of file scope of 64-bit unsigned elements, each given by a constant (the
    elements past them 0, as C gives them); None for anything else."""
    d = _const_array(program, name)
    if d is None or not _is_u64(program, d.type.type):
        return None
    return _padded(d, [_value(e) for e in d.init.exprs])


def _column(program: Program, name: str, member: str, code: bool) -> list[int] | None:
    """One member's values in each element of a ``const`` array of file scope of structs, each given by constants
    (positional or designated, the rest 0, as C gives them): a 64-bit unsigned member (``code``) or any integer one;
    None for anything else."""
    d = _const_array(program, name)
    members = _members(program, d.type.type.type) if d is not None and isinstance(d.type.type, c_ast.TypeDecl) \
        else None
    names = [m.name for m in members or []]
    if d is None or members is None or member not in names:
        return None
    kind = members[names.index(member)].type
    if not (_is_u64(program, kind) if code else _is_int(program, kind)):
        return None
    rows = [_row(r, names) for r in d.init.exprs]
    return _padded(d, [None if r is None else r.get(member, 0) for r in rows])


def _const_array(program: Program, name: str) -> c_ast.Decl | None:
    """The one file-scope declaration of ``name`` as a ``const`` array with an initializer list; None otherwise."""
    decls = [e for e in program.ast.ext if isinstance(e, c_ast.Decl) and e.name == name]
    d = decls[0] if len(decls) == 1 else None
    if d is None or not isinstance(d.type, c_ast.ArrayDecl) or "const" not in (d.type.type.quals or []) or \
            not isinstance(d.init, c_ast.InitList):
        return None
    return d


def _padded(d: c_ast.Decl, values: list[int | None]) -> list[int] | None:
    """The elements' ``values`` up to the array's dimension, those not given 0 (as C gives them); None where one is
    not read (None) or the dimension is not a constant at least as large."""
    size = _value(d.type.dim) if d.type.dim is not None else len(values)
    if any(v is None for v in values) or size is None or size < len(values):
        return None
    return [v for v in values if v is not None] + [0] * (size - len(values))


def _members(program: Program, t: c_ast.Node) -> list[c_ast.Decl] | None:
    """The members of a struct type, given inline or by its tag at file scope; None for another type."""
    if not isinstance(t, c_ast.Struct):
        return None
    if t.decls is not None:
        return [m for m in t.decls if isinstance(m, c_ast.Decl) and m.name and m.bitsize is None] \
            if all(isinstance(m, c_ast.Decl) and m.name and m.bitsize is None for m in t.decls) else None
    tagged = [e.type for e in program.ast.ext if isinstance(e, c_ast.Decl) and isinstance(e.type, c_ast.Struct) and
              e.type.name == t.name and e.type.decls is not None]
    return _members(program, tagged[0]) if len(tagged) == 1 else None


def _row(n: c_ast.Node, names: list[str]) -> dict[str, int] | None:
    """An element's initializer as member -> value: positional ones in order, a designated one (``.code = X``) where
    it names, the following positional ones after it; None where one is not a constant."""
    if not isinstance(n, c_ast.InitList):
        return None
    out: dict[str, int] = {}
    at = 0
    for e in n.exprs:
        if isinstance(e, c_ast.NamedInitializer):
            if len(e.name) != 1 or not isinstance(e.name[0], ID) or e.name[0].name not in names:
                return None
            at, e = names.index(e.name[0].name), e.expr
        v = _value(e)
        if v is None or at >= len(names):
            return None
        out[names[at]] = v
        at += 1
    return out


def _declared(func: c_ast.FuncDef, name: str) -> c_ast.Node | None:
    """The type ``name`` is declared with in ``func`` (a parameter or a local declared once), or None."""
    params = param_nodes(func)
    found = [p.type for p in params if isinstance(p, c_ast.Decl) and p.name == name]
    found += [n.type for n in all_nodes(func.body) if isinstance(n, c_ast.Decl) and n.name == name]
    return found[0] if len(found) == 1 else None


def _is_u64(program: Program, t: c_ast.Node | None) -> bool:
    from models.condeval import int_type

    if t is None:
        return False
    it = int_type(program, t)
    return it is not None and it.bits == 64 and not it.signed


def _is_int(program: Program, t: c_ast.Node | None) -> bool:
    from models.condeval import int_type

    return t is not None and int_type(program, t) is not None


def _plain_decl(n: c_ast.Node) -> bool:
    """A local declared without a value (the lookup's counter)."""
    return isinstance(n, c_ast.Decl) and n.init is None and isinstance(n.type, c_ast.TypeDecl)


def _returns(n: c_ast.Node | None) -> int | None:
    """The constant a ``return`` (alone in a block, or bare) returns, as a truth (0 or 1)."""
    if isinstance(n, c_ast.Compound) and len(n.block_items or []) == 1:
        n = n.block_items[0]
    v = _value(n.expr) if isinstance(n, c_ast.Return) and n.expr is not None else None
    return None if v is None else int(bool(v))


def _value(n: c_ast.Node | None) -> int | None:
    """An integer constant's value (true and false as the prelude spells them: 1 and 0), when it fits 64 bits
    unsigned; a cast, which may narrow it, is not read."""
    from models.retryints import constant

    if not isinstance(n, c_ast.Constant) or n.type in ("string", "char", "float", "double"):
        return None
    try:
        v = constant(n.value)
    except UnsupportedConstruct:
        return None
    return int(v) if 0 <= v < 1 << 64 else None
