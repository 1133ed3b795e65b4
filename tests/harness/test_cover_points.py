"""A review point in a reply to the cover letter blocks the patches it names, or the series, never passed unsaid.

Generated v2 of our own series (3 patches), a reply to its cover letter. Each point passed the gate READY, exit 0, said
nowhere, at c8d61157 (a point below the cover letter was read as of no patch). Every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, bundled_sender, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE = "Mae Maint <mae@example.org>"
TAG = "Reviewed-by: Mae Maint <mae@example.org>"


def _gate(tmp: Path, words: str, variant: str = "v2", answer: str = "", rules: bool = True) -> GateResult:
    """``variant``'s gate with Mae's reply ``words`` to the cover letter (and the author's ``answer`` below it)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    said = [message(f"Re: {msgs[0]['Subject']}", "c1@example.org", f"> The cover letter's words.\n\n{words}\n",
                    sender=MAE, parent=cover, refs=(cover,), date="Mon, 05 Jan 2026 10:00:00 +0000")]
    if answer:
        said.append(message(f"Re: {msgs[0]['Subject']}", "a1@example.org", answer, sender=bundled_sender(),
                            parent="c1@example.org", refs=(cover, "c1@example.org"),
                            date="Mon, 05 Jan 2026 11:00:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *said])
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml" if rules else None,
                                     cache=shared_outcomes()))


@pytest.mark.parametrize(("words", "target"), [
    ("For the whole series: please use %#llx.", "v2 cover letter"),
    ("Throughout the series, print the leaf in hex.", "v2 cover letter"),
    ("Shouldn't the series print the leaf in hex?", "v2 cover letter"),
    ("Please cap the retries at 8.", "v2 cover letter"),  # no patch named: which one cannot be told
    ("Patch 3 should go first.", "v2 03/3"),
    ("In patch 2, please cap the retries at 8.", "v2 02/3"),
    ("Patch 2:\nPlease cap the retries at 8.", "v2 02/3"),  # named by a heading
    ("For patches 1 and 2, please print the leaf in hex.", "v2 01/3, 02/3"),
    ("Why is this series needed?", "v2 cover letter"),  # a question to the author
])
def test_a_point_below_the_cover_letter_blocks(tmp_path: Path, words: str, target: str) -> None:
    g = _gate(tmp_path, words)
    said = " ".join(words.split())
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, target, said)], g.headline()
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges")


@pytest.mark.parametrize(("words", "blocks"), [
    ("For the whole series: please use %#llx.", True), ("Patch 3 should go first.", False),
    ("In patch 2, please cap the retries at 8.", True), ("Please cap the retries at 8.", True)])
def test_a_prefix_is_held_by_what_it_applies(tmp_path: Path, words: str, blocks: bool) -> None:
    g = _gate(tmp_path, words, "v2:02")
    assert bool(g.objections) == blocks and g.exit_status == int(blocks), g.headline()


@pytest.mark.parametrize("words", ["Looks good, thanks for doing this.", "Please keep me on Cc.",
                                   f"For the series: {TAG}", "No objections to the series."])
def test_praise_a_cc_or_a_tag_below_the_cover_letter_passes(tmp_path: Path, words: str) -> None:
    g = _gate(tmp_path, words)
    assert not g.objections and g.exit_status == 0, g.headline()


def test_a_nit_beside_a_tag_and_a_question_answered_are_said_lifted(tmp_path: Path) -> None:
    g = _gate(tmp_path, f"Nit for the whole series: s/0x%llx/%#llx/\n\n{TAG}")
    assert not g.objections and g.exit_status == 0, g.headline()
    assert len(g.lifted) == 1 and g.lifted[0].startswith("review point on v2 cover letter by Mae Maint <c1@") and \
        "lifted by its sender in the same message" in g.lifted[0], g.lifted
    g = _gate(tmp_path, "Why is this series needed?", answer="> Why is this series needed?\n\nThe loader needs it.\n")
    assert not g.objections and g.exit_status == 0, g.headline()
    assert len(g.lifted) == 1 and "lifted by the answer of the patch's author <a1@example.org>" in g.lifted[0], g.lifted


def test_without_a_rules_file_the_point_still_blocks(tmp_path: Path) -> None:
    g = _gate(tmp_path, "For the whole series: please use %#llx.", rules=False)
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.POINT, "v2 cover letter")], g.objections
    assert g.exit_status == 1


@pytest.mark.parametrize(("words", "note"), [
    ("In patch 2, please cap the retries at 8.", "said in a reply to the cover letter, naming this patch; a change "
     "asked that no rule judges: "),
    ("For patches 1 and 2, please print the leaf in hex.", "said in a reply to the cover letter, naming these "
     "patches; a change asked that no rule judges: "),
    ("For the whole series: please use %#llx.", "said in a reply to the cover letter, of the whole series; a change "
     "asked of the series that no rule judges: "),
    ("Please cap the retries at 8.", "said in a reply to the cover letter naming no patch, so taken as of the whole "
     "series; a change asked of the series that no rule judges: "),
    ("Why is this series needed?", "said in a reply to the cover letter, of the whole series; a question to the "
     "series' author that no answer of theirs"),
])
def test_a_cover_letter_point_says_where_it_was_made_and_of_what(tmp_path: Path, words: str, note: str) -> None:
    # The note read "in a reply to the cover letter, of the patches it names; a change asked of this patch" and "it
    # names the whole series: every patch's; a change asked of this patch": a dangling possessive, and "this patch"
    # of a point on the series. Terminal, JSON and JUnit all print Objection.note.
    (o,) = _gate(tmp_path, words).objections
    assert o.note.startswith(note), o.note
