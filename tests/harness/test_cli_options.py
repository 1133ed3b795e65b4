"""Options as a new user tries them: stdout, symlinks, devices, contradictions, typos.

Options as a new user tries them: `-` for stdout, symlinks and devices as outputs, missing folders, contradictions,
unknown names with the closest suggested, --version and readable --help."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import demo_series, write_mbox

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


@pytest.fixture
def small(tmp_path: Path) -> list[str]:
    """``eval`` arguments for a small series of our own: fast, with a report to write."""
    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    return ["eval", str(tmp_path / "s.mbox"), "--matrix", str(tmp_path / "m.toml")]


def one_line(r, text: str) -> None:  # type: ignore[no-untyped-def]
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("seamharness: ") and text in lines[0], lines
    assert "Traceback" not in r.output


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


# -- outputs -------------------------------------------------------------------------------------------------------

def test_json_dash_is_the_only_thing_on_stdout(small: list[str], tmp_path: Path) -> None:
    r = runner.invoke(app, [*small, "--json", "-", "--html", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["schema"] == "seamharness-eval/10"  # the whole of stdout is the report
    assert re.search(r"variants x \d+ scenarios", r.stderr)  # the terminal summary went to stderr
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    # Where each report file went is a note on stderr, the path as typed; none for the report on stdout.
    assert r.stderr.splitlines()[-1] == f"seamharness: wrote {tmp_path / 'r.html'}" and "wrote -" not in r.stderr


def test_each_report_file_written_is_said_on_stderr_as_typed(small: list[str], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: eval wrote its --json and --html without a word; the summary on stdout stays all of stdout.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    r = runner.invoke(app, [*small, "--json", "r.json", "--html", "out/r.html"])
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == ["seamharness: wrote r.json", "seamharness: wrote out/r.html"]
    assert "wrote" not in r.stdout and (tmp_path / "r.json").exists() and (tmp_path / "out" / "r.html").exists()


def test_report_names_the_matrix_and_rules_as_typed_as_it_names_the_inputs(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: "inputs": ["s.mbox"] but "matrix": "/tmp/.../m.toml": a report made on another machine (or folder)
    # differed in that field alone.
    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "r"\nreviewer = "Rev"\nsummary = "s"\nseverity = "warning"\n'
                                     '[rule.check]\nkind = "behaviour"\nscenarios = { entry = "demo_retry" }\n'
                                     'expect = { calls_at_most = 3 }\n')
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["eval", "s.mbox", "--matrix", "m.toml", "--rules", "r.toml", "--json", "r.json"])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "r.json").read_text())
    assert (doc["inputs"], doc["matrix"], doc["rules_file"]) == (["s.mbox"], "m.toml", "r.toml")


def test_html_dash(small: list[str]) -> None:
    r = runner.invoke(app, [*small, "--html", "-"])
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>") and r.stdout.rstrip().endswith("</html>")


def test_two_outputs_to_stdout_are_refused(small: list[str], tmp_path: Path) -> None:
    before = _files(tmp_path)
    one_line(runner.invoke(app, [*small, "--json", "-", "--html", "-"]), "--json - and --html -: only one output")
    assert _files(tmp_path) == before


def test_two_outputs_to_one_file_are_refused(small: list[str], tmp_path: Path) -> None:
    (tmp_path / "link.html").symlink_to("r.json")
    r = runner.invoke(app, [*small, "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "link.html")])
    one_line(r, f"write the same file {tmp_path / 'r.json'}")


def test_a_missing_output_folder_is_refused_before_any_work(small: list[str], tmp_path: Path) -> None:
    before = _files(tmp_path)
    r = runner.invoke(app, [*small, "--json", str(tmp_path / "typo" / "r.json")])
    one_line(r, f"--json {tmp_path / 'typo' / 'r.json'}: no such directory: {tmp_path / 'typo'}")
    assert _files(tmp_path) == before and r.stdout == ""


def test_a_symlinked_report_is_written_through(small: list[str], tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.json").write_text("stale")
    (tmp_path / "link.json").symlink_to("reports/r.json")
    r = runner.invoke(app, [*small, "--json", str(tmp_path / "link.json")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "reports" / "r.json").read_text())["schema"] == "seamharness-eval/10"


def test_dev_stdout_is_stdout_and_stays_a_link(small: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "harness", *small, "--json", "/dev/stdout"], capture_output=True,
                         env=env, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["schema"] == "seamharness-eval/10"
    assert re.search(rb"variants x \d+ scenarios", res.stderr)
    assert os.path.islink("/dev/stdout")


def test_gate_junit_dash(corpus: Path) -> None:
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "v3:00", "--junit", "-"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<?xml") and r.stderr.startswith("v3:00: READY")  # the verdict went to stderr


def test_fetch_out_dash_writes_the_mbox_to_stdout(tmp_path: Path) -> None:
    from harness.lore import FetchRequest, cache_path

    # A thread as lore sends it (a cached copy without a record that is no mbox is damaged, and refused).
    data = gzip.compress(b"From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: x\n\nx\n")
    cached = cache_path(FetchRequest("t@example.org", cache_dir=tmp_path))
    cached.write_bytes(data)
    r = runner.invoke(app, ["fetch", "t@example.org", "--offline", "--cache-dir", str(tmp_path), "--out", "-"])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes == data


def test_apply_out_refuses_a_missing_parent_and_a_file(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "file").write_text("x")
    before = _files(tmp_path)
    base = ["apply", str(tmp_path / "s.mbox"), "--variant", "v2", "--out"]
    one_line(runner.invoke(app, [*base, str(tmp_path / "typo" / "out")]), "no such directory")
    one_line(runner.invoke(app, [*base, str(tmp_path / "file")]), f"--out {tmp_path / 'file'}: not a directory")
    one_line(runner.invoke(app, [*base, "-"]), "--out -: a folder of files cannot go to stdout")
    assert _files(tmp_path) == before


# -- contradictions and names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "text"), [
    (["cache", "--prune", "--clear"], "--prune and --clear cannot be used together"),
    (["eval", "{nothing}", "--base", "HEAD"], "--base needs --tree"),  # before the inputs are even read
    (["apply", "{nothing}", "--variant", "v2", "--out", "{tmp}/o", "--base", "HEAD"], "--base needs --tree"),
    (["eval", "{nothing}", "--tree", "/no/such/dir"], "--tree /no/such/dir: no such directory"),
    (["eval", "{nothing}", "--cc", "gcc"], "--cc needs --crosscheck"),
    (["eval", "{nothing}", "--tree", "{mbox}"], "s.mbox: not a directory"),
    (["eval", "{mbox}", "--tree", "{tmp}"], "--tree {tmp}: not a git repository"),
    (["eval", "{nothing}", "--variant", "v2", "--variant", "v2"], "--variant v2 is given twice"),
    (["eval", "{nothing}", "--variant", "v2", "--against", "v2"], "--against v2 is the only variant evaluated"),
    (["series", "{nothing}", "--offline", "--lore", "http://127.0.0.1:9"], "--offline never contacts --lore"),
    (["eval", "{mbox}", "--variant", "v2", "--against", "v2:01"],
     "--against v2:01 is not among the variants evaluated (--variant v2): add --variant v2:01 (--against names "
     "the one variant of those evaluated that the others are compared with; it evaluates none)"),
    (["eval", "{mbox}", "--variant", "v2", "--against", "nope"], "no variant 'nope'"),
    (["eval", "{mbox}", "--against", "v2:1"], "no variant 'v2:1' (did you mean 'v2:01'?); known: v2 (v2:00-v2:03"),
])
def test_contradictions_are_one_line(tmp_path: Path, args: list[str], text: str) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    sub = {"{nothing}": str(tmp_path / "nothing"), "{mbox}": str(tmp_path / "s.mbox"), "{tmp}": str(tmp_path)}
    one_line(runner.invoke(app, [sub.get(a, a).replace("{tmp}", str(tmp_path)) for a in args]),
             text.replace("{tmp}", str(tmp_path)))


@pytest.mark.parametrize(("args", "text"), [
    (["eval", "x", "--jobs", "-1"], "invalid value for '--jobs': -1 is below the minimum 0"),
    (["eval", "x", "--jobs", "two"], "invalid value for '--jobs': 'two' is not an int"),
    (["eval", "x", "--time-budget", "soon"], "invalid value for '--time-budget': 'soon' is not a float"),
    (["eval", "x", "--time-budget", "-1"], "invalid value for '--time-budget'"),
    (["crosscheck", "x", "--timeout", "0"], "invalid value for '--timeout'"),
    (["--versoin"], "no such option: --versoin (did you mean --version?)"),
    (["gate", "x", "--jbos", "2"], "no such option: --jbos (did you mean --jobs?)"),
    (["evil"], "no such command 'evil' (did you mean 'eval'?)"),
    # The hidden 'version' command was offered: the top level's --help lists the option, not the command.
    (["versio"], "no such command 'versio' (did you mean --version?)"),
    (["verison"], "no such command 'verison' (did you mean --version?)"),
    # A command named by its task, which another command does: said only "no such command 'compare'".
    (["compare", "x", "y"], "no such command 'compare' (to compare variants: seamharness eval INPUT --variant A "
                            "--variant B --against A)"),
    (["check", "x"], "no such command 'check' (to judge a variant against review rules: seamharness gate INPUT "
                     "--variant NAME)"),
    (["help"], "no such command 'help' (for the commands: seamharness --help; a command's options: seamharness "
               "COMMAND --help)"),
])
def test_out_of_range_options_are_one_line(capsys: pytest.CaptureFixture[str], args: list[str], text: str) -> None:
    from harness.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("seamharness: ") and text in err, err


def test_no_hidden_command_is_suggested(capsys: pytest.CaptureFixture[str]) -> None:
    # A misspelling of each hidden command ('versio') suggested it, though --help lists it nowhere.
    from typer.main import get_command

    from harness.cli import app, main

    hidden = [name for name, c in get_command(app).commands.items() if c.hidden]  # type: ignore[attr-defined]
    assert hidden
    for name in hidden:
        assert main([name[:-1]]) == 2
        err = capsys.readouterr().err
        assert f"'{name}'" not in err, err


@pytest.mark.parametrize("args", [["gate", "x", "--bogus"], ["eval", "x", "--verbose"], ["test"], ["--bogus"]])
def test_unrelated_names_get_no_suggestion(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    # click's difflib at 0.6 over the whole '--name' offered "--bogus (Possible options: --base, --jobs)".
    from harness.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("seamharness: no such ") and err.rstrip().endswith(
        args[-1] + ("'" if args[-1] == "test" else "")), err


def test_a_mistyped_reviewer_variant_gets_the_closest_and_every_name(corpus: Path) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--variant", "hansen-drop06"])
    one_line(r, "no variant 'hansen-drop06' (did you mean 'hansen-drop-06'?); known: v3 (v3:00-v3:07), v2 (")
    assert all(name in r.stderr for name in ("yilun-either-code", "gao-answer", "v1 (v1:00-v1:03)", "or newest (v3"))
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "yilun-either"])
    one_line(r, "(did you mean 'yilun-either-code'?)")


# -- --version and --help ------------------------------------------------------------------------------------------

def test_version_option() -> None:
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and re.fullmatch(r"seamharness \d+\.\d+\.\d+\n", r.stdout)
    assert runner.invoke(app, ["version"]).stdout == r.stdout


def test_top_level_help_lists_one_way_to_ask_the_version() -> None:
    # It listed both the --version option and a version command; the command still works, unlisted.
    said = runner.invoke(app, ["--help"]).stdout
    assert "--version" in said and not any(ln.split()[:1] == ["version"] for ln in said.splitlines()), said


@pytest.mark.parametrize("command", ["series", "fetch", "apply", "eval", "gate", "crosscheck", "printk", "cache"])
def test_help_shows_readable_metavars(command: str) -> None:
    r = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert not re.search(r"<\w+[^>]*>|\[x[<>]=", r.stdout), r.stdout  # no <list[str]>, <int range>, [x>=0]
    wanted = {"eval": ["FILE", "DIR", "NAME", "N ", "SECONDS", "CC", "INPUT", "COMMIT", "URL"],
              "crosscheck": ["SECONDS", "CC"], "fetch": ["MSGID", "FILE"], "apply": ["DIR", "NAME"],
              "gate": ["FILE", "NAME"], "printk": ["FORMAT", "ARG"]}.get(command, [])
    assert all(w in r.stdout for w in wanted), r.stdout
    if command in ("eval", "gate"):
        assert "'-' writes it to stdout, and the terminal summary then goes to stderr" in " ".join(r.stdout.split())
    # --help worded as the other options (click's own 'Show this message and exit.' was the one sentence)
    assert re.search(r"^  -h, --help +show this message and exit$", r.stdout, re.M), r.stdout


@pytest.mark.parametrize("args", [[], ["series"], ["eval"], ["gate"], ["apply"], ["fetch"], ["crosscheck"],
                                  ["printk"], ["prelude"], ["cache"]])
def test_h_is_help(args: list[str]) -> None:
    # 'seamharness -h' and 'seamharness eval -h' said "no such option: -h", exit 2: most tools a kernel maintainer
    # uses (git, b4, gcc's driver aside) take -h.
    r = runner.invoke(app, [*args, "-h"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert r.stdout == runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"}).stdout
    assert r.stdout.startswith(f"Usage: seamharness {' '.join(args)}".rstrip() + " ["), r.stdout


def test_a_command_does_not_import_pydantic(tmp_path: Path) -> None:
    # typer would coerce options through pydantic, a third of a short command's start-up; cli.py's own
    # coercion keeps it out (issue: start-up without the pydantic path).
    import subprocess
    import sys

    write_mbox(tmp_path / "s.mbox", demo_series())
    code = ("import sys; from harness.cli import main; main(['series', sys.argv[1], '--offline']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'jinja2', 'pycparser')))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.mbox")], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]", out


@pytest.mark.parametrize("args", [["--help"], ["eval", "--help"]])
def test_help_does_not_import_rich_markdown(args: list[str]) -> None:
    # --help is the shortest command there is; rich.markdown (typer's rich help) alone is a third of it
    # (issue: --help without rich.markdown). The help is click's plain text, as git's is.
    import subprocess
    import sys

    code = ("import sys\nfrom harness.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'markdown_it')))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    assert "Usage: seamharness" in out
    assert out.strip().splitlines()[-1] == "[]", out


def test_a_bug_is_one_line_and_status_3_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Python's own exit status for an uncaught exception is 1, which a CI gate reads as "a rule failed".
    import harness.pipeline
    from harness.cli import main

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("invalid literal for int() with base 10: \"'TD'\"")

    monkeypatch.setattr(harness.pipeline, "read_inputs", broken)
    monkeypatch.delenv("SEAMHARNESS_TRACEBACK", raising=False)
    assert main(["series", "x.mbox"]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("seamharness: internal error: ValueError: invalid literal") and "test_cli_options.py:" in err
    monkeypatch.setenv("SEAMHARNESS_TRACEBACK", "1")
    with pytest.raises(ValueError):
        main(["series", "x.mbox"])


def test_a_reader_that_goes_away_is_status_141_not_a_verdict() -> None:
    # `seamharness gate ... | head`: rich would exit 1, which means "an error rule fails"; a shell reports a
    # writer stopped by SIGPIPE as 141, and so does seamharness, with nothing on stderr.
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "harness", "prelude"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait(timeout=30) == 141 and proc.stderr.read() == b""


def test_a_report_cut_short_by_its_reader_is_status_141(corpus: Path, tmp_path: Path) -> None:
    # 350 KB of JSON (five times a pipe's 64 KiB) into a pipe whose reader leaves after 100 bytes: never 0, as if all
    # of it was read. Two variants of the corpus (1,320 results) fill the pipe as the whole corpus' 2.5 MB did, at a
    # quarter of its CPU.
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "harness", "eval", str(corpus), "--variant", "v3:05", "--variant",
                             "v3:06", "--json", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    assert proc.stdout.read(100).startswith(b'{"schema":')
    proc.stdout.close()
    assert proc.wait(timeout=60) == 141


@pytest.mark.parametrize("target", ["the mbox", "a mail in the folder", "the rules file"])
def test_a_report_over_an_input_is_refused_before_any_work(tmp_path: Path, target: str) -> None:
    # --json over the mbox given, over a mail of a folder given, --junit over --rules: the input was destroyed.
    folder = tmp_path / "thread"
    folder.mkdir()
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    mail = folder / "0001.eml"
    mail.write_bytes(mbox.read_bytes().split(b"\nFrom ", 1)[0].split(b"\n", 1)[1])
    rules = tmp_path / "rules.toml"
    rules.write_text("")
    out = {"the mbox": mbox, "a mail in the folder": mail, "the rules file": rules}[target]
    before = out.read_bytes()
    option = "--junit" if target == "the rules file" else "--json"
    cmd = ["gate", str(mbox), str(folder), "--variant", "v1", "--rules", str(rules), option, str(out)]
    r = runner.invoke(app, cmd)
    assert r.exit_code == 2 and f"{option} {out}: this command reads it" in r.stderr, r.output
    assert out.read_bytes() == before
    # A report beside the mails, which the folder's reading does not take in, is written as usual.
    from harness.options import resolve_outputs

    (folder / "report.json").write_text("{}")
    assert resolve_outputs([("--json", folder / "report.json")], [str(mbox), str(folder)])["--json"].path


def test_an_unread_input_is_said_before_no_matrix(tmp_path: Path) -> None:
    # A truncated mbox: its cut message is why no patch shows the helpers; eval said only "no matrix".
    data = write_mbox(tmp_path / "s.mbox", demo_series()).read_bytes()
    cut = data[: data.rindex(b"\nFrom ") + 60]
    (tmp_path / "cut.mbox").write_bytes(cut)
    r = runner.invoke(app, ["eval", str(tmp_path / "cut.mbox")])
    line = r.stderr.strip()
    assert r.exit_code == 2 and "\n" not in line, r.output
    assert line.startswith(f"seamharness: {tmp_path / 'cut.mbox'}:") and "(skipped); no matrix for this code" in line


def test_a_file_name_with_a_newline_stays_one_line_of_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.eml").write_text("junk")
    r = runner.invoke(app, ["series", str(folder)])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "a\\nb.eml:1:" in r.stderr, r.output


def test_a_url_naming_no_message_is_said_so(tmp_path: Path) -> None:
    r = runner.invoke(app, ["series", "https://lore.kernel.org/all/", "--cache-dir", str(tmp_path)])
    assert r.exit_code == 2 and "https://lore.kernel.org/all/: a URL that names no message" in r.stderr, r.output


def test_an_input_given_twice_is_read_once(tmp_path: Path) -> None:
    # A folder and a file in it, or the same folder twice: every message was a duplicate of itself.
    (tmp_path / "in").mkdir()
    mbox = write_mbox(tmp_path / "in" / "s.mbox", demo_series())
    once = runner.invoke(app, ["series", str(tmp_path / "in"), "--json"])
    twice = runner.invoke(app, ["series", str(tmp_path / "in"), str(mbox), f"{tmp_path}/in/./s.mbox", "--json"])
    assert once.exit_code == twice.exit_code == 0 and twice.stdout == once.stdout and "duplicate" not in twice.stderr


def test_cache_shows_the_fetched_threads_and_never_clears_them(tmp_path: Path) -> None:
    lore = tmp_path / "seamharness" / "lore"
    lore.mkdir(parents=True)
    (lore / "abc.mbox.gz").write_bytes(gzip.compress(b"From x\n"))
    r = runner.invoke(app, ["cache", "--clear"], env={"XDG_CACHE_HOME": str(tmp_path)})
    assert r.exit_code == 0 and f"{lore}: 1 fetched thread," in r.stdout, r.output
    assert "removed 0 entries" in r.stdout and "1 fetched threads" not in r.stdout
    assert (lore / "abc.mbox.gz").exists()


def test_a_report_over_a_bundled_series_file_is_refused(tmp_path: Path) -> None:
    # The default rules, matrix and manifest are read without being named: --junit over rules.toml broke every
    # later run ("rules.toml:1: bad TOML").
    bundled = Path(__file__).resolve().parents[2] / "series" / "p-seamldr" / "rules.toml"
    before = bundled.read_bytes()
    r = runner.invoke(app, ["gate", str(write_mbox(tmp_path / "s.mbox", demo_series())), "--variant", "v2",
                            "--junit", str(bundled)])
    assert r.exit_code == 2 and "this command reads it (the bundled series files" in r.stderr, r.output
    assert bundled.read_bytes() == before


def test_a_folder_given_that_holds_no_mail_is_said(tmp_path: Path) -> None:
    # gate took a folder of other files as read: READY, exit 0, with nothing said of it.
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "readme.txt").write_text("notes\n")
    r = runner.invoke(app, ["series", str(mbox), str(tmp_path / "docs")])
    assert r.exit_code == 2 and f"{tmp_path / 'docs'}: no mail found in this folder (skipped)" in r.stderr
    twice = runner.invoke(app, ["series", str(tmp_path), str(tmp_path)])
    assert "no mail found" not in twice.stderr


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The XDG Base Directory spec: a relative path is invalid; it made a cache wherever the command ran.
    from harness.cachedir import cache_root

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "rel/cache")
    assert cache_root() == tmp_path / ".cache" / "seamharness"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "abs"))
    assert cache_root() == tmp_path / "abs" / "seamharness"


def test_dash_reads_an_mbox_on_standard_input(tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    r = subprocess.run([sys.executable, "-m", "harness", "series", "-", "--json"], input=mbox.read_bytes(),
                       capture_output=True, cwd=Path(__file__).resolve().parents[2], check=False)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["revisions"][0]["version"] == 2


@pytest.mark.parametrize(("data", "said"), [(b"", "-: empty file, no message"),
                                            (b"garbage\n", "-:1: not a mail message")])
def test_standard_input_is_named_dash_in_messages(data: bytes, said: str) -> None:
    r = subprocess.run([sys.executable, "-m", "harness", "series", "-"], input=data, capture_output=True,
                       cwd=ROOT, check=False)
    assert r.returncode == 2 and r.stderr.decode().startswith(f"seamharness: {said}"), r.stderr
    assert b"/dev/stdin" not in r.stderr


def _stdin_thread(tmp_path: Path) -> bytes:
    """demo_series() v2, a NAK below its 3/3 and a patch whose hunk is cut short (an input not read), as one mbox."""
    from tests.mailgen import demo_reply

    sep = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
    nak = demo_reply("nak1@example.net", "Rita Reviewer", 5, "NAK, this retries forever.\n")
    cut = (b"From: a <a@b>\nSubject: [PATCH v2 2/3] demo: x\nMessage-ID: <cut@x>\n\n---\n"
           b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n")
    return write_mbox(tmp_path / "s.mbox", demo_series()).read_bytes() + sep + nak + b"\n" + sep + cut


def test_standard_input_is_named_dash_in_json(tmp_path: Path) -> None:
    # The JSON named it /dev/stdin where messages say '-': a skipped input's path, a changelog rule's evidence and
    # a NAK's place (the Where's raw path, written without its str()).
    data = _stdin_thread(tmp_path)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "no-number"\nreviewer = "r"\nsummary = "s"\npatch = "add helper"'
                                     '\n[rule.check]\nkind = "changelog"\nmust_not_match = "Change number"\n')
    r = subprocess.run([sys.executable, "-m", "harness", "series", "-", "--json"], input=data, capture_output=True,
                       cwd=ROOT, check=False)
    assert r.returncode == 2 and [s["path"] for s in json.loads(r.stdout)["skipped"]] == ["-"], r.stderr
    r = subprocess.run([sys.executable, "-m", "harness", "gate", "-", "--variant", "v2", "--matrix",
                        str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", "-"],
                       input=data, capture_output=True, cwd=ROOT, check=False)
    assert r.returncode == 2, r.stderr
    gate = json.loads(r.stdout)
    assert [e["scenario"] for e in gate["rules"][0]["evidence"]] == ["- (01/3)"]
    assert [o["where"].split(":")[0] for o in gate["objections"]] == ["-"]
    assert b"/dev/stdin" not in r.stdout + r.stderr

def test_every_unread_input_is_named_when_none_was_read(tmp_path: Path) -> None:
    r = runner.invoke(app, ["series", str(tmp_path / "a"), str(tmp_path / "b")])
    assert r.exit_code == 2 and r.stderr.strip() == (f"seamharness: {tmp_path / 'a'}: no such file or directory "
                                                     f"(also not read: {tmp_path / 'b'})")


def test_cache_says_a_cache_folder_that_cannot_be_one(tmp_path: Path) -> None:
    # XDG_CACHE_HOME naming a file: "0 entries", exit 0, though no cache could ever be kept there.
    (tmp_path / "afile").write_text("")
    r = runner.invoke(app, ["cache"], env={"XDG_CACHE_HOME": str(tmp_path / "afile")})
    assert r.exit_code == 2 and f"{tmp_path / 'afile'} is not a directory" in r.stderr, r.output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize(("args", "label"), [
    (["--version"], "stdout"),
    (["--help"], "stdout"),
    (["eval", "--help"], "stdout"),
    ([], "stdout"),
    (["printk", "%d", "1"], "stdout"),
    (["prelude"], "stdout"),
    (["series", "{mbox}"], "stdout"),
    (["series", "{mbox}", "--json"], "stdout"),
    (["eval", "{mbox}", "--matrix", "{matrix}"], "stdout"),
    (["eval", "{mbox}", "--matrix", "{matrix}", "--json", "-"], "--json -"),
])
def test_stdout_that_takes_nothing_is_one_line_and_status_2(small: list[str], tmp_path: Path, args: list[str],
                                                             label: str) -> None:
    # `> /dev/full`, a full disk: the output is lost, which is the system's refusal as for a --json file (exit
    # 2), never "a bug in seamharness" (3), a traceback (--version), nor a success or a gate verdict.
    names = {"mbox": str(tmp_path / "s.mbox"), "matrix": str(tmp_path / "m.toml")}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "harness", *(a.format(**names) for a in args)], stdout=full,
                              stderr=subprocess.PIPE, env=env, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode().splitlines() == [f"seamharness: {label}: cannot write: no space left on device"]
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr


@pytest.mark.parametrize("args", [
    ["gate", "{mbox}", "--variant", "v1", "--variant", "v1:01", "--matrix", "{matrix}"],
    ["apply", "{mbox}", "--variant", "v1", "--out", "{out}", "--variant", "v1:01"],
    ["eval", "{mbox}", "--matrix", "{matrix}", "--json", "{out}.a", "--json={out}.b"],
])
def test_a_single_value_option_given_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      args: list[str]) -> None:
    # click keeps the last value without a word: `gate --variant v3 --variant v2` judged v2 alone, exit 0 or 1.
    from harness.cli import main

    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    names = {"mbox": str(tmp_path / "s.mbox"), "matrix": str(tmp_path / "m.toml"), "out": str(tmp_path / "out")}
    before = sorted(tmp_path.iterdir())
    assert main([a.format(**names) for a in args]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "is given twice" in lines[0] and lines[0].startswith("seamharness: --"), lines
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(("args", "option"), [
    (["eval", "{mbox}", "--matrix", "{matrix}", "--json", "{tmp}/r.json/"], "--json"),
    (["eval", "{mbox}", "--matrix", "{matrix}", "--json={tmp}/r.json/"], "--json"),
    (["eval", "{mbox}", "--matrix", "{matrix}", "--html", "{tmp}/r.html/"], "--html"),
    (["gate", "{mbox}", "--variant", "v2", "--matrix", "{matrix}", "--junit", "{tmp}/r.xml/"], "--junit"),
    (["fetch", "t@example.org", "--offline", "--cache-dir", "{tmp}", "--out", "{tmp}/t.mbox.gz/"], "--out"),
    (["eval", "{mbox}", "--matrix", "{matrix}/"], "--matrix"),
])
def test_a_file_option_ending_in_a_slash_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    args: list[str], option: str) -> None:
    # Path() drops the '/': --json out/r.json/ wrote the file out/r.json, where cp and touch refuse such a path.
    from harness.cli import main

    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    names = {"mbox": str(tmp_path / "s.mbox"), "matrix": str(tmp_path / "m.toml"), "tmp": str(tmp_path)}
    before = sorted(tmp_path.iterdir())
    assert main([a.format(**names) for a in args]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and f"invalid value for '{option}'" in lines[0], lines
    assert lines[0].startswith("seamharness: ") and "ends in '/', which names a directory" in lines[0]
    assert sorted(tmp_path.iterdir()) == before


def test_a_folder_option_may_end_in_a_slash(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series())
    r = runner.invoke(app, ["apply", str(tmp_path / "s.mbox"), "--variant", "v2", "--out", f"{tmp_path}/out/",
                            "--cache-dir", f"{tmp_path}/cache/"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "provenance.json").is_file()


@pytest.mark.parametrize(("args", "text"), [
    (["eval", "{mbox}", "--matrix", "{tmp}/nosuch.toml"],
     "--matrix {tmp}/nosuch.toml: cannot read: no such file or directory"),
    (["gate", "{mbox}", "--variant", "v2", "--rules", "{tmp}/nosuch.toml"],
     "--rules {tmp}/nosuch.toml: cannot read: no such file or directory"),
    (["gate", "{mbox}", "--variant", "v2", "--rules", "{tmp}"], "--rules {tmp}: cannot read: is a directory"),
    (["series", "{mbox}", "--manifest", "{tmp}/nosuch.toml"],
     "--manifest {tmp}/nosuch.toml: cannot read: no such file or directory"),
    (["crosscheck", "{mbox}", "--matrix", "{tmp}/nosuch.toml"], "--matrix {tmp}/nosuch.toml: cannot read"),
    # A link whose target is gone: "no such file or directory" of a name ls lists.
    (["series", "{mbox}", "--manifest", "{tmp}/gone.toml"],
     "--manifest {tmp}/gone.toml: cannot read: a symbolic link to nowhere.toml, which does not exist"),
])
def test_an_option_file_that_cannot_be_read_names_the_option(tmp_path: Path, args: list[str], text: str) -> None:
    # It said "nosuch.toml: cannot read: ..." without which of --matrix, --rules, --manifest named it; the
    # capital of the system's reason ("No such file ...") mid-line, where every other message starts small.
    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "gone.toml").symlink_to("nowhere.toml")
    one_line(runner.invoke(app, [a.replace("{mbox}", str(tmp_path / "s.mbox")).replace("{tmp}", str(tmp_path))
                                 for a in args]), text.replace("{tmp}", str(tmp_path)))


def test_progress_lines_say_who_writes_them(tmp_path: Path) -> None:
    # "using cached ...", "fetching ...", "fetched ..." had no "seamharness: " as every other line on stderr has.
    from harness.lore import FetchRequest, cache_path

    data = write_mbox(tmp_path / "s.mbox", demo_series()).read_bytes()
    cache_path(FetchRequest("cover-v2@example.org", cache_dir=tmp_path)).write_bytes(gzip.compress(data))
    r = runner.invoke(app, ["series", "cover-v2@example.org", "--offline", "--cache-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert any("using cached" in ln for ln in lines) and all(ln.startswith("seamharness: ") for ln in lines), lines
