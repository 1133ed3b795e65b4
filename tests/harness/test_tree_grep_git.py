"""The tree's searches (git grep at the base commit) read git's answer whatever the user's git config says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FILES = {"d/a.c": "/*\n * only_in_a_comment here\n */\nint in_code;\n", "d/\u00e9t\u00e9.c": "int in_code_too;\n"}


@pytest.mark.parametrize("config", [(), ("grep.lineNumber", "true"), ("grep.column", "true"),
                                    ("core.quotePath", "true")])
def test_searches_of_the_tree_read_what_git_grep_finds(tmp_path: Path, config: tuple[str, ...]) -> None:
    """With grep.lineNumber or grep.column set (a common ~/.gitconfig line) git grep puts '4:' before each line, so
    a word named only in a comment was taken as named in code (its lines never started as a comment does); and a
    file name that is not ASCII came back quoted as core.quotePath quotes it ('"d/\\303\\251t\\303\\251.c"'), a
    path the tree does not have. Both are read as git grep finds them without the config."""
    from harness.gitbase import TreeBase  # GitPython: only where git is installed

    repo = init_repo(tmp_path / "linux", FILES)
    if config:
        git(repo, "config", *config)
    reader = TreeBase(repo, "HEAD").reader()[1]
    assert reader.names("only_in_a_comment") is False
    assert reader.names("in_code") is True
    found = reader.grep(("in_code", "in_code_too"), ("d",))
    assert found == sorted(FILES), found
    for path in found or ():  # each one a path git has at the commit
        assert git(repo, "cat-file", "-e", f"HEAD:{path}", check=False).returncode == 0, path


def test_every_file_naming_a_word_is_listed_whatever_its_kind(tmp_path: Path) -> None:
    """TreeReader.mentioning (harness.externsettled): .S, linker scripts and comments count, a longer word does not;
    git grep -l -w the oracle, config or not."""
    from harness.gitbase import TreeBase

    files = {**FILES, "arch/x/e.S": "\tmovq $1, in_code(%rip)\n", "arch/x/v.lds": "in_code = 0;\n",
             "d/b.c": "int in_code_x;\n"}
    repo = init_repo(tmp_path / "linux", files)
    git(repo, "config", "core.quotePath", "true")
    reader = TreeBase(repo, "HEAD").reader()[1]
    grep = git(repo, "-c", "core.quotePath=false", "grep", "-l", "-w", "in_code", "HEAD").stdout.decode()
    oracle = sorted(line.removeprefix("HEAD:") for line in grep.splitlines())
    assert reader.mentioning("in_code") == oracle == ["arch/x/e.S", "arch/x/v.lds", "d/a.c"], oracle
    assert reader.mentioning("only_in_a_comment") == ["d/a.c"]
    assert reader.mentioning("nowhere_named") == []
