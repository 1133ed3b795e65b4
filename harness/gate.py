"""evaluate_gate: every review rule on one variant, with evidence, the reviewer's own sentence, and an exit status."""

from __future__ import annotations

from dataclasses import field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from harness.assumedconsts import variant_assumptions, variant_untested
from harness.citehint import citing_rows, hinted
from harness.earlierchange import counterpart_states
from harness.emptyvariant import refuse_empty
from harness.heldwrites import start_writes
from harness.judge import judge, named_references, read_rules, require_rules
from harness.manifest import Skip
from harness.model import Series
from harness.objections import EarlierObjection, Objection, ReviewObjections, counts, review_objections
from harness.outcome_cache import open_cache
from harness.pipeline import (
    Notify,
    SeriesRequest,
    build_variants,
    read_inputs,
    release_trees,
    run_variants,
    with_matrix,
)
from harness.readreplies import replies_read
from harness.rules import Severity
from harness.runner import Progress
from harness.stateproblems import am_stops, kinds_said, not_given, state_problems
from harness.treenames import tree_names
from harness.variantchoices import newest
from harness.variants import Variant
from harness.verdict import Verdict, VerdictStatus, tally
from harness.witness import reviewed_names
from models.record import record

if TYPE_CHECKING:
    from harness.apply import VariantSet


@record
class GateRequest(SeriesRequest):
    """The inputs and the variant to judge; ``allow_inconclusive`` makes an inconclusive error rule a warning.
    A cached thread past its maximum age whose download fails is refused (``stale_ok``): a reviewer's later
    NAK would otherwise never reach the gate, which would pass on the old thread (--offline takes it)."""

    variant: str
    allow_inconclusive: bool = False
    stale_ok: bool = field(default=False, kw_only=True)


class GateState(StrEnum):
    """What one verdict does to the gate."""

    BLOCKS = "fail"  # an error rule that fails, or is inconclusive without --allow-inconclusive
    WARNS = "warn"  # a warning rule that fails or is inconclusive (or an allowed inconclusive error rule)
    PASSES = "pass"
    NOT_APPLICABLE = "n/a"


@record
class GateResult:
    """Verdicts of every rule on the variant, and the reviewers' sentences found in the input."""

    variant: Variant
    verdicts: tuple[Verdict, ...]
    quotes: dict[str, str | None]
    rules_path: Path
    series: Series
    allow_inconclusive: bool = False
    skipped: tuple[Skip, ...] = ()
    citations: dict[str, str] = field(default_factory=dict)  # rule id -> why its sentence is not shown
    objections: tuple[Objection, ...] = ()  # NAKs and requests to drop no rule judges: each blocks
    # Those of an earlier revision's patch whose change this revision no longer makes: said, never judged.
    earlier: tuple[EarlierObjection, ...] = ()
    # Those their own sender lifted since (a withdrawal, a later Reviewed-by, "Never mind, keep it"), each with what
    # lifted it (harness.lifted), and the replies not read that the user read ([[read]]): not blocking, and said.
    lifted: tuple[str, ...] = ()
    # What the variant's runs assume rather than read from its files (harness.assumedconsts.variant_assumptions):
    # a pass that rests on them holds for those values (a tree's own TDX_* codes may differ), so it is said.
    assumptions: tuple[str, ...] = ()
    # The heading over ``lifted``, naming what it holds (ReviewObjections.not_blocking_heading).
    lifted_heading: str = ""
    # What of the variant's code the matrix never runs (harness.assumedconsts.variant_untested): a pass says nothing
    # of it, so it is said.
    untested: tuple[str, ...] = ()

    def blocking(self, v: Verdict) -> bool:
        """Whether a verdict fails the gate: an error rule that fails, or is inconclusive (unless allowed)."""
        if v.rule.severity is not Severity.ERROR:
            return False
        unknown = v.status is VerdictStatus.INCONCLUSIVE and not self.allow_inconclusive
        return v.status is VerdictStatus.FAIL or unknown

    @property
    def base_problems(self) -> tuple[str, ...]:
        """What went wrong building the judged state on its base, one line each (harness.stateproblems)."""
        return state_problems(self.series, self.variant)

    @property
    def not_given(self) -> tuple[str, ...]:
        """The patches of the judged whole revision that the input lacks (harness.stateproblems.not_given)."""
        return not_given(self.series, self.variant)

    @property
    def am_stops(self) -> tuple[str, ...]:
        """The patches the judged state applies that git am stops at (harness.stateproblems.am_stops)."""
        return am_stops(self.series, self.variant)

    def state(self, v: Verdict) -> GateState:
        """What a verdict means for the gate."""
        if self.blocking(v):
            return GateState.BLOCKS
        if v.status in (VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE):
            return GateState.WARNS
        return GateState.PASSES if v.status is VerdictStatus.PASS else GateState.NOT_APPLICABLE

    def headline(self) -> str:
        """The gate's verdict in one line, e.g. ``v3: NOT READY: 6 error rules fail, 5 warnings, ...``; the objections
        to an earlier revision's patches changed since counted at its end (``; 1 objection to ... not judged``)."""
        # A reply that could not be read is an input not read.
        naks, drops, regressions, tags, points, unread = counts(self.objections)
        review = ReviewObjections(self.objections, self.earlier)
        line = tally(self.verdicts, self.allow_inconclusive).headline(
            self.variant.name, len(self.series.skipped) + unread, naks, drops, len(self.base_problems),
            len(review.unjudged(self.allow_inconclusive)), tags, regressions, kinds_said(self.series, self.variant),
            points)
        return line + review.headline_note(self.allow_inconclusive)

    @property
    def unjudged_earlier(self) -> tuple[EarlierObjection, ...]:
        """The objections to an earlier revision's patch changed since that block (ReviewObjections.unjudged)."""
        return ReviewObjections(self.objections, self.earlier).unjudged(self.allow_inconclusive)

    @property
    def exit_status(self) -> int:
        """2 when an input was not read (series.skipped: the verdicts rest on part of the input), else 1 when a
        verdict blocks the gate, a NAK no rule judges stands, or the patches do not build the judged state on its
        base (base_problems: a hunk git apply refuses there; --allow-inconclusive or not, and whether a rule
        needs that file or not: a series that does not apply is not ready), else 0."""
        if self.series.skipped:
            return 2
        blocked = self.objections or self.base_problems or self.unjudged_earlier \
            or any(self.blocking(v) for v in self.verdicts)
        return 1 if blocked else 0

    @property
    def inputs_skipped(self) -> tuple[str, ...]:
        """Each input that was not read, as ``FILE:LINE: why`` (one line each)."""
        return tuple(f"{s.where}: {s.reason}" for s in self.series.skipped)


def _needed(target: Variant, every: tuple[Variant, ...], named: frozenset[str] = frozenset()) -> tuple[Variant, ...]:
    """The target, every state of its revision (references, code moves), the proposal's start, and the
    variants rules name as their reference (``reference = "v2"``, a reviewer variant) or whose code their cited
    message reviewed (harness.witness); eval names those it did not evaluate beside its verdict
    (harness.report._narrowed)."""
    keep = [v for v in every if v.revision == target.revision and v.prefix is not None and v is not target]
    keep += [v for v in every if (v.name == target.start or v.name in named) and v not in keep and v is not target]
    return (target, *keep)


def _dropless(req: GateRequest, series: Series, built: VariantSet, units: tuple[str, ...], entries: tuple[str, ...]
              ) -> VariantSet:
    """harness.dropless.with_dropless with the rules the gate judges (read again after: the matrix is found first)."""
    from harness.dropless import with_dropless

    return with_dropless(req, series, read_rules(require_rules(built.manifest, req.rules)), built, units, entries)


def _rules_first(req: GateRequest, series: Series) -> None:
    """Say that the series has no review rules before any variant is built (every state applied, the matrix run:
    seconds to minutes), for a variant the mail names; an unknown variant is left to build_variants to say, as
    before."""
    from harness.manifest import find_manifest
    from harness.replyvariants import variant_names

    if req.rules is None and req.variant in variant_names(series, req.manifest):
        require_rules(find_manifest(series, req.manifest), None)


def evaluate_gate(req: GateRequest, progress: Progress | None = None, notify: Notify | None = None) -> GateResult:
    """Judge one variant against every rule of the series; no git process reading the tree is left running."""
    try:
        return _evaluate_gate(req, progress, notify)
    finally:
        release_trees()


def _evaluate_gate(req: GateRequest, progress: Progress | None, notify: Notify | None) -> GateResult:
    series = read_inputs(req, notify)
    req = replace(req, variant=newest(req.variant, series))  # 'newest' is the vN the mail holds
    _rules_first(req, series)
    every = build_variants(req, series)
    # an unknown or unbuildable variant, or one of no patch, is said before the matrix is looked for
    refuse_empty(series, every.get(req.variant), "judge")
    # with a tree, built again with the matrix's units; then aside, the earlier states without patches dropped since
    every, matrix = with_matrix(req, series, every, more=partial(_dropless, req, series))
    target = every.get(req.variant)
    path = require_rules(every.manifest, req.rules)
    rules = read_rules(path)
    # and the code each cited message reviewed (harness.witness), with what a rule compares it with there
    named = named_references(rules) | reviewed_names(series, rules, every.variants) | \
        counterpart_states(series, rules, every.variants)
    result = run_variants(req, every, (*_needed(target, every.variants, named), *every.aside), matrix, progress)
    names = tree_names(req.tree, req.base, series) if req.tree is not None else None
    judgement = judge(path, series, result, (target,), every.manifest, open_cache(req.cache), every.why_skipped,
                      names)
    start_writes()  # no process is forked from here on: the held cache entries are written beside the report
    cited = citing_rows(judgement.rows, target.name)  # a rule n/a here judges none of its message's objections
    said = hinted(review_objections(series, target, *cited, read=replies_read(path)), judgement.rows, target.name)
    return GateResult(target, judgement.verdicts_of(target.name), {r.rule.id: r.quote for r in judgement.rows},
                      path, series, req.allow_inconclusive, every.skipped,
                      {r.rule.id: r.citation for r in judgement.rows if r.citation}, said.standing, said.earlier,
                      said.not_blocking, variant_assumptions(result, target), said.not_blocking_heading(),
                      variant_untested(result, target))
