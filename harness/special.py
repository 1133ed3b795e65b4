"""Refusing input paths that would block or never end when read: a named FIFO, a device, a socket."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


@functools.cache
def _pipe_device() -> int:
    """The device number of the kernel's anonymous pipes (Linux's pipefs): one os.pipe() shows it."""
    r, w = os.pipe()
    try:
        return os.fstat(r).st_dev
    finally:
        os.close(r)
        os.close(w)


def special_kind(path: Path | str) -> str | None:
    """What ``path`` is when reading it could block for ever or not end: "a named FIFO" (opened for reading it
    waits for a writer; none may ever come), "a device" (/dev/tty waits for typing, /dev/zero never ends),
    "a socket" (open() fails); None for a regular file, a folder, a path that does not exist or cannot be
    looked at (reading it says why), and an anonymous pipe (``<(git format-patch ...)``, ``/dev/stdin`` fed by
    a pipe): its writer is the process that named it, as git am reads stdin."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name; the open that follows names it
        return None
    mode = st.st_mode
    if stat.S_ISFIFO(mode):
        return None if st.st_dev == _pipe_device() else "a named FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def refusal(path: Path | str) -> str | None:
    """The one-line reason ``path`` is not read ("not a regular file: a named FIFO (...)"), or None to read it."""
    kind = special_kind(path)
    if kind is None:
        return None
    return f"not a regular file but {kind}, which is not read (it could wait for a writer or never end): give a file"
