"""Typed specs read from TOML: frozen dataclasses filled from tables; unknown keys and wrong types refused.

A spec is a frozen dataclass whose fields say what a table may hold. ``read_spec`` fills one from a
parsed TOML table and refuses, with one line naming file and line, a key the dataclass does not have
(with the closest known key suggested), a value of the wrong type, a bad regular expression, and an
enum value outside its members. Supported field types: ``str``, ``int`` (not ``bool``), ``bool``,
``float``, ``StrEnum`` subclasses, ``re.Pattern[str]``, ``tuple[X, ...]`` (a TOML array, or one value),
``X | None``, ``dict[str, X]`` and nested spec dataclasses (TOML tables).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar, Union

from harness.errors import InputError, Where
from harness.tomlfile import text_lines

T = TypeVar("T")
Locate = Callable[[str], Where]


def closest(word: str, known: typing.Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest known word (the same but for case first), or nothing when none
    is close."""
    names = list(known)
    near = [n for n in names if n.lower() == word.lower()] or difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _closest_key(key: str, known: list[str]) -> str:
    """closest, else the keys ``key`` is a whole '_'-word of (``log``: ``log_match``, ``log_not_match``, which
    difflib finds too far: a key's words are its parts, and the short one is the likely slip)."""
    near = closest(key, known)
    if near or len(key) < 3:
        return near
    words = [k for k in known if key.lower() in k.lower().split("_")]
    return f" (did you mean {' or '.join(repr(k) for k in words)}?)" if 0 < len(words) <= 3 else ""


def unknown(what: str, name: str, known: typing.Iterable[str]) -> str:
    """The one wording of every unknown-name error: ``unknown code 'X' (did you mean 'Y'?); known: A, B``."""
    names = list(dict.fromkeys(known))
    return f"unknown {what} {name!r}{closest(name, names)}; known: {', '.join(names) or 'none'}"


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)


def _convert(hint: Any, value: Any, key: str, locate: Locate) -> Any:
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(args[0], value, key, locate)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        items = value if isinstance(value, list) else [value]
        return tuple(_convert(inner, item, key, locate) for item in items)
    if origin is dict:
        inner = typing.get_args(hint)[1]
        if not isinstance(value, dict):
            raise InputError(locate(key), f"'{key}' must be a table, not {_kind(value)}")
        return {str(k): _convert(inner, v, f"{key}.{k}", locate) for k, v in value.items()}
    if hint is re.Pattern or origin is re.Pattern:
        if not isinstance(value, str):
            raise InputError(locate(key), f"'{key}' must be a regular expression string, not {_kind(value)}")
        return _pattern(value, key, locate)
    if isinstance(hint, type) and issubclass(hint, Enum):
        known = [str(m.value) for m in hint]
        if not isinstance(value, str) or value not in known:
            raise InputError(locate(key), f"'{key}' must be one of {', '.join(known)}, not {value!r}"
                             + (closest(value, known) if isinstance(value, str) else ""))
        return hint(value)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise InputError(locate(key), f"'{key}' must be a table, not {_kind(value)}")
        return read_spec(typing.cast(type[Any], hint), value, locate, f"{key}.")
    wanted = {int: (int,), float: (int, float), str: (str,), bool: (bool,)}.get(hint)
    if wanted is None:
        raise TypeError(f"read_spec: unsupported field type {hint!r}")  # a programming error, not input
    if not isinstance(value, wanted) or (hint is not bool and isinstance(value, bool)):
        if hasattr(value, "isoformat"):  # a TOML date or time, shown as written, and how to make it a string
            raise InputError(locate(key), f"'{key}' must be {_kind(hint())}, not {_kind(value)} ({value.isoformat()}"
                                          f"; in quotes, \"{value.isoformat()}\", it is a string)")
        raise InputError(locate(key), f"'{key}' must be {_kind(hint())}, not {_kind(value)} ({value!r})")
    return value


# A rule's pattern is a line or two of text: a megabyte of alternatives took 3 s and 140 MB to compile, and a
# thousand nested groups or a repeat count past C's ssize_t are a RecursionError or OverflowError of re (no re.error).
MAX_PATTERN = 10_000


def _pattern(value: str, key: str, locate: Locate) -> re.Pattern[str]:
    """``value`` compiled; InputError for one re refuses, one longer than MAX_PATTERN characters, or one nested
    or counted past what re's compiler takes."""
    if len(value) > MAX_PATTERN:
        raise InputError(locate(key), f"bad regular expression in '{key}': {len(value):,} characters, more than "
                                      f"{MAX_PATTERN:,} are not read")
    try:
        return re.compile(value)
    except re.error as exc:
        raise InputError(locate(key), f"bad regular expression in '{key}': {exc}") from exc
    except (RecursionError, OverflowError) as exc:
        why = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(locate(key), f"bad regular expression in '{key}': {why} (Python's re refuses it)") from exc


_HINTS: dict[object, dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The class's field types, its string annotations evaluated: once per class (every rule's check table is a spec
    of a few classes; shared: read it, never change it)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def read_spec(cls: type[T], table: dict[str, Any], locate: Locate, prefix: str = "", taken: tuple[str, ...] = ()
              ) -> T:
    """Fill the spec dataclass ``cls`` from ``table``.

    ``locate(key)`` gives the place of a (dotted) key for error messages; ``taken``: keys of the same table
    the caller read itself (a check's ``kind``), named among the known ones. Raises InputError on an unknown
    key, a missing required key or a value of the wrong type.
    """
    fields = {f.name: f for f in dataclasses.fields(typing.cast(Any, cls)) if f.init}
    hints = _hints(cls)
    for key in table:
        if key not in fields:
            known = [*taken, *fields]
            raise InputError(locate(prefix + key), f"unknown key '{prefix}{key}'{_closest_key(key, known)}; "
                             f"known: {', '.join(known) or 'none'}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name in table:
            values[name] = _convert(hints[name], table[name], prefix + name, locate)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise InputError(locate(prefix.rstrip(".") or name), f"missing key '{prefix}{name}'")
    return cls(**values)


def refuse_long_text(spec: object, limit: int, locate: Locate, prefix: str = "") -> None:
    """Refuse, at its key, a text field of the spec dataclass ``spec`` longer than ``limit`` characters: words a
    report prints (a rule's summary) weigh on every output that prints them."""
    for f in dataclasses.fields(typing.cast(Any, spec)):
        value = getattr(spec, f.name)
        if isinstance(value, str) and len(value) > limit:
            raise InputError(locate(f.name), f"'{prefix}{f.name}' is {len(value):,} characters long, past the "
                                             f"{limit:,} it may hold (it is written into every report): a sentence "
                                             "or two")


def key_locator(text: str, path: str, start: int, end: int) -> Locate:
    """Where a key is written between lines ``start`` and ``end`` (1-based) of a TOML text.

    The last part of a dotted key is searched as ``key =`` (also inside inline tables) or as a
    ``[table.key]`` header, from the first ``[outer]`` / ``[[outer]]`` header of its first part on, and
    never in a comment; when not found, the block's first line is the place.
    """
    lines = text_lines(text)

    def locate(key: str) -> Where:
        last = re.escape(key.rsplit(".", 1)[-1])
        pattern = re.compile(rf'(^|[{{,\s.])"?{last}"?\s*=|\[[^\]]*\b{last}\b')
        first = max(start, 1)
        if "." in key:
            outer = re.compile(rf"^\s*\[\[?\s*{re.escape(key.split('.', 1)[0])}\s*[\].]")
            first = next((n for n in range(first, min(end, len(lines)) + 1) if outer.match(lines[n - 1])), first)
        for n in range(first, min(end, len(lines)) + 1):
            if not lines[n - 1].lstrip().startswith("#") and pattern.search(lines[n - 1]):
                return Where(path, n)
        return Where(path, start)

    return locate
