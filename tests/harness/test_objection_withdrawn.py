"""A NAK or an objection taken back by its sender as an objection, as "Never mind my NAK", or by a bare "Withdrawn."."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.keepwords import kept_after
from harness.nakwords import nak_sentence, withdraws_nak
from harness.selfretract import retracts_answered
from tests.harness.test_gate_naks import MAE, OLGA, _objections, _replies

NAK = ("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch")
OBJECTS = ("n1@example.org", "> quoted\n\nI object to this patch.\n", MAE, "patch")


@pytest.mark.parametrize("words", [
    "My objection is withdrawn.", "I retract my objection.", "Never mind my NAK, I misread the callers.",
    "Objection withdrawn.", "I take my objection back.", "My objection no longer stands.",
    "I withdraw my objection to this patch.", "Never mind my objection.",
])
def test_a_nak_taken_back_as_an_objection_or_never_minded_blocks_nothing(tmp_path: Path, words: str) -> None:
    # Before: each left the NAK blocking (NOT READY: 1 NAK no rule judges, exit 1).
    assert withdraws_nak(words) and nak_sentence(words) is None, words
    later = ("w1@example.org", f"> NAK, this special-cases the loader.\n\n{words}\n", MAE, "n1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, NAK, later)) == []


@pytest.mark.parametrize("words", [
    "My objection is withdrawn.", "I retract my objection.", "I no longer object.",
    "Never mind my objection, I misread the callers.", "Withdrawn.",
])
def test_an_objection_taken_back_blocks_nothing(tmp_path: Path, words: str) -> None:
    # "I object to this patch." is a request to drop; each of these left it blocking (exit 1).
    later = ("w1@example.org", f"> I object to this patch.\n\n{words}\n", MAE, "n1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, OBJECTS, later)) == []


@pytest.mark.parametrize(("first", "words", "sender"), [
    (NAK, "I withdraw my objection to the rename.", MAE),  # a part of the patch: a point's
    (NAK, "Never mind my objection about the name.", MAE),
    (NAK, "I will not retract my objection.", MAE),
    (NAK, "I retract my objection if you bound the loop.", MAE),  # a condition
    (NAK, "My objection is withdrawn.", OLGA),  # another's word
    (NAK, "Never mind my NAK.", OLGA),
    (NAK, "Withdrawn?", MAE),  # a question
    (NAK, "Olga's objection is withdrawn.", MAE),  # another's, reported
    (OBJECTS, "I withdraw my objection to the rename.", MAE),
    (OBJECTS, "I will not retract my objection.", MAE),
])
def test_what_takes_no_objection_back_leaves_it_blocking(tmp_path: Path, first: tuple[str, str, str, str],
                                                         words: str, sender: str) -> None:
    later = ("w1@example.org", f"> {first[1].split(chr(10))[-2]}\n\n{words}\n", sender, "n1@example.org")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, first, later))] == ["n1@example.org"], words


def test_a_bare_withdrawn_lifts_only_the_nak_it_answers(tmp_path: Path) -> None:
    # Before: "Withdrawn." below her own NAK left it blocking. Below the patch, not her NAK, it names nothing.
    below = ("w1@example.org", "> NAK, this special-cases the loader.\n\nWithdrawn.\n", MAE, "n1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, NAK, below)) == []
    beside = ("w1@example.org", "> quoted\n\nWithdrawn.\n", MAE, "patch")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, NAK, beside))] == ["n1@example.org"]
    # Olga's "Withdrawn." below Mae's NAK is hers: Mae's stands.
    olgas = ("w1@example.org", "> NAK, this special-cases the loader.\n\nWithdrawn.\n", OLGA, "n1@example.org")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, NAK, olgas))] == ["n1@example.org"]


@pytest.mark.parametrize(("words", "takes"), [
    ("Withdrawn.", True), ("Retracted, sorry.", True), ("I take that back.", True), ("Withdrawn?", False),
    ("Not withdrawn.", False), ("Withdrawn patches are not applied.", False),
    ("Withdrawn, but please add a comment.", False),
])
def test_a_bare_withdrawal_is_read(words: str, takes: bool) -> None:
    assert (retracts_answered(words) is not None) == takes, words


@pytest.mark.parametrize(("words", "keeps"), [
    ("My objection is withdrawn.", True), ("I no longer object to this patch.", True), ("Objection withdrawn.", True),
    ("I do not object.", False), ("I withdraw my objection to the rename.", False),
    ("I retract my objection if you bound the loop.", False),
])
def test_an_objection_taken_back_is_a_keep(words: str, keeps: bool) -> None:
    assert (kept_after(words) is not None) == keeps, words
