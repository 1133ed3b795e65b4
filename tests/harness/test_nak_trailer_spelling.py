"""A Nacked-by trailer as senders mistype it: an underscore, "Naked-by", a blank before the colon."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.nakwords import nak_sentences
from tests.harness.test_gate_naks import MAE, _objections, _replies


@pytest.mark.parametrize(("words", "said"), [
    ("Nacked_by: Mae Maint <mae@example.org>", "Nacked_by: Mae Maint <mae@example.org>"),  # cited whole
    ("Naked-by: Mae Maint <mae@example.org>", "Naked-by: Mae Maint <mae@example.org>"),
    ("NAKED_BY: Mae Maint", "NAKED_BY: Mae Maint"),
    # On a line below a sentence with a negation and no full stop: the trailer is a sentence of its own.
    ("This does not build\nNacked_by: Mae Maint", "Nacked_by: Mae Maint"),
    ("This does not build\nNacked-by : Mae Maint", "Nacked-by : Mae Maint"),
])
def test_a_mistyped_nacked_by_blocks_the_gate(tmp_path: Path, words: str, said: str) -> None:
    # Each passed the gate (exit 0, no objection): the key was no NAK, or the line above's negation governed it.
    mbox = _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("m1@example.org", said)]


@pytest.mark.parametrize("words", ["The change leaves the helper naked by design.", "A naked __seamcall() here.",
                                   "Naked by default, the call bypasses sc_retry()."])
def test_the_english_naked_is_still_no_nak(words: str) -> None:
    assert nak_sentences(words) == [], words
