"""The outcome cache's entries a command line's process holds until its verdicts are in, written then by a child."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from harness.atomic import write_entry
from harness.errors import UsageError
from harness.signals import ignore_signals


class HeldStore(Protocol):
    """What the held entries are of (harness.outcome_cache.OutcomeCache): made late, trimmed once written."""

    folder: Path

    def put_data_later(self, key: str, make: Callable[[], Any]) -> None: ...

    def trim(self, limit: int | None = None) -> int: ...


class _Later:
    """The entries a command line's process holds until its verdicts are in (defer_writes), written then by a child
    beside the report (start_writes), on the core the rules' child has left, rather than each in its turn on the
    path of the matrix and the comparisons (the corpus' empty-cache eval: some 150 entries and 100 folders made by
    this process, 0.1-0.5 ms of the kernel's each). A child, not a thread: a thread back from each of its calls
    waits for this process to give the interpreter up (up to 5 ms a time). Forked workers, whose pid is not
    ``owner``, write theirs at once, and read the held ones from here as this process does."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Nothing held: as before a command's defer_writes."""
        self.owner = 0  # the pid whose entries are held (0: none; each entry written when it is put)
        self.entries: dict[str, tuple[str, str, bytes]] = {}  # path: (folder, name, bytes), as put
        self.makers: list[tuple[HeldStore, str, Callable[[], Any]]] = []  # put_data_later's, made by the writer
        self.trims: dict[Path, HeldStore] = {}  # the caches trim() was asked of meanwhile: trimmed once entries are
        # written
        self.started = False  # start_writes was called: what is put from then on is written at once
        self.writer = 0  # the pid of the child writing them (0: none)


_later = _Later()


def holding() -> bool:
    """Whether this process' entries are held (defer_writes, until start_writes)."""
    return _later.owner == os.getpid() and not _later.started


def hold_entry(path: Path, folder: str, name: str, data: bytes) -> None:
    """Hold an entry (harness.atomic.write_entry's ``folder``, ``name``, ``data``) until start_writes; ``path``: its
    file, where entry_text reads it meanwhile."""
    _later.entries[str(path)] = (folder, name, data)


def hold_maker(store: HeldStore, key: str, make: Callable[[], Any]) -> None:
    """``store.put_data_later(key, make)``, called by start_writes' child."""
    _later.makers.append((store, key, make))


def hold_trim(store: HeldStore) -> None:
    """``store.trim()``, by start_writes' child once the entries are written: they are of its size."""
    _later.trims[store.folder] = store


def defer_writes() -> None:
    """Hold this process' entries until start_writes, in a command line's own process (harness.launch.command_line),
    which leaves through harness.process.leave: its finish_writes writes them. A library caller's (a test's) are
    written as they are put: it may read the folder next."""
    # A process running a second command (main() called again, as tests and library callers may): the first one's
    # entries are written, its writer waited for, before this one reads the cache, or it would miss what they hold.
    finish_writes()
    _later.reset()  # each command holds its own entries from a fresh start
    launch = sys.modules.get("harness.launch")
    if getattr(launch, "command_line", False):
        _later.owner = os.getpid()


def start_writes() -> None:
    """Write the held entries in a forked child (then trim the caches that asked), and every entry put from now on
    at once. Called once this process forks no worker any more: what they put and read is as before."""
    if not holding():
        return
    _later.started = True
    if not _later.entries and not _later.trims and not _later.makers:
        return
    try:
        pid = os.fork()
    except OSError:  # no process to spare: written here, as each was when put
        _write_held()
        return
    if pid == 0:  # the writer: a ^C or SIGTERM sent to the command's group leaves it to finish (tenths at most)
        try:
            ignore_signals()
            _write_held()
        finally:
            os._exit(0)
    _later.writer = pid
    # The writer has them now: dropped here, where the report is written next (the corpus' eval: 1.1 MB of entries,
    # room its JSON takes rather than growing the process' peak). entry_text reads them from their files, once written.
    _later.entries, _later.makers, _later.trims = {}, [], {}


def finish_writes() -> None:
    """start_writes, and wait until every held entry is written."""
    start_writes()
    if _later.writer and _later.owner == os.getpid():
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_later.writer, 0)
        _later.writer = 0


def _write_held() -> None:
    """What start_writes writes: a cache that cannot be written only costs speed, as when each was put."""
    for folder, name, data in list(_later.entries.values()):
        with contextlib.suppress(UsageError):
            write_entry(folder, name, data)
    for store, key, make in _later.makers:
        with contextlib.suppress(Exception):  # an entry not made only costs speed, as one not written
            store.put_data_later(key, make)  # writing started: made and written now
    for cache in list(_later.trims.values()):
        with contextlib.suppress(OSError):  # trim passes over what another process removes meanwhile
            cache.trim()


def entry_text(path: Path) -> str:
    """An entry's text: held (defer_writes) or in its file (OSError when absent, ValueError when not UTF-8). Once
    start_writes gave the held ones to its writer, this process reads a file only when the writer is done: an entry
    it held is then in its file, never a miss (eval reads none after: tests/harness/test_heldwrites.py)."""
    held = _later.entries.get(str(path))
    if held is not None:
        return held[2].decode("utf-8")
    if _later.writer and _later.owner == os.getpid():
        finish_writes()
    return path.read_text(encoding="utf-8")
