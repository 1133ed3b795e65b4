"""A --tree whose HEAD is an orphan branch or an unrelated history.

A --tree whose HEAD is an orphan branch (no commit yet) or an unrelated history: the base is found across the
tree's refs by base-commit:, prerequisite-patch-id: or the patches' blob ids, as git am on it applies them, or the
run says on one line why not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
A = "drivers/demo/a.c"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(12))


def _author(tmp: Path, prereq: bool, *format_args: str) -> tuple[Path, str, str]:
    """The author's repository (a base, a prerequisite when asked, the patch), the patch folder and the commit the
    patch applies to."""
    author = init_repo(tmp / "author", {A: TEXT})
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    text = TEXT
    if prereq:
        text = TEXT.replace("x + 5;", "x + 55;")
        (author / A).write_text(text)
        git(author, "commit", "-q", "-am", "demo: prerequisite")
    (author / A).write_text(text.replace("x + 5", "x + 5 * 2"))
    git(author, "commit", "-q", "-am", "demo: the patch\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(author, "format-patch", "-q", "-o", str(tmp / "patches"), *format_args, "HEAD~1..HEAD")
    return tmp / "patches", base, git(author, "rev-parse", "HEAD~1").stdout.decode().strip()


def _tree(tmp: Path, unborn: bool) -> Path:
    """A clone of the author's repository checked out on an orphan branch: with no commit yet, or one commit of
    an unrelated history."""
    tree = tmp / "tree"
    git(tmp, "clone", "-q", str(tmp / "author"), str(tree))
    git(tree, "checkout", "-q", "--orphan", "lonely")
    git(tree, "rm", "-rqf", ".")
    if not unborn:
        (tree / "README").write_text("another project\n")
        git(tree, "add", "README")
        git(tree, "commit", "-q", "-m", "unrelated")
    return tree


def _run(tmp: Path, patches: Path, tree: Path) -> tuple[int, str, dict[str, dict[str, str]]]:
    out = tmp / "out"
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--out", str(out), "--tree", str(tree),
                            "--reject"])
    files = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]} \
        if (out / "provenance.json").exists() else {}
    return r.exit_code, r.stderr, files


def _am_blob(tmp: Path, tree: Path, commit: str, patches: Path) -> str:
    am = tmp / "am"
    git(tmp, "clone", "-q", "--no-checkout", str(tree), str(am))
    git(am, "checkout", "-q", commit)
    git(am, "am", "-q", *map(str, sorted(patches.iterdir())))
    return git(am, "rev-parse", f"HEAD:{A}").stdout.decode().strip()


@pytest.mark.parametrize("unborn", [True, False])
def test_the_base_is_found_by_blob_ids_across_the_refs(tmp_path: Path, unborn: bool) -> None:
    """No base-commit: line: the commit whose blobs the patch names is on origin/master, not in HEAD's history.
    With HEAD on a branch with no commit yet the search stopped ('base commit HEAD is not in this tree', exit 2)."""
    patches, _, parent = _author(tmp_path, False)
    tree = _tree(tmp_path, unborn)
    status, stderr, files = _run(tmp_path, patches, tree)
    assert status == 0 and f"tree at {parent[:12]} (" in stderr, stderr
    assert ("HEAD is the branch lonely, which has no commit yet: best match" in stderr) == unborn, stderr
    assert files[A]["blob"] == _am_blob(tmp_path, tree, parent, patches)


def test_prerequisites_are_found_on_the_refs_when_head_has_no_commit(tmp_path: Path) -> None:
    """base-commit: with a prerequisite-patch-id: the tree holds on origin/master: git log HEAD failed where HEAD
    has no commit, so 'this tree holds 0 of its 1 prerequisite patch' and the patch did not apply (exit 1)."""
    patches, base, parent = _author(tmp_path, True, "--base=HEAD~2")
    tree = _tree(tmp_path, True)
    status, stderr, files = _run(tmp_path, patches, tree)
    assert base != parent and f"with its 1 prerequisite patch (prerequisite-patch-id:), at {parent[:12]}" in stderr
    assert status == 0 and files[A]["blob"] == _am_blob(tmp_path, tree, parent, patches), stderr


def test_nothing_to_find_the_base_by_is_said_on_one_line(tmp_path: Path) -> None:
    """HEAD with no commit and no ref holding a commit that touches the patch's file: exit 2, one line saying why
    and what to give, no traceback and no output."""
    patches, _, _ = _author(tmp_path, False)
    tree = _tree(tmp_path, True)
    for ref in git(tree, "for-each-ref", "--format=%(refname)").stdout.decode().split():
        git(tree, "update-ref", "-d", ref)
    git(tree, "commit", "-q", "--allow-empty", "-m", "elsewhere")
    git(tree, "branch", "-q", "other")
    git(tree, "checkout", "-q", "--orphan", "lonely2")
    status, stderr, files = _run(tmp_path, patches, tree)
    assert status == 2 and not files, stderr
    assert stderr.strip().splitlines() == [
        f"seamharness: {tree}: HEAD is the branch lonely2, which has no commit yet, and no commit of the tree's "
        "branches (remote-tracking too) or tags touches the patches' files: nothing to find the base by; give --base"]


def test_an_unrelated_history_holding_no_blob_of_the_patches_is_said(tmp_path: Path) -> None:
    """HEAD of another history and no ref holding the patch's base: HEAD is taken, as before, but the base line
    now says that no commit searched holds a pre-image blob the patch names (not only '0 of 1 pre-image blobs
    match'), and git am there fails as the variant does (exit 1)."""
    patches, _, _ = _author(tmp_path, False)
    tree = _tree(tmp_path, False)
    for ref in git(tree, "for-each-ref", "--format=%(refname)").stdout.decode().split():
        if ref != "refs/heads/lonely":
            git(tree, "update-ref", "-d", ref)
    status, stderr, _ = _run(tmp_path, patches, tree)
    assert status == 1 and "none holds a pre-image blob the patches name: a history other than the series' base, " \
        "or a base past those commits; give --base; 0 of 1 pre-image blobs match" in stderr, stderr
    am = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(tree), str(am))
    assert git(am, "am", "-q", *map(str, sorted(patches.iterdir())), check=False).returncode
