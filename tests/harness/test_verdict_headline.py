"""A verdict's headline counts warnings that fail apart from those that cannot be judged, as it does errors."""

from __future__ import annotations

from harness.pipeline import Evaluation
from harness.verdict import tally


def test_inconclusive_warnings_are_said_apart(corpus_eval: Evaluation) -> None:
    # v1 read '5 warnings': two failures and three rules whose code did not run.
    assert corpus_eval.judgement is not None
    verdicts = [row.verdicts["v1"] for row in corpus_eval.judgement.rows]
    t = tally(verdicts)
    assert len(t.warnings) == 5 and len(t.unjudged) == 3
    assert "5 warnings (3 inconclusive), 0 passed" in t.headline("v1")
    v3 = tally([row.verdicts["v3"] for row in corpus_eval.judgement.rows])
    assert v3.headline("v3") == "v3: NOT READY: 6 error rules fail, 5 warnings, 1 passed, 0 not applicable"
    # With --allow-inconclusive an inconclusive error rule is a warning, one that cannot be judged.
    allowed = tally(verdicts, allow_inconclusive=True)
    assert len(allowed.warnings) == 10 and len(allowed.unjudged) == 8
    assert "10 warnings (8 inconclusive)" in allowed.headline("v1")
