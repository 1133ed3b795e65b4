"""harness.workers: shares of consecutive jobs, results in order, pools shut down however the work ends."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from harness import workers
from harness.workers import in_order, share_bounds


@pytest.mark.parametrize(("sizes", "n", "want"), [
    ([5, 5, 5, 5], 2, [(0, 2), (2, 4)]),
    ([100, 1, 1, 1], 2, [(0, 1), (1, 4)]),
    ([1, 1, 1, 100], 2, [(0, 4)]),
    ([3, 3, 3], 4, [(0, 1), (1, 2), (2, 3)]),
    ([7], 2, [(0, 1)]),
    ([], 2, []),
])
def test_shares_are_runs_of_consecutive_jobs_of_about_equal_size(sizes: list[int], n: int,
                                                                 want: list[tuple[int, int]]) -> None:
    # Neighbouring jobs share definitions a process parses once: each worker takes one run of them.
    assert share_bounds(sizes, n) == want


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _fails_on(bad: int, x: int) -> int:
    if x == bad:
        raise ValueError(f"job {x}")
    return x


@pytest.mark.parametrize("n", [1, 2, 3])
def test_results_come_in_job_order(n: int) -> None:
    got = list(in_order(_square_and_pid, list(range(9)), [1] * 9, n))
    assert [v for v, _ in got] == [x * x for x in range(9)]
    if n == 2:  # where two meet depends on their speed (test_two_workers_meet_where_the_slower_one_got_to)
        pids = [p for _, p in got]
        assert pids[0] == os.getpid() and pids == sorted(pids, key=lambda p: p != os.getpid())
        return
    # This process takes the first share and a forked child each other one: no process only waits.
    by_share = [{p for _, p in got[a:b]} for a, b in share_bounds([1] * 9, n)]
    assert by_share[0] == {os.getpid()}
    assert all(len(pids) == 1 and os.getpid() not in pids for pids in by_share[1:])
    assert len(set().union(*by_share)) == n


def test_this_process_keeps_the_first_job_when_the_child_runs_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that runs the forked child before this process (a loaded CI machine) must not leave this process
    only waiting: its first job is taken before the fork. Here the parent sleeps right after forking, long enough
    for the child to have taken every job it could."""
    fork = os.fork

    def late_parent() -> int:
        pid = fork()
        if pid:
            time.sleep(0.5)
        return pid

    monkeypatch.setattr(os, "fork", late_parent)
    got = list(in_order(_square_and_pid, list(range(9)), [1] * 9, 2))
    assert [v for v, _ in got] == [x * x for x in range(9)]
    assert got[0][1] == os.getpid() and got[-1][1] != os.getpid()


def _slow_here(parent: int, pause: float, x: int) -> tuple[int, int]:
    """Job ``x`` and the process that did it, this process (the parent) taking ``pause`` seconds over each."""
    if os.getpid() == parent:
        time.sleep(pause)
    return x, os.getpid()


def test_two_workers_meet_where_the_slower_one_got_to() -> None:
    """Two workers take jobs from either end, not halves fixed by ``sizes``: where this process is slower (its jobs
    cost more, or the host gives it less of a core) the child takes more than its half, and no job twice."""
    parent = os.getpid()
    got = list(in_order(partial(_slow_here, parent, 0.3), list(range(10)), [1] * 10, 2))
    assert [x for x, _ in got] == list(range(10))
    here = [x for x, pid in got if pid == parent]
    assert here == list(range(len(here))) and 1 <= len(here) <= 4  # a run from the front; the child took the rest


def _slow_in_child(parent: int, x: int) -> tuple[int, int]:
    """Job ``x`` and the process that did it, the child taking half a second over each, this process 0.05 s."""
    time.sleep(0.05 if os.getpid() == parent else 0.5)
    return x, os.getpid()


def test_while_this_process_waits_for_the_child_it_is_given_the_childs_jobs() -> None:
    """Out of jobs, this process waits for the child's last ones: ``idle`` is called on the jobs the child took (the
    runner loads their code, which the comparisons and the rules ask for next), never on its own, and not once the
    child is done."""
    parent, idle = os.getpid(), []
    got = list(in_order(partial(_slow_in_child, parent), list(range(6)), [1] * 6, 2, idle.append))
    assert [x for x, _ in got] == list(range(6))
    childs = [x for x, pid in got if pid != parent]
    assert childs and idle and set(idle) <= set(childs)
    idle.clear()
    assert list(in_order(_square_and_pid, [1, 2], [1, 1], 1, idle.append)) == [(1, parent), (4, parent)]
    assert not idle  # one worker: nothing to wait for


def _first_taken_by_child(taken: Path, parent: int, x: int, mine: int) -> bool:
    """Whether job ``x`` is the child's job ``mine``; ``taken`` marks that the child took it (before it fails there),
    and this process waits for that mark at its first job: the child, from the back, reaches it first. (A pause of
    0.1 s a job here made it likely, over 1.5 s in all.)"""
    if os.getpid() != parent:
        if x == mine:
            taken.touch()
        return x == mine
    if x == 0:
        _until(taken.exists)
    return False


def _fails_in_child(taken: Path, parent: int, x: int) -> int:
    if _first_taken_by_child(taken, parent, x, 6):
        raise ValueError(f"job {x} in a child")
    return x


def _dies_in_child(taken: Path, parent: int, x: int) -> int:
    if _first_taken_by_child(taken, parent, x, 3):  # the child's first job: taken before this process took them all
        os._exit(3)
    return x


def _unpicklable_in_child(taken: Path, parent: int, x: int) -> object:
    if _first_taken_by_child(taken, parent, x, 5):
        raise _Unpicklable(lambda: None)
    return x


class _Unpicklable(Exception):
    def __reduce__(self) -> object:
        raise TypeError("not this one")


def test_what_a_child_raised_is_raised_here_after_the_shares_before_it(tmp_path: Path) -> None:
    parent = os.getpid()
    gen = in_order(partial(_fails_in_child, tmp_path / "a", parent), list(range(8)), [1] * 8, 2)
    assert [next(gen) for _ in range(6)] == list(range(6))  # this process's, from the front to the child's failure
    with pytest.raises(ValueError, match="job 6 in a child"):
        next(gen)
    with pytest.raises(RuntimeError, match="ended without its results"):
        list(in_order(partial(_dies_in_child, tmp_path / "b", parent), list(range(4)), [1] * 4, 2))
    with pytest.raises(RuntimeError, match="a worker failed: _Unpicklable"):
        list(in_order(partial(_unpicklable_in_child, tmp_path / "c", parent), list(range(8)), [1] * 8, 2))


def test_a_failing_job_raises_and_nothing_is_held() -> None:
    before = set(_children())  # an xdist worker may hold children of earlier tests (clean-clone CI, b6258a8)
    for bad in (1, 5):  # in this process's share, or a child's
        with pytest.raises(ValueError, match=f"job {bad}"):
            list(in_order(partial(_fails_on, bad), list(range(8)), [1] * 8, 2))
    assert not set(_children()) - before


def test_closing_early_drops_the_rest() -> None:
    before = set(_children())
    gen = in_order(_square_and_pid, list(range(8)), [1] * 8, 2)
    assert next(gen)[0] == 0
    gen.close()  # the reader stopped (interrupted, or its own error): the children are stopped, not awaited
    assert not set(_children()) - before


def _children() -> list[int]:
    """This process's children still there (none once in_order is done, however it ended)."""
    import pathlib

    me = str(os.getpid())
    return [int(p.name) for p in pathlib.Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == me]


def _ppid(proc: object) -> str:
    try:
        return (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]  # type: ignore[operator]
    except (OSError, IndexError):
        return ""


def _handlers(parent: int, x: int) -> tuple[object, object, int]:
    import signal

    time.sleep(0.1 if os.getpid() == parent else 0)  # the child takes a job before this process has taken them all
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), os.getpid()


def test_workers_leave_a_signal_to_the_group_to_their_parent() -> None:
    # ^C to the process group: a worker forked with the parent's handlers raised KeyboardInterrupt in its idle
    # wait and printed multiprocessing's 20-line traceback; the parent answers (one line) and they die with it.
    import signal

    handlers = partial(_handlers, os.getpid())
    got = [*in_order(handlers, list(range(4)), [1] * 4, 2), *in_order(handlers, [0, 1, 2], [1, 1, 1], 3)]
    in_children = {h for i, t, pid in got if pid != os.getpid() for h in (i, t)}
    assert in_children == {signal.SIG_IGN}


def _pid_after(pause: float, parent: int, n: int) -> tuple[int, int]:
    """Job ``n``: its number and the process that did it; this process (the parent) pausing first, so that the
    child takes some."""
    if os.getpid() == parent:
        time.sleep(pause)
    return n, os.getpid()


def test_shared_jobs_come_back_in_order_and_some_ran_in_the_child() -> None:
    parent = os.getpid()
    results = workers.shared_jobs(8, partial(_pid_after, 0.2, parent), 2)()
    assert [n for n, _ in results] == list(range(8))
    assert {pid for _, pid in results} - {parent}, "the child took no job"


def _stamped(n: int) -> tuple[int, int, float]:
    time.sleep(0.01)
    return n, os.getpid(), time.monotonic()


def test_shared_jobs_named_last_are_taken_after_the_others() -> None:
    """Jobs ``last`` names (those that reuse what the caller's own work leaves in this process) are queued after the
    rest, so each process takes them only when no other is left; the results still come in job order."""
    results_of = workers.shared_jobs(6, _stamped, 2, last=frozenset({0, 2}))
    time.sleep(0.2)  # the caller's own work: the child takes jobs meanwhile
    results = results_of()
    assert [n for n, _, _ in results] == list(range(6))
    for pid in {p for _, p, _ in results}:
        taken = [n for n, _, _ in sorted((r for r in results if r[1] == pid), key=lambda r: r[2])]
        assert taken == [n for n in (1, 3, 4, 5, 0, 2) if n in taken]


def test_one_worker_does_every_shared_job_here() -> None:
    parent = os.getpid()
    assert workers.shared_jobs(3, partial(_pid_after, 0, parent), 1)() == [(0, parent), (1, parent), (2, parent)]


def _marked(folder: Path, parent: int, n: int) -> int:
    """Job ``n``, marked as taken in ``folder`` by the child."""
    if os.getpid() != parent:
        (folder / str(n)).touch()
    return n


def _held(folder: Path, go: Path, parent: int, n: int) -> int:
    """Job ``n``, marked as taken in ``folder`` by the child, which then holds it until ``go`` exists."""
    if os.getpid() != parent:
        (folder / str(n)).touch()
        _until(go.exists)
    return n


def _until(found: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not found() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_while_this_process_waits_for_the_shared_jobs_child_it_does_the_idle_steps(tmp_path: Path) -> None:
    """Steps of the caller's own work are done while it waits for the child's last job, each once, in order; one
    that raises is dropped (the caller, doing it again, meets what it raises), and the results are the jobs'."""
    parent, done = os.getpid(), list[str]()
    go = tmp_path / "go"
    results_of = workers.shared_jobs(2, partial(_held, tmp_path, go, parent), 2)
    _until(lambda: any(tmp_path.iterdir()))  # the child took a job and is in it; this process takes the other

    def fails() -> None:
        raise ValueError("dropped")
    # The last step lets the child end its job: every step before it is done while the child is busy (a pause of
    # 1 s in the child's job made that likely).
    assert results_of([partial(done.append, "a"), fails, partial(done.append, "b"), go.touch]) == [0, 1]
    assert done == ["a", "b"]


def _held_or_seen(folder: Path, go: Path, parent: int, seen: list[object], n: int) -> int:
    """_held in the child; in this process, job ``n`` noted in ``seen``."""
    if os.getpid() == parent:
        seen.append(n)
    return _held(folder, go, parent, n)


def test_the_idle_steps_come_before_the_jobs_the_child_left(tmp_path: Path) -> None:
    """This process makes its own steps first, then takes the jobs left: taken first, its steps waited on the child's
    last job (eval: the last rule judged in the child while this process, its report's parts made, waited idle)."""
    parent, seen = os.getpid(), list[object]()
    go = tmp_path / "go"
    results_of = workers.shared_jobs(3, partial(_held_or_seen, tmp_path, go, parent, seen), 2)
    _until(lambda: any(tmp_path.iterdir()))  # the child is in its first job, held until the last step
    # Before: seen == [1, 2, "step"] (both jobs left taken here, the steps after them).
    assert results_of([partial(seen.append, "step"), go.touch]) == [0, 1, 2]
    assert seen[0] == "step"


def test_no_idle_step_is_done_once_the_shared_jobs_child_is_done_or_with_no_child(tmp_path: Path) -> None:
    parent, done = os.getpid(), list[str]()
    results_of = workers.shared_jobs(2, partial(_marked, tmp_path, parent), 2)
    _until(lambda: len(list(tmp_path.iterdir())) == 2)  # the child took both jobs
    time.sleep(0.3)  # and sent its results
    assert results_of([partial(done.append, "a")]) == [0, 1]
    assert workers.shared_jobs(2, partial(_pid_after, 0, parent), 1)([partial(done.append, "b")]) == \
        [(0, parent), (1, parent)]
    assert done == []


def _fails_at(bad: set[int], n: int) -> int:
    if n in bad:
        raise ValueError(f"bad rule {n}")
    return n


@pytest.mark.parametrize("bad", [{0}, {2}, {2, 5}, {7}, {1, 2, 3, 4, 5, 6, 7}])
def test_the_first_failing_shared_job_in_job_order_raises_here(bad: set[int]) -> None:
    """Whichever process met which failure, the one raised is the first in job order, as a loop would raise."""
    with pytest.raises(ValueError, match=f"bad rule {min(bad)}$"):
        workers.shared_jobs(8, partial(_fails_at, bad), 2)()


def _unpicklable(parent: int, n: int) -> object:
    return (n, os.getpid()) if os.getpid() == parent else (n, lambda: None)


def test_shared_jobs_whose_results_do_not_pickle_are_done_here() -> None:
    parent = os.getpid()
    results = workers.shared_jobs(6, partial(_unpicklable, parent), 2)()
    assert results == [(n, parent) for n in range(6)]


def _child_dies(parent: int, n: int) -> tuple[int, int]:
    if os.getpid() != parent:
        os._exit(9)  # killed mid-way: the jobs it took are done here
    time.sleep(0.05)
    return n, parent


def test_jobs_a_dead_child_took_are_done_here() -> None:
    parent = os.getpid()
    assert workers.shared_jobs(5, partial(_child_dies, parent), 2)() == [(n, parent) for n in range(5)]


def test_workers_are_held_to_the_cores() -> None:
    cores = os.cpu_count() or 1
    assert workers.workers_for(0) == cores and workers.workers_for(100_000) == cores
    assert workers.workers_for(1) == 1
