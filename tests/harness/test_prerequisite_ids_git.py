"""prerequisite-patch-id: lines found in a --tree by git's own patch-ids.

``prerequisite-patch-id:`` lines of git format-patch --base found in a --tree by git's own patch-ids, whatever
the prerequisite does to its files (renames, creates, deletes, mode changes, binary files), against git am."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, git_env, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
A, C, BLOB = "drivers/demo/a.c", "drivers/demo/c.c", "drivers/demo/blob.bin"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(12))


def _rename(repo: Path) -> str:
    git(repo, "mv", A, "drivers/demo/moved.c")
    return "drivers/demo/moved.c"


def _rename_edit(repo: Path) -> str:
    path = _rename(repo)
    (repo / path).write_text(TEXT.replace("x + 2;", "x + 22;"))
    return path


def _mode(repo: Path) -> str:
    os.chmod(repo / A, 0o755)
    return A


def _unicode_rename(repo: Path) -> str:
    git(repo, "mv", A, "drivers/demo/é a.c")
    return "drivers/demo/é a.c"


def _new_empty(repo: Path) -> str:
    (repo / "drivers/demo/empty.h").write_text("")
    return A


def _binary_renamed(repo: Path) -> str:
    git(repo, "mv", BLOB, "drivers/demo/moved.bin")
    return A


def _tab_renamed(repo: Path) -> str:
    git(repo, "mv", A, "drivers/demo/a\tb.c")
    return "drivers/demo/a\tb.c"


def _new_binary(repo: Path) -> str:
    (repo / "drivers/demo/new.bin").write_bytes(b"\0\1\2bin")
    return A


def _deleted(repo: Path) -> str:
    (repo / C).unlink()
    return A


Prereq = Callable[[Path], str]  # makes the prerequisite's change; the path the series then edits


@pytest.mark.parametrize("prereq", [_rename, _rename_edit, _mode, _unicode_rename, _new_empty, _new_binary, _deleted,
                                     _binary_renamed, _tab_renamed])
def test_prerequisite_found_whatever_it_does_to_its_files(tmp_path: Path, prereq: Prereq) -> None:
    """format-patch --base's prerequisite-patch-id is diff.c's own patch-id, which hashes a file's names and
    modes but not a rename's lines, and always its ---/+++ lines, which git's text leaves out of a rename or mode
    change alone and of an empty file, a binary file's blob ids (none in the text of a whole rename) and a name
    git quotes raw: ``git patch-id`` of ``git log -p`` gave another id, the prerequisite was not found (this tree
    holds 0 of its 1 prerequisite patch) and the series did not apply (exit 1) where git am on the tree's commit
    holding it applies it."""
    author = init_repo(tmp_path / "author", {A: TEXT, C: "int c;\n", BLOB: "\0\1\2bin" * 9})
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    path = prereq(author)
    git(author, "add", "-A")
    git(author, "commit", "-q", "-m", "demo: prerequisite")
    (author / path).write_text((author / path).read_text().replace("x + 7;", "x + 77;"))
    git(author, "commit", "-q", "-am", "demo: the series\n\nSigned-off-by: Oracle <oracle@example.org>")
    patches = tmp_path / "series"
    git(author, "format-patch", "-q", f"--base={base}", "-o", str(patches), "HEAD~1..HEAD")
    assert "prerequisite-patch-id: " in next(patches.iterdir()).read_text()
    top = git(author, "rev-parse", "HEAD~1").stdout.decode().strip()
    tree = tmp_path / "tree"
    git(tmp_path, "clone", "-q", str(author), str(tree))
    git(tree, "checkout", "-q", "-B", "topic", top)
    git(tree, "branch", "-q", "-D", "master")
    am = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(tree), str(am))
    assert not git(am, "am", "-q", *map(str, patches.iterdir()), check=False).returncode
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--out", str(out), "--tree", str(tree),
                            "--reject"])
    assert f"with its 1 prerequisite patch (prerequisite-patch-id:), at {top[:12]}" in r.stderr, r.stderr
    files = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
    blob = git(am, "rev-parse", f"HEAD:{path}").stdout.decode().strip()
    assert r.exit_code == 0 and files[path]["blob"] == blob, r.stderr


@pytest.mark.parametrize("on_top", [True, False])
def test_a_prerequisite_also_picked_onto_another_history(tmp_path: Path, on_top: bool) -> None:
    """The prerequisite also cherry-picked onto a branch without the base (same patch-id), newer there: the id
    was taken to name that copy alone, no commit on top of base-commit held it, and the series did not apply (exit
    1) where git am on the copy on top of the base applies it. Without that copy the base is taken, saying the
    prerequisite is held but not on top of it ('holds 1 of its 1 ... on top of it' said the opposite)."""
    author = init_repo(tmp_path / "author", {A: TEXT, C: "int c;\n"})
    root = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    (author / C).write_text("int c2;\n")
    git(author, "commit", "-q", "-am", "demo: the base")
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    (author / A).write_text(TEXT.replace("x + 5;", "x + 55;"))
    git(author, "commit", "-q", "-am", "demo: prerequisite")
    (author / A).write_text(TEXT.replace("x + 5;", "x + 555;"))
    git(author, "commit", "-q", "-am", "demo: the series\n\nSigned-off-by: Oracle <oracle@example.org>")
    patches = tmp_path / "series"
    git(author, "format-patch", "-q", f"--base={base}", "-o", str(patches), "HEAD~1..HEAD")
    prereq = git(author, "rev-parse", "HEAD~1").stdout.decode().strip()
    tree = tmp_path / "tree"
    git(tmp_path, "clone", "-q", str(author), str(tree))
    git(tree, "checkout", "-q", "-B", "picked", root)
    later = {**git_env(tmp_path / "home"), "GIT_COMMITTER_DATE": "2026-02-01T00:00:00Z"}
    subprocess.run(["git", "cherry-pick", prereq], cwd=tree, env=later, check=True, capture_output=True)
    git(tree, "branch", "-q", "-f", "topic", prereq if on_top else base)
    git(tree, "branch", "-q", "-D", "master")
    for ref in git(tree, "for-each-ref", "--format=%(refname)", "refs/remotes").stdout.decode().split():
        git(tree, "update-ref", "-d", ref)
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--out", str(out), "--tree", str(tree),
                            "--reject"])
    am = tmp_path / "am"
    git(tmp_path, "clone", "-q", "--no-checkout", str(tree), str(am))
    git(am, "checkout", "-q", prereq if on_top else base)
    failed = git(am, "am", "-q", *map(str, patches.iterdir()), check=False).returncode
    if on_top:
        assert f"with its 1 prerequisite patch (prerequisite-patch-id:), at {prereq[:12]}" in r.stderr, r.stderr
        files = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
        assert not failed and r.exit_code == 0, r.stderr
        assert files[A]["blob"] == git(am, "rev-parse", f"HEAD:{A}").stdout.decode().strip()
    else:
        assert "this tree holds its 1 prerequisite patch (prerequisite-patch-id:), but no commit holds them all on " \
            "top of it" in r.stderr, r.stderr
        assert failed and r.exit_code == 1, r.stderr
