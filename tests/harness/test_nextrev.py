"""A v4 of the corpus' v3 nobody has seen (tests.harness.nextrev): each command says what git and the code say."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.shortlog import dropped_listed, gone, listed, shortlog, squashed_into
from tests.gitoracle import am, init_repo, mailsplit
from tests.harness import nextrev
from tests.mailgen import Shape

pytestmark = pytest.mark.skipif(not nextrev.available(), reason="../shared/corpus (v3) is absent")
runner = CliRunner()
V3 = nextrev.V3
RULES = str(Path(__file__).resolve().parents[2] / "series" / "p-seamldr" / "rules.toml")


def _v4(tmp: Path, *cases: str, shape: Shape | None = None) -> Path:
    (tmp / "work").mkdir(parents=True, exist_ok=True)
    return nextrev.write(tmp / "v4", nextrev.raw(nextrev.build(nextrev.plan(*cases), tmp / "work"), shape))


def _index_lines(folder: Path) -> list[str]:
    return [ln for f in sorted(folder.iterdir()) for ln in f.read_text().splitlines() if ln.startswith("index ")]


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    return res.output


def test_the_generator_unchanged_gives_v3_blob_ids(tmp_path: Path) -> None:
    """No change asked, the diffs remade from the files known whole name exactly v3's blobs (git hash-object)."""
    (tmp_path / "work").mkdir()
    made = _index_lines(_v4(tmp_path))
    v3 = [ln for f in sorted(V3.glob("00[0-9][1-9]-*.eml")) for ln in f.read_text().splitlines()
          if ln.startswith("index ")]
    assert made == v3


@pytest.mark.parametrize("cases", [("a",), ("a", "b", "c", "d", "f")])
def test_git_am_makes_the_blobs_apply_writes(tmp_path: Path, cases: tuple[str, ...]) -> None:
    """The files v4 makes whole (created by its patches): git am's blobs, the index lines' and apply's agree."""
    (tmp_path / "work").mkdir()
    folder = _v4(tmp_path, *cases)
    out = tmp_path / "out"
    _run("apply", str(folder), "--variant", "v4", "--out", str(out))
    made = {f["path"]: f["blob"] for f in json.loads((out / "provenance.json").read_text())["files"] if f["complete"]}
    assert nextrev.RETRY_H in made if "a" in cases else nextrev.SEAMCALL_H in made
    mails = [tmp_path / f"m{i}" for i in range(len(list(folder.iterdir())) - 1)]
    for path, data in zip(mails, mailsplit(tmp_path, *sorted(folder.iterdir()))[1:], strict=True):
        path.write_bytes(data)
    commits, error = am(init_repo(tmp_path / "repo"), mails, include=tuple(made))
    assert not error
    assert {p: b for p, b in commits[-1].blobs.items() if p in made} == made
    posts = {ln.split("..")[1].split()[0] for ln in _index_lines(folder)}
    assert {b[:12] for b in made.values()} <= posts


def test_a_rename_and_move_is_found_from_the_code(tmp_path: Path) -> None:
    """sc_retry() renamed and moved to a header of its own: the move rule names the pair, the source rule follows
    it there."""
    (tmp_path / "work").mkdir()
    text = " ".join(_run("gate", str(_v4(tmp_path, "a")), "--variant", "v4", "--rules", RULES).split())
    assert "sc_retry -> seamcall_retry" in text
    assert "arch/x86/include/asm/tdx.h -> arch/x86/virt/vmx/tdx/seamcall_retry.h" in text
    assert re.search(r"seamcall_retry\.h:\d+: expected no likely\(\)", text)


def test_b_a_bound_of_32_is_a_behaviour_change_of_the_move(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    text = _run("gate", str(_v4(tmp_path, "b")), "--variant", "v4", "--rules", RULES)
    assert "TDX module SEAMCALLs 10 -> 32" in text


def test_c_a_patch_squashed_away_is_not_one_the_input_lacks(tmp_path: Path) -> None:
    """v4 alone, its cover letter saying 06 went into 07: the rules on 06 are not told to 'give it', as if it were
    one of v4's patches the input lacks (before: "'Prepare ...' is a patch of v4 (its cover letter lists it), and
    the input lacks v4 6-24 (of 24): give it", the changelog's "Squash ..." line read as a listing, five error rules
    inconclusive), and judge the patch it went into."""
    (tmp_path / "work").mkdir()
    folder = _v4(tmp_path, "c")
    text = " ".join(_run("gate", str(folder), "--variant", "v4", "--rules", RULES).split())
    assert "(its cover letter lists it)" not in text
    # Where it went is what the cover letter says: the rules judge the patch it went into, as they do with v3 beside
    # v4, where the lines of v3 06 are found in v4 05 (harness.patchparts).
    assert ("v4's cover letter says it was squashed into v4 05/24 'x86/virt/seamldr: Introduce a wrapper for "
            "P-SEAMLDR SEAMCALLs': the change is judged from v4:04 to v4:05") in text
    with_v3 = _run("gate", str(V3), str(folder), "--variant", "v4", "--rules", RULES)
    assert text.split(" v4 with ")[0] == with_v3.split("\n")[0]


def _left_out(tmp: Path, plan: nextrev.Plan) -> list[str]:
    folder = nextrev.write(tmp / "v4", nextrev.raw(nextrev.build(plan, tmp / "work")))
    block = _run("eval", str(V3), str(folder)).split("\nv3 -> v4\n", 1)[1]
    return [ln.strip() for ln in block.splitlines()[:3] if "has no patch titled" in ln]


@pytest.mark.parametrize("listing", [True, False], ids=["shortlog", "changelog-only"])
def test_c_dropped_patches_are_said_from_the_cover_letter(tmp_path: Path, listing: bool) -> None:
    """v3 and a v4 of 24 (5 of them in the input) whose cover letter says 05 was dropped and 06 squashed into 07
    (with a shortlog listing every patch, or without): both said under v3 -> v4 (before: nothing, the input lacking
    v4 patches of its own)."""
    (tmp_path / "work").mkdir()
    assert _left_out(tmp_path, replace(nextrev.plan("c"), shortlog=listing)) == [
        "v4 has no patch titled as v3 05/26: coco/tdx-host: Expose TDX Module version (v4's cover letter says it was "
        "dropped)",
        "v4 has no patch titled as v3 06/26: x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs (v4's cover letter "
        "says it was squashed into 'x86/virt/seamldr: Introduce a wrapper for P-SEAMLDR SEAMCALLs')"]


def test_c_a_patch_moved_away_unsaid_is_told_by_the_shortlog_alone(tmp_path: Path) -> None:
    """Its changelog silent on it, 05 of v3 is missing from v4's shortlog: said so; without a shortlog, nothing
    tells (the input lacks v4's later patches), and nothing is said."""
    (tmp_path / "work").mkdir()
    silent = replace(nextrev.plan("c"), changelog=" - rebased\n")
    assert _left_out(tmp_path, silent)[0] == ("v4 has no patch titled as v3 05/26: coco/tdx-host: Expose TDX Module "
                                              "version (nor does v4's cover letter list it)")
    (tmp_path / "v4").rename(tmp_path / "v4-with-shortlog")
    assert _left_out(tmp_path, replace(silent, shortlog=False)) == []


def test_c_every_patch_kept_says_none_dropped(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    text = _run("eval", str(V3), str(_v4(tmp_path, "a")))
    assert "has no patch titled" not in text.split("\nv3 -> v4\n", 1)[1]


SHORTLOG = """Changelog:
 - Squash "x86/tdx: Add the thing" into "x86/tdx: Use the thing"

Ann Author (2):
  x86/tdx: Use the thing
  x86/tdx: A title long enough that git shortlog wraps it onto a second
    line of its own

Bob Other (1):
  x86/tdx: Move it

 arch/x86/a.c | 1 +
"""


TITLES = ["x86/tdx: Use the thing", "x86/tdx: Move it", "x86/tdx: Other"]


@pytest.mark.parametrize(("cover", "into"), [
    ('- Squash "x86/tdx: Add the thing" into "x86/tdx: Use the thing"\n', "x86/tdx: Use the thing"),
    ("v2:\n - Add the thing is folded into\n   x86/tdx: Move it [Rae]\n", "x86/tdx: Move it"),
    ("Merged 'x86/tdx: Add the thing' and 'x86/tdx: Gone' into 'x86/tdx: Other'.\n", "x86/tdx: Other"),
    ('- Dropped "x86/tdx: Add the thing"\n', None),  # gone, not into another
    ('- Squash "x86/tdx: Move it" into "x86/tdx: Add the thing"\n', None),  # another patch went into it
    ('- Squash "x86/tdx: Add the thing" into a patch of its own series\n', None),  # into nothing the input has
    ('- Squash "x86/tdx: Add the thing" into "x86/tdx: Move it"\n- Fold "x86/tdx: Other" into it\n',
     "x86/tdx: Move it"),
    ('- Rename "x86/tdx: Add the thing".\n- Squash the helpers into "x86/tdx: Other"\n', None),  # another clause
])
def test_squashed_into(cover: str, into: str | None) -> None:
    assert squashed_into(cover, "x86/tdx: Add the thing", TITLES) == into


@pytest.mark.parametrize(("cover", "said"), [
    ('- Dropped "x86/tdx: Add the thing" (Rae)\n', "dropped"),
    ('- Drop "x86/tdx: Move it", "x86/tdx: Gone" and "x86/tdx: Add the thing", merged upstream\n', "dropped"),
    ("- Drop 'x86/tdx: Move it' and\n  'x86/tdx: Add the thing'\n", "dropped"),
    ('- Drop "x86/tdx: Move it" and rework "x86/tdx: Add the thing"\n', None),  # not a list of dropped ones
    ("- x86/tdx: Add the thing is dropped, it went upstream.\n", "dropped"),
    ('- Squash "x86/tdx: Add the thing" into "x86/tdx: Other"\n', "squashed into 'x86/tdx: Other'"),
    ('- "x86/tdx: Add the thing" now checks the return value\n', None),  # still there, reworked
    ('- Renamed the helper in "x86/tdx: Add the thing"\n', None),
    ("- Dropped the unused variable in x86/tdx: Add the thing\n", None),
])
def test_gone(cover: str, said: str | None) -> None:
    assert gone(cover, "x86/tdx: Add the thing", TITLES) == said


def test_shortlog_lists_titles_not_changelog_lines() -> None:
    assert shortlog("no shortlog here\n") is None
    assert listed(SHORTLOG, "x86/tdx: Use the thing") is True
    assert listed(SHORTLOG, "x86/tdx: Move it") is True
    assert listed(SHORTLOG, "x86/virt/tdx: Move it") is True  # its prefix respelt
    assert listed(SHORTLOG, "x86/tdx: A title long enough that git shortlog wraps it onto a second line of its own")
    assert listed(SHORTLOG, "x86/tdx: Add the thing") is False
    assert listed("", "x86/tdx: Move it") is None


def _git_am(tmp: Path, folder: Path, include: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """git am of the folder's patch mails (the cover letter left out) on an empty tree, only ``include``: the blobs
    of the last commit it made, and its error."""
    split = mailsplit(tmp, *sorted(folder.iterdir()))[1:]
    mails = []
    for i, data in enumerate(split):
        mails.append(tmp / f"am-{folder.name}-{i}")
        mails[-1].write_bytes(data)
    commits, error = am(init_repo(tmp / f"repo-{folder.name}"), mails, include=include)
    return (commits[-1].blobs if commits else {}), error


SHAPES = {"thunderbird-qp-flowed-unwrapped": (Shape(cte="quoted-printable", flowed=True), True),
          "thunderbird-qp-flowed-delsp-unwrapped": (Shape(cte="quoted-printable", flowed=True, delsp=True), True),
          "base64": (Shape(cte="base64"), False), "crlf": (Shape(crlf=True), False),
          "base64-crlf": (Shape(cte="base64", crlf=True), False)}


@pytest.mark.parametrize("name", list(SHAPES))
def test_e_other_clients_apply_to_the_blobs_git_am_makes(tmp_path: Path, name: str) -> None:
    """v4 sent by another client: apply writes the blobs it writes from git send-email's mail, which are git am's."""
    shape, unwrapped = SHAPES[name]
    (tmp_path / "work").mkdir()
    mails = nextrev.build(nextrev.plan("a", "d"), tmp_path / "work")
    plain, dressed = nextrev.write(tmp_path / "plain", nextrev.raw(mails)), tmp_path / "dressed"
    nextrev.write(dressed, nextrev.raw(mails, shape, unwrapped))
    assert (plain / "0003-v4.eml").read_bytes() != (dressed / "0003-v4.eml").read_bytes()
    blobs = []
    for folder in (plain, dressed):
        _run("apply", str(folder), "--variant", "v4", "--out", f"{folder}.out")
        files = json.loads(Path(f"{folder}.out", "provenance.json").read_text())["files"]
        blobs.append({f["path"]: f["blob"] for f in files if f["complete"]})
    assert blobs[0] == blobs[1]
    made, error = _git_am(tmp_path, dressed, tuple(blobs[1]))
    assert not error
    assert {p: b for p, b in made.items() if p in blobs[1]} == blobs[1]


def test_e_a_flowed_mail_wrapped_by_its_client_is_refused_as_git_am_refuses_it(tmp_path: Path) -> None:
    """Thunderbird's format=flowed with its line wrapping on breaks long diff lines: git am cannot apply the
    patch, and apply says so rather than writing files."""
    (tmp_path / "work").mkdir()
    mails = nextrev.build(nextrev.plan("a"), tmp_path / "work")
    folder = nextrev.write(tmp_path / "wrapped", nextrev.raw(mails, Shape(cte="quoted-printable", flowed=True)))
    res = runner.invoke(app, ["apply", str(folder), "--variant", "v4", "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "format=flowed" in res.output
    _, error = _git_am(tmp_path, folder, (nextrev.SEAMCALL_H, nextrev.RETRY_H))
    assert "corrupt patch" in error


def test_f_g_leaves_printed_with_hash_x_as_lib_vsprintf_prints_them(tmp_path: Path) -> None:
    """%#llx: "0x" and the digits, no zero padding; 0x%016llx: 16 digits (lib/vsprintf.c number(): SPECIAL adds
    the prefix, no width pads)."""
    (tmp_path / "work").mkdir()
    text = " ".join(_run("eval", str(V3), str(_v4(tmp_path, "f", "g"))).split())
    assert "fn printed with '0x%016llx' -> '%#llx' (0x0000000000000021 -> 0x21)" in text
    assert "fn printed with '%llx' -> '%#llx' (8000000000000000 -> 0x8000000000000000)" in text
    gate = _run("gate", str(_v4(tmp_path / "g", "g")), "--variant", "v4", "--rules", RULES)
    # Both leaves in hex (one with 0x, one without): the same base, as the review asked.
    assert re.search(r"(?m)^PASS leaf-base-consistent", gate) and re.search(r"(?m)^PASS leaf-in-hex-for-both", gate)


REPLIES = {
    "gmail-reviewed": (nextrev.gmail_reply, "Reviewed-by: Rae Viewer <rae@example.net>", "Reviewed-by", None),
    "outlook-reviewed": (nextrev.outlook_reply, "Looks good to me.\n\nReviewed-by: Rae Viewer <rae@example.net>",
                         "Reviewed-by", None),
    "gmail-nak": (nextrev.gmail_reply, "NAK. The P-SEAMLDR should use the same error code; please drop this patch.",
                  "NAK", "1 NAK no rule judges"),
    "outlook-point": (nextrev.outlook_reply, "Please cap the retries at 8 here, 10 is too many for the P-SEAMLDR.",
                      "", "1 review point no rule judges"),
    "outlook-thanks": (nextrev.outlook_reply, "Thanks, applied.", "", None),
}


@pytest.mark.parametrize("name", list(REPLIES))
def test_e_replies_from_other_clients(tmp_path: Path, name: str) -> None:
    """A Gmail reply under its "On ... wrote:" quote, an Outlook one above an unquoted copy of the whole patch: the
    replier's words are read as theirs (a tag, a NAK, a review point), the copy's trailers and diff are not."""
    make, text, kind, block = REPLIES[name]
    (tmp_path / "work").mkdir()
    mails = nextrev.build(nextrev.plan(), tmp_path / "work")
    folder = nextrev.write(tmp_path / "v4", nextrev.raw(mails))
    (folder / "0100-reply.eml").write_bytes(make(mails[6], text))
    tree = _run("series", str(folder))
    said = re.search(r"Rae Viewer Mon, 07 Dec 2026 12:00:00 \+0000(?:  (.*?))?  <", tree)
    assert said is not None and (said.group(1) or "").split(",")[0] == kind
    assert "Farrah" not in " ".join(ln for ln in tree.splitlines() if "+ " in ln)  # the copy's Tested-by
    assert "v4:06+" not in tree and "v4:06~" not in tree  # the copied diff is no proposal
    head = _run("gate", str(folder), "--variant", "v4", "--rules", RULES).splitlines()[0]
    assert (block in head) if block else ("no rule judges" not in head)


def test_b_the_retry_rule_follows_the_loop_into_another_function(tmp_path: Path) -> None:
    """The P-SEAMLDR's no-entropy retry moved out of sc_retry() into a loop of seamldr_prerr()'s own: the behaviour
    rule finds it there (seamldr_prerr() run with SEAMLDR leaves), and the rule on sc_retry()'s retry code is n/a."""
    text = _run("gate", str(_v4(tmp_path, "h")), "--variant", "v4", "--rules", RULES)
    failing = text.split("FAIL seamldr-no-entropy-not-retried", 1)[1].split("\n", 4)[3]
    assert failing.strip().startswith("- seamldr_prerr/SEAMLDR_INFO/seamldr-no-entropy-x1/seamldr.c")
    assert re.search(r"(?m)^N/A retry-code-chosen-in-one-place", text)


def test_d_a_new_wrapper_is_found_and_run(tmp_path: Path) -> None:
    """seamcall_prerr_warn() and its caller, in no matrix: found in the code and run, WARN_ON_ONCE() and all."""
    out = tmp_path / "eval.json"
    text = " ".join(_run("eval", str(_v4(tmp_path, "a", "d")), "--json", str(out)).split())
    events = json.loads(out.read_text())["outcome_parts"]["events"]
    assert any(e[:2] == ["warning", "WARN_ON"] and e[2].startswith(nextrev.SEAMCALL_H) for ev in events for e in ev)
    assert re.search(r"entry points found in the code: seamcall_checked\(\) \[discovered, "
                     r"arch/x86/virt/vmx/tdx/seamldr\.c:\d+\], seamcall_prerr_warn\(\) \[discovered", text)
    assert "seamcall_prerr_warn() is new: this patch defines it" in text


EARLIER = [(3, "x86/tdx: Add the thing"), (5, "coco/tdx-host: Expose TDX Module version"),
           (6, "x86/tdx: Add warn() and use it")]


@pytest.mark.parametrize(("clause", "numbers"), [
    ("- Drop x86/tdx: Add the thing and coco/tdx-host: Expose TDX Module version\n", {3, 5}),
    ("Dropped patches 3 and 5", {3, 5}),
    ("Dropped patches 3, 5 and 6.", {3, 5, 6}),
    ("Drop patch 3.", {3}),
    ("Dropped patch 5 (it goes in separately)", {5}),
    ("Drop Add the thing, Expose TDX Module version and Add warn() and use it [Dave]", {3, 5, 6}),  # no prefix
    ("Drop Add warn() and use it", {6}),  # a title with "and" in it is one title
    # Prose, not a list of titles or numbers: nothing.
    ("Drop the unused variable and Add the thing", set()),
    ("Drop 3 and 5", set()),  # numbers without "patch": may count anything
    ("Dropped patches 3 and 7", set()),  # 7 is no patch of the earlier revision: the list is not of them
    ("Drop Add the thing, it went upstream", set()),
    ("Dropped the unused variable in x86/tdx: Add the thing", set()),
])
def test_dropped_listed_reads_unquoted_titles_and_numbers(clause: str, numbers: set[int]) -> None:
    """An unquoted list of dropped patches: each when every item is an exact title or a patch number of the earlier
    revision (before: 'Drop A and B' dropped A alone, 'Dropped patches 3 and 5' none)."""
    assert dropped_listed(clause, EARLIER) == numbers
    said = gone(f"Changelog:\n - {clause}\n - rebased\n", "coco/tdx-host: Expose TDX Module version", [], EARLIER)
    assert (said == "dropped") == (5 in numbers)
