"""A review point stated as a reason, the request right after it: the gate quotes the request too (pointwords)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

CONCERN = ("The hardware can return busy for a long time and spinning ten times here just hides a locking bug.")
REQUEST = "Please keep the loop to no-entropy only and return the busy status to the caller."


@pytest.mark.parametrize(("words", "quoted"), [
    # Before: the reason alone, the request the author must act on unquoted.
    (f"I don't think busy should share the entropy budget. {CONCERN} {REQUEST}", f"{CONCERN} {REQUEST}"),
    ("This hides a locking bug. Please return the busy status to the caller.",
     "This hides a locking bug. Please return the busy status to the caller."),
    # The request first, a reason after it: the request alone, as before.
    ("Please cap the retries. The loop is unbounded.", "Please cap the retries."),
    # A concern with no request after it: itself.
    ("This loop hides a locking bug. Thanks for working on this.", "This loop hides a locking bug."),
])
def test_a_point_quotes_the_request_after_its_reason(tmp_path: Path, words: str, quoted: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.sentence for o in g.objections] == [quoted]
