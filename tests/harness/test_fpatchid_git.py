"""harness.fpatchid against git format-patch --base's prerequisite-patch-id lines.

harness.fpatchid against git format-patch --base: every ``prerequisite-patch-id:`` it writes, whatever the
prerequisite does to its files (binary renames, names git quotes, several files, no newline at the end)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.fpatchid import LOG_OPTIONS, format_patch_ids
from harness.prereqids import prerequisite_commits
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

BIN = b"\0\1\2binary\xff" * 40
TEXT = "".join(f"static int f{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(12))
Step = Callable[[Path], None]


def _write(name: str, data: bytes) -> Step:
    def step(repo: Path) -> None:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    return step


def _mv(old: str, new: str) -> Step:
    return lambda repo: (git(repo, "mv", "--", old, new), None)[1]


def _rm(name: str) -> Step:
    return lambda repo: (repo / name).unlink()


def _chmod(name: str, mode: int) -> Step:
    return lambda repo: os.chmod(repo / name, mode)


def _edit(name: str, old: str, new: str) -> Step:
    return lambda repo: (repo / name).write_text((repo / name).read_text().replace(old, new))


def _retype(name: str, target: str | None) -> Step:
    """``name`` made a link to ``target``, or (None) a link made a file."""
    def step(repo: Path) -> None:
        (repo / name).unlink()
        if target is None:
            (repo / name).write_text("int was_a_link;\n")
        else:
            os.symlink(target, repo / name)
    return step


def _gitlink(commit: str) -> Step:
    """The submodule ``sub`` at ``commit`` (a gitlink; its folder left empty, as a submodule not checked out)."""
    def step(repo: Path) -> None:
        (repo / "sub").mkdir(exist_ok=True)
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{commit},sub")
    return step


# Each prerequisite commit: the steps that make it. Every one is a patch the series' base lacks.
PREREQUISITES: dict[str, list[Step]] = {
    "binary renamed whole": [_mv("blob.bin", "moved.bin")],
    "binary changed": [_write("moved.bin", BIN + b"more")],
    "binary created": [_write("new.bin", BIN[:50])],
    "binary mode": [_chmod("moved.bin", 0o755)],
    "binary deleted": [_rm("new.bin")],
    "tab renamed": [_mv("tab\tname.c", "tab\tnew.c")],
    "quote and backslash": [_write('q"uo\\te.c', b"int q;\n")],
    "spaces edited": [_edit("sp ace.c", "int y;", "int y2;")],
    "not ASCII renamed": [_mv("café.c", "thé\tx.c")],
    "newline in a name": [_write("new\nline.c", b"int n;\n")],
    "two files and a binary": [_edit("a.c", "x + 3;", "x + 33;"), _write("moved.bin", BIN + b"two"),
                               _edit("sp ace.c", "int y2;", "int y3;")],
    "no newline at the end": [_write("sp ace.c", b"int y3;\nint z;")],
    "empty file": [_write("empty.h", b"")],
    "mode alone": [_chmod("a.c", 0o755)],
    "renamed and edited": [_mv("a.c", "b.c"), _edit("b.c", "x + 5;", "x + 55;")],
    "link created": [lambda repo: os.symlink("b.c", repo / "link.c")],
    "indent heuristic": [_edit("b.c", "static int f7(int x)\n{\n\treturn x + 7;\n}\n\n", "")],
    "file made a link": [_retype("empty.h", "b.c")],
    "link made a file": [_retype("link.c", None)],
    "submodule added": [_gitlink("1" * 40)],
    "submodule bumped": [_gitlink("2" * 40)],
    "a file ending in a link's target": [_write("sh.h", b"int a;\nb.c")],
    "that file made a link to b.c": [_retype("sh.h", "b.c")],
    "the link made a file ending in its target": [_rm("sh.h"), _write("sh.h", b"int c;\nint d;\nb.c")],
    "a file holding a link's target alone": [_write("same.h", b"b.c")],
    "that file made a link to its text": [_retype("same.h", "b.c")],
}


def _author(tmp: Path) -> tuple[Path, str, dict[str, str]]:
    """A repository whose history holds each of PREREQUISITES on the base, then the series; the commit of each."""
    repo = init_repo(tmp / "author", {"a.c": TEXT, "tab\tname.c": "int x;\n", "sp ace.c": "int y;\n",
                                      "café.c": "z\n"})
    _write("blob.bin", BIN)(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    commits = {}
    for title, steps in PREREQUISITES.items():
        for step in steps:
            step(repo)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", title)
        commits[title] = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    (repo / "series.c").write_text("int s;\n")
    git(repo, "add", "series.c")
    git(repo, "commit", "-q", "-m", "the series")
    return repo, base, commits


def _written(repo: Path, base: str, *config: str) -> list[str]:
    """The prerequisite-patch-id lines git format-patch --base writes for the series (HEAD)."""
    cfg = [x for c in config for x in ("-c", c)]
    out = git(repo, *cfg, "format-patch", "--stdout", f"--base={base}", "HEAD~1..HEAD").stdout.decode()
    return re.findall(r"^prerequisite-patch-id: ([0-9a-f]{40})$", out, re.MULTILINE)


def test_format_patch_ids_are_git_format_patch_s(tmp_path: Path) -> None:
    """Each prerequisite's id as format-patch writes it: a binary file renamed whole (no content in the log: its
    blob's ids are hashed), names git quotes (a tab, a quote, a newline, not ASCII: hashed raw, whitespace
    removed), several files with a binary among them, no newline at the end, hunks the indent heuristic would
    place elsewhere, a file made a link and back (two sections of git log -p, one pair to format-patch). The
    rename, the names, the binary mode change and the type changes were not found before (the prerequisite 'not
    in this tree'); nor were type changes whose old and new text share a line (format-patch's diff of the two
    keeps it as context, where git log -p deletes the one and creates the other), nor one of a single blob."""
    repo, base, commits = _author(tmp_path)
    written = _written(repo, base)
    assert len(written) == len(PREREQUISITES)

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return git(repo, *args, stdin=stdin)

    log = run(*LOG_OPTIONS, "HEAD~1", "--not", base).stdout
    ids = format_patch_ids(log, run)
    ours = {title: ids.get(commits[title]) for title in PREREQUISITES}
    assert {t: i for t, i in ours.items() if i not in written} == {}, "not as format-patch wrote them"
    found = prerequisite_commits(run, base, written, 100)
    assert {t for t in PREREQUISITES if commits[t] not in found.get(ours[t] or "", [])} == set()
    # A tree's own config changes none of them (git log's text of a submodule, prefixes, context, names).
    for key, value in (("diff.submodule", "log"), ("diff.ignoreSubmodules", "all"), ("diff.noprefix", "true"),
                       ("diff.context", "7"), ("diff.algorithm", "histogram"), ("core.quotePath", "true"),
                       ("color.ui", "always"), ("diff.relative", "true"), ("diff.renames", "copies")):
        git(repo, "config", key, value)
    assert format_patch_ids(run(*LOG_OPTIONS, "-M", "HEAD~1", "--not", base).stdout, run) == ids


def test_copies_as_format_patch_finds_them(tmp_path: Path) -> None:
    """An author with diff.renames=copies: format-patch hashes a copy as a pair of the original's and the copy's
    names; prerequisite_commits finds it (-C tried where -M did not find it)."""
    repo = init_repo(tmp_path / "author", {"a.c": TEXT})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    shutil.copy(repo / "a.c", repo / "copy.c")
    (repo / "a.c").write_text(TEXT.replace("x + 1;", "x + 11;"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "copy")
    (repo / "series.c").write_text("int s;\n")
    git(repo, "add", "series.c")
    git(repo, "commit", "-q", "-m", "the series")
    written = _written(repo, base, "diff.renames=copies")
    found = prerequisite_commits(lambda *a, stdin=None: git(repo, *a, stdin=stdin), base, written, 100)
    assert found.get(written[0]) == [git(repo, "rev-parse", "HEAD~1").stdout.decode().strip()]


def test_a_submodule_made_a_file_sharing_its_line_is_found(tmp_path: Path) -> None:
    """A submodule made a file whose text holds the submodule's own line ('Subproject commit ...') and back:
    format-patch diffs the two as one (that line context), where the tree has no blob of the submodule's text (git
    diff --no-index of the two texts); it was left out (40fb1c9), and before that given the id of git log -p's two
    sections, which format-patch never writes. Ones sharing no line are found too."""
    repo = init_repo(tmp_path / "author", {"a.c": "int a;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    commits = []
    for text in ("1" * 40, b"Subproject commit " + b"1" * 40 + b"\nint x;\n", "2" * 40, b"int y;\n",
                 "3" * 40, b"int w;\nSubproject commit " + b"3" * 40 + b"\n", "3" * 40):
        if isinstance(text, str):
            _gitlink(text)(repo)
        else:
            git(repo, "rm", "-q", "--cached", "sub")
            (repo / "sub").rmdir()
            (repo / "sub").write_bytes(text)
            git(repo, "add", "sub")
        git(repo, "commit", "-q", "-m", "step")
        commits.append(git(repo, "rev-parse", "HEAD").stdout.decode().strip())
        if isinstance(text, bytes):
            (repo / "sub").unlink()
            git(repo, "rm", "-q", "--cached", "sub")
    (repo / "series.c").write_text("int s;\n")
    git(repo, "add", "series.c")
    git(repo, "commit", "-q", "-m", "the series")
    written = _written(repo, base)

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return git(repo, *args, stdin=stdin, check=False)  # git diff --no-index exits 1 on a difference

    ids = format_patch_ids(run(*LOG_OPTIONS, "HEAD~1", "--not", base).stdout, run)
    assert [ids.get(c) in written for c in commits] == [True] * 7, (ids, written)
