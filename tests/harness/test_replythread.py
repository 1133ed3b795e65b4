"""thread_replies: a reply to a refused posting's patch goes to no patch read of its revision, as b4 0.16 am reads it.

Two postings of v2 by Ann: A (the 5th) and B (the 6th, read, A refused). Patch 1 is the same diff in both (the same
``git patch-id --stable``, its message reworded), patch 2 another diff. Reviews of A: a Reviewed-by of its 1/2, a
Reviewed-by and a NAK of its 2/2, an Acked-by of its cover letter. Before, the subject alone put all four below B's
mails (B's 2/2 credited with a review of another diff); now all four are orphans, named in one note, and the NAK still
counts against every variant (harness.unplaced). b4 0.16 am of such an mbox credits none of them to B either,
the review of the same diff included: it carries a review by patch-id only from another revision's patch
(b4/__init__.py's trailer_map; tests/harness/test_replythread_samechange.py runs it)."""

from __future__ import annotations

import itertools
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Patch
from harness.replyobjections import ObjectionKind
from harness.unplaced import unplaced
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, patch_body, write_mbox
from tests.readmail import read_in_order, reply_ids

TITLES = {0: "demo: helper rework", 1: "demo: add helper", 2: "demo: print fn in decimal"}
REVIEW = "Reviewed-by: Rae Viewer <rae@example.org>\n"
ACK = "Acked-by: Rae Viewer <rae@example.org>\n"
NAK = "NAK, this prints a signed value.\n\nNacked-by: Rae Viewer <rae@example.org>\n"
OTHER_V1 = HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%lld)")


def _posting(tag: str, day: int, second: str) -> list[EmailMessage]:
    """``[PATCH v2 0-2/2]`` Message-IDs ``cover-<tag>@``, ``p<n>-<tag>@``; patch 2 makes ``second`` of HELPER_V0."""
    date = f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000"
    cover = f"cover-{tag}@example.org"
    out = [message(f"[PATCH v2 0/2] {TITLES[0]}", cover, "Cover.\n", date=date)]
    for n, (old, new) in enumerate(((None, HELPER_V0), (HELPER_V0, second)), start=1):
        out.append(message(f"[PATCH v2 {n}/2] {TITLES[n]}", f"p{n}-{tag}@example.org",
                           patch_body(f"Change {n} ({tag}).", diff(HELPER_PATH, old, new)), parent=cover,
                           refs=(cover,), date=date))
    return out


def _reply(msgid: str, n: int, words: str) -> EmailMessage:
    """A reply to patch (or cover letter, 0) ``n`` of posting A."""
    parent = "cover-a@example.org" if n == 0 else f"p{n}-a@example.org"
    refs = ("cover-a@example.org",) + ((parent,) if n else ())
    return message(f"Re: [PATCH v2 {n}/2] {TITLES[n]}", msgid, words, sender="Rae Viewer <rae@example.org>",
                   parent=parent, refs=refs, date="Mon, 05 Jan 2026 12:00:00 +0000")


def _mails() -> list[list[EmailMessage]]:
    """The two postings, then the reviews in two groups (each order of the four is tested)."""
    return [_posting("a", 5, OTHER_V1), _posting("b", 6, HELPER_V1),
            [_reply("r1@example.org", 1, REVIEW), _reply("r3@example.org", 2, NAK)],
            [_reply("r2@example.org", 2, REVIEW), _reply("r0@example.org", 0, ACK)]]



@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=lambda o: "".join(map(str, o)))
def test_no_review_of_the_refused_posting_is_credited(tmp_path: Path, order: tuple[int, ...]) -> None:
    s = read_in_order(tmp_path, _mails(), order)
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None and rev.cover.mail.msgid == "cover-b@example.org"
    # r1 answers the same diff as B's 1/2: b4 0.16 am of the mbox credits it to no patch of v2 all the same.
    assert reply_ids(rev.slots[0].patch) == reply_ids(rev.slots[1].patch) == reply_ids(rev.cover) == []
    assert sorted(r.mail.msgid for r in s.orphans) == [f"r{i}@example.org" for i in range(4)]
    (note,) = [k for k in s.notes if "credited to no patch" in k.reason]
    first = min((r for r in s.orphans), key=lambda r: (r.mail.where.path, r.mail.where.line))
    assert note.where == first.mail.where and note.reason.startswith("4 replies to patch mails not read"), note
    for r in sorted(s.orphans, key=lambda r: (r.mail.where.path, r.mail.where.line))[:3]:
        assert f"<{r.mail.msgid}> ({r.mail.where}) to <{r.mail.in_reply_to}>, not <" in note.reason, note.reason
    assert note.reason.count(", not <") == 3 and " and 1 more)" in note.reason, note.reason


def test_a_nak_of_the_refused_posting_still_counts_against_every_variant(tmp_path: Path) -> None:
    s = read_in_order(tmp_path, _mails(), tuple(range(4)))
    found = unplaced(s, 2, frozenset())
    assert [(o.msgid, o.kind) for o in found] == [("r3@example.org", ObjectionKind.NAK)], found


def test_more_than_three_are_counted(tmp_path: Path) -> None:
    mails = _mails()
    more = [_reply(f"r{i}@example.org", 2, "Looks odd.\n") for i in range(4, 6)]
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [m for ms in mails for m in ms] + more),)))
    (note,) = [k for k in s.notes if "credited to no patch" in k.reason]
    assert note.reason.startswith("6 replies") and ", and 3 more)" not in note.reason and " and 3 more)" in note.reason


def test_a_reply_below_a_read_patch_or_absent_one_is_placed_as_before(tmp_path: Path) -> None:
    # B alone with the reviews: their parents are not in the input, so the subject places them (unchanged).
    mails = _mails()
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [m for ms in mails[1:] for m in ms]),)))
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None
    assert reply_ids(rev.slots[1].patch) == ["r2@example.org", "r3@example.org"]
    assert reply_ids(rev.cover) == ["r0@example.org"]
    assert not s.orphans and not [k for k in s.notes if "credited to no patch" in k.reason]


def test_git_patch_id_tells_the_same_changes_apart(tmp_path: Path) -> None:
    # The oracle: git patch-id --stable of each posting's diffs, as the mails carry them.
    def ids(p: Patch) -> str:
        out = subprocess.run(["git", "patch-id", "--stable"], input=p.diff.encode(), capture_output=True, check=True)
        return out.stdout.decode().split()[0]

    mails = _mails()
    s = parse_series(IngestRequest((write_mbox(tmp_path / "a.mbox", mails[0]),)))
    t = parse_series(IngestRequest((write_mbox(tmp_path / "b.mbox", mails[1]),)))
    (a, b) = (x.revision(2) for x in (s, t))
    assert a is not None and b is not None
    pairs = [(p, q) for p, q in zip(a.patches, b.patches, strict=True)]
    assert [ids(p) == ids(q) for p, q in pairs] == [True, False]
    assert [p.patch_id == q.patch_id for p, q in pairs] == [True, False]
    assert all(p.patch_id == ids(p) for pq in pairs for p in pq)


def test_a_reply_to_a_reply_goes_where_the_review_it_answers_goes(tmp_path: Path) -> None:
    # Below r1 (A's 1/2, the same change as B's) and below r2 (A's 2/2): an orphan each, as the review it answers.
    def answer(msgid: str, n: int, parent: str) -> EmailMessage:
        refs = ("cover-a@example.org", f"p{n}-a@example.org", parent)
        return message(f"Re: [PATCH v2 {n}/2] {TITLES[n]}", msgid, "Acked-by: Ann Author <ann@example.org>\n",
                       parent=parent, refs=refs, date="Mon, 05 Jan 2026 13:00:00 +0000")

    more = [answer("a1@example.org", 1, "r1@example.org"), answer("a2@example.org", 2, "r2@example.org")]
    for order in ((0, 1, 2, 3), (3, 2, 1, 0)):
        mails = _mails()
        msgs = more + [m for i in order for m in mails[i]]
        s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", msgs),)))
        rev = s.revision(2)
        assert rev is not None
        assert reply_ids(rev.slots[0].patch) == reply_ids(rev.slots[1].patch) == []
        assert {"a1@example.org", "a2@example.org", "r1@example.org"} <= {r.mail.msgid for r in s.orphans}
        (note,) = [k for k in s.notes if "credited to no patch" in k.reason]
        assert note.reason.startswith("6 replies") and "<p2-a@example.org>, not <p2-b@example.org>" in note.reason
