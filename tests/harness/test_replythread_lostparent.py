"""thread_replies: a reply whose parent the input lacks goes below the patch its subject names, not the cover letter.

A maintainer's mbox (or a mirror) that lacks the patch mail a review answers, the patch read from its resend: the
review's References then name the cover letter as the nearest message read. Before, the review went below the cover
letter, its point "said in a reply to the cover letter naming no patch" and blocking every variant of the revision
(v2:01 too, which stops before the patch reviewed). Now the subject's patch of that revision, when its title is the
patch read's, takes it; its trailers still credit nothing, as b4 0.16 am credits a reply whose parent it lacks to no
patch (harness.followups).
"""

from __future__ import annotations

from pathlib import Path

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.mailgen import demo_series, message, write_mbox
from tests.readmail import reply_ids

COVER, LOST = "cover-v2@example.org", "p2-v2@example.org"
TITLE = "demo: print fn in decimal"


def _read(tmp_path: Path, subject: str, refs: tuple[str, ...] = (COVER, LOST), words: str = "") -> Series:
    """demo_series v2 without its 2/3 mail but with that patch's resend, and Rae's reply to the lost 2/3."""
    mails = [m for m in demo_series() if m["Message-ID"] != f"<{LOST}>"]
    (two,) = [m for m in demo_series() if m["Message-ID"] == f"<{LOST}>"]
    resend = message(f"[PATCH v2 2/3 RESEND] {TITLE}", "p2-resend@example.org", two.get_content(),
                     parent=COVER, refs=(COVER,), date="Tue, 06 Jan 2026 10:00:00 +0000")
    review = message(subject, "rae@example.org", words or "Reviewed-by: Rae Viewer <rae@example.org>\n",
                     sender="Rae Viewer <rae@example.org>", parent=refs[-1], refs=refs,
                     date="Wed, 07 Jan 2026 10:00:00 +0000")
    return parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*mails, resend, review]),)))


def test_a_reply_to_a_lost_patch_mail_goes_below_the_patch_its_subject_names(tmp_path: Path) -> None:
    s = _read(tmp_path, f"Re: [PATCH v2 2/3] {TITLE}")
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None
    assert reply_ids(rev.slots[1].patch) == ["rae@example.org"]
    assert reply_ids(rev.cover) == [] and not s.orphans


def test_its_trailer_credits_no_patch_as_b4_credits_none(tmp_path: Path) -> None:
    from reports.series_view import series_to_dict
    (rev,) = [r for r in series_to_dict(_read(tmp_path, f"Re: [PATCH v2 2/3] {TITLE}"), [])["revisions"]
              if r["version"] == 2]
    assert [t for p in [rev["cover"], *rev["patches"]] for t in p["followup_trailers"]] == []


def test_a_reply_naming_the_cover_letter_or_another_title_stays_below_the_cover_letter(tmp_path: Path) -> None:
    for i, subject in enumerate(("Re: [PATCH v2 0/3] demo: helper rework", "Re: [PATCH v2 2/3] demo: something else",
                                 "Re: [PATCH v2 2/3 RESEND] " + TITLE.upper())):
        (tmp_path / str(i)).mkdir()
        rev = _read(tmp_path / str(i), subject).revision(2)
        assert rev is not None and reply_ids(rev.cover) == ["rae@example.org"], subject
        assert reply_ids(rev.slots[1].patch) == [], subject


def test_a_reply_whose_references_name_a_patch_read_goes_there_whatever_its_subject(tmp_path: Path) -> None:
    rev = _read(tmp_path, f"Re: [PATCH v2 2/3] {TITLE}", refs=(COVER, "p3-v2@example.org", LOST)).revision(2)
    assert rev is not None and reply_ids(rev.slots[2].patch) == ["rae@example.org"]
    assert reply_ids(rev.slots[1].patch) == reply_ids(rev.cover) == []


def _variant(s: Series, upto: int) -> object:
    from harness.variants import Variant
    rev = s.revision(2)
    assert rev is not None
    return Variant(f"v2:{upto:02d}", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches[:upto]), "",
                   revision=2)


def test_its_point_is_of_that_patch_not_of_the_series(tmp_path: Path) -> None:
    from harness.objections import open_objections
    s = _read(tmp_path, f"Re: [PATCH v2 2/3] {TITLE}", words="Cap the retries at 8.\n")
    assert open_objections(s, _variant(s, 1), frozenset()) == ()  # was a point "of the whole series" there too
    (o,) = open_objections(s, _variant(s, 2), frozenset())
    assert o.kind.value == "point" and o.target == "v2 02/3" and "cover letter" not in o.note, o
