"""evaluate_gate: every review rule on one variant, with evidence, the reviewer's own sentence, and an exit status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.checks import Verdict, VerdictStatus
from harness.judge import judge, require_rules
from harness.model import Series
from harness.pipeline import Notify, SeriesRequest, build_variants, read_inputs, resolve_matrix, run_variants
from harness.rules import Severity
from harness.runner import Progress
from harness.variants import Variant


@dataclass(frozen=True)
class GateRequest(SeriesRequest):
    """The inputs and the variant to judge."""

    variant: str


@dataclass(frozen=True)
class GateResult:
    """Verdicts of every rule on the variant, and the reviewers' sentences found in the input."""

    variant: Variant
    verdicts: tuple[Verdict, ...]
    quotes: dict[str, str | None]
    rules_path: Path
    series: Series

    @property
    def exit_status(self) -> int:
        """1 when an error rule fails, else 0 (bad input never gets this far: it exits 2)."""
        return 1 if any(v.status is VerdictStatus.FAIL and v.rule.severity is Severity.ERROR
                        for v in self.verdicts) else 0


def _needed(target: Variant, every: tuple[Variant, ...]) -> tuple[Variant, ...]:
    """The target, every state of its revision (references, code moves) and the proposal's start."""
    keep = [v for v in every if v.revision == target.revision and v.prefix is not None and v is not target]
    keep += [v for v in every if v.name == target.start and v not in keep and v is not target]
    return (target, *keep)


def evaluate_gate(req: GateRequest, progress: Progress | None = None, notify: Notify | None = None) -> GateResult:
    """Judge one variant against every rule of the series."""
    series = read_inputs(req, notify)
    every = build_variants(req, series)
    target = every.get(req.variant)
    matrix = resolve_matrix(req, every)
    path = require_rules(every.manifest, req.rules)
    result = run_variants(req, every, _needed(target, every.variants), matrix, progress)
    judgement = judge(path, series, result, (target,), every.manifest)
    return GateResult(target, judgement.verdicts_of(target.name), {r.rule.id: r.quote for r in judgement.rows},
                      path, series)
