"""``seamharness series INPUT... [--json]`` run without loading typer: the command line most often run, parsed here.

Why: importing typer (its click, its parameter types, the command tree harness.cli builds on it) was some 170 M
instructions of the 1,065 M of `series` of the corpus, for a command line of inputs and at most one flag. Any other
command line (an option but ``--json``, ``--json`` twice, ``-`` or ``--``, no input, an empty one, ``--help``) is
left to harness.cli, whose parse decides it as before; so is a run asked for a traceback (SEAMHARNESS_TRACEBACK),
which harness.cli lets out through click. What this one runs is harness.cli's ``series`` with typer's values for the
options not given, and it ends as harness.cli.handled and _finish end it: the same line on stderr, the same status.
"""

from __future__ import annotations

import errno
import os
import sys

from harness.commands import run_series
from harness.console import err, say_lost, say_skipped
from harness.lore import DEFAULT_LORE
from harness.process import ExitStatus, failure


def series_args(args: list[str]) -> tuple[list[str], bool] | None:
    """The inputs and whether ``--json`` is given, for a ``series`` command line of inputs and at most one
    ``--json``; None for any other command line (harness.cli parses it)."""
    if len(args) < 2 or args[0] != "series" or os.environ.get("SEAMHARNESS_TRACEBACK"):
        return None
    paths = [a for a in args[1:] if a != "--json"]
    flags = len(args) - 1 - len(paths)
    if flags > 1 or not paths or any(not a or a.startswith("-") for a in paths):
        return None
    return paths, flags == 1


def run(paths: list[str], json_out: bool) -> int:
    """``seamharness series`` of ``paths``: its exit status, having said on stderr what harness.cli says."""
    try:
        done = run_series(paths=paths, json_out=json_out, lore=DEFAULT_LORE, offline=False, cache_dir=None,
                          manifest=None, cache_max_age=None)
        return ExitStatus.BAD_INPUT if say_skipped(done.series, done.skipped) else done.status
    except (Exception, KeyboardInterrupt) as exc:
        line, status = failure(exc)
        if line:
            try:
                err().print(line, markup=False)
            except OSError as lost:  # as click's main and harness.cli.main take it there
                if lost.errno == errno.EPIPE:
                    raise SystemExit(1) from None
                return say_lost(lost)
        return status
    finally:
        if (gitrepo := sys.modules.get("harness.gitrepo")) is not None:
            gitrepo.release_repos()
