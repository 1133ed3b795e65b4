"""A base-commit: line read as git rev-parse --verify REV^{commit} reads it in the --tree.

A base-commit: line read as git rev-parse --verify REV^{commit} reads it in the --tree: a tag, a branch or a short id
is the commit it names there; one naming a blob, a tree, several objects or nothing is said to, in git's terms."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

import pytest

from harness.basesearch import choose_base
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
A, B = "arch/x86/virt/vmx/tdx/demo.c", "arch/x86/virt/vmx/tdx/other.c"


def _tree(tmp: Path) -> tuple[Path, str, list[tuple[str, str | None]]]:
    """A tree whose first commit is the series' base and whose HEAD, a commit later, holds the same blob of the
    file the patches change (a search alone takes HEAD); the base's id and the patches' pre-image blobs."""
    repo = init_repo(tmp / "tree", {A: "int demo;\n", B: "int other;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    git(repo, "tag", "-a", "-m", "release", "v1.0")
    git(repo, "tag", "light")
    git(repo, "branch", "old")
    blob = git(repo, "rev-parse", f"HEAD:{A}").stdout.decode().strip()
    git(repo, "tag", "-a", "-m", "a file", "filetag", blob)
    (repo / B).write_text("int other2;\n")
    git(repo, "commit", "-q", "-am", "later")
    return repo, base, [(A, blob[:12])]


def _twins(repo: Path) -> str:
    """A four-digit prefix two blobs of the tree share (git: 'short object ID ... is ambiguous')."""
    seen: dict[str, bytes] = {}
    for n in itertools.count():
        data = f"twin {n}\n".encode()
        oid = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if (prefix := oid[:4]) in seen:
            for text in (seen[prefix], data):
                git(repo, "hash-object", "-w", "--stdin", stdin=text)
            return prefix
        seen[prefix] = data
    raise AssertionError  # unreachable: count() never ends


def test_a_base_commit_line_is_read_as_git_rev_parse_reads_it(tmp_path: Path) -> None:
    repo, base, blobs = _tree(tmp_path)
    head = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    names = ["v1.0", "light", "old", base[:7], base, base.upper(), "HEAD~1", f"{base[:10]}^{{commit}}",
             blobs[0][1], f"{base}^{{tree}}", "filetag", "v9.9", _twins(repo), "deadbeefdeadbeef"]
    for name in names:
        res = git(repo, "rev-parse", "--verify", "--end-of-options", f"{name}^{{commit}}", check=False)
        choice = choose_base(repo, None, name, blobs)
        if not res.returncode:  # git names a commit: that one, and by which name where it is no id of it
            assert choice.commit == res.stdout.decode().strip() == base, (name, choice)
            plain = base.startswith(name.lower())
            assert choice.how == "base-commit: of the cover letter" if plain else \
                choice.how == f"base-commit: of the cover letter ({name} is {base[:12]} here)", (name, choice.how)
            continue
        assert choice.commit == head, (name, choice)  # searched for instead, and said why
        said = res.stderr.decode()
        if "dereferences to" in said:  # 'expected commit type, but the object dereferences to blob type'
            kind = said.split("dereferences to ")[1].split()[0]
            through = " (through a tag)" if name == "filetag" else ""
            assert choice.how.startswith(f"the cover letter's base-commit: {name} names a {kind}{through}, not a "
                                         "commit; best match"), (name, choice.how)
        elif "is ambiguous" in said:
            assert choice.how.startswith(f"the cover letter's base-commit: {name} names more than one object of "
                                         f"this tree (short object ID {name} is ambiguous); "), (name, choice.how)
        else:
            called = "" if name.startswith("dead") else f" (no tag, branch or commit of it is called {name})"
            assert choice.how.startswith(f"the cover letter's base-commit: is not in this tree{called}; best "
                                         "match"), (name, choice.how)


def test_a_base_commit_line_naming_a_tag_is_read(tmp_path: Path) -> None:
    # Before, a base-commit: of anything but 7 to 40 lowercase hex digits was not read at all.
    repo = init_repo(tmp_path / "author", {A: "int demo;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    (repo / A).write_text("int demo2;\n")
    git(repo, "commit", "-q", "-am", "demo: the patch\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(repo, "format-patch", "-q", "--cover-letter", f"--base={base}", "-o", str(tmp_path / "p"), "HEAD~1")
    cover = sorted((tmp_path / "p").iterdir())[0]
    for written, read in (("v6.19-rc1", "v6.19-rc1"), (f"{base[:12]}  ", base[:12]), (base.upper(), base.upper())):
        cover.write_text(cover.read_text().replace(f"base-commit: {base}", f"base-commit: {written}"))
        rev = parse_series(IngestRequest((tmp_path / "p",))).revisions[0]
        assert rev.cover is not None and rev.cover.base_commit == read
        cover.write_text(cover.read_text().replace(f"base-commit: {written}", f"base-commit: {base}"))
