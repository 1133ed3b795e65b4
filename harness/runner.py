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
from models.mirror import Outcome, RunRequest, cached_mirror
from models.prelude import PR_FMT

Progress = Callable[[int, int], None]
_PR_FMT = re.compile(r'^\s*#\s*define\s+pr_fmt\s*\(\s*(\w+)\s*\)\s*"((?:\\.|[^"\\])*)"\s*\1\s*$')
# Below this many runs, forking workers costs more than it saves on two cores (measured: nox -s bench).
PARALLEL_MIN_RUNS = 20000


@dataclass(frozen=True)
class MatrixRequest:
    """Variants and the matrix to run them through; ``helpers`` limits the C files looked at."""

    variants: tuple[Variant, ...]
    matrix: Matrix
    helpers: tuple[str, ...] = ()
    jobs: int = 0


NOT_PROVIDED = Outcome("not-provided")


@dataclass
class MatrixResult:
    """Outcomes of every variant, by scenario position, and how much work identical code saved."""

    variants: tuple[Variant, ...]
    matrix: Matrix
    table: dict[str, list[Outcome]]
    load_errors: dict[str, str]
    helpers: tuple[str, ...] = ()
    executed: int = 0
    reused: int = 0
    entry_keys: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def outcome(self, variant: str, scenario: str) -> Outcome:
        return self.table[variant][self.matrix.position(scenario)]


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
class _Group:
    """One entry point's code with one pr_fmt: it runs once over that entry's scenarios."""

    entry: str
    code: str
    pr_fmt: str


@dataclass(frozen=True)
class _Job:
    """Runs for one set of sources (loaded once): scenario positions and their requests, per group."""

    sources: tuple[Source, ...]
    entries: tuple[EntryPoint, ...]
    runs: tuple[tuple[_Group, tuple[tuple[int, RunRequest], ...]], ...]

    @property
    def size(self) -> int:
        return sum(len(r) for _, r in self.runs)


def _work(job: _Job) -> tuple[dict[_Group, dict[int, Outcome]], str | None]:
    try:
        mirror = cached_mirror(job.sources, job.entries)
    except MirrorError as exc:
        return {}, str(exc)
    return {g: {i: mirror.run(req) for i, req in reqs} for g, reqs in job.runs}, None


def _plan(req: MatrixRequest, result: MatrixResult) -> tuple[list[_Job], dict[str, list[_Group | None]]]:
    """One job per sources with groups no earlier job has; each variant's group per scenario position."""
    entries = tuple(EntryPoint(e.name, e.args) for e in req.matrix.entries)
    by_entry: dict[str, list[tuple[int, Scenario]]] = {}
    for i, s in enumerate(req.matrix.scenarios):
        by_entry.setdefault(s.entry.name, []).append((i, s))
    layout: dict[str, list[_Group | None]] = {}
    planned: set[_Group] = set()
    jobs: dict[tuple[Source, ...], list[tuple[_Group, tuple[tuple[int, RunRequest], ...]]]] = {}
    for v in req.variants:
        sources = variant_sources(v, req.helpers)
        keys = entry_keys(sources, entries)
        result.entry_keys[v.name] = keys
        fmts = {u.name: pr_fmt_of(v, u.path) for u in req.matrix.units}
        row: list[_Group | None] = [None] * len(req.matrix.scenarios)
        for name, scenarios in by_entry.items():
            code = keys.get(name)
            if code is None:
                continue
            for fmt in sorted({fmts[s.unit.name] for _, s in scenarios}):
                group = _Group(name, code, fmt)
                mine = [(i, s) for i, s in scenarios if fmts[s.unit.name] == fmt]
                for i, _ in mine:
                    row[i] = group
                if group not in planned:
                    planned.add(group)
                    reqs = tuple((i, RunRequest(s.entry.name, s.leaf, s.script.answers, fmt)) for i, s in mine)
                    jobs.setdefault(sources, []).append((group, reqs))
        layout[v.name] = row
    return [_Job(src, entries, tuple(runs)) for src, runs in jobs.items()], layout


def run_matrix(req: MatrixRequest, progress: Progress | None = None) -> MatrixResult:
    """Run every variant through every scenario of the matrix."""
    result = MatrixResult(req.variants, req.matrix, {}, {}, req.helpers)
    jobs, layout = _plan(req, result)
    total = sum(j.size for j in jobs)
    done: dict[_Group, dict[int, Outcome]] = {}
    errors: dict[_Group, str] = {}
    jobs_n = req.jobs or (os.cpu_count() or 1)
    if total >= PARALLEL_MIN_RUNS and jobs_n > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=jobs_n) as pool:
            for job, (outs, err) in zip(jobs, pool.map(_work, jobs), strict=True):
                _collect(job, outs, err, done, errors, progress, total)
    else:
        for job in jobs:
            outs, err = _work(job)
            _collect(job, outs, err, done, errors, progress, total)
    for v in req.variants:
        row: list[Outcome] = []
        for i, group in enumerate(layout[v.name]):
            if group is None:
                row.append(NOT_PROVIDED)
            elif group in done:
                row.append(done[group][i])
            else:
                reason = errors.get(group, "not run")
                row.append(Outcome("error", error=reason))
                result.load_errors.setdefault(v.name, reason)
        result.table[v.name] = row
    result.executed = total
    result.reused = sum(g is not None for row in layout.values() for g in row) - total
    return result


def _collect(job: _Job, outs: dict[_Group, dict[int, Outcome]], err: str | None,
             done: dict[_Group, dict[int, Outcome]], errors: dict[_Group, str], progress: Progress | None,
             total: int) -> None:
    if err is not None:
        errors.update({g: err for g, _ in job.runs})
    done.update(outs)
    if progress is not None:
        progress(sum(len(x) for x in done.values()) + sum(len(r) for g, r in job.runs if g in errors), total)
