"""Reviewer variants: what a counter-proposal applied on a state leaves that does not build."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import Verdict, VerdictStatus
from tests.harness.linkgen import OPS, OPS_BEFORE, keeps_loader_rule, renaming_call
from tests.mailgen import diff, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SAME = keeps_loader_rule("v5")


def _renamed(fix_caller: bool) -> str:
    """ldr_call() renamed ldr_invoke() in OPS, its caller ldr_query() too (``fix_caller``) or left on the old name."""
    text = OPS_BEFORE.replace("int ldr_call(u64 fn", "int ldr_invoke(u64 fn")
    return text.replace("return ldr_call(fn, args);", "return ldr_invoke(fn, args);") if fix_caller else text


def _gate(tmp_path: Path, msgs: list[EmailMessage], fix_caller: bool) -> Verdict:
    (tmp_path / "rename.patch").write_text("Rename ldr_call().\n---\n" + diff(OPS, OPS_BEFORE, _renamed(fix_caller)))
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[series]\nname = "ours"\nmsgids = ["gen-cover-v5@example.org"]\n\n[[variant]]\n'
                        'name = "rv-rename"\nstart = "v5"\npatches = ["rename.patch"]\n'
                        'msgid = "gen-review@example.org"\nauthor = "A. Reviewer"\ndescription = "rename it"\n')
    (tmp_path / "rules.toml").write_text(SAME)
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "s.mbox", msgs),), "rv-rename", jobs=1,
                                  manifest=manifest, rules=tmp_path / "rules.toml"))
    [verdict] = g.verdicts
    return verdict


@pytest.mark.parametrize("fix_caller", [True, False])
def test_a_proposal_renaming_a_helper_and_leaving_its_caller_does_not_build(tmp_path: Path, fix_caller: bool) -> None:
    # The reviewer's patch renames ldr_call() and leaves ldr_query() calling it (gcc: implicit declaration, see
    # tests/harness/test_tuorder.py's oracle on the same rename as a patch of the series). The variant had no list
    # of the names its patches removed, so the call was not judged.
    verdict = _gate(tmp_path, renaming_call(True)[:2], fix_caller)
    if fix_caller:
        assert verdict.status is not VerdictStatus.FAIL, verdict.note
        return
    assert verdict.status is VerdictStatus.FAIL, (verdict.status, verdict.note)
    assert "build error: ldr_query() calls ldr_call()" in verdict.note + "".join(e.actual for e in verdict.evidence)


def test_build_without_applies_the_start_state_without_the_dropped_patches(tmp_path: Path) -> None:
    # v1 02 tightens the retries, 03 comments the counter's line (needs 02) or a line apart from it (does not).
    # git am decides: without 02, the first 03 fails and the second applies; the state says so by its findings.
    from harness.pipeline import SeriesRequest, read_inputs
    from harness.reviewer import build_without
    from harness.variants import NO_TREE
    from tests.harness import test_change_before_patch_new as gen

    for explain, applies in ((gen._explained, True), (gen._beside_tries, False)):
        msgs = gen._dropping_tighten(explain=explain)
        series = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", msgs),)))
        v = build_without("v1:03-02", "v1:03", (2,), series, (NO_TREE, lambda _path: None))
        assert [" ".join(a.split()[:2]) for a in v.applied] == ["v1 01/5", "v1 03/5"], v.applied
        assert v.revision == 1 and "without v1 02/5" in v.description, v.description
        assert (not v.base_problems) is applies, v.base_problems
        assert (gen._code_after(tmp_path, [msgs[1], msgs[3]]) is not None) is applies  # git am, the oracle
