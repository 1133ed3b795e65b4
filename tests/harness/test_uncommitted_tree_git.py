"""A --tree with uncommitted changes to patched files: the files are read from the commit.

A --tree whose work tree holds uncommitted changes to a file the patches touch, its base HEAD's commit: the files
are read from the commit (as git am would apply them once the changes are committed or stashed), and the base line
says the changes are not read; the tree, its index included, is left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
C = "arch/x86/virt/vmx/tdx/demo.c"
TEXT = "".join(f"static u64 demo_fn{i}(u64 fn)\n{{\n\treturn fn + {i};\n}}\n\n" for i in range(8))
NOTE = f"the work tree's uncommitted changes to {C} are not read (the commit's files are; git am there stops on them"


def _tree(tmp: Path) -> tuple[Path, Path]:
    """A tree at the series' base (HEAD), and the series' one patch (git format-patch --base)."""
    tree = init_repo(tmp / "linux", {C: TEXT})
    (tree / C).write_text(TEXT.replace("fn + 3;", "fn + 33;"))
    git(tree, "commit", "-q", "-am", "demo: the patch\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "--base=HEAD~1", "-o", str(tmp / "patches"), "HEAD~1..HEAD")
    git(tree, "reset", "-q", "--hard", "HEAD~1")
    return tree, tmp / "patches"


def _apply(tmp: Path, patches: Path, tree: Path) -> tuple[str, bytes]:
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--tree", str(tree), "--out", str(tmp / "o")])
    assert r.exit_code == 0, r.stderr
    return " ".join(r.stderr.split()), (tmp / "o" / C).read_bytes()


@pytest.mark.parametrize("staged", [False, True])
def test_uncommitted_changes_to_a_patched_file_are_said_not_read(tmp_path: Path, staged: bool) -> None:
    tree, patches = _tree(tmp_path)
    said, clean = _apply(tmp_path, patches, tree)
    assert NOTE not in said, said
    git(tree, "worktree", "add", "-q", "--detach", str(tmp_path / "clean"), "HEAD")
    _, error = am(tmp_path / "clean", sorted(patches.glob("*.patch")))
    assert not error and clean == (tmp_path / "clean" / C).read_bytes()  # git am on the commit: the same file
    (tree / C).write_text(TEXT + "/* a local edit */\n")
    if staged:
        git(tree, "add", C)
    before = [git(tree, *a).stdout for a in (("status", "--porcelain"), ("rev-parse", "HEAD"))]
    index = (tree / ".git" / "index").read_bytes()
    _, error = am(tree, sorted(patches.glob("*.patch")))
    assert "does not match index" in error or "Dirty index" in error, error  # git am in the tree stops
    said, dirty = _apply(tmp_path, patches, tree)
    # Before: the same base line as the clean tree's, the local edit silently not read.
    assert NOTE in said and dirty == clean, said
    assert before == [git(tree, *a).stdout for a in (("status", "--porcelain"), ("rev-parse", "HEAD"))]
    assert (tree / ".git" / "index").read_bytes() == index


def test_changes_to_other_files_or_on_another_commit_are_not_said(tmp_path: Path) -> None:
    tree, patches = _tree(tmp_path)
    (tree / "README").write_text("local\n")  # untracked, and no patch touches it
    said, _ = _apply(tmp_path, patches, tree)
    assert "uncommitted changes" not in said, said
    (tree / C).write_text(TEXT + "/* a local edit */\n")
    git(tree, "commit", "-q", "-am", "local")  # HEAD moves on: the base is the commit before it
    (tree / C).write_text(TEXT + "/* another */\n")
    said, _ = _apply(tmp_path, patches, tree)
    assert "uncommitted changes" not in said and "(base-commit: of the first patch (01/1); 1 of 1" in said, said
