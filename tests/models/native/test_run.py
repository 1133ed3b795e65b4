"""models.native.run: a library the dynamic loader refuses is said once, its runs not compared.

models.native.run: a library the dynamic loader refuses (a symbol nothing defines) is said once, its runs not
compared, never one failing child per scenario."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from models.ctype import INT
from models.machine import Answer
from models.native import run as run_module
from models.native.run import NativeRun, find_compiler, run_native
from models.outcome import ErrorKind

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler")

# A library whose code writes an object no file defines: dlopen() fails with 'undefined symbol: nowhere'.
UNRESOLVED = "extern unsigned long long nowhere;\nvoid wrap(unsigned long long fn, void *args) { nowhere = fn; }\n"


def test_a_library_that_does_not_load_leaves_its_runs_not_compared_saying_why(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "u.c").write_text(UNRESOLVED)
    lib = tmp_path / "u.so"
    subprocess.run([find_compiler(None), "-shared", "-fPIC", "-o", str(lib), str(tmp_path / "u.c")], check=True)
    runs = [NativeRun(f"k{i}", "wrap", i, (Answer(0),), "", INT) for i in range(40)]
    children = []  # counted, not timed: the wall clock (< 10 s) was the host's load as much as the children's count

    class Counted(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            children.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(run_module.subprocess, "Popen", Counted)
    out = run_native(lib, runs, timeout=30.0)
    assert set(out) == {r.key for r in runs}
    for o in out.values():
        # Not a native outcome to compare with the mirror's (harness.crosscheck counts it not compared): the
        # loader's reason, once per library; was 'native run exited with status 1', a new child for each run.
        assert o.error_kind is ErrorKind.UNSUPPORTED, o
        assert "does not load" in (o.error or "") and "undefined symbol: nowhere" in (o.error or ""), o
    assert len(children) == 1, len(children)  # one child, not forty


def test_a_child_that_fails_says_the_last_of_what_it_wrote(tmp_path: Path) -> None:
    # A library that loads but lacks the harness's functions (sh_records): the child's Python stops with an
    # AttributeError naming it. Before, its stderr was dropped and the run said only 'exited with status 1'.
    (tmp_path / "w.c").write_text("void wrap(unsigned long long fn, void *args) { }\n")
    lib = tmp_path / "w.so"
    subprocess.run([find_compiler(None), "-shared", "-fPIC", "-o", str(lib), str(tmp_path / "w.c")], check=True)
    out = run_native(lib, [NativeRun("k", "wrap", 1, (Answer(0),), "", INT)], timeout=30.0)
    error = out["k"].error or ""
    assert error.startswith("native run exited with status 1: "), error
    assert "sh_records" in error and len(error) < 400, error
    assert "Traceback" not in error, error  # the last lines only, not the whole trace


def test_a_runs_input_registers_go_to_the_child_in_the_structs_order() -> None:
    # The matrix script's inputs set the native struct's members as they set the mirror's (was all 0 natively:
    # crosscheck disagreed on every SEAMCALL of a script with inputs). A member the struct lacks is not passed.
    import json

    from models.native.run import _payload

    run = NativeRun("k", "wrap", 1, (Answer(0),), "", INT, layout=("rdx", "rcx"), regs_in=(("rcx", 7), ("r15", 9)))
    (row,) = json.loads(_payload(Path("lib.so"), [run]))["runs"]
    assert row["regs_in"] == [0, 7]
