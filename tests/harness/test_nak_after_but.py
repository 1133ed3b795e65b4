"""A NAK after a negated one in the same sentence is a NAK of what its own clause names.

A NAK after a negated one in the same sentence ("No NAK for patch 1, but NAK for patch 3") is a NAK, of what its own
clause names: only the sentence's first NAK was read, and a negated first one hid the second (a false pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.nakwords import nak_sentences
from harness.objections import review_objections
from harness.variants import Variant
from tests.harness.test_gate_naks import MAE, _replies


@pytest.mark.parametrize(("words", "said"), [
    ("No NAK for patch 1, but NAK for patch 3.", ["NAK for patch 3."]),
    ("OK, no NAK from me on this one, but NAK for patch 3.", ["NAK for patch 3."]),
    ("Not a NAK, just a nit.", []),
    ("I won't NAK this or NAK v3.", []),
    ("NAK for patch 2, and no NAK for patch 3.", ["NAK for patch 2, and no NAK for patch 3."]),
])
def test_each_nak_of_a_sentence_is_read(words: str, said: list[str]) -> None:
    assert nak_sentences(words) == said


def test_the_second_nak_blocks_the_patch_its_clause_names(tmp_path: Path) -> None:
    # A state with patches 1 and 3 (patch 2 dropped, as a reviewer variant drops one): READY before.
    words = "> quoted\n\nNo NAK for patch 1, but NAK for patch 3.\n"
    series = parse_series(IngestRequest((_replies(tmp_path, ("n1@example.org", words, MAE, "patch")),)))
    rev = series.revisions[-1]
    kept = [p for p in rev.patches if p.number in (1, 3)]
    target = Variant("v2-drop-2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in kept), "",
                     revision=rev.version)
    [o] = review_objections(series, target, frozenset()).standing
    assert (o.kind.value, o.target, o.sentence) == ("nak", "v2 03/3", "NAK for patch 3."), o
