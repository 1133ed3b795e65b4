"""The cross-check's children are bounded without a preexec_fn (vfork, not fork).

The cross-check's children are bounded (memory, core files; CPU and descriptors for the run's child) without a
preexec_fn, whose presence makes Python fork() the whole calling process rather than vfork() it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from models.ctype import VOID
from models.native import rawtu
from models.native import run as run_module

ROOT = Path(__file__).resolve().parents[3]


def _limits(text: str) -> dict[str, str]:
    """/proc/self/limits as {name: soft limit}."""
    rows = {}
    for line in text.splitlines()[1:]:
        name, soft = line[:26].strip(), line[26:47].strip()
        rows[name] = soft
    return rows


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/self/limits")
def test_gcc_runs_bounded_in_a_session_of_its_own() -> None:
    proc = rawtu._run(["cat", "/proc/self/limits"])
    assert proc.returncode == 0, proc.stderr
    limits = _limits(proc.stdout)
    assert limits["Max address space"] == str(rawtu.GCC_MEMORY)
    assert limits["Max core file size"] == "0"
    # The command is the process the shell became (exec): its own session, no terminal, stdin empty.
    code = "import os, sys; print(os.getsid(0) == os.getpid(), repr(sys.stdin.read()))"
    assert rawtu._run([sys.executable, "-S", "-c", code]).stdout == "True ''\n"


def test_what_gcc_says_and_its_status_come_back_as_it_gave_them() -> None:
    proc = rawtu._run(["sh", "-c", "echo 'x.c:1:1: error: no' >&2; echo out; exit 3"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "out\n", "x.c:1:1: error: no\n")
    # An argument the shell would otherwise read is handed over as it is.
    assert rawtu._run(["printf", "%s|", "a b", "$HOME", "*", ""]).stdout == "a b|$HOME|*||"


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/self/limits")
def test_the_run_child_bounds_itself_before_it_reads_its_request() -> None:
    code = "from models.native.child import limits; limits(); print(open('/proc/self/limits').read())"
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    limits = _limits(out)
    assert (limits["Max core file size"], limits["Max address space"], limits["Max cpu time"],
            limits["Max open files"]) == ("0", str(2 << 30), "60", "64")
    source = (ROOT / "models" / "native" / "child.py").read_text()
    assert "def main() -> int:\n    limits()\n    request = json.loads(sys.stdin.read())" in source


def test_no_child_is_started_with_a_preexec_fn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: list[dict[str, Any]] = []
    real = subprocess.Popen

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Watched)
    rawtu._run(["true"])
    run_module.run_native(tmp_path / "none.so", [])  # no run: no child
    run_module.run_native(tmp_path / "none.so", [run_module.NativeRun("k", "w", 0, (), "", VOID)])
    assert len(started) == 2 and all(kw.get("preexec_fn") is None for kw in started), started
