"""A lone ``[PATCH]`` (no N/M) sent into a numbered revision's thread, against git am and b4 am.

An author (or anyone) posts one more patch below a series, ``[PATCH v2] title`` In-Reply-To the cover letter or
a patch: it was numbered 1/1 and refused as v2's patch 01 "given twice" (exit 2), or, unversioned below the
cover letter, made a v1 whose pre-image is v2's end. It is a reply to what it answers, its diff a proposal.
"""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import am, git, init_repo, mailsplit
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_series, diff, message, patch_body, write_mbox

V3 = HELPER_V2.replace("int tries = 5;", "int tries = 7;")
STAT = " drivers/demo/helper.h | 20 ++++++++++\n 1 file changed, 20 insertions(+)\n"


def _thread(tmp: Path, tag: str, parent: str) -> Path:
    """demo v2 (a cover letter with a diffstat, 1/3..3/3), then ``[tag] demo: try seven times`` In-Reply-To
    ``parent``, sent a day later: the change on top of 3/3."""
    msgs = demo_series(version=2)
    msgs[0].set_content(f"Cover letter text.\n\n{STAT}")
    body = patch_body("Seven tries.", diff(HELPER_PATH, HELPER_V2, V3))
    msgs.append(message(f"[{tag}] demo: try seven times", "lone@example.org", body, parent=parent,
                        refs=("cover-v2@example.org", parent), date="Tue, 06 Jan 2026 10:00:00 +0000"))
    return write_mbox(tmp / "s.mbox", msgs)


@pytest.mark.parametrize(("tag", "parent"), [
    ("PATCH v2", "cover-v2@example.org"), ("PATCH v2 RESEND", "cover-v2@example.org"),
    ("PATCH v2", "p3-v2@example.org"), ("PATCH v2", "p2-v2@example.org"),
    ("PATCH", "cover-v2@example.org"),  # b4 gives it v2 (a cover letter: a diffstat, no diff)
    ("PATCH", "p1-v2@example.org"),  # and below patch 1
])
def test_a_lone_patch_in_a_numbered_thread_is_a_reply_to_what_it_answers(tmp_path: Path, tag: str,
                                                                          parent: str) -> None:
    s = parse_series(IngestRequest((_thread(tmp_path, tag, parent),)))
    assert not s.skipped, s.skipped
    assert [r.version for r in s.revisions] == [2]
    (rev,) = s.revisions
    assert [sl.patch.mail.msgid if sl.patch else None for sl in rev.slots] == [
        "p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org"]
    answered = rev.cover if parent.startswith("cover") else rev.patch(int(parent[1]))
    assert answered is not None and [r.mail.msgid for r in answered.replies] == ["lone@example.org"]
    (note,) = [n.reason for n in s.notes if n.reason.startswith("<lone@example.org>")]
    assert "not as a second v2 patch 1" in note
    res = CliRunner().invoke(app, ["series", str(tmp_path / "s.mbox"), "--json"])
    assert res.exit_code == 0, res.output


def test_below_another_patch_an_unversioned_one_stays_a_series_of_its_own_as_b4_reads_it(tmp_path: Path) -> None:
    # b4 fixes the revision of an unversioned patch below a cover letter or patch 1 only; below 3/3 it is v1.
    s = parse_series(IngestRequest((_thread(tmp_path, "PATCH", "p3-v2@example.org"),)))
    assert [(r.version, [sl.patch.mail.msgid for sl in r.slots if sl.patch]) for r in s.revisions] == [
        (1, ["lone@example.org"]), (2, ["p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org"])]
    assert not s.skipped


def test_the_series_and_the_proposal_apply_as_git_am_applies_them_where_b4s_reading_stops(tmp_path: Path) -> None:
    mbox = _thread(tmp_path, "PATCH v2", "p3-v2@example.org")
    split = {str(email.message_from_bytes(m)["Message-ID"]).strip("<>"): m for m in mailsplit(tmp_path, mbox)}
    mails = []
    for i, msgid in enumerate(["p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org", "lone@example.org"]):
        mails.append(tmp_path / f"m{i}")
        mails[-1].write_bytes(split[msgid])
    commits, err = am(init_repo(tmp_path / "ours"), mails)
    assert not err and len(commits) == 4
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["series", str(mbox), "--json"]).stdout)
    (name,) = [v for v in data["variants"] if "+" in v]
    for variant, commit in ((name, commits[3]), ("v2", commits[2])):
        out = tmp_path / variant.replace(":", "-")
        res = runner.invoke(app, ["apply", str(mbox), "--variant", variant, "--out", str(out)])
        assert res.exit_code == 0, res.output
        blob = git(tmp_path, "hash-object", str(out / HELPER_PATH)).stdout.decode().strip()
        assert blob == commit.blobs[HELPER_PATH], variant
    # b4 0.16, reading the lone patch after the numbered ones, takes it as patch 1 and 1/3 as patch 2: git am of
    # its output stops on the lone patch, whose pre-image is 3/3's end.
    from tests.harness.test_ingest import _b4_am

    theirs, _, mbx = _b4_am(tmp_path, mbox, "cover-v2@example.org", "-v", "2")
    assert theirs[:2] == ["lone@example.org", "p1-v2@example.org"]
    _, b4_err = am(init_repo(tmp_path / "theirs"), [mbx])
    assert b4_err
