"""Where a hunk is placed, as git apply's find_pos places it (harness/hunkplace.py), and patching's refusals."""

from __future__ import annotations

import random
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from harness.diffmodel import Hunk, HunkLine, LineKind
from harness.errors import Where
from harness.hunkplace import find_pos
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import git_env
from tests.harness.printpatchgen import LINE, TEXT, edited, print_patch


class _Counted(list[str]):
    """An image that counts the lines read from it, one at a time or by slice."""

    reads = 0

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        got = super().__getitem__(i)
        self.reads += len(got) if isinstance(i, slice) else 1
        return got

    def index(self, *args):  # type: ignore[no-untyped-def]
        self.reads += len(self)  # a scan (the old way found every like line so)
        return super().index(*args)


def _hunk(start: int, before: list[str], old: str, new: str, after: list[str]) -> Hunk:
    lines = [HunkLine(LineKind.CONTEXT, t, None, None) for t in before]
    lines += [HunkLine(LineKind.REMOVED, old, None, None), HunkLine(LineKind.ADDED, new, None, None)]
    lines += [HunkLine(LineKind.CONTEXT, t, None, None) for t in after]
    n = len(lines) - 1
    return Hunk(start, n, start, n, "", tuple(lines), Where("p", 1))


def _git_order(image: list[str], first: str, start: int) -> list[int]:
    # apply.c find_pos: the expected line, then one after, one before, two after, two before, ...
    rank = {c: 2 * (c - start) - 1 if c > start else 2 * (start - c) for c in range(len(image))}
    return sorted((c for c in range(len(image)) if image[c] == first), key=rank.__getitem__)


def test_a_hunk_goes_to_the_nearest_fitting_place_later_first_as_git_apply_tries_them() -> None:
    rnd = random.Random(5)
    for _ in range(300):
        image = [rnd.choice("xyz") + "\n" for _ in range(rnd.randrange(1, 30))]
        pre = [rnd.choice("xyz") + "\n" for _ in range(rnd.randrange(2, 4))]
        start = rnd.randrange(2, len(image) + 3)
        h = _hunk(start, [pre[0][:-1]], pre[1][:-1], "n", [t[:-1] for t in pre[2:]] or ["q"])
        pre = [t.text + "\n" for t in h.lines if t.kind is not LineKind.ADDED]
        fits = [c for c in _git_order(image, pre[0], min(start - 1, len(image)))
                if image[c : c + len(pre)] == pre]
        assert find_pos(image, [False] * len(image), pre, h)[0] == (fits[0] if fits else None)


def test_a_hunk_at_its_place_reads_a_few_lines_however_often_its_context_recurs() -> None:
    # Each of 2,000 hunks of a file of "x", "a", "y" triplets fits where its header says: git apply tries that
    # place first. Every "x" line was found and sorted by distance for each hunk (10,000 hunks took 44 s).
    image = _Counted(["x\n", "a\n", "y\n"] * 2000)
    for k in range(0, 2000, 7):
        h = _hunk(3 * k + 1, ["x"], "a", "b", ["y"])
        pre = ["x\n", "a\n", "y\n"]
        assert find_pos(image, [False] * len(image), pre, h) == (3 * k, 3 * k)
    assert image.reads < 10 * (2000 // 7 + 1)


def test_the_states_of_a_long_series_share_its_labels(tmp_path: Path) -> None:
    # Each prefix's variant lists the patches applied and their senders: made for each, n patches gave n*n/2
    # strings (an mbox of 5,000 one-line patches took 2.2 GB to apply). Shared, they cost pointers.
    from harness.apply import revision_base
    from harness.ingest import IngestRequest, parse_series
    from harness.variants import revision_variants
    from tests.mailgen import message, patch_body, write_mbox

    n = 400
    msgs = [message(f"[PATCH {k}/{n}] p{k}", f"p{k}@x", patch_body("x", (
        "diff --git a/f.c b/f.c\nnew file mode 100644\n--- /dev/null\n+++ b/f.c\n@@ -0,0 +1 @@\n+v1\n" if k == 1 else
        f"diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-v{k - 1}\n+v{k}\n"))) for k in range(1, n + 1)]
    (rev,) = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", msgs),))).revisions
    label, reader = revision_base(None, None, rev)
    tracemalloc.start()
    try:
        variants = revision_variants(rev, reader, label, alias_base=True)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [v.name for v in variants[-2:]] == [f"v1:{n}", "v1"] and variants[0].aliases == ("base",)
    assert held < 24 * n * n, held  # each state's tuples of pointers (8 bytes each), not strings (60 bytes and up)
    assert all(v.applied[0] is variants[-1].applied[0] for v in variants[1:])


def _refused(tmp_path: Path, text: str, edit: tuple[str, str] | None) -> str:
    """The base problem of git's own patch of printpatchgen's line (its '-' line edited with ``edit``), on a tree
    whose file is ``text``, as the state after it has it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tree, patch = print_patch(tmp_path, LINE.replace("(0x%016llx)", "(%llu)"))
    if edit is not None:
        patch = edited(patch, *edit)
    if text != TEXT:  # the tree's own copy, another blob than the index line's
        (tree / "arch/x86/virt/vmx/tdx/tdx.c").write_text(text)
        subprocess.run(["git", "-C", str(tree), "commit", "-qam", "local change"], check=True, env=git_env(tmp_path))
    ev = evaluate(EvalRequest((patch,), tree=tree, base="HEAD", jobs=1, cache=None))
    (problem,) = ev.result.variant("v1").base_problems
    return str(problem)


def test_a_hunk_refused_by_the_very_blob_its_index_line_names_says_the_diff_was_edited(tmp_path: Path) -> None:
    # h598: 'base ... 1 of 1 pre-image blobs match' above 'hunk does not apply': the file is the one git diffed, so
    # its diff was changed after (by hand, or by the mail's way); the line said nothing of it.
    said = _refused(tmp_path, TEXT, ("(0x%016llx)", "(0x%08llx)"))
    assert said.endswith(": hunk does not apply: context differs at line 6; the file is the pre-image blob its index "
                         "line names (2b19c4b), so the diff was edited or mangled after git made it"), said


def test_a_hunk_refused_by_another_blob_says_nothing_of_an_edit(tmp_path: Path) -> None:
    said = _refused(tmp_path, TEXT.replace(LINE, LINE.replace("(0x%016llx)", "(%#llx)")), None)
    assert "hunk does not apply" in said and "edited" not in said and "mangled" not in said, said
