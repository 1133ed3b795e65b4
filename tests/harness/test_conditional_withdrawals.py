"""A withdrawal of a NAK put as a condition or a leaning takes nothing back; one given outright does."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import withdraws_nak
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import LATER, MAE, _followed

CONDITIONAL = [
    "Bound the loop, then I withdraw my NAK.", "Bound the loop and my NAK is withdrawn.",
    "Should the loop be bounded, I withdraw my NAK.", "My NAK is withdrawn assuming the loop gets bounded.",
    "My NAK is withdrawn on the condition that the loop is bounded.", "My NAK is withdrawn as long as the loop is "
    "bounded.", "Otherwise I withdraw my NAK.", "I withdraw my NAK, given a bounded loop.",
    "I withdraw my NAK, on condition you bound the loop.", "I withdraw my NAK in case the loop is bounded.",
    "I withdraw my NAK so long as the loop gets bounded.", "Bound the loop -> NAK withdrawn.",
    "I'm inclined to withdraw my NAK.", "I'm tempted to withdraw my NAK.", "I'm considering withdrawing my NAK.",
    "Perhaps I'll withdraw my NAK.", "Maybe I withdraw my NAK.", "I hope to withdraw my NAK.",
    "I withdraw my NAK, but only for v3.", "I withdraw my NAK iff the loop is bounded.",
    "Conditional on a bounded loop: NAK withdrawn.", "NAK withdrawn, pending a bounded loop.",
    "NAK withdrawn, subject to a bounded loop.", "NAK withdrawn - assuming you bound the loop.",
    "NAK withdrawn contingent on a bound.", "Scratch my NAK, on one condition: bound the loop.",
    # a request, then the withdrawal as what follows it
    "Please bound the loop. Then my NAK is withdrawn.", "Could you bound the loop? Then I withdraw my NAK.",
    "You need to bound the loop. Then NAK withdrawn.",
    # a condition a "with" or "after" phrase names
    "With the loop bounded my NAK is withdrawn.", "With that fixed, my NAK is withdrawn.",
    "With a bound on the loop, I withdraw my NAK.", "My NAK is withdrawn with the loop bounded.",
    "After the loop is bounded, I withdraw my NAK.", "I withdraw my NAK after the loop is bounded.",
    "My NAK is withdrawn, after the loop is bounded.",
    "NAK withdrawn, modulo the loop bound.",  # took it back at ea1ce1e3
]
OUTRIGHT = ["OK then, I withdraw my NAK.", "OK, then I withdraw my NAK.", "Fair enough, then I withdraw my NAK.",
            "With that, I withdraw my NAK.", "Given your explanation, I withdraw my NAK.",
            "Thanks, and my NAK is withdrawn.", "You're right and I withdraw my NAK.",
            "I misread the loop and I withdraw my NAK.", "In that case, I withdraw my NAK.",
            "Consider my NAK withdrawn.", "The loop is bounded, so I withdraw my NAK.",
            "I misread it. Then I withdraw my NAK.", "Thanks. Then I withdraw my NAK.",
            # what a "with" or "after" phrase names was already given
            "With this explanation, my NAK is withdrawn.", "With this I withdraw my NAK.", "With that said, I "
            "withdraw my NAK.", "With the loop now bounded, I withdraw my NAK.", "After reading your reply, I withdraw "
            "my NAK.", "After all, I withdraw my NAK.", "I withdraw my NAK with apologies.",
            "Scratch my NAK, I misread it after a long day.", "After Sean's explanation, I withdraw my NAK.",
            # leaving it to the author to ignore is letting it go
            "Feel free to ignore my NAK."]


def _gate(tmp: Path, words: str) -> int:
    mbox = _followed(tmp, "NAK, this special-cases the loader.", ((words, MAE, LATER, True),))
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml",
                                     cache=shared_outcomes())).exit_status


@pytest.mark.parametrize("words", CONDITIONAL)
def test_a_conditional_withdrawal_leaves_the_nak_standing(tmp_path: Path, words: str) -> None:
    # Each was read as the NAK taken back: the gate passed (exit 0).
    assert not withdraws_nak(words)
    assert _gate(tmp_path, words) == 1


@pytest.mark.parametrize("words", OUTRIGHT)
def test_a_withdrawal_given_outright_takes_it_back(tmp_path: Path, words: str) -> None:
    assert withdraws_nak(words)
    assert _gate(tmp_path, words) == 0


@pytest.mark.parametrize("words", ["I withdrew my NAK.", "I have withdrawn my NAK.", "I already retracted the NAK.",
                                   "I have since dropped my earlier NAK."])
def test_a_withdrawal_told_in_the_past_takes_it_back(tmp_path: Path, words: str) -> None:
    # Each read as a NAK (the gate blocked on the NAK its sender said was withdrawn).
    assert withdraws_nak(words)
    assert _gate(tmp_path, words) == 0


@pytest.mark.parametrize("words", ["Dave withdrew the NAK.", "I never withdrew my NAK."])
def test_a_withdrawal_in_the_past_of_another_or_denied_takes_nothing_back(tmp_path: Path, words: str) -> None:
    assert not withdraws_nak(words)
    assert _gate(tmp_path, words) == 1
