"""Our patch application against git's own: the same patches through `git apply` in a scratch repository."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from harness.apply import ApplyRequest, apply_variants
from harness.diffparse import parse_diff
from harness.errors import Where
from harness.filestate import full_file, git_blob_id
from harness.ingest import IngestRequest, parse_series
from harness.patching import apply_file
from tests.mailgen import HELPER_PATH, demo_series, message, patch_body, write_mbox

SEAMCALL_H = "arch/x86/virt/vmx/tdx/seamcall.h"


def _git_apply(tmp: Path, path: str, before: str | None, diff_text: str) -> str:
    repo = git.Repo.init(tmp / "scratch")
    if before is not None:
        target = tmp / "scratch" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(before)
    (tmp / "p.diff").write_text(diff_text)
    repo.git.apply(str(tmp / "p.diff"))
    return (tmp / "scratch" / path).read_text()


def _raw_diff(patch_mail: str, path: str) -> str:
    """The part of a mail's diff for one file, as git writes it."""
    text = patch_mail[patch_mail.index("diff --git"):]
    text = text[: text.index("\n-- \n") + 1] if "\n-- \n" in text else text
    parts = ["diff --git" + p for p in text.split("diff --git")[1:]]
    return next(p for p in parts if f" b/{path}\n" in p.splitlines()[0] + "\n")


def test_corpus_06_applies_as_git_applies_it(corpus: Path, tmp_path: Path) -> None:
    series = parse_series(IngestRequest((corpus,)))
    variants = apply_variants(ApplyRequest(series))
    before = variants.get("v3:05").file(SEAMCALL_H).text  # type: ignore[union-attr]
    mail = (corpus / "v3" / "0006-prepare-to-support-p-seamldr-seamcalls.eml").read_text()
    ours = variants.get("v3:06").file(SEAMCALL_H)
    theirs = _git_apply(tmp_path, SEAMCALL_H, before, _raw_diff(mail, SEAMCALL_H))
    assert ours is not None and ours.text == theirs
    assert git_blob_id(theirs).startswith("256f71d6ca70")


def test_offsets_as_git_applies_them(tmp_path: Path) -> None:
    msgs = demo_series()
    shifted = msgs[3].get_content().replace("@@ -6,7 +6,7 @@", "@@ -8,7 +8,7 @@")
    msgs[3] = message("[PATCH v2 3/3] t", "p3-v2@example.org", shifted)
    write_mbox(tmp_path / "s.mbox", msgs)
    variants = apply_variants(ApplyRequest(parse_series(IngestRequest((tmp_path / "s.mbox",)))))
    before = variants.get("v2:02").file(HELPER_PATH).text  # type: ignore[union-attr]
    theirs = _git_apply(tmp_path, HELPER_PATH, before, _raw_diff(shifted, HELPER_PATH))
    assert variants.get("v2").file(HELPER_PATH).text == theirs  # type: ignore[union-attr]


def test_created_file_as_git_creates_it(tmp_path: Path) -> None:
    msgs = demo_series()
    write_mbox(tmp_path / "s.mbox", msgs)
    variants = apply_variants(ApplyRequest(parse_series(IngestRequest((tmp_path / "s.mbox",)))))
    theirs = _git_apply(tmp_path, HELPER_PATH, None, _raw_diff(patch_body("x", msgs[1].get_content()), HELPER_PATH))
    assert variants.get("v2:01").file(HELPER_PATH).text == theirs  # type: ignore[union-attr]


# -- where git apply puts a hunk, and when it refuses: the same cases through `git apply` --------------------

BLOCK = "a\nb\nc\n"
FILLER = "".join(f"line {i}\n" for i in range(1, 7))


def _both(tmp: Path, before: str, diff_text: str) -> tuple[str | None, str | None]:
    """(git apply's result or None, ours or None) for one file ``f`` and a hand-written diff."""
    repo = git.Repo.init(tmp / "scratch")
    (tmp / "scratch" / "f").write_text(before)
    (tmp / "p.diff").write_text(diff_text)
    try:
        repo.git.apply(str(tmp / "p.diff"))
        theirs: str | None = (tmp / "scratch" / "f").read_text()
    except git.GitCommandError:
        theirs = None
    (pf,) = parse_diff(diff_text, Where("p.diff", 1))
    state, findings = apply_file(full_file("f", before, "base"), pf, "test")
    refused = any("does not apply" in f.reason for f in findings)
    return theirs, None if refused or state is None else state.text


def _hunk(header: str, body: str) -> str:
    return f"diff --git a/f b/f\nindex 1111111..2222222 100644\n--- a/f\n+++ b/f\n{header}\n{body}"


@pytest.mark.parametrize(("before", "diff_text"), [
    # The same context before and after the expected place, equally far: git takes the later one.
    (FILLER[:21] + BLOCK + FILLER + "line 7\n" + BLOCK + FILLER, _hunk("@@ -9,3 +9,3 @@", " a\n-b\n+B\n c\n")),
    # A hunk that starts at line 1 must match at the top, even when its text is further down.
    ("x\n" + BLOCK + FILLER, _hunk("@@ -1,3 +1,3 @@", " a\n-b\n+B\n c\n")),
    (BLOCK + FILLER, _hunk("@@ -1,3 +1,3 @@", " a\n-b\n+B\n c\n")),
    # No trailing context: it must match at the end of the file.
    (BLOCK + FILLER + BLOCK, _hunk("@@ -5,2 +5,2 @@", " a\n-b\n+B\n")),
    (BLOCK + FILLER + BLOCK + "x\n", _hunk("@@ -5,2 +5,2 @@", " a\n-b\n+B\n")),
    # A second hunk never matches lines the first one wrote.
    (BLOCK + FILLER, _hunk("@@ -1,3 +1,6 @@", " a\n+a\n+b\n+c\n b\n c\n") + "@@ -1,3 +4,3 @@\n a\n-b\n+X\n c\n"),
    # Missing final newline on one side or the other.
    ("a\nb", _hunk("@@ -1,2 +1,2 @@", " a\n-b\n\\ No newline at end of file\n+b\n")),
    ("a\nb\n", _hunk("@@ -1,2 +1,2 @@", " a\n-b\n+b\n\\ No newline at end of file\n")),
    ("a\nb\n", _hunk("@@ -1,2 +1,2 @@", " a\n-b\n\\ No newline at end of file\n+c\n")),
    # An offset, and a hunk that does not apply at all.
    ("x\ny\n" + BLOCK + FILLER, _hunk("@@ -1,3 +1,3 @@", " a\n-b\n+B\n c\n").replace("-1,3 +1,3", "-2,3 +2,3")),
    (FILLER, _hunk("@@ -2,3 +2,3 @@", " a\n-b\n+B\n c\n")),
    # A last pre-image line without its line end fits a file line that has one, or white space and one (git
    # compares bytes once the lines' hashes, white space left out, agree): the post-image takes the whole line.
    ("a\nb\n", _hunk("@@ -1,2 +1,2 @@", "-a\n+A\n b\n\\ No newline at end of file\n")),
    ("a\nb\nc\nd\n", _hunk("@@ -1,2 +1,2 @@", "-a\n+A\n b\n\\ No newline at end of file\n")),
    ("a\nb \t\nc\n", _hunk("@@ -1,2 +1,2 @@", "-a\n+A\n b\n\\ No newline at end of file\n")),
    ("a\nbb\n", _hunk("@@ -1,2 +1,2 @@", "-a\n+A\n b\n\\ No newline at end of file\n")),
    ("x\ny\nb\nz\n", _hunk("@@ -3,1 +3,2 @@", "+new\n b\n\\ No newline at end of file\n")),
    # ... but not in a hunk held to the end of the file (no trailing context): its bytes must reach the end.
    ("a\nb\n", _hunk("@@ -1,2 +1,2 @@", " a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n")),
], ids=["later-wins", "top-anchor-refused", "top-anchor", "end-anchor", "end-anchor-refused", "no-overlap",
        "no-newline-old", "no-newline-new", "no-newline-old-only", "offset", "no-match", "no-newline-fits-line-end",
        "no-newline-fits-mid-file", "no-newline-fits-white-space", "no-newline-no-prefix-of-other-text",
        "no-newline-one-line-offset", "no-newline-held-to-end"])
def test_hunk_placement_as_git_apply(tmp_path: Path, before: str, diff_text: str) -> None:
    theirs, ours = _both(tmp_path, before, diff_text)
    assert ours == theirs


def test_deletion_needs_the_whole_file() -> None:
    old = git_blob_id("a\nb\n")[:7]
    gone = f"diff --git a/f b/f\ndeleted file mode 100644\nindex {old}..0000000\n--- a/f\n+++ /dev/null\n"
    (pf,) = parse_diff(gone + "@@ -1,2 +0,0 @@\n-a\n-b\n", Where("p", 1))
    assert apply_file(full_file("f", "a\nb\n", "base"), pf, "t") == (None, [])
    state, findings = apply_file(full_file("f", "a\nb\nc\n", "base"), pf, "t")
    assert state is not None and not state.usable and any("does not apply" in f.reason for f in findings)


def test_tree_base_files_as_git_has_them(tmp_path: Path) -> None:
    from tests.gitoracle import Change, am, format_patches, git, init_repo
    from tests.mailgen import Shape, shaped_mail

    base = {"d/run.sh": b"#!/bin/sh\necho one", "d/names.h": b'#define N "caf\xe9"\n'}
    made = format_patches(tmp_path, [
        Change("base", "the tree\n", base, modes={"d/run.sh": "100755"}),
        Change("demo: edit both", "Both.\n",
               {"d/run.sh": b"#!/bin/sh\necho two", "d/names.h": b'#define N "caf\xe9!"\n'}),
    ])
    mail = tmp_path / "0001.eml"
    mail.write_bytes(shaped_mail("Ann <ann@example.org>", "[PATCH] demo: edit both", "t@x", *made[1][1:], Shape()))
    tree = init_repo(tmp_path / "tree", {k: v.decode("utf-8", "surrogateescape") for k, v in base.items()})
    (tree / "d/run.sh").chmod(0o755)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "modes")
    (tree / "d" / "link.h").symlink_to("names.h")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "link")
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    v = apply_variants(ApplyRequest(parse_series(IngestRequest((mail,))), tree=tree, base=head)).get("v1")
    assert not v.findings and v.file("d/run.sh").mode == "100755"  # type: ignore[union-attr]
    commits, error = am(tree, [mail])
    commit = commits[-1]
    assert not error and commit.subject == "demo: edit both"
    for path in ("d/run.sh", "d/names.h"):
        f = v.file(path)
        assert f is not None and f.usable and f.blob == commit.blobs[path]
    from harness.gitbase import TreeBase

    link = TreeBase(tree, head).reader()[1]("d/link.h")
    assert link is not None and not link.usable and link.mode == "120000"


def test_a_file_created_where_an_earlier_patch_renamed_one_away_as_git_am_creates_it(tmp_path: Path) -> None:
    # Patch 1 moves d/old.h away, patch 2 adds a new d/old.h: git am makes both; the creation was refused ('creates
    # a file that already exists': the tree's d/old.h read again), and nothing was written (exit 2).
    from tests.gitoracle import am, git, init_repo

    rename = "diff --git a/d/old.h b/d/legacy.h\nsimilarity index 100%\nrename from d/old.h\nrename to d/legacy.h\n"
    create = ("diff --git a/d/old.h b/d/old.h\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n"
              "+++ b/d/old.h\n@@ -0,0 +1 @@\n+hello world\n")
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/2] move", "m1@x", patch_body("x", rename)),
                                            message("[PATCH 2/2] add", "m2@x", patch_body("x", create))])
    tree = init_repo(tmp_path / "tree", {"d/old.h": "old\n"})
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    v = apply_variants(ApplyRequest(parse_series(IngestRequest((mbox,))), tree=tree, base=head)).get("v1")
    commits, error = am(tree, [mbox])
    assert not error and len(commits) == 2, error
    assert v is not None and not v.findings, v.findings  # type: ignore[union-attr]
    for path, blob in commits[-1].blobs.items():
        f = v.file(path)
        assert f is not None and f.usable and f.blob == blob, (path, f)


def test_a_rename_after_an_edit_of_its_source_in_one_patch_leaves_the_edit_as_git_am_does(tmp_path: Path) -> None:
    # apply.c: the rename reads d/old.h as before the patch, and the source is removed before the edited file is
    # written, so git am keeps d/old.h edited beside d/new.h; d/old.h was gone here (a hand-assembled patch)
    from tests.gitoracle import am, git, init_repo

    edit = "diff --git a/d/old.h b/d/old.h\n--- a/d/old.h\n+++ b/d/old.h\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
    rename = "diff --git a/d/old.h b/d/new.h\nsimilarity index 100%\nrename from d/old.h\nrename to d/new.h\n"
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH] edit and move", "m1@x", patch_body("x", edit + rename))])
    tree = init_repo(tmp_path / "tree", {"d/old.h": "a\nb\nc\n"})
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    v = apply_variants(ApplyRequest(parse_series(IngestRequest((mbox,))), tree=tree, base=head)).get("v1")
    commits, error = am(tree, [mbox])
    assert not error and sorted(commits[-1].blobs) == ["d/new.h", "d/old.h"], (error, commits)
    assert v is not None and not v.findings, v.findings  # type: ignore[union-attr]
    for path, blob in commits[-1].blobs.items():
        f = v.file(path)
        assert f is not None and f.usable and not f.absent and f.blob == blob, (path, f)
