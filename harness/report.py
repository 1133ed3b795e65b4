"""report_model: the eval pipeline's last stage, one typed description that every renderer reads.

Everything a report shows is worked out here, once: the definitions each variant's entry points use
and the source they come from, each distinct outcome with its one-line description, the scenarios
where variants differ (outcome groups, log lines marked against the first group that ran), rule rows,
cross-check rows. Renderers (reports/) are pure functions of an ``EvalReport``.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, cast

from harness import __version__
from harness.assumedconsts import variant_assumptions, variant_untested
from harness.citehint import citing_rows, hinted
from harness.comparison import Comparison, Facts
from harness.crossview import cross_rows, variant_span
from harness.earlierchange import counterpart_states
from harness.explain import DiffClass, describe, show_ret
from harness.findings import FindingKind, ReportFinding
from harness.foreignentries import foreign_entries, without_gaps_of
from harness.judge import named_references
from harness.lore import DEFAULT_LORE
from harness.matrix import Matrix, Scenario
from harness.memo import by_identity
from harness.objections import ReviewObjections, counts, review_objections
from harness.readreplies import replies_read
from harness.reportview import (
    DefinitionUse,
    EvalReport,
    GroupBody,
    LimitHit,
    LogCell,
    OutcomeGroup,
    OutcomeView,
    PatchLine,
    ProposalView,
    RevisionSummary,
    ScenarioDetail,
    SourceFile,
    VariantView,
    group_letter,
)
from harness.runner import MatrixResult, definitions_used, variant_sources
from harness.stateproblems import kinds_said, state_problems
from harness.unjudged import standing, unjudged_headline
from harness.verdict import tally
from harness.witness import reviewed_names
from models.loader import Source
from models.outcome import Limit, Outcome, OutcomeStatus
from models.record import record
from series import named

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.compare import CompareResult
    from harness.pipeline import Evaluation
    from harness.variants import Variant

def _sources(src: tuple[Source, ...]) -> tuple[SourceFile, ...]:
    return tuple(SourceFile(s.path, s.complete, tuple((a, "\n".join(lines)) for a, lines in s.pieces)) for s in src)


def _variant_views(result: MatrixResult) -> tuple[VariantView, ...]:
    seen: dict[tuple[Source, ...], tuple[str, tuple[DefinitionUse, ...]]] = {}
    out = []
    for v in result.variants:
        src = variant_sources(v)
        if src not in seen:
            uses = tuple(DefinitionUse(n, k, w) for n, k, w in definitions_used(result, v))
            seen[src] = (v.name, uses)
        first, uses = seen[src]
        assumed = variant_assumptions(result, v)
        out.append(VariantView(v, uses, _sources(src), first if first != v.name else None, assumed,
                               variant_untested(result, v)))
    return tuple(out)


def _outcome_table(result: MatrixResult) -> tuple[tuple[OutcomeView, ...], tuple[tuple[int, ...], ...],
                                                  tuple[int, ...]]:
    """Distinct outcomes (identical code ran once, so equal outcomes are often the same object), the cells of
    every variant, and each variant's outcome class (variants of one class share their row of cells)."""
    index: dict[int, int] = {}
    views: list[OutcomeView] = []
    rows: list[tuple[int, ...]] = []
    classes = tuple(result.outcome_class(v.name) for v in result.variants)
    for cls, row_ids in enumerate(_class_ids(result, classes)):
        # Looked up in C, cell by cell (17,000 cells of the corpus'); only an outcome not met yet is made a view, in
        # the order its first cell comes, as a loop over the cells would.
        row = list(map(index.get, row_ids))
        if None in row:
            outcomes = result.class_outcomes(cls)
            for p, n in enumerate(row):
                if n is None:
                    n = index.get(row_ids[p])
                    if n is None:
                        n = index[row_ids[p]] = len(views)
                        o = outcomes[p]
                        views.append(OutcomeView(o, describe(o), show_ret(o)))
                    row[p] = n
        rows.append(tuple(cast("list[int]", row)))  # every None was filled
    return tuple(views), tuple(rows[c] for c in classes), classes


def _class_ids(result: MatrixResult, classes: tuple[int, ...]) -> list[list[int]]:
    """Per outcome class, the number of every cell's outcome (MatrixResult.outcome_numbers: equal numbers, one
    object), in matrix order, read per code group (a class is its code groups lane by lane). Not id(): an audit
    event, which the run recording's Python hook (harness.auditlog) is called for (6,300 calls in the corpus' eval)."""
    first: dict[int, str] = {}  # a variant of each class
    for v, c in zip(result.variants, classes, strict=True):
        first.setdefault(c, v.name)
    out = []
    for cls in range(result.class_count):
        row = [-1] * len(result.matrix.scenarios)  # as class_outcomes: a cell no lane holds is NOT_PROVIDED (-1)
        for k, lane in enumerate(result.lanes):
            for p, i in zip(lane.positions, result.outcome_numbers(k, result.code_group(first[cls], k)), strict=True):
                row[p] = i
        out.append(row)
    return out


def _log_cells(o: Outcome, ref: Outcome | None) -> tuple[LogCell, ...]:
    mine = [x.text for x in o.log]
    theirs = [x.text for x in ref.log] if ref is not None else mine
    states = ["same"] * len(mine)
    for op, _i1, _i2, j1, j2 in difflib.SequenceMatcher(a=theirs, b=mine, autojunk=False).get_opcodes():
        if op != "equal":
            for j in range(j1, j2):
                states[j] = "changed" if op == "replace" else "added"
    return tuple(LogCell(x.text, x.level, st) for x, st in zip(o.log, states, strict=True))


def _details(matrix: Matrix, res: MatrixResult, cmp: CompareResult, views: tuple[OutcomeView, ...],
             cells: tuple[tuple[int, ...], ...]) -> tuple[tuple[ScenarioDetail, ...], tuple[GroupBody, ...]]:
    """The scenarios where variants differ, and each distinct group body once (``views`` and ``cells``: the
    outcome table's, whose numbers stand for the outcome objects, no id() read: see _class_ids)."""
    # By value: what a box shows is the same for equal outcomes, whether a run made one object or two
    # (an outcome that did not run is only ever equal to itself in comparisons, never on the page).
    bodies: dict[tuple[Outcome, tuple[str, ...]], int] = {}
    drawn: list[GroupBody] = []
    # Looked up by the outcome's number and its reference's first (an outcome object is in many scenarios, and the
    # two objects decide its diffed log, kept in log_diffs), then by value.
    by_nums: dict[tuple[int, int], int] = {}

    def body(k: int, ref: int, log: tuple[LogCell, ...]) -> int:
        n = by_nums.get((k, ref))
        if n is None:
            key = (views[k].outcome, tuple(c.state for c in log))
            n = bodies.get(key)
            if n is None:
                n = bodies[key] = len(drawn)
                drawn.append(GroupBody(views[k], log))
            by_nums[(k, ref)] = n
        return n

    # Many scenarios repeat the same pair of logs (outcomes that differ elsewhere often print alike).
    log_diffs: dict[tuple[object, ...], tuple[LogCell, ...]] = {}

    def diffed(o: Outcome, ref: Outcome | None) -> tuple[LogCell, ...]:
        key = (o.log, ref.log if ref is not None else None)
        if key not in log_diffs:
            log_diffs[key] = _log_cells(o, ref)
        return log_diffs[key]

    row_of = {v.name: row for v, row in zip(res.variants, cells, strict=True)}
    out = []
    for n, s in enumerate(matrix.scenarios, start=1):
        groups = cmp.groups[s.id]
        at = matrix.position(s.id)
        nums = [row_of[names[0]][at] for names in groups]
        if len({k for k in nums if views[k].outcome.ran}) < 2:
            continue  # what differs only by not running is said by the comparisons' "not compared" lines
        # Log lines are diffed against the first group that ran, not against a "not provided" one.
        r = next((k for k in nums if views[k].outcome.status is OutcomeStatus.OK), nums[0])
        logs = [diffed(views[k].outcome, None if k == r else views[r].outcome) for k in nums]
        out.append(ScenarioDetail(n, s, tuple(
            OutcomeGroup(group_letter(i), i, tuple(names), views[k], log, body(k, r, log))
            for i, (names, k, log) in enumerate(zip(groups, nums, logs, strict=True)))))
    return tuple(out), tuple(drawn)


def _skips(ev: Evaluation) -> tuple[ReportFinding, ...]:
    inputs = tuple(ReportFinding(FindingKind.INPUT_SKIPPED, str(s.where), s.reason) for s in ev.series.skipped) \
        + tuple(ReportFinding(FindingKind.INPUT_NOTE, str(s.where), s.reason) for s in ev.series.notes)
    rules = (ReportFinding(FindingKind.RULES_SKIPPED, "review rules", ev.rules_note),) if ev.rules_note else ()
    return inputs + rules + tuple(ReportFinding(FindingKind.VARIANT_SKIPPED, s.name, s.reason)
                                  for s in ev.variants.skipped)


def anchor(c: Comparison) -> str:
    """The page anchor of a comparison: patch-v3-06, proposal-hansen-drop-06, against-v3-v3-05, revision-v2-v3."""
    if c.view == "patch":
        return "patch-" + c.b.replace(":", "-")
    if c.view == "proposal":
        return f"proposal-{c.b}"
    return f"{c.view}-{c.a}-{c.b}".replace(":", "-")


def _leading(c: Comparison, facts: list[Facts]) -> Facts:
    """The group a one-line summary shows: the first whose entry points changed what existing code does, before one
    that only came or went (an entry point a patch adds, 'ldr_call() is new', took the line while the loader's calls
    retrying on another answer was '1 more group'); the first where every group only came or went."""
    changed = {d.scenario.entry.name for d in c.differences if d.classes != (DiffClass.PROVIDED,)}
    return next((f for f in facts if changed.intersection(f.entries)), facts[0])


def one_line(c: Comparison, notes: int = 2) -> str:
    """What a comparison found, in one line: the first group of entry points and its commonest facts."""
    facts = c.facts(notes, every=False)  # a line: its limit holds
    if not facts:
        return c.verdict()
    f = _leading(c, facts)
    text = f"{', '.join(f.entries)}: " + "; ".join(f"{n} [{w}]" for n, w in f.notes)
    more = len(facts) - 1
    # Part of the patch did not apply (git am stops there): what differs is of the files that did, no state git am
    # makes, said before it.
    failed = f"{c.changer} does not apply in {c.b} ({'; '.join(c.unapplied)}), and of what did apply: " \
        if c.unapplied else ""
    return failed + text + (f" (and {more} more group{'s' if more != 1 else ''} of entry points)" if more else "")


def _summaries(ev: Evaluation, narrowed: dict[str, str]) -> tuple[RevisionSummary, ...]:
    out = []
    rows = ev.judgement.rows if ev.judgement else ()
    judged = {n for row in rows for n in row.verdicts}
    for rev in sorted(ev.series.revisions, key=lambda r: -r.version):
        name = f"v{rev.version}"
        # The revision's verdicts, or (when only states of it were evaluated) those of its latest state judged.
        states = sorted((v for v in ev.result.variants if v.revision == rev.version and v.name in judged
                         and v.start is None), key=lambda v: (v.name != name, -(v.prefix or 0)))
        judged_as = states[0].name if states else name
        verdicts = [row.verdicts[judged_as] for row in rows if judged_as in row.verdicts]
        patches = [c for c in ev.comparison.per_patch if c.b == name or c.b.startswith(f"{name}:")]
        moved = {f.subject for f in ev.comparison.findings if f.kind is FindingKind.CODE_MOVE_CHANGED}
        # A code move that changes behaviour is an alarm line of its own, not listed again below it.
        changed = tuple(PatchLine(c.label, anchor(c), one_line(c, 1)) for c in patches
                        if c.changed and c.label not in moved)
        alarms = tuple(f"{c.label}: a code move that changes behaviour: {one_line(c, 1)}" for c in patches
                       if c.label in moved)
        if not verdicts and not patches:
            continue  # nothing of this revision was evaluated
        t, review = tally(verdicts), ReviewObjections()
        if verdicts:
            # A NAK of the judged state's patches that no rule cites blocks, as in the gate (harness.objections).
            cited = citing_rows(rows, judged_as)  # a rule n/a there judges none of its message's objections
            review = hinted(review_objections(ev.series, ev.result.variant(judged_as), *cited, read=_read(ev)), rows,
                            judged_as)
            state = ev.result.variant(judged_as)
            problems = state_problems(ev.series, state)  # as the gate counts them: said too, under the verdict
            alarms += tuple(o.describe() for o in review.standing)
            naks, drops, regressions, tags, points, unread = counts(review.standing)
            headline = t.headline(judged_as, unread, naks, drops, len(problems), len(review.unjudged()), tags,
                                  regressions, kinds_said(ev.series, state), points) + review.headline_note() \
                + narrowed.get(judged_as, "")
            blocking = t.blocked or bool(review.standing or review.unjudged() or problems)
        else:
            # A move that changes behaviour is shown as an alarm rather than in ``changed``, but it changes
            # behaviour all the same: "0 of 1 patch changes behaviour" above its alarm would be a false claim.
            # A patch only adding code (a new wrapper nothing existing calls) is counted apart (Comparison.adds_only).
            differ = sum(not c.adds_only for c in patches if c.changed and c.label not in moved) + len(alarms)
            # No rule judges anything: each NAK, request to drop or reported regression of the revision's patches is
            # listed, as the gate lists it (eval said none); the verdict stays 'not judged': a rule citing one may pass.
            review = _unruled(ev, rev.version, name)
            headline = unjudged_headline(name, patches, differ) + standing(review) + review.headline_note()
            blocking = bool(alarms)
            # What the gate counts a base problem (a hunk that does not apply, patches the input lacks) is said under
            # the headline as with rules: without them eval of 1 of a revision's 2 patches never said the 2nd lacked.
            alarms += tuple(o.describe() for o in review.standing)
            problems = _built_problems(ev, judged_as)
        why = tuple(f"{v.rule.id}: {v.note}" for v in verdicts if v.rule.id in t.inconclusive)
        out.append(RevisionSummary(name, headline, blocking, alarms, changed, t.failing, t.inconclusive, t.warnings,
                                   t.passing, why, judged=bool(verdicts), judged_as=judged_as, review=review,
                                   compared=len(patches), moves=sum(c.label in moved for c in patches),
                                   problems=problems))
    return tuple(out)


def _built_problems(ev: Evaluation, name: str) -> tuple[str, ...]:
    """harness.stateproblems.state_problems of the state ``name`` where it was evaluated, else none."""
    try:
        return state_problems(ev.series, ev.result.variant(name))
    except KeyError:  # only other states of the revision were evaluated (--variant v1:01)
        return ()


def _unruled(ev: Evaluation, version: int, name: str) -> ReviewObjections:
    """The objections of revision ``name`` evaluated without rules (harness.objections, no message cited), of its
    latest state evaluated: the revision, else its longest prefix; none where no state of it was."""
    states = sorted((v for v in ev.result.variants if v.revision == version and v.start is None),
                    key=lambda v: (v.name != name, -(v.prefix or 0)))
    return review_objections(ev.series, states[0], frozenset()) if states else ReviewObjections()


def _read(ev: Evaluation) -> dict[str, str] | None:
    """The rules file's [[read]] tables (harness.readreplies), read once per judgement: every revision and reviewer
    variant judged asks for them (the file was parsed again for each)."""
    judgement = ev.judgement
    if judgement is None:
        return None
    return by_identity("replies read", (judgement,), (), lambda: replies_read(judgement.rules_path))


def _reviewers(ev: Evaluation, narrowed: dict[str, str]) -> tuple[RevisionSummary, ...]:
    """Each reviewer variant judged, its verdict as the gate's (harness.gate.GateResult.headline): the tally of
    its rules and the NAKs of its patches that no rule cites; the terminal showed only the revisions'."""
    rows = ev.judgement.rows if ev.judgement else ()
    out = []
    for v in ev.result.variants:
        verdicts = [row.verdicts[v.name] for row in rows if v.name in row.verdicts]
        if v.start is None or not verdicts:
            continue
        t, review = tally(verdicts), hinted(review_objections(ev.series, v, *citing_rows(rows, v.name),
                                                             read=_read(ev)), rows, v.name)
        naks, drops, regressions, tags, points, unread = counts(review.standing)
        problems = state_problems(ev.series, v)  # counted and said as the gate does
        headline = t.headline(v.name, unread, naks, drops, len(problems), len(review.unjudged()), tags, regressions,
                              kinds_said(ev.series, v), points) + review.headline_note() + narrowed.get(v.name, "")
        why = tuple(f"{x.rule.id}: {x.note}" for x in verdicts if x.rule.id in t.inconclusive)
        blocked = t.blocked or bool(review.standing or review.unjudged() or problems)
        said = tuple(o.describe() for o in review.standing)
        out.append(RevisionSummary(v.name, headline, blocked, said, (), t.failing, t.inconclusive, t.warnings,
                                   t.passing, why, judged_as=v.name, review=review, problems=problems))
    return tuple(out)


def _narrowed(ev: Evaluation) -> dict[str, str]:
    """Per variant judged, what ``seamharness gate`` evaluates to judge it (harness.gate._needed: every state of its
    revision, a reviewer variant's start, the references rules name) that this eval did not, --variant having
    narrowed it: a rule needing one (a code move's states, a reference) is inconclusive here where the gate judges
    it, so its headline says on what it rests ('; judged without 8 variants: v3:00..v3:07, which ...'). Empty when
    nothing is missing."""
    if not ev.request.variants or ev.judgement is None:
        return {}
    from harness.replyvariants import variant_names

    rules = [row.rule for row in ev.judgement.rows]
    named = named_references(rules) | reviewed_names(ev.series, rules, ev.variants.variants) | \
        counterpart_states(ev.series, rules, ev.variants.variants)
    known = variant_names(ev.series, ev.request.manifest)
    evaluated = {v.name for v in ev.result.variants}
    out = {}
    for target in ev.result.variants:
        state = re.compile(rf"v{target.revision}(:\d+)?")
        missing = [n for n in known if n not in evaluated and (state.fullmatch(n) or n == target.start or n in named)]
        if missing:
            # A clause, its span counted first: '(judged without v3:00..v3:07 (8 variants), ...)' nested one
            # parenthesis in another, after a headline's own '(1 inconclusive)'.
            out[target.name] = (f"; judged without {variant_span(missing, known, inside=True)}, which seamharness "
                                f"gate --variant {target.name} evaluates too: a rule that needs one is inconclusive "
                                "here")
    return out


def _proposals(ev: Evaluation) -> tuple[ProposalView, ...]:
    out = []
    for c in ev.comparison.across:
        if c.view != "proposal":
            continue
        v = ev.result.variant(c.b)
        msgid, reviewer = v.sources[-1] if v.sources else (None, "")
        mail = ev.series.find_message(msgid) if msgid else None
        out.append(ProposalView(v.name, reviewer, mail.mail.date if mail else "", v.description, msgid, c))
    return tuple(out)


def _column_groups(res: MatrixResult) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups: dict[str, list[str]] = {}
    for v in res.variants:
        key = f"v{v.revision}" if v.revision is not None and v.start is None else "reviewer variants"
        groups.setdefault(key, []).append(v.name)
    return tuple((label, tuple(names)) for label, names in groups.items())


def _limit_hits(rep_variants: tuple[VariantView, ...], scenarios: tuple[Scenario, ...],
                outcomes: tuple[OutcomeView, ...], cells: tuple[tuple[int, ...], ...]) -> tuple[LimitHit, ...]:
    hits: list[LimitHit] = []
    by_row: dict[int, dict[Limit, list[str]]] = {}  # variants of one outcome class share their row object
    # The distinct outcomes that hit a limit, looked up once: a row's cells are then tested by number (most hit none).
    limited = {n: view.outcome.limits for n, view in enumerate(outcomes) if view.outcome.limits}
    for view, row in zip(rep_variants, cells, strict=True):
        found = by_row.get(id(row))
        if found is None:
            found = by_row[id(row)] = {}
            for s, n in zip(scenarios, row, strict=True) if limited else ():
                for limit in limited.get(n, ()):
                    found.setdefault(limit, []).append(s.id)
        hits.extend(LimitHit(view.variant.name, limit, tuple(found[limit])) for limit in Limit if limit in found)
    return tuple(hits)


@record
class ReportParts:
    """What the report shows of the runs and comparisons alone, before any rule is judged (report_parts)."""

    outcomes: tuple[OutcomeView, ...]
    cells: tuple[tuple[int, ...], ...]
    classes: tuple[int, ...]
    variants: tuple[VariantView, ...]
    details: tuple[ScenarioDetail, ...]
    bodies: tuple[GroupBody, ...]


def report_parts(matrix: Matrix, res: MatrixResult, cmp: CompareResult) -> ReportParts:
    """The report's outcome table, variant views and scenario details, worked out once per matrix, result and
    comparison (by identity): eval's process makes them while it waits for the rules' child's last verdict
    (harness.pipeline), and report_model then finds them made. They read no verdict."""
    def make() -> ReportParts:
        outcomes, cells, classes = _outcome_table(res)
        views = _variant_views(res)
        details, bodies = _details(matrix, res, cmp, outcomes, cells)
        return ReportParts(outcomes, cells, classes, views, details, bodies)
    return by_identity("report parts", (matrix, res, cmp), (), make)


def report_model(ev: Evaluation) -> EvalReport:
    """The report of an evaluation (see EvalReport)."""
    res, cmp = ev.result, ev.comparison
    parts = report_parts(ev.matrix, res, cmp)
    outcomes, cells, classes, views = parts.outcomes, parts.cells, parts.classes, parts.variants
    details, bodies = parts.details, parts.bodies
    narrowed = _narrowed(ev)
    foreign = foreign_entries(ev.matrix, res)
    return EvalReport(
        title=ev.series.title, version=__version__, inputs=tuple(str(p) for p in ev.request.paths),
        threads=ev.series.threads,
        base=_bases(res.variants),
        matrix_path=named(ev.matrix.path), lore=DEFAULT_LORE, revisions=ev.series.revisions, variants=views,
        entries=ev.matrix.entries, scenarios=ev.matrix.scenarios, outcomes=outcomes, cells=cells, classes=classes,
        per_patch=without_gaps_of(cmp.per_patch, foreign),
        across=without_gaps_of(cmp.across, foreign), groups=cmp.groups, details=details, bodies=bodies,
        findings=_skips(ev) + tuple(cmp.findings),
        rules=ev.judgement.rows if ev.judgement else (),
        crosscheck=None if ev.crosscheck is None else cross_rows(ev.crosscheck), summaries=_summaries(ev, narrowed),
        reviewers=_reviewers(ev, narrowed),
        proposals=_proposals(ev), column_groups=_column_groups(res),
        executed=res.executed, reused=res.reused, cached=res.cached, replayed=res.replayed,
        limits=_limit_hits(views, ev.matrix.scenarios, outcomes, cells), series_note=_series_note(ev),
        rules_note=_rules_note(ev), narrowed=tuple(narrowed.items()),
        rules_path=named(ev.judgement.rules_path) if ev.judgement is not None else None, uncompared=_uncompared(res),
        foreign=foreign)


def _uncompared(res: MatrixResult) -> tuple[str, ...]:
    """Each reviewer variant whose start (or the proposal it answers) --variant left out: harness.compare compares
    it with nothing, and says nothing of it, so this says why and what to add."""
    names = {v.name for v in res.variants}
    return tuple(f"{v.name} is compared with {other}, which was not evaluated: nothing here says what it changes "
                 f"(add --variant {other}, or --against NAME)" for v in res.variants for other in (v.start, v.over)
                 if other is not None and other not in names)


def _rules_note(ev: Evaluation) -> str:
    """The rules file eval judged with that no option named: the one beside --manifest FILE, whose verdicts
    would otherwise come from a file the user never gave."""
    if ev.request.manifest is None or ev.request.rules is not None or ev.judgement is None:
        return ""
    return f"{ev.judgement.rules_path} (beside --manifest {ev.request.manifest}; --rules FILE names another)"


def _bases(variants: Iterable[Variant]) -> str:
    """The base each variant's files were read from, each once; where revisions rest on different bases (a tree's
    commit each cover letter names, or the one their blobs match best), each said with the revisions on it: "linux at
    1a2b (...); linux at 3c4d (...)" left a reader to guess which revision is on which."""
    on: dict[str, dict[str, None]] = {}
    for v in variants:
        on.setdefault(v.base, {}).update({f"v{v.revision}": None} if v.revision is not None else {})
    if len(on) < 2:
        return "; ".join(on)
    return "; ".join(f"{', '.join(revs)}: {base}" if revs else base for base, revs in on.items())


def _series_note(ev: Evaluation) -> str:
    """Which bundled series eval took the input for, and why: its reviewer variants and review rules then
    apply, which a user with a series of their own would otherwise not know the cause of."""
    found = ev.variants.manifest
    why = found.match_reason(ev.series) if found is not None and ev.request.manifest is None else None
    if found is None or why is None:
        return ""
    rules = " and review rules" if ev.request.rules is None and ev.judgement is not None else ""
    return (f"read as bundled series '{found.name}' ({why}): its reviewer variants{rules} apply; "
            "--manifest FILE names your own")

