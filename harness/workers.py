"""Jobs over worker processes, results in job order; jobs shared with a forked child.

Each worker takes one run of consecutive jobs; jobs may also be shared between a forked child, from the start, and the
caller, once its own work is done (shared_jobs).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import struct
import sys
from collections.abc import Callable, Generator, Iterable
from typing import Any, NoReturn, Protocol, TypeVar

J = TypeVar("J")
R = TypeVar("R")
_ENDS = struct.Struct("<qq")  # _Ends: the next job from the front, and the end of those left

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


def in_order(fn: Callable[[J], R], work: list[J], sizes: list[int], workers: int,
             idle: Callable[[J], object] | None = None) -> Generator[R, None, None]:
    """``fn`` of each job of ``work``, in order: in this process when ``workers`` <= 1, else in that many
    processes, each given one run of consecutive jobs of about equal total ``sizes`` (share_bounds).

    Where a process can fork, this process takes the first share itself and forks one child per other share
    (_forked_shares): a pool's worker would cost a process more to start, and its results a pickling both ways,
    while this process only waited. With two shares, their bound is not fixed beforehand: this process takes jobs
    from the front and the child from the back until they meet (_from_both_ends), so that the one done first waits
    no longer than the job the other is on, whatever the jobs cost (equal ``sizes`` are not equal times) or however
    the host shares its cores; while this process then waits for the child, it calls ``idle`` on the jobs the child
    took, one at a time, until the child is done (what it raises is raised).
    Elsewhere a pool of workers takes every share; they get ``fn`` and ``work`` pickled, so ``fn`` must be a
    module-level function (or a partial of one). Workers die with this process (``die_with_parent``). When the
    generator is closed early, or a worker fails, the other workers are stopped and not awaited. Raises what ``fn``
    raised in a worker.
    """
    bounds = share_bounds(sizes, workers) if workers > 1 else []
    if len(bounds) <= 1:
        yield from map(fn, work)
        return
    if hasattr(os, "fork"):
        yield from _from_both_ends(fn, work, idle) if len(bounds) == 2 else _forked_shares(fn, work, bounds)
        return
    import multiprocessing  # with the pool: only when it is used
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=len(bounds), mp_context=multiprocessing.get_context(),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    finished = False
    try:
        futures = [pool.submit(_share, fn, work[a:b]) for a, b in bounds]
        for f in futures:
            yield from f.result()
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _forked_shares(fn: Callable[[J], R], work: list[J], bounds: list[tuple[int, int]]) -> Generator[R, None, None]:
    """The first share done here while a forked child does each other one and sends its results back pickled; a
    child still running when the generator stops is killed. A child inherits ``fn`` and ``work`` rather than
    receive them pickled (at 20 revisions x 30 patches x 10,000 scenarios, 4 MB of run requests: 0.25 s to pickle
    and 0.2 s to read before it starts)."""
    children: list[tuple[int, int]] = []  # (pid, the read end of its results pipe)
    parent = os.getpid()
    try:
        for a, b in bounds[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                _child_share(fn, work[a:b], parent, write_end, [read_end, *(fd for _, fd in children)])
            os.close(write_end)
            children.append((pid, read_end))
        a, b = bounds[0]
        yield from map(fn, work[a:b])
        while children:
            pid, fd = children[0]
            results = _share_results(pid, fd)
            del children[0]
            yield from results
    finally:
        for pid, fd in children:  # stopped early (closed, or a share failed): the rest is not wanted
            with contextlib.suppress(OSError):
                os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(pid, 9)  # SIGKILL
                os.waitpid(pid, 0)


@contextlib.contextmanager
def locked(fd: int) -> Generator[None, None, None]:
    """``fd``'s POSIX lock held for the block (each process's own: dropped when it dies, so a child killed while it
    held it leaves nobody waiting): how a process and the child it forks share an unlinked file's contents."""
    import fcntl

    fcntl.lockf(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.lockf(fd, fcntl.LOCK_UN)


class _Ends:
    """Two processes taking jobs ``0 .. count - 1`` from either end, one at a time, until they meet: this process
    from the front, a child forked after this is made from the back. The next job from the front and the end of
    those left are kept in an unlinked file both hold open, read and changed under its POSIX lock (each process's
    own, dropped when it dies: a child killed while it held it leaves nobody waiting on it)."""

    def __init__(self, count: int) -> None:
        import tempfile

        self.file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by _from_both_ends
        os.pwrite(self.file.fileno(), _ENDS.pack(0, count), 0)

    def take(self, front: bool) -> int | None:
        """The next job from the front (else from the back), or None when none is left."""
        fd = self.file.fileno()
        with locked(fd):
            first, end = self.bounds()
            if first >= end:
                return None
            os.pwrite(fd, _ENDS.pack(first + 1, end) if front else _ENDS.pack(first, end - 1), 0)
            return first if front else end - 1

    def bounds(self) -> tuple[int, int]:
        """[first, end) of the jobs nobody has taken."""
        first: int
        end: int
        first, end = _ENDS.unpack(os.pread(self.file.fileno(), _ENDS.size, 0))
        return first, end


def _from_both_ends(fn: Callable[[J], R], work: list[J], idle: Callable[[J], object] | None = None
                    ) -> Generator[R, None, None]:
    """``fn`` of each job in order: this process takes jobs from the front, yielding each result as it is made, and
    a forked child from the back until they meet, then sends its results back pickled (_child_share); a child still
    running when the generator stops is killed. Each works through neighbouring jobs (which share definitions a
    process parses once), and where the two meet depends on how fast each went, not on a guess of what jobs cost."""
    ends, parent = _Ends(len(work)), os.getpid()
    # This process's first job is taken before the fork: a child the host ran first could otherwise take every
    # job while this one only waited (its results then all pickled back), and which process did job 0 would
    # depend on the scheduler.
    n: int | None = ends.take(front=True)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child_share(fn, iter(lambda: ends.take(front=False), None), parent, write_end, [read_end], work=work)
    os.close(write_end)
    child: tuple[int, int] | None = (pid, read_end)
    try:
        while n is not None:
            yield fn(work[n])
            n = ends.take(front=True)
        for job in work[ends.bounds()[1]:]:
            if idle is None or _readable(read_end):  # the child is done: its results are coming
                break
            idle(job)
        results, child = _share_results(pid, read_end), None
        yield from reversed(results)  # the child took its jobs from the last one down
    finally:
        ends.file.close()
        if child is not None:  # stopped early (closed, or a job failed): the rest is not wanted
            with contextlib.suppress(OSError):
                os.close(read_end)
            with contextlib.suppress(OSError):
                os.kill(pid, 9)  # SIGKILL
                os.waitpid(pid, 0)


def _readable(fd: int) -> bool:
    import select

    return bool(select.select([fd], [], [], 0)[0])


def _child_share(fn: Callable[[J], R], jobs: Iterable[Any], parent: int, write_end: int, others: list[int],
                 work: list[J] | None = None) -> NoReturn:
    """In a child of _forked_shares or _from_both_ends: ``fn`` of each job (with ``work``, each of ``jobs`` is the
    number of one of it, taken as the loop reaches it), sent as (True, results) or (False, what was raised: the job
    after the results, in the order taken); out without the parent's exit handlers or its buffered output."""
    code = 1
    try:
        for fd in others:
            os.close(fd)
        die_with_parent(parent)
        import pickle

        try:
            done = [fn(job) for job in jobs] if work is None else [fn(work[n]) for n in jobs]
            data = pickle.dumps((True, done), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # raised in the parent, in job order
            try:
                data = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # what was raised does not pickle: said as text
                data = pickle.dumps((False, RuntimeError(f"a worker failed: {type(exc).__name__}: {exc}")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


def _share_results(pid: int, fd: int) -> list[Any]:
    """A child's results, read whole from its pipe; raises what it raised, or that it died without a word."""
    import pickle

    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"a worker process ended without its results (wait status {status})")
    ok, got = pickle.loads(data)
    if not ok:
        raise got
    return list(got)


def forks_beside(count: int, workers: int) -> bool:
    """Whether shared_jobs forks a child for ``count`` jobs with ``workers`` (else every job is done here)."""
    return workers > 1 and hasattr(os, "fork") and 2 <= count <= _PIPE_JOBS


_INDEX = 4  # bytes of a job number in the jobs pipe
_PIPE_JOBS = 16384  # job numbers a pipe holds before a write blocks (Linux: 64 KiB), all written before the fork


class Results(Protocol[R]):
    """shared_jobs' results: ``idle``, work this process does while it waits for the child (see shared_jobs)."""

    def __call__(self, idle: Iterable[Callable[[], object]] = ()) -> list[R]: ...


def shared_jobs(count: int, fn: Callable[[int], R], workers: int, last: frozenset[int] = frozenset()
                ) -> Results[R]:
    """``fn(0)`` .. ``fn(count - 1)``, taken in turn by a forked child from now on and by this process once the
    returned function is called (after the caller's own work, which may end before the child's): two processes
    share the jobs whichever finishes first. The function gives the results in job order and raises what ``fn``
    raised for the first job, in job order, that failed, as a loop in this process would: a job the child did not
    finish (it raised, was killed, or its results do not pickle) is done here. With ``workers`` <= 1, no fork, or
    more jobs than a pipe holds, every job is done here when the function is called.

    The job numbers are written to a pipe before the fork, those of ``last`` after the others (jobs that reuse what
    the caller's own work leaves in this process: taken here once it is done, unless the child is idle first); each
    process reads one at a time (a pipe's read of _INDEX bytes is taken whole under its lock), so no job is taken
    twice. ``fn`` must not write to stdout or stderr: the child leaves with os._exit, never flushing what this
    process buffered.

    The function takes ``idle``: steps of work the caller must do after the jobs anyway, done one at a time before
    this process takes the jobs the child left (until the child is done: the rest is the caller's to do), so that the
    two end together rather than this process waiting for the child's last job; what one raises is dropped (the
    caller, doing it again, meets it). None is done where no child was forked."""
    if not forks_beside(count, workers):
        def alone(idle: Iterable[Callable[[], object]] = ()) -> list[R]:
            return [fn(n) for n in range(count)]
        return alone
    jobs_read = _jobs_pipe(count, last)
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child_takes(jobs_read, fn, (read_end, write_end), parent)
    os.close(write_end)
    return _parent_results(count, fn, jobs_read, read_end, pid)


def _jobs_pipe(count: int, last: frozenset[int]) -> int:
    """The read end of a pipe holding every job number, those of ``last`` after the others (shared_jobs)."""
    jobs_read, jobs_write = os.pipe()
    order = sorted(range(count), key=lambda n: n in last)  # stable: job order within each part
    with os.fdopen(jobs_write, "wb") as jobs:
        jobs.write(b"".join(n.to_bytes(_INDEX, "little") for n in order))
    return jobs_read


def _child_takes(jobs_read: int, fn: Callable[[int], R], ends: tuple[int, int], parent: int) -> NoReturn:
    """The child of shared_jobs: the jobs it took, up to one that raised, to the results pipe (``ends``: its read
    and write end); out without the parent's exit handlers."""
    read_end, write_end = ends
    code = 1
    try:
        os.close(read_end)
        die_with_parent(parent)
        import pickle

        done = _take(jobs_read, fn, stop_on_error=True)[0]
        data = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
        keep_patterns()
    finally:
        os._exit(code)


def _parent_results(count: int, fn: Callable[[int], R], jobs_read: int, read_end: int, pid: int) -> Results[R]:
    """shared_jobs' function in this process: ``idle`` steps while the child works, the jobs left, then every result
    in job order (the child's, or done here)."""
    def results(idle: Iterable[Callable[[], object]] = ()) -> list[R]:
        # The steps first: work this process does anyway, done while the child takes jobs; the jobs then left are
        # shared (taken first, the steps waited on the child's last job, however long it was).
        for step in idle:
            if _readable(read_end):  # the child is done: its results are coming (and any job it left is here's)
                break
            with contextlib.suppress(Exception):  # a step the caller makes again, raising there if it must
                step()
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


def keep_patterns() -> None:
    """The code of the patterns the child compiled (harness.recache), kept as the parent keeps its own at exit: the
    rules' patterns are compiled in the child alone, and were compiled again by every run."""
    recache = sys.modules.get("harness.recache")
    if recache is not None:
        recache.save()


def die_with_parent(parent: int) -> None:
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
