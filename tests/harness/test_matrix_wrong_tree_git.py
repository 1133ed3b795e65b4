"""eval with a --tree holding none of the patched files says the tree is the likelier cause.

eval with a --tree that holds none of the files the patches modify (another project's repository): the code around
the changes, which names the matrix, is not there, and the refusal says the tree is the likelier cause."""

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
# The retry loop issues the SEAMCALL far from the line the patch changes: its hunk shows neither.
TEXT = """\
// SPDX-License-Identifier: GPL-2.0
#include <asm/tdx.h>

static u64 demo_call(u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 err;

	/* One attempt at a time. */
	/* The module may be busy. */
	/* Try again when it is. */
	do {
		err = __seamcall(fn, args);
	} while (err == TDX_RND_NO_ENTROPY && --left);
	return err;
}
"""


def _series(tmp: Path) -> Path:
    """The patch folder (with the tree the series is for, eval finds the bundled matrix by the code around the
    change, exit 0: a run of the whole matrix, not repeated here)."""
    tree = init_repo(tmp / "linux", {C: TEXT})
    (tree / C).write_text(TEXT.replace("int left = 3;", "int left = 6;"))
    git(tree, "commit", "-q", "-am", "demo: more tries\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "--cover-letter", "-o", str(tmp / "patches"), "HEAD~1..HEAD")
    return tmp / "patches"


def test_a_tree_without_the_patched_files_is_named_where_no_matrix_is_found(tmp_path: Path) -> None:
    patches = _series(tmp_path)
    other = init_repo(tmp_path / "other", {"src/main.c": "int main(void) { return 0; }\n"})
    head = git(other, "rev-parse", "HEAD").stdout.decode().strip()
    _, said = am(other, sorted(patches.glob("0001-*.patch")))
    assert f"{C}: does not exist in index" in said, said  # git am there refuses it too
    assert "__seamcall" not in (patches / "0001-demo-more-tries.patch").read_text()
    r = runner.invoke(app, ["eval", str(patches), "--tree", str(other), "--offline", "--no-cache"])
    line = " ".join(r.stderr.split())
    assert r.exit_code == 2 and line.count("seamharness:") == 1, line
    # Before: 'no matrix for this code: ... pass --matrix FILE', as if the series needed a matrix of its own.
    assert line.startswith(f"seamharness: the base, {other} at {head[:12]} ("), line
    assert f"holds none of the files the patches modify ({C}): give --tree the kernel tree the series is for, or " \
           "--base; no matrix for this code: " in line, line
    r = runner.invoke(app, ["eval", str(patches), "--offline", "--no-cache"])  # mail alone: as before
    assert r.exit_code == 2 and "holds none" not in r.stderr and "no matrix for this code" in r.stderr, r.stderr
