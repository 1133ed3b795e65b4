"""ASCII spellings of a person's name (harness/personnames.py), as the rules' reviewer and reported NAKs use them."""

from __future__ import annotations

from harness.personnames import ascii_spellings
from harness.reportednak import person_named


def test_a_name_with_marks_has_its_ascii_spellings() -> None:
    assert ascii_spellings("Jörg Rödel") == {"jörg rödel", "joerg roedel", "jorg rodel"}
    assert ascii_spellings("Søren") == {"søren", "soeren", "soren"}


def test_a_nak_reported_in_an_ascii_spelling_names_the_sender() -> None:
    # "Joerg NAKed v2" of a sender "Jörg Rödel": no name matched before, so his later withdrawal lifted nothing.
    assert person_named("Joerg", "Jörg Rödel", "joro@example.org")
    assert person_named("Jorg Rodel", "Jörg Rödel")
    assert not person_named("Joerg", "Jürgen Rödel")
