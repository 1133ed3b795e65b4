"""Results worked out from the same objects again and again, kept by the objects' identity for the process.

Variants, patches and revisions are frozen but costly to hash (and a FileState compares without its lines),
so what is derived from them is kept by ``id``; each entry holds its objects, so that an id is never reused
while the entry lives. Bounded: past MAX_ENTRIES the table starts again.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_
from typing import Any, TypeVar, cast

T = TypeVar("T")
MAX_ENTRIES = 4096
_KEPT: dict[tuple[object, ...], tuple[tuple[object, ...], Any]] = {}


def by_identity(kind: str, objs: tuple[object, ...], extra: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()``, worked out once per ``kind``, identity of each of ``objs`` and value of ``extra``."""
    key = (kind, *map(id, objs), *extra)
    kept = _KEPT.get(key)
    if kept is not None and len(kept[0]) == len(objs) and all(map(is_, kept[0], objs)):  # C loop: a hot path
        return cast(T, kept[1])
    if len(_KEPT) >= MAX_ENTRIES:
        _KEPT.clear()
    value = make()
    _KEPT[key] = (objs, value)
    return value
