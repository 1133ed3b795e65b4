"""run_matrix: every variant x scenario through the mirror, each distinct piece of code run once."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from harness.matrix import Matrix, Scenario
from harness.variants import Variant
from models.errors import MirrorError
from models.loader import EntryPoint, Source, entry_keys
from models.mirror import Outcome, RunRequest, load_mirror
from models.prelude import PR_FMT

Progress = Callable[[int, int], None]
_PR_FMT = re.compile(r'^\s*#\s*define\s+pr_fmt\s*\(\s*(\w+)\s*\)\s*"((?:\\.|[^"\\])*)"\s*\1\s*$')
PARALLEL_MIN_RUNS = 1500


@dataclass(frozen=True)
class MatrixRequest:
    """Variants and the matrix to run them through; ``helpers`` limits the C files looked at."""

    variants: tuple[Variant, ...]
    matrix: Matrix
    helpers: tuple[str, ...] = ()
    jobs: int = 0


@dataclass
class MatrixResult:
    """Outcomes by (variant name, scenario id), and how much work the cache saved."""

    variants: tuple[Variant, ...]
    matrix: Matrix
    outcomes: dict[tuple[str, str], Outcome]
    load_errors: dict[str, str]
    helpers: tuple[str, ...] = ()
    executed: int = 0
    reused: int = 0
    entry_keys: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def outcome(self, variant: str, scenario: str) -> Outcome:
        return self.outcomes[(variant, scenario)]


def variant_sources(v: Variant, helpers: tuple[str, ...]) -> tuple[Source, ...]:
    """The C files of a variant the mirror reads, in the manifest's helper order."""
    files = [f for f in v.files if f.path.endswith((".c", ".h")) and f.usable]
    if helpers:
        order = {p: i for i, p in enumerate(helpers)}
        files = sorted((f for f in files if f.path in order), key=lambda f: order[f.path])
    return tuple(Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete) for f in files)


def pr_fmt_of(v: Variant, path: str) -> str:
    """The pr_fmt prefix a translation unit defines in this variant, else the kernel's known one."""
    f = v.file(path)
    if f is not None:
        for frag in f.fragments():
            for line in frag.lines:
                if (m := _PR_FMT.match(line)) is not None:
                    return m.group(2).encode().decode("unicode_escape")
    return PR_FMT.get(path, "")


@dataclass(frozen=True)
class _Job:
    sources: tuple[Source, ...]
    entries: tuple[EntryPoint, ...]
    runs: tuple[tuple[str, RunRequest], ...]


def _work(job: _Job) -> tuple[dict[str, Outcome], str | None]:
    try:
        mirror = load_mirror(job.sources, job.entries)
    except MirrorError as exc:
        return {}, str(exc)
    return {key: mirror.run(req) for key, req in job.runs}, None


def _request(s: Scenario, pr_fmt: str) -> RunRequest:
    return RunRequest(s.entry.name, s.leaf, s.script.answers, pr_fmt)


def _plan(req: MatrixRequest, result: MatrixResult) -> tuple[list[_Job], dict[tuple[str, str], str]]:
    """One job per distinct code; the run key of every (variant, scenario)."""
    entries = tuple(EntryPoint(e.name, e.args) for e in req.matrix.entries)
    run_key: dict[tuple[str, str], str] = {}
    jobs: dict[tuple[Source, ...], dict[str, RunRequest]] = {}
    for v in req.variants:
        sources = variant_sources(v, req.helpers)
        keys = entry_keys(sources, entries)
        result.entry_keys[v.name] = keys
        fmts = {u.name: pr_fmt_of(v, u.path) for u in req.matrix.units}
        for s in req.matrix.scenarios:
            code = keys.get(s.entry.name)
            if code is None:
                result.outcomes[(v.name, s.id)] = Outcome("not-provided")
                continue
            key = f"{code}/{s.id}/{fmts[s.unit.name]}"
            run_key[(v.name, s.id)] = key
            jobs.setdefault(sources, {}).setdefault(key, _request(s, fmts[s.unit.name]))
    # A run already planned for an earlier source set is not run again for this one.
    seen: set[str] = set()
    out = []
    for sources, runs in jobs.items():
        fresh = tuple((k, r) for k, r in runs.items() if k not in seen)
        seen.update(k for k, _ in fresh)
        if fresh:
            out.append(_Job(sources, entries, fresh))
    return out, run_key


def run_matrix(req: MatrixRequest, progress: Progress | None = None) -> MatrixResult:
    """Run every variant through every scenario of the matrix."""
    result = MatrixResult(req.variants, req.matrix, {}, {}, req.helpers)
    jobs, run_key = _plan(req, result)
    total = sum(len(j.runs) for j in jobs)
    done: dict[str, Outcome] = {}
    errors: dict[str, str] = {}
    jobs_n = req.jobs or (os.cpu_count() or 1)
    if total >= PARALLEL_MIN_RUNS and jobs_n > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=jobs_n) as pool:
            for job, (outs, err) in zip(jobs, pool.map(_work, jobs), strict=True):
                _collect(job, outs, err, done, errors, progress, total)
    else:
        for job in jobs:
            outs, err = _work(job)
            _collect(job, outs, err, done, errors, progress, total)
    for (variant, sid), key in run_key.items():
        if key in done:
            result.outcomes[(variant, sid)] = done[key]
        else:
            reason = errors.get(key, "not run")
            result.outcomes[(variant, sid)] = Outcome("error", error=reason)
            result.load_errors.setdefault(variant, reason)
    result.executed = total
    result.reused = len(run_key) - total
    return result


def _collect(job: _Job, outs: dict[str, Outcome], err: str | None, done: dict[str, Outcome],
             errors: dict[str, str], progress: Progress | None, total: int) -> None:
    if err is not None:
        errors.update({k: err for k, _ in job.runs})
    done.update(outs)
    if progress is not None:
        progress(len(done) + len(errors), total)
