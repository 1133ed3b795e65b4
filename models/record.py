"""``@record``: a frozen dataclass whose methods are shared functions, with one compiled ``__init__``."""

from __future__ import annotations

import abc
import dataclasses
import inspect
import re
import reprlib
import sys
import types
import typing
from collections.abc import Callable
from operator import attrgetter
from types import CodeType
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

# Why not plain @dataclass(frozen=True): on CPython 3.11 (and 3.13) the decorator compiles six methods with
# exec() per class, about 0.7 ms a class. seamharness defines some 160 such classes, so creating them was
# 40 ms of `series` and over 100 ms of an `eval` with a filled cache, before any input was read. Five of
# the six only read the fields in order (__eq__, __hash__, __repr__) or test a name against them
# (__setattr__, __delattr__): here they are closures, built without compiling anything, with the same
# results as the generated ones. Only __init__ is compiled, as dataclasses writes it (dataclasses.py
# _init_fn): its signature is what callers and tools see, and a generic one would slow every instance.


class _Factory:
    """The default of a parameter whose field has a default_factory (shown as dataclasses shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _Factory()
_RECORDS: set[type] = set()  # the classes made here: the only dataclass bases a record may have


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


def _add_frozen(cls: type, names: tuple[str, ...]) -> None:
    """dataclasses' frozen __setattr__/__delattr__ (dataclasses.py _frozen_get_del_attr), as closures."""
    owner: Any = cls

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    for fn in (__setattr__, __delattr__):
        fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
        setattr(cls, fn.__name__, fn)


def _init_value(f: dataclasses.Field[Any], slot: str, names: dict[str, Any]) -> str | None:
    """The value __init__ assigns to ``f`` (dataclasses.py _field_init), its parameter named ``slot``; None: the
    class attribute serves."""
    if f.default_factory is not dataclasses.MISSING:
        names[f"_dflt_{slot}"] = f.default_factory
        return f"_dflt_{slot}() if {slot} is _HAS_DEFAULT_FACTORY else {slot}" if f.init else f"_dflt_{slot}()"
    return slot if f.init else None


def _default(f: dataclasses.Field[Any]) -> Any:
    """A parameter's default as dataclasses gives it (MISSING: none)."""
    return _HAS_DEFAULT_FACTORY if f.default_factory is not dataclasses.MISSING else f.default


# The compiled __create_fn__ of each shape of __init__: its text with the fields' names as placeholders (_0, _1, ...)
# and without defaults (set on the function after). 156 records of a filled-cache eval have 32 shapes; each other one
# costs a code.replace() instead of a compile().
_SHAPES: dict[str, CodeType] = {}


def init_code() -> dict[str, CodeType]:
    """The compiled text of each shape of ``__init__`` this process has (harness.recache keeps it between runs, as
    Python keeps a module's bytecode: 30 compiles, 18 M instructions of a filled-cache eval)."""
    return _SHAPES


def keep_init_code(table: dict[str, CodeType]) -> None:
    """Take ``table`` (text -> what ``compile(text, "<string>", "exec", dont_inherit=True)`` made of it, by a Python
    of this version) as compiled: a shape in it is not compiled again."""
    for text, code in table.items():
        if type(text) is str and type(code) is CodeType:
            _SHAPES.setdefault(text, code)


def _compiled(text: str) -> CodeType:
    """``text`` compiled as exec() in dataclasses compiles it (no __future__ flags), once per text (_SHAPES)."""
    code = _SHAPES.get(text)
    if code is None:
        code = _SHAPES[text] = compile(text, "<string>", "exec", dont_inherit=True)
    return code


def kept_exec(source: Any, scope: dict[str, Any] | None = None, names: dict[str, Any] | None = None) -> None:
    """exec() as the dataclasses module calls it for the methods it writes for a plain @dataclass class (each a
    ``__create_fn__`` text), each text compiled once and kept with the @record shapes (harness.recache installs it:
    an eval's 55 such classes compiled 188 texts, some 20 ms of its start-up and stages)."""
    exec(_compiled(source) if type(source) is str else source, vars(dataclasses) if scope is None else scope, names)


def _add_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """The ``__init__`` @dataclass(frozen=True) writes (dataclasses.py _init_fn), compiled once per shape.

    Its annotations are set on the function rather than written into the source: the same
    ``__annotations__`` (field types, ``return: None``) for a third less compiling. Where object.__setattr__ would
    only store into the instance's ``__dict__`` (_stored_plainly), the values go there in one update. The text
    names each field by its place; the function made from it is given the fields' names (its code's variables and
    constants), its defaults and its annotations, which is all that tells it from the one compiled with the names.
    """
    std = [f for f in fields if f.init and not f.kw_only]
    seen_default = False
    for f in std:
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    kw = [f for f in fields if f.init and f.kw_only]
    self_name = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    slots = {f.name: f"_{i}" for i, f in enumerate(fields)}
    names: dict[str, Any] = {"_HAS_DEFAULT_FACTORY": _HAS_DEFAULT_FACTORY, "__dataclass_builtins_object__": object}
    values = [(f.name, value) for f in fields if (value := _init_value(f, slots[f.name], names)) is not None]
    if values and _stored_plainly(cls, [name for name, _ in values]):
        # What object.__setattr__ does here, in one step: every value into the instance's __dict__.
        stored = ", ".join(f"{slots[name]!r}: {value}" for name, value in values)
        body = [f"  {self_name}.__dict__.update({{{stored}}})"]
    else:
        body = [f"  __dataclass_builtins_object__.__setattr__({self_name},{slots[name]!r},{value})"
                for name, value in values]
    if hasattr(cls, "__post_init__"):
        body.append(f"  {self_name}.__post_init__()")
    params = [self_name, *(slots[f.name] for f in std), *(["*", *(slots[f.name] for f in kw)] if kw else [])]
    text = (f"def __create_fn__({', '.join(names)}):\n"
            f" def __init__({', '.join(params)}):\n{chr(10).join(body) or '  pass'}\n"
            " return __init__")
    code = _compiled(text)
    module = sys.modules.get(cls.__module__)
    scope: dict[str, Any] = {}
    exec(code, module.__dict__ if module else {}, scope)  # as dataclasses builds it
    init = scope["__create_fn__"](**names)
    init.__code__ = _named(init.__code__, {slot: name for name, slot in slots.items()})
    init.__defaults__ = tuple(_default(f) for f in std if _default(f) is not dataclasses.MISSING) or None
    init.__kwdefaults__ = {f.name: _default(f) for f in kw if _default(f) is not dataclasses.MISSING} or None
    init.__annotations__ = {**{f.name: f.type for f in std + kw}, "return": None}
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]


def _named(code: CodeType, names: dict[str, str]) -> CodeType:
    """``code`` with each placeholder its field's name: parameters, the keys it stores under, the factories'
    cells (``_dflt_NAME``), as compiling the text with the names would have made it."""
    cells = {f"_dflt_{slot}": f"_dflt_{name}" for slot, name in names.items()}

    def const(value: Any) -> Any:
        if type(value) is str:
            return names.get(value, value)
        return tuple(map(const, value)) if type(value) is tuple else value

    return code.replace(co_varnames=tuple(names.get(n, n) for n in code.co_varnames),
                        co_freevars=tuple(cells.get(n, n) for n in code.co_freevars),
                        co_consts=tuple(map(const, code.co_consts)))


def _stored_plainly(cls: type, names: list[str]) -> bool:
    """Whether object.__setattr__ of these fields only stores into the instance's ``__dict__``: every instance has
    one (no ``__slots__`` on the way) and no field's name is a data descriptor of the class (a property, a slot, a
    descriptor of a base), which it would call instead. What each name is found as: inspect.getattr_static's
    look-up of a class (its bases in order, then its metaclass's), without its costs (a fifth of a record's)."""
    if any("__slots__" in vars(k) for k in cls.__mro__[:-1]):
        return False
    meta: type = type(cls)
    spaces = [vars(k) for k in (*cls.__mro__, *meta.__mro__)]
    for name in names:
        kind = type(next((space[name] for space in spaces if name in space), None))
        if hasattr(kind, "__set__") or hasattr(kind, "__delete__"):
            return False
    return True


def _check_class(cls: type, body: dict[str, Any]) -> None:
    for name in ("__setattr__", "__delattr__"):
        if name in body:  # as dataclasses refuses it on a frozen class
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")


# dataclasses' own names for a real field's kind and a class's parameters: where one is missing (or takes other
# arguments), dataclasses scans every record itself (_scanned).
_FIELD = getattr(dataclasses, "_FIELD", None)
_PARAMS = getattr(dataclasses, "_DataclassParams", None)
# The leading (module.)name of a string annotation, as dataclasses reads it (dataclasses.py _MODULE_IDENTIFIER_RE).
_LEADING = re.compile(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")


def _scanned(cls: type) -> bool:
    """What ``dataclasses.dataclass(init=False, eq=False, repr=False)(cls)`` does to a record's class (dataclasses.py
    _process_class with those flags, on CPython 3.11: its fields, __dataclass_params__, __match_args__), done here
    for the common case: every annotation a string (``from __future__ import annotations``) whose leading name is
    neither qualified nor ClassVar, InitVar or KW_ONLY, no mutable default, no field() without an annotation, no
    frozen base. False where any of these does not hold (nothing changed): dataclasses then does it, and raises what
    it raises. dataclasses tells ClassVar and InitVar apart by matching each annotation against a pattern and looking
    its name up, for each field (3 matches a field): 60 M instructions of the 178 records every eval makes."""
    module = sys.modules.get(cls.__module__)
    notes = vars(cls).get("__annotations__", {})
    if _FIELD is None or _PARAMS is None or module is None or type(notes) is not dict:
        return False
    own = _own_fields(cls, notes, module.__dict__)
    if own is None or any(isinstance(v, dataclasses.Field) and k not in notes for k, v in cls.__dict__.items()):
        return False
    try:
        params = _PARAMS(False, False, False, False, False, False)  # init, repr, eq, order, unsafe_hash, frozen
    except TypeError:  # another Python's parameters
        return False
    fields = _inherited(cls)
    if fields is None:
        return False
    cls.__dataclass_params__ = params  # type: ignore[attr-defined]
    for name, kind, f in own:
        f.name, f.type, f._field_type = name, kind, _FIELD  # type: ignore[attr-defined]
        if f.kw_only is dataclasses.MISSING:
            f.kw_only = False
        fields[name] = f
        if isinstance(getattr(cls, name, None), dataclasses.Field):
            if f.default is dataclasses.MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    if "__match_args__" not in cls.__dict__:
        cls.__match_args__ = tuple(f.name for f in fields.values()  # type: ignore[attr-defined,misc]
                                   if f._field_type is _FIELD and f.init and not f.kw_only)  # type: ignore[attr-defined]
    abc.update_abstractmethods(cls)
    return True


def _own_fields(cls: type, notes: dict[str, Any],
                names: dict[str, Any]) -> list[tuple[str, str, dataclasses.Field[Any]]] | None:
    """The class's own fields as (name, annotation, Field), as _process_class makes them; None where an annotation
    is no plain string name, or names ClassVar, InitVar or KW_ONLY, or a default is mutable (_scanned)."""
    own = []
    for name, kind in notes.items():
        if type(kind) is not str:
            return None
        lead = _LEADING.match(kind)
        if lead is not None:
            if lead.group(1):
                return None
            found = names.get(lead.group(2))
            if found is not None and (found is typing.ClassVar or getattr(found, "__origin__", None) is typing.ClassVar
                                      or found is dataclasses.InitVar or type(found) is dataclasses.InitVar
                                      or found is dataclasses.KW_ONLY):
                return None
        default: Any = getattr(cls, name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
        elif isinstance(default, types.MemberDescriptorType):  # a slot's member descriptor is no default
            f = dataclasses.field()
        else:
            f = dataclasses.field(default=default)
        if f.default.__class__.__hash__ is None:  # a mutable default, which dataclasses refuses
            return None
        own.append((name, kind, f))
    return own


def _inherited(cls: type) -> dict[str, dataclasses.Field[Any]] | None:
    """The fields of the class's dataclass bases, base first as _process_class collects them; None under a frozen
    base or one whose parameters are unknown (_scanned)."""
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = getattr(base, "__dataclass_fields__", None)
        if inherited is not None:
            made = getattr(base, "__dataclass_params__", None)
            if made is None or made.frozen:
                return None
            fields.update((f.name, f) for f in inherited.values())
    return fields


def _other_bases(cls: type) -> bool:
    """Whether a base is a dataclass not made here (frozen by dataclasses): then so must this class be."""
    return any(dataclasses.is_dataclass(base) and base not in _RECORDS for base in cls.__mro__[1:])


def _check_fields(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    real = {f.name for f in fields}
    for f in getattr(cls, "__dataclass_fields__", {}).values():  # the others are ClassVars and InitVars
        if f.name not in real and (isinstance(f.type, dataclasses.InitVar) or "InitVar" in str(f.type)):
            raise TypeError(f"record {cls.__name__}: InitVar is not supported ({f.name})")


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` with the same ``__init__``, ``__eq__``, ``__hash__``, ``__repr__``,
    ``__match_args__`` and frozen-ness, and the same use of ``field(compare=, hash=, repr=, init=,
    kw_only=, default_factory=)`` and of ``__post_init__``.

    Methods the class body defines are kept, as dataclasses keeps them (a body's ``__eq__`` alone sets
    ``__hash__`` to None, which counts as not defined: dataclasses.py ``_hash_action``). ``fields``,
    ``replace`` and ``asdict`` work as on any dataclass: it is one, whose ``__dataclass_params__`` says
    not frozen because its own ``__setattr__`` freezes it. A class with a base dataclass not made here is
    frozen by dataclasses instead (it could not inherit otherwise). Raises TypeError where dataclasses
    would, and for an InitVar.
    """
    body = dict(cls.__dict__)
    if _other_bases(cls):  # e.g. typer's parameter classes: the generated methods, with shared eq/hash/repr
        return _finish(dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls), body)
    _check_class(cls, body)
    if not body.get("__doc__"):
        cls.__doc__ = "\0"  # dataclasses would describe the signature of an __init__ not made yet
    # Fields only: with these flags dataclasses compiles nothing.
    done = cls if _scanned(cls) else dataclasses.dataclass(init=False, eq=False, repr=False)(cls)
    fields = dataclasses.fields(done)  # type: ignore[arg-type]  # it is one now; T cannot say so
    _check_fields(done, fields)
    _RECORDS.add(done)
    if "__init__" not in body:
        _add_init(done, fields)
    _add_frozen(done, tuple(f.name for f in fields))
    if done.__doc__ == "\0":
        try:
            done.__doc__ = done.__name__ + str(inspect.signature(done)).replace(" -> None", "")
        except (TypeError, ValueError):
            done.__doc__ = done.__name__
    return _finish(done, body)


def _finish(done: type[T], body: dict[str, Any]) -> type[T]:
    fields = dataclasses.fields(done)  # type: ignore[arg-type]
    if "__eq__" not in body:
        _add_eq(done, tuple(f.name for f in fields if f.compare))
    own_hash = body.get("__hash__", dataclasses.MISSING)
    if own_hash is dataclasses.MISSING or (own_hash is None and "__eq__" in body):
        _add_hash(done, tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    if "__repr__" not in body:
        _add_repr(done, tuple(f.name for f in fields if f.repr))
    return done
