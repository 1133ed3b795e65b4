"""``seamharness apply --tree`` on ``format-patch --no-binary`` series ("Binary files ... differ"), against git am."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, git_am_blobs, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
A = "drivers/demo/a.c"
FW = "firmware/demo.bin"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(6))
FIRMWARE = bytes((i * 7919 + (i >> 3)) & 0xFF for i in range(3000))  # a NUL in it: git calls it binary


def _series(tmp: Path, change: str, full_index: bool, tree_has_blobs: bool) -> tuple[Path, Path, str]:
    """One commit of ``change`` on a base holding ``A`` and ``FW``, sent with format-patch --no-binary; (the patch,
    a clone at the base, its commit). The clone holds the author's commits (the post-image blobs) or, fetched by
    the pack protocol at the base alone, only the base's objects."""
    author = init_repo(tmp / "author", {A: TEXT})
    (author / FW).parent.mkdir()
    (author / FW).write_bytes(FIRMWARE)
    git(author, "add", "-A")
    git(author, "commit", "-q", "-m", "base")
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    git(author, "branch", "base")
    if change == "text":
        (author / A).write_text(TEXT.replace("return x + 3;", "return x + 33;"))
    elif change == "delete":
        (author / FW).unlink()
    else:
        (author / (FW if change == "modify" else "firmware/new.bin")).write_bytes(FIRMWARE[::-1] + b"\0")
    git(author, "add", "-A")
    git(author, "commit", "-q", "-m", f"demo: {change}\n\nSigned-off-by: Oracle <oracle@example.org>")
    index = ("--full-index",) if full_index else ()
    git(author, "format-patch", "-q", "--no-binary", *index, "-o", str(tmp / "patches"), "-1")
    tree = tmp / "tree"
    if tree_has_blobs:
        git(tmp, "clone", "-q", str(author), str(tree))
    else:
        git(tmp, "clone", "-q", "--no-local", "--single-branch", "-b", "base", str(author), str(tree))
    git(tree, "checkout", "-q", base)
    return tmp / "patches", tree, base


def _git_am(tmp: Path, tree: Path, base: str, patches: Path) -> tuple[dict[str, str], str]:
    """Every file's blob after ``git am`` on ``base`` in a clone of the tree, and git am's error."""
    return git_am_blobs(tmp, tree, base, sorted(patches.iterdir()))


@pytest.mark.parametrize(("change", "full_index", "tree_has_blobs"), [
    ("text", True, False), ("modify", True, True), ("modify", True, False), ("modify", False, True),
    ("create", True, True), ("create", True, False), ("delete", True, False), ("delete", False, True)])
def test_a_binary_patch_without_data_as_git_am_applies_it(tmp_path: Path, change: str, full_index: bool,
                                                          tree_has_blobs: bool) -> None:
    """A "Binary files ... differ" patch (format-patch --no-binary) is applied as apply.c apply_binary applies it:
    with both blob ids in full, the new blob taken from the repository when it holds it (a deletion needs no blob);
    refused without them ("without full index line", a deletion too) and when the repository lacks the blob
    ("missing binary patch data"). A text change sent so applies as any. Before, every such binary patch was a
    file not modelled, refused with a tree, and a deletion taken whatever its index line."""
    patches, tree, base = _series(tmp_path, change, full_index, tree_has_blobs)
    theirs, error = _git_am(tmp_path, tree, base, patches)
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--out", str(out), "--tree", str(tree),
                            "--base", base])
    if error:
        assert "without full index line" in error or "missing binary patch data" in error, error
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1 and not out.exists(), r.stderr
        assert "binary patch does not apply" in r.stderr, r.stderr
        return
    assert r.exit_code == 0, r.stderr
    ours = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
    assert {p for p, f in ours.items() if f["status"] == "absent"} == ({FW} if change == "delete" else set())
    for path, f in ours.items():
        if f["status"] == "absent":
            assert path not in theirs and not (out / path).exists()
            continue
        assert f["status"] == "complete" and f["blob"] == theirs[path], (path, f, theirs.get(path))
        assert (out / path).read_bytes() == git(tmp_path / "am", "cat-file", "blob", theirs[path]).stdout
