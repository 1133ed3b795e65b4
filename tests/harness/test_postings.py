"""Postings: a revision is one posting; patches a reviewer sends are proposals.

Postings: a revision is one posting, never two series mixed slot by slot; patches a reviewer sends in the
thread are proposals, not the series' patches."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import ProposalKind, Series
from tests.linesrun import lines_at
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V0,
    HELPER_V1,
    HELPER_V2,
    demo_series,
    diff,
    message,
    patch_body,
    write_mbox,
)

REVIEWER = "Rae Viewer <rae@example.org>"
COVER, P2 = "cover-v2@example.org", "p2-v2@example.org"


def _review() -> EmailMessage:
    return message("Re: [PATCH v2 2/3] demo: print fn in decimal", "review@example.org", "Why decimal?\n",
                   sender=REVIEWER, parent=P2, refs=(COVER, P2))


def _read(tmp_path: Path, msgs: list[EmailMessage]) -> Series:
    return parse_series(IngestRequest((write_mbox(tmp_path / "thread.mbox", msgs),)))


def _slots(s: Series, version: int) -> list[str | None]:
    rev = s.revision(version)
    assert rev is not None
    return [rev.cover.mail.msgid if rev.cover else None] + [sl.patch.mail.msgid if sl.patch else None
                                                            for sl in rev.slots]


def test_a_reviewers_patch_in_the_thread_is_a_proposal(tmp_path: Path) -> None:
    # "[PATCH] ..." answering a review: as a patch it would take slot 1 of v1 (or clash with it).
    own = message("[PATCH v2] demo: keep hex, five tries", "counter@example.org",
                  patch_body("Keep hex.\n\nReviewed-by: Ann Author <ann@example.org>",
                             diff(HELPER_PATH, HELPER_V0, HELPER_V2)),
                  sender=REVIEWER, parent="review@example.org", refs=(COVER, P2, "review@example.org"))
    s = _read(tmp_path, [*demo_series(), _review(), own])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    assert _slots(s, 2) == [COVER, "p1-v2@example.org", P2, "p3-v2@example.org"]
    patch2 = s.revision(2).patch(2)  # type: ignore[union-attr]
    assert patch2 is not None
    replies = {r.mail.msgid: r for r in patch2.replies}
    assert set(replies) == {"review@example.org", "counter@example.org"}
    counter = replies["counter@example.org"]
    assert [p.kind for p in counter.proposals] == [ProposalKind.DIFF]
    # Its Reviewed-by is the proposed commit's, not a review of patch 2 by the reviewer.
    assert counter.trailers == () and counter.verdicts == ()


def test_a_counter_series_in_the_thread_is_proposals(tmp_path: Path) -> None:
    refs = (COVER, P2, "review@example.org")
    counter = [message("[PATCH 0/2] demo: another way", "c0@example.org", "Another way.\n", sender=REVIEWER,
                       parent="review@example.org", refs=refs),
               *(message(f"[PATCH {n}/2] demo: step {n}", f"c{n}@example.org",
                         patch_body(f"Step {n}.", diff(HELPER_PATH, old, new)), sender=REVIEWER,
                         parent="c0@example.org", refs=(*refs, "c0@example.org"))
                 for n, (old, new) in enumerate([(None, HELPER_V0), (HELPER_V0, HELPER_V2)], start=1))]
    v1 = demo_series(version=1)  # the same revision number as the counter-series
    v1_ids = [m["Message-ID"].strip("<>") for m in v1]
    for m in counter:
        for header in ("In-Reply-To", "References"):
            value = m[header]
            del m[header]
            m[header] = value.replace("-v2@", "-v1@")
    review = _review()
    del review["In-Reply-To"], review["References"]
    review["In-Reply-To"], review["References"] = "<p2-v1@example.org>", "<cover-v1@example.org> <p2-v1@example.org>"
    s = _read(tmp_path, [*v1, review, *counter])
    assert not s.skipped and [r.version for r in s.revisions] == [1]
    assert _slots(s, 1) == v1_ids
    patch2 = s.revision(1).patch(2)  # type: ignore[union-attr]
    assert patch2 is not None
    got = {r.mail.msgid: len(r.proposals) for r in patch2.replies}
    assert got == {"review@example.org": 0, "c0@example.org": 0, "c1@example.org": 1, "c2@example.org": 1}


def test_two_series_of_one_revision_are_never_mixed(tmp_path: Path) -> None:
    # Two postings of "v2" in one mbox (another series, sent by the same author, the same Date:, neither a RESEND):
    # before, slot by slot, the revision took the cover and patches 1-2 of one and patch 3 of the other; then the one
    # read first was kept whole, the input's order deciding. Now neither is read (which was sent later cannot be
    # told), each skipped mail naming both, in either order.
    other = [message(m["Subject"].replace("helper rework", "other work"), m["Message-ID"].strip("<>").replace(
        "v2@", "v2-other@"), m.get_content(), parent=COVER.replace("v2@", "v2-other@") if m["In-Reply-To"] else None)
        for m in demo_series(version=2, total=2)]
    for msgs in ([*demo_series(), *other], [*other, *demo_series()]):
        s = _read(tmp_path, msgs)
        assert s.revision(2) is None and len(s.skipped) == 7
        assert all("two postings of v2" in k.reason and f"<{COVER}>" in k.reason
                   and "<cover-v2-other@example.org>" in k.reason for k in s.skipped)


def test_a_new_revision_sent_in_the_old_thread_stays_a_revision(tmp_path: Path) -> None:
    v3 = demo_series(version=3)
    v3[0]["In-Reply-To"] = f"<{COVER}>"  # git send-email --in-reply-to=<the v2 cover>
    s = _read(tmp_path, [*demo_series(), *v3])
    assert not s.skipped and [r.version for r in s.revisions] == [2, 3]
    assert _slots(s, 3)[0] == "cover-v3@example.org"


def test_chained_and_unthreaded_postings_are_one_posting(tmp_path: Path) -> None:
    chained = demo_series()
    for n in (2, 3):  # git send-email --chain-reply-to: each patch answers the one before
        del chained[n]["In-Reply-To"]
        chained[n]["In-Reply-To"] = f"<p{n - 1}-v2@example.org>"
    s = _read(tmp_path, chained)
    assert not s.skipped and _slots(s, 2) == [COVER, "p1-v2@example.org", P2, "p3-v2@example.org"]
    unthreaded = demo_series()
    for m in unthreaded:  # --no-thread
        del m["In-Reply-To"], m["References"]
    s = _read(tmp_path, unthreaded)
    assert not s.skipped and _slots(s, 2) == [COVER, "p1-v2@example.org", P2, "p3-v2@example.org"]


def test_the_authors_point_update_in_the_thread_takes_its_slot(tmp_path: Path) -> None:
    update = message("[PATCH v2.1 2/3] demo: print fn in decimal", "p2-v2.1@example.org",
                     patch_body("Decimal, again.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)),
                     parent="review@example.org", refs=(COVER, P2, "review@example.org"))
    s = _read(tmp_path, [*demo_series(), _review(), update])
    assert not s.skipped and _slots(s, 2) == [COVER, "p1-v2@example.org", "p2-v2.1@example.org", "p3-v2@example.org"]


def test_format_patch_output_with_other_authors_is_one_posting(tmp_path: Path) -> None:
    # git format-patch --cover-letter --thread: the cover letter's From is the user's, each patch's its
    # author's (a series carrying a colleague's patch, or a user whose identity is not the author's); git am
    # applies them all, so they are the revision's patches, shallow or deep threaded, not a reviewer's.
    for deep in (False, True):
        msgs = demo_series()
        for n, m in enumerate(msgs[1:], start=1):
            del m["From"]
            m["From"] = f"Author {n} <author{n}@example.org>"
            if deep and n > 1:
                del m["In-Reply-To"]
                m["In-Reply-To"] = f"<p{n - 1}-v2@example.org>"
        s = _read(tmp_path, [*msgs, _review()])
        assert not s.skipped and _slots(s, 2) == [COVER, "p1-v2@example.org", P2, "p3-v2@example.org"], deep
        assert [r.mail.msgid for r in s.revision(2).patch(2).replies] == ["review@example.org"]  # type: ignore[union-attr]


def test_long_chains_are_read_in_linear_time() -> None:
    """Every patch walked the whole chain above it: 6,000 patches sent --chain-reply-to, or 6,000 patches under
    a discussion of 60,000 replies, took minutes (04a96f48^). Counted, not timed: harness.postings' lines for n
    patches (and 10n replies), and for twice as many, grow some twice (each walking the chain: four times)."""
    import harness.postings
    from harness.errors import Where
    from harness.model import Mail, Subject
    from harness.postings import Postings, Sent
    from harness.subject import parse_subject

    subjects: dict[str, Subject] = {}  # 66,000 of the 72,000 mails share two subjects: each parsed once (a Subject
    # is frozen), where parsing every one was four fifths of this test's time and none of what it times

    def sent(i: int, subject: str, parent: int | None, sender: str, patch: bool) -> Sent:
        parsed = subjects.get(subject) or subjects.setdefault(subject, parse_subject(subject))
        mail = Mail(f"m{i}@x", parsed, "A", sender, "", None if parent is None else f"m{parent}@x",
                    (), Where("t.mbox", i))
        return Sent(mail, sender, patch)

    def run(n: int) -> None:
        chain = [sent(0, f"[PATCH 0/{n}] c", None, "a@x", True)]
        chain += [sent(i, f"[PATCH {i}/{n}] p", i - 1, "a@x", True) for i in range(1, n + 1)]
        talk = [sent(0, "[PATCH 1/1] c", None, "a@x", True)]
        talk += [sent(i, "Re: [PATCH 1/1] c", i - 1, "r@x", False) for i in range(1, 10 * n + 1)]
        talk += [sent(i, "[PATCH] x", 10 * n, "b@x", True) for i in range(10 * n + 1, 11 * n + 1)]
        postings = Postings(chain)
        assert len(set(postings.key.values())) == 1 and not any(postings.is_proposal(s.mail.msgid) for s in chain)
        postings = Postings(talk)
        assert all(postings.is_proposal(s.mail.msgid) for s in talk[10 * n + 1 :])

    small, big = lines_at(run, (100, 200), harness.postings)
    assert 0 < big <= 2.2 * small, (small, big)


def _resend(msgs: list[EmailMessage], edit: str = "") -> list[EmailMessage]:
    """``msgs`` mailed again as a new thread: ``[PATCH RESEND v2 n/3]``, new Message-IDs, a day later; patch 2's
    log edited when ``edit`` is given."""
    out = []
    for m in msgs:
        ids = {h: str(m[h]).replace("@", "-resend@") for h in ("Message-ID", "In-Reply-To", "References") if m[h]}
        body = m.get_content().replace("Change number 2.", f"Change number 2.{edit}")
        out.append(message(str(m["Subject"]).replace("PATCH v2", "PATCH RESEND v2"),
                           ids["Message-ID"].strip("<>"), body, parent=ids.get("In-Reply-To", "").strip("<>") or None,
                           refs=tuple(r.strip("<>") for r in ids.get("References", "").split()),
                           date="Tue, 06 Jan 2026 10:00:00 +0000"))
    return out


@pytest.mark.parametrize("edit", ["", " Reworded."])
def test_a_resend_of_the_same_commits_is_read_once(tmp_path: Path, edit: str) -> None:
    # The series mailed again as a new thread ("[PATCH RESEND v2 n/3]"), both threads in the input: git am of
    # either posting commits the same (checked), so the first is read and a review of the resend goes with it,
    # with a note; it was refused as a second posting of v2 (exit 2). With a commit message changed, the same
    # diffs, the resend is read instead.
    from tests.gitoracle import am, git, init_repo

    first, again = demo_series(), _resend(demo_series(), edit)
    review = message("Re: [PATCH RESEND v2 2/3] demo: print fn in decimal", "review-resend@example.org",
                     "Reviewed-by: Rev Iewer <rev@example.org>\n", sender=REVIEWER, parent="p2-v2-resend@example.org",
                     refs=("cover-v2-resend@example.org", "p2-v2-resend@example.org"))
    s = _read(tmp_path, [*first, *again, review])
    trees = []
    for name, posting in (("first", first), ("again", again)):
        mails = [write_mbox(tmp_path / f"{name}-{k}.mbox", [m]) for k, m in enumerate(posting[1:])]
        _, err = am(repo := init_repo(tmp_path / name), mails)
        assert not err
        trees.append(git(repo, "log", "--format=%an <%ae>%n%B%n%T", "HEAD").stdout)  # what git am committed
    assert not s.skipped
    p2 = s.revision(2).slots[1].patch  # type: ignore[union-attr]
    assert p2 is not None and [r.mail.msgid for r in p2.replies] == ["review-resend@example.org"]
    if edit:  # the same change reworded (test_a_later_posting_of_the_same_changes_is_read): the resend is read
        assert trees[0] != trees[1]
        assert p2.mail.msgid == "p2-v2-resend@example.org"
        assert [n.reason.split(":")[0] for n in s.notes] == [
            "<cover-v2-resend@example.org> and 3 more mails of v2 read"]
        return
    assert trees[0] == trees[1]
    assert _slots(s, 2) == [COVER, "p1-v2@example.org", P2, "p3-v2@example.org"]
    assert [n.reason.split(":")[0] for n in s.notes] == ["<cover-v2-resend@example.org> and 3 more mails of v2"]
    # b4 walks up from the review to the resend's 2/3, which is the 2/3 read: its trailer is found (one naming
    # another than its sender: left out, said), where it was not reached at all.
    from harness.followups import collected

    got = collected(s.revision(2))[P2]  # type: ignore[arg-type]
    assert [t.value for t in got.mismatched] == ["Rev Iewer <rev@example.org>"] and not got.applied


@pytest.mark.parametrize("edit", ["", " Reworded."])
def test_a_patch_resent_within_its_posting_as_the_same_commit_is_read_once(tmp_path: Path, edit: str) -> None:
    # "[PATCH RESEND v2 2/3]" In-Reply-To the cover letter (the list lost patch 2), and a review of it: git am
    # commits the same of both mails (checked), so patch 2 is read once and the review goes with it, with a note;
    # it was refused as patch 2 given twice (exit 2). With its commit message changed (the same git patch-id), the
    # later is read in its slot instead (tests/harness/test_resent.py), the review still going with it.
    from tests.gitoracle import am, git, init_repo

    msgs = demo_series()
    again = message("[PATCH RESEND v2 2/3] demo: print fn in decimal", "p2-again@example.org",
                    msgs[2].get_content().replace("Change number 2.", f"Change number 2.{edit}"), parent=COVER,
                    refs=(COVER,), date="Tue, 06 Jan 2026 10:00:00 +0000")
    review = message("Re: [PATCH RESEND v2 2/3] demo: print fn in decimal", "review-again@example.org",
                     "Reviewed-by: Rae Viewer <rae@example.org>\n", sender=REVIEWER, parent="p2-again@example.org")
    s = _read(tmp_path, [*msgs, again, review])
    read = "p2-again@example.org" if edit else P2
    assert _slots(s, 2) == [COVER, "p1-v2@example.org", read, "p3-v2@example.org"]
    commits = []
    for name, p2 in (("first", msgs[2]), ("again", again)):
        mails = [write_mbox(tmp_path / f"{name}-{k}.mbox", [m]) for k, m in enumerate([msgs[1], p2])]
        _, err = am(repo := init_repo(tmp_path / name), mails)
        assert not err
        commits.append(git(repo, "log", "--format=%an <%ae>%n%B%n%T", "-1").stdout)
    assert (commits[0] == commits[1]) == (not edit)
    assert not s.skipped and [n.where.msgid for n in s.notes] == ["p2-again@example.org"]
    p2 = s.revision(2).slots[1].patch  # type: ignore[union-attr]
    assert p2 is not None and [r.mail.msgid for r in p2.replies] == ["review-again@example.org"]


@pytest.mark.parametrize("edit", ["", " Reworded."])
def test_a_local_copy_of_the_sent_series_with_its_cover_letter_is_a_resend(tmp_path: Path, edit: str) -> None:
    # The thread as sent and the `git format-patch` folder it was sent from (no Message-ID, no threading): the
    # patches were read once as a resend, but the folder's cover letter was "another posting of v2 with a patch 0
    # too" (exit 2). The same letter is a resend too; an edited one is still another posting.
    sent = demo_series()
    local = []
    for m in sent:
        body = m.get_content().replace("Cover letter text.", f"Cover letter text.{edit}")
        copy = message(str(m["Subject"]), "x@y", body)
        for header in ("Message-ID", "In-Reply-To", "References"):
            del copy[header]
        local.append(copy)
    s = _read(tmp_path, [*sent, *local])
    if edit:
        assert [k.reason for k in s.skipped if "patch 0/3" in k.reason or "patch 00/3" in k.reason]
        return
    assert not s.skipped and _slots(s, 2)[0] == COVER
    assert any("a resend of the cover letter <cover-v2@example.org>" in n.reason for n in s.notes)


ACK = "Acked-by: Rae Viewer <rae@example.org>"


def _posting(msgs: list[EmailMessage], tag: str, suffix: str, day: int, trailer: str = "",
             change: str = "") -> list[EmailMessage]:
    """``msgs`` posted again as a new thread: ``[<tag> n/3]``, Message-IDs ending ``-<suffix>@``, sent on January
    ``day``; ``trailer`` added above each patch's Signed-off-by, patch 3's diff changed when ``change`` is given."""
    out = []
    for m in msgs:
        ids = {h: str(m[h]).replace("@", f"-{suffix}@") for h in ("Message-ID", "In-Reply-To", "References") if m[h]}
        body = m.get_content()
        if trailer:
            body = body.replace("Signed-off-by: Ann", f"{trailer}\nSigned-off-by: Ann")
        if change and "tries = 5" in body:
            body = body.replace("+\tint tries = 5;", f"+\tint tries = {change};")
        out.append(message(str(m["Subject"]).replace("PATCH v2", tag), ids["Message-ID"].strip("<>"), body,
                           parent=ids.get("In-Reply-To", "").strip("<>") or None,
                           refs=tuple(r.strip("<>") for r in ids.get("References", "").split()),
                           date=f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000"))
    return out


def _patch_ids(tmp_path: Path, msgs: list[EmailMessage]) -> list[str]:
    """What ``git patch-id --stable`` says of each patch mail (the oracle of "the same change")."""
    from tests.gitoracle import git, init_repo

    repo = tmp_path / "ids"
    if not repo.exists():
        init_repo(repo)
    out = []
    for m in msgs[1:]:
        got = git(repo, "patch-id", "--stable", stdin=write_mbox(tmp_path / "one.mbox", [m]).read_bytes()).stdout
        out.append(got.split()[0].decode())
    return out


@pytest.mark.parametrize("order", ["as-sent", "resend-first"])
def test_a_later_posting_of_the_same_changes_is_read(tmp_path: Path, order: str) -> None:
    # An "[RFC PATCH v2 n/3]" thread acked below its 2/3, then "[PATCH v2 n/3]" of the same diffs (git patch-id,
    # checked) and "[PATCH RESEND v2 n/3]" carrying the ack: seamharness read the RFC posting and refused the
    # resend (exit 2). The latest posting by Date: is the revision's, no longer RFC, the ack given on the RFC
    # posting collected for its 2/3 (b4 0.16 am keeps the later posting's 1/3..3/3 and adds the first's 1/3 as
    # a 4th, "Thread incomplete", the ack on the RFC posting lost).
    from harness.followups import collected

    rfc = _posting(demo_series(), "RFC PATCH v2", "rfc", 5)
    final = _posting(demo_series(), "PATCH v2", "final", 6)
    ack = message("Re: [RFC PATCH v2 2/3] demo: print fn in decimal", "ack@example.org", f"{ACK}\n",
                  sender=REVIEWER, parent="p2-v2-rfc@example.org", refs=("cover-v2-rfc@example.org",))
    assert _patch_ids(tmp_path, rfc) == _patch_ids(tmp_path, final)
    s = _read(tmp_path, [*final, *rfc, ack] if order == "resend-first" else [*rfc, ack, *final])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and not rev.rfc
    assert _slots(s, 2) == [f"{m}-v2-final@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert [n.reason.split(":")[0] for n in s.notes] == ["<cover-v2-final@example.org> and 3 more mails of v2 read"]
    assert "(no longer RFC)" in s.notes[0].reason
    p2 = rev.patch(2)
    assert p2 is not None and [r.mail.msgid for r in p2.replies] == ["ack@example.org"]
    assert [f"{t.key}: {t.value}" for t in collected(rev)[p2.mail.msgid].applied] == [ACK]

    resend = _posting(demo_series(), "PATCH RESEND v2", "resend", 6, trailer=ACK)
    first = demo_series()
    s = _read(tmp_path, [*resend, *first] if order == "resend-first" else [*first, *resend])
    assert not s.skipped
    assert _slots(s, 2) == [f"{m}-v2-resend@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert "(other commit messages or trailers)" in s.notes[0].reason
    p2 = s.revision(2).patch(2)  # type: ignore[union-attr]
    assert p2 is not None and ACK.split(": ")[1] in [t.value for t in p2.trailers]


@pytest.mark.parametrize("order", ["as-sent", "resend-first"])
def test_a_posting_of_other_changes_of_the_revision_is_still_refused(tmp_path: Path, order: str) -> None:
    # "[PATCH RESEND v2 n/3]" whose 3/3 changes another line (git patch-id differs, checked): two series, exit 2,
    # as before. Before, the posting read was the one first in the input (the other skipped): which code a
    # `series` or `eval` of the same two files showed depended on the order they were given in. Now the later by
    # its Date: headers, whichever comes first.
    first = demo_series()
    resend = _posting(first, "PATCH RESEND v2", "resend", 6, trailer=ACK, change="7")
    assert _patch_ids(tmp_path, first)[:2] == _patch_ids(tmp_path, resend)[:2]
    assert _patch_ids(tmp_path, first)[2] != _patch_ids(tmp_path, resend)[2]
    s = _read(tmp_path, [*first, *resend] if order == "as-sent" else [*resend, *first])
    assert _slots(s, 2) == [f"{m}-v2-resend@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert sorted(k.reason.split(">")[0] for k in s.skipped) == [f"v2 patch 0{n}/3 <{m}-v2@example.org"
                                                                  for n, m in enumerate(("cover", "p1", "p2", "p3"))]
    assert all("refusing to mix two series (the same patches, but the diff of patch 03 differs: git patch-id)" in
               k.reason and "which is read (sent later by its Date:)" in k.reason for k in s.skipped)


@pytest.mark.parametrize("order", ["as-sent", "resend-first"])
def test_a_resend_of_other_changes_on_the_same_date_is_read_as_the_later(tmp_path: Path, order: str) -> None:
    # The same Date: on both postings: the RESEND is the later; the gate stops (exit 2) on one line naming both
    # postings' files and lines, the same line whichever file is given first.
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.test_gate_naks import RULE

    first = write_mbox(tmp_path / "first.mbox", demo_series())
    again = write_mbox(tmp_path / "again.mbox", _posting(demo_series(), "PATCH RESEND v2", "resend", 5, change="7"))
    (tmp_path / "rules.toml").write_text(RULE)
    files = [first, again] if order == "as-sent" else [again, first]
    s = parse_series(IngestRequest(tuple(files)))
    assert _slots(s, 2)[3] == "p3-v2-resend@example.org" and "(the RESEND, the same Date:)" in s.skipped[0].reason
    r = CliRunner().invoke(app, ["gate", *map(str, files), "--variant", "v2", "--rules", str(tmp_path / "rules.toml")])
    said = r.stderr.splitlines()[0]
    assert r.exit_code == 2 and said.startswith(f"seamharness: {first}:2: v2 patch 00/3 <cover-v2@example.org> was "
                                                f"sent apart from <cover-v2-resend@example.org> ({again}:2)"), said


@pytest.mark.parametrize("order", ["as-sent", "resend-first"])
def test_a_resend_of_other_changes_dated_before_its_posting_is_still_the_later(tmp_path: Path, order: str) -> None:
    # "[PATCH RESEND v2 n/3]" whose 3/3 differs (git patch-id), its Date: a day before the v2 it resends (a client
    # clock set back). A resend comes after the mail it resends whatever its Date: says, as for a RESEND of the same
    # changes (sentorder.resent_later): before, the Dates decided here, so the v2 was read and the RESEND refused.
    first = demo_series()
    resend = _posting(first, "PATCH RESEND v2", "resend", 4, change="7")
    assert _patch_ids(tmp_path, first)[2] != _patch_ids(tmp_path, resend)[2]
    s = _read(tmp_path, [*first, *resend] if order == "as-sent" else [*resend, *first])
    assert _slots(s, 2) == [f"{m}-v2-resend@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert sorted(k.reason.split(">")[0] for k in s.skipped) == [f"v2 patch 0{n}/3 <{m}-v2@example.org"
                                                                  for n, m in enumerate(("cover", "p1", "p2", "p3"))]
    assert all("which is read (the RESEND, its Date: before the other's: a resend comes after the mail it resends)" in
               k.reason for k in s.skipped), s.skipped[0].reason


@pytest.mark.parametrize("tags", [("RFC PATCH RESEND v2", "PATCH v2"), ("PATCH RESEND v2", "PATCH RESEND v2")])
def test_a_resend_of_other_changes_goes_by_its_date_where_the_resend_tells_nothing(tmp_path: Path,
                                                                                   tags: tuple[str, str]) -> None:
    # A guard: an RFC posting resent is not the final one mailed again, and of two RESENDs neither is the later by
    # its tag: the Dates decide, the one sent on the 5th read.
    early = _posting(demo_series(), tags[0], "early", 4, change="7")
    late = _posting(demo_series(), tags[1], "late", 5)
    s = _read(tmp_path, [*late, *early])
    assert _slots(s, 2) == [f"{m}-v2-late@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert all("which is read (sent later by its Date:)" in k.reason for k in s.skipped), s.skipped[0].reason


def test_two_postings_of_other_changes_on_the_same_date_neither_a_resend_are_both_refused(tmp_path: Path) -> None:
    # The same Date:, neither a RESEND: the one given first was read, so `series` showed either 3/3 and the line the
    # gate stopped on named the other posting, by the order of the files. Now neither is read, one line naming both
    # postings' files and lines, the same line in either order; exit 2.
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.test_gate_naks import RULE

    first = write_mbox(tmp_path / "first.mbox", demo_series())
    again = write_mbox(tmp_path / "again.mbox", _posting(demo_series(), "PATCH v2", "again", 5, change="7"))
    (tmp_path / "rules.toml").write_text(RULE)
    said = []
    for files in ([first, again], [again, first]):
        s = parse_series(IngestRequest(tuple(files)))
        assert s.revision(2) is None and len(s.skipped) == 8, s.skipped
        r = CliRunner().invoke(app, ["gate", *map(str, files), "--variant", "v2", "--rules",
                                     str(tmp_path / "rules.toml")])
        assert r.exit_code == 2, r.output
        said.append(r.stderr.splitlines()[0])
    assert said[0] == said[1] and len(r.stderr.splitlines()) == 1, said
    assert f"<cover-v2-again@example.org> ({again}:2) and <cover-v2@example.org> ({first}:2)" in said[0], said


def _no_cover(msgs: list[EmailMessage]) -> list[EmailMessage]:
    """``msgs`` (a cover letter and its patches) as ``git send-email`` sends them without the cover letter: patch 1
    starts the thread, the others answer it."""
    first = str(msgs[1]["Message-ID"]).strip("<>")
    return [message(str(m["Subject"]), str(m["Message-ID"]).strip("<>"), m.get_content(),
                    parent=None if i == 0 else first, refs=() if i == 0 else (first,), date=str(m["Date"]))
            for i, m in enumerate(msgs[1:])]


@pytest.mark.parametrize("order", ["as-sent", "later-first"])
def test_a_later_posting_without_a_cover_letter_decides_rfc(tmp_path: Path, order: str) -> None:
    # "[RFC PATCH v2 0/3]" with its patches, then "[PATCH v2 n/3]" of the same diffs sent without a cover letter:
    # the RFC cover letter was kept as it was and the revision stayed RFC (as-sent), or was lost (later-first). The
    # later posting decides: not RFC; the RFC cover letter's text is the revision's cover, said in the note.
    rfc = _posting(demo_series(), "RFC PATCH v2", "rfc", 5)
    final = _no_cover(_posting(demo_series(), "PATCH v2", "final", 6))
    assert _patch_ids(tmp_path, rfc) == _patch_ids(tmp_path, [rfc[0], *final])
    s = _read(tmp_path, [*final, *rfc] if order == "later-first" else [*rfc, *final])
    assert not s.skipped and [r.version for r in s.revisions] == [2]
    rev = s.revision(2)
    assert rev is not None and not rev.rfc
    assert _slots(s, 2) == ["cover-v2-rfc@example.org"] + [f"p{n}-v2-final@example.org" for n in (1, 2, 3)]
    [note] = s.notes
    assert "(no longer RFC)" in note.reason
    assert ("the cover letter <cover-v2-rfc@example.org> of the earlier posting kept as its cover: the later one has "
            "none") in note.reason


def _three(tmp_path: Path, days: tuple[int, int, int]) -> list[Path]:
    """Three postings of v2 with other diffs of 3/3 (tries 6, 7, 8), sent on January ``days``, one file each."""
    return [write_mbox(tmp_path / f"{name}.mbox", _posting(demo_series(), "PATCH v2", name, day, change=change))
            for name, day, change in zip(("a", "b", "c"), days, ("6", "7", "8"), strict=True)]


@pytest.mark.parametrize("days", [(5, 5, 5), (5, 5, 6), (6, 6, 5), (5, 6, 6)])
def test_three_postings_of_one_revision_are_read_alike_in_any_order(tmp_path: Path, days: tuple[int, int, int]) -> None:
    # Three postings of other changes of v2 on one Date:: the first two given were refused as tied and the third
    # read, so which code `series` showed depended on the order of the files (abc read c, bca read a). Now none is
    # read, each line naming all three postings; a later one is read, an earlier one is never read behind a tie.
    import itertools

    files = _three(tmp_path, days)
    seen = set()
    for order in itertools.permutations(files):
        s = parse_series(IngestRequest(order))
        rev = s.revision(2)
        read = rev.patch(3).mail.msgid if rev is not None and rev.patch(3) is not None else None  # type: ignore[union-attr]
        seen.add((read, tuple(sorted((str(k.where), k.reason) for k in s.skipped))))
    assert len(seen) == 1, seen
    [(read, lines)] = seen
    latest = max(days)
    assert read == ("p3-v2-c@example.org" if days.count(latest) == 1 and days[2] == latest else None), read
    if days == (5, 5, 5):
        named = " and ".join([", ".join(f"<cover-v2-{n}@example.org> ({tmp_path / n}.mbox:2)" for n in "ab"),
                              f"<cover-v2-c@example.org> ({tmp_path / 'c'}.mbox:2)"])
        assert len(lines) == 12 and all(f"one of three postings of v2, {named}," in r for _, r in lines), lines
    if read is None:  # none names a posting as read that is not
        assert not any("too, which is read" in r for _, r in lines), lines


@pytest.mark.parametrize("order", ["acked-first", "acked-last"])
def test_a_same_date_repost_is_read_by_its_trailers_not_the_order_of_the_files(tmp_path: Path, order: str) -> None:
    # The same diffs posted twice on one Date:, one carrying an Acked-by collected since: the one given later in the
    # input was read, so the gate saw the Acked-by or not by the order of the files.
    plain = write_mbox(tmp_path / "plain.mbox", _posting(demo_series(), "PATCH v2", "plain", 5))
    acked = write_mbox(tmp_path / "acked.mbox", _posting(demo_series(), "PATCH v2", "acked", 5, trailer=ACK))
    s = parse_series(IngestRequest((acked, plain) if order == "acked-first" else (plain, acked)))
    assert _slots(s, 2) == [f"{m}-v2-acked@example.org" for m in ("cover", "p1", "p2", "p3")]
    assert [n.reason.rsplit("; ", 1)[1] for n in s.notes] == [
        "the same Date: on both, read as the later: the one carrying more trailers"]
