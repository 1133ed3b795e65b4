"""evaluate: parse_series -> apply_variants -> run_matrix (load_program inside) -> compare_outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.apply import ApplyRequest, VariantSet, apply_variants
from harness.checks import CheckContext, Verdict, run_check
from harness.compare import CompareRequest, CompareResult, compare_outcomes
from harness.errors import InputError, UsageError
from harness.gate import FactsCache, matrix_entries, quote_sentence, rules_for
from harness.ingest import IngestRequest, parse_series
from harness.matrix import Matrix, bundled_matrix, load_matrix
from harness.model import Series
from harness.outcome_cache import open_cache
from harness.rules import Rule, load_rules
from harness.runner import MatrixRequest, MatrixResult, Progress, run_matrix

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult


@dataclass(frozen=True)
class EvalRequest:
    """Everything ``seamharness eval`` needs; empty ``variants`` means every variant the input allows."""

    paths: tuple[Path, ...]
    tree: Path | None = None
    base: str | None = None
    manifest: Path | None = None
    matrix: Path | None = None
    variants: tuple[str, ...] = ()
    against: str | None = None
    jobs: int = 0
    rules: Path | None = None
    crosscheck: bool = False
    cc: str | None = None
    cache: Path | None = None


@dataclass(frozen=True)
class Evaluation:
    """The result of every stage, for the renderers and the gate."""

    request: EvalRequest
    series: Series
    variants: VariantSet
    matrix: Matrix
    result: MatrixResult
    comparison: CompareResult
    rule_table: tuple[RuleRow, ...] = ()
    crosscheck: CrossResult | None = None  # set with EvalRequest.crosscheck


@dataclass(frozen=True)
class RuleRow:
    """One review rule across every evaluated variant."""

    rule: Rule
    quote: str | None
    verdicts: dict[str, Verdict]


def _matrix(req: EvalRequest, variants: VariantSet) -> Matrix:
    if req.matrix is not None:
        return load_matrix(req.matrix)
    folder = variants.manifest.folder() if variants.manifest else None
    path = bundled_matrix(folder) if folder else None
    if path is None:
        raise UsageError(None, "no matrix for this series: pass --matrix FILE")
    return load_matrix(path)


def _selected(req: EvalRequest, series: Series) -> ApplyRequest:
    names = req.variants
    if names and req.against and req.against not in names:
        names = (*names, req.against)
    return ApplyRequest(series, req.tree, req.base, req.manifest, names)


def evaluate(req: EvalRequest, progress: Progress | None = None) -> Evaluation:
    """Run the whole pipeline on the request's inputs."""
    series = parse_series(IngestRequest(req.paths))
    if not series.revisions:
        if series.skipped:
            first = series.skipped[0]
            raise InputError(first.where, first.reason)
        raise UsageError(None, "no patches found in the input")
    variants = apply_variants(_selected(req, series))
    matrix = _matrix(req, variants)
    helpers = variants.manifest.helpers if variants.manifest else ()
    result = run_matrix(MatrixRequest(variants.variants, matrix, helpers, req.jobs, open_cache(req.cache)), progress)
    pairs = tuple((req.against, v) for v in req.variants if req.against and v != req.against)
    if req.against and not req.variants:
        pairs = tuple((req.against, v.name) for v in variants.variants if v.name != req.against)
    comparison = compare_outcomes(CompareRequest(result, series, pairs))
    cross = None
    if req.crosscheck:
        from harness.crosscheck import crosscheck_result
        from models.native.run import find_compiler

        cross = crosscheck_result(result, find_compiler(req.cc))
    return Evaluation(req, series, variants, matrix, result, comparison, _rule_table(req, series, variants, result),
                      cross)


def _rule_table(req: EvalRequest, series: Series, variants: VariantSet, result: MatrixResult) -> tuple[RuleRow, ...]:
    """Every rule on every variant, when the series has rules (or --rules names a file)."""
    try:
        path = rules_for(variants.manifest, req.rules)
    except UsageError:
        return ()
    rules = load_rules(path)
    ctx = CheckContext(series, result, FactsCache(result.helpers, matrix_entries(result)))
    return tuple(RuleRow(r, quote_sentence(series, r), {v.name: run_check(r, v, ctx) for v in result.variants})
                 for r in rules)

