"""Each command's --help names its exit statuses, and the commands end with them.

Each command's --help names its exit statuses, and the commands end with the ones named (generated threads);
an empty path is bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, write_mbox
from tests.reports.test_reviewer_verdicts import _case

runner = CliRunner()
HELP = {
    "series": ("0 when every input was read", "2 on bad input", "3 on a bug in seamharness"),
    "fetch": ("0 when the thread was downloaded", "2 when it was not", "3 on a bug in seamharness"),
    "apply": ("0 when every file was written usable", "1 when one is unusable",
              "a result that is not its index line's blob; with --reject also a patch that does not apply",
              "2 on bad input (a patch that does not apply", "3 on a bug in seamharness"),
    "eval": ("0 when the reports were written, whatever the verdicts", "2 on bad input", "3 on a bug in seamharness"),
    "crosscheck": ("0 when every outcome compared agrees", "1 when one disagrees, or nothing at all was compared",
                   "2 on bad input", "3 on a bug in seamharness"),
    "printk": ("0 when it was printed", "2 on bad input (a format or argument the mirror refuses, too few arguments",
               "3 on a bug in seamharness"),
    "prelude": ("0 when it was printed", "2 when stdout is not writable", "3 on a bug in seamharness"),
    "cache": ("0 when it was shown", "2 on bad input (--cache-dir not a folder, --prune with --clear",
              "3 on a bug in seamharness"),
    "version": ("0 when it was printed", "2 when stdout is not writable", "3 on a bug in seamharness"),
}


@pytest.mark.parametrize("command", sorted(HELP))
def test_help_names_every_exit_status(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only gate's help named them: eval's said nothing (it exits 0 over NOT READY verdicts), crosscheck's nothing
    # of its 1, series' and fetch's nothing of their 2.
    monkeypatch.setenv("COLUMNS", "200")
    said = " ".join(runner.invoke(app, [command, "--help"]).stdout.split())
    for status in HELP[command]:
        assert status in said, said


def test_every_command_has_an_exit_status_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    # printk, prelude, cache and version had none; a command added later is held to it here too.
    monkeypatch.setenv("COLUMNS", "200")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert set(names) == set(HELP) | {"gate"}, names
    for name in names:
        assert "Exit status: 0 " in runner.invoke(app, [name, "--help"]).stdout, name


@pytest.mark.parametrize(("args", "said"), [(["printk", "%d"], "printk: too few arguments for %d"),
                                            (["cache", "--prune", "--clear"], "cannot be used together")])
def test_the_small_commands_exit_2_where_their_help_says(args: list[str], said: str, tmp_path: Path) -> None:
    r = runner.invoke(app, [*args, "--cache-dir", str(tmp_path)] if args[0] == "cache" else args)
    assert r.exit_code == 2 and said in r.stderr and r.stdout == "", r.output


def test_eval_exits_0_over_verdicts_that_block_and_2_past_an_input_not_read(tmp_path: Path) -> None:
    folder, matrix, rules = _case(tmp_path)
    args = ["eval", str(folder), "--matrix", str(matrix), "--rules", str(rules), "--no-cache", "--jobs", "1"]
    r = runner.invoke(app, [*args, "--json", str(tmp_path / "a.json")])
    assert r.exit_code == 0 and "NOT READY" in r.stdout, r.output
    junk = tmp_path / "junk.eml"
    junk.write_text("not mail\n")
    r = runner.invoke(app, [*args, str(junk), "--json", str(tmp_path / "b.json")])
    assert r.exit_code == 2 and f"{junk}:1: not a mail message" in r.stderr, r.output
    assert "not a mail message" in (tmp_path / "b.json").read_text()  # written of the rest, naming it
    assert json.loads((tmp_path / "b.json").read_text())["inputs"][-1] == str(junk)


def test_series_exits_2_past_an_input_not_read_and_lists_the_rest(tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "s.mbox", demo_series(total=2))
    junk = tmp_path / "junk.eml"
    junk.write_text("not mail\n")
    r = runner.invoke(app, ["series", str(box), str(junk)])
    assert r.exit_code == 2 and "demo: add helper" in r.stdout and "not a mail message" in r.stderr, r.output


@pytest.mark.skipif(not (shutil.which("gcc") or shutil.which("cc")), reason="no C compiler")
def test_crosscheck_exits_1_when_nothing_was_compared(tmp_path: Path) -> None:
    # The demo series calls demo_call(), which nothing defines: no scenario runs, so nothing is compared.
    box = write_mbox(tmp_path / "s.mbox", demo_series(total=2))
    (tmp_path / "m.toml").write_text(MATRIX)
    r = runner.invoke(app, ["crosscheck", str(box), "--matrix", str(tmp_path / "m.toml"), "--no-cache", "--jobs",
                            "1", "--variant", "v2"])
    assert r.exit_code == 1 and "nothing was compared" in r.stdout, r.output


@pytest.mark.parametrize("option", ["--tree", "--matrix", "--json", "--html", "--cache-dir", "--manifest"])
def test_an_empty_path_is_refused_not_read_as_the_working_folder(option: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Path("") is ".": --tree "$UNSET" took the working folder for the kernel tree (a git repository there was
    # read as one), --json "" said "--json .: is a directory" of a path never given.
    monkeypatch.chdir(tmp_path)
    box = write_mbox(tmp_path / "s.mbox", demo_series(total=1))
    r = runner.invoke(app, ["eval", str(box), option, ""])
    assert r.exit_code == 2 and f"Invalid value for '{option}': an empty path: give a file or folder" in r.stderr, \
        r.output


@pytest.mark.parametrize("command", ["series", "eval"])
def test_an_empty_input_is_refused_not_read_as_the_working_folder(command: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # series "" listed the series of the mail in the working folder.
    monkeypatch.chdir(tmp_path)
    write_mbox(tmp_path / "s.mbox", demo_series(total=1))
    r = runner.invoke(app, [command, ""])
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == "seamharness: an empty INPUT: give a file, folder, Message-ID or lore URL\n"
