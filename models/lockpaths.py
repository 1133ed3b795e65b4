"""The locks a file-scope or static object is or holds, by C path (``dev.lock``), and the steps to each one."""

from __future__ import annotations

from typing import Any

from models.ctype import Array, CType, Struct, is_anonymous
from models.machine import StructObj

# The struct tags of lock objects (the prelude's struct mutex, spinlock_t and raw_spinlock_t): a file-scope one
# is that lock however a pointer to it is named (models.statements lock labels).
LOCK_TAGS = frozenset({"mutex", "__sh_spinlock", "__sh_raw_spinlock"})
MAX_LOCK_PATHS = 64  # per file-scope object: the locks inside it named by their C path (more: by their text)
LockPath = tuple[str, tuple[str | int, ...]]


def lock_paths(name: str, t: CType) -> list[LockPath]:
    """The locks a file-scope object ``name`` of type ``t`` is or holds, each by its C path (``tdx_lock``,
    ``dev.lock``, ``devs[1].lock``) and the steps that reach it (member names, element indices): a lock is named
    so however a pointer reaches it. None past MAX_LOCK_PATHS, nor in a union or an anonymous member."""
    out: list[LockPath] = []

    def walk(t: CType, path: str, steps: tuple[str | int, ...]) -> None:
        if len(out) > MAX_LOCK_PATHS or not _holds_lock(t):
            return
        if isinstance(t, Struct) and t.tag in LOCK_TAGS:
            out.append((path, steps))
        elif isinstance(t, Struct):
            for n, ft in t.fields:
                if not is_anonymous(n):
                    walk(ft, f"{path}.{n}", (*steps, n))
        elif isinstance(t, Array):
            for i in range(t.length or 0):
                walk(t.elem, f"{path}[{i}]", (*steps, i))

    walk(t, name, ())
    return out if len(out) <= MAX_LOCK_PATHS else []


def _holds_lock(t: CType) -> bool:
    if isinstance(t, Array):
        return _holds_lock(t.elem)
    if not isinstance(t, Struct) or t.union:
        return False
    return t.tag in LOCK_TAGS or any(_holds_lock(ft) for n, ft in t.fields if not is_anonymous(n))


def follow(value: Any, steps: tuple[str | int, ...]) -> Any:
    """The object ``steps`` (lock_paths()) reach from a file-scope object's value, or None."""
    for step in steps:
        if isinstance(step, int) and isinstance(value, list) and step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, StructObj):
            value = value.get(step)
        else:
            return None
    return value
