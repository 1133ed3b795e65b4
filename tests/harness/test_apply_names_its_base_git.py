"""apply's refusal on a --tree names the commit it tried and how that was chosen.

apply's refusal of a patch that does not apply on a --tree names the commit it was tried on and how that was chosen:
a base-commit: the tree lacks (a shallow clone) or a tree of another project is the cause, not the patch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
A = "arch/x86/virt/vmx/tdx/demo.c"
TEXT = "".join(f"static u64 demo_fn{i}(u64 fn)\n{{\n\treturn fn + {i};\n}}\n\n" for i in range(8))


def _series(tmp: Path) -> tuple[Path, Path, str]:
    """The author's repository: a base, the series' one patch on it (sent with git format-patch --base), and
    master moved on past the base, changing the lines the patch's hunk shows. The patch folder, the repository
    and the base commit."""
    author = init_repo(tmp / "author", {A: TEXT})
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    git(author, "checkout", "-q", "-b", "topic")
    (author / A).write_text(TEXT.replace("fn + 3;", "fn + 33;"))
    git(author, "commit", "-q", "-am", "demo: the patch\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(author, "format-patch", "-q", "--cover-letter", f"--base={base}", "-o", str(tmp / "patches"), f"{base}..HEAD")
    git(author, "checkout", "-q", "master")
    (author / A).write_text(TEXT.replace("fn + 3;", "fn - 3;"))
    git(author, "commit", "-q", "-am", "demo: later")
    return tmp / "patches", author, base


def _apply(tmp: Path, patches: Path, tree: Path) -> tuple[int, str]:
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--tree", str(tree), "--out", str(tmp / "o")])
    assert not (tmp / "o").exists(), r.stderr
    return r.exit_code, " ".join(r.stderr.split())


def test_a_shallow_clone_lacking_the_base_is_named_where_the_patch_does_not_apply(tmp_path: Path) -> None:
    patches, author, base = _series(tmp_path)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{author}", str(shallow))
    assert git(shallow, "cat-file", "-e", base, check=False).returncode  # the clone lacks the series' base
    head = git(shallow, "rev-parse", "HEAD").stdout.decode().strip()
    _, said = am(shallow, sorted(patches.glob("000[1-9]-*.patch")))
    assert "patch does not apply" in said, said  # git am on what the tree has stops too
    status, said = _apply(tmp_path, patches, shallow)
    assert status == 2 and said.count("seamharness:") == 1, said
    assert " patch v1 01/1 does not apply: patch failed at " in said, said
    # Before: the line said only that the hunk's context differs, not that it was tried on the shallow clone's HEAD
    # because the tree lacks the cover letter's base-commit:.
    assert f"; base: {shallow} at {head[:12]} (the cover letter's base-commit: is not in this tree (a shallow " \
           "clone, which lacks the commits past its depth: git fetch --unshallow); " in said, said
    assert "0 of 1 pre-image blobs match); nothing written (--reject writes" in said, said


def test_a_tree_of_another_project_is_named_where_the_file_is_missing(tmp_path: Path) -> None:
    patches, _, _ = _series(tmp_path)
    other = init_repo(tmp_path / "other", {"src/main.c": "int main(void) { return 0; }\n"})
    head = git(other, "rev-parse", "HEAD").stdout.decode().strip()
    _, said = am(other, sorted(patches.glob("000[1-9]-*.patch")))
    assert f"{A}: does not exist in index" in said, said
    status, said = _apply(tmp_path, patches, other)
    assert status == 2 and said.count("seamharness:") == 1, said
    assert f"patch v1 01/1: {A}: patch modifies a file the base does not have" in said, said
    assert f"; base: {other} at {head[:12]} (the cover letter's base-commit: is not in this tree; " in said, said
    assert "none holds a pre-image blob the patches name: a history other than the series' base, or a base past " \
           "those commits; give --base; 0 of 1 pre-image blobs match); nothing written" in said, said


def test_without_a_tree_the_line_names_no_base(tmp_path: Path) -> None:
    patches, _, _ = _series(tmp_path)
    (patches / "0002-again.patch").write_text((patches / "0001-demo-the-patch.patch").read_text().replace(
        "[PATCH 1/1]", "[PATCH 2/1]"))
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--out", str(tmp_path / "o")])
    said = " ".join(r.stderr.split())
    assert r.exit_code == 2 and "does not apply" in said and "base:" not in said, said


def test_a_written_variant_says_where_its_provenance_is(tmp_path: Path) -> None:
    # stdout lists the variant's files, as scripts read it; provenance.json, written beside them, was said nowhere.
    patches, author, base = _series(tmp_path)
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--tree", str(author), "--base", base,
                            "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.split() == [str(tmp_path / "o" / A)], r.stdout
    assert f"seamharness: wrote {tmp_path / 'o' / 'provenance.json'} (the patches applied, their messages, each " \
        "file's blob id)" in r.stderr.splitlines(), r.stderr
    assert (tmp_path / "o" / "provenance.json").is_file()
