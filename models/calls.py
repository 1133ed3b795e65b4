"""Call closures made for their number of arguments, and how primitives' arguments are passed.

A list comprehension is a function call of its own, so closures are made per arity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast, c_generator

from models.errors import UnsupportedConstruct
from models.machine import ElemPtr, Machine, element_struct
from models.primitive import Impl
from models.values import Fn, Frame

Invoke = Callable[[Machine, str, list[Any], str, str], Any]


def primitive_call(impl: Impl, fns: list[Fn], where: str, lazy: int | None = None) -> Fn:
    """``impl`` called with the machine, the arguments evaluated left to right, and ``where``; from index ``lazy`` on,
    the arguments come as one thunk evaluating them, which ``impl`` calls only where the kernel evaluates them."""
    if lazy is not None:
        return _lazy_call(impl, fns, where, lazy)
    if not fns:
        return lambda f: impl(f.m, [], where)
    if len(fns) == 1:
        a = fns[0]
        return lambda f: impl(f.m, [a(f)], where)
    if len(fns) == 2:
        a, b = fns
        return lambda f: impl(f.m, [a(f), b(f)], where)
    if len(fns) == 3:
        a, b, c = fns
        return lambda f: impl(f.m, [a(f), b(f), c(f)], where)
    return lambda f: impl(f.m, [a(f) for a in fns], where)


def wrapped_call(wrap: Callable[[Any], Any], impl: Impl, fns: list[Fn], where: str, lazy: int | None = None) -> Fn:
    """primitive_call(), its value passed through ``wrap`` (an integer return type's)."""
    if lazy is not None:
        run = _lazy_call(impl, fns, where, lazy)
        return lambda f: wrap(run(f))
    if not fns:
        return lambda f: wrap(impl(f.m, [], where))
    if len(fns) == 1:
        a = fns[0]
        return lambda f: wrap(impl(f.m, [a(f)], where))
    if len(fns) == 2:
        a, b = fns
        return lambda f: wrap(impl(f.m, [a(f), b(f)], where))
    if len(fns) == 3:
        a, b, c = fns
        return lambda f: wrap(impl(f.m, [a(f), b(f), c(f)], where))
    return lambda f: wrap(impl(f.m, [a(f) for a in fns], where))


def direct_call(invoke: Invoke, name: str, fns: list[Fn], where: str, site: str) -> Fn:
    """A call of the program's function ``name`` (Compiler.invoke), the arguments evaluated left to right; ``site``
    the call's ``file:line:column``."""
    if not fns:
        return lambda f: invoke(f.m, name, [], where, site)
    if len(fns) == 1:
        a = fns[0]
        return lambda f: invoke(f.m, name, [a(f)], where, site)
    if len(fns) == 2:
        a, b = fns
        return lambda f: invoke(f.m, name, [a(f), b(f)], where, site)
    if len(fns) == 3:
        a, b, c = fns
        return lambda f: invoke(f.m, name, [a(f), b(f), c(f)], where, site)
    return lambda f: invoke(f.m, name, [a(f) for a in fns], where, site)


def _lazy_call(impl: Impl, fns: list[Fn], where: str, lazy: int) -> Fn:
    """``impl`` with the arguments before ``lazy`` evaluated and, last, a thunk giving the list of the others: the
    printing macros evaluate their format's arguments only where they print (``WARN(cond, fmt, args)`` when cond
    holds, ``pr_err_once()`` the first time, ``pr_debug()`` never: ``no_printk()``'s ``if (0)``)."""
    eager, later = fns[:lazy], fns[lazy:]

    def run(f: Frame) -> Any:
        return impl(f.m, [*(a(f) for a in eager), lambda: [b(f) for b in later]], where)

    return run


def reads_strings(name: str) -> bool:
    """Whether a primitive reads a pointer into a char array as the string there (printk's %s, strlen()), or
    writes one (snprintf() and its kin, strscpy(): models.sprintf)."""
    return name.startswith(("pr_", "printk", "WARN")) or name in _STRING_FUNCTIONS


_STRING_FUNCTIONS = frozenset({"strlen", "strnlen", "strcmp", "strncmp", "snprintf", "scnprintf", "sprintf",
                               "sized_strscpy", "strchr", "vprintk", "vsnprintf", "vscnprintf", "__sh_dev_prefixed",
                               "kstrdup", "kstrndup", "kmemdup_nul"})


def no_element_pointer(fn: Fn, name: str, where: str) -> Fn:
    """A pointer argument of a kernel primitive, refused where it points into an array of scalars: the primitives
    take a struct or a scalar object (a lock, a register struct, an int); a struct element (``sa + 1``) is its
    struct."""
    def run(f: Frame) -> Any:
        v = element_struct(fn(f))
        if v.__class__ is ElemPtr:
            raise UnsupportedConstruct(where, f"a pointer into an array passed to {name}()")
        return v

    return run


def name_of(node: c_ast.Node) -> str | None:
    """The text naming a variable, a member or an element (``&dev.lock``, ``hits[2]``) as gcc's ``#`` spells it;
    None for any other expression."""
    if isinstance(node, c_ast.ID):
        return str(node.name)
    if isinstance(node, c_ast.UnaryOp) and node.op == "&":
        return name_of(node.expr)
    if isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        inner = name_of(node.name)
        if inner is None:
            return None
        if isinstance(node, c_ast.ArrayRef):  # its text without blanks, as sh_lock_name() has gcc's #l
            return inner + "[" + "".join(c_generator.CGenerator().visit(node.subscript).split()) + "]"
        return f"{inner}{node.type}{node.field.name}"
    return None


def text_of(node: c_ast.Node) -> str:
    """An argument's text without blanks (``h->locks+1``), as sh_lock_name() has gcc's ``#l``."""
    return "".join(c_generator.CGenerator().visit(node).split())


def element_address(node: c_ast.Node, is_array: Callable[[c_ast.Node], bool]) -> c_ast.Node:
    """``&a[i]`` of an array ``a`` as ``a + i``, the same pointer (C11 6.5.3.2p3), which steps within the array
    (models.ptrarith): a memory function's argument reaches the elements past it (``memset(&u.b[4], 0, 8)``); any
    other node as it is."""
    if isinstance(node, c_ast.UnaryOp) and node.op == "&" and isinstance(node.expr, c_ast.ArrayRef) \
            and is_array(node.expr.name):
        return c_ast.BinaryOp("+", node.expr.name, node.expr.subscript, node.coord)
    return node


def wide_argument(name: str, node: c_ast.Node, t: Any) -> str:
    """Why a 128-bit integer argument of a kernel primitive is refused: the printing functions are variadic and have
    no 128-bit conversion (lib/vsprintf.c: at most 'll', 64 bits), so what '%llx' reads of a 16-byte argument is
    undefined (C11 7.16.1.1p2: va_arg of a type not the one passed); the other primitives take at most 64 bits."""
    what = f"a 128-bit integer ('{text_of(node)}', {t}) passed to {name}()"
    if reads_strings(name):
        return (f"{what}: printk has no 128-bit conversion, and what '%llx' reads of it is undefined (pass "
                "(u64)(x >> 64) and (u64)x)")
    return f"{what}: its parameter is at most 64 bits, which the mirror does not convert it to"
