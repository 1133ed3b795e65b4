"""va_start(), va_arg(), va_end(), va_copy() and the functions taking a va_list (vprintk(), vsnprintf()).

A variadic function's arguments past its parameters are kept on its frame after the default argument promotions
(C11 6.5.2.2p7; models.statements); va_start() hands them to the va_list, whose one __va_list_tag holds them and
how many va_arg() took (models.valist.VA_KEY), and a function taking the va_list reads those left as if they were
passed to it (a va_list passed on is a pointer to the tag, as gcc's x86-64 one: what the callee takes, the caller's
list has taken)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models import sprintf
from models.ctype import CHAR, INT, VOID, CType, Int, Ptr
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.machine import ElemPtr, Machine
from models.primitive import Impl, Primitive
from models.printk import NarrowInt
from models.printkstore import printk
from models.valist import VA_KEY, VA_SLOT
from models.valistread import Unpassed, va_arguments, va_state, va_tag
from models.values import Fn, Frame, Scope


def _va_list_arg(name: str, c: CompilerHooks, args: list[c_ast.Node], count: int, scope: Scope,
                 where: str) -> list[Fn]:
    if len(args) != count:
        raise BuildFailure(where, f"wrong number of arguments to function '{name}'")
    return [c.expr(a, scope)[0] for a in args[:2 if name == "__builtin_va_copy" else 1]]


def _va_start(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_start(ap, last): ap holds the running function's arguments past its parameters (its second
    argument, the last parameter, is not evaluated); gcc refuses it in a function that is not variadic."""
    if VA_SLOT not in scope[0]:  # gcc's error (c-family/c-common.cc check_builtin_function_arguments())
        raise BuildFailure(where, "'va_start' used in function with fixed arguments")
    (ap,) = _va_list_arg("__builtin_va_start", c, args, 2, scope, where)

    def run(f: Frame) -> None:
        va_tag(ap(f), where)[VA_KEY] = (f.v[VA_SLOT], 0)
    return run, VOID


def _va_end(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_end(ap): ap holds no arguments any more (C11 7.16.1.3: using it again needs va_start())."""
    (ap,) = _va_list_arg("__builtin_va_end", c, args, 1, scope, where)

    def run(f: Frame) -> None:
        va_tag(ap(f), where)[VA_KEY] = None
    return run, VOID


def _va_copy(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_copy(dest, src): dest holds the arguments src holds (C11 7.16.1.2)."""
    dest, src = _va_list_arg("__builtin_va_copy", c, args, 2, scope, where)

    def run(f: Frame) -> None:
        va_tag(dest(f), where)[VA_KEY] = va_state(src(f), where, "va_copy()")
    return run, VOID


def _va_arg(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_arg(ap, T): the next argument ap holds, as T, and ap moves past it. T must be the promoted
    argument's type (C11 7.16.1.1p2): an int or unsigned int for an integer of 32 bits or fewer, a 64-bit integer
    type for one of 64, a pointer type for a pointer (the signedness as T says, as gcc reads the register); else
    the behaviour is undefined, refused where it runs. A T narrower than int: gcc builds a trap there (it warns
    that the argument was promoted to int)."""
    if len(args) != 2 or not isinstance(args[1], c_ast.Typename):
        raise BuildFailure(where, "wrong number of arguments to function '__builtin_va_arg'")
    ap, t = c.expr(args[0], scope)[0], c.resolve(args[1], scope)
    if not ((isinstance(t, Int) and t.bits <= 64) or isinstance(t, Ptr)):
        raise UnsupportedConstruct(where, f"va_arg() of type {t}: only integers and pointers are modelled")

    def run(f: Frame) -> Any:
        tag = va_tag(ap(f), where)
        extras, pos = va_state(tag, where, "va_arg()")
        if pos >= len(extras):
            raise CRuntimeError(where, f"va_arg() past the {len(extras)} argument(s) passed: undefined (C11 "
                                       "7.16.1.1p2)")
        tag[VA_KEY] = (extras, pos + 1)
        return _as(extras[pos], t, where)
    return run, t


def _as(v: Any, t: CType, where: str) -> Any:
    """An argument as va_arg() of type ``t`` reads it (models.statements._promoted passed it)."""
    if isinstance(v, Unpassed):
        raise UnsupportedConstruct(where, f"va_arg() reads an argument the mirror does not pass ({v})")
    if isinstance(t, Int) and t.bits < 32:
        raise CRuntimeError(where, f"va_arg() of {t}, which a variadic argument never is (promoted to int): gcc "
                                   "builds a trap there")
    narrow = isinstance(v, NarrowInt)
    if isinstance(t, Int) and isinstance(v, int) and narrow == (t.bits == 32):
        return t.wrap(int(v))
    if isinstance(t, Ptr) and not isinstance(v, int):
        if isinstance(v, list):  # a char array the call passed, decayed to a pointer to its first byte
            return ElemPtr(v, 0, CHAR, "(array)")
        return v
    passed = "a 32-bit integer" if narrow else "a 64-bit integer" if isinstance(v, int) else "a pointer"
    raise CRuntimeError(where, f"va_arg() of {t} where the call passed {passed}: undefined (C11 7.16.1.1p2)")


Handler = Callable[[CompilerHooks, list[c_ast.Node], Scope, str], tuple[Fn, CType]]  # as models.builtins's
COMPILE_TIME: dict[str, Handler] = {"__builtin_va_start": _va_start, "__builtin_va_end": _va_end,
                                    "__builtin_va_copy": _va_copy, "__builtin_va_arg": _va_arg}


def _vprintk(m: Machine, args: list[Any], where: str) -> int:
    return printk(m, [args[0], *va_arguments(args[1], where, "vprintk()")], where)


def _vsnprintf(scn: bool) -> Impl:
    impl = sprintf.scnprintf if scn else sprintf.snprintf
    return lambda m, a, w: impl(m, [*a[:3], *va_arguments(a[3], w, "vscnprintf()" if scn else "vsnprintf()")], w)


# kernel/printk/printk.c vprintk(), lib/vsprintf.c vsnprintf() and vscnprintf(): printk(), snprintf() and scnprintf()
# of the arguments the va_list holds.
PRIMITIVES: dict[str, Primitive] = {
    "vprintk": Primitive(_vprintk, INT, "printk() of the arguments the va_list holds (models.varargs)"),
    "vsnprintf": Primitive(_vsnprintf(False), INT, "snprintf() of the va_list's arguments (models.varargs)"),
    "vscnprintf": Primitive(_vsnprintf(True), INT, "scnprintf() of the va_list's arguments (models.varargs)"),
}
