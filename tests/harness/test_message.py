"""Patch messages: MIME decoding, trailers, changelog blocks, diffstat, blob ids, base-commit."""

from __future__ import annotations

import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Patch
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, blob, demo_series, diff, message, patch_body, write_eml


def _one_patch(tmp_path: Path, msg: EmailMessage) -> Patch:
    s = parse_series(IngestRequest((write_eml(tmp_path / "m.eml", msg),)))
    assert not s.skipped, s.skipped
    return s.all_patches()[0]


@pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit", "7bit"])
def test_transfer_encodings_decode_to_same_patch(tmp_path: Path, cte: str) -> None:
    body = patch_body("Log with caf\u00e9." if cte != "7bit" else "Log.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    p = _one_patch(tmp_path, message("[PATCH 1/1] t", "m@x", body, cte=cte))
    f = p.files[0]
    assert f.path == HELPER_PATH
    assert (f.old_blob, f.new_blob) == (blob(HELPER_V0)[:12], blob(HELPER_V1)[:12])
    assert "DEMO (%llu)" in "\n".join(f.hunks[0].target_lines)


def test_latin1_charset(tmp_path: Path) -> None:
    body = patch_body("Acked by J\u00fcrgen.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    p = _one_patch(tmp_path, message("[PATCH] t", "l@x", body, charset="iso-8859-1", cte="quoted-printable"))
    assert "J\u00fcrgen" in p.message


def test_unknown_charset_falls_back(tmp_path: Path) -> None:
    body = patch_body("Plain.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    raw = message("[PATCH] t", "u@x", body, cte="8bit").as_bytes().replace(b"utf-8", b"x-no-such-charset")
    path = tmp_path / "u.eml"
    path.write_bytes(raw)
    s = parse_series(IngestRequest((path,)))
    assert s.all_patches()[0].files[0].path == HELPER_PATH


def test_multipart_with_attached_patch(tmp_path: Path) -> None:
    msg = message("[PATCH 1/1] attached", "a@x", "See the attachment.\n")
    msg.add_attachment(diff(HELPER_PATH, HELPER_V0, HELPER_V1).encode(), maintype="text",
                       subtype="x-patch", filename="0001-demo.patch")
    p = _one_patch(tmp_path, msg)
    assert [f.path for f in p.files] == [HELPER_PATH]


def test_parts_of_a_patch(tmp_path: Path) -> None:
    p = _one_patch(tmp_path, demo_series()[2])
    assert p.number == 2 and p.mail.subject.total == 3 and p.mail.subject.version == 2
    assert p.message == "Change number 2.\n\nSigned-off-by: Ann Author <ann@example.org>"
    assert [(t.key, t.value) for t in p.trailers] == [("Signed-off-by", "Ann Author <ann@example.org>")]
    assert [(b.version, b.lines) for b in p.changelog] == [(2, (" - reworded",))]
    assert p.diffstat[0].startswith(f" {HELPER_PATH} |")
    hunk = p.files[0].hunks[0]
    assert hunk.where.path.endswith("m.eml") and hunk.where.msgid == "p2-v2@example.org"
    text = (tmp_path / "m.eml").read_text().splitlines()
    assert text[hunk.where.line - 1].startswith("@@ ")


def test_new_file_mode_and_base_commit(tmp_path: Path) -> None:
    series = parse_series(IngestRequest((write_eml(tmp_path / "c.eml", demo_series()[0]),
                                         write_eml(tmp_path / "p.eml", demo_series()[1]))))
    rev = series.revisions[0]
    assert rev.cover is not None and rev.cover.base_commit == "0123456789abcdef0123456789abcdef01234567"
    f = rev.patches[0].files[0]
    assert f.is_new and f.new_mode == "100644" and f.old_blob == "000000000000"


def test_bad_diff_is_skipped_with_line(tmp_path: Path) -> None:
    broken = diff(HELPER_PATH, HELPER_V0, HELPER_V1).replace("@@ -18,7 +18,7 @@", "@@ -18,9 +18,9 @@")
    assert broken != diff(HELPER_PATH, HELPER_V0, HELPER_V1)
    path = write_eml(tmp_path / "b.eml", message("[PATCH] b", "b@x", patch_body("x", broken)))
    s = parse_series(IngestRequest((path,)))
    assert not s.all_patches()
    assert len(s.skipped) == 1 and "bad diff" in s.skipped[0].reason
    assert s.skipped[0].where.line > 1


def test_a_cover_letters_changelog_is_read_from_its_body(tmp_path: Path) -> None:
    # git format-patch --cover-letter puts no "---" in a cover letter: its "Changes in v4:" list is in the
    # body, between the blurb and the shortlog; prose naming a revision is no heading.
    body = ("Rework the demo helper.\n\nv2 of this series was smaller.\n\nChanges in v4:\n - rename demo_retry()\n"
            "   to demo_call_retry()\n\n - drop the likely() patch\nv2->v3:\n - new\n\nThe story goes on.\n\n"
            "Ann Author (2):\n  demo: rename\n  demo: print\n\n demo.c | 2 +-\n 1 file changed\n")
    series = parse_series(IngestRequest((write_eml(tmp_path / "c.eml", message("[PATCH v4 0/2] demo", "c@x", body)),
                                         write_eml(tmp_path / "p.eml", demo_series(4, 2)[1]))))
    cover = series.revisions[0].cover
    assert cover is not None
    assert [(b.version, b.lines) for b in cover.changelog] == [
        (4, (" - rename demo_retry()", "   to demo_call_retry()", " - drop the likely() patch")), (3, (" - new",))]


def test_a_b4_cover_letters_changelog_ends_at_its_rule(tmp_path: Path) -> None:
    # b4 send's cover (its DEFAULT_COVER_TEMPLATE and changelog template): the blurb, "---", the changelogs with their
    # "Link to vN:" lines, "---", the shortlog and diffstat, "---", base-commit/change-id/prerequisite lines and the
    # signature. The last block ran on through all of them ('Ann Author (2):', 'base-commit: ...', 'Best regards,').
    body = ("Rework the demo helper.\n\n---\nChanges in v4:\n- Dropped the likely() patch.\n"
            "- Link to v3: https://lore.kernel.org/r/20260101-demo-v3-0-abc@example.org\n\n"
            "Changes in v3:\n- Renamed demo_retry().\n- Link to v2: https://lore.kernel.org/r/x@example.org\n\n"
            "---\nAnn Author (2):\n      demo: rename\n      demo: print\n\n demo.c | 2 +-\n 1 file changed\n---\n"
            "base-commit: 0123456789abcdef0123456789abcdef01234567\nchange-id: 20260101-demo-1a2b3c\n"
            "prerequisite-patch-id: 1111111111111111111111111111111111111111\n\nBest regards,\n-- \n"
            "Ann Author <ann@example.org>\n")
    series = parse_series(IngestRequest((write_eml(tmp_path / "c.eml", message("[PATCH v4 0/2] demo", "c@x", body)),
                                         write_eml(tmp_path / "p.eml", demo_series(4, 2)[1]))))
    cover = series.revisions[0].cover
    assert cover is not None and cover.base_commit == "0123456789abcdef0123456789abcdef01234567"
    assert [(b.version, b.lines) for b in cover.changelog] == [
        (4, ("- Dropped the likely() patch.", "- Link to v3: https://lore.kernel.org/r/20260101-demo-v3-0-abc@example.org")),
        (3, ("- Renamed demo_retry().", "- Link to v2: https://lore.kernel.org/r/x@example.org"))]
    assert cover.prerequisites == ("1111111111111111111111111111111111111111",)


@pytest.mark.parametrize(("heading", "version"), [
    ("v3:", 3), ("Changes in v3:", 3), ("v2->v3:", 3), ("v2 -> v3:", 3), ("Changes from v2 to v3:", 3),
    ("Changes since v2:", 4), ("Changes since v3:", 4), ("Changes from v3:", 4)])
def test_a_changelog_block_is_the_revision_its_changes_went_into(tmp_path: Path, heading: str, version: int) -> None:
    # "v2->v3:" lists what changed going into v3, as "v3:" does; it was read as version 2, the same as a "v2:"
    # block of the notes. "Changes since vN" in a v4 mail is what v4 changed (since vN): v4.
    notes = f"{heading}\n - reuse the printer\n"
    cover = message("[PATCH v4 0/2] demo", "c@x", f"Rework.\n\n{notes}\nAnn Author (2):\n  demo: a\n")
    patch = demo_series(4, 2)[1]
    body = patch.get_content().replace("---\n", f"---\n{notes}", 1)
    patch.set_content(body)
    series = parse_series(IngestRequest((write_eml(tmp_path / "c.eml", cover), write_eml(tmp_path / "p.eml", patch))))
    rev = series.revisions[0]
    assert rev.cover is not None
    for blocks in (rev.cover.changelog, rev.patches[0].changelog):
        assert (blocks[0].version, blocks[0].lines) == (version, (" - reuse the printer",)), blocks


@pytest.mark.parametrize("flowed", [False, True])
def test_a_hunk_a_flowed_mail_joined_says_so(tmp_path: Path, flowed: bool) -> None:
    # A hunk line ending in a space: format=flowed joins it to the next (git am too: "corrupt patch"), and the one-line
    # refusal says why; without format=flowed the same mail applies.
    ctype = "text/plain; charset=UTF-8" + ("; format=flowed; delsp=yes" if flowed else "")
    mail = (f"From: A <a@example.org>\nSubject: [PATCH] t: x\nMessage-ID: <f@x>\nContent-Type: {ctype}\n\nLog.\n---\n"
            "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n  int a;\n-int b;\n+int b2; \n  int c;\n"
            "-- \n2.39\n")
    (tmp_path / "f.eml").write_text(mail)
    s = parse_series(IngestRequest((tmp_path / "f.eml",)))
    said = [k.reason for k in s.skipped]
    assert bool(said) == flowed and all("corrupt patch" in r and "the mail is format=flowed" in r for r in said), said


def test_a_mails_subject_is_placed_at_its_subject_line_or_the_in_body_one_git_am_takes(tmp_path: Path) -> None:
    # Mail had only its first header line (From:): a note about its subject named that line.
    mail = ("From: A <a@example.org>\nDate: Mon, 05 Jan 2026 10:00:00 +0000\nMessage-ID: <s@x>\n"
            "Subject: [PATCH] t: header title\nContent-Type: text/plain\n\n{inbody}Log.\n---\n"
            "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-int b;\n+int b2;\n-- \n2.39\n")
    twice = mail.replace("Subject: [PATCH] t: header title\n", "Subject: [PATCH] t: one\nSubject: [PATCH] t: two\n")
    for text, title in [(mail.format(inbody=""), "t: header title"),
                        (mail.format(inbody="Subject: t: in-body title\n\n"), "t: in-body title"),
                        (twice.format(inbody=""), _mailinfo_subject(twice.format(inbody="")))]:
        (tmp_path / "s.eml").write_text(text)
        p = parse_series(IngestRequest((tmp_path / "s.eml",))).all_patches()[0]
        said = p.mail.subject_where
        assert said is not None and p.mail.subject.title == title, p.mail
        assert text.splitlines()[said.line - 1].endswith(title), (said, title)


def _mboxo_thread(tmp_path: Path, words: str) -> Path:
    """The demo v2 and a reply to its patch 2 saying ``words``, stored by Python's mailbox (an mboxo writer, as mutt
    and Thunderbird are): a body line starting "From " is written ">From " (the oracle: the file's bytes)."""
    import mailbox

    reply = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@example.org", words,
                    sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                    refs=("cover-v2@example.org", "p2-v2@example.org"))
    box = mailbox.mbox(str(tmp_path / "t.mbox"))
    for msg in (*demo_series(), reply):
        box.add(msg)
    box.close()
    return tmp_path / "t.mbox"


@pytest.mark.parametrize(("words", "naks"), [
    ("On Mon, Ann wrote:\n> x\n\nFrom my side this is a NAK.\n", True),
    ("On Mon, Ann wrote:\n> x\nFrom me: NAK, the retry count is wrong.\n", True),
    ("Olga wrote:\n>Retry it.\n>From my side this is a NAK.\n\nI agree with the retry.\n", False),  # a bare quote
])
def test_a_from_line_an_mbox_writer_escaped_is_the_replys_own(tmp_path: Path, words: str, naks: bool) -> None:
    """A reviewer's own line starting "From " stored as ">From " in an mbox: it was read as a quote, its NAK lost
    (the gate passed). Now it is the reply's own line; beside lines quoted with no blank (">text") it stays a
    quote."""
    mbox = _mboxo_thread(tmp_path, words)
    assert b"\n>From " in mbox.read_bytes()  # the writer's escape
    rev = parse_series(IngestRequest((mbox,))).revisions[-1]
    (reply,) = rev.patch(2).replies  # type: ignore[union-attr]
    assert ("NAK" in reply.verdicts) is naks, reply
    assert ("From me" in reply.own_text or "From my side" in reply.own_text) is naks


def test_a_nak_on_a_from_line_in_an_mbox_is_its_senders_at_the_gate(tmp_path: Path) -> None:
    """The gate on that thread as a mutt user's mbox holds it (Python's mailbox writes it: ">From my side ..."): the
    NAK is its sender's, as from the same words in an mboxrd. Before, it was a quoted NAK of "an unnamed sender
    (quoted by Mae Maint)", whose giver and any withdrawal could not be told (harness.quotednak kept it blocking)."""
    import mailbox

    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.sharedoutcomes import shared_outcomes
    from tests.harness.test_gate_naks import _thread

    mboxrd, rules = _thread(tmp_path, "From my side this is a NAK: it special-cases the loader again.")
    box = mailbox.mbox(str(tmp_path / "mutt.mbox"))
    for msg in mailbox.mbox(str(mboxrd)):
        msg.set_from("ann@example.org Mon Jan  5 10:00:00 2026")  # mutt's separator, not the mboxrd's it was read with
        box.add(msg)
    box.close()
    data = (tmp_path / "mutt.mbox").read_bytes()
    assert b"\n>From my side" in data and b"mboxrd" not in data
    for path in (mboxrd, tmp_path / "mutt.mbox"):
        g = evaluate_gate(GateRequest((path,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
        assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 NAK no rule judges"), g.headline()
        [o] = g.objections
        assert (o.author, o.note, o.sentence) == ("Mae Maint", "", "From my side this is a NAK"), o


def _mailinfo_subject(text: str) -> str:
    """The subject git mailinfo takes of a mail (git is the oracle: of two Subject: headers, the one it keeps)."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("no git: git mailinfo is the oracle")
    with tempfile.TemporaryDirectory() as scratch:
        info = subprocess.run(["git", "mailinfo", f"{scratch}/m", f"{scratch}/p"], input=text, capture_output=True,
                              text=True, check=True).stdout
    return next(ln.removeprefix("Subject: ") for ln in info.splitlines() if ln.startswith("Subject: "))
