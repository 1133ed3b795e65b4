"""Withdrawals said as kernel reviewers say them, and another's withdrawal told.

Withdrawals said as kernel reviewers say them ("You can drop my NAK.", "My NAK was a mistake."), and another's
withdrawal told ("Thomas withdrew his NAK."), which is no NAK of the teller's."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import nak_sentences, withdraws_nak
from tests.harness.test_gate_naks import MAE, OLGA, _replies


@pytest.mark.parametrize("words", [
    "You can drop my NAK.", "You may ignore my NAK now.", "My NAK was wrong.", "My earlier NAK was a mistake, sorry.",
    "I was wrong to NAK this.", "Un-NAKing.", "NAK from me is withdrawn.",
])
def test_a_withdrawal_in_a_reviewers_words_takes_it_back(words: str) -> None:
    # Each was a NAK again (the first one standing too).
    assert withdraws_nak(words) and nak_sentences(words) == []


@pytest.mark.parametrize("words", [
    "You can drop my NAK once the loop is bounded.", "You could maybe drop my NAK.", "My NAK wasn't wrong.",
    "I don't think my NAK was wrong.", "You dropped my NAK in v3, please add it back.",
])
def test_a_withdrawal_put_off_or_denied_takes_nothing_back(words: str) -> None:
    assert not withdraws_nak(words) and nak_sentences(words)


@pytest.mark.parametrize("words", ["Thomas withdrew his NAK.",
                                   "Thomas has since withdrawn his NAK, so this can go in."])
def test_anothers_withdrawal_told_is_no_nak(words: str) -> None:
    assert nak_sentences(words) == [] and not withdraws_nak(words)


def test_a_nak_beside_anothers_withdrawal_told_stands() -> None:
    assert nak_sentences("Thomas withdrew his NAK, but NAK from me.") == ["NAK from me."]


NAK = ("m1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch")


@pytest.mark.parametrize("words", ["My NAK was a mistake, sorry, the loop is bounded.", "You can drop my NAK."])
def test_the_gate_reads_them_as_taken_back(tmp_path: Path, words: str) -> None:
    # Before: NOT READY, two NAKs of Mae's (the first, and this one).
    mbox = _replies(tmp_path, NAK, ("m2@example.org", f"> NAK, the loop never ends.\n\n{words}\n", MAE,
                                    "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    assert not g.objections and g.exit_status == 0, g.objections


def test_the_gate_reads_anothers_withdrawal_told_as_no_nak(tmp_path: Path) -> None:
    # Before: NOT READY on Olga's "NAK" (a NAK named as Thomas's, which no NAK in the input answered).
    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nThomas withdrew his NAK, so this looks ready.\n", OLGA,
                               "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    assert not g.objections and g.exit_status == 0, g.objections
