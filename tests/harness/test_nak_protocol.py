"""NAK as a protocol's word in a review reply (a device's answer, the ACK/NAK pair) is no reviewer's NAK."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.nakwords import agrees_only, nak_sentences
from harness.pointwords import point_sentence
from harness.questionwords import open_question
from tests.harness.test_gate_naks import MAE, _objections, _replies

PROTOCOL = [
    "If the firmware is busy the device returns a NAK, and the loop here retries forever.",
    "The P-SEAMLDR answers with a NAK while an update runs; what does this do then?",
    "This is the usual ACK/NAK handshake, so the retry belongs in the caller.",
    "An ACK or a NAK both end the wait.", "The caller retries on NAK without a bound.",
    "In the NAK case the error code is lost.", "The loop got a NAK from the module and spun.",
    "A NAK response is not an error here.", "The NAK path of this driver is untested.",
    "The device got a NAK response for this request.", "Every NACK/ACK pair costs a round trip.",
    # Wrapped by the mailer, the verb or its subject on the line above: each was a NAK and blocked.
    "The loader answers\nwith a NAK when busy.", "If the firmware is busy the device\nreturns a NAK.",
]


@pytest.mark.parametrize("words", PROTOCOL)
def test_nak_as_a_protocol_word_is_no_nak(tmp_path: Path, words: str) -> None:
    # Each blocked the gate as Mae's NAK of v2 02/3.
    assert nak_sentences(words) == [] and not agrees_only(words), words
    # A question in it is the patch's author's to answer, a review point (harness.questionwords), and so is a flaw it
    # states ("The caller retries on NAK without a bound.": harness.concernwords): no NAK.
    asked = [("m1@example.org", q)] if (q := point_sentence(words) or open_question(words)) is not None else []
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))) \
        == asked


@pytest.mark.parametrize(("words", "said"), [
    ("NAK.", "NAK."), ("Nacked-by: Mae Maint <mae@example.org>", "Nacked-by: Mae Maint <mae@example.org>"),
    ("The device returns a NAK, so NAK from me.", "The device returns a NAK, so NAK from me."),
    ("The device doesn't return a NAK here, so NAK.", "The device doesn't return a NAK here, so NAK."),
    ("I would send a NAK.", "I would send a NAK."), ("Sending a NAK.", "Sending a NAK."),
    ("This gets a NAK from me.", "This gets a NAK from me."), ("NAK\nLoop is unbounded.", "NAK Loop is unbounded."),
    # A protocol's thing word between, but the sender's or of the patch: a verdict ("a NAK response" alone is none).
    ("This is a NAK response to v2.", "This is a NAK response to v2."),
    ("A NAK response from me.", "A NAK response from me."),
    ("That is a NAK response to this patch.", "That is a NAK response to this patch."),
    ("NAK\n- ack for the rest", "NAK - ack for the rest"), ("Got a NAK from Thomas, so drop it.",
                                                         "Got a NAK from Thomas, so drop it."),
])
def test_a_reviewers_nak_beside_protocol_words_still_blocks(tmp_path: Path, words: str, said: str) -> None:
    # A verdict is never taken for a protocol's word: the sender's own, or one not from a thing.
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))) == [
        ("m1@example.org", said)]
