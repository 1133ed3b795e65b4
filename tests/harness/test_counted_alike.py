"""sc_retry()'s exit test with its counter spelt otherwise: the same decision.

sc_retry()'s exit test with its counter spelt otherwise ('!--left' made 'tries == 10', counted up from 1): the same
decision where the two loops go round as many times (harness.countedalike)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
RULES = ("nak-no-kernel-change", "tdx-module-calls-unchanged")  # the bundled rules: behaviour as before 'Prepare'


def _counted(start: int, stop: str) -> str:
    """RETRY_SAFE counting ``tries`` up from ``start`` in the for's step, stopping where ``stop`` holds."""
    return RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n", "\tint tries;\n").replace(
        "\tfor (;;) {\n", f"\tfor (tries = {start}; ; tries++) {{\n").replace(
        "err != TDX_RND_NO_ENTROPY || !--left", f"err != TDX_RND_NO_ENTROPY || {stop}")


CASES = {
    # The same behaviour: INCONCLUSIVE before ('a condition of sc_retry() changed, ... neither the scenarios that ran
    # nor the answers next to what it tests ... tell the two apart').
    "counted-up-from-one": (_counted(1, "tries == RDRAND_RETRY_LOOPS"), PASS),
    "counted-up-from-zero": (_counted(0, "tries >= RDRAND_RETRY_LOOPS - 1"), PASS),
    # The twins: one more try (the runs answering 'no entropy' 10 times show it), a bound that rests on the leaf
    # (11 tries for a leaf no scenario takes: no run shows it, and the counter part reads more than counters).
    "one-try-more": (_counted(1, "tries == RDRAND_RETRY_LOOPS + 1"), FAIL),
    "a-try-more-for-one-leaf": (_counted(1, "tries == RDRAND_RETRY_LOOPS + (fn == 0x1234)"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_counter_spelt_otherwise_is_the_same_test_where_the_counts_agree(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    assert loop != RETRY_SAFE
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (rule, got[rule])
