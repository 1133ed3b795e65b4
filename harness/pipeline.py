"""The pipeline's stages, one function each, composed by every command (eval, gate, crosscheck, bench).

read_inputs -> build_variants -> resolve_matrix -> run_variants -> compare_outcomes -> judge -> report.
Each stage takes the shared request (or one that extends it) and what the stages before it made, so the
same bad input gives the same one-line error whichever command meets it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import KW_ONLY, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from harness.budgets import STEP_BUDGET, TIME_BUDGET
from harness.errors import InputError, UsageError, Where
from harness.lore import DEFAULT_LORE
from harness.threadcache import DEFAULT_MAX_AGE
from models.record import record

if TYPE_CHECKING:
    # The stages' modules (the mirror, the comparison, the rules) load when a stage first runs, so a
    # command that only reads mail does not pay for the interpreter's import.
    from harness.amreading import AmReading
    from harness.apply import Aside, VariantSet
    from harness.compare import CompareResult
    from harness.crosscheck import CrossResult
    from harness.judge import Judgement, JudgePlan
    from harness.matrix import Matrix
    from harness.matrixpick import TreeFiles
    from harness.model import Reply, Revision, Series, Skipped
    from harness.runner import MatrixResult, Progress
    from harness.statefiles import BaseReader
    from harness.treenames import TreeSearch
    from harness.variants import Variant


@record
class SeriesRequest:
    """What every command that reads a series shares: the inputs and where base, matrix and rules come from.

    ``paths`` are files, folders, Message-IDs or lore URLs; ``cache`` is the outcome cache folder (None: no
    cache); ``jobs`` the worker processes (0: one per core); ``step_budget`` the mirror steps each code group
    may take (0: no limit; harness.budgets.STEP_BUDGET), ``time_budget`` the wall-clock seconds it may run, a
    backstop (0: no limit; harness.budgets.TIME_BUDGET).
    """

    paths: tuple[Path | str, ...]
    _: KW_ONLY
    lore: str = DEFAULT_LORE
    offline: bool = False
    thread_cache: Path | None = None
    cache_max_age: int = DEFAULT_MAX_AGE  # minutes (harness.lore.FetchRequest)
    stale_ok: bool = True  # a thread older than that whose download fails: used with a warning (gate: refused)
    tree: Path | None = None
    base: str | None = None
    manifest: Path | None = None
    matrix: Path | None = None
    matrix_add: tuple[Path, ...] = ()  # --matrix-add: scripts added to the matrix that runs (harness.matrixadd)
    rules: Path | None = None
    jobs: int = 0
    cache: Path | None = None
    time_budget: float = TIME_BUDGET
    step_budget: int = STEP_BUDGET


@record
class EvalRequest(SeriesRequest):
    """``seamharness eval``: empty ``variants`` means every variant the input allows."""

    variants: tuple[str, ...] = ()
    against: str | None = None
    crosscheck: bool = False
    cc: str | None = None


Notify = Callable[[str], None]


def read_inputs(req: SeriesRequest, notify: Notify | None = None) -> Series:
    """Fetch what must be fetched and read every input; insist on at least one patch.

    Raises InputError (the first refused input) when nothing could be read, UsageError when the input
    holds no mail at all, or only mails that are no patch, replies or plain mails (every command alike: b4 am
    says "No patches found." of them).
    """
    from harness.amreading import scissors_notes
    from harness.codenotes import unapplied_code
    from harness.ingest import IngestRequest, parse_series
    from harness.inputs import InputSpec, resolve_inputs
    from harness.mailpaths import passed_over
    from harness.manifestbuilt import named_replies, taken_hunks
    from harness.model import Skipped
    from harness.proposalfit import capped, unfit_proposals
    from harness.unreadfixups import left_out_fixups

    local, threads = resolve_inputs(InputSpec(tuple(str(p) for p in req.paths), req.lore, req.offline,
                                              req.thread_cache, req.cache_max_age, req.stale_ok),
                                    notify or (lambda _msg: None))
    reading = _am_reading(req.tree)  # git am in the tree would read the mail so
    series = replace(parse_series(IngestRequest(local, threads, reading)), threads=threads)
    tree_notes = [Skipped(Where(f"--tree {req.tree}"), why) for why in reading.unfollowed]
    tree_notes += [Skipped(where, why) for where, why in scissors_notes(
        reading, ((f"v{rev.version} {p.label}", p.mail.where, p.message) for rev in series.revisions
                  for p in rev.patches))]
    if tree_notes:
        series = replace(series, notes=(*tree_notes, *series.notes))
    # A reply's diff that would not apply is said, never silently unused; with a tree, on the tree's files.
    unfit, fits = unfit_proposals(series, None if req.tree is None else partial(_tree_reader, req.tree, req.base),
                                  taken_hunks(series, req.manifest))
    series, unfit = left_out_fixups(series, unfit, fits)  # every fit: one past the cap applies all the same
    fits = capped(fits)
    unfit += unapplied_code(series, named_replies(series, req.manifest))
    if unfit or fits:
        series = replace(series, notes=(*series.notes, *unfit), proposal_fits=fits)
    if series.revisions:
        return series
    where = ", ".join(str(p) for p in req.paths) or "the input"
    if series.orphans:
        raise UsageError(None, f"no patches found in {where}: {_none_a_patch(series.orphans)}")
    if series.skipped:
        first = series.skipped[0]
        rest = series.skipped[1:]
        shown = ", ".join(str(x.where) for x in rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
        # Nothing was read, so nothing was skipped over: the reason alone, as any command names a file it cannot read.
        more = f" (also not read: {shown}{_other_ties(series.skipped)})" if rest else ""
        raise InputError(first.where, f"{first.reason}{more}")
    hint = "".join(passed_over(Path(p)) for p in req.paths if Path(p).is_dir())
    raise UsageError(None, f"no mail found in {where}{hint}")


def _other_ties(skipped: tuple[Skipped, ...]) -> str:
    """The words naming each tie of postings (Skipped.tie) other than the one the first mail skipped is of, each
    posting's first mail and where: the gate's one line counted a second tie's mails among "N more" alone."""
    from harness.sentorder import where_key

    firsts: dict[str, tuple[str, int]] = {}
    for s in skipped:
        if s.tie is not None and s.tie != skipped[0].tie:
            firsts[s.tie] = min(firsts.get(s.tie, where_key(s.where)), where_key(s.where))
    return "".join(f"; tied too, so not read either: {tie}" for tie in sorted(firsts, key=firsts.__getitem__))


def _none_a_patch(orphans: tuple[Reply, ...]) -> str:
    """What messages with no patch among them were: replies (to a message the input lacks), or plain mails, which
    answer nothing (no In-Reply-To, References or Re:) and so are no reply either."""
    plain = [r for r in orphans if not (r.mail.in_reply_to or r.mail.references or r.mail.subject.is_reply)]
    count = len(orphans) - len(plain)
    parts = [f"{count} {'reply' if count == 1 else 'replies'}{_with_diffs(orphans, count)}"] if count else []
    if plain:
        first = plain[0].mail
        parts.append(f"{len(plain)} neither a patch nor a reply ({first.subject.raw!r}, {first.where}"
                     + (f", and {len(plain) - 1} more" if len(plain) > 1 else "") + ")")
    return f"{len(orphans)} message{'s' if len(orphans) > 1 else ''}, none of them a patch: {', '.join(parts)}"


def _with_diffs(orphans: tuple[Reply, ...], count: int) -> str:
    """What the replies among ``orphans`` that carry a whole diff under a patch's subject with a reply's prefix are
    ("Fwd: [PATCH v2 1/3] ...": patch mails forwarded or saved from a reply): b4 reads them as replies, git am applies
    them; "" when there are none."""
    from harness.model import ProposalKind

    sent = [r for r in orphans if r.mail.subject.is_reply and r.mail.subject.is_patch
            and any(p.kind is ProposalKind.DIFF for p in r.proposals)]
    if not sent:
        return ""
    each = ("each " if count > 1 else "") if len(sent) == count else f"{len(sent)} of them "
    return (f", {each}with a diff (the first {sent[0].mail.subject.raw!r}, "
            f"{sent[0].mail.where}): a subject opening with 'Re:', 'Fwd:' or the like before its [PATCH] tag is a "
            "reply's, as b4 reads it, though git am applies its diff as a patch: take the prefix off to read them "
            "as patches")


def _am_reading(tree: Path | None) -> AmReading:
    """How git am in the tree reads mail (harness.amreading); without a tree, plain git am's reading."""
    from harness.amreading import AmReading, am_reading

    return AmReading() if tree is None else am_reading(tree)


def _tree_reader(tree: Path, base: str | None, rev: Revision) -> BaseReader:
    """The reader of the base the variant build uses for ``rev`` (harness.apply.revision_base), chosen only when
    asked: a reply that proposes a diff."""
    from harness.apply import revision_base

    return revision_base(tree, base, rev)[1]


def build_variants(req: SeriesRequest, series: Series, names: tuple[str, ...] = (),
                   units: tuple[str, ...] = (), entries: tuple[str, ...] = ()) -> VariantSet:
    """Every revision state and reviewer variant (only ``names`` and what they need, when given); with a
    tree, ``units`` are read whole from it in every state (harness.statefiles.with_local_headers) and
    ``entries`` looked for in their <...> headers too (harness.sysheaders)."""
    from harness.apply import ApplyRequest, apply_variants, unknown_variant
    from harness.manifest import find_manifest
    from harness.replyvariants import reviewer_specs, unfit_reason, variant_names

    known = variant_names(series, req.manifest)
    manifest = find_manifest(series, req.manifest)
    missing = {s.name: s.missing(series) for s in reviewer_specs(series, manifest)}
    for name in names:
        if missing.get(name):
            raise UsageError(None, f"variant {name} cannot be built: {missing[name]}")
        if name not in known:
            raise unknown_variant(name, known, unfit_reason(series, name))
    return apply_variants(ApplyRequest(series, req.tree, req.base, req.manifest, names, units, entries))


def with_matrix(req: SeriesRequest, series: Series, variants: VariantSet, names: tuple[str, ...] = (),
                more: Aside | None = None) -> tuple[VariantSet, Matrix]:
    """resolve_matrix and discover_entries for variants build_variants made, composed once for every command.
    With a tree, the matrix's translation units are read in every state though no patch touches them: a
    patch to a header alone then still has the code that uses it (built again with them when a state lacks
    one), and an entry point no code of a state names is looked for in the headers the units include (a
    header's helper the code never calls runs, as gcc would build it, rather than being said absent). ``more``
    adds states aside (harness.dropless), given those units and entries: their entry points are discovered too."""
    from harness.coverage import named_anywhere
    from harness.discover import discover_entries

    matrix = resolve_matrix(req, variants, series)
    units = tuple(u.path for u in matrix.units)
    entries = tuple(sorted({e.name for e in matrix.entries}))
    if req.tree is not None and (any(v.file(p) is None for v in variants.variants for p in units) or any(
            not named_anywhere(v, e) for v in variants.variants for e in entries)):
        variants = build_variants(req, series, names, units, entries)
    from harness.outcome_cache import open_cache
    from harness.retrycounts import with_bounds

    variants = more(variants, units, entries) if more is not None else variants
    every = (*variants.variants, *variants.aside)
    # Runs each repeat_first script also at the bounds of the variants' retry loops (harness.retrycounts).
    search = None
    if req.tree is not None:  # only a run given a tree searches it: harness.treenames is imported for it alone
        from harness.treenames import tree_names

        search = tree_names(req.tree, req.base, series).mentioning
    return variants, with_bounds(discover_entries(matrix, every, series, search), every, open_cache(req.cache))


def resolve_matrix(req: SeriesRequest, variants: VariantSet, series: Series) -> Matrix:
    """``--matrix``; else the bundled matrix whose ``[match]`` identifiers the patches' C defines or calls (in
    the lines their hunks show, and with a tree in the whole of a file they rename or copy), or whose ``[match]``
    asks for what a hunk's code does (harness.seamcode: issue a SEAMCALL, retry one), whatever its names; failing
    those, the same of the states' code around what the hunks change (harness.changeusers: its users, and the
    changed definitions whole with what they call).

    The series' manifest (found by Message-ID or title) only decides reviewer variants and rules; which
    matrix runs is decided by the code. UsageError when no bundled matrix recognises the code, or (--matrix
    too) the input holds no patch at all.
    """
    from harness.matrixadd import with_added
    from harness.matrixpick import pick_matrix

    return with_added(pick_matrix(req.matrix, variants, series, _tree_files(req, series)), req.matrix_add)


def _tree_files(req: SeriesRequest, series: Series) -> TreeFiles | None:
    """Each revision's base commit in --tree as harness.matrixpick reads it last: its search for the files naming
    some words and its reader of a file's text (None without a tree); worked out only when asked."""
    if req.tree is None:
        return None
    tree, base = req.tree, req.base

    def made() -> list[tuple[Callable[[tuple[str, ...]], list[str] | None], Callable[[str], str | None]]]:
        from harness.apply import revision_base
        from harness.gitbase import TreeReader  # gitpython is only needed with --tree

        out: dict[str, tuple[Callable[[tuple[str, ...]], list[str] | None], Callable[[str], str | None]]] = {}
        for rev in series.revisions:
            reader = revision_base(tree, base, rev)[1]
            if isinstance(reader, TreeReader):
                out.setdefault(reader.commit, (reader.naming, partial(_text, reader)))
        return list(out.values())
    return made


def _text(reader: BaseReader, path: str) -> str | None:
    state = reader(path)
    return state.text if state is not None and not state.absent else None


def run_variants(req: SeriesRequest, variants: VariantSet, selected: tuple[Variant, ...], matrix: Matrix,
                 progress: Progress | None = None) -> MatrixResult:
    """The selected variants through the matrix, with the request's workers and outcome cache."""
    from harness.outcome_cache import open_cache
    from harness.runner import MatrixRequest, run_matrix

    res = run_matrix(MatrixRequest(selected, matrix, req.jobs, open_cache(req.cache), req.time_budget,
                                   req.step_budget), progress)
    if res.executed:  # code ran (or was replayed) rather than all read from the cache: a run harness.runcache keeps not
        sys.audit("seamharness.unsure", f"{res.executed} runs of the code")
    return res


@record
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
    rules_note: str | None = None  # why the series' rules were not evaluated


def _one_name_each(req: EvalRequest, series: Series) -> EvalRequest:
    """``--variant`` and ``--against`` with ``base`` said as the vN:00 it names (an input of one revision), and a
    state named twice once: one state, run once and compared with nothing as if it were another."""
    from harness.variantchoices import aliased

    names = tuple(dict.fromkeys(aliased(n, series) for n in req.variants))
    against = aliased(req.against, series) if req.against is not None else None
    return replace(req, variants=names, against=against) if (names, against) != (req.variants, req.against) else req


def _pairs(req: EvalRequest, variants: VariantSet) -> tuple[tuple[str, str], ...]:
    if req.against is None:
        return ()
    names = req.variants or tuple(v.name for v in variants.variants)
    return tuple((req.against, n) for n in names if n != req.against)


def evaluate(req: EvalRequest, progress: Progress | None = None, notify: Notify | None = None,
             ahead: tuple[Callable[[], object], ...] = ()) -> Evaluation:
    """Run the whole pipeline on the request's inputs; no git process reading the tree is left running after it.
    ``ahead``: what the caller does next that reads no verdict (reports.formats.renderers_ahead), done while this
    process waits for the rules' child once the report's own parts are made (_report_steps)."""
    from harness.valueshare import stop_sharing

    try:
        return _evaluate(req, progress, notify, ahead)
    finally:
        stop_sharing()  # the rules' child is done (or gone): its file of value runs closed
        release_trees()


def release_trees() -> None:
    """The git processes reading --tree stopped (harness.gitrepo.release_repos); harness.gitrepo, and GitPython
    with it, is loaded only when a tree was read."""
    import sys

    gitrepo = sys.modules.get("harness.gitrepo")
    if gitrepo is not None:
        gitrepo.release_repos()


def _check_against(req: EvalRequest, series: Series) -> None:
    """--against names a variant of the input, one of --variant's where those are given; else InputError."""
    from harness.apply import unknown_variant
    from harness.options import against_not_evaluated
    from harness.replyvariants import unfit_reason, variant_names

    if req.against is None:
        return
    known = variant_names(series, req.manifest)
    if req.against not in known:
        raise unknown_variant(req.against, known, unfit_reason(series, req.against))
    if req.variants and req.against not in req.variants:
        raise against_not_evaluated(req.against, req.variants)


def _evaluate(req: EvalRequest, progress: Progress | None, notify: Notify | None,
              ahead: tuple[Callable[[], object], ...]) -> Evaluation:
    from harness.compare import CompareRequest, compare_outcomes, comparisons_key
    from harness.dropless import eval_dropless, shown
    from harness.explain import forget_views
    from harness.heldwrites import start_writes
    from harness.judge import Judgement, rules_path
    from harness.valuecache import digest_ahead
    from harness.valueshare import share_runs
    from harness.verdictjobs import comparing_spans, judge_span, rule_rows, verdict_spans
    from harness.workers import forks_beside, shared_jobs, workers_for

    if req.crosscheck:
        from harness.crosscheck import crosscheck_result
        from models.native.run import find_compiler
    series = read_inputs(req, notify)
    req = _one_name_each(req, series)
    names = req.variants
    _check_against(req, series)
    variants, matrix = with_matrix(req, series, build_variants(req, series, names), names,
                                   partial(eval_dropless, req, series))  # and, aside, what the rules compare with
    whole = run_variants(req, variants, (*variants.variants, *variants.aside), matrix, progress)
    result = shown(whole, variants)  # compared, reported and judged without the states aside
    path = rules_path(variants.manifest, req.rules)

    plan, note, failed = _judge_plan(req, series, variants, (whole, result.variants), path)
    # The rules and the comparisons read the same outcomes and not each other: on two cores, a child judges rules
    # while this process compares, then both take the jobs left (harness.workers.shared_jobs), a rule on a variant
    # each (harness.verdictjobs). Those of rules that compare two variants are queued last (comparing_spans): what
    # they read, this process has by then.
    spans, pairs = verdict_spans(plan) if plan else (), _pairs(req, variants)
    if plan and forks_beside(len(spans), workers_for(req.jobs)):
        if result.store is not None:
            digest_ahead(result)  # keys both processes make: inherited by the child rather than made again
            if whole is result and not pairs:  # the report's comparisons' key is the rules' too: made once, here
                comparisons_key(result, series)
        share_runs(result.matrix)  # the comparisons' value runs, read by the child's rules rather than made again
    rows_of = shared_jobs(len(spans), partial(judge_span, plan, spans), workers_for(req.jobs),
                          comparing_spans(plan, spans)) if plan else None
    comparison = compare_outcomes(CompareRequest(result, series, pairs, _tree_search(req, series)))
    cross = None
    if req.crosscheck:
        cross = crosscheck_result(result, find_compiler(req.cc))
    if failed is not None:  # said after the comparisons, as when the rules were read beside them
        raise failed
    # While the child judges, this process makes what the report shows that reads no verdict, then the cells left.
    judgement = Judgement(plan.path, rule_rows(plan, spans, rows_of(_report_steps(series, matrix, result, comparison,
                                                                          ahead)))) \
        if plan is not None and rows_of is not None else None
    start_writes()  # no process is forked from here on: the held cache entries are written beside the report
    forget_views()  # the outcomes are compared and judged: nothing after this asks for their views
    return Evaluation(req, series, variants, matrix, result, comparison, judgement, cross, note)


def _report_steps(series: Series, matrix: Matrix, result: MatrixResult, comparison: CompareResult,
                  ahead: tuple[Callable[[], object], ...] = ()) -> Iterator[Callable[[], object]]:
    """What eval's report reads that no verdict decides, as steps for harness.workers.shared_jobs' wait for the rules'
    child: the report's parts (harness.report.report_parts), then the replies' objections of the variants whose
    verdict lines it writes (each revision's own, each reviewer variant: harness.objections.read_ahead), then the
    caller's ``ahead`` (the renderers' modules). The report is made next and finds them made (the corpus: some 0.08 s
    of its 0.12 s, made while the second core idled)."""
    from harness.objections import read_ahead
    from harness.report import report_parts

    yield partial(report_parts, matrix, result, comparison)
    for v in result.variants:
        if v.start is not None or v.name == f"v{v.revision}":
            yield partial(read_ahead, series, v)
    yield from ahead


def _tree_search(req: EvalRequest, series: Series) -> TreeSearch | None:
    """With --tree, its search at each revision's base commit (harness.treenames); None without."""
    if req.tree is None:
        return None
    from harness.treenames import tree_names  # only a run given a tree searches it

    return tree_names(req.tree, req.base, series)


def _judge_plan(req: EvalRequest, series: Series, variants: VariantSet,
                ran: tuple[MatrixResult, tuple[Variant, ...]], path: Path | None
                ) -> tuple[JudgePlan | None, str | None, Exception | None]:
    """The rules to judge on the variants of ``ran`` (its result holds the states aside too: VariantSet.aside), or
    None (no rules file, or the series' own rules, which --matrix left without their selectors: the note says so),
    or what reading them raised, for evaluate to raise in its turn."""
    from harness.judge import judge_plan
    from harness.outcome_cache import open_cache
    from harness.ruleselect import SelectorMismatch

    if path is None:
        return None, None, None
    try:
        names = None
        if req.tree is not None:  # only a run given a tree searches it: harness.treenames is imported for it alone
            from harness.treenames import tree_names

            names = tree_names(req.tree, req.base, series)
        return judge_plan(path, series, ran[0], ran[1], variants.manifest, open_cache(req.cache),
                          variants.why_skipped, names), None, None
    except SelectorMismatch as exc:
        if req.rules is not None or req.matrix is None:
            return None, None, exc
        # The series' own rules were written for its own matrix, which --matrix replaced: report without them.
        return None, f"the series' review rules were not evaluated with --matrix {req.matrix}: {exc}", None
    except Exception as exc:
        return None, None, exc
