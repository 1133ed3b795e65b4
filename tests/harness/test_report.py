"""The report model's revision headlines (harness.report): what they count."""

from __future__ import annotations

import re
from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, write_mbox


def test_states_patches_apart_are_counted_as_a_comparison_of_several_patches(tmp_path: Path) -> None:
    # --variant v2:01 --variant v2: one comparison over 02/3 and 03/3 (harness.compare._spanning). The headline said
    # "v2: 1 of 1 patch changes behaviour" over two patches.
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    for variants, counted in ((("v2:01", "v2"), "of 1 comparison (2 patches) changes"),
                              (("v2:02", "v2"), "of 1 patch changes")):
        rep = report_model(evaluate(EvalRequest((mbox,), variants=variants, matrix=tmp_path / "m.toml")))
        summary = next(s for s in rep.summaries if s.name == "v2")
        assert re.match(rf"v2: \d {re.escape(counted)} behaviour", summary.headline), summary.headline
