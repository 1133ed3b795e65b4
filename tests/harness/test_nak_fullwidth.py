"""NAKs as a CJK input method writes them: full-width letters and colons, the ideographic full stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.nakwords import nak_sentences, withdrawal_sentences
from tests.harness.test_gate_naks import MAE, _objections, _replies


@pytest.mark.parametrize(("words", "said"), [
    ("ＮＡＫ，这个循环不会结束。", "ＮＡＫ，这个循环不会结束。"),  # cited in the reply's own characters
    ("Ｎａｃｋｅｄ－ｂｙ：Mae Maint <mae@example.org>", "Ｎａｃｋｅｄ－ｂｙ：Mae Maint <mae@example.org>"),
    ("This does not build\nNacked-by：Mae Maint", "Nacked-by：Mae Maint"),  # the trailer a line of its own
    ("This does not work。NAK。", "NAK。"),  # the negation is the sentence before's
])
def test_a_full_width_nak_blocks_the_gate(tmp_path: Path, words: str, said: str) -> None:
    # Each passed the gate: no NAK read (full-width letters), or the line above's negation governed it.
    assert nak_sentences(words) == [said]
    mbox = _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert [m for m, _ in _objections(tmp_path, mbox)] == ["m1@example.org"]


def test_a_full_width_withdrawal_takes_the_nak_back_and_names_its_patch(tmp_path: Path) -> None:
    assert withdrawal_sentences("I withdraw my ＮＡＫ of patch 2。") == ["I withdraw my ＮＡＫ of patch 2。"]
    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK.\n", MAE, "patch"),
                    ("w1@example.org", "> NAK.\n\nI withdraw my ＮＡＫ。\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == []
    assert nak_sentences("Not a ＮＡＫ。") == []
