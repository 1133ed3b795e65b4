"""The gate on harmless review replies (a withdrawal, a waiver, a clean tally, slang) and the same words objecting."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# Each NOT READY before: a request to drop, a review point, a reported regression or an input not read.
HARMLESS = [
    "My objection on v2 was wrong: the caller already holds the lock, so consider it withdrawn.",
    "Out of curiosity, why 16 retries? Not a blocker.", "Good catch! I've hit this too on my test box.",
    "Ran the tdx selftests: PASS 58, SKIP 2, FAIL 0.", "Lovely jubbly.",
    "This replaces the hacky loop with a helper, good.",
    "Have you considered a follow-up to convert the other callers? Not for this series.",
    "Bisected the hang I reported on v2: it's fixed by this patch.",
    "Works on my SPR box. Tested-by: Cho Tester <cho@example.org>",
]
# The same words objecting: each blocks (the first five passed READY before).
OBJECTING = [
    "Not a blocker for v3, but must be fixed before merge.", "Ran the tdx selftests: PASS 56, SKIP 2, FAIL: 2.",
    "KUnit: Testing complete. Ran 37 tests: passed: 35, failed: 2",
    "My earlier comment was wrong, but there is a worse problem: the lock is never released.",
    "Why 16 retries? Not a blocker? It is for me: it spins forever on my box.",
    "Bisected the hang I reported on v2: it is not fixed by this patch.", "My NAK stands; consider it dropped.",
    # A tag offered for the next revision once a change is made: the change is asked of this one (docs/gate.md).
    "With the typo fixed in v4: Reviewed-by: Mae Maint <mae@example.org>",
]


def _blocks(tmp: Path, words: str) -> bool:
    mbox = _replies(tmp, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
    return bool(gate.exit_status)


@pytest.mark.parametrize("words", HARMLESS)
def test_a_harmless_reply_leaves_the_gate_ready(tmp_path: Path, words: str) -> None:
    assert not _blocks(tmp_path, words)


@pytest.mark.parametrize("words", OBJECTING)
def test_the_same_words_objecting_block_the_gate(tmp_path: Path, words: str) -> None:
    assert _blocks(tmp_path, words)
