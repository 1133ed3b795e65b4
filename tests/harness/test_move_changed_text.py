"""A helper moved under its own name whose text changed on the way is said so in the code-move finding, from mail
alone too, where no run compares the move ('--left' become 'left--' in a patch that says 'No functional change')."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.findings import FindingKind
from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import moving_series
from tests.mailgen import write_mbox


@pytest.mark.parametrize("faithful", [True, False])
def test_a_moved_helper_whose_text_changed(tmp_path: Path, faithful: bool) -> None:
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v4.mbox", moving_series(faithful)),), jobs=1))
    moves = [f.text for f in ev.comparison.findings if f.kind.name.startswith("CODE_MOVE")]
    assert moves and all(f.kind in FindingKind for f in ev.comparison.findings), ev.comparison.findings
    said = " ".join(moves)
    assert ("sc_retry (body " in said and "% the same: changed in the move)" in said) is not faithful, said
    assert ("changed in the move" in said) is not faithful, said
