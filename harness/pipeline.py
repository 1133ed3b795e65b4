"""The pipeline's stages, one function each, composed by every command (eval, gate, crosscheck, bench).

read_inputs -> build_variants -> resolve_matrix -> run_variants -> compare_outcomes -> judge -> report.
Each stage takes the shared request (or one that extends it) and what the stages before it made, so the
same bad input gives the same one-line error whichever command meets it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.apply import ApplyRequest, VariantSet, apply_variants, unknown_variant
from harness.budgets import TIME_BUDGET
from harness.compare import CompareRequest, CompareResult, compare_outcomes
from harness.errors import InputError, UsageError
from harness.ingest import IngestRequest, parse_series
from harness.inputs import InputSpec, resolve_inputs
from harness.judge import Judgement, judge, rules_path
from harness.lore import DEFAULT_LORE
from harness.matrix import Matrix, bundled_matrix, load_matrix
from harness.model import Series
from harness.options import against_not_evaluated
from harness.outcome_cache import open_cache
from harness.runner import MatrixRequest, MatrixResult, Progress, run_matrix
from harness.variants import Variant, variant_names

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult


@dataclass(frozen=True)
class SeriesRequest:
    """What every command that reads a series shares: the inputs and where base, matrix and rules come from.

    ``paths`` are files, folders, Message-IDs or lore URLs; ``cache`` is the outcome cache folder (None: no
    cache); ``jobs`` the worker processes (0: one per core); ``time_budget`` the wall-clock seconds each code
    group may run (0: no limit; harness.runner.TIME_BUDGET).
    """

    paths: tuple[Path | str, ...]
    _: KW_ONLY
    lore: str = DEFAULT_LORE
    offline: bool = False
    thread_cache: Path | None = None
    tree: Path | None = None
    base: str | None = None
    manifest: Path | None = None
    matrix: Path | None = None
    rules: Path | None = None
    jobs: int = 0
    cache: Path | None = None
    time_budget: float = TIME_BUDGET


@dataclass(frozen=True)
class EvalRequest(SeriesRequest):
    """``seamharness eval``: empty ``variants`` means every variant the input allows."""

    variants: tuple[str, ...] = ()
    against: str | None = None
    crosscheck: bool = False
    cc: str | None = None


Notify = Callable[[str], None]


def read_inputs(req: SeriesRequest, notify: Notify | None = None, need_patches: bool = True) -> Series:
    """Fetch what must be fetched and read every input; insist on at least one patch (or one message).

    Raises InputError (the first refused input) when nothing could be read, UsageError when the input
    holds no mail at all, or only replies and ``need_patches``.
    """
    local = resolve_inputs(InputSpec(tuple(str(p) for p in req.paths), req.lore, req.offline, req.thread_cache),
                           notify or (lambda _msg: None))
    series = parse_series(IngestRequest(local))
    if series.revisions or (series.orphans and not need_patches):
        return series
    where = ", ".join(str(p) for p in req.paths) or "the input"
    if series.orphans:
        raise UsageError(None, f"no patches found in {where}: only replies")
    if series.skipped:
        first = series.skipped[0]
        more = f" ({len(series.skipped) - 1} more inputs skipped)" if len(series.skipped) > 1 else ""
        raise InputError(first.where, f"{first.reason} (skipped){more}")
    raise UsageError(None, f"no mail found in {where}")


def build_variants(req: SeriesRequest, series: Series, names: tuple[str, ...] = ()) -> VariantSet:
    """Every revision state and reviewer variant (only ``names`` and what they need, when given)."""
    known = variant_names(series, req.manifest)
    for name in names:
        if name not in known:
            raise unknown_variant(name, known)
    return apply_variants(ApplyRequest(series, req.tree, req.base, req.manifest, names))


def resolve_matrix(req: SeriesRequest, variants: VariantSet) -> Matrix:
    """``--matrix``, else the series' bundled matrix; UsageError when there is neither."""
    if req.matrix is not None:
        return load_matrix(req.matrix)
    folder = variants.manifest.folder() if variants.manifest else None
    path = bundled_matrix(folder) if folder else None
    if path is None:
        raise UsageError(None, "no matrix for this series: pass --matrix FILE")
    return load_matrix(path)


def run_variants(req: SeriesRequest, variants: VariantSet, selected: tuple[Variant, ...], matrix: Matrix,
                 progress: Progress | None = None) -> MatrixResult:
    """The selected variants through the matrix, with the request's workers and outcome cache."""
    helpers = variants.manifest.helpers if variants.manifest else ()
    return run_matrix(MatrixRequest(selected, matrix, helpers, req.jobs, open_cache(req.cache), req.time_budget),
                      progress)


@dataclass(frozen=True)
class Evaluation:
    """The result of every stage of eval, for the report model and the tests."""

    request: EvalRequest
    series: Series
    variants: VariantSet
    matrix: Matrix
    result: MatrixResult
    comparison: CompareResult
    judgement: Judgement | None = None
    crosscheck: CrossResult | None = None  # set with EvalRequest.crosscheck


def _pairs(req: EvalRequest, variants: VariantSet) -> tuple[tuple[str, str], ...]:
    if req.against is None:
        return ()
    names = req.variants or tuple(v.name for v in variants.variants)
    return tuple((req.against, n) for n in names if n != req.against)


def evaluate(req: EvalRequest, progress: Progress | None = None, notify: Notify | None = None) -> Evaluation:
    """Run the whole pipeline on the request's inputs."""
    series = read_inputs(req, notify)
    names = req.variants
    if req.against is not None:
        known = variant_names(series, req.manifest)
        if req.against not in known:
            raise unknown_variant(req.against, known)
        if names and req.against not in names:
            raise against_not_evaluated(req.against, names)
    variants = build_variants(req, series, names)
    matrix = resolve_matrix(req, variants)
    result = run_variants(req, variants, variants.variants, matrix, progress)
    comparison = compare_outcomes(CompareRequest(result, series, _pairs(req, variants)))
    cross = None
    if req.crosscheck:
        from harness.crosscheck import crosscheck_result
        from models.native.run import find_compiler

        cross = crosscheck_result(result, find_compiler(req.cc))
    path = rules_path(variants.manifest, req.rules)
    judgement = judge(path, series, result, result.variants, variants.manifest) if path is not None else None
    return Evaluation(req, series, variants, matrix, result, comparison, judgement, cross)


@dataclass(frozen=True)
class CrossRequest(SeriesRequest):
    """``seamharness crosscheck``: the variants to compile (empty: all), the compiler, seconds per child."""

    variants: tuple[str, ...] = ()
    cc: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class CrossEvaluation:
    """The series read and the cross-check of its variants."""

    series: Series
    result: CrossResult


def cross_check(req: CrossRequest, progress: Progress | None = None,
                notify: Notify | None = None) -> CrossEvaluation:
    """Every selected variant through the matrix in the mirror and natively, outcome by outcome."""
    from harness.crosscheck import crosscheck_result
    from models.native.run import find_compiler

    cc = find_compiler(req.cc)
    series = read_inputs(req, notify)
    variants = build_variants(req, series, req.variants)
    matrix = resolve_matrix(req, variants)
    result = run_variants(req, variants, variants.variants, matrix, progress)
    return CrossEvaluation(series, crosscheck_result(result, cc, req.timeout))
