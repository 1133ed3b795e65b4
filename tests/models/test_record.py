"""@record behaves as @dataclass(frozen=True): the generated methods are the oracle."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from models.record import record


def _pair(body: dict[str, Any], annotations: dict[str, str], bases: tuple[type, ...] = ()) -> tuple[type, type]:
    """The same class made by @record and by @dataclass(frozen=True)."""
    def make(deco: Any, name: str) -> type:
        ns = {"__annotations__": dict(annotations), **body}
        return deco(type(name, bases, ns))  # type: ignore[no-any-return]
    return make(record, "Rec"), make(dataclass(frozen=True), "Rec")


SHAPES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "no fields": ({}, {}),
    "one field": ({}, {"a": "int"}),
    "several": ({"c": ()}, {"a": "int", "b": "str", "c": "tuple[int, ...]"}),
    "hidden and uncompared": ({"b": field(default=0, repr=False), "c": field(default=0, compare=False)},
                              {"a": "int", "b": "int", "c": "int"}),
    "hash off, compared": ({"b": field(default=0, hash=False)}, {"a": "int", "b": "int"}),
    "hash on, not compared": ({"b": field(default=0, hash=True, compare=False)}, {"a": "int", "b": "int"}),
}


def _args(cls: type) -> list[tuple[Any, ...]]:
    n = len(dataclasses.fields(cls))
    return [tuple([1, "x", (2,)][:n]), tuple([1, "y", (3,)][:n]), tuple([float("nan"), "x", ()][:n])]


@pytest.mark.parametrize("shape", SHAPES)
def test_methods_agree_with_dataclass(shape: str) -> None:
    body, ann = SHAPES[shape]
    rec, dc = _pair(body, ann)
    made = [(rec(*a), dc(*a)) for a in _args(dc)]
    for r1, d1 in made:
        assert repr(r1) == repr(d1)
        assert hash(r1) == hash(d1)
        for r2, d2 in made:
            assert (r1 == r2) == (d1 == d2)
            assert (r1 != r2) == (d1 != d2)
    assert rec.__match_args__ == dc.__match_args__  # type: ignore[attr-defined]
    assert [f.name for f in dataclasses.fields(rec)] == [f.name for f in dataclasses.fields(dc)]


def test_nan_field_equal_to_itself_only_by_identity() -> None:
    rec, dc = _pair({}, {"a": "float"})
    nan = float("nan")
    assert (rec(nan) == rec(nan)) == (dc(nan) == dc(nan)) is True
    assert (rec(nan) == rec(float("nan"))) == (dc(nan) == dc(float("nan"))) is False


def test_other_class_is_not_equal() -> None:
    rec, _ = _pair({}, {"a": "int"})
    other, _ = _pair({}, {"a": "int"})
    assert rec(1) != other(1)
    assert rec(1).__eq__(other(1)) is NotImplemented
    assert rec(1) != (1,)


def test_frozen_replace_asdict_pickle() -> None:
    obj = Sample(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.a = 2  # type: ignore[misc]
    assert dataclasses.replace(obj, a=2) == Sample(2, "x")
    assert dataclasses.asdict(obj) == {"a": 1, "b": "x", "c": ()}
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert {obj: 1}[Sample(1, "x")] == 1


def test_body_methods_are_kept() -> None:
    own = Custom(1, 2)
    assert repr(own) == "custom"
    assert own == Custom(1, 3)  # the body's __eq__ compares only a
    assert hash(own) == hash(Custom(1, 2))  # __hash__ added, as dataclasses adds it next to a body __eq__
    assert Hashed(5).__hash__() == 7


def test_subclass_compares_its_own_fields() -> None:
    assert Child(1, "2") != Child(1, "3")
    assert Child(1, "2") != Sample(1, "x")
    assert repr(Child(1, "2")) == "Child(a=1, b='2', c=(), d=0)"
    assert hash(Child(1, "2")) == hash((1, "2", (), 0))


def test_recursive_repr_does_not_loop() -> None:
    box = Box([])
    box.items.append(box)
    assert repr(box) == "Box(items=[...])"


@record
class Sample:
    a: int
    b: str
    c: tuple[int, ...] = ()


@record
class Child(Sample):
    d: int = 0


@record
class Custom:
    a: int
    b: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Custom) and other.a == self.a

    def __repr__(self) -> str:
        return "custom"


@record
class Hashed:
    a: int

    def __hash__(self) -> int:
        return 7


@record
class Box:
    items: list[Any]
