"""A maintainer's kernel tree: the base found (not guessed), partial runs, and no verdict on a broken state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import OLD_HOME, RETRY_SAFE, helpers, moving_series
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
runner = CliRunner()
BASE_TEXT = helpers(RETRY_SAFE)
TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"


def _tree(tmp_path: Path, texts: list[str]) -> git.Repo:
    """A repository whose history holds OLD_HOME with each of ``texts`` in turn (the last at HEAD), and the
    matrix's unit tdx.c (a unit the tree lacks runs nothing)."""
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    path = tmp_path / "linux" / OLD_HOME
    path.parent.mkdir(parents=True, exist_ok=True)
    unit = tmp_path / "linux" / TDX_C
    unit.parent.mkdir(parents=True, exist_ok=True)
    # It includes the helpers' header, as the kernel's tdx.c does: a header no unit includes is built by no one.
    unit.write_text('#define pr_fmt(fmt) "virt/tdx: " fmt\n\n#include <asm/tdx.h>\n')
    for n, text in enumerate(texts):
        path.write_text(text)
        repo.index.add([OLD_HOME, TDX_C])
        repo.index.commit(f"state {n}")
    return repo


def _mbox(tmp_path: Path) -> Path:
    # No Makefile hunk: these trees have no Makefile for it to apply to (the wrapper's file is then not built).
    return write_mbox(tmp_path / "v4.mbox", moving_series(faithful=True, built=False))


def test_exact_base_runs_everything(tmp_path: Path) -> None:
    _tree(tmp_path, [BASE_TEXT])
    ev = evaluate(EvalRequest((_mbox(tmp_path),), tree=tmp_path / "linux", jobs=1))
    v0 = ev.result.variant("v4:00")
    # The helper header's blob matches; the two files the series creates are counted apart (absence proves nothing).
    assert "1 of 1 pre-image blobs match; 2 new files absent" in v0.base
    assert not any(v.findings for v in ev.result.variants)
    assert ev.result.outcome("v4:00", "seamcall/TDH_SYS_INIT/success/tdx.c").status == "ok"
    assert ev.comparison.per_patch[0].compared > 0


def test_base_one_commit_off_is_found_by_blobs(tmp_path: Path) -> None:
    repo = _tree(tmp_path, [BASE_TEXT, BASE_TEXT.replace("GPL-2.0 */", "GPL-2.0 */\n/* later */")])
    base = repo.head.commit.parents[0].hexsha
    ev = evaluate(EvalRequest((_mbox(tmp_path),), tree=tmp_path / "linux", jobs=1))
    label = ev.result.variant("v4").base
    assert label.startswith(f"{tmp_path / 'linux'} at {base[:12]} (best match") and "1 of 1 pre-image" in label
    assert not any(v.findings for v in ev.result.variants)
    # --base overrides the search, and the header says how many blobs match there.
    ev = evaluate(EvalRequest((_mbox(tmp_path),), tree=tmp_path / "linux", base="HEAD", jobs=1))
    assert "given with --base; 0 of 1 pre-image blobs match; 2 new files absent" in ev.result.variant("v4").base


def test_a_newer_tree_is_patched_as_git_am_patches_it(tmp_path: Path) -> None:
    # The tree at HEAD has two more lines above the helpers: git am applies the series with offsets, and the
    # files are used as it writes them (their blobs cannot match the mail's index lines: notes, not problems).
    import subprocess

    repo = _tree(tmp_path, [BASE_TEXT, BASE_TEXT.replace("GPL-2.0 */", "GPL-2.0 */\n/* later */\n/* more */")])
    mbox = _mbox(tmp_path)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", base="HEAD", variants=("v4",), jobs=1))
    v4 = ev.result.variant("v4")
    assert not v4.base_problems and all(f.usable for f in v4.files if not f.absent)  # seamldr.c: not in the tree
    assert any("applied to it as git am applies it" in f.reason for f in v4.findings)
    subprocess.run(["git", "-C", str(repo.working_dir), "am", "-q", "--empty=drop", str(mbox)], check=True,
                   capture_output=True)
    for f in v4.files:
        if (Path(repo.working_dir) / f.path).exists():
            assert f.text == (Path(repo.working_dir) / f.path).read_text(), f.path
    assert ev.result.outcome("v4", "seamcall/TDH_SYS_INIT/success/tdx.c").status == "ok"


def test_apply_says_which_file_is_patched_on_another_pre_image(tmp_path: Path) -> None:
    # The tree lacks the pre-image the mail names: git am patches the file all the same (exit 0), and apply
    # says so on stderr, naming the file and the blobs, not only as a count in the base line.
    _tree(tmp_path, [BASE_TEXT.replace("GPL-2.0 */", "GPL-2.0 */\n/* later */\n/* more */")])
    r = runner.invoke(app, ["apply", str(_mbox(tmp_path)), "--variant", "v4", "--tree", str(tmp_path / "linux"),
                            "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    notes = [ln for ln in r.stderr.splitlines() if ln.startswith("seamharness: note: ")]
    assert len(notes) == 1 and f": {OLD_HOME}: pre-image blob is " in notes[0], r.stderr
    assert notes[0].endswith("applied to it as git am applies it") or "more in provenance.json" in notes[0]
    assert "hunk" not in notes[0]  # a hunk placed with an offset (git am says nothing of it) is left to the file


def test_a_hunk_that_fails_on_another_pre_image_is_not_said_applied(tmp_path: Path) -> None:
    # The note on the other blob said "applied to it as git am applies it" right above "hunk does not apply".
    _tree(tmp_path, [BASE_TEXT.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")])
    r = runner.invoke(app, ["apply", str(_mbox(tmp_path)), "--variant", "v4", "--tree", str(tmp_path / "linux"),
                            "--base", "HEAD", "--out", str(tmp_path / "out"), "--reject"])  # every note said
    assert "hunk does not apply" in r.stderr, r.output
    assert "applied to it as git am" not in r.stderr and "tried on it as git am would" in r.stderr, r.stderr


def test_a_tie_on_blobs_goes_to_the_commit_the_hunks_apply_to(tmp_path: Path) -> None:
    # No commit has the mail's pre-image blob of OLD_HOME; every commit lacks the files the series creates, so
    # all tie on blobs. The older commit takes the hunks (only its licence line differs), the newer one not (its
    # loop changed): git am applies the series to the older, so that is the base, not the newest of the tie.
    import subprocess

    fits = BASE_TEXT.replace("GPL-2.0 */", "GPL-2.0-only */")
    broken = fits.replace("\t\tpreempt_enable();\n", "")
    repo = _tree(tmp_path, [fits, broken])
    older = repo.head.commit.parents[0].hexsha
    mbox = _mbox(tmp_path)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", variants=("v4",), jobs=1))
    v4 = ev.result.variant("v4")
    assert v4.base.startswith(f"{tmp_path / 'linux'} at {older[:12]} (best match")
    assert "0 of 1 pre-image blobs match; 2 new files absent" in v4.base
    assert not v4.base_problems and all(f.usable for f in v4.files if not f.absent)  # seamldr.c: not in the tree
    repo.git.checkout("-q", older)
    subprocess.run(["git", "-C", str(repo.working_dir), "am", "-q", "--empty=drop", str(mbox)], check=True,
                   capture_output=True)
    for f in v4.files:
        assert f.absent is not (Path(repo.working_dir) / f.path).exists(), f.path
        if not f.absent:
            assert f.text == (Path(repo.working_dir) / f.path).read_text(), f.path


def test_a_failing_hunk_makes_what_needs_it_inconclusive(tmp_path: Path) -> None:
    # The tree's copy differs inside the block patch 01 removes: that hunk cannot apply.
    _tree(tmp_path, [BASE_TEXT.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")])
    mbox = _mbox(tmp_path)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", jobs=1))
    out = ev.result.outcome("v4:01", "seamcall/TDH_SYS_INIT/success/tdx.c")
    assert out.status == "error" and not out.ran
    assert f"{OLD_HOME} is not usable: " in (out.error or "") and "hunk does not apply" in (out.error or "")
    # Why it is unusable, not the note that its pre-image is another blob (applied to as git am applies to it).
    assert "applied to it as git am applies it" not in (out.error or ""), out.error
    cmp = ev.comparison.per_patch[0]
    assert not cmp.unchanged and any(f"{OLD_HOME} is not usable" in g.reason for g in cmp.gaps)
    move = next(f for f in ev.comparison.findings if f.kind.startswith("code-move"))
    assert move.kind == "code-move-not-compared"
    g = evaluate_gate(GateRequest((mbox,), "v4", tree=tmp_path / "linux", jobs=1))
    assert g.exit_status == 1 and any("hunk does not apply" in p for p in g.base_problems)
    verdicts = {v.rule.id: v.status for v in g.verdicts}
    assert verdicts["move-preserves-behaviour"] is VerdictStatus.INCONCLUSIVE
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v4", "--tree", str(tmp_path / "linux"), "--json",
                            str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")])
    n = len(g.base_problems)
    said = "1 base problem:" if n == 1 else f"{n} base problems:"
    assert r.exit_code == 1 and said in " ".join(r.stdout.split()[:90])
    assert json.loads((tmp_path / "g.json").read_text())["base_problems"]
    assert 'name="base-problem"' in (tmp_path / "g.xml").read_text()
    # --allow-inconclusive takes back the inconclusive verdicts, not the hunk git apply refuses: it gave READY
    # and exit 0 on a series that does not apply to the tree (helper h137).
    allowed = evaluate_gate(GateRequest((mbox,), "v4", tree=tmp_path / "linux", jobs=1, allow_inconclusive=True))
    assert allowed.exit_status == 1 and "NOT READY: 1 base problem" in allowed.headline()
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v4", "--tree", str(tmp_path / "linux"),
                            "--allow-inconclusive", "--junit", str(tmp_path / "a.xml")])
    assert r.exit_code == 1, r.output
    junit = (tmp_path / "a.xml").read_text()
    assert '<testcase classname="apply" name="base">' in junit and 'type="apply"' in junit


def _manifest(tmp_path: Path, variant: str) -> Path:
    """A manifest for the generated series with one [[variant]] (its TOML lines)."""
    path = tmp_path / "manifest.toml"
    path.write_text('[series]\nname = "gen"\ntitle = "generated"\n\n[[variant]]\n'
                    + variant)
    return path


def test_a_proposal_whose_context_is_missing_is_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, [BASE_TEXT])
    msgs = moving_series(faithful=True, built=False)
    hunk = "--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n context the tree never had\n-old line\n+new line\n"
    reply = message("Re: [PATCH v4 2/2] x86/virt/seamldr: Add a P-SEAMLDR query wrapper", "rev@x",
                    "> quoted\n\nHow about:\n\n" + hunk, sender="Rita Reviewer <rita@example.org>",
                    parent="gen-2-v4@example.org", refs=("gen-cover-v4@example.org", "gen-2-v4@example.org"))
    mbox = write_mbox(tmp_path / "v4.mbox", [*msgs, reply])
    manifest = _manifest(tmp_path, 'name = "rita"\nstart = "v4"\nproposal = { msgid = "rev@x", index = 0 }\n'
                                   'msgid = "rev@x"\nauthor = "Rita Reviewer"\ndescription = "Rita\'s idea"\n')
    r = runner.invoke(app, ["eval", str(mbox), "--tree", str(tmp_path / "linux"), "--manifest", str(manifest)])
    assert r.exit_code == 0, r.output
    assert "note: variant rita skipped: it cannot be built here:" in r.stderr
    assert "v4 01/2" in r.stdout  # the rest ran


def test_apply_marks_what_did_not_apply(tmp_path: Path) -> None:
    # Without --reject a hunk that does not apply is bad input (test_badinput_outputs); --reject writes the variant
    # all the same, as git apply --reject, and exits 1.
    _tree(tmp_path, [BASE_TEXT.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")])
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(_mbox(tmp_path)), "--variant", "v4", "--tree", str(tmp_path / "linux"),
                            "--out", str(out), "--reject"])
    assert r.exit_code == 1, r.output
    lines = [ln for ln in r.stderr.splitlines() if "unusable" in ln]
    assert len(lines) == 1 and lines[0].startswith(f"seamharness: {OLD_HOME}: unusable in v4: ")
    # The failed hunk is what makes it unusable; the other pre-image is a note (git am applies to it too).
    assert "hunk does not apply" in lines[0] and "base:" in r.stderr and "best match" in r.stderr
    files = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
    assert files[OLD_HOME]["status"] == "unusable"
    note = (out / (OLD_HOME + ".rej")).read_text()
    assert note.startswith(f"# seamharness: {OLD_HOME} is NOT v4's text") and "hunk does not apply" in note
    # A clean variant of the same tree exits 0 and writes no .rej.
    r = runner.invoke(app, ["apply", str(_mbox(tmp_path)), "--variant", "v4:00", "--tree", str(tmp_path / "linux"),
                            "--out", str(tmp_path / "clean")])
    assert r.exit_code == 0 and not list((tmp_path / "clean").rglob("*.rej"))


def test_a_rej_holds_the_hunks_git_apply_rejects(tmp_path: Path) -> None:
    # The .rej beside an unusable file held only '#' lines saying why: not the hunks to apply by hand, which
    # git am --reject (git apply --reject) leaves in it. Oracle: git am --reject of the same mbox on the same base.
    import subprocess

    _tree(tmp_path, [BASE_TEXT.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")])
    out = tmp_path / "out"
    r = runner.invoke(app, ["apply", str(_mbox(tmp_path)), "--variant", "v4", "--tree", str(tmp_path / "linux"),
                            "--out", str(out), "--reject"])
    assert r.exit_code == 1, r.output
    ours = (out / (OLD_HOME + ".rej")).read_text()
    body = "".join(ln for ln in ours.splitlines(keepends=True) if not ln.startswith("# "))
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(tmp_path / "linux"), str(work)], check=True)
    git_am = ["git", "-C", str(work), "-c", "user.name=T", "-c", "user.email=t@example.org", "am"]
    subprocess.run([*git_am, "--reject", str(_mbox(tmp_path))], capture_output=True, check=False)  # the cover letter:
    am = subprocess.run([*git_am, "--skip"], capture_output=True, check=False)  # "Patch is empty"; then patch 1 on
    assert am.returncode != 0 and b"Rejected hunk" in am.stderr, am.stderr
    assert body and body == (work / (OLD_HOME + ".rej")).read_text()


LOCAL_H = "#define TDH_SYS_INIT 33\n"
SEAM_H = ("static inline int seam_err(u64 err)\n{\n\tif (err) {\n\t\tpr_err(\"fail %llu\\n\", err);\n"
          "\t\treturn -EIO;\n\t}\n\treturn 0;\n}\n")
UNIT_C = ("#include <linux/types.h>\n#include \"tdx.h\"\n{early}#define pr_fmt(fmt) \"virt/tdx: \" fmt\n{late}\n"
          "static int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn seam_err(__seamcall(fn, args))"
          "{tail};\n}}\n")
PROBE_MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n'
                '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _unit_tree(tmp_path: Path, early: str, late: str) -> tuple[Path, Path]:
    """A tree whose x/tdx.c includes two headers no patch touches, and a patch to x/tdx.c alone."""
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    old = UNIT_C.format(early=early, late=late, tail=" + 0 * TDH_SYS_INIT")
    new = UNIT_C.format(early=early, late=late, tail=" + TDH_SYS_INIT - 33")
    for path, text in (("x/tdx.h", LOCAL_H), ("x/seam.h", SEAM_H), ("x/tdx.c", old)):
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add(["x/tdx.h", "x/seam.h", "x/tdx.c"])
    repo.index.commit("base")
    body = patch_body("Use the leaf.", diff("x/tdx.c", old, new))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: use the leaf", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(PROBE_MATRIX)
    return mbox, tmp_path / "m.toml"


@pytest.mark.parametrize(("early", "late", "line"), [
    # seam.h is first included after the pr_fmt: its pr_err() has the prefix (include/linux/printk.h).
    ("", '#include "seam.h"\n', "virt/tdx: fail 7"),
    # ... before it: printk.h's default, no prefix (the later #define does not reach code already expanded).
    ('#include "seam.h"\n', "", "fail 7"),
])
def test_headers_a_unit_includes_come_from_the_tree(tmp_path: Path, early: str, late: str, line: str) -> None:
    mbox, matrix = _unit_tree(tmp_path, early, late)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=matrix, jobs=1))
    v = ev.result.variant("v1")
    tdx_h = next(f for f in v.files if f.path == "x/tdx.h")
    assert tdx_h.provenance[-1] == '#include "tdx.h" in x/tdx.c'
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert out.status == "ok" and out.ret == -5 and [x.text for x in out.log] == [line], out.error
    # From mail alone the headers are not known: said, never guessed.
    ev = evaluate(EvalRequest((mbox,), matrix=matrix, jobs=1))
    assert ev.result.outcome("v1", "probe/ONE/bad/tdx.c").status == "error"


def test_a_variant_patch_file_that_does_not_apply_is_skipped(tmp_path: Path) -> None:
    # The patch's context is in the file, but not the line it removes: git apply refuses it, and the variant
    # is skipped with why (not built with an unusable file and reported as "nothing compared").
    _tree(tmp_path, [BASE_TEXT])
    mbox = write_mbox(tmp_path / "v4.mbox", moving_series(faithful=True, built=False))
    (tmp_path / "bad.patch").write_text(
        "A variant of ours.\n---\n--- a/arch/x86/virt/vmx/tdx/seamldr_ops.c\n"
        "+++ b/arch/x86/virt/vmx/tdx/seamldr_ops.c\n"
        "@@ -4,3 +4,3 @@\n {\n-\tno such line here;\n+\tanother;\n }\n")
    manifest = _manifest(tmp_path, 'name = "ours"\nstart = "v4"\npatches = ["bad.patch"]\n'
                                   'msgid = "gen-2-v4@example.org"\nauthor = "Us"\ndescription = "fails"\n')
    r = runner.invoke(app, ["eval", str(mbox), "--tree", str(tmp_path / "linux"), "--manifest", str(manifest)])
    assert r.exit_code == 0, r.output
    assert "note: variant ours skipped: it cannot be built here:" in r.stderr and "does not apply" in r.stderr
    r = runner.invoke(app, ["eval", str(mbox), "--tree", str(tmp_path / "linux"), "--manifest", str(manifest),
                            "--variant", "ours"])
    assert r.exit_code == 2 and "variant ours cannot be built" in r.output and "Traceback" not in r.output


def test_a_header_only_patch_runs_the_unit_that_uses_it_from_the_tree(tmp_path: Path) -> None:
    # The patch touches demo.h alone; demo.c, the matrix's translation unit, is read from the tree in
    # every state, so its demo_prerr() runs and shows what the new constant changes.
    from tests.harness.variantgen import MATRIX

    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    header = "#define DEMO_BUSY 0x8000000000000010ULL\n"
    unit = ('#include "demo.h"\n\nint demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n'
            "\tu64 r = __seamcall(fn, args);\n\n\tif (r == DEMO_BUSY)\n\t\treturn -16;\n\treturn r ? -5 : 0;\n}\n")
    (tmp_path / "linux" / "demo").mkdir()
    (tmp_path / "linux" / "demo" / "demo.h").write_text(header)
    (tmp_path / "linux" / "demo" / "demo.c").write_text(unit)
    repo.index.add(["demo/demo.h", "demo/demo.c"])
    repo.index.commit("base")
    new = header.replace("0010ULL", "0011ULL")
    body = patch_body("No functional change.", diff("demo/demo.h", header, new))
    mbox = write_mbox(tmp_path / "h.mbox", [message("[PATCH] demo: renumber busy", "h1@x", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    cmp = ev.comparison.per_patch[0]
    assert cmp.compared > 0 and cmp.changed, cmp.summary()
    assert "return -EBUSY -> -EIO" in " ".join(cmp.summary())
    unit_state = ev.result.variant("v1").file("demo/demo.c")
    assert unit_state is not None and "a translation unit of the matrix" in unit_state.provenance[-1]


LDR_H = SEAM_H + "\n#define seamldr_prerr(fn, args) seam_err(__seamcall(fn, args))\n"
LDR_C = '#define pr_fmt(fmt) "seamldr: " fmt\n#include "seam.h"\n\nint seamldr_init(void)\n{\n\treturn 0;\n}\n'
LDR_MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n'
              '[[unit]]\nname = "seamldr.c"\npath = "x/seamldr.c"\n[[entry]]\nname = "probe"\nunits = ["tdx.c"]\n'
              '[[entry]]\nname = "seamldr_prerr"\nunits = ["seamldr.c"]\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def test_a_unit_the_tree_lacks_is_not_provided_until_the_patch_creating_it(tmp_path: Path) -> None:
    # seamldr_prerr() lives in a header the tree has; its unit x/seamldr.c is created by patch 2 with a pr_fmt of
    # its own. Before that patch there is no unit to build it in: not provided (was run with no prefix, and patch
    # 2 then said "log: text added 'seamldr: '"), and patch 2 adds it.
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    tdx_c = UNIT_C.format(early='#include "seam.h"\n', late="", tail="")
    makefile = "obj-y += tdx.o\n"
    for path, text in (("x/tdx.h", LOCAL_H), ("x/seam.h", LDR_H), ("x/tdx.c", tdx_c), ("x/Makefile", makefile)):
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add(["x/tdx.h", "x/seam.h", "x/tdx.c", "x/Makefile"])
    repo.index.commit("base")
    busy = LDR_H.replace("return -EIO", "return -EBUSY")
    add = diff("x/seamldr.c", None, LDR_C) + diff("x/Makefile", makefile, makefile + "obj-y += seamldr.o\n")  # built
    msgs = [message("[PATCH 1/2] x: busy", "u1@x", patch_body("Busy.", diff("x/seam.h", LDR_H, busy))),
            message("[PATCH 2/2] x: add seamldr.c", "u2@x", patch_body("Add.", add), parent="u1@x", refs=("u1@x",))]
    mbox = write_mbox(tmp_path / "u.mbox", msgs)
    (tmp_path / "m.toml").write_text(LDR_MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    for v in ("v1:00", "v1:01"):
        assert ev.result.outcome(v, "seamldr_prerr/ONE/bad/seamldr.c").status == "not-provided"
        assert ev.result.outcome(v, "probe/ONE/bad/tdx.c").status == "ok"
    out = ev.result.outcome("v1:02", "seamldr_prerr/ONE/bad/seamldr.c")
    assert out.status == "ok" and [x.text for x in out.log] == ["seamldr: fail 7"], out.error
    first, second = (" ".join(c.summary()) for c in ev.comparison.per_patch)
    assert "probe: 1 scenario differ" in first
    assert "seamldr_prerr() runs in x/seamldr.c, which neither v1:00 nor v1:01 has (not in " in first
    assert "seamldr_prerr() is new: this patch creates x/seamldr.c, its unit" in second
    assert "text added" not in second
