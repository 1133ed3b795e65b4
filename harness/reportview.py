"""The eval report's model: the typed description (EvalReport and its parts) that every renderer reads.

harness.report builds it (report_model); reports/ renders it, as pure functions of these values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property

from harness.comparison import Comparison, where_seen
from harness.crossview import CrossRow
from harness.findings import ReportFinding
from harness.judge import RuleRow
from harness.lineage import Lineage, lineage
from harness.lore import lore_link
from harness.matrix import Entry, EntryKind, Scenario
from harness.model import Revision
from harness.objections import ReviewObjections
from harness.shortlog import cover_words, gone, names, shortlog
from harness.statedbase import BasesApart, one_base_apart, stated_apart
from harness.threadcache import ThreadCopy
from harness.variants import NO_TREE, Variant
from harness.verdict import tally
from harness.wordnotes import own_leaf_line, value_runs_line
from models.outcome import Limit, Outcome
from models.record import record

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_HUNKS = NO_TREE.split(" (")[0]  # a base as bases_apart cuts it: no tree read
# How harness.basesearch says a base is the commit a mail's base-commit: line names (its blobs checked or not).
_STATED_USED = "(base-commit: of "


def group_letter(i: int) -> str:
    """The label of a scenario's ``i``-th outcome group: A..Z, then AA, AB, ... (as spreadsheet columns), so
    that equal labels in a row always mean equal behaviour, however many groups a scenario has."""
    label = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        label = LETTERS[r] + label
    return label


@record
class DefinitionUse:
    """A definition an entry point reaches: name, kind (function, macro, ...) and file:line (or prelude line)."""

    name: str
    kind: str
    where: str


@record
class SourceFile:
    """A C file the mirror read for a variant: complete, or the fragments (start line, text) known of it."""

    path: str
    complete: bool
    pieces: tuple[tuple[int, str], ...]


@record
class VariantView:
    """A variant as reported: how it was built, what code its entry points use, and whose code it shares."""

    variant: Variant
    definitions: tuple[DefinitionUse, ...]
    sources: tuple[SourceFile, ...]
    same_code_as: str | None
    assumptions: tuple[str, ...] = ()  # what is assumed, not read from its files (harness.prfmt.assumed_pr_fmt)
    untested: tuple[str, ...] = ()  # what of its code the matrix never runs (harness.assumedconsts.variant_untested)


@record
class OutcomeView:
    """A distinct outcome, with its one-line description and its return value as a reviewer reads it."""

    outcome: Outcome
    text: str
    ret: str


@record
class LogCell:
    """A log line and how it differs from the first group's line at the same place."""

    text: str
    level: str
    state: str  # "same", "changed", "added"


@record
class OutcomeGroup:
    """Variants with equal behaviour in one scenario: a letter, the names, the outcome, its marked log."""

    letter: str
    index: int
    variants: tuple[str, ...]
    outcome: OutcomeView
    log: tuple[LogCell, ...]
    body: int = 0  # index in EvalReport.bodies: an outcome and its marked log, drawn once however often shown


@record
class GroupBody:
    """What a group box shows: the outcome and its log lines marked against the scenario's first group."""

    outcome: OutcomeView
    log: tuple[LogCell, ...]


@record
class ScenarioDetail:
    """A scenario where variants differ; ``index`` is its 1-based place in the matrix (the page's anchor)."""

    index: int
    scenario: Scenario
    groups: tuple[OutcomeGroup, ...]


@record
class LimitHit:
    """The scenarios in which a variant's runs hit one limit (models.mirror.Limit), in matrix order."""

    variant: str
    limit: Limit
    scenarios: tuple[str, ...]


@record
class PatchLine:
    """A patch that changes behaviour, in one line: its label, its anchor in the page, what changes where."""

    label: str
    anchor: str
    text: str


@record
class RevisionSummary:
    """A revision's verdict (its rules' tally, when the series has rules) and the patches that change
    behaviour; ``alarms`` are findings such as a code move that changes behaviour."""

    name: str
    headline: str
    blocking: bool
    alarms: tuple[str, ...]
    patches: tuple[PatchLine, ...]
    failing: tuple[str, ...] = ()  # error rules that fail
    inconclusive: tuple[str, ...] = ()  # error rules that cannot be judged
    warnings: tuple[str, ...] = ()  # warning rules that fail or cannot be judged
    passing: tuple[str, ...] = ()  # rules that pass
    why_inconclusive: tuple[str, ...] = ()  # "rule: why" for each error rule that cannot be judged
    judged: bool = True  # review rules were evaluated: only then is a revision READY (green) or not
    judged_as: str = ""  # the state of the revision the verdicts are of (the revision, or its latest state judged)
    # How many of its patches were compared (a state and the one before it both evaluated), and how many of those
    # are code moves that change behaviour (said in ``alarms``, not in ``patches``): "no patch changes behaviour"
    # is said only of patches compared, and never below such a move.
    compared: int = 0
    moves: int = 0
    # The objections no rule judges, as the gate finds them (harness.objections): those that stand are ``alarms``
    # too; those to an earlier revision's patch changed since are notes.
    review: ReviewObjections = field(default_factory=ReviewObjections)
    # What keeps the state judged from being the series as sent (harness.stateproblems.state_problems: a hunk that
    # does not apply, the patches the input lacks), one line each: said right under the verdict line, whose count
    # of base problems they explain (after five inconclusive rules, 36 lines below it, they were read as not said).
    problems: tuple[str, ...] = ()

    @property
    def lifted(self) -> tuple[str, ...]:
        """The objections their own sender lifted since and the replies not read that the user read, each with what
        lifted it (as the gate lists them): not blocking, said."""
        return self.review.not_blocking

    @property
    def tone(self) -> str:
        """How the headline is shown: "blocked", "ready", or "unjudged" (no rules: neither green nor red)."""
        return "blocked" if self.blocking else "ready" if self.judged else "unjudged"


@record
class ProposalView:
    """A reviewer variant as the report titles it: who asked for it, when, what it does, and its comparison."""

    name: str
    reviewer: str
    date: str
    description: str
    msgid: str | None
    comparison: Comparison


@record
class EvalReport:
    """Everything eval found, described once for the JSON, HTML and terminal renderers.

    ``cells[v][s]`` is the index in ``outcomes`` of variant ``v``'s outcome in scenario ``s``; variants of one
    outcome class (``classes[v]``) share one row object, so per-scenario work can be done once per class.
    """

    title: str
    version: str
    inputs: tuple[str, ...]
    threads: tuple[ThreadCopy, ...]  # the copy of each thread fetched from lore the inputs rest on
    base: str  # the tree and commit the files were read from, or "hunks only (no tree)"
    matrix_path: str
    lore: str
    revisions: tuple[Revision, ...]
    variants: tuple[VariantView, ...]
    entries: tuple[Entry, ...]
    scenarios: tuple[Scenario, ...]
    outcomes: tuple[OutcomeView, ...]
    cells: tuple[tuple[int, ...], ...]
    classes: tuple[int, ...]  # per variant its outcome class: variants of one class have the same cells
    per_patch: tuple[Comparison, ...]
    across: tuple[Comparison, ...]
    groups: Mapping[str, list[list[str]]]
    details: tuple[ScenarioDetail, ...]
    bodies: tuple[GroupBody, ...]
    findings: tuple[ReportFinding, ...]
    rules: tuple[RuleRow, ...]
    crosscheck: tuple[CrossRow, ...] | None
    summaries: tuple[RevisionSummary, ...]
    proposals: tuple[ProposalView, ...]
    column_groups: tuple[tuple[str, tuple[str, ...]], ...]  # (label, variant names): revisions, then the rest
    executed: int
    reused: int
    cached: int
    limits: tuple[LimitHit, ...] = ()
    # The bundled series (manifest, reviewer variants, rules) eval found for the input, and why; "" when the
    # user named one with --manifest, or none matched.
    series_note: str = ""
    # The rules file read from beside a --manifest FILE, which no option named; "" otherwise.
    rules_note: str = ""
    # (variant, what seamharness gate evaluates to judge it that this eval did not: harness.report._narrowed)
    narrowed: tuple[tuple[str, str], ...] = ()
    replayed: int = 0  # of executed: answered by replaying an earlier run that looked at the same answers
    rules_path: str | None = None  # the review rules file the verdicts come from; None: no rules judged
    # A reviewer variant evaluated without the variant it is compared with (its start, or the proposal it answers):
    # one line each saying so, so that its silence is not read as "no change" (harness.report._uncompared).
    uncompared: tuple[str, ...] = ()
    # Each reviewer variant judged (a proposal's, a manifest's: Variant.start set), its verdict made as a revision's
    # and as seamharness gate --variant NAME makes it: the rules' tally and the NAKs no rule judges.
    reviewers: tuple[RevisionSummary, ...] = ()
    # The matrix's own entry points in no state of the input, which has entry points of its own (harness.report).
    foreign: tuple[str, ...] = ()

    @cached_property  # the JSON and the page both read it
    def lineage(self) -> tuple[Lineage, ...]:
        """Per variant, the earlier variant it extends and what it adds (harness.lineage): what the reports write
        instead of every variant's whole lists, which grew with the square of the patches."""
        return lineage([view.variant for view in self.variants])

    def left_out(self, cmp: Comparison) -> tuple[str, ...]:
        """Of two revisions compared (``v1 -> v2``), each patch of the first whose title no patch of the second has:
        'v2 has no patch titled as v1 01/3: TITLE' (dropped, or retitled: the title is all that is matched). Where the
        second lacks patches of its own, only when its cover letter's shortlog lists every patch of it and not that
        title (else the title may be in one the input does not hold)."""
        if cmp.view != "revision":
            return ()
        by_name = {r.name: r for r in self.revisions}
        a, b = by_name.get(cmp.a), by_name.get(cmp.b)
        if a is None or b is None:
            return ()
        titles = {p.mail.subject.title.lower() for p in b.patches}
        left = [p for p in a.patches if p.mail.subject.title.lower() not in titles]
        earlier = [(p.number, p.mail.subject.title) for p in a.patches]
        if len(b.patches) == b.total:  # what its cover letter says of the title, where it says it went
            return tuple(f"{b.name} has no patch titled as {a.name} {p.label}: {p.mail.subject.title}"
                         f"{self._said_gone(b, p.mail.subject.title, earlier)}" for p in left)
        return tuple(f"{b.name} has no patch titled as {a.name} {p.label}: {p.mail.subject.title} ({why})"
                     for p in left if (why := self._left_why(b, p.mail.subject.title, earlier)))

    @staticmethod
    def _said_gone(b: Revision, title: str, earlier: list[tuple[int, str]]) -> str:
        """' (v2's cover letter says it was dropped)' (or squashed into another) of a title a whole revision lacks,
        '' where its cover letter does not say so: a patch dropped on purpose and one lost read alike."""
        said = gone(cover_words(b.cover), title, [p.mail.subject.title for p in b.patches], earlier) \
            if b.cover is not None else None
        return f" ({b.name}'s cover letter says it was {said})" if said is not None else ""

    @staticmethod
    def _left_why(b: Revision, title: str, earlier: list[tuple[int, str]]) -> str | None:
        """Why a revision that lacks patches of its own in the input has none titled so, from its cover letter: its
        shortlog does not list it, or a line of it says the patch was dropped or squashed into another; None when the
        cover letter does not tell (the title may be in a patch the input does not hold)."""
        cover = cover_words(b.cover)
        listed = shortlog(cover)
        said = gone(cover, title, [p.mail.subject.title for p in b.patches], earlier)
        if listed is not None and names(listed, title):
            return None
        if said is not None:
            return f"{b.name}'s cover letter says it was {said}"
        return f"nor does {b.name}'s cover letter list it" if listed is not None else None

    def revision_notes(self, cmp: Comparison) -> tuple[str, ...]:
        """What the terminal and the page say under two revisions compared (``v1 -> v2``), before what differs: that
        they are built on different base commits (what differs then holds what the base changed too: a v2 rebased
        on a newer tree), then the patches the second left out (left_out)."""
        apart = self.bases_apart(cmp)
        return (*((apart.note,) if apart else ()), *self.left_out(cmp))

    def bases_apart(self, cmp: Comparison) -> BasesApart | None:
        """Two revisions compared (``v1 -> v2``) on different base commits: the base of each (``linux at
        64fa3d08d5cc``, as eval's ``base:`` line names it) and the sentence saying so; without a tree, the bases
        their mails name when those differ (harness.statedbase); None in another view or on one base."""
        if cmp.view != "revision":
            return None
        bases = {view.variant.name: view.variant.base.split(" (")[0] for view in self.variants}
        a, b = bases.get(cmp.a), bases.get(cmp.b)
        if a is None or b is None:
            return None
        if a == b:
            by_name = {r.name: r for r in self.revisions}
            first, second = by_name.get(cmp.a), by_name.get(cmp.b)
            if first is None or second is None:
                return None
            if a == _HUNKS:
                return stated_apart(first, second)
            # A base-commit: line the tree lacks: that side's base is the commit its blobs match (harness.basesearch).
            built = {view.variant.name: view.variant.base for view in self.variants}
            lacking = tuple(r.name for r in (first, second) if _STATED_USED not in built[r.name])
            return one_base_apart(first, second, a, lacking)
        return BasesApart(a, b, f"{cmp.a} and {cmp.b} are built on different bases ({cmp.a}: {a}; {cmp.b}: {b}): "
                          f"what differs between them includes what the base changed (eval --variant {cmp.a}:00 "
                          f"--variant {cmp.b}:00 --against {cmp.a}:00 compares the two bases)")

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What some variant's runs assume rather than read from its files, each once, with the variants."""
        return self._each_once([view.assumptions for view in self.variants])

    @property
    def untested(self) -> tuple[str, ...]:
        """What of some variant's code the matrix never runs, each once, with the variants."""
        return self._each_once([view.untested for view in self.variants])

    def _each_once(self, said: list[tuple[str, ...]]) -> tuple[str, ...]:
        seen: dict[str, list[str]] = {}
        for view, lines in zip(self.variants, said, strict=True):
            for a in lines:
                seen.setdefault(a, []).append(view.variant.name)
        every = len(self.variants)
        return tuple(f"{a} [{'every variant' if len(names) == every else _names(names)}]" for a, names in seen.items())

    @cached_property  # the terminal and the page both read it
    def word_notes(self) -> tuple[str, ...]:
        """What the words 'its own leaf' and 'value runs' (a 'neighbour-0x...' script) stand for, each where the
        reports use it (harness.wordnotes): explained in docs/matrix.md alone until now."""
        said = (self.foreign_line, own_leaf_line(self.scenarios), value_runs_line((*self.per_patch, *self.across)))
        return tuple(line for line in said if line is not None)

    @property
    def foreign_line(self) -> str | None:
        """Once, that the matrix's own entry points are in no state of this series (their gaps are not said)."""
        if not self.foreign:
            return None
        return (f"the matrix's own entry points {', '.join(f'{n}()' for n in self.foreign)} are in no state of this "
                f"series ({self.matrix_path} names them): not run, and not listed under each patch; the entry "
                "points found in the code are run instead")

    @property
    def discovered(self) -> tuple[Entry, ...]:
        """Entry points found in the code rather than listed in the matrix."""
        return tuple(e for e in self.entries if e.kind is not EntryKind.MATRIX)

    @property
    def per_patch_newest_first(self) -> tuple[Comparison, ...]:
        """Per-patch comparisons, the newest revision first, its patches in order."""
        order = {r.name: i for i, r in enumerate(self.summaries)}
        return tuple(sorted(self.per_patch, key=lambda c: order.get(c.b.split(":")[0], len(order))))

    @property
    def not_provided(self) -> int:
        """Variant x scenario cells no run stands for: the variant lacks that entry point."""
        return len(self.variants) * len(self.scenarios) - self.executed - self.reused - self.cached

    def headline_of(self, name: str) -> str | None:
        """A variant's verdict line: its revision summary's when that judged it (which counts NAKs no rule
        judges, harness.objections), else from the rules table (None without rules)."""
        said = next((r.headline for r in (*self.summaries, *self.reviewers) if r.headline.startswith(f"{name}: ")),
                    None)
        if said is not None:
            return said
        verdicts = [row.verdicts[name] for row in self.rules if name in row.verdicts]
        return tally(verdicts).headline(name) + dict(self.narrowed).get(name, "") if verdicts else None

    @property
    def no_patch_compared(self) -> str:
        """Why no patch was compared ("" when one was): a patch is compared with the state before it, so it needs
        two states of its revision evaluated; said where its changes would be, so that the empty place is not read
        as "no patch changes anything"."""
        if self.per_patch:
            return ""
        states = [v.variant for v in self.variants if v.variant.revision is not None and v.variant.start is None]
        if not states:
            return ("No patch was compared: no state of a revision was evaluated, only reviewer variants (leave out "
                    "--variant to evaluate every state)")
        pair = next(((self._state_before(v.name), v.name) for v in states if self._state_before(v.name)), None)
        add = (f"add the state before one with --variant (e.g. --variant {pair[0]} for {pair[1]})" if pair else
               f"add another state of its revision with --variant ({states[0].name.split(':')[0]}:KK: its first KK "
               "patches)")
        return (f"No patch was compared: a patch is compared with the state before it, and no two states of one "
                f"revision were evaluated ({names_short([v.name for v in states])}); {add}, or leave out --variant "
                "to evaluate every state")

    def _state_before(self, name: str) -> str:
        """The state just before ``vN:KK`` as harness.variants names it: ``v3:05`` for ``v3:06``, ``v1:02`` for
        ``v1:05`` when 03 and 04 are missing from the input; "" for ``v3``, ``v3:00``."""
        rev, _, number = name.partition(":")
        revision = next((r for r in self.revisions if f"v{r.version}" == rev), None)
        if not number.isdigit() or int(number) == 0 or revision is None:
            return ""
        before = max((p.number for p in revision.patches if p.number < int(number)), default=0)
        return f"{rev}:{before:0{len(number)}d}"

    @property
    def nothing_across(self) -> str:
        """Why nothing was compared across revisions or with a reviewer variant ("" when something was, or when
        harness.report._uncompared says why of a reviewer variant)."""
        if self.across or self.uncompared:
            return ""
        return ("Nothing was compared across revisions or with a reviewer variant: that needs two revisions, or a "
                "reviewer variant and the state it starts from, evaluated (or --against NAME)")

    @property
    def hint_against(self) -> str:
        v = self.variants[0].variant
        return v.start or (f"v{v.revision}:00" if v.revision is not None else "base")

    def behaviour(self, variant: int, limit: int = 4) -> list[str]:
        """What one variant does, entry by entry: its distinct outcomes and the answers under which each comes."""
        by_entry: dict[str, dict[str, list[Scenario]]] = {}
        for n, s in enumerate(self.scenarios):
            by_entry.setdefault(s.entry.name, {}).setdefault(self.cell(variant, n).text, []).append(s)
        leaves = frozenset(s.leaf_name for s in self.scenarios)
        scripts = frozenset(s.script.name for s in self.scenarios)
        lines = []
        for entry, outcomes in by_entry.items():
            for text, where in list(outcomes.items())[:limit]:
                lines.append(f"{entry}: {text} [{where_seen(where, (leaves, scripts))}]")
            if len(outcomes) > limit:
                lines.append(f"{entry}: and {len(outcomes) - limit} more outcomes")
        return lines

    def cell(self, variant: int, scenario: int) -> OutcomeView:
        return self.outcomes[self.cells[variant][scenario]]

    def link(self, msgid: str) -> str:
        return lore_link(msgid, self.lore)


def _names(names: list[str], shown: int = 4) -> str:
    return ", ".join(names) if len(names) <= shown else f"{', '.join(names[:shown])} and {len(names) - shown} more"


def names_short(names: tuple[str, ...] | list[str]) -> str:
    """Variant names with runs of one revision's consecutive states folded: v3:00..v3:05, v3, hansen-if-else."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        out.append(f"{run[0]}..{run[-1]}" if len(run) > 2 else ", ".join(run))
        run.clear()

    for name in names:
        rev = name.split(":")[0] if ":" in name else None
        if run and (rev is None or run[-1].split(":")[0] != rev):
            flush()
        if rev is None:
            out.append(name)
        else:
            run.append(name)
    if run:
        flush()
    return ", ".join(out)
