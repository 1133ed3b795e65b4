"""Reading base files from a user's kernel git tree, by object, never through its work tree or index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import git

from harness.errors import UsageError
from harness.filestate import FileState, absent_file, full_file


@dataclass(frozen=True)
class TreeBase:
    """A commit of a git repository from which base file texts are read."""

    repo_path: Path
    commit: str

    def reader(self) -> tuple[str, Callable[[str], FileState | None]]:
        repo = _open(self.repo_path)
        try:
            commit = repo.commit(self.commit)
        except (git.BadName, ValueError, git.GitCommandError) as exc:
            raise UsageError(str(self.repo_path), f"base commit {self.commit} is not in this tree") from exc
        label = f"{self.repo_path} at {commit.hexsha[:12]}"

        def read(path: str) -> FileState | None:
            try:
                blob = commit.tree / path
            except KeyError:
                return absent_file(path, f"not in {label}")
            data = blob.data_stream.read()
            text = data.decode("utf-8", errors="surrogateescape")
            return full_file(path, text, f"read from {label}")

        return label, read


def _open(path: Path) -> git.Repo:
    try:
        return git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UsageError(f"--tree {path}", "not a git repository") from exc
