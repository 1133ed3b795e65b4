"""``@record``: a frozen dataclass whose ``__eq__``, ``__hash__`` and ``__repr__`` are shared functions."""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

# Why not plain @dataclass(frozen=True): on CPython 3.11 (and 3.13) the decorator compiles six methods with
# exec() per class, about 0.7 ms a class. seamharness defines some 160 such classes, so creating them was
# 40 ms of `series` and over 100 ms of an `eval` with a filled cache, before any input was read. Three of
# the six (__eq__, __hash__, __repr__) only read the fields in order; here they are closures over an
# operator.attrgetter, built without compiling anything, with the same results as the generated ones.


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields ``names`` of an object as one tuple, as the generated methods build it."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _add_eq(cls: type, names: tuple[str, ...]) -> None:
    key = _key(names)

    def __eq__(self: Any, other: object) -> bool:
        # As dataclasses' __eq__: only an instance of the very same class compares, field tuple to tuple.
        if other.__class__ is self.__class__:
            return bool(key(self) == key(other))
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    cls.__eq__ = __eq__  # type: ignore[method-assign,assignment]


def _add_hash(cls: type, names: tuple[str, ...]) -> None:
    key = _key(names)

    def __hash__(self: Any) -> int:
        return hash(key(self))  # the very value the generated __hash__ gives: hash of the same tuple

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    cls.__hash__ = __hash__  # type: ignore[method-assign,assignment]


def _add_repr(cls: type, names: tuple[str, ...]) -> None:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__  # type: ignore[method-assign,assignment]


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` with the same ``__init__``, ``__eq__``, ``__hash__``, ``__repr__``,
    ``__match_args__`` and frozen-ness, and the same use of ``field(compare=, hash=, repr=)``.

    Methods the class body defines are kept, as dataclasses keeps them (a body's ``__eq__`` alone sets
    ``__hash__`` to None, which counts as not defined: dataclasses.py ``_hash_action``). ``fields``,
    ``replace`` and ``asdict`` work as on any dataclass: it is one.
    """
    body = dict(cls.__dict__)
    done = dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls)
    fields = dataclasses.fields(done)  # type: ignore[arg-type]  # it is one now; T cannot say so
    if "__eq__" not in body:
        _add_eq(done, tuple(f.name for f in fields if f.compare))
    own_hash = body.get("__hash__", dataclasses.MISSING)
    if own_hash is dataclasses.MISSING or (own_hash is None and "__eq__" in body):
        _add_hash(done, tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    if "__repr__" not in body:
        _add_repr(done, tuple(f.name for f in fields if f.repr))
    return done
