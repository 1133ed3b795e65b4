"""``seamharness crosscheck``'s pipeline: the variants read, built and run in the mirror and natively (gcc)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.pipeline import (
    Notify,
    SeriesRequest,
    build_variants,
    read_inputs,
    release_trees,
    run_variants,
    with_matrix,
)
from models.record import record

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult
    from harness.manifest import Skip
    from harness.model import Series
    from harness.runner import Progress


@record
class CrossRequest(SeriesRequest):
    """``seamharness crosscheck``: the variants to compile (empty: all), the compiler, seconds per child."""

    variants: tuple[str, ...] = ()
    cc: str | None = None
    timeout: float = 30.0
    source: str = "original"  # harness.crossraw.SOURCES: the variant's own text, or the mirror's expansion


@record
class CrossEvaluation:
    """The series read, the cross-check of its variants, and the reviewer variants skipped."""

    series: Series
    result: CrossResult
    skipped: tuple[Skip, ...] = ()


def cross_check(req: CrossRequest, progress: Progress | None = None, notify: Notify | None = None,
                native: Callable[[], Progress | None] | None = None) -> CrossEvaluation:
    """Every selected variant through the matrix in the mirror and natively, outcome by outcome.

    ``native`` makes the progress callback of the native phase when that phase starts. No git process reading
    the tree is left running after it.
    """
    try:
        return _cross_check(req, progress, notify, native)
    finally:
        release_trees()


def _cross_check(req: CrossRequest, progress: Progress | None, notify: Notify | None,
                 native: Callable[[], Progress | None] | None) -> CrossEvaluation:
    from harness.crosscheck import crosscheck_result
    from harness.variantchoices import newest
    from models.native.run import find_compiler

    cc = find_compiler(req.cc)
    series = read_inputs(req, notify)
    req = replace(req, variants=tuple(newest(n, series) for n in req.variants))  # 'newest': the vN the mail holds
    variants, matrix = with_matrix(req, series, build_variants(req, series, req.variants), req.variants)
    result = run_variants(req, variants, variants.variants, matrix, progress)
    cross = crosscheck_result(result, cc, req.timeout, native() if native else None, req.source)
    return CrossEvaluation(series, cross, variants.skipped)
