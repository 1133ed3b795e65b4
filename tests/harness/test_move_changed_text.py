"""A helper moved under its own name whose text changed on the way is said so.

A helper moved under its own name whose text changed on the way is said so in the code-move finding, from mail
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


@pytest.mark.parametrize(("old", "new", "said"), [
    # The helper's words before its name change, its body not: no "body N% the same" of a body that is.
    ("static inline void seamcall_err(", "static void seamcall_err(",
     "seamcall_err (declared 'static void', was 'static inline void': its body the same)"),
    ('pr_err("SEAMCALL (%llu) failed', 'pr_err("SEAMCALL (%llx) failed', "seamcall_err (body "),
])
def test_a_helper_whose_declaration_alone_changed_in_the_move(tmp_path: Path, old: str, new: str, said: str) -> None:
    from tests.harness.seriesgen import NEW_HOME, OLD_HOME, PREAMBLE, RETRY_SAFE, TAIL, Step, helpers, revision

    moved = helpers(RETRY_SAFE).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H").replace(old, new)
    assert moved.count(new) == 1
    mbox = write_mbox(tmp_path / "v4.mbox", revision(4, [Step("x86/virt/tdx: Move SEAMCALL helpers",
        ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, moved)))]))
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    text = " ".join(f.text for f in ev.comparison.findings if f.kind.name.startswith("CODE_MOVE"))
    assert said in text, text
    assert ("body " in text) is ("body" in said), text
