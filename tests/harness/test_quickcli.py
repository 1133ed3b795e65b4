"""The command lines harness.quickcli runs without typer end as harness.cli ends them.

The command lines harness.quickcli runs without typer end as harness.cli ends them: the same stdout, stderr,
status and reports; any other one is harness.cli's."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import cli
from harness.budgets import TIME_BUDGET
from harness.quickcli import DEFAULTS, parse

_TYPER = ("typer", "typer.main", "typer.core", "typer._click")


def _run(args: list[str], cache: Path, quick: bool = True) -> tuple[str, str, int, set[str]]:
    """stdout, stderr, status and the modules loaded of the console script; through harness.cli alone when not
    ``quick`` (its parse and ending, the same command)."""
    code = ("import sys, os\nimport harness.quickcli as q\n"
            + ("" if quick else "q.parse = lambda args: None\n")
            + "real, me = os._exit, os.getpid()\n"  # the command's own process says its modules, not a child it forks
            "def _exit(code):\n    sys.stdout.flush()\n    if os.getpid() == me:\n"
            "        print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
            "    sys.stderr.flush()\n    real(code)\nos._exit = _exit\n"
            "sys.argv = ['seamharness', *sys.argv[1:]]\nfrom harness.launch import console\nconsole()\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}
    env.pop("SEAMHARNESS_TRACEBACK", None)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    err, _, modules = done.stderr.rstrip("\n").rpartition("\n")
    return done.stdout, err, done.returncode, set(modules.split())


def _series(paths: list[str], json_out: bool = False) -> tuple[str, dict[str, object]]:
    return "series", {**DEFAULTS["series"], "paths": paths, "json_out": json_out}


@pytest.mark.parametrize(("args", "read"), [
    (["series", "a"], _series(["a"])),
    (["series", "a", "--json", "b"], _series(["a", "b"], True)),
    (["series", "--json", "a"], _series(["a"], True)),
    (["eval", "a", "--json", "r.json", "--html", "r.html", "--jobs", "1", "--time-budget", "0"],
     ("eval", {**DEFAULTS["eval"], "paths": ["a"], "json_file": Path("r.json"), "html": Path("r.html"), "jobs": 1,
               "time_budget": 0.0})),
    (["series"], None),  # no input: harness.cli says which is missing
    (["series", "--json"], None),
    (["series", "a", "--json", "--json"], None),
    (["series", "a", "--offline"], None),  # any other option: harness.cli's parse
    (["series", "a", "--js"], None),
    (["series", "a", "-"], None),
    (["series", "--", "a"], None),
    (["series", "a", ""], None),
    (["series", "--help"], None),
    (["eval", "a", "--html"], None),  # no value
    (["eval", "a", "--html", ""], None),
    (["eval", "a", "--html", "-"], None),  # stdout: harness.cli's
    (["eval", "a", "--html", "dir/"], None),  # refused: harness.cli says so
    (["eval", "a", "--html=r.html"], None),
    (["eval", "a", "--html", "x", "--html", "y"], None),
    (["eval", "a", "--jobs", "-1"], None),
    (["eval", "a", "--jobs", "1.5"], None),
    (["eval", "a", "--time-budget", "1e3"], None),
    (["eval", "a", "-j", "2"], None),
    (["eval", "a", "--variant", "v3"], None),
    (["gate", "a"], None),
    (["--version"], None),
])
def test_only_the_command_lines_it_knows_are_read_here(args: list[str], read: object) -> None:
    assert parse(args) == read


def test_the_defaults_are_harness_clis() -> None:
    for name, func in (("series", cli.series), ("eval", cli.eval_cmd)):
        declared = {k: p.default for k, p in inspect.signature(inspect.unwrap(func)).parameters.items()
                    if k != "paths"}
        assert DEFAULTS[name] == declared
    assert DEFAULTS["eval"]["time_budget"] is TIME_BUDGET


def test_a_traceback_asked_for_is_left_to_harness_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEAMHARNESS_TRACEBACK", "1")
    assert parse(["series", "a"]) is None


@pytest.mark.parametrize("args", [["series", "{corpus}"], ["series", "{corpus}", "--json"],
                                  ["series", "{corpus}/missing"], ["series", "/dev/null"],
                                  ["eval", "{corpus}/missing", "--json", "{out}/r.json"]])
def test_it_says_and_ends_as_harness_cli_does_without_typer(args: list[str], corpus: Path, tmp_path: Path) -> None:
    outs = []
    for quick in (True, False):
        where = tmp_path / str(quick)
        where.mkdir()
        out, err, status, modules = _run([a.format(corpus=corpus, out=where) for a in args], where / "cache", quick)
        assert (not modules.intersection(_TYPER) and "harness.cli" not in modules) if quick else "typer" in modules
        outs.append((out.replace(str(where), "OUT"), err.replace(str(where), "OUT"), status))
    assert outs[0] == outs[1] and (outs[0][0] or outs[0][1])


def test_an_eval_writes_the_reports_harness_cli_writes(corpus: Path, tmp_path: Path) -> None:
    written = []
    for quick in (True, False):
        where = tmp_path / str(quick)
        where.mkdir()
        args = ["eval", str(corpus / "v3"), "--html", str(where / "r.html"), "--json", str(where / "r.json"),
                "--jobs", "1", "--time-budget", "0"]
        out, err, status, modules = _run(args, where / "cache", quick)
        assert ("typer" in modules) is not quick and status == 0
        json_text = (where / "r.json").read_text(encoding="utf-8")
        said = (out + err).replace(str(where), "OUT")
        written.append((said, json_text.split('"stats"')[0], (where / "r.html").stat().st_size > 0))
    assert written[0] == written[1]


def test_any_other_command_line_loads_harness_cli(corpus: Path, tmp_path: Path) -> None:
    _out, err, status, modules = _run(["series", str(corpus), "--bogus"], tmp_path)
    assert "typer" in modules and status == 2 and "no such option: --bogus" in err
