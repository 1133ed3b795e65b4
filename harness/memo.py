"""Results worked out from the same objects again and again, kept by the objects' identity for the process.

Variants, patches and revisions are frozen but costly to hash (and a FileState compares without its lines),
so what is derived from them is kept by ``id``; each entry holds its objects, so that an id is never reused
while the entry lives. Bounded: past MAX_ENTRIES the table starts again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import is_
from typing import Any, TypeVar, cast, overload

T = TypeVar("T")
MAX_ENTRIES = 4096
Table = dict[tuple[object, ...], tuple[tuple[object, ...], Any]]  # (kind, ids, extra) -> (the objects, the value)
_KEPT: Table = {}


def by_identity(kind: str, objs: tuple[object, ...], extra: tuple[object, ...], make: Callable[[], T],
                table: Table | None = None) -> T:
    """``make()``, worked out once per ``kind``, identity of each of ``objs`` and value of ``extra``; kept in
    ``table`` when given (a kind with an entry per reply or line, which would fill the shared table and start it
    again, losing every other kind's entries, for each variant of a long thread), else in the process' own."""
    kept_in = _KEPT if table is None else table
    key = (kind, *map(id, objs), *extra)
    kept = kept_in.get(key)
    if kept is not None and len(kept[0]) == len(objs) and all(map(is_, kept[0], objs)):  # C loop: a hot path
        return cast(T, kept[1])
    if len(kept_in) >= MAX_ENTRIES:
        kept_in.clear()
    value = make()
    kept_in[key] = (objs, value)
    return value


def known(kind: str, objs: tuple[object, ...], extra: tuple[object, ...]) -> tuple[bool, Any]:
    """(True, the value) where by_identity keeps one for ``kind``, ``objs`` and ``extra`` in the process' own table;
    (False, None) where it keeps none (never made here, or the table started again): nothing is made."""
    kept = _KEPT.get((kind, *map(id, objs), *extra))
    if kept is not None and len(kept[0]) == len(objs) and all(map(is_, kept[0], objs)):
        return True, kept[1]
    return False, None


Buckets = dict[tuple[object, ...], list[tuple[tuple[object, ...], Any]]]  # value key -> [(the objects, the value)]
MAX_BUCKET = 64


def among(key: tuple[object, ...], objs: tuple[object, ...], make: Callable[[], T], table: Buckets) -> T:
    """``make()``, worked out once per identity of each of ``objs`` (a tuple of any length, of objects of any class)
    and value of ``key``, which the caller derives from ``objs`` (a kind and their names, say) to keep apart what
    cannot be the same: the entries under one key are scanned, object by object with ``is`` (a C loop). No ``id()``:
    CPython raises the audit event ``builtins.id`` on each call, which the run recording's Python hook reads
    (harness.auditlog, ~3,300 instructions), a cost by_identity pays per object. For keys few distinct ``objs``
    share (a bucket holds MAX_BUCKET entries, then starts again; the table MAX_ENTRIES keys)."""
    bucket = table.get(key)
    if bucket is None:
        if len(table) >= MAX_ENTRIES:
            table.clear()
        bucket = table[key] = []
    n = len(objs)
    for kept, value in bucket:
        if len(kept) == n and all(map(is_, kept, objs)):
            return cast(T, value)
    if len(bucket) >= MAX_BUCKET:
        bucket.clear()
    value = make()
    bucket.append((objs, value))
    return value


class Watched(Sequence[T]):
    """``items``, noting whether any of them was read (``read``: by index, length, iteration or ``in``; every other
    Sequence method goes through those): what is made from a Watched never read does not depend on its items, so it
    can be kept for any (harness.replyobjections._one)."""

    __slots__ = ("_items", "read")

    def __init__(self, items: Sequence[T]) -> None:
        self._items, self.read = items, False

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...

    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        self.read = True
        return self._items[i]

    def __len__(self) -> int:
        self.read = True
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        self.read = True
        return iter(self._items)

    def __contains__(self, x: object) -> bool:
        self.read = True
        return x in self._items
