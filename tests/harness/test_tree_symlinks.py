"""A --tree's symlinked headers read as gcc reads them; links out of the tree refused.

A --tree's symlinked headers (a file or a folder on the include path that is a link) read as gcc reads them, and
links that leave the tree refused where said."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.filestate import FileState, absent_file, full_file
from harness.pipeline import EvalRequest, evaluate
from harness.runner import definitions_used
from harness.treelinks import through_links
from tests.gitoracle import git
from tests.harness.test_sysheaders import FOO_BITS_H, GCC_PROGRAM, _series

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ASM = "arch/x86/include/asm"
# foo.h as test_sysheaders has it, but taking its mask through a folder that is a link (asm/bits).
FOO_H = ("#ifndef _ASM_X86_FOO_H\n#define _ASM_X86_FOO_H\n\n#include <asm/bits/foo_bits.h>\n\ntypedef u64 foo_word_t;\n"
         "\n#define FOO_FOLD(x)\t(((x) ^ ((x) >> 9)) & FOO_LOW_MASK)\n\n#endif\n")
REAL = {"include/demo/foo_real.h": FOO_H, "include/demo/bits/foo_bits.h": FOO_BITS_H}


def _links(tree: Path, links: dict[str, str]) -> None:
    for path, target in links.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, tree / path)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "links")


def _gcc(tmp_path: Path, tree: Path) -> int:
    """What gcc computes for the new body, reading the headers through the checked-out tree's links."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "gcc.c").write_text(GCC_PROGRAM.format(after=""))
    subprocess.run(["gcc", "-I", str(tree / "arch/x86/include"), "-o", str(tmp_path / "gcc.out"),
                    str(tmp_path / "gcc.c")], check=True, timeout=60)
    return int(subprocess.run([str(tmp_path / "gcc.out")], capture_output=True, check=True, timeout=10).stdout)


def test_a_symlinked_header_and_folder_are_read_through(tmp_path: Path) -> None:
    """asm/foo.h a link to a file elsewhere in the tree, and the folder asm/bits a link to another: gcc reads
    both; the header was unusable ('a symlink: its text is the link's target') and the folder's file absent, so
    foo_word_t was unknown and nothing ran."""
    mbox = _series(tmp_path, REAL)
    tree = tmp_path / "linux"
    _links(tree, {f"{ASM}/foo.h": "../../../../include/demo/foo_real.h",
                  f"{ASM}/bits": "../../../../include/demo/bits"})
    ev = evaluate(EvalRequest((mbox,), tree=tree, matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc(tmp_path, tree), out.error
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert where["foo_word_t"] == f"{ASM}/foo.h:6" and where["FOO_LOW_MASK"] == f"{ASM}/bits/foo_bits.h:2"


@pytest.mark.parametrize("target", ["/usr/include/stdio.h", "../../../../../outside.h"])
def test_a_link_out_of_the_tree_is_refused_on_one_line(tmp_path: Path, target: str) -> None:
    """A header that is a link out of the tree (absolute, or .. past its top) is not followed (gcc would read
    whatever the user's machine has there, which no tree holds): the names it would give stay unknown, and the
    run says why on one line."""
    mbox = _series(tmp_path, REAL)
    _links(tmp_path / "linux", {f"{ASM}/foo.h": target})
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    said = f"#include <asm/foo.h> in drivers/demo/probe.c:3: {ASM}/foo.h: a symlink to {target}, outside the tree: " \
           "not followed"
    assert out.status == "error" and said in (out.error or ""), out.error


def test_links_chained_looping_and_dangling() -> None:
    """A chain of links is followed to its file (named as opened); a loop and a link to nothing are said."""
    files = {"a.h": full_file("a.h", "b.h", "t", "120000"), "b.h": full_file("b.h", "d/c.h", "t", "120000"),
             "d": full_file("d", "e", "t", "120000"), "e/c.h": full_file("e/c.h", "int c;\n", "t", "100644"),
             "x.h": full_file("x.h", "y.h", "t", "120000"), "y.h": full_file("y.h", "x.h", "t", "120000"),
             "n.h": full_file("n.h", "none.h", "t", "120000")}

    got = through_links("a.h", lambda p: files[p] if p in files else _absent(p))
    assert got is not None and got.path == "a.h" and got.text == "int c;\n" and got.usable
    assert got.provenance[-1] == "through the symlink a.h -> b.h -> d/c.h -> e/c.h"
    loop = through_links("x.h", lambda p: files[p] if p in files else _absent(p))
    assert loop is not None and not loop.usable and "a loop" in loop.provenance[0]
    dangling = through_links("n.h", lambda p: files[p] if p in files else _absent(p))
    assert dangling is not None and not dangling.usable and dangling.provenance == (
        "a symlink to no file of the tree (n.h -> none.h)",)


def _absent(path: str) -> FileState:
    return absent_file(path, "not there")
