"""A NAK a copied message quoted ("> " lines inside an Outlook copy or an inline forward) whose mail the input lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_forwarded_copies import FORWARDS
from tests.harness.test_gate_naks import MAE, _objections, _replies

ANN = "Ann Author <ann@example.org>"
OUTLOOK = ("-----Original Message-----\nFrom: Olga Other <olga@example.org>\nSent: Monday, January 5, 2026 11:00 AM\n"
           "To: Ann\nSubject: Re: x\n")
HEADS = {"outlook": OUTLOOK, "outlook, rule": OUTLOOK.replace("-----Original Message-----", "_" * 32),
         **{f"forward, {k}": v for k, v in FORWARDS.items()}}


@pytest.mark.parametrize("head", list(HEADS))
def test_a_nak_quoted_inside_a_copy_whose_mail_the_input_lacks_blocks(tmp_path: Path, head: str) -> None:
    # Olga's copied message quoted a NAK (its mail not given): the copy's "> " lines were read as no one's words, and
    # the gate passed. Whose it is cannot be told: it blocks as an unnamed sender's.
    words = f"Agreed with Olga.\n\n{HEADS[head]}\n> NAK, this loops forever.\n\nI agree, it is unbounded.\n"
    mbox = _replies(tmp_path, ("a1@example.org", words, ANN, "patch"))
    assert _objections(tmp_path, mbox) == [("a1@example.org", "NAK, this loops forever.")]
    [o] = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                    cache=shared_outcomes())).objections
    assert o.author == "an unnamed sender (quoted by Ann Author)" and o.note.startswith("no attribution line"), o


def test_one_the_input_holds_is_that_messages_and_falls_with_it(tmp_path: Path) -> None:
    mae = ("n1@example.org", "> quoted\n\nNAK, this loops forever.\n", MAE, "patch")
    copy = ("a1@example.org", f"Agreed with Olga.\n\n{OUTLOOK}\n> NAK, this loops forever.\n\nI agree.\n", ANN,
            "n1@example.org")
    scratch = ("w1@example.org", "> bounded\n\nRight, scratch my NAK.\n", MAE, "a1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, mae, copy, scratch)) == []
