"""evaluate_gate: every review rule on one variant, with evidence, the reviewer's own sentence, and an exit status."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.apply import ApplyRequest, apply_variants
from harness.checks import CheckContext, Verdict, run_check
from harness.errors import UsageError
from harness.ingest import IngestRequest, parse_series
from harness.manifest import Manifest
from harness.matrix import bundled_matrix, load_matrix
from harness.model import Reply, Series
from harness.outcome_cache import open_cache
from harness.rules import Rule, load_rules
from harness.runner import MatrixRequest, MatrixResult, run_matrix, variant_sources
from harness.variants import Variant
from models.loader import EntryPoint, Source
from models.source import CodeFacts, code_facts


@dataclass(frozen=True)
class GateRequest:
    """The inputs, the variant to judge, and where the rules and matrix come from."""

    paths: tuple[Path, ...]
    variant: str
    rules: Path | None = None
    tree: Path | None = None
    base: str | None = None
    manifest: Path | None = None
    matrix: Path | None = None
    jobs: int = 0
    cache: Path | None = None


@dataclass(frozen=True)
class GateResult:
    """Verdicts of every rule on the variant, and the reviewers' sentences found in the input."""

    variant: Variant
    verdicts: tuple[Verdict, ...]
    quotes: dict[str, str | None]
    rules_path: Path

    @property
    def exit_status(self) -> int:
        return 1 if any(v.status == "fail" and v.rule.severity == "error" for v in self.verdicts) else 0


def quote_sentence(series: Series, rule: Rule) -> str | None:
    """The reviewer's sentence that the rule's quote words point at, from the message in the input."""
    if not rule.msgid or not rule.quote:
        return None
    msg = series.find_message(rule.msgid)
    if msg is None:
        return None
    text = msg.own_text if isinstance(msg, Reply) else msg.message
    anchor = " ".join(rule.quote.split()).lower()
    for para in re.split(r"\n\s*\n", text):
        flat = " ".join(para.split())
        for sentence in re.split(r"(?<=[.?!])\s+", flat):
            if anchor in sentence.lower():
                return sentence
    return None


def rules_for(manifest: Manifest | None, explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    path = manifest.folder() / "rules.toml" if manifest else None
    if path is None or not path.is_file():
        raise UsageError(None, "no review rules for this series: pass --rules FILE")
    return path


class FactsCache:
    """Parsed code facts per distinct helper code (what the matrix's entry points reach), shared by all checks."""

    def __init__(self, helpers: tuple[str, ...], entries: tuple[EntryPoint, ...] = ()) -> None:
        self.helpers = helpers
        self.entries = entries
        self.cache: dict[tuple[Source, ...], CodeFacts] = {}

    def __call__(self, v: Variant) -> CodeFacts:
        sources = variant_sources(v, self.helpers)
        if sources not in self.cache:
            self.cache[sources] = code_facts(sources, self.entries)
        return self.cache[sources]


def matrix_entries(result: MatrixResult) -> tuple[EntryPoint, ...]:
    return tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries)


def _needed(target: Variant, every: tuple[Variant, ...]) -> tuple[Variant, ...]:
    """The target, every state of its revision (references, code moves) and the proposal's start."""
    keep = [v for v in every if v.revision == target.revision and v.prefix is not None and v is not target]
    keep += [v for v in every if v.name == target.start and v not in keep and v is not target]
    return (target, *keep)


def verdicts_for(rules: tuple[Rule, ...], variants: tuple[Variant, ...], ctx: CheckContext) -> list[Verdict]:
    return [run_check(rule, v, ctx) for rule in rules for v in variants]


@dataclass
class _Loaded:
    series: Series
    result: MatrixResult
    target: Variant
    rules: tuple[Rule, ...]
    rules_path: Path
    facts: FactsCache = field(default_factory=lambda: FactsCache(()))


def evaluate_gate(req: GateRequest) -> GateResult:
    """Judge one variant against every rule of the series."""
    series = parse_series(IngestRequest(req.paths))
    variants = apply_variants(ApplyRequest(series, req.tree, req.base, req.manifest))
    target = variants.get(req.variant)
    rules_path = rules_for(variants.manifest, req.rules)
    rules = load_rules(rules_path)
    matrix_path = req.matrix or (bundled_matrix(variants.manifest.folder()) if variants.manifest else None)
    if matrix_path is None:
        raise UsageError(None, "no matrix for this series: pass --matrix FILE")
    helpers = variants.manifest.helpers if variants.manifest else ()
    result = run_matrix(MatrixRequest(_needed(target, variants.variants), load_matrix(matrix_path), helpers, req.jobs,
                                     open_cache(req.cache)))
    ctx = CheckContext(series, result, FactsCache(helpers, matrix_entries(result)))
    verdicts = tuple(run_check(rule, target, ctx) for rule in rules)
    return GateResult(target, verdicts, {r.id: quote_sentence(series, r) for r in rules}, rules_path)
