"""Variants: corpus blob ids, fragments with provenance, reviewer variants, --tree, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from harness.apply import ApplyRequest, apply_variants
from harness.errors import UsageError
from harness.ingest import IngestRequest, parse_series
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V0,
    HELPER_V1,
    HELPER_V2,
    blob,
    demo_series,
    diff,
    message,
    patch_body,
    write_mbox,
)

SEAMCALL_H = "arch/x86/virt/vmx/tdx/seamcall.h"


@pytest.mark.parametrize(("name", "blob_id"), [
    ("v3:03", "0912e03fabfe"), ("v3:06", "256f71d6ca70"), ("v3", "256f71d6ca70"),
    ("v2:03", "71b6ffddfa40"), ("v2:04", "3f462e58d68e"),
])
def test_corpus_blob_ids(corpus_variants, name: str, blob_id: str) -> None:  # type: ignore[no-untyped-def]
    f = corpus_variants.get(name).file(SEAMCALL_H)
    assert f.complete and f.blob.startswith(blob_id)


def test_corpus_has_no_findings(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    assert [(v.name, v.findings) for v in corpus_variants.variants if v.findings] == []


def test_pre_series_helpers_are_fragments(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    v0 = corpus_variants.get("v3:00")
    assert v0.file(SEAMCALL_H) is None
    tdx_h = v0.file("arch/x86/include/asm/tdx.h")
    assert not tdx_h.complete
    frag = next(fr for fr in tdx_h.fragments() if any("sc_retry(" in ln for ln in fr.lines))
    text = "\n".join(frag.lines)
    assert "preempt_disable();" in text and "__seamcall_dirty_cache(func, fn, args)" in text
    assert any("pre-image of v3 03/26" in o for o in frag.origins)
    tdx_c = v0.file("arch/x86/virt/vmx/tdx/tdx.c")
    err = next(fr for fr in tdx_c.fragments() if any("seamcall_err(u64" in ln for ln in fr.lines))
    assert any('"SEAMCALL (0x%016llx) failed: 0x%016llx\\n"' in ln for ln in err.lines)
    v2 = corpus_variants.get("v3:02")
    err2 = next(fr for fr in v2.file("arch/x86/virt/vmx/tdx/tdx.c").fragments()
                if any("seamcall_err(u64" in ln for ln in fr.lines))
    assert any('"SEAMCALL (%llu) failed: %#016llx\\n"' in ln for ln in err2.lines)


def test_reviewer_variants_text(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    drop = corpus_variants.get("hansen-drop-06").file(SEAMCALL_H).text
    assert "SEAMLDR_RND_NO_ENTROPY" not in drop and drop.startswith("/* SPDX")
    assert corpus_variants.get("hansen-drop-06").file(SEAMCALL_H).blob.startswith("0912e03fabfe")
    ifelse = corpus_variants.get("hansen-if-else").file(SEAMCALL_H).text
    assert "\tif (is_seamldr_call(fn))\n\t\tretry_code = SEAMLDR_RND_NO_ENTROPY;\n\telse\n" in ifelse
    assert "unlikely" not in ifelse
    override = corpus_variants.get("hansen-default-override").file(SEAMCALL_H).text
    assert "\tretry_code = TDX_RND_NO_ENTROPY;\n\tif (is_seamldr_call(fn))\n" in override
    gao = corpus_variants.get("gao-answer").file(SEAMCALL_H).text
    assert "seamldr_err" not in gao and 'pr_err("SEAMCALL (%#llx) failed: %#016llx\\n"' in gao
    assert "sc_retry_prerr(__seamcall, seamcall_err, (__fn), (__args))" in gao
    yilun = corpus_variants.get("yilun-either-code")
    frag = next(fr for fr in yilun.file("arch/x86/include/asm/tdx.h").fragments()
                if any("sc_retry(" in ln for ln in fr.lines))
    text = "\n".join(frag.lines)
    assert "\t} while ((ret == TDX_RND_NO_ENTROPY ||\n\t\t  ret == SEAMLDR_RND_NO_ENTROPY) && --retry);" in text
    assert "preempt_disable();" in text
    assert ("aXssgOZJteoaJUOz@yilunxu-OptiPlex-7050", "Xu Yilun") in yilun.sources


def _demo(tmp_path: Path, msgs: list | None = None):  # type: ignore[no-untyped-def]
    write_mbox(tmp_path / "s.mbox", msgs or demo_series())
    return parse_series(IngestRequest((tmp_path / "s.mbox",)))


def test_prefix_states_and_base_alias(tmp_path: Path) -> None:
    vs = apply_variants(ApplyRequest(_demo(tmp_path)))
    names = [v.name for v in vs.variants]
    assert names == ["v2:00", "v2:01", "v2:02", "v2:03", "v2"]  # base: v2:00's other name (test_base_once.py)
    assert vs.get("base") is vs.get("v2:00")
    assert vs.get("v2:00").file(HELPER_PATH) is None
    assert vs.get("v2:01").file(HELPER_PATH).text == HELPER_V0
    assert vs.get("v2:02").file(HELPER_PATH).blob == blob(HELPER_V1)
    assert vs.get("v2").file(HELPER_PATH).text == HELPER_V2
    with pytest.raises(UsageError, match="no variant 'v9'"):
        vs.get("v9")


def test_blob_mismatch_and_failed_hunk_are_findings(tmp_path: Path) -> None:
    msgs = demo_series()
    bad = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace(blob(HELPER_V1)[:12], "deadbeef0000")
    msgs[3] = message("[PATCH v2 3/3] demo: try five times", "p3-v2@example.org", patch_body("x", bad))
    wrong = diff(HELPER_PATH, HELPER_V0.replace("int tries", "long tries"), HELPER_V2)
    msgs.append(message("[PATCH v2 4/4] demo: broken", "p4@x", patch_body("y", wrong)))
    vs = apply_variants(ApplyRequest(_demo(tmp_path, msgs)))
    reasons = [f.reason for f in vs.get("v2").findings]
    assert any("pre-image blob is" in r and "deadbeef0000" in r for r in reasons)
    assert any("hunk does not apply" in r for r in reasons)
    assert not vs.get("v2").file(HELPER_PATH).usable


def test_offset_is_reported(tmp_path: Path) -> None:
    msgs = demo_series()
    shifted = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace("@@ -6,7 +6,7 @@", "@@ -8,7 +8,7 @@")
    assert "@@ -8,7" in shifted
    msgs[3] = message("[PATCH v2 3/3] t", "p3-v2@example.org", patch_body("x", shifted))
    v = apply_variants(ApplyRequest(_demo(tmp_path, msgs))).get("v2")
    assert any("offset -2" in f.reason for f in v.findings)
    assert v.file(HELPER_PATH).text == HELPER_V2


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "a/../../x"])
def test_unsafe_paths_refused(tmp_path: Path, path: str) -> None:
    text = diff("x.h", None, "int x;\n").replace("x.h", path)
    msgs = [message("[PATCH] evil", "e@x", patch_body("x", text))]
    # Refused when the mail is read, so that every command (series too) refuses it, with its line.
    series = _demo(tmp_path, msgs)
    assert [s.reason for s in series.skipped] == [f"refusing unsafe path in diff: {path!r}"]
    assert not series.revisions


def _kernel_repo(tmp_path: Path) -> tuple[git.Repo, str]:
    repo = git.Repo.init(tmp_path / "linux")
    target = tmp_path / "linux" / HELPER_PATH
    target.parent.mkdir(parents=True)
    target.write_text(HELPER_V0)
    repo.index.add([HELPER_PATH])
    sha = repo.index.commit("base").hexsha
    return repo, sha


def _series_on_tree(tmp_path: Path):  # type: ignore[no-untyped-def]
    msgs = demo_series()
    return _demo(tmp_path, [msgs[0], msgs[2], msgs[3]])


def test_tree_base(tmp_path: Path) -> None:
    repo, sha = _kernel_repo(tmp_path)
    (tmp_path / "linux" / HELPER_PATH).write_text("dirty work tree\n")
    s = _series_on_tree(tmp_path)
    vs = apply_variants(ApplyRequest(s, tree=tmp_path / "linux", base=sha))
    v0 = vs.get("v2:00").file(HELPER_PATH)
    assert v0.complete and v0.text == HELPER_V0 and "read from" in v0.provenance[0]
    assert vs.get("v2").file(HELPER_PATH).text == HELPER_V2 and not vs.get("v2").findings
    assert (tmp_path / "linux" / HELPER_PATH).read_text() == "dirty work tree\n"
    assert repo.is_dirty() and repo.index.diff(None)


def test_tree_wrong_base(tmp_path: Path) -> None:
    _kernel_repo(tmp_path)
    s = _series_on_tree(tmp_path)
    # The cover letter's base-commit: is not in this tree: the base is searched for instead, and said so.
    v = apply_variants(ApplyRequest(s, tree=tmp_path / "linux")).get("v2")
    assert "the cover letter's base-commit: is not in this tree; best match" in v.base
    with pytest.raises(UsageError, match=r"base commit 0123456789abcdef.* is not in this tree"):
        apply_variants(ApplyRequest(s, tree=tmp_path / "linux", base="0123456789abcdef"))
    # A full 40-digit id GitPython takes as given without looking: was an internal error (ValueError, exit 3).
    for full in ("0" * 40, "0123456789abcdef0123456789abcdef01234567"):
        with pytest.raises(UsageError, match=f"base commit {full} is not in this tree"):
            apply_variants(ApplyRequest(s, tree=tmp_path / "linux", base=full))
    with pytest.raises(UsageError, match="not a git repository"):
        apply_variants(ApplyRequest(s, tree=tmp_path, base="HEAD"))
    with pytest.raises(UsageError, match="--base needs --tree"):
        apply_variants(ApplyRequest(s, base="HEAD"))


def test_a_tree_given_below_its_top_names_the_repository(tmp_path: Path) -> None:
    # --tree ~/linux/drivers said only "not a git repository", which it is inside of; the patches' paths start
    # at the top, so the top is what to give.
    _kernel_repo(tmp_path)
    s = _series_on_tree(tmp_path)
    below = tmp_path / "linux" / "drivers"
    with pytest.raises(UsageError) as info:
        apply_variants(ApplyRequest(s, tree=below))
    assert info.value.message == (f"--tree {below}: not a git repository (a folder inside the repository "
                                  f"{tmp_path / 'linux'}: give that)")


def test_tree_with_different_content_is_a_finding(tmp_path: Path) -> None:
    repo, _ = _kernel_repo(tmp_path)
    (tmp_path / "linux" / HELPER_PATH).write_text(HELPER_V0 + "/* extra */\n")
    repo.index.add([HELPER_PATH])
    sha = repo.index.commit("later").hexsha
    v = apply_variants(ApplyRequest(_series_on_tree(tmp_path), tree=tmp_path / "linux", base=sha)).get("v2:02")
    assert any("pre-image blob" in f.reason for f in v.findings)


# -- blob ids enforced, modes, renames, copies, binary ---------------------------------------------------

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def _variants(*paths: Path):  # type: ignore[no-untyped-def]
    return apply_variants(ApplyRequest(parse_series(IngestRequest(paths))))


def test_a_rebuilt_file_whose_blob_differs_is_not_usable(tmp_path: Path) -> None:
    lying = diff(HELPER_PATH, None, HELPER_V0).replace(blob(HELPER_V0)[:12], "0123456789ab")
    msgs = [message("[PATCH 1/3] a", "a@x", patch_body("x", lying)),
            message("[PATCH 2/3] b", "b@x", patch_body("x", diff(HELPER_PATH, HELPER_V0, HELPER_V1))),
            message("[PATCH 3/3] c", "c@x", patch_body("x", diff(HELPER_PATH, HELPER_V1, HELPER_V2)
                                                       .replace(f"..{blob(HELPER_V2)[:12]}", "..")))]
    variants = _variants(write_mbox(tmp_path / "s.mbox", msgs))
    first = variants.get("v1:01")
    assert not first.file(HELPER_PATH).usable  # type: ignore[union-attr]
    (finding,) = first.findings
    assert finding.path == HELPER_PATH and blob(HELPER_V0)[:12] in finding.reason and "0123456789ab" in finding.reason
    # The next patch's post-image blob proves the content again; one without an index line proves nothing.
    assert variants.get("v1:02").file(HELPER_PATH).usable  # type: ignore[union-attr]
    assert variants.get("v1").file(HELPER_PATH).usable  # type: ignore[union-attr]
    lying3 = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace(blob(HELPER_V2)[:12], "fedcba987654")
    msgs[2] = message("[PATCH 3/3] c", "c@x", patch_body("x", lying3))
    last = _variants(write_mbox(tmp_path / "t.mbox", msgs)).get("v1")
    assert not last.file(HELPER_PATH).usable  # type: ignore[union-attr]
    assert any("fedcba987654" in f.reason for f in last.findings)


def test_unusable_files_give_no_results(tmp_path: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate

    stub = "static inline u64 demo_call(u64 fn) { return 0; }\n"
    code = HELPER_V0.replace("static inline u64 demo_retry", stub + "static inline u64 demo_retry")
    good = diff(HELPER_PATH, None, code)
    lying = good.replace(blob(code)[:12], "0123456789ab")
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
        'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    for text, ran in ((good, True), (lying, False)):
        mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH] a", "a@x", patch_body("x", text))])
        ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=tmp_path / "cache"))
        out = ev.result.outcome("v1", "demo_retry/ONE/ok/u")
        assert out.ran is ran
    # Nothing ran on the unusable file: the outcome says which file and why, and is never compared.
    assert out.status == "error" and out.error_kind == "unsupported"
    assert f"{HELPER_PATH} is not usable: " in (out.error or "") and "0123456789ab" in (out.error or "")
    v = ev.variants.get("v1")
    assert not v.file(HELPER_PATH).usable and "0123456789ab" in v.findings[0].reason  # type: ignore[union-attr]


def test_a_patch_creating_an_existing_file_leaves_it_unusable(tmp_path: Path) -> None:
    msgs = [message("[PATCH 1/2] a", "a@x", patch_body("x", diff(HELPER_PATH, None, HELPER_V0))),
            message("[PATCH 2/2] b", "b@x", patch_body("x", diff(HELPER_PATH, None, HELPER_V1)))]
    v = _variants(write_mbox(tmp_path / "s.mbox", msgs)).get("v1")
    assert not v.file(HELPER_PATH).usable  # type: ignore[union-attr]
    assert [f.reason for f in v.findings] == ["patch creates a file that already exists"]


def test_a_file_created_after_a_patch_changed_it_says_the_patches_may_be_out_of_order(tmp_path: Path) -> None:
    # Mail alone: the file is known to exist only because patch 1 changed it (its hunks); patch 2 creating it is
    # what git am meets first when the sender swapped them. The finding said only "already exists", naming
    # neither patch 1 nor the likelier cause (a v4 probe with its patches re-numbered).
    msgs = [message("[PATCH 1/2] change", "a@x", patch_body("x", diff(HELPER_PATH, HELPER_V0, HELPER_V1))),
            message("[PATCH 2/2] create", "b@x", patch_body("x", diff(HELPER_PATH, None, HELPER_V0)))]
    v = _variants(write_mbox(tmp_path / "s.mbox", msgs)).get("v1")
    assert v is not None and not v.file(HELPER_PATH).usable  # type: ignore[union-attr]
    [finding] = v.findings
    assert finding.reason.startswith("patch creates a file that already exists"), finding.reason
    assert "v1 01/2 <a@x>" in finding.reason and "out of order" in finding.reason, finding.reason


def test_a_new_submodule_is_the_commit_it_names(tmp_path: Path) -> None:
    """As git apply reads a submodule: the text 'Subproject commit <id>', its id the commit (checked against the
    index line), with no tree too (tests/harness/test_apply_formatpatch_git.py: against git am)."""
    sub = ("diff --git a/lib/sub b/lib/sub\nnew file mode 160000\nindex 0000000..1234567\n--- /dev/null\n"
           "+++ b/lib/sub\n@@ -0,0 +1 @@\n+Subproject commit 1234567890123456789012345678901234567890\n")
    v = _variants(write_mbox(tmp_path / "s.mbox", [message("[PATCH] s", "s@x", patch_body("x", sub))])).get("v1")
    got = v.file("lib/sub")
    assert got is not None and got.usable and got.blob == "1234567890" * 4 and not v.findings


def test_modes_renames_and_copies() -> None:
    variants = _variants(MAIL / "modes-renames")
    mode = variants.get("v1:02")
    assert mode.file("scripts/demo.sh").mode == "100755" and mode.file("scripts/demo.sh").usable  # type: ignore[union-attr]
    moved = variants.get("v1:03")
    gone = moved.file(HELPER_PATH)  # git am removes it: absent, so that no tree supplies it again
    assert gone is not None and gone.absent and gone.provenance[0].startswith("renamed to drivers/demo/retry.h by")
    retry = moved.file("drivers/demo/retry.h")
    assert retry is not None and retry.complete and retry.usable and "int tries = 4;" in (retry.text or "")
    copied = variants.get("v1")
    assert copied.file("drivers/demo/retry.h") is not None and copied.file("drivers/demo/retry2.h") is not None
    assert "demo_err2" in (copied.file("drivers/demo/retry2.h").text or "")  # type: ignore[union-attr]
    assert not copied.findings
    files = [f for p in parse_series(IngestRequest((MAIL / "modes-renames",))).all_patches() for f in p.files]
    rename = next(f for f in files if f.is_rename)
    copy = next(f for f in files if f.copy)
    assert rename.similarity is not None and copy.similarity is not None and copy.source_path == "drivers/demo/retry.h"


def test_binary_patches_are_applied_as_git_applies_them() -> None:
    """Two literal binary patches (apply.c apply_binary): the file is each literal's bytes, its blob the full
    id the index line gives; nothing is a finding (tests/harness/test_apply_formatpatch_git.py has git am's)."""
    variants = _variants(MAIL / "binary")
    for name, want in (("v1:01", "c86626638e0bc8cf47ca49bb1525b40e9737ee64"),
                       ("v1", "5663091be8ca2b5e57d3c2323a38840a729caf66")):
        v = variants.get(name)
        logo = v.file("drivers/demo/logo.bin")
        assert logo is not None and logo.usable and logo.complete and logo.blob == want and not v.findings
    helper = v.file(HELPER_PATH)
    assert helper is not None and helper.usable and helper.blob == blob(HELPER_V1)


def test_no_newline_at_end_of_file_both_sides() -> None:
    variants = _variants(MAIL / "no-newline")
    for name in ("v1:01", "v1:02", "v1"):
        f = variants.get(name).file(HELPER_PATH)
        assert f is not None and f.usable and not variants.get(name).findings
    assert variants.get("v1:02").file(HELPER_PATH).missing_newline  # type: ignore[union-attr]
    assert not variants.get("v1").file(HELPER_PATH).missing_newline  # type: ignore[union-attr]


@pytest.mark.parametrize("step", ["aside", "in place"])
def test_an_interrupted_apply_out_leaves_the_earlier_output_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  step: str) -> None:
    """Ctrl-C or SIGTERM as the new folder replaces an earlier output: the earlier one stays, whole, and no
    temporary folder is left (the old one was removed before the new one was renamed: then neither was there)."""
    from harness import export

    out = tmp_path / "out"
    vs = apply_variants(ApplyRequest(_demo(tmp_path)))
    export.write_variant(vs.get("v2:01"), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    rename = Path.rename

    def interrupted(self: Path, target: Path) -> Path:
        moving_aside = self == out
        putting_in_place = Path(target) == out and not self.name.endswith(".old")
        if moving_aside if step == "aside" else putting_in_place:
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_variant(vs.get("v2"), out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.mbox"]


def test_a_signal_while_the_earlier_output_is_removed_waits_until_it_is_gone(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C as the folder moved aside is removed: it was left beside the new output, half removed (a fresh
    user's `timeout -s INT 0.5 seamharness apply ... --out` over an earlier output). The signal now comes once
    the swap is done."""
    import signal
    import threading

    from harness import export

    out = tmp_path / "out"
    vs = apply_variants(ApplyRequest(_demo(tmp_path)))
    export.write_variant(vs.get("v2:01"), out)
    rmtree = export.shutil.rmtree

    def interrupted(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).name.endswith(".old"):
            # Python runs the handler at once, unless the signal is held. Sent to this thread, which holds it: sent
            # to the process, another thread of it (pytest-xdist's) could take it, and the handler ran unheld.
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export.shutil, "rmtree", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            export.write_variant(vs.get("v2"), out)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.mbox"]
    assert json.loads((out / "provenance.json").read_text())["variant"] == "v2"
