"""``seamharness apply --tree`` on diffs whose mode lines git itself never writes ("100664", "0100644", "644")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
A_OLD, A_NEW = "d07206649ade1ad706cd364deba2990934c8b7cf", "cc293960428a5ab8df80dbefd760dd1e2bda8474"
Z, N = "fef7de0a5f5903332f4901e6f8d8870b6e075177", "d8805c92f24d9461a93c9a318ab62da581e3988c"
HUNK = "--- a/d/a.c\n+++ b/d/a.c\n@@ -1,3 +1,3 @@\n int a;\n-int b;\n+int B;\n int c;\n"
# Each diff with MODE where git diff writes a mode: the path it touches, and the diff.
DIFFS = {
    "index": ("d/a.c", f"diff --git a/d/a.c b/d/a.c\nindex {A_OLD[:7]}..{A_NEW[:7]} MODE\n{HUNK}"),
    "new": ("d/n", f"diff --git a/d/n b/d/n\nnew file mode MODE\nindex 0000000..{N[:7]}\n--- /dev/null\n+++ b/d/n\n"
                   "@@ -0,0 +1 @@\n+int n;\n"),
    "mode-to": ("d/a.c", "diff --git a/d/a.c b/d/a.c\nold mode 100644\nnew mode MODE\n"),
    "mode-to-and-hunk": ("d/a.c", f"diff --git a/d/a.c b/d/a.c\nold mode 100644\nnew mode MODE\n"
                                  f"index {A_OLD[:7]}..{A_NEW[:7]}\n{HUNK}"),
    "mode-from": ("d/a.c", "diff --git a/d/a.c b/d/a.c\nold mode MODE\nnew mode 100755\n"),
    "delete": ("d/z.c", f"diff --git a/d/z.c b/d/z.c\ndeleted file mode MODE\nindex {Z[:7]}..0000000\n"
                        "--- a/d/z.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-int z;\n"),
}


def _mail(tmp: Path, body: str) -> Path:
    (tmp / "p.mbox").write_text(
        "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\n"
        "Date: Mon, 7 Dec 2026 04:44:20 +0000\nSubject: [PATCH] d: x\nMessage-Id: <x@example.org>\n\nx\n\n"
        f"Signed-off-by: A <a@example.org>\n---\n{body}-- \n2.39.5\n\n")
    return tmp / "p.mbox"


@pytest.mark.parametrize("diff", sorted(DIFFS))
@pytest.mark.parametrize("mode", ["100664", "0100644", "100600", "644", "120777", "160001", "0", "040000", "40000",
                                  "040755", "040644", "40755"])
def test_mode_lines_as_git_am_reads_them(tmp_path: Path, mode: str, diff: str) -> None:
    """git apply reads a mode as strtoul base 8 and compares the type bits as written ('wrong type', 'new mode ...
    does not match old mode'; 0 is no mode given); git writes the mode canonical (create_ce_mode: 100664 and 644
    are 100644, 120777 a symlink's 120000). The mode lines were read only as six digits: '0100644' was no mode
    (its mode change to 100755 'only garbage'), and the type bits of another mode than 120000 or 160000 were a
    regular file's: a deletion or a patch of 'a symlink' (120777) of a regular file, or one turning it into one,
    applied where git refuses it, and 100664 was written as 100664. Now each is git am's verdict and git's mode.
    A file created with a directory's mode (040000, 40000) git am commits as a broken tree (git fsck fails, the
    next git am cannot read it): refused, saying so, where it was 'a symlink or submodule patch: not modelled'."""
    path, text = DIFFS[diff]
    tree = init_repo(tmp_path / "tree", {"d/a.c": "int a;\nint b;\nint c;\n", "d/z.c": "int z;\n"})
    base = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    mbox = _mail(tmp_path, text.replace("MODE", mode))
    repo = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(tree), str(repo))
    refused = git(repo, "am", "-q", str(mbox), check=False).returncode != 0
    # A file created with a directory's mode: git am exits 0, but commits a tree entry naming a blob, which git
    # fsck and every later git am refuse to read (a broken tree): no state to build on.
    broken = not refused and git(repo, "fsck", "--no-dangling", check=False).returncode != 0
    listing = git(repo, "ls-tree", "-r", "HEAD", check=not broken).stdout.decode()
    theirs = {line.split("\t", 1)[1]: line.split()[0] for line in listing.splitlines()}
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(mbox), "--variant", "v1", "--out", str(out), "--tree", str(tree),
                                 "--base", base])
    if refused or broken:
        assert r.exit_code == 2 and not out.exists() and len(r.stderr.splitlines()) == 1, (r.exit_code, r.stderr)
        assert not broken or "a broken tree (git fsck: 'is a tree, not a blob'" in r.stderr, r.stderr
        return
    assert r.exit_code == 0, r.stderr
    (ours,) = [f for f in json.loads((out / "provenance.json").read_text())["files"] if f["path"] == path]
    assert (ours["mode"], ours["status"]) == ((theirs[path], "complete") if path in theirs else (None, "absent"))
