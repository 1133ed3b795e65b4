"""left_out_fixups: a fixup sent below a refused posting stays below the read patch of its number only where it applies.

Ann's v2 postings: A (the 5th, refused) and B (the 6th, read); both 1/2 create the helper, their 2/2 differ (A's prints
``%lld``, B's ``%llu``). Two ``[PATCH v2 2/2 fixup]`` mails below A's 2/2, written on A's: F1 changes A's pr_err() line
(git am of it on B's 2/2 fails), F2 the tries line (git am takes it on B's 2/2 too). Before, both went to B's 2/2 by
their number: F1 credited to a patch it was not written for, said only as a diff that does not apply; now F1 is left
out (an orphan) and one note names it, F2 stays, a variant of B's 2/2."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from harness.pipeline import SeriesRequest, read_inputs
from tests.gitoracle import AmCommit, am, init_repo, mailsplit
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, patch_body, write_mbox

OTHER = HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%lld)")
TITLES = ("demo: add helper", "demo: print fn in decimal")
LEFT_OUT = "sent below patch mails not read left out"


def _posting(tag: str, day: int, second: str) -> list[EmailMessage]:
    """``[PATCH v2 0-2/2]``, Message-IDs ``cover-<tag>@x``, ``p<n>-<tag>@x``; 2/2 makes ``second`` of HELPER_V0."""
    date, cover = f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000", f"cover-{tag}@x"
    out = [message("[PATCH v2 0/2] demo: helper rework", cover, "Cover.\n", date=date)]
    for n, (old, new) in enumerate(((None, HELPER_V0), (HELPER_V0, second)), start=1):
        out.append(message(f"[PATCH v2 {n}/2] {TITLES[n - 1]}", f"p{n}-{tag}@x",
                           patch_body(f"Change {n}.", diff(HELPER_PATH, old, new)), parent=cover, refs=(cover,),
                           date=date))
    return out


def _fixup(msgid: str, new: str, parent: str = "p2-a@x", old: str = OTHER, tag: str = "fixup") -> EmailMessage:
    """A ``[PATCH v2 2/2 <tag>]`` below ``parent``, its diff ``old`` -> ``new``."""
    return message(f"[PATCH v2 2/2 {tag}] {TITLES[1]}", msgid, patch_body("Fix it.", diff(HELPER_PATH, old, new)),
                   parent=parent, refs=("cover-a@x", parent), date="Mon, 05 Jan 2026 12:00:00 +0000")


F1 = OTHER.replace("%lld)", "%lli)")  # A's pr_err() line, which B's 2/2 made another
F2 = OTHER.replace("int tries = 3;", "int tries = 5;")  # a line both 2/2 leave alone


def _read(tmp_path: Path, mails: list[EmailMessage]) -> Series:
    return read_inputs(SeriesRequest((write_mbox(tmp_path / "t.mbox", mails),)))


def _below(s: Series, n: int) -> list[str]:
    rev = s.revision(2)
    assert rev is not None and rev.slots[n - 1].patch is not None
    return sorted(r.mail.msgid for r in rev.slots[n - 1].patch.replies)


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=lambda o: "".join(map(str, o)))
def test_only_the_fixup_that_applies_to_the_read_patch_is_kept(tmp_path: Path, order: tuple[int, ...]) -> None:
    groups = [_posting("a", 5, OTHER), _posting("b", 6, HELPER_V1), [_fixup("f1@x", F1)],
              [_fixup("f2@x", F2, tag="fixup!")]]
    s = _read(tmp_path, [m for i in order for m in groups[i]])
    assert _below(s, 2) == ["f2@x"] and [r.mail.msgid for r in s.orphans] == ["f1@x"]
    assert [(f.msgid, f.number, f.on_top) for f in s.proposal_fits] == [("f2@x", 2, True)]
    (note,) = [k for k in s.notes if "f1@x" in k.reason]  # the diff's own "does not apply" note is folded into it
    (f1,) = s.orphans
    assert note.where == f1.mail.where and note.reason.startswith(f"a fixup {LEFT_OUT} (<f1@x> ({f1.mail.where}) to "
                                                                   "<p2-a@x>, not <p2-b@x>: does not apply to v2 02/2")


def _am_on_b(tmp_path: Path, replies: dict[str, EmailMessage]) -> dict[str, tuple[list[AmCommit], str]]:
    """git am of B's posting (both its patches taken), then of each reply, one at a time in order, on top: per
    reply's name, the commits the repository then holds and git am's error output."""
    repo = init_repo(tmp_path / "repo")
    (tmp_path / "split").mkdir()
    split = mailsplit(tmp_path / "split", write_mbox(tmp_path / "b.mbox", _posting("b", 6, HELPER_V1)[1:]))
    files = [tmp_path / f"b{k}.eml" for k in range(len(split))]
    for f, data in zip(files, split, strict=True):
        f.write_bytes(data)
    commits, err = am(repo, files)
    assert len(commits) == 2 and err == "", err
    said = {}
    for name, mail in replies.items():
        (raw,) = mailsplit(tmp_path / "split", write_mbox(tmp_path / f"{name}.mbox", [mail]))
        (tmp_path / f"{name}.eml").write_bytes(raw)
        said[name] = am(repo, [tmp_path / f"{name}.eml"])
    return said


def test_git_am_takes_f2_on_the_read_posting_and_refuses_f1(tmp_path: Path) -> None:
    said = _am_on_b(tmp_path, {"f1": _fixup("f1@x", F1), "f2": _fixup("f2@x", F2)})
    assert said["f1"][1] != "" and len(said["f1"][0]) == 2  # refused: B's 2/2 is not the patch it was written on
    assert said["f2"][1] == "" and len(said["f2"][0]) == 3


def test_a_fixup_below_the_read_posting_or_applying_below_the_refused_cover_is_kept(tmp_path: Path) -> None:
    mails = [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1),
             _fixup("g1@x", HELPER_V1.replace("%llu)", "%llx)"), parent="p2-b@x", old=HELPER_V1),
             _fixup("g2@x", HELPER_V1.replace("%llu)", "%lli)"), parent="p2-b@x", old=OTHER),  # below B: as before
             _fixup("g3@x", F2, parent="cover-a@x")]
    s = _read(tmp_path, mails)
    assert _below(s, 2) == ["g1@x", "g2@x", "g3@x"] and s.orphans == ()
    assert not [k for k in s.notes if LEFT_OUT in k.reason]
    (unfit,) = [k for k in s.notes if "<g2@x> does not apply to v2 02/2" in k.reason]
    assert unfit.of_reply is not None


def test_more_than_three_are_counted_in_one_note(tmp_path: Path) -> None:
    fixes = [_fixup(f"f{k}@x", OTHER.replace("%lld)", f"%ll{c})")) for k, c in enumerate("ixXo")]
    s = _read(tmp_path, [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1), *fixes])
    assert [r.mail.msgid for r in s.orphans] == ["f0@x", "f1@x", "f2@x", "f3@x"] and _below(s, 2) == []
    (note,) = [k for k in s.notes if LEFT_OUT in k.reason]
    assert note.reason.startswith("4 fixups ") and "; and 1 more)" in note.reason and "<f3@x>" not in note.reason
    assert not [k for k in s.notes if "does not apply" in k.reason and not k.reason.startswith("4 fixups")]


def test_a_reply_to_a_fixup_goes_as_the_fixup_goes(tmp_path: Path) -> None:
    # "Re: [PATCH v2 2/2 fixup]" carries the fixup tag too: a review of F2 (kept) stays with it, one of F1 (left out)
    # is left out with it, never said to hold no diff of its own.
    def review(msgid: str, parent: str) -> EmailMessage:
        return message(f"Re: [PATCH v2 2/2 fixup] {TITLES[1]}", msgid, "Reviewed-by: Rae Viewer <rae@example.org>\n",
                       sender="Rae Viewer <rae@example.org>", parent=parent, refs=("cover-a@x", "p2-a@x", parent),
                       date="Mon, 05 Jan 2026 13:00:00 +0000")

    s = _read(tmp_path, [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1), _fixup("f1@x", F1),
                         _fixup("f2@x", F2), review("r1@x", "f1@x"), review("r2@x", "f2@x")])
    assert _below(s, 2) == ["f2@x", "r2@x"] and [r.mail.msgid for r in s.orphans] == ["f1@x", "r1@x"]
    (note,) = [k for k in s.notes if LEFT_OUT in k.reason]
    r1 = s.orphans[1]
    assert note.reason.startswith("2 fixups ") and f"<r1@x> ({r1.mail.where}) to <p2-a@x>, not <p2-b@x>: answers " \
        "<f1@x>, left out)" in note.reason, note.reason


def test_fixups_past_the_variant_cap_that_apply_stay_below_the_read_patch(tmp_path: Path) -> None:
    # 66 fixups below A's 2/2, each a tries line of its own that git am takes on B's 2/2 (checked for the last two,
    # past the cap of 64 variants). Before, those two were cut from the fits and left out as "holding no diff git
    # apply takes there"; they apply, so they stay below B's 2/2, said only as no variant (the cap's note).
    from harness.proposalfit import MAX_REPLY_VARIANTS

    count = MAX_REPLY_VARIANTS + 2
    fixes = [_fixup(f"t{k:02d}@x", OTHER.replace("int tries = 3;", f"int tries = {k + 5};")) for k in range(count)]
    s = _read(tmp_path, [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1), *fixes])
    assert _below(s, 2) == [f"t{k:02d}@x" for k in range(count)] and s.orphans == ()
    assert not [k for k in s.notes if LEFT_OUT in k.reason]
    assert [f.msgid for f in s.proposal_fits] == [f"t{k:02d}@x" for k in range(MAX_REPLY_VARIANTS)]
    (cap,) = [k for k in s.notes if f"past the first {MAX_REPLY_VARIANTS} that apply" in k.reason]
    assert cap.reason.startswith(f"a reply diff past the first {MAX_REPLY_VARIANTS} that apply: this one and 1 more")
    (tmp_path / "split").mkdir()
    posting = mailsplit(tmp_path / "split", write_mbox(tmp_path / "b.mbox", _posting("b", 6, HELPER_V1)[1:]))
    for k, data in enumerate(posting):
        (tmp_path / f"b{k}.eml").write_bytes(data)
    for k in (count - 2, count - 1):  # each on B's posting alone, as its variant is built
        repo = init_repo(tmp_path / f"repo{k}")
        assert len(am(repo, [tmp_path / f"b{n}.eml" for n in range(len(posting))])[0]) == 2
        (fix,) = mailsplit(tmp_path / "split", write_mbox(tmp_path / f"t{k}.mbox", [fixes[k]]))
        (tmp_path / f"t{k}.eml").write_bytes(fix)
        commits, err = am(repo, [tmp_path / f"t{k}.eml"])
        assert err == "" and len(commits) == 3, err


def test_the_notes_on_a_fixup_left_out_are_found_by_its_diffs_places_not_words(tmp_path: Path) -> None:
    # The notes folded into the left-out note are those at F1's diff (its FILE:LINE and Message-ID), whatever their
    # words: a note elsewhere quoting F1's sender and Message-ID stays, one at F1's diff that names neither is folded.
    from dataclasses import replace

    from harness.ingest import IngestRequest, parse_series
    from harness.model import Skipped
    from harness.proposalfit import unfit_proposals
    from harness.unreadfixups import left_out_fixups

    mbox = write_mbox(tmp_path / "t.mbox", [*_posting("a", 5, OTHER), *_posting("b", 6, HELPER_V1), _fixup("f1@x", F1)])
    series = parse_series(IngestRequest((mbox,)))
    unfit, fits = unfit_proposals(series)
    (own,) = unfit
    elsewhere = Skipped(replace(own.where, line=own.where.line + 1, msgid="other@x"), own.reason)
    at_f1 = Skipped(own.where, "is said here in other words")
    s, notes = left_out_fixups(series, (elsewhere, at_f1), fits)
    assert [r.mail.msgid for r in s.orphans] == ["f1@x"]
    (note,) = [n for n in notes if LEFT_OUT in n.reason]
    assert notes == (elsewhere, note) and ": is said here in other words)" in note.reason, note.reason


def _plain(msgid: str, new: str, words: str = "How about this?\n") -> EmailMessage:
    """Rae's plain reply (``Re: [PATCH v2 2/2]``, no fixup tag) to A's 2/2, ``words`` then a diff OTHER -> ``new``."""
    return message(f"Re: [PATCH v2 2/2] {TITLES[1]}", msgid, f"{words}\n{diff(HELPER_PATH, OTHER, new)}",
                   sender="Rae Viewer <rae@example.org>", parent="p2-a@x", refs=("cover-a@x", "p2-a@x"),
                   date="Mon, 05 Jan 2026 12:00:00 +0000")


PLAIN = [_posting("a", 5, OTHER), _posting("b", 6, HELPER_V1), [_plain("q1@x", F1)],
         [_plain("q2@x", F2, "How about this?\n\nReviewed-by: Rae Viewer <rae@example.org>\n")]]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::5], ids=lambda o: "".join(map(str, o)))
def test_a_plain_reply_with_a_diff_below_a_refused_posting_goes_as_a_fixup_does(
        tmp_path: Path, order: tuple[int, ...]) -> None:
    # Before, both were orphans, their diffs made no variant and were said nowhere (the one note named them as replies
    # credited to no patch). Now Q2's diff, which git apply takes on B's 2/2, is a variant of it; Q1's is left out,
    # said with why. Q2's Reviewed-by is credited to no patch, as b4 does (test below).
    from harness.followups import collected

    s = _read(tmp_path, [m for i in order for m in PLAIN[i]])
    assert _below(s, 2) == ["q2@x"] and [r.mail.msgid for r in s.orphans] == ["q1@x"]
    assert [(f.msgid, f.number, f.on_top) for f in s.proposal_fits] == [("q2@x", 2, True)]
    (note,) = [k for k in s.notes if LEFT_OUT in k.reason]
    assert note.reason.startswith(f"a reply with a diff {LEFT_OUT} (<q1@x> ") and "does not apply to v2 02/2" in \
        note.reason, note.reason
    assert not [k for k in s.notes if "to patch mails not read credited to no patch" in k.reason]
    rev = s.revision(2)
    assert rev is not None and all(c.applied == () for c in collected(rev, s.revisions).values())


def test_git_am_takes_q2_on_the_read_posting_and_b4_credits_its_review_to_none(tmp_path: Path) -> None:
    # The oracles: git am reads a plain reply's diff as any mail's (Q2 on B's posting: a third commit; Q1 refused);
    # b4 am -v 2 reads it as a follow-up of A's 2/2, a patch of its own revision not read: no patch gets the review.
    from tests.harness.test_followups_carried import _b4

    said = _am_on_b(tmp_path, {"q1": _plain("q1@x", F1), "q2": _plain("q2@x", F2)})
    assert said["q1"][1] != "" and len(said["q1"][0]) == 2
    assert said["q2"][1] == "" and len(said["q2"][0]) == 3
    assert not any(_b4(tmp_path, [m for g in PLAIN for m in g], 2).values())


def test_a_plain_reply_with_a_diff_is_tried_on_the_read_patch_that_is_its_change(tmp_path: Path) -> None:
    # h580's postings: B inserts 2/3 (another file) and carries A's 2/2 as 3/3 (the same git patch-id). Rae's diff on
    # A's 2/2 (the tries line) goes to B's 3/3, where git apply takes it, not to B's 2/3, of A's 2/2's number.
    from tests.harness.test_replythread_samechange import _mails

    below = HELPER_V1.replace("int tries = 3;", "int tries = 5;")
    q = message(f"Re: [PATCH v2 2/2] {TITLES[1]}", "q3@x", f"Rather:\n\n{diff(HELPER_PATH, HELPER_V1, below)}",
                sender="Rae Viewer <rae@example.org>", parent="p2-a@x", refs=("c-a@x", "p2-a@x"),
                date="Mon, 05 Jan 2026 12:00:00 +0000")
    s = _read(tmp_path, [*_mails()[0], *_mails()[1], q])
    rev = s.revision(2)
    assert rev is not None and [r.mail.msgid for p in rev.patches for r in p.replies] == ["q3@x"]
    assert rev.slots[2].patch is not None and [r.mail.msgid for r in rev.slots[2].patch.replies] == ["q3@x"]
    assert [(f.msgid, f.number) for f in s.proposal_fits] == [("q3@x", 3)] and s.orphans == ()
