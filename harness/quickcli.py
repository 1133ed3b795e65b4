"""The command lines most often run (series, eval with reports), parsed without loading typer.

The command lines most often run (``series INPUT... [--json]``, ``eval INPUT... [--html FILE] [--json FILE]``) run
without loading typer, parsed here; every other one through harness.cli, as before.

Why: importing typer (its click, its parameter types, the command tree harness.cli builds on it) was some 90 M
instructions of the 1,065 M of `series` of the corpus, and 3.3 MB of the resident memory of an eval's process and
of each child it forks, where the run's peak is. Any other command line (another option, one given twice, a value
that is empty, starts with '-' or is refused, ``--name=value``, ``-`` or ``--``, no input, ``--help``) is left to
harness.cli, whose parse decides it; so is a run asked for a traceback (SEAMHARNESS_TRACEBACK), which harness.cli lets
out through click. The command is run with typer's values for the options not given (harness.cli's defaults) and ends
as harness.cli.handled and _finish end it: the same line on stderr, the same exit status.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import commands
from harness.budgets import STEP_BUDGET, TIME_BUDGET
from harness.console import err, say_lost, say_skipped
from harness.lore import DEFAULT_LORE
from harness.options import file_value, number_in_range
from harness.process import ExitStatus, failure

_COMMON = {"lore": DEFAULT_LORE, "offline": False, "cache_dir": None, "manifest": None, "cache_max_age": None}
# Each command's options not given, as harness.cli declares them (tests/harness/test_quickcli.py compares).
DEFAULTS: dict[str, dict[str, Any]] = {
    "series": {**_COMMON, "json_out": False},
    "eval": {**_COMMON, "variant": None, "against": None, "matrix": None, "matrix_add": None, "tree": None,
             "base": None, "html": None, "json_file": None, "rules": None, "crosscheck": False, "cc": None,
             "json_layout": None, "jobs": 0, "time_budget": TIME_BUDGET, "step_budget": STEP_BUDGET,
             "no_cache": False},
}


def _file(value: str) -> Path:
    return Path(file_value(value))  # a FILE option's value, as harness.cli's _Plain makes it (ValueError: refused)


def _count(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise ValueError(value)  # harness.cli decides what else is a number
    return int(number_in_range(value, int, 0, None))


def _seconds(value: str) -> float:
    whole, _, part = value.partition(".")
    if not (value.isascii() and whole.isdigit() and (not part or part.isdigit())):
        raise ValueError(value)
    return float(number_in_range(value, float, 0, None))


# A flag's parameter, or a valued option's parameter and how its value is read.
_FLAGS = {"series": {"--json": "json_out"}, "eval": {}}
_VALUED: dict[str, dict[str, tuple[str, Callable[[str], Any]]]] = {
    "series": {},
    "eval": {"--html": ("html", _file), "--json": ("json_file", _file), "--jobs": ("jobs", _count),
             "--time-budget": ("time_budget", _seconds)},
}


def parse(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and the parameters it is given, for a command line this module runs; None for any other one
    (harness.cli parses it)."""
    if not args or args[0] not in DEFAULTS or os.environ.get("SEAMHARNESS_TRACEBACK"):
        return None
    name, flags, valued = args[0], _FLAGS[args[0]], _VALUED[args[0]]
    given: dict[str, Any] = {}
    paths: list[str] = []
    rest = iter(args[1:])
    for a in rest:
        if a in flags and flags[a] not in given:
            given[flags[a]] = True
        elif a in valued and valued[a][0] not in given:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
            try:
                given[valued[a][0]] = valued[a][1](value)
            except ValueError:
                return None
        elif not a or a.startswith("-"):
            return None
        else:
            paths.append(a)
    return (name, {**DEFAULTS[name], **given, "paths": paths}) if paths else None


def run(name: str, params: dict[str, Any]) -> int:
    """The command ``name`` with ``params``: its exit status, having said on stderr what harness.cli says."""
    try:
        done = (commands.run_series if name == "series" else commands.run_eval)(**params)
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
