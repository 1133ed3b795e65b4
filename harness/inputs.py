"""Turning command-line inputs (paths, Message-IDs, lore URLs) into local paths."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from harness.errors import STDIN, UsageError, os_reason
from harness.lore import DEFAULT_LORE, FetchRequest, as_msgid, fetch_thread, inbox_of, server_of
from harness.threadcache import DEFAULT_MAX_AGE, ThreadCopy
from models.record import record


@record
class InputSpec:
    """Where inputs come from and how a Message-ID is fetched (``max_age`` in minutes, ``stale_ok``: see
    harness.lore.FetchRequest)."""

    args: tuple[str, ...]
    lore: str = DEFAULT_LORE
    offline: bool = False
    cache_dir: Path | None = None
    max_age: int = DEFAULT_MAX_AGE
    stale_ok: bool = True


def resolve_inputs(spec: InputSpec, progress: Callable[[str], None] = lambda _: None
                   ) -> tuple[tuple[Path, ...], tuple[ThreadCopy, ...]]:
    """Existing paths stay as they are; Message-IDs and lore URLs are fetched (or taken from cache): the local
    paths, and the copy of each fetched thread (which the reports name)."""
    out: list[Path] = []
    threads: list[ThreadCopy] = []
    for arg in spec.args:
        if arg == "-":  # an mbox on standard input (b4 mbox -o - ..., git format-patch --stdout)
            out.append(Path(STDIN))
            continue
        if not arg:  # Path("") is ".": "$UNSET" read the working folder's mail as the input
            raise UsageError(None, "an empty INPUT: give a file, folder, Message-ID or lore URL")
        path = Path(arg)
        msgid = None if _exists(path) else as_msgid(arg)
        if msgid is None:
            if not _exists(path) and re.match(r"^[a-z][a-z0-9+.-]*://", arg, re.IGNORECASE):
                raise UsageError(arg, "a URL that names no message: give a lore URL of one "
                                      "(https://lore.kernel.org/all/MESSAGE-ID/) or the Message-ID")
            out.append(path)
            continue
        req = FetchRequest(msgid, lore=server_of(arg) or spec.lore, cache_dir=spec.cache_dir, offline=spec.offline,
                           max_age=spec.max_age, stale_ok=spec.stale_ok, inbox=inbox_of(arg, spec.lore))
        threads.append(fetch_thread(req, progress))
        out.append(threads[-1].path)
    return tuple(out), tuple(threads)


def _exists(path: Path) -> bool:
    """Path.exists(); a name longer than the system takes (ENAMETOOLONG, which pathlib raises) is refused as a bad
    argument, naming it. Raises UsageError."""
    try:
        return path.exists()
    except OSError as exc:
        raise UsageError(str(path), os_reason(exc)) from exc
