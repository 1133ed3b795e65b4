"""run_matrix: every variant x scenario through the mirror, each distinct piece of code run once."""

from __future__ import annotations

import contextlib
import hashlib
import operator
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from harness.budgets import STEP_BUDGET, TIME_BUDGET
from harness.kbuilddefs import COMMAND_LINE, build_defines
from harness.matrix import Matrix, Unit
from harness.matrixresult import Lane, numbered
from harness.matrixresult import MatrixResult as MatrixResult  # its home was here: older imports keep working
from harness.norun import build_stops, error_group, no_run, unbuilt_entries, unincluded_entries
from harness.outcome_cache import OutcomeCache
from harness.prfmt import run_pr_fmt
from harness.rununits import broken_entries, run_unit
from harness.scriptkeys import check_keys
from harness.sysheaders import every_patch_before, unincluded_headers
from harness.unitmacros import unit_macros
from harness.unitmoves import unit_at
from harness.variants import Variant
from harness.workers import in_order, workers_for
from models.errors import MirrorError
from models.loader import EntryPoint, Source, entry_files, entry_keys
from models.outcome import (
    Coverage,
    ErrorKind,
    Limit,
    LineSources,
    Outcome,
    OutcomeStatus,
    RunDeps,
    RunRequest,
    log_sources,
    out_of_time,
    step_cut,
)
from models.provenance import provenance_of
from models.record import record

if TYPE_CHECKING:

    from models.facts import CodeFacts
    from models.mirror import Mirror

Progress = Callable[[int, int], None]
# Below this many runs, forking workers costs more than it saves on two cores (measured: the corpus' 5,760
# runs 0.90 s with two workers against 1.02 s with none; its v3 alone, 2,880 runs, 0.73 s against 0.70 s).
PARALLEL_MIN_RUNS = 4000


@record
class MatrixRequest:
    """Variants and the matrix to run them through, with workers (0: one per core) and an outcome cache."""

    variants: tuple[Variant, ...]
    matrix: Matrix
    jobs: int = 0
    cache: OutcomeCache | None = None
    time_budget: float = TIME_BUDGET
    step_budget: int = STEP_BUDGET  # each code group's mirror steps (0: no limit; harness.budgets)


@dataclass
class _Building:
    """The mutable state of run_matrix until the result is frozen."""

    groups: list[list[Outcome]] = field(default_factory=list)
    assign: dict[str, list[int]] = field(default_factory=dict)
    load_errors: dict[str, str] = field(default_factory=dict)
    cached: int = 0
    replayed: int = 0
    broken: dict[int, list[Outcome]] = field(default_factory=dict)  # groups that do not run: a broken file
    coverage: dict[int, Coverage] = field(default_factory=dict)  # per code group that ran or came from the cache


def variant_sources(v: Variant) -> tuple[Source, ...]:
    """Every usable C file of a variant, where the mirror looks for what the entry points reach.

    No list of paths: helpers renamed, moved or split into new files are found wherever a patch put them.
    Where two files define the same name, the first wins: complete files before fragments, headers before
    .c files, then by path (a stable order, whatever order the patches touched them in). Worked out once per
    variant object and kept with it (Variant.kept: rules ask again per scenario, and every stage again).
    """
    return v.kept("variant-sources", lambda: _variant_sources(v))


def _variant_sources(v: Variant) -> tuple[Source, ...]:
    files = sorted((f for f in v.c_files if f.usable),
                   key=lambda f: (not f.complete, not f.path.endswith(".h"), f.path))
    # created, included by nothing: its copy of a name never wins (Source)
    dead = unincluded_headers(v.files, every_patch_before(v.applied, v.revision))
    seen = unit_macros(v)  # a .c file's macros a header's code sees
    out = [Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete, unincluded=f.path in dead,
                  unit_macros=seen.get(f.path, ())) for f in files]
    # With a tree: the <...> headers' definitions of names nothing above defines, and what no header had.
    out += [h.source() for h in v.headers.headers]
    if out and (v.headers.unknown or v.headers.searched or v.headers.refused):
        out[0] = replace(out[0], unknown=v.headers.unknown, searched=v.headers.searched, refused=v.headers.refused)
    if out and (defines := build_defines(v).defines):  # kbuild's -D, before every file as gcc takes them
        out = [Source(COMMAND_LINE, ((1, tuple(f"#define {n} {b}" for n, b in defines)),), True),
               *(replace(s, defines=defines) for s in out)]
    return tuple(out)


def definitions_used(result: MatrixResult, v: Variant) -> list[tuple[str, str, str]]:
    """(name, kind, where) of every definition the matrix's entry points reach in a variant, prelude included."""
    entries = tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries)
    return provenance_of(variant_sources(v), entries)


_Worked = tuple[dict[int, list[Outcome]], str | None, int, "CodeFacts | str | None", dict[int, Coverage]]


@record
class _Job:
    """Runs for one set of sources (loaded once): per code group, its scenario requests and cache key."""

    sources: tuple[Source, ...]
    entries: tuple[EntryPoint, ...]
    runs: tuple[tuple[int, tuple[RunRequest, ...]], ...]
    keys: tuple[str, ...] = ()
    time_budget: float = TIME_BUDGET
    step_budget: int = STEP_BUDGET
    facts: bool = False  # also read the code facts (a worker process: the parent has not loaded this C)

    @property
    def size(self) -> int:
        return sum(len(r) for _, r in self.runs)


def _run_group(job: _Job, reqs: tuple[RunRequest, ...], mirror: Mirror, seen: dict[frozenset[str], frozenset[str]]
               ) -> tuple[list[Outcome], Coverage, bool]:
    """A code group's scenarios until its step budget runs out (the rest are ``time``-limited outcomes: cut short,
    unknown), or its wall-clock backstop; what each run executed (models.outcome.Coverage.runs; equal sets as one
    object, kept in ``seen``) and where its log lines came from (Coverage.log); and whether the wall clock cut any
    run (what it cut depends on the host's load: never kept). The statements the runs reached are the caller's."""
    budget, steps = job.time_budget, job.step_budget
    deadline = time.monotonic() + budget if budget > 0 else None
    used, walled = 0, False
    outs: list[Outcome] = []
    runs: list[frozenset[str]] = []
    logs: list[LineSources] = []
    deps: list[RunDeps] = []
    for req in reqs:
        left = steps - used if steps > 0 else 0
        if steps > 0 and left <= 0:
            outs.append(out_of_time(f"not run: its code group used up its step budget of {steps:,} steps"))
        elif deadline is not None and time.monotonic() > deadline:
            outs.append(out_of_time(f"not run: its code group used up its time budget of {budget:g} s"))
            walled = True
        else:
            out = mirror.run(req, deadline, left)
            used += mirror.last_steps  # a replayed run's too: the same budget left either way
            walled = walled or (Limit.TIME in out.limits and not (left and mirror.last_steps >= step_cut(left)))
            outs.append(out)
            ran = mirror.last_ran
            runs.append(seen.setdefault(ran, ran))
            logs.append(mirror.last_log)
            deps.append(mirror.last_deps)
            continue
        runs.append(frozenset())
        logs.append(())
        deps.append(())
    # the runs' lock-order dependencies and IRQ usage bits (harness.lockcycles, harness.irqusage), kept only where one
    # run added some
    return outs, Coverage(runs=tuple(runs), log=log_sources(logs), deps=tuple(deps) if any(deps) else ()), walled


def facts_description(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> str:
    """What a piece of code's facts are kept under in the outcome cache (with the same key discipline)."""
    return "facts\0" + repr((sources, entries))


def _work(job: _Job, cache: OutcomeCache | None = None, canon: dict[Outcome, Outcome] | None = None) -> _Worked:
    """A job's outcomes per code group, or why its sources do not load; how many runs were replays; and,
    when the job asks, the code facts.

    Equal outcomes that ran come back as one object, ``canon``'s (the jobs a process runs share it: an outcome
    another job made is then not made into JSON again for the cache, nor hashed again; the corpus: 3,660 outcomes
    encoded for 2,706 distinct), so that a worker sends each once; with a cache, they are kept there by the worker
    itself, so that two workers share the cost.
    """
    from models.mirror import cached_mirror  # the interpreter loads only when something must run

    try:
        mirror = cached_mirror(job.sources, job.entries)
    except MirrorError as exc:
        return {}, str(exc), 0, _keep_facts(job, cache, str(exc)) if job.facts else None, {}
    mirror.forget_runs()
    canon = {} if canon is None else canon
    outs: dict[int, list[Outcome]] = {}
    coverage: dict[int, Coverage] = {}
    seen: dict[frozenset[str], frozenset[str]] = {}
    walled: set[int] = set()  # the groups the wall clock cut short
    for g, reqs in job.runs:
        ran, per_run, wall = _run_group(job, reqs, mirror, seen)
        outs[g] = [canon.setdefault(o, o) if o.ran else o for o in ran]
        coverage[g] = replace(mirror.take_coverage(), runs=per_run.runs, log=per_run.log, deps=per_run.deps)
        if wall:
            walled.add(g)
    if cache is not None:
        _to_cache(cache, job, outs, coverage, walled)
    if not job.facts:
        return outs, None, mirror.replayed, None, coverage
    from models.source import code_facts

    try:
        facts: CodeFacts | str = code_facts(job.sources, job.entries)
    except MirrorError as exc:
        facts = str(exc)
    return outs, None, mirror.replayed, _keep_facts(job, cache, facts), coverage


def _keep_facts(job: _Job, cache: OutcomeCache | None, facts: CodeFacts | str) -> CodeFacts | str:
    """Code facts read in a worker, kept in the cache as harness.judge.FactsCache keeps its own."""
    if cache is not None:
        key = cache.key(facts_description(job.sources, job.entries))
        cache.put_data(key, {"error": facts} if isinstance(facts, str) else facts.to_dict())
    return facts


def _lane_description(reqs: tuple[RunRequest, ...], scripts: dict[int, str] | None = None) -> str:
    """The scenario inputs of a lane (the same for every code group in it) and the run limits; ``scripts`` keeps
    each script's repr by the identity of its answers (the lanes' scenarios share them) while they live."""
    r = reqs[0]
    head = repr((r.entry, r.regs_in, r.budget, r.max_depth, sorted(r.seam_functions), r.max_records))
    shown = {} if scripts is None else scripts
    return "\0".join([head, *(_run_text(x, shown) for x in reqs)])


def _run_text(x: RunRequest, shown: dict[int, str]) -> str:
    """``repr((x.leaf, x.script, *((x.cpu,) if x.cpu else ())))``, the script's repr made once: a repr of every answer
    record of every run of every lane was a tenth of planning. A run's CPU only where it is not 0, its input registers
    (the matrix script's inputs) only where it has some: the keys of the runs on CPU 0 with no inputs are what they
    were before there were any."""
    text = shown.get(id(x.script))
    if text is None:
        text = shown[id(x.script)] = repr(x.script)
    key = f"({x.leaf!r}, {text}, {x.cpu!r})" if x.cpu else f"({x.leaf!r}, {text})"
    if x.context != "task" or x.features:  # the script's context and CPU features likewise
        key += f" as {x.context} with {x.features!r}"
    return f"{key} in {x.regs_in!r}" if x.regs_in else key


def _load_description(job: _Job) -> str:
    """What decides whether a job's sources load: a load error fails every group of the job."""
    return "load\0" + repr((job.sources, job.entries))


def _from_cache(cache: OutcomeCache, job: _Job, result: _Building) -> _Job | None:
    """Fill the job's groups the cache holds; the job that is left to run, or None if nothing is."""
    left, keys = [], []
    for (gid, reqs), key in zip(job.runs, job.keys, strict=True):
        hit = cache.get_group(key, len(reqs))
        if hit is None:
            left.append((gid, reqs))
            keys.append(key)
        else:
            result.groups[gid], result.coverage[gid] = hit
            result.cached += len(reqs)
    if not left and cache.get(cache.key(_load_description(job)), 0) is not None:
        return None
    sys.audit("seamharness.unsure", "code to run")  # known now, before it runs: no whole run is kept (runcache)
    return replace(job, runs=tuple(left), keys=tuple(keys))


def _to_cache(cache: OutcomeCache, job: _Job, outs: dict[int, list[Outcome]], coverage: dict[int, Coverage],
              walled: set[int]) -> None:
    cache.put(cache.key(_load_description(job)), [])
    for (gid, _), key in zip(job.runs, job.keys, strict=True):
        # What the wall-clock backstop cut short depends on this machine's speed: never kept for another run. What
        # the step budget cut is the same on any host, under a key naming the budget: kept, and replayed alike.
        if gid not in walled:
            cache.put(key, outs[gid], coverage[gid])


def _lanes(matrix: Matrix) -> tuple[Lane, ...]:
    positions: dict[tuple[str, str], list[int]] = {}
    for i, s in enumerate(matrix.scenarios):
        positions.setdefault((s.entry.name, s.unit.name), []).append(i)
    return tuple(Lane(e, u, tuple(p)) for (e, u), p in positions.items())


@dataclass(frozen=True)
class _Planning:
    """What _plan builds up over the variants: the code groups' ids by (lane, code, pr_fmt), the jobs and cache keys
    per sources, and what lanes share (their requests per pr_fmt, their description's digest)."""

    req: MatrixRequest
    lanes: tuple[Lane, ...]
    result: _Building
    entries: tuple[EntryPoint, ...]
    units: dict[str, Unit]
    ids: dict[tuple[int, str, str], int] = field(default_factory=dict)
    jobs: dict[tuple[Source, ...], list[tuple[int, tuple[RunRequest, ...]]]] = field(default_factory=dict)
    cache_keys: dict[tuple[Source, ...], list[str]] = field(default_factory=dict)
    lane_text: dict[int, str] = field(default_factory=dict)
    scripts: dict[int, str] = field(default_factory=dict)  # _lane_description's, for the scenarios' scripts req holds
    lane_reqs: dict[tuple[int, str], tuple[RunRequest, ...]] = field(default_factory=dict)


def _plan(req: MatrixRequest, lanes: tuple[Lane, ...], result: _Building) -> list[_Job]:
    """A code group per distinct (entry code, pr_fmt) in each lane; one job per sources with new groups."""
    entries = tuple(EntryPoint(e.name, e.args) for e in req.matrix.entries)
    p = _Planning(req, lanes, result, entries, {u.name: u for u in req.matrix.units})
    for v in req.variants:
        result.assign[v.name] = _row(p, v)
    result.groups = [result.broken.get(gid, []) for gid in range(len(p.ids))]
    return [_Job(src, entries, tuple(runs), tuple(p.cache_keys.get(src, [])), req.time_budget, req.step_budget)
            for src, runs in p.jobs.items()]


def _row(p: _Planning, v: Variant) -> list[int]:
    """Each lane's code group in ``v`` (-1: it has no run there), new groups planned as they are met."""
    ids, result, entries = p.ids, p.result, p.entries
    sources = variant_sources(v)
    keys, files = entry_keys(sources, entries), entry_files(sources, entries)
    broken = broken_entries(v, entries)
    unbuilt = {**unbuilt_entries(v, sources, entries), **unincluded_entries(sources, p.req.matrix)}
    stops = build_stops(v)  # make stops at a removed file's object: no run is one of a built kernel
    fmts: dict[tuple[str, frozenset[str] | None], str] = {}  # lanes of one unit share their pr_fmt
    seen: dict[tuple[str, str], tuple[ErrorKind, str] | None] = {}
    row: list[int] = []
    for n, lane in enumerate(p.lanes):
        if lane.entry in broken:  # nothing runs: an error outcome says which file is broken and why
            row.append(error_group(ids, result.broken, (n, "\0broken", broken[lane.entry]), broken[lane.entry],
                                   ErrorKind.UNSUPPORTED, len(lane.positions)))
            continue
        code = keys.get(lane.entry)
        if code is None:
            row.append(-1)
            continue
        unit = unit_at(v.moved, p.units[lane.unit].path)
        tu = (run_unit(sources, lane.entry, unit), files.get(lane.entry))
        if (gid := no_run(ids, result.broken, v, sources, (n, lane), unit, tu, stops, unbuilt, seen)) is not None:
            row.append(gid)
            continue
        fmt = fmts[tu] if tu in fmts else fmts.setdefault(tu, run_pr_fmt(v, *tu))
        gid = ids.get((n, code, fmt))
        row.append(_new_group(p, sources, (n, lane), code, fmt) if gid is None else gid)
    return row


def _new_group(p: _Planning, sources: tuple[Source, ...], at: tuple[int, Lane], code: str, fmt: str) -> int:
    """A new code group of lane ``at`` for ``code`` with ``fmt``: its runs joined to the job of ``sources``, with
    its cache key."""
    n, lane = at
    scenarios = p.req.matrix.scenarios
    gid = p.ids[(n, code, fmt)] = len(p.ids)
    # A lane's requests with one pr_fmt, whatever code: made once (a third of planning a filled cache)
    reqs = p.lane_reqs.get((n, fmt)) or p.lane_reqs.setdefault((n, fmt), tuple(
        RunRequest(lane.entry, scenarios[q].leaf, scenarios[q].script.answers, fmt,
                   regs_in=scenarios[q].script.inputs, cpu=scenarios[q].script.cpu,
                   context=scenarios[q].script.context, features=scenarios[q].script.features)
        for q in lane.positions))
    p.jobs.setdefault(sources, []).append((gid, reqs))
    if p.req.cache is not None:
        if n not in p.lane_text:  # its digest: each group of the lane hashed its 15 KB text again
            p.lane_text[n] = hashlib.blake2b(_lane_description(reqs, p.scripts).encode(), digest_size=32).hexdigest()
        # The step budget is in the key: where it cuts a group short is part of the outcomes (the same on any host).
        p.cache_keys.setdefault(sources, []).append(p.req.cache.key(f"{code}\0{fmt}\0{p.lane_text[n]}"
                                                                    f"\0steps {p.req.step_budget}"))
    return gid


def run_matrix(req: MatrixRequest, progress: Progress | None = None) -> MatrixResult:
    """Run every variant through every scenario of the matrix (each distinct piece of code once)."""
    check_keys(req.matrix, (variant_sources(v) for v in req.variants))  # a key no state defines: InputError
    lanes = _lanes(req.matrix)
    building = _Building()
    planned = _plan(req, lanes, building)
    cache = req.cache
    pairs = [(job, job if cache is None else _from_cache(cache, job, building)) for job in planned]
    todo = [(full, job) for full, job in pairs if job is not None]
    total = sum(job.size for _, job in todo)
    jobs_n = min(workers_for(req.jobs), len(todo))  # held to the cores, and to the jobs there are
    facts = _execute(todo, cache, jobs_n if total >= PARALLEL_MIN_RUNS and len(todo) > 1 else 1, building,
                     progress)
    if cache is not None and todo:  # entries were written: the cache is held to its size (a hit writes none)
        cache.trim()
    groups, numbers = numbered(building.groups)  # equal outcomes that ran: one object, one number
    sizes = [len(lane.positions) for lane in lanes]
    provided = sum(sizes[n] for row in building.assign.values() for n, g in enumerate(row)
                   if g >= 0 and g not in building.broken)
    assign = {k: tuple(v) for k, v in building.assign.items()}
    # A state's other name (base: Variant.aliases) reads its outcomes too: one state, run once.
    assign.update({a: assign[v.name] for v in req.variants for a in v.aliases if a not in assign})
    return MatrixResult(req.variants, req.matrix, lanes, total, provided - total - building.cached,
                        building.cached, groups, assign, dict(building.load_errors),
                        building.replayed, facts, dict(building.coverage), cache, _group_keys(planned, building),
                        req.time_budget, req.step_budget, numbers)


def _group_keys(planned: list[_Job], building: _Building) -> dict[int, str]:
    """MatrixResult.keys: the error of each group that does not run, and each group's outcome-cache key; none where
    the code did not load (its outcomes are that error) or a run was cut short by time (not kept: an entry is
    another run's)."""
    keys = {gid: f"error\0{outs[0].error_kind}\0{outs[0].error}" for gid, outs in building.broken.items() if outs}
    failed = {g for name in building.load_errors for g in building.assign[name]}
    for job in planned:  # no keys without a cache
        keys.update((gid, key) for (gid, _), key in zip(job.runs, job.keys, strict=False) if gid not in failed
                    and not any(Limit.TIME in o.limits for o in building.groups[gid]))
    return keys


def _execute(todo: list[tuple[_Job, _Job]], cache: OutcomeCache | None, workers: int, building: _Building,
             progress: Progress | None) -> dict[tuple[Source, ...], CodeFacts | str]:
    """Run the jobs (in ``workers`` processes when over 1) into ``building``; the code facts workers read.

    Each worker takes one run of consecutive jobs (harness.workers): neighbouring jobs are neighbouring states
    of a revision, which share most of their definitions, and a process expands and parses a definition once
    (models.cpp, models.cload); dealt one job at a time, both workers would parse nearly everything (measured
    on the corpus: 0.51 s for the matrix against 0.48 s).
    """
    if workers > 1:
        import models.mirror  # noqa: F401  # loaded once here, so that forked workers share it

        # Whoever runs a job (this process takes the first share) reads the facts the rules need while it has the
        # code: the rules then load no C (the children's is not loaded here).
        todo = [(full, replace(job, facts=True)) for full, job in todo]
    total, done, facts = sum(job.size for _, job in todo), 0, {}
    work = [job for _, job in todo]
    seen: dict[frozenset[str], frozenset[str]] = {}
    canon: dict[Outcome, Outcome] = {}  # _work's, shared by the jobs each process runs
    with contextlib.closing(in_order(partial(_work, cache=cache, canon=canon), work, [j.size for j in work],
                                     workers, _load)) as results:
        for (full, job), (outs, err, replayed, known, covered) in zip(todo, results, strict=True):
            building.replayed += replayed
            building.coverage.update((gid, _shared_runs(c, seen)) for gid, c in covered.items())
            if known is not None:
                facts[job.sources] = known
            if err is None:
                for gid, _ in job.runs:
                    building.groups[gid] = outs[gid]
            else:
                _fail(building, full, {gid for gid, _ in job.runs}, err)
            done += job.size
            if progress is not None:
                progress(done, total)
    return facts


def _load(job: _Job) -> None:
    """A job a worker ran, its code loaded here while this process waits for the worker (harness.workers.in_order's
    ``idle``): the value runs of the comparisons ask for it next, and the rules' child, forked after, finds it
    loaded; both loaded it again, beside the worker that had (each about a job's load: the corpus' 8 to 9 jobs of
    the child's share were 9 loads in the comparisons and 7 in the rules' child)."""
    from models.mirror import cached_mirror

    with contextlib.suppress(MirrorError):
        cached_mirror(job.sources, job.entries)


def _shared_runs(coverage: Coverage, seen: dict[frozenset[str], frozenset[str]]) -> Coverage:
    """``coverage`` with each run's statements the object ``seen`` holds for that set: a job shares equal sets
    (_work), but jobs, and a worker's results unpickled here, each made their own (the corpus: 3,250 copies, 3 MB,
    kept until the report is written)."""
    runs = tuple([seen.setdefault(r, r) for r in coverage.runs])
    return coverage if all(map(operator.is_, runs, coverage.runs)) else replace(coverage, runs=runs)


def _fail(result: _Building, job: _Job, ran: set[int], err: str) -> None:
    """A load error fails every group of the job, cached ones included, as an uncached run would."""
    gids = {gid for gid, _ in job.runs}
    for gid, reqs in job.runs:
        if gid not in ran:
            result.cached -= len(reqs)
        result.groups[gid] = [Outcome(OutcomeStatus.ERROR, error=err, error_kind=ErrorKind.UNSUPPORTED)] * len(reqs)
    for name, row in result.assign.items():
        if any(g in gids for g in row):
            result.load_errors.setdefault(name, err)
