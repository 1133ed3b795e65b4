"""thread_replies: a reply to a refused posting's patch goes to no patch read of its revision, by patch-id neither.

Ann's v2 posting A (the 5th: 1/2 add helper, 2/2 decimal) is refused for her B (the 6th, read), which inserts a patch
(2/3, another file) and carries A's 2/2 as 3/3 under a reworded title, the same diff (``git patch-id --stable``). b4
0.16 am of such an mbox credits a review of A's 2/2 to no patch of v2, B's 3/3 included: it carries a review to a patch
of the same patch-id only from another revision's patch (b4/__init__.py's trailer_map, ``pmsg.revision != revision``;
the b4 oracle test below). h580 (abe88956) credited it to B's 3/3; now it is an orphan named in the one note, and a v3
whose patch is that diff is credited with it, as ``b4 am -v 3`` carries it."""

from __future__ import annotations

import itertools
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, patch_body, write_mbox
from tests.readmail import read_in_order, reply_ids

REVIEW = "Reviewed-by: Rae Viewer <rae@example.org>\n"
OTHER = "drivers/demo/other.h"
A = [(1, "demo: add helper", HELPER_PATH, None, HELPER_V0), (2, "demo: print fn in decimal", HELPER_PATH, HELPER_V0,
                                                              HELPER_V1)]
B = [A[0], (2, "demo: add other header", OTHER, None, "/* other */\n"),
     (3, "demo: helper prints fn in decimal", HELPER_PATH, HELPER_V0, HELPER_V1)]


def _posting(tag: str, day: int, patches: list[tuple[int, str, str, str | None, str]]) -> list[EmailMessage]:
    """``[PATCH v2 0-n/n]`` Message-IDs ``cover-<tag>@``, ``p<n>-<tag>@``."""
    date, total, cover = f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000", len(patches), f"c-{tag}@x"
    out = [message(f"[PATCH v2 0/{total}] demo: helper rework", cover, "Cover.\n", date=date)]
    out += [message(f"[PATCH v2 {n}/{total}] {title}", f"p{n}-{tag}@x",
                    patch_body(f"Change {n}.", diff(path, old, new)), parent=cover, refs=(cover,), date=date)
            for n, title, path, old, new in patches]
    return out


def _reply(msgid: str, parent: str, subject: str, words: str = REVIEW) -> EmailMessage:
    return message(subject, msgid, words, sender="Rae Viewer <rae@example.org>", parent=parent,
                   refs=("c-a@x", parent), date="Mon, 05 Jan 2026 12:00:00 +0000")


def _mails() -> list[list[EmailMessage]]:
    """The two postings; a review of A's 2/2 (its subject), one whose subject was edited and a reply to it."""
    return [_posting("a", 5, A), _posting("b", 6, B),
            [_reply("r2@x", "p2-a@x", "Re: [PATCH v2 2/2] demo: print fn in decimal")],
            [_reply("r2e@x", "p2-a@x", "Re: looks right to me"),
             _reply("r2r@x", "r2e@x", "Re: looks right to me", "Agreed.\n\nTested-by: Ty Tester <ty@example.org>\n")]]



@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=lambda o: "".join(map(str, o)))
def test_a_review_of_the_same_change_in_the_same_revision_is_an_orphan_named(
        tmp_path: Path, order: tuple[int, ...]) -> None:
    s = read_in_order(tmp_path, _mails(), order)
    rev = s.revision(2)
    assert rev is not None and [p.mail.msgid for p in rev.patches] == ["p1-b@x", "p2-b@x", "p3-b@x"]
    assert all(reply_ids(p) == [] for p in rev.patches)
    assert sorted(r.mail.msgid for r in s.orphans) == ["r2@x", "r2e@x", "r2r@x"]
    (note,) = [k for k in s.notes if "credited to no patch" in k.reason]
    assert note.reason.startswith("3 replies") and note.reason.count("to <p2-a@x>, not <p3-b@x>") == 3, note.reason


def _v3() -> list[EmailMessage]:
    """Ann's v3 (the 7th): 1/2 add helper, 2/2 A's 2/2's diff under B's 3/3's title."""
    out = _posting("c", 5, [A[0], (2, B[2][1], *B[2][2:])])
    for m in out:
        m.replace_header("Subject", str(m["Subject"]).replace("v2", "v3"))
        m.replace_header("Date", "Wed, 07 Jan 2026 10:00:00 +0000")
    return out


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 4, 0, 3, 1)])
def test_a_review_goes_to_its_change_in_another_revision(tmp_path: Path, order: tuple[int, ...]) -> None:
    mails = [*_mails(), _v3()]
    s = read_in_order(tmp_path, mails, order)
    v2, v3 = s.revision(2), s.revision(3)
    assert v2 is not None and v3 is not None and all(reply_ids(p) == [] for p in v2.patches)
    assert [p.mail.msgid for p in v3.patches] == ["p1-c@x", "p2-c@x"] and reply_ids(v3.patches[0]) == []
    assert reply_ids(v3.patches[1]) == ["r2@x", "r2e@x", "r2r@x"] and s.orphans == ()
    assert not [k for k in s.notes if "credited to no patch" in k.reason]


def test_another_change_of_the_number_and_title_stays_an_orphan_named(tmp_path: Path) -> None:
    # B's 3/3 another diff: no read patch is A's 2/2's change, the one of its title included.
    other = [*B[:2], (3, "demo: print fn in decimal", HELPER_PATH, HELPER_V0, HELPER_V0.replace("0x%016llx", "%lld"))]
    mails = [*_posting("a", 5, A), *_posting("b", 6, other),
             _reply("r2@x", "p2-a@x", "Re: [PATCH v2 3/3] demo: print fn in decimal")]
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", mails),)))
    rev = s.revision(2)
    assert rev is not None and all(not p.replies for p in rev.patches)
    assert [r.mail.msgid for r in s.orphans] == ["r2@x"]
    (note,) = [k for k in s.notes if "credited to no patch" in k.reason]
    assert "<r2@x>" in note.reason and "to <p2-a@x>, not <p3-b@x>" in note.reason, note.reason


def test_git_patch_id_says_a_2_and_b_3_are_one_change(tmp_path: Path) -> None:
    ids = {}
    for tag, patches in (("a", A), ("b", B)):
        *_, (_n, _t, path, old, new) = patches
        ids[tag] = subprocess.run(["git", "patch-id", "--stable"], input=diff(path, old, new), capture_output=True,
                                  text=True, check=True).stdout.split()[0]
    s = read_in_order(tmp_path, _mails(), (0, 1, 2, 3))
    rev = s.revision(2)
    assert rev is not None and rev.slots[2].patch is not None
    assert ids["a"] == ids["b"] == rev.slots[2].patch.patch_id


def test_a_review_of_a_tied_posting_is_credited_to_none_as_its_line_says(tmp_path: Path) -> None:
    # Bob's and Cara's unthreaded v2 2/3 of one Date: tie (neither read); Ann's read 1/3 is Bob's diff. The tie's lines
    # name the review of Bob's 2/3 as not read: it is not credited to Ann's 1/3 either.
    day = "Mon, 05 Jan 2026 10:00:00 +0000"
    ann = [message("[PATCH v2 0/3] demo: helper rework", "c-a@x", "Cover.\n", date=day),
           message(f"[PATCH v2 1/3] {A[1][1]}", "p1-a@x", patch_body("One.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)),
                   parent="c-a@x", refs=("c-a@x",), date=day)]
    tie = [message(f"[PATCH v2 2/3] {A[1][1]}", f"p2-{tag}@x", patch_body("Two.", diff(HELPER_PATH, HELPER_V0, new)),
                   sender=sender, date=day)
           for tag, sender, new in (("c", "Bob Bee <bob@x>", HELPER_V1),
                                    ("d", "Cara Sea <cara@x>", HELPER_V0.replace("0x%016llx", "%lld")))]
    review = _reply("r-c@x", "p2-c@x", f"Re: [PATCH v2 2/3] {A[1][1]}")
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*ann, *tie, review]),)))
    rev = s.revision(2)
    assert rev is not None and [p.mail.msgid for p in rev.patches] == ["p1-a@x"] and reply_ids(rev.patches[0]) == []
    assert [r.mail.msgid for r in s.orphans] == ["r-c@x"]
    assert all("nor the reply below their mails (<r-c@x>" in k.reason for k in s.skipped), s.skipped
    assert not [k for k in s.notes if "credited to no patch" in k.reason]


def _behind_a_tie(version: int) -> list[EmailMessage]:
    """Ann's v2 0-1/3 (read); Dan's unthreaded ``[PATCH v<version> 2/3]`` of the 4th, Ann's 1/3's diff, and Rae's
    review of it; Bob's and Cara's v2 2/3 of the 5th, other diffs of one Date: (a tie, Dan's refused behind it)."""
    day, title = "Mon, 05 Jan 2026 10:00:00 +0000", A[1][1]
    ann = [message("[PATCH v2 0/3] demo: helper rework", "c-a@x", "Cover.\n", date=day),
           message(f"[PATCH v2 1/3] {title}", "p1-a@x", patch_body("One.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)),
                   parent="c-a@x", refs=("c-a@x",), date=day)]
    dan = message(f"[PATCH v{version} 2/3] {title}", "p2-e@x", patch_body("Two.", diff(HELPER_PATH, HELPER_V0,
                                                                                         HELPER_V1)),
                  sender="Dan Dee <dan@x>", date="Sun, 04 Jan 2026 10:00:00 +0000")
    tie = [message(f"[PATCH v2 2/3] {title}", f"p2-{tag}@x", patch_body("Two.", diff(HELPER_PATH, HELPER_V0, new)),
                   sender=sender, date=day)
           for tag, sender, new in (("c", "Bob Bee <bob@x>", HELPER_V0.replace("0x%016llx", "%llu")),
                                    ("d", "Cara Sea <cara@x>", HELPER_V0.replace("0x%016llx", "%lld")))]
    return [*ann, dan, *tie, _reply("r-e@x", "p2-e@x", f"Re: [PATCH v{version} 2/3] {title}")]


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4, 5), (5, 4, 3, 2, 1, 0), (3, 4, 2, 5, 0, 1)])
def test_a_review_of_a_posting_refused_behind_a_tie_is_credited_to_none_as_its_lines_say(
        tmp_path: Path, order: tuple[int, ...]) -> None:
    # Dan's v2 2/3 is Ann's read 1/3's change (git patch-id), refused behind Bob's and Cara's tie. Its line and the
    # tie's name Rae's review of it as not read; before, it was credited to Ann's 1/3 all the same (b4 0.16 does not:
    # the next test).
    mails = _behind_a_tie(2)
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [mails[i] for i in order]),)))
    rev = s.revision(2)
    assert rev is not None and [p.mail.msgid for p in rev.patches] == ["p1-a@x"] and reply_ids(rev.patches[0]) == []
    assert rev.patches[0].patch_id is not None and [r.mail.msgid for r in s.orphans] == ["r-e@x"]
    (line,) = [k.reason for k in s.skipped if k.reason.startswith("v2 patch 02/3 <p2-e@x> was sent before")]
    assert "nor the reply below its mails (<r-e@x>" in line, line
    assert not [k for k in s.notes if "credited to no patch" in k.reason]


def _b4_reviewed(tmp_path: Path, mails: list[EmailMessage], version: int) -> set[str]:
    """The Message-IDs of the patches ``b4 am -m`` of ``mails`` (``-v version``, offline) gives Rae's Reviewed-by;
    the test is skipped without b4."""
    import mailbox
    import os
    import shutil
    import sys

    b4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if b4 is None:
        pytest.skip("b4 is not installed (pip install -e '.[test]')")
    mbox, out = write_mbox(tmp_path / "t.mbox", mails), tmp_path / "b4-out"
    subprocess.run([b4, "-n", "--offline-mode", "am", "-m", str(mbox), "-v", str(version), "-o", str(out)],
                   cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
                   capture_output=True, timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    return {str(m["Message-ID"]).strip("<>") for m in mailbox.mbox(str(mbx))
            if REVIEW.strip() in str(m.get_payload(decode=True), "utf-8")}


@pytest.mark.parametrize("version", [1, 2])
def test_b4_carries_the_review_by_patch_id_only_from_another_revision(tmp_path: Path, version: int) -> None:
    # The oracle: b4 am of the whole mbox (-v 2) puts Rae's Reviewed-by on Ann's 1/3 where Dan's patch is v1 (its
    # trailer_map: a patch of another revision, the same patch-id), on no patch where it is v2, as in the test above.
    reviewed = _b4_reviewed(tmp_path, _behind_a_tie(version), 2)
    assert reviewed == ({"p1-a@x"} if version == 1 else set())


@pytest.mark.parametrize("version", [2, 3])
def test_b4_credits_a_review_of_a_refused_posting_only_to_another_revision(tmp_path: Path, version: int) -> None:
    # The oracle of the tests above: b4 am -v 2 of A, B, the reviews of A's 2/2 and v3 gives B's 3/3 (A's 2/2's
    # change) no Reviewed-by; b4 am -v 3 gives it to v3's 2/2, the same change.
    reviewed = _b4_reviewed(tmp_path, [m for group in [*_mails(), _v3()] for m in group], version)
    assert "p3-b@x" not in reviewed and ("p2-c@x" in reviewed) == (version == 3), reviewed
