"""harness.canonical: the text of a value is the same in every process and says all of it."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from pathlib import Path, PurePath, PurePosixPath

import pytest

from harness import canonical
from harness.canonical import NotCanonical, canonical_digest, canonical_text
from harness.convnotes import ConversionChange, ConversionNote
from harness.eventwords import TraceNote

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f"name{n}" for n in range(40)]


def _in_process(seed: int, code: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_a_set_reads_the_same_whatever_the_string_hashes() -> None:
    names = f"frozenset({NAMES!r})"
    ours = {_in_process(s, f"from harness.canonical import canonical_text; print(canonical_text({names}))")
            for s in (1, 2, 3)}
    reprs = {_in_process(s, f"print(repr({names}))") for s in (1, 2, 3)}
    assert len(ours) == 1 and len(reprs) > 1  # repr() would give a key per process


@dataclass(frozen=True)
class _Kept:
    shown: str
    hidden: str = field(default="", repr=False)


def test_every_field_is_written_even_one_repr_leaves_out() -> None:
    assert repr(_Kept("a", "x")) == repr(_Kept("a", "y"))
    assert canonical_text(_Kept("a", "x")) != canonical_text(_Kept("a", "y"))


def test_a_note_is_written_with_its_kind_and_what_it_holds() -> None:
    change = ConversionChange("fn", "%llx", "%llu", "21", "33", "a.h:1", "a.h:2")
    other = ConversionChange("fn", "%llx", "%llu", "21", "33", "a.h:1", "a.h:3")
    texts = {canonical_text(x) for x in ("t", TraceNote("t"), ConversionNote("t", change), ConversionNote("t", other))}
    assert len(texts) == 4


def test_an_object_met_twice_reads_as_two_equal_ones() -> None:
    one = _Kept("a", "b")
    assert canonical_text((one, one)) == canonical_text((_Kept("a", "b"), _Kept("a", "b")))
    assert canonical_text(((1, 2), [1, 2])) != canonical_text(((1, 2), (1, 2)))
    assert canonical_text({"a": 1}) != canonical_text({"a": "1"})


def test_what_is_not_known_here_is_refused() -> None:
    with pytest.raises(NotCanonical):
        canonical_text((1, lambda: 0))
    with pytest.raises(NotCanonical):
        canonical_text({object()})


class _Kind(Enum):
    ADDED = "+"
    REMOVED = "-"


@dataclass(frozen=True)
class _Line:
    kind: _Kind
    text: str
    at: tuple[int, ...] = ()


@dataclass(frozen=True)
class _File:
    path: PurePosixPath
    lines: dict[int, tuple[str, str]]
    hunks: tuple[_Line, ...]
    names: frozenset[str] = frozenset()
    notes: list[object] = field(default_factory=list)


def _b2(data: bytes) -> hashlib.blake2b:
    """The digest canonical_digest gives (BLAKE2b, 32 bytes), of a whole text."""
    return hashlib.blake2b(data, digest_size=32)


def _spec(o: object, by_digest: tuple[type, ...] = ()) -> str:
    """canonical_text as its docstring says it, one plain recursion: the fast paths must write the same text. With
    ``by_digest``, canonical_digest's text: each object of those classes as '#', its class and its own digest."""
    t = type(o)
    if t in (str, int, bool, float, type(None), bytes):
        return repr(o)
    if isinstance(o, (tuple, list)) and t in (tuple, list):
        return ("(" if t is tuple else "[") + "".join(_spec(x, by_digest) + "," for x in o) + ")"
    if isinstance(o, dict) and t is dict:
        return "{" + "".join(f"{_spec(k, by_digest)}:{_spec(v, by_digest)}," for k, v in o.items()) + "}"
    if isinstance(o, (set, frozenset)) and t in (set, frozenset):
        return "{" + ",".join(sorted(_spec(x) for x in o)) + "}"
    name = f"{t.__module__}.{t.__qualname__}"
    if isinstance(o, (Enum, PurePath)):
        return f"{name}:{o!r}"
    if isinstance(o, str):
        return f"{name}:{str.__repr__(o)}" + _spec(dict(sorted(vars(o).items())) if hasattr(o, "__dict__") else None)
    assert is_dataclass(o) and not isinstance(o, type)
    if t in by_digest:
        return f"#{name}:" + _b2(_spec(o).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{name}(" + "".join(_spec(getattr(o, f.name), by_digest) + "," for f in fields(o)) + ")"


def _value(rnd: random.Random, depth: int, shared: list[object]) -> object:
    plain = [rnd.choice(NAMES) + "'\\\"\n\udcff", rnd.randint(-5, 5), rnd.random() < 0.5, 0.5, None, b"\x00b",
             rnd.choice(list(_Kind)), PurePosixPath(rnd.choice(NAMES)), TraceNote(rnd.choice(NAMES))]
    if depth == 0 or rnd.random() < 0.3:
        return rnd.choice(plain)
    pick = rnd.randrange(7)
    items = [_value(rnd, depth - 1, shared) for _ in range(rnd.randrange(4))]
    if pick == 0:
        return tuple(items)
    if pick == 1:
        return items
    if pick == 2:
        return {rnd.choice(plain[:2]): x for x in items}
    if pick == 3:
        return frozenset(x for x in items if isinstance(x, (str, int)))
    if pick == 4 and shared:
        return rnd.choice(shared)  # an object met again
    line = _Line(rnd.choice(list(_Kind)), rnd.choice(NAMES), tuple(range(rnd.randrange(3))))
    made = _File(PurePosixPath("a.c"), {n: (rnd.choice(NAMES), "x") for n in range(rnd.randrange(3))},
                 (line, line), frozenset(NAMES[:rnd.randrange(4)]), items)
    shared.append(made)
    return made


def test_the_text_is_the_plain_recursions_whatever_the_nesting() -> None:
    rnd = random.Random(275)
    for _ in range(300):
        value = _value(rnd, 4, [])
        assert canonical_text(value) == _spec(value)


def _each_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """canonical's limits set small, so that a digest is hashed in many pieces, records are joined or left in parts
    and the texts kept run out: once at the defaults' size, then twice smaller."""
    for flush, pieces, kept in ((2048, 256, 1 << 16), (3, 4, 2), (1, 1, 0)):
        monkeypatch.setattr(canonical, "_FLUSH_PIECES", flush)
        monkeypatch.setattr(canonical, "_JOIN_PIECES", pieces)
        monkeypatch.setattr(canonical, "_MADE_MAX", kept)
        yield


def test_the_digest_is_the_texts_however_it_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small limits, so that the digest is hashed in many pieces, records are joined or left in parts and the
    # texts kept run out: each way the BLAKE2b (_b2) of the plain recursion's text.
    rnd = random.Random(439)
    for _ in _each_limit(monkeypatch):
        for _ in range(100):
            value = _value(rnd, 4, [])
            want = _b2(_spec(value).encode("utf-8", "surrogateescape")).hexdigest()
            assert canonical_digest(value) == want
            assert canonical_text(value) == _spec(value)


def _nested(lines: int) -> object:
    """A file of ``lines`` lines, nested as a series holds a diff's: record in tuple in record, six deep."""
    value: object = tuple(_Line(_Kind.ADDED, f"line {n}") for n in range(lines))
    for depth in range(6):
        value = _File(PurePosixPath(f"f{depth}.c"), {}, (), notes=[value])
    return value


def test_a_digest_holds_a_bounded_part_of_a_deep_values_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # It held the text of every object of the value whole, each its parts' again: a 900,000-line diff's lines some
    # eight times over (eval's keys, 1 GB more). Now the text is hashed as it is written, and what is kept of it for
    # a second meeting is bounded (here 100 texts).
    monkeypatch.setattr(canonical, "_MADE_MAX", 100, raising=False)
    value = _nested(20_000)
    size = len(canonical_text(value))
    tracemalloc.start()
    try:
        digest = canonical_digest(value)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digest == _b2(_spec(value).encode()).hexdigest()
    assert peak < size / 3, (peak, size)


def test_objects_of_the_classes_asked_are_written_as_their_own_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    # eval's comparisons' key (harness.comparecache): the variants share the states of the files they leave alone,
    # each written out again per variant. Whatever the limits (texts kept or not, hashed in pieces), the digest is
    # the BLAKE2b of the text that writes each such object as its own digest, from the plain recursion.
    rnd = random.Random(613)
    for _ in _each_limit(monkeypatch):
        for _ in range(100):
            value = _value(rnd, 4, [])
            for kinds in ((_File,), (_Line,), (_File, _Line)):
                want = _b2(_spec(value, kinds).encode("utf-8", "surrogateescape")).hexdigest()
                assert canonical_digest(value, by_digest=kinds) == want
            assert canonical_digest(value, by_digest=()) == canonical_digest(value)


def test_an_object_met_many_times_is_digested_once(monkeypatch: pytest.MonkeyPatch) -> None:
    digested: list[object] = []

    def counted(obj: object, *, by_digest: tuple[type, ...] = ()) -> str:
        digested.append(obj)
        return real(obj, by_digest=by_digest)
    real = canonical.canonical_digest
    monkeypatch.setattr(canonical, "canonical_digest", counted)
    shared = _File(PurePosixPath("a.c"), {n: (f"line {n}", "base") for n in range(50)}, ())
    other = _File(PurePosixPath("b.c"), {1: ("line", "base")}, ())
    value = [(shared, other), *[(n, shared) for n in range(6)], [shared]]
    real(value, by_digest=(_File,))
    assert digested == [shared, other]


@dataclass(frozen=True)
class _State:
    """As harness.filestate.FileState: equal objects (== and hash) may hold other lines."""

    path: str
    lines: dict[int, tuple[str, str]] = field(compare=False)


def test_equal_objects_that_hold_other_values_are_digested_apart() -> None:
    # By identity, not by ==: a memo of the digests keyed by the objects themselves would give b a's digest.
    a, b = _State("a.c", {1: ("x", "base")}), _State("a.c", {1: ("y", "base")})
    assert a == b and hash(a) == hash(b)
    keys = {canonical_digest(v, by_digest=(_State,)) for v in ((a, a), (a, b), (b, a), (b, b))}
    assert len(keys) == 4
    assert canonical_digest((a, _State("a.c", {1: ("x", "base")})), by_digest=(_State,)) == \
        canonical_digest((a, a), by_digest=(_State,))  # the value's: another object alike reads the same


class _Kind(Enum):
    ADDED = "+"


@dataclass(frozen=True)
class _Row:
    kind: _Kind
    text: str
    number: int | None
    flag: bool = False


@dataclass(frozen=True)
class _Rows:
    rows: tuple[_Row, ...]
    path: PurePosixPath


def test_a_record_of_plain_and_enum_fields_reads_as_it_did_field_by_field() -> None:
    # A hunk's lines are written in one piece each (canonical._flat): the text is the one written field by field, so
    # the keys made before read the same; a record holding another kind (a path) is written field by field still.
    rows = _Rows((_Row(_Kind.ADDED, "\t0x1,", 5), _Row(_Kind.ADDED, "b'", None, True)), PurePosixPath("a/b.c"))
    row = f"{__name__}._Row("
    kind = f"{__name__}._Kind:<_Kind.ADDED: '+'>"
    assert canonical_text(rows) == (
        f"{__name__}._Rows(({row}{kind},'\\t0x1,',5,False,),{row}{kind},\"b'\",None,True,),),"
        f"pathlib.PurePosixPath:PurePosixPath('a/b.c'),)")
    assert canonical_digest(rows) == hashlib.blake2b(canonical_text(rows).encode(), digest_size=32).hexdigest()
