"""A reply's diff becomes a reviewer variant of its own, as git am and git apply make it.

A reply's diff becomes a reviewer variant of its own, with no manifest: on top of the patch it answers, or in its
place; its files are what git am of the patches and git apply of the diff make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.apply import ApplyRequest, apply_variants
from harness.cli import app
from harness.pipeline import EvalRequest, SeriesRequest, evaluate, read_inputs
from harness.replyvariants import reply_specs
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V0,
    HELPER_V1,
    HELPER_V2,
    demo_series,
    diff,
    message,
    patch_body,
    write_eml,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
runner = CliRunner()
P2 = "Re: [PATCH v2 2/3] demo: print fn in decimal"
REFS = ("cover-v2@example.org", "p2-v2@example.org")
ON_TOP = diff(HELPER_PATH, HELPER_V1, HELPER_V2)  # applies on 2/3's result
IN_PLACE = diff(HELPER_PATH, HELPER_V0, HELPER_V2)  # applies only on the state before 2/3
NOWHERE = ON_TOP.replace("-\tint tries = 3;", "-\tint tries = 4;")


def _thread(folder: Path, replies: list[tuple[str, str, str]]) -> Path:
    folder.mkdir()
    mails = [*demo_series(), *(message(P2, msgid, f"How about:\n\n{text}\n", sender=sender, parent=REFS[1], refs=REFS)
                               for msgid, sender, text in replies)]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    return folder


def _git_state(tmp: Path, upto: str, proposal: str) -> str:
    """The helper as git makes it: the patches' texts committed (1/3 creates it), then git apply of the diff."""
    repo = init_repo(tmp / f"repo{len(list(tmp.glob('repo*')))}", {HELPER_PATH: upto})
    (repo.parent / "p.diff").write_text(proposal)
    git(repo, "apply", str(repo.parent / "p.diff"))
    return (repo / HELPER_PATH).read_text()


def test_a_reply_diff_is_a_variant_on_top_or_in_place_of_the_patch(tmp_path: Path) -> None:
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP),
                                       ("r2@x", "Jörg Rödel <joro@example.org>", IN_PLACE),
                                       ("r3@x", "Nora Nowhere <nora@example.org>", NOWHERE)])
    series = read_inputs(SeriesRequest((folder,)))
    specs = {s.name: s for s in reply_specs(series)}
    assert set(specs) == {"v2:02+rita-reviewer", "v2:02~jorg-rodel"}  # the diff that applies nowhere: a note only
    assert specs["v2:02~jorg-rodel"].drop == (2,) and specs["v2:02+rita-reviewer"].drop == ()
    built = apply_variants(ApplyRequest(series, None, None, None, tuple(specs)))
    for name, upto, proposal in (("v2:02+rita-reviewer", HELPER_V1, ON_TOP), ("v2:02~jorg-rodel", HELPER_V0, IN_PLACE)):
        f = built.get(name).file(HELPER_PATH)
        assert f is not None and f.complete and f.text == _git_state(tmp_path, upto, proposal), name
    assert _variant_lines(folder) == ["v2:00 v2:01 v2:02 v2:03 v2 (base is v2:00)", "v2:02+rita-reviewer",
                                     "v2:02~jorg-rodel"]


def test_eval_compares_a_reply_diff_with_the_patch_it_answers(tmp_path: Path) -> None:
    folder = _thread(tmp_path / "in", [("r2@x", "Jörg Rödel <joro@example.org>", IN_PLACE)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", jobs=1))
    [cmp] = [c for c in ev.comparison.across if c.view == "proposal"]
    assert (cmp.a, cmp.b) == ("v2:02", "v2:02~jorg-rodel") and cmp.msgid == "r2@x"
    assert ev.result.variant("v2:02~jorg-rodel").description == \
        "the diff of Jörg Rödel <r2@x> in place of v2 02/3 (drops 02)"


def test_a_sender_without_a_name_is_named_by_the_address(tmp_path: Path) -> None:
    folder = _thread(tmp_path / "in", [("r1@x", "<anon@example.org>", ON_TOP)])
    assert [s.name for s in reply_specs(read_inputs(SeriesRequest((folder,))))] == ["v2:02+anon"]


def test_a_diff_a_manifest_variant_builds_from_is_not_made_twice_and_names_stay_apart(tmp_path: Path) -> None:
    # Three different diffs (the same one twice is one variant: below).
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP),
                                       ("r4@x", "Rita Reviewer <rita@example.org>", ON_TOP.replace("= 5;", "= 6;")),
                                       ("r5@x", "李 雷 <li@example.org>", ON_TOP.replace("= 5;", "= 7;"))])
    (tmp_path / "manifest.toml").write_text(
        '[series]\nname = "demo"\nmsgids = ["cover-v2@example.org"]\n\n[[variant]]\nname = "rita"\nstart = "v2:02"\n'
        'proposal = { msgid = "r1@x", index = 0 }\nmsgid = "r1@x"\nauthor = "Rita Reviewer"\ndescription = "r"\n')
    lines = _variant_lines(folder, "--manifest", str(tmp_path / "manifest.toml"))
    assert lines[1:] == ["rita", "v2:02+rita-reviewer", "v2:02+li"]  # r1@x is the manifest's rita; 李 雷: the address
    assert _variant_lines(folder)[1:] == ["v2:02+rita-reviewer", "v2:02+rita-reviewer.2", "v2:02+li"]


def _variant_lines(folder: Path, *more: str) -> list[str]:
    r = runner.invoke(app, ["series", str(folder), *more])
    assert r.exit_code == 0, r.output
    tail = r.stdout.split("variants\n", 1)[1]
    return [line.split("── ", 1)[1] for line in tail.splitlines()]


def test_a_reviewers_diff_to_the_corpus_patch_is_run_and_judged(corpus: Path, tmp_path: Path) -> None:
    # A reply (written here) to v3 06/26 with a diff on its result that drops unlikely(): a variant with no
    # manifest entry, compared with v3:06 (unlikely() changes nothing that runs) and judged by the series' rules.
    folder = tmp_path / "in"
    folder.mkdir()
    for eml in (*(corpus / "v3").glob("*.eml"), *(corpus / "v3-review").glob("*.eml")):
        shutil.copy(eml, folder / eml.name)
    patch6 = read_inputs(SeriesRequest((folder,))).revision(3).patch(6)  # type: ignore[union-attr]
    assert patch6 is not None
    hunk = ("--- a/arch/x86/virt/vmx/tdx/seamcall.h\n+++ b/arch/x86/virt/vmx/tdx/seamcall.h\n"
            "@@ -50,7 +50,7 @@ static __always_inline u64 sc_retry(sc_func_t func, u64 fn,\n"
            " \tint retry = RDRAND_RETRY_LOOPS;\n \tu64 ret;\n \n-\tif (unlikely(is_seamldr_call(fn)))\n"
            "+\tif (is_seamldr_call(fn))\n \t\tretry_code = SEAMLDR_RND_NO_ENTROPY;\n \n \tdo {\n")
    path = "arch/x86/virt/vmx/tdx/seamcall.h"
    text = f"No need for unlikely():\n\ndiff --git a/{path} b/{path}\n"
    write_eml(folder / "zz.eml", message(f"Re: {patch6.mail.subject.raw}", "rae-1@example.org", text + hunk,
                                         sender="Rae Viewer <rae@example.org>", parent=patch6.mail.msgid,
                                         refs=(patch6.mail.msgid,)))
    ev = evaluate(EvalRequest((folder,), variants=("v3:05", "v3:06", "v3:06+rae-viewer"), jobs=1))
    [cmp] = [c for c in ev.comparison.across if c.view == "proposal"]
    assert (cmp.a, cmp.b, cmp.changed) == ("v3:06", "v3:06+rae-viewer", False) and 0 < cmp.compared <= cmp.total
    assert ev.judgement is not None
    verdicts = {row.rule.id: row.verdicts["v3:06+rae-viewer"].status for row in ev.judgement.rows}
    assert verdicts["no-unlikely-in-sc-retry"] == "pass" and verdicts["retry-code-chosen-in-one-place"] == "fail"


def test_reply_diffs_past_the_cap_are_said_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import harness.proposalfit

    monkeypatch.setattr(harness.proposalfit, "MAX_REPLY_VARIANTS", 1)
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP),
                                       ("r2@x", "Jörg Rödel <joro@example.org>", IN_PLACE)])
    series = read_inputs(SeriesRequest((folder,)))
    assert [s.name for s in reply_specs(series)] == ["v2:02+rita-reviewer"]
    [note] = [n for n in series.notes if "past the first 1" in n.reason]
    assert note.where.path == str(folder / "5.eml") and note.reason.startswith(
        "a reply diff past the first 1 that apply: no variant (name")


MAKEFILE = "obj-y += demo.o\nobj-y += helper.o\n"


def test_a_file_only_the_reply_diff_touches_is_the_trees_whole_file(tmp_path: Path) -> None:
    # The Makefile no patch touches (and, in place of 2/3, the helper only the dropped patch touched before 1/3's
    # state): with a tree, the variant has git's whole file, not fragments of the diff's lines.
    make = diff("drivers/demo/Makefile", MAKEFILE, MAKEFILE.replace("helper.o", "helper2.o"))
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP + make),
                                       ("r2@x", "Jörg Rödel <joro@example.org>", IN_PLACE + make)])
    tree = init_repo(tmp_path / "tree", {"drivers/demo/Makefile": MAKEFILE})
    series = read_inputs(SeriesRequest((folder,)))
    names = ("v2:02+rita-reviewer", "v2:02~jorg-rodel")
    built = apply_variants(ApplyRequest(series, tree, "HEAD", None, names))
    for name, upto, proposal in zip(names, (HELPER_V1, HELPER_V0), (ON_TOP, IN_PLACE), strict=True):
        repo = init_repo(tmp_path / f"git-{name[-4:]}", {HELPER_PATH: upto, "drivers/demo/Makefile": MAKEFILE})
        (tmp_path / "p.diff").write_text(proposal + make)
        git(repo, "apply", str(tmp_path / "p.diff"))
        for path in (HELPER_PATH, "drivers/demo/Makefile"):
            f = built.get(name).file(path)
            assert f is not None and f.complete and f.text == (repo / path).read_text(), (name, path)


def test_a_diff_whose_mailer_turned_tabs_to_spaces_is_no_variant_from_mail_alone(tmp_path: Path) -> None:
    # The patch changes a file it does not create, so from mail alone its lines are fragments: git apply refuses
    # the reply's re-spaced context all the same (the patch's lines hold tabs), and so must the variant.
    folder = tmp_path / "in"
    folder.mkdir()
    one = "[PATCH] demo: try five times"
    write_eml(folder / "0.eml", message(one, "p1@x", patch_body("Five.", ON_TOP)))
    damaged = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("DEMO_BUSY &&", "DEMO_BUSY && fn &&"))
    damaged = damaged.replace("\t", "    ")
    write_eml(folder / "1.eml", message(f"Re: {one}", "r1@x", f"Try:\n\n{damaged}", sender="Out Look <ol@example.org>",
                                        parent="p1@x", refs=("p1@x",)))
    repo = init_repo(tmp_path / "git", {HELPER_PATH: HELPER_V2})
    (tmp_path / "p.diff").write_text(damaged)
    assert git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False).returncode != 0
    series = read_inputs(SeriesRequest((folder,)))
    assert reply_specs(series) == ()
    [note] = [n for n in series.notes if "Out Look" in n.reason]
    assert "does not apply to v1 01/1 (nor before it)" in note.reason and "context differs" in note.reason


def test_a_counter_proposal_on_top_of_the_diff_it_answers_is_built_on_that_variant(tmp_path: Path) -> None:
    # Bob answers Rita's diff with one written on her result: git apply takes it only after hers, so it is built on
    # her variant (v2:02, her diff, then his). Before: only said ('applies ... only on top of the diffs before it').
    counter = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("tries = 5", "tries = 6"))
    folder = tmp_path / "in"
    folder.mkdir()
    mails = [*demo_series(), message(P2, "r1@x", f"How about:\n\n{ON_TOP}", sender="Rita Reviewer <rita@example.org>",
                                     parent=REFS[1], refs=REFS),
             message(P2, "r2@x", f"On top of yours:\n\n{counter}", sender="Bob Builder <bob@example.org>",
                     parent="r1@x", refs=(*REFS, "r1@x"))]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    repo = init_repo(tmp_path / "git", {HELPER_PATH: HELPER_V1})
    for text in (ON_TOP, counter):
        (tmp_path / "p.diff").write_text(text)
        git(repo, "apply", str(tmp_path / "p.diff"))  # the counter applies on top of Rita's diff
    series = read_inputs(SeriesRequest((folder,)))
    specs = {s.name: s for s in reply_specs(series)}
    assert list(specs) == ["v2:02+rita-reviewer", "v2:02+bob-builder"] and series.notes == ()
    assert specs["v2:02+bob-builder"].description == \
        "the diff of Bob Builder <r2@x> on top of that of <r1@x> on top of v2 02/3"
    f = apply_variants(ApplyRequest(series, None, None, None, ("v2:02+bob-builder",))).get("v2:02+bob-builder") \
        .file(HELPER_PATH)
    assert f is not None and f.text == (repo / HELPER_PATH).read_text()


def test_a_diff_edited_by_hand_after_git_made_it_is_on_top_as_git_apply_takes_it(tmp_path: Path) -> None:
    # The reviewer changed a '+' line in the mailer: the index line's post-image blob is stale, which git apply
    # never checks. The diff is on top of 2/3 (not in its place, where only the pre-image blob would differ).
    edited = ON_TOP.replace("+\tint tries = 5;", "+\tint tries = 6;")
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", edited)])
    series = read_inputs(SeriesRequest((folder,)))
    [spec] = reply_specs(series)
    assert (spec.name, spec.drop) == ("v2:02+rita-reviewer", ())
    built = apply_variants(ApplyRequest(series, None, None, None, (spec.name,)))
    f = built.get(spec.name).file(HELPER_PATH)
    assert f is not None and f.complete and f.usable and f.text == _git_state(tmp_path, HELPER_V1, edited)


def test_a_reply_diff_to_code_no_entry_point_reaches_is_no_behaviour_change_never(tmp_path: Path) -> None:
    # Every scenario runs on both sides, but the reply changes a helper nothing calls: said as a patch's is.
    from tests.harness.test_linecover import BEFORE

    before = BEFORE + "\nstatic inline int demo_unused(u64 fn)\n{\n\treturn 1;\n}\n"
    after = before.replace("/* done */", "/* finished */")
    proposal = diff("demo/h.h", after, after.replace("return 1;", "return 2;"))
    title = "[PATCH 2/2] demo: rework"
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate([
            message("[PATCH 1/2] demo: add helpers", "l1@x", patch_body("Add.", diff("demo/h.h", None, before))),
            message(title, "l2@x", patch_body("Rework.", diff("demo/h.h", before, after))),
            message(f"Re: {title}", "r1@x", f"How about:\n\n{proposal}",
                    sender="Rita Reviewer <rita@example.org>", parent="l2@x", refs=("l2@x",))]):
        write_eml(folder / f"{i}.eml", m)
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", cache=None, jobs=1))
    [cmp] = [c for c in ev.comparison.across if c.view == "proposal"]
    assert cmp.compared == cmp.total and not cmp.changed and not cmp.unchanged
    assert cmp.unreached == ("demo_unused() (demo/h.h:30)",)
    assert cmp.verdict() == ("no behaviour change in the 8 of 8 scenarios that ran on both sides, but the proposal "
                             "also changes code no entry point reaches")


@pytest.mark.parametrize(("sender", "who"), [("Tre E <tre@example.org>", "tre-e"),
                                             ("李 雷 <li@example.org>", "li"), ("tre@example.org", "tre")])
def test_a_reply_diff_the_trees_file_refuses_is_named_with_why_when_asked_for(tmp_path: Path, sender: str,
                                                                              who: str) -> None:
    # From mail alone the last lines of the header are unknown, so `series` lists the diff's variant; the tree's
    # file refuses its context (git apply does too), and asking for it says why, not only 'no variant'. A name
    # made of the address (no ASCII letter in the name, or no name) was said no why: the note was read by its
    # words, which named the sender, not the variant's part of it.
    folder = tmp_path / "in"
    folder.mkdir()
    one = "[PATCH] demo: try five times"
    write_eml(folder / "0.eml", message(one, "p1@x", patch_body("Five.", ON_TOP)))
    wrong = diff(HELPER_PATH, HELPER_V2.replace("#endif", "#endif /* DEMO */"),
                 HELPER_V2.replace("#endif", "#endif /* DEMO */\n/* more */"))
    write_eml(folder / "1.eml", message(f"Re: {one}", "r1@x", f"Try:\n\n{wrong}", sender=sender,
                                        parent="p1@x", refs=("p1@x",)))
    tree = init_repo(tmp_path / "tree", {HELPER_PATH: HELPER_V1})
    (tmp_path / "p.diff").write_text(ON_TOP)
    git(tree, "apply", str(tmp_path / "p.diff"))
    (tmp_path / "w.diff").write_text(wrong)
    assert git(tree, "apply", "--check", str(tmp_path / "w.diff"), check=False).returncode != 0
    git(tree, "checkout", "--", ".")
    assert _variant_lines(folder)[-1] == f"v1:01+{who}"
    r = runner.invoke(app, ["apply", str(folder), "--variant", f"v1:01+{who}", "--tree", str(tree), "--base", "HEAD",
                            "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and not (tmp_path / "out").exists()
    assert f"no variant 'v1:01+{who}'; diff in the reply of " in " ".join(r.output.split())
    assert f"<r1@x> does not apply to v1 01/1 (nor before it): {HELPER_PATH} @@ " in " ".join(r.output.split())


def test_a_diff_no_patch_state_is_tried_for_is_said(tmp_path: Path) -> None:
    # Below the cover letter (it answers no one patch) and below 2/3 when 1/3 is not in the input: no variant,
    # and a note says why, as for every other reply diff that is none.
    folder = tmp_path / "in"
    folder.mkdir()
    mails = [m for m in demo_series() if m["Message-ID"] != "<p1-v2@example.org>"]
    mails += [message("Re: [PATCH v2 0/3] demo: helper rework", "c1@x", f"For 2/3:\n\n{ON_TOP}",
                      sender="Cov Er <cov@example.org>", parent=REFS[0], refs=REFS[:1]),
              message(P2, "r1@x", f"How about:\n\n{ON_TOP}", sender="Rita Reviewer <rita@example.org>",
                      parent=REFS[1], refs=REFS)]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    series = read_inputs(SeriesRequest((folder,)))
    assert reply_specs(series) == ()
    said = sorted(n.reason for n in series.notes if n.reason.startswith("diff in the reply"))
    assert said == [
        "diff in the reply of Cov Er <c1@x> to the cover letter is tried on no state (it answers no one patch; v2 "
        "patch 1 (of 3) not in the input, so not on the last patch): no variant (a manifest variant names its start)",
        "diff in the reply of Rita Reviewer <r1@x> to v2 02/3 is tried on no state (v2 patch 1 (of 3) not in the "
        "input): no variant (a manifest variant names its start)"]


def test_the_same_diff_posted_twice_is_one_variant_and_said(tmp_path: Path) -> None:
    # Resent by its author, then posted again by another reviewer in a second mail holding it twice: one variant,
    # of the first; each copy says whose it is (each would run the whole matrix to the same end).
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP),
                                       ("r2@x", "Rita Reviewer <rita@example.org>", ON_TOP),
                                       ("r3@x", "Bob Builder <bob@example.org>", f"{ON_TOP}\nAgain:\n\n{ON_TOP}")])
    series = read_inputs(SeriesRequest((folder,)))
    assert [s.name for s in reply_specs(series)] == ["v2:02+rita-reviewer"]
    said = [n.reason for n in series.notes if n.reason.startswith("diff in the reply")]
    assert said == [f"diff in the reply of {who} is the one Rita Reviewer <r1@x> posted for v2 02/3: one variant, "
                    "of the first" for who in ("Rita Reviewer <r2@x>", "Bob Builder <r3@x>", "Bob Builder <r3@x>")]


def test_a_reviewers_own_series_in_the_thread_is_read_in_its_order(tmp_path: Path) -> None:
    # Pat sends [PATCH 0/2] below 2/3, then 1/2 and 2/2 below that 0/2; git am of Pat's series applies 1/2 first,
    # so 2/2 applies on top of it: a variant built on 1/2's, not 'does not apply'.
    second = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("tries = 5", "tries = 6"))
    folder = tmp_path / "in"
    folder.mkdir()
    pat = "Pat Sender <pat@example.org>"
    mails = [*demo_series(), message("[PATCH 0/2] demo: another take", "rp0@x", "Take.\n", sender=pat,
                                     parent=REFS[1], refs=REFS)]
    mails += [message(f"[PATCH {n}/2] demo: step {n}", f"rp{n}@x", patch_body(f"Step {n}.", text), sender=pat,
                      parent="rp0@x", refs=(*REFS, "rp0@x")) for n, text in ((1, ON_TOP), (2, second))]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    repo = init_repo(tmp_path / "git", {HELPER_PATH: HELPER_V1})
    for text in (ON_TOP, second):
        (tmp_path / "p.diff").write_text(text)
        git(repo, "apply", str(tmp_path / "p.diff"))  # Pat's 2/2 applies after 1/2
    series = read_inputs(SeriesRequest((folder,)))
    specs = {s.name: s for s in reply_specs(series)}
    assert list(specs) == ["v2:02+pat-sender", "v2:02+pat-sender.2"] and series.notes == ()
    assert specs["v2:02+pat-sender.2"].description == \
        "the diff of Pat Sender <rp2@x> on top of that of <rp1@x> on top of v2 02/3"
    f = apply_variants(ApplyRequest(series, None, None, None, ("v2:02+pat-sender.2",))).get("v2:02+pat-sender.2") \
        .file(HELPER_PATH)
    assert f is not None and f.text == (repo / HELPER_PATH).read_text()


def test_a_diff_creating_a_file_in_place_of_the_patch_that_creates_it_builds_from_mail_alone(tmp_path: Path) -> None:
    # In place of 1/3 (which creates the helper): 2/3's and 3/3's hunks to the helper must not make it known before
    # 1/3; git apply creates it on the empty state.
    instead = diff(HELPER_PATH, None, HELPER_V2)
    folder = tmp_path / "in"
    folder.mkdir()
    p1 = "Re: [PATCH v2 1/3] demo: add helper"
    mails = [*demo_series(), message(p1, "r1@x", f"Instead:\n\n{instead}", sender="Ina Stead <ina@example.org>",
                                     parent="p1-v2@example.org", refs=(REFS[0], "p1-v2@example.org"))]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    series = read_inputs(SeriesRequest((folder,)))
    [spec] = reply_specs(series)
    assert (spec.name, spec.drop) == ("v2:01~ina-stead", (1,))
    repo = init_repo(tmp_path / "git")
    (tmp_path / "p.diff").write_text(instead)
    git(repo, "apply", str(tmp_path / "p.diff"))
    f = apply_variants(ApplyRequest(series, None, None, None, (spec.name,))).get(spec.name).file(HELPER_PATH)
    assert f is not None and f.complete and f.text == (repo / HELPER_PATH).read_text()


def test_a_reply_diff_whose_changed_code_never_ran_says_the_proposal_not_the_patch(tmp_path: Path) -> None:
    # demo_retry() cannot run from mail alone (demo_call() is nowhere), nor anything of helper.h, which no file of the
    # mail includes (compiled by no build: its wrappers not run, h662): never said the same, the changed code named.
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", cache=None, jobs=1))
    [cmp] = [c for c in ev.comparison.across if c.view == "proposal"]
    assert cmp.not_run and not cmp.unchanged and cmp.verdict() == "nothing compared: no scenario ran on both sides"
    assert any(u.startswith("demo_retry() ") for u in cmp.not_run), cmp.not_run


def test_a_revision_that_changes_only_code_no_entry_point_reaches_is_no_behaviour_change_never(tmp_path: Path) -> None:
    # v3 differs from v2 only in a helper nothing calls: every scenario ran on both sides and nothing differs,
    # yet "v2 -> v3" is not "no behaviour change" (as a patch or a proposal making that change is not).
    from tests.harness.test_linecover import BEFORE

    v2 = BEFORE + "\nstatic inline int demo_unused(u64 fn)\n{\n\treturn 1;\n}\n"
    v3 = v2.replace("return 1;", "return 2;")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (version, text) in enumerate((("v2", v2), ("v3", v3))):
        write_eml(folder / f"{i}.eml", message(f"[PATCH {version}] demo: add helpers", f"{version}@x",
                                               patch_body("Add.", diff("demo/h.h", None, text))))
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", cache=None, jobs=1, variants=("v2", "v3")))
    [cmp] = [c for c in ev.comparison.across if c.view == "revision"]
    assert (cmp.a, cmp.b) == ("v2", "v3") and cmp.compared == cmp.total and not cmp.changed
    assert cmp.unreached == ("demo_unused() (demo/h.h:30)",) and not cmp.unchanged
    assert cmp.verdict() == ("no behaviour change in the 8 of 8 scenarios that ran on both sides, but the revision "
                             "also changes code no entry point reaches")


@pytest.mark.parametrize(("sender", "who"), [("Łucja Nowak <lucja@example.pl>", "lucja-nowak"),
                                             ("Jörg Śmiałek <js@example.de>", "jorg-smialek"),
                                             ("Bjørn Ødegård <bo@example.no>", "bjorn-odegard"),
                                             ("Đorđe Þórsson <dt@example.rs>", "dorde-thorsson")])
def test_a_letter_nfkd_keeps_whole_is_spelt_in_ascii_in_the_variant_name(tmp_path: Path, sender: str,
                                                                         who: str) -> None:
    # NFKD takes the marks off ö and Ś, but ł, ø, đ, þ are letters of their own that it leaves whole, and the
    # ASCII encoding then dropped them: 'Łucja Nowak' was the variant 'ucja-nowak', 'Śmiałek' 'smiaek'.
    folder = tmp_path / "in"
    folder.mkdir()
    one = "[PATCH] demo: try five times"
    write_eml(folder / "0.eml", message(one, "p1@x", patch_body("Five.", ON_TOP)))
    write_eml(folder / "1.eml", message(f"Re: {one}", "r1@x", f"Try:\n\n{ON_TOP.replace('= 5;', '= 7;')}",
                                        sender=sender, parent="p1@x", refs=("p1@x",)))
    assert _variant_lines(folder)[-1].endswith(f"+{who}") or _variant_lines(folder)[-1].endswith(f"~{who}")


@pytest.mark.parametrize("between", ["\n", "", "\nOr, in its place:\n\n"])
def test_two_diffs_of_one_file_in_one_reply_are_two_variants(tmp_path: Path, between: str) -> None:
    # Before: pasted one below the other (a blank line or none between), both were read as one diff, which git apply
    # takes on no state (the second on the first's result), and no variant was made: both proposals were lost.
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP + between + IN_PLACE)])
    series = read_inputs(SeriesRequest((folder,)))
    specs = {s.name: s for s in reply_specs(series)}
    assert {n: (s.proposal.index if s.proposal else None) for n, s in specs.items()} == {
        "v2:02+rita-reviewer": 0, "v2:02~rita-reviewer": 1}
    built = apply_variants(ApplyRequest(series, None, None, None, tuple(specs)))
    for name, upto, proposal in (("v2:02+rita-reviewer", HELPER_V1, ON_TOP),
                                 ("v2:02~rita-reviewer", HELPER_V0, IN_PLACE)):
        f = built.get(name).file(HELPER_PATH)
        assert f is not None and f.complete and f.text == _git_state(tmp_path, upto, proposal), name
    assert _variant_lines(folder)[1:] == ["v2:02+rita-reviewer", "v2:02~rita-reviewer"]
