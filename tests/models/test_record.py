"""@record behaves as @dataclass(frozen=True): the generated methods are the oracle."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import types
from dataclasses import KW_ONLY, Field, InitVar, dataclass, field  # noqa: F401  # InitVar: a name the scan looks up
from typing import Any, ClassVar

import pytest

from models.record import _scanned, record


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


INIT_SHAPES: dict[str, tuple[dict[str, Any], dict[str, str], tuple[Any, ...], dict[str, Any]]] = {
    # name: (body, annotations, positional args, keyword args) of one call both classes take
    "defaults": ({"b": 2, "c": field(default="z")}, {"a": "int", "b": "int", "c": "str"}, (1,), {}),
    "factory given and not": ({"b": field(default_factory=list)}, {"a": "int", "b": "list[int]"}, (1,), {}),
    "factory passed": ({"b": field(default_factory=list)}, {"a": "int", "b": "list[int]"}, (1, [4]), {}),
    "not in init": ({"b": field(init=False, default=5), "c": field(init=False, default_factory=dict)},
                    {"a": "int", "b": "int", "c": "dict[str, int]"}, (1,), {}),
    "keyword only": ({"b": field(default=0, kw_only=True)}, {"a": "int", "b": "int"}, (1,), {"b": 3}),
    "KW_ONLY marker": ({"_": KW_ONLY}, {"a": "int", "_": "KW_ONLY", "b": "int"}, (1,), {"b": 2}),
    "a field named self": ({}, {"self": "int", "b": "int"}, (1, 2), {}),
    "no docstring, no fields": ({}, {}, (), {}),
}


@pytest.mark.parametrize("shape", INIT_SHAPES)
def test_init_agrees_with_dataclass(shape: str) -> None:
    body, ann, args, kwargs = INIT_SHAPES[shape]
    rec, dc = _pair(body, ann)
    assert str(inspect.signature(rec)) == str(inspect.signature(dc))
    assert rec.__doc__ == dc.__doc__
    assert rec.__init__.__qualname__ == dc.__init__.__qualname__  # type: ignore[misc]
    # the very annotations, in order (typing.get_type_hints and tools read them), though not compiled in
    assert list(rec.__init__.__annotations__.items()) == list(dc.__init__.__annotations__.items())  # type: ignore[misc]
    assert repr(rec(*args, **kwargs)) == repr(dc(*args, **kwargs))
    assert rec.__match_args__ == dc.__match_args__  # type: ignore[attr-defined]
    for call in ((), (*args, 1, 2, 3, 4), ("only",)):  # what each says of a wrong call, or makes of a right one
        assert _outcome(rec, call) == _outcome(dc, call)


def _outcome(cls: type, args: tuple[Any, ...]) -> str:
    try:
        return repr(cls(*args))
    except TypeError as exc:
        return f"TypeError: {exc}"


@pytest.mark.parametrize("shape", INIT_SHAPES)
def test_init_code_names_the_fields_as_dataclass(shape: str) -> None:
    # Made from a text naming each field by its place, then given the names: the same parameters and defaults.
    body, ann, _, _ = INIT_SHAPES[shape]
    rec, dc = _pair(body, ann)
    r_init, d_init = rec.__init__, dc.__init__  # type: ignore[misc]
    assert r_init.__code__.co_varnames == d_init.__code__.co_varnames
    # (a factory's default is each one's own sentinel, shown alike)
    assert repr(r_init.__defaults__) == repr(d_init.__defaults__)
    assert repr(r_init.__kwdefaults__) == repr(d_init.__kwdefaults__)
    assert [n for n in r_init.__code__.co_freevars if n.startswith("_dflt_")] == \
        [n for n in d_init.__code__.co_freevars if n.startswith("_dflt_")]


def test_same_shape_compiles_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # compile() is a fifth of making a record: a class whose __init__ differs from one made before only by the
    # fields' names, types and defaults reuses its compiled text.
    compiled: list[str] = []
    real = compile

    def counting(text: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr("builtins.compile", counting)
    first = record(type("First", (), {"__annotations__": {"x_long_name": "int", "y": "str"}, "y": "d"}))
    compiled.clear()
    second = record(type("Second", (), {"__annotations__": {"p": "float", "q": "list[int]"}, "q": 5}))
    assert compiled == []
    assert repr(second(1.5)) == "Second(p=1.5, q=5)" and repr(first(2)) == "First(x_long_name=2, y='d')"
    assert str(inspect.signature(second)) == "(p: 'float', q: 'list[int]' = 5) -> None"
    assert vars(second(q=[1], p=2.0)) == {"p": 2.0, "q": [1]}


def test_non_default_after_default_refused_as_dataclass() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        _pair({"a": 1}, {"a": "int", "b": "int"})


def test_post_init_runs_after_fields_are_set() -> None:
    seen: list[tuple[int, int]] = []

    def post(self: Any) -> None:
        seen.append((self.a, self.b))
        object.__setattr__(self, "b", self.a * 10)

    rec, dc = _pair({"__post_init__": post, "b": field(init=False, default=0)}, {"a": "int", "b": "int"})
    assert repr(rec(3)) == repr(dc(3)) == "Rec(a=3, b=30)"
    assert seen == [(3, 0), (3, 0)]


def test_frozen_errors_agree_with_dataclass() -> None:
    for rec_obj, dc_obj in ((cls(1, "x"), other(1, "x")) for cls, other in [_pair({}, {"a": "int", "b": "str"})]):
        for act in (lambda o: setattr(o, "a", 2), lambda o: setattr(o, "new", 2), lambda o: delattr(o, "a")):
            with pytest.raises(dataclasses.FrozenInstanceError) as r_err:
                act(rec_obj)
            with pytest.raises(dataclasses.FrozenInstanceError) as d_err:
                act(dc_obj)
            assert str(r_err.value) == str(d_err.value)


def test_subclass_of_a_plain_class_may_set_its_own_attributes() -> None:
    # dataclasses' __setattr__ only guards the fields on a subclass that is no dataclass
    class Plain(Sample):
        pass

    obj = Plain(1, "x")
    obj.extra = 5  # type: ignore[attr-defined]
    assert obj.extra == 5  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.a = 3  # type: ignore[misc]


def test_base_dataclass_not_a_record() -> None:
    base = dataclass(frozen=True)(type("Base", (), {"__annotations__": {"a": "int"}}))
    rec, dc = _pair({}, {"b": "int"}, (base,))
    assert repr(rec(1, 2)) == repr(dc(1, 2)) and hash(rec(1, 2)) == hash(dc(1, 2))
    sub, dsub = (record(type("Sub", (rec,), {"__annotations__": {"c": "int"}})),
                 dataclass(frozen=True)(type("Sub", (dc,), {"__annotations__": {"c": "int"}})))
    assert repr(sub(1, 2, 3)) == repr(dsub(1, 2, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub(1, 2, 3).a = 5


class _Logged:
    """A data descriptor: object.__setattr__ hands it the value instead of storing it in the instance."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        return self if obj is None else obj.__dict__[f"_{self.name}"]

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[f"_{self.name}"] = value * 2


def test_stored_as_object_setattr_stores() -> None:
    rec, dc = _pair({}, {"a": "int", "b": "str"})
    assert vars(rec(1, "x")) == vars(dc(1, "x")) == {"a": 1, "b": "x"}
    base = type("Base", (), {"b": _Logged()})
    rec, dc = _pair({}, {"a": "int", "b": "int"}, (base,))  # b's value goes through the base's descriptor
    assert vars(rec(1, 2)) == vars(dc(1, 2)) == {"a": 1, "_b": 4}
    slotted = type("Slotted", (), {"__slots__": ("__dict__",)})
    rec, dc = _pair({}, {"a": "int"}, (slotted,))
    assert vars(rec(1)) == vars(dc(1)) == {"a": 1}


def test_plain_fields_are_stored_in_one_step_as_object_setattr_would() -> None:
    rec, dc = _pair({"b": field(default_factory=list), "c": field(init=False, default_factory=dict)},
                    {"a": "int", "b": "list[int]", "c": "dict[str, int]"})
    names = rec.__init__.__code__.co_names  # type: ignore[misc]
    assert "update" in names and "__setattr__" not in names
    assert vars(rec(1)) == vars(dc(1)) == {"a": 1, "b": [], "c": {}}
    assert vars(rec(1, [2])) == vars(dc(1, [2])) == {"a": 1, "b": [2], "c": {}}
    prop = type("Prop", (), {"b": property(lambda self: 0, lambda self, v: None)})  # a setter that drops it
    rec, dc = _pair({}, {"a": "int", "b": "int"}, (prop,))
    assert "__setattr__" in rec.__init__.__code__.co_names  # type: ignore[misc]
    assert vars(rec(1, 2)) == vars(dc(1, 2)) == {"a": 1}


def test_refusals() -> None:
    with pytest.raises(TypeError, match="Cannot overwrite attribute __setattr__"):
        record(type("Own", (), {"__annotations__": {"a": "int"}, "__setattr__": lambda s, n, v: None}))
    with pytest.raises(TypeError, match="InitVar is not supported"):
        record(type("Iv", (), {"__annotations__": {"a": dataclasses.InitVar[int]}}))


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


# A record's fields scanned as dataclasses scans them (models.record._scanned) where that is plain, else left to
# dataclasses: each body made twice, dataclass(init=False, eq=False, repr=False) the oracle.
CV = ClassVar  # an alias dataclasses follows through the module's names
ROOT: type = record(type("Root", (), {"__annotations__": {"a": "int", "b": "int"},
                                      "b": field(default=1, compare=False)}))

SCANNED: dict[str, tuple[dict[str, Any], dict[str, Any], tuple[type, ...], bool]] = {
    "no annotations": ({}, {}, (), True),
    "plain": ({"a": "int", "b": "str | None"}, {"b": None}, (), True),
    "field()": ({"a": "int", "b": "tuple[int, ...]", "c": "int"},
                {"b": field(default_factory=tuple), "c": field(default=3, compare=False, repr=False)}, (), True),
    "kw_only, init=False, metadata": ({"a": "int", "b": "int"},
                                      {"a": field(kw_only=True), "b": field(init=False, default=0, metadata={"m": 1})},
                                      (), True),
    "a record's subclass": ({"c": "int", "b": "int"}, {"c": 5, "b": 2}, (ROOT,), True),
    "match args of its own": ({"a": "int"}, {"__match_args__": ("x",)}, (), True),
    "a slot": ({"a": "int"}, {"__slots__": ("a",)}, (), True),
    "ClassVar": ({"a": "int", "k": "ClassVar[int]"}, {"k": 3}, (), False),
    "ClassVar by another name": ({"a": "int", "k": "CV[int]"}, {"k": 3}, (), False),
    "qualified": ({"a": "int", "k": "typing.ClassVar[int]"}, {"k": 3}, (), False),
    "InitVar": ({"a": "int", "i": "InitVar[int]"}, {}, (), False),
    "KW_ONLY": ({"a": "int", "_": "KW_ONLY", "b": "int"}, {}, (), False),
    "not a string": ({"a": int}, {}, (), False),
    "mutable default": ({"a": "list[int]"}, {"a": []}, (), False),
    "field() with no annotation": ({"a": "int"}, {"b": field(default=0)}, (), False),
}


def _field_facts(cls: type) -> list[tuple[Any, ...]]:
    return [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare, dict(f.metadata),
             f.kw_only, f._field_type) for f in vars(cls)["__dataclass_fields__"].values()]


@pytest.mark.parametrize("case", SCANNED)
def test_fields_scanned_as_dataclasses_scans_them(case: str) -> None:
    annotations, body, bases, plain = SCANNED[case]

    def made() -> type:
        # a field() is the class's own: each class made gets a copy (both scans set its name and type)
        ns = {"__annotations__": dict(annotations), "__doc__": "x",
              **{k: (field(**{a: getattr(v, a) for a in ("default", "default_factory", "init", "repr", "hash",
                                                         "compare", "metadata", "kw_only")}) if isinstance(v, Field)
                     else v) for k, v in body.items()}}
        return type("Rec", bases, ns)

    mine = made()
    assert _scanned(mine) is plain
    if not plain:
        assert "__dataclass_fields__" not in vars(mine)  # left as it was, for dataclasses
        return
    theirs: type = dataclasses.dataclass(init=False, eq=False, repr=False)(made())
    assert _field_facts(mine) == _field_facts(theirs)
    assert repr(vars(mine)["__dataclass_params__"]) == repr(vars(theirs)["__dataclass_params__"])
    assert sorted(vars(mine)) == sorted(vars(theirs))
    for name in vars(theirs):
        if name not in ("__dataclass_fields__", "__dataclass_params__", "__dict__", "__weakref__"):
            ours, dcs = vars(mine)[name], vars(theirs)[name]
            if isinstance(dcs, types.MemberDescriptorType):  # a slot: each class has its own
                ours, dcs = (type(ours), ours.__name__), (type(dcs), dcs.__name__)
            assert ours == dcs, name
    assert dataclasses.fields(mine) is not None and mine.__match_args__ == theirs.__match_args__  # type: ignore[attr-defined]
