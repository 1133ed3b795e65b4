"""canonical_text: the whole value of an object as text that is the same in every process, for cache keys."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from enum import Enum
from pathlib import PurePath

_PLAIN = frozenset({str, int, bool, float, type(None), bytes})


class NotCanonical(TypeError):
    """An object of a kind canonical_text does not know: whatever a key would be made of it may not be whole."""


def canonical_text(obj: object) -> str:
    """Every field of every dataclass reached from ``obj``, every item of its containers, recursively.

    repr() is no key: a set's order follows string hashes, which differ per process (PYTHONHASHSEED), and a
    field may leave itself out of it (repr=False). Here sets are sorted, every field is written, and a str subclass
    is written with its class and attributes. The text is the value's alone: an object met twice is written twice
    (its text made once). Raises NotCanonical for anything else (a function, a lock): its value is not known here.
    """
    out: list[str] = []
    _walk(obj, out.append, {})
    return "".join(out)


def canonical_digest(obj: object) -> str:
    return hashlib.sha256(canonical_text(obj).encode("utf-8", "surrogateescape")).hexdigest()


_FIELDS: dict[type, tuple[str, ...]] = {}  # each dataclass's field names (dataclasses.fields is slow)
# The text of each dataclass object written, by identity (the object held with it, so its id is no other's).
_Made = dict[int, tuple[object, str]]


def _walk(o: object, put: Callable[[str], None], made: _Made) -> None:
    t = type(o)
    if t in _PLAIN:
        put(repr(o))
    elif t is tuple or t is list:
        put("(" if t is tuple else "[")
        for x in o:  # type: ignore[attr-defined]
            if type(x) in _PLAIN:  # written here: a call per item was about a third of the text's instructions
                put(repr(x))
            else:
                _walk(x, put, made)
            put(",")
        put(")")
    elif t is dict:
        put("{")
        for k, v in o.items():  # type: ignore[attr-defined]
            if type(k) in _PLAIN:
                put(repr(k))
            else:
                _walk(k, put, made)
            put(":")
            if type(v) in _PLAIN:
                put(repr(v))
            else:
                _walk(v, put, made)
            put(",")
        put("}")
    elif t is set or t is frozenset:
        put("{" + ",".join(sorted(_text(x, made) for x in o)) + "}")  # type: ignore[attr-defined]
    elif t in _FIELDS:  # a dataclass met before (_other put it there): without _other's checks of its kind
        put(_record(o, t, _FIELDS[t], made))
    else:
        _other(o, put, made)


def _text(o: object, made: _Made) -> str:
    out: list[str] = []
    _walk(o, out.append, made)
    return "".join(out)


def _other(o: object, put: Callable[[str], None], made: _Made) -> None:
    t = type(o)
    if isinstance(o, Enum):  # few members, met often (a hunk line's kind): each one's text made once (``made``)
        kept = made.get(id(o))
        if kept is None or kept[0] is not o:
            kept = made[id(o)] = (o, f"{t.__module__}.{t.__qualname__}:{o!r}")
        put(kept[1])
    elif isinstance(o, PurePath):
        put(f"{t.__module__}.{t.__qualname__}:{o!r}")
    elif isinstance(o, str):
        put(f"{t.__module__}.{t.__qualname__}:{str.__repr__(o)}")
        _walk(dict(sorted(vars(o).items())) if hasattr(o, "__dict__") else None, put, made)
    elif dataclasses.is_dataclass(o) and not isinstance(o, type):
        names = _FIELDS.get(t)
        if names is None:
            names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(o))
        put(_record(o, t, names, made))
    else:
        raise NotCanonical(f"{t.__module__}.{t.__qualname__}")


def _record(o: object, t: type, names: tuple[str, ...], made: _Made) -> str:
    """A dataclass object's text: its class and every field, made once per object (``made``)."""
    kept = made.get(id(o))
    if kept is None or kept[0] is not o:
        out = [f"{t.__module__}.{t.__qualname__}("]
        add = out.append
        for name in names:
            x = getattr(o, name)
            if type(x) in _PLAIN:
                add(repr(x))
            else:
                _walk(x, add, made)
            add(",")
        add(")")
        kept = made[id(o)] = (o, "".join(out))
    return kept[1]
