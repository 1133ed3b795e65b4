"""harness.ordinalnames: patches a reply names by place ("the first three", "the last one") read as by number."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.ordinalnames import ordinals_as_numbers
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE = "Mae Maint <mae@example.org>"


@pytest.mark.parametrize(("words", "numbered"), [
    ("Applied the first three, thanks. The last one needs more work.",
     "Applied patches 1-3, thanks. patch 4 needs more work."),
    ("Applied the first two, the last two need work.", "Applied patches 1-2, patches 3-4 need work."),
    ("Applied the first 2 patches.", "Applied patches 1-2."),
    ("Applied the second and third patches; the first patch needs work.",
     "Applied patches 2 and 3; patch 1 needs work."),
    ("The last patch of the series needs more work.", "patch 4 needs more work."),
    ("The first three lines of the log are wrong.", "The first three lines of the log are wrong."),  # no patches
    ("Applied the first five.", "Applied the first five."),  # past the series' end: as written
    ("First, the loop has no bound.", "First, the loop has no bound."),
])
def test_places_in_the_series_read_as_numbers(words: str, numbered: str) -> None:
    assert ordinals_as_numbers(words, 4) == numbered


@pytest.mark.parametrize(("words", "target", "said"), [
    ("Applied the first two, thanks. The last one needs more work.\n", "v2 03/3", "The last one needs more work."),
    ("Applied the first and third, thanks. The second needs work.\n", "v2 02/3", "The second needs work."),
    ("Applied the first patch. The last two need another round.\n", "v2 02/3, 03/3",
     "The last two need another round."),
])
def test_a_patch_held_back_by_place_blocks_a_variant_applying_it(tmp_path: Path, words: str, target: str,
                                                                  said: str) -> None:
    # Before: v2 READY, exit 0: "the last one" named no patch, and the gate passed what Mae did not apply.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "a1@example.org", words, sender=MAE, parent=cover, refs=(cover,))
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    assert g.exit_status == 1, g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, target, said), o
    assert o.note.startswith("held back by its sender from what they applied"), o.note
