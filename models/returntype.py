"""Whether gcc -O2 sees the end of a non-void function reached: -Wreturn-type, an error in a kernel build."""

# gcc's "control reaches end of non-void function" (tree-cfg.cc pass_warn_function_return) is decided on the
# function's flow graph before optimisation, whatever a run takes: kbuild's -Werror=return-type then refuses the
# whole file, though no run reaches the end (`if (err) return err >> 32;` alone, called only with err != 0). The
# graph is the front end's: a condition its folder makes constant (an integer constant expression, but at -O2 also
# a const variable with a constant initializer, `x || 1`, `x - x`, `!x || x`, an unsigned `x >= 0`, `x > 0 || x == 0`:
# gcc 12.2, /tmp checks in tests/models/test_return_type_gcc.py) picks its branch; a call of a function declared
# noreturn (`__noreturn`, BUG()'s trap) ends its path, any other call returns (gcc infers no noreturn there:
# `static void stop(void) { for (;;); }` called last still warns). The mirror folds integer constant expressions
# only: where the end is reached past a condition gcc may fold otherwise, or a call that may be declared noreturn
# (the mirror drops the attribute), it cannot say, and refuses.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pycparser import c_ast

from models.ctype import Func
from models.hooks import CompilerHooks
from models.reachable import NORETURN, NORMAL, Const, exits, folding
from models.readonly import Const as Flags
from models.readonly import declared_readonly
from models.slicer import Definition, Kind
from models.values import Scope

_CONDS = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Switch)
_STATEMENTS = (c_ast.Compound, c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Switch, c_ast.Case,
               c_ast.Default, c_ast.Label, c_ast.FuncDef)
# Operands gcc's folder cannot make constant once one side is an object it does not know the value of (a ``+``
# beside a constant; ``x & 0``, ``x * 0``, ``x | ~0`` are folded, so those operators are not here).
_ARITH = frozenset({"+", "-", "^"})
# A comparison of an object with 0 or 1 that no integer type (bool, u8, unsigned) makes constant; `x >= 0` and
# `x < 0` of an unsigned, `b <= 1` and `b > 1` of a bool, `c == 300` of a u8 are folded.
_SAFE = {0: frozenset({"==", "!=", ">", "<="}), 1: frozenset({"==", "!=", ">=", "<"})}
# What the mirror runs as primitives but the kernel writes as macros whose value is (!! of) their first argument's:
# gcc folds them as it folds that argument (likely(), unlikely(): __builtin_expect(!!(x), 0); the WARN family's
# statement expression, whose folding the mirror does not know: refused where the argument is constant).
_EXPECT = frozenset({"__builtin_expect", "likely", "unlikely"})
_PASSED = _EXPECT | {"WARN_ON", "WARN_ON_ONCE", "WARN", "WARN_ONCE"}
_MIRRORED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Doubt:
    """Why the mirror cannot say what gcc decides: the node it turns on and the construct."""

    node: c_ast.Node
    what: str


@dataclass(frozen=True)
class Reads:
    """What the front end knows of names: an integer constant expression's value (else None), whether a name is
    an object it does not fold (declared without const: a parameter, a local, a global), whether a call of a
    function returns (False: declared or maybe declared noreturn)."""

    const: Const
    variable: Callable[[str], bool]
    returns: Callable[[str], bool]
    stops: frozenset[str] = NORETURN  # calls that end their path: NORETURN's and the code's declared noreturn


def end_reached(body: c_ast.Compound, reads: Reads) -> bool | Doubt:
    """True where gcc sees a path to the end of ``body`` (a non-void function's: a build error under kbuild),
    False where none, a Doubt where that rests on a fold or a call the mirror cannot decide as gcc."""
    if NORMAL not in exits(body, reads.const, reads.stops):
        return False
    for node in _walk(body):
        doubt = _doubt(node, reads)
        if doubt is not None:
            return doubt
    return True


def reads_of(c: CompilerHooks, fn: c_ast.FuncDef, scope: Scope, primitive: Callable[[str], bool]) -> Reads:
    """What gcc's front end knows in ``fn`` compiled by ``c`` (``scope``: its parameters'; ``primitive``: whether
    a name is a kernel primitive the mirror models, each returning but NORETURN's)."""
    decls: dict[str, list[c_ast.Decl]] = {}
    fixed = Flags.OBJECT | Flags.UNKNOWN

    def variable(name: str) -> bool:
        if not decls:  # read only where the end is reached (most functions end in a return: never)
            decls[""] = []
            for node, _ in _walk(fn):
                if isinstance(node, c_ast.Decl) and node.name and not isinstance(node.type, c_ast.FuncDecl):
                    decls.setdefault(node.name, []).append(node)
        if name in decls:
            return not any(declared_readonly(d, c.types.typedefs) & fixed for d in decls[name])
        var = c.lookup(name, scope)
        return var is not None and not isinstance(var.ctype, Func) and not var.readonly & fixed

    def returns(name: str) -> bool:
        defined = c.program.functions.get(name)
        if defined is not None:  # one that never returns may be declared __noreturn (an attribute not kept)
            return any(isinstance(n, c_ast.Return) for n, _ in _walk(defined.body)) \
                or NORMAL in exits(defined.body, lambda e: None)
        var = c.lookup(name, scope)
        return primitive(name) or (var is not None and name not in c.program.functions)

    return Reads(_expected(folding(lambda e: c.const(e, scope)[0])), variable, returns, NORETURN | c.program.noreturn)


def _expected(const: Const) -> Const:
    """``const``, and the value gcc folds ``likely(1)``, ``unlikely(0)`` to (``__builtin_expect(!!(x), 0)``, the
    mirror's primitives) and ``!`` of one: BUG_ON(1)'s test is constant to gcc."""
    def value(node: c_ast.Node) -> int | None:
        v = const(node)
        if v is not None:
            return v
        if isinstance(node, c_ast.UnaryOp) and node.op == "!":
            inner = value(node.expr)
            return None if inner is None else int(not inner)
        if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in _EXPECT \
                and node.args is not None and node.args.exprs:
            inner = value(node.args.exprs[0])
            return None if inner is None else inner if node.name.name == "__builtin_expect" else int(bool(inner))
        return None
    return value


def closing_brace(used: tuple[Definition, ...], where: str) -> str:
    """Where gcc places -Wreturn-type's error for the function defined at ``where`` ("path:line", pycparser's): the
    line of its closing brace, the last of its definition's text (a macro's invocation line for a function one
    makes); ``where`` itself when no definition read holds it."""
    path, _, line = where.rpartition(":")
    for d in used:
        if d.kind is Kind.FUNCTION and d.path == path and d.generated_by is None \
                and d.line <= int(line) <= d.line + d.text.count("\n"):
            return f"{path}:{d.line + d.text.rstrip().count(chr(10))}"
    return where


def _walk(body: c_ast.Node) -> list[tuple[c_ast.Node, c_ast.Node | None]]:
    out, todo = [], [(body, None)]
    while todo:
        node, parent = todo.pop()
        out.append((node, parent))
        todo.extend((child, node) for child in node)
    return out


def _doubt(item: tuple[c_ast.Node, c_ast.Node | None], reads: Reads) -> Doubt | None:
    node, parent = item
    if isinstance(node, _CONDS) and node.cond is not None and reads.const(node.cond) is None \
            and not _varies(node.cond, reads):
        return Doubt(node.cond, "a condition gcc's folder may make constant")
    if isinstance(node, c_ast.FuncCall) and isinstance(parent, _STATEMENTS) and isinstance(node.name, c_ast.ID) \
            and node.name.name not in reads.stops and not reads.returns(node.name.name):
        return Doubt(node, f"a call of {node.name.name}(), which may be declared noreturn")
    if isinstance(node, c_ast.Switch) and (not isinstance(node.stmt, c_ast.Compound)
                                           or any(isinstance(n, c_ast.Label) for n, _ in _walk(node.stmt))):
        return Doubt(node, "a switch with a label inside, which models.reachable does not follow")
    if isinstance(node, c_ast.Compound) and parent is not None and not isinstance(parent, _STATEMENTS) \
            and any(isinstance(n, c_ast.Return | c_ast.Goto) for n, _ in _walk(node)):
        return Doubt(node, "a statement expression that jumps")
    return None


def _varies(node: c_ast.Node, reads: Reads) -> bool:
    """Whether gcc's folder surely leaves ``node`` (a condition) unknown: an object's value, tested or compared
    as above, never two uses of one object (`!x || x`, `x - x` fold)."""
    names: list[str] = []
    if not _open(node, reads, names):
        return False
    return len(names) == len(set(names))


def _open(node: c_ast.Node, reads: Reads, names: list[str]) -> bool:
    if isinstance(node, c_ast.UnaryOp) and node.op == "!":
        return _open(node.expr, reads, names)
    if isinstance(node, c_ast.BinaryOp) and node.op in ("&&", "||"):
        return _open(node.left, reads, names) and _open(node.right, reads, names)
    if isinstance(node, c_ast.BinaryOp) and node.op in _MIRRORED:
        return _compared(node, reads, names)
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in _PASSED:
        exprs = node.args.exprs if node.args else []  # the value is (!! of) the first argument's
        return bool(exprs) and _open(exprs[0], reads, names)
    return _value(node, reads, names)


def _compared(node: c_ast.BinaryOp, reads: Reads, names: list[str]) -> bool:
    left, right = reads.const(node.left), reads.const(node.right)
    if left is None and right is None:
        return _value(node.left, reads, names) and _value(node.right, reads, names)
    if right is not None:
        return right in _SAFE and node.op in _SAFE[right] and _object(node.left, reads, names)
    return left in _SAFE and _MIRRORED[node.op] in _SAFE[left] and _object(node.right, reads, names)


def _value(node: c_ast.Node, reads: Reads, names: list[str]) -> bool:
    """An object's value, or one a constant is added to or taken from."""
    if isinstance(node, c_ast.BinaryOp) and node.op in _ARITH:
        left, right = reads.const(node.left), reads.const(node.right)
        if left is None and right is None:
            return _value(node.left, reads, names) and _value(node.right, reads, names)
        return _value(node.right if right is None else node.left, reads, names)
    return _object(node, reads, names)


def _object(node: c_ast.Node, reads: Reads, names: list[str]) -> bool:
    """A variable, a member or element of one, what a pointer points at, a call's value, a cast of one; its key
    (``p->rcx``, ``a[1]``) is added to ``names``."""
    key = _key(node, reads)
    if key is None:
        return False
    names.append(key)
    return True


def _key(node: c_ast.Node, reads: Reads) -> str | None:
    while isinstance(node, c_ast.Cast):
        node = node.expr
    if isinstance(node, c_ast.ID):
        return node.name if reads.variable(node.name) else None
    if isinstance(node, c_ast.StructRef) and isinstance(node.field, c_ast.ID):
        base = _key(node.name, reads)
        return None if base is None else f"{base}{node.type}{node.field.name}"
    if isinstance(node, c_ast.ArrayRef):
        base, at = _key(node.name, reads), reads.const(node.subscript)
        return None if base is None or (at is None and _key(node.subscript, reads) is None) else f"{base}[{at}]"
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":
        base = _key(node.expr, reads)
        return None if base is None else f"*{base}"
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) \
            and not node.name.name.startswith("__builtin"):
        return f"{node.name.name}()#{id(node)}"  # each call is a value of its own
    return None
