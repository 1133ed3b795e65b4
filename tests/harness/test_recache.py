"""Patterns made from kept code are re's own patterns; a damaged, foreign or unwritable cache is only not used."""

from __future__ import annotations

import importlib
import inspect
import marshal
import os
import pkgutil
import re
import subprocess
import sys
import time
from array import array
from pathlib import Path

import pytest

from harness import recache

# Flags as re.compile hands them to re._compiler.compile: plain ints.
PATTERNS = [
    (r"(?P<entry>[A-Za-z_]\w*) \((?P<unit>[^()]*)\): (?P<why>.*)", int(re.DOTALL)),
    (r"\bNAC?K(?:ed)?\b|n['’]t\b", int(re.I)),
    (r"^\s*#\s*define\s+(\w+)(\(([^)]*)\))?", int(re.MULTILINE)),
    (rb"^diff --git a/.* b/(.*)$", 0),
    (r"(?x) a  b # verbose, its own flag", 0),
]
TEXTS = ["sc_retry (seamcall.c): no run\nreached", "NaKed, it isn’t", "  #define F(x) x\n#define G 1",
         "diff --git a/x.c b/y.c", "ab", "ÿ"]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty table and its own cache folder; re's compiler as it was, after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(recache, "_kept", {})
    monkeypatch.setattr(recache, "_used", {})
    monkeypatch.setattr(recache, "_state", recache._State())
    monkeypatch.setattr(re._compiler, "compile", recache._original)  # type: ignore[attr-defined]
    return tmp_path


def _same(a: re.Pattern[str] | re.Pattern[bytes], b: re.Pattern[str] | re.Pattern[bytes]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        subject = text.encode() if isinstance(a.pattern, bytes) else text
        assert [m.span() for m in a.finditer(subject)] == [m.span() for m in b.finditer(subject)]  # type: ignore
        assert [m.groups() for m in a.finditer(subject)] == [m.groups() for m in b.finditer(subject)]  # type: ignore


def _kept_patterns() -> list[re.Pattern[str] | re.Pattern[bytes]]:
    """PATTERNS compiled with the kept code installed, and saved to the file; re's own compiler put back."""
    recache.install()
    try:
        made = [recache._compile(p, f) for p, f in PATTERNS]
        recache.save()
    finally:
        re._compiler.compile = recache._original  # type: ignore[attr-defined]
    return made


def test_kept_code_makes_the_same_patterns_in_the_next_process(fresh: Path) -> None:
    made = _kept_patterns()
    assert recache._path().is_file()
    # The next process reads them all and makes none.
    # models.record first: the patterns its imports compile (dataclasses, tokenize) are this process's, not PATTERNS.
    code = ("import re, sys, models.record; from harness import recache; recache.install(); "
            f"ps = [re._compiler.compile(p, f) for p, f in {PATTERNS!r}]; "
            "print(recache._state.new, [(p.pattern, p.flags, p.groups) for p in ps] == "
            f"{[(m.pattern, m.flags, m.groups) for m in made]!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(fresh), "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.split() == ["False", "True"]
    for (p, f), m in zip(PATTERNS, made, strict=True):
        _same(m, recache._original(p, f))


def test_a_damaged_file_is_not_read(fresh: Path) -> None:
    recache.install()
    recache._compile(*PATTERNS[0])
    recache.save()
    re._compiler.compile = recache._original  # type: ignore[attr-defined]
    path = recache._path()
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    assert recache._read(path) == {}
    path.write_bytes(b"short")
    assert recache._read(path) == {}
    assert recache._read(path, streamed=True) == {}
    data[-3] ^= 0xFF  # whole again
    path.write_bytes(bytes(data))
    data[6] ^= 0xFF  # a length marshal would read as a huge one: the digest refuses it before any object is read
    path.write_bytes(bytes(data))
    assert recache._read(path, streamed=True) == {}


def test_the_patterns_are_written_and_read_at_exit_an_entry_at_a_time(fresh: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # At exit (save), where the run's peak memory is, the table's whole text (1.15 MB for the corpus' eval) was made
    # beside its objects, and the file's bytes read whole beside them: neither now, and the same table read back.
    recache.install()
    for p in PATTERNS[:3]:
        recache._compile(*p)
    made = dict(recache._used)
    whole = marshal.dumps

    def dumps(value: object, *args: int) -> bytes:
        assert not (isinstance(value, dict) and value.keys() & made.keys()), "the whole table made at once"
        return whole(value, *args)
    with monkeypatch.context() as m:
        m.setattr(marshal, "dumps", dumps)
        m.setattr(Path, "read_bytes", lambda self: pytest.fail("a file's bytes read whole at exit"))
        recache.save()
    re._compiler.compile = recache._original  # type: ignore[attr-defined]
    assert recache._read(recache._path()) == recache._read(recache._path(), streamed=True) == made


def test_the_file_keeps_each_patterns_code_as_bytes(fresh: Path) -> None:
    # Kept as lists, every opcode of every pattern in the file (550 patterns, 105,000 opcodes) became an int object
    # when read, in every process (21 M instructions): bytes are read whole, a pattern's unpacked when it is used.
    made = _kept_patterns()
    kept = recache._read(recache._path())
    assert len(kept) == len(PATTERNS) and all(type(entry[1]) is bytes for entry in kept.values())
    for (pattern, flags), m in zip(PATTERNS, made, strict=True):
        code = re._compiler._code(re._parser.parse(pattern, flags), flags)  # type: ignore[attr-defined]
        assert array(recache._CODE, kept[(type(pattern) is str, pattern, flags)][1]).tolist() == list(code)
        _same(m, recache._original(pattern, flags))


def test_code_the_engine_refuses_is_made_again(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = PATTERNS[2]
    entry = recache._make(pattern, flags)
    bad = (entry[0], array(recache._CODE, [99999, *array(recache._CODE, entry[1])[1:]]).tobytes(), *entry[2:])
    monkeypatch.setattr(recache, "_kept", {(True, pattern, flags): bad})
    _same(recache._compile(pattern, flags), recache._original(pattern, flags))
    assert recache._state.new  # made, to be kept in its place


def test_other_arguments_go_to_res_own_compiler(fresh: Path) -> None:
    assert recache._compile("a+", re.I).flags == re.compile("a+", re.I).flags  # a RegexFlag, not an int
    assert recache._compile("b" * (recache.MAX_PATTERN + 1)).pattern == "b" * (recache.MAX_PATTERN + 1)
    assert recache._used == {}
    with pytest.raises(re.error):
        recache._compile("(unclosed")


def test_an_unwritable_folder_is_no_error(fresh: Path) -> None:
    recache.install()
    recache._compile(*PATTERNS[1])
    re._compiler.compile = recache._original  # type: ignore[attr-defined]
    (fresh / "seamharness").write_text("a file where the folder would be")
    recache.save()  # raises nothing
    assert not recache._path().exists()


def test_the_console_script_keeps_its_patterns_code(tmp_path: Path) -> None:
    # Each process compiled its 400 patterns again (250 M instructions of a filled-cache eval of the corpus).
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "harness", "--help"], capture_output=True, timeout=60, check=True,
                       env=env)
    kept = list((tmp_path / "seamharness").glob("regex-*.marshal"))
    assert len(kept) == 1 and len(recache._read(kept[0])) > 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the rules are judged in a forked child only where os.fork exists")
def test_the_rules_child_keeps_the_patterns_it_compiled(fresh: Path) -> None:
    # The rules' patterns are compiled in the forked child alone: not kept, they were compiled again by every run.
    from harness.workers import shared_jobs

    parent = os.getpid()

    def job(n: int) -> str | None:
        if os.getpid() == parent:
            time.sleep(0.2)  # the child takes the others
            return None
        return recache._compile(rf"\bchild\s+only{n}\b", 0).pattern

    recache.install()
    try:
        made = [p for p in shared_jobs(6, job, 2)() if p is not None]
    finally:
        re._compiler.compile = recache._original  # type: ignore[attr-defined]
    assert made, "the child took no job"
    kept = recache._read(recache._path())
    assert all((True, p, 0) in kept for p in made)


def test_a_python_whose_re_compiles_in_other_steps_compiles_as_re_does(fresh: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # The kept code rests on re's private steps (_parser.parse, _compiler._code, _sre.compile): when they change
    # shape, every pattern is re's own, never an error of ours.
    def changed(*_args: object) -> object:
        raise TypeError("_code() takes 3 positional arguments")

    monkeypatch.setattr(recache, "_make", changed)
    made = recache._compile(*PATTERNS[0])
    _same(made, re.compile(PATTERNS[0][0], PATTERNS[0][1]))
    assert not recache._used
    with pytest.raises(re.error):
        recache._compile("(unclosed", 0)


def test_no_kept_code_without_the_steps_it_rests_on(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(re._compiler, "_code")  # type: ignore[attr-defined]
    recache.install()
    assert re._compiler.compile is recache._original  # type: ignore[attr-defined]


_RECORDS = '''
import sys
from harness import recache
recache.install()
import models.record as r
made = []
real = compile
r.compile = lambda *a, **k: made.append(a[0]) or real(*a, **k)  # the compiles of models.record alone
import harness.reportview
from models.record import record

@record
class P:
    a: int
    b: str = "x"

recache.save()
print(len(made), len(r.init_code()), repr(P(1)), P(1) == P(1, "x"), hash(P(1)) == hash(P(1, "x")))
'''


def test_record_inits_are_kept_for_the_next_process(fresh: Path) -> None:
    # The __init__ of each shape of @record class is compiled once (models.record), then kept as the patterns are:
    # the next process compiles none of the shapes it had, and makes the same records (18 M instructions of a
    # filled-cache eval). A damaged file is not read: each shape is compiled again.
    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", _RECORDS], capture_output=True, text=True, timeout=60,
                              check=True, env={**os.environ, "XDG_CACHE_HOME": str(fresh),
                                               "PYTHONPATH": os.pathsep.join(sys.path)})
        return done.stdout.split()

    first = run()
    assert int(first[0]) > 10 and first[1] == first[0] and first[2:] == ["P(a=1,", "b='x')", "True", "True"], first
    assert recache._init_path().is_file()
    assert run() == ["0", *first[1:]]
    path = recache._init_path()
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    assert run() == first


def _own_patterns() -> list[tuple[str, str | bytes]]:
    """(where, pattern) of every pattern the harness's modules hold, compiled (re.Pattern) or to be compiled at first
    use (models.lazyre.lazy: the pattern is in the cached function's closure)."""
    import harness
    from models.lazyre import lazy

    lazy_code = lazy("").__wrapped__.__code__  # type: ignore[attr-defined]
    out: list[tuple[str, str | bytes]] = []
    for info in pkgutil.iter_modules(harness.__path__, "harness."):
        if info.name in ("harness.__main__", "harness.bench", "harness.benchstages"):
            continue  # a command, not patterns
        mod = importlib.import_module(info.name)
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                out.append((f"{info.name}.{name}", value.pattern))
            elif getattr(getattr(value, "__wrapped__", None), "__code__", None) is lazy_code:
                out.append((f"{info.name}.{name}", inspect.getclosurevars(value.__wrapped__).nonlocals["pattern"]))
    from harness.regate import _ALL  # the gated ones (harness.regate), compiled at their first text that may match

    return out + [(f"harness.regate: {g.pattern[:40]}", g.pattern) for g in _ALL]


def test_the_harnesss_own_patterns_are_kept() -> None:
    """Every pattern of the harness's own is short enough to be kept (MAX_PATTERN): the review-reply phrase lists
    grew past the 4,096 characters that were the cap, and three of them (4,299 to 5,994 characters) were parsed and
    compiled again by every eval of the corpus (some 1% of its instructions)."""
    found = _own_patterns()
    assert len(found) > 100  # the walk finds them: module-level patterns and lazy ones alike
    assert [(where, len(p)) for where, p in found if len(p) > recache.MAX_PATTERN] == []


_DATACLASSES = '''
import sys
if sys.argv[1] == "kept":
    from harness import recache
    recache.install()
import dataclasses
import models.record as r
made = []
real = compile
r.compile = lambda *a, **k: made.append(a[0]) or real(*a, **k)  # the compiles of models.record alone

@dataclasses.dataclass(order=True)
class D:
    a: int
    b: list = dataclasses.field(default_factory=list)

@dataclasses.dataclass(frozen=True)
class F:
    x: int = 3

try:
    F().x = 4
except dataclasses.FrozenInstanceError as exc:
    frozen = type(exc).__name__
if sys.argv[1] == "kept":
    recache.save()
print(len(made), repr(D(1)), D(1) == D(1, []), D(1) < D(2), hash(F()) == hash(F(3)), repr(F()), frozen,
      D.__init__.__qualname__, D.__init__.__code__.co_filename)
'''


def test_plain_dataclasses_methods_are_kept_for_the_next_process(fresh: Path) -> None:
    # The methods dataclasses writes for a plain @dataclass class (__init__, __repr__, __eq__, ordering, frozen
    # __setattr__, __hash__) are compiled once per text and kept with the @record shapes (models.record.kept_exec):
    # an eval's 55 such classes compiled 188 texts, some 20 ms. The classes are those dataclasses makes without it.
    def run(how: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", _DATACLASSES, how], capture_output=True, text=True, timeout=60,
                              check=True, env={**os.environ, "XDG_CACHE_HOME": str(fresh),
                                               "PYTHONPATH": os.pathsep.join(sys.path)})
        return done.stdout.split()

    plain = run("plain")
    assert plain[0] == "0"
    first = run("kept")
    assert int(first[0]) >= 6 and first[1:] == plain[1:], (first, plain)
    assert run("kept") == ["0", *plain[1:]]


def test_the_patterns_of_records_imports_are_made_from_kept_code(fresh: Path) -> None:
    # dataclasses' and tokenize's (inspect's) module patterns: models.record is loaded after install(), so they are
    # read from the file too (they were compiled by re's own parser in every process).
    code = ("import sys; from harness import recache; recache.install(); import tokenize, dataclasses; "
            "print(sorted(p for p in (tokenize.cookie_re.pattern, dataclasses._MODULE_IDENTIFIER_RE.pattern) "
            "if not any(k[1] == p for k in recache._used)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(fresh), "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.split() == ["[]"]
