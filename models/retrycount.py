"""How many SEAMCALLs a function with a retry loop makes when every answer is one it retries on, read from the AST.

The matrix's scripts answer a code N times before success (harness.matrix, repeat_first). Where a retry loop gives
up decides which N show it: a loop of 10 tries succeeds on 9 answers, gives up on 10 and 11; one of 16 succeeds on
11. The count is read from the code as the mirror loaded it (macros expanded): the function is walked with every
SEAMCALL answering the code, its counters folded through constants, enumerators and ``const`` variables of file
scope, each value of the C type gcc gives it (x86-64: ``sizeof(long)`` is 8, a store is converted to its variable's
type, an unsigned comparison converts the signed side; models.retryints), a test on the answer that no constant
decides (a helper ``sc_need_retry(fn, ret)``, a retry code chosen by leaf) taken the way that goes on retrying. A
count resting on anything else (a parameter, a variable of file scope such as a module parameter, a table read at
run time, a call) is said with the reason, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable

from pycparser import c_ast, c_generator

from models.cparse import all_nodes
from models.ctype import Int
from models.errors import FLOATING_POINT, UnsupportedConstruct
from models.leaftaint import param_names
from models.literals import char_value, is_char_constant
from models.record import record
from models.retryints import (
    NotRead,
    Typed,
    binary,
    constant,
    converted,
    floating_type,
    named_through,
    named_type,
    size_of,
    unary,
    unknown_integer,
)
from models.retryswitch import labels, start
from models.structlocals import Members, alias_of, assigned, body_tags, member_decls, member_key

Consts = dict[str, "int | str | Members"]  # file_constants: a name's value, or why it has none; a tag's members
MAX_CALLS = 1_000  # past this, a loop's count is said not found (a script holds at most 10,000 answers)
_EXPECT = frozenset({"likely", "unlikely", "__builtin_expect"})
_JUMP = (c_ast.Break, c_ast.Continue, c_ast.Return, c_ast.Goto)
_LOOPS = (c_ast.While, c_ast.DoWhile, c_ast.For)


@record
class LoopCount:
    """The SEAMCALLs ``function`` makes, answered ``code`` every time: ``calls``, or None and ``why``."""

    function: str
    where: str  # file:line of its definition
    code: int
    calls: int | None
    why: str = ""


class Unknown(Exception):
    """A value the count needs that the code does not fix: the message says which and why (made when read: most
    are a statement's call of no interest, ``preempt_disable();``, passed over)."""

    def __init__(self, why: str | Callable[[], str]) -> None:
        super().__init__()
        self._why = why

    def __str__(self) -> str:
        if not isinstance(self._why, str):
            self._why = self._why()
        return self._why


class _Stop(Exception):
    """A jump out of the statements being walked: break, continue, return or goto (``label``)."""

    def __init__(self, kind: str, label: str = "") -> None:
        super().__init__(kind)
        self.kind, self.label = kind, label


def returns_key(name: str) -> str:
    """The key of the constants (models.retryconsts.file_constants) holding the declaration of the function ``name``
    (``name()``, which no C name is): the walk reads there the type a call of it returns."""
    return f"{name}()"


def _spelt(node: c_ast.Node) -> str:
    return str(c_generator.CGenerator().visit(node))


class _Walk:
    """One walk of a function's body with every call in ``held`` answering ``code``."""

    def __init__(self, consts: Consts, held: frozenset[str], code: int, params: frozenset[str], fn: str) -> None:
        self.consts, self.held, self.code, self.params, self.fn = consts, held, code, params, fn
        self.tags: Callable[[str], Members | None] = lambda tag: v if isinstance(
            v := consts.get(f"struct {tag}"), tuple) else None
        self.aliases: dict[str, str] = {}  # a local pointer set to '&st' -> st (models.structlocals)
        self.env: dict[str, int | str | Unknown] = {}  # a local -> its value, or why it has none
        self.types: dict[str, c_ast.Node] = {}  # a local -> the type it is declared with
        self.answers: set[str] = set()  # the locals holding an answer
        self.calls: list[str] = []  # the held calls made, in order
        self.steps = 0
        self.typedef: Callable[[str], c_ast.Node | None] | None = None  # a cast's typedef name of the files
        self.pointers: dict[str, Int | None] = {}  # a parameter pointing to a function -> the type it returns

    # Expressions

    def value(self, node: c_ast.Node) -> int:
        """The value of an expression, its side effects done. Raises Unknown."""
        method = getattr(self, f"_v_{type(node).__name__}", None)
        if method is None:
            raise Unknown(lambda: f"'{_spelt(node)}' is not read")
        result: int = method(node)
        return result

    def _v_Constant(self, n: c_ast.Constant) -> int:
        if n.type in ("float", "double", "long double"):
            raise Unknown(f"'{n.value}' is a floating constant: {FLOATING_POINT}")
        if n.type == "string":
            raise Unknown(f"'{n.value}' is not an integer")
        if is_char_constant(n.value):
            return char_value(n.value)
        try:
            return constant(n.value)
        except UnsupportedConstruct as exc:
            raise Unknown(f"'{n.value}' is not read") from exc

    def _v_ID(self, n: c_ast.ID) -> int:
        if n.name in self.env:
            got = self.env[n.name]
        elif n.name in self.params:
            got = f"'{n.name}' is a parameter of {self.fn}(): its callers choose it"
        else:
            known = self.consts.get(n.name, f"'{n.name}' is not a constant the code defines")
            # a struct tag's members are under a key with a space, which no C name has
            got = known if not isinstance(known, tuple) else f"'{n.name}' is not read"
        if isinstance(got, Unknown):
            raise Unknown(got.__str__)
        if isinstance(got, str):
            raise Unknown(got)
        return got

    def _v_Cast(self, n: c_ast.Cast) -> int:
        return converted(self.value(n.expr), named_through(n.to_type.type, self.typedef))

    def _v_ExprList(self, n: c_ast.ExprList) -> int:
        out = 0
        for e in n.exprs:
            out = self.value(e)
        return out

    def _v_TernaryOp(self, n: c_ast.TernaryOp) -> int:
        return self.value(n.iftrue if self.value(n.cond) else n.iffalse)

    def _v_StructRef(self, n: c_ast.StructRef) -> int:
        key = member_key(n, self.aliases)  # a member of a local struct (models.structlocals), its own name in the walk
        if key is None or key not in self.env:
            raise Unknown(lambda: f"'{_spelt(n)}' is not read")
        return self._v_ID(c_ast.ID(key))

    def _v_ArrayRef(self, n: c_ast.ArrayRef) -> int:
        raise Unknown(f"'{_spelt(n)}' reads a table at run time")

    def _v_UnaryOp(self, n: c_ast.UnaryOp) -> int:
        if n.op in ("++", "--", "p++", "p--"):
            if isinstance(n.expr, c_ast.ID):  # a pointer stepped points elsewhere
                self.aliases.pop(n.expr.name, None)
            old = self.value(n.expr)
            new = self._store(n.expr, old + (1 if "++" in n.op else -1))
            if not isinstance(new, int):
                raise new if isinstance(new, Unknown) else Unknown(new)
            return new if n.op in ("++", "--") else old
        if n.op == "sizeof":
            size = size_of(n.expr)
            if size is None:
                raise Unknown(f"'{_spelt(n)}' is not read")
            return size
        if n.op == "!":
            return int(not self.value(n.expr))
        if n.op not in ("-", "+", "~"):
            raise Unknown(f"'{_spelt(n)}' is not read")
        try:
            return unary(n.op, self.value(n.expr))
        except NotRead as exc:
            raise Unknown(f"'{_spelt(n)}' is not read: {exc}") from exc

    def _v_BinaryOp(self, n: c_ast.BinaryOp) -> int:
        if n.op == "&&":
            return int(bool(self.value(n.left)) and bool(self.value(n.right)))
        if n.op == "||":
            return int(bool(self.value(n.left)) or bool(self.value(n.right)))
        a, b = self.value(n.left), self.value(n.right)
        return _binary(n.op, a, b, n)

    def _v_Assignment(self, n: c_ast.Assignment) -> int:
        # The assignment's value is its left operand's after the store, of that operand's type (C17 6.5.16p3)
        stored = self._assign(n)
        if not isinstance(stored, int):
            raise Unknown(stored.__str__ if isinstance(stored, Unknown) else stored)
        return stored

    def _assign(self, n: c_ast.Assignment) -> int | str | Unknown:
        """The store an assignment makes; the value stored (converted to the local's type), or why not known."""
        try:
            v = self.value(n.rvalue)
            if n.op != "=":
                v = _binary(n.op[:-1], self.value(n.lvalue), v, n)
        except Unknown as exc:
            self._store(n.lvalue, exc)
            raise
        return self._store(n.lvalue, v, self._reads(n.rvalue))

    def _v_FuncCall(self, n: c_ast.FuncCall) -> int:
        name = n.name.name if isinstance(n.name, c_ast.ID) else ""
        args = n.args.exprs if n.args is not None else []
        if name in _EXPECT and args:
            return self.value(args[0])
        if name in self.held:
            self.calls.append(name)
            if len(self.calls) > MAX_CALLS:
                raise Unknown(f"no bound within {MAX_CALLS:,} calls")
            return self.code
        raise Unknown(lambda: f"'{_spelt(n)}' is a call whose value is not read")

    def _switched(self, cond: c_ast.Node) -> int:
        """The value a switch tests; a held call's answer (``switch (sc_mark_dirty(op, fn, args))``) of the type its
        function returns where that is a 64-bit integer type (the answer passed on whole: the switch jumps as gcc's
        does, C17 6.8.4.2p5), untyped for another (a narrower type keeps part of what the function returns, which
        is not read here). Asked of a switch alone: each lookup of the file's constants is a reading of the unit."""
        value = self.value(cond)
        name = cond.name.name if isinstance(cond, c_ast.FuncCall) and isinstance(cond.name, c_ast.ID) else ""
        if not name or name not in self.held or isinstance(value, Typed):
            return value
        got = None if name in self.params else self.consts.get(returns_key(name))
        decl = got[0].type if isinstance(got, tuple) and len(got) == 1 else None
        t = self.pointers.get(name) if name in self.params else \
            named_type(decl.type) if isinstance(decl, c_ast.FuncDecl) else None
        return Typed(value, t) if t is not None and t.bits == 64 else value

    def _store(self, target: c_ast.Node, value: int | str | Unknown, answer: bool = False) -> int | str | Unknown:
        """Store ``value`` in the local ``target`` names, converted to its type; the value stored."""
        key = member_key(target, self.aliases)  # a store through a pointer is no counter of the walk
        if key is not None:
            if isinstance(value, int) and key in self.types:
                value = self._typed(key, value)
            self._set(key, value)
            (self.answers.add if answer else self.answers.discard)(key)
        return value

    def _set(self, key: str, value: int | str | Unknown) -> None:
        """``key`` holds ``value``; a whole struct stored, its members are not known (models.structlocals)."""
        self.env[key] = value
        self.aliases.pop(key, None)  # a pointer stored to points elsewhere
        for member in [k for k in self.env if k.startswith(f"{key}.")]:
            self.env[member] = Unknown(f"'{member}' is stored as part of '{key}', which is not read")

    def _typed(self, name: str, value: int) -> int | Unknown:
        """``value`` stored in the local ``name``: converted to its type; not known in a type the walk does not
        know, which may wrap it."""
        if (fp := floating_type(self.types[name])) is not None:
            return Unknown(f"'{name}' is a {fp}: {FLOATING_POINT}")
        other = unknown_integer(self.types[name])
        if other is None:
            return converted(value, named_type(self.types[name]))
        return Unknown(f"'{name}' is of type {other}, which the count does not know (a value it holds may wrap)")

    def _reads(self, node: c_ast.Node) -> bool:
        """Whether an expression reads an answer: a held call, or a local holding one."""
        todo = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, c_ast.ID) and n.name in self.answers:
                return True
            if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in self.held:
                return True
            todo.extend(c for _, c in n.children())
        return False

    def test(self, node: c_ast.Node, want: bool) -> bool:
        """A test's truth; a part of it that reads the answer and no constant decides is taken as ``want`` (the
        way that goes on retrying). Raises Unknown for any other undecided part."""
        if isinstance(node, c_ast.BinaryOp) and node.op in ("&&", "||"):
            left = self.test(node.left, want)
            decided: bool = node.op == "||"  # true decides an ||, false an &&
            if left == decided:
                return decided
            return self.test(node.right, want)
        if isinstance(node, c_ast.UnaryOp) and node.op == "!":
            return not self.test(node.expr, not want)
        if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in _EXPECT \
                and node.args is not None and node.args.exprs:
            return self.test(node.args.exprs[0], want)
        try:
            return bool(self.value(node))
        except Unknown:
            if self._reads(node):
                return want
            raise

    # Statements

    def run(self, node: c_ast.Node | None) -> None:
        """Walk a statement. Raises _Stop at a jump, Unknown where a decision is not read."""
        self.steps += 1
        if self.steps > 50 * MAX_CALLS:
            raise Unknown(f"no bound within {50 * MAX_CALLS:,} steps")
        if node is None or isinstance(node, (c_ast.EmptyStatement, c_ast.Pragma, c_ast.Typedef)):
            return
        if isinstance(node, c_ast.Compound):
            self.block(node.block_items or [])
        elif isinstance(node, c_ast.Decl):
            self._decl(node)
        elif isinstance(node, c_ast.DeclList):
            for d in node.decls:
                self._decl(d)
        elif isinstance(node, c_ast.If):
            self._if(node)
        elif isinstance(node, _LOOPS):
            self._loop(node)
        elif isinstance(node, c_ast.Label):
            self.run(node.stmt)
        elif isinstance(node, _JUMP):
            if isinstance(node, c_ast.Return) and node.expr is not None:
                self._effects(node.expr)
            raise _Stop(type(node).__name__.lower(), node.name if isinstance(node, c_ast.Goto) else "")
        elif isinstance(node, c_ast.Switch):
            self._switch(node)
        else:
            self._effects(node)

    def block(self, items: list[c_ast.Node]) -> None:
        """A block's statements; a goto back to one of its labels goes round again (a goto loop)."""
        labels = {item.name: i for i, item in enumerate(items) if isinstance(item, c_ast.Label)}
        i = 0
        while i < len(items):
            try:
                self.run(items[i])
            except _Stop as stop:
                if stop.kind != "goto" or stop.label not in labels:
                    raise
                i = labels[stop.label]
                continue
            i += 1

    def _switch(self, node: c_ast.Switch) -> None:
        """From the label the switch jumps to (models.retryswitch) on through those below, up to its own break."""
        items = labels(node)
        try:
            at = items if isinstance(items, str) else start(items, self._switched(node.cond), self.value)
        except Unknown as exc:
            at = str(exc)
        if isinstance(at, str) or isinstance(items, str):
            raise Unknown(f"a switch ({_spelt(node.cond)}) is not read: {at}")
        try:
            for item in items[at:]:
                self.block(item.stmts or [])
        except _Stop as stop:
            if stop.kind != "break":
                raise

    def _effects(self, node: c_ast.Node) -> None:
        """An expression statement: its side effects; a call not read changes no local of the walk."""
        try:
            if isinstance(node, c_ast.Assignment):
                self._assign(node)  # the store alone: the statement's own value is read by nothing
            else:
                self.value(node)
        except Unknown:
            if self._holds_call(node):
                raise
            if isinstance(node, c_ast.Assignment) and not isinstance(node.rvalue, c_ast.FuncCall):
                raise

    def _holds_call(self, node: c_ast.Node) -> bool:
        return any(isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in self.held
                   for n in all_nodes(node))

    def _decl(self, d: c_ast.Decl) -> None:
        if not d.name or isinstance(d.type, c_ast.FuncDecl):
            return
        self.types[d.name] = d.type
        self._set(d.name, f"'{d.name}' is not set")  # a struct's members too, then those read (models.structlocals)
        for p in [p for p, held in self.aliases.items() if held == d.name]:  # the name now another local's
            del self.aliases[p]
        for member in member_decls(d, self.tags) or []:
            self._decl(member)
        if (held := alias_of(d)) is not None and any(k.startswith(f"{held}.") for k in self.env):
            self.aliases[d.name] = held
        if d.init is None:
            return
        try:
            self.env[d.name] = self._typed(d.name, self.value(d.init))
            (self.answers.add if self._reads(d.init) else self.answers.discard)(d.name)
        except Unknown as exc:
            if self._holds_call(d.init) and not isinstance(d.init, c_ast.FuncCall):
                raise
            init = d.init
            self.env[d.name] = exc if not isinstance(init, c_ast.FuncCall) else \
                Unknown(lambda: f"'{d.name}' holds what {_spelt(init.name)}() returns")

    def _if(self, node: c_ast.If) -> None:
        want = _goes_on(node)
        try:
            taken = self.test(node.cond, bool(want)) if want is not None else bool(self.value(node.cond))
        except Unknown as exc:
            if want is not None or any(self._holds_call(b) for b in (node.iftrue, node.iffalse) if b is not None):
                raise Unknown(f"the test '{_spelt(node.cond)}' is not decided: {exc}") from exc
            for name in assigned(node, self.aliases):  # either branch may have run: what they set is not known
                self._set(name, Unknown(_undecided(name, node.cond, exc)))
            return
        self.run(node.iftrue if taken else node.iffalse)

    def _loop(self, node: c_ast.While | c_ast.DoWhile | c_ast.For) -> None:
        if isinstance(node, c_ast.For) and node.init is not None:
            self.run(node.init) if isinstance(node.init, c_ast.DeclList) else self._effects(node.init)
        after = isinstance(node, c_ast.DoWhile)  # do { } while (T): the test after each round
        while True:
            if not after and node.cond is not None and not self._holds_on(node.cond):
                return
            try:
                self.run(node.stmt)
            except _Stop as stop:
                if stop.kind == "break":
                    return
                if stop.kind != "continue":
                    raise
            if isinstance(node, c_ast.For) and node.next is not None:
                self._effects(node.next)
            if after and not self._holds_on(node.cond):
                return

    def _holds_on(self, cond: c_ast.Node) -> bool:
        try:
            return self.test(cond, True)
        except Unknown as exc:
            raise Unknown(f"the loop's test '{_spelt(cond)}' is not decided: {exc}") from exc


def _undecided(name: str, cond: c_ast.Node, exc: Unknown) -> Callable[[], str]:
    return lambda: f"'{name}' is set under '{_spelt(cond)}', which is not decided ({exc})"


def _binary(op: str, a: int, b: int, n: c_ast.Node) -> int:
    ops: dict[str, Callable[[int, int], int]] = {
        "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "&": lambda x, y: x & y,
        "|": lambda x, y: x | y, "^": lambda x, y: x ^ y, "<<": lambda x, y: x << y, ">>": lambda x, y: x >> y,
        "==": lambda x, y: int(x == y), "!=": lambda x, y: int(x != y), "<": lambda x, y: int(x < y),
        ">": lambda x, y: int(x > y), "<=": lambda x, y: int(x <= y), ">=": lambda x, y: int(x >= y),
        "/": lambda x, y: int(x / y), "%": lambda x, y: x - y * int(x / y)}
    if op not in ops or (op in "/%" and b == 0) or (op in ("<<", ">>") and not 0 <= b < 128):
        raise Unknown(f"'{_spelt(n)}' is not read")
    try:
        return binary(op, a, b, ops[op])
    except NotRead as exc:
        raise Unknown(f"'{_spelt(n)}' is not read: {exc}") from exc


def _goes_on(node: c_ast.If) -> bool | None:
    """Whether the test of an ``if`` that jumps holds on the way that keeps a loop retrying: False where its branch
    leaves (``if (err != busy) break;``), True where it goes round (``continue``, ``goto``); None: it does not jump."""
    for branch, taken in ((node.iftrue, True), (node.iffalse, False)):
        kinds = [type(n) for n in all_nodes(branch)] if branch is not None else []
        if c_ast.Break in kinds or c_ast.Return in kinds:
            return not taken
        if c_ast.Continue in kinds or c_ast.Goto in kinds:
            return taken
    return None


def count_calls(func: c_ast.FuncDef, held: frozenset[str], code: int, consts: Consts) -> list[str]:
    """The held calls ``func`` makes (in order) when each answers ``code``, from its start to its return or end.
    Raises Unknown naming what the count rests on that the code does not fix."""
    walk = _Walk(consts, held, code, param_names(func), func.decl.name)
    walk.tags = body_tags(func, walk.tags)
    params = func.decl.type.args.params if isinstance(func.decl.type, c_ast.FuncDecl) and func.decl.type.args else []
    walk.pointers = {p.name: named_type(p.type.type.type) for p in params if isinstance(p, c_ast.Decl) and p.name
                     and isinstance(p.type, c_ast.PtrDecl) and isinstance(p.type.type, c_ast.FuncDecl)}
    try:
        walk.run(func.body)
    except _Stop as stop:
        if stop.kind != "return":
            raise Unknown(f"a {stop.kind} {stop.label} out of the walk is not read") from None
    return walk.calls
