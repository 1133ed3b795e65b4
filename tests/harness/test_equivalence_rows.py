"""The equivalence check's rows: selected scenarios, and sides that are the same outcome.

The equivalence check's rows: the scenarios a selector picks come from the judgement's table of positions, and a
row whose two sides are the very same outcome (the same code ran) is counted compared without being examined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import equivalence
from harness.pipeline import EvalRequest, evaluate
from harness.rules import Selector
from harness.verdict import CheckContext, VerdictStatus


def test_same_outcome_rows_are_not_examined(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examined: list[bool] = []
    real = equivalence._one_sided

    def one_sided(ref: Any, v: Any, names: tuple[str, str, str], a: Any, b: Any, sides: Any = None) -> str | None:
        examined.append(a is b)
        return real(ref, v, names, a, b, sides)

    monkeypatch.setattr(equivalence, "_one_sided", one_sided)
    ev = evaluate(EvalRequest((corpus,), jobs=1))  # the rules judged in this process, where the spy is
    assert ev.judgement is not None and examined
    assert not any(examined)  # each of these rows was compared and the same: nothing to examine
    rows = [row for row in ev.judgement.rows if row.rule.kind == "equivalence"]
    assert any(v.status is VerdictStatus.PASS for row in rows for v in row.verdicts.values())


def test_positions_are_the_matrix_order(corpus: Path) -> None:
    ev = evaluate(EvalRequest((corpus,), variants=("v3",)))
    ctx = CheckContext(ev.series, ev.result, lambda v: "no facts")
    scenarios = ev.result.matrix.scenarios
    for sel in (Selector(), Selector(entry=("*",)), Selector(entry=("seamldr_*",))):
        assert ctx.positions(sel) == [(p, s) for p, s in enumerate(scenarios) if sel.picks(s)]
        assert ctx.positions(sel) is ctx.positions(sel)
