"""The earlier states without the patches dropped since, built alike for gate and eval (harness.earlierchange)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from harness.earlierchange import counterpart_drops
from harness.errors import SeamError
from harness.statenames import parse_prefix, state_alias
from harness.variants import Variant

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.apply import VariantSet
    from harness.matrixresult import MatrixResult
    from harness.model import Series
    from harness.pipeline import SeriesRequest
    from harness.rules import Rule


def with_dropless(req: SeriesRequest, series: Series, rules: Iterable[Rule], built: VariantSet,
                  units: tuple[str, ...] = (), entries: tuple[str, ...] = ()) -> VariantSet:
    """``built`` with, aside (VariantSet.aside), each earlier state without patches dropped since that a rule
    compares a patch changed since with (harness.earlierchange.counterpart_drops), built by
    harness.reviewer.build_without on its revision's base (harness.apply.revision_base, ``--tree`` too, where the
    matrix's ``units`` are read whole and its ``entries`` looked for in the <...> headers, as in every other state:
    harness.pipeline.with_matrix) as git am applies it: a later patch git am refuses without them is a finding of
    that state (Variant.base_problems), which the rule then reads as unjudged. A name a variant built already has
    (the manifest's own) is left to it; a state that cannot be built (SeamError: the input lacks its start) is left
    out, and the rule says it was not built. So is one no evaluated state is compared with (eval narrowed by
    --variant to leave out the states after the patches changed since, vN:KK or the whole vN it aliases): the rule
    says that state was not evaluated, and building and running it would be wasted."""
    from harness.apply import revision_base
    from harness.reviewer import build_without

    known = {n for v in (*built.variants, *built.aside) for n in (v.name, *v.aliases)}
    tree = req.tree is not None
    extra = []
    for name, (start, drops, afters) in counterpart_drops(series, tuple(rules), built.variants).items():
        rev = series.revision(parse_prefix(start)[0])
        if name in known or rev is None or not any(_evaluated(built.variants, after) for after in afters):
            continue
        try:
            extra.append(build_without(name, start, drops, series, revision_base(req.tree, req.base, rev), tree,
                                       units if tree else (), entries if tree else ()))
        except SeamError:
            continue
    return replace(built, aside=(*built.aside, *extra)) if extra else built


def _evaluated(variants: tuple[Variant, ...], name: str) -> bool:
    """Whether the state ``name`` is among ``variants``, by its name, an alias or as the whole revision
    (harness.statenames.state_alias), as harness.matrixresult.MatrixResult.variant finds it."""
    return any(name == v.name or name in v.aliases for v in variants) or state_alias(variants, name) is not None


def eval_dropless(req: SeriesRequest, series: Series, built: VariantSet, units: tuple[str, ...] = (),
                  entries: tuple[str, ...] = ()) -> VariantSet:
    """with_dropless for eval, with the rules it judges (harness.judge.rules_path: ``--rules``, else the series'
    own); none (no rules file, or one that does not read: eval says why when it judges) builds none."""
    from harness.judge import read_rules, rules_path

    path = rules_path(built.manifest, req.rules)
    if path is None:
        return built
    try:
        rules = read_rules(path)
    except SeamError:  # said by eval's judging of the rules (harness.pipeline._judge_plan), where it was said before
        return built
    return with_dropless(req, series, rules, built, units, entries)


def shown(result: MatrixResult, built: VariantSet) -> MatrixResult:
    """``result`` of the variants of ``built`` alone, its states aside left out (the same object when it has
    none): eval compares and reports those, and judges the rules on them against the whole result."""
    if not built.aside:
        return result
    names = {v.name for v in built.variants}
    return replace(result, variants=tuple(v for v in result.variants if v.name in names))
