"""Who a rule's ``reviewer`` names: the cited message's author in any ASCII spelling of a name with marks."""

from __future__ import annotations

import pytest

from harness.judge import _same_person


@pytest.mark.parametrize("reviewer", ["Joerg Roedel", "Jorg Rodel", "Jörg Rödel", "roedel, joerg", "joerg@example.de"])
def test_an_ascii_spelling_of_the_author_is_the_author(reviewer: str) -> None:
    # Before: 'Joerg Roedel' and 'Jorg Rodel' were refused (exit 2), "but <...> is from Jörg Rödel".
    assert _same_person(reviewer, "Jörg Rödel", "joerg@example.de")


@pytest.mark.parametrize(("reviewer", "author"), [("Jörg Rödel", "Joerg Roedel"), ("Soeren Lund", "Søren Lund"),
                                                  ("Bjorn Aasen", "Bjørn Åsen"), ("Strasse", "Straße")])
def test_either_side_may_be_the_ascii_one(reviewer: str, author: str) -> None:
    assert _same_person(reviewer, author, "x@example.org")


@pytest.mark.parametrize("reviewer", ["Jorn Rodel", "Joerg Roedel Smith", "Dave Hansen", "Jo Ro"])
def test_another_name_is_still_refused(reviewer: str) -> None:
    assert not _same_person(reviewer, "Jörg Rödel", "joerg@example.de")
