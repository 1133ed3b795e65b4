"""Lines of chosen modules run by a call: the tests' operation count for work a loop in Python does.

A complexity guard counts operations, not seconds (CPU seconds grow with the host's load, a count does not):
``sys.settrace`` is given the line events of the frames whose code is in one of the files asked for (other frames
get no local trace, so what they run is not slowed), in this thread only. A loop that goes round again for each
input item counts its lines again: quadratic code counts quadratically many. Work done in C (a regex match, a
slice copy) is no line: count it otherwise (the calls made, the characters handed over)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, ModuleType
from typing import Any

import pytest


class TooManyLines(AssertionError):
    """More lines ran than the limit given: raised inside the code counted, so that an endless loop fails."""


@contextmanager
def lines_run(*modules: ModuleType, limit: int | None = None) -> Iterator[list[int]]:
    """``with lines_run(mod) as n:`` -- ``n[0]`` the lines of ``modules``' code run inside the block (each line
    event of Python's tracer, a loop's line once per round). TooManyLines once past ``limit``. The tracer that was
    set before (coverage's, a debugger's) is set again after."""
    files = {m.__file__ for m in modules}
    count = [0]

    def local(frame: FrameType, event: str, _arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            count[0] += 1
            if limit is not None and count[0] > limit:
                raise TooManyLines(f"more than {limit:,} lines of {sorted(map(str, files))} ran")
        return local

    def calls(frame: FrameType, event: str, _arg: Any) -> Callable[..., Any] | None:
        return local if event == "call" and frame.f_code.co_filename in files else None

    before = sys.gettrace()
    sys.settrace(calls)
    try:
        yield count
    finally:
        sys.settrace(before)


def lines_at(run: Callable[[int], object], sizes: tuple[int, ...], *modules: ModuleType) -> list[int]:
    """Lines of ``modules`` that ``run(n)`` runs, for each ``n`` of ``sizes``: what a guard of linear growth
    compares (twice the input, some twice the lines; quadratic code four times)."""
    counts = []
    for n in sizes:
        with lines_run(*modules) as lines:
            run(n)
        counts.append(lines[0])
    return counts


class _Counted:
    """A compiled pattern that records the length of each string it is handed, then does what it was asked."""

    def __init__(self, pattern: re.Pattern[str], sizes: list[int]) -> None:
        self.pattern, self.sizes = pattern, sizes

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.pattern, name)
        if name not in ("search", "match", "fullmatch", "split", "findall", "finditer", "sub", "subn"):
            return real

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.sizes.append(len(args[1] if name in ("sub", "subn") else args[0]))
            return real(*args, **kwargs)
        return counted


def pattern_inputs(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> list[int]:
    """The lengths of the strings each of ``module``'s lazy patterns (models.lazyre.lazy) is handed, for the length of
    the test: the work of a regex match is in C, out of lines_run's sight, and grows with what it is given."""
    sizes: list[int] = []
    for name, value in list(vars(module).items()):
        made = getattr(value, "__wrapped__", None)  # lazy's functools.cache of a function of no arguments
        if hasattr(value, "cache_info") and getattr(made, "__code__", None) is not None \
                and made.__code__.co_argcount == 0 and isinstance(compiled := value(), re.Pattern):
            monkeypatch.setattr(module, name, _giving(_Counted(compiled, sizes)))
    return sizes


def _giving(counted: _Counted) -> Callable[[], _Counted]:
    return lambda: counted
