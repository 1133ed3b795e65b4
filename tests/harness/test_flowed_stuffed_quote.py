"""A format=flowed reply's space-stuffed " > NAK" is the sender's words (RFC 3676 4.4).

A format=flowed reply's space-stuffed line " > NAK" (RFC 3676 4.4: the sender's own text beginning with ">",
stuffed so that it reads as no quote) is the sender's words, not a quote of someone unnamed."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

BOB = "Bob Other <bob@example.org>"


def _gate(tmp: Path, body: str, flowed: bool) -> list[tuple[str, str]]:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[2]['Subject']}", "b1@example.org", body, sender=BOB, parent=patch,
                    refs=(cover, patch))
    if flowed:
        reply.set_param("format", "flowed")
    (tmp / "r.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, reply]),), "v2", jobs=1, rules=tmp / "r.toml"))
    return [(o.author, o.sentence) for o in g.objections]


@pytest.mark.parametrize("body", ["I read it again.\n > NAK, the retry is wrong.\n",
                                  " > NAK, the retry is wrong.\n\nThe loop never ends.\n"])
def test_a_space_stuffed_line_is_the_senders_own(tmp_path: Path, body: str) -> None:
    # Un-stuffed to "> NAK, ..." it was read as a quote of a sender no attribution names: 'NAK ... (quoted by Bob
    # Other)', or no NAK of Bob's at all.
    (author, sentence), = _gate(tmp_path, body, flowed=True)
    assert author == "Bob Other" and "NAK, the retry is wrong" in sentence, (author, sentence)


def test_a_quote_in_a_flowed_reply_stays_a_quote(tmp_path: Path) -> None:
    # "> NAK" unstuffed is a quote (RFC 3676: quote depth 1), of no sender named: as before.
    said = _gate(tmp_path, "> NAK, the retry is wrong.\n\nI agree.\n", flowed=True)
    assert said != [("Bob Other", "NAK, the retry is wrong.")], said
