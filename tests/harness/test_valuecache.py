"""What harness.valuecache keeps of a comparison's value runs: each side's statements executed too (their coverage
was dropped, so a rerun from the cache said a branch only a value run took 'never ran')."""

from __future__ import annotations

from harness.explain import DiffClass
from harness.valuecache import FORMAT, from_data, to_data


def test_the_value_runs_coverage_is_kept_per_side() -> None:
    ran = (frozenset({"a.h:3:2", "?a.h:3:6:T"}), frozenset({"a.h:4:3"}))
    data = to_data([(0, "TDH_SYS_INIT", 7, (DiffClass.LOG,), ("x",), "")], ("c",), ran)
    kept = from_data(data)
    assert kept is not None and kept[2] == ran and kept[1] == ("c",)


def test_an_entry_without_coverage_is_a_miss() -> None:
    data = to_data([], (), (frozenset(), frozenset()))
    assert from_data({k: v for k, v in data.items() if k != "ran"}) is None
    assert from_data({**data, "format": "values-4"}) is None and FORMAT != "values-4"
