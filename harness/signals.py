"""SIGINT and SIGTERM: each raised once where the process stands, then ignored while it leaves; held around renames.

Kept free of heavy imports: harness.launch installs these handlers before anything else of seamharness loads.
"""

from __future__ import annotations

import contextlib
import signal

TYPE_CHECKING = False  # typing itself costs a few milliseconds before the handlers are in place
if TYPE_CHECKING:
    from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process stands so that what is half-done is undone on the way out (an
    output being written is not left as a temporary file; worker processes are not waited for)."""


def ignore_signals() -> None:
    """SIGINT and SIGTERM ignored from now on: the process is on its way out (harness.process.leave, or the first
    signal's handler below)."""
    # After the first signal, a second ^C (a user pressing it twice, or `timeout -s INT` signalling the command and
    # then its group) would raise again wherever the unwinding stands, outside every handler, and print a traceback;
    # what is half-done is being undone already.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def _interrupt(signum: int, frame: object) -> None:
    ignore_signals()
    raise KeyboardInterrupt


def _terminate(signum: int, frame: object) -> None:
    ignore_signals()
    raise Terminated


def catch_signals() -> None:
    """^C raised as KeyboardInterrupt and SIGTERM as Terminated, each once only (a second one while leaving is
    ignored). For the console script's own process: tests and library users keep their handlers."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _terminate)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back until the block ends (then delivered), around steps that must finish together:
    the renames and the removal that replace an earlier output (harness.export). Unix only (pthread_sigmask)."""
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
