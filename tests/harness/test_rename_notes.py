"""What a rule's note says of a matrix entry point the variant shows renamed: renamed, never "does not define"."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.renamegen import macro_rename
from tests.mailgen import write_mbox


def test_a_behaviour_rule_over_every_entry_point_names_the_rename_of_one(tmp_path: Path) -> None:
    # entry = "*": seamldr_prerr()'s own scenarios are not provided in v4, which runs it as seamldr_call_prerr().
    # The note said "v4 does not define seamldr_prerr() ... (did you mean 'seamldr_call_prerr'?)", a misspelling.
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", macro_rename()),), "v4", jobs=1))
    v = next(x for x in g.verdicts if x.rule.id == "seamldr-no-entropy-not-retried")
    assert v.status is VerdictStatus.PASS, v.note
    assert "seamldr_prerr() is seamldr_call_prerr() in v4 (followed seamldr_prerr -> seamldr_call_prerr, renamed " \
           "in v4 04/4, body 100% the same): its scenarios run under that name (8 scenarios)" in v.note, v.note
    assert "define seamldr_prerr()" not in v.note
