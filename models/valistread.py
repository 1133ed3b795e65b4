"""What a running va_list holds: its __va_list_tag, the arguments va_arg() has not taken (models.varargs, %pV)."""

# A variadic function's arguments past its parameters are kept on its frame after the default argument promotions
# (models.statements); va_start() hands them to the va_list's one __va_list_tag with how many va_arg() took
# (models.valist.VA_KEY). Read here by the functions taking a va_list (models.varargs) and by lib/vsprintf.c's
# va_format() (%pV of a struct va_format: models.printkargs).

from __future__ import annotations

from typing import Any

from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import ElemPtr, Ref, StructObj
from models.valist import VA_KEY

# An argument of a variadic call the mirror could not pass as the kernel passes it (a 128-bit integer, an array
# of neither chars nor structs): the reason, raised where a function taking the va_list reads it.
Unpassed = UnsupportedConstruct


def va_tag(v: Any, where: str) -> StructObj:
    """The __va_list_tag a va_list names: the array's one element, or the one a va_list parameter points at
    (UnsupportedConstruct for another value)."""
    if isinstance(v, ElemPtr) and v.index == 0:
        v = v.elems[0]
    elif isinstance(v, list) and len(v) == 1:
        v = v[0]
    if not isinstance(v, StructObj):
        raise UnsupportedConstruct(where, "a va_list that is not a va_list object the code declares")
    return v


def va_state(ap: Any, where: str, who: str) -> tuple[tuple[Any, ...], int]:
    """What a va_list holds: the arguments past the variadic function's parameters and how many va_arg() took;
    va_start() not run on it (or va_end() run since) is undefined (C11 7.16.1p3): CRuntimeError."""
    state = va_tag(ap, where).get(VA_KEY)
    if state is None:
        raise CRuntimeError(where, f"{who} of a va_list that va_start() did not initialize (or va_end() ended)")
    return state  # type: ignore[no-any-return]


def va_arguments(ap: Any, where: str, who: str) -> list[Any]:
    """The arguments a va_list holds that va_arg() has not taken, each as the variadic call passed it; an argument
    the mirror could not pass is refused here (UnsupportedConstruct)."""
    extras, pos = va_state(ap, where, who)
    extras = extras[pos:]
    for v in extras:
        if isinstance(v, Unpassed):
            raise UnsupportedConstruct(where, f"{who} reads an argument the mirror does not pass ({v})")
    return list(extras)


def va_format_parts(v: Any, where: str) -> tuple[Any, list[Any]] | None:
    """A struct va_format (include/linux/printk.h) a %pV argument points at: its ``fmt`` member's value and the
    arguments ``*va`` holds, as lib/vsprintf.c va_format() reads them (a va_copy() of the list: what the wrapper's
    va_list holds at the print); None for another value. A member not set, or a va_list not running, raises
    (UnsupportedConstruct, CRuntimeError)."""
    t = getattr(v, "ctype", None)
    if not isinstance(v, StructObj) or getattr(t, "tag", None) != "va_format" or getattr(t, "union", True):
        return None
    va = v.get("va")
    if isinstance(va, Ref):
        va = va.get()
    elif not isinstance(va, ElemPtr):
        raise UnsupportedConstruct(where, "%pV of a struct va_format whose va is not the address of a va_list")
    return v.get("fmt"), va_arguments(va, where, "%pV")
