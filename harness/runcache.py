"""Whole runs kept: a rerun on byte-identical inputs replays its results (ccache's direct mode).

The key (run_key) names what is known before the run: the command and every option as given (output paths, the
working folder when a path given is relative), the harness's own files (every file of its packages, data and
templates too), the installed distributions and Python, the terminal (what rich reads to wrap and colour: whether
each stream is one, its size, the streams' encodings) and the environment variables the code reads (ENVIRONMENT).
An entry holds what the run read, as harness.auditlog recorded it (each file's digest, each folder's listing), and
what it produced: stdout and stderr as written (in turn), each output file's bytes, the exit status. A lookup
re-reads every file and folder the entry names: any difference, an unreadable one, a damaged or other-shaped entry is
a miss, and the run made then is kept anew.

Never kept (_keepable, _recorded, harness.auditlog): a run that started another program (git for --tree, gcc for
--crosscheck: what they read is not seen), touched the network or read a fetched thread (whether its copy is too
old depends on the clock), whose forked child read or ran anything, a search cut short by its time budget, one with
--no-cache, one that failed (an exit status other than 0 or gate's verdict 1), one writing a report to stdout or a
pipe, and one that ran or replayed any code rather than read every outcome from the outcome cache
(harness.pipeline.run_variants says so): what is kept is then exactly what a filled-cache run prints. At a terminal,
what a run prints but the progress bars (drawn and erased: they depend on the timing) is kept, and a replay prints
that; the terminal, its size and colours, are of the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from harness import auditlog
from harness.atomic import Output, OutputKind, atomic_write_bytes, write_all, write_stdout
from harness.cachedir import cache_root
from harness.errors import UsageError
from harness.process import ExitStatus, Finished
from models.record import record

FORMAT = "seamharness-run-3"  # the shape of an entry and of its key; another is a miss (3: BLAKE2b digests)
PACKAGES = ("harness", "models", "reports", "series")  # pyproject's packages: their files are the harness
# What the code reads of the environment that changes what it prints (a test greps harness, models, reports,
# series and rich for the names they read): rich's terminal and colour settings, where caches are, PATH and
# GIT_PYTHON_GIT_EXECUTABLE (which programs run; --tree is refused without git), Python's I/O encoding, and the
# time zone.
ENVIRONMENT = ("COLORTERM", "COLUMNS", "DATABRICKS_RUNTIME_VERSION", "FORCE_COLOR", "GIT_PYTHON_GIT_EXECUTABLE",
               "HOME", "JUPYTER_COLUMNS", "JUPYTER_LINES", "LANG", "LC_ALL", "LC_CTYPE", "LINES", "NO_COLOR", "PATH",
               "PYTHONIOENCODING", "PYTHONUTF8", "SEAMHARNESS_TRACEBACK", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
               "TZ", "UNICODE_VERSION", "XDG_CACHE_HOME")
# As the outcome cache (harness.outcome_cache.MAX_CACHE_BYTES): past it, a run that keeps an entry removes the
# least recently used ones (a hit touches its entry) down to TRIM_TO of it. The corpus' entry is about 4 MB.
MAX_RUNS_BYTES = 256 * 1000 * 1000
TRIM_TO = 0.8
KEPT_CODE_STAMPS = 16  # harness digests kept (one per state of its files; each checkout sharing the cache has its own)
# A file changed this shortly before the run started, or since, may have been read other than as it is now.
_SETTLE_NS = 50_000_000
# The exit statuses of a run that finished: FAILED is a verdict (gate's), not a failure to run.
_FINISHED = (ExitStatus.OK, ExitStatus.FAILED)
HIT = "seamharness: results of an identical earlier run (same inputs, same harness; --no-cache to run again)"


@record
class _NothingSaid:
    """What harness.console.say_skipped reads of a series, empty: a kept or replayed run said its own lines."""

    notes: tuple[Any, ...] = ()
    skipped: tuple[Any, ...] = ()
    threads: tuple[Any, ...] = ()


@record
class Entry:
    """A kept run: what it read (path: digest), and what it printed, wrote (option: bytes) and exited with."""

    files: dict[str, str]
    folders: dict[str, str]
    status: int
    printed: tuple[tuple[int, str], ...]  # (0: stdout, 1: stderr; text), in the order written
    outputs: dict[str, bytes]


Run = Callable[[], tuple[Any, bool]]  # harness.process.Finished, and whether no code ran (all read from the cache)


def runs_folder() -> Path:
    return cache_root() / "runs"


def cached_run(command: str, params: dict[str, Any], outputs: dict[str, Output], run: Run) -> Finished:
    """``run()``'s Finished, or an identical earlier run's results replayed; a fit run is kept."""
    if params.get("no_cache") or not _command_line() or not _keepable(outputs):
        return run()[0]  # type: ignore[no-any-return]
    stamp = code_stamp()
    code = kept_code_digest(stamp)  # None: no run was kept for the harness's files as they are (nothing to look up)
    entry = None if code is None else lookup(run_key(command, params, outputs, code), outputs)
    if entry is not None:
        replay(entry, outputs)
        return Finished(_NothingSaid(), ExitStatus(entry.status))
    if not _outcomes_kept():
        return run()[0]  # type: ignore[no-any-return]  # all its code will run: a run not kept, not recorded
    return _recorded((command, params, outputs, stamp), run)


def outcomes_folder() -> Path:
    """The outcome cache's folder (harness.outcome_cache.default_cache_dir, whose module loads the mirror's)."""
    return cache_root() / "outcomes"


def _outcomes_kept() -> bool:
    """Whether the outcome cache holds anything: with none, every piece of code runs and the run is never kept, so it
    is not recorded (with the audit hook installed, each audited operation costs 1,900 instructions: 3% of the
    corpus' empty-cache eval, id()'s 180,000 calls)."""
    try:
        with os.scandir(outcomes_folder()) as it:
            return next(it, None) is not None
    except OSError:
        return False


def _command_line() -> bool:
    """Whether this process is a command line's own (harness.launch.command_line)."""
    launch = sys.modules.get("harness.launch")
    return bool(getattr(launch, "command_line", False))


def _keepable(outputs: dict[str, Output]) -> bool:
    """Reports to files only (one to stdout or a pipe is not read back). A terminal's runs are kept too: not their
    progress bars (_Tee)."""
    return all(o.kind is OutputKind.REPLACE and o.path is not None for o in outputs.values())


def run_key(command: str, params: dict[str, Any], outputs: dict[str, Output], code: str) -> str:
    """The digest of what is known of a run before it (``code``: the harness's, code_digest): see the module's
    docstring."""
    relative = any(not os.path.isabs(p) for k, v in params.items() for p in _paths(k, v))
    text = json.dumps([FORMAT, command, code, _installed(), sys.version,
                       {k: _plain(v) for k, v in sorted(params.items())},
                       [[o.option, o.kind.value, str(o.path)] for o in outputs.values()],
                       os.getcwd() if relative else None, _terminal(), [os.environ.get(k) for k in ENVIRONMENT]],
                      separators=(",", ":"))
    return _digest(text.encode("utf-8", "surrogateescape"))


def _digest(data: bytes | memoryview) -> str:
    """BLAKE2b (32 bytes) of ``data``, in 64 hex digits: every digest of this cache (keys, the harness's files, what a
    run read, an entry's integrity) is its own, never shown, and CPython's _blake2 hashes 4x faster than the builtin
    sha256 the command line has (harness.launch.builtin_hashes)."""
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def _paths(name: str, value: Any) -> list[str]:
    if isinstance(value, Path):
        return [str(value)]
    # The inputs, and the files a repeatable option names (click hands them as str): a relative one keys the folder.
    return [str(p) for p in value] if name in _PATH_LISTS and value else []


_PATH_LISTS = ("paths", "matrix_add")


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, Path) else value


_ROOT = Path(__file__).resolve().parents[1]  # where the PACKAGES are


def code_stamp(root: Path = _ROOT) -> str:
    """The stat stamp of the harness's files (_stamp): what their digest is kept under."""
    return _stamp(root)


def kept_code_digest(stamp: str) -> str | None:
    """The digest of the harness's files (tree_digest) a run kept for their very stat stamp; None when none did."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = (runs_folder() / f"code-{stamp}").read_text(encoding="ascii")
        if len(text) == 64:
            return text
    return None


def code_digest(stamp: str, root: Path = _ROOT) -> str | None:
    """The digest of the harness's files, worked out and kept when no run kept it (reading and hashing their 6.2 MB,
    571 files at 804c47aa, costs 131 M instructions, 81 M of them BLAKE2b's: only a run that is kept pays it); None
    when they changed since ``stamp`` was taken."""
    kept = kept_code_digest(stamp)
    if kept is not None:
        return kept
    digest = tree_digest(root)
    if _stamp(root) != stamp:
        return None
    with contextlib.suppress(UsageError):
        atomic_write_bytes(runs_folder() / f"code-{stamp}", digest.encode(), make_parents=True)
    return digest


def _files(root: Path) -> list[str]:
    """Every file of the PACKAGES below ``root`` (code, data, templates; no bytecode), in a fixed order."""
    found = []
    for package in PACKAGES:
        for folder, dirs, names in os.walk(root / package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            found += [os.path.join(folder, name) for name in sorted(names)]
    return found


def _stamp(root: Path) -> str:
    """The files' paths with their size, inode, and change and modification times in ns: a file written anew has
    another ctime, which no tool sets back (a content check that Python's own .pyc one, by mtime and size, is not)."""
    h = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=32)
    for path in _files(root):
        st = os.stat(path)
        h.update(f"{path}\0{st.st_size}\0{st.st_ino}\0{st.st_ctime_ns}\0{st.st_mtime_ns}\n".encode(
            "utf-8", "surrogateescape"))
    return h.hexdigest()


def tree_digest(root: Path) -> str:
    """BLAKE2b (_digest) over the files of the PACKAGES below ``root``: each one's path, size and bytes."""
    h = hashlib.blake2b(digest_size=32)
    for path in _files(root):
        with open(path, "rb") as f:
            data = f.read()
        h.update(f"{os.path.relpath(path, root)}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return h.hexdigest()


def _installed() -> list[list[str]]:
    """The distributions installed where Python imports from, by their metadata folders' names (which hold their
    versions): a dependency upgraded is another key. (importlib.metadata costs 40 ms to import and read.)"""
    found = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.append([entry, *sorted(n for n in os.listdir(entry or ".")
                                         if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))])
    return found


def _terminal() -> list[Any]:
    """What rich reads of the terminal to wrap and colour, and how stdout and stderr encode text."""
    seen: list[Any] = []
    for fd in (0, 1, 2):
        try:
            seen.append(list(os.get_terminal_size(fd)) if os.isatty(fd) else False)
        except OSError:
            seen.append(None)
    streams = (sys.stdout, sys.stderr)
    return [seen, [[getattr(s, "encoding", None), getattr(s, "errors", None)] for s in streams]]


def _entry_path(key: str) -> Path:
    return runs_folder() / f"{key}.run"


def lookup(key: str, outputs: dict[str, Output]) -> Entry | None:
    """The run kept under ``key`` when every file and folder it read is as it was then; None otherwise."""
    path = _entry_path(key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    entry = _parsed(key, data)
    if entry is None or not _unchanged(entry, _written(outputs)):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: trimmed last
    return entry


def _parsed(key: str, data: bytes) -> Entry | None:
    """An entry's text: its format line, the digest of the rest, a JSON line, then the output files' bytes (read
    through a view: the reports are not copied to be hashed)."""
    try:
        view = memoryview(data)
        first = data.index(b"\n")
        second = data.index(b"\n", first + 1)
        if data[:first] != FORMAT.encode() or \
                _digest(view[second + 1:]).encode() != data[first + 1:second]:
            return None
        third = data.index(b"\n", second + 1)
        head = json.loads(view[second + 1:third].tobytes())
        if head["key"] != key or sum(n for _, n in head["outputs"]) != len(data) - third - 1:
            return None
        outputs, at = {}, third + 1
        for option, n in head["outputs"]:
            outputs[str(option)] = data[at:at + n]
            at += n
        return Entry({str(k): str(v) for k, v in head["files"].items()},
                     {str(k): str(v) for k, v in head["folders"].items()}, int(head["status"]),
                     tuple((1 if int(which) else 0, str(text)) for which, text in head["printed"]), outputs)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _unchanged(entry: Entry, written: frozenset[str]) -> bool:
    try:
        return (all(_file_digest(p) == d for p, d in entry.files.items())
                and all(_listing_digest(p, written) == d for p, d in entry.folders.items()))
    except OSError:
        return False


def _file_digest(path: str) -> str:
    with open(path, "rb") as f:
        return _digest(f.read())


def _listing_digest(folder: str, written: frozenset[str]) -> str:
    """The names in ``folder`` but the run's own outputs (``written``: they come and go with the run, not before)."""
    names = sorted(n for n in os.listdir(folder) if os.path.join(folder, n) not in written)
    return _digest("\0".join(names).encode("utf-8", "surrogateescape"))


def _written(outputs: dict[str, Output]) -> frozenset[str]:
    return frozenset(os.path.abspath(str(o.path)) for o in outputs.values() if o.path is not None)


def _made(data: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: (data,)


def replay(entry: Entry, outputs: dict[str, Output]) -> None:
    """The kept run's output files written (atomically, harness.atomic), what it printed on stdout and stderr in the
    order it did (one file for both, 2>&1, gets the same bytes), and one line on stderr saying nothing ran now."""
    write_all([(outputs[option], _made(data)) for option, data in entry.outputs.items()])  # all or none
    for which, text in (*entry.printed, (1, HIT + "\n")):
        if which == 0:
            write_stdout(text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
            continue
        with contextlib.suppress(OSError):  # as rich's stderr: a line it cannot write is lost, not a failure
            sys.stderr.write(text)
            sys.stderr.flush()


class _Tee:
    """A stream as the run writes to it (sys.stdout, sys.stderr), what is written kept. Its bytes (``buffer``)
    asked for: written past what is kept, the run is not kept (``raw``). While progress bars are drawn on it
    (``drawing``, harness.console.with_progress), what is written is not kept but the text printed meanwhile as the
    console would print it without the bars (``said``): a replay prints the lines, never the bars."""

    def __init__(self, real: Any, which: int, printed: list[tuple[int, list[str]]]) -> None:
        self.real, self.which, self.printed = real, which, printed
        self.raw = self.drawing = False

    def write(self, text: str) -> int:
        n = self.real.write(text)
        if not self.drawing:
            self.said(text)
        return int(n) if n is not None else len(text)

    def said(self, text: str) -> None:
        if not self.printed or self.printed[-1][0] != self.which:  # a piece per turn of a stream
            self.printed.append((self.which, []))
        self.printed[-1][1].append(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            self.raw = True
        return getattr(self.real, name)


Asked = tuple[str, dict[str, Any], dict[str, Output], str]  # the command, its options, outputs, code_stamp()


def _recorded(asked: Asked, run: Run) -> Finished:
    """``run()`` with what it reads recorded and what it prints kept; the skipped inputs and notes said (as
    harness.console.say_skipped says them after a command) while it is recorded; kept when fit."""
    from harness.console import say_skipped
    from harness.lore import default_cache

    command, params, outputs, stamp = asked
    rec = auditlog.start(_not_inputs(), [str(params.get("cache_dir") or default_cache())])
    printed: list[tuple[int, list[str]]] = []
    tees = _Tee(sys.stdout, 0, printed), _Tee(sys.stderr, 1, printed)
    started, terminal = time.time_ns(), _terminal()  # a terminal resized meanwhile: text wrapped at another width
    sys.stdout, sys.stderr = tees
    try:
        done, fit = run()
        status = ExitStatus.BAD_INPUT if say_skipped(done.series, done.skipped) else done.status
    finally:
        sys.stdout, sys.stderr = tees[0].real, tees[1].real
        auditlog.stop(rec)
    code = code_digest(stamp) if fit and status in _FINISHED and not rec.unfit and not any(t.raw for t in tees) \
        and _terminal() == terminal else None
    if code is not None:  # the harness's files as the run began (not written meanwhile)
        key = run_key(command, params, outputs, code)
        _store(key, rec, started, status, [(which, "".join(parts)) for which, parts in printed], outputs)
    return Finished(_NothingSaid(), status)


def _not_inputs() -> list[str]:
    """What a run reads that is not its input: the harness's own packages (code_digest keys them) and the caches
    (the outcomes, the runs kept, the compiled regular expressions, records and page template, the source digests
    of models.sourcedigest)."""
    root = cache_root()
    return [*(str(_ROOT / p) for p in PACKAGES), str(outcomes_folder()), str(runs_folder()),
            *(str(root / prefix) for prefix in ("regex-", "record-init-", "jinja-", "source-"))]


def _store(key: str, rec: auditlog.Recording, started: int, status: ExitStatus, printed: list[tuple[int, str]],
           outputs: dict[str, Output]) -> None:
    """Keep the run under ``key``: not when an input cannot be read now or changed since the run began."""
    try:
        files = {p: _settled(p, started) for p in sorted(rec.files - rec.written)}
        folders = {p: _listing_digest(p, _written(outputs)) for p in sorted(rec.folders)}
        blobs = [(option, Path(str(o.path)).read_bytes()) for option, o in outputs.items()]
    except (OSError, ValueError):
        return
    head = json.dumps({"key": key, "files": files, "folders": folders, "status": int(status), "printed": printed,
                       "outputs": [[option, len(b)] for option, b in blobs]},
                      separators=(",", ":"))
    body = head.encode("utf-8", "surrogateescape") + b"\n" + b"".join(b for _, b in blobs)
    data = b"%s\n%s\n%s" % (FORMAT.encode(), _digest(body).encode(), body)
    with contextlib.suppress(UsageError):  # a read-only or full cache only costs speed
        atomic_write_bytes(_entry_path(key), data, make_parents=True)
        trim()


def _settled(path: str, started: int) -> str:
    """``path``'s digest; ValueError when it changed shortly before the run began or since (read other than now)."""
    if os.stat(path).st_mtime_ns >= started - _SETTLE_NS:
        raise ValueError(path)
    return _file_digest(path)


def trim(limit: int = MAX_RUNS_BYTES) -> int:
    """Past ``limit`` bytes of entries, the least recently used removed down to TRIM_TO of it, and all but the
    KEPT_CODE_STAMPS newest harness digests (code_digest); how many entries were removed."""
    runs: list[tuple[int, int, str]] = []
    stamps: list[tuple[int, int, str]] = []
    with contextlib.suppress(OSError), os.scandir(runs_folder()) as it:
        for e in it:
            kind = runs if e.name.endswith(".run") else stamps if e.name.startswith("code-") else None
            if kind is not None:
                with contextlib.suppress(OSError):
                    st = e.stat(follow_symlinks=False)
                    kind.append((st.st_mtime_ns, st.st_size, e.path))
    for _, _, path in sorted(stamps)[:-KEPT_CODE_STAMPS]:
        with contextlib.suppress(OSError):
            os.unlink(path)
    total, removed = sum(s for _, s, _ in runs), 0
    for _, size, path in sorted(runs) if total > limit else ():
        if total <= limit * TRIM_TO:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size
            removed += 1
    return removed


def runs_kept() -> tuple[int, int]:
    """How many runs are kept, and their bytes (``seamharness cache``)."""
    count = size = 0
    with contextlib.suppress(OSError), os.scandir(runs_folder()) as it:
        for e in it:
            if e.name.endswith(".run"):
                with contextlib.suppress(OSError):
                    size += e.stat(follow_symlinks=False).st_size
                    count += 1
    return count, size


def clear_runs() -> int:
    """Remove every kept run (``seamharness cache --clear``); how many."""
    return trim(-1)
