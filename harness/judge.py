"""judge: the review rules of a series applied to evaluated variants, with the reviewers' own sentences.

One stage for eval (every rule on every variant: the rules x variants table) and gate (every rule on
the judged variant). Rules come from ``--rules`` or the series' folder (docs/rules.md).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from harness.checks import SPECS, applicable, run_check
from harness.coverage import NO_TREE
from harness.errors import InputError, UsageError
from harness.manifest import Manifest
from harness.matrixresult import MatrixResult
from harness.model import Patch, Reply, Series
from harness.outcome_cache import OutcomeCache
from harness.patchplace import ambiguous_titles, close_titles
from harness.personnames import ascii_spellings
from harness.ruleinput import check_patch_numbers, check_patches, check_references
from harness.rules import (
    EquivalenceCheck,
    MovesCheck,
    Rule,
    load_rules,
)
from harness.ruleselect import check_selectors, mail_names
from harness.runner import facts_description, variant_sources
from harness.tomlfile import read_toml_text
from harness.variants import Variant
from harness.verdict import CheckContext, Verdict, VerdictStatus, inconclusive
from harness.witness import witnessed
from models.errors import MirrorError
from models.facts import CodeFacts
from models.loader import EntryPoint, Source
from models.record import record

if TYPE_CHECKING:
    from harness.treenames import TreeSearch


class Change(StrEnum):
    """What a revision did to a rule that the previous revision failed or passed."""

    ADDRESSED = "addressed"
    REGRESSED = "regressed"


@record
class RevisionChange:
    """Between two consecutive revisions, a rule went from fail to pass (addressed) or back (regressed)."""

    before: str
    after: str
    change: Change


@record
class RuleRow:
    """One review rule across the judged variants: the reviewer's sentence, each verdict, revision changes."""

    rule: Rule
    quote: str | None
    verdicts: dict[str, Verdict]
    changes: tuple[RevisionChange, ...] = ()
    citation: str | None = None  # why the sentence is not shown (citation_note)


@record
class Judgement:
    """The rules file used and one row per rule."""

    rules_path: Path
    rows: tuple[RuleRow, ...]

    def verdicts_of(self, variant: str) -> tuple[Verdict, ...]:
        return tuple(row.verdicts[variant] for row in self.rows if variant in row.verdicts)


def named_references(rules: Iterable[Rule]) -> frozenset[str]:
    """The variant names the rules give as a reference (``before:...`` forms are states of the target's)."""
    refs = (getattr(r.check, "reference", None) for r in rules)
    return frozenset(x for x in refs if isinstance(x, str) and not x.startswith("before:"))


def read_rules(path: Path) -> tuple[Rule, ...]:
    """load_rules with every check kind this version knows (harness.checks.REGISTRY). The rules of a text read
    before are those read then (a Rule is frozen): eval reads the file for the states aside (harness.dropless) and
    again to judge the rules, and parsed and checked it twice."""
    return _rules_of(path, read_toml_text(path))


@functools.lru_cache(maxsize=2)
def _rules_of(path: Path, text: str) -> tuple[Rule, ...]:
    return load_rules(path, SPECS, text)  # an InputError is raised again at every read: never kept


def rules_path(manifest: Manifest | None, explicit: Path | None) -> Path | None:
    """``--rules``, else the series folder's rules.toml, else None."""
    if explicit is not None:
        return explicit
    path = manifest.folder() / "rules.toml" if manifest else None
    return path if path is not None and path.is_file() else None


def require_rules(manifest: Manifest | None, explicit: Path | None) -> Path:
    path = rules_path(manifest, explicit)
    if path is None:
        # A first gate of one's own series stopped here with no word of what such a file holds.
        raise UsageError(None, "no review rules for this series: pass --rules FILE, a TOML file of [[rule]] tables "
                               "(docs/rules.md, 'A rule for your own series')")
    return path


def cited_message(series: Series, msgid: str) -> Patch | Reply | None:
    """The message a rule cites: a cover letter, patch or reply placed below one, or a reply whose parent the input
    lacks (Series.orphans, which find_message leaves out): it is in the input all the same, its words readable."""
    found = series.find_message(msgid)
    return found if found is not None else next((r for r in series.orphans if r.mail.msgid == msgid), None)


def citation_note(series: Series, rule: Rule) -> str | None:
    """Why the reviewer's sentence is not shown: the cited message is not in the input, or the quote's words
    are not in its own text (quoted text is someone else's). None when it is found or nothing is cited."""
    if not rule.msgid:
        return None
    msg = cited_message(series, rule.msgid)
    if msg is None:
        return f"the cited message <{rule.msgid}> is not in the input"
    if rule.quote and quote_sentence(series, rule) is None:
        return f"'{rule.quote}' is not in what <{rule.msgid}> says in its own words (its quotes left out)"
    return None


def _same_person(reviewer: str, author: str, email: str) -> bool:
    """Whether a rule's ``reviewer`` names the author of a message: the name or the address, in any order
    and case ("Hansen, Dave" is Dave Hansen), a name with marks in any of its ASCII spellings ("Joerg Roedel"
    and "Jorg Rodel" are Jörg Rödel)."""
    words = set(re.findall(r"\w+", reviewer.casefold()))
    known = {s for w in re.findall(r"\w+", f"{author} {email}".casefold()) for s in ascii_spellings(w)}
    return bool(words) and (reviewer.strip().casefold() == email.casefold()
                            or all(ascii_spellings(w) & known for w in words))


def check_attribution(rules: tuple[Rule, ...], series: Series) -> None:
    """Refuse a rule whose ``reviewer`` is not the author of the message it cites (when that message is in the
    input): the gate would show one reviewer's words under another's name. Raises InputError."""
    for rule in rules:
        msg = cited_message(series, rule.msgid) if rule.msgid else None
        if msg is not None and not _same_person(rule.reviewer, msg.mail.author, msg.mail.author_email):
            raise InputError(rule.place("reviewer"), f"rule {rule.id}: reviewer '{rule.reviewer}', but <{rule.msgid}> "
                                                     f"is from {msg.mail.author} <{msg.mail.author_email}>")


def quote_sentence(series: Series, rule: Rule) -> str | None:
    """The reviewer's sentence that the rule's quote words point at, from the message in the input."""
    if not rule.msgid or not rule.quote:
        return None
    msg = cited_message(series, rule.msgid)
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


class FactsCache:
    """Parsed code facts per distinct helper code (what the matrix's entry points reach), shared by all checks."""

    def __init__(self, result: MatrixResult, store: OutcomeCache | None = None) -> None:
        self.entries = tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries)
        self.cache: dict[tuple[Source, ...], CodeFacts | str] = dict(result.facts)  # read by workers
        self.store = store

    def __call__(self, v: Variant) -> CodeFacts | str:
        """The variant's code facts, or why its code could not be read (a load error, with file:line).

        Kept in the outcome cache beside the outcomes, keyed by the same code: a rerun parses no C.
        """
        sources = variant_sources(v)
        if sources not in self.cache:
            self.cache[sources] = self._read(sources)
        return self.cache[sources]

    def _read(self, sources: tuple[Source, ...]) -> CodeFacts | str:
        key = self.store.key(facts_description(sources, self.entries)) if self.store is not None else ""
        kept = self.store.get_data(key) if self.store is not None else None
        if isinstance(kept, dict):
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return kept["error"] if "error" in kept else CodeFacts.from_dict(kept)
        try:
            from models.source import code_facts  # parses the C: only when the facts are not cached

            facts: CodeFacts | str = code_facts(sources, self.entries)
        except MirrorError as exc:
            facts = str(exc)
        if self.store is not None:
            self.store.put_data(key, {"error": facts} if isinstance(facts, str) else facts.to_dict())
        return facts


def _changes(series: Series, verdicts: dict[str, Verdict]) -> tuple[RevisionChange, ...]:
    revs = [f"v{r.version}" for r in series.revisions if f"v{r.version}" in verdicts]
    table = {(VerdictStatus.FAIL, VerdictStatus.PASS): Change.ADDRESSED,
             (VerdictStatus.PASS, VerdictStatus.FAIL): Change.REGRESSED}
    out = []
    for a, b in itertools.pairwise(revs):
        change = table.get((verdicts[a].status, verdicts[b].status))
        if change is not None:
            out.append(RevisionChange(a, b, change))
    return tuple(out)


@record
class JudgePlan:
    """The rules of a file, checked against the input, and what every check reads: judge_rule judges one."""

    path: Path
    rules: tuple[Rule, ...]
    series: Series
    variants: tuple[Variant, ...]
    ctx: CheckContext
    unseen: dict[str, str]  # rule id -> why it cannot be judged: an entry point mail alone does not show


def kept_out(pat: str, variants: tuple[Variant, ...], result: MatrixResult, most: int = 3) -> list[str]:
    """The functions and macros of the states' code that ``pat`` (an fnmatch pattern) names but no scenario runs,
    each with why it is no entry point (harness.discover.unfed: 'the matrix cannot feed its parameter 'sc_func_t
    func''), at most ``most`` of them and then how many more ('and 4 more it names, none an entry point'): for the
    refusal of a rule whose entry pattern matches no entry point."""
    import fnmatch

    from harness.changeusers import definitions
    from harness.discover import unfed
    from models.slicer import Kind

    said: dict[str, str] = {}
    for d in definitions(variants):
        if d.kind in (Kind.FUNCTION, Kind.MACRO) and d.name not in said and fnmatch.fnmatchcase(d.name, pat):
            why = unfed(d, result.matrix)
            said[d.name] = f"{d.name}() ({d.where}) is in the code but no entry point" + (f": {why}" if why else "")
    rest = len(said) - most
    return [*list(said.values())[:most], *([f"and {rest} more it names, none an entry point"] if rest > 0 else [])]


def judge_plan(path: Path, series: Series, result: MatrixResult, variants: tuple[Variant, ...],
               manifest: Manifest | None = None, store: OutcomeCache | None = None,
               skipped: dict[str, str] | None = None,
               tree_names: TreeSearch | None = None) -> JudgePlan:
    """The rules of ``path`` to judge on each of ``variants`` (which ``result`` has run, with what they refer to).

    ``tree_names`` searches the tree given (--tree) at a variant's base commit (harness.treenames).
    Raises InputError for a bad rules file, a rule whose selectors match nothing in the matrix, or a
    reference naming no variant (revision states, or those ``manifest`` declares).
    """
    rules = read_rules(path)
    unbuilt = next((str(f) for v in variants for f in v.base_problems), "")  # the code is not the series': said
    unseen = check_selectors(rules, result.matrix, all(v.base == NO_TREE for v in variants), mail_names(series),
                             lambda pat: kept_out(pat, variants, result), unbuilt)
    check_references(rules, [v.name for v in manifest.variants] if manifest is not None else [],
                     {r.version: [p.number for p in r.patches] for r in series.revisions},
                     {r.version: r.total for r in series.revisions})
    check_patch_numbers(rules, {r.version: r.total for r in series.revisions})
    check_patches(rules, lambda title: close_titles(title, series), lambda title: ambiguous_titles(title, series))
    check_attribution(rules, series)
    ctx = CheckContext(series, result, FactsCache(result, store), dict(skipped or {}), tree_names=tree_names)
    return JudgePlan(path, rules, series, variants, ctx, unseen)


def comparing_rules(plan: JudgePlan) -> frozenset[int]:
    """The numbers of the plan's rules that compare two variants (equivalence, moves): they read compare_pair's lane
    pairs and the value runs, which eval's comparisons work out (harness.compare) and leave in the process that made
    them (the runs kept in the outcome cache too); judged beside the comparisons, they work those out again.
    harness.workers.shared_jobs queues them last, so that the process takes them once its comparisons are made."""
    return frozenset(n for n, rule in enumerate(plan.rules) if isinstance(rule.check, (EquivalenceCheck, MovesCheck)))


def judge_rule(plan: JudgePlan, n: int) -> RuleRow:
    """Rule ``n`` of the plan on each of its variants. Raises what its check raises (InputError: a bad rule)."""
    rule = plan.rules[n]
    return rule_row(plan, n, {v.name: judge_cell(plan, rule, v) for v in plan.variants})


def judge_cell(plan: JudgePlan, rule: Rule, v: Variant) -> Verdict:
    """One cell of the rules x variants table: ``rule`` on ``v``."""
    # A rule naming an entry point that mail alone does not show is judged on no code: no run of it exists.
    unseen = plan.unseen.get(rule.id)
    # A pass stands where the rule fails on the code its cited message reviewed (harness.witness).
    return _unseen(rule, v, plan.ctx, unseen) if unseen else witnessed(rule, run_check(rule, v, plan.ctx), plan.ctx)


def rule_row(plan: JudgePlan, n: int, verdicts: dict[str, Verdict]) -> RuleRow:
    """Rule ``n``'s row of the table from its verdicts (by variant name, in the plan's order)."""
    rule, series = plan.rules[n], plan.series
    return RuleRow(rule, quote_sentence(series, rule), verdicts, _changes(series, verdicts),
                   citation_note(series, rule))


def _unseen(rule: Rule, v: Variant, ctx: CheckContext, why: str) -> Verdict:
    """A rule naming an entry point mail alone does not show: n/a where its subject is absent by design (the variant
    stops before the rule's patch), as with --tree; else inconclusive, saying why."""
    absent = applicable(rule, v, ctx)
    if absent is not None and absent.status is VerdictStatus.NOT_APPLICABLE:
        return absent
    return inconclusive(rule, v, why)


def judge(path: Path, series: Series, result: MatrixResult, variants: tuple[Variant, ...],
          manifest: Manifest | None = None, store: OutcomeCache | None = None,
          skipped: dict[str, str] | None = None, tree_names: TreeSearch | None = None
          ) -> Judgement:
    """Every rule of the file on each of ``variants``, in this process (judge_plan, then judge_rule in order)."""
    plan = judge_plan(path, series, result, variants, manifest, store, skipped, tree_names)
    return Judgement(path, tuple(judge_rule(plan, n) for n in range(len(plan.rules))))
