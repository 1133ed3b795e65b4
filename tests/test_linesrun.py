"""tests.linesrun: the lines of chosen modules a call runs, a loop's once a round; past a limit, a failure."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

import tests.mailgen
from tests.linesrun import TooManyLines, lines_at, lines_run, pattern_inputs


def _spin(rounds: int) -> int:
    total = 0
    for i in range(rounds):
        total += i
    return total


def test_a_loop_counts_its_lines_each_round_and_other_modules_count_nothing() -> None:
    counts = lines_at(_spin, (10, 20, 40), sys.modules[__name__])
    assert counts[1] - counts[0] == 20 and counts[2] - counts[1] == 40, counts  # two lines a round
    assert lines_at(_spin, (40,), tests.mailgen) == [0]


def test_past_the_limit_the_code_counted_fails_and_the_tracer_before_is_set_again() -> None:
    def before(_frame: FrameType, _event: str, _arg: Any) -> None:
        return None

    old = sys.gettrace()
    sys.settrace(before)
    try:
        with pytest.raises(TooManyLines, match="more than 50 lines"), lines_run(sys.modules[__name__], limit=50):
            _spin(1_000)
        assert sys.gettrace() is before
    finally:
        sys.settrace(old)


def test_a_modules_lazy_patterns_say_the_length_of_what_they_are_handed(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import ModuleType

    from models.lazyre import lazy

    mod = ModuleType("demo_patterns")
    mod._WORD = lazy(r"\w+")  # type: ignore[attr-defined]
    mod._WITH = lazy  # type: ignore[attr-defined]  # no pattern of its own: left alone
    handed = pattern_inputs(monkeypatch, mod)
    assert mod._WORD().search("  abc").group() == "abc" and mod._WORD().sub("x", "a b") == "x x"
    assert handed == [5, 3] and mod._WITH is lazy
