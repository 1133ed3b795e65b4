"""harness.naknumbers: a NAK naming its patch as the verb's object or at its line's head is of that patch alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.naknumbers import nak_numbers
from harness.objections import ObjectionKind
from tests.harness.test_gate_naks import MAE
from tests.harness.test_thanksummary import _gate  # v2 of a 3-patch series, replies below its cover letter


@pytest.mark.parametrize(("sentence", "before", "named"), [
    ("NAK patch 2.", "", (2,)), ("I NAK patch 2", "", (2,)), ("I'm NAKing 2/3.", "", (2,)),
    ("NAK the second patch.", "", (2,)), ("Patch 2/3 - NAK", "", (2,)), ("[PATCH v2 2/3]: NAK", "", (2,)),
    ("2/3: NAK", "", (2,)), ("NAK", "Hi. [PATCH v2 2/3]:", (2,)), ("NAK", "Hi. Patch 2/3 -", (2,)),
    ("NAK", "Some text. Patch 2: ", (2,)),  # read before
    ("NAK 2 times", "", None), ("NAK.", "", None), ("Patch 2 is fine, NAK", "", None), ("NAK", "I read 2/3,", None),
])
def test_the_patches_a_nak_names(sentence: str, before: str, named: tuple[int, ...] | None) -> None:
    assert nak_numbers(sentence, before) == named


@pytest.mark.parametrize("words", ["NAK patch 2.", "I NAK patch 2", "I'm NAKing 2/3.", "Patch 2/3 - NAK",
                                   "[PATCH v2 2/3]: NAK"])
def test_a_nak_naming_its_patch_blocks_that_patch_alone(tmp_path: Path, words: str) -> None:
    # Before: a NAK of the cover letter, which blocked every variant (the prefix without patch 2 too).
    g = _gate(tmp_path, ("n1@example.org", words + "\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.NAK, "v2 02/3")], g.objections
    assert g.exit_status == 1


@pytest.mark.parametrize("words", ["NAK from me on patch 2.", "Patch 2 gets a NAK from me.", "Patch 2 is NAKed.",
                                   "Patch 2 has my NAK.", "2/3 is NACKed."])
def test_a_nak_with_its_patch_as_subject_or_from_me_blocks_that_patch_alone(tmp_path: Path, words: str) -> None:
    # Before: a NAK of the cover letter, blocking every variant.
    g = _gate(tmp_path, ("n1@example.org", words + "\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.NAK, "v2 02/3")], g.objections


def test_a_patch_said_not_naked_names_none() -> None:
    assert nak_numbers("Patch 2 is not NAKed, but the series is: NAK.", "") is None


@pytest.mark.parametrize(("sentence", "before", "named"), [
    # A bare number heading the NAK (before: None, a NAK of the cover letter that blocked every variant).
    ("NAK.", "1 and 3 look fine. 2:", (2,)), ("2: NAK.", "1 and 3 look fine.", (2,)), ("NAK.", "2:", (2,)),
    ("2 - NAK, the loop spins.", "", (2,)),
    ("NAK.", "We retried 2:", None), ("NAK.", "at 10:30:", None),
])
def test_a_bare_number_heading_a_nak_names_its_patch(sentence: str, before: str, named: tuple[int, ...] | None
                                                     ) -> None:
    assert nak_numbers(sentence, before) == named


def test_a_bare_number_heading_a_nak_blocks_that_patch_only(tmp_path: Path) -> None:
    # Before: a NAK of the cover letter, blocking v2:01 too.
    g = _gate(tmp_path, ("n1@example.org", "1 and 3 look fine. 2: NAK.\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.NAK, "v2 02/3")] and g.exit_status == 1
    assert not _gate(tmp_path, ("n1@example.org", "1 and 3 look fine. 2: NAK.\n", MAE), variant="v2:01").objections
