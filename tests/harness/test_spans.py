"""harness.spans: the definitions holding a changed line, found without reading every definition per line."""

from __future__ import annotations

import random
from pathlib import Path

from harness.spans import LineSpans
from tests.harness.test_linecover import BEFORE, _eval
from tests.linesrun import lines_at


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
    # Each line read every definition (reach.py and linecover.py, 4362848^): 10,000 changed macros took 14 s of eval
    # on a quiet host, 20,000 took 34 s. Counted, not timed (CPU seconds grew 2.6x on a loaded host): the lines of
    # harness.linecover, harness.reach and harness.spans an eval runs for n changed macros, and for twice as many,
    # grow some twice (each line reading every definition: four times).
    import harness.linecover
    import harness.reach
    import harness.spans

    def run(n: int) -> None:
        many = "".join(f"#define DEMO_M{i} {i}\n" for i in range(n))
        (tmp_path / str(n)).mkdir()
        assert _eval(tmp_path / str(n), many + BEFORE).comparison.per_patch

    small, big = lines_at(run, (300, 600), harness.linecover, harness.reach, harness.spans)
    assert 0 < big <= 2.2 * small, (small, big)
