"""gcc's ``, ## __VA_ARGS__``: when the comma before an empty variable argument goes, and when it stays."""

# libcpp (collect_args) removes the comma only where the variable argument is left out entirely (``f(a)`` of
# ``F(x, ...)``), or, for a macro whose only parameter is the variable one, where that argument is empty (``G()``,
# ``G( )``: -std=gnu11, as the kernel builds; a standard mode keeps it). An argument given but empty keeps it:
# ``F(a,)`` is ``f(7,)``, which gcc refuses to build. pcpp removes it wherever the argument has no token at all, so
# it read ``F(a,)`` as ``f(7)`` and ``G( )`` as ``h(7, )``.

from __future__ import annotations

from typing import Any


def comma_args(macro: Any, args: list[Any], given: int, spaces: tuple[str, ...]) -> tuple[list[Any], bool]:
    """The arguments pcpp substitutes, and whether its comma patch (``macro.var_comma_patch``) is to run:
    ``given`` is how many arguments the invocation had (collect_args), ``spaces`` pcpp's white-space token types."""
    if not (macro.variadic and macro.var_comma_patch and args):
        return args, True
    left_out = given == len(macro.arglist) - 1
    empty = all(t.type in spaces for t in args[-1])
    if left_out or (len(macro.arglist) == 1 and empty):
        return [*args[:-1], []], True
    return args, False
