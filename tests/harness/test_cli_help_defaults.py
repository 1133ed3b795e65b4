"""--help says where a default comes from as the commands find it: rules, the compiler, fetch's --out."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app

runner = CliRunner()


def _help(command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "200")
    r = runner.invoke(app, [command, "--help"])
    assert r.exit_code == 0, r.output
    return " ".join(r.stdout.split())


@pytest.mark.parametrize("command", ["eval", "gate"])
def test_rules_default_names_the_manifest_and_the_bundled_series(command: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # It said "(default: the series')": a user's own series has none unless its rules.toml is beside --manifest
    # (harness.judge), and gate then stops with exit 2.
    said = _help(command, monkeypatch)
    assert "the rules.toml beside --manifest" in said and "bundled series'" in said, said


def test_eval_cc_names_the_compilers_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    # crosscheck's --cc named them, eval's not; both pick one the same way (models.native.run).
    said = _help("eval", monkeypatch)
    assert "C compiler for --crosscheck (default: cc, gcc or clang)" in said, said


def test_fetch_says_the_cache_gets_the_thread_with_out_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # "into the cache (or --out)" read as either one; --out is a copy of what the cache holds (harness.lore._deliver).
    said = _help("fetch", monkeypatch)
    assert "into the cache (and copy it to --out)" in said, said


def test_gate_json_names_its_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    # "write patchwork/b4 JSON here" read as patchwork's own check format; the file is seamharness-gate/2, whose
    # rules each carry a patchwork and a b4 entry (reports/gate_report.py, docs/rules.md).
    said = _help("gate", monkeypatch)
    assert "write the gate's JSON here (seamharness-gate/2: each rule's verdict, with a patchwork check" in said, said


@pytest.mark.parametrize("command", ["eval", "gate", "crosscheck"])
def test_matrix_default_is_chosen_by_the_code(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # "(default: the series')" said the manifest's series picks it; the code does (harness.pipeline: the bundled
    # matrix whose [match] the patches' C meets), and a series of one's own gets it too when its code matches.
    said = _help(command, monkeypatch)
    assert "scenario matrix TOML (default: the bundled one whose [match] the patches' code meets)" in said, said


@pytest.mark.parametrize("command", ["series", "eval", "gate", "apply", "crosscheck", "fetch", "cache"])
def test_cache_dir_says_which_cache(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # "--cache-dir DIR where fetched threads are kept" beside "--no-cache ... the outcome cache" and 'seamharness
    # cache' (the outcome cache's command) read as the outcome cache's folder.
    said = _help(command, monkeypatch)
    assert ("--cache-dir DIR where threads fetched from lore are kept (default: $XDG_CACHE_HOME/seamharness/lore; "
            "not the outcome cache)") in said, said


def _options() -> list[tuple[str, Any]]:
    """(command, option) for every option of every command but --help."""
    from typer.main import get_command

    group = get_command(app)
    return [(name, p) for name, cmd in group.commands.items() for p in cmd.params  # type: ignore[attr-defined]
            if getattr(p, "param_type_name", "") == "option" and p.name != "help"]


def test_every_option_that_takes_a_value_says_its_default() -> None:
    # --tree, --manifest, --html, --json, --junit, --against and --matrix-add said what they do and not what happens
    # without them; --lore's '[default: https://lore.kernel.org]' was cut across two lines at 80 columns.
    silent = [f"{name} {p.opts[0]}" for name, p in _options() if not p.is_flag and not p.required
              and "default" not in (p.help or "") and "required" not in (p.help or "")
              and not (p.show_default and p.default is not None)]
    assert silent == [], silent
    # One way of saying it: --time-budget, crosscheck's --timeout and --source alone wrote click's '[default: 5.0]'
    # after the help, the others '(default ...)' in it.
    bracketed = [f"{name} {p.opts[0]}" for name, p in _options()
                 if not p.is_flag and not p.required and p.show_default and p.default is not None]
    assert bracketed == [], bracketed


@pytest.mark.parametrize("command", ["eval", "gate", "crosscheck"])
def test_jobs_has_the_short_name_make_and_xdist_users_type(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 'seamharness eval x -j 2' was "no such option: -j", and --help gave no hint of what the count is.
    said = _help(command, monkeypatch)
    assert "-j, --jobs N worker processes that run the scenarios, 0 or more (default 0: one per core" in said, said
    r = runner.invoke(app, [command, "no-such.mbox", "-j", "-1"])
    assert r.exit_code == 2 and "value for '--jobs': -1 is below the minimum 0" in r.stderr, r.output


@pytest.mark.parametrize("command", ["series", "fetch", "apply", "eval", "gate", "crosscheck", "printk", "cache"])
def test_help_at_80_columns_breaks_lines_at_spaces_only(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # gate's exit status read 'a lore thread past --cache-' / 'max-age that ...': the option cut at its hyphen.
    monkeypatch.setenv("COLUMNS", "80")
    lines = runner.invoke(app, [command, "--help"]).stdout.splitlines()
    assert all(len(ln) <= 80 for ln in lines), [ln for ln in lines if len(ln) > 80]
    cut = [(a, b) for a, b in itertools.pairwise(lines) if re.search(r"\w-$", a) and b.strip()[:1].isalpha()]
    assert cut == [], cut
