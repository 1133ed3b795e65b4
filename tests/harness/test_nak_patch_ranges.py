"""A NAK below the cover letter naming patches by a range, a bare number of the series' form or an ordinal is theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox


def _titles(tmp: Path, words: str, variant: str) -> list[str]:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "n5@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                    parent=cover, refs=(cover,))
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, reply])
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
    return [o.title for o in g.objections]


@pytest.mark.parametrize("words", ["NAK for 2-3/3.", "NAK for patches 2..3.", "NAK for #2-#3.",
                                   "NAK: patches 2 and 3.", "NAK to the second and third patch.",
                                   "NAK for 2/3 and 3/3."])
def test_a_nak_of_patches_two_and_three_is_theirs(tmp_path: Path, words: str) -> None:
    # Each was a NAK of the cover letter: v2:01, which stops before both, was blocked by it.
    assert _titles(tmp_path, words, "v2:01") == []
    assert _titles(tmp_path, words, "v2") == ["NAK of v2 02/3, 03/3 by Mae Maint"]


def test_a_patch_named_fine_after_the_nak_is_not_nacked(tmp_path: Path) -> None:
    # Read as "patch 3, 2": a NAK of patch 2 too, blocking v2:02.
    assert _titles(tmp_path, "NAK for patch 3, patch 2 is fine.", "v2:02") == []
    assert _titles(tmp_path, "NAK for patch 3, patch 2 is fine.", "v2") == ["NAK of v2 03/3 by Mae Maint"]


def test_a_patch_named_after_the_nak_with_a_fault_of_its_own_is_nacked_too(tmp_path: Path) -> None:
    # Only approval takes the second out of the NAK's list: "has the same bug" keeps it (a false pass otherwise).
    assert _titles(tmp_path, "NAK for patch 3, patch 2 has the same bug.", "v2:02") == ["NAK of v2 02/3 by Mae Maint"]
