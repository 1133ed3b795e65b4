"""One patch of a posting mailed again (``[PATCH v2 RESEND 2/3]`` with the trailers given since) fills its slot."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.mailgen import demo_series, message, write_mbox

REVIEWED = "Reviewed-by: Rae Viewer <rae@example.org>"
LATER = "Tue, 06 Jan 2026 10:00:00 +0000"


def _again(msgs: list[EmailMessage], where: str, sender: str = "Ann Author <ann@example.org>",
           change: bool = False) -> EmailMessage:
    """demo_series' patch 2 mailed again a day later as ``[PATCH v2 RESEND 2/3]``, a Reviewed-by above its
    Signed-off-by: a thread of its own (``where`` "thread") or In-Reply-To the cover letter ("cover");
    ``change``: its diff prints in hex again (another git patch-id)."""
    body = msgs[2].get_content().replace("Signed-off-by: Ann", f"{REVIEWED}\nSigned-off-by: Ann")
    if change:
        body = body.replace('+\tpr_err("DEMO (%llu)', '+\tpr_err("DEMO (%#llx)')
    cover = str(msgs[0]["Message-ID"]).strip("<>")
    return message("[PATCH v2 RESEND 2/3] demo: print fn in decimal", "p2-again@example.org", body, sender=sender,
                   parent=cover if where == "cover" else None, refs=(cover,) if where == "cover" else (), date=LATER)


def _read(tmp_path: Path, *mboxes: list[EmailMessage]) -> Series:
    paths = tuple(write_mbox(tmp_path / f"{k}.mbox", msgs) for k, msgs in enumerate(mboxes))
    return parse_series(IngestRequest(paths))


def _patch_id(tmp_path: Path, msg: EmailMessage) -> str:
    """``git patch-id --stable`` of one patch mail (the oracle of "the same change")."""
    from tests.gitoracle import git, init_repo

    repo = tmp_path / "ids" if (tmp_path / "ids").exists() else init_repo(tmp_path / "ids")
    mbox = write_mbox(tmp_path / "one.mbox", [msg]).read_bytes()
    return git(repo, "patch-id", "--stable", stdin=mbox).stdout.split()[0].decode()


def _committed(tmp_path: Path, name: str, msgs: list[EmailMessage]) -> str:
    """The message of the last commit ``git am`` makes of ``msgs``."""
    from tests.gitoracle import am, git, init_repo

    mails = [write_mbox(tmp_path / f"{name}-{k}.mbox", [m]) for k, m in enumerate(msgs)]
    _, err = am(repo := init_repo(tmp_path / name), mails)
    assert not err
    return git(repo, "log", "-1", "--format=%B", "HEAD").stdout.decode()


@pytest.mark.parametrize("where", ["thread", "cover"])
@pytest.mark.parametrize("order", ["as-sent", "resend-first"])
def test_one_patch_mailed_again_with_a_trailer_fills_its_slot(tmp_path: Path, where: str, order: str) -> None:
    # "[PATCH v2 RESEND 2/3]" (the same git patch-id, checked; git am commits the Reviewed-by, checked), sent as a
    # thread of its own or In-Reply-To the cover letter: read as v2's patch 2, the rest of v2 as posted, the
    # question asked on the first 2/3 going with it, with a note. It was refused with the whole posting (exit 2:
    # "another posting of v2 with a patch 2 too"), or in the thread "patch 2 given twice".
    msgs = demo_series()
    again = _again(msgs, where)
    question = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "question@example.org", "Why decimal?\n",
                       sender="Rae Viewer <rae@example.org>", parent="p2-v2@example.org",
                       refs=("cover-v2@example.org", "p2-v2@example.org"))
    assert _patch_id(tmp_path, msgs[2]) == _patch_id(tmp_path, again)
    assert REVIEWED in _committed(tmp_path, "again", [msgs[1], again])
    s = _read(tmp_path, *([[again], [*msgs, question]] if order == "resend-first" else [[*msgs, question], [again]]))
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None and rev.cover.mail.msgid == "cover-v2@example.org"
    assert [sl.patch.mail.msgid for sl in rev.slots if sl.patch] == [
        "p1-v2@example.org", "p2-again@example.org", "p3-v2@example.org"]
    p2 = rev.patch(2)
    assert p2 is not None and REVIEWED.split(": ")[1] in [t.value for t in p2.trailers]
    assert [r.mail.msgid for r in p2.replies] == ["question@example.org"]
    assert [n.where.msgid for n in s.notes] == ["p2-again@example.org"]
    assert "v2 patch 02/3 <p2-again@example.org> read in place of <p2-v2@example.org>" in s.notes[0].reason
    assert s.notes[0].reason.endswith(f"go with it; it adds {REVIEWED}")


def test_series_says_which_mail_is_read_and_the_trailer_it_adds(tmp_path: Path) -> None:
    # `seamharness series` of the posting and the patch mailed again: exit 0, v2 whole, its 2/3 the resend, a
    # note on standard error naming both mails and the Reviewed-by added.
    from typer.testing import CliRunner

    from harness.cli import app

    msgs = demo_series()
    files = [write_mbox(tmp_path / "v2.mbox", msgs), write_mbox(tmp_path / "again.mbox", [_again(msgs, "thread")])]
    r = CliRunner().invoke(app, ["series", *map(str, files)])
    assert r.exit_code == 0, r.output
    assert "v2: 3 of 3 patches" in r.stdout
    assert (f"note: {files[1]}:2: v2 patch 02/3 <p2-again@example.org> read in place of <p2-v2@example.org> "
            f"({files[0]}:68)") in r.stderr and f"it adds {REVIEWED}" in r.stderr


def test_an_old_trailer_the_resend_lacks_is_kept(tmp_path: Path) -> None:
    # The first 2/3 acked in its body, the resend carrying the Reviewed-by only: both are patch 2's trailers.
    msgs = demo_series()
    acked = "Acked-by: Abe Cker <abe@example.org>"
    msgs[2].set_content(msgs[2].get_content().replace("Signed-off-by: Ann", f"{acked}\nSigned-off-by: Ann"))
    again = _again(demo_series(), "cover")
    s = _read(tmp_path, msgs, [again])
    p2 = s.revision(2).patch(2)  # type: ignore[union-attr]
    assert p2 is not None and p2.mail.msgid == "p2-again@example.org"
    assert [f"{t.key}: {t.value}" for t in p2.trailers] == [
        REVIEWED, "Signed-off-by: Ann Author <ann@example.org>", acked]
    assert f"; {acked} of <p2-v2@example.org> kept" in s.notes[0].reason


@pytest.mark.parametrize("where", ["thread", "cover"])
def test_one_patch_mailed_again_with_another_change_is_still_refused(tmp_path: Path, where: str) -> None:
    # The same, its diff changed (another git patch-id, checked): not the same change, so not read as patch 2 of
    # the posting: refused as before (exit 2).
    msgs = demo_series()
    again = _again(msgs, where, change=True)
    assert _patch_id(tmp_path, msgs[2]) != _patch_id(tmp_path, again)
    s = _read(tmp_path, msgs, [again])
    assert s.skipped and not any("read in place of" in n.reason for n in s.notes)


def test_one_patch_mailed_by_someone_else_is_no_resend(tmp_path: Path) -> None:
    # A reviewer's mail of the same change under v2's number 2 (a third party's, not the author's resend): set
    # aside as before, the author's 2/3 read.
    msgs = demo_series()
    s = _read(tmp_path, msgs, [_again(msgs, "thread", sender="Rae Viewer <rae@example.org>")])
    rev = s.revision(2)
    p2 = rev.patch(2) if rev is not None else None
    assert p2 is not None and p2.mail.msgid == "p2-v2@example.org"
    assert [k.where.msgid for k in s.skipped] == ["p2-again@example.org"]


@pytest.mark.parametrize("where", ["thread", "cover"])
@pytest.mark.parametrize("tag", ["PATCH v2 RESEND", "PATCH RESEND"])
def test_a_patch_of_the_posting_mailed_again_without_its_number_fills_its_slot(
        tmp_path: Path, tag: str, where: str) -> None:
    # "[PATCH v2 RESEND] demo: print fn in decimal" (no N/M; "[PATCH RESEND]": its notes' "v2:" name the revision)
    # with a Reviewed-by, in a thread of its own or In-Reply-To the cover letter: patch 2 of v2, its title's, as the
    # numbered resend is. It was a lone patch 1/1 of v2, read in place of the whole posting (every mail of it
    # refused, exit 2), or below the cover letter a reply (its diff a proposal, its Reviewed-by lost).
    msgs = demo_series()
    again = _again(msgs, where)
    again.replace_header("Subject", f"[{tag}] demo: print fn in decimal")
    s = _read(tmp_path, msgs, [again])
    assert not s.skipped
    rev = s.revision(2)
    assert rev is not None and [sl.patch.mail.msgid for sl in rev.slots if sl.patch] == [
        "p1-v2@example.org", "p2-again@example.org", "p3-v2@example.org"]
    assert [n.where.msgid for n in s.notes if "read in place of" in n.reason] == ["p2-again@example.org"]


EARLIER = "Sun, 04 Jan 2026 10:00:00 +0000"


@pytest.mark.parametrize("where", ["thread", "cover"])
@pytest.mark.parametrize("tag", ["PATCH v2 RESEND 2/3", "PATCH RESEND v2 2/3", "PATCH v2 RESEND"])
def test_a_resend_dated_before_the_posting_still_fills_its_slot(tmp_path: Path, tag: str, where: str) -> None:
    # "[PATCH v2 RESEND 2/3]" whose Date: is a day before the posting's (a client clock set back, a backdated mail):
    # a resend comes after what it resends, so it is read in slot 2 of v2 with its Reviewed-by, as when dated after.
    # It was read as the earlier: in its own thread the whole posting read and its Reviewed-by lost; below the cover
    # letter the first 2/3 read "in place of" it.
    msgs = demo_series()
    again = _again(msgs, where)
    again.replace_header("Date", EARLIER)
    again.replace_header("Subject", f"[{tag}] demo: print fn in decimal")
    s = _read(tmp_path, msgs, [again])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and [sl.patch.mail.msgid for sl in rev.slots if sl.patch] == [
        "p1-v2@example.org", "p2-again@example.org", "p3-v2@example.org"]
    p2 = rev.patch(2)
    assert p2 is not None and [f"{t.key}: {t.value}" for t in p2.trailers] == [
        REVIEWED, "Signed-off-by: Ann Author <ann@example.org>"]
    [note] = [n for n in s.notes if "read in place of" in n.reason]
    assert note.where.msgid == "p2-again@example.org"
    assert note.reason.endswith("its Date: is before that of <p2-v2@example.org>, read as the later all the same: the "
                                "RESEND (a resend comes after the mail it resends: a client clock set back or a "
                                "backdated mail)")


@pytest.mark.parametrize("where", ["thread", "cover"])
def test_a_patch_sent_alone_before_the_posting_gives_it_its_trailer(tmp_path: Path, where: str) -> None:
    # "[PATCH v2 2/3]" (no RESEND) with a Reviewed-by, dated a day before the posting: sent before it (the Dates tell),
    # so the posting's 2/3 is read in slot 2, the earlier mail's Reviewed-by kept (a trailer given once stays given).
    # In its own thread the whole posting was read and the Reviewed-by lost.
    msgs = demo_series()
    again = _again(msgs, where)
    again.replace_header("Date", EARLIER)
    again.replace_header("Subject", "[PATCH v2 2/3] demo: print fn in decimal")
    s = _read(tmp_path, msgs, [again])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    p2 = s.revision(2).patch(2)  # type: ignore[union-attr]
    assert p2 is not None and p2.mail.msgid == "p2-v2@example.org"
    assert [f"{t.key}: {t.value}" for t in p2.trailers] == ["Signed-off-by: Ann Author <ann@example.org>", REVIEWED]
    [note] = [n for n in s.notes if "read in place of" in n.reason]
    assert note.reason.startswith("v2 patch 02/3 <p2-v2@example.org> read in place of <p2-again@example.org>")
    assert note.reason.endswith(f"; {REVIEWED} of <p2-again@example.org> kept")


@pytest.mark.parametrize("where", ["thread", "cover"])
@pytest.mark.parametrize("date", [LATER, EARLIER])
def test_a_numbered_resend_whose_subject_lost_its_revision_is_of_the_one_its_notes_name(
        tmp_path: Path, where: str, date: str) -> None:
    # "[PATCH RESEND 2/3]" (the "v2" left out) whose notes say "v2:", its sender's "[PATCH v2 2/3]" of that title
    # posted, dated after it or before: v2's patch 2, read in its slot. It was a v1 of one patch of three beside v2.
    msgs = demo_series()
    again = _again(msgs, where)
    again.replace_header("Date", date)
    again.replace_header("Subject", "[PATCH RESEND 2/3] demo: print fn in decimal")
    s = _read(tmp_path, msgs, [again])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and [sl.patch.mail.msgid for sl in rev.slots if sl.patch] == [
        "p1-v2@example.org", "p2-again@example.org", "p3-v2@example.org"]
    assert any(n.reason == "<p2-again@example.org> [PATCH RESEND 2/3] demo: print fn in decimal read as v2 patch 2/3, "
                           "a revision its subject does not name: its notes below '---' name v2, and its sender sent "
                           "v2's patch 2/3 of that title" for n in s.notes)


def test_a_numbered_patch_whose_notes_name_no_revision_of_its_sender_stays_v1(tmp_path: Path) -> None:
    # The same mail sent by someone else (no v2 patch 2/3 of theirs): the notes alone do not make it v2.
    msgs = demo_series()
    again = _again(msgs, "thread", sender="Rae Viewer <rae@example.org>")
    again.replace_header("Subject", "[PATCH RESEND 2/3] demo: print fn in decimal")
    s = _read(tmp_path, msgs, [again])
    assert [r.version for r in s.revisions] == [1, 2] and not any("read as v2 patch" in n.reason for n in s.notes)


def _reposted(tag: str, suffix: str, date: str, trailer: str = "") -> list[EmailMessage]:
    """demo_series posted as ``[<tag> n/3]`` with Message-IDs ending ``-<suffix>@``, on ``date``; ``trailer`` above
    patch 2's Signed-off-by."""
    out = []
    for k, m in enumerate(demo_series()):
        def own(h: str, m: EmailMessage = m) -> str:
            return str(m[h] or "").replace("@", f"-{suffix}@").strip("<>")
        body = m.get_content()
        if k == 2 and trailer:
            body = body.replace("Signed-off-by: Ann", f"{trailer}\nSigned-off-by: Ann")
        out.append(message(str(m["Subject"]).replace("PATCH v2", tag), own("Message-ID"), body,
                           parent=own("In-Reply-To") or None, refs=tuple(own("References").split()), date=date))
    return out


@pytest.mark.parametrize("order", ["as-sent", "final-first"])
def test_the_in_body_trailers_of_an_earlier_whole_posting_are_joined(tmp_path: Path, order: str) -> None:
    # "[RFC PATCH v2 n/3]" whose 2/3 carries a Reviewed-by in its body (git am commits it: checked), then "[PATCH v2
    # n/3]" of the same changes (git patch-id, checked) without it: the later posting is read and its 2/3 keeps the
    # Reviewed-by, with the note saying so. It was lost (only replies went over).
    rfc = _reposted("RFC PATCH v2", "rfc", "Mon, 05 Jan 2026 10:00:00 +0000", trailer=REVIEWED)
    final = _reposted("PATCH v2", "final", LATER)
    assert _patch_id(tmp_path, rfc[2]) == _patch_id(tmp_path, final[2])
    assert REVIEWED in _committed(tmp_path, "rfc", rfc[1:3])
    s = _read(tmp_path, *([final, rfc] if order == "final-first" else [rfc, final]))
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and not rev.rfc
    p2 = rev.patch(2)
    assert p2 is not None and p2.mail.msgid == "p2-v2-final@example.org"
    assert [f"{t.key}: {t.value}" for t in p2.trailers] == ["Signed-off-by: Ann Author <ann@example.org>", REVIEWED]
    assert [[t.key for t in p.trailers] for p in (rev.patch(1), rev.patch(3)) if p] == [["Signed-off-by"]] * 2
    [note] = s.notes
    assert f"; {REVIEWED} of <p2-v2-rfc@example.org> kept" in note.reason
