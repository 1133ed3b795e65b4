"""The series tree (reports.series_view.series_tree): what a reader of ``seamharness series`` sees of the thread."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from harness.cli import app
from harness.console import show
from harness.ingest import IngestRequest, parse_series
from reports.series_view import series_tree
from tests.mailgen import demo_series, message, write_mbox


def test_the_replies_of_a_posting_a_point_update_replaced_are_listed_under_it(tmp_path: Path) -> None:
    # Before: "supersedes <p2-v2@example.org>" alone; Mae's NAK of it was in series --json only.
    msgs = demo_series()
    old = msgs[2]
    update = message(str(old["Subject"]).replace("PATCH v2 ", "PATCH v2.1 "), "p2-v2.1@example.org",
                     old.get_content(), parent="p2-v2@example.org", refs=("cover-v2@example.org", "p2-v2@example.org"))
    nak = message(f"Re: {old['Subject']}", "nak@example.org", "> Change number 2.\n\nNAK, keep it in hex.\n",
                  sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org",
                  refs=("cover-v2@example.org", "p2-v2@example.org"))
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*msgs, nak, update]),)))
    console = Console(width=200, record=True)
    console.print(series_tree(series, []))
    lines = console.export_text().splitlines()
    at = next(i for i, ln in enumerate(lines) if "supersedes <p2-v2@example.org>" in ln)
    assert "Mae Maint" in lines[at + 1] and "NAK" in lines[at + 1] and "<nak@example.org>" in lines[at + 1], lines


def test_a_proposal_is_placed_by_its_file_and_line(tmp_path: Path) -> None:
    # Before: 'proposal diff at line 25', which of the folder's mails not said (a maildir's name is no guide).
    msgs = demo_series()
    text = str(msgs[3].get_content())
    proposal = text[text.index("diff --git"):].split("\n-- \n")[0]
    reply = message(f"Re: {msgs[3]['Subject']}", "r1@example.org", "> Change number 3.\n\nRather:\n\n" + proposal,
                    sender="Mae Maint <mae@example.org>", parent="p3-v2@example.org",
                    refs=("cover-v2@example.org", "p3-v2@example.org"))
    (tmp_path / "in").mkdir()
    for n, m in enumerate([*msgs, reply]):
        (tmp_path / "in" / f"{n}.eml").write_bytes(m.as_bytes())
    series = parse_series(IngestRequest((tmp_path / "in",)))
    console = Console(width=400, record=True)
    console.print(series_tree(series, []))
    out = console.export_text()
    line = next(ln for ln in (tmp_path / "in" / "4.eml").read_text().splitlines(keepends=True)
                if ln.startswith("diff --git"))
    at = (tmp_path / "in" / "4.eml").read_text().splitlines(keepends=True).index(line) + 1
    assert f"proposal diff at {tmp_path / 'in' / '4.eml'}:{at}: diff --git" in out, out


def test_a_subject_of_megabytes_is_drawn_cut_in_linear_time(tmp_path: Path) -> None:
    # A generated patch whose Subject is one 10 MB line: `seamharness series` took 39 s (rich folds a tree's label
    # into lines and splits off each line with a copy of the rest: quadratic; 30 MB, the mail cap, near six minutes).
    # A label's text past 10,000 characters is cut and says how much more there is; 3 MB took about 20 s of CPU.
    # Counted, not timed: the characters of the longest label handed to rich to fold.
    from reports.plaintree import Branch

    def labels(tree: Branch) -> list[int]:
        return [len(tree.marked()), *(n for child in tree.children for n in labels(child))]

    msgs = demo_series()
    msgs[2].replace_header("Subject", str(msgs[2]["Subject"]) + " LONGWORD")
    mbox = write_mbox(tmp_path / "t.mbox", msgs)
    # Written in as one line: Python's generator folded it into 46,000 encoded words (4.4 s of CPU), which is not
    # what this tests; the title read is the same either way.
    mbox.write_bytes(mbox.read_bytes().replace(b" LONGWORD\n", b" " + b"x" * 3_000_000 + b"\n", 1))
    series = parse_series(IngestRequest((mbox,)))
    tree = series_tree(series, [])
    assert max(labels(tree)) < 10_200, max(labels(tree))  # the 3 MB title cut to 10,000 characters (and a note)
    console = Console(width=200, file=io.StringIO())
    show(tree, console)  # as the command prints it: the cut title one word, whole on a line of its own
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "x" * 100 in text and len(text) < 100_000
    title = series.revisions[0].patches[1].mail.subject.title
    assert len(title) > 3_000_000
    assert f"...({len(title) - 10_000:,}morecharacters)" in "".join(text.replace("│", "").split())


def test_a_reply_that_only_reports_a_breakage_is_listed_as_a_regression(tmp_path: Path) -> None:
    # Before: 'drop-patch' in the tree and in series --json ('a request to drop the patch in its own words'), while the
    # gate counted the same reply as a regression report; one asking too stays a request to drop.
    msgs = demo_series()
    said = {"r1@example.org": "This patch breaks boot on my box.\n",
            "r2@example.org": "This patch breaks boot on my box. Please drop this patch.\n",
            "r3@example.org": "Please drop this patch.\n"}
    replies = [message(f"Re: {msgs[2]['Subject']}", msgid, f"> Change number 2.\n\n{words}",
                       sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org",
                       refs=("cover-v2@example.org", "p2-v2@example.org")) for msgid, words in said.items()]
    mbox = write_mbox(tmp_path / "t.mbox", [*msgs, *replies])
    doc = json.loads(CliRunner().invoke(app, ["series", str(mbox), "--json"]).stdout)
    got = {r["msgid"]: r["verdicts"] for rev in doc["revisions"] for p in rev["patches"] for r in p.get("replies", [])}
    assert got == {"r1@example.org": ["regression"], "r2@example.org": ["drop-patch"],
                   "r3@example.org": ["drop-patch"]}, got
    console = Console(width=200, record=True)
    console.print(series_tree(parse_series(IngestRequest((mbox,))), []))
    line = next(ln for ln in console.export_text().splitlines() if "<r1@example.org>" in ln)
    assert "regression" in line and "drop-patch" not in line, line


def test_a_proposal_s_first_line_is_shown_whole(tmp_path: Path) -> None:
    # Before: cut at 70 characters with nothing to say so ('diff --git a/arch/x86/virt/vmx/tdx/seamcall_util.h
    # b/arch/x86/virt/vmx'), found by a new user's reply to a patch of a header with a long path; the tree folds
    # a long line (reports.plainwrap), the JSON has the whole text.
    msgs = demo_series()
    text = str(msgs[3].get_content())
    long = "drivers/demo/a_folder_with_a_rather_long_name/helper.h"
    proposal = text[text.index("diff --git"):].split("\n-- \n")[0].replace("drivers/demo/helper.h", long)
    reply = message(f"Re: {msgs[3]['Subject']}", "r1@example.org", "> Change number 3.\n\nRather:\n\n" + proposal,
                    sender="Mae Maint <mae@example.org>", parent="p3-v2@example.org",
                    refs=("cover-v2@example.org", "p3-v2@example.org"))
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*msgs, reply]),)))
    console = Console(width=400, record=True)
    console.print(series_tree(series, []))
    out = console.export_text()
    assert f": diff --git a/{long} b/{long}\n" in out, out


def test_a_revision_without_its_cover_letter_says_so(tmp_path: Path) -> None:
    # v2's patches came without their 0/3 (a mail lost, a partial export): the tree listed 1/3 to 3/3 as if whole.
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", demo_series()[1:]),)))
    console = Console(width=200, record=True)
    console.print(series_tree(series, []))
    text = console.export_text()
    assert "[00/3] cover letter not in the input" in text, text
    whole = parse_series(IngestRequest((write_mbox(tmp_path / "w.mbox", demo_series()),)))
    console = Console(width=200, record=True)
    console.print(series_tree(whole, []))
    assert "cover letter not in the input" not in console.export_text()


def test_a_replys_note_is_drawn_as_a_note_not_as_an_unread_diff(tmp_path: Path) -> None:
    # A format=flowed reply whose trailer line DelSp broke mid-word: its note (b4 am would not add the trailer) went
    # under the reply as "not a proposal at ...", the words for a diff not read. Now "note at ...".
    from tests.mailgen import MUTT_SEPARATOR, Shape, shaped_mail

    who = "Maximiliane J\u00fcrgens-Longname <maximiliane.longname@example.org>"
    reply = shaped_mail(who, "Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@example.org",
                        f"Fine.\n\nReviewed-by: {who}\n".encode(), b"", Shape(flowed=True, delsp=True))
    reply = reply.replace(b"MIME-Version", b"In-Reply-To: <p2-v2@example.org>\nMIME-Version")
    mbox = tmp_path / "t.mbox"
    mbox.write_bytes(write_mbox(tmp_path / "s.mbox", demo_series()).read_bytes() + MUTT_SEPARATOR + b"\n" + reply)
    console = Console(width=400, record=True)
    console.print(series_tree(parse_series(IngestRequest((mbox,))), []))
    text = console.export_text()
    assert "note at " in text and "would not add it" in text and "not a proposal" not in text, text


def test_a_rename_and_a_mode_change_are_shown_as_git_apply_summary_says(tmp_path: Path) -> None:
    # Before: 'drivers/demo/run.sh ?..?' for a mode change (no index line), a rename shown as an edit of its new name.
    from tests.gitoracle import Change, format_patches, summary
    from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1

    made = format_patches(tmp_path, [
        Change("demo: add helper and script", "Adds them.\n", {HELPER_PATH: HELPER_V0.encode(),
                                                              "drivers/demo/run.sh": b"#!/bin/sh\necho demo\n"}),
        Change("demo: move the helper, make the script executable", "Moves it.\n",
               {"drivers/demo/helper2.h": HELPER_V1.encode()}, modes={"drivers/demo/run.sh": "100755"},
               renames={HELPER_PATH: "drivers/demo/helper2.h"}),
    ])
    mails = [message(f"[PATCH {k}/2] {title}", f"p{k}@example.org", (log + patch).decode())
             for k, (title, log, patch) in enumerate(made, start=1)]
    said = summary(tmp_path, made[1][2])  # the oracle
    assert "mode change 100644 => 100755 drivers/demo/run.sh" in said, said
    assert any(s.startswith("rename drivers/demo/{helper.h => helper2.h}") for s in said), said
    r = CliRunner().invoke(app, ["series", str(write_mbox(tmp_path / "t.mbox", mails))], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "?..?" not in r.output, r.output
    assert "drivers/demo/run.sh (mode change 100644 => 100755)" in r.output, r.output
    assert f"drivers/demo/helper2.h (renamed from {HELPER_PATH}) " in r.output, r.output
