"""An output's bytes made and staged by a forked child while this process makes another's (harness.atomic.write_all)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn


class StagedBeside:
    """The bytes of ``make()`` written by a forked child into a temporary file beside ``path``, made here before the
    fork, so that this process always knows what to remove: the child only fills it. ``staged()`` waits for the child
    and gives the file, or None when the child did not finish it (it raised, was killed, or could not be forked): the
    caller then makes that output itself, meeting whatever error there is in this process, with its one line and exit
    status. ``drop()`` stops the child and removes the file when the outputs are not to be written."""

    def __init__(self, path: Path, make: Callable[[], Iterable[bytes]]) -> None:
        import tempfile  # as harness.atomic._staged

        self.pid = 0
        self.tmp: str | None = None
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError:  # said when this process stages it
            return
        parent = os.getpid()
        try:
            self.pid = os.fork()
        except OSError:  # no process to spare: staged here
            os.close(fd)
            self.drop()
            return
        if self.pid == 0:
            _fill(fd, make, parent)
        os.close(fd)

    def staged(self) -> str | None:
        """The temporary file, whole, once the child is done; None (the file removed) when the child failed."""
        if not self.pid:
            self.drop()
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0:
            self.drop()
            return None
        tmp, self.tmp = self.tmp, None
        return tmp

    def drop(self) -> None:
        """The child stopped and its file removed (nothing when staged() gave it away)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)  # SIGKILL
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.tmp is not None:
            Path(self.tmp).unlink(missing_ok=True)
            self.tmp = None


def _fill(fd: int, make: Callable[[], Iterable[bytes]], parent: int) -> NoReturn:
    """In the child: every chunk into ``fd``, then out with status 0; anything raised is status 1 (the parent makes
    the output again and says it). Out without the parent's exit handlers or its buffered output."""
    code = 1
    try:
        from harness.workers import die_with_parent, keep_patterns

        die_with_parent(parent)
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(make())
        code = 0
        keep_patterns()
    finally:
        os._exit(code)
