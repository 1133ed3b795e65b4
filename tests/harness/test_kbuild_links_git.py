"""A --tree's Makefile or Kbuild that is a symlink, read as make reads it.

A --tree's Makefile or Kbuild that is a symlink read as make reads it (through the link, within the tree), and a
link out of the tree refused where said; make itself is the oracle of what the linked file's object list holds."""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.linking import Link
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import git, init_repo
from tests.harness.linkgen import CALL, moving_wrapper
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, with_objects
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                                reason="git and make are the oracles and build the trees")
SHARED = "arch/x86/virt/common/Makefile.ldr"  # the file the tree's Makefile links to


def _make_objects(checkout: Path, makefile: str) -> list[str]:
    """obj-y as GNU make reads ``makefile`` of the checked-out tree, through its link (make opens the name)."""
    res = subprocess.run(["make", "-s", "--no-print-directory", "-f", posixpath.basename(makefile), "--eval",
                          "_seen: ; @echo $(obj-y)", "_seen"], cwd=checkout / posixpath.dirname(makefile),
                         capture_output=True, text=True, check=True, timeout=60)
    return res.stdout.split()


def _status(tmp_path: Path, tree: Path) -> tuple[Link, str]:
    mbox = write_mbox(tmp_path / "v5.mbox", moving_wrapper(None, None))
    ev = evaluate(EvalRequest((mbox,), tree=tree, jobs=1, cache=None))
    link = next(u for u in ev.result.variant("v5:02").links if u.path == CALL)
    return link.status, link.why


@pytest.mark.parametrize("name", ["Makefile", "Kbuild"])
@pytest.mark.parametrize(("listed", "linked"), [(("ldr_ops.o", "ldr_call.o"), True), (("ldr_ops.o",), False)])
def test_a_linked_kbuild_file_is_read_through(tmp_path: Path, name: str, listed: tuple[str, ...],
                                              linked: bool) -> None:
    """The tree's Makefile (or Kbuild) of the series' folder is a symlink to a file elsewhere in the tree: make
    reads the target's object list. It was 'a symlink, whose target is not followed' and ldr_call.c's build
    unknown (nothing compared); now built or not as make's obj-y says."""
    own = posixpath.join(posixpath.dirname(MAKEFILE), name)
    tree = init_repo(tmp_path / "linux", {SHARED: with_objects(MAKEFILE_BASE, *listed)})
    (tree / own).parent.mkdir(parents=True)
    os.symlink(posixpath.relpath(SHARED, posixpath.dirname(own)), tree / own)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "a linked Makefile")
    assert ("ldr_call.o" in _make_objects(tree, own)) is linked
    status, why = _status(tmp_path, tree)
    assert status is (Link.LINKED if linked else Link.NOT_LINKED), why
    assert own in why, why


def test_a_kbuild_file_linked_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    """A Makefile linked to a file outside the tree (an absolute target) is not read: whether it builds the unit is
    unknown, saying why on one line, though make on this host would read it."""
    outside = tmp_path / "elsewhere" / "Makefile"
    outside.parent.mkdir()
    outside.write_text(with_objects(MAKEFILE_BASE, "ldr_ops.o", "ldr_call.o"))
    tree = init_repo(tmp_path / "linux", {"README": "x\n"})
    (tree / MAKEFILE).parent.mkdir(parents=True)
    os.symlink(outside, tree / MAKEFILE)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "a Makefile linked out of the tree")
    assert "ldr_call.o" in _make_objects(tree, MAKEFILE)
    status, why = _status(tmp_path, tree)
    assert status is Link.UNKNOWN and f"{MAKEFILE} is a symlink to {outside}, outside the tree: not followed" in why, \
        why
