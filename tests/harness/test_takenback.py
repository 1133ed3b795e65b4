"""harness.takenback: a NAK is lifted only by words seamharness reads, or by a tag it can tell is not conditional."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_gate_naks import OLGA, RULE, _replies
from tests.harness.test_reply_language import _gate

TAG = "Reviewed-by: Olga Other <olga@example.org>"


@pytest.mark.parametrize(("words", "lifted"), [
    # "Once the loop is bounded, gladly:" Before: the tag lifted the NAK; the reply itself was not read (it blocked),
    # and once the user had read it, the gate passed (exit 0) on a NAK its sender put a condition on lifting.
    (f"Wenn die Schleife begrenzt ist, dann gerne:\n\n{TAG}", False),
    (f"With the loop bounded, feel free to add:\n\n{TAG}", False),  # as an English condition keeps it
    (f"Looks good now.\n\n{TAG}", True),
])
def test_a_tag_lifts_a_nak_only_where_its_words_are_read(tmp_path: Path, words: str, lifted: bool) -> None:
    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nNAK, the retry loop never ends.\n", OLGA, "patch"),
                    ("o2@example.org", f"> NAK\n\n{words}\n", OLGA, "o1@example.org"))
    status, doc = _gate(tmp_path, mbox, RULE + '[[read]]\nmsgid = "o2@example.org"\nsaid = "a tag, conditional"\n')
    found = doc["objections"]
    assert isinstance(found, list)
    assert [(o["kind"], o["msgid"]) for o in found] == ([] if lifted else [("nak", "o1@example.org")]), found
    assert status == (0 if lifted else 1), doc["verdict"]
