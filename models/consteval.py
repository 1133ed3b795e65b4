"""Integer constant expressions: array sizes, enum values, case labels, static assertions, build checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pycparser import c_ast, c_generator

from models.clayout import alignof, field_offset, incomplete, is_bit_field, sizeof
from models.cparse import ALIGNOF, SAME_TYPE, TYPES_COMPATIBLE
from models.ctype import (
    INT,
    LLONG,
    LONG,
    ULONG,
    Array,
    CType,
    Func,
    Incomplete,
    Int,
    Ptr,
    Struct,
    arith,
    compatible,
    literal_type,
    promote,
    usual,
)
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.literals import char_value, is_char_constant
from models.ratelimit import HZ_CALL, INTERVAL_CALL, hz_value, interval_ns, reading_interval


class ConstEnv(Protocol):
    """What evaluating a constant needs: enumerators, type names, and where a node is."""

    enums: dict[str, int]
    wide_enums: dict[str, str]
    typed_enums: dict[str, tuple[int, Int]]

    def where(self, coord: object) -> str: ...

    def resolve(self, node: c_ast.Node) -> CType: ...


TypeOf = Callable[[c_ast.Node], CType]
# Bit builtins gcc folds for constant arguments: name -> (width of the parameter, value of the argument).
# (__builtin_ctz/clz of 0 are undefined, so they are left to run time, where that is an error.)
FOLDED: dict[str, tuple[int, Callable[[int], int]]] = {
    **{f"__builtin_ffs{s}": (w, lambda v: (v & -v).bit_length()) for s, w in (("", 32), ("l", 64), ("ll", 64))},
    **{f"__builtin_popcount{s}": (w, lambda v: bin(v).count("1")) for s, w in (("", 32), ("l", 64), ("ll", 64))},
    **{f"__builtin_parity{s}": (w, lambda v: bin(v).count("1") & 1) for s, w in (("", 32), ("l", 64), ("ll", 64))},
}


class NotConstant(UnsupportedConstruct):
    """An expression that is not an integer constant expression (C11 6.6)."""


def const_int(node: c_ast.Node, env: ConstEnv, type_of: TypeOf | None = None) -> int:
    """The value of an integer constant expression, converted to its C type."""
    return const_value(node, env, type_of)[0]


def const_value(node: c_ast.Node, env: ConstEnv, type_of: TypeOf | None = None) -> tuple[int, Int]:
    """Value and type of an integer constant expression, with C's conversions (C11 6.6, 6.3.1).

    ``type_of`` types the operand of ``sizeof``/``typeof`` where variables are in scope. Raises
    NotConstant for anything else (a variable, a call, a comma), BuildFailure from BUILD_BUG_ON_ZERO.
    """
    where = env.where(getattr(node, "coord", None))
    if isinstance(node, c_ast.Constant):
        if is_char_constant(node.value):
            return char_value(node.value), INT
        if node.type not in ("string", "float", "double", "long double"):
            return literal_type(node.value, where)
    elif isinstance(node, c_ast.ID) and node.name in env.enums:
        return INT.wrap(env.enums[node.name]), INT
    elif isinstance(node, c_ast.ID) and node.name in env.typed_enums:
        value, t = env.typed_enums[node.name]
        return value, t
    elif isinstance(node, c_ast.ID) and node.name in env.wide_enums:
        raise NotConstant(where, env.wide_enums[node.name])
    elif isinstance(node, c_ast.UnaryOp):
        return _unary(node, env, type_of, where)
    elif isinstance(node, c_ast.BinaryOp):
        return _binary(node, env, type_of, where)
    elif isinstance(node, c_ast.TernaryOp):
        cv, _ = const_value(node.cond, env, type_of)
        a = const_value(node.iftrue, env, type_of) if node.iftrue is not None else const_value(node.cond, env, type_of)
        b = const_value(node.iffalse, env, type_of)
        rt = usual(a[1], b[1])
        assert isinstance(rt, Int)
        return rt.wrap(a[0] if cv else b[0]), rt
    elif isinstance(node, c_ast.Cast):
        ct = env.resolve(node.to_type)
        if isinstance(ct, Int):
            return ct.wrap(const_value(node.expr, env, type_of)[0]), ct
    elif isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID):
        return _call(node, env, type_of, where)
    raise NotConstant(where, f"not an integer constant expression: {_describe(node)}")


def _ratelimit_call(name: str, args: list[c_ast.Node], env: ConstEnv, type_of: TypeOf | None,
                    where: str) -> tuple[int, Int]:
    """HZ, known only inside a rate-limit state's interval, and that interval in ns (models.ratelimit)."""
    if name == HZ_CALL:
        if not reading_interval():
            raise NotConstant(where, "HZ is CONFIG_HZ's value, which the mirror does not know")
        return hz_value(where), INT
    try:
        return interval_ns(lambda: const_value(args[0], env, type_of)[0], where), LLONG
    except NotConstant as exc:  # a state's interval is read under each CONFIG_HZ: it must be a constant
        raise NotConstant(where, f"a rate-limit interval that is no integer constant expression ({exc.message}): "
                                 "the mirror reads it under each CONFIG_HZ") from exc


def _describe(node: c_ast.Node) -> str:
    if isinstance(node, c_ast.ID):
        return f"'{node.name}'"
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID):
        return f"a call of {node.name.name}()"
    return type(node).__name__


def size_of(node: c_ast.Node, env: ConstEnv, type_of: TypeOf | None, where: str, op: str = "sizeof") -> int:
    """``sizeof`` (``op`` ALIGNOF: ``_Alignof``, GNU ``__alignof__``) of a type name, or of an expression typed by
    ``type_of``."""
    measure = alignof if op == ALIGNOF else sizeof
    if isinstance(node, c_ast.Typename):
        named = env.resolve(node)
        if isinstance(named, Incomplete):  # sizeof(typeof(*p)) of a struct never defined
            raise incomplete(named, where, op)
        _sized(named, where, op)
        return measure(named)
    if type_of is None:
        raise NotConstant(where, f"{op} of an expression outside a function")
    refuse_bit_field(node, type_of, where, f"'{op}' applied to")
    t = type_of(node)
    if isinstance(t, Func):  # gcc's 1 for a function type (-Wpointer-arith), 8 for a parameter adjusted to a pointer
        raise UnsupportedConstruct(where, f"{op} of a function is not modelled")
    if isinstance(t, Incomplete):  # gcc: "invalid application of 'sizeof' to incomplete type"
        raise incomplete(t, where, op)
    _sized(t, where, op)
    return measure(t)


def _sized(t: CType, where: str, op: str) -> None:
    """BuildFailure for ``sizeof`` of an array of unknown length (``extern u64 tbl[];``, a flexible array member,
    ``u64[]``), gcc's "invalid application of 'sizeof' to incomplete type" (C11 6.5.3.4p1): it was 0."""
    if op != ALIGNOF and isinstance(t, Array) and t.vla:  # by its name it is read at run time (models.vlas)
        raise UnsupportedConstruct(where, f"{op} of a variable length array other than by its name is not modelled")
    if op != ALIGNOF and isinstance(t, Array) and t.length is None:
        raise BuildFailure(where, "invalid application of 'sizeof' to incomplete type (an array of unknown length)")


def refuse_bit_field(node: c_ast.Node, type_of: TypeOf, where: str, what: str) -> None:
    """BuildFailure when ``node`` names a bit-field member: gcc refuses ``sizeof`` and ``typeof`` of one and an
    ``__auto_type`` it initialises (c-typeck.c, c-parser.c: "'typeof' applied to a bit-field", "'__auto_type'
    used with a bit-field initializer"); ``what`` says which."""
    if isinstance(node, c_ast.StructRef):
        st = type_of(node.name)
        st = st.target if isinstance(st, Ptr) and node.type == "->" else st
        path = st.member_path(node.field.name) if isinstance(st, Struct) else None
        if path is not None and is_bit_field(path[-1][0], node.field.name):
            raise BuildFailure(where, f"{what} bit-field '{node.field.name}'")


def _unary(node: c_ast.UnaryOp, env: ConstEnv, type_of: TypeOf | None, where: str) -> tuple[int, Int]:
    if node.op in ("sizeof", ALIGNOF):
        return size_of(node.expr, env, type_of, where, node.op), ULONG
    if node.op not in ("-", "+", "~", "!"):
        raise NotConstant(where, f"not an integer constant expression: unary {node.op}")
    v, t = const_value(node.expr, env, type_of)
    if node.op == "!":
        return int(not v), INT
    pt = promote(t)
    assert isinstance(pt, Int)
    return pt.wrap({"-": -v, "+": v, "~": ~v}[node.op]), pt


def _binary(node: c_ast.BinaryOp, env: ConstEnv, type_of: TypeOf | None, where: str) -> tuple[int, Int]:
    a, at = const_value(node.left, env, type_of)
    if node.op in ("&&", "||"):
        if (node.op == "&&") != bool(a):
            return int(bool(a)), INT  # the right operand is not evaluated
        return int(bool(const_value(node.right, env, type_of)[0])), INT
    b, bt = const_value(node.right, env, type_of)
    try:
        combine, t = arith(node.op, at, bt, where)
        value = combine(a, b)
    except CRuntimeError as exc:
        raise NotConstant(where, f"not an integer constant expression: {exc.message}") from exc
    assert isinstance(t, Int)
    return value, t


def _call(node: c_ast.FuncCall, env: ConstEnv, type_of: TypeOf | None, where: str) -> tuple[int, Int]:
    name = node.name.name
    args = list(node.args.exprs) if node.args else []
    if name in FOLDED and len(args) == 1:
        bits, fn = FOLDED[name]
        return fn(const_value(args[0], env, type_of)[0] & ((1 << bits) - 1)), INT
    if name == "__builtin_constant_p" and len(args) == 1:
        return is_constant(args[0], env, type_of), INT
    if name == "__builtin_choose_expr" and len(args) == 3:
        return const_value(args[1] if const_value(args[0], env, type_of)[0] else args[2], env, type_of)
    if name == ILOG2 and len(args) == 1:
        # include/linux/log2.h for a constant (gcc folds __builtin_constant_p(n) to 1 for one): const_ilog2()'s
        # '(n) < 2 ? 0 : 63 - __builtin_clzll(n)', an int.
        value = const_value(args[0], env, type_of)[0]
        return (0 if value < 2 else value.bit_length() - 1), INT
    if name in (HZ_CALL, INTERVAL_CALL):
        return _ratelimit_call(name, args, env, type_of, where)
    if name == "__builtin_expect" and len(args) == 2:
        return LONG.wrap(const_value(args[0], env, type_of)[0]), LONG
    if name in (BUILD_BUG_ON_ZERO, BUG_ON_CONST) and len(args) == 1:
        try:
            value = const_value(args[0], env, type_of)[0]
        except NotConstant:
            if name == BUILD_BUG_ON_ZERO:
                raise
            value = 0  # GENMASK_INPUT_CHECK: only a constant input is checked (__is_constexpr)
        if value:
            raise BuildFailure(where, f"{_CHECKS[name]} failed: {_source(args[0])} is true")
        return 0, INT
    if name in ("offsetof", "__builtin_offsetof") and len(args) == 2:
        return offset_of(args[0], args[1], env, where), ULONG
    if name == TYPES_COMPATIBLE and len(args) == 2 and all(isinstance(a, c_ast.Typename) for a in args):
        return _compatible(env.resolve(args[0]), env.resolve(args[1]), where, f"{name}()"), INT
    if name == SAME_TYPE and len(args) == 2:
        if type_of is None:
            raise NotConstant(where, "__same_type() outside a function")
        a, b = (env.resolve(x) if isinstance(x, c_ast.Typename) else type_of(x) for x in args)
        return _compatible(a, b, where, "__same_type()"), INT
    if name == IS_CONSTEXPR and len(args) == 1:
        try:  # gcc: (long)(x) * 0l is a null pointer constant only for an integer constant expression
            const_value(args[0], env, type_of)
        except NotConstant:
            return 0, INT
        return 1, INT
    if name == MUST_BE_ARRAY and len(args) == 1:
        t = type_of(args[0]) if type_of is not None else None
        if not isinstance(t, Array):
            raise BuildFailure(where, f"ARRAY_SIZE() of {t or 'an expression'}, which is not an array")
        return 0, INT
    raise NotConstant(where, f"not an integer constant expression: {_describe(node)}")


def _compatible(a: CType, b: CType, where: str, what: str) -> int:
    """Whether gcc takes two types as compatible (top-level qualifiers aside). The mirror keeps no qualifiers, so
    two pointer types alike but for those of what they point at (``const int *``, ``int *``) would be the same:
    such a yes is refused, never given (a no stands: no qualifier makes two other types alike)."""
    same = compatible(a, b)
    if same and holds_pointer(a):
        raise UnsupportedConstruct(where, f"{what} of {a.name()}: {QUALIFIERS_UNKEPT}")
    return int(same)


QUALIFIERS_UNKEPT = ("gcc tells pointer types apart by the qualifiers of what they point at (const, volatile), which "
                     "the mirror does not keep")


def holds_pointer(t: CType) -> bool:
    """Whether a type is or holds a pointer or a function type (whose parameters' qualifiers count too)."""
    if isinstance(t, Array):
        return holds_pointer(t.elem)
    return isinstance(t, Ptr | Func)


# Names the prelude gives the kernel's build checks that are expressions of value 0 (build_bug.h, bits.h).
BUILD_BUG_ON_ZERO = "__sh_build_bug_on_zero"
BUG_ON_CONST = "__sh_bug_on_const"
MUST_BE_ARRAY = "__sh_must_be_array"
IS_CONSTEXPR = "__sh_is_constexpr"  # include/linux/const.h's __is_constexpr(): whether its operand is one
ILOG2 = "__sh_ilog2"  # include/linux/log2.h's ilog2() (models.prelude)
_CHECKS = {BUILD_BUG_ON_ZERO: "BUILD_BUG_ON_ZERO", BUG_ON_CONST: "GENMASK/BIT input check"}


def offset_of(typename: c_ast.Node, member: c_ast.Node, env: ConstEnv, where: str) -> int:
    """offsetof(type, member): a member name, or a chain of them (``a.b``)."""
    names: list[str] = []
    while isinstance(member, c_ast.StructRef) and member.type == ".":
        names.insert(0, member.field.name)
        member = member.name
    if not isinstance(member, c_ast.ID):
        raise UnsupportedConstruct(where, "offsetof() of an array element or expression")
    names.insert(0, member.name)
    t, total = env.resolve(typename), 0
    for name in names:
        found = field_offset(t, name) if isinstance(t, Struct) else None
        if found is None:
            raise UnsupportedConstruct(where, f"offsetof(): {t} has no member '{name}'")
        total, t = total + found[0], found[1]
    return total


def _source(node: c_ast.Node) -> str:
    from_generator = c_generator.CGenerator().visit(node)
    return str(from_generator)


def is_constant(node: c_ast.Node, env: ConstEnv, type_of: TypeOf | None) -> int:
    """``__builtin_constant_p``: 1 for an integer constant expression or a string literal.

    For anything else gcc's answer depends on its optimiser (inlining, constant propagation at -O2), so
    the mirror does not guess: UnsupportedConstruct.
    """
    if isinstance(node, c_ast.Constant):
        return 1
    try:
        const_value(node, env, type_of)
        return 1
    except NotConstant as exc:
        where = env.where(getattr(node, "coord", None))
        raise UnsupportedConstruct(where, "__builtin_constant_p() of an expression that is not an integer constant "
                                          "expression: gcc's answer depends on its optimiser") from exc
