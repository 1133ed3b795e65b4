"""A reply answering one patch whose subject names another: read below the one it answers.

A reply sent In-Reply-To one patch whose subject names another patch of the revision: read below the patch it
answers, as b4 0.16 am reads it, and said in a note, since what it says may be of the other.

Before: nothing said; a reviewer's "Please print the status with %#llx here." on 3/3, sent by answering 2/3's mail,
blocked 2/3 (and v2:02) without a word of the subject that named 3/3.
"""

from __future__ import annotations

from pathlib import Path

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.mailgen import demo_series, message, write_mbox
from tests.readmail import reply_ids

COVER = "cover-v2@example.org"


def _read(tmp_path: Path, subject: str) -> Series:
    review = message(subject, "rae@example.org", "Please print the status with %#llx here.\n",
                     sender="Rae Viewer <rae@example.org>", parent="p2-v2@example.org",
                     refs=(COVER, "p2-v2@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000")
    return parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(), review]),)))


def test_a_reply_to_patch_2_whose_subject_names_patch_3_is_said(tmp_path: Path) -> None:
    s = _read(tmp_path, "Re: [PATCH v2 3/3] demo: try five times")
    rev = s.revision(2)
    assert rev is not None and reply_ids(rev.slots[1].patch) == ["rae@example.org"]  # where b4 am puts it
    (note,) = [n for n in s.notes if "rae@example.org" in n.reason]
    assert note.reason == ("<rae@example.org> answers v2 02/3 (its In-Reply-To) though its subject names v2 03/3 "
                           "(demo: try five times): read as a reply to 02/3, as b4 am reads it, so what it says "
                           "is of 02/3"), note.reason
    assert note.where.line > 1


def test_a_reply_with_its_patchs_subject_or_another_revisions_is_not(tmp_path: Path) -> None:
    for i, subject in enumerate(("Re: [PATCH v2 2/3] demo: print fn in decimal", "Re: [PATCH v1 3/3] demo: try five "
                                 "times", "Re: [PATCH v2 3/3] demo: something else", "Re: question")):
        (tmp_path / str(i)).mkdir()
        s = _read(tmp_path / str(i), subject)
        assert not [n for n in s.notes if "rae@example.org" in n.reason], (subject, s.notes)
