"""The value runs keep to the budget (steps; a wall-clock backstop): a loop only they reach is cut short and said."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

import harness.valuecover
import models.machine
from harness.filestate import full_file
from harness.runner import MatrixRequest, run_matrix
from harness.valuecover import value_runs
from harness.variants import Variant
from tests.harness.variantgen import HELPER, matrix, variant

# Added on side b: an answer next to DEMO_BUSY, which no script of the matrix gives, spins for ever.
SPIN = "\t\twhile (ret == 0x8000000000000011ULL)\n\t\t\tcpu_relax();\n"


def test_a_value_run_that_never_ends_is_cut_short_by_the_time_budget(tmp_path: Path) -> None:
    a = variant("a")
    text = variant("b").files[0].text or ""
    b = Variant("b", "d", (full_file(HELPER, text.replace("\t} while", SPIN + "\t} while", 1), "t"),), (), (),
                (), "t")
    m = matrix(tmp_path)
    # The matrix's own runs end (no budget: a loaded host must not cut them); the value runs get 10 ms a side and
    # entry point, less than the step budget's 100,000 steps take anywhere (a tenth of a second or more).
    res = replace(run_matrix(MatrixRequest((a, b), m, jobs=1, time_budget=0)), time_budget=0.01)
    assert all(o.ran and not o.limits for o in res.outcomes_of("b"))
    found = value_runs(res, "a", "b")
    # Run to the step budget, the spinning run was a difference (calls, return); cut short, nothing of it is known.
    assert not found.differences
    assert found.undecided and all("cut short by the budget" in u for u in found.undecided), found.undecided


def test_a_value_run_that_never_ends_is_cut_short_by_the_step_budget_alike_loaded_and_idle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = variant("a")
    text = variant("b").files[0].text or ""
    b = Variant("b", "d", (full_file(HELPER, text.replace("\t} while", SPIN + "\t} while", 1), "t"),), (), (),
                (), "t")
    res = run_matrix(MatrixRequest((a, b), matrix(tmp_path), jobs=1, time_budget=0, step_budget=0))
    # 50,000 steps a side and entry point, fewer than the per-run limit's 100,000: no wall clock at all.
    idle = value_runs(replace(res, time_budget=0, step_budget=50_000), "a", "b")
    assert not idle.differences and idle.undecided
    assert all("cut short by the budget" in u for u in idle.undecided), idle.undecided
    # A host so loaded that every look at the clock finds 5 ms gone: the 60 s backstop is past no run's steps.
    ticks = itertools.count()
    monkeypatch.setattr(models.machine.time, "monotonic", lambda: next(ticks) * 0.005)
    monkeypatch.setattr(harness.valuecover.time, "monotonic", lambda: next(ticks) * 0.005)
    harness.valuecover._MADE.clear()  # the idle comparison's runs: made again under the loaded clock
    loaded = value_runs(replace(res, time_budget=60, step_budget=50_000), "a", "b")
    assert loaded == idle
