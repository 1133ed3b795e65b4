"""An answer held in another 64-bit integer type: the same decisions where every use reads its bits alone.

``u64 err;`` made ``long err;`` (or ``s64 err;``) under the same code: gcc keeps the same 64 bits either way (C11
6.3.1.3: a conversion to a signed 64-bit type of a value it cannot represent is implementation-defined, gcc's manual
"Integers implementation": reduced modulo 2^64), and a use that reads only those bits computes the same whatever the
signedness: ``==``/``!=`` against an integer constant of at most 64 bits (both sides converted to a 64-bit common type,
the constant extended by its own type alone, C11 6.3.1.8) or a local of such a type (_narrow_local), ``&`` with one
(the same bits again), a truth test (``if (err)``, ``!err``, ``&&``), a ``switch`` on it, a cast to an integer type
of at most 64 bits, an argument of a function the program defines taking such a type there, and the return
(converted to a return type of at most 64 bits, C11 6.8.6.4). Anything else, an ordering (``err < 0``), a shift
(``err >> 63``: arithmetic on a signed value), a division, a call taking it as another type or as ``...``, its
address, is not worked out here (the condition stays said). The counterpart of harness.countedalike.counters_alike
for the answer a loop keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pycparser import c_ast

from harness.countedalike import called_alike
from models.condeval import nodes
from models.condeval import shape as _shape
from models.ctype import literal_type
from models.errors import UnsupportedConstruct
from models.leafflow import param_names
from models.retryints import named_type

if TYPE_CHECKING:
    from harness.valuereaders import Unknown
    from models.cload import Program

# A truth test reads whether the bits are all 0; a switch converts each case constant to the answer's type (C11
# 6.8.4.2p5), the same 64 bits either way.
_TESTS = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp, c_ast.Switch)
_Callees = Mapping[str, c_ast.FuncDef]  # a program's functions by name (models.cload.Program.functions)
_STATEMENT = (c_ast.Compound, c_ast.Case, c_ast.Default, c_ast.Label, c_ast.If, c_ast.For, c_ast.While,
              c_ast.DoWhile)


def answers_alike(u: Unknown, programs: tuple[Program, Program]) -> bool:
    """Whether a condition of the same text over names whose values changed (harness.valuereaders.Unknown) reads
    only answers declared in another 64-bit integer type in functions otherwise the same (bits_alike), the functions
    they call defined alike in both programs (harness.countedalike.called_alike): then each side holds the same bits
    at every point of every run and each decision comes out alike. A name set outside the runs is not worked out."""
    pa, pb = programs
    fa, fb = pa.functions.get(u.a.function), pb.functions.get(u.b.function)
    if u.parameters or fa is None or fb is None:
        return False
    names = frozenset(name for name, _, _ in u.reads)
    return bits_alike(fa, fb, names, (pa.functions, pb.functions)) and called_alike(pa, pb, (fa.body,), (fb.body,))


def bits_alike(fa: c_ast.FuncDef, fb: c_ast.FuncDef, names: frozenset[str],
               callees: tuple[_Callees, _Callees] = ({}, {})) -> bool:
    """Whether ``fa`` and ``fb`` are the same function but for the integer types ``names`` are declared in: each a
    local of each, declared once (not ``static`` or ``extern``, no parameter's name), in a 64-bit integer type on both
    sides (models.retryints.named_type: ``u64``, ``long``, ``s64``), set only by ``=`` of a call or an integer
    constant (its declaration too) and read only as its bits (the module's docstring; passed as an argument where
    the function of that name in ``callees``, each side's, takes an integer type of at most 64 bits there, C11
    6.5.2.2p7), the signatures and bodies the same otherwise (models.condeval.shape, but the declared type of
    ``names``)."""
    if not names or _signature(fa) != _signature(fb):
        return False
    skip_a, skip_b = _answer_types(fa, names), _answer_types(fb, names)
    if skip_a is None or skip_b is None or _outline(fa.body, skip_a) != _outline(fb.body, skip_b):
        return False
    return _read_as_bits(fa, names, callees[0]) and _read_as_bits(fb, names, callees[1])


def _signature(func: c_ast.FuncDef) -> tuple[object, ...]:
    """The function's parameters and return type as a comparable value, its name left out."""
    decl = func.decl.type
    if not isinstance(decl, c_ast.FuncDecl):
        return ()
    ret = decl.type
    kept = (ret.quals, _shape(ret.type)) if isinstance(ret, c_ast.TypeDecl) else (_shape(ret),)
    return (_shape(decl.args) if decl.args is not None else None), kept


def _answer_types(func: c_ast.FuncDef, names: frozenset[str]) -> set[int] | None:
    """The type nodes of the declarations of ``names`` (each once, a 64-bit integer type; None where one is not)."""
    if names & param_names(func):
        return None
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name in names]
    if sorted(d.name for d in decls) != sorted(names):
        return None
    skip = set()
    for d in decls:
        t = named_type(d.type)
        if t is None or t.bits != 64 or {"static", "extern"} & set(d.storage) or not _stored(d.init):
            return None
        skip.add(id(d.type.type))
    return skip


def _outline(body: c_ast.Node, skip: set[int]) -> list[tuple[str, tuple[str, ...]]]:
    """Each node of ``body``, before its children, as its class and attributes (the nodes of ``skip`` and below as
    one mark)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    todo = [body]
    while todo:
        x = todo.pop()
        if id(x) in skip:
            out.append(("skipped", ()))
            continue
        out.append((type(x).__name__, tuple(repr(getattr(x, a, None)) for a in x.attr_names)))
        below = list(x)
        below.reverse()
        todo += below
    return out


def _read_as_bits(func: c_ast.FuncDef, names: frozenset[str], callees: _Callees) -> bool:
    """Whether every use of ``names`` in ``func`` reads its bits alone (or stores a call's result or a constant)."""
    parents: dict[int, c_ast.Node] = {}
    fields = set()
    for x in nodes(func.body):
        for child in x:
            parents[id(child)] = x
        if isinstance(x, c_ast.StructRef):
            fields.add(id(x.field))
    uses = [x for x in nodes(func.body) if isinstance(x, c_ast.ID) and x.name in names and id(x) not in fields]
    return all(_use_ok(x, parents, func, callees) for x in uses)


def _use_ok(node: c_ast.Node, parents: dict[int, c_ast.Node], func: c_ast.FuncDef, callees: _Callees) -> bool:
    """Whether the value of ``node`` (64 bits the same on both sides, of a type that may not be) is read as bits."""
    parent = parents.get(id(node))
    if isinstance(parent, c_ast.Assignment) and parent.lvalue is node:
        if parent.op != "=" or not _stored(parent.rvalue):
            return False
        # The assignment's own value is the answer's too, where an expression reads it ('if ((err = f()) != X)').
        return isinstance(parents.get(id(parent)), _STATEMENT) or _use_ok(parent, parents, func, callees)
    if isinstance(parent, c_ast.BinaryOp) and parent.op in ("==", "!=", "&"):
        other = parent.right if parent.left is node else parent.left
        return (_constant(other) or _narrow_local(other, parent, parents, func)) and (
            parent.op != "&" or _use_ok(parent, parents, func, callees))
    if isinstance(parent, c_ast.BinaryOp) and parent.op in ("&&", "||"):
        return True
    if isinstance(parent, c_ast.UnaryOp) and parent.op == "!":
        return True
    if isinstance(parent, _TESTS) and getattr(parent, "cond", None) is node:
        return True
    if isinstance(parent, c_ast.Cast):
        t = named_type(parent.to_type.type)
        return t is not None and t.bits <= 64
    if isinstance(parent, c_ast.ExprList):
        return _passed(node, parent, parents.get(id(parent)), callees)
    if isinstance(parent, c_ast.Return):
        ret = func.decl.type.type if isinstance(func.decl.type, c_ast.FuncDecl) else None
        t = named_type(ret)
        return t is not None and t.bits <= 64
    return False


def _narrow_local(n: c_ast.Node, at: c_ast.Node, parents: dict[int, c_ast.Node], func: c_ast.FuncDef) -> bool:
    """Whether ``n`` names a parameter or a local of the function's outer block declared above ``at`` (in scope
    there, C11 6.2.1p4), the one declaration of that name, of an integer type of at most 64 bits (``busy`` of
    ``u64 busy = X; ... err != busy``): its value converts to the common 64-bit type as a constant's does."""
    if not isinstance(n, c_ast.ID):
        return False
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == n.name]
    decl = func.decl.type if isinstance(func.decl.type, c_ast.FuncDecl) else None
    params = [p for p in (decl.args.params if decl is not None and decl.args is not None else [])
              if isinstance(p, c_ast.Decl) and p.name == n.name]
    if len(decls) + len(params) != 1:
        return False
    found = (params or decls)[0]
    if decls:
        top = at
        while parents.get(id(top)) is not func.body and top is not None:
            top = parents.get(id(top))
        items = func.body.block_items or []
        if not any(x is found for x in items) or top is None or items.index(top) <= items.index(found):
            return False
    t = named_type(found.type)
    return t is not None and t.bits <= 64


def _passed(node: c_ast.Node, args: c_ast.ExprList, call: c_ast.Node | None, callees: _Callees) -> bool:
    """Whether ``node``, an argument of ``call``, is converted to an integer type of at most 64 bits: the parameter
    there of the function ``callees`` defines by the called name (a prototype's, C11 6.5.2.2p7; not ``...``)."""
    if not isinstance(call, c_ast.FuncCall) or call.args is not args or not isinstance(call.name, c_ast.ID):
        return False
    callee = callees.get(call.name.name)
    decl = callee.decl.type if callee is not None else None
    at = next(i for i, x in enumerate(args.exprs) if x is node)
    params = decl.args.params if isinstance(decl, c_ast.FuncDecl) and decl.args is not None else []
    param = params[at] if at < len(params) else None
    t = named_type(param.type) if isinstance(param, c_ast.Decl) else None
    return t is not None and t.bits <= 64


def _stored(n: c_ast.Node | None) -> bool:
    """Whether a value stored in the answer is kept as the same 64 bits in any 64-bit integer type: none, a call's
    result (an integer or a pointer: the kernel builds no floating point), or an integer constant of at most 64 bits
    (converted modulo 2^64 either way)."""
    return n is None or isinstance(n, c_ast.FuncCall) or _constant(n)


def _constant(n: c_ast.Node) -> bool:
    """Whether ``n`` is an integer constant expression of at most 64 bits: literals (C11 6.4.4.1's types: a decimal
    past ``long long`` is gcc's ``__int128``, refused), operators over them and casts to integer types of at most 64
    bits."""
    if isinstance(n, c_ast.Constant):
        if n.type == "char":
            return True
        try:
            return n.type in ("int", "unsigned int", "long int", "unsigned long int", "long long int",
                              "unsigned long long int") and literal_type(n.value)[1].bits <= 64
        except UnsupportedConstruct:
            return False
    if isinstance(n, c_ast.UnaryOp):
        return n.op in ("-", "+", "~", "!") and _constant(n.expr)
    if isinstance(n, c_ast.BinaryOp):
        return _constant(n.left) and _constant(n.right)
    if isinstance(n, c_ast.Cast):
        t = named_type(n.to_type.type)
        return t is not None and t.bits <= 64 and _constant(n.expr)
    return False
