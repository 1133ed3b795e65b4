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
