"""A kernel function the mirror models runs only where the tree declares it with the mirror's parameter list.

The mirror runs kvrealloc(p, size, flags), 6.12's (models.heap). Before, with ``--tree`` on a tree whose
include/linux/slab.h declares the older kvrealloc(p, oldsize, newsize, flags), a three-argument call ran, though gcc
refuses it (too few arguments): the prelude's name never yielded to the tree's declaration. Now the declaration gcc
reads decides (harness.primdecls): where it takes another number of parameters, the call is refused naming both
places; where it agrees (6.12's ``#define kvrealloc(...) alloc_hooks(kvrealloc_noprof(__VA_ARGS__))``), the code
runs. The tree and the patch are git's (tests.harness.kerneltreegen); gcc -fsyntax-only is the oracle for which
declaration builds the call.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness.kerneltreegen import BASE_TAG, DIR, _commit, _git, build, tree_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the tree and the mail")
TDX = f"{DIR}/tdx.c"
SLAB = "include/linux/slab.h"
_GUARD = ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _LINUX_SLAB_H\n#define _LINUX_SLAB_H\n\n"
          "#include <linux/types.h>\n\n")
SLABS = {
    "old": _GUARD + "void kfree(const void *objp);\nvoid *kmalloc(size_t size, gfp_t flags);\n"
                    "extern void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags);\n\n#endif\n",
    "alloc-hooks-old": _GUARD + "#define alloc_hooks(x) (x)\nvoid kfree(const void *objp);\n"
                                "void *kvrealloc_noprof(const void *p, size_t oldsize, size_t newsize, gfp_t flags);\n"
                                "#define kvrealloc(...)\t\talloc_hooks(kvrealloc_noprof(__VA_ARGS__))\n\n#endif\n",
    "new": _GUARD + "#define alloc_hooks(x) (x)\nvoid kfree(const void *objp);\n"
                    "void *__must_check kvrealloc_noprof(const void *p, size_t size, gfp_t flags);\n"
                    "#define kvrealloc(...)\t\talloc_hooks(kvrealloc_noprof(__VA_ARGS__))\n\n#endif\n",
}
# the line of kvrealloc's declaration gcc reads in each (the prototype, or the function the macro forwards to)
DECLARED_AT = {"old": 9, "alloc-hooks-old": 9}
_GROW = """
int tdx_grow_table(void)
{
	struct tdx_module_args args = {};
	u64 *t = kvrealloc(NULL, 16, GFP_KERNEL);
	u64 ret;

	if (!t)
		return -ENOMEM;
	*t = 0x31;
	args.rcx = *t;
	ret = sc_retry(__seamcall, 0x31, &args);
	kfree(t);
	return ret ? -EIO : 0;
}
"""


def _mail(tmp: Path, slab: str) -> tuple[Path, Path]:
    """The tree with ``slab`` as its base's slab.h, and a one-patch series on it adding a kvrealloc() caller."""
    built = build(tmp / "kernel")
    repo = built.tree
    _git(repo, "checkout", "-q", "-b", "slab", BASE_TAG)
    _commit(repo, "mm: slab header", "The allocator's declarations.", {SLAB: SLABS[slab]}, 19)
    _git(repo, "tag", "v6.99-slab")
    types = "#include <linux/types.h>\n"
    text = tree_file(TDX).replace(types, f"{types}#include <linux/slab.h>\n", 1)
    _commit(repo, "x86/virt/tdx: Grow the table", "Grow it as the module asks.", {TDX: text + _GROW}, 20)
    mail = tmp / "mail"
    _git(repo, "format-patch", "-q", "--cover-letter", "--base=v6.99-slab", "-o", str(mail), "HEAD~1..HEAD")
    _git(repo, "checkout", "-q", "master")
    return repo, mail


def _eval(tmp: Path, slab: str) -> str:
    from typer.testing import CliRunner

    from harness.cli import app

    repo, mail = _mail(tmp, slab)
    r = CliRunner().invoke(app, ["eval", str(mail), "--tree", str(repo)])
    assert r.exit_code == 0, r.stdout + r.stderr
    return " ".join(r.stdout.split())


@pytest.mark.parametrize("slab", ["old", "alloc-hooks-old"])
def test_a_call_the_trees_declaration_does_not_build_is_refused_naming_both(tmp_path: Path, slab: str) -> None:
    out = _eval(tmp_path, slab)
    assert f"{SLAB}:{DECLARED_AT[slab]} declares kvrealloc" in out and "4 parameters" in out, out
    assert "the mirror runs kvrealloc(p, size, flags) (models/native/sh_native.h:" in out, out


def test_a_call_the_trees_declaration_builds_runs(tmp_path: Path) -> None:
    out = _eval(tmp_path, "new")
    assert "declares kvrealloc" not in out, out
    assert "tdx_grow_table" in out and "not compared: tdx_grow_table" not in out, out


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize(("slab", "builds"), [("old", False), ("alloc-hooks-old", False), ("new", True)])
def test_gcc_builds_the_call_only_below_the_new_declaration(tmp_path: Path, slab: str, builds: bool) -> None:
    src = tmp_path / "t.c"
    src.write_text("typedef unsigned long size_t;\ntypedef unsigned int gfp_t;\n#define __must_check\n#define NULL 0\n"
                   + SLABS[slab].replace("#include <linux/types.h>\n", "")
                   + "void *f(void) { return kvrealloc(NULL, 16, 0); }\n")
    r = subprocess.run(["gcc", "-fsyntax-only", "-O2", str(src)], capture_output=True, text=True)
    assert (r.returncode == 0) is builds, r.stderr
