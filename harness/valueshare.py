"""The comparisons' value runs handed to the rules' child forked beside them (eval on two cores).

The child judges the rules while this process makes the comparisons (harness.workers.shared_jobs): it is forked
before them, so the value runs the comparisons make (harness.valuecover, kept per code and request) were made again
by the rules that compare the same code (the corpus: 150 of the child's 192). This process appends each value
run it makes to a file both hold (unlinked, made before the fork), and the child reads what is there before it makes
one: a run of the same code and request is the same run (the premise of valuecover's own memo, and of the outcome
cache). Nothing waits for the other: a run the child needs before this process has made it, the child makes.

The file is one writer's: records (length, pickled runs) after a header holding the length written so far, which
is updated after the records it counts, so that a reader never reads part of one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import tempfile
from typing import IO, Any

_HEADER = struct.Struct("<q")  # the bytes of records written, after the header
_LENGTH = struct.Struct("<I")  # one record's length


class _Share:
    """The file, the process that writes it, how far it has written and how far the reader has read."""

    def __init__(self, owner: object) -> None:
        self.owner = owner  # the matrix whose value runs are shared (of any result run with it: harness.valuecover)
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  # closed by stop_sharing
        self.writer = os.getpid()
        self.written = 0
        self.read = 0
        os.pwrite(self.file.fileno(), _HEADER.pack(0), 0)


_SHARE: list[_Share] = []


def share_runs(owner: object) -> None:
    """From now on, the value runs this process makes for ``owner`` (a Matrix: a run is keyed by its code and request,
    so eval's comparisons and its rules' child, which judges on the result with the states aside, harness.dropless,
    share them) are written for a child it forks next to read (call before the fork)."""
    stop_sharing()
    _SHARE.append(_Share(owner))


def stop_sharing() -> None:
    """No more sharing: the file closed (in this process)."""
    while _SHARE:
        with contextlib.suppress(OSError):
            _SHARE.pop().file.close()


def _share(owner: object) -> _Share | None:
    return _SHARE[0] if _SHARE and _SHARE[0].owner is owner else None


def publish(owner: object, runs: list[tuple[Any, Any]]) -> None:
    """In the writer: ``runs`` (key, run) it made for ``owner``, written for the reader as one record."""
    share = _share(owner)
    if share is None or share.writer != os.getpid() or not runs:
        return
    try:
        data = pickle.dumps(runs, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a run that does not pickle: the child makes its own
        return
    fd = share.file.fileno()
    with contextlib.suppress(OSError):
        os.pwrite(fd, _LENGTH.pack(len(data)) + data, _HEADER.size + share.written)
        share.written += _LENGTH.size + len(data)
        os.pwrite(fd, _HEADER.pack(share.written), 0)


def take(owner: object, into: dict[Any, Any]) -> None:
    """In the reader: the runs the writer has written since the last call, added to ``into`` (its own kept first)."""
    share = _share(owner)
    if share is None or share.writer == os.getpid():
        return
    fd = share.file.fileno()
    with contextlib.suppress(OSError, ValueError, EOFError, pickle.UnpicklingError, struct.error):
        end = _HEADER.unpack(os.pread(fd, _HEADER.size, 0))[0]
        if end <= share.read:
            return
        data = os.pread(fd, end - share.read, _HEADER.size + share.read)
        if len(data) != end - share.read:
            return
        share.read = end
        at = 0
        while at < len(data):
            size = _LENGTH.unpack_from(data, at)[0]
            for key, value in pickle.loads(data[at + _LENGTH.size:at + _LENGTH.size + size]):
                into.setdefault(key, value)
            at += _LENGTH.size + size
