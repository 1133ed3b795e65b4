"""With --tree, a patch git am applies only in part makes no state.

With --tree, a patch part of which does not apply (git am stops at it): what its other files do is no state git
am makes, said before any difference (harness.report.one_line) and never a code move that changes behaviour
(harness.movefind)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.findings import FindingKind
from harness.pipeline import EvalRequest, evaluate
from harness.report import one_line
from tests.gitoracle import git, init_repo
from tests.harness.test_unitdefs import MATRIX, SEAM_H, SEAMCALL_C, UNIT_C

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_a_rename_whose_makefile_hunk_fails_is_no_behaviour_change_of_the_patch(tmp_path: Path) -> None:
    # The author renames x/seamcall.c and edits x/Makefile, the diff made with --no-prefix (diff.noprefix=true): git
    # am reads 'x/Makefile' at -p1 as the top-level Makefile, whose text differs, and stops at the patch. Before:
    # 'v1 01/1: a code move that changes behaviour: probe: status ok -> error: build error: x/Makefile:1 names
    # seamcall.o, and the patches take x/seamcall.c away', a claim of a state git am never makes.
    files = {"x/seam.h": SEAM_H, "x/seamcall.c": SEAMCALL_C.format(static=""), "x/tdx.c": UNIT_C.format(tail=""),
             "x/Makefile": "obj-y += tdx.o seamcall.o\n", "Makefile": "obj-y += x/\n"}
    author = init_repo(tmp_path / "author", files)
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    git(author, "mv", "x/seamcall.c", "x/seamcall_core.c")
    (author / "x/Makefile").write_text("obj-y += tdx.o seamcall_core.o\n")
    git(author, "commit", "-q", "-am", "x: rename seamcall.c\n\nRename.\n\nSigned-off-by: A <a@example.org>")
    git(author, "format-patch", "-q", "-M", "--no-prefix", "-o", str(tmp_path / "out"), f"{base}..HEAD")
    git(author, "checkout", "-q", base)
    am = git(author, "am", *map(str, sorted((tmp_path / "out").glob("*.patch"))), check=False)
    assert am.returncode != 0, am.stdout  # the oracle: git am stops at the patch
    git(author, "am", "--abort", check=False)
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((tmp_path / "out",), tree=author, base=base, matrix=tmp_path / "m.toml", jobs=1,
                              cache=None))
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v1:01"]
    said = one_line(cmp, 1)
    assert said.startswith("the patch does not apply in v1:01 (Makefile @@ -1,1 +1,1 @@: hunk does not apply"), said
    kinds = {f.kind: f.text for f in ev.comparison.findings}
    assert FindingKind.CODE_MOVE_CHANGED not in kinds, kinds
    assert "git am stops there" in kinds[FindingKind.CODE_MOVE_NOT_COMPARED], kinds
    # Nor does the build break the half-applied rename makes stand as a build error of the patch (a rule on it would
    # FAIL): not known, saying why.
    out = ev.result.outcome("v1:01", "probe/ONE/bad/tdx.c")
    assert out.status == "error" and str(out.error_kind) == "unsupported", out.error
    assert (out.error or "").startswith("not known to build: x/Makefile:1 names seamcall.o") and \
        "but a patch of this state does not apply on its base (Makefile: " in (out.error or ""), out.error


def test_what_the_applied_part_of_a_patch_changes_is_said_after_that_it_does_not_apply(tmp_path: Path) -> None:
    # The patch changes x/seamcall.c (it applies) and x/Makefile, whose line the tree has otherwise: git am stops
    # at it. Before: 'v1 01/1: probe: return 70 -> 71', as if the patch applied.
    files = {"x/seam.h": SEAM_H, "x/seamcall.c": SEAMCALL_C.format(static=""), "x/tdx.c": UNIT_C.format(tail=""),
             "x/Makefile": "obj-y += tdx.o seamcall.o\n"}
    author = init_repo(tmp_path / "author", files)
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    (author / "x/seamcall.c").write_text(SEAMCALL_C.format(static="").replace("70", "71"))
    (author / "x/Makefile").write_text("obj-y += tdx.o seamcall.o # both\n")
    git(author, "commit", "-q", "-am", "x: 71\n\nMore.\n\nSigned-off-by: A <a@example.org>")
    git(author, "format-patch", "-q", "-o", str(tmp_path / "out"), f"{base}..HEAD")
    git(author, "checkout", "-q", "-b", "tree", base)
    (author / "x/Makefile").write_text("obj-y += tdx.o seamcall.o other.o\n")
    git(author, "commit", "-q", "-am", "x: other")
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((tmp_path / "out",), tree=author, base="tree", matrix=tmp_path / "m.toml", jobs=1,
                              cache=None))
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v1:01"]
    said = one_line(cmp, 1)
    assert said.startswith("the patch does not apply in v1:01 (x/Makefile @@ -1,1 +1,1 @@: hunk does not apply") \
        and "and of what did apply: probe: return 70 -> 71 [all leaves x all scripts]" in said, said
