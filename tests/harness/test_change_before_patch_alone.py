"""A change put in a patch before the rule's own, with no earlier revision in the input to find it by title."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

UNCHANGED, NAK = "tdx-module-calls-unchanged", "nak-no-kernel-change"


def _v4(tmp_path: Path, second: str) -> dict[str, tuple[VerdictStatus, str]]:
    """The verdicts on v4 alone: 01 adds the helpers, 02 ``second`` turns them into another text, 03 is the
    rule's titled patch adding only a comment, 04 a wrapper."""
    base = helpers(RETRY_SAFE)
    more = helpers(second)
    after = more.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    assert after != more
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Tidy the SEAMCALL helpers", ((NEW_HOME, base, more),)),
                        Step(PREPARE, ((NEW_HOME, more, after),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    return {v.rule.id: (v.status, v.note) for v in got}


def test_a_change_in_an_earlier_patch_is_not_passed_unseen(tmp_path: Path) -> None:
    # Before: both PASS, 'compared with v4:02', a state that already holds the doubled retry bound.
    doubled = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 2 * RDRAND_RETRY_LOOPS;")
    assert doubled != RETRY_SAFE
    found = _v4(tmp_path, doubled)
    for rule in (UNCHANGED, NAK):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, found[rule])
        assert "v4 02/4" in note and "Tidy the SEAMCALL helpers" in note, note


def test_an_earlier_patch_changing_nothing_the_rule_runs_keeps_the_pass(tmp_path: Path) -> None:
    # The same shape, the earlier patch a comment only: what the rule compares is the same from v4:00 on.
    same = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\t/* kept */\n", 1)
    assert same != RETRY_SAFE
    found = _v4(tmp_path, same)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: VerdictStatus.PASS,
                                                                   NAK: VerdictStatus.PASS}, found


def test_an_annotation_an_earlier_patch_adds_is_not_passed_unseen(tmp_path: Path) -> None:
    # A source rule alike: 02/4 adds the unlikely() no-unlikely-in-sc-retry forbids, 03/4 (the titled patch) a
    # comment. Before: PASS, read against v4:02, which already holds it.
    test = "if (err != TDX_RND_NO_ENTROPY || !--left)"
    assert test in RETRY_SAFE
    found = _v4(tmp_path, RETRY_SAFE.replace(test, "if (unlikely(err != TDX_RND_NO_ENTROPY) || !--left)"))
    status, note = found["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE and "v4 02/4" in note and "unlikely" in note, found[
        "no-unlikely-in-sc-retry"]
    # What the annotation changes of the runs is nothing: the equivalence rules keep their pass.
    assert found[UNCHANGED][0] is VerdictStatus.PASS, found[UNCHANGED]
