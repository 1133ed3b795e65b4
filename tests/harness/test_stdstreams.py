"""Standard streams closed when seamharness starts (``>&-``, ``2>&-``, ``<&-``): one line, exit 2, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

ROOT = Path(__file__).resolve().parents[2]
RULES = '[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\nkind = "moves"\n'


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add the helper", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(RULES)
    return [str(box), "--matrix", str(tmp_path / "m.toml")]


def _run(args: list[str], redirect: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """seamharness ``args`` started by a shell with ``redirect`` (``>&-``: stdout closed), stderr read."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / "cache")}
    line = " ".join([sys.executable, "-m", "harness", *(f"'{a}'" for a in args), redirect])
    if ">&-" in redirect and "2>" not in redirect:
        line += " 2>err.txt"
    return subprocess.run(["sh", "-c", line], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def _said(cwd: Path, proc: subprocess.CompletedProcess[str]) -> str:
    return (cwd / "err.txt").read_text() if (cwd / "err.txt").exists() else proc.stderr


@pytest.mark.parametrize("extra", [[], ["--junit", "-"], ["--json", "-"]])
def test_a_ready_gate_with_stdout_closed_is_no_success(inputs: list[str], tmp_path: Path, extra: list[str]) -> None:
    # Python leaves sys.stdout None: the first print was an AttributeError, said as a bug of seamharness, then
    # leave()'s flush raised another, a traceback and exit 1. A READY gate whose report nobody can read must not
    # pass, nor fail as a verdict: the report was lost, as with > /dev/full.
    r = tmp_path / "r.toml"
    proc = _run(["gate", *inputs, "--rules", str(r), "--variant", "v1", *extra], ">&-", tmp_path)
    said = _said(tmp_path, proc)
    assert proc.returncode == 2, said
    label = extra[0] + " -" if extra else "stdout"  # a report to stdout is named by its option
    assert f"seamharness: {label}: cannot write: bad file descriptor" in said
    assert "Traceback" not in said and "internal error" not in said


def test_series_with_stdout_closed(inputs: list[str], tmp_path: Path) -> None:
    proc = _run(["series", inputs[0]], ">&-", tmp_path)
    said = _said(tmp_path, proc)
    assert proc.returncode == 2 and said.strip() == "seamharness: stdout: cannot write: bad file descriptor", said


def test_a_report_file_is_not_written_on_a_closed_stdout(inputs: list[str], tmp_path: Path) -> None:
    # With descriptor 1 free, the next file opened took it: whatever then wrote to "stdout" wrote into that file.
    proc = _run(["eval", *inputs, "--json", "r.json", "--no-cache"], ">&-", tmp_path)
    assert proc.returncode == 2, _said(tmp_path, proc)
    assert json.loads((tmp_path / "r.json").read_text())["schema"]


def test_bad_input_with_stderr_closed_is_still_exit_2(tmp_path: Path) -> None:
    # said() wrote the line to sys.stderr, None: an AttributeError, a traceback nobody saw, exit 1 (a gate's
    # "NOT READY" status for a bad input).
    proc = _run(["series", str(tmp_path / "nosuch.mbox")], "2>&-", tmp_path)
    assert proc.returncode == 2


def test_standard_input_closed_reads_as_empty(tmp_path: Path) -> None:
    proc = _run(["series", "-"], "<&-", tmp_path)
    assert proc.returncode == 2 and "seamharness: -: empty file, no message" in proc.stderr, proc.stderr
