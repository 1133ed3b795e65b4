"""A command line's outcome-cache entries (harness.heldwrites): held until its verdicts are in, then written after."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import heldwrites, launch
from harness.heldwrites import defer_writes, finish_writes, start_writes
from harness.outcome_cache import OutcomeCache
from models.outcome import Outcome, OutcomeStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process as a command line's own, its entries held; a fresh state of what is held afterwards."""
    monkeypatch.setattr(launch, "command_line", True)
    monkeypatch.setattr(heldwrites, "_later", heldwrites._Later())
    defer_writes()
    yield
    finish_writes()


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_held_entries_are_read_before_they_are_written(tmp_path: Path, held: None) -> None:
    cache = OutcomeCache(tmp_path)
    outcomes = [Outcome(OutcomeStatus.OK, ret=0), Outcome(OutcomeStatus.OK, ret=1)]
    cache.put("a" * 64, outcomes)
    cache.put_data("b" * 64, {"facts": [1, 2]})
    assert cache.trim(limit=None) == 0
    assert _files(tmp_path) == []  # nothing written yet, not even a folder's listing taken by trim
    assert cache.get("a" * 64, 2) == outcomes
    assert cache.get_data("b" * 64) == {"facts": [1, 2]}
    fresh = OutcomeCache(tmp_path)  # another reader of this process: a worker's, the comparisons'
    assert fresh.entry_digest("a" * 64) == cache.digests["a" * 64]
    finish_writes()
    assert len(_files(tmp_path)) == 2
    heldwrites._later.entries.clear()  # read from the files now
    assert OutcomeCache(tmp_path).get("a" * 64, 2) == outcomes
    assert OutcomeCache(tmp_path).get_data("b" * 64) == {"facts": [1, 2]}


def test_an_entry_put_once_writing_started_is_written_at_once(tmp_path: Path, held: None) -> None:
    cache = OutcomeCache(tmp_path)
    cache.put_data("c" * 64, 1)
    start_writes()
    cache.put_data("d" * 64, 2)
    assert any(p.name == f"{'d' * 64}.json" for p in _files(tmp_path))
    finish_writes()
    assert len(_files(tmp_path)) == 2


def test_a_forked_worker_writes_its_entries_at_once_and_reads_the_held_ones(tmp_path: Path, held: None) -> None:
    OutcomeCache(tmp_path).put_data("e" * 64, "held")
    pid = os.fork()
    if pid == 0:  # the matrix's worker, the rules' child
        try:
            cache = OutcomeCache(tmp_path)
            cache.put_data("f" * 64, "worker's")
            ok = cache.get_data("e" * 64) == "held"
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [p.name for p in _files(tmp_path)] == [f"{'f' * 64}.json"]
    finish_writes()
    assert len(_files(tmp_path)) == 2


def test_a_library_callers_entries_are_written_when_put(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "command_line", False)
    monkeypatch.setattr(heldwrites, "_later", heldwrites._Later())
    defer_writes()
    OutcomeCache(tmp_path).put_data("a" * 64, 1)
    assert len(_files(tmp_path)) == 1


def test_a_command_line_leaves_its_entries_written(tmp_path: Path) -> None:
    """The console script holds them, and writes them before it exits: the next run reads them."""
    code = ("import sys; from harness import launch, heldwrites as hw, outcome_cache as oc; "
            "launch.command_line = True; hw.defer_writes(); "
            "oc.OutcomeCache(__import__('pathlib').Path(sys.argv[1])).put_data('a' * 64, 7); "
            "assert not list(__import__('pathlib').Path(sys.argv[1]).rglob('*.json')); "
            "from harness.process import leave; leave(0)")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, cwd=ROOT)
    assert OutcomeCache(tmp_path).get_data("a" * 64) == 7


def test_a_second_command_in_one_process_reads_what_the_first_held(tmp_path: Path, held: None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # main() called twice in one process (the run cache's tests do): the first command's writer child was never
    # waited for (process.leave is not called), so the second could read the cache before the entry was in it.
    written = heldwrites._write_held

    def slow() -> None:  # the writer child, slowed down: it forks with this in place
        import time

        time.sleep(0.5)
        written()

    monkeypatch.setattr(heldwrites, "_write_held", slow)
    OutcomeCache(tmp_path).put_data("a" * 64, 1)
    start_writes()  # the first command's verdicts are in: its child writes
    defer_writes()  # the second command starts
    assert [p.name for p in _files(tmp_path)] == [f"{'a' * 64}.json"]


def test_an_entry_made_later_is_made_by_the_writer_once_the_verdicts_are_in(tmp_path: Path, held: None) -> None:
    # eval's comparisons are kept this way: making an entry and checking it reads back as the comparison took some
    # 190 M instructions of the comparing process' path; the writer does it beside the report.
    made: list[int] = []
    cache = OutcomeCache(tmp_path)
    cache.put_data_later("a" * 64, lambda: made.append(os.getpid()) or {"facts": [1]})
    cache.put_data_later("b" * 64, lambda: None)  # not to be kept
    cache.put_data_later("c" * 64, lambda: 1 // 0)  # a maker that fails: only not kept
    cache.put_data("d" * 64, 4)
    assert cache.get_data("a" * 64) is None and not made  # a miss until then, never a guess
    finish_writes()
    assert not made  # made in the writer child
    assert [p.name for p in _files(tmp_path)] == [f"{'a' * 64}.json", f"{'d' * 64}.json"]
    heldwrites._later.entries.clear()
    assert OutcomeCache(tmp_path).get_data("a" * 64) == {"facts": [1]}


def test_a_library_callers_entry_made_later_is_made_and_written_at_once(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "command_line", False)
    monkeypatch.setattr(heldwrites, "_later", heldwrites._Later())
    defer_writes()
    cache = OutcomeCache(tmp_path)
    cache.put_data_later("a" * 64, lambda: 1)
    cache.put_data_later("b" * 64, lambda: None)
    assert [p.name for p in _files(tmp_path)] == [f"{'a' * 64}.json"] and cache.get_data("a" * 64) == 1


def test_the_writer_takes_the_held_entries_and_a_read_after_waits_for_their_files(
        tmp_path: Path, held: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # This process writes the report next, its peak: the entries (the corpus: 1.1 MB) are the writer's only.
    written = heldwrites._write_held

    def slow() -> None:
        import time

        time.sleep(0.3)
        written()

    monkeypatch.setattr(heldwrites, "_write_held", slow)
    cache = OutcomeCache(tmp_path)
    outcomes = [Outcome(OutcomeStatus.OK, ret=0)]
    cache.put("a" * 64, outcomes)
    cache.put_data_later("b" * 64, lambda: {"made": 1})
    start_writes()
    assert heldwrites._later.entries == {} and heldwrites._later.makers == [] and heldwrites._later.writer
    assert OutcomeCache(tmp_path).get("a" * 64, 1) == outcomes  # not a miss: read once the writer is done
    assert not heldwrites._later.writer and OutcomeCache(tmp_path).get_data("b" * 64) == {"made": 1}


def test_an_eval_reads_no_entry_once_its_writer_has_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A read then would wait for the writer (entry_text): eval's process reads every entry before start_writes.
    import harness.outcome_cache
    from tests.harness.test_comparecache import _eval, _series

    monkeypatch.setattr(launch, "command_line", True)
    monkeypatch.setattr(heldwrites, "_later", heldwrites._Later())
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    reads: list[bool] = []  # whether writing had started, at each read
    real = harness.outcome_cache.entry_text
    monkeypatch.setattr(harness.outcome_cache, "entry_text",
                        lambda path: reads.append(heldwrites._later.started) or real(path))
    tree, mail = _series(tmp_path)
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    finish_writes()
    assert reads and not any(reads) and _files(tmp_path / "cache")
    reads.clear()
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first  # its entries read back, before start_writes
    finish_writes()
    assert reads and not any(reads)
