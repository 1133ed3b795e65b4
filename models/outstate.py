"""What a run leaves in an out-parameter's object: the caller's object, read only where the run stored it first."""

from __future__ import annotations

from typing import Any

from models import unions
from models.ctype import CType, Struct, is_anonymous
from models.errors import UnstoredRead
from models.outparams import out_label
from models.statetext import state_text
from models.values import Fn, Frame, Unknown


def caller_object_why(name: str) -> str:
    """Why a read of an out-parameter's object before the run stored it is refused: the value is the caller's (a
    zeroed local for some callers, the input of an in/out parameter for others), so no value stands for it."""
    return (f"{out_label(name)} is read before the code stores it: an in/out parameter, whose value there the "
            "caller decides (not known)")


def caller_object(slot: str, t: CType, name: str, where: str) -> Fn:
    """The getter of an out-parameter's object (models.outparams): a struct, made at its first use with every scalar
    unknown (a read of one the run has not stored is refused, models.values.read_var); a scalar, refused where read
    before the run stores it. What the run stores is read back, and the outcome's state shows it."""
    why = caller_object_why(name)
    if isinstance(t, Struct):
        def get_struct(f: Frame) -> Any:
            g = f.m.globals
            if slot not in g:
                g[slot] = unions.opaque(t, Unknown(why, plain=True))
                f.m.initial[slot] = (unions.opaque(t, Unknown(why, plain=True)), t, name)
            return g[slot]
        return get_struct

    def get(f: Frame) -> Any:
        if slot not in f.m.globals:
            raise UnstoredRead(where, why)
        return f.m.globals[slot]
    return get


def caller_object_stored(f: Frame, slot: str, t: CType, name: str) -> None:
    """Before the run's first store to a scalar out-parameter's object: its value before is the caller's, unknown."""
    f.m.initial[slot] = (Unknown(caller_object_why(name), plain=True), t, name)


def out_members(label: str, then: Any, now: Any, t: CType, names: dict[int, str],
                hidden: frozenset[str]) -> list[tuple[str, str]]:
    """A struct out-parameter's members the run stored, as state: ``*(parameter 1).field`` (a nested struct's
    ``.outer.inner``, an anonymous member's own name); none of what it left as the caller had it."""
    if not isinstance(t, Struct) or not isinstance(now, dict) or not isinstance(then, dict):
        text = state_text(now, t, names, hidden=hidden)
        return [] if text == state_text(then, t, names, hidden=hidden) else [(label, text)]
    out: list[tuple[str, str]] = []
    for field, ft in t.fields:
        at = label if is_anonymous(field) else f"{label}.{field}"
        out += out_members(at, then.get(field), now.get(field), ft, names, hidden)
    return out
