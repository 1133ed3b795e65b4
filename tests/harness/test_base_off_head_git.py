"""The blob search's base where HEAD's history does not hold it.

The blob search's base where HEAD's history does not hold it (a detached HEAD or a worktree at an older release, a
clone on an older topic branch): the newest commit of the refs holding the match before the patched files change
again, as with HEAD on top; not the older commit that last touched them, and not a base that hangs on HEAD."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
C = "arch/x86/virt/vmx/tdx/demo.c"
H = "arch/x86/include/asm/demo.h"
TEXT = "".join(f"static u64 demo_fn{i}(u64 fn)\n{{\n\treturn fn + {i};\n}}\n\n" for i in range(8))


def _rev(tree: Path, rev: str) -> str:
    return git(tree, "rev-parse", rev).stdout.decode().strip()


def _kernel(tmp: Path) -> tuple[Path, Path]:
    """rc1; rc2 changes the .c file; rc3 and rc4 change only a header the series does not touch; the series (no
    base-commit:) is made on rc4; master then changes the .c file again. The tree and the patch folder."""
    tree = init_repo(tmp / "linux", {C: TEXT, H: "#define DEMO_V 1\n"})
    git(tree, "tag", "v1-rc1")
    for rc, (path, old, new) in enumerate([(C, "fn + 1;", "fn + 11;"), (H, "V 1", "V 3"), (H, "V 3", "V 4")], 2):
        (tree / path).write_text((tree / path).read_text().replace(old, new))
        git(tree, "commit", "-q", "-am", f"release rc{rc}")
        git(tree, "tag", f"v1-rc{rc}")
    git(tree, "checkout", "-q", "-b", "series")
    (tree / C).write_text((tree / C).read_text().replace("fn + 5;", "fn + 55;"))
    git(tree, "commit", "-q", "-am", "demo: the patch\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "-o", str(tmp / "patches"), "HEAD~1..HEAD")
    git(tree, "checkout", "-q", "master")
    git(tree, "branch", "-q", "-D", "series")
    (tree / C).write_text((tree / C).read_text().replace("fn + 7;", "fn - 7;"))
    git(tree, "commit", "-q", "-am", "demo: later")
    return tree, tmp / "patches"


def _base(tmp: Path, patches: Path, tree: Path) -> str:
    r = runner.invoke(app, ["apply", str(patches), "--variant", "v1", "--tree", str(tree), "--out", str(tmp / "o")])
    assert r.exit_code == 0, r.stderr
    line = " ".join(r.stderr.split())
    assert line.startswith(f"seamharness: base: {tree} at "), line
    return line.removeprefix(f"seamharness: base: {tree} at ").split()[0]


@pytest.mark.parametrize("where", ["master", "detached at rc1", "worktree at rc1", "clone on a topic branch at rc1"])
def test_the_base_is_the_newest_release_holding_the_blobs_wherever_head_is(tmp_path: Path, where: str) -> None:
    tree, patches = _kernel(tmp_path)
    rc4 = _rev(tree, "v1-rc4^{commit}")
    if where == "detached at rc1":
        git(tree, "checkout", "-q", "--detach", "v1-rc1")
    elif where == "worktree at rc1":
        git(tree, "worktree", "add", "-q", "--detach", str(tmp_path / "wt"), "v1-rc1")
        tree = tmp_path / "wt"
    elif where == "clone on a topic branch at rc1":
        git(tmp_path, "clone", "-q", str(tree), str(tmp_path / "clone"))
        tree = tmp_path / "clone"
        git(tree, "checkout", "-q", "-b", "topic", "v1-rc1")
        git(tree, "branch", "-q", "-D", "master")  # origin/master and the tags hold the releases
    # The oracle: git am of the series on rc4 (its author's base) and on rc2 (the older commit that last touched
    # the .c file) gives the same .c file; rc4 is the newest that does, and the header there is what the author had.
    made = {}
    for rc in ("v1-rc2", "v1-rc4"):
        git(tree, "worktree", "add", "-q", "--detach", str(tmp_path / rc), rc)
        commits, said = am(tmp_path / rc, sorted(patches.glob("*.patch")))
        assert not said and commits[-1].subject == "demo: the patch", said
        made[rc] = commits[-1]
    assert made["v1-rc2"].blobs[C] == made["v1-rc4"].blobs[C] and made["v1-rc2"].blobs[H] != made["v1-rc4"].blobs[H]
    # Before: rc4 with HEAD on master, but rc2 wherever HEAD's history does not hold the match.
    assert _base(tmp_path, patches, tree) == rc4[:12], where
