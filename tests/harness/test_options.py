"""harness/options.py: options refused before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.options import check_fetching, check_once, did_you_mean, near_names, number_in_range

SINGLE = [("--variant",), ("--json",)]
VALUED = ["--variant", "--json", "--rules"]


@pytest.mark.parametrize("args", [
    ["in", "--variant", "v3", "--variant", "v2"],
    ["in", "--variant=v3", "--variant", "v3"],
    ["--json", "a", "in", "--json=b"],
])
def test_a_single_value_option_given_twice_is_refused(args: list[str]) -> None:
    with pytest.raises(UsageError, match="is given twice"):
        check_once(args, SINGLE, VALUED)


@pytest.mark.parametrize("args", [
    ["in", "--variant", "v3", "--json", "r.json"],
    ["in", "--rules", "--variant", "--variant", "v3"],  # the first '--variant' is --rules' value (a file so named)
    ["in", "--variant", "v3", "--", "--variant"],       # past '--' everything is an input
    ["--variant", "v3", "--rules", "a", "--rules", "b"],  # a multiple option: its own check
])
def test_options_given_once_pass(args: list[str]) -> None:
    check_once(args, SINGLE, VALUED)


def test_thread_max_age_and_outcome_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.options import outcome_folder, thread_max_age
    from harness.threadcache import DEFAULT_MAX_AGE

    assert (thread_max_age(None), thread_max_age(0), thread_max_age(5)) == (DEFAULT_MAX_AGE, 0, 5)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert outcome_folder(True) is None
    assert str(outcome_folder(False)).startswith(str(tmp_path))


@pytest.mark.parametrize("lore", ["https://lore.kernel.org", "https://lore.kernel.org/", "HTTPS://LORE.kernel.org:443"])
def test_offline_takes_the_default_server_however_spelt(lore: str) -> None:
    # The cache --offline reads is the default server's: its URL spelt out (a slash, capitals, the default port) is
    # that server; a trailing slash was refused as 'another --lore' while the bare URL was not.
    check_fetching(lore, True)
    with pytest.raises(UsageError, match="--offline never contacts --lore"):
        check_fetching("https://lore.example.org/", True)


@pytest.mark.parametrize(("value", "kind", "low", "high", "message"), [
    ("x", int, None, None, "'x' is not an int"),
    ("1.5", int, None, None, "'1.5' is not an int"),
    ("nan", float, 0, None, "'nan' is not a finite number"),
    ("inf", float, None, None, "'inf' is not a finite number"),
    ("-1", int, 0, None, "-1 is below the minimum 0"),
    ("86401", float, 1, 86400, "86401 is above the maximum 86400"),
])
def test_number_in_range_refuses_with_the_line_click_prints(value: str, kind: type, low: float | None,
                                                            high: float | None, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        number_in_range(value, kind, low, high)


def test_number_in_range_keeps_the_type_and_the_bounds_inclusive() -> None:
    assert number_in_range("0", int, 0, 4) == 0 and type(number_in_range("4", int, 0, 4)) is int
    assert number_in_range("1", float, 1, 86400) == 1.0 and type(number_in_range("1", float, 1, None)) is float


GATE = ["--variant", "--rules", "--junit", "--json", "--matrix", "--tree", "--base", "--manifest", "--jobs",
        "--time-budget", "--lore", "--offline", "--cache-dir", "--no-cache", "--cache-max-age", "--allow-inconclusive",
        "--help"]


@pytest.mark.parametrize(("word", "near"), [
    ("--jbos", ["--jobs"]), ("--jsno", ["--json"]), ("--rule", ["--rules"]), ("--varient", ["--variant"]),
    ("--time_budget", ["--time-budget"]), ("--inconclusive", ["--allow-inconclusive"]), ("--JSON", ["--json"]),
    ("--cache", ["--cache-dir", "--no-cache", "--cache-max-age"]), ("--treee", ["--tree"]),
    # unrelated names: click offered --base, --jobs for --bogus (0.6 of the whole '--name', dashes counted)
    ("--bogus", []), ("--quiet", []), ("--verbose", []), ("--force", []), ("--j", []), ("--", []),
])
def test_only_close_option_names_are_suggested(word: str, near: list[str]) -> None:
    assert near_names(word, GATE) == near


def test_command_suggestions_and_their_wording() -> None:
    commands = ["series", "fetch", "apply", "eval", "gate", "crosscheck", "printk", "prelude", "cache", "version"]
    assert [near_names(w, commands) for w in ("seris", "evil", "foo", "test")] == [["series"], ["eval"], [], []]
    assert did_you_mean(["--jobs"]) == " (did you mean --jobs?)"
    assert did_you_mean(["a", "b", "c"], quote=True) == " (did you mean 'a', 'b' or 'c'?)"
    assert did_you_mean([]) == ""


@pytest.mark.parametrize("command", ["eval", "gate", "apply"])
def test_a_tree_without_git_on_the_path_is_one_line_exit_2(tmp_path: Path, command: str) -> None:
    # GitPython's import failed ('Failed to initialize: Bad git executable'): 'internal error: ImportError ...; this is
    # a bug in seamharness', exit 3, for a machine without git.
    import os
    import subprocess
    import sys

    from tests.mailgen import demo_series, write_mbox

    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "tree").mkdir()
    extra = {"eval": [], "gate": ["--variant", "v2"], "apply": ["--variant", "v2", "--out", str(tmp_path / "o")]}
    env = {k: v for k, v in os.environ.items() if k != "GIT_PYTHON_GIT_EXECUTABLE"}
    env.update(PATH=str(tmp_path / "nothing"), PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-m", "harness", command, str(mbox), "--tree", str(tmp_path / "tree"),
                           *extra[command]], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"seamharness: --tree {tmp_path / 'tree'}: reading a git tree needs git, which is not on " \
                          "PATH (nor named by GIT_PYTHON_GIT_EXECUTABLE)\n", proc.stderr
