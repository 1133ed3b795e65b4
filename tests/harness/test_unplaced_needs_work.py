"""unplaced: "This needs more work." and the other holds read below a patch block every variant placed below nothing.

Mae's reply whose thread is cut (its subject changed, it answers a message the input lacks) says the patch (or the
series) is not to be applied as it is, in words a reply below the patch is read by (namedpatches.drop_request): a patch
or the series said to need more work, "not ready", an unnamed "drop this", a patch held back from what she applied.
Placed below nothing only a request to drop, by number or title, and a NAK promised were read: each of these passed
every variant. Which patch it is of, or whether "this" is a patch or another's words the input lacks, cannot be told:
it blocks every variant, with the note the same words have below a patch. A question, a condition, a negation and
praise stay nothing."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.objections import open_objections
from harness.pipeline import SeriesRequest, read_inputs
from harness.variants import Variant
from tests.mailgen import demo_series, message, write_mbox

MAE = "Mae Maint <mae@example.org>"
PLACED = "v2 (placed below nothing: it answers <gone@x>, not in the input)"
WORK = "said to need more work or another revision: not to be applied as it is"


def _cut(body: str) -> EmailMessage:
    return message("Re: the helper's loop, again", "o1@x", body, sender=MAE, parent="gone@x", refs=("gone@x",),
                   date="Tue, 06 Jan 2026 12:00:00 +0000")


def _said(tmp_path: Path, words: str, name: str = "v2") -> list[tuple[str, str, str, str, str]]:
    s = read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(2, 3), _cut(words)]),)))
    rev = s.revision(2)
    assert rev is not None
    count = int(name.partition(":")[2] or len(rev.patches))
    v = Variant(name, "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches)[:count], "", revision=2)
    return [(o.msgid, o.target, o.kind.value, o.sentence, o.note) for o in open_objections(s, v, frozenset())]


@pytest.mark.parametrize("name", ["v2", "v2:01"])
@pytest.mark.parametrize(("words", "note"), [
    ("This needs more work.", WORK),
    ("Needs work.", WORK),
    ("This series needs more work.", WORK),
    ("This isn't ready.", WORK),
    ("Not ready yet, needs more work.", ""),
    ("Applied 1-2, patch 3 needs more work.", "held back by its sender from what they applied: not applied, it stands "
                                              "until they apply it or take it back"),
])
def test_a_hold_below_nothing_blocks_every_variant(tmp_path: Path, words: str, note: str, name: str) -> None:
    # Each was read as nothing: [] on every variant.
    assert _said(tmp_path, f"{words}\n", name) == [("o1@x", PLACED, "drop", words, note)]


@pytest.mark.parametrize("words", ["Looks good to me.", "If this needs more work, tell me.",
                                   "Does this need more work?", "I don't think this needs more work."])
def test_praise_a_condition_a_question_or_a_negation_blocks_nothing(tmp_path: Path, words: str) -> None:
    assert _said(tmp_path, f"{words}\n") == []
