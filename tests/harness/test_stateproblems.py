"""eval's verdict line counts and says a state's base problems as the gate's does (harness.stateproblems)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.harness import seriesgen as gen
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
    gate = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "-j", "1"])
    headline = next(ln for ln in gate.stdout.splitlines() if ln.startswith("v2: "))
    assert gate.exit_code == 1, gate.output
    assert headline == "v2: NOT READY: 1 base problem, 0 warnings, 1 passed, 0 not applicable", gate.output
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules), "-j", "1"])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 0 and headline in said and "READY: 0 warnings" not in said, r.stdout
    assert "! the input lacks v2 patch 2 (of 2), which v2 holds: the verdicts below are v2:01's" in said, r.stdout
