"""A NAK withdrawn from another address of its sender's name, and the word NAK spelt with dots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import agrees_only, nak_sentences, withdraws_nak
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import LATER, MAE, OLGA, RULE, _followed
from tests.mailgen import message, write_mbox

runner = CliRunner()
NAK = "NAK, this special-cases the loader."


def test_a_withdrawal_from_another_address_of_the_same_name_is_said_and_the_nak_stands(tmp_path: Path) -> None:
    # Mae NAKs from mae@example.org and withdraws from mae@kernel.org: the same name is no proof of the same sender
    # (b4 and git match by address; no mailmap is read), so the NAK blocks, but the gate says what it saw (it said
    # nothing of the withdrawal: a maintainer could not tell it was there).
    mbox = _followed(tmp_path, NAK, (("I withdraw my NAK.", "Mae Maint <mae@kernel.org>", LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections
    assert o.msgid == "nak-1@example.org" and g.exit_status == 1, o
    assert o.note.startswith('a withdrawal from "Mae Maint <mae@kernel.org>" was seen (<later-0@example.org>, '), o.note
    assert o.note.endswith("and not matched: another address than the NAK's <mae@example.org>, and the same name is "
                           "no proof of the same sender"), o.note
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml"), "--json",
                            str(tmp_path / "g.json")])
    assert r.exit_code == 1 and "Mae Maint <mae@kernel.org>" in " ".join(r.stdout.split()), r.stdout
    assert json.loads((tmp_path / "g.json").read_text())["objections"][0]["note"] == o.note


@pytest.mark.parametrize(("sender", "noted"), [
    (MAE, False),  # her own address: taken back, nothing blocks
    ("Mae Maint <mae@kernel.org>", True),
    ("MAE  maint <mae@kernel.org>", True),  # the name as written, case and spaces aside
    (OLGA, False),  # another reviewer's: nothing to note, the NAK stands as before
    ("mae@kernel.org", False),  # no name: nothing ties it to Mae
])
def test_only_a_withdrawal_under_the_naks_name_is_noted(tmp_path: Path, sender: str, noted: bool) -> None:
    mbox = _followed(tmp_path, NAK, (("Scratch my NAK, I misread the loop.", sender, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    if sender == MAE:
        assert not g.objections and g.exit_status == 0, g.objections
        return
    [o] = g.objections
    assert bool(o.note) is noted and g.exit_status == 1, o.note


def test_a_nak_placed_below_nothing_withdrawn_from_another_address_is_noted(tmp_path: Path) -> None:
    # Its subject changed and its thread cut: every variant's NAK; the withdrawal from Mae's other address is said.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    reply = message("Re: the retry loop", "n9@example.org", "> quoted\n\nNAK, this loops forever.\n", sender=MAE)
    scratch = message("Re: the retry loop", "w9@example.org", "Scratch my NAK.\n", sender="Mae Maint <mae@kernel.org>",
                      date="Tue, 06 Jan 2026 10:00:00 +0000")
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply, scratch])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections
    assert "placed below nothing" in o.target and 'from "Mae Maint <mae@kernel.org>" was seen (<w9@' in o.note, o


@pytest.mark.parametrize("words", ["N.A.K., this special-cases the loader.", "N.A.K.", "n.a.k. from me.",
                                   "This special-cases the loader.\nN.A.K.\n", "N.A.C.K. Not this way."])
def test_a_nak_spelt_with_dots_blocks(tmp_path: Path, words: str) -> None:
    # Read as no NAK: the gate passed.
    assert nak_sentences(words), words
    mbox = _followed(tmp_path, words, ())
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"] and g.exit_status == 1, words


def test_dotted_nak_words_are_read_as_the_plain_ones() -> None:
    assert nak_sentences("Sorry, but N.A.K. from me.") == ["Sorry, but N.A.K. from me."]
    for none in ("Not a N.A.K., just a nit.", "Why would anyone N.A.K. this?", "I withdraw my N.A.K."):
        assert nak_sentences(none) == [], none
    assert withdraws_nak("I withdraw my N.A.K.") and withdraws_nak("N.A.K. withdrawn.")
    assert agrees_only("I agree with the N.A.K.")


def test_a_dotted_nak_withdrawn_blocks_nothing(tmp_path: Path) -> None:
    mbox = _followed(tmp_path, "N.A.K., this special-cases the loader.", (("N.A.K. withdrawn.", MAE, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]
