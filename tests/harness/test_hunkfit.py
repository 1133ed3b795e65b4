"""A reply's bare hunks become a reviewer variant when they fit one file of the patch answered.

A reply's bare hunks ('@@ ... @@' with no '---'/'+++') become a reviewer variant with no manifest when they fit one
file of the patch they answer; a counter-proposal on another reply's diff is built on that reply's variant. git apply
of the diff the hunks make (each with its file's headers) is the oracle."""

from __future__ import annotations

import shutil
from dataclasses import replace
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
    Shape,
    demo_series,
    diff,
    message,
    shaped_mail,
    write_eml,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
runner = CliRunner()
P2 = "Re: [PATCH v2 2/3] demo: print fn in decimal"
REFS = ("cover-v2@example.org", "p2-v2@example.org")
TRIES = HELPER_V1.replace("int tries = 3;", "int tries = 5;")  # 02's result, five tries
LOUD = TRIES.replace('pr_err("DEMO (%llu) failed', 'pr_err("DEMO (%llu) FAILED')  # and a louder message


def _bare(old: str, new: str, context: int = 3) -> str:
    """The hunks of a diff without its file headers, as a reviewer pastes them."""
    text = diff(HELPER_PATH, old, new, context)
    return text[text.index("@@"):]


def _headed(hunks: str) -> str:
    """The diff the hunks make on the helper: its '---'/'+++' headers, then the hunks as written."""
    return f"--- a/{HELPER_PATH}\n+++ b/{HELPER_PATH}\n{hunks}"


def _git_apply(tmp: Path, on: str, *diffs: str, check: bool = False) -> str | None:
    """The helper after git apply of each diff in turn on ``on`` (None when git apply refuses one)."""
    repo = init_repo(tmp / f"repo{len(list(tmp.glob('repo*')))}", {HELPER_PATH: on})
    for n, text in enumerate(diffs):
        (repo.parent / f"{n}.diff").write_text(text)
        if git(repo, "apply", *(["--check"] if check else []), str(repo.parent / f"{n}.diff"),
               check=False).returncode:
            return None
    return (repo / HELPER_PATH).read_text()


def _thread(folder: Path, replies: list[tuple[str, str, str, str]]) -> Path:
    """The demo series and replies (msgid, parent, sender, body) below its patch 2, one .eml each."""
    folder.mkdir()
    mails = [*demo_series(), *(message(P2, msgid, body, sender=sender, parent=parent,
                                       refs=(*REFS, parent) if parent not in REFS else REFS)
                               for msgid, parent, sender, body in replies)]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    return folder


def _notes(folder: Path) -> list[str]:
    return [n.reason for n in read_inputs(SeriesRequest((folder,))).notes]


def test_a_bare_hunk_is_a_variant_on_top_or_in_place_as_git_apply_takes_its_diff(tmp_path: Path) -> None:
    on_top = _bare(HELPER_V1, TRIES)
    in_place = _bare(HELPER_V0, HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (0x%llx)"))  # 02's line, otherwise
    nowhere = on_top.replace("-\tint tries = 3;", "-\tint tries = 2;")
    assert _git_apply(tmp_path, HELPER_V0, _headed(in_place)) is not None
    assert _git_apply(tmp_path, HELPER_V1, _headed(on_top)) == TRIES
    assert _git_apply(tmp_path, HELPER_V1, _headed(in_place)) is None
    assert not any(_git_apply(tmp_path, on, _headed(nowhere)) for on in (HELPER_V0, HELPER_V1))
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"So:\n\n{on_top}\n"),
                                       ("r2@x", REFS[1], "Jo Other <jo@example.org>", f"Or:\n\n{in_place}\nThanks\n"),
                                       ("r3@x", REFS[1], "Nora Nowhere <nora@example.org>", f"Hm:\n\n{nowhere}\n")])
    series = read_inputs(SeriesRequest((folder,)))
    specs = {s.name: s for s in reply_specs(series)}
    assert set(specs) == {"v2:02+rita-reviewer", "v2:02~jo-other"}
    assert specs["v2:02+rita-reviewer"].description == "the hunk of Rita Reviewer <r1@x> on top of v2 02/3"
    built = apply_variants(ApplyRequest(series, None, None, None, tuple(specs)))
    for name, want in (("v2:02+rita-reviewer", TRIES), ("v2:02~jo-other", _git_apply(tmp_path, HELPER_V0,
                                                                                      _headed(in_place)))):
        f = built.get(name).file(HELPER_PATH)
        assert f is not None and f.complete and f.text == want, name
    (note,) = [n.reason for n in series.notes]
    assert note.startswith("hunk in the reply of Nora Nowhere <r3@x> does not apply to v2 02/3 (nor before it): "
                           "hunk @@ -6,7 +6,7 @@ at line ") and note.endswith(
        f"its lines are in no file v2 02/3 touches as they stand ({HELPER_PATH})"), note


def test_two_hunks_of_one_reply_are_one_variant_when_together_they_apply(tmp_path: Path) -> None:
    both = _bare(HELPER_V1, LOUD, context=1)
    assert both.count("@@ -") == 2 and _git_apply(tmp_path, HELPER_V1, _headed(both)) == LOUD
    first, second = both.split("\n@@")[0] + "\n", "@@" + both.split("\n@@")[1]
    # pasted apart, a paragraph between them, the later one first: one diff all the same
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>",
                                        f"The message:\n\n{second}\nand the tries:\n\n{first}\nThanks.\n")])
    series = read_inputs(SeriesRequest((folder,)))
    (spec,) = reply_specs(series)
    assert spec.name == "v2:02+rita-reviewer" and spec.proposal is not None
    assert [i for i, _ in spec.proposal.joined] == [0, 1]
    assert spec.description == "the hunks of Rita Reviewer <r1@x> on top of v2 02/3"
    f = apply_variants(ApplyRequest(series, None, None, None, (spec.name,))).get(spec.name).file(HELPER_PATH)
    assert f is not None and f.text == _git_apply(tmp_path, HELPER_V1, _headed(second), _headed(first)) == LOUD


def test_a_hunk_a_mailer_re_spaced_is_no_variant_as_git_apply_refuses_it(tmp_path: Path) -> None:
    # Outlook turned the tabs into spaces: git apply refuses the diff it makes; before, nothing was said of it.
    spaced = _bare(HELPER_V1, TRIES).replace("\t", "        ")
    assert _git_apply(tmp_path, HELPER_V1, _headed(spaced)) is None
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"So:\n\n{spaced}\n")])
    assert reply_specs(read_inputs(SeriesRequest((folder,)))) == ()
    (note,) = _notes(folder)
    assert note.startswith("hunk in the reply of Rita Reviewer <r1@x> does not apply to v2 02/3"), note


def test_a_hunk_a_manifest_variant_builds_is_left_to_it(tmp_path: Path) -> None:
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>",
                                        f"So:\n\n{_bare(HELPER_V1, TRIES)}\n")])
    (tmp_path / "manifest.toml").write_text(
        '[series]\nname = "demo"\nmsgids = ["cover-v2@example.org"]\n\n[[variant]]\nname = "rita"\nstart = "v2:02"\n'
        'proposal = { msgid = "r1@x", index = 0 }\nmsgid = "r1@x"\nauthor = "Rita Reviewer"\ndescription = "r"\n')
    series = read_inputs(SeriesRequest((folder,), manifest=tmp_path / "manifest.toml"))
    assert series.proposal_fits == () and series.notes == ()
    r = runner.invoke(app, ["series", str(folder), "--manifest", str(tmp_path / "manifest.toml")])
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("└── rita"), r.stdout


def _reply_bytes(msgid: str, sender: str, body: bytes, shape: Shape) -> bytes:
    """A reply to 02 as a mail client sends it (shaped_mail's dress), with its thread headers."""
    raw = shaped_mail(sender, P2, msgid, body, b"", replace(shape, crlf=False))
    head, rest = raw.split(b"\n\n", 1)
    raw = head + f"\nIn-Reply-To: <{REFS[1]}>\nReferences: <{REFS[0]}> <{REFS[1]}>".encode() + b"\n\n" + rest
    return raw.replace(b"\n", b"\r\n") if shape.crlf else raw


@pytest.mark.parametrize(("client", "shape", "variant"), [
    ("thunderbird", Shape(flowed=True), True),  # format=flowed: space-stuffed context lines, read back as sent
    ("gmail", Shape(cte="quoted-printable"), True),
    ("outlook", Shape(cte="quoted-printable", crlf=True), False),  # top-posted: the hunk is the quoted copy's
])
def test_bare_hunks_from_other_mail_clients_end_to_end(tmp_path: Path, client: str, shape: Shape,
                                                        variant: bool) -> None:
    hunk = _bare(HELPER_V1, TRIES)
    if client == "outlook":  # the reviewer's words above, the message answered (with its hunk) copied below
        body = ("Looks fine to me.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\n"
                f"Sent: Monday, January 5, 2026 10:00 AM\nSubject: {P2[4:]}\n\n{hunk}").encode()
    else:
        body = f"On Mon, Ann Author wrote:\n> Change.\n\nRather:\n\n{hunk}\nThanks.\n".encode()
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    (folder / "4.eml").write_bytes(_reply_bytes("r1@x", "Rita Reviewer <rita@example.org>", body, shape))
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", cache=None, jobs=1))
    names = [v.name for v in ev.result.variants]
    assert ("v2:02+rita-reviewer" in names) is variant, names
    if variant:
        f = ev.result.variant("v2:02+rita-reviewer").file(HELPER_PATH)
        assert f is not None and f.text == TRIES
        [cmp] = [c for c in ev.comparison.across if c.view == "proposal"]
        assert (cmp.a, cmp.b, cmp.msgid) == ("v2:02", "v2:02+rita-reviewer", "r1@x")


def test_a_counter_proposal_is_built_on_the_variant_of_the_diff_it_answers(tmp_path: Path) -> None:
    # r1 proposes five tries on top of 02; r2 answers with seven, written on r1's result: git apply takes it only
    # there. Before: only said ('applies ... only on top of the diffs before it'), no variant.
    five = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    seven_text = HELPER_V2.replace("tries = 5;", "tries = 7;")
    seven = diff(HELPER_PATH, HELPER_V2, seven_text)
    assert _git_apply(tmp_path, HELPER_V1, seven, check=True) is None
    assert _git_apply(tmp_path, HELPER_V1, five, seven) == seven_text
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"How about:\n\n{five}\n"),
                                       ("r2@x", "r1@x", "Sam Second <sam@example.org>", f"Then also:\n\n{seven}\n")])
    series = read_inputs(SeriesRequest((folder,)))
    assert series.notes == ()
    specs = {s.name: s for s in reply_specs(series)}
    assert set(specs) == {"v2:02+rita-reviewer", "v2:02+sam-second"}
    assert specs["v2:02+sam-second"].description == \
        "the diff of Sam Second <r2@x> on top of that of <r1@x> on top of v2 02/3"
    built = apply_variants(ApplyRequest(series, None, None, None, ("v2:02+sam-second",)))
    f = built.get("v2:02+sam-second").file(HELPER_PATH)
    assert f is not None and f.text == seven_text
    # eval compares it with its start and with the variant it is built on: what it changes of r1's
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml", cache=None, jobs=1))
    assert [(c.a, c.b, c.label) for c in ev.comparison.across if c.view == "proposal"] == [
        ("v2:02", "v2:02+rita-reviewer", "v2:02+rita-reviewer (vs v2:02)"),
        ("v2:02", "v2:02+sam-second", "v2:02+sam-second (vs v2:02)"),
        ("v2:02+rita-reviewer", "v2:02+sam-second", "v2:02+sam-second (vs v2:02+rita-reviewer)")]
    # one that applies on neither is said as before
    bad = seven.replace("-\tint tries = 5;", "-\tint tries = 6;")
    folder = _thread(tmp_path / "in2", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"How:\n\n{five}\n"),
                                        ("r2@x", "r1@x", "Sam Second <sam@example.org>", f"Then:\n\n{bad}\n")])
    assert [s.name for s in reply_specs(read_inputs(SeriesRequest((folder,))))] == ["v2:02+rita-reviewer"]


def test_minus_plus_lines_with_no_header_are_a_variant_where_their_lines_are_once(tmp_path: Path) -> None:
    # '-'/'+' lines of code with no '@@': put where the '-' lines are, once in one file of the patch; the diff
    # they make there has no context, as git apply --unidiff-zero takes it. Before: a snippet, run by nothing.
    lines = "-\tint tries = 3;\n+\tint tries = 5;\n"
    at = HELPER_V1.splitlines().index("\tint tries = 3;") + 1
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V1})
    (tmp_path / "z.diff").write_text(_headed(f"@@ -{at},1 +{at},1 @@\n{lines}"))
    git(repo, "apply", "--unidiff-zero", str(tmp_path / "z.diff"))
    assert (repo / HELPER_PATH).read_text() == TRIES
    twice = "-}\n+};\n"  # a line the helper has at several places: no line number says which
    bullets = "- the retry count\n+ a louder message\n"  # prose: no proposal at all
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"So:\n\n{lines}\nOK\n"),
                                       ("r2@x", REFS[1], "Tom Twice <tom@example.org>", f"And:\n\n{twice}\n"),
                                       ("r3@x", REFS[1], "Bo List <bo@example.org>", f"Changes:\n\n{bullets}\n")])
    series = read_inputs(SeriesRequest((folder,)))
    (spec,) = reply_specs(series)
    assert (spec.name, spec.description) == ("v2:02+rita-reviewer",
                                             "the hunk of Rita Reviewer <r1@x> on top of v2 02/3")
    f = apply_variants(ApplyRequest(series, None, None, None, (spec.name,))).get(spec.name).file(HELPER_PATH)
    assert f is not None and f.text == TRIES
    (note,) = [n.reason for n in series.notes]
    assert note.startswith("hunk in the reply of Tom Twice <r2@x> does not apply to v2 02/3 (nor before it): "
                           "'-'/'+' lines at line ") and f"places in {HELPER_PATH}, and it says no line number" in note
    bo = next(r for p in series.revisions[0].patches for r in p.replies if r.mail.msgid == "r3@x")
    assert bo.proposals == ()


def test_bare_hunks_answering_a_diff_are_built_on_that_diffs_variant(tmp_path: Path) -> None:
    # r2 answers r1's diff (five tries) with a bare hunk written on its result (seven): git apply of the diff the
    # hunk makes takes it only after r1's diff. Before: 'does not apply to v2 02/3 (nor before it)'.
    five = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    seven_text = HELPER_V2.replace("tries = 5;", "tries = 7;")
    seven = _bare(HELPER_V2, seven_text)
    assert _git_apply(tmp_path, HELPER_V1, _headed(seven)) is None
    assert _git_apply(tmp_path, HELPER_V1, five, _headed(seven)) == seven_text
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"How about:\n\n{five}\n"),
                                       ("r2@x", "r1@x", "Sam Second <sam@example.org>", f"Rather:\n\n{seven}\n")])
    series = read_inputs(SeriesRequest((folder,)))
    assert series.notes == ()
    specs = {s.name: s for s in reply_specs(series)}
    assert specs["v2:02+sam-second"].description == \
        "the hunk of Sam Second <r2@x> on top of that of <r1@x> on top of v2 02/3"
    assert specs["v2:02+sam-second"].over == "v2:02+rita-reviewer"
    variant = apply_variants(ApplyRequest(series, None, None, None, ("v2:02+sam-second",))).get("v2:02+sam-second")
    f = variant.file(HELPER_PATH)
    assert f is not None and f.text == seven_text
    # whose diffs it holds: the patches' authors, the reply it is built on, then its own
    assert variant.sources[-2:] == (("r1@x", "Rita Reviewer"), ("r2@x", "Sam Second"))


@pytest.mark.parametrize("delsp", [False, True])
def test_hunks_pasted_one_after_another_are_each_a_hunk_through_format_flowed(tmp_path: Path, delsp: bool) -> None:
    # git diff's two hunks less its file headers, in a Thunderbird format=flowed reply whose long '+' line the
    # mailer soft-broke: the second '@@' line was read as a context line of the first hunk, which then fit nowhere.
    loud = TRIES.replace('pr_err("DEMO (%llu) failed', 'pr_err("DEMO (%llu) FAILED, a much longer message than this')
    both = _bare(HELPER_V1, loud, context=1)
    assert both.count("\n@@ -") == 1 and _git_apply(tmp_path, HELPER_V1, _headed(both)) == loud
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    body = f"On Mon, Ann Author wrote:\n> Change.\n\nRather:\n\n{both}\nThanks.\n".encode()
    raw = _reply_bytes("r1@x", "Rita Reviewer <rita@example.org>", body, Shape(flowed=True, delsp=delsp))
    assert b" \n" in raw  # a soft break: the line is flowed in the mail
    (folder / "4.eml").write_bytes(raw)
    series = read_inputs(SeriesRequest((folder,)))
    (spec,) = reply_specs(series)
    assert spec.proposal is not None and [i for i, _ in spec.proposal.joined] == [0, 1] and series.notes == ()
    f = apply_variants(ApplyRequest(series, None, None, None, (spec.name,))).get(spec.name).file(HELPER_PATH)
    assert f is not None and f.text == loud


def test_the_same_hunk_posted_twice_is_one_variant_of_the_first(tmp_path: Path) -> None:
    hunk = _bare(HELPER_V1, TRIES)
    folder = _thread(tmp_path / "in", [("r1@x", REFS[1], "Rita Reviewer <rita@example.org>", f"So:\n\n{hunk}\n"),
                                       ("r2@x", REFS[1], "Sam Same <sam@example.org>", f"+1, i.e.:\n\n{hunk}\n")])
    series = read_inputs(SeriesRequest((folder,)))
    assert [s.name for s in reply_specs(series)] == ["v2:02+rita-reviewer"]
    (note,) = [n.reason for n in series.notes]
    assert note == "hunk in the reply of Sam Same <r2@x> is the one Rita Reviewer <r1@x> posted for v2 02/3: one " \
                   "variant, of the first"
