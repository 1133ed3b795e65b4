"""Our patch application against git's own: the same patches through `git apply` in a scratch repository."""

from __future__ import annotations

from pathlib import Path

import git

from harness.apply import ApplyRequest, apply_variants
from harness.filestate import git_blob_id
from harness.ingest import IngestRequest, parse_series
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
