"""Jobs over worker processes: each worker takes one run of consecutive jobs; results come back in job order. Jobs
may also be shared between a forked child, from the start, and the caller, once its own work is done (shared_jobs)."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Generator
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")

# The work of the in_order under way, for workers forked from it to inherit rather than receive pickled (at
# 20 revisions x 30 patches x 10,000 scenarios, 4 MB of run requests: 0.25 s to pickle in the parent and 0.2 s
# to read in each worker before it starts). Set only while a pool of forked workers runs.
_INHERITED: list[tuple[Callable[[Any], Any], list[Any]]] = []


def workers_for(jobs: int) -> int:
    """The worker processes ``--jobs N`` asks for (0: one per core), held to the cores: the work is CPU-bound,
    and more workers than cores only add processes (thousands for a stray --jobs 100000)."""
    cores = os.cpu_count() or 1
    return min(jobs or cores, cores)


def share_bounds(sizes: list[int], workers: int) -> list[tuple[int, int]]:
    """[start, end) of at most ``workers`` runs of consecutive items, each about ``sum(sizes) / workers``."""
    total, bounds, acc = sum(sizes), [0], 0
    for n, size in enumerate(sizes[:-1], start=1):
        acc += size
        if acc * workers >= total * len(bounds):
            bounds.append(n)
    bounds.append(len(sizes))
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _share(fn: Callable[[J], R], work: list[J]) -> list[R]:
    return [fn(job) for job in work]


def _inherited_share(a: int, b: int) -> list[Any]:
    fn, work = _INHERITED[0]
    return _share(fn, work[a:b])


def in_order(fn: Callable[[J], R], work: list[J], sizes: list[int], workers: int) -> Generator[R, None, None]:
    """``fn`` of each job of ``work``, in order: in this process when ``workers`` <= 1, else in that many
    processes, each given one run of consecutive jobs of about equal total ``sizes`` (share_bounds).

    Forked workers inherit ``fn`` and ``work``; under another start method both are pickled, so ``fn`` must
    be a module-level function (or a partial of one). Workers die with this process (``_die_with_parent``).
    The pool is shut down once the results are read; when the generator is closed early, or a worker fails,
    what is queued is dropped and running workers are not awaited. Raises what ``fn`` raised in a worker.
    """
    if workers <= 1:
        yield from map(fn, work)
        return
    import multiprocessing  # with the pool: only when it is used
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context()
    forked = context.get_start_method() == "fork"
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(os.getpid(),))
    finished = False
    try:
        if forked:
            _INHERITED[:] = [(fn, work)]
        futures = [pool.submit(_inherited_share, a, b) if forked else pool.submit(_share, fn, work[a:b])
                   for a, b in share_bounds(sizes, workers)]
        for f in futures:
            yield from f.result()
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)
        _INHERITED.clear()


_INDEX = 4  # bytes of a job number in the jobs pipe
_PIPE_JOBS = 16384  # job numbers a pipe holds before a write blocks (Linux: 64 KiB), all written before the fork


def shared_jobs(count: int, fn: Callable[[int], R], workers: int) -> Callable[[], list[R]]:
    """``fn(0)`` .. ``fn(count - 1)``, taken in turn by a forked child from now on and by this process once the
    returned function is called (after the caller's own work, which may end before the child's): two processes
    share the jobs whichever finishes first. The function gives the results in job order and raises what ``fn``
    raised for the first job, in job order, that failed, as a loop in this process would: a job the child did not
    finish (it raised, was killed, or its results do not pickle) is done here. With ``workers`` <= 1, no fork, or
    more jobs than a pipe holds, every job is done here when the function is called.

    The job numbers are written to a pipe before the fork; each process reads one at a time (a pipe's read of
    _INDEX bytes is taken whole under its lock), so no job is taken twice. ``fn`` must not write to stdout or
    stderr: the child leaves with os._exit, never flushing what this process buffered."""
    if workers <= 1 or not hasattr(os, "fork") or count < 2 or count > _PIPE_JOBS:
        return lambda: [fn(n) for n in range(count)]
    jobs_read, jobs_write = os.pipe()
    with os.fdopen(jobs_write, "wb") as jobs:
        jobs.write(b"".join(n.to_bytes(_INDEX, "little") for n in range(count)))
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the jobs it took, up to one that raised; out without the parent's exit handlers
        code = 1
        try:
            os.close(read_end)
            _die_with_parent(parent)
            import pickle

            done = _take(jobs_read, fn, stop_on_error=True)[0]
            data = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
            _keep_patterns()
        finally:
            os._exit(code)
    os.close(write_end)

    def results() -> list[R]:
        done, failed = _take(jobs_read, fn, stop_on_error=False)
        os.close(jobs_read)
        done.update(_child_results(read_end, pid))
        out = []
        for n in range(count):  # the first failure in job order is raised; what nobody finished is done here
            if n in failed:
                raise failed[n]
            out.append(done[n] if n in done else fn(n))
        return out
    return results


def _take(fd: int, fn: Callable[[int], R], stop_on_error: bool) -> tuple[dict[int, R], dict[int, Exception]]:
    """The jobs this process takes from the jobs pipe until it is empty: their results, and what failed raised."""
    done: dict[int, R] = {}
    failed: dict[int, Exception] = {}
    while len(got := os.read(fd, _INDEX)) == _INDEX:
        n = int.from_bytes(got, "little")
        try:
            done[n] = fn(n)
        except Exception as exc:  # raised by results() in job order, or the job done again there (the child)
            if stop_on_error:
                break
            failed[n] = exc
    return done, failed


def _child_results(fd: int, pid: int) -> dict[int, Any]:
    """What the child of shared_jobs finished, or nothing when it gave nothing readable."""
    import pickle

    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        with contextlib.suppress(Exception):
            got = pickle.loads(data)
            if isinstance(got, dict):
                return got
    return {}


def _keep_patterns() -> None:
    """The code of the patterns the child compiled (harness.recache), kept as the parent keeps its own at exit: the
    rules' patterns are compiled in the child alone, and were compiled again by every run."""
    recache = sys.modules.get("harness.recache")
    if recache is not None:
        recache.save()


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the parent process ends, however it ends (a CI runner's SIGTERM or
    SIGKILL to the command alone), so that no worker outlives it holding its output open (Linux
    prctl(PR_SET_PDEATHSIG); elsewhere nothing)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    # ^C or SIGTERM to the process group is the parent's to answer (one line, its exit status): a worker forked
    # with the parent's handlers raised it in its idle wait and printed multiprocessing's traceback.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)
