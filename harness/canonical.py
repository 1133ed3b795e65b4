"""canonical_text: the whole value of an object as text that is the same in every process, for cache keys."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable
from enum import Enum
from operator import attrgetter
from pathlib import PurePath
from typing import Any

_PLAIN = frozenset({str, int, bool, float, type(None), bytes})
# A dataclass object's text is joined and kept for a second meeting (_Writer.made) only while it is small: the text of
# every object of a deep value kept whole, each holding its parts' again, took some eight copies of a big diff's
# lines (a 900,000-line hunk: 1 GB more for eval's keys). A bigger one's parts stay in the writer as they were put.
_JOIN_PIECES = 256
_JOIN_CHARS = 1 << 16
_FLUSH_PIECES = 2048  # pieces a digest holds before it hashes them
_MADE_MAX = 1 << 16  # texts kept for a second meeting (the corpus' eval keeps some 3,000)


class NotCanonical(TypeError):
    """An object of a kind canonical_text does not know: whatever a key would be made of it may not be whole."""


class _Writer:
    """Where the text goes: ``parts`` in order; a digest's are hashed and dropped (``base`` counts those)."""

    def __init__(self, hasher: Any = None, by_digest: frozenset[type] = frozenset()) -> None:
        self.parts: list[str] = []
        self.put = self.parts.append
        self.base = 0
        self.hasher = hasher
        self.limit = _FLUSH_PIECES if hasher is not None else sys.maxsize  # a text is joined whole at its end
        # The text of each dataclass object joined, by identity (the object held with it, so its id is no other's).
        self.made: dict[int, tuple[object, str]] = {}
        self.by_digest = by_digest  # dataclasses written as their own digest (canonical_digest's by_digest)

    def flush(self) -> None:
        if len(self.parts) > self.limit:
            self.hasher.update("".join(self.parts).encode("utf-8", "surrogateescape"))
            self.base += len(self.parts)
            self.parts.clear()


def canonical_text(obj: object) -> str:
    """Every field of every dataclass reached from ``obj``, every item of its containers, recursively.

    repr() is no key: a set's order follows string hashes, which differ per process (PYTHONHASHSEED), and a
    field may leave itself out of it (repr=False). Here sets are sorted, every field is written, and a str subclass
    is written with its class and attributes. The text is the value's alone: an object met twice is written twice
    (a small one's text made once). Raises NotCanonical for anything else (a function, a lock): its value is not
    known here.
    """
    w = _Writer()
    _walk(obj, w)
    return "".join(w.parts)


def canonical_digest(obj: object, *, by_digest: tuple[type, ...] = ()) -> str:
    """BLAKE2b (32 bytes, 64 hex digits) of canonical_text(obj) as UTF-8 (surrogates escaped), hashed as it is
    written: never held whole. A key's, never shown: CPython's _blake2 hashes 4x faster than the builtin sha256 the
    command line has (harness.launch.builtin_hashes).

    ``by_digest``: dataclasses (exact classes) whose objects are written in that text as ``#`` and their class and
    their own canonical_digest instead, worked out once per object of the value, for a value that holds the same big
    object many times (eval's comparisons' key: the variants share the states of the files they leave alone, some
    350 KB of its 1 MB of text). The digest is then not canonical_text's, but tells values apart as well: no other
    text starts with ``#``, and two objects whose texts differ have other digests."""
    w = _Writer(hashlib.blake2b(digest_size=32), frozenset(by_digest))
    _walk(obj, w)
    w.hasher.update("".join(w.parts).encode("utf-8", "surrogateescape"))
    return str(w.hasher.hexdigest())


_FIELDS: dict[type, tuple[str, ...]] = {}  # each dataclass's field names (dataclasses.fields is slow)
# Per dataclass, its fields' values as one tuple (one C call) and the start of its text: a record whose every field is
# plain or an enum member (a hunk's line) is written in one piece (_flat), without a call per field.
_GETTERS: dict[type, tuple[Callable[[object], tuple[object, ...]], str]] = {}


def _walk(o: object, w: _Writer) -> None:
    t, put = type(o), w.put
    if t in _PLAIN:
        put(repr(o))
    elif t is tuple or t is list:
        parts, limit = w.parts, w.limit
        put("(" if t is tuple else "[")
        for x in o:  # type: ignore[attr-defined]
            if type(x) in _PLAIN:  # written here: a call per item was about a third of the text's instructions
                put(repr(x))
            else:
                _walk(x, w)
            put(",")
            if len(parts) > limit:
                w.flush()
        put(")")
    elif t is dict:
        parts, limit = w.parts, w.limit
        put("{")
        for k, v in o.items():  # type: ignore[attr-defined]
            if type(k) in _PLAIN:
                put(repr(k))
            else:
                _walk(k, w)
            put(":")
            if type(v) in _PLAIN:
                put(repr(v))
            else:
                _walk(v, w)
            put(",")
            if len(parts) > limit:
                w.flush()
        put("}")
    elif t is set or t is frozenset:
        put("{" + ",".join(sorted(canonical_text(x) for x in o)) + "}")  # type: ignore[attr-defined]
    elif t in _FIELDS:  # a dataclass met before (_other put it there): without _other's checks of its kind
        _record(o, t, _FIELDS[t], w)
    else:
        _other(o, w)


def _other(o: object, w: _Writer) -> None:
    t, put = type(o), w.put
    if isinstance(o, Enum):
        put(_enum(o, w))
    elif isinstance(o, PurePath):
        put(f"{t.__module__}.{t.__qualname__}:{o!r}")
    elif isinstance(o, str):
        put(f"{t.__module__}.{t.__qualname__}:{str.__repr__(o)}")
        _walk(dict(sorted(vars(o).items())) if hasattr(o, "__dict__") else None, w)
    elif dataclasses.is_dataclass(o) and not isinstance(o, type):
        names = _FIELDS.get(t)
        if names is None:
            names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(o))
        _record(o, t, names, w)
    else:
        raise NotCanonical(f"{t.__module__}.{t.__qualname__}")


def _flat(o: object, t: type, names: tuple[str, ...], w: _Writer) -> str | None:
    """The text _record writes of ``o`` when its every field is plain or an enum member, made at once: a
    200,000-line hunk's lines were 1.4 s of an eval's 8.9 s of CPU (its comparisons' key) field by field, and each
    was kept for a second meeting (``w.made``) that never comes. None for any other (written field by field)."""
    made = _GETTERS.get(t)
    if made is None:
        getter = attrgetter(*names) if len(names) > 1 else (lambda x: tuple(getattr(x, n) for n in names))
        made = _GETTERS[t] = (getter, f"{t.__module__}.{t.__qualname__}(")
    values = made[0](o)
    texts = []
    for x in values:
        if type(x) in _PLAIN:
            texts.append(repr(x))
        elif isinstance(x, Enum):
            texts.append(_enum(x, w))
        else:
            return None
    return f"{made[1]}{''.join(f'{x},' for x in texts)})"


def _enum(o: Enum, w: _Writer) -> str:
    """An enum member's text (few members, met often: a hunk line's kind), made once (``made``)."""
    kept = w.made.get(id(o))
    if kept is None or kept[0] is not o:
        t = type(o)
        kept = w.made[id(o)] = (o, f"{t.__module__}.{t.__qualname__}:{o!r}")
    return kept[1]


def _record(o: object, t: type, names: tuple[str, ...], w: _Writer) -> None:
    """A dataclass object's text: its class and every field; a small one's joined and kept (``w.made``)."""
    if t not in w.by_digest and (flat := _flat(o, t, names, w)) is not None:
        w.put(flat)
        if len(w.parts) > w.limit:
            w.flush()
        return
    kept = w.made.get(id(o))
    if kept is not None and kept[0] is o:
        w.put(kept[1])
        return
    if t in w.by_digest:  # its own digest, kept by identity as a small object's text is (the object held with it)
        text = f"#{t.__module__}.{t.__qualname__}:{canonical_digest(o)}"
        if len(w.made) < _MADE_MAX:
            w.made[id(o)] = (o, text)
        w.put(text)
        return
    parts, put = w.parts, w.put
    start = w.base + len(parts)
    put(f"{t.__module__}.{t.__qualname__}(")
    for name in names:
        x = getattr(o, name)
        if type(x) in _PLAIN:
            put(repr(x))
        else:
            _walk(x, w)
        put(",")
    put(")")
    at = start - w.base
    if at >= 0 and len(parts) - at <= _JOIN_PIECES and len(text := "".join(parts[at:])) <= _JOIN_CHARS:
        del parts[at:]
        put(text)
        if len(w.made) < _MADE_MAX:
            w.made[id(o)] = (o, text)
    elif len(parts) > w.limit:
        w.flush()
