"""A changed condition on the leaf alone that comes out otherwise only for leaves no scenario takes is not known."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREAMBLE, PRINTERS, RETRY_BY_LEAF, RETRY_SAFE, TAIL, Step, revision
from tests.harness.test_changed_values import RULES
from tests.mailgen import write_mbox

TESTED = "if (unlikely(fn & SEAMLDR_LEAF_BIT))"
# The leaf tested beside the answer: a P-SEAMLDR leaf is never retried.
MIXED = RETRY_SAFE.replace("if (err != TDX_RND_NO_ENTROPY || !--left)",
                           "if (err != TDX_RND_NO_ENTROPY || (fn & SEAMLDR_LEAF_BIT) || !--left)")


def _series(tmp_path: Path, test: str, retry: str = RETRY_BY_LEAF, tested: str = TESTED) -> Path:
    """v2: the helper header (``retry``: choosing the retry code by the leaf's top bit), then a patch making its
    ``tested`` into ``test``."""
    base = PREAMBLE + retry + "\n" + PRINTERS + TAIL
    new = base.replace(tested, test)
    assert new != base
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs", ((NEW_HOME, base, new),))])
    (tmp_path / "r.toml").write_text(RULES)
    return write_mbox(tmp_path / "v2.mbox", msgs)


def _verdict(tmp_path: Path, mbox: Path) -> tuple[VerdictStatus, str]:
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    return v.status, v.note


def test_a_leaf_test_widened_to_a_bit_no_leaf_of_the_matrix_has_is_not_known(tmp_path: Path) -> None:
    # A TDX-module leaf with bit 4 set (0x10, 0x31 = 33 ^ 0x10) now retries on the P-SEAMLDR's code: every leaf of the
    # matrix (33, 35, bit 63 with 0 or 1) takes the test as before, so no run shows it. Before: PASS, and eval said
    # "no behaviour change".
    mbox = _series(tmp_path, "if (unlikely(fn & (SEAMLDR_LEAF_BIT | 0x10)))")
    status, note = _verdict(tmp_path, mbox)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "come out otherwise for leaves no scenario takes (0x31, 0x33, 0x10)" in note, note
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[-1]
    assert not cmp.changed and cmp.verdict().endswith("changes a condition that none of them tells apart")


def test_a_leaf_test_beside_the_answer_widened_is_not_known(tmp_path: Path) -> None:
    # A TDX-module leaf with bit 4 set is no longer retried on "no entropy"; every matrix leaf takes the operand as
    # before, and the answer's part is the same. Before: PASS.
    mbox = _series(tmp_path, "(fn & (SEAMLDR_LEAF_BIT | 0x10))", MIXED, "(fn & SEAMLDR_LEAF_BIT)")
    status, note = _verdict(tmp_path, mbox)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "come out otherwise for leaves no scenario takes (0x31, 0x33, 0x10)" in note, note


def test_a_leaf_test_respelt_to_the_same_bit_still_passes(tmp_path: Path) -> None:
    status, note = _verdict(tmp_path, _series(tmp_path, "if (unlikely((fn >> 63) & 1))"))
    assert status is VerdictStatus.PASS, (status, note)
