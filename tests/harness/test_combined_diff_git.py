"""A patch mail whose diff is a merge's combined diff (``git show`` of a merge): git am applies nothing; said so."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

MAKEFILE = "drivers/demo/Makefile"


def _merge_mail(tmp: Path) -> tuple[Path, Path]:
    """A repository whose HEAD merges two branches that both changed one line, and a patch mail of ``git show --cc``
    of that merge (a sender's "here is my merge" mail): the repository at the first parent, the mail."""
    repo = init_repo(tmp / "repo", {MAKEFILE: "# demo\nobj-y += a.o\n"})
    git(repo, "checkout", "-q", "-b", "side")
    (repo / MAKEFILE).write_text("# demo\nobj-y += a.o b.o\n")
    git(repo, "commit", "-qam", "side")
    git(repo, "checkout", "-q", "-")
    (repo / MAKEFILE).write_text("# demo\nobj-y += a.o c.o\n")
    git(repo, "commit", "-qam", "main")
    git(repo, "merge", "-q", "side", check=False)  # conflicts: resolved by hand below
    (repo / MAKEFILE).write_text("# demo\nobj-y += a.o b.o c.o\n")
    git(repo, "commit", "-qam", "Merge branch 'side'")
    combined = git(repo, "show", "--cc", "--format=", "HEAD").stdout
    assert combined.startswith(b"diff --cc "), combined
    mail = tmp / "merge.eml"
    mail.write_bytes(b"From: Ann Author <ann@example.org>\nSubject: [PATCH] demo: merge the side branch\n"
                     b"Date: Mon, 05 Jan 2026 10:00:00 +0000\nMessage-ID: <merge-1@example.org>\n\n"
                     b"The merge.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n" + combined)
    git(repo, "reset", "-q", "--hard", "HEAD^1")
    return repo, mail


def test_a_combined_diff_of_a_merge_is_refused_at_its_line_as_git_am_applies_nothing(tmp_path: Path) -> None:
    repo, mail = _merge_mail(tmp_path)
    am = git(repo, "am", str(mail), check=False)
    assert am.returncode != 0 and b"No valid patches in input" in am.stderr, am.stderr  # the oracle
    line = mail.read_bytes().split(b"\n").index(next(ln for ln in mail.read_bytes().split(b"\n")
                                                     if ln.startswith(b"diff --cc "))) + 1
    # Before: 'merge.eml:1: patch 1/1 has no diff (git am: Patch is empty): a mail cut short or damaged?'
    for command in (["series", str(mail)], ["gate", str(mail), "--variant", "v1"]):
        r = CliRunner().invoke(app, command)
        assert r.exit_code == 2, r.output
        said = [ln for ln in r.output.splitlines() if str(mail) in ln]
        assert len(said) == 1 and f"{mail}:{line}: " in said[0], r.output
        assert "combined diff" in said[0] and "merge" in said[0] and "git am applies nothing" in said[0], said
        assert "Traceback" not in r.output
