"""A refusal in words only the one applying says, from a sender not shown applying (harness.takerrole).

A refusal in words only the one applying says ("I'm not going to take this."), from a sender the input does not show
applying patches: it blocks, and the gate says it reads it as their objection (harness.takerrole)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

NOTE = "its sender is not seen applying patches in the input"


def _gate(tmp: Path, *said: tuple[str, int]) -> GateResult:
    """v2 of our own series (3 patches) and Mae's replies (words, the patch each is below), dated in order."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    out = [message(f"Re: {msgs[under]['Subject']}", f"r{n}@example.org", words, sender=MAE, parent=ids[under],
                   refs=(ids[0], ids[under]), date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000")
           for n, (words, under) in enumerate(said)]
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *out])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("said", ["I'm not going to take this.\n", "Parking this one until the ABI settles.\n",
                                  "Reverted, it breaks boot on my SPR box.\n"])
def test_a_refusal_by_one_not_seen_applying_blocks_and_says_how_it_is_read(tmp_path: Path, said: str) -> None:
    # Before: blocked with no word of who refused (a reviewer's "I won't take this" read as the tree's).
    [o] = _gate(tmp_path, (said, 2)).objections
    assert o.kind is ObjectionKind.DROP and o.target == "v2 02/3" and o.note.startswith(NOTE), o.note


def test_a_refusal_by_one_seen_applying_is_their_trees_word(tmp_path: Path) -> None:
    g = _gate(tmp_path, ("Applied, thanks.\n", 1), ("I'm not going to take this.\n", 2))
    [o] = g.objections
    assert o.target == "v2 02/3" and o.note == "" and g.exit_status == 1, o


@pytest.mark.parametrize("said", ["Please drop this patch.\n", "Please hold off.\n"])
def test_a_request_to_whoever_applies_needs_no_such_note(tmp_path: Path, said: str) -> None:
    [o] = _gate(tmp_path, (said, 2)).objections
    assert o.note == "", o.note
