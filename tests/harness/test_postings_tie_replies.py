"""Postings: the replies below postings of a tie are named in the tie's line as not read, where b4 threads them.

A backdated ``[PATCH RESEND v2]`` of a v2 posting and a third v2 posting of other changes tie (neither read); the
posting resent is skipped too. b4 0.16 (the oracle) reads each review with the posting its In-Reply-To and References
name (``b4 am`` of that posting's thread); here none of the three is read, so none of their replies is: before, the
line said nothing of them, and the posting resent kept its mails aliased to the RESEND (its replies sent there)."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

import harness.ingest
from harness.ingest import IngestRequest, parse_series
from harness.resent import Kept
from tests.harness.test_postings_resend_tie import _three
from tests.mailgen import message, write_mbox

B4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
TITLE = "[PATCH v2 2/3] demo: print fn in decimal"
WHO = {"": "Rae Viewer <rae@example.org>", "-resend": "Ros Viewer <ros@example.org>",
       "-third": "Ron Viewer <ron@example.org>"}


def _review(suffix: str) -> EmailMessage:
    """A Reviewed-by of patch 2 of the posting of Message-IDs ending ``suffix``, from its own reviewer (WHO)."""
    p2, cover = f"p2-v2{suffix}@example.org", f"cover-v2{suffix}@example.org"
    return message(f"Re: {TITLE}", f"r{suffix or '-first'}@example.org", f"Reviewed-by: {WHO[suffix]}\n",
                   sender=WHO[suffix], parent=p2, refs=(cover, p2))


def _postings() -> list[list[EmailMessage]]:
    return [[*ps, _review(suffix)] for ps, suffix in zip(_three(), WHO, strict=True)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=lambda o: "".join(map(str, o)))
def test_the_tie_line_names_every_reply_not_read(tmp_path: Path, order: tuple[int, ...]) -> None:
    postings = _postings()
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [m for i in order for m in postings[i]]),)))
    assert s.revision(2) is None and len(s.orphans) == 3
    ties = [k.reason for k in s.skipped if "is of one of two postings" in k.reason]
    assert len(ties) == 8, s.skipped
    for line in ties:
        assert "nor the 3 replies below their mails and <cover-v2@example.org>'s (" in line, line
        assert all(f"<{r.mail.msgid}> ({r.mail.where})" in line for r in s.orphans), line


def test_the_posting_resent_keeps_no_alias_to_the_resend_not_read(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[Kept] = []
    real = harness.ingest.one_posting_per_revision
    monkeypatch.setattr(harness.ingest, "one_posting_per_revision", lambda *a: kept.append(real(*a)) or kept[-1])
    parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [m for ps in _postings() for m in ps]),)))
    (out,) = kept
    assert not {a: r for a, r in out.aliases.items() if "-resend@" in r}, out.aliases


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]')")
def test_each_reply_named_is_of_the_posting_b4_threads_it_with(tmp_path: Path) -> None:
    from tests.harness.test_followups import _b4_adds

    postings = _postings()
    mbox = write_mbox(tmp_path / "t.mbox", [m for ps in postings for m in ps])
    s = parse_series(IngestRequest((mbox,)))
    by_line = {k.reason.split("<")[1].split(">")[0]: k.reason for k in s.skipped}
    for suffix, who in WHO.items():
        (tmp_path / suffix.strip("-")).mkdir(exist_ok=True)
        added = _b4_adds(tmp_path / suffix.strip("-"), mbox, f"cover-v2{suffix}@example.org")
        assert added[f"p2-v2{suffix}@example.org"] == [f"Reviewed-by: {who}"], added  # b4: its own posting's
        reply = f"<r{suffix or '-first'}@example.org>"
        own = by_line[f"p2-v2{suffix}@example.org"]  # the line of that posting's patch 2 says its reply is not read
        assert reply in own and ("nor the 3 replies" in own or f"nor the reply below its mails ({reply}" in own), own
    assert "<r-first@example.org>" in by_line["p2-v2-resend@example.org"]


def test_a_plain_tie_names_the_replies_below_each_posting_through_a_discussion(tmp_path: Path) -> None:
    # Two postings of one Date:, neither a RESEND: a review of each one's patch 1, and an answer to the first review
    # (below the patch through it, as its References name it). None is read; each tie line names all three.
    from tests.harness.test_postings_two_ties import _first

    def answer(msgid: str, parent: str, refs: tuple[str, ...]) -> EmailMessage:
        return message("Re: [PATCH v2 1/3] demo: add helper", msgid, "Why?\n", sender=WHO[""], parent=parent,
                       refs=refs)

    a, b = _first("a", "/* demo helper */"), _first("b", "/* demo helper, b */")
    talk = [answer("ra@example.org", "p1-a@example.org", ("cover-a@example.org", "p1-a@example.org")),
            answer("rb@example.org", "p1-b@example.org", ("cover-b@example.org", "p1-b@example.org")),
            answer("ra2@example.org", "ra@example.org", ("cover-a@example.org", "p1-a@example.org", "ra@example.org"))]
    for order in ((a, b, talk), (talk, b, a)):
        s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [m for ms in order for m in ms]),)))
        assert s.revisions == () and len(s.skipped) == 4, s.skipped
        for k in s.skipped:
            assert "nor the 3 replies below their mails (" in k.reason, k.reason
            assert all(f"<{r}@example.org> (" in k.reason for r in ("ra", "rb", "ra2")), k.reason
