"""harness.ordinalnames: patches a reply names by place ("the first three", "the last one") read as by number."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.ordinalnames import ordinals_as_numbers
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.harness.test_thanksummary import _gate as _cover_gate
from tests.mailgen import message, write_mbox

MAE = "Mae Maint <mae@example.org>"


@pytest.mark.parametrize(("words", "numbered"), [
    ("Applied the first three, thanks. The last one needs more work.",
     "Applied patches 1-3, thanks. patch 4 needs more work."),
    ("Applied the first two, the last two need work.", "Applied patches 1-2, patches 3-4 need work."),
    ("Applied the first 2 patches.", "Applied patches 1-2."),
    ("Applied the first two out of four.", "Applied patches 1-2."),  # before: as written
    ("The last one of the four patches needs work.", "patch 4 needs work."),
    ("Applied the first three of four patches, thanks.", "Applied patches 1-3, thanks."),
    ("Applied the second and third patches; the first patch needs work.",
     "Applied patches 2 and 3; patch 1 needs work."),
    ("The last patch of the series needs more work.", "patch 4 needs more work."),
    ("The first three lines of the log are wrong.", "The first three lines of the log are wrong."),  # no patches
    ("Applied the first five.", "Applied the first five."),  # past the series' end: as written
    ("First, the loop has no bound.", "First, the loop has no bound."),
    # A patch's number in words (before: as written, the gate passed it); never past the end or after "the".
    ("Patch two needs more work.", "patch 2 needs more work."),
    ("Patches two and three need work.", "patches 2 and 3 need work."),
    ("Patch nine needs work.", "Patch nine needs work."),
    ("The patch one sends is fine.", "The patch one sends is fine."),
    # A place counted in more patches than the series has is another's (before: "the last one" made patch 4).
    ("Applied the last one out of five.", "Applied the last one out of five."),
    ("Applied the first two out of six.", "Applied the first two out of six."),
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
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1, g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, target, said), o
    assert o.note.startswith("held back by its sender from what they applied"), o.note


@pytest.mark.parametrize(("words", "numbered"), [
    # Before: each as written (read as nothing, or "patches 2 onwards" as patch 2 alone).
    ("Please drop the remaining two after patch 1.", "Please drop patches 2-3."),
    ("Please drop everything after 1/3.", "Please drop patches 2-3."),
    ("Drop all the patches following patch 2.", "Drop patch 3."),
    ("Please drop patches 2 onwards.", "Please drop patches 2-3."),
    ("Drop 2/3 onward, thanks.", "Drop patches 2-3, thanks."),
    ("Please drop patch 2 and later.", "Please drop patches 2-3."), ("Drop from patch 2 on.", "Drop patches 2-3."),
    ("Applied up to patch 2, thanks.", "Applied patches 1-2, thanks."),
    ("Applied everything before patch 3.", "Applied patches 1-2."),
    ("Applied 1-2, 3 and later need work.", "Applied 1-2, patch 3 need work."),
    ("Applied the first 2 of 3.", "Applied patches 1-2."),  # of the series' count: as written before
    # As written: a count that is not how many follow, past the end, a time ("after patch 1 has landed"), no patch.
    ("Please drop the remaining three after patch 1.", "Please drop the remaining three after patch 1."),
    ("Applied patches 4 onwards.", "Applied patches 4 onwards."),
    ("Drop everything after 3.", "Drop everything after 3."),
    ("Apply the rest after patch 1 has landed.", "Apply the rest after patch 1 has landed."),
    ("Apply the rest after patch 1 is merged.", "Apply the rest after patch 1 is merged."),
    ("Retry up to 3 times.", "Retry up to 3 times."), ("I tested from 2 on.", "I tested from 2 on."),
    ("Wait 5 seconds and later retry.", "Wait 5 seconds and later retry."),
])
def test_runs_from_or_up_to_a_patch_read_as_numbers(words: str, numbered: str) -> None:
    assert ordinals_as_numbers(words, 3) == numbered


@pytest.mark.parametrize(("words", "target", "passes"), [
    ("Please drop the remaining two after patch 1.\n", "v2 02/3, 03/3", "v2:01"),
    ("Please drop patches 2 onwards.\n", "v2 02/3, 03/3", "v2:01"),
    ("Applied up to patch 2, thanks.\n", "v2 03/3", "v2:02"),
    ("Queued 1-2, 3 and later need another round.\n", "v2 03/3", "v2:02"),
])
def test_a_run_of_patches_dropped_or_left_out_blocks_a_variant_applying_them(tmp_path: Path, words: str, target: str,
                                                                               passes: str) -> None:
    # Before: v2 READY, exit 0 on the first and third ("after patch 1", "up to patch 2" named no patch), 02/3 alone
    # held on the second.
    def gate(variant: str) -> GateResult:
        msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
        cover = msgs[0]["Message-ID"].strip("<>")
        reply = message(f"Re: {msgs[0]['Subject']}", "a1@example.org", words, sender=MAE, parent=cover, refs=(cover,))
        (tmp_path / "rules.toml").write_text(RULE)
        mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
        return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes()))
    g = gate("v2")
    assert g.exit_status == 1, g.headline()
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, target)], g.objections
    assert not gate(passes).objections


@pytest.mark.parametrize(("text", "total", "said"), [
    ("NAK on the middle patch", 3, "NAK on patch 2"), ("Please drop the middle patch.", 5, "Please drop patch 3."),
    ("The middle patch of three needs work.", 3, "patch 2 needs work."),
    ("NAK on the middle patch", 4, "NAK on the middle patch"),  # an even count has none
    ("The middle patch of 5 is bad.", 3, "The middle patch of 5 is bad."),  # another series'
])
def test_the_middle_patch(text: str, total: int, said: str) -> None:
    assert ordinals_as_numbers(text, total) == said


@pytest.mark.parametrize(("words", "kind"), [("NAK on the middle patch.", ObjectionKind.NAK),
                                             ("Please drop the middle patch.", ObjectionKind.DROP),
                                             ("Applied all but the middle patch.", ObjectionKind.DROP)])
def test_the_middle_patch_named_blocks_it_alone(tmp_path: Path, words: str, kind: ObjectionKind) -> None:
    # Before: the NAK was of the cover letter (every variant blocked); the drop and the patch left out read as
    # nothing: v2 READY, exit 0, with patch 2 asked dropped.
    g = _cover_gate(tmp_path, ("m1@example.org", words + "\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(kind, "v2 02/3")], g.objections
    assert g.exit_status == 1
