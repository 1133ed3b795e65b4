"""A series reworked and sent again without ``-v2``, its cover letter's changelog naming the revision, is that one."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import am, init_repo, mailsplit
from tests.mailgen import HELPER_PATH, HELPER_V1, demo_series, diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
SIX = HELPER_V1.replace("int tries = 3;", "int tries = 6;")


def _again(heading: str, deep: bool, cover_parent: str | None) -> list[EmailMessage]:
    """demo_series(1) reworked (patch 3: six tries) and sent two days later as ``[PATCH n/3]`` again, the cover
    letter's changelog under ``heading``; each patch In-Reply-To the cover (or, ``deep``, the one before)."""
    titles = ["demo: add helper", "demo: print fn in decimal", "demo: try six times"]
    first = demo_series(1)
    body = f"Cover letter text.\n\n{heading}\n- six tries, not five\n\nbase-commit: {'0' * 40}\n"
    refs = (cover_parent,) if cover_parent else ()
    out = [message("[PATCH 0/3] demo: helper rework", "again-0@example.org", body, parent=cover_parent, refs=refs,
                   date="Wed, 07 Jan 2026 10:00:00 +0000")]
    for n, title in enumerate(titles, start=1):
        content = (patch_body("Change 3.", diff(HELPER_PATH, HELPER_V1, SIX)) if n == 3 else
                   str(first[n].get_content()))
        parent = f"again-{n - 1 if deep else 0}@example.org"
        out.append(message(f"[PATCH {n}/3] {title}", f"again-{n}@example.org", content, parent=parent,
                           refs=("again-0@example.org", parent), date=f"Wed, 07 Jan 2026 10:00:0{n} +0000"))
    return out


def _git_am_blobs(tmp: Path, msgs: list[EmailMessage]) -> list[str]:
    """git am of one posting's patches: the helper's blob after each."""
    stem = f"am-{len(list(tmp.glob('am-*')))}"
    paths = []
    for i, data in enumerate(mailsplit(tmp, write_mbox(tmp / f"{stem}.mbox", msgs), mboxrd=True)):
        paths.append(tmp / f"{stem}-{i}")
        paths[-1].write_bytes(data)
    commits, err = am(init_repo(tmp / f"repo-{stem}"), paths)
    assert not err, err
    return [c.blobs[HELPER_PATH][:12] for c in commits]


@pytest.mark.parametrize("heading", ["Changes in v2:", "Changes since v1:", "v1 -> v2:", "v2:"])
@pytest.mark.parametrize("deep", [False, True], ids=["shallow", "deep"])
@pytest.mark.parametrize("cover_parent", [None, "cover-v1@example.org"], ids=["own thread", "in v1's thread"])
def test_a_series_sent_again_without_its_version_is_the_revision_its_changelog_names(
        tmp_path: Path, heading: str, deep: bool, cover_parent: str | None) -> None:
    first, again = demo_series(1), _again(heading, deep, cover_parent)
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", first + again),)))
    assert not series.skipped  # it was: two postings of v1, the earlier set aside (exit 2)
    assert [(r.version, [p.mail.msgid for p in r.patches]) for r in series.revisions] == [
        (1, [f"p{n}-v1@example.org" for n in (1, 2, 3)]), (2, [f"again-{n}@example.org" for n in (1, 2, 3)])]
    for rev, msgs in zip(series.revisions, (first, again), strict=True):
        assert [p.files[0].new_blob for p in rev.patches] == _git_am_blobs(tmp_path, msgs[1:])
    # Said, on the cover letter's line (it was silent: `series` showed a v2 its subjects never name).
    (note,) = [n for n in series.notes if n.where.msgid == "again-0@example.org"]
    cover = series.revisions[1].cover
    assert cover is not None and note.where == cover.mail.where
    assert note.reason == ("<again-0@example.org> [PATCH 0/3] and its 3 patches below it read as v2, a revision no "
                           "subject of theirs names: the cover letter's changelog names v2")


def test_a_cover_letter_naming_no_later_revision_is_still_another_posting(tmp_path: Path) -> None:
    """The guard: the same posting whose cover letter has no changelog stays a second posting of v1, refused."""
    again = _again("Notes:", False, None)
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", demo_series(1) + again),)))
    assert [r.version for r in series.revisions] == [1] and series.skipped


def test_a_cover_letter_whose_tag_was_left_out_is_the_revision_its_patches_answer_it_with(tmp_path: Path) -> None:
    """v2 sent with its cover letter's subject edited to ``[PATCH 0/3]`` (no changelog): its ``[PATCH v2 n/3]``
    patches answer it, and b4 0.16 takes it for v2's cover letter. It was a resend of v1's, v2 left without one."""
    import email
    from email.policy import default

    from tests.harness.test_ingest import _b4_am

    second = demo_series(2)
    second[0].replace_header("Subject", "[PATCH 0/3] demo: helper rework")
    mbox = write_mbox(tmp_path / "t.mbox", demo_series(1) + second)
    series = parse_series(IngestRequest((mbox,)))
    assert [(r.version, r.cover.mail.msgid if r.cover else None) for r in series.revisions] == [
        (1, "cover-v1@example.org"), (2, "cover-v2@example.org")]
    assert [n.reason for n in series.notes if n.where.msgid == "cover-v2@example.org"] == [
        "<cover-v2@example.org> [PATCH 0/3] read as v2, a revision its subject does not name: its patches In-Reply-To "
        "it name v2"]
    mbx = _b4_am(tmp_path, mbox, "cover-v2@example.org", "-v", "2")[2]
    (cover,) = mbx.parent.glob("*.cover")
    assert email.message_from_bytes(cover.read_bytes(), policy=default)["Message-ID"] == "<cover-v2@example.org>"


def test_v2s_patches_sent_in_reply_to_v1s_cover_letter_leave_it_v1s(tmp_path: Path) -> None:
    """The guard: v2 sent without a cover letter, its patches In-Reply-To v1's (``git send-email --in-reply-to``),
    beside v1's own patches: v1's cover letter and patches stay v1 (they became v2, v1 gone, in fb4123db)."""
    second = demo_series(2)[1:]
    second[2] = message("[PATCH v2 3/3] demo: try six times", "p3-v2@example.org",
                        patch_body("Change 3.", diff(HELPER_PATH, HELPER_V1, SIX)), parent="cover-v1@example.org",
                        refs=("cover-v1@example.org",))
    for m in second[:2]:
        m.replace_header("In-Reply-To", "<cover-v1@example.org>")
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", demo_series(1) + second),)))
    assert [(r.version, r.cover.mail.msgid if r.cover else None, [p.mail.msgid for p in r.patches])
            for r in series.revisions] == [
        (1, "cover-v1@example.org", [f"p{n}-v1@example.org" for n in (1, 2, 3)]),
        (2, None, [f"p{n}-v2@example.org" for n in (1, 2, 3)])]
