"""eval's verdict line counts and says a state's base problems as the gate's does (harness.stateproblems)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import Where
from harness.patching import Finding
from harness.stateproblems import ProblemKind, _kind
from tests.harness import seriesgen as gen
from tests.harness.printpatchgen import LINE, edited, print_patch
from tests.mailgen import write_mbox

runner = CliRunner()
_RULE = ('[[rule]]\nid = "prints"\nreviewer = "R"\nsummary = "the TDX module printer runs"\nseverity = "error"\n'
         '[rule.check]\nkind = "behaviour"\nscenarios = { entry = "seamcall_prerr", unit = "tdx.c" }\n'
         'expect = { status = "ok" }\n')


def test_a_revision_missing_its_last_patch_is_not_ready_in_eval_as_in_the_gate(tmp_path: Path) -> None:
    # v2 is 1/2 and 2/2; the input holds 1/2 alone. The gate said 'v2: NOT READY: 1 base problem, ...' and named the
    # missing patch; eval's verdict line for the same rules said 'v2: READY: ...', and nothing of the patch.
    step = gen.Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                    ((gen.NEW_HOME, None, gen.helpers(gen.RETRY_SAFE)),))
    mbox = write_mbox(tmp_path / "s.mbox", gen.revision(2, [step], total=2))
    rules = tmp_path / "r.toml"
    rules.write_text(_RULE)
    gate = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "-j", "1"],
                         env={"COLUMNS": "300"})
    headline = next(ln for ln in gate.stdout.splitlines() if ln.startswith("v2: "))
    assert gate.exit_code == 1, gate.output
    assert headline == "v2: NOT READY: 1 base problem (patches missing), 0 warnings, 1 passed, 0 not applicable", \
        gate.output
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules), "-j", "1", "--html", str(tmp_path / "r.html")],
                      env={"COLUMNS": "300"})
    said = " ".join(r.stdout.split())
    assert r.exit_code == 0 and headline in said and "READY: 0 warnings" not in said, r.stdout
    # what the count is, right under the verdict line (h598: 36 lines below it, after the inconclusive rules)
    lines = r.stdout.splitlines()
    assert lines[lines.index(headline) + 1].startswith("  ! the input lacks v2 patch 2 (of 2), which v2 holds: the "
                                                       "verdicts below are v2:01's"), r.stdout
    page = (tmp_path / "r.html").read_text()
    assert re.search(r'id="verdict-v2">v2: NOT READY: 1 base problem \(patches missing\),[^<]*</p>\n<p class="alarm '
                     r'small">the input lacks v2 patch 2 \(of 2\)', page)


def test_each_apply_finding_has_the_kind_of_what_made_it() -> None:
    at = Where("p.patch", 12)
    assert _kind(Finding("a.c", "@@ -3,5 +3,5 @@", "hunk does not apply: context differs at line 6", at)) is \
        ProblemKind.HUNK
    assert _kind(Finding("a.c", "", "post-image blob is 0123, the index line says 4567", at, blob=True)) is \
        ProblemKind.BLOB
    assert _kind(Finding("a.c", "", "patch modifies a file the base does not have (x)", at)) is ProblemKind.FILE


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_hunk_that_does_not_apply_is_named_on_the_verdict_line_and_said_under_it(tmp_path: Path) -> None:
    # '1 base problem' read as 'the base commit is wrong' (h598); here git's own patch, its '-' line edited.
    tree, patch = print_patch(tmp_path, LINE.replace("(0x%016llx)", "(%llu)"))
    bad = edited(patch, "(0x%016llx)", "(0x%08llx)")
    rules = tmp_path / "r.toml"
    rules.write_text(_RULE.replace('entry = "seamcall_prerr", unit = "tdx.c"', 'script = "*"'))
    r = runner.invoke(app, ["eval", str(bad), "--tree", str(tree), "--rules", str(rules), "-j", "1"],
                      env={"COLUMNS": "1000"})
    lines = r.stdout.splitlines()
    at = next(n for n, ln in enumerate(lines) if ln.startswith("v1: "))
    assert r.exit_code == 0, r.output
    assert lines[at].startswith("v1: NOT READY: 1 base problem (a hunk does not apply), "), r.stdout
    assert lines[at + 1] == f"  ! {bad}:14: arch/x86/virt/vmx/tdx/tdx.c @@ -3,5 +3,5 @@: hunk does not " \
        "apply: context differs at line 6; the file is the pre-image blob its index line names (2b19c4b), so the " \
        "diff was edited or mangled after git made it", r.stdout
