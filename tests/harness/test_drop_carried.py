"""A request to drop the patch a reply answers that carries on to another ("and patch 2 too") asks to drop that one."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox


def _targets(tmp: Path, words: str, variant: str) -> list[str]:
    """What each objection of ``variant`` is of, ``words`` from Mae below patch 3."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[3]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[3]['Subject']}", "d3@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                    parent=patch, refs=(cover, patch))
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, reply])
    (tmp / "rules.toml").write_text(RULE)
    return [o.target for o in evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml",
                                                        cache=shared_outcomes())).objections]


@pytest.mark.parametrize("words", ["Drop this patch and patch 2 too.", "Please drop this patch. Same for patch 2."])
def test_a_request_to_drop_carried_to_patch_two_blocks_it(tmp_path: Path, words: str) -> None:
    # It was of patch 3 alone: v2:02, which applies patch 2, passed.
    assert _targets(tmp_path, words, "v2:02") == ["v2 02/3"]
    assert _targets(tmp_path, words, "v2") == ["v2 02/3, 03/3"]


def test_a_request_to_drop_this_patch_alone_stays_its_own(tmp_path: Path) -> None:
    assert _targets(tmp_path, "Please drop this patch, patch 2 is fine.", "v2:02") == []
    assert _targets(tmp_path, "Please drop this patch, patch 2 is fine.", "v2") == ["v2 03/3"]
