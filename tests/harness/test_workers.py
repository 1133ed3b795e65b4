"""harness.workers: shares of consecutive jobs, results in order, pools shut down however the work ends."""

from __future__ import annotations

import os
from functools import partial

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


@pytest.mark.parametrize("n", [1, 2])
def test_results_come_in_job_order(n: int) -> None:
    got = list(in_order(_square_and_pid, list(range(9)), [1] * 9, n))
    assert [v for v, _ in got] == [x * x for x in range(9)]
    pids = {p for _, p in got}
    assert (pids == {os.getpid()}) if n == 1 else os.getpid() not in pids  # a worker may take both shares
    assert workers._INHERITED == []


def test_a_failing_job_raises_and_nothing_is_held() -> None:
    with pytest.raises(ValueError, match="job 5"):
        list(in_order(partial(_fails_on, 5), list(range(8)), [1] * 8, 2))
    assert workers._INHERITED == []


def test_closing_early_drops_the_rest() -> None:
    gen = in_order(_square_and_pid, list(range(8)), [1] * 8, 2)
    assert next(gen)[0] == 0
    gen.close()  # the reader stopped (interrupted, or its own error): the pool is shut down, not awaited
    assert workers._INHERITED == []


def _handlers(x: int) -> tuple[object, object]:
    import signal

    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_workers_leave_a_signal_to_the_group_to_their_parent() -> None:
    # ^C to the process group: a worker forked with the parent's handlers raised KeyboardInterrupt in its idle
    # wait and printed multiprocessing's 20-line traceback; the parent answers (one line) and they die with it.
    import signal

    got = {h for h, _ in in_order(_handlers, list(range(4)), [1] * 4, 2)} | {h for _, h in
                                                                           in_order(_handlers, [0, 1], [1, 1], 2)}
    assert got == {signal.SIG_IGN}


def test_a_background_job_runs_in_a_child_and_its_result_comes_back() -> None:
    parent = os.getpid()
    result = workers.in_background(lambda: (os.getpid(), [1, "two", {3: 4.0}]), 2)()
    assert result[0] != parent and result[1] == [1, "two", {3: 4.0}]


def test_one_worker_runs_the_job_here() -> None:
    parent = os.getpid()
    assert workers.in_background(os.getpid, 1)() == parent


def test_a_background_job_that_raises_raises_here() -> None:
    """The child gives no result; the job runs again in this process, which raises what it raises."""
    calls: list[int] = []

    def fails() -> int:
        calls.append(os.getpid())
        raise ValueError("bad rules file")

    wait = workers.in_background(fails, 2)
    with pytest.raises(ValueError, match="bad rules file"):
        wait()
    assert calls == [os.getpid()]  # the child's call was in the child


def test_a_result_that_does_not_pickle_is_made_here() -> None:
    parent = os.getpid()
    result = workers.in_background(lambda: (os.getpid(), lambda: None), 2)()
    assert result[0] == parent


def test_workers_are_held_to_the_cores() -> None:
    cores = os.cpu_count() or 1
    assert workers.workers_for(0) == cores and workers.workers_for(100_000) == cores
    assert workers.workers_for(1) == 1
