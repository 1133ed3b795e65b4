"""A time budget for a rule's regular expression searched in text the input made (the lines a run printed).

Python's re backtracks without end on some patterns: ``(a+)+$`` searched in a printed line of 34 ``a`` and a
``!``, a line a patch chooses, kept a gate busy for hours (2**34 steps). re checks for signals while it
matches, so a SIGALRM timer stops the search: the answer is then not known, and the rule says so (never a
pass). Only the main thread receives signals: elsewhere the search has no budget.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterable
from types import FrameType

SECONDS = 2.0  # per search of one pattern in one run's lines: a sane pattern takes microseconds a line


class Stuck(str):
    """A log test's text saying its search ran out of time (stuck_reason), told apart from other undecided ones."""


class _Stuck(Exception):
    """The budget ran out (raised by the SIGALRM handler inside the search)."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Stuck


def search_within(pattern: re.Pattern[str], texts: Iterable[str], seconds: float = SECONDS) -> bool | None:
    """Whether ``pattern`` is found in one of ``texts``; None when it searched past ``seconds`` (main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return any(pattern.search(t) for t in texts)
    old = signal.signal(signal.SIGALRM, _expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return any(pattern.search(t) for t in texts)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Stuck:
        sys.audit("seamharness.unsure", "a search ran out of time")  # a result resting on the clock: not kept
        return None
    finally:
        signal.signal(signal.SIGALRM, old)


def stuck_reason(what: str, seconds: float = SECONDS) -> Stuck:
    """What a rule says of a pattern whose search ran out of time."""
    return Stuck(f"{what}: Python's re searched a printed line for more than {seconds:g} s (a pattern that backtracks "
            "without end on it): not decided")
