"""harness.dropless and harness.earlierchange under an eval narrowed by --variant: the verdict agrees with what ran.

The series are our own (tests.harness.seriesgen); git am decides which states exist and gcc what their code is."""

from __future__ import annotations

import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.dropless import _evaluated
from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, Evaluation, build_variants, evaluate, read_inputs
from harness.report import _narrowed
from harness.verdict import VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.seriesgen import NEW_HOME, PREPARE, Step, revision
from tests.harness.test_change_before_patch_new import (
    BASE,
    CREATE,
    EXPLAIN,
    TIGHTEN,
    UNCHANGED,
    _dropping_tighten,
    _explained,
    _fewer,
)
from tests.harness.test_change_before_patch_new import _constant as _with_constant
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("git") is None,
                                reason="gcc and git (the oracles) are needed")
EVERY_STATE = ("v2:00", "v2:01", "v2:02", "v2")  # what the rule on v2 03/4 compares, as gate evaluates them


def _eval(tmp: Path, mbox: Path, variants: tuple[str, ...]) -> tuple[Evaluation, VerdictStatus, str]:
    """`seamharness eval MBOX --variant ...`: the evaluation and the rule's verdict on v2."""
    ev = evaluate(EvalRequest((mbox,), jobs=1, cache=tmp / f"eval-{len(list(tmp.glob('eval-*')))}",
                              variants=variants))
    assert ev.judgement is not None
    [row] = [r for r in ev.judgement.rows if r.rule.id == UNCHANGED]
    return ev, row.verdicts["v2"].status, row.verdicts["v2"].note


def _gate(tmp: Path, mbox: Path) -> tuple[VerdictStatus, str]:
    [judged] = [v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=tmp / "gate")).verdicts
                if v.rule.id == UNCHANGED]
    return judged.status, judged.note


def test_a_narrowed_eval_never_passes_on_a_state_it_did_not_evaluate(tmp_path: Path) -> None:
    # v2 drops v1 02 and words 02 'Explain' otherwise. Before: `eval --variant v2,v2:02` gave PASS, its note saying
    # "not compared with the patches before '...' (v2 02/4 ...: a state not evaluated)" while the headline said
    # "a rule that needs one is inconclusive here". Now INCONCLUSIVE, as the headline says; with every state the
    # gate evaluates given, the pass the gate gives, resting on the same comparison (v1:03-02, built without 02).
    mbox = write_mbox(tmp_path / "s.mbox", _dropping_tighten())
    gate = _gate(tmp_path, mbox)
    assert gate[0] is VerdictStatus.PASS, gate[1]
    ev, status, note = _eval(tmp_path, mbox, ("v2", "v2:02"))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"not compared (v2 02/4 '{EXPLAIN}': a state not evaluated)" in note, note
    assert "a rule that needs one is inconclusive here" in _narrowed(ev)["v2"]
    _, status, note = _eval(tmp_path, mbox, EVERY_STATE)
    assert status is VerdictStatus.PASS, note
    said = "which v2 dropped: alike against v1:03-02, built without it"
    assert said in note and said in gate[1], (note, gate[1])


RET = "#define seamcall_ret(_fn, _args)\tsc_retry(__seamcall_ret, (_fn), (_args))\n"


def _saved(text: str) -> str:
    """One more SEAMCALL macro, an entry point of the bundled rule ('seamcall*')."""
    assert RET in text
    return text.replace(RET, f"{RET}#define seamcall_saved(_fn, _args)\tsc_retry(__seamcall_saved_ret, (_fn), "
                             "(_args))\n")


def _gone_macro() -> list[EmailMessage]:
    """v1: the header, 02 'Retry fewer times', 03 'Explain' adding seamcall_saved(), the titled patch; v2 drops 02,
    and its 02 'Explain' adds no macro: seamcall_saved() is an entry point of the v1 states alone."""
    fewer, mine = _fewer(BASE), _explained(BASE, "The SEAMCALL helpers")
    was = _saved(_explained(fewer, "SEAMCALL helpers"))
    v1 = [CREATE, Step(TIGHTEN, ((NEW_HOME, BASE, fewer),)), Step(EXPLAIN, ((NEW_HOME, fewer, was),)),
          Step(PREPARE, ((NEW_HOME, was, _with_constant(was)),))]
    v2 = [CREATE, Step(EXPLAIN, ((NEW_HOME, BASE, mine),)), Step(PREPARE, ((NEW_HOME, mine, _with_constant(mine)),))]
    return revision(1, v1) + revision(2, v2)


def _macros_after(tmp: Path, patches: list[EmailMessage]) -> str:
    """git am of ``patches`` on a fresh base, then the macros gcc -dM finds the header defines."""
    repo = init_repo(tmp / f"r{len(list(tmp.glob('r*')))}", {"README": "base\n"})
    mbox = write_mbox(tmp / "p.mbox", patches)
    subprocess.run(["git", "-C", str(repo), "am", "-q", str(mbox)], capture_output=True, check=True)
    return subprocess.run(["gcc", "-E", "-dM", str(repo / NEW_HOME)], capture_output=True, text=True,
                          check=True).stdout


def test_an_entry_point_only_the_state_aside_has_is_compared(tmp_path: Path) -> None:
    # Oracle (git am, gcc -dM): v1 01+03, the state without the dropped 02, defines seamcall_saved(); v2 01+02 does
    # not. Under `eval --variant` of v2's states no state shown has it: found in the state aside alone (its
    # discovery, harness.pipeline.with_matrix), compared, never a pass: gone since (before that discovery: PASS).
    msgs = _gone_macro()
    v1, v2 = msgs[1:5], msgs[6:9]
    assert "seamcall_saved" in _macros_after(tmp_path, [v1[0], v1[2]])
    assert "seamcall_saved" not in _macros_after(tmp_path, v2[:2])
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    ev, status, note = _eval(tmp_path, mbox, EVERY_STATE)
    assert [v.name for v in ev.variants.aside] == ["v1:03-02"]
    gate = _gate(tmp_path, mbox)
    for got in ((status, note), gate):
        assert got[0] is VerdictStatus.INCONCLUSIVE, got[1]
        assert "seamcall_saved() is gone from v2:02 (only v1:03-02 provides it)" in got[1], got[1]


def test_a_narrowed_eval_builds_no_state_aside_the_rule_cannot_compare_with(tmp_path: Path) -> None:
    # h505: `eval --variant v2` built and ran v1:03-02, which only v2:02 is compared with, and the rule said
    # "reference v2:02 was not evaluated". Now it is not built; with v2:02 evaluated it is.
    mbox = write_mbox(tmp_path / "s.mbox", _dropping_tighten())
    ev, status, note = _eval(tmp_path, mbox, ("v2",))
    assert ev.variants.aside == ()
    assert status is VerdictStatus.INCONCLUSIVE and "reference v2:02 was not evaluated" in note, note
    ev, *_ = _eval(tmp_path, mbox, ("v2:02", "v2"))
    assert [v.name for v in ev.variants.aside] == ["v1:03-02"]


def test_a_state_is_evaluated_under_the_whole_revision_it_aliases(tmp_path: Path) -> None:
    # vN:KK of the revision's last patch is vN, built once (harness.statenames.state_alias).
    req = EvalRequest((write_mbox(tmp_path / "s.mbox", _dropping_tighten()),), jobs=1)
    built = build_variants(req, read_inputs(req), ("v2",))
    assert _evaluated(built.variants, "v2") and _evaluated(built.variants, "v2:04")
    assert not _evaluated(built.variants, "v2:02") and not _evaluated(built.variants, "v1:04")
