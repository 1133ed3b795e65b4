"""unplaced: a NAK in a reply with a diff, below a refused posting's patch, is every variant's, as without the diff.

Ann's v2 postings A (refused) and B (read) of test_unreadfixups, then her v3 (2/2 another change under 2/2's title).
Rae answers A's 2/2 "NAK, do this instead." with a diff of the tries line, which 1/2 adds and B's 2/2 leaves alone:
replythread puts it below B's 2/2 for its diff (git apply takes it there). Before, its NAK blocked only the variants
holding B's 2/2 (v2; v2:01 passed with the tries line it objects to) and on v3 was an earlier objection (inconclusive,
or a note had the patch gone). Without the diff the same reply is placed below nothing and blocks every variant of every
revision (what it objects to is A's change, which no variant makes): the diff must not narrow it. Now both read alike,
its NAK said as placed below nothing. A regression report in it reads as without its diff too; right below the
read patch (parent, not diff) it blocks the variants holding that patch only."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from harness.objections import earlier_objections, open_objections
from harness.pipeline import SeriesRequest, read_inputs
from harness.variants import Variant
from tests.harness.test_unreadfixups import F2, OTHER, TITLES, _plain, _posting
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, HELPER_V2, diff, message, patch_body, write_mbox

VARIANTS = ("v2", "v2:01", "v3", "v3:01")


def _v3() -> list[EmailMessage]:
    """Ann's v3: 1/2 as before, 2/2 (2/2's title) the decimal print and five tries."""
    date, cover = "Wed, 07 Jan 2026 10:00:00 +0000", "cover-c@x"
    out = [message("[PATCH v3 0/2] demo: helper rework", cover, "Cover.\n", date=date)]
    for n, (old, new) in enumerate(((None, HELPER_V0), (HELPER_V0, HELPER_V2)), start=1):
        out.append(message(f"[PATCH v3 {n}/2] {TITLES[n - 1]}", f"p{n}-c@x",
                           patch_body(f"Change {n}.", diff(HELPER_PATH, old, new)), parent=cover, refs=(cover,),
                           date=date))
    return out


def _bare(msgid: str, words: str) -> EmailMessage:
    """Rae's reply to A's 2/2 with ``words`` and no diff."""
    return message(f"Re: [PATCH v2 2/2] {TITLES[1]}", msgid, words, sender="Rae Viewer <rae@example.org>",
                   parent="p2-a@x", refs=("cover-a@x", "p2-a@x"), date="Mon, 05 Jan 2026 12:00:00 +0000")


def _read(tmp_path: Path, *replies: EmailMessage) -> Series:
    mails = [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1), *replies, *_v3()]
    return read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", mails),)))


def _said(series: Series, name: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(msgid, target) of each open objection of the variant ``name`` (vN or vN:01), and the earlier ones' msgids."""
    version, _, prefix = name[1:].partition(":")
    rev = series.revision(int(version))
    assert rev is not None
    sources = tuple((p.mail.msgid, p.label) for p in rev.patches)[:int(prefix) if prefix else None]
    v = Variant(name, "", (), (), (), sources, "", revision=rev.version)
    return ([(o.msgid, o.target) for o in open_objections(series, v, frozenset())],
            [e.objection.msgid for e in earlier_objections(series, v, frozenset())])


def test_a_nak_with_a_diff_below_a_refused_posting_blocks_every_variant(tmp_path: Path) -> None:
    s = _read(tmp_path, _plain("n2@x", F2, "NAK, do this instead.\n"))
    rev = s.revision(2)
    assert rev is not None and [r.mail.msgid for r in rev.slots[1].patch.replies] == ["n2@x"]  # type: ignore[union-attr]
    placed = "placed below nothing: it answers <p2-a@x>, of a posting not read"
    for name in ("v2", "v2:01"):
        assert _said(s, name) == ([("n2@x", f"v2 ({placed})")], []), name
    for name in ("v3", "v3:01"):  # not an earlier objection of v2 02/2 besides (it was, and only that)
        assert _said(s, name) == ([("n2@x", f"v3 ({placed})")], []), name


@pytest.mark.parametrize("name", VARIANTS)
def test_the_diff_does_not_change_which_variants_a_nak_blocks(tmp_path: Path, name: str) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "b").mkdir()
    with_diff = _read(tmp_path / "d", _plain("n2@x", F2, "NAK, do this instead.\n"))
    bare = _read(tmp_path / "b", _bare("n2@x", "NAK, do this instead.\n"))
    assert [m for m, _ in _said(with_diff, name)[0]] == [m for m, _ in _said(bare, name)[0]] == ["n2@x"]


def test_a_diff_reply_with_no_objection_blocks_nothing(tmp_path: Path) -> None:
    s = _read(tmp_path, _plain("q2@x", F2, "The loop reads fine to me.\n"))
    assert all(_said(s, name) == ([], []) for name in VARIANTS)
    # "How about this?" above its diff asks a change: a review point (harness.pointwords) of the patch it is placed
    # below, not a NAK; of v3's patch changed since, not judged (an earlier objection), on v3 alone: v3:01 stops
    # before v3 02/2, the patch of its title, and holds none of that code (docs/gate.md).
    s = _read(tmp_path, _plain("q2@x", F2, "How about this?\n"))
    assert [_said(s, name) for name in VARIANTS] == [([("q2@x", "v2 02/2")], []), ([], []), ([], ["q2@x"]),
                                                     ([], [])]


def test_its_sender_taking_the_nak_back_lifts_it_everywhere(tmp_path: Path) -> None:
    # Her withdrawal answers the diff reply (it is placed below nothing, as a reply below A's 2/2 with no diff is):
    # before, v2 stayed blocked by the NAK she took back, v3 had it as an earlier objection still.
    back = message(f"Re: [PATCH v2 2/2] {TITLES[1]}", "w2@x", "I withdraw my NAK.\n",
                   sender="Rae Viewer <rae@example.org>", parent="n2@x", refs=("cover-a@x", "p2-a@x", "n2@x"),
                   date="Mon, 05 Jan 2026 14:00:00 +0000")
    s = _read(tmp_path, _plain("n2@x", F2, "NAK, do this instead.\n"), back)
    assert all(_said(s, name) == ([], []) for name in VARIANTS)


def test_a_nak_below_a_refused_posting_with_no_diff_says_the_mail_it_answers_was_not_read(tmp_path: Path) -> None:
    # Before: "it answers <p2-a@x>, not in the input", though the input holds that mail (skipped, its line says why).
    s = _read(tmp_path, _bare("n2@x", "NAK, do this instead.\n"))
    placed = "placed below nothing: it answers <p2-a@x>, a message not read"
    assert _said(s, "v2:01") == ([("n2@x", f"v2 ({placed})")], [])
    assert any(k.where.msgid == "p2-a@x" for k in s.skipped)


def test_a_tag_taken_back_in_a_reply_with_a_diff_is_every_variants_once(tmp_path: Path) -> None:
    # Read below nothing (harness.unplaced) on every variant, and not on v3 as an earlier objection of v2 02/2 too.
    s = _read(tmp_path, _plain("n2@x", F2, "I retract my Reviewed-by, see below.\n"))
    placed = "placed below nothing: it answers <p2-a@x>, of a posting not read"
    for name in VARIANTS:
        assert _said(s, name) == ([("n2@x", f"v{name[1]} ({placed})")], []), name


REPORTS = ("I bisected a boot hang to this patch.\n", "This patch breaks the build.\n")


@pytest.mark.parametrize("words", REPORTS, ids=("bisected", "breaks"))
@pytest.mark.parametrize("name", VARIANTS)
def test_a_regression_report_with_a_diff_blocks_what_it_blocks_without_it(tmp_path: Path, name: str,
                                                                          words: str) -> None:
    # Before: below v2 02/2 on v2 (found) and placed below nothing on the others, an earlier objection on v3 besides.
    (tmp_path / "d").mkdir()
    (tmp_path / "b").mkdir()
    with_diff, bare = _read(tmp_path / "d", _plain("n2@x", F2, words)), _read(tmp_path / "b", _bare("n2@x", words))
    placed = "placed below nothing: it answers <p2-a@x>"
    assert _said(with_diff, name) == ([("n2@x", f"v{name[1]} ({placed}, of a posting not read)")], [])
    assert _said(bare, name) == ([("n2@x", f"v{name[1]} ({placed}, a message not read)")], [])


def _direct(words: str) -> EmailMessage:
    """Rae's reply to B's (read) 2/2 with ``words``: placed there by its parent, not by a diff."""
    return message(f"Re: [PATCH v2 2/2] {TITLES[1]}", "n2@x", words, sender="Rae Viewer <rae@example.org>",
                   parent="p2-b@x", refs=("cover-b@x", "p2-b@x"), date="Tue, 06 Jan 2026 12:00:00 +0000")


@pytest.mark.parametrize("words", REPORTS, ids=("bisected", "breaks"))
def test_a_regression_report_right_below_the_read_patch_blocks_the_variants_holding_it(tmp_path: Path,
                                                                                       words: str) -> None:
    s = _read(tmp_path, _direct(words))
    assert _said(s, "v2") == ([("n2@x", "v2 02/2")], [])
    assert _said(s, "v2:01") == ([], [])
    assert _said(s, "v3") == ([], ["n2@x"])  # v3's 2/2 is another change: said, inconclusive
    assert _said(s, "v3:01") == ([], [])  # stopping before v3's 2/2, as v2:01 before v2's


def test_a_nak_a_diff_reply_quotes_of_another_is_not_lost(tmp_path: Path) -> None:
    # unplaced reads a reply's own NAK only: a quoted one, which found reads below the read patch, was dropped there
    # for the diff and read nowhere (cda02868: every variant passed). It stays below the read patch, as at 11849622^.
    s = _read(tmp_path, _plain("n2@x", F2, "Bob Builder wrote:\n> NAK.\n\nAgreed with Bob.\n"))
    assert _said(s, "v2") == ([("n2@x", "v2 02/2")], [])
    assert _said(s, "v3") == ([], ["n2@x"])
