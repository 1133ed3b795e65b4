"""A NAK or a request to drop of the whole series given below one patch is every patch's, not that patch's alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies


def _gate(tmp: Path, words: str, variant: str) -> tuple[int, list[str]]:
    """The gate's exit status and objections on ``variant`` with Mae's ``words`` below v2 2/3."""
    mbox = _replies(tmp, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
    return g.exit_status, [o.title for o in g.objections]


@pytest.mark.parametrize(("words", "what"), [
    ("NAK to the whole series.", "NAK of"), ("NAK for all patches.", "NAK of"), ("This series: NAK.", "NAK of"),
    ("For the whole series, NAK.", "NAK of"), ("Please drop the whole series.", "request to drop"),
])
def test_the_whole_series_named_below_one_patch_is_every_patchs(tmp_path: Path, words: str, what: str) -> None:
    # Before: the patch's alone; v2:01, which stops before it, passed (exit 0).
    assert _gate(tmp_path, words, "v2:01") == (1, [f"{what} v2 01/3 by Mae Maint"]), words
    assert _gate(tmp_path, words, "v2") == (1, [f"{what} v2 01/3, 02/3, 03/3 by Mae Maint"]), words


@pytest.mark.parametrize("words", ["NAK, this patch breaks the series.", "Patch 2 of this series: NAK.", "NAK.",
                                   "Please drop this patch."])
def test_a_nak_of_the_patch_alone_stays_its(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, words, "v2:01") == (0, []), words
