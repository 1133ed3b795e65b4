"""A --tree whose work tree holds an untracked file where a patch creates one.

A --tree whose work tree holds an untracked file where a patch creates one: git am there stops ('already exists in
working directory'); the base line says so, naming the path and the patch, and what is built from the commit is
unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
C, N = "arch/x86/virt/vmx/tdx/demo.c", "arch/x86/virt/vmx/tdx/seamldr.c"
TEXT = "".join(f"static u64 demo_fn{i}(u64 fn)\n{{\n\treturn fn + {i};\n}}\n\n" for i in range(8))
NOTE = f"the work tree holds an untracked file at {N}, which v1 02/2 creates, on which git am there stops " \
       "('already exists in working directory'), not read here (the commit lacks it)"


def _tree(tmp: Path, created: str = N) -> tuple[Path, Path]:
    """A tree at the series' base (HEAD), and the series (git format-patch --base): 01 changes C, 02 creates
    ``created``."""
    tree = init_repo(tmp / "linux", {C: TEXT})
    (tree / C).write_text(TEXT.replace("fn + 3;", "fn + 33;"))
    git(tree, "commit", "-q", "-am", "demo: change\n\nSigned-off-by: Oracle <oracle@example.org>")
    (tree / created).parent.mkdir(parents=True, exist_ok=True)
    (tree / created).write_text("int seamldr;\n")
    git(tree, "add", created)
    git(tree, "commit", "-q", "-m", "demo: create\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "--base=HEAD~2", "-o", str(tmp / "patches"), "HEAD~2..HEAD")
    git(tree, "reset", "-q", "--hard", "HEAD~2")
    return tree, tmp / "patches"


def _apply(tmp: Path, patches: Path, tree: Path) -> tuple[str, dict[str, bytes]]:
    out = tmp / "o"
    shutil.rmtree(out, ignore_errors=True)
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--tree", str(tree), "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    return " ".join(r.stderr.split()), {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.[ch]")}


@pytest.mark.parametrize(("ignored", "folder"), [(False, False), (True, False), (False, True)])
def test_an_untracked_file_where_a_patch_creates_one_is_said(tmp_path: Path, ignored: bool, folder: bool) -> None:
    tree, patches = _tree(tmp_path)
    said, clean = _apply(tmp_path, patches, tree)
    assert "the work tree holds" not in said, said
    if folder:  # a folder of the user's where the patch makes a file
        (tree / N).mkdir()
        (tree / N / "draft.c").write_text("/* the user's own draft */\n")
    else:
        (tree / N).write_text("/* the user's own draft */\n")
    if ignored:  # git apply finds it by lstat, ignored or not
        (tree / ".git" / "info" / "exclude").write_text("*.c\n")
    before = git(tree, "status", "--porcelain", "--ignored").stdout
    base = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    _, error = am(tree, sorted(patches.glob("*.patch")))
    stop = f"unable to write file '{N}' mode 100644: Directory not empty" if folder else \
        f"{N}: already exists in working directory"
    assert stop in error, error  # git am in the tree stops at 02
    git(tree, "reset", "-q", "--hard", base)  # 01 it applied undone; the untracked file stays
    said, built = _apply(tmp_path, patches, tree)
    # Before: the same base line as the clean tree's, the untracked file never mentioned.
    note = NOTE.replace(f"an untracked file at {N}", f"a folder of untracked files at {N}").replace(
        "'already exists in working directory'", "'unable to write file ... Directory not empty'") if folder else NOTE
    assert note in said and built == clean, said
    assert git(tree, "status", "--porcelain", "--ignored").stdout == before


def test_an_untracked_file_where_a_created_file_needs_a_folder_is_said(tmp_path: Path) -> None:
    made = "arch/x86/virt/seamldr/seamldr.c"
    tree, patches = _tree(tmp_path, made)
    said, clean = _apply(tmp_path, patches, tree)
    (tree / "arch/x86/virt/seamldr").write_text("notes\n")  # a file of the user's where the patch needs a folder
    _, error = am(tree, sorted(patches.glob("*.patch")))
    assert f"unable to write file '{made}' mode 100644: Not a directory" in error, error  # git am stops at 02
    git(tree, "reset", "-q", "--hard", "HEAD~1")
    said, built = _apply(tmp_path, patches, tree)
    # Before: not said.
    assert f"the work tree holds an untracked file at arch/x86/virt/seamldr, where {made}, which v1 02/2 creates, " \
           "needs a folder, on which git am there stops ('unable to write file ... Not a directory'), not read here " \
           "(the commit lacks it)" in said and built == clean, said


def test_a_file_git_tracks_or_the_patches_do_not_create_is_not_said(tmp_path: Path) -> None:
    tree, patches = _tree(tmp_path)
    (tree / "arch/x86/virt/vmx/tdx/other.c").write_text("int other;\n")  # untracked, but no patch creates it
    (tree / "arch/x86/virt/vmx/tdx/seamldr.c.orig").write_text("x\n")  # beside the created path, not at it
    _, error = am(tree, sorted(patches.glob("*.patch")))
    assert not error, error
    git(tree, "reset", "-q", "--hard", "HEAD~2")
    said, _ = _apply(tmp_path, patches, tree)
    assert "the work tree holds" not in said, said


@pytest.mark.parametrize("points_to", ["folder", "file", "nothing"])
def test_an_untracked_symlink_where_a_created_file_needs_a_folder_is_said(tmp_path: Path, points_to: str) -> None:
    made = "arch/x86/virt/seamldr/seamldr.c"
    tree, patches = _tree(tmp_path, made)
    said, clean = _apply(tmp_path, patches, tree)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = {"folder": str(outside), "file": "vmx/tdx/demo.c", "nothing": "gone"}[points_to]
    (tree / "arch/x86/virt/seamldr").symlink_to(target)
    base = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    # git apply, the oracle, refuses the path whatever the link points to; git am follows a link to a folder.
    check = git(tree, "apply", "--check", str(sorted(patches.glob("*.patch"))[1]), check=False)
    assert f"affected file '{made}' is beyond a symbolic link" in check.stderr.decode(), check.stderr
    commits, error = am(tree, sorted(patches.glob("*.patch")))
    stops = {"folder": "", "file": f"unable to write file '{made}' mode 100644: Not a directory",
             "nothing": f"unable to stat newly created file '{made}'"}[points_to]
    assert (stops in error if stops else not error and len(commits) == 2), error
    assert (outside / "seamldr.c").exists() is (points_to == "folder")
    git(tree, "reset", "-q", "--hard", base)
    said, built = _apply(tmp_path, patches, tree)
    am_does = {"folder": "writes the file where the link points, outside the tree",
               "file": "stops ('unable to write file ... Not a directory')",
               "nothing": "stops ('unable to stat newly created file ...')"}[points_to]
    # Before: a link to a folder was not said, one to a file or nothing said as a file git am stops on with
    # 'Not a directory'.
    assert f"the work tree holds an untracked symlink at arch/x86/virt/seamldr, where {made}, which v1 02/2 " \
           "creates, needs a folder, on which git apply there stops ('affected file ... is beyond a symbolic link') " \
           f"and git am {am_does}, not read here (the commit lacks it)" in said and built == clean, said


def test_an_untracked_file_where_a_pure_rename_puts_its_file_names_the_patch(tmp_path: Path) -> None:
    moved = "arch/x86/virt/vmx/tdx/moved.c"
    tree = init_repo(tmp_path / "linux", {C: TEXT})
    (tree / C).write_text(TEXT.replace("fn + 3;", "fn + 33;"))
    git(tree, "commit", "-q", "-am", "demo: change\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "mv", C, moved)
    git(tree, "commit", "-q", "-m", "demo: move\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "-M", "--base=HEAD~2", "-o", str(tmp_path / "patches"), "HEAD~2..HEAD")
    patches = tmp_path / "patches"
    assert "similarity index 100%" in sorted(patches.glob("*.patch"))[1].read_text()  # no index line: no blob
    git(tree, "reset", "-q", "--hard", "HEAD~2")
    (tree / moved).write_text("/* the user's own draft */\n")
    _, error = am(tree, sorted(patches.glob("*.patch")))
    assert f"{moved}: already exists in working directory" in error, error
    git(tree, "reset", "-q", "--hard", "HEAD~1")
    said, _ = _apply(tmp_path, patches, tree)
    # Before: "an untracked file at ... on which git am there stops", no patch named.
    assert f"the work tree holds an untracked file at {moved}, which v1 02/2 creates, on which git am there stops " \
           "('already exists in working directory')" in said, said
