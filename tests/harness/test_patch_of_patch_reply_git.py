"""A reply diffing the patch file is rebuilt into the reviewer's patch.

A reply whose diff is of the patch file (``diff a/0003-x.patch b/0003-x.patch``: the reviewer's new version of the
patch, diffed against the mail's) is no proposal on the tree (git apply cannot make it there: the tree has no such
file). It is rebuilt into the reviewer's patch, as git apply of it to the patch file and then of that patch makes
it (the oracle), a proposal in the patch's place; where it cannot be, the note says why."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
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


def _git_rebuilt(tmp: Path, sent: str, proposal: str) -> str:
    """The reviewer's patch file as git apply makes it of the diff of the sent one."""
    work = init_repo(tmp / "patchfile", {NAME: sent})
    (tmp / "outer.diff").write_text(proposal)
    git(work, "apply", str(tmp / "outer.diff"))
    return (work / NAME).read_text()


def test_a_diff_of_the_patch_file_is_rebuilt_into_the_reviewers_patch(tmp_path: Path) -> None:
    sent = patch_body("Change number 3.", diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    wanted = patch_body("Change number 3.", diff(HELPER_PATH, HELPER_V1, HELPER_V2.replace("= 5;", "= 7;")))
    proposal = _diff_of(NAME, sent, wanted)
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V2})  # the tree after v2 03
    (tmp_path / "p.diff").write_text(proposal)
    res = git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False)
    assert res.returncode != 0 and f"{NAME}: No such file or directory" in res.stderr.decode()  # not on the tree
    # The oracle: git apply of the diff to the patch file, then git apply of that patch in v2 03's place.
    (tmp_path / "reviewers.patch").write_text(_git_rebuilt(tmp_path, sent, proposal))
    before = init_repo(tmp_path / "before", {HELPER_PATH: HELPER_V1})
    git(before, "apply", str(tmp_path / "reviewers.patch"))
    expected = (before / HELPER_PATH).read_text()
    assert "= 7;" in expected
    thread = _thread(tmp_path, proposal)
    series = parse_series(IngestRequest((thread,)))
    (reply,) = series.revisions[0].patches[-1].replies
    (rebuilt,) = reply.proposals
    assert [f.path for f in rebuilt.files] == [HELPER_PATH] and not series.notes
    out = tmp_path / "out"
    got = CliRunner().invoke(app, ["apply", str(thread), "--variant", "v2:03~rita-reviewer", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert (out / HELPER_PATH).read_text() == expected


def test_a_diff_of_another_patch_file_is_said_not_rebuilt(tmp_path: Path) -> None:
    """Made of a patch file whose lines the mail's lacks (another version of the patch): git apply refuses it on the
    sent one, and so does the rebuilding; the note says why."""
    sent = patch_body("Change number 3.", diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    other = sent.replace("int tries = 3;", "int tries = 4;")
    proposal = _diff_of(NAME, other, other.replace("= 5;", "= 7;"))
    work = init_repo(tmp_path / "patchfile", {NAME: sent})
    (tmp_path / "outer.diff").write_text(proposal)
    assert git(work, "apply", "--check", str(tmp_path / "outer.diff"), check=False).returncode != 0
    series = parse_series(IngestRequest((_thread(tmp_path, proposal),)))
    (reply,) = series.revisions[0].patches[-1].replies
    assert reply.proposals == ()
    (note,) = [n.reason for n in series.notes]
    assert note.startswith(f"diff in the reply of Rita Reviewer <rita@example.net> not read as a proposal: it "
                           f"changes {NAME}, a patch file")
    assert "it is not rebuilt into the reviewer's patch: its hunks do not apply to 03/3's diff as the mail has it" \
        in note


def test_a_diff_of_a_file_named_patch_that_holds_no_diff_is_a_proposal(tmp_path: Path) -> None:
    """A guard: the name alone is not enough (a text file the tree may hold under such a name)."""
    proposal = _diff_of("docs/notes.patch", "first line\n", "first line\nsecond line\n")
    series = parse_series(IngestRequest((_thread(tmp_path, proposal),)))
    (reply,) = series.revisions[0].patches[-1].replies
    assert [f.path for p in reply.proposals for f in p.files] == ["docs/notes.patch"] and not series.notes


def test_a_diff_u_of_a_format_patch_file_with_a_line_added_is_rebuilt_as_git_am_applies_it(tmp_path: Path) -> None:
    """Real git format-patch output, edited by the reviewer (a line more: hunk counts and diffstat fixed by hand) and
    diffed with diff -u: the variant in the patch's place is what git am of the edited file commits."""
    src = init_repo(tmp_path / "src", {"README": "demo\n"})
    code = "".join(f"int f{i}(void) {{ return {i}; }}\n" for i in range(12))
    (src / "demo.c").write_text(code)
    git(src, "add", "demo.c")
    git(src, "commit", "-q", "-m", "demo: add f\n\nSigned-off-by: Ann Author <ann@example.org>")
    sent = git(src, "format-patch", "--thread", "-1", "--stdout").stdout.decode()
    name = "0001-demo-add-f.patch"
    edited = (sent.replace("+int f5(void) { return 5; }\n", "+int f5(void) { return 55; }\n+int g(void);\n")
              .replace("@@ -0,0 +1,12 @@", "@@ -0,0 +1,13 @@").replace("| 12 ++++++++++++", "| 13 +++++++++++++")
              .replace("12 insertions(+)", "13 insertions(+)"))
    assert edited.count("return 55;") == 1 and "+1,13 @@" in edited
    (tmp_path / "a.patch").write_text(sent)
    (tmp_path / "b.patch").write_text(edited)
    res = subprocess.run(["diff", "-u", "--label", f"a/{name}", "--label", f"b/{name}", "a.patch", "b.patch"],
                         cwd=tmp_path, capture_output=True, text=True, check=False)
    assert res.returncode == 1, res.stderr
    am = init_repo(tmp_path / "am", {"README": "demo\n"})
    git(am, "am", "-q", str(tmp_path / "b.patch"))  # the oracle: the reviewer's patch, as git am commits it
    msgid = sent.split("Message-Id: <", 1)[1].split(">", 1)[0]
    reply = message("Re: [PATCH] demo: add f", "rita@example.net",
                    f"Ann Author wrote:\n> demo: add f\n\nLike this, as a diff of your patch:\n\n{res.stdout}\n",
                    sender="Rita Reviewer <rita@example.org>", parent=msgid, refs=(msgid,))
    (tmp_path / "0001.patch").write_text(sent)
    thread = write_mbox(tmp_path / "r.mbox", [reply])
    out = tmp_path / "out"
    got = CliRunner().invoke(app, ["apply", str(tmp_path / "0001.patch"), str(thread), "--variant",
                                   "v1:01~rita-reviewer", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert (out / "demo.c").read_text() == (am / "demo.c").read_text()
