"""Compiled regular expressions kept between runs, as Python keeps a module's bytecode: re's compiler is Python code.

Parsing a pattern and generating its code (re._parser, re._compiler) cost some 250 M instructions of a filled-cache
eval of the corpus, 400 patterns, each compiled again by every process. The code depends only on the pattern, its
flags and the Python that made it, so the pattern objects are made from code kept under
``$XDG_CACHE_HOME/seamharness`` (_sre.compile checks the code it is given, as it checks re's own). What a pattern
matches is decided by the same code either way: nothing about a result is kept.

The ``__init__`` of each shape of @record class (models.record) is kept alike, the code ``compile`` made of its text
(keyed by the text), as jinja2 keeps the page template's code in the same folder: 18 M instructions of that eval.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import contextlib
import hashlib
import marshal
import os
import re
import sys
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

from harness.cachedir import cache_root

# The Python and the regular expression engine the code was made for: another one's is never read. Each pattern's code
# is kept as its bytes: read back as a list of ints, marshal made an int object of every opcode of all ~550 patterns
# the file holds (21 M instructions of every command), where a run uses some of them (eval 480, series 200).
_CODE = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), "")  # array's type of one opcode
_VERSION = f"crc32\0code-bytes\0{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0" \
    f"{_sre.MAXGROUPS}"
_TAG = hashlib.sha256(_VERSION.encode()).hexdigest()[:16]
MAX_ENTRIES = 4096  # past this many, the file holds the patterns of the last run alone
# Characters: a longer pattern (made from input text) is compiled each time and never kept. The harness's own longest,
# the review replies' phrase lists (harness.droprequest, harness.refusednumbers), are some 6,000: at 4,096 three of
# them were parsed and compiled again by every eval (tests/harness/test_recache.py holds every own pattern under it);
# harness.concernwords._REMOVED, which names every flaw word, reached 19,098 in round 70.
MAX_PATTERN = 24576

Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]  # the code as array(_CODE)'s bytes
_Key = tuple[bool, str | bytes, int]

_kept: dict[_Key, Entry] = {}  # read from the file
_used: dict[_Key, Entry] = {}  # made or read in this process
_original = _compiler.compile


class _State:
    """Where the file is (set by install) and whether this process made code the file lacks."""

    path: Path | None = None
    new = False
    inits: frozenset[str] = frozenset()  # the record __init__ texts the file held (or was given) this run


_state = _State()


def _path() -> Path:
    return cache_root() / f"regex-{_TAG}.marshal"


def _init_path() -> Path:
    return cache_root() / f"record-init-{_TAG}.marshal"


def _read(path: Path, streamed: bool = False) -> dict[Any, Any]:
    """The file's entries; none when it is absent, damaged (its digest) or of another form. ``streamed``: its bytes
    are never held whole (save, at exit, where the run's peak memory is: the 1.15 MB of the corpus' eval's patterns
    beside their objects), at the price of marshal's reads from the file (some 30,000 calls: not at every start)."""
    try:
        if not streamed:
            data = path.read_bytes()
            check, body = data[:4], memoryview(data)[4:]  # not a copy of the file's bytes
            if len(check) != 4 or zlib.crc32(body) != int.from_bytes(check, "big"):
                return {}
            table = marshal.loads(body)
        else:
            with open(path, "rb") as f:
                check, crc = f.read(4), 0
                while piece := f.read(1 << 16):
                    crc = zlib.crc32(piece, crc)
                if len(check) != 4 or crc != int.from_bytes(check, "big"):
                    return {}  # checked whole before any of it is read as objects
                f.seek(4)
                table = marshal.load(f)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def _make(pattern: str | bytes, flags: int) -> Entry:
    """What re._compiler.compile hands _sre.compile, besides the pattern (the same steps)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # The opcodes are int subclasses (re._constants): plain ints, packed as _sre reads them (CODESIZE bytes each).
    return int(flags | parsed.state.flags), array(_CODE, code).tobytes(), parsed.state.groups - 1, groupindex, \
        tuple(indexgroup)


def _compile(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
    """re._compiler.compile, from kept code when there is some."""
    if type(pattern) not in (str, bytes) or type(flags) is not int or flags & re.DEBUG or len(pattern) > MAX_PATTERN:
        return _original(pattern, flags)  # type: ignore[no-any-return]
    key = (type(pattern) is str, pattern, flags)
    entry = _kept.get(key)
    if entry is not None:
        with contextlib.suppress(TypeError, ValueError, RuntimeError, OverflowError, IndexError):
            final, code, groups, groupindex, indexgroup = entry
            made: re.Pattern[Any] = _sre.compile(pattern, final, array(_CODE, code).tolist(), groups,
                                                 dict(groupindex), indexgroup)
            _used[key] = entry
            return made
    try:
        entry = _make(pattern, flags)
        final, code, groups, groupindex, indexgroup = entry
        made = _sre.compile(pattern, final, array(_CODE, code).tolist(), groups, dict(groupindex), indexgroup)
    except re.error:
        raise  # a bad pattern: re's own error, as re.compile raises it
    except Exception:  # re's private steps changed shape (another Python): re's own compile decides
        return _original(pattern, flags)  # type: ignore[no-any-return]
    _used[key] = entry
    _state.new = True
    return made


def install() -> None:
    """Compile every pattern of this process through the kept code (re.compile and re's functions alike)."""
    if not (_CODE and callable(getattr(_parser, "parse", None)) and callable(getattr(_compiler, "_code", None))):
        return  # a Python whose re compiles in other steps (or other opcodes): every pattern compiled as re does
    try:
        path = _path()
    except (RuntimeError, KeyError, OSError):  # no home folder to find: every pattern compiled as re does
        return
    _kept.update(_read(path))
    _state.path = path
    _compiler.compile = _compile
    # Loaded here, after the patterns are: its imports (dataclasses, inspect's tokenize) compile three of their own.
    from models.record import keep_init_code, kept_exec

    # The compiled __init__ of @record classes (models.record), kept alike: made from the same text, by this Python.
    inits = _read(_init_path())
    keep_init_code(inits)
    _state.inits = frozenset(inits)
    # And the methods dataclasses writes for a plain @dataclass class, kept in the same table (models.record.kept_exec).
    import dataclasses

    setattr(dataclasses, "exec", kept_exec)  # noqa: B010  # its module's exec(), looked up at each call


def save() -> None:
    """Keep the code of the patterns this process made (with what was kept, up to MAX_ENTRIES), when it made any.
    Never raises: a cache that cannot be written is only not used next time."""
    from models.record import init_code

    path = _state.path
    if path is not None and not _state.inits.issuperset(init_code()):
        inits = {**_read(_init_path(), streamed=True), **init_code()}
        _write(_init_path(), inits if len(inits) <= MAX_ENTRIES else init_code())
        _state.inits = frozenset(init_code())
    if not _state.new or path is None:
        return
    # What another process (the rules' forked child, another run) kept since this one read the file stays.
    table = {**_read(path, streamed=True), **_kept, **_used}
    if len(table) > MAX_ENTRIES:
        table = dict(_used)
    if _write(path, table, streamed=True):
        _state.new = False


def _pieces(table: dict[Any, Any]) -> Iterator[bytes]:
    """marshal.dumps(table, 2), an entry at a time: a dict's code, each key's and value's, the end's (version 2 marks
    no object as referred to again, so each is whole alone). The table's whole text, 1.15 MB for the corpus' eval,
    was made at exit beside its objects, the run's peak memory."""
    yield b"{"
    for k, v in table.items():
        yield marshal.dumps(k, 2) + marshal.dumps(v, 2)
    yield b"0"


def _write(path: Path, table: dict[Any, Any], streamed: bool = False) -> bool:
    """The table in the file, replaced whole (its digest first); whether it was written. ``streamed``: made an entry
    at a time (_pieces); not the record inits', whose code objects marshal's version 2 writes a fifth larger."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    written = False
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as f:  # the digest's place first, written once the body is
            f.write(bytes(4))
            crc = 0
            for piece in _pieces(table) if streamed else (marshal.dumps(table),):
                f.write(piece)
                crc = zlib.crc32(piece, crc)
            f.seek(0)
            f.write(crc.to_bytes(4, "big"))
        os.replace(temp, path)
        written = True
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)
    return written
