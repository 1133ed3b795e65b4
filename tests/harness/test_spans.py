"""harness.spans: the definitions holding a changed line, found without reading every definition per line."""

from __future__ import annotations

import random
from pathlib import Path

from harness.spans import LineSpans
from tests.cputime import cpu_seconds
from tests.harness.test_linecover import BEFORE, _eval


def test_holding_is_what_a_scan_of_every_item_finds() -> None:
    rnd = random.Random(3)
    for _ in range(200):
        items = []
        for n in range(rnd.randrange(0, 30)):
            first = rnd.randrange(1, 60)
            items.append((rnd.choice("ab"), first, first + rnd.randrange(0, 15), n))  # nested and overlapping too
        index = LineSpans(items, lambda x: x[:3])
        for path in "abc":
            for number in range(0, 80):
                assert index.holding(path, number) == [x for x in items if x[0] == path and x[1] <= number <= x[2]]


def test_a_file_of_thousands_of_definitions_each_changed_takes_linear_time(tmp_path: Path) -> None:
    # 10,000 changed macros took 14 s of eval on a quiet host (each line read every definition, in reach.py and
    # linecover.py); linear, about 2 s there, and 5.4 s of CPU once in .ci/run with both xdist workers busy (CPU
    # seconds grow too when two processes share a core's caches): the line leaves room for that, not for quadratic.
    many = "".join(f"#define DEMO_M{i} {i}\n" for i in range(10_000))
    started = cpu_seconds()
    ev = _eval(tmp_path, many + BEFORE)
    assert cpu_seconds() - started < 9.0
    assert ev.comparison.per_patch
