"""What a run reads, as the interpreter's audit events tell it: files opened, folders listed, programs run.

harness.runcache keeps a run's results under what it read. What was read is recorded, not guessed: one
``sys.addaudithook`` hook (installed at the first recording; hooks cannot be removed, so it returns at once while
no recording is on) notes every file opened for reading, every folder listed, and each opened file's folder (a file
made beside it later, which the run would have found by an existence check no event reports, changes its listing).
A run that starts another program (git for --tree, gcc for --crosscheck) or touches the network (lore) read what no
event names: it is marked unfit (``Recording.unfit``), and so is one a forked child of it (the matrix's workers, the
rules' child) saw read or start anything: the child's memory is not the parent's, so it leaves a file in the
recording's own folder, which the parent finds when the recording stops.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from typing import Any

# Events that start another program: what it reads is not known here.
_SPAWNS = frozenset({"subprocess.Popen", "os.posix_spawn", "os.spawn", "os.exec", "os.system", "os.startfile",
                     "pty.spawn"})
# Event prefixes of the network (lore): what a server answers is not an input a later run can check.
_NETWORK = ("socket.", "http.", "urllib.", "ftplib.", "smtplib.", "ssl.")
# seamharness's own events (sys.audit("seamharness.unsure", why)): a result that rests on the clock (a regular
# expression's search that ran out of time, harness.rebudget) is not one to replay.
_OWN = "seamharness."
_WATCHED = frozenset({"open", "os.listdir", "os.scandir", *_SPAWNS})
_PREFIXES = (*_NETWORK, _OWN)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Files whose reading no later run can check: the system's changing state (a device, /proc). /dev/null is nothing.
_UNCHECKABLE = ("/proc/", "/sys/", "/dev/")
_NOTHING = frozenset({"/dev/null"})


class Recording:
    """What one recorded run read (absolute paths), wrote, and why it is unfit to keep (empty: fit)."""

    def __init__(self, skipped: Iterable[str], unfit_under: Iterable[str]) -> None:
        self.files: set[str] = set()
        self.folders: set[str] = set()
        self.written: set[str] = set()
        self.unfit: list[str] = []
        self.skipped = tuple(_folder(p) for p in (*_python_folders(), *skipped))
        self.unfit_under = tuple(_folder(p) for p in unfit_under)
        self.import_folders = frozenset(os.path.abspath(p or os.curdir) for p in sys.path)
        self.marks = tempfile.mkdtemp(prefix="seamharness-record.")  # where a forked child leaves its mark
        self.busy = False
        self.marked = False

    def note_open(self, path: Any, mode: Any, flags: Any) -> None:
        if isinstance(path, int) or path is None:
            return  # an open file's descriptor: its opening was noted
        name = os.path.abspath(os.fsdecode(path))
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE_FLAGS)
        if writes:
            self.written.add(name)
        elif name not in self.written and self._read(name):
            self.files.add(name)
            self.folders.add(os.path.dirname(name))

    def note_listing(self, path: Any) -> None:
        if isinstance(path, int):
            self.unfit.append("a folder listed by its descriptor")
            return
        name = os.path.abspath(os.fsdecode(path if path is not None else "."))
        if name in self.import_folders:
            return  # the import system's listing (its finder's cache): an input file's folder is noted by its opening
        if self._read(name):
            self.folders.add(name)

    def size(self) -> int:
        """How much is noted of what was read: a change says an event was noted."""
        return len(self.files) + len(self.folders) + len(self.unfit)  # what a child writes is no input

    def _read(self, name: str) -> bool:
        """Whether ``name`` is an input to note (not Python's own, nor a cache's); an uncheckable one marks the run."""
        if name.endswith(".pyc") or f"{os.sep}__pycache__{os.sep}" in name or name in _NOTHING:
            return False
        if name.startswith(self.unfit_under) or name.startswith(_UNCHECKABLE):
            self.unfit.append(f"read {name}")
            return False
        return not name.startswith(self.skipped) and name + os.sep not in self.skipped


_on: Recording | None = None
_hooked = False
_in_child = False


def _forked() -> None:
    global _in_child
    _in_child = True


def _hook(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audited operation while Python runs (id() is one: 180,000 calls in the corpus' eval): the
    # events of no interest leave at once.
    global _on
    rec = _on
    if rec is None or (event not in _WATCHED and not event.startswith(_PREFIXES)) or rec.busy:
        return
    rec.busy = True  # what the hook itself does (a child's mark) raises events too
    try:
        _noted(rec, event, args)
    except Exception as exc:  # an exception here would be raised by the operation audited: the run is only unfit
        rec.unfit.append(f"{event}: {exc!r}")
    finally:
        rec.busy = False
    if rec.unfit and not _in_child:
        _on = None  # unfit for good: nothing more to note here (stop() still reads the children's marks)


def _noted(rec: Recording, event: str, args: tuple[Any, ...]) -> None:
    before = rec.size()
    if event == "open":
        rec.note_open(*args[:3])
    elif event in ("os.listdir", "os.scandir"):
        rec.note_listing(args[0] if args else None)
    elif event in _SPAWNS or event.startswith(_NETWORK) or event.startswith(_OWN):
        rec.unfit.append(f"{event} {args[:1]!r}")
    if _in_child and not rec.marked and rec.size() != before:
        rec.marked = True
        fd = os.open(os.path.join(rec.marks, str(os.getpid())), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{event} {args[:1]!r}"[:200].encode("utf-8", "replace"))
        finally:
            os.close(fd)


def start(skipped: Iterable[str] = (), unfit_under: Iterable[str] = ()) -> Recording:
    """Record from now on (``skipped``: folders and files that are no input, a cache's; reading under
    ``unfit_under`` makes the run unfit: fetched threads, whose use depends on their age)."""
    global _on, _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        os.register_at_fork(after_in_child=_forked)
        _hooked = True
    rec = Recording(skipped, unfit_under)
    _on = rec
    return rec


def stop(rec: Recording) -> None:
    """Record no more; a forked child's mark makes the run unfit. The marks' folder is removed."""
    global _on
    if _on is rec:
        _on = None
    try:
        for name in os.listdir(rec.marks):
            path = os.path.join(rec.marks, name)
            with open(path, "rb") as f:
                rec.unfit.append(f"forked child {name}: {f.read().decode('utf-8', 'replace')}")
            os.unlink(path)
        os.rmdir(rec.marks)
    except OSError as exc:
        rec.unfit.append(f"the children's marks: {exc}")


def _folder(path: str) -> str:
    """An absolute path; a folder's ends with the separator (a prefix of what is in it, never of a sibling)."""
    name = os.path.abspath(path)
    return name + os.sep if os.path.isdir(name) else name


def _python_folders() -> list[str]:
    """Python's own library and the installed packages' folders: their code is keyed by version, not read.
    (sysconfig.get_paths() would cost 10 ms.)"""
    import site

    return [os.path.dirname(os.__file__), *site.getsitepackages(), site.getusersitepackages()]
