"""A reviewer's diff to a binary file without data ("Binary files ... differ"), a --tree variant, against git apply."""

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
A, B, FW, NEW = "drivers/demo/a.c", "drivers/demo/b.c", "firmware/demo.bin", "firmware/new.bin"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(6))
FIRMWARE = bytes((i * 7919 + (i >> 3)) & 0xFF for i in range(3000))  # a NUL in it: git calls it binary


def _commit(repo: Path, files: dict[str, bytes | None], title: str) -> None:
    for path, data in files.items():
        if data is None:
            git(repo, "rm", "-q", "--", path)
            continue
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{title}\n\nSigned-off-by: Ann Author <ann@example.org>")


def _series(tmp: Path, instead: bool, change: str, full_index: bool, tree_has_blobs: bool
            ) -> tuple[list[Path], Path, Path, str]:
    """Two patches on a base holding ``A`` and ``FW`` (1/2 changes A, 2/2 creates B) and a reviewer's reply to 2/2
    whose plain ``git diff`` changes the binary file (``change``) on top of 2/2, or ``instead`` of it (creating B
    otherwise too, so that it fits only there); (the mails, the reply, a clone at the base, its commit). The clone
    holds the reviewer's commit (its blobs) or, fetched by the pack protocol at the base alone, the base's objects."""
    author = init_repo(tmp / "author", {A: TEXT})
    _commit(author, {FW: FIRMWARE}, "base")
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    git(author, "branch", "base")
    _commit(author, {A: TEXT.replace("return x + 3;", "return x + 33;").encode()}, "demo: add thirty")
    _commit(author, {B: b"int b;\n"}, "demo: add b")
    git(author, "format-patch", "-q", "--full-index", "-o", str(tmp / "patches"), "-2", "--subject-prefix=PATCH v1")
    git(author, "checkout", "-q", "-b", "reviewer", "HEAD~1" if instead else "HEAD")
    data = FIRMWARE[::-1] + b"\0"
    changed: dict[str, bytes | None] = {FW: data} if change == "modify" else {NEW: data} if change == "create" else \
        {FW: None}
    _commit(author, {**changed, **({B: b"int b = 1;\n"} if instead else {})}, "demo: the reviewer's")
    index = ("--full-index",) if full_index else ()
    proposed = git(author, "diff", *index, "HEAD~1", "HEAD").stdout.decode()
    assert "Binary files " in proposed, proposed
    mails = sorted((tmp / "patches").iterdir())
    for n, mail in enumerate(mails, 1):
        mail.write_text(mail.read_text().replace("Subject:", f"Message-ID: <p{n}@example.org>\nSubject:", 1))
    reply = tmp / "reply.eml"
    reply.write_text("From: Rita Reviewer <rita@example.net>\nTo: Ann Author <ann@example.org>\n"
                     "Subject: Re: [PATCH v1 2/2] demo: add b\nMessage-ID: <r1@example.net>\n"
                     "In-Reply-To: <p2@example.org>\nReferences: <p2@example.org>\n"
                     "Date: Mon, 5 Jan 2026 10:30:00 +0000\nMIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=UTF-8\n\nThe firmware goes with it:\n\n" + proposed)
    tree = tmp / "tree"
    if tree_has_blobs:
        git(tmp, "clone", "-q", str(author), str(tree))
    else:
        git(tmp, "clone", "-q", "--no-local", "--single-branch", "-b", "base", str(author), str(tree))
    git(tree, "checkout", "-q", base)
    return mails, reply, tree, base


def _git_apply(tmp: Path, tree: Path, base: str, mails: list[Path], reply: Path) -> tuple[dict[str, str], str]:
    """Every file's blob after ``git am`` of ``mails`` on ``base`` in a clone of the tree and ``git apply --index``
    of the reply (git apply reads the diff below its prose), and git apply's error."""
    repo = tmp / "oracle"
    git(tmp, "clone", "-q", str(tree), str(repo))
    git(repo, "checkout", "-q", base)
    if mails:
        git(repo, "am", "-q", *map(str, mails))
    res = git(repo, "apply", "--index", str(reply), check=False)
    listing = git(repo, "ls-files", "-s").stdout.decode()
    return {ln.split("\t", 1)[1]: ln.split()[1] for ln in listing.splitlines()}, res.stderr.decode() if res.returncode \
        else ""


@pytest.mark.parametrize(("instead", "change", "full_index", "tree_has_blobs"), [
    (False, "modify", True, True), (False, "modify", True, False), (False, "modify", False, True),
    (False, "create", True, True), (False, "delete", True, False), (False, "delete", False, True),
    (True, "modify", True, True), (True, "create", True, True), (True, "modify", True, False)])
def test_a_reviewer_diff_without_binary_data_applies_as_git_apply_does(
        tmp_path: Path, instead: bool, change: str, full_index: bool, tree_has_blobs: bool) -> None:
    """A reviewer's diff to a binary file with no data is applied as git apply applies it on the state the variant
    starts from: the new blob from the --tree repository with both blob ids in full, as a revision's patch is
    (apply.c apply_binary); refused without them and when the repository lacks the blob, and then no variant.
    Before, a reply variant (and a manifest's proposal) read no blob from the tree: the diff was said not to apply
    ("file not modelled ... give --tree" with --tree given) and no variant was made; a variant in place of a patch
    that creates a file lost the tree's blobs with it."""
    mails, reply, tree, base = _series(tmp_path, instead, change, full_index, tree_has_blobs)
    theirs, error = _git_apply(tmp_path, tree, base, mails[:1] if instead else mails, reply)
    name = f"v1:02{'~' if instead else '+'}rita-reviewer"
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", *map(str, mails), str(reply), "--variant", name, "--out", str(out),
                            "--tree", str(tree), "--base", base])
    if error:
        assert "without full index line" in error or "missing binary patch data" in error, error
        assert r.exit_code == 2 and not out.exists(), r.output
        assert f"no variant '{name}'" in r.stderr, r.stderr
        if not instead:  # the note gives the reason on top of 2/2 (in its place, B exists already)
            said = "missing binary patch data" if "missing" in error else "the index line does not give both blob ids"
            assert said in r.stderr, r.stderr
        return
    assert r.exit_code == 0, r.output
    ours = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
    binary = FW if change != "create" else NEW
    assert {binary, A, B} <= set(ours), ours  # the files of the series and the diff, each as git apply leaves it
    assert {p: f["blob"] for p, f in ours.items() if f["status"] != "absent"} == \
        {p: theirs[p] for p in ours if p in theirs}, (ours, theirs)
    assert all(ours[p]["status"] == "complete" for p in theirs if p in ours), ours
    if binary in theirs:
        assert (out / binary).read_bytes() == git(tmp_path / "oracle", "cat-file", "blob", theirs[binary]).stdout
    else:
        assert not (out / binary).exists()
