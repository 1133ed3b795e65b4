"""States of a revision: what a tree supplies, and what it is known not to have (a matrix unit it lacks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from models.outcome import OutcomeStatus
from tests.gitoracle import init_repo
from tests.harness.seriesgen import (
    INCLUDES_NEW_HOME,
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    RETRY_SAFE,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"
SEAMLDR_C = "arch/x86/virt/vmx/tdx/seamldr.c"  # the matrix's other unit: this tree has no such file
PRINTS = "seamldr_prerr/SEAMLDR_INSTALL/success/seamldr.c"
RULE = """[[rule]]
id = "printer-runs"
reviewer = "R"
summary = "the P-SEAMLDR printer runs"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "seamldr_prerr", unit = "seamldr.c" }
expect = { status = "ok" }
"""


def _setup(tmp: Path) -> tuple[Path, Path]:
    # tdx.c includes the new header in the same patch: a header no unit includes is built by no one.
    tdx_c = '#define pr_fmt(fmt) "virt/tdx: " fmt\n\n' + INCLUDES_NEW_HOME[1]
    linux = init_repo(tmp / "linux", {MAKEFILE: MAKEFILE_BASE, TDX_C: tdx_c})
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_SAFE)), INCLUDES_NEW_HOME))])
    return write_mbox(tmp / "v5.mbox", msgs), linux


def test_a_unit_the_tree_lacks_and_no_patch_touches_is_not_run_on_an_assumed_pr_fmt(tmp_path: Path) -> None:
    # The tree has no seamldr.c and no patch creates it: the printer ran there with mainline's assumed
    # 'seamldr: ', as if the file were there; it is known absent, its scenarios not provided, and said so.
    mbox, linux = _setup(tmp_path)
    assert not (linux / SEAMLDR_C).exists()
    ev = evaluate(EvalRequest((mbox,), tree=linux, base="HEAD", jobs=1))
    v = ev.result.variant("v5:01")
    f = v.file(SEAMLDR_C)
    assert f is not None and f.absent and f.provenance[0].startswith(f"not in {linux} at ")
    assert ev.result.outcome("v5:01", PRINTS).status is OutcomeStatus.NOT_PROVIDED
    assert ev.result.outcome("v5:01", "seamcall_prerr/TDH_SYS_INIT/success/tdx.c").status is OutcomeStatus.OK
    cmp = ev.comparison.per_patch[0]
    assert any("seamldr_prerr" in g.entries and f"runs in {SEAMLDR_C}, which neither v5:00 nor v5:01 has (not in "
               f"{linux} at " in g.reason for g in cmp.gaps), cmp.summary()
    (tmp_path / "r.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v5", jobs=1, rules=tmp_path / "r.toml", tree=linux, base="HEAD"))
    [verdict] = g.verdicts
    assert verdict.status is VerdictStatus.INCONCLUSIVE, (verdict.status, verdict.note)
    assert f"not in {linux} at " in verdict.note
