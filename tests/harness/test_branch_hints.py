"""The kernel's other branch hints (likely_notrace(), __builtin_expect_with_probability()).

The kernel's other branch hints, likely_notrace()/unlikely_notrace() (include/linux/compiler.h), and gcc's
__builtin_expect_with_probability(): the mirror runs them, and no-unlikely-in-sc-retry counts them as the hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"


@pytest.mark.parametrize("hint", ["unlikely_notrace(err != TDX_RND_NO_ENTROPY)",
                                  "likely_notrace(err != TDX_RND_NO_ENTROPY)",
                                  "__builtin_expect_with_probability(err != TDX_RND_NO_ENTROPY, 1, 0.9)"],
                         ids=["unlikely_notrace", "likely_notrace", "with_probability"])
def test_a_branch_hint_of_another_spelling_in_sc_retry_fails_and_runs(tmp_path: Path, hint: str) -> None:
    # Before: every rule INCONCLUSIVE, the hint 'named there but defined in none of them' (an unknown function to the
    # mirror, and to the source check a call the lines read neither define nor declare).
    header = helpers(RETRY_SAFE.replace(TEST, f"if ({hint} || !--left)"))
    assert TEST in RETRY_SAFE
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    found = {v.rule.id: v for v in g.verdicts}
    assert found["no-unlikely-in-sc-retry"].status is VerdictStatus.FAIL, found["no-unlikely-in-sc-retry"].note
    for rule in ("seamldr-no-entropy-not-retried", "tdx-module-calls-unchanged"):
        assert found[rule].status is VerdictStatus.PASS, (rule, found[rule].note)
