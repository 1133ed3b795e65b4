"""NAKs as reviewers write them: a withdrawal put as a condition, a Nacked-by below the signature, in a Subject."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import nak_sentences, withdraws_nak
from tests.harness.test_gate_naks import LATER, MAE, _followed, _objections, _replies, _thread
from tests.mailgen import message, write_mbox


@pytest.mark.parametrize("words", [
    "I will remove my NAK once the loop is bounded.", "I'll withdraw my NAK when v3 bounds the loop.",
    "Happy to lift my NAK if you bound the loop.", "I'd drop the NAK only if you fix the loop.",
    "Fix the loop and I'll retract my NAK.", "If you bound the loop, consider my NAK withdrawn.",
    "Once this is fixed, I'll drop my NAK.", "I will remove my NAK in v3.",
])
def test_a_withdrawal_put_as_a_condition_takes_nothing_back(tmp_path: Path, words: str) -> None:
    # These took Mae's NAK back: the gate passed while she waits for the fix.
    assert not withdraws_nak(words) and nak_sentences(words) == [words], words
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    [o] = g.objections  # hers, once: the later sentence cited with it
    assert o.msgid == "nak-1@example.org" and [a.sentence for a in o.again] == [words] and g.exit_status == 1, o


@pytest.mark.parametrize("words", ["I'll withdraw my NAK.", "OK, I'll withdraw my NAK then.",
                                   "After reading v3 I withdraw my NAK.", "Consider my NAK withdrawn."])
def test_a_withdrawal_said_outright_still_takes_it_back(words: str) -> None:
    assert withdraws_nak(words) and nak_sentences(words) == [], words


def test_a_nacked_by_below_the_signature_blocks(tmp_path: Path) -> None:
    # b4 takes no trailer below "-- " (nor does seamharness for b4 am), but the NAK passed the gate unread.
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", "> quoted\n\nI have doubts.\n\n-- \nMae Maint\n"
                                                     "Nacked-by: Mae Maint <mae@example.org>\n", MAE, "patch")))
    assert said == [("m1@example.org", "Nacked-by")], said
    # A signature that only names the word is none.
    sig = "> quoted\n\nReviewed-by: Mae Maint <mae@example.org>\n\n-- \nMae Maint, NAK-free since 1999\n"
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", sig, MAE, "patch"))) == []


def test_a_nak_in_the_subject_blocks(tmp_path: Path) -> None:
    # "NAK: Re: [PATCH v2 2/3] ..." with "See above." passed the gate.
    mbox, rules = _thread(tmp_path, "See above.")
    text = mbox.read_text()
    at = text.rindex("\n Re: [PATCH v2 2/3]", 0, text.index("Message-ID: <nak-1@example.org>"))
    mbox.write_text(f"{text[:at]}\n NAK: {text[at + 2:]}")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"] and g.exit_status == 1, g.objections
    # The author's answer keeps "NAK:" in its Subject: the message answered had it, none of the answer's own.
    answer = message("Re: NAK: Re: [PATCH v2 2/3] x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs",
                     "a1@example.org", "> See above.\n\nWill fix.\n", parent="nak-1@example.org",
                     refs=("gen-cover-v2@example.org", "gen-2-v2@example.org", "nak-1@example.org"))
    with mbox.open("a") as out:
        out.write(write_mbox(tmp_path / "more.mbox", [answer]).read_text())
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"], g.objections
