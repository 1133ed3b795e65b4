"""Revisions nobody prepared for: helpers found in the code, no claim without a run, verdicts that say why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.findings import FindingKind
from harness.gate import GateRequest, evaluate_gate
from harness.matrix import EntryKind
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE,
    RETRY_LOST,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    bundled_cover,
    dropping_series,
    helpers,
    moving_series,
    revision,
)
from tests.mailgen import write_mbox
from tests.reportrows import differing, flat_rows, scenario_id

runner = CliRunner()


def _mbox(tmp_path: Path, name: str, msgs: list) -> Path:  # type: ignore[type-arg]
    return write_mbox(tmp_path / name, msgs)


def _moving(tmp: Path, faithful: bool) -> tuple[Path, Evaluation]:
    mbox = _mbox(tmp, "ok.mbox" if faithful else "lost.mbox", moving_series(faithful=faithful))
    return mbox, evaluate(EvalRequest((mbox,), jobs=1))


# moving_series as an mbox and its evaluation, once per module for the tests that only read them (the evaluation is
# most of such a test's time; five tests evaluated the same two series).
@pytest.fixture(scope="module")
def lost(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Evaluation]:
    return _moving(tmp_path_factory.mktemp("lost"), faithful=False)


@pytest.fixture(scope="module")
def faithful(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Evaluation]:
    return _moving(tmp_path_factory.mktemp("faithful"), faithful=True)


def _verdicts(tmp_path: Path, mbox: Path, variant: str) -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


# (a) the helpers move into a header with another name --------------------------------------------------

def test_a_move_that_loses_preemption_is_a_behaviour_change(tmp_path: Path, lost: tuple[Path, Evaluation]) -> None:
    mbox, ev = lost
    move = next(f for f in ev.comparison.findings if f.kind.startswith("code-move"))
    assert move.kind is FindingKind.CODE_MOVE_CHANGED
    assert "preempt count at SEAMCALL 1 -> 0" in move.text and "cache_state_incoherent = 1 -> none" in move.text
    per_patch = ev.comparison.per_patch[0]
    assert per_patch.changed and "no behaviour change" not in " ".join(per_patch.summary())
    verdicts = _verdicts(tmp_path, mbox, "v4")
    assert verdicts["move-preserves-behaviour"][0] is VerdictStatus.FAIL


def test_a_faithful_move_is_no_change_on_what_ran(tmp_path: Path, faithful: tuple[Path, Evaluation]) -> None:
    mbox, ev = faithful
    move = next(f for f in ev.comparison.findings if f.kind.startswith("code-move"))
    assert move.kind is FindingKind.CODE_MOVE and "without changing behaviour" in move.text
    cmp = ev.comparison.per_patch[0]
    assert not cmp.changed and cmp.compared > 0
    # What did not run on both sides is said, with the reason; "no behaviour change" is qualified.
    assert cmp.summary()[0] == f"no behaviour change in the {cmp.compared} of {cmp.total} scenarios that ran on " \
                               "both sides"
    assert all(str(g).startswith("not compared: ") for g in cmp.gaps)
    status, note = _verdicts(tmp_path, mbox, "v4")["move-preserves-behaviour"]
    # A pass says what it rests on, as eval's finding does (its note was empty).
    assert status is VerdictStatus.PASS and note.startswith("01/2 moves ") and " scenarios of " in note, note
    # ... and the constants the moved code reads from the mirror's prelude, on both sides (cedd4a5).
    assert "(give --tree); it rests on what the runs assumed: on both sides, RDRAND_RETRY_LOOPS" in note, note
    # ... and, from mail alone, that the tree's other users of what left <asm/tdx.h> were not checked.
    assert "ran on both sides; sc_mark_dirty, sc_retry, sc_retry_prerr, seamcall, seamcall_err, seamcall_prerr, " \
           "seamcall_ret, seamldr_prerr, which arch/x86/include/asm/tdx.h no longer defines " \
           "(arch/x86/virt/vmx/tdx/seamcall_internal.h does): the tree's files that no patch touches and that use " \
           "them were not checked (give --tree)" in note, note


# (b) the revision drops the patch a review asked to drop ---------------------------------------------------

def test_b_rules_of_a_dropped_patch_judge_the_revision_own_code(tmp_path: Path) -> None:
    mbox = _mbox(tmp_path, "drop.mbox", dropping_series())
    v3 = _verdicts(tmp_path, mbox, "v3")
    status, note = v3["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.PASS
    assert f"'{PREPARE.split(': ', 1)[1]}' is not in v3 (it was v2 02/3: dropped): judged on v3's own code" in note
    assert v3["nak-no-kernel-change"][0] is VerdictStatus.PASS
    assert v3["seamldr-no-entropy-not-retried"][0] is VerdictStatus.PASS
    # The changelog of a patch that is gone is absent by design: n/a, saying so.
    assert v3["changelog-no-vmcs"][0] is VerdictStatus.NOT_APPLICABLE and "dropped" in v3["changelog-no-vmcs"][1]
    # The revision that still has the patch fails the same rules.
    v2 = _verdicts(tmp_path, mbox, "v2")
    assert v2["no-unlikely-in-sc-retry"][0] is VerdictStatus.FAIL
    assert v2["seamldr-no-entropy-not-retried"][0] is VerdictStatus.FAIL


def test_b_a_printer_a_later_patch_adds_is_not_put_down_to_the_rule_patch(tmp_path: Path) -> None:
    # "No new error printer" was said of the Prepare patch: a later patch's new file with its own pr_warn()
    # does not fail it on the whole revision (the state right after the patch is what is judged).
    from tests.harness.seriesgen import RETRY_BY_LEAF, Step, revision

    info = ("static int seamldr_info(u64 fn, struct tdx_module_args *args)\n{\n\tint r = seamcall_prerr(fn, args);\n"
            "\n\tif (r)\n\t\tpr_warn(\"info failed\\n\");\n\treturn r;\n}\n")
    series = revision(4, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
        Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)),)),
        Step("x86/virt/seamldr: Add an info query",
            ((WRAPPER, None, '#include "seamcall.h"\n\n' + info), BUILD_WRAPPER)),
    ])
    v4 = _verdicts(tmp_path, _mbox(tmp_path, "later.mbox", series), "v4")
    assert v4["reuse-seamcall-err"][0] is VerdictStatus.PASS, v4["reuse-seamcall-err"]


def test_b_a_rule_on_a_renamed_helper_says_the_name_is_gone(tmp_path: Path) -> None:
    # v4 renames sc_retry() to seamcall_retry(): the review's rule names the old one. It cannot be judged
    # (never a pass), and the reason says no code names sc_retry() any more, not only "give --tree".
    renamed = [m for m in moving_series(faithful=True)]
    for m in renamed:
        body = m.get_payload()
        if isinstance(body, str):
            m.set_payload(body.replace("sc_retry(", "seamcall_retry("))
    v4 = _verdicts(tmp_path, _mbox(tmp_path, "renamed.mbox", renamed), "v4")
    status, note = v4["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE
    assert "nothing in v4's code names sc_retry() (renamed or removed? the rule may need its new name)" in note


# (c) a wrapper in a new .c file, under guard() ------------------------------------------------------------

def test_c_wrapper_in_a_new_file_is_discovered_and_run(faithful: tuple[Path, Evaluation]) -> None:
    _, ev = faithful
    found = next(e for e in ev.matrix.entries if e.name == "seamldr_query")
    assert found.kind is EntryKind.DISCOVERED and found.origin == f"{WRAPPER}:6"
    unit = next(u for u in ev.matrix.units if u.path == WRAPPER)
    out = ev.result.outcome("v4", f"seamldr_query/SEAMLDR_INFO/vmfailinvalid/{unit.name}")
    assert out.status == "ok" and out.ret == -5 and [c.preempt_count for c in out.calls] == [2]
    assert out.log[0].text.startswith("seamldr-ops: SEAMCALL (9223372036854775808) failed")


def test_c_wrapper_without_parameters_is_run_and_its_patch_is_a_change(tmp_path: Path) -> None:
    # int seamldr_probe(void) takes nothing the matrix feeds: the scripts' answers alone drive it. It must
    # run, and the patch adding it must not read "no behaviour change" on what ran without it.
    from tests.harness.seriesgen import Step, revision

    probe = WRAPPER_C + "\nint seamldr_probe(void)\n{\n\tstruct tdx_module_args args = {};\n\n" \
                        "\treturn seamldr_query(0x8000000000000000ULL, &args);\n}\n"
    series = moving_series(faithful=True)[:-1] + revision(4, [Step("x86/virt/seamldr: Add a probe", (
        (WRAPPER, None, probe), BUILD_WRAPPER))], total=2, numbers=[2])[1:]
    ev = evaluate(EvalRequest((_mbox(tmp_path, "probe.mbox", series),), jobs=1))
    found = next(e for e in ev.matrix.entries if e.name == "seamldr_probe")
    assert found.kind is EntryKind.DISCOVERED and found.args == ()
    unit = next(u for u in ev.matrix.units if u.path == WRAPPER)
    out = ev.result.outcome("v4", f"seamldr_probe/SEAMLDR_INFO/vmfailinvalid/{unit.name}")
    assert out.status == "ok" and out.ret == -5 and [c.leaf for c in out.calls] == [1 << 63]
    per_patch = ev.comparison.per_patch[-1]
    assert per_patch.changed and "seamldr_probe() is new" in " ".join(per_patch.summary())


@pytest.mark.parametrize("params", [("_fn", "_args"), ("__fn", "__args"), ("leaf_", "args_")])
def test_c_a_wrapper_macro_with_kernel_style_parameters_is_run(tmp_path: Path, params: tuple[str, str]) -> None:
    # The kernel's wrapper macros name their parameters _fn/__fn, _args/__args (a macro's parameters are
    # spelt apart from the caller's names): such a new wrapper was no entry point, never ran, and the patch
    # adding it read "no behaviour change".
    from tests.harness.seriesgen import Step, revision

    fn, args = params
    macro = WRAPPER_C + f"\n#define seamldr_query_prerr({fn}, {args})\tseamldr_prerr(({fn}), ({args}))\n"
    series = moving_series(faithful=True)[:-1] + revision(4, [Step("x86/virt/seamldr: Add a macro wrapper", (
        (WRAPPER, None, macro), BUILD_WRAPPER))], total=2, numbers=[2])[1:]
    ev = evaluate(EvalRequest((_mbox(tmp_path, "macro.mbox", series),), jobs=1))
    found = next((e for e in ev.matrix.entries if e.name == "seamldr_query_prerr"), None)
    assert found is not None and found.kind is EntryKind.DISCOVERED and found.args == ("fn", "args")
    per_patch = ev.comparison.per_patch[-1]
    assert per_patch.changed and "seamldr_query_prerr() is new" in " ".join(per_patch.summary())


def test_c_a_wrapper_of_any_name_that_retries_the_p_seamldr_fails_the_no_entropy_rule(tmp_path: Path) -> None:
    # Its name matches none of the helpers' patterns: the rule judges every entry point, found ones too.
    from tests.harness.seriesgen import Step, revision

    ldr = WRAPPER_C + ("\nstatic int tdx_ldr_call(u64 fn, struct tdx_module_args *args)\n{\n\tint retry = 10;\n"
                       "\tu64 ret;\n\n\tdo {\n\t\tret = __seamcall(fn, args);\n"
                       "\t} while (ret == 0x8000000000030001ULL && --retry);\n\treturn ret ? -5 : 0;\n}\n")
    series = moving_series(faithful=True)[:-1] + revision(4, [Step("x86/virt/seamldr: Add a P-SEAMLDR call", (
        (WRAPPER, None, ldr), BUILD_WRAPPER))], total=2, numbers=[2])[1:]
    status, note = _verdicts(tmp_path, _mbox(tmp_path, "ldr.mbox", series), "v4")["seamldr-no-entropy-not-retried"]
    assert status is VerdictStatus.FAIL, note


def test_json_lists_entries(tmp_path: Path) -> None:
    mbox = _mbox(tmp_path, "ok.mbox", moving_series(faithful=True))
    r = runner.invoke(app, ["eval", str(mbox), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    entries = {e["name"]: e for e in json.loads((tmp_path / "r.json").read_text())["entries"]}
    assert entries["seamldr_query"]["kind"] == "discovered" and entries["seamldr_query"]["origin"].endswith(":6")
    assert entries["seamcall"]["kind"] == "matrix" and "seamldr_query()" in r.stdout


# (d) a user's own git format-patch branch ------------------------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "A U Thor", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A U Thor",
           "GIT_COMMITTER_EMAIL": "a@example.org", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_d_plain_format_patch_branch_needs_no_matrix(tmp_path: Path) -> None:
    repo = tmp_path / "linux"
    header = repo / "arch/x86/virt/vmx/tdx/seamcall.h"
    header.parent.mkdir(parents=True)
    header.write_text(helpers(RETRY_SAFE))
    # the matrix's unit, which runs the helpers: it includes their header (one no unit includes is built by no one)
    (header.parent / "tdx.c").write_text('#define pr_fmt(fmt) "virt/tdx: " fmt\n\n#include "seamcall.h"\n')
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    header.write_text(helpers(RETRY_SAFE).replace("RDRAND_RETRY_LOOPS", "3"))
    _git(repo, "commit", "-qam", "x86/virt/tdx: sc_retry case 01")
    _git(repo, "format-patch", "-q", "-1", "-o", str(tmp_path / "out"))
    patch = next((tmp_path / "out").glob("*.patch"))
    r = runner.invoke(app, ["eval", str(patch), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["matrix"].endswith("series/p-seamldr/matrix.toml")
    # Without the tree, only the hunks are known: the entry points are not compared, and the report says why.
    cmp = data["differences"][0]
    assert cmp["compared"] == 0 and any("give --tree" in g["reason"] for g in cmp["not_compared"])
    # With the tree, the same branch runs: ten tries become three.
    r = runner.invoke(app, ["eval", str(patch), "--tree", str(repo), "--base", "HEAD~1", "--json",
                            str(tmp_path / "t.json")])
    assert r.exit_code == 0, r.output
    cmp = json.loads((tmp_path / "t.json").read_text())["differences"][0]
    assert cmp["compared"] > 0 and any("TDX module SEAMCALLs 10 -> 3" in line for line in cmp["summary"])


# (e) the corpus: every "no behaviour change" rests on scenarios that ran on both sides ---------------------

def _ran(row: dict) -> bool:  # type: ignore[type-arg]
    return row["status"] == "ok" or row["error_kind"] in ("runtime", "budget")


def test_e_corpus_claims_rest_on_runs(corpus_eval: Evaluation) -> None:
    # The report `seamharness eval corpus --json` writes (eval_json of its report model: test_eval's
    # test_streamed_json_equals_the_dict), of the session's evaluation of the corpus rather than one more; that
    # eval of the whole corpus exits 0 is test_eval's test_a_page_from_the_cache_is_the_page_of_a_run.
    from reports.json_report import eval_json

    data = json.loads(eval_json(report_model(corpus_eval)))
    ran = {(row["variant"], row["scenario"]): _ran(row) for row in flat_rows(data)}
    ids = [scenario_id(s) for s in data["scenarios"]]
    for c in data["differences"]:
        both = {sid for sid in ids if ran[(c["a"], sid)] and ran[(c["b"], sid)]}
        assert c["compared"] == len(both), c["label"]
        for d in differing(data, c):
            assert d["scenario"] in both or d["classes"] == ["provided"], (c["label"], d["scenario"])
        for line in c["summary"]:
            if line == "no behaviour change":
                assert len(both) == c["total"], c["label"]
            elif line.startswith("no behaviour change in the "):
                assert line.split()[5] == str(len(both)), c["label"]
        assert sum(g["scenarios"] for g in c["not_compared"]) == c["total"] - len(both) - sum(
            1 for d in differing(data, c) if d["classes"] == ["provided"])
    for f in data["findings"]:
        if f["kind"] == "code-move":
            assert "ran on both sides" in f["text"]


def test_v1_01_shows_its_leaf_format_change(corpus_eval: Evaluation) -> None:
    ev = corpus_eval
    cmp = next(c for c in ev.comparison.per_patch if c.label.startswith("v1 01/20"))
    assert any("fn printed with '0x%016llx' -> '%lld' (0x0000000000000021 -> 33)" in line for line in cmp.summary())
    changed = next(e for e in ev.matrix.entries if e.name == "seamcall_err")
    assert changed.kind is EntryKind.CHANGED and changed.origin and changed.origin.startswith("arch/x86/virt/vmx/tdx")


# partial input and inconclusive verdicts -----------------------------------------------------------------------

def test_partial_input_skips_what_cannot_be_built(corpus: Path) -> None:
    r = runner.invoke(app, ["eval", str(corpus / "v3"), "--variant", "v3:05", "--variant", "v3:06"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["gate", str(corpus / "v3"), "--variant", "v3"])
    assert r.exit_code == 1, r.output
    assert "note: variant yilun-either-code skipped: the reply <aXssgOZJteoaJUOz@yilunxu-OptiPlex-7050> holding " \
           "its proposal (" in r.stderr and "manifest.toml:53) is not in the input" in r.stderr
    r = runner.invoke(app, ["eval", str(corpus / "v3"), "--variant", "yilun-either-code"])
    assert r.exit_code == 2 and r.stderr.startswith("seamharness: variant yilun-either-code cannot be built")
    listing = runner.invoke(app, ["series", str(corpus / "v3")]).stdout
    assert "yilun-either-code" not in listing and "hansen-if-else" in listing


def test_inconclusive_error_rules_fail_the_gate_unless_allowed(corpus: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "v1", "--junit", str(tmp_path / "g.xml")])
    flat = " ".join(r.stdout.split())
    assert r.exit_code == 1 and "INCONCLUSIVE no-unlikely-in-sc-retry" in flat
    assert "sc_retry() is known only from hunks of arch/x86/include/asm/tdx.h in v1; give --tree" in flat
    junit = (tmp_path / "g.xml").read_text()
    assert 'type="inconclusive"' in junit
    allowed = runner.invoke(app, ["gate", str(corpus), "--variant", "v1", "--allow-inconclusive"])
    # v1 4-20 not given (a base problem); reuse-seamcall-err fails
    assert " ".join(allowed.stdout.split()).startswith(
        "v1: NOT READY: 1 base problem (patches missing), 1 error rule fails")


def test_new_header_home_is_read_without_a_manifest_path(faithful: tuple[Path, Evaluation]) -> None:
    _, ev = faithful
    v4 = ev.result.variant("v4")
    assert any(f.path == NEW_HOME and f.complete for f in v4.files)
    assert ev.result.outcome("v4", "seamcall_prerr/TDH_SYS_INIT/success/tdx.c").status == "ok"


def test_the_summary_counts_every_cell_and_lists_an_alarm_once(lost: tuple[Path, Evaluation]) -> None:
    from harness.report import report_model
    from reports.safe import counted
    from reports.terminal import eval_summary

    _, ev = lost
    rep = report_model(ev)
    assert rep.not_provided == len(rep.variants) * len(rep.scenarios) - rep.executed - rep.reused - rep.cached
    v4 = next(s for s in rep.summaries if s.name == "v4")
    assert len(v4.alarms) == 1 and not any(v4.alarms[0].startswith(p.label + ":") for p in v4.patches)
    from rich.console import Console

    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    head = " ".join(console.export_text().split("\nbase:")[0].split())  # the first line, folded at 300 columns
    replayed = f" ({rep.replayed} of them replayed: answered by an earlier run" if rep.replayed else ""
    assert f"{counted(rep.executed, 'run')} of the code now{replayed}" in head, head
    assert (f"; {counted(rep.reused, 'outcome')} reused from variants with identical code, {rep.cached} read from the "
            "outcome cache") in head, head
    assert (f"{rep.not_provided} not provided: the variant lacks the entry point" in head) == (rep.not_provided > 0)


def test_b_unlikely_written_out_as_builtin_expect_is_still_unlikely(tmp_path: Path) -> None:
    # include/linux/compiler.h: unlikely(x) is __builtin_expect(!!(x), 0); the annotation is the same either way.
    from tests.harness.seriesgen import NEW_HOME, RETRY_BY_LEAF, RETRY_SAFE, Step, revision

    spelled = RETRY_BY_LEAF.replace("unlikely(fn & SEAMLDR_LEAF_BIT)", "__builtin_expect(!!(fn & SEAMLDR_LEAF_BIT), 0)")
    assert spelled != RETRY_BY_LEAF
    series = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                               ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                          Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(spelled)),))])
    status, note = _verdicts(tmp_path, _mbox(tmp_path, "expect.mbox", series), "v2")["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.FAIL, note


def test_b_an_error_printer_a_later_patch_hands_to_the_helpers_is_a_new_printer(tmp_path: Path) -> None:
    # The point "reuse seamcall_err()" is about the P-SEAMLDR's failures: a printer given to the SEAMCALL
    # helpers as their error callback is one, whichever patch adds it (here the one after the rule's patch).
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, revision

    ldr = ("static void ldr_err(u64 fn, u64 err)\n"
           "{\n\tpr_err(\"P-SEAMLDR (%llx) failed: %#016llx\\n\", fn, err);\n}\n\n"
           "static int ldr_report(sc_func_t op, void (*print)(u64 fn, u64 err), u64 fn, struct tdx_module_args *args)\n"
           "{\n\tu64 err = op(fn, args);\n\n\tif (err)\n\t\tprint(fn, err);\n\treturn err ? -5 : 0;\n}\n\n"
           "static int ldr_call(u64 fn, struct tdx_module_args *args)\n"
           "{\n\treturn ldr_report(__seamcall, ldr_err, fn, args);\n}\n")
    base = helpers(RETRY_SAFE)
    prepared = base.replace("#define SEAMLDR_LEAF_BIT", "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n"
                                                        "#define SEAMLDR_LEAF_BIT")
    series = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                          Step(PREPARE, ((NEW_HOME, base, prepared),)),
                          Step("x86/virt/seamldr: Add a P-SEAMLDR call", ((WRAPPER, None, ldr), BUILD_WRAPPER))])
    status, note = _verdicts(tmp_path, _mbox(tmp_path, "printer.mbox", series), "v4")["reuse-seamcall-err"]
    assert status is VerdictStatus.FAIL, note


def test_without_rules_the_headline_counts_a_move_that_changes_behaviour(tmp_path: Path) -> None:
    mbox = _mbox(tmp_path, "lost.mbox", moving_series(faithful=False))
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[series]\nname = "ours"\n')  # no rules: the headline counts patches instead
    rep = report_model(evaluate(EvalRequest((mbox,), manifest=manifest, jobs=1)))
    summary = next(s for s in rep.summaries if s.name == "v4")
    assert summary.alarms and summary.alarms[0].startswith("v4 01/2: ")
    # 01/2 moves and changes, 02/2 adds a wrapper: both change behaviour, whatever the alarm line says.
    assert summary.headline == "v4: 2 of 2 patches change behaviour; no review rules evaluated"
    assert summary.blocking and summary.tone == "blocked"
    # Without rules and without an alarm, a revision is neither READY (green) nor blocked.
    faithful = _mbox(tmp_path, "kept.mbox", moving_series(faithful=True))
    quiet = next(s for s in report_model(evaluate(EvalRequest((faithful,), manifest=manifest, jobs=1))).summaries
                 if s.name == "v4")
    assert not quiet.blocking and quiet.tone == "unjudged"


def test_without_rules_the_headline_counts_only_what_ran(tmp_path: Path) -> None:
    # From mail alone the retry loop a patch loses is known only from its hunk: nothing ran on both sides, and
    # "v4: 0 of 1 patches change behaviour" said of it rested on no run (with --tree it changes behaviour).
    lose = revision(4, [Step("x86/virt/tdx: Lose the retry", ((OLD_HOME, helpers(RETRY_SAFE), helpers(RETRY_LOST)),))])
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[series]\nname = "ours"\n')
    rep = report_model(evaluate(EvalRequest((_mbox(tmp_path, "hunks.mbox", lose),), manifest=manifest, jobs=1)))
    (cmp,) = rep.per_patch
    assert cmp.compared == 0 and not cmp.changed
    # The loop's lines lie in sc_retry(), which the hunk shows only in part: never "file scope".
    outside = [u for u in cmp.unreached if "()" not in u.split(" (")[0]]
    assert outside and all(u.endswith("(in no definition the hunks show whole: give --tree)") for u in outside)
    summary = next(s for s in rep.summaries if s.name == "v4")
    # One patch: "1 patch changes", not "1 patches change".
    assert summary.headline == ("v4: 0 of 1 patch changes behaviour in what ran (v4 01/1 compared nothing: see that "
                                "patch); no review rules evaluated")


def test_the_whole_revision_is_the_state_after_its_last_patch(tmp_path: Path) -> None:
    # "--variant v4:01 --variant v4": v4 is v4:02 (its last patch), so 02/2 is compared, and a move that loses
    # the safe loop is an alarm and fails the move rule instead of "the states around it were not evaluated".
    moved = helpers(RETRY_LOST).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    msgs = revision(4, [Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),)),
                        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
                             ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, moved)))])
    ev = evaluate(EvalRequest((_mbox(tmp_path, "last.mbox", msgs),), variants=("v4:01", "v4"), jobs=1))
    (cmp,) = ev.comparison.per_patch
    assert (cmp.a, cmp.b) == ("v4:01", "v4") and cmp.label.startswith("v4 02/2: ") and cmp.changed
    assert any(f.kind is FindingKind.CODE_MOVE_CHANGED for f in ev.comparison.findings)
    assert ev.judgement is not None
    move = next(v for v in ev.judgement.verdicts_of("v4") if v.rule.id == "move-preserves-behaviour")
    assert move.status is VerdictStatus.FAIL, move.note
    assert report_model(ev).summaries[0].alarms[0].startswith("v4 02/2: ")


def _renaming(new_text: str) -> list:  # type: ignore[type-arg]
    """v4: 01 adds the helper header, 02 renames it (git mv, "rename from/to": the hunks show only what changed)."""
    from tests.mailgen import diff

    renamed = "arch/x86/virt/vmx/tdx/seamcall.h"
    old = helpers(RETRY_SAFE)
    body = diff(NEW_HOME, old, new_text).replace(
        f"diff --git a/{NEW_HOME} b/{NEW_HOME}\n",
        f"diff --git a/{NEW_HOME} b/{renamed}\nsimilarity index 90%\nrename from {NEW_HOME}\nrename to {renamed}\n", 1,
    ).replace(f"+++ b/{NEW_HOME}\n", f"+++ b/{renamed}\n", 1)
    from tests.mailgen import message, patch_body

    msgs = revision(4, [Step("x86/virt/seamldr: Add an internal SEAMCALL helper header", ((NEW_HOME, None, old),))])
    msgs.append(message("[PATCH v4 2/2] x86/virt/tdx: Rename the helper header", "gen-2-v4@example.org",
                        patch_body("No functional change.", body), parent="gen-cover-v4@example.org",
                        refs=("gen-cover-v4@example.org",)))
    msgs[0].replace_header("Subject", f"[PATCH v4 0/2] {bundled_cover()}")
    msgs[1].replace_header("Subject", "[PATCH v4 1/2] x86/virt/seamldr: Add an internal SEAMCALL helper header")
    return msgs


@pytest.mark.parametrize("faithful", [True, False])
def test_a_renamed_header_moves_every_helper_in_it(tmp_path: Path, faithful: bool) -> None:
    # A rename's hunks show no definition, yet every helper of the file moves with it: the move rule judges the
    # patch (it passed a rename that lost preempt_disable() as "no patch moves code"), and eval says so.
    new = helpers(RETRY_SAFE if faithful else RETRY_LOST)
    mbox = _mbox(tmp_path, "rename.mbox", _renaming(new))
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    assert [p.number for p in ev.series.revision(4).patches] == [1, 2]  # type: ignore[union-attr]
    move = next(f for f in ev.comparison.findings if f.kind.startswith("code-move"))
    assert move.kind is (FindingKind.CODE_MOVE if faithful else FindingKind.CODE_MOVE_CHANGED), move.text
    assert "sc_retry" in move.text and "seamcall_internal.h -> arch/x86/virt/vmx/tdx/seamcall.h" in move.text
    status, note = _verdicts(tmp_path, mbox, "v4")["move-preserves-behaviour"]
    assert status is (VerdictStatus.PASS if faithful else VerdictStatus.FAIL), note


def test_a_masked_status_comparison_is_told_from_an_exact_one(tmp_path: Path) -> None:
    # (err & TDX_SEAMCALL_STATUS_MASK) != TDX_RND_NO_ENTROPY retries a "no entropy" that carries a detail in its low
    # 32 bits, where the exact comparison does not: the bundled matrix has such an answer, so the patch is a
    # behaviour change, never an unqualified "no behaviour change".
    masked = RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "(err & 0xFFFFFFFF00000000ULL) != TDX_RND_NO_ENTROPY")
    assert masked != RETRY_SAFE
    add = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    msgs = revision(4, [add, Step("x86/virt/tdx: Compare the status class only",
                                  ((NEW_HOME, helpers(RETRY_SAFE), helpers(masked)),))])
    ev = evaluate(EvalRequest((_mbox(tmp_path, "mask.mbox", msgs),), jobs=1))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v4:02")
    assert cmp.changed, cmp.summary()
    # Of the matrix's scripts, the detailed "no entropy" alone tells them apart; the answers next to the changed
    # condition (valuecover's neighbour scripts, run on a comparison that differs already) may add their own.
    scripts = {d.scenario.script.name for d in cmp.differences}
    assert {s for s in scripts if not s.startswith("neighbour-")} == {"detailed-tdx-no-entropy"}, scripts


def test_a_headline_says_what_was_compared_in_part() -> None:
    # "2 of 3 patches change behaviour in what ran (1 in part: ...)": one what in part? A patch compared in part.
    from types import SimpleNamespace
    from typing import Any

    from harness.unjudged import unjudged_headline

    def cmp(changed: bool, unchanged: bool, compared: int, n: int = 1) -> Any:
        return SimpleNamespace(changed=changed, unchanged=unchanged, compared=compared, label=f"v2 0{n}/3: x",
                               adds_only=False, unapplied=())

    head = unjudged_headline("v2", [cmp(True, False, 9), cmp(False, False, 4, 2), cmp(False, False, 0, 3)], 1)
    # Before: "(1 compared nothing, 1 compared in part: see each patch)": which ones, the reader had to look for.
    assert head == ("v2: 1 of 3 patches change behaviour in what ran (v2 03/3 compared nothing, v2 02/3 compared in "
                    "part: see each); no review rules evaluated")
    head = unjudged_headline("v2", [cmp(False, False, 4, n) for n in (1, 2, 3, 4, 5)], 0)
    assert "(v2 01/3, v2 02/3, v2 03/3 and 2 more compared in part: see each)" in head, head
