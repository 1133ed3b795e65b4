"""unplaced: a reply placed below nothing blocks every variant with its NAK, request to drop or tag taken back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_gate_naks import MAE, _objections, _replies
from tests.mailgen import message, write_mbox


def _cut(tmp_path: Path, words: str) -> Path:
    """v2 with Mae's Reviewed-by below patch 2, then her reply ``words`` to a mail the input lacks (a thread cut), its
    subject naming no patch: placed below nothing."""
    mbox = _replies(tmp_path, ("r1@example.org", "Looks right.\n\nReviewed-by: Mae Maint <mae@example.org>\n", MAE,
                               "patch"))
    cut = message("Re: review status", "r2@example.org", words, sender=MAE, parent="gone@example.org",
                  refs=("gone@example.org",), date="Tue, 06 Jan 2026 10:00:00 +0000")
    mbox.write_bytes(mbox.read_bytes() + write_mbox(tmp_path / "cut.mbox", [cut]).read_bytes())
    return mbox


@pytest.mark.parametrize("words", ["I retract my Reviewed-by, I missed the loop.\n",
                                   "Please drop my Reviewed-by: the loop never ends.\n"])
def test_a_tag_taken_back_below_nothing_blocks(tmp_path: Path, words: str) -> None:
    # Which patch's tag it takes back cannot be told, so it blocks every variant, as a NAK below nothing does. Before,
    # it was read as nothing: the gate passed (exit 0) with her Reviewed-by still given below patch 2.
    assert [m for m, _ in _objections(tmp_path, _cut(tmp_path, words))] == ["r2@example.org"]


def test_a_tag_given_below_nothing_blocks_nothing(tmp_path: Path) -> None:
    assert _objections(tmp_path, _cut(tmp_path, "Reviewed-by: Mae Maint <mae@example.org>\n")) == []
