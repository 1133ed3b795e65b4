"""Unions as gcc lays them out on x86-64: every member at offset 0, the integer members sharing little-endian bytes.

A union object is a StructObj holding a value for each member, kept coherent on every write: writing an
integer member sets its bytes and every other integer member is read back from them (``u.full = r; u.lo``
is the low 32 bits of ``r``; ``u.b = 0xff; u.sb`` is -1), as gcc, which allows type punning through unions
(gcc manual, "-fstrict-aliasing"), computes it. Bytes never written are unset (reading them is the C read of
an indeterminate value); bytes of a member whose representation the mirror does not model (a struct, an
array, a pointer), or past the member an initializer sets (C11 6.7.9p10 leaves them unspecified), make every
member that overlaps them ``Unknown``: a read of it is refused, never guessed.
"""

from __future__ import annotations

from typing import Any

from models.ctype import Int, Struct, sizeof
from models.machine import StructObj
from models.values import UNINIT, Unknown


def _state(o: StructObj, t: Struct) -> tuple[int, int, bool]:
    """(bytes as an integer, how many are known from offset 0, whether those past them are not modelled)."""
    if o.union_bytes is not None:
        return o.union_bytes
    # Never written since made: every member zero (static storage, memset) or every one unset.
    first = next((o.get(name) for name, ft in t.fields if isinstance(ft, Int)), UNINIT)
    return (0, sizeof(t), False) if isinstance(first, int) else (0, 0, False)


def _spread(o: StructObj, t: Struct, written: str, state: tuple[int, int, bool]) -> None:
    """Every member's value from the union's bytes after ``written`` was written."""
    raw, known, opaque = state
    o.union_bytes = state
    for name, ft in t.fields:
        if not isinstance(ft, Int):
            o[name] = Unknown(f"'{written}' was written last and the bytes of {ft} are not modelled")
            continue
        width = sizeof(ft)
        bits = raw & ((1 << 8 * width) - 1)
        if width > known:
            o[name] = Unknown(f"its bytes past '{written}' are not modelled") if opaque else UNINIT
        elif ft.rank == 0 and bits > 1:
            o[name] = Unknown(f"a _Bool holding the byte {bits:#x} (not 0 or 1) has no defined value")
        else:
            o[name] = ft.wrap(bits)


def write_member(o: StructObj, t: Struct, field: str, ft: Any, v: Any) -> None:
    """``u.field = v`` (``v`` already of the member's type): the other members see the bytes it leaves."""
    if not isinstance(ft, Int):
        touch_member(o, t, field)
        o[field] = v
        return
    raw, known, opaque = _state(o, t)
    mask = (1 << 8 * sizeof(ft)) - 1
    _spread(o, t, field, ((raw & ~mask) | (v & mask), max(known, sizeof(ft)), opaque))


def touch_member(o: StructObj, t: Struct, field: str) -> None:
    """A member whose bytes the mirror does not model is read, written or changed in place (``u.s.x = 1``):
    from now on every other member's value is not known."""
    for name, _ in t.fields:
        if name != field:
            o[name] = Unknown(f"'{field}' was used last and its bytes are not modelled")
    o.union_bytes = (0, 0, True)


def initialized(o: StructObj, t: Struct, field: str, ft: Any, v: Any) -> StructObj:
    """A union after ``= { .field = v }``: that member set, the bytes past it unspecified (C11 6.7.9p10)."""
    if not isinstance(ft, Int):
        touch_member(o, t, field)
        o[field] = v
        return o
    _spread(o, t, field, (v & ((1 << 8 * sizeof(ft)) - 1), sizeof(ft), True))
    return o
