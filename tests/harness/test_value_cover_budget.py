"""The value runs of a comparison keep to the time budget: a loop only a value run reaches is cut short and said."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

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
    assert found.undecided and all("cut short by the time budget" in u for u in found.undecided), found.undecided
