"""harness.drawnclause: a verdict in a clause drawn from what its sentence said first is read as one opening it."""

from __future__ import annotations

from pathlib import Path

from harness.drawnclause import drawn_clauses, drawn_start
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.test_gate_drops import _thread


def test_the_clauses_drawn_from_what_the_sentence_said() -> None:
    assert drawn_clauses("The loop has no bound, so it's a no-go.") == ("it's a no-go.",)
    assert drawn_clauses("Given the above, this isn't ready yet.") == ("this isn't ready yet.",)
    assert drawn_clauses("No bound and therefore NAK.") == ("NAK.",)
    # "so" after a negation is an adverb ("not so ready"), not a clause of its own.
    assert drawn_clauses("It is not so bad.") == () and drawn_clauses("Fine as is.") == ()
    said = "The loop has no bound so NACK."
    assert drawn_start(said, said.index("NACK")) == said.index("NACK") and drawn_start(said, 4) == 0


def test_a_nak_drawn_after_a_negation_blocks(tmp_path: Path) -> None:
    # Before: 'v2: READY', exit 0: the "no" of "has no bound" was read as negating the NAK after "so".
    mbox, rules = _thread(tmp_path, "> quoted\n\nThe loop has no bound so NACK.\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert g.exit_status == 1, g.headline()
    [o] = g.objections
    assert (o.kind, o.sentence) == (ObjectionKind.NAK, "The loop has no bound so NACK."), o
    # Its own negation still gives none.
    mbox, rules = _thread(tmp_path, "> quoted\n\nThe loop is bounded, so no NAK from me.\n")
    assert evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules)).exit_status == 0
