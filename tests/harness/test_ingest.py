"""Grouping into revisions, explicit missing slots, conflicts, threading, and the corpus tree."""

from __future__ import annotations

import copy
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Slot
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


def test_revisions_ordered_and_missing_slots(tmp_path: Path) -> None:
    v1 = demo_series(version=1)
    v2 = demo_series(version=2, total=3)
    write_mbox(tmp_path / "v2.mbox", [v2[0], v2[1], v2[3]])
    write_mbox(tmp_path / "v1.mbox", v1)
    s = parse_series(IngestRequest((tmp_path,)))
    assert [r.version for r in s.revisions] == [1, 2]
    v2r = s.revision(2)
    assert v2r is not None and v2r.total == 3
    assert [(sl.number, sl.patch is None) for sl in v2r.slots] == [(1, False), (2, True), (3, False)]
    assert s.title == "demo: helper rework"


def test_two_versions_of_one_patch_refused(tmp_path: Path) -> None:
    a = demo_series()
    b = message("[PATCH v2 2/3] demo: print fn in decimal (again)", "other@x",
                patch_body("Again.", diff(HELPER_PATH, HELPER_V1, HELPER_V2)))
    write_mbox(tmp_path / "t.mbox", [*a, b])
    s = parse_series(IngestRequest((tmp_path / "t.mbox",)))
    # The same Date:, neither a RESEND: neither posting is read (harness.postings._tied), whichever comes first.
    reasons = {k.where.msgid: k.reason for k in s.skipped}
    assert len(reasons) == 5 and "<other@x>" in reasons["p2-v2@example.org"], reasons
    assert "<cover-v2@example.org>" in reasons["other@x"], reasons


def test_a_patch_mail_without_a_diff_is_refused_as_git_am_does(tmp_path: Path) -> None:
    # An mbox cut inside a commit message leaves a "[PATCH 2/3]" with no diff: git am stops ("Patch is
    # empty"); the slot is missing and the input counts as refused, never "no behaviour change".
    a = demo_series()
    cut = message("[PATCH v2 2/3] demo: print fn in decimal", "p2-v2@example.org", "The leaf is printed in dec")
    write_mbox(tmp_path / "t.mbox", [a[0], a[1], cut, a[3]])
    s = parse_series(IngestRequest((tmp_path / "t.mbox",)))
    assert [x.reason for x in s.skipped] == ["patch 2/3 has no diff (git am: Patch is empty): a mail cut short or "
                                             "damaged?"]
    assert [(sl.number, sl.patch is None) for sl in s.revision(2).slots] == [(1, False), (2, True), (3, False)]  # type: ignore[union-attr]


def test_duplicate_message_id_listed(tmp_path: Path) -> None:
    # Another message under an id already read is said; the same message again (a thread saved twice, a
    # mail in two folders: what git am would commit of it is the same) is read once, as b4 does.
    a = demo_series()
    write_mbox(tmp_path / "a.mbox", a)
    write_eml(tmp_path / "same.eml", a[1])
    assert not parse_series(IngestRequest((tmp_path,))).skipped
    a[1].replace_header("Subject", str(a[1]["Subject"]) + " again")
    write_eml(tmp_path / "dup.eml", a[1])
    s = parse_series(IngestRequest((tmp_path,)))
    assert [x.reason.split(",")[0] for x in s.skipped] == [f"duplicate Message-ID <{a[1]['Message-ID'].strip('<>')}>"]
    assert len(s.revision(2).patches) == 3  # type: ignore[union-attr]


def test_reading_keeps_no_second_copy_of_each_message(tmp_path: Path) -> None:
    """Whether a message is the same again is told by a digest of what git am would commit of it: the comparison
    kept each message's whole text a second time while the input was read (a 22 MB mbox of 200 patches: the
    reading's peak 92.5 MB before, 71.4 MB with the digest, 71.1 MB held once read)."""
    import tracemalloc

    from harness import ingest
    from harness.amreading import AmReading
    from harness.mailpaths import read_paths

    added = "".join(f"+\tline {i} of a long diff, some words to fill it;\n" for i in range(1000))
    msgs = [message(f"[PATCH {k}/20] demo: p{k}", f"p{k}@example.org", f"Why.\n---\ndiff --git a/f{k}.c "
                    f"b/f{k}.c\nnew file mode 100644\n--- /dev/null\n+++ b/f{k}.c\n@@ -0,0 +1,1000 @@\n{added}")
            for k in range(1, 21)]
    raws, _ = read_paths([write_mbox(tmp_path / "big.mbox", msgs)])
    size = (tmp_path / "big.mbox").stat().st_size
    tracemalloc.start()
    try:
        read = ingest._read(raws, [], [], AmReading())
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == 20
    assert peak - held < size // 4, (peak - held, size)  # with the copies: about the mbox's size above it


def _list_copy(msg: EmailMessage, list_id: str, sender: str | None = None, footer: str = "") -> EmailMessage:
    """``msg`` as a mailing list delivers it: its List-Id, a From: rewritten (DMARC), a footer below it all."""
    dup = copy.deepcopy(msg)
    dup["List-Id"] = f"Demo list <{list_id}>"
    if sender:
        dup.replace_header("From", sender)
    if footer:
        dup.set_content(dup.get_content() + footer)
    return dup


@pytest.mark.parametrize("vger_first", [True, False])
def test_list_copies_of_one_message_keep_the_copy_b4_keeps(tmp_path: Path, vger_first: bool) -> None:
    """One Message-ID from two lists (lore's all/ holds both copies): the copy b4 keeps of a download
    (liblore's split_and_dedupe, listid-preference) is read, the other is said in a note, and the input
    is not refused."""
    utils = pytest.importorskip("liblore.utils")
    a = demo_series()
    vger = _list_copy(a[1], "linux-kernel.vger.kernel.org")
    mangled = _list_copy(a[1], "demo.lists.example.org", "Ann Author via Demo <demo@lists.example.org>",
                         "_______________________________________________\nDemo mailing list\n")
    copies = [vger, mangled] if vger_first else [mangled, vger]
    path = write_mbox(tmp_path / "t.mbox", [a[0], *copies, *a[2:]])
    (b4_kept,) = [m for m in utils.split_and_dedupe(path.read_bytes()) if m["Message-ID"] == a[1]["Message-ID"]]
    s = parse_series(IngestRequest((path,)))
    assert not s.skipped
    patch = s.revision(2).patches[0]  # type: ignore[union-attr]
    assert f"{patch.mail.author} <{patch.mail.author_email}>" == str(b4_kept["From"]) == str(vger["From"])
    (note,) = s.notes
    assert "list demo.lists.example.org" in note.reason and "list linux-kernel.vger.kernel.org" in note.reason
    assert note.where.line != patch.mail.where.line


def test_another_message_under_a_known_id_keeps_the_first(tmp_path: Path) -> None:
    """Two different messages under one id, from one list or none: the first is read, as b4 keeps it (am -m
    and split_and_dedupe alike), and the second is refused by name (exit 2)."""
    utils = pytest.importorskip("liblore.utils")
    a = demo_series()
    other = _list_copy(a[1], "linux-kernel.vger.kernel.org", "Someone Else <else@example.org>")
    first = _list_copy(a[1], "linux-kernel.vger.kernel.org")
    path = write_mbox(tmp_path / "t.mbox", [a[0], first, other, *a[2:]])
    (b4_kept,) = [m for m in utils.split_and_dedupe(path.read_bytes()) if m["Message-ID"] == a[1]["Message-ID"]]
    s = parse_series(IngestRequest((path,)))
    patch = s.revision(2).patches[0]  # type: ignore[union-attr]
    assert f"{patch.mail.author} <{patch.mail.author_email}>" == str(b4_kept["From"]) == str(first["From"])
    (skip,) = s.skipped
    assert skip.reason.startswith("duplicate Message-ID") and str(patch.mail.where) in skip.reason
    assert not s.notes


def test_threading_by_references_and_subject(tmp_path: Path) -> None:
    s = demo_series()
    deep = message("Re: [PATCH v2 3/3] demo: try five times", "r-deep@x", "Agreed.\n",
                   parent="r-mid@x", refs=("cover-v2@example.org", "p3-v2@example.org", "r-mid@x"))
    mid = message("Re: [PATCH v2 3/3] demo: try five times", "r-mid@x", "Why five?\n",
                  parent="p3-v2@example.org", refs=("p3-v2@example.org",))
    lost = message("Re: [PATCH v2 1/3] demo: add helper", "r-lost@x", "Nice.\n", parent="gone@x")
    stray = message("Re: unrelated", "r-stray@x", "?\n", parent="elsewhere@x")
    write_mbox(tmp_path / "t.mbox", [*s, deep, mid, lost, stray])
    out = parse_series(IngestRequest((tmp_path / "t.mbox",)))
    rev = out.revision(2)
    assert rev is not None
    assert [r.mail.msgid for r in rev.patch(3).replies] == ["r-deep@x", "r-mid@x"]  # type: ignore[union-attr]
    assert [r.mail.msgid for r in rev.patch(1).replies] == ["r-lost@x"]  # type: ignore[union-attr]
    assert [r.mail.msgid for r in out.orphans] == ["r-stray@x"]


def test_cover_replies_attach_to_cover(tmp_path: Path) -> None:
    s = demo_series()
    r = message("Re: [PATCH v2 0/3] demo: helper rework", "rc@x", "Series looks good.\n",
                parent="cover-v2@example.org")
    write_mbox(tmp_path / "t.mbox", [*s, r])
    out = parse_series(IngestRequest((tmp_path / "t.mbox",)))
    assert [x.mail.msgid for x in out.revisions[0].cover.replies] == ["rc@x"]  # type: ignore[union-attr]


def test_corpus_revisions(corpus_series) -> None:  # type: ignore[no-untyped-def]
    s = corpus_series
    assert not s.skipped and not s.orphans
    got = [(r.version, r.rfc, len(r.patches), r.total, r.cover is not None) for r in s.revisions]
    assert got == [(1, True, 3, 20, True), (2, False, 5, 21, True), (3, False, 7, 26, True)]
    assert [p.number for p in s.revision(3).patches] == [1, 2, 3, 4, 5, 6, 7]
    assert all(sl.patch is None for sl in s.revision(3).slots[7:])
    p6 = s.revision(3).patch(6)
    assert p6.mail.msgid == "20260123145645.90444-7-chao.gao@intel.com"
    assert [(f.path, f.old_blob, f.new_blob) for f in p6.files] == [
        ("arch/x86/virt/vmx/tdx/seamcall.h", "0912e03fabfe", "256f71d6ca70")]
    assert [b.version for b in p6.changelog] == [None, 3, 2]
    assert len(p6.replies) == 7
    p3 = s.revision(3).patch(3)
    assert [f.is_new for f in p3.files] == [False, True, False]


def test_git_mailsplit_output_is_read_and_other_files_are_not(tmp_path: Path) -> None:
    # git mailsplit names its pieces 0001, 0002, ... (git am reads them); a README beside them is no mail.
    import subprocess

    box = write_mbox(tmp_path / "s.mbox", demo_series())
    out = tmp_path / "split"
    out.mkdir()
    subprocess.run(["git", "mailsplit", f"-o{out}", str(box)], check=True, capture_output=True)
    (out / "README").write_text("Notes on this series.\nSubject: not a mail\n")
    (out / "notes.txt").write_text("From: me\nSubject: notes, not a patch\n\nkept as .txt: never read\n")
    series = parse_series(IngestRequest((out,)))
    assert [p.number for p in series.revisions[0].patches] == [1, 2, 3]
    assert not series.skipped


def _point_mails(tmp_path: Path, tags: list[str]) -> list[Path]:
    """One single-patch mail per subject tag, each a different change of the same line."""
    olds = [HELPER_V0, HELPER_V1]
    paths = []
    for i, tag in enumerate(tags):
        body = patch_body(f"Take {i}.", diff(HELPER_PATH, olds[0], olds[1].replace("DEMO", f"DEMO{i}")))
        paths.append(write_eml(tmp_path / f"m{i}.eml", message(f"{tag} demo: update", f"m{i}@x", body)))
    return paths


def test_point_update_is_its_revision_never_v1(tmp_path: Path) -> None:
    s = parse_series(IngestRequest(tuple(_point_mails(tmp_path, ["[PATCH]", "[PATCH v2.1 1/1]", "[PATCH-v3]"]))))
    assert not s.skipped
    assert [(r.version, [p.mail.msgid for p in r.patches]) for r in s.revisions] == [
        (1, ["m0@x"]), (2, ["m1@x"]), (3, ["m2@x"])]


def test_point_update_supersedes_its_patch_and_keeps_the_old_one(tmp_path: Path) -> None:
    paths = _point_mails(tmp_path, ["[PATCH v2 1/1]", "[PATCH v2.2 1/1]", "[PATCH v2.1 1/1]"])
    s = parse_series(IngestRequest(tuple(reversed(paths))))
    assert not s.skipped
    (rev,) = s.revisions
    assert rev.version == 2 and rev.slots[0].patch is not None
    assert rev.slots[0].patch.mail.msgid == "m1@x"
    assert [p.mail.msgid for p in rev.slots[0].superseded] == ["m0@x", "m2@x"]


def test_same_point_twice_is_still_refused(tmp_path: Path) -> None:
    s = parse_series(IngestRequest(tuple(_point_mails(tmp_path, ["[PATCH v2.1 1/1]", "[PATCH v2.1 1/1]"]))))
    assert len(s.skipped) == 1 and "given twice" in s.skipped[0].reason


def test_series_views_name_the_point_update_and_what_it_superseded(tmp_path: Path) -> None:
    from rich.console import Console

    from reports.series_view import series_to_dict, series_tree

    s = parse_series(IngestRequest(tuple(_point_mails(tmp_path, ["[PATCH v2 1/1]", "[PATCH v2.1 1/1]"]))))
    slot = series_to_dict(s, [])["revisions"][0]["patches"][0]
    assert slot["msgid"] == "m1@x" and [p["msgid"] for p in slot["supersedes"]] == ["m0@x"]
    console = Console(width=200, record=True)
    console.print(series_tree(s, []))
    text = console.export_text()
    assert "[01/1] v2.1 demo: update" in text and "supersedes <m0@x>" in text


def test_a_top_posted_reply_in_another_language_is_a_reply(tmp_path: Path) -> None:
    # Outlook's "答复:" (or "VS:", "Odp:") and its unquoted copy of the patch, diff included, with no
    # In-Reply-To: it was read as a lone [PATCH] (v1, patch 1/1) whose diff was the copy.
    copy = ("I agree with the decimal.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\n"
            "Sent: Monday, January 5, 2026 10:00 AM\nTo: list@example.org\n"
            "Subject: [PATCH v2 2/3] demo: print fn in decimal\n\n"
            + patch_body("Change number 2.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)))
    reply = message("\u7b54\u590d: [PATCH v2 2/3] demo: print fn in decimal", "outlook@example.org", copy,
                    sender="Rae Viewer <rae@example.org>")
    write_mbox(tmp_path / "t.mbox", [*demo_series(), reply])
    s = parse_series(IngestRequest((tmp_path / "t.mbox",)))
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    patch2 = s.revision(2).patch(2)  # type: ignore[union-attr]
    assert patch2 is not None and [r.mail.msgid for r in patch2.replies] == ["outlook@example.org"]
    assert patch2.replies[0].proposals == () and patch2.replies[0].quotes[-1].who == "Ann Author <ann@example.org>"


def test_a_long_chain_of_replies_is_threaded_in_linear_time(tmp_path: Path) -> None:
    """Each reply walked the whole chain above it to find its patch: 20,000 replies, each answering the one
    before, took minutes (26b4bf6^). Counted, not timed: harness.replythread's lines for a chain of n replies, and
    of twice as many, grow some twice (each reply walking the chain above it: four times)."""
    import harness.replythread
    from tests.linesrun import lines_at

    head = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n"

    def run(n: int) -> None:
        mails = [head + b"From: A <a@x>\nSubject: [PATCH] demo: add helper\nMessage-ID: <m0@x>\n\n"
                 + patch_body("Adds it.", diff(HELPER_PATH, None, HELPER_V0)).encode() + b"\n"]
        mails += [head + (f"From: R <r@x>\nSubject: Re: [PATCH] demo: add helper\nMessage-ID: <m{i}@x>\n"
                          f"In-Reply-To: <m{i - 1}@x>\n\nReply {i}.\n\n").encode() for i in range(1, n + 1)]
        (tmp_path / f"t{n}.mbox").write_bytes(b"".join(mails))
        s = parse_series(IngestRequest((tmp_path / f"t{n}.mbox",)))
        assert len(s.revision(1).patches[0].replies) == n and not s.orphans  # type: ignore[union-attr]

    small, big = lines_at(run, (150, 300), harness.replythread)
    assert 0 < big <= 2.2 * small, (small, big)


def test_a_lone_patch_mail_without_a_diff_is_an_empty_patch_not_a_reply(tmp_path: Path) -> None:
    # git am says "Patch is empty"; [PATCH 1/2] was refused so, a lone [PATCH] listed as a reply to nothing.
    (tmp_path / "lone.eml").write_text("From: A <a@b.c>\nSubject: [PATCH] x: do y\nMessage-ID: <lone@x>\n"
                                       "Date: Mon, 1 Jan 2024 00:00:00 +0000\n\nJust text, no diff.\n")
    s = parse_series(IngestRequest((tmp_path / "lone.eml",)))
    assert not s.orphans and [x.reason for x in s.skipped] == [
        "patch 1/1 has no diff (git am: Patch is empty): a mail cut short or damaged?"]


def test_a_fixup_sent_in_reply_to_the_cover_answers_its_patch(tmp_path: Path) -> None:
    # "[PATCH v2 2/3 fixup]" threaded below the cover letter (git send-email --in-reply-to=<cover>) was filed as
    # a reply to 0/3; it is an addendum to 2/3, as the README says.
    msgs = demo_series()
    cover_id = str(msgs[0]["Message-ID"]).strip("<>")
    msgs.append(message("[PATCH v2 2/3 fixup] demo: print fn in decimal", "fixup-v2@example.org", "Squash this.\n",
                        parent=cover_id, refs=(cover_id,)))
    s = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", msgs),)))
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None and rev.patch(2) is not None
    assert [r.mail.msgid for r in rev.patch(2).replies] == ["fixup-v2@example.org"]  # type: ignore[union-attr]
    assert "fixup-v2@example.org" not in [r.mail.msgid for r in rev.cover.replies]


def test_an_unedited_format_patch_cover_letter_does_not_name_the_series(tmp_path: Path) -> None:
    """``git format-patch --cover-letter`` output sent as it is: its cover subject is git's placeholder, so the
    series is named by its first patch; an edited cover letter still names it."""
    repo = init_repo(tmp_path / "repo", {"drivers/demo/a.c": "int a;\n"})
    for n in (1, 2):
        (repo / "drivers/demo/a.c").write_text(f"int a = {n};\n")
        git(repo, "commit", "-q", "-am", f"demo: step {n}\n\nOur step {n}.")
    git(repo, "format-patch", "-q", "--cover-letter", "-v2", "-o", str(tmp_path / "out"), "HEAD~2")
    s = parse_series(IngestRequest((tmp_path / "out",)))
    cover = s.revisions[-1].cover
    assert cover is not None and cover.mail.subject.title == "*** SUBJECT HERE ***"
    assert s.title == "demo: step 1"
    path = next((tmp_path / "out").glob("*0000-cover-letter.patch"))
    path.write_text(path.read_text().replace("*** SUBJECT HERE ***", "demo: two steps"))
    assert parse_series(IngestRequest((tmp_path / "out",))).title == "demo: two steps"
    # A v3 sent with the placeholder beside that v2: the series keeps v2's cover title, not v3's first patch's.
    (repo / "drivers/demo/a.c").write_text("int a = 3;\n")
    git(repo, "commit", "-q", "-am", "demo: step 3\n\nOur step 3.")
    git(repo, "format-patch", "-q", "--cover-letter", "-v3", "-o", str(tmp_path / "v3"), "HEAD~3")
    both = parse_series(IngestRequest((tmp_path / "out", tmp_path / "v3")))
    assert [r.version for r in both.revisions] == [2, 3] and both.title == "demo: two steps"


def test_re_after_the_tags_of_a_patch_keeps_it_a_patch(tmp_path: Path) -> None:
    # "[PATCH v2 2/3] Re: title" (a patch answering a report): git am commits it as "title", b4 (LoreSubject reads
    # "Re:" at the start only) takes it as patch 2/3; it was read as a reply and its slot left empty, exit 0.
    # Without a diff, "[PATCH] Re: ..." stays a hand-written reply (b4 ignores it), never an empty patch.
    from email.policy import SMTP

    from tests.gitoracle import mailinfo

    msgs = demo_series()
    msgs[2].replace_header("Subject", "[PATCH v2 2/3] Re: demo: print fn in decimal")
    msgs.append(message("[PATCH] Re: demo: print fn in decimal", "note@example.org", "Fine by me.\n",
                        sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                        refs=("p2-v2@example.org",)))
    s = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", msgs),)))
    rev = s.revision(2)
    assert rev is not None and not s.skipped
    p2 = rev.patch(2)
    assert p2 is not None and p2.mail.msgid == "p2-v2@example.org"
    assert p2.mail.subject.title == mailinfo(tmp_path, msgs[2].as_bytes(policy=SMTP)).subject
    assert [r.mail.msgid for r in p2.replies] == ["note@example.org"]


@pytest.mark.parametrize("parent", ["cover-with-diffstat", "cover-without-diffstat", "patch-1"])
def test_a_patch_without_a_version_below_a_versioned_cover_takes_its_revision_as_b4_does(
        tmp_path: Path, parent: str) -> None:
    # "[PATCH 2/3]" (sent without -v2) In-Reply-To the v2 cover letter: b4 takes it as v2's 2/3 when the cover
    # letter has a diffstat and no diff, or when it answers v2's patch 1 (LoreMailbox.add_message); it was
    # read as v1 and v2's slot 2 left empty.
    import email
    import mailbox
    import os
    import shutil
    import subprocess
    import sys
    from email.policy import default

    b4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if b4 is None:
        pytest.skip("b4 is not installed (pip install -e '.[test]')")
    msgs = demo_series(version=2)
    if parent == "cover-with-diffstat":
        msgs[0].set_content("Cover letter text.\n\n drivers/demo/helper.h | 20 ++++++++++\n"
                            " 1 file changed, 20 insertions(+)\n")
    msgs[2].replace_header("Subject", "[PATCH 2/3] demo: print fn in decimal")
    if parent == "patch-1":
        msgs[2].replace_header("In-Reply-To", "<p1-v2@example.org>")
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    ours = [sl.patch.mail.msgid if sl.patch else None for sl in s.revision(2).slots]  # type: ignore[union-attr]
    out = tmp_path / "b4-out"
    out.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    subprocess.run([b4, "-n", "--offline-mode", "am", "-m", str(mbox), "-o", str(out), "-v", "2",
                    "cover-v2@example.org"],
                   cwd=tmp_path, env=env, capture_output=True, timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    read = mailbox.mbox(mbx, factory=lambda f: email.message_from_binary_file(f, policy=default))
    theirs = [str(m["Message-ID"]).strip("<>") for m in read]
    assert [m for m in ours if m] == theirs
    assert (ours[1] is not None) == (parent != "cover-without-diffstat")


def _git_am_kept(tmp_path: Path, mbox: Path, slots: list[Slot]) -> None:
    """git am of the patches seamharness keeps, in slot order, on an empty repository: the oracle that they are
    one series (a commit each)."""
    import email

    from tests.gitoracle import am, mailsplit

    split = {str(email.message_from_bytes(m)["Message-ID"]).strip("<>"): m for m in mailsplit(tmp_path, mbox)}
    mails = []
    for i, sl in enumerate(slots):
        assert sl.patch is not None
        mails.append(tmp_path / f"ours-{i}")
        mails[-1].write_bytes(split[sl.patch.mail.msgid])
    commits, err = am(init_repo(tmp_path / "ours"), mails)
    assert not err and len(commits) == len(slots)


def _b4_am(tmp_path: Path, mbox: Path, msgid: str, *args: str) -> tuple[list[str], str, Path]:
    """The Message-IDs of what ``b4 am`` writes of ``msgid``'s thread (its .mbx, in order), b4's stderr and the
    .mbx; the test is skipped where b4 is not installed."""
    import email
    import mailbox
    import os
    import shutil
    import subprocess
    import sys
    from email.policy import default

    b4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if b4 is None:
        pytest.skip("b4 is not installed (pip install -e '.[test]')")
    out = tmp_path / f"b4-out{'-'.join(args)}"
    out.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    res = subprocess.run([b4, "-n", "--offline-mode", "am", "-m", str(mbox), "-o", str(out), *args, msgid],
                         cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    return [str(m["Message-ID"]).strip("<>")
            for m in mailbox.mbox(mbx, factory=lambda f: email.message_from_binary_file(f, policy=default))], \
        res.stderr, mbx


@pytest.mark.parametrize("tag", ["PATCH", "PATCH v2", "PATCH RESEND v2"])
def test_a_patch_sent_in_reply_to_the_patch_of_its_slot_by_its_sender_replaces_it(tmp_path: Path, tag: str) -> None:
    # "[PATCH 1/3]" (or "[PATCH v2 1/3]") In-Reply-To v2's 1/3 from its sender, reworded: the newer patch 1 of
    # v2, the old one superseded, with a note. It was refused as "given twice" (exit 2), the slot's patch
    # picked by Message-ID order. b4 0.16 puts it at 1 and moves the old 1/3 into slot 2 (LoreSeries.add_patch,
    # "assume additional patch"): git am of b4's output stops on the second patch 1; git am of ours applies.
    from tests.gitoracle import am

    msgs = demo_series(version=2)
    body = patch_body("Change number 1, reworded.", diff(HELPER_PATH, None, HELPER_V0))
    msgs.append(message(f"[{tag} 1/3] demo: add helper", "p1-again@example.org", body, parent="p1-v2@example.org",
                        refs=("cover-v2@example.org", "p1-v2@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000"))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    assert not s.skipped
    (v2,) = s.revisions
    assert [sl.patch.mail.msgid if sl.patch else None for sl in v2.slots] == [
        "p1-again@example.org", "p2-v2@example.org", "p3-v2@example.org"]
    assert [q.mail.msgid for q in v2.slots[0].superseded] == ["p1-v2@example.org"]
    assert [n.reason.split(" ")[:3] for n in s.notes] == [["<p1-again@example.org>", "replaces", "<p1-v2@example.org>"]]
    _git_am_kept(tmp_path, mbox, list(v2.slots))
    theirs, _, mbx = _b4_am(tmp_path, mbox, "cover-v2@example.org", "-v", "2")
    assert theirs[:2] == ["p1-again@example.org", "p1-v2@example.org"]  # b4 0.16: the old one as patch 2
    _, b4_err = am(init_repo(tmp_path / "theirs"), [mbx])
    assert "already exists" in b4_err


@pytest.mark.parametrize("suffix", ["-2@", "~2@"])
def test_of_two_patches_of_one_slot_the_one_read_first_is_kept(tmp_path: Path, suffix: str) -> None:
    # A posting whose patches came twice (different text, one thread): the second read of each is skipped,
    # naming both, as the README says; it was the one whose Message-ID sorted later ("p1-v2-2@" < "p1-v2@").
    a = demo_series()
    again = [copy.deepcopy(m) for m in a[1:]]
    for m in again:
        m.replace_header("Message-ID", str(m["Message-ID"]).replace("@", suffix))
        m.set_content(m.get_content().replace("Change number", "Changed number"))
    mbox = write_mbox(tmp_path / "t.mbox", [*a, *again])
    s = parse_series(IngestRequest((mbox,)))
    assert [sl.patch.mail.msgid for sl in s.revision(2).slots if sl.patch] == [  # type: ignore[union-attr]
        "p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org"]
    assert [x.where.msgid for x in s.skipped] == [f"p{n}-v2{suffix}example.org" for n in (1, 2, 3)]


def test_a_chain_of_replacements_keeps_the_last_and_names_each_step(tmp_path: Path) -> None:
    # v2's 1/3 answered by its sender with "[PATCH 1/3]", that one answered with "[PATCH v2 1/3]": the last
    # takes the slot, whatever order they are read in, the two older ones superseded oldest first, a note each.
    msgs = demo_series()
    b = message("[PATCH 1/3] demo: add helper", "p1-b@example.org",
                patch_body("B.", diff(HELPER_PATH, None, HELPER_V0)), parent="p1-v2@example.org",
                date="Tue, 06 Jan 2026 10:00:00 +0000")
    c = message("[PATCH v2 1/3] demo: add helper", "p1-a@example.org",
                patch_body("C.", diff(HELPER_PATH, None, HELPER_V0)), parent="p1-b@example.org",
                date="Wed, 07 Jan 2026 10:00:00 +0000")
    for order in ([*msgs, c, b], [c, b, *msgs]):
        s = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", order),)))
        slot = s.revision(2).slots[0]  # type: ignore[union-attr]
        assert slot.patch is not None and slot.patch.mail.msgid == "p1-a@example.org" and not s.skipped
        assert [q.mail.msgid for q in slot.superseded] == ["p1-v2@example.org", "p1-b@example.org"]
        assert sorted(n.reason.split(" as ")[0] for n in s.notes) == [
            "<p1-a@example.org> replaces <p1-b@example.org>", "<p1-b@example.org> replaces <p1-v2@example.org>"]


def test_an_unversioned_patch_answering_its_senders_own_patch_of_that_number_replaces_it(tmp_path: Path) -> None:
    # "[PATCH 2/3]" In-Reply-To its sender's v2 2/3: v2's newer patch 2 (it was read as v1's 2/3, v1 holding
    # nothing else). b4 0.16 keeps it v1 (it fixes the revision below a cover letter or patch 1 only) and b4 am
    # then takes that lone 2/3 for the newest series, 1/3 and 3/3 missing; git am of ours applies.
    msgs = demo_series()
    body = patch_body("Change number 2, reworded.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    msgs.append(message("[PATCH 2/3] demo: print fn in decimal", "p2-again@example.org", body,
                        parent="p2-v2@example.org", refs=("cover-v2@example.org", "p2-v2@example.org"),
                        date="Tue, 06 Jan 2026 10:00:00 +0000"))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    assert [r.version for r in s.revisions] == [2] and not s.skipped
    slots = s.revisions[0].slots
    assert [sl.patch.mail.msgid if sl.patch else None for sl in slots] == [
        "p1-v2@example.org", "p2-again@example.org", "p3-v2@example.org"]
    assert [q.mail.msgid for q in slots[1].superseded] == ["p2-v2@example.org"]
    _git_am_kept(tmp_path, mbox, list(slots))
    theirs, err, _ = _b4_am(tmp_path, mbox, "cover-v2@example.org")
    assert theirs == ["p2-again@example.org"] and "missing [1/3]" in err  # b4 0.16: v1, the newest


def test_a_lone_patch_answering_its_senders_own_lone_patch_is_its_next_revision_as_b4_reads_it(tmp_path: Path) -> None:
    # "[PATCH] demo: add helper" reworked and sent In-Reply-To the first (and again below that one): v2 and v3,
    # as b4 0.16 reads a later lone patch of one sender ("Assuming new revision"), b4 am taking the newest; it
    # was refused as given twice (exit 2). Lone patch files not sent so stay one series (git am *.patch).
    def lone(msgid: str, tries: str, parent: str | None, day: int) -> EmailMessage:
        body = patch_body(f"Try {tries}.", diff(HELPER_PATH, None, HELPER_V0.replace("= 3;", f"= {tries};")))
        return message("[PATCH] demo: add helper", msgid, body, parent=parent, refs=(parent,) if parent else (),
                       date=f"Tue, {day:02d} Jan 2026 10:00:00 +0000")

    msgs = [lone("one@example.org", "3", None, 5), lone("two@example.org", "4", "one@example.org", 6),
            lone("three@example.org", "5", "two@example.org", 7)]
    mbox = write_mbox(tmp_path / "s.mbox", [msgs[2], msgs[0], msgs[1]])  # read in another order than sent
    s = parse_series(IngestRequest((mbox,)))
    assert not s.skipped
    assert [(r.version, [p.mail.msgid for p in r.patches]) for r in s.revisions] == [
        (1, ["one@example.org"]), (2, ["two@example.org"]), (3, ["three@example.org"])]
    ordered = write_mbox(tmp_path / "sent.mbox", msgs)  # b4 numbers revisions in the order it reads them
    for version in (2, 3):
        theirs, _, _ = _b4_am(tmp_path, ordered, "one@example.org", "-v", str(version))
        assert theirs == [p.mail.msgid for p in s.revision(version).patches]  # type: ignore[union-attr]


_STAT = " drivers/demo/helper.h | 20 ++++++++++\n 1 file changed, 20 insertions(+)\n"


@pytest.mark.parametrize(("subject", "body", "parent"), [
    ("[PATCH v2] demo: helper rework", f"Cover letter text.\n\n{_STAT}", None),  # git send-email --compose
    ("demo: helper rework", "Cover letter text, no diffstat.\n", None),  # the same sender's thread root
    ("demo: fix the report", f"Here is a fix.\n\n{_STAT}", "report@example.org"),  # a diffstat is enough
])
def test_a_cover_letter_numbered_by_no_subject_is_the_one_b4_finds(tmp_path: Path, subject: str, body: str,
                                                                  parent: str | None) -> None:
    # A cover letter written by hand (no "0/3"), the patches sent In-Reply-To it: b4 0.16 takes the message patch
    # 1 answers for the cover letter when it holds no diff and has a diffstat or starts the thread from the
    # patches' sender (LoreMailbox.get_series). "[PATCH v2] ..." was an empty patch (exit 2), the others replies
    # to nothing: the cover's base-commit: and a Reviewed-by given to the whole series below it were lost.
    msgs = demo_series(version=2)
    msgs[0].replace_header("Subject", subject)
    # (b4 reads a message In-Reply-To another with a trailer-like line, base-commit: too, as a follow-up.)
    base = "" if parent else "0123456789abcdef0123456789abcdef01234567"
    msgs[0].set_content(body + (f"\nbase-commit: {base}\n" if base else ""))
    if parent:
        msgs[0]["In-Reply-To"] = f"<{parent}>"
        msgs.insert(0, message("demo: a bug report", parent, "It breaks.\n", sender="Rita <rita@example.org>"))
    cover = "cover-v2@example.org"
    msgs.append(message("Re: " + subject, "rb@example.org", "Reviewed-by: Rita <rita@example.org>\n",
                        sender="Rita <rita@example.org>", parent=cover, refs=(cover,)))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    rev = s.revision(2)
    assert rev is not None and not s.skipped and len(rev.patches) == 3
    assert [o.mail.msgid for o in s.orphans] == ([parent] if parent else [])  # the report above it
    assert rev.cover is not None and rev.cover.mail.msgid == "cover-v2@example.org"
    assert rev.cover.base_commit == (base or None)
    _, _, mbx = _b4_am(tmp_path, mbox, "p1-v2@example.org")
    cover = next(mbx.parent.glob("*.cover")).read_text()
    assert "Message-ID: <cover-v2@example.org>" in cover or "Message-Id: <cover-v2@example.org>" in cover
    from harness.followups import collected
    got = collected(rev)
    theirs = mbx.read_text()
    assert theirs.count("Reviewed-by: Rita <rita@example.org>") == 3
    assert all([t.value for t in got[p.mail.msgid].applied] == ["Rita <rita@example.org>"] for p in rev.patches)


@pytest.mark.parametrize("answers", ["its-v2-self", "a-reply-to-it", "nothing"])
def test_a_partial_reroll_takes_the_other_patches_from_the_revision_before_as_b4_does(tmp_path: Path,
                                                                                        answers: str) -> None:
    # v3 resends patch 2 alone ("[PATCH v3 2/3]", reworded) In-Reply-To v2's 2/3 or a reply to it: b4 0.16 builds
    # v3 from v2's 1/3 and 3/3 around it (LoreMailbox.partial_reroll); v3 was built without them, its code not the
    # series'. Sent into no thread, it is no reroll (b4: "Not a sane partial reroll").
    msgs = demo_series(version=2)
    msgs.append(message("Re: [PATCH v2 2/3] demo: print fn in decimal", "review@example.org", "> x\n\nReword it.\n",
                        sender="Rita <rita@example.org>", parent="p2-v2@example.org", refs=("p2-v2@example.org",)))
    parent = {"its-v2-self": "p2-v2@example.org", "a-reply-to-it": "review@example.org", "nothing": None}[answers]
    body = patch_body("Change number 2, reworded.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    msgs.append(message("[PATCH v3 2/3] demo: print fn in decimal", "p2-v3@example.org", body, parent=parent,
                        refs=(parent,) if parent else (), date="Tue, 06 Jan 2026 10:00:00 +0000"))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    v3 = s.revision(3)
    assert v3 is not None and not s.skipped
    ours = [sl.patch.mail.msgid if sl.patch else None for sl in v3.slots]
    theirs, err, _ = _b4_am(tmp_path, mbox, "p2-v3@example.org", "-v", "3")
    if answers == "nothing":
        assert ours == [None, "p2-v3@example.org", None] and "partial reroll" not in err
        assert not s.notes
        return
    assert ours == theirs == ["p1-v2@example.org", "p2-v3@example.org", "p3-v2@example.org"]
    assert "partial reroll" in err
    assert [n.reason for n in s.notes] == ["v3 is a partial reroll of v2: its patches answer their v2 selves, so "
                                           "patches 1, 3 of 3 are v2's, as b4 am reconstitutes it"]
    assert [sl.patch.mail.msgid for sl in s.revision(2).slots] == [  # type: ignore[union-attr]
        "p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org"]
    _git_am_kept(tmp_path, mbox, list(v3.slots))
    from typer.testing import CliRunner

    from harness.cli import app

    tree = CliRunner().invoke(app, ["series", str(mbox)])
    assert tree.exit_code == 0 and "[01/3] v2's demo: add helper" in tree.stdout and "partial reroll" in tree.stderr


def test_a_patch_numbered_past_its_count_is_that_patch_as_b4_reads_it(tmp_path: Path) -> None:
    # "[PATCH v2 4/3]", a patch added to a series of three after it was sent, In-Reply-To its cover letter: b4 0.16
    # takes it as patch 4 (LoreSubject reads 4/3, LoreSeries.add_patch makes room). It was a lone patch, numbered
    # 1/1, and refused as v2's 01 given twice (exit 2).
    msgs = demo_series(version=2)
    body = patch_body("Add a readme.", diff("drivers/demo/README", None, "Demo.\n"))
    msgs.append(message("[PATCH v2 4/3] demo: add a readme", "p4-v2@example.org", body, parent="cover-v2@example.org",
                        refs=("cover-v2@example.org",)))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    rev = s.revision(2)
    assert rev is not None and not s.skipped and rev.total == 4 and not rev.missing
    assert not [n for n in s.notes if "numbered past" in n.reason], s.notes  # whole: nothing to explain
    ours = [sl.patch.mail.msgid for sl in rev.slots if sl.patch]
    theirs, _, _ = _b4_am(tmp_path, mbox, "cover-v2@example.org")
    assert ours == theirs == ["p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org", "p4-v2@example.org"]
    _git_am_kept(tmp_path, mbox, list(rev.slots))


def test_a_note_below_ones_own_patch_without_re_is_a_reply_as_b4_reads_it(tmp_path: Path) -> None:
    # The author's "ping" sent In-Reply-To their own patch 2/3 and cover letter, the mailer keeping the subject
    # without "Re:": b4 0.16 leaves them out of the series (no diff: LoreMailbox.add_message). They were an empty
    # patch 2/3 (exit 2) and a second posting of v2 refused beside the first.
    msgs = demo_series(version=2)
    msgs.append(message("[PATCH v2 2/3] demo: print fn in decimal", "ping2@example.org", "Ping?\n",
                        parent="p2-v2@example.org", refs=("cover-v2@example.org", "p2-v2@example.org")))
    msgs.append(message("[PATCH v2 0/3] demo: helper rework", "ping0@example.org", "Ping on the series?\n",
                        parent="cover-v2@example.org", refs=("cover-v2@example.org",)))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    rev = s.revision(2)
    assert rev is not None and not s.skipped and rev.cover is not None
    assert rev.cover.mail.msgid == "cover-v2@example.org"
    theirs, _, _ = _b4_am(tmp_path, mbox, "cover-v2@example.org")
    assert [p.mail.msgid for p in rev.patches] == theirs == ["p1-v2@example.org", "p2-v2@example.org",
                                                              "p3-v2@example.org"]
    assert [r.mail.msgid for r in rev.patch(2).replies] == ["ping2@example.org"]  # type: ignore[union-attr]
    assert [r.mail.msgid for r in rev.cover.replies] == ["ping0@example.org"]


def test_patches_without_a_version_below_a_hand_written_versioned_cover_take_its_revision(tmp_path: Path) -> None:
    # "[PATCH v2] demo: helper rework" written by hand (a diffstat, no "0/3"), its patches sent without -v2 as
    # "[PATCH n/3]": b4 0.16 reads them as v2 (LoreMailbox.add_message fixes the revision from a parent with a
    # diffstat and no diff, whatever its numbering) and the mail as their cover letter. They were v1's.
    msgs = demo_series(version=2)
    msgs[0].replace_header("Subject", "[PATCH v2] demo: helper rework")
    msgs[0].set_content("Cover letter text.\n\n" + _STAT)
    for m in msgs[1:]:
        m.replace_header("Subject", str(m["Subject"]).replace("[PATCH v2 ", "[PATCH "))
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    s = parse_series(IngestRequest((mbox,)))
    assert [r.version for r in s.revisions] == [2] and not s.skipped
    rev = s.revisions[0]
    assert rev.cover is not None and rev.cover.mail.msgid == "cover-v2@example.org"
    theirs, _, mbx = _b4_am(tmp_path, mbox, "cover-v2@example.org", "-v", "2")
    assert [p.mail.msgid for p in rev.patches] == theirs
    assert "message-id: <cover-v2@example.org>" in next(mbx.parent.glob("*.cover")).read_text().lower()


@pytest.mark.parametrize(("number", "total", "noted"), [(3, 2, True), (2, 2, False), (1, None, False)])
def test_a_patch_numbered_past_its_total_is_noted_at_its_subject(tmp_path: Path, number: int, total: int | None,
                                                                 noted: bool) -> None:
    # '[PATCH 3/2]' was read as patch 3 of 3 without a word, and patch 1 of 3 said missing, which no mail said.
    tag = f"[PATCH {number}/{total}]" if total else "[PATCH]"
    path = write_eml(tmp_path / "p.eml", message(f"{tag} demo: add helper", "p@x",
                                                 patch_body("Log.", diff(HELPER_PATH, None, HELPER_V0))))
    s = parse_series(IngestRequest((path,)))
    said = [n for n in s.notes if "numbered past the total" in n.reason]
    assert bool(said) is noted and s.revisions[0].total == max(number, total or 1), s.notes
    if noted:
        line = path.read_text().splitlines()[said[0].where.line - 1]
        assert line.startswith("Subject: ") and tag in line, line
        assert said[0].reason == (f"v1 patch {number} is numbered past the total its subject gives "
                                  f"({number}/{total}): v1 is read as {number} patches, and the input lacks "
                                  "patches 1-2")
