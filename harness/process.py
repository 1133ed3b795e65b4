"""The seamharness process: its exit statuses, SIGTERM, the cycle collector's tuning and a fast exit."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

from harness.errors import SeamError, os_reason
from harness.signals import Terminated, ignore_signals
from models.errors import MirrorError
from models.record import record
from reports.safe import one_line


class ExitStatus(IntEnum):
    """Every exit status of seamharness; harness/cli.py alone decides which one a command ends with (harness.quickcli
    ends the command lines it runs as it would)."""

    OK = 0
    FAILED = 1  # gate: an error rule fails; crosscheck: mirror and native disagree
    BAD_INPUT = 2  # one line on stderr: an input refused (others may have been read), a bad option
    INTERNAL = 3  # a bug in seamharness itself: never read as a gate's verdict (Python's own exit would be 1)
    INTERRUPTED = 130
    BROKEN_PIPE = 141  # the reader of stdout went away (| head): as a shell reports SIGPIPE, not a verdict
    TERMINATED = 143  # SIGTERM (a CI job's timeout): outputs are left as they were, workers end with it


@record
class Finished:
    """What a command that reads inputs leaves for its exit (harness.console.say_skipped says what was skipped):
    the series read, the exit status when every input was read, the variants not built. Here, beside the statuses,
    so that harness.commands and harness.runcache (which commands calls) both make it without importing each other."""

    series: Any
    status: ExitStatus = ExitStatus.OK
    skipped: Any = ()


def failure(exc: BaseException) -> tuple[str, ExitStatus]:
    """The one line on stderr (empty: none) and the exit status of what a command raised: an input or
    option refused is 2, SIGTERM 143, ^C 130, a reader of stdout gone 141 (its stdout is pointed at
    /dev/null, so leaving raises nothing more), anything else a bug in seamharness, 3."""
    if isinstance(exc, (SeamError, MirrorError)):
        return f"seamharness: {_capped(one_line(str(exc)))}", ExitStatus.BAD_INPUT
    if isinstance(exc, Terminated):
        return "seamharness: terminated", ExitStatus.TERMINATED
    if isinstance(exc, KeyboardInterrupt):
        return "seamharness: interrupted", ExitStatus.INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        # Python docs' recipe: what is left to flush goes nowhere, so that leaving raises nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return "", ExitStatus.BROKEN_PIPE
    import traceback  # only for a bug: the line names where it was raised

    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return (one_line(f"seamharness: internal error: {type(exc).__name__}: {exc} ({Path(frame.filename).name}:"
                     f"{frame.lineno}); this is a bug in seamharness: please report it with the input "
                     "(SEAMHARNESS_TRACEBACK=1 shows the traceback)"), ExitStatus.INTERNAL)


# The longest error line shown whole: a path may be 4,096 bytes (PATH_MAX); a value echoed back (a 100,000-character
# Message-ID, a line of a file) is cut past it rather than fill the terminal.
MAX_ERROR_LINE = 8_192


def _capped(line: str) -> str:
    """``line``, cut at MAX_ERROR_LINE characters, saying how many more it had."""
    more = len(line) - MAX_ERROR_LINE
    return line if more <= 0 else f"{line[:MAX_ERROR_LINE]}... ({more:,} characters more)"


def stdout_lost(exc: OSError) -> tuple[str, ExitStatus]:
    """The line and status of output stdout did not take outside a command (click's help text): lost (a full
    disk) is exit 2 in one line, never a traceback; a reader that went away (--help | head) took what it wanted,
    as leave() takes it."""
    if isinstance(exc, BrokenPipeError):
        return "", ExitStatus.OK
    return f"seamharness: stdout: cannot write: {os_reason(exc)}", ExitStatus.BAD_INPUT


def tune_gc() -> None:
    """Collect cycles less often: a run allocates millions of small acyclic objects (outcomes, differences,
    report rows) and the default thresholds spend a fifth of a large eval re-scanning them (measured on the
    bench's scale case: 10.7 s -> 8.4 s, peak memory alike). Cycles are still collected. What is loaded
    by now (modules, typer's command tree) lives as long as the process and is left out of every scan.
    A young generation of a million objects rather than 100,000: the corpus' filled-cache eval (some 300,000 new
    objects at most) then collects nothing, where each of its two collections walked what the run had made so far
    (54 ms of its 0.93 s of CPU, 72 M instructions); the scale case's 13 collections went too, peak memory alike
    (247 MB, the corpus' empty-cache eval 75 MB)."""
    gc.set_threshold(1_000_000, 50, 100)
    gc.freeze()
    gc.enable()  # off while the modules loaded (harness.launch)


def said(exc: BaseException) -> int:
    """failure()'s line for ``exc`` written to stderr; its exit status."""
    line, status = failure(exc)
    if line:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(line + "\n")
    return status


def leave(code: int) -> NoReturn:
    """Exit with ``code`` without tearing the heap down.

    Freeing every object one by one at exit takes a tenth of a corpus eval and more at scale; nothing is
    left to clean up once a command has returned (outputs are written and closed, workers joined), so what
    the user is to see is flushed and the process leaves, as mypy does for the same reason.
    """
    # The command has returned and its outputs are whole: a SIGTERM now (a CI job's timeout a moment late) raised
    # Terminated out of the flush below, past every handler: a traceback and no exit status of ours.
    ignore_signals()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass  # a reader that went away (| head) gets what it took
    except OSError as exc:  # what the user was to see is lost (a full disk): never a silent success or verdict
        if code in (ExitStatus.OK, ExitStatus.FAILED):
            code = ExitStatus.BAD_INPUT
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"seamharness: stdout: cannot write: {os_reason(exc)}\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    held = sys.modules.get("harness.heldwrites")
    if held is not None:
        held.finish_writes()  # the outcome cache's entries held until now, once what the user is to see is out
    recache = sys.modules.get("harness.recache")
    if recache is not None:
        recache.save()  # the patterns' code for the next run (never raises)
    os._exit(code)
