"""The comparisons' value runs handed to the rules' child (harness.valueshare).

The comparisons' value runs handed to the rules' child forked beside them (harness.valueshare): what the writer
publishes the child reads, whole records only, for the matrix result it was shared for; end to end, every value run
compare makes is in the child's memo (harness.valuecover._made) without the child making it."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from harness import valuecover, valueshare
from harness.compare import CompareRequest, compare_outcomes
from harness.pipeline import EvalRequest, build_variants, read_inputs, run_variants, with_matrix
from tests.harness import seriesgen as gen
from tests.harness.test_value_cover_runs import OTHER, _header, _series
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the rules' child is forked")


def _in_child(work: Callable[[], object]) -> object:
    """``work()`` in a forked child, its result pickled back."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(work()))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as got:
        data = got.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def _taken(owner: object) -> dict[str, int]:
    """What a reader takes for ``owner``, from nothing."""
    seen: dict[str, int] = {}
    valueshare.take(owner, seen)
    return seen


class _Owner:
    """A stand-in for the matrix result the runs are shared for (compared by identity)."""


@pytest.fixture(autouse=True)
def _stopped() -> object:
    yield
    valueshare.stop_sharing()


def test_the_child_reads_what_the_writer_published_after_the_fork() -> None:
    owner = _Owner()
    valueshare.share_runs(owner)
    ready_read, ready_write = os.pipe()

    def child() -> dict[str, int]:
        os.read(ready_read, 1)  # the parent has published
        seen: dict[str, int] = {"mine": 0}
        valueshare.take(owner, seen)
        valueshare.take(_Owner(), seen)  # another result's runs: none
        valueshare.take(owner, seen)  # read once
        return seen

    pid_result: list[object] = []
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(child()))
        finally:
            os._exit(0)
    os.close(write_end)
    valueshare.publish(owner, [("a", 1), ("mine", 9)])
    valueshare.publish(owner, [])
    valueshare.publish(owner, [("b", 2)])
    os.write(ready_write, b"x")
    with os.fdopen(read_end, "rb") as got:
        pid_result.append(pickle.loads(got.read()))
    os.waitpid(pid, 0)
    # Its own kept first: a run it made is not replaced.
    assert pid_result == [{"mine": 0, "a": 1, "b": 2}]


def test_the_writer_reads_nothing_and_nothing_is_shared_once_stopped() -> None:
    owner = _Owner()
    valueshare.share_runs(owner)
    valueshare.publish(owner, [("a", 1)])
    mine: dict[str, int] = {}
    valueshare.take(owner, mine)
    assert mine == {}
    valueshare.stop_sharing()
    valueshare.publish(owner, [("b", 2)])  # no file: nothing raised
    assert _in_child(partial(_taken, owner)) == {}


def test_a_record_being_written_is_not_read() -> None:
    # The header counts a record only once it is whole: a reader between the two writes reads nothing of it.
    owner = _Owner()
    valueshare.share_runs(owner)
    share = valueshare._SHARE[0]
    data = pickle.dumps([("a", 1)])
    os.pwrite(share.file.fileno(), valueshare._LENGTH.pack(len(data)) + data, valueshare._HEADER.size)
    assert _in_child(partial(_taken, owner)) == {}


@pytest.mark.parametrize("other", [False, True], ids=["same-result", "another-result-of-the-matrix"])
def test_every_value_run_compare_makes_is_in_the_memo_of_a_child_forked_before(tmp_path: Path, other: bool) -> None:
    # A comparison that makes value runs (test_value_cover_runs' second change beside a condition on the leaf), made
    # after the child is forked, as eval's rules' child is forked before the comparisons. The child may judge on
    # another result of the same matrix (eval's with the states aside, harness.dropless): it reads them too (before:
    # shared by result, that child read none and made them again).
    mbox = write_mbox(tmp_path / "v2.mbox", _series(_header(gen.RETRY_SAFE), _header(gen.RETRY_BY_LEAF.replace(
        "err != busy", f"(err != busy && err != {OTHER:#x}ULL)"))))
    req = EvalRequest((mbox,), variants=("v2:01", "v2:02"), jobs=1, time_budget=0)
    series = read_inputs(req)
    variants, matrix = with_matrix(req, series, build_variants(req, series, req.variants), req.variants)
    result = run_variants(req, variants, variants.variants, matrix)
    valueshare.share_runs(result.matrix)
    compared_read, compared_write = os.pipe()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.read(compared_read, 1)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(list(valuecover._made(replace(result) if other else result))))
        finally:
            os._exit(0)
    os.close(write_end)
    compare_outcomes(CompareRequest(result, series))
    os.write(compared_write, b"x")
    with os.fdopen(read_end, "rb") as got:
        seen = pickle.loads(got.read())
    os.waitpid(pid, 0)
    made = valuecover._made(result)
    assert made
    assert len(seen) == len(made) and set(seen) == set(made)  # by value: a set's repr is in its insertion order
