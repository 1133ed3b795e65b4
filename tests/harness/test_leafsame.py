"""same_across_leaves: a retry code chosen by leaf fails whatever names the choice uses (no-leaf-dependent-retry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.leafsame import leaf_differences
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, dropping_series, helpers, preparing_series
from tests.mailgen import write_mbox

RULE = "no-leaf-dependent-retry"
LOOP = "err != TDX_RND_NO_ENTROPY"


def _verdict(tmp_path: Path, msgs: list, variant: str = "v2") -> tuple[VerdictStatus, str]:  # type: ignore[type-arg]
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", msgs),), variant, jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == RULE)
    return found.status, found.note


def _by(choice: str) -> str:
    """The safe loop retrying the "no entropy" code ``choice`` picks (``fn`` is the leaf)."""
    return RETRY_SAFE.replace("\tu64 err;\n", f"\tu64 err;\n\tu64 busy = {choice};\n", 1).replace(LOOP, "err != busy")


@pytest.mark.parametrize("choice", [
    "(fn >> 63) ? 0x8000000000030001ULL : TDX_RND_NO_ENTROPY",  # the top bit by hand
    "(fn & SEAMLDR_LEAF_BIT) ? 0x8000000000030001ULL : TDX_RND_NO_ENTROPY",  # a mask of the patch's own
], ids=["shift", "own mask"])
def test_a_retry_code_chosen_by_leaf_fails_whatever_it_is_called(tmp_path: Path, choice: str) -> None:
    # Before: the rule looked for the names is_seamldr_call and SEAMLDR_SEAMCALL_MASK in sc_retry() and passed.
    status, note = _verdict(tmp_path, preparing_series(helpers(_by(choice))))
    assert status is VerdictStatus.FAIL, (status, note)
    assert "compared across leaves" in note, note


def test_the_dropped_patch_of_the_generated_series_fails_it(tmp_path: Path) -> None:
    # seriesgen's RETRY_BY_LEAF picks the code with unlikely(fn & SEAMLDR_LEAF_BIT): it passed before.
    assert _verdict(tmp_path, dropping_series(), "v2")[0] is VerdictStatus.FAIL


def test_one_retry_for_both_codes_whatever_the_leaf_passes(tmp_path: Path) -> None:
    # The point met: retry either "no entropy" code, for any leaf (what the reviewer argued for).
    retry = RETRY_SAFE.replace(f"if ({LOOP} || !--left)",
                               f"if (({LOOP} && err != 0x8000000000030001ULL) || !--left)")
    status, note = _verdict(tmp_path, preparing_series(helpers(retry)))
    assert status is VerdictStatus.PASS, (status, note)


def test_scenarios_of_one_leaf_compare_nothing() -> None:
    assert leaf_differences([]) == ([], 0)
