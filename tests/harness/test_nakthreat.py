"""harness.nakthreat: a NAK promised if the patch stays as it is is no NAK, but blocks the revision it was said of."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakthreat import threatened_nak
from harness.nakwords import nak_sentences
from harness.objections import ObjectionKind
from tests.harness.test_gate_naks import MAE, _replies


@pytest.mark.parametrize("words", [
    "If this isn't fixed I'll NAK it.", "If you don't bound the loop, I'll have to NAK it.",
    "If this goes in as is, we'll NACK it.",
])
def test_a_nak_promised_if_nothing_changes_is_a_threat(words: str) -> None:
    assert threatened_nak(words) == words


def test_a_threat_with_no_comma_gives_no_nak() -> None:
    # The forms with a comma after the condition harness.nakwords reads as the sender's NAK (they block as one).
    assert nak_sentences("If this isn't fixed I'll NAK it.") == []


@pytest.mark.parametrize("words", [
    "Would you NAK it if it isn't fixed?", "Thomas said he'd NAK it if it isn't fixed.",
    "If Thomas agrees, I'll NAK it.", "If you fix the loop I won't NAK it.", "I'll review it again if it isn't fixed.",
])
def test_what_promises_no_nak_of_the_senders(words: str) -> None:
    assert threatened_nak(words) is None


def test_a_threatened_nak_blocks_the_revision_it_was_said_of(tmp_path: Path) -> None:
    # Decided: no NAK is given, but this revision is the patch it was said of, unchanged: a maintainer would not apply
    # it. Before: v2 READY, exit 0 (no NAK read, nothing else either).
    mbox = _replies(tmp_path, ("t1@example.org", "> quoted\n\nIf this isn't fixed I'll NAK it.\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", "If this isn't fixed I'll NAK it."), o
    assert o.note.startswith("a NAK promised if the patch stays as it is, not given"), o.note
    assert g.exit_status == 1
    assert not evaluate_gate(GateRequest((mbox,), "v2:01", jobs=1, rules=tmp_path / "rules.toml")).objections
