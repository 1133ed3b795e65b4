"""Builtins decided when the code is compiled: __builtin_constant_p, __builtin_choose_expr, and build checks."""

# Each handler gets the compiler, the call's argument nodes (not evaluated) and the scope, and returns the
# closure and C type of the call. The build checks are the ones include/linux/build_bug.h, bitfield.h,
# minmax.h and compiler.h make gcc enforce; a check the mirror cannot decide the way gcc would (it depends
# on gcc's optimiser) is UnsupportedConstruct, never a guess.

from __future__ import annotations

import operator
from collections.abc import Callable

from pycparser import c_ast, c_generator

from models import containerof
from models.consteval import (
    BUG_ON_CONST,
    BUILD_BUG_ON_ZERO,
    ILOG2,
    IS_CONSTEXPR,
    MUST_BE_ARRAY,
    NotConstant,
    is_constant,
)
from models.cparse import SAME_TYPE, TYPES_COMPATIBLE
from models.ctype import BOOL, INT, VOID, Array, CType, Int, Ptr, arith
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.literals import string_value
from models.machine import ElemPtr, Ref
from models.ratelimit import INTERVAL_CALL
from models.values import Fn, Frame, Scope, array_pointer, constant, element, folded, through
from models.varargs import COMPILE_TIME as VA_BUILTINS

Handler = Callable[[CompilerHooks, list[c_ast.Node], Scope, str], tuple[Fn, CType]]


def _constant(value: int) -> Fn:
    return constant(value)


def _arity(name: str, args: list[c_ast.Node], n: int, where: str) -> None:
    if len(args) != n:
        raise UnsupportedConstruct(where, f"{name}() takes {n} arguments, not {len(args)}")


def _constant_p(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    _arity("__builtin_constant_p", args, 1, where)
    return _constant(is_constant(args[0], c.const_env(scope), c.typer(scope))), INT


def _choose_expr(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """gcc evaluates the chosen operand only, and the call has its type (gcc manual, Other Builtins)."""
    _arity("__builtin_choose_expr", args, 3, where)
    cond, _ = c.const(args[0], scope)
    return c.expr(args[1] if cond else args[2], scope)


def _folded(name: str) -> Handler:
    """A build check that is an integer constant expression of value 0 (see models.consteval)."""

    def handler(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
        call = c_ast.FuncCall(c_ast.ID(name), c_ast.ExprList(args), args[0].coord if args else None)
        value, t = c.const(call, scope)
        return _constant(value), t

    return handler


def _field_check(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__BF_FIELD_CHECK(mask, reg, val, prefix) of include/linux/bitfield.h."""
    _arity("__BF_FIELD_CHECK", args, 4, where)
    mask_node, reg_node, val_node, pfx_node = args
    prefix = string_value(pfx_node.value) if isinstance(pfx_node, c_ast.Constant) else ""
    try:
        mask, mask_t = c.const(mask_node, scope)
    except NotConstant as exc:
        raise UnsupportedConstruct(where, f"{prefix}mask is not an integer constant expression: whether gcc "
                                          "accepts it depends on its optimiser") from exc
    if mask == 0:
        raise BuildFailure(where, f"{prefix}mask is zero")
    mask &= mask_t.mask
    shift = (mask & -mask).bit_length() - 1
    try:
        val = c.const(val_node, scope)[0]
    except NotConstant:
        val = 0  # a value known only at run time is not checked (gcc checks it when it can fold it)
    if ~(mask >> shift) & val:
        raise BuildFailure(where, f"{prefix}value too large for the field")
    reg_t = c.type_of(reg_node, scope)
    if not isinstance(reg_t, Int) or mask > ((1 << reg_t.bits) - 1):
        raise BuildFailure(where, f"{prefix}type of reg too small for mask")
    low = 1 << shift
    if (mask + low) & (mask + low - 1) & ((1 << 64) - 1):
        raise BuildFailure(where, f"{prefix}mask is not contiguous")
    return _constant(0), VOID


def _sign_use(t: Int, value: int | None) -> int:
    """__sign_use() of include/linux/minmax.h: 2 signed (3 when known non-negative), 1 unsigned (3 if narrow)."""
    if t.signed:
        return 3 if value is not None and value >= 0 else 2
    return 3 if t.bits < 32 else 1


def _minmax_check(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """min()/max()/clamp() signedness check: __types_ok() of every operand, given as (copy, original) pairs."""
    *pairs, what_node = args
    what = string_value(what_node.value) if isinstance(what_node, c_ast.Constant) else "min/max"
    use = 3
    for copy, original in zip(pairs[0::2], pairs[1::2], strict=True):
        t = c.type_of(copy, scope)
        if not isinstance(t, Int):
            raise UnsupportedConstruct(where, f"{what} of {t}")
        try:
            value: int | None = c.const(original, scope)[0]
        except NotConstant:
            value = None
        if t.signed and value is None and any(not u.signed and u.bits >= 32 for u in _types(c, pairs, scope)):
            raise UnsupportedConstruct(where, f"{what}: whether gcc accepts a signed variable against an unsigned "
                                              "one depends on its optimiser (statically_true in minmax.h)")
        use &= _sign_use(t, value)
    if not use:
        raise BuildFailure(where, f"{what} signedness error")
    return _constant(0), VOID


def _clamp_check(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """clamp(): "low limit greater than high limit" when both limits are constant (statically_true)."""
    _arity("__sh_clamp_check", args, 5, where)
    lo_copy, lo, hi_copy, hi, what_node = args
    lt, ht = c.type_of(lo_copy, scope), c.type_of(hi_copy, scope)
    try:
        low, high = c.const(lo, scope)[0], c.const(hi, scope)[0]
    except NotConstant:
        return _constant(0), VOID  # only gcc's optimiser could tell; minmax.h checks nothing then
    if isinstance(lt, Int) and isinstance(ht, Int):
        greater, _ = arith(">", lt, ht, where)
        if greater(lt.wrap(low), ht.wrap(high)):
            what = string_value(what_node.value) if isinstance(what_node, c_ast.Constant) else "clamp()"
            raise BuildFailure(where, f"{what.split('(')[0]}() low limit {_text(lo)} greater than high limit "
                                      f"{_text(hi)}")
    return _constant(0), VOID


def _overflow(op: str) -> Handler:
    """__builtin_{add,sub,mul}_overflow(a, b, &r): r = the exact result wrapped to r's type; true if it did not fit
    (gcc manual, Integer Overflow Builtins; the kernel's check_*_overflow())."""
    combine: Callable[[int, int], int] = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}[op]

    def handler(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
        _arity(f"__builtin_{op}_overflow", args, 3, where)
        (af, at), (bf, bt), (rf, rt) = (c.expr(a, scope) for a in args)
        target = rt.target if isinstance(rt, Ptr) else None
        if not (isinstance(at, Int) and isinstance(bt, Int) and isinstance(target, Int)) or target.rank == 0:
            raise UnsupportedConstruct(where, f"__builtin_{op}_overflow() on {at}, {bt} into {rt}")
        store = target

        def run(f: Frame) -> int:
            exact = combine(af(f), bf(f))
            ref = rf(f)
            if isinstance(ref, ElemPtr):  # &a[i]: that element
                ref = through(element(ref, 0, where), store, where)
            if not isinstance(ref, Ref):
                raise UnsupportedConstruct(where, f"__builtin_{op}_overflow() into {ref!r}")
            ref.set(store.wrap(exact))
            return 0 if store.fits(exact) else 1

        return run, BOOL

    return handler



def _ilog2(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """ilog2() of include/linux/log2.h: const_ilog2() folds a constant, fls() or fls64() (by sizeof(n)), less one,
    runs at run time; from 1 up both give the highest bit set, an int. Below they part (const_ilog2() gives 0,
    fls64(0) - 1 is -1, a negative int is a u32 or u64 there) and which one gcc takes depends on what its optimiser
    sees as constant: for an integer constant expression, which gcc's __builtin_constant_p() is 1 for whatever it
    optimises, the constant (models.consteval, as a static initialiser needs); for anything else ilog2(0), undefined
    in the kernel, is a run-time error, a negative value refused."""
    _arity("ilog2", args, 1, where)
    fn, t = c.expr(args[0], scope)
    if not isinstance(t, Int):
        raise UnsupportedConstruct(where, f"ilog2() of {t}")
    try:
        call = c_ast.FuncCall(c_ast.ID(ILOG2), c_ast.ExprList([args[0]]), args[0].coord)
        return _constant(c.const(call, scope)[0]), INT
    except NotConstant:
        pass  # both of log2.h's ways below, which gcc takes being its optimiser's choice

    def run(f: Frame) -> int:
        v: int = fn(f)
        if v >= 1:
            return v.bit_length() - 1
        if v == 0:
            raise CRuntimeError(where, "ilog2(0) is undefined in the kernel (include/linux/log2.h: 0 where gcc "
                                       "folds a constant, fls64(0) - 1 = -1 where it does not)")
        raise UnsupportedConstruct(where, f"ilog2() of the negative value {v}: 0 where gcc folds a constant, the "
                                          "highest bit of its u32 or u64 where it does not (its optimiser decides)")

    return folded(run, fn), INT


def _char_buf(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """A string function's buffer as the pointer it is passed as: an array becomes a pointer to its first element,
    which keeps the element type the bytes are written as (models.sprintf)."""
    _arity("__sh_char_buf", args, 1, where)
    fn, t = c.expr(args[0], scope)
    if isinstance(t, Array):
        return array_pointer(fn, t), Ptr(t.elem)
    return fn, t


def _build_bug(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """BUILD_BUG() of include/linux/build_bug.h: a call of a function declared __compiletime_error(), which fails
    gcc's build unless constant folding removes it (an ``if`` whose constant condition skips it); the rest fails."""
    _arity("__sh_build_bug", args, 1, where)
    if c.folded_away:
        return _constant(0), VOID
    msg = string_value(args[0].value) if isinstance(args[0], c_ast.Constant) else "BUILD_BUG failed"
    raise BuildFailure(where, f"static assertion failed: {msg}")


def _build_bug_on(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """BUILD_BUG_ON_MSG(cond, msg) of include/linux/build_bug.h: compiletime_assert(), a call gcc refuses to build
    where ``cond`` is true, unless constant folding removes it (unreachable code, a branch a constant skips); a
    condition that is no integer constant expression is refused, as before (whether gcc folds it is its
    optimiser's)."""
    _arity("__sh_build_bug_on", args, 2, where)
    if c.folded_away:
        c.type_of(args[0], scope)  # still compiled: what gcc refuses to compile stays refused
        return _constant(0), VOID
    if c.const(args[0], scope)[0]:
        msg = string_value(args[1].value) if isinstance(args[1], c_ast.Constant) else "BUILD_BUG_ON failed"
        raise BuildFailure(where, f"static assertion failed: {msg}")
    return _constant(0), VOID


def _text(node: c_ast.Node) -> str:
    return str(c_generator.CGenerator().visit(node))


def _types(c: CompilerHooks, pairs: list[c_ast.Node], scope: Scope) -> list[Int]:
    return [t for t in (c.type_of(p, scope) for p in pairs[0::2]) if isinstance(t, Int)]


COMPILE_TIME: dict[str, Handler] = {
    "__builtin_constant_p": _constant_p,
    "__builtin_choose_expr": _choose_expr,
    **{name: _folded(name) for name in (BUILD_BUG_ON_ZERO, BUG_ON_CONST, MUST_BE_ARRAY, IS_CONSTEXPR, SAME_TYPE,
                                             "offsetof", "__builtin_offsetof", TYPES_COMPATIBLE)},
    **{f"__builtin_{op}_overflow": _overflow(op) for op in ("add", "sub", "mul")},
    "__sh_bf_check": _field_check,
    "__sh_minmax_check": _minmax_check,
    "__sh_clamp_check": _clamp_check,
    ILOG2: _ilog2,
    containerof.NAME: containerof.container_of,
    "__sh_char_buf": _char_buf,
    "__sh_build_bug": _build_bug,
    "__sh_build_bug_on": _build_bug_on,
    **VA_BUILTINS,  # va_start(), va_end(), va_copy() (models.varargs)
    INTERVAL_CALL: _folded(INTERVAL_CALL),  # a rate-limit state's interval, by its sign (models.ratelimit)
}
