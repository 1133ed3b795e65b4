"""unplaced: a NAK a reply placed below nothing quotes of another is theirs and blocks; the replier's own is theirs.

Rae's reply whose thread is cut (its subject changed, it answers a message the input lacks) quotes Bob's "NAK." from a
message the input lacks too. Below a patch such a quote is Bob's NAK (harness.quotednak); placed below nothing it was
read as nothing, and every variant passed. Now it blocks every variant as Bob's (quoted by Rae), never as Rae's; Rae's
own NAK below the quote is hers; Bob's NAK the input holds, or one he took back since, is not read from the quote."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from harness.objections import open_objections
from harness.pipeline import SeriesRequest, read_inputs
from harness.variants import Variant
from tests.mailgen import demo_series, message, write_mbox

RAE, BOB = "Rae Viewer <rae@example.org>", "Bob Builder <bob@example.org>"
PLACED = "v2 (placed below nothing: it answers <gone@x>, not in the input)"


def _cut(body: str, sender: str = RAE, msgid: str = "o1@x", day: int = 6) -> EmailMessage:
    return message("Re: the helper's loop, again", msgid, body, sender=sender, parent="gone@x", refs=("gone@x",),
                   date=f"Tue, 0{day} Jan 2026 12:00:00 +0000")


def _below(body: str, sender: str, msgid: str, day: int = 5) -> EmailMessage:
    return message("Re: [PATCH v2 2/3] demo: print fn in decimal", msgid, body, sender=sender,
                   parent="p2-v2@example.org", refs=("cover-v2@example.org", "p2-v2@example.org"),
                   date=f"Mon, 0{day} Jan 2026 12:00:00 +0000")


def _said(tmp_path: Path, *mails: EmailMessage, name: str = "v2") -> list[tuple[str, str, str, str]]:
    s: Series = read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(2, 3), *mails]),)))
    rev = s.revision(2)
    assert rev is not None
    count = int(name.partition(":")[2] or len(rev.patches))
    v = Variant(name, "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches)[:count], "", revision=2)
    return [(o.msgid, o.author, o.kind.value, o.sentence) for o in open_objections(s, v, frozenset())]


@pytest.mark.parametrize("name", ["v2", "v2:01"])
@pytest.mark.parametrize("attribution", ["Bob Builder wrote:", f"On Mon, 5 Jan 2026, {BOB} wrote:"])
def test_a_quoted_nak_below_nothing_is_the_quoted_senders(tmp_path: Path, attribution: str, name: str) -> None:
    said = _said(tmp_path, _cut(f"{attribution}\n> NAK.\n\nI think the loop is fine.\n"), name=name)
    who = attribution.removeprefix("On Mon, 5 Jan 2026, ").removesuffix(" wrote:")
    assert said == [("o1@x", f"{who} (quoted by Rae Viewer)", "nak", "NAK.")]  # was []: read as nothing


def test_a_quoted_nak_no_attribution_names_blocks_as_an_unnamed_senders(tmp_path: Path) -> None:
    said = _said(tmp_path, _cut("> NAK, the loop is wrong.\n\nWhy? It looks fine to me.\n"))
    assert said == [("o1@x", "an unnamed sender (quoted by Rae Viewer)", "nak", "NAK, the loop is wrong.")]


def test_the_repliers_own_nak_below_a_quote_is_theirs(tmp_path: Path) -> None:
    said = _said(tmp_path, _cut("Bob Builder wrote:\n> Looks fine.\n\nNAK, the loop is wrong.\n"))
    assert said == [("o1@x", "Rae Viewer", "nak", "NAK, the loop is wrong.")]


def test_a_quote_of_no_objection_blocks_nothing(tmp_path: Path) -> None:
    assert _said(tmp_path, _cut("Bob Builder wrote:\n> Looks fine.\n\nThanks.\n")) == []


def test_a_quoted_nak_the_input_holds_is_read_where_it_was_given(tmp_path: Path) -> None:
    said = _said(tmp_path, _below("NAK, the loop is wrong.\n", BOB, "b1@x"),
                 _cut("Bob Builder wrote:\n> NAK, the loop is wrong.\n\nI agree.\n"))
    assert said == [("b1@x", "Bob Builder", "nak", "NAK, the loop is wrong.")]


def test_a_quoted_nak_its_sender_took_back_since_blocks_nothing(tmp_path: Path) -> None:
    said = _said(tmp_path, _cut("Bob Builder wrote:\n> NAK.\n\nI agree.\n"),
                 _cut("I withdraw my NAK.\n", sender=BOB, msgid="o2@x", day=7))
    assert said == []


def test_a_quoted_drop_of_the_patches_author_is_their_plan(tmp_path: Path) -> None:
    said = _said(tmp_path, _cut("Ann Author wrote:\n> Please drop this patch, I will resend.\n\nOK.\n"))
    assert said == []
