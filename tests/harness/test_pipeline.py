"""The stage spine: every command meets the same bad input with the same one-line error, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.pipeline import Evaluation
from tests.mailgen import demo_series, diff, message, patch_body, write_mbox

runner = CliRunner()

# Every command that reads a series, with what it needs besides the inputs ({out}: a fresh folder).
COMMANDS = {
    "series": [],
    "apply": ["--variant", "v2", "--out", "{out}"],
    "eval": [],
    "gate": ["--variant", "v2"],
    "crosscheck": [],
}
VARIANT_COMMANDS = {"apply": "--variant", "eval": "--variant", "gate": "--variant", "crosscheck": "--variant"}


def _plain_series(tmp_path: Path) -> Path:
    """A patch to C that has nothing to do with SEAMCALLs: no series manifest, no matrix."""
    body = patch_body("Tweak.", diff("lib/plain.c", None, "int plain;\n"))
    return write_mbox(tmp_path / "plain.mbox", [message("[PATCH v2 1/1] lib: plain tweak", "plain@x", body)])


def _run(command: str, inputs: list[str], tmp_path: Path, extra: list[str] | None = None) -> tuple[int, str]:
    args = [a.replace("{out}", str(tmp_path / "out")) for a in COMMANDS[command]]
    r = runner.invoke(app, [command, *inputs, *args, *(extra or [])])
    assert "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
    return r.exit_code, r.stderr


def _same_error_everywhere(results: dict[str, tuple[int, str]], expected: str) -> None:
    for command, (code, stderr) in results.items():
        assert code == 2, (command, stderr)
        assert stderr.splitlines() == [expected], (command, stderr)


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    got = {c: _run(c, [str(tmp_path / "empty")], tmp_path) for c in COMMANDS}
    _same_error_everywhere(got, f"seamharness: no mail found in {tmp_path / 'empty'}")


def test_missing_path(tmp_path: Path) -> None:
    got = {c: _run(c, [str(tmp_path / "nope")], tmp_path) for c in COMMANDS}
    _same_error_everywhere(got, f"seamharness: {tmp_path / 'nope'}: no such file or directory")


def test_unknown_variant(tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    got = {}
    for command in VARIANT_COMMANDS:
        args = [a.replace("{out}", str(tmp_path / "out")) for a in COMMANDS[command] if a not in ("v2", "--variant")]
        r = runner.invoke(app, [command, str(mbox), *args, "--variant", "v2:2"])
        got[command] = (r.exit_code, r.stderr)
    _same_error_everywhere(got, "seamharness: no variant 'v2:2' (did you mean 'v2:02'?); known: "
                                "v2 (v2:00-v2:03; base is v2:00), or newest (v2 here, the newest revision: for CI)")


def test_no_matrix(tmp_path: Path) -> None:
    mbox = _plain_series(tmp_path)
    # The gate is given rules: without them it says so first, before anything is built (test_gate_norules.py).
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\nseverity = "warning"\n'
                     '[rule.check]\nkind = "moves"\n')
    extra = {"eval": ["--variant", "v2"], "crosscheck": ["--variant", "v2"], "gate": ["--rules", str(rules)]}
    got = {c: _run(c, [str(mbox)], tmp_path, extra[c]) for c in ("eval", "gate", "crosscheck")}
    _same_error_everywhere(got, "seamharness: no matrix for this code: no patch defines or calls sc_retry*(), "
                                "seamcall_prerr*(), seamcall_err*(), seamldr*(), __seamldr*() in a .c or .h file, "
                                "nor does a hunk of one issue a SEAMCALL or retry a call it is handed on its status; "
                                "pass --matrix FILE to run other code")


def test_a_plain_mail_is_no_reply(tmp_path: Path) -> None:
    # It was called "only replies": a mail that answers nothing (no In-Reply-To, no Re:) and has no diff.
    mbox = write_mbox(tmp_path / "p.mbox", [message("hi", "a@x", "hello\n"), message("hey", "b@x", "hello\n")])
    code, stderr = _run("series", [str(mbox)], tmp_path)
    assert code == 2 and stderr.splitlines() == [
        f"seamharness: no patches found in {mbox}: 2 messages, none of them a patch: 2 neither a patch nor a reply "
        f"('hi', {mbox}:2, and 1 more)"]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_only_replies(tmp_path: Path, command: str) -> None:
    # series too, as b4 am ("No patches found."): it listed the reply under "(empty)" and exited 0 where eval
    # exited 2, a mail without Message-ID under one made up as if it were the mail's.
    reply = message("Re: [PATCH v2 1/3] demo: add helper", "r@x", "> quoted\n\nLooks fine.\n", parent="p1-v2@x")
    del reply["Message-ID"]
    mbox = write_mbox(tmp_path / "r.mbox", [reply])
    code, stderr = _run(command, [str(mbox)], tmp_path)
    assert code == 2 and stderr.splitlines() == [
        f"seamharness: no patches found in {mbox}: 1 message, none of them a patch: 1 reply"]
    if command == "series":
        r = runner.invoke(app, ["series", str(mbox), "--json"])
        assert r.exit_code == 2 and r.stdout == ""


def test_crosscheck_uses_the_outcome_cache_and_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.harness.variantgen import HELPER, RETRY_C, matrix

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    code = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    body = patch_body("Add the helper.", diff(HELPER, None, code))
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH v2 1/1] demo: retry helper", "h@x", body)])
    args = ["crosscheck", str(mbox), "--matrix", str(matrix(tmp_path).path), "--jobs", "1"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    # 56: the scripts repeating "busy" also run at the loop's bound of 3 (2, 3 and 4 answers: harness.retrycounts)
    assert "56 of 56 outcomes agree" in first.stdout
    assert sorted((tmp_path / "xdg" / "seamharness" / "outcomes").rglob("*.json"))
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "56 of 56 outcomes agree" in again.stdout
    assert runner.invoke(app, [*args, "--no-cache"]).exit_code == 0


@pytest.mark.parametrize(("variants", "against", "message"), [
    ((), "v2:1", "no variant 'v2:1' (did you mean 'v2:01'?); known: v2 (v2:00-v2:03; base is v2:00), or newest (v2 "
     "here, the newest revision: for CI)"),
    (("v2",), "v2:01", "--against v2:01 is not among the variants evaluated (--variant v2): add --variant v2:01 "
     "(--against names the one variant of those evaluated that the others are compared with; it evaluates none)"),
])
def test_evaluate_checks_against_before_running(tmp_path: Path, variants: tuple[str, ...], against: str,
                                                message: str) -> None:
    from harness.errors import UsageError
    from harness.pipeline import EvalRequest, evaluate

    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    with pytest.raises(UsageError) as info:
        evaluate(EvalRequest((mbox,), variants=variants, against=against))
    assert str(info.value) == message


def test_a_renamed_file_with_the_helpers_chooses_the_matrix_with_a_tree(tmp_path: Path) -> None:
    # git mv of the header that defines sc_retry(), only its guard changed: the diff shows no helper, so no matrix
    # was found ("no patch defines or calls sc_retry*() ..."), though the tree shows what the file holds.
    from harness.errors import UsageError
    from harness.pipeline import EvalRequest, evaluate
    from tests.gitoracle import git, init_repo

    helper = ("static inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn func(fn, args);\n}\n")
    filler = "".join(f"int demo_{n}(void);\n" for n in range(8))  # keeps the helper out of the hunks' context
    repo = init_repo(tmp_path / "linux", {"arch/x86/include/asm/sc.h": f"#ifndef _ASM_SC_H\n#define _ASM_SC_H\n"
                                                                      f"{filler}{helper}{filler}#endif\n"})
    (repo / "drivers/demo").mkdir(parents=True)
    git(repo, "mv", "arch/x86/include/asm/sc.h", "drivers/demo/sc.h")
    text = (repo / "drivers/demo/sc.h").read_text().replace("_ASM_SC_H", "_DEMO_SC_H")
    (repo / "drivers/demo/sc.h").write_text(text)
    git(repo, "commit", "-q", "-am", "demo: move the helper header")
    mbox = tmp_path / "p.mbox"
    mbox.write_bytes(git(repo, "format-patch", "-M", "--stdout", "-1").stdout)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    assert "rename from" in mbox.read_text() and "sc_retry" not in mbox.read_text()
    ev = evaluate(EvalRequest((mbox,), tree=repo, jobs=1, cache=None))
    assert ev.result.matrix.recognises and "sc_retry*" in ev.result.matrix.recognises
    with pytest.raises(UsageError, match="no matrix for this code"):  # mail alone: nothing shows the helper
        evaluate(EvalRequest((mbox,), jobs=1, cache=None))


def _helper_change(tmp_path: Path) -> tuple[Path, Path]:
    """A tree holding sc_retry() and a format-patch of a one-line change deep in its body: (tree, mbox)."""
    from tests.gitoracle import git, init_repo

    body = "".join(f"\tu64 pad{n} = {n};\n" for n in range(8))
    helper = ("static inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)\n{\n" + body
              + "\tint retry = RDRAND_RETRY_LOOPS;\n" + body + "\treturn func(fn, args);\n}\n")
    repo = init_repo(tmp_path / "linux", {"drivers/demo/sc.h": f"#ifndef _SC_H\n#define _SC_H\n{helper}#endif\n"})
    text = (repo / "drivers/demo/sc.h").read_text().replace("RDRAND_RETRY_LOOPS", "SC_RETRY_LOOPS")
    (repo / "drivers/demo/sc.h").write_text(text)
    git(repo, "commit", "-q", "-am", "demo: bound the retries by SC_RETRY_LOOPS")
    mbox = tmp_path / "p.mbox"
    mbox.write_bytes(git(repo, "format-patch", "--stdout", "-1").stdout)
    return repo, mbox


def test_a_change_inside_a_helper_chooses_the_matrix_by_the_hunks_function_line(tmp_path: Path) -> None:
    # A one-line change deep in sc_retry()'s body (its retry bound): no line the hunk shows names the helper, but
    # git writes the function the hunk is in after its '@@' (the funcname line). That was "no matrix for this
    # code", exit 2, for a maintainer's own format-patch of a change to this very helper (a v5 probe).
    from harness.pipeline import EvalRequest, evaluate

    repo, mbox = _helper_change(tmp_path)
    hunk_lines = [ln for ln in mbox.read_text().splitlines() if ln[:1] in " +-" and not ln.startswith(("---", "+++"))]
    assert not any("sc_retry" in ln for ln in hunk_lines)
    assert any(ln.startswith("@@ ") and "sc_retry(" in ln for ln in mbox.read_text().splitlines())
    for tree in (None, repo):
        ev = evaluate(EvalRequest((mbox,), tree=tree, jobs=1, cache=None))
        assert "sc_retry*" in ev.result.matrix.recognises


def test_an_evaluation_with_a_tree_leaves_no_git_process_running(tmp_path: Path) -> None:
    # The base reader is kept for the process (harness.memo), and with it GitPython's two git cat-file
    # processes: an xdist worker held four after two such tests, and test_workers' 'nothing is held' failed.
    from harness.apply import revision_base
    from harness.pipeline import EvalRequest, evaluate, read_inputs

    repo, mbox = _helper_change(tmp_path)
    before = set(_children())
    req = EvalRequest((mbox,), tree=repo, jobs=1, cache=None)
    evaluate(req)
    assert not set(_children()) - before
    # A reader kept from before reads again (GitPython starts its reader anew), and is stopped again.
    rev = read_inputs(req).revisions[0]
    _, reader = revision_base(repo, None, rev)
    from harness.gitrepo import release_repos

    for _ in range(2):
        state = reader("drivers/demo/sc.h")
        assert state is not None and "RDRAND_RETRY_LOOPS" in "".join(t for t, _ in state.lines.values())
        release_repos()
        assert not set(_children()) - before


def _children() -> list[int]:
    """This process's children still there."""
    import os

    me = str(os.getpid())
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == me]


def _ppid(proc: Path) -> str:
    try:
        return (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return ""


def test_rules_judged_beside_the_comparisons_give_the_same_report(corpus: Path, corpus_eval: Evaluation) -> None:
    """With two workers the rules are judged in a child while the comparisons are made here, then by both
    (harness.workers.shared_jobs): the report is the one a single process makes, rule by rule."""
    import os

    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model
    from reports.formats import EVAL_FORMATS

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing runs beside")
    # The session's corpus_eval is the side of two workers or more (jobs=0: one per core, no outcome cache; any
    # number above one forks the child that judges beside): one evaluation of the corpus less. No time budget on the
    # other: a loaded host must not cut a code group short on one side only (corpus_eval's is the tests' 120 s).
    assert corpus_eval.request.jobs == 0 and corpus_eval.request.cache is None
    one, two = ("".join(EVAL_FORMATS["json"](report_model(ev)))
                for ev in (evaluate(EvalRequest((corpus,), jobs=1, cache=None, time_budget=0)), corpus_eval))
    assert '"rules":[{' in one and two == one  # rules were judged, on both sides



def test_the_outcomes_views_are_not_kept_past_the_evaluation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The views of each outcome that comparing and judging ask for (harness.explain) are dropped once both are
    done: the report, written after, never asks, and they held 4 MB of the corpus' eval until it was written."""
    from harness import explain
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import HELPER, RETRY_C, matrix

    three, five = (RETRY_C.replace("TRIES", n).replace("FMT", "%llu") for n in ("3", "5"))
    mbox = write_mbox(tmp_path / "s.mbox", [
        message("[PATCH 1/2] demo: retry helper", "h1@x", patch_body("Add it.", diff(HELPER, None, three))),
        message("[PATCH 2/2] demo: five tries", "h2@x", patch_body("More.", diff(HELPER, three, five)))])
    views = (explain.call_view, explain.log_view, explain.effect_view)
    held: list[list[int]] = []
    forget = explain.forget_views

    def spy() -> None:
        held.append([v.cache_info().currsize for v in views])
        forget()

    monkeypatch.setattr(explain, "forget_views", spy)
    evaluate(EvalRequest((mbox,), matrix=matrix(tmp_path).path, jobs=1, cache=None))
    assert held and all(held[0])  # the comparisons asked for them
    assert [v.cache_info().currsize for v in views] == [0, 0, 0]


def test_apply_with_a_tree_leaves_no_git_process_running(tmp_path: Path) -> None:
    # Commands other than eval and crosscheck read the tree too (apply builds the variants on its base): run in
    # this process (CliRunner), they left the base reader's git cat-file processes behind.
    repo, mbox = _helper_change(tmp_path)
    before = set(_children())
    got = runner.invoke(app, ["apply", str(mbox), "--tree", str(repo), "--variant", "v1", "--out", str(tmp_path / "o")])
    assert got.exit_code == 0, got.output
    assert not set(_children()) - before


def test_an_input_of_cover_letters_alone_says_it_holds_no_patch(tmp_path: Path) -> None:
    # A cover letter given alone (the patches forgotten): eval, gate and crosscheck said 'no matrix for this code: no
    # patch defines or calls sc_retry*() ...; pass --matrix FILE to run other code', a code problem there is not.
    from harness.errors import UsageError
    from harness.pipeline import EvalRequest, evaluate

    mbox = write_mbox(tmp_path / "s.mbox", demo_series()[:1])
    with pytest.raises(UsageError) as info:
        evaluate(EvalRequest((mbox,)))
    assert str(info.value) == ("the input holds no patch (v2: none of its 3 patches (not given: 1-3), only its cover "
                               f"letter ({mbox}:2)): nothing to evaluate; give the patches"), str(info.value)


@pytest.mark.parametrize("command", [["eval"], ["crosscheck"]])
def test_an_input_of_cover_letters_alone_is_refused_with_a_matrix_too(tmp_path: Path, command: list[str]) -> None:
    # With --matrix no matrix was looked for, so no patch at all went unsaid: eval wrote its reports of three
    # variants of no code ('No patch was compared'), exit 0, and crosscheck said 'nothing compared', exit 1.
    from tests.harness.variantgen import MATRIX

    mbox = write_mbox(tmp_path / "s.mbox", demo_series()[:1])
    (tmp_path / "m.toml").write_text(MATRIX)
    got = runner.invoke(app, [*command, str(mbox), "--matrix", str(tmp_path / "m.toml"), "--no-cache"])
    assert got.exit_code == 2, got.output
    assert "the input holds no patch (v2: none of its 3 patches (not given: 1-3), only its cover letter" in got.output


@pytest.mark.parametrize("html", [True, False])
def test_the_html_renderers_modules_load_while_the_rules_child_judges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     html: bool) -> None:
    """eval --html loads the page's modules (jinja2: some 80 M instructions) as the last step of its wait for the rules'
    child, after the report's parts (harness.pipeline._report_steps): they were loaded once the verdicts were in,
    when nothing else ran beside. Without --html nothing more is loaded there."""
    import subprocess
    import sys

    from harness import pipeline
    from tests.harness.variantgen import HELPER, RETRY_C, matrix

    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: retry helper", "h1@x", patch_body(
        "Add it.", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu"))))])
    given: list[tuple[object, ...]] = []
    real = pipeline.evaluate

    def spy(req: pipeline.EvalRequest, *args: object) -> Evaluation:
        given.append(args[2] if len(args) > 2 else ())  # type: ignore[arg-type]
        return real(req, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "evaluate", spy)
    out = ["--html", str(tmp_path / "r.html")] if html else ["--json", str(tmp_path / "r.json")]
    got = runner.invoke(app, ["eval", str(mbox), "--matrix", str(matrix(tmp_path).path), "--no-cache", *out])
    assert got.exit_code in (0, 1), got.output
    steps = given[0]
    assert len(steps) == (1 if html else 0)
    fake = type("R", (), {"variants": ()})()
    assert list(pipeline._report_steps(None, None, fake, None, steps))[1:] == list(steps)  # type: ignore[arg-type]
    code = "import sys; from reports.formats import renderers_ahead; [s() for s in renderers_ahead(True)]; " \
           "print('jinja2' in sys.modules, 'reports.html_report' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split() == ["True", "True"]


@pytest.mark.parametrize(("outputs", "jobs", "steps"), [(["--json", "--html"], "0", 0), (["--json", "--html"], "1", 1),
                                                     (["--html"], "0", 1), (["--json", "--html=-"], "0", 1)])
def test_the_page_modules_load_ahead_only_where_the_page_is_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outputs: list[str], jobs: str, steps: int) -> None:
    """With --json and --html both files on two cores, a forked child renders the page beside the JSON and loads
    jinja2 itself: loaded ahead in this process, they were held to the end by the process whose level as the report
    is written is the eval's peak memory (1.5-1.8 MB of it on the corpus). Where this process renders the page
    (--jobs 1, --html alone, the page to stdout) they are loaded ahead, in the wait for the rules' child."""
    import os

    from harness import pipeline
    from tests.harness.variantgen import HELPER, RETRY_C, matrix

    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: retry helper", "h1@x", patch_body(
        "Add it.", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu"))))])
    given: list[int] = []
    real = pipeline.evaluate

    def spy(req: pipeline.EvalRequest, *args: object) -> Evaluation:
        given.append(len(args[2]) if len(args) > 2 else 0)  # type: ignore[arg-type]
        return real(req, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "evaluate", spy)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    named = [o.split("=")[0] for o in outputs]
    files = [v for o in outputs for v in (o.split("=")[0], o.split("=")[1] if "=" in o else str(tmp_path / o[2:]))]
    got = runner.invoke(app, ["eval", str(mbox), "--matrix", str(matrix(tmp_path).path), "--no-cache", "--jobs", jobs,
                              *files])
    assert got.exit_code in (0, 1), got.output
    assert given == [steps], (named, jobs)
    assert all((tmp_path / o[2:]).is_file() for o in outputs if "=" not in o)


def test_an_eval_without_a_tree_does_not_import_the_tree_search(tmp_path: Path, corpus: Path) -> None:
    # harness.treenames searches a kernel tree (--tree) for names a rule's code needs; an eval judging the
    # corpus's rules without a tree never runs it, and imported it on every run (issue 18: modules imported, unused).
    import os
    import subprocess
    import sys

    code = ("import sys; from harness.cli import main; main(['eval', sys.argv[1], '--jobs', '1', '--json', '-']); "
            "print('treenames', 'harness.treenames' in sys.modules, 'harness.judge' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True,
                       env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.stderr.strip().splitlines()[-1] == "treenames False True", r.stderr  # the rules were judged
