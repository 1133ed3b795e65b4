"""A Reviewed-by or Acked-by that waits for a change asks that change (harness.pointwords._tag_held).

h655 (round 64): "Conditional on restoring the pre-decrement:" above an Acked-by, "(with the off-by-one addressed)"
or "# modulo the bound" after a Reviewed-by, "Ack, pending the bound fix.", "Fix the bound and you have my" above a
Reviewed-by: each passed the gate READY, exit 0 (the tag was read as conditional, lifting nothing, and the change it
waits for as nothing, or the tag lifted the change it waits for).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.tagcondition import change_awaited, conditional_tag
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, RULE, _objections, _replies

TAG = "Mae Maint <mae@example.org>"
HELD = [f"Conditional on restoring the pre-decrement:\n\nAcked-by: {TAG}\n",
        f"Reviewed-by: {TAG} (with the off-by-one addressed)\n", f"Acked-by: {TAG} # modulo the bound\n",
        f"Ack, pending the bound fix.\n\nAcked-by: {TAG}\n", f"Fix the bound and you have my\nReviewed-by: {TAG}\n"]
GIVEN = [f"Looks good.\n\nReviewed-by: {TAG}\n", f"Ack.\n\nAcked-by: {TAG}\n",
         f"Thanks, you have my\nReviewed-by: {TAG}\n", f"Reviewed-by: {TAG}\n"]


@pytest.mark.parametrize("body", HELD)
def test_a_tag_waiting_for_a_change_blocks_as_a_point(tmp_path: Path, body: str) -> None:
    mbox = _replies(tmp_path, ("t1@example.org", f"> quoted\n\n{body}", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.kind for o in g.objections] == [ObjectionKind.POINT] and g.exit_status == 1, g.headline()


@pytest.mark.parametrize("body", GIVEN)
def test_a_tag_given_as_is_asks_nothing(tmp_path: Path, body: str) -> None:
    mbox = _replies(tmp_path, ("t1@example.org", f"> quoted\n\n{body}", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()


def test_a_tag_for_another_patch_is_held_but_awaits_no_change() -> None:
    text = f"For patch 3:\n\nReviewed-by: {TAG}\n"
    assert conditional_tag(text, "Reviewed-by", TAG) and not change_awaited(text, "Reviewed-by", TAG)


@pytest.mark.parametrize("tag", ["Acked-by: Mark Brown <broonie@example.org>",
                                 "Reviewed-by: Drop Bear <drop@example.org>",
                                 "Tested-by: Fix Ture <fix@example.org>"])
def test_a_tag_whose_name_reads_as_a_verb_is_no_point(tmp_path: Path, tag: str) -> None:
    # Before: 'Mark Brown' read as an imperative ('Mark it ...'), the bare tag a review point: NOT READY, exit 1 (h674).
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{tag}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []
    held = _replies(tmp_path, ("q1@example.org", f"> quoted\n\nMark the loop bounded.\n\n{tag}\n", MAE, "patch"))
    assert _objections(tmp_path, held) == [("q1@example.org", "Mark the loop bounded.")]
