"""The command line as a user runs it: series, apply, and bad input (exit 2, one line, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_series, write_mbox

runner = CliRunner()


def test_series_corpus_tree(corpus: Path) -> None:
    r = runner.invoke(app, ["series", str(corpus)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "v1 RFC: 3 of 20 patches" in out and "v2: 5 of 21 patches" in out and "v3: 7 of 26 patches" in out
    assert "[4-20] of 20 MISSING" in out
    assert "[00/26] Runtime TDX Module update support" in out
    assert out.count("proposal hunk") == 1 and out.count("proposal snippet") == 3
    assert "yilun-either-code" in out and "v3:06" in out


def test_series_corpus_json(corpus: Path) -> None:
    r = runner.invoke(app, ["series", str(corpus), "--json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    v3 = data["revisions"][2]
    assert v3["version"] == 3 and v3["total"] == 26 and len(v3["patches"]) == 26
    assert v3["patches"][10] == {"number": 11, "missing": True}
    p6 = v3["patches"][5]
    assert p6["files"][0]["new_blob"] == "256f71d6ca70"
    yilun = next(r for r in p6["replies"] if r["author"] == "Xu Yilun")
    assert [p["kind"] for p in yilun["proposals"]] == ["hunk"]
    assert "hansen-drop-06" in data["variants"]


def test_bad_file_listed_rest_still_read(tmp_path: Path) -> None:
    write_mbox(tmp_path / "good.mbox", demo_series())
    (tmp_path / "junk.eml").write_bytes(b"\x00\x01 not mail")
    r = runner.invoke(app, ["series", str(tmp_path)])
    assert r.exit_code == 2
    assert "v2: 3 of 3 patches" in r.stdout
    lines = [ln for ln in r.stderr.splitlines() if ln]
    assert lines == [f"seamharness: {tmp_path / 'junk.eml'}:1: binary data, not a mail message (skipped)"]


def test_the_input_not_read_leads_the_notes(tmp_path: Path) -> None:
    # Before: the notes first, the line exit status 2 rests on last of up to eight (h666 missed it below them).
    msgs = demo_series()
    msgs[0].replace_header("Subject", "[PATCH v2 0/3] *** SUBJECT HERE ***")
    write_mbox(tmp_path / "good.mbox", msgs)
    (tmp_path / "junk.eml").write_bytes(b"\x00\x01 not mail")
    r = runner.invoke(app, ["series", str(tmp_path)])
    lines = [ln for ln in r.stderr.splitlines() if ln]
    assert r.exit_code == 2 and len(lines) == 2, lines
    assert lines[0].endswith("(skipped)") and lines[1].startswith("seamharness: note: "), lines
    assert "Traceback" not in r.output


def test_apply_writes_files_and_provenance(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(tmp_path / "s.mbox"), "--variant", "v2", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / HELPER_PATH).read_text() == HELPER_V2
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["variant"] == "v2" and prov["files"][0]["complete"] is True
    # Running again replaces a previous output cleanly.
    r = runner.invoke(app, ["apply", str(tmp_path / "s.mbox"), "--variant", "v2:01", "--out", str(out)])
    assert r.exit_code == 0


def test_apply_fragments_marked(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "v300"
    r = runner.invoke(app, ["apply", str(corpus), "--variant", "v3:00", "--out", str(out)])
    assert r.exit_code == 0, r.output
    text = (out / "arch/x86/include/asm/tdx.h.fragments").read_text()
    assert text.startswith("# seamharness: fragments of arch/x86/include/asm/tdx.h")
    assert "# --- lines 97-150 from: pre-image of v3 03/26" in text
    assert not (out / "arch/x86/virt/vmx/tdx/seamcall.h").exists()


def test_apply_bad_variant_writes_nothing(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(tmp_path / "s.mbox"), "--variant", "v9", "--out", str(out)])
    assert r.exit_code == 2 and not out.exists()
    assert r.stderr.startswith("seamharness: no variant 'v9'") and len(r.stderr.splitlines()) == 1


def test_apply_refuses_foreign_directory(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    out = tmp_path / "precious"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = runner.invoke(app, ["apply", str(tmp_path / "s.mbox"), "--variant", "v2", "--out", str(out)])
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert (out / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("provenance", ["x\n", '{"tool": "other 1.0", "files": []}', None])
def test_apply_replaces_only_an_earlier_output_and_nothing_beside_it(tmp_path: Path, provenance: str | None) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    out = tmp_path / "out"
    argv = ["apply", str(tmp_path / "s.mbox"), "--variant", "v2", "--out", str(out)]
    if provenance is None:  # an earlier output, and the user's own file put beside it
        assert runner.invoke(app, argv).exit_code == 0
        assert runner.invoke(app, argv).exit_code == 0  # an earlier output alone is replaced
        assert oct(out.stat().st_mode & 0o777) != "0o700"  # the folder's mode is not mkdtemp's
    else:  # a file named provenance.json does not make a folder an earlier output
        out.mkdir()
        (out / "provenance.json").write_text(provenance)
    (out / "thesis.tex").write_text("mine")
    r = runner.invoke(app, argv)
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert (out / "thesis.tex").read_text() == "mine"


def test_missing_options_exit_2() -> None:
    r = runner.invoke(app, ["apply", "x"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_series_lists_the_variants_of_a_given_manifest(corpus: Path, tmp_path: Path) -> None:
    import shutil

    bundled = Path(__file__).resolve().parents[2] / "series" / "p-seamldr"
    shutil.copytree(bundled, tmp_path / "m")
    path = tmp_path / "m" / "manifest.toml"
    path.write_text(path.read_text().replace('name = "hansen-drop-06"', 'name = "my-drop-06"'))
    r = runner.invoke(app, ["series", str(corpus), "--json", "--manifest", str(path)])
    assert r.exit_code == 0, r.output
    assert "my-drop-06" in json.loads(r.stdout)["variants"]


def test_top_level_help_lists_every_command_in_a_whole_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    # click cuts a command's summary at the width of the terminal (80 columns when not one) with "...":
    # each command names its own short help, as git's command list does.
    monkeypatch.setenv("COLUMNS", "80")
    r = runner.invoke(app, ["--help"])
    listed = r.stdout.split("Commands:\n", 1)[1].splitlines()
    names = [c.name for c in app.registered_commands if not c.hidden]  # version: --version is listed
    assert len(listed) == len(names) and "eval" in r.stdout
    assert all(line.rstrip().endswith(".") and not line.rstrip().endswith("...") for line in listed), listed



def test_gate_help_names_every_exit_status(monkeypatch: pytest.MonkeyPatch) -> None:
    # It named 1 and 0 alone: a CI reading 2 (bad input) or 3 (a bug) had only the README to say they are no verdict.
    monkeypatch.setenv("COLUMNS", "200")
    said = " ".join(runner.invoke(app, ["gate", "--help"]).stdout.split())
    for status in ("0 when no error rule fails", "1 when one does", "2 on bad input", "3 on a bug in seamharness"):
        assert status in said, said


@pytest.mark.parametrize(("command", "usage"), [("eval", "[OPTIONS] INPUT..."), ("fetch", "[OPTIONS] MSGID"),
                                                ("printk", "[OPTIONS] FORMAT [ARG]...")])
def test_usage_lines_write_arguments_as_click_and_git_do(command: str, usage: str) -> None:
    # typer wrote a required argument in braces ('{INPUT}...'), which reads as a set of choices.
    r = runner.invoke(app, [command, "--help"])
    assert r.stdout.splitlines()[0] == f"Usage: seamharness {command} {usage}", r.stdout


def test_a_named_command_is_built_alone_and_says_what_the_whole_app_says(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.main import get_command

    from harness import cli

    one = get_command(cli._app_for(["series", "--help"]))
    assert list(one.commands) == ["series"]  # type: ignore[attr-defined]
    assert cli._app_for(["--help"]) is app and cli._app_for(["seris"]) is app and cli._app_for([]) is app
    assert cli._app_for(["--version", "series"]) is app  # only a command named first narrows the app
    said = {}
    for how in ("narrowed", "whole"):
        for line in (["series", "--help"], ["eval", "--jobs", "x", "in"], ["gate", "in"]):
            said[how, line[0], line[1]] = (cli.main(line), *capsys.readouterr())
        monkeypatch.setattr(cli, "_app_for", lambda args: app)
    whole = [k for k in said if k[0] == "whole"]
    assert [said[("narrowed", *k[1:])] for k in whole] == [said[k] for k in whole]
    assert said["whole", "eval", "--jobs"][0] == 2
    assert "Usage: seamharness series" in said["whole", "series", "--help"][1]
    assert cli.main(["seris"]) == 2
    assert "no such command 'seris' (did you mean 'series'?)" in capsys.readouterr().err


DEEP_HELPER = """\
/* our own retry helper, its condition nested deeper than the mirror follows */
#define NO_ENTROPY 0x8000020300000000ULL
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
u64 __seamcall(u64 fn, struct tdx_module_args *args);
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
static inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = 10;
	u64 ret;
	do {
		ret = func(fn, args);
	} while (%s == NO_ENTROPY && --retry);
	return ret;
}
#define seamcall(_fn, _args) sc_retry(__seamcall, (_fn), (_args))
"""


@pytest.mark.parametrize("depth", [100, 5000])
def test_eval_of_c_nested_too_deep_says_where_and_runs_the_rest(tmp_path: Path, depth: int,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main
    from tests.mailgen import diff, message, patch_body

    path = "arch/x86/virt/vmx/tdx/seamcall.h"
    text = DEEP_HELPER % ("(" * depth + "ret" + ")" * depth)
    cover = message("[PATCH v4 0/1] deep", "c@example.org", "Cover.\n")
    patch = message("[PATCH v4 1/1] x86/virt/tdx: Add sc_retry()", "p1@example.org",
                    patch_body("Add it.", diff(path, None, text)), parent="c@example.org", refs=("c@example.org",))
    box = write_mbox(tmp_path / "s.mbox", [cover, patch])
    assert main(["eval", str(box), "--json", str(tmp_path / "r.json"), "--no-cache"]) == 0
    said = capsys.readouterr()
    report = json.loads((tmp_path / "r.json").read_text())
    errors = {o.get("error") for o in report["outcomes"]}
    refused = f"{path}:13: C nested more than 200 levels deep is not modelled"
    assert any(refused in (e or "") for e in errors) is (depth > 200)
    assert "internal error" not in said.err and "Traceback" not in said.err
    if depth <= 200:
        assert {o["status"] for o in report["outcomes"]} >= {"ok"}


@pytest.mark.parametrize(("args", "said"), [
    (["apply", "x", "--out", "o"], "seamharness: missing option '--variant'\n"),  # was "Missing option '--variant'."
    (["gate", "x", "--variant"], "seamharness: option '--variant' requires an argument\n"),
    (["eval", "x", "--jobs", "two"], "seamharness: invalid value for '--jobs': 'two' is not an int\n"),
    # was "No such option: --jobs" alone
    (["--jobs", "2", "eval", "x"], "seamharness: no such option: --jobs (an option of eval, gate and crosscheck: it "
                                   "goes after the command name, 'seamharness eval ... --jobs')\n"),
    (["--bogus", "eval", "x"], "seamharness: no such option: --bogus\n"),
])
def test_clicks_own_errors_are_worded_as_seamharness_words_its_own(capsys: pytest.CaptureFixture[str],
                                                                    args: list[str], said: str) -> None:
    from harness.cli import main

    assert main(args) == 2
    assert capsys.readouterr().err == said


def test_apply_refuses_a_folder_not_its_own_naming_out_before_reading_the_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Was 'seamharness: DIR: exists, is not empty ...', the path without the option, once every input was read.
    from harness.cli import main

    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("mine")
    assert main(["apply", str(tmp_path / "none.mbox"), "--variant", "v1", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(f"seamharness: --out {out}: exists, is not empty and is not a "
                                              "seamharness output")
    assert (out / "thesis.tex").read_text() == "mine"
