"""A comparison as the reports read it: its verdict's words, the gaps, where a fact holds."""

from __future__ import annotations

import pytest

from harness.comparison import Comparison, Facts, Gap, compact_scripts, scenario_count


def _cmp(**more: object) -> Comparison:
    return Comparison("patch", "v3:01", "v3:02", "v3 02/26", None, (), 448, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(("more", "said"), [
    ({}, "nothing compared: no scenario ran on both sides"),
    ({"compared": 448}, "no behaviour change"),
    ({"compared": 400}, "no behaviour change in the 400 of 448 scenarios that ran on both sides"),
    ({"compared": 448, "unreached": ("f() (a.c:3)",)},
     "no behaviour change in the 448 of 448 scenarios that ran on both sides, but the patch also changes code no "
     "entry point reaches"),
    ({"compared": 448, "not_run": ("a.c:9",)},
     "no behaviour change in the 448 of 448 scenarios that ran on both sides, but some of the code the patch "
     "changes never ran"),
])
def test_the_verdict_claims_only_what_ran(more: dict[str, object], said: str) -> None:
    c = _cmp(**more)
    assert c.verdict() == said
    assert c.unchanged is (said == "no behaviour change")


def test_every_gap_and_assumption_is_a_line_of_the_summary() -> None:
    c = _cmp(compared=10, gaps=(Gap(("seamldr_call",), 1, "it did not run in v3:02"),),
             assumed=("a/seamldr.c: Makefile:3 names seamldr.o (CONFIG_X taken as set)",))
    assert c.summary()[1:] == [
        "not compared: seamldr_call (1 scenario): it did not run in v3:02",
        "assumed built (the harness reads no .config): a/seamldr.c: Makefile:3 names seamldr.o (CONFIG_X taken as set)",
    ]


def test_counts_and_script_names_as_the_reports_print_them() -> None:
    assert scenario_count(Facts(("a",), 1, (), 0)) == "1 scenario"
    assert scenario_count(Facts(("a", "b"), 64, (), 0)) == "64 scenarios each"
    assert compact_scripts(["x-x1", "x-x9", "y", "x-x10"]) == "x-x1/9/10, y"
