"""Writing outputs: ``-`` is stdout, a symlink is written through, a device or FIFO in place, a file atomically.

An output option (``--json FILE`` ...) is resolved before any work is done (``resolve_output``), so a
typo in a folder costs one line and exit status 2, not a finished run; the bytes are written at the
end (``write_output``). A regular file is replaced by a rename from a temporary file beside it, so a
reader never sees half a report; a symlink keeps its place and its target is replaced the same way;
an existing file that is not a regular one (a terminal, a pipe, ``/dev/null``, a FIFO) is written in
place and never renamed over; a missing folder is an error, never created. ``/dev/stdout`` and other
paths through ``/proc/self/fd`` name open files: the process's own stdout is stdout, the rest are
written in place (appended to, when a shell opened a regular file there).
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError, os_reason
from models.record import record

if TYPE_CHECKING:
    from harness.stagebeside import StagedBeside

STDOUT = "-"
_FD_DIR = re.compile(r"/proc/(?:self|thread-self|\d+)(?:/task/\d+)?/fd")
_MAX_LINKS = 40  # as the kernel's ELOOP limit (fs/namei.c, MAXSYMLINKS)


class OutputKind(Enum):
    """How an output's bytes reach their place."""

    STDOUT = "stdout"
    IN_PLACE = "in place"
    REPLACE = "replace"


@record
class Output:
    """A resolved output: the option and path as given, how it is written and the file written (None: stdout)."""

    option: str
    given: str
    kind: OutputKind
    path: Path | None
    append: bool = False

    @property
    def label(self) -> str:
        """``--json FILE`` as the user wrote it, for messages."""
        return f"{self.option} {self.given}".strip()


def _follow(path: Path, label: str) -> tuple[Path, bool]:
    """The end of ``path``'s symlink chain, absolute, and whether the chain passes through an open descriptor."""
    p = Path(os.path.abspath(path))
    for _ in range(_MAX_LINKS):
        parent = Path(os.path.realpath(p.parent))
        p = parent / p.name
        if _FD_DIR.fullmatch(str(parent)):
            return p, True
        if not p.is_symlink():
            return p, False
        p = parent / os.readlink(p)
    raise UsageError(label, "too many levels of symbolic links")


def _same_as_stdout(path: Path) -> bool:
    try:
        mine, theirs = os.fstat(sys.stdout.fileno()), os.stat(path)
    except (OSError, ValueError, AttributeError):  # a stdout without a descriptor (tests, embedding)
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def resolve_output(given: str | Path, option: str = "") -> Output:
    """Where an output option writes; UsageError (one line naming the option) when it cannot.

    Raises UsageError for a missing or unwritable folder, a directory in the way, a link loop.
    """
    text = str(given)
    label = f"{option} {text}".strip()
    if text == STDOUT:
        return Output(option, text, OutputKind.STDOUT, None)
    if not text:
        raise UsageError(option or None, "an empty path")
    try:
        end, through_fd = _follow(Path(text), label)
    except OSError as exc:  # a name or path longer than the system takes (ENAMETOOLONG): pathlib raises it
        raise UsageError(label, os_reason(exc)) from exc
    if through_fd:
        if _same_as_stdout(Path(text)):
            return Output(option, text, OutputKind.STDOUT, None)
        if not end.exists():
            raise UsageError(label, "no such open file")
        return Output(option, text, OutputKind.IN_PLACE, Path(text), append=True)
    try:
        st: os.stat_result | None = os.stat(end)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        st = None  # a file where a folder should be: said below
    except OSError as exc:
        raise UsageError(label, os_reason(exc)) from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(label, "is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return Output(option, text, OutputKind.IN_PLACE, end)
    folder = end.parent
    if not folder.is_dir():
        blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise UsageError(label, f"not a directory: {blocker}")
        raise UsageError(label, f"no such directory: {folder}")
    if st is not None:  # the file's own refusal first: it is what the user named
        _writable(end, label)
    check_folder_writable(folder, label)
    _probe(folder, label)
    return Output(option, text, OutputKind.REPLACE, end)


def check_folder_writable(folder: Path, label: str) -> None:
    """A folder an output is made in must let us write, and, as for a file (_writable), its mode bits must
    let its owner write: root may write in a read-only (0555) folder, which its owner made so that nothing
    is added to it. Raises UsageError."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(label, f"cannot write in {folder}: permission denied")
    mode = folder.stat().st_mode
    if not mode & stat.S_IWUSR:
        raise UsageError(label, f"cannot write in {folder}: it is read-only (mode {stat.S_IMODE(mode):04o})")


def _writable(path: Path, label: str) -> None:
    """An existing file the output replaces must be one its owner lets us write, as the shell's ``>`` asks: a
    read-only (0444) or immutable (chattr +i) report is refused now, not replaced, or refused after the run.
    Opened for appending and closed at once, it is not changed."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)))
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(label, f"cannot write it: {os_reason(exc)}") from exc
    # root may open any file for writing: the mode bits still say the file is not to be replaced.
    if stat.S_ISREG(mode) and not mode & stat.S_IWUSR:
        raise UsageError(label, f"cannot write it: it is read-only (mode {stat.S_IMODE(mode):04o})")


def _probe(folder: Path, label: str) -> None:
    """Make and remove a temporary file where the output will be made, before any work: a folder that takes
    no new file (/proc, /sys, a read-only mount) is refused now, not after the run, in the system's words."""
    import tempfile  # loaded where a file is written: random and hashlib's sha512 are 4 M instructions of `series`

    try:
        fd, tmp = tempfile.mkstemp(prefix=".seamharness-probe.", dir=folder)
    except OSError as exc:
        why = "it takes no new files" if exc.errno == errno.ENOENT else os_reason(exc)
        raise UsageError(label, f"cannot write in {folder}: {why}") from exc
    os.close(fd)
    os.unlink(tmp)


def write_output(out: Output, data: bytes) -> None:
    """Write ``data`` where ``out`` says; UsageError (one line) when the system refuses."""
    write_chunks(out, (data,))


def write_text(out: Output, pieces: Iterable[str]) -> None:
    """write_output for text made piece by piece (UTF-8): a file is written as the pieces come, so a large
    report is never one string in memory; stdout gets it only once every piece is made. A piece that
    fails to be made (an exception) leaves no file, as a failed write does."""
    write_chunks(out, (piece.encode("utf-8") for piece in pieces))


def write_chunks(out: Output, chunks: Iterable[bytes]) -> None:
    """write_output with the data in chunks (see write_text)."""
    if out.kind is OutputKind.REPLACE:
        assert out.path is not None
        atomic_write_chunks(out.path, chunks, label=out.label)
        return
    # stdout, a pipe or a device cannot be replaced whole: it gets nothing until every chunk is made.
    data = b"".join(chunks)
    if out.kind is OutputKind.STDOUT:
        write_stdout(data, out.label)
        return
    assert out.path is not None
    if out.kind is OutputKind.IN_PLACE:
        try:
            with open(out.path, "ab" if out.append else "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise UsageError(out.label, f"cannot write: {os_reason(exc)}") from exc


def write_stdout(data: bytes, label: str = "stdout") -> None:
    """``data`` to stdout now, whole. A write the system refuses (a full disk, ``> /dev/full``, EIO) is
    UsageError naming ``label``, as for a file: one line and exit 2, not a bug of ours; a reader that went
    away stays BrokenPipeError (status 141)."""
    try:
        stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        sys.stdout.flush()
        if stream is None:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        stream.flush()
        try:
            fd = stream.fileno()
        except (OSError, ValueError):  # not a file descriptor (a test's capture)
            stream.write(data)
            stream.flush()
            return
        _write_all(fd, data)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UsageError(label, f"cannot write: {os_reason(exc)}") from exc


def _write_all(fd: int, data: bytes) -> None:
    """Every byte to ``fd``, write by write: a reader that goes away midway is a BrokenPipeError at the
    next write (a buffered write of it all was seen to stop at the pipe's 64 KiB and report nothing)."""
    view, pos = memoryview(data), 0
    while pos < len(data):
        pos += os.write(fd, view[pos:])


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one follows the umask, as an ordinary file."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes, *, make_parents: bool = False, label: str | None = None) -> None:
    """Write ``data`` to ``path`` so that readers never see a half-written file.

    ``path`` must not be a symlink (``write_output`` resolves those); its folder is created only with
    ``make_parents`` (the tool's own caches). Raises UsageError when the system refuses.
    """
    atomic_write_chunks(path, (data,), make_parents=make_parents, label=label)


def atomic_write_chunks(path: Path, chunks: Iterable[bytes], *, make_parents: bool = False,
                        label: str | None = None) -> None:
    """atomic_write_bytes with the data in chunks, written to the temporary file as they come."""
    where = label or str(path)
    _put(_staged(path, chunks, where, make_parents), path, where)


def _staged(path: Path, chunks: Iterable[bytes], where: str, make_parents: bool = False) -> str:
    """The bytes in a temporary file beside ``path``, with the permissions ``path`` keeps or gets; nothing left
    behind when the system refuses (UsageError) or a chunk fails to be made."""
    import tempfile  # as in _probe

    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        why = "no such directory" if exc.errno == errno.ENOENT else os_reason(exc)
        raise UsageError(where, f"cannot write: {why}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(chunks)
        os.chmod(tmp, _mode_for(path))
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(where, f"cannot write: {os_reason(exc)}") from exc
        raise
    return tmp


def _put(tmp: str, path: Path, where: str) -> None:
    """A staged file renamed into place (the temporary one removed when that fails)."""
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(where, f"cannot write: {os_reason(exc)}") from exc
        raise


def write_all(outputs: Iterable[tuple[Output, Callable[[], Iterable[bytes]]]], beside: bool = False) -> None:
    """The outputs of one run, each with the maker of its bytes, all or none: every file's bytes go to a temporary
    file beside it first, then stdout, pipes and devices get theirs, and only then are the files renamed into
    place. One that fails (``--html /dev/full``, a full disk, a renderer's error) left the outputs written before it
    in place, made or replaced, beside the exit status 2 of a run that wrote nothing it could stand by.

    With ``beside``, each file after the first is made by a forked child while this process makes the first
    (harness.stagebeside: eval's JSON and HTML on two cores); one a child did not finish is made here in its turn,
    so what fails is said as without it."""
    from harness.signals import signals_held

    todo = list(outputs)
    ahead = _beside(todo) if beside else {}
    staged: list[tuple[str, Output]] = []
    try:
        for n, (out, make) in enumerate(todo):
            if out.kind is OutputKind.REPLACE:
                assert out.path is not None
                tmp = ahead[n].staged() if n in ahead else None
                staged.append((_staged(out.path, make(), out.label) if tmp is None else tmp, out))
                if tmp is not None:
                    _keep_mode(tmp, out.path, out.label)
        for out, make in todo:
            if out.kind is not OutputKind.REPLACE:
                write_chunks(out, make())
        with signals_held():  # a ^C between two renames would leave one output new and the other old
            while staged:
                tmp, out = staged[0]
                assert out.path is not None
                _put(tmp, out.path, out.label)
                staged.pop(0)
    finally:
        for child in ahead.values():
            child.drop()
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def forked(outputs: list[Output]) -> list[bool]:
    """Which of ``outputs`` write_all(..., beside=True) has a forked child make, by place: each file after the first,
    where this system forks."""
    files = [n for n, out in enumerate(outputs) if out.kind is OutputKind.REPLACE and out.path is not None]
    children = set(files[1:]) if len(files) > 1 and hasattr(os, "fork") else set()
    return [n in children for n in range(len(outputs))]


def _beside(todo: list[tuple[Output, Callable[[], Iterable[bytes]]]]) -> dict[int, StagedBeside]:
    """A forked child making each file of ``todo`` after the first (write_all), by the output's place in it."""
    children = [n for n, child in enumerate(forked([out for out, _ in todo])) if child]
    if not children:
        return {}
    from harness.stagebeside import StagedBeside

    ahead: dict[int, StagedBeside] = {}
    try:
        for n in children:
            out, make = todo[n]
            assert out.path is not None
            ahead[n] = StagedBeside(out.path, make)
    except BaseException:
        for child in ahead.values():
            child.drop()
        raise
    return ahead


def _keep_mode(tmp: str, path: Path, where: str) -> None:
    """A file staged by a child given the permissions ``path`` keeps or gets, as _staged gives its own."""
    try:
        os.chmod(tmp, _mode_for(path))
    except OSError as exc:
        raise UsageError(where, f"cannot write: {os_reason(exc)}") from exc


_SEQUENCE = itertools.count()  # the temporary names of write_entry in this process


def write_entry(folder: str, name: str, data: bytes) -> None:
    """The tool's own cache entry ``folder/name`` written whole or not at all, as atomic_write_bytes writes (a
    temporary file beside it renamed into place: a reader finds the old entry or the new one, never a part of
    one), in fewer steps for a run's many small entries (the corpus' eval writes 181): the temporary file named by
    this process' id and a count and made with O_EXCL (a name in use, left by a process that died: the next
    count), ``folder`` made only when that finds none, and no stat or chmod (an entry has the umask's mode, as
    any new file: one replaced does not keep its old mode). Raises UsageError when the system refuses."""
    path = os.path.join(folder, name)
    try:
        fd, tmp = _opened_beside(folder, name)
    except OSError as exc:
        raise UsageError(path, f"cannot write: {os_reason(exc)}") from exc
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(path, f"cannot write: {os_reason(exc)}") from exc
        raise


def _opened_beside(folder: str, name: str) -> tuple[int, str]:
    """A new file in ``folder`` for write_entry (made when missing: a run's first entry there, or another
    process' trim removed it), opened for writing; OSError when none can be made."""
    flags, made = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, False
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_SEQUENCE)}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if made:
                raise
            os.makedirs(folder, exist_ok=True)
            made = True
    raise FileExistsError(errno.EEXIST, "no temporary name left", folder)


def atomic_write_text(path: Path, text: str, *, make_parents: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents)
