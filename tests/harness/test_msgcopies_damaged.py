"""Two copies of one patch mail, one damaged (its hunk cut short, its diff cut off): the sound copy is read.

An mbox holds v2 2/3 twice under one Message-ID and Subject, one copy cut inside its hunk or before its diff. b4 0.16
keeps the first copy it meets (liblore's split_and_dedupe) and writes it as it is; git am of the whole mailbox stops at
the damaged one. Before, the first copy was kept whatever it held: damaged first, the sound copy was skipped as a
duplicate and the damaged one refused, patch 2 MISSING (the gate's base problem), the sound copy's diff never read. Now
the copy git am commits is read, whichever comes first, and the other is said in a note. Two sound copies that differ,
and two damaged ones, are read as before: the first, the other skipped by name."""

from __future__ import annotations

import copy
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import am, init_repo, mailsplit
from tests.mailgen import demo_series, write_mbox

ID = "p2-v2@example.org"


def _damaged(msg: EmailMessage, how: str) -> EmailMessage:
    """``msg`` cut inside its hunk (``hunk``) or before its diff (``diff``), as a mailbox cut short leaves it."""
    body = str(msg.get_content())
    out = copy.deepcopy(msg)
    out.set_content(body[: body.index("@@") + 40] if how == "hunk" else body[: body.index("Signed-off-by")])
    return out


def _mbox(tmp_path: Path, how: str, damaged_first: bool) -> tuple[Path, list[EmailMessage]]:
    a = demo_series(2, 3)
    bad = _damaged(a[2], how)
    pair = [bad, a[2]] if damaged_first else [a[2], bad]
    return write_mbox(tmp_path / "t.mbox", [a[0], a[1], *pair, a[3]]), a


@pytest.mark.parametrize("damaged_first", [True, False], ids=["damaged-first", "sound-first"])
@pytest.mark.parametrize("how", ["hunk", "diff"])
def test_the_sound_copy_of_a_patch_mail_is_read(tmp_path: Path, how: str, damaged_first: bool) -> None:
    path, a = _mbox(tmp_path, how, damaged_first)
    utils = pytest.importorskip("liblore.utils")
    (b4_kept,) = [m for m in utils.split_and_dedupe(path.read_bytes()) if m["Message-ID"] == f"<{ID}>"]
    assert ("@@" in str(b4_kept.get_content()) and "#endif" not in str(b4_kept.get_content())) == \
        (damaged_first and how == "hunk")  # b4 keeps the first copy, damaged or not
    s = parse_series(IngestRequest((path,)))
    rev = s.revision(2)
    assert rev is not None
    assert [sl.number for sl in rev.slots if sl.patch is None] == []  # was [2] damaged first: MISSING
    assert not s.skipped  # was the sound copy, a duplicate (and the damaged one, refused)
    (note,) = [n for n in s.notes if ID in n.reason]
    assert "here is not read" in note.reason and "whose diff git apply reads" in note.reason
    p2 = rev.slots[1].patch
    assert p2 is not None and note.where.line != p2.mail.where.line
    # The oracle: git am of the sound copy, after 1/3, commits 2/3's blob; of the damaged one it stops.
    repo = init_repo(tmp_path / "repo")
    (tmp_path / "s").mkdir()
    files = []
    for k, data in enumerate(mailsplit(tmp_path / "s", path)):
        files.append(tmp_path / f"m{k}.eml")
        files[-1].write_bytes(data)
    sound = files[3] if damaged_first else files[2]
    commits, err = am(repo, [files[1], sound])
    assert err == "" and commits[-1].blobs["drivers/demo/helper.h"].startswith(p2.files[0].new_blob or "?")
    assert str(a[2]["Subject"]).endswith(commits[-1].subject)


def test_two_sound_copies_that_differ_read_the_first_as_before(tmp_path: Path) -> None:
    a = demo_series(2, 3)
    other = copy.deepcopy(a[2])
    other.set_content(str(a[2].get_content()).replace("Change number 2.", "Change number two."))
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [a[0], a[1], a[2], other, a[3]]),)))
    (skip,) = s.skipped
    assert skip.reason.startswith(f"duplicate Message-ID <{ID}>")


def test_two_damaged_copies_read_the_first_as_before(tmp_path: Path) -> None:
    a = demo_series(2, 3)
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [a[0], a[1], _damaged(a[2], "hunk"),
                                                                      _damaged(a[2], "diff"), a[3]]),)))
    assert any(k.reason.startswith(f"duplicate Message-ID <{ID}>") for k in s.skipped)
    rev = s.revision(2)
    assert rev is not None and [sl.number for sl in rev.slots if sl.patch is None] == [2]
