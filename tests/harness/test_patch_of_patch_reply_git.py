"""A reply whose diff is of the patch file (``diff a/0003-x.patch b/0003-x.patch``: the reviewer's new version of the
patch, diffed against the mail's) is no proposal on the tree, and is said. It was one: a variant ``v2:03+name``
that git apply cannot make (the tree has no such file: the oracle), built without --tree as fragments of a
``.patch`` file the mirror never reads, so the code it means to change ran unchanged."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
NAME = "0003-demo-try-five-times.patch"


def _diff_of(name: str, old: str, new: str) -> str:
    body = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}"))
    return f"diff --git a/{name} b/{name}\n{body}"


def _thread(tmp: Path, proposal: str) -> Path:
    reply = message("Re: [PATCH v2 3/3] demo: try five times", "rita@example.net",
                    f"On Mon, Ann wrote:\n> Change number 3.\n\nAs a diff of your patch:\n\n{proposal}\nThanks.\n",
                    sender="Rita Reviewer <rita@example.org>", parent="p3-v2@example.org",
                    refs=("cover-v2@example.org", "p3-v2@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000")
    return write_mbox(tmp / "t.mbox", [*demo_series(), reply])


def test_a_diff_of_the_patch_file_is_said_not_made_a_variant(tmp_path: Path) -> None:
    sent = patch_body("Change number 3.", diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    wanted = patch_body("Change number 3.", diff(HELPER_PATH, HELPER_V1, HELPER_V2.replace("= 5;", "= 7;")))
    proposal = _diff_of(NAME, sent, wanted)
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V2})  # the tree after v2 03
    (tmp_path / "p.diff").write_text(proposal)
    res = git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False)
    assert res.returncode != 0 and f"{NAME}: No such file or directory" in res.stderr.decode()
    series = parse_series(IngestRequest((_thread(tmp_path, proposal),)))
    (reply,) = series.revisions[0].patches[-1].replies
    assert reply.proposals == ()
    (note,) = [n.reason for n in series.notes]
    assert note.startswith(f"diff in the reply of Rita Reviewer <rita@example.net> not read as a proposal: it "
                           f"changes {NAME}, a patch file")


def test_a_diff_of_a_file_named_patch_that_holds_no_diff_is_a_proposal(tmp_path: Path) -> None:
    """A guard: the name alone is not enough (a text file the tree may hold under such a name)."""
    proposal = _diff_of("docs/notes.patch", "first line\n", "first line\nsecond line\n")
    series = parse_series(IngestRequest((_thread(tmp_path, proposal),)))
    (reply,) = series.revisions[0].patches[-1].replies
    assert [f.path for p in reply.proposals for f in p.files] == ["docs/notes.patch"] and not series.notes
