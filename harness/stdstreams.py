"""Standard streams closed when the process started, held by /dev/null.

``>&-``, ``2>&-``, ``<&-``: their descriptors are held by /dev/null, and stdout is made a stream every write of which
fails.

Kept free of heavy imports: harness.launch calls it before the rest of seamharness loads.
"""

from __future__ import annotations

import errno
import os
import sys


class ClosedStdout:
    """sys.stdout for a descriptor 1 closed at start: every write and flush is OSError(EBADF), which the writers of
    stdout (harness.console, harness.atomic.write_stdout, harness.process.leave) say in one line, exit 2: what the
    user was to see is lost, so a gate's verdict or a success is never its status."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def guard_std_streams() -> None:
    """Each of descriptors 0, 1 and 2 that is closed (Python then leaves sys.stdin, sys.stdout or sys.stderr None) is
    held by /dev/null, so that no file the run opens takes it (a report being written would otherwise be what a
    child, or a write to "stdout", writes into). Closed stdin reads as empty and closed stderr discards, as the user
    asked; closed stdout is ClosedStdout."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:  # the lowest free descriptor is taken: an earlier one closed too is held already
                os.dup2(null, fd)
                os.close(null)
        if fd == 1:
            sys.stdout = ClosedStdout()
        else:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115 (kept for the run)
