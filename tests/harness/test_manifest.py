"""Series manifests: read as typed specs, and reviewer variants built only on the revision they were written for."""

from __future__ import annotations

import html
import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.ingest import IngestRequest, parse_series
from harness.manifest import load_manifest
from harness.replyvariants import variant_names

BUNDLED = Path(__file__).resolve().parents[2] / "series" / "p-seamldr" / "manifest.toml"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('start = "v3"', 'strat = "v3"', "unknown key 'variant.strat' (did you mean 'start'?)"),
    ("authors = ", "author = ", "unknown key 'series.author' (did you mean 'authors'?)"),
    ("drop = [6]", 'drop = ["06"]', "'variant.drop' must be an integer"),
    # Read and ignored since recognition went by identity (7efc5db): refused, saying what replaced it.
    ("authors = ", 'title_pattern = "P-SEAMLDR"\nauthors = ', "'series.title_pattern' is no longer read: a word in a "
     "title recognises no series; name it by 'authors' with 'covers' or 'titles', or by 'msgids'"),
    ("covers = [", "covers = [1, ", "'series.covers' must be"),
])
def test_a_manifest_is_read_as_a_typed_spec(tmp_path: Path, old: str, new: str, message: str) -> None:
    shutil.copytree(BUNDLED.parent, tmp_path / "m")
    path = tmp_path / "m" / "manifest.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(InputError) as err:
        load_manifest(path)
    assert message in err.value.message and err.value.where is not None and err.value.where.line > 0


def test_a_manifest_is_read_once_until_its_file_changes(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED.parent, tmp_path / "m")
    path = tmp_path / "m" / "manifest.toml"
    first = load_manifest(path)
    assert load_manifest(path) is first
    # Each write changes the size: a rewrite within the file system's clock tick keeps the mtime.
    path.write_text(path.read_text().replace('start = "v3"', 'strat  = "v3"', 1))
    with pytest.raises(InputError, match=r"variant\.strat"):
        load_manifest(path)
    path.write_text(path.read_text().replace('strat  = "v3"', 'start = "v3"', 1))
    again = load_manifest(path)
    assert again == first and again is not first


def _reidentified(corpus: Path, tmp_path: Path) -> Path:
    """The corpus' v3 alone, its Message-IDs changed: a series that looks like it, not known to be it."""
    out = tmp_path / "v3"
    shutil.copytree(corpus / "v3", out)
    for f in out.iterdir():
        f.write_text(f.read_text().replace("90444-", "77777-"))
    return out


def test_reviewer_variants_need_the_revision_they_were_written_for(corpus: Path, tmp_path: Path) -> None:
    real = variant_names(parse_series(IngestRequest((corpus / "v3",))))
    assert "hansen-drop-06" in real and "hansen-if-else" in real
    lookalike = variant_names(parse_series(IngestRequest((_reidentified(corpus, tmp_path),))))
    assert not any(n.startswith(("hansen-", "gao-", "yilun-")) for n in lookalike), lookalike


def _revision(tmp_path: Path, sender: str, cover: str | None, titles: list[str], tag: str = "v4") -> Path:
    """A generated revision: a cover letter (when ``cover``) and one patch per title, each its own change."""
    from tests.mailgen import diff, message, patch_body, write_mbox

    total = len(titles)
    msgs = [message(f"[PATCH {tag} 00/{total:02d}] {cover}", f"cover-{tag}@gen.example", "Cover.\n",
                    sender=sender)] if cover else []
    for n, title in enumerate(titles, start=1):
        body = patch_body("x", diff(f"arch/x86/virt/vmx/tdx/f{n}.c", "int a;\n", f"int b{n};\n"))
        msgs.append(message(f"[PATCH {tag} {n:02d}/{total:02d}] {title}", f"p{n}-{tag}@gen.example", body,
                            sender=sender, parent=f"cover-{tag}@gen.example" if cover else None))
    return write_mbox(tmp_path / f"{tag}-{len(msgs)}.mbox", msgs)


def _bundled_v4(tmp_path: Path) -> Path:
    """A next revision of the bundled series nobody has listed: its author, its cover letter's subject, the
    titles its rules name among others, new Message-IDs and code (all read from the bundled files)."""
    ident = load_manifest(BUNDLED).identity()
    titles = [f"x86/virt/tdx: {t}" for t in ident.titles] + ["x86/virt/tdx: Add a new helper"]
    return _revision(tmp_path, f"Some One <{ident.authors[0]}>", ident.covers[-1], titles)


def test_the_bundled_manifest_recognises_its_corpus_revisions(corpus: Path) -> None:
    from harness.manifest import find_manifest

    for folder in ("v1-rfc", "v2", "v3", "."):
        series = parse_series(IngestRequest((corpus / folder,)))
        found = find_manifest(series)
        assert found is not None and found.name == "p-seamldr", folder
        assert (found.match_reason(series) or "").startswith("its manifest names <"), folder


def test_the_bundled_manifest_recognises_its_next_revision_by_author_cover_and_titles(tmp_path: Path) -> None:
    from harness.manifest import find_manifest

    series = parse_series(IngestRequest((_bundled_v4(tmp_path),)))
    found = find_manifest(series)
    assert found is not None and found.name == "p-seamldr"
    ident = found.identity()
    assert found.match_reason(series) == (f"its v4 is sent by {ident.authors[0]}, one of its authors, and carries "
                                          "the patch title it names")
    assert len(ident.titles) == 1


@pytest.mark.parametrize(("author", "cover", "titles", "recognised"), [
    (False, True, True, False),  # its cover letter's subject and titles, sent by another: a maintainer's own
    (False, False, False, False),  # a title naming P-SEAMLDR alone
    (True, False, False, False),  # the author's other series
    (True, True, False, True),  # the author, under the series' cover letter subject, patches retitled
    (True, False, True, True),  # the author, the titles the rules name, the cover letter renamed
])
def test_the_bundled_manifest_does_not_take_another_series_touching_the_same_code(
        tmp_path: Path, author: bool, cover: bool, titles: bool, recognised: bool) -> None:
    # A maintainer's own series on seamldr code: a title naming P-SEAMLDR is no identity (it took the bundled
    # series' rules and variants before); a revision is the series' when its author sends it under its cover
    # letter subject or with the titles its rules name.
    from harness.manifest import find_manifest

    ident = load_manifest(BUNDLED).identity()
    sender = f"S <{ident.authors[0]}>" if author else "Own Maint <own@example.org>"
    subject = ident.covers[-1] if cover else "seamldr: some cleanups"
    named = ([f"x86/virt/tdx: {t}" for t in ident.titles] if titles
             else ["x86/virt/seamldr: Add a helper for P-SEAMLDR calls", "x86/virt/tdx: Runtime TDX Module update"])
    series = parse_series(IngestRequest((_revision(tmp_path, sender, subject, named),)))
    assert (find_manifest(series) is not None) is recognised


def test_a_manifest_recognises_a_message_its_rules_or_variants_cite(tmp_path: Path) -> None:
    # Identity read from the data (no name of a series in the code): a reply the rules cite, in the input.
    from tests.mailgen import message, write_mbox

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "manifest.toml").write_text('[series]\nname = "gen"\n')
    (folder / "rules.toml").write_text('[[rule]]\nid = "r"\nreviewer = "R"\nmsgid = "rev-1@gen.example"\n'
                                       'summary = "s"\n[rule.check]\nkind = "moves"\n')
    manifest = load_manifest(folder / "manifest.toml")
    box = _revision(tmp_path, "A <a@gen.example>", "gen", ["gen: one"])
    assert manifest.match_reason(parse_series(IngestRequest((box,)))) is None
    reply = message("Re: [PATCH v4 01/01] gen: one", "rev-1@gen.example", "> x\n\nok\n", parent="p1-v4@gen.example")
    both = write_mbox(tmp_path / "both.mbox", [*_mails(box), reply])
    assert manifest.match_reason(parse_series(IngestRequest((both,)))) == (
        "its rules cite <rev-1@gen.example>")


def test_a_manifest_reads_its_rules_only_when_no_message_it_names_is_held(tmp_path: Path) -> None:
    # A Message-ID of the manifest's own decides first (recognise asks it first): the rules beside it, a TOML parse,
    # are read only for the other reasons. The rules file here is no TOML: reading it would raise.
    from tests.mailgen import message, write_mbox

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "manifest.toml").write_text('[series]\nname = "gen"\nmsgids = ["cover-v4@gen.example"]\n')
    (folder / "rules.toml").write_text("[[rule]\n")
    manifest = load_manifest(folder / "manifest.toml")
    box = _revision(tmp_path, "A <a@gen.example>", None, ["gen: one"])  # no cover letter
    cover = message("[PATCH v4 00/01] gen", "cover-v4@gen.example", "Cover.\n")
    both = write_mbox(tmp_path / "both.mbox", [cover, *_mails(box)])
    assert manifest.match_reason(parse_series(IngestRequest((both,)))) == "its manifest names <cover-v4@gen.example>"
    with pytest.raises(InputError, match=r"rules\.toml"):  # held by none: the rules are read, and refused
        manifest.match_reason(parse_series(IngestRequest((box,))))


def _mails(box: Path) -> list[EmailMessage]:
    import mailbox
    from email import policy
    from email.parser import BytesParser

    return [BytesParser(policy=policy.default).parsebytes(m.as_bytes()) for m in mailbox.mbox(box)]


def test_gate_on_another_series_touching_seamldr_has_no_rules_unless_given(tmp_path: Path) -> None:
    # The gate judged a maintainer's own series with the bundled series' rules (verdicts citing messages not in
    # the input); now it stops as for any unknown series, and --rules or --manifest still name them.
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
    from tests.mailgen import diff, message, patch_body, write_mbox

    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] x86/virt/seamldr: Add a wrapper for P-SEAMLDR "
                                                   "calls", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    args = ["gate", str(box), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"), "--no-cache"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and "no review rules" in r.output, r.output
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\n[rule.check]\n'
                                     'kind = "moves"\n')
    own = tmp_path / "own"
    own.mkdir()
    (own / "manifest.toml").write_text('[series]\nname = "own"\n')
    shutil.copy(tmp_path / "r.toml", own / "rules.toml")
    for extra in (["--rules", str(tmp_path / "r.toml")], ["--manifest", str(own / "manifest.toml")]):
        r = CliRunner().invoke(app, [*args, *extra, "--json", str(tmp_path / "g.json")])
        assert r.exit_code in (0, 1), r.output
        assert [x["id"] for x in json.loads((tmp_path / "g.json").read_text())["rules"]] == ["moves"]


def test_eval_says_which_bundled_series_it_read_the_input_as_and_why(tmp_path: Path) -> None:
    # A user's own series whose patch title the bundled manifest's title_pattern matches: its reviewer variants
    # and rules then apply, and every report says so (with how to name one's own); with --manifest, none do.
    from rich.console import Console

    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model
    from reports.formats import EVAL_FORMATS
    from reports.terminal import eval_summary
    from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
    from tests.mailgen import diff, message, patch_body, write_mbox

    ident = load_manifest(BUNDLED).identity()
    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    mails = [message(f"[PATCH 1/1] x86/virt/tdx: {ident.titles[0]}", "own@example.org", body,
                     sender=f"S <{ident.authors[0]}>")]
    box = write_mbox(tmp_path / "s.mbox", mails)
    matrix = tmp_path / "m.toml"
    matrix.write_text(MATRIX)
    rep = report_model(evaluate(EvalRequest((box,), matrix=matrix)))
    said = (f"read as bundled series 'p-seamldr' (its v1 is sent by {ident.authors[0]}, one of its authors, and "
            "carries the patch title it names)")
    assert rep.series_note.startswith(said + ": its reviewer variants")
    assert said in html.unescape("".join(EVAL_FORMATS["html"](rep)))
    assert json.loads("".join(EVAL_FORMATS["json"](rep)))["series"]["bundled"] == rep.series_note
    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    assert f"series: {said}" in console.export_text()
    own = tmp_path / "own" / "manifest.toml"
    own.parent.mkdir()
    own.write_text('[series]\nname = "own"\ntitle = "own"\n')
    assert report_model(evaluate(EvalRequest((box,), matrix=matrix, manifest=own))).series_note == ""
    # Another's series on the same code (the title, not the author): no bundled series, no rules judged.
    other = write_mbox(tmp_path / "o.mbox", [message(f"[PATCH 1/1] x86/virt/tdx: {ident.titles[0]}",
                                                     "other@example.org", body)])
    ev = evaluate(EvalRequest((other,), matrix=matrix))
    assert ev.variants.manifest is None and ev.judgement is None and report_model(ev).series_note == ""


def test_eval_names_the_rules_file_it_read_from_beside_the_manifest(tmp_path: Path) -> None:
    # --manifest FILE brings the rules.toml beside it: eval judged with it and named it nowhere.
    from rich.console import Console

    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model
    from reports.terminal import eval_summary
    from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
    from tests.mailgen import diff, message, patch_body, write_mbox

    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: Add a retry helper", "own@x", body)])
    matrix = tmp_path / "m.toml"
    matrix.write_text(MATRIX)
    own = tmp_path / "own" / "manifest.toml"
    own.parent.mkdir()
    own.write_text('[series]\nname = "own"\ntitle = "own"\n')
    rules = own.parent / "rules.toml"
    rules.write_text('[[rule]]\nid = "r"\nreviewer = "Rev"\nsummary = "s"\nseverity = "error"\n'
                     '[rule.check]\nkind = "behaviour"\nscenarios = { entry = "demo_retry" }\n'
                     'expect = { calls_at_most = 3 }\n')
    rep = report_model(evaluate(EvalRequest((box,), matrix=matrix, manifest=own)))
    assert rep.rules_note == f"{rules} (beside --manifest {own}; --rules FILE names another)"
    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    assert f"rules: {rep.rules_note}" in console.export_text()
    named = report_model(evaluate(EvalRequest((box,), matrix=matrix, manifest=own, rules=rules)))
    assert named.rules_note == ""  # named with --rules: the user knows


@pytest.mark.parametrize(("variant", "said"), [
    ('name = "v3:02"\nstart = "v3"\n', "variant v3:02: a revision state's name"),
])
def test_a_variant_named_as_a_state_is_refused(tmp_path: Path, variant: str, said: str) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text('[series]\nname = "s"\ntitle = "t"\n\n[[variant]]\n' + variant
                    + 'msgid = "m@x"\nauthor = "A"\ndescription = "d"\n')
    with pytest.raises(InputError) as info:
        load_manifest(path)
    assert said in str(info.value) and str(info.value).startswith(f"{path}:")


def test_a_start_or_drop_past_the_revision_is_said(corpus: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    bundled = Path(__file__).resolve().parents[2] / "series" / "p-seamldr"
    text = (bundled / "manifest.toml").read_text().replace('start = "v3:02"', 'start = "v3:29"', 1)
    (tmp_path / "variants").mkdir()
    for p in (bundled / "variants").iterdir():
        (tmp_path / "variants" / p.name).write_text(p.read_text())
    (tmp_path / "manifest.toml").write_text(text)
    r = CliRunner().invoke(app, ["apply", str(corpus), "--variant", "yilun-either-code", "--manifest",
                                 str(tmp_path / "manifest.toml"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "v3 has 26 patches, not patch 29" in r.output, r.output


@pytest.mark.parametrize(("drop", "start", "said"), [
    # 08/26 is not in the input: "v3 without 08" was built as v3 itself, and compared as a variant of its own.
    ("[8]", "v3", "drops v3 08/26, which is not in the input: give every patch of the revision"),
    # 06 is past the start: nothing was dropped, the variant was its start under another name.
    ("[6]", "v3:05", "drops 06, which its start v3:05 does not hold"),
])
def test_a_drop_that_leaves_out_nothing_is_said(corpus: Path, tmp_path: Path, drop: str, start: str, said: str) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    text = BUNDLED.read_text().replace('start = "v3"\ndrop = [6]', f'start = "{start}"\ndrop = {drop}', 1)
    assert text != BUNDLED.read_text()
    shutil.copytree(BUNDLED.parent / "variants", tmp_path / "variants")
    (tmp_path / "manifest.toml").write_text(text)
    r = CliRunner().invoke(app, ["apply", str(corpus), "--variant", "hansen-drop-06", "--manifest",
                                 str(tmp_path / "manifest.toml"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and said in " ".join(r.output.split()), r.output


@pytest.mark.parametrize("name", ['a b', 'x\\"<i>', "tag#1", "hansen:06", "-lead"])
def test_a_variant_name_a_rule_cannot_refer_to_is_refused(tmp_path: Path, name: str) -> None:
    # 'a b"<i>#x' was built and shown, but no rule's reference could name it, and the page's anchor broke.
    shutil.copytree(BUNDLED.parent, tmp_path / "m")
    path = tmp_path / "m" / "manifest.toml"
    text = path.read_text()
    path.write_text(text.replace('name = "hansen-if-else"', f'name = "{name}"', 1))
    with pytest.raises(InputError) as err:
        load_manifest(path)
    assert "a name is letters, digits and . _ + -" in err.value.message
    want = next(n for n, ln in enumerate(path.read_text().splitlines(), start=1) if ln.startswith("name =") and
                name in ln.replace("\\\\", "\\"))
    assert err.value.where is not None and err.value.where.line == want


def test_a_misspelt_proposal_message_id_names_its_line_and_the_near_one(corpus: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    bundled = Path(__file__).resolve().parents[2] / "series" / "p-seamldr"
    good = "aXssgOZJteoaJUOz@yilunxu-OptiPlex-7050"
    text = (bundled / "manifest.toml").read_text()
    assert good in text
    (tmp_path / "variants").mkdir()
    for p in (bundled / "variants").iterdir():
        (tmp_path / "variants" / p.name).write_text(p.read_text())
    (tmp_path / "manifest.toml").write_text(text.replace(good, good[:-1] + "X"))
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln == 'name = "yilun-either-code"')
    r = CliRunner().invoke(app, ["apply", str(corpus), "--variant", "yilun-either-code", "--manifest",
                                 str(tmp_path / "manifest.toml"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and f"({tmp_path / 'manifest.toml'}:{line}) is not in the input (did you mean <{good}>?)" \
        in " ".join(r.output.split()), r.output


def test_series_says_which_manifest_variants_the_input_cannot_build(corpus: Path) -> None:
    # eval said it, series only left the variant out of its list.
    from typer.testing import CliRunner

    from harness.cli import app

    r = CliRunner().invoke(app, ["series", str(corpus / "v3")])
    assert r.exit_code == 0 and "yilun-either-code" not in r.stdout
    assert "seamharness: note: variant yilun-either-code skipped: the reply <" in r.stderr


def test_a_part_of_the_revision_a_variant_was_written_for_is_said_to_be_a_part(tmp_path: Path) -> None:
    # Patch 3/4 alone, answering the cover letter the manifest knows: the very revision, but not all of it; the
    # variant is skipped for the patches before it, not as "another series" (which said none of its ids fit).
    from harness.errors import Where
    from harness.manifest import VariantSpec
    from tests.mailgen import diff, message, patch_body, write_mbox

    body = patch_body("x", diff("drivers/demo/a.c", "int a;\n", "int b;\n"))
    lone = message("[PATCH v2 3/4] demo: change a", "p3@example.org", body, parent="cover@example.org",
                   refs=("cover@example.org",))
    spec = VariantSpec("r-alt", "v2", (), (), None, "ask@example.org", "R", "alt", Where("m.toml", 3),
                       known=("cover@example.org",))
    part = parse_series(IngestRequest((write_mbox(tmp_path / "p.mbox", [lone]),)))
    assert spec.missing(part) == ("the input holds part of the v2 it was written for (patch 03 of 4): give the "
                                  "patches before too (01, 02)")
    other = message("[PATCH v2 3/4] demo: change a", "q3@example.org", body)  # looks alike, answers nothing known
    alike = parse_series(IngestRequest((write_mbox(tmp_path / "q.mbox", [other]),)))
    assert (spec.missing(alike) or "").startswith("the input's v2 is not the one it was written for")


def test_a_variant_patch_file_that_is_not_utf8_is_read_as_bytes(corpus: Path, tmp_path: Path) -> None:
    """Read as text it was a UnicodeDecodeError, an internal error (exit 3); git apply reads bytes."""
    from typer.testing import CliRunner

    from harness.cli import app

    shutil.copytree(BUNDLED.parent, tmp_path / "s")
    (tmp_path / "s" / "variants" / "hansen-if-else.patch").write_bytes(b"\xff\xfe junk\n")
    r = CliRunner().invoke(app, ["apply", str(corpus), "--variant", "hansen-if-else", "--manifest",
                                 str(tmp_path / "s" / "manifest.toml"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "hansen-if-else.patch: no diff in this patch file" in " ".join(r.output.split())


def test_a_negative_proposal_index_is_refused(tmp_path: Path) -> None:
    # index = -1 took the reply's last diff (Python's [-1]) and built the variant without a word.
    path = tmp_path / "manifest.toml"
    path.write_text('[series]\nname = "s"\ntitle = "t"\n\n[[variant]]\nname = "mine"\n'
                    'start = "v2"\nproposal = { msgid = "r@x", index = -1 }\nmsgid = "r@x"\nauthor = "A"\n'
                    'description = "d"\n')
    with pytest.raises(InputError) as info:
        load_manifest(path)
    assert str(info.value) == (f"{path}:6: variant mine: proposal index -1: the reply's diffs are counted from 0 "
                               "(its first)")


@pytest.mark.parametrize("drop", [0, -1])
def test_a_drop_below_patch_1_is_refused(tmp_path: Path, drop: int) -> None:
    # It read "drops v2 -1/3 (00/3), which is not in the input: give every patch of the revision".
    path = tmp_path / "manifest.toml"
    path.write_text('[series]\nname = "s"\ntitle = "t"\n\n[[variant]]\nname = "mine"\n'
                    f'start = "v2"\ndrop = {drop}\nmsgid = "r@x"\nauthor = "A"\ndescription = "d"\n')
    with pytest.raises(InputError) as info:
        load_manifest(path)
    assert str(info.value) == (f"{path}:6: variant mine: drop {drop}: patches are numbered from 1 (00 is the cover "
                               "letter, which holds no change)")


def test_a_patch_dropped_twice_is_refused(tmp_path: Path) -> None:
    # drop = [2, 2] built the variant and described it as "drops 02, 02".
    path = tmp_path / "manifest.toml"
    path.write_text('[series]\nname = "s"\ntitle = "t"\n\n[[variant]]\nname = "mine"\n'
                    'start = "v2"\ndrop = [2, 3, 2]\nmsgid = "r@x"\nauthor = "A"\ndescription = "d"\n')
    with pytest.raises(InputError) as info:
        load_manifest(path)
    assert str(info.value) == f"{path}:6: variant mine: drop names patch 2 more than once"
