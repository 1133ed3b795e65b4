"""The rules x variants table judged in jobs that two processes share (harness.verdictjobs).

The rules x variants table judged in jobs of one rule on one variant, which two processes share
(harness.verdictjobs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from harness.judge import JudgePlan, RuleRow, judge_plan, judge_rule
from harness.pipeline import (
    EvalRequest,
    SeriesRequest,
    build_variants,
    evaluate,
    read_inputs,
    run_variants,
    with_matrix,
)
from harness.verdict import Reading
from harness.verdictjobs import MAX_JOBS, comparing_spans, judge_span, rule_rows, verdict_spans
from reports.json_report import rule_row
from tests.harness.test_witness import _REVIEW, _series
from tests.harness.variantgen import MATRIX
from tests.mailgen import write_mbox

_RULE = (f'[[rule]]\nid = "ID"\nreviewer = "Rita Reviewer"\nmsgid = "{_REVIEW}"\nquote = "do not number"\n'
         'summary = "s"\npatch = "print fn in decimal"\n[rule.check]\nkind = "changelog"\nmust_not_match = "RE"\n')


def _inputs(tmp: Path) -> tuple[Path, Path, Path]:
    """The demo series with Rita's review, a matrix and two rules of hers."""
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "rules.toml").write_text(_RULE.replace("ID", "no-numbers").replace("RE", "(?i)change number")
                                    + _RULE.replace("ID", "no-todo").replace("RE", "TODO"))
    return write_mbox(tmp / "s.mbox", _series()), tmp / "m.toml", tmp / "rules.toml"


def _plan(mbox: Path, matrix: Path, rules: Path) -> JudgePlan:
    req = SeriesRequest((mbox,), matrix=matrix, jobs=1, cache=None)
    series = read_inputs(req)
    variants, m = with_matrix(req, series, build_variants(req, series))
    result = run_variants(req, variants, variants.variants, m)
    return judge_plan(rules, series, result, result.variants, variants.manifest)


def test_a_job_is_one_rule_on_one_variant_and_the_rows_are_judge_rules_in_any_order(tmp_path: Path) -> None:
    # Before: no harness.verdictjobs; a job was a whole rule, judged on every variant by one process.
    one, two = (_plan(*_inputs(tmp_path)) for _ in range(2))  # two plans: nothing one judged is kept for the other
    spans = verdict_spans(two)
    cells = [(n, v) for n in range(len(two.rules)) for v in range(len(two.variants))]
    assert len(two.rules) == 2 and len(two.variants) > 2
    assert list(spans) == [(n, v, v + 1) for n, v in cells]
    # Two processes take the jobs in no fixed order: judged from the last, the rows are the same.
    done = {k: judge_span(two, spans, k) for k in reversed(range(len(spans)))}
    rows = rule_rows(two, spans, [done[k] for k in range(len(spans))])
    assert _written(rows) == _written(tuple(judge_rule(one, n) for n in range(len(one.rules))))
    assert [list(r.verdicts) for r in rows] == [[v.name for v in two.variants]] * 2
    assert comparing_spans(two, spans) == frozenset()  # changelog rules compare no two variants


def _written(rows: tuple[RuleRow, ...]) -> str:
    """The rows as report.json writes them (each plan reads its own Rule objects from the file)."""
    reads: dict[Reading, int] = {}
    return json.dumps([rule_row(r, reads) for r in rows])


class _Sized:
    """What verdict_spans reads of a plan: how many rules and variants."""

    def __init__(self, rules: int, variants: int) -> None:
        self.rules, self.variants = (None,) * rules, (None,) * variants


@pytest.mark.parametrize(("rules", "variants"), [(1, 1), (3, 5), (12, 26), (40, 700), (5000, 3), (7, 0)])
def test_a_large_table_is_held_to_max_jobs_each_cell_in_one(rules: int, variants: int) -> None:
    spans = verdict_spans(cast(Any, _Sized(rules, variants)))
    assert len(spans) <= max(MAX_JOBS, rules)
    cells = [(n, v) for n, first, end in spans for v in range(first, end)]
    assert cells == [(n, v) for n in range(rules) for v in range(variants)]  # in the table's order, each once
    if rules * variants <= MAX_JOBS:
        assert all(end == first + 1 for _, first, end in spans)


def test_eval_with_two_workers_shares_a_job_per_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: 2 jobs (one per rule), so the child took the last rule whole while this process waited for it.
    from harness import workers

    counts: list[int] = []
    shared = workers.shared_jobs

    def spy(count: int, *args: Any) -> Any:
        counts.append(count)
        return shared(count, *args)
    monkeypatch.setattr(workers, "shared_jobs", spy)
    mbox, matrix, rules = _inputs(tmp_path)
    ev = evaluate(EvalRequest((mbox,), matrix=matrix, rules=rules, jobs=2, cache=None, time_budget=0))
    assert ev.judgement is not None
    assert counts == [len(ev.judgement.rows) * len(ev.result.variants)] and counts[0] > 2
