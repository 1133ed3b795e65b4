"""What an outcome's ``state`` shows of file-scope and static objects: snapshots, names of objects, their text."""

from __future__ import annotations

from typing import Any

from models.ctype import VOID, Array, CType, Ptr, Struct, is_anonymous
from models.machine import AddrPtr, ElemPtr, Ref, StructObj, StrVal, UnsizedArray
from models.values import UNINIT, Unknown

# arch/x86/include/uapi/asm/processor-flags.h: bit 1 of EFLAGS is always set; a save keeps it and X86_EFLAGS_IF
# (models.locking.saved_flags()), the one bit a run knows. Any other value (an initializer's) is shown as it is.
X86_EFLAGS_FIXED = 0x2
X86_EFLAGS_IF = 0x200
FLAGS_TEXT = "<saved EFLAGS image, X86_EFLAGS_IF {}>"


def state_snapshot(v: Any, t: CType) -> Any:
    """A file-scope or static variable's value as it is now, for the outcome's ``state``: objects copied,
    pointers kept as the very objects they point to (their identity is what a pointer's value is)."""
    if isinstance(t, Struct) and isinstance(v, StructObj):
        types = dict(t.fields)
        return StructObj(v.ctype, {k: state_snapshot(x, types.get(k, VOID)) for k, x in v.items()})
    if isinstance(t, Array) and isinstance(v, list):
        return [state_snapshot(x, t.elem) for x in v]
    return v


def object_names(objects: list[tuple[str, Any, CType]]) -> dict[int, str]:
    """What each named object and its struct members and array elements are called (``g``, ``g[1]``,
    ``g.m``), by object identity: how a pointer's value is shown in an outcome's ``state``. Only objects of
    struct or array type are named: a pointer's value is the object it points to, not one of its own."""
    names: dict[int, str] = {}
    todo = list(objects)
    while todo:
        label, v, t = todo.pop()
        if id(v) in names or label.count(".") + label.count("[") >= 3:
            continue
        if isinstance(t, Struct) and isinstance(v, StructObj):
            names[id(v)] = label
            types = dict(t.fields)
            todo.extend((f"{label}.{k}", x, types.get(k, VOID)) for k, x in v.items())
        elif isinstance(t, Array) and isinstance(v, list):
            names[id(v)] = label
            todo.extend((f"{label}[{i}]", x, t.elem) for i, x in enumerate(v))
    return names


def state_text(v: Any, t: CType, names: dict[int, str], depth: int = 0, hidden: frozenset[str] = frozenset()) -> str:
    """A value of type ``t`` as an outcome's ``state`` shows it: integers in decimal, structs as
    ``{.a = 1, .b = 2}``, arrays as ``{1, 2}``, a pointer as the object it points to (``&g_ps[1]``, from
    ``names``: object_names), NULL or a function's name; never an address, so that the text is the same
    in every run and process. A struct member named in ``hidden`` (models.guardflags.guard_members(): one only
    saved flags are kept in) that a save wrote shows as FLAGS_TEXT, the one bit a run knows of the image."""
    if isinstance(t, Ptr):
        if v is None:
            return "NULL"
        if isinstance(v, Ref):
            return f"&{v.label}"
        if isinstance(v, AddrPtr):
            return f"{v.address:#x}"
        if isinstance(v, StrVal):
            return '"' + v.data.decode("utf-8", "backslashreplace") + '"'
        if isinstance(v, UnsizedArray):  # an extern array without a length: named, as its elements are not known
            return f"&{v.label}[0]"
        if isinstance(v, ElemPtr) and isinstance(v.elems, UnsizedArray):
            return f"&{v.elems.label}[{v.index}]"
        if isinstance(v, StructObj | list):
            return f"&{names.get(id(v), '(unnamed object)')}"
        if isinstance(v, ElemPtr):
            return f"&{names.get(id(v.elems), '(unnamed array)')}[{v.index}]"
        name = getattr(v, "name", None)
        return name if isinstance(name, str) else f"<{type(v).__name__}>"
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    if v is UNINIT:
        return "<uninitialized>"
    if isinstance(v, Unknown):
        return "<not modelled>"
    if depth > 3:
        return "{...}"
    if isinstance(t, Struct) and isinstance(v, StructObj):
        return "{" + ", ".join(_members_text(v, t, names, depth, hidden)) + "}"
    if isinstance(t, Array) and isinstance(v, list):
        return "{" + ", ".join(state_text(x, t.elem, names, depth + 1, hidden) for x in v) + "}"
    return state_text(v, Ptr(VOID), names, depth)  # a value whose static type is not a pointer's: as one


def _members_text(v: StructObj, t: Struct, names: dict[int, str], depth: int, hidden: frozenset[str]) -> list[str]:
    """``.name = value`` per member; an anonymous struct or union member's own members in its place, as a
    designated initializer names them (C11 6.7.2.1p13); a ``hidden`` member a save wrote as FLAGS_TEXT."""
    types = dict(t.fields)
    out = []
    for k, x in v.items():
        ft = types.get(k, VOID)
        if is_anonymous(k) and isinstance(ft, Struct) and isinstance(x, StructObj) and depth <= 3:
            out.extend(_members_text(x, ft, names, depth + 1, hidden))
        elif k in hidden and isinstance(x, int) and x in (X86_EFLAGS_FIXED, X86_EFLAGS_FIXED | X86_EFLAGS_IF):
            out.append(f".{k} = " + FLAGS_TEXT.format("set" if x & X86_EFLAGS_IF else "clear"))
        else:
            out.append(f".{k} = {state_text(x, ft, names, depth + 1, hidden)}")
    return out
