"""What a file's part of a diff says it does (harness.diffmodel.PatchedFile), against ``git apply --summary``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.diffmodel import LineKind
from harness.diffparse import parse_diff
from harness.errors import Where

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git, the oracle")

_HUNK = "@@ -1,2 +1,2 @@\n a\n-b\n+c\n"


@pytest.mark.parametrize("text", [
    "diff --git a/d/f.h b/d/f.h\nindex 1111111..2222222 100644\n--- a/d/f.h\n+++ b/d/f.h\n" + _HUNK,
    "diff --git a/d/f.h b/d/g.h\nsimilarity index 90%\nrename from d/f.h\nrename to d/g.h\n--- a/d/f.h\n"
    "+++ b/d/g.h\n" + _HUNK,
    "diff --git a/d/f.h b/d/g.h\nsimilarity index 90%\ncopy from d/f.h\ncopy to d/g.h\n--- a/d/f.h\n+++ b/d/g.h\n"
    + _HUNK,
    "diff --git a/d/f.h b/d/f.h\nold mode 100644\nnew mode 100755\n",
    "diff --git a/d/n.h b/d/n.h\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/d/n.h\n"
    "@@ -0,0 +1 @@\n+x\n",
    "diff --git a/d/o.h b/d/o.h\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/d/o.h\n+++ /dev/null\n"
    "@@ -1 +0,0 @@\n-x\n",
], ids=["change", "rename", "copy", "mode", "created", "deleted"])
def test_a_file_s_part_says_what_git_apply_summarises(tmp_path: Path, text: str) -> None:
    from tests.gitoracle import summary

    said = summary(tmp_path, text.encode())
    (pf,) = parse_diff(text, Where("t.patch", 1))
    assert pf.is_new == any(s.startswith("create mode") for s in said), said
    assert pf.is_deleted == any(s.startswith("delete mode") for s in said), said
    assert pf.is_rename == any(s.startswith("rename ") for s in said), said
    assert pf.copy == any(s.startswith("copy ") for s in said), said
    assert pf.is_mode_change == any(s.startswith("mode change") for s in said), said
    assert pf.path == ("d/g.h" if pf.is_rename or pf.copy else pf.source_path or pf.target_path)


def test_a_hunk_s_sides_are_its_context_with_its_removed_or_added_lines() -> None:
    (pf,) = parse_diff("--- a/f\n+++ b/f\n" + _HUNK, Where("t.patch", 1))
    (hunk,) = pf.hunks
    assert [ln.kind for ln in hunk.lines] == [LineKind.CONTEXT, LineKind.REMOVED, LineKind.ADDED]
    assert hunk.source_lines == ("a", "b") and hunk.target_lines == ("a", "c")  # as written, without line ends
