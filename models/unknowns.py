"""Values the mirror does not know (a union member's, an extern object's, a dead object's) and freed memory's."""

from __future__ import annotations

from typing import Any

from models.errors import CRuntimeError
from models.machine import StructObj


class Unknown:
    """A union member's value the mirror does not know: its bytes were written through another member of a
    type whose representation is not modelled (models.unions); ``plain``: a scalar of an object defined in a file the
    mirror does not have (models.storage: an extern struct or array). Reading it is refused, never guessed. ``dead``: an
    object whose lifetime ended (models.blocks: its block was left), which a pointer may still reach; reading it is
    undefined behaviour, a run-time error."""

    __slots__ = ("dead", "plain", "why", "written")

    def __init__(self, why: str, dead: bool = False, plain: bool = False, written: str = "") -> None:
        self.why = why
        self.dead = dead
        self.plain = plain  # not a union member's: an object defined where the mirror cannot see (models.storage)
        # what a store over it is, "" where a store is fine: kfree()'s memory (models.heap), which nothing brings back
        self.written = written

    def __repr__(self) -> str:
        return "<not modelled>"



def freed(old: Any) -> Unknown | None:
    """The value saying why ``old``, an object's value before a store (its first scalar, for a struct or an array),
    may not be written: memory kfree() freed (models.heap); None for any other."""
    while True:
        if old.__class__ is Unknown:
            return old if old.written else None
        if old.__class__ is StructObj and old:
            old = next(iter(old.values()))
        elif old.__class__ is list and old:
            old = old[0]
        else:
            return None


def store(old: Any, name: str, where: str) -> Any:
    """``old`` (object ``name``'s value before a store), refused where it is freed memory: KASAN's report of a
    write."""
    gone = freed(old)
    if gone is not None:
        raise CRuntimeError(where, f"'{name}' {gone.written}")
    return old


def whole(v: Any, name: str, where: str) -> Any:
    """A struct read whole (``q = *p``, ``return *p``, passed by value): refused, as a read of each of its bytes,
    where it is freed memory (KASAN reports the copy, not a later read of the copy's member)."""
    gone = freed(v)
    if gone is not None:
        raise CRuntimeError(where, f"'{name}' {gone.why}")
    return v
