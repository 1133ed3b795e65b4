"""A Reviewed-by taken back in a reply placed below nothing: it lifts no NAK and is no tag b4 am should add.

Rae NAKs v2 2/2, then gives her Reviewed-by below it (which lifts the NAK); a day later she writes "I take back my
Reviewed-by." in a reply whose thread is cut (its subject changed, it answers a message the input lacks), quoting a
diff. Before, the NAK stayed lifted by the tag she took back (said nowhere once a rule cites her withdrawal, which alone
blocked), and `series --json` listed the tag among the follow-up trailers b4 am adds. Which patch's tag she took back
cannot be told, so no tag of hers given before it approves anything since."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from harness.objections import open_objections
from harness.pipeline import SeriesRequest, read_inputs
from harness.variants import Variant
from reports.series_view import series_to_dict
from tests.harness.test_unreadfixups import TITLES, _posting
from tests.mailgen import HELPER_V1, demo_series, message, write_mbox

RAE = "Rae Viewer <rae@example.org>"
TAG = f"Reviewed-by: {RAE}"
QUOTED = ("Ann Author wrote:\n> diff --git a/drivers/demo/helper.h b/drivers/demo/helper.h\n> @@ -18,7 +18,7 @@\n"
          "> -\tpr_err(\"x\");\n> +\tpr_err(\"y\");\n\n")


def _below(msgid: str, body: str, hour: int, parent: str = "p2-b@x", sender: str = RAE) -> EmailMessage:
    return message(f"Re: [PATCH v2 2/2] {TITLES[1]}", msgid, body, sender=sender, parent=parent,
                   refs=("cover-b@x", parent), date=f"Tue, 06 Jan 2026 {hour:02d}:00:00 +0000")


def _cut(msgid: str, body: str, date: str = "Wed, 07 Jan 2026 12:00:00 +0000", sender: str = RAE) -> EmailMessage:
    """A reply whose thread is cut: its subject changed, it answers a message the input lacks."""
    return message("Re: helper printing, again", msgid, QUOTED + body, sender=sender, parent="gone@x",
                   refs=("gone@x",), date=date)


def _read(tmp_path: Path, *mails: EmailMessage) -> Series:
    return read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", [*_posting("b", 6, HELPER_V1), *mails]),)))


def _open(s: Series, cited: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    rev = s.revision(2)
    assert rev is not None
    v = Variant("v2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "", revision=2)
    return [(o.msgid, o.kind.value) for o in open_objections(s, v, cited)]


def _tags(s: Series) -> tuple[list[str], list[tuple[str, str]]]:
    """The follow-up trailers of v2 2/2 (msgid) and those withdrawn (msgid that gave it, msgid that took it back)."""
    (p2,) = [p for p in series_to_dict(s, [])["revisions"][0]["patches"] if p["number"] == 2]
    return [t["msgid"] for t in p2["followup_trailers"]], [(t["msgid"], t["withdrawn_msgid"])
                                                           for t in p2["withdrawn_trailers"]]


NAK, GIVE = _below("nak@x", "NAK, the loop is wrong.\n", 11), _below("rb@x", f"Fixed.\n\n{TAG}\n", 12, "nak@x")


@pytest.mark.parametrize("words", ["I take back my Reviewed-by.", "Please drop my Reviewed-by, I missed the bound.",
                                   "Scratch my R-b, the loop is still wrong."])
def test_a_tag_taken_back_below_nothing_lifts_the_nak_no_more(tmp_path: Path, words: str) -> None:
    s = _read(tmp_path, NAK, GIVE, _cut("w@x", words + "\n"))
    assert [r.mail.msgid for r in s.orphans] == ["w@x"]
    assert _open(s) == [("nak@x", "nak"), ("w@x", "tag-withdrawn")]  # was the tag alone: it lifted the NAK
    assert _open(s, frozenset({"w@x"})) == [("nak@x", "nak")]  # was []: a rule citing her withdrawal passed it all
    assert _tags(s) == ([], [("rb@x", "w@x")])  # was (["rb@x"], []): a tag to add


def test_a_withdrawal_below_nothing_before_the_tag_takes_it_not(tmp_path: Path) -> None:
    # Dated before she gave the tag: of an earlier one; the tag she gave since lifts the NAK and is added.
    s = _read(tmp_path, NAK, GIVE, _cut("w@x", "I take back my Reviewed-by.\n", "Mon, 05 Jan 2026 12:00:00 +0000"))
    assert _open(s) == [("w@x", "tag-withdrawn")]
    assert _tags(s) == (["rb@x"], [])


def test_anothers_withdrawal_below_nothing_takes_no_tag_of_hers(tmp_path: Path) -> None:
    s = _read(tmp_path, NAK, GIVE, _cut("w@x", "I take back my Reviewed-by.\n", sender="Bob Builder <bob@x.org>"))
    assert _open(s) == [("w@x", "tag-withdrawn")]
    assert _tags(s) == (["rb@x"], [])


def test_an_acked_by_taken_back_leaves_her_reviewed_by(tmp_path: Path) -> None:
    s = _read(tmp_path, NAK, GIVE, _cut("w@x", "I take back my Acked-by.\n"))
    assert _open(s) == [("w@x", "tag-withdrawn")]
    assert _tags(s) == (["rb@x"], [])


@pytest.mark.parametrize(("date", "gone"), [("Tue, 06 Jan 2026 12:00:00 +0000", True),
                                            ("Sun, 04 Jan 2026 12:00:00 +0000", False)], ids=["after", "before"])
def test_a_tag_the_patch_carries_taken_back_below_nothing_after_it(tmp_path: Path, date: str, gone: bool) -> None:
    # v2 2/3 carries Rae's tag among its own trailers (dated Mon 5 Jan): her withdrawal placed below nothing, dated
    # after the patch, takes it back (b4 am keeps it: remove it); one dated before is of an earlier tag.
    msgs = demo_series(2, 3)
    msgs[2].set_content(str(msgs[2].get_content()).replace("Signed-off-by: Ann", f"{TAG}\nSigned-off-by: Ann"))
    w = message("Re: the helper, again", "w@x", "I take back my Reviewed-by.\n", sender=RAE, parent="gone@x",
                refs=("gone@x",), date=date)
    s = read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", [*msgs, w]),)))
    (p2,) = [p for p in series_to_dict(s, [])["revisions"][0]["patches"] if p["number"] == 2]
    assert [(t["carried"], t["withdrawn_msgid"]) for t in p2["withdrawn_trailers"]] == ([(True, "w@x")] if gone else [])
