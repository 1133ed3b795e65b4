"""Value runs follow a helper a patch renames (and moves): its changed loop test is run at the values next to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mailgen import write_mbox

_RULES = ('[[rule]]\nid = "move-keeps"\nreviewer = "Ann Author"\nsummary = "a move keeps behaviour"\n'
          'severity = "error"\n[rule.check]\nkind = "moves"\n')
_TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"
# The loop now retries a second status too: what the move changes, at a value next to the constants the test reads.
_WIDER = "if ((err != TDX_RND_NO_ENTROPY && err != 0x8000020000000000ULL) || !--left)"


def _moved_renamed(tmp: Path, test: str) -> Path:
    """v4 01/1: the helpers moved from asm/tdx.h into a new header, sc_retry() renamed seamcall_retry() on the way
    (its callers with it), its loop's exit test written ``test``."""
    from tests.harness.renamegen import renamed
    from tests.harness.seriesgen import NEW_HOME, OLD_HOME, PREAMBLE, RETRY_SAFE, TAIL, Step, helpers, revision

    old = helpers(RETRY_SAFE)
    assert _TEST in old
    new = renamed(old.replace(_TEST, test)).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    step = Step("x86/virt/tdx: Move the SEAMCALL helpers to an internal header",
                ((OLD_HOME, old, PREAMBLE + TAIL), (NEW_HOME, None, new)))
    msgs = revision(4, [step], sender="Ann Author <ann@example.org>", cover="demo: move")
    return write_mbox(tmp / "s.mbox", msgs)


@pytest.mark.parametrize(("test", "status"), [(_WIDER, "fail"), (_TEST, "pass")])
def test_a_loop_test_changed_in_a_move_and_rename_is_run_at_its_values(tmp_path: Path, test: str,
                                                                       status: str) -> None:
    # sc_retry() moved to another file as seamcall_retry(), its loop now retrying 0x8000020000000000 as well: the
    # value runs paired decisions only in functions both sides name, so the changed test was never run at the new
    # status, and the moves rule was INCONCLUSIVE ('... a test on it always came out false') where the same change
    # under the old name FAILS with the run that shows it. The move kept as it was still passes.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus

    (tmp_path / "rules.toml").write_text(_RULES)
    mbox = _moved_renamed(tmp_path, test)
    (v,) = evaluate_gate(GateRequest((mbox,), "v4", rules=tmp_path / "rules.toml", jobs=1, time_budget=0)).verdicts
    assert v.status is VerdictStatus(status), (v.note, v.evidence)
    if status == "fail":
        assert any("neighbour-0x8000020000000000" in str(e.scenario) for e in v.evidence), v.evidence
