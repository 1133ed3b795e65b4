"""Another sender's numbered patch in a revision's thread: a patch of the revision where b4 am takes it so."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Revision
from tests.harness.test_ingest import _b4_am
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_series, diff, message, patch_body, write_mbox

ROB = "Rob Reviewer <rob@example.net>"


def _thread(tmp: Path, subject: str, parent: str, sender: str = ROB) -> Path:
    """demo_series' v4 (a 0/3 cover and 1/3..3/3 from Ann) and one more patch mail ``subject`` from ``sender``
    answering ``parent``, a day later."""
    msgs = demo_series(version=4, total=3)
    body = patch_body("Change number 4.", diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("5", "7", 1)))
    refs = ("cover-v4@example.org",) if parent == "cover-v4@example.org" else ("cover-v4@example.org", parent)
    msgs.append(message(subject, "extra@example.org", body, sender=sender, parent=parent, refs=refs,
                        date="Tue, 06 Jan 2026 10:00:00 +0000"))
    return write_mbox(tmp / "s.mbox", msgs)


def _replies(rev: Revision) -> list[str]:
    return [r.mail.msgid for p in (rev.cover, *rev.patches) if p is not None for r in p.replies]


@pytest.mark.parametrize("parent", ["cover-v4@example.org", "p3-v4@example.org"])
@pytest.mark.parametrize("subject", ["[PATCH v4 4/4] demo: seven tries", "[PATCH v4 5/5] demo: seven tries"])
def test_another_senders_patch_past_the_postings_numbers_is_the_revisions(tmp_path: Path, parent: str,
                                                                          subject: str) -> None:
    """A ``[PATCH v4 4/4]`` (or ``5/5``) from Rob under Ann's ``0/3`` cover, answering it or her last patch: b4 am
    (0.16) writes it after her three, whoever sent it (LoreSeries.add_patch fills the slot no mail holds), so a
    maintainer applying the thread gets it. It was read as Rob's proposal on top of v4 03 (a reviewer variant),
    v4 three patches. Now it is a patch of v4, with a note saying whose and why."""
    mbox = _thread(tmp_path, subject, parent)
    theirs, _, _ = _b4_am(tmp_path, mbox, "cover-v4@example.org")
    s = parse_series(IngestRequest((mbox,)))
    (rev,) = s.revisions
    assert [p.mail.msgid for p in rev.patches] == theirs == [f"p{n}-v4@example.org" for n in (1, 2, 3)] + [
        "extra@example.org"]
    assert "extra@example.org" not in _replies(rev)
    notes = [n.reason for n in s.notes if "extra@example.org" in n.reason]
    assert len(notes) == 1 and "sent by rob@example.net" in notes[0] and "as b4 am takes it" in notes[0], s.notes


@pytest.mark.parametrize("subject", ["[PATCH v4 3/3] demo: seven tries", "[PATCH 4/4] demo: seven tries",
                                     "[PATCH v4] demo: seven tries"])
def test_another_senders_patch_under_the_postings_numbers_or_revision_stays_a_proposal(tmp_path: Path,
                                                                                       subject: str) -> None:
    """Rob's patch under a number Ann's posting holds (another version of her 3/3), of another revision ([PATCH],
    which b4 am of v4 leaves out), or unnumbered: his proposal, v4 Ann's three patches."""
    mbox = _thread(tmp_path, subject, "p3-v4@example.org")
    s = parse_series(IngestRequest((mbox,)))
    (rev,) = s.revisions
    assert [p.mail.msgid for p in rev.patches] == [f"p{n}-v4@example.org" for n in (1, 2, 3)]
    assert "extra@example.org" in _replies(rev)  # read as Rob's reply: his diff a proposal
    assert not [n for n in s.notes if "as b4 am takes it" in n.reason]
    if subject.startswith("[PATCH 4/4]"):  # b4 am reads it as another revision's (v1), never with v4's
        assert _b4_am(tmp_path, mbox, "cover-v4@example.org", "-v", "4")[0] == [
            f"p{n}-v4@example.org" for n in (1, 2, 3)]


def test_the_authors_own_patch_past_the_numbers_needs_no_note(tmp_path: Path) -> None:
    """Ann's own [PATCH v4 4/4] under her 0/3 cover is of her posting, as before: no note."""
    mbox = _thread(tmp_path, "[PATCH v4 4/4] demo: seven tries", "cover-v4@example.org",
                   sender="Ann Author <ann@example.org>")
    s = parse_series(IngestRequest((mbox,)))
    assert [p.mail.msgid for p in s.revisions[0].patches][-1] == "extra@example.org"
    assert not [n for n in s.notes if "as b4 am takes it" in n.reason]
