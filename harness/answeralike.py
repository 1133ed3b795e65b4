"""An answer held in another 64-bit integer type: the same decisions where every use reads its bits alone.

``u64 err;`` made ``long err;`` (or ``s64 err;``) under the same code: gcc keeps the same 64 bits either way (C11
6.3.1.3: a conversion to a signed 64-bit type of a value it cannot represent is implementation-defined, gcc's manual
"Integers implementation": reduced modulo 2^64), and a use that reads only those bits computes the same whatever the
signedness: ``==``/``!=`` against an integer constant of at most 64 bits (both sides converted to a 64-bit common type,
the constant extended by its own type alone, C11 6.3.1.8) or a local of such a type (_narrow_local), ``&`` with one
(the same bits again; ``|``, ``^`` and ``~`` too), a truth test (``if (err)``, ``!err``, ``&&``), a ``switch`` on it, a
cast to an integer type of at most 64 bits, an argument of a function the program defines taking such a type there or
handed on as ``...`` (a printk-family printer's arguments after its format: promoted to themselves, C11 6.5.2.2p7,
the same 64 bits in the same INTEGER-class slot, x86-64 psABI 3.2.3, whatever lib/vsprintf.c's va_arg() reads them
as), a right shift by a constant 0 to 63 read only as a truth (``!(err >> 63)``: all of the top bits shifted in are
copies of bit 63 or zeros, zero either way where the bits kept are, C11 6.5.7p5, gcc's manual "Integers implementation":
arithmetic) or masked to the bits it brought down (``(err >> 63) & 1``; a mask keeping the sign brought down, ``& -1``,
tested for zero), a value masked below 2^63 ordered against a constant not negative (``((err >> 63) & 1) < 1``: both
operands keep their values in either 64-bit common type, C11 6.3.1.8), and the return (converted to a return type of
at most 64 bits, C11 6.8.6.4). A constant may be an enumerator or a ``const`` integer of at most 64 bits of file scope
(its type a typedef of the files' too), declared once with the same value in both programs
(models.retryconsts.file_constants; gcc keeps an enumerator within 64 bits). Anything else, an ordering (``err < 0``),
a shift otherwise read (``(err >> 63) != 1``: arithmetic on a signed value; ``(err >> 62) & 4``, a copy of the sign
kept), a division, a call taking it as another type, its address, is not worked out here (the condition stays said).
The counterpart of harness.countedalike.counters_alike for the answer a loop keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pycparser import c_ast

from harness.countedalike import called_alike
from harness.memo import by_identity
from models.condeval import nodes
from models.condeval import shape as _shape
from models.ctype import Int, literal_type
from models.errors import UnsupportedConstruct
from models.facts import PRINTK
from models.leaftaint import param_names
from models.pointertypes import file_typedef, scope_typedef
from models.retryconsts import constant_value
from models.retryints import converted, named_through, named_type

if TYPE_CHECKING:
    from harness.valuereaders import Unknown
    from models.cload import Program

# A truth test reads whether the bits are all 0; a switch converts each case constant to the answer's type (C11
# 6.8.4.2p5), the same 64 bits either way.
_TESTS = (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp, c_ast.Switch)
_Callees = Mapping[str, c_ast.FuncDef]  # a program's functions by name (models.cload.Program.functions)
_Typedef = Callable[[str], c_ast.Node | None] | None  # a typedef name of the files -> its type (file_typedef)
_STATEMENT = (c_ast.Compound, c_ast.Case, c_ast.Default, c_ast.Label, c_ast.If, c_ast.For, c_ast.While,
              c_ast.DoWhile)
_BITWISE = ("&", "|", "^")  # the same bits of both operands give the same bits
_ORDERINGS = ("<", ">", "<=", ">=")
_SIGN = 1 << 63
# The printk family's format argument (include/linux/printk.h, dev_printk.h): what follows it is handed on as
# '...'. vprintk() takes a va_list, not '...'.
_FORMAT_AT = {name: 2 if name == "dev_printk" else 1 if name.startswith("dev_") else 0
              for name in PRINTK if name.startswith(("pr_", "printk", "dev_"))}


@dataclass(frozen=True)
class _Reading:
    """What a use of the answer is read against: the parents of the function's nodes (by id), the function, the
    program's functions by name, the names of file scope whose value is one constant on both sides and the files'
    typedefs (models.pointertypes.file_typedef)."""

    parents: dict[int, c_ast.Node]
    func: c_ast.FuncDef
    callees: _Callees
    fixed: Mapping[str, int]
    typedef: _Typedef = None


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
    return bits_alike(fa, fb, names, (pa.functions, pb.functions), _same_constants(pa, pb),
                      (file_typedef(pa, fa), file_typedef(pb, fb))) and called_alike(pa, pb, (fa.body,), (fb.body,))


def bits_alike(fa: c_ast.FuncDef, fb: c_ast.FuncDef, names: frozenset[str],
               callees: tuple[_Callees, _Callees] = ({}, {}), fixed: Mapping[str, int] | None = None,
               typedefs: tuple[_Typedef, _Typedef] = (None, None)) -> bool:
    """Whether ``fa`` and ``fb`` are the same function but for the integer types ``names`` are declared in: each a
    local of each, declared once (not ``static`` or ``extern``, no parameter's name), in a 64-bit integer type on both
    sides (models.retryints.named_through: ``u64``, ``long``, ``s64``, a typedef of the files, ``typedefs`` each
    side's, naming one), set only by ``=`` of a call or an integer
    constant (its declaration too) and read only as its bits (the module's docstring; passed as an argument where
    the function of that name in ``callees``, each side's, takes an integer type of at most 64 bits there, C11
    6.5.2.2p7), the signatures and bodies the same otherwise (models.condeval.shape, but the declared type of
    ``names``). ``fixed``: names of file scope each side defines as the same constant of at most 64 bits, with that
    value (_same_constants), read as constants where neither function declares them itself."""
    if not names or _signature(fa) != _signature(fb):
        return False
    skip_a, skip_b = _answer_types(fa, names, typedefs[0]), _answer_types(fb, names, typedefs[1])
    if skip_a is None or skip_b is None or _outline(fa.body, skip_a) != _outline(fb.body, skip_b):
        return False
    hidden = _declared(fa) | _declared(fb)
    fixed = {n: v for n, v in (fixed or {}).items() if n not in hidden}
    return _read_as_bits(fa, names, callees[0], fixed, typedefs[0]) and \
        _read_as_bits(fb, names, callees[1], fixed, typedefs[1])


def _declared(func: c_ast.FuncDef) -> frozenset[str]:
    """The names ``func`` declares itself (parameters, locals, enumerators of its own enums): they hide a name of
    file scope (C11 6.2.1p4)."""
    own = {n.name for n in nodes(func.body) if isinstance(n, (c_ast.Decl, c_ast.Enumerator)) and n.name}
    return frozenset(own) | param_names(func)


def _same_constants(pa: Program, pb: Program) -> dict[str, int]:
    """The enumerators and ``const`` integers of file scope (of at most 64 bits) both programs declare once, with
    the same value, and that value."""
    a, b = _constants(pa), _constants(pb)
    return {n: v for n, v in a.items() if b.get(n) == v}


def _constants(program: Program) -> dict[str, int]:
    """Name -> value of each enumerator and ``const`` integer of file scope the program declares once (no other
    declaration of the name outside the functions), of a type of at most 64 bits (an enumerator: gcc keeps it within
    64 bits, warning 'enumeration values exceed range of largest integer'; a typedef of the files standing for one,
    the value converted to it), not ``volatile``; once per program."""
    def make() -> dict[str, int]:
        from models.retryconsts import file_constants

        seen: dict[str, int] = {}
        typed: dict[str, bool] = {}
        types: dict[str, Int | None] = {}  # a const's type, its value converted to it: a typedef's is not yet
        typedef = scope_typedef(program)
        for ext in program.ast.ext:
            for n in [ext] if isinstance(ext, c_ast.FuncDef) else nodes(ext):
                if isinstance(n, c_ast.Enumerator) or (isinstance(n, c_ast.Decl) and n is ext and n.name):
                    seen[n.name] = seen.get(n.name, 0) + 1
                    typed[n.name] = _casts_read(n.value if isinstance(n, c_ast.Enumerator) else n.init) and (
                        isinstance(n, c_ast.Enumerator) or _const_integer(n, typedef))
                    types[n.name] = named_through(n.type, typedef) if isinstance(n, c_ast.Decl) else None
        values = file_constants(program.ast, program.where)
        return {n: converted(v, types[n]) for n, v in values.items() if isinstance(v, int) and seen.get(n) == 1
                and typed[n] and -(1 << 63) <= converted(v, types[n]) < 1 << 64}

    return by_identity("answeralike.constants", (program,), (), make)


def _casts_read(value: c_ast.Node | None) -> bool:
    """Whether each cast in a constant's value names an integer type models.retryconsts.file_constants converts to
    (a typedef of the files' it does not follow)."""
    return value is None or all(named_type(x.to_type.type) is not None for x in nodes(value)
                                if isinstance(x, c_ast.Cast))


def _const_integer(decl: c_ast.Decl, typedef: _Typedef = None) -> bool:
    """Whether ``decl`` declares a ``const`` (not ``volatile``) integer of at most 64 bits (a typedef of the files,
    ``typedef``, followed: models.retryints.named_through)."""
    t = named_through(decl.type, typedef)
    return t is not None and t.bits <= 64 and "const" in decl.quals and "volatile" not in decl.quals


def _signature(func: c_ast.FuncDef) -> tuple[object, ...]:
    """The function's parameters and return type as a comparable value, its name left out."""
    decl = func.decl.type
    if not isinstance(decl, c_ast.FuncDecl):
        return ()
    ret = decl.type
    kept = (ret.quals, _shape(ret.type)) if isinstance(ret, c_ast.TypeDecl) else (_shape(ret),)
    return (_shape(decl.args) if decl.args is not None else None), kept


def _answer_types(func: c_ast.FuncDef, names: frozenset[str], typedef: _Typedef = None) -> set[int] | None:
    """The type nodes of the declarations of ``names`` (each once, a 64-bit integer type, spelt so or through the
    files' typedefs, ``typedef``; None where one is not)."""
    if names & param_names(func):
        return None
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name in names]
    if sorted(d.name for d in decls) != sorted(names):
        return None
    skip = set()
    for d in decls:
        t = named_through(d.type, typedef)
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


def _read_as_bits(func: c_ast.FuncDef, names: frozenset[str], callees: _Callees, fixed: Mapping[str, int],
                  typedef: _Typedef) -> bool:
    """Whether every use of ``names`` in ``func`` reads its bits alone (or stores a call's result or a constant)."""
    parents: dict[int, c_ast.Node] = {}
    fields = set()
    for x in nodes(func.body):
        for child in x:
            parents[id(child)] = x
        if isinstance(x, c_ast.StructRef):
            fields.add(id(x.field))
    uses = [x for x in nodes(func.body) if isinstance(x, c_ast.ID) and x.name in names and id(x) not in fields]
    at = _Reading(parents, func, callees, fixed, typedef)
    return all(_use_ok(x, at) for x in uses)


def _use_ok(node: c_ast.Node, at: _Reading) -> bool:
    """Whether the value of ``node`` (64 bits the same on both sides, of a type that may not be) is read as bits."""
    parent = at.parents.get(id(node))
    if isinstance(parent, c_ast.Assignment) and parent.lvalue is node:
        if parent.op != "=" or not _stored(parent.rvalue, at.fixed, at.typedef):
            return False
        # The assignment's own value is the answer's too, where an expression reads it ('if ((err = f()) != X)').
        return isinstance(at.parents.get(id(parent)), _STATEMENT) or _use_ok(parent, at)
    if isinstance(parent, c_ast.BinaryOp):
        return _operand_ok(node, parent, at)
    if isinstance(parent, c_ast.UnaryOp) and parent.op in ("!", "~"):
        return parent.op == "!" or _use_ok(parent, at)  # '~': the same bits again
    if isinstance(parent, _TESTS) and getattr(parent, "cond", None) is node:
        return True
    if isinstance(parent, c_ast.Cast):
        t = named_through(parent.to_type.type, at.typedef)
        return t is not None and t.bits <= 64
    if isinstance(parent, c_ast.ExprList):
        return _passed(node, parent, at.parents.get(id(parent)), at.callees, at.typedef)
    if isinstance(parent, c_ast.Return):
        ret = at.func.decl.type.type if isinstance(at.func.decl.type, c_ast.FuncDecl) else None
        t = named_through(ret, at.typedef)
        return t is not None and t.bits <= 64
    return False


def _operand_ok(node: c_ast.Node, parent: c_ast.BinaryOp, at: _Reading) -> bool:
    """Whether ``node``, an operand of ``parent``, is read as its bits there (and the result, where it is bits)."""
    if parent.op in ("&&", "||"):
        return True
    if parent.op == ">>":  # the bits kept all zero or not, or masked to those the shift brought down
        count = _value(parent.right, at)  # a literal, or a name of the files' constants (_same_constants)
        if parent.left is not node or count is None or count not in range(64):
            return False
        return _zero_tested(parent, at) or _masked(parent, count, at)
    if parent.op not in ("==", "!=", *_BITWISE):
        return False
    other = parent.right if parent.left is node else parent.left
    if not _constant(other, at.fixed, at.typedef) and not _narrow_local(other, parent, at.parents, at.func, at.typedef):
        return False
    if parent.op not in _BITWISE or _use_ok(parent, at):
        return True
    # 'err & M', M below 2^63: the same value of 0 to M on both sides, an ordering reads it alike too (_ordered)
    return parent.op == "&" and _ordered(parent, _mask(other, at), at)


def _zero_tested(node: c_ast.Node, at: _Reading) -> bool:
    """Whether the value of ``node`` is read only as zero or not: a truth test (not a ``switch``), ``!``, ``&&``,
    ``||``, or ``== 0`` / ``!= 0``."""
    parent = at.parents.get(id(node))
    if isinstance(parent, c_ast.BinaryOp) and parent.op in ("==", "!="):
        return _value(parent.right if parent.left is node else parent.left, at) == 0
    return (isinstance(parent, c_ast.BinaryOp) and parent.op in ("&&", "||")) or (
        isinstance(parent, c_ast.UnaryOp) and parent.op == "!") or (
        isinstance(parent, _TESTS) and not isinstance(parent, c_ast.Switch) and getattr(parent, "cond", None) is node)


def _masked(shift: c_ast.Node, count: int, at: _Reading) -> bool:
    """Whether the answer shifted right by ``count`` is ``&``-ed with a constant M (its 64 bits, _mask), read so that
    both sides agree: M below 2^(64 - count) (``(err >> 63) & 1``) keeps only bits the shift brought down from the
    answer, never the top ones filled with copies of its sign or with zeros (C11 6.5.7p5; gcc's manual "Integers
    implementation": arithmetic), so both sides hold the same value, of 0 to M, read as bits (_use_ok) or ordered
    (_ordered); an M keeping bit 63 - count (``& -1``), the sign brought down, is nonzero on both sides wherever a
    copy of the sign it keeps is, so the result tested for zero alone (_zero_tested) agrees."""
    parent = at.parents.get(id(shift))
    if not isinstance(parent, c_ast.BinaryOp) or parent.op != "&":
        return False
    mask = _mask(parent.right if parent.left is shift else parent.left, at)
    if mask is None:
        return False
    if mask < 1 << (64 - count):
        return _use_ok(parent, at) or _ordered(parent, mask, at)
    return bool(mask >> (63 - count) & 1) and _zero_tested(parent, at)


def _mask(n: c_ast.Node, at: _Reading) -> int | None:
    """The 64 bits an integer constant expression of at most 64 bits (_constant) is converted to beside the answer
    (its value modulo 2^64, C11 6.3.1.3; a negative one's sign extended), None where not a constant."""
    value = _value(n, at)
    return None if value is None else value % (1 << 64)


def _value(n: c_ast.Node, at: _Reading) -> int | None:
    """The value of an integer constant expression of at most 64 bits (_constant) in its own type, as gcc computes
    it (models.retryconsts.constant_value), None for anything else."""
    return constant_value(n, at.fixed, at.typedef) if _constant(n, at.fixed, at.typedef) else None


def _ordered(node: c_ast.Node, mask: int | None, at: _Reading) -> bool:
    """Whether ``node``, a value of 0 to ``mask`` (below 2^63) the same on both sides, is ordered (``<``, ``>``,
    ``<=``, ``>=``) against a constant not negative in its own type: the comparison's common type is the 64-bit
    one either side gives (C11 6.3.1.8), signed on one and unsigned on the other, and both operands keep their
    values in it, so the result is the same int; a negative constant is not read (``< -1``: true unsigned, false
    signed)."""
    parent = at.parents.get(id(node))
    if mask is None or mask >= _SIGN or not isinstance(parent, c_ast.BinaryOp) or parent.op not in _ORDERINGS:
        return False
    other = _value(parent.right if parent.left is node else parent.left, at)
    return other is not None and other >= 0


def _narrow_local(n: c_ast.Node, at: c_ast.Node, parents: dict[int, c_ast.Node], func: c_ast.FuncDef,
                  typedef: _Typedef = None) -> bool:
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
    t = named_through(found.type, typedef)
    return t is not None and t.bits <= 64


def _passed(node: c_ast.Node, args: c_ast.ExprList, call: c_ast.Node | None, callees: _Callees,
            typedef: _Typedef = None) -> bool:
    """Whether ``node``, an argument of ``call``, is converted to an integer type of at most 64 bits: the parameter
    there of the function ``callees`` defines by the called name (a prototype's, C11 6.5.2.2p7), or handed on as
    ``...`` unconverted (its ellipsis; a printk-family printer's arguments after its format, _FORMAT_AT)."""
    if not isinstance(call, c_ast.FuncCall) or call.args is not args or not isinstance(call.name, c_ast.ID):
        return False
    callee = callees.get(call.name.name)
    at = next(i for i, x in enumerate(args.exprs) if x is node)
    if callee is None:
        return call.name.name in _FORMAT_AT and at > _FORMAT_AT[call.name.name]
    decl = callee.decl.type
    params = decl.args.params if isinstance(decl, c_ast.FuncDecl) and decl.args is not None else []
    if params and isinstance(params[-1], c_ast.EllipsisParam) and at >= len(params) - 1:
        return True
    param = params[at] if at < len(params) else None
    t = named_through(param.type, typedef) if isinstance(param, c_ast.Decl) else None
    return t is not None and t.bits <= 64


def _stored(n: c_ast.Node | None, fixed: Mapping[str, int] | None = None, typedef: _Typedef = None) -> bool:
    """Whether a value stored in the answer is kept as the same 64 bits in any 64-bit integer type: none, a call's
    result (an integer or a pointer: the kernel builds no floating point), or an integer constant of at most 64 bits
    (converted modulo 2^64 either way)."""
    return n is None or isinstance(n, c_ast.FuncCall) or _constant(n, fixed or {}, typedef)


def _constant(n: c_ast.Node, fixed: Mapping[str, int], typedef: _Typedef = None) -> bool:
    """Whether ``n`` is an integer constant expression of at most 64 bits: literals (C11 6.4.4.1's types: a decimal
    past ``long long`` is gcc's ``__int128``, refused), the names of ``fixed`` (_same_constants), operators over them
    and casts to integer types of at most 64 bits (a typedef of the files' followed, ``typedef``)."""
    if isinstance(n, c_ast.ID):
        return n.name in fixed
    if isinstance(n, c_ast.Constant):
        if n.type == "char":
            return True
        try:
            return n.type in ("int", "unsigned int", "long int", "unsigned long int", "long long int",
                              "unsigned long long int") and literal_type(n.value)[1].bits <= 64
        except UnsupportedConstruct:
            return False
    if isinstance(n, c_ast.UnaryOp):
        return n.op in ("-", "+", "~", "!") and _constant(n.expr, fixed, typedef)
    if isinstance(n, c_ast.BinaryOp):
        return _constant(n.left, fixed, typedef) and _constant(n.right, fixed, typedef)
    if isinstance(n, c_ast.Cast):
        t = named_through(n.to_type.type, typedef)
        return t is not None and t.bits <= 64 and _constant(n.expr, fixed, typedef)
    return False
