"""The base the blob search finds in a user's tree (harness.basesearch).

The base the blob search finds in a user's tree (harness.basesearch): with the series applied on HEAD's branch,
the commit right before its patches, not the older one that last touched the patched files."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from harness.basesearch import choose_base
from tests.gitoracle import init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _commit(repo: git.Repo, root: Path, files: dict[str, str], title: str) -> str:
    for name, text in files.items():
        (root / name).write_text(text)
        repo.index.add([name])
    return repo.index.commit(title).hexsha


def _tree(tmp: Path) -> tuple[git.Repo, dict[str, str]]:
    """x/t.h then x/u.c changed after it (the series' base), and the series' patch to x/t.h on top (HEAD)."""
    root = init_repo(tmp / "linux", {"x/t.h": "int a;\n", "x/u.c": "int f(void) { return -5; }\n"})
    repo = git.Repo(root)
    made = {"first": repo.head.commit.hexsha}
    made["base"] = _commit(repo, root, {"x/u.c": "int f(void) { return -19; }\n"}, "u: -ENODEV")
    made["patch"] = _commit(repo, root, {"x/t.h": "int a;\nint b;\n"}, "t: b")
    return repo, made


def _blob(repo: git.Repo, commit: str, path: str) -> str:
    return str((repo.commit(commit).tree / path).hexsha[:7])


def test_a_series_applied_on_head_has_the_commit_before_it_as_its_base(tmp_path: Path) -> None:
    # Before: the search took the newest commit touching x/t.h that holds its pre-image blob ('first'), whose x/u.c
    # is not the series' base's: every file the patches do not touch was read from an older tree.
    repo, made = _tree(tmp_path)
    choice = choose_base(Path(repo.working_dir), None, None, [("x/t.h", _blob(repo, made["first"], "x/t.h"))])
    assert (choice.commit, choice.matched) == (made["base"], 1), choice


def test_head_holding_every_blob_is_taken_as_before(tmp_path: Path) -> None:
    repo, made = _tree(tmp_path)
    choice = choose_base(Path(repo.working_dir), None, None, [("x/t.h", _blob(repo, made["patch"], "x/t.h"))])
    assert choice.commit == made["patch"], choice
