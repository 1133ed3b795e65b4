"""va_start(), va_end(), va_copy() and the functions taking a va_list (vprintk(), vsnprintf()) in the mirror.

A variadic function's arguments past its parameters are kept on its frame after the default argument promotions
(C11 6.5.2.2p7; models.statements); va_start() hands them to the va_list, whose one __va_list_tag holds them
(models.valist.VA_KEY), and a function taking the va_list reads them as if they were passed to it. va_arg() takes
a type, which the C parser does not read as an argument: code using it is not parsed, and its runs are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models import sprintf
from models.ctype import INT, VOID, CType
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.machine import ElemPtr, Machine, StructObj
from models.primitive import Impl, Primitive
from models.printkstore import printk
from models.valist import VA_KEY, VA_SLOT
from models.values import Fn, Frame, Scope

# An argument of a variadic call the mirror could not pass as the kernel passes it (a 128-bit integer, an array
# of neither chars nor structs): the reason, raised where a function taking the va_list reads it.
Unpassed = UnsupportedConstruct


def _tag(v: Any, where: str) -> StructObj:
    """The __va_list_tag a va_list names: the array's one element, or the one a va_list parameter points at."""
    if isinstance(v, ElemPtr) and v.index == 0:
        v = v.elems[0]
    elif isinstance(v, list) and len(v) == 1:
        v = v[0]
    if not isinstance(v, StructObj):
        raise UnsupportedConstruct(where, "a va_list that is not a va_list object the code declares")
    return v


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
        _tag(ap(f), where)[VA_KEY] = f.v[VA_SLOT]
    return run, VOID


def _va_end(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_end(ap): ap holds no arguments any more (C11 7.16.1.3: using it again needs va_start())."""
    (ap,) = _va_list_arg("__builtin_va_end", c, args, 1, scope, where)

    def run(f: Frame) -> None:
        _tag(ap(f), where)[VA_KEY] = None
    return run, VOID


def _va_copy(c: CompilerHooks, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
    """__builtin_va_copy(dest, src): dest holds the arguments src holds (C11 7.16.1.2)."""
    dest, src = _va_list_arg("__builtin_va_copy", c, args, 2, scope, where)

    def run(f: Frame) -> None:
        _tag(dest(f), where)[VA_KEY] = _arguments(src(f), where, "va_copy()")
    return run, VOID


Handler = Callable[[CompilerHooks, list[c_ast.Node], Scope, str], tuple[Fn, CType]]  # as models.builtins's
COMPILE_TIME: dict[str, Handler] = {"__builtin_va_start": _va_start, "__builtin_va_end": _va_end,
                                    "__builtin_va_copy": _va_copy}


def _arguments(ap: Any, where: str, who: str) -> list[Any]:
    """The arguments a va_list holds, each as the variadic call passed it; va_start() not run on it (or va_end()
    run since) is undefined (C11 7.16.1p3), an argument the mirror could not pass is refused here."""
    extras = _tag(ap, where).get(VA_KEY)
    if extras is None:
        raise CRuntimeError(where, f"{who} of a va_list that va_start() did not initialize (or va_end() ended)")
    for v in extras:
        if isinstance(v, Unpassed):
            raise UnsupportedConstruct(where, f"{who} reads an argument the mirror does not pass ({v})")
    return list(extras)


def _vprintk(m: Machine, args: list[Any], where: str) -> int:
    return printk(m, [args[0], *_arguments(args[1], where, "vprintk()")], where)


def _vsnprintf(scn: bool) -> Impl:
    impl = sprintf.scnprintf if scn else sprintf.snprintf
    return lambda m, a, w: impl(m, [*a[:3], *_arguments(a[3], w, "vscnprintf()" if scn else "vsnprintf()")], w)


# kernel/printk/printk.c vprintk(), lib/vsprintf.c vsnprintf() and vscnprintf(): printk(), snprintf() and scnprintf()
# of the arguments the va_list holds.
PRIMITIVES: dict[str, Primitive] = {
    "vprintk": Primitive(_vprintk, INT, "printk() of the arguments the va_list holds (models.varargs)"),
    "vsnprintf": Primitive(_vsnprintf(False), INT, "snprintf() of the va_list's arguments (models.varargs)"),
    "vscnprintf": Primitive(_vsnprintf(True), INT, "scnprintf() of the va_list's arguments (models.varargs)"),
}
