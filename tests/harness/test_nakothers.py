"""harness.nakothers: a NAK word about another's NAK gives no NAK.

harness.nakothers: a NAK word about another's NAK, asked ("Thomas NAKed it?"), supposed ("if Thomas NAKs it") or
denied ("Nobody NAKed it."), gives no NAK, neither the sender's nor the one it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import nak_sentences
from harness.reportednak import reported_nak
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, OLGA, _replies


@pytest.mark.parametrize("words", [
    # Each was a NAK: Thomas's reported, or the sender's own.
    "Thomas NAKed it?",
    "Thomas NAKed it? I don't see his mail.",
    "Has Thomas NAKed this?",
    "I thought Thomas NAKed it?",
    "So this was NAKed by Thomas?",
    "Even if Thomas NAKed it, I'd take it.",
    "I'd take it even if Thomas NAKed it.",
    "If I NAK this, will you rework it?",
    "Nobody NAKed it.",
    "None of us NAKed this.",
    "Thomas NAKed this?!",
    "Anyone NAKing this?",
    # Another invited, asked or expected to NAK.
    "Feel free to NAK this.",
    "Please NAK this if you object.",
    "Go ahead and NAK it.",
    "Applied to x86/tdx. Speak now or NAK forever.",
    "I expect Thomas to NAK this.",
    "Thomas will likely NAK this.",
])
def test_a_nak_asked_supposed_or_denied_is_none(words: str) -> None:
    assert nak_sentences(words) == [] and reported_nak(words) is None


@pytest.mark.parametrize(("words", "who"), [
    ("Thomas NAKed this, didn't he?", "Thomas"),  # a statement, its tag asking it be confirmed
    ("I thought Thomas NAKed it.", "Thomas"),  # was the sender's
    ("tglx NAKed v1.", "tglx"),  # was the sender's
    ("Someone already NAKed this.", ""),  # was the sender's
    ("Thomas NAKed it.", "Thomas"),
])
def test_a_report_of_anothers_nak_is_theirs(words: str, who: str) -> None:
    found = reported_nak(words)
    assert found is not None and found.who == who, found


@pytest.mark.parametrize("words", [
    "NAK, why move it?", "Why is this applied when I've already NAKed it? NAK.", "If so, NAK.",
    "NAK if the loop spins.", "Unless I'm missing something NAK.", "If you ask me, NAK.", "I will NAK this.",
    "If it were up to me I'd NAK it.", "Please, NAK.", "Please consider this a NAK.", "I will likely NAK this.",
    "I want to NAK this.",
])
def test_the_senders_own_nak_beside_a_question_or_condition_stands(words: str) -> None:
    assert nak_sentences(words) and reported_nak(words) is None, nak_sentences(words)


@pytest.mark.parametrize("body", [
    "> quoted\n\nThomas NAKed it? I don't see his mail on the list.\n",
    "> quoted\n\nNobody NAKed it, so I'm fine with it going in.\n",
    "> quoted\n\nEven if Thomas NAKed v1, this one addresses his point.\n",
    # Quoted from Olga, whose mail the input lacks: her question is no NAK of hers either.
    "On Mon, 5 Jan 2026, Olga Other <olga@example.org> wrote:\n> Thomas NAKed it?\n\nNo, he did not.\n",
])
def test_a_reply_asking_about_or_denying_a_nak_leaves_the_gate_to_the_rules(tmp_path: Path, body: str) -> None:
    # Before: NOT READY on a NAK of v2 02/3 by Thomas (reported by Mae), Mae or Olga.
    mbox = _replies(tmp_path, ("m1@example.org", body, MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


def test_a_nak_beside_a_question_about_anothers_still_blocks(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nThomas NAKed it? Anyway, NAK from me.\n", OLGA, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.author, o.sentence) for o in g.objections] == [("Olga Other", "Anyway, NAK from me.")], g.objections


@pytest.mark.parametrize("words", [
    # Leave to NAK given to the one addressed (each was the sender's NAK, a false fail).
    "NAK it if you must.", "Just NAK this if you disagree.", "Fine, NAK it if you really must.",
    "NAK it as you see fit.", "NAK it if you want.",
    # A passive naming no one who NAKed, asked to be confirmed (was the sender's NAK).
    "v1 was NAKed, wasn't it?", "This got NACKed, right?",
])
def test_leave_to_nak_and_a_passive_asked_give_none(words: str) -> None:
    assert nak_sentences(words) == [] and reported_nak(words) is None


@pytest.mark.parametrize("words", ["NAK this, if you ask me.", "NAK it if you don't fix it.",
                                   "NAK it if you want my opinion.", "NAK, if you must know, the loop is wrong.",
                                   "NAK it if you must. NAK from me."])
def test_the_senders_nak_beside_a_condition_of_yours_stands(words: str) -> None:
    assert nak_sentences(words), words


def test_a_passive_nak_with_its_agent_asked_to_be_confirmed_is_reported() -> None:
    found = reported_nak("v1 was NAKed by Thomas, wasn't it?")
    assert found is not None and found.who == "Thomas", found


@pytest.mark.parametrize("body", ["> quoted\n\nNAK it if you must. I think the loop is fine.\n",
                                  "> quoted\n\nThis was NAKed, wasn't it? I can't find the mail.\n"])
def test_leave_to_nak_or_a_nak_asked_about_leaves_the_gate_to_the_rules(tmp_path: Path, body: str) -> None:
    # Before: NOT READY, exit 1, "1 NAK no rule judges" of v2 02/3 by Mae Maint.
    mbox = _replies(tmp_path, ("m1@example.org", body, MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize("words", [
    "I'd have NAKed this if the loop could spin forever, but it can't.", "I would have NAKed 2 if it spun forever.",
    "I would've NACKed it in v1.", "I almost NAKed this, but the bound fixes it.",
    "I was going to NAK this, but it is fine.", "I would probably have NAKed it, had the loop no bound.",
])
def test_a_nak_that_would_have_been_is_none(words: str) -> None:
    # Before: each a NAK of the sender's, and the gate blocked on it (NOT READY, exit 1).
    assert not nak_sentences(words)


@pytest.mark.parametrize("words", ["I would have to NAK this.", "I'd NAK this.", "I should have NAKed v1. NAK."])
def test_a_nak_given_beside_a_modal_stands(words: str) -> None:
    assert nak_sentences(words)


@pytest.mark.parametrize("body", ["> quoted\n\nI'd have NAKed this if the loop could spin forever, but it can't.\n",
                                  "I'd have NAKed 2/3 if the loop could spin forever.\n"])
def test_a_nak_that_would_have_been_leaves_the_gate_to_the_rules(tmp_path: Path, body: str) -> None:
    # Before: NOT READY, exit 1, a NAK of v2 02/3 by Mae.
    mbox = _replies(tmp_path, ("m1@example.org", body, MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize("words", ["Tom, I think you can withdraw your NAK now.", "Tom, please withdraw your NAK.",
                                   "I think Tom should drop his NAK.", "Tom, feel free to lift your NAK.",
                                   "Please take your NAK back, Tom.", "Maybe reconsider Tom's NAK?"])
def test_anothers_nak_asked_to_be_taken_back_is_none_of_the_senders(words: str) -> None:
    # Before: each a NAK of the sender's, and the gate blocked on it (NOT READY, exit 1).
    assert not nak_sentences(words)


def test_anothers_nak_asked_to_be_taken_back_leaves_the_gate_to_the_rules(tmp_path: Path) -> None:
    # Before: NOT READY, exit 1: "2 NAKs", Olga's read as a NAK of v2 02/3. Tom's own NAK still blocks.
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nTom, I think you can withdraw your NAK now.\n", OLGA,
                               "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections
