"""--help says where a default comes from as the commands find it: rules, the compiler, fetch's --out."""

from __future__ import annotations

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
    # "write patchwork/b4 JSON here" read as patchwork's own check format; the file is seamharness-gate/1, whose
    # rules each carry a patchwork and a b4 entry (reports/gate_report.py, docs/rules.md).
    said = _help("gate", monkeypatch)
    assert "write the gate's JSON here (seamharness-gate/1: each rule's verdict, with a patchwork check" in said, said


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
