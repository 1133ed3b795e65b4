"""A comparison that differs already runs the answers next to its changed conditions too.

A comparison that differs already runs the answers next to its changed conditions too (harness.valuecover): a
second change, which only an answer no script gives shows, is said beside the first (was: the changed conditions
were listed, never run), and a value run repeating a difference the comparison shows already adds nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.compare import compare_pair
from harness.valuecover import with_values
from tests.harness.test_value_cover_reach import BIT40, SCRIPTS, _run

MASKED = "(err & ~(1ULL << 40)) == NO_ENTROPY"  # retries NO_ENTROPY with bit 40 set too: no script answers that
THREE: dict[str, tuple[str, str | None]] = {
    **SCRIPTS, "busy3": ('["NO_ENTROPY", "NO_ENTROPY", "NO_ENTROPY", "OK"]', None)}
LOGGED = '\tpr_err("done %llx\\n", err);\n\treturn err;\n}'  # b prints err with %#llx


def test_a_second_change_behind_a_changed_condition_is_shown_where_the_comparison_differs(tmp_path: Path) -> None:
    # b tries twice where a tried three times (busy3 shows it), and retries NO_ENTROPY with bit 40 set (no script
    # answers it: only the value run next to NO_ENTROPY does)
    result = _run(tmp_path, {"a": {}, "b": {"HELPER": MASKED, "int left = 3": "int left = 2"}}, THREE)
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert cmp.differences and all("busy3" in d.scenario.id for d in cmp.differences)
    found = with_values(result, cmp)
    assert found.differences[:len(cmp.differences)] == cmp.differences
    added = [(d.scenario.id, d.notes[:2]) for d in found.differences[len(cmp.differences):]]
    assert added == [(f"busy/{leaf}/neighbour-{BIT40:#x}/demo.c",
                      ("TDX module SEAMCALLs 1 -> 2", f"return {BIT40:#x} -> 0x0")) for leaf in ("ONE", "TWO")]
    assert [s.id for s in found.extra] == [x[0] for x in added]
    assert found.undecided == ()  # every answer at which the helper's forms differ ran


def test_a_value_run_repeating_a_shown_difference_adds_nothing(tmp_path: Path) -> None:
    # b prints the status with 0x (every run shows it, with its own status) and its helper also tests the leaf,
    # which the leaves that ran never take apart: the value runs differ by the message alone, as every scenario does
    sides = {"a": {"\treturn err;\n}": LOGGED},
             "b": {"\treturn err;\n}": LOGGED.replace("%llx", "%#llx"), "HELPER": "err == NO_ENTROPY && fn != 7"}}
    result = _run(tmp_path, sides)
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert len(cmp.differences) == cmp.compared == 4
    found = with_values(result, cmp)
    assert found.differences == cmp.differences and found.extra == ()


def test_past_the_bound_no_value_run_is_made_and_the_condition_is_listed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("harness.valuecover.DIFFERS_MAX", 1)
    result = _run(tmp_path, {"a": {}, "b": {"HELPER": MASKED, "int left = 3": "int left = 2"}}, THREE)
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    found = with_values(result, cmp)
    assert found.differences == cmp.differences
    (said,) = found.undecided
    assert said.startswith("a condition of busy() changed, ") and re.search(
        r"no answer the scenarios gave takes the two apart \(the answers next to what it tests were not run: the "
        r"comparison differs already, and their \d+ runs pass the 1 made then\)$", said), said


def test_value_runs_alike_are_not_said_to_deny_the_differences_listed(tmp_path: Path) -> None:
    """b retries twice where a retried three times (busy3 differs) and its helper also tests in_interrupt(), which no
    answer decides: under 'busy: 2 scenarios differ', the condition's note said 'the answers next to what it tests
    ran too, and none of their runs differs', read as denying the differences just listed. It says what is true:
    those runs came out alike on both sides, and the differences come from other runs. Golden:
    value_runs_alike_under_differences."""
    from tests.reports.test_reviewer_verdicts import _golden

    result = _run(tmp_path, {"a": {}, "b": {"HELPER": "err == NO_ENTROPY && !in_interrupt()",
                                            "int left = 3": "int left = 2"}}, THREE)
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    summary = found.summary()
    assert summary[0] == "busy: 2 scenarios differ: TDX module SEAMCALLs 3 -> 2 [all leaves x busy3]", summary
    (said,) = found.undecided
    assert said.endswith("whether the differences found come from it is not worked out (it tests more than what "
                         "the SEAMCALLs answer; the answers next to what it tests ran too, and each came out alike on "
                         "both sides (the differences listed come from other runs))"), said
    assert "none of their runs differs" not in " ".join(summary)
    _golden("value_runs_alike_under_differences", "".join(f"{ln}\n" for ln in summary))
