"""A reply's diff that git apply refuses on the patch it answers (and before it) is said, not silently unused."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from harness.pipeline import SeriesRequest, read_inputs
from tests.gitoracle import git, init_repo
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
    write_mbox,
)

runner = CliRunner()


def _write(folder: Path, proposal: str) -> Path:
    folder.mkdir()
    r = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@x", f"Try this:\n\n{proposal}\nThanks.\n",
                sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                refs=("cover-v2@example.org", "p2-v2@example.org"))
    for i, m in enumerate([*demo_series(), r]):
        write_eml(folder / f"{i}.eml", m)
    return folder / "4.eml"


def _applies(tmp_path: Path, text: str, on: str) -> bool:
    """git apply --check (the oracle) of the diff on the helper as ``on``."""
    repo = init_repo(tmp_path / f"repo{len(list(tmp_path.glob('repo*')))}", {HELPER_PATH: on})
    (repo.parent / "p.diff").write_text(text)
    return git(repo, "apply", "--check", str(repo.parent / "p.diff"), check=False).returncode == 0


def _notes(folder: Path) -> tuple[list[dict[str, object]], str, str]:
    r = runner.invoke(app, ["series", str(folder), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["notes"], r.stderr, r.stdout


def test_diff_that_does_not_apply_is_said(tmp_path: Path) -> None:
    bad = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace("-\tint tries = 3;", "-\tint tries = 4;")
    assert not _applies(tmp_path, bad, HELPER_V1) and not _applies(tmp_path, bad, HELPER_V0)
    mail = _write(tmp_path / "in", bad)
    notes, stderr, _ = _notes(tmp_path / "in")
    (note,) = notes
    line = mail.read_text().splitlines().index(bad.splitlines()[0]) + 1
    assert (note["path"], note["line"]) == (str(mail), line)
    assert "<r1@x> does not apply to v2 02/3 (nor before it): drivers/demo/helper.h @@" in str(note["reason"])
    assert f"seamharness: note: {mail}:{line}: diff in the reply of Rita Reviewer <r1@x> does not apply" in stderr


def test_diff_that_applies_after_or_before_is_no_note(tmp_path: Path) -> None:
    after = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    before = diff(HELPER_PATH, HELPER_V0, HELPER_V0.replace("int tries = 3;", "int tries = 4;"))
    for n, text in enumerate((after, before)):
        assert _applies(tmp_path, text, HELPER_V1) or _applies(tmp_path, text, HELPER_V0)
        notes, stderr, out = _notes(_write(tmp_path / f"in{n}", text).parent)
        (reply,) = json.loads(out)["revisions"][0]["patches"][1]["replies"]
        assert notes == [] and stderr == "" and len(reply["proposals"]) == 1


def _thread(folder: Path, replies: list[tuple[str, str, str]]) -> list[Path]:
    """The demo series and replies (msgid, parent msgid, body) below its patch 2, one .eml each; their paths."""
    folder.mkdir()
    refs = ("cover-v2@example.org", "p2-v2@example.org")
    msgs = [message("Re: [PATCH v2 2/3] demo: print fn in decimal", mid, body, parent=parent,
                    sender=f"Rita Reviewer{n} <rita{n}@example.org>", refs=(*refs, parent)[: 2 + (n > 0)])
            for n, (mid, parent, body) in enumerate(replies)]
    return [write_eml(folder / f"{i}.eml", m) for i, m in enumerate([*demo_series(), *msgs])][4:]


def test_a_diff_in_a_reply_to_a_reply_is_judged_too(tmp_path: Path) -> None:
    # A counter-proposal below a review reply that holds no diff: refused on 02's result and before it.
    bad = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace("-\tint tries = 3;", "-\tint tries = 4;")
    assert not _applies(tmp_path, bad, HELPER_V1) and not _applies(tmp_path, bad, HELPER_V0)
    mails = _thread(tmp_path / "in", [("r1@x", "p2-v2@example.org", "Why decimal?\n"),
                                      ("r2@x", "r1@x", f"Rather:\n\n{bad}\nThanks.\n")])
    notes, _, _ = _notes(tmp_path / "in")
    (note,) = notes
    assert note["path"] == str(mails[1])
    assert "reply of Rita Reviewer1 <r2@x> does not apply to v2 02/3 (nor before it): " in str(note["reason"])


def test_a_counter_proposal_on_top_of_the_diff_it_answers_is_not_said_to_fail(tmp_path: Path) -> None:
    # r1 proposes five tries on top of 02; r2 proposes seven on top of r1's diff: it applies there, not on 02
    # (a variant built on r1's, test_replyvariants; it does not fail to apply).
    five = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    seven = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("tries = 5;", "tries = 7;"))
    bad = seven.replace("-\tint tries = 5;", "-\tint tries = 6;")
    assert _applies(tmp_path, seven, HELPER_V2) and not _applies(tmp_path, seven, HELPER_V1)
    assert not any(_applies(tmp_path, bad, on) for on in (HELPER_V0, HELPER_V1, HELPER_V2))
    for n, text in enumerate((seven, bad)):
        _thread(tmp_path / f"in{n}", [("r1@x", "p2-v2@example.org", f"How about:\n\n{five}\n"),
                                      ("r2@x", "r1@x", f"Then also:\n\n{text}\n")])
        notes, _, _ = _notes(tmp_path / f"in{n}")
        assert [str(x["reason"]).split(": ")[0] for x in notes] == ([] if text is seven else [
            "diff in the reply of Rita Reviewer1 <r2@x> does not apply to v2 02/3 (nor before it, nor on the "
            "diffs it answers)"])


# A header whose end no hunk of the one-patch series below shows: only a tree knows those lines.
LONG_V0 = HELPER_V0
LONG_V1 = HELPER_V0.replace("int tries = 3;", "int tries = 5;")
WRONG = '\tpr_err("DEMO %llx failed\\n", fn);\n'  # what a reviewer remembered of demo_err()'s line
RIGHT = '\tpr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);\n'


def _reviewed(tmp_path: Path, line: str) -> tuple[Path, str]:
    """A tree with LONG_V0, a patch to it, and a reply proposing a change to the pr_err() line as ``line``."""
    init_repo(tmp_path / "linux", {HELPER_PATH: LONG_V0})
    proposal = ("--- a/drivers/demo/helper.h\n+++ b/drivers/demo/helper.h\n@@ -19,4 +19,4 @@\n"
                f" static inline void demo_err(u64 fn, u64 err)\n {{\n-{line}+{line.replace('failed', 'FAILED')} }}\n")
    mbox = write_mbox(tmp_path / "s.mbox", [
        message("[PATCH] demo: try five times", "p1@x", patch_body("More.", diff(HELPER_PATH, LONG_V0, LONG_V1))),
        message("Re: [PATCH] demo: try five times", "r1@x", f"Also:\n\n{proposal}\n", parent="p1@x", refs=("p1@x",),
                sender="Rita Reviewer <rita@example.org>")])
    return mbox, proposal


def test_with_a_tree_the_diff_is_checked_on_the_trees_files(tmp_path: Path) -> None:
    # The mails never show demo_err(): from them alone the diff may apply; the tree's file says it does not.
    mbox, proposal = _reviewed(tmp_path / "a", WRONG)
    assert not _applies(tmp_path, proposal, LONG_V1) and not _applies(tmp_path, proposal, LONG_V0)
    assert read_inputs(SeriesRequest((mbox,))).notes == ()
    (note,) = read_inputs(SeriesRequest((mbox,), tree=tmp_path / "a" / "linux")).notes
    assert "<r1@x> does not apply to v1 01/1 (nor before it): drivers/demo/helper.h @@ -19,4" in note.reason
    # The same diff written against the tree's line applies there (git apply agrees): no note.
    mbox, proposal = _reviewed(tmp_path / "b", RIGHT)
    assert _applies(tmp_path, proposal, LONG_V1)
    assert read_inputs(SeriesRequest((mbox,), tree=tmp_path / "b" / "linux")).notes == ()


NEW_C = "drivers/demo/new.c"
NEW_C_TEXT = "#include \"helper.h\"\n\nint demo_new(void)\n{\n\treturn 0;\n}\n"


def test_a_diff_to_a_file_a_later_patch_creates_is_said_from_mail_alone(tmp_path: Path) -> None:
    """Patch 2 creates new.c; a reply to patch 1 changes new.c: at 01/2 (and before it) the file does not exist
    yet, which git am of 02/2 needs, so git apply refuses the reply's diff there."""
    cover = "cover-v3@example.org"
    steps = [(HELPER_PATH, HELPER_V0, HELPER_V1, "demo: print fn in decimal"),
             (NEW_C, None, NEW_C_TEXT, "demo: add new")]
    msgs = [message("[PATCH v3 0/2] demo: new", cover, "Cover.\n")]
    for n, (path, old, new, title) in enumerate(steps, start=1):
        msgs.append(message(f"[PATCH v3 {n}/2] {title}", f"p{n}-v3@example.org",
                            patch_body(f"Change {n}.", diff(path, old, new)), parent=cover, refs=(cover,)))
    proposal = diff(NEW_C, NEW_C_TEXT, NEW_C_TEXT.replace("return 0;", "return 1;"))
    msgs.append(message("Re: [PATCH v3 1/2] demo: print fn in decimal", "r1@x", f"Also:\n\n{proposal}\n",
                        sender="Rita Reviewer <rita@example.org>", parent="p1-v3@example.org",
                        refs=(cover, "p1-v3@example.org")))
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(msgs):
        write_eml(folder / f"{i}.eml", m)
    # The oracle: the state after 01/2 (the helper only) has no new.c, and git apply refuses the diff there.
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V1})
    (tmp_path / "r.diff").write_text(proposal)
    assert git(repo, "apply", "--check", str(tmp_path / "r.diff"), check=False).returncode != 0
    notes, _, _ = _notes(folder)
    (note,) = notes
    assert "<r1@x> does not apply to v3 01/2 (nor before it): drivers/demo/new.c" in str(note["reason"])
    assert "v3 02/2 creates it later" in str(note["reason"])


def test_a_patch_with_an_earlier_one_missing_is_not_judged(tmp_path: Path) -> None:
    # Without patch 1 the state patch 2 answers is not known: its reply's diff is not said not to apply, whatever
    # it holds; only that it is tried on no state (and so is no variant).
    bad = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace("-\tint tries = 3;", "-\tint tries = 4;")
    _write(tmp_path / "in", bad)
    (tmp_path / "in" / "1.eml").unlink()  # [PATCH v2 1/3]
    notes, _, out = _notes(tmp_path / "in")
    assert [str(n["reason"]).split(" (")[0] for n in notes] == [
        "diff in the reply of Rita Reviewer <r1@x> to v2 02/3 is tried on no state"]
    assert json.loads(out)["revisions"][0]["patches"][0] == {"number": 1, "missing": True}


def test_diff_to_a_file_its_patch_creates_is_judged_from_mail_alone(tmp_path: Path) -> None:
    # Patch 1 creates the header; a reply's diff to it whose context the header does not hold applies neither after
    # patch 1 nor before it, where the header is not there yet (the patch's 'new file' says so): from mail alone it
    # was taken as applying before it (the file unknown there), listed as variant v2:01~rita-reviewer that eval and
    # apply then could not build ("patch modifies a file the base does not have"), with no note.
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision

    text = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, text),))])
    bad = diff(NEW_HOME, text, text.replace("this_cpu_write(cache_state_incoherent, true);", "/* kept */"))
    bad = bad.replace("-\tthis_cpu_write(cache_state_incoherent, true);", "-\tthis_cpu_write(cache_incoherent, 1);")
    patch_id = msgs[1]["Message-ID"].strip("<>")
    r = message(f"Re: {msgs[1]['Subject']}", "r1@x", f"Try this:\n\n{bad}\nThanks.\n",
                sender="Rita Reviewer <rita@example.org>", parent=patch_id,
                refs=(msgs[0]["Message-ID"].strip("<>"), patch_id))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, r])
    notes, stderr, out = _notes(mbox)
    assert [str(n["reason"]).split(": ")[0] for n in notes] == [
        "diff in the reply of Rita Reviewer <r1@x> does not apply to v2 01/1 (nor before it)"], notes
    assert "context differs at line" in str(notes[0]["reason"]) and "does not apply" in stderr
    assert "v2:01~rita-reviewer" not in json.loads(out)["variants"]
