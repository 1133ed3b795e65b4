"""A lone ``[PATCH]`` sent again in a thread of its own, its notes saying ``Changes in v2:``, is that revision."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.mailgen import HELPER_PATH, HELPER_V0, diff, message, patch_body, write_mbox

SIX = HELPER_V0.replace("int tries = 3;", "int tries = 6;")
SEVEN = HELPER_V0.replace("int tries = 3;", "int tries = 7;")


def _lone(msgid: str, new: str, notes: str = "", day: int = 5) -> EmailMessage:
    """A lone ``[PATCH] demo: try more times`` (no cover letter, no In-Reply-To) making the helper ``new``."""
    return message("[PATCH] demo: try more times", msgid, patch_body("More tries.", diff(HELPER_PATH, HELPER_V0, new),
                                                                    notes=notes),
                   date=f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000")


@pytest.mark.parametrize("heading", ["Changes in v2:", "v1 -> v2:", "Changes since v1:"])
def test_a_lone_patch_whose_notes_name_v2_is_v2(tmp_path: Path, heading: str) -> None:
    # Two lone patches of one title in two threads, the second's notes below '---' under a v2 changelog heading:
    # v1 and v2, each as git am applies its mail (checked), with a note; it was "v1 patch 01/1 given twice", exit 2.
    from tests.gitoracle import am, init_repo

    first = _lone("lone-1@example.org", SIX)
    second = _lone("lone-2@example.org", SEVEN, notes=f"{heading}\n- seven, not six", day=6)
    files = (write_mbox(tmp_path / "1.mbox", [first]), write_mbox(tmp_path / "2.mbox", [second]))
    s = parse_series(IngestRequest(files))
    assert not s.skipped
    assert [(r.version, [p.mail.msgid for p in r.patches]) for r in s.revisions] == [
        (1, ["lone-1@example.org"]), (2, ["lone-2@example.org"])]
    for rev, mbox in zip(s.revisions, files, strict=True):
        commits, err = am(init_repo(tmp_path / f"am-{rev.version}", {HELPER_PATH: HELPER_V0}), [mbox])
        assert not err and [c.blobs[HELPER_PATH][:12] for c in commits] == [rev.patches[0].files[0].new_blob]
    assert [(n.where.msgid, n.reason) for n in s.notes] == [("lone-2@example.org", (
        "<lone-2@example.org> [PATCH] demo: try more times read as v2, a revision its subject does not name: its "
        "notes below '---' name v2"))]


def test_a_lone_patch_sent_again_without_a_changelog_is_still_given_twice(tmp_path: Path) -> None:
    # The guard: no changelog, nothing says which is the later revision: refused as before (exit 2).
    files = (write_mbox(tmp_path / "1.mbox", [_lone("lone-1@example.org", SIX)]),
             write_mbox(tmp_path / "2.mbox", [_lone("lone-2@example.org", SEVEN, notes="Seven, not six.", day=6)]))
    s = parse_series(IngestRequest(files))
    assert [r.version for r in s.revisions] == [1] and [k.where.msgid for k in s.skipped] == ["lone-2@example.org"]


def test_a_patch_below_a_patch_is_not_read_by_its_notes(tmp_path: Path) -> None:
    # The guard: Outlook in Dutch answers "Antw: [PATCH v2 3/3] ..." (no reply prefix b4 or we know: a lone patch,
    # as b4 0.16 reads it too) with the patch below "-----Original Message-----", its "v2:" notes and all: below
    # patch 3 it is a reply (harness.loneaddenda), never said to be "read as v2" by those notes.
    from tests.mailgen import demo_series

    msgs = demo_series()
    text = ("Reviewed-by: Rae Viewer <rae@example.org>\n\n-----Original Message-----\nFrom: Ann Author "
            "<ann@example.org>\nSubject: [PATCH v2 3/3] demo: try five times\n\n" + msgs[3].get_content())
    reply = message("Antw: [PATCH v2 3/3] demo: try five times", "antw@example.org", text,
                    sender="Rae Viewer <rae@example.org>", parent="p3-v2@example.org",
                    refs=("cover-v2@example.org", "p3-v2@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000")
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*msgs, reply]),)))
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    assert not any("its notes below '---' name" in n.reason for n in s.notes)
