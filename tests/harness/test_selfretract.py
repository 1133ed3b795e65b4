"""A reviewer taking back their own mail whole ("Ignore me, I misread."): its NAK or request to drop is lifted."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.objections import ObjectionKind
from harness.selfretract import retracts_answered
from tests.harness.test_tag_withdrawal import _gate

OLGA = "Olga Other <olga@example.org>"
ANN = "Ann Author <ann@example.org>"


@pytest.mark.parametrize("bodies", [
    ("NAK, the loop spins.\n", "Ignore me, I misread.\n"),
    ("NAK, the loop spins.\n", "Sorry, my mistake, the patch is fine.\n"),
    ("NAK, the loop spins.\n", "Never mind.\n"),
    ("NAK, the loop spins.\n", "Please ignore my previous mail, I misread the loop.\n"),
    ("NAK, the loop spins.\n", (ANN, "The caller bounds it.\n"), "Ah, I misread. Ignore me.\n"),  # the author's answer
    ("Please drop this patch.\n", "Ignore me, I misread.\n"),
])
def test_a_mail_taken_back_whole_lifts_its_objection(tmp_path: Path, bodies: tuple[str | tuple[str, str], ...]) -> None:
    # Before: the NAK or request stood (v2 NOT READY, exit 1), its sender's word taking it back read as nothing.
    g = _gate(tmp_path, *bodies)
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]
    [line] = g.lifted
    assert "lifted by its sender <t" in line


@pytest.mark.parametrize("bodies", [
    ("NAK, the loop spins.\n", "Never mind the nit, the loop still spins.\n"),
    ("NAK, the loop spins.\n", "I misread the first hunk, but the loop still spins.\n"),
    ("NAK, the loop spins.\n", (OLGA, "Ignore me, I misread.\n")),  # another's
    ("NAK, the loop spins.\n", "Ignore me, I misread.\n\nNAK for the other reason though.\n"),
    ("Please drop this patch.\n", "Never mind the nit, please still drop it.\n"),
])
def test_a_part_kept_or_anothers_word_lifts_nothing(tmp_path: Path, bodies: tuple[str | tuple[str, str], ...]) -> None:
    g = _gate(tmp_path, *bodies)
    assert g.exit_status == 1 and [o.msgid for o in g.objections] == ["t1@example.org"]
    assert g.objections[0].kind in (ObjectionKind.NAK, ObjectionKind.DROP)


def test_the_retractions_read() -> None:
    said = ["Ignore me.", "Never mind.", "Sorry, my mistake.", "I misread.", "I was wrong.", "Oops, my bad.",
            "Please disregard my previous mail.", "False alarm.", "Nevermind, I see it now."]
    assert [retracts_answered(s) for s in said] == said
    none = ["Never mind the nit.", "I misread the first hunk, but the loop spins.", "Don't ignore me.",
            "Should I ignore it?", "Ignore the comment, the loop still spins.", "The patch is fine."]
    assert [retracts_answered(s) for s in none] == [None] * len(none)
