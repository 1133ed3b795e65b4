"""`seamharness series INPUT... [--json]` runs without typer, and ends as harness.cli ends it (harness.quickseries)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.quickseries import series_args

_TYPER = ("typer", "typer.main", "typer.core", "typer._click")


def _run(args: list[str], cache: Path, quick: bool = True) -> tuple[str, str, int, set[str]]:
    """stdout, stderr, status and the modules loaded of ``python -m harness`` run as a console script; through
    harness.cli alone when not ``quick`` (its parse and ending, the same command)."""
    code = ("import sys, os\nimport harness.quickseries as q\n"
            + ("" if quick else "q.series_args = lambda args: None\n")
            + "real = os._exit\n"
            "def _exit(code):\n    sys.stdout.flush()\n    print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
            "    sys.stderr.flush()\n    real(code)\nos._exit = _exit\n"
            "sys.argv = ['seamharness', *sys.argv[1:]]\nfrom harness.launch import console\nconsole()\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}
    env.pop("SEAMHARNESS_TRACEBACK", None)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    err, _, modules = done.stderr.rstrip("\n").rpartition("\n")
    return done.stdout, err, done.returncode, set(modules.split())


@pytest.mark.parametrize(("args", "read"), [
    (["series", "a"], (["a"], False)),
    (["series", "a", "--json", "b"], (["a", "b"], True)),
    (["series", "--json", "a"], (["a"], True)),
    (["series"], None),  # no input: harness.cli says which is missing
    (["series", "--json"], None),
    (["series", "a", "--json", "--json"], None),
    (["series", "a", "--offline"], None),  # any other option: harness.cli's parse
    (["series", "a", "--js"], None),
    (["series", "a", "-"], None),
    (["series", "--", "a"], None),
    (["series", "a", ""], None),
    (["series", "--help"], None),
    (["eval", "a"], None),
    (["--version"], None),
])
def test_only_a_series_of_inputs_and_json_is_read_here(args: list[str], read: object) -> None:
    assert series_args(args) == read


def test_a_traceback_asked_for_is_left_to_harness_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEAMHARNESS_TRACEBACK", "1")
    assert series_args(["series", "a"]) is None


@pytest.mark.parametrize("args", [["series", "{corpus}"], ["series", "{corpus}", "--json"],
                                  ["series", "{corpus}/missing"], ["series", "/dev/null"]])
def test_series_says_and_ends_as_harness_cli_does_without_typer(args: list[str], corpus: Path,
                                                                 tmp_path: Path) -> None:
    args = [a.format(corpus=corpus) for a in args]
    out, err, status, modules = _run(args, tmp_path / "quick")
    assert not modules.intersection(_TYPER) and "harness.cli" not in modules
    out2, err2, status2, modules2 = _run(args, tmp_path / "cli", quick=False)
    assert "typer" in modules2
    assert (out, err, status) == (out2, err2, status2)
    assert out or err


def test_any_other_series_command_line_loads_harness_cli(corpus: Path, tmp_path: Path) -> None:
    _out, err, status, modules = _run(["series", str(corpus), "--bogus"], tmp_path)
    assert "typer" in modules and status == 2 and "no such option: --bogus" in err
