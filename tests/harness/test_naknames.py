"""A person named Nak: her name in a trailer, before an address, in a greeting or a signature is no NAK."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.naknames import blank_names
from harness.nakwords import nak_sentence, names_nak
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

NINA = "Nina Nak <nina@example.com>"


@pytest.mark.parametrize("text", [
    "Looks good.\n\nReviewed-by: Nina Nak <nina@example.com>",
    "Looks good.\n\nAcked-by: Ola Nack",
    "Looks good to me.\n\nThanks,\nNina Nak",
    "Fine by me.\n\nBest regards,\nNina Maria Nak",
    "Looks good to me.\n\nCheers,\nNak Kim",  # the given name first: a NAK before
    "Hi Nina Nak,\n\nthe retry count is right.",
    "On Tue, Nina Nak <nina@example.com> wrote:\nthe loop is bounded.",
])
def test_a_name_is_no_nak(text: str) -> None:
    # Before: each was the sender's NAK (gate: '1 NAK no rule judges', exit 1).
    assert nak_sentence(text) is None and not names_nak(text), text
    assert len(blank_names(text)) == len(text)


@pytest.mark.parametrize("text", [
    "Nak.", "Nak, this special-cases the loader again.", "Thanks,\nNak", "Sorry,\nHard Nak", "So Nak from me.",
    "nak", "NAK from me.\n\nThanks,\nNina", "Nacked-by: Nina Nak <nina@example.com>",
])
def test_a_verdict_stays_one(text: str) -> None:
    assert nak_sentence(text) is not None, text


def _gate(tmp: Path, *words: str) -> tuple[str, int]:
    """The gate's headline and exit status for v2 of our own series with Nina Nak's replies to patch 2."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    pid, cover = patch["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
    replies = [message(f"Re: {patch['Subject']}", f"nina-{n}@example.com", f"> quoted line\n\n{w}\n", sender=NINA,
                       parent=pid, refs=(cover, pid),
                       date=f"Mon, 05 Jan 2026 1{n + 1}:00:00 +0000") for n, w in enumerate(words)]
    (rules := tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, *replies]),), "v2", jobs=1, rules=rules,
                                  cache=shared_outcomes()))
    return g.headline(), g.exit_status


def test_her_tags_and_signature_pass_the_gate(tmp_path: Path) -> None:
    headline, status = _gate(tmp_path, "Looks good.\n\nThanks,\nNina Nak\n\nReviewed-by: " + NINA)
    assert status == 0 and headline.startswith("v2: READY"), headline


def test_her_later_ack_lifts_her_nak(tmp_path: Path) -> None:
    # docs/rules.md "What lifts an objection": a later Acked-by of the NAKer. Before: counted as the NAK given again.
    headline, status = _gate(tmp_path, "NAK, this special-cases the loader again.",
                             "Thanks, that works for us.\n\nAcked-by: " + NINA)
    assert status == 0 and headline.startswith("v2: READY"), headline
    headline, status = _gate(tmp_path, "NAK, this special-cases the loader again.")
    assert status == 1 and "1 NAK no rule judges" in headline, headline


NAK_KIM = "Nak Kim <nak@example.com>"


def _gate_of(tmp: Path, sender: str, words: str) -> tuple[str, int]:
    """The gate's headline and exit status for v2 with ``sender``'s one reply ``words`` to patch 2."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    pid, cover = patch["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {patch['Subject']}", "kim-1@example.com", f"> quoted line\n\n{words}\n", sender=sender,
                    parent=pid, refs=(cover, pid))
    (rules := tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, reply]),), "v2", jobs=1, rules=rules,
                                  cache=shared_outcomes()))
    return g.headline(), g.exit_status


@pytest.mark.parametrize("words", [
    "Looks good.\n\nThanks,\nNak",  # his given name alone under the closing: a NAK before (exit 1)
    "Looks good.\n\nThanks, Nak",
    "Looks good.\n\nCheers,\nNak Kim",  # the given name first: a NAK before
    "Looks good.\n\nReviewed-by: " + NAK_KIM,  # his address "nak@": a NAK before
    "Looks good.\n\nReviewed-by: " + NAK_KIM + "\n\nThanks,\nNak",
])
def test_his_signature_and_address_pass_the_gate(tmp_path: Path, words: str) -> None:
    headline, status = _gate_of(tmp_path, NAK_KIM, words)
    assert status == 0 and headline.startswith("v2: READY"), headline


@pytest.mark.parametrize(("sender", "words"), [
    (NAK_KIM, "Looks good.\n\nThanks,\nNAK"),  # not his name as written: the verdict
    (NAK_KIM, "NAK, the loop spins.\n\nThanks,\nNak"),  # his NAK above his name
    (NAK_KIM, "Looks good.\n\nNak"),  # no closing above it
    (NAK_KIM, "Nacked-by: " + NAK_KIM),
    ("Mae Maint <mae@example.org>", "Looks good.\n\nThanks,\nNak"),  # not the sender's name: the verdict
])
def test_a_nak_beside_his_name_stays_one(tmp_path: Path, sender: str, words: str) -> None:
    headline, status = _gate_of(tmp_path, sender, words)
    assert status == 1 and "1 NAK no rule judges" in headline, headline
