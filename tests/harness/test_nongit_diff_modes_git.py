"""Modes of files a diff without git's mode lines (``diff -u``) creates or changes, as ``git am`` commits them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle


def _mail(diff: bytes) -> bytes:
    return (b"From: Ann <ann@example.org>\nSubject: [PATCH] demo: x\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\n"
            b"Adds or edits it.\n---\n" + diff)


@pytest.mark.parametrize(("diff", "tree"), [
    (b"--- /dev/null\n+++ b/new.c\n@@ -0,0 +1 @@\n+hello world\n", True),
    (b"--- /dev/null\n+++ b/new.c\n@@ -0,0 +1 @@\n+hello world\n", False),
    (b"--- a/new.c\n+++ b/new.c\n@@ -0,0 +1 @@\n+hello world\n", True),  # git apply creates it where the tree lacks it
    (b"--- new.c.orig\t2026-01-05 10:00:00.000000000 +0000\n+++ new.c\t2026-01-05 10:00:00.000000000 +0000\n"
     b"@@ -0,0 +1 @@\n+hello world\n", True),
    (b"diff -u a/run.sh b/run.sh\n--- a/run.sh\n+++ b/run.sh\n@@ -1,2 +1,2 @@\n #!/bin/sh\n-echo a\n+echo b\n", True),
], ids=["dev-null", "dev-null-no-tree", "line-zero", "unprefixed-line-zero", "executable-edited"])
def test_a_file_a_modeless_diff_makes_has_git_ams_mode(tmp_path: Path, diff: bytes, tree: bool) -> None:
    repo = init_repo(tmp_path / "repo", {"run.sh": "#!/bin/sh\necho a\n"})
    (repo / "run.sh").chmod(0o755)
    git(repo, "add", "run.sh")
    git(repo, "commit", "-q", "-m", "executable")
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    (tmp_path / "p.eml").write_bytes(_mail(diff))
    am = git(repo, "am", str(tmp_path / "p.eml"), check=False)
    assert am.returncode == 0, am.stderr
    modes = {ln.split("\t")[1]: ln.split()[0] for ln in git(repo, "ls-tree", "-r", "HEAD").stdout.decode().splitlines()}
    out = tmp_path / "out"
    args = ["apply", str(tmp_path / "p.eml"), "--variant", "v1", "--out", str(out)]
    res = CliRunner().invoke(app, args + (["--tree", str(repo), "--base", base] if tree else []))
    assert res.exit_code == 0, res.output
    files = json.loads((out / "provenance.json").read_text())["files"]
    assert files and all(f["mode"] == modes[f["path"]] for f in files), (files, modes)
