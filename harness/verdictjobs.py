"""The rules x variants table as jobs of one rule on a run of its variants, which two processes share.

eval judges the rules in a child forked beside its comparisons, and this process takes the jobs left once its
comparisons and the report's parts are made (harness.workers.shared_jobs). A job of a whole rule left this process
waiting for the child's last rule on every variant (the corpus: the child's CPU 0.55-0.59 s, this process's 0.50-0.53 s
from the fork to the last verdict, the last rule alone about 0.18 s in the child); a job of one rule on one variant is
0.04 s at most, most of them under 0.01 s, so the two end nearly together.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.judge import JudgePlan, RuleRow, comparing_rules, judge_cell, rule_row
from harness.verdict import Verdict

# Jobs at most: harness.workers.shared_jobs writes every job's number to a pipe before it forks (16,384 of them fit),
# and each job's verdicts come back pickled. Past it, a job holds a run of several variants of one rule.
MAX_JOBS = 4096

Span = tuple[int, int, int]  # (rule, first variant, end): the plan's variants [first, end) of that rule


def verdict_spans(plan: JudgePlan) -> tuple[Span, ...]:
    """The jobs of the plan's table, in the order a single process judges it (rule by rule, each rule's variants in
    the plan's order): one job a cell, or runs of variants of equal length where there would be over MAX_JOBS."""
    rules, variants = len(plan.rules), len(plan.variants)
    runs = max(1, min(variants, MAX_JOBS // max(rules, 1)))
    bounds = [(variants * k // runs, variants * (k + 1) // runs) for k in range(runs)]
    return tuple((n, a, b) for n in range(rules) for a, b in bounds if b > a)


def judge_span(plan: JudgePlan, spans: Sequence[Span], k: int) -> tuple[Verdict, ...]:
    """Job ``k`` of ``spans``: its rule on each of its variants. Raises what the rule's check raises."""
    n, first, end = spans[k]
    rule = plan.rules[n]
    return tuple(judge_cell(plan, rule, v) for v in plan.variants[first:end])


def comparing_spans(plan: JudgePlan, spans: Sequence[Span]) -> frozenset[int]:
    """The jobs of the rules that compare two variants (harness.judge.comparing_rules): queued last."""
    last = comparing_rules(plan)
    return frozenset(k for k, (n, _, _) in enumerate(spans) if n in last)


def rule_rows(plan: JudgePlan, spans: Sequence[Span], done: Sequence[tuple[Verdict, ...]]) -> tuple[RuleRow, ...]:
    """One row per rule of the plan from its jobs' verdicts (``done``, in the order of ``spans``), as
    harness.judge.judge_rule makes it."""
    verdicts: list[dict[str, Verdict]] = [{} for _ in plan.rules]
    for (n, first, end), got in zip(spans, done, strict=True):
        verdicts[n].update(zip((v.name for v in plan.variants[first:end]), got, strict=True))
    return tuple(rule_row(plan, n, verdicts[n]) for n in range(len(plan.rules)))
