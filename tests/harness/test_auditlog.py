"""harness.auditlog: what a recorded run reads, and what makes it unfit to keep.

harness.auditlog: what a recorded run reads is what it opened and listed; spawning, the network, a child's reading
and a search cut short by time make it unfit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness import auditlog, rebudget


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("a\n")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "c.txt").write_text("c\n")
    return tmp_path


def test_reads_listings_and_the_folder_of_each_file_read_are_noted(files: Path) -> None:
    rec = auditlog.start([str(files / "cache")])
    try:
        (files / "in" / "a.txt").read_text()
        os.listdir(files)
        (files / "cache" / "c.txt").read_text()  # a cache: no input
        (files / "out.txt").write_text("o\n")  # written: no input
        (files / "out.txt").read_text()
    finally:
        auditlog.stop(rec)
    assert rec.files == {str(files / "in" / "a.txt")}
    assert rec.folders == {str(files / "in"), str(files)}
    assert str(files / "out.txt") in rec.written and not rec.unfit
    (files / "in" / "a.txt").read_text()  # recorded no more
    assert len(rec.files) == 1


def test_a_run_that_starts_a_program_is_unfit(files: Path) -> None:
    rec = auditlog.start()
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    finally:
        auditlog.stop(rec)
    assert any("subprocess.Popen" in why for why in rec.unfit), rec.unfit


def test_reading_under_an_unfit_folder_makes_the_run_unfit(files: Path) -> None:
    rec = auditlog.start(unfit_under=[str(files / "cache")])
    try:
        (files / "cache" / "c.txt").read_text()
    finally:
        auditlog.stop(rec)
    assert rec.unfit and not rec.files


def _forked(then: str) -> auditlog.Recording:
    rec = auditlog.start()
    try:
        pid = os.fork()
        if pid == 0:
            try:
                exec(then)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    finally:
        auditlog.stop(rec)
    return rec


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_that_reads_makes_the_run_unfit(files: Path) -> None:
    path = files / "in" / "a.txt"
    rec = _forked(f"open({str(path)!r}).read()")
    assert not rec.files  # the parent did not read it: its child did
    assert any(why.startswith("forked child") and "a.txt" in why for why in rec.unfit), rec.unfit
    quiet = _forked("x = 1 + 1")
    assert not quiet.unfit
    assert not os.path.exists(rec.marks) and not os.path.exists(quiet.marks)


def test_a_search_that_ran_out_of_time_makes_the_run_unfit() -> None:
    rec = auditlog.start()
    try:
        found = rebudget.search_within(re.compile(r"(a+)+$"), ["a" * 40 + "!"], 0.05)
    finally:
        auditlog.stop(rec)
    assert found is None and any("seamharness.unsure" in why for why in rec.unfit), rec.unfit


def test_nothing_is_noted_while_no_recording_is_on(files: Path) -> None:
    rec = auditlog.start()
    auditlog.stop(rec)
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    (files / "in" / "a.txt").read_text()
    assert not rec.files and not rec.unfit


def test_once_unfit_the_run_notes_nothing_more(files: Path) -> None:
    rec = auditlog.start()
    try:
        sys.audit("seamharness.unsure", "a test's")
        (files / "in" / "a.txt").read_text()
    finally:
        auditlog.stop(rec)
    assert rec.unfit and not rec.files


def test_code_the_outcome_cache_does_not_hold_makes_the_run_unfit_before_it_runs(tmp_path: Path) -> None:
    from harness.outcome_cache import OutcomeCache
    from harness.runner import _Building, _from_cache, _Job

    job = _Job((), (), ((0, ()),), ("0" * 64,))
    rec = auditlog.start()
    try:
        left = _from_cache(OutcomeCache(tmp_path), job, _Building())
    finally:
        auditlog.stop(rec)
    assert left is not None and any("code to run" in why for why in rec.unfit), rec.unfit
