"""A third party's patch mail under a revision's numbers is set aside and said.

A third party's patch mail under a revision's numbers (``[PATCH v4 2/3]`` sent on its own, unthreaded): set aside,
said, never read in place of the revision's posting (harness.postings._Slots._whole_of_two_senders)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.ingest import IngestRequest, parse_series
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V0,
    HELPER_V1,
    demo_series,
    diff,
    message,
    patch_body,
    write_mbox,
)

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
PREPARING = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)),))  # adds unlikely()
WRAPPING = Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))
DATES = {"earlier": "Sun, 04 Jan 2026 10:00:00 +0000", "same": "Mon, 05 Jan 2026 10:00:00 +0000",
         "later": "Tue, 06 Jan 2026 10:00:00 +0000"}


def _stray(when: str) -> EmailMessage:
    """Another sender's [PATCH v4 2/3] under the Prepare title, unthreaded, whose code keeps the safe loop (no
    unlikely()): judged in place of the author's, the rule on unlikely() would pass."""
    code = diff(NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_SAFE).replace("SEAMCALL (%llu)", "SEAMCALL (%llx)"))
    return message(f"[PATCH v4 2/3] {PREPARE}", "stray-2@other.example", patch_body("Another's change.", code),
                   sender="Olga Other <olga@other.example>", date=DATES[when])


@pytest.mark.parametrize("when", DATES)
@pytest.mark.parametrize("stray_first", [False, True])
def test_a_third_partys_lone_patch_mail_is_set_aside_and_the_series_still_judged(tmp_path: Path, when: str,
                                                                                   stray_first: bool) -> None:
    # Before: sent later, the lone mail was read as v4 and the author's whole posting skipped, so the bundled
    # series was no longer recognised (exit 2, "no review rules for this series"); of one Date:, neither was read.
    # b4 am of the revision's thread never sees it. Now the posting holding its number and the rest of v4 is read,
    # the stray mail set aside with a line naming both, in any order and on any Date:.
    author = write_mbox(tmp_path / "v4.mbox", revision(4, [CREATE, PREPARING, WRAPPING]))
    other = write_mbox(tmp_path / "other.mbox", [_stray(when)])
    files = (other, author) if stray_first else (author, other)
    s = parse_series(IngestRequest(files))
    rev = s.revision(4)
    assert rev is not None and [sl.patch.mail.msgid for sl in rev.slots if sl.patch] == \
        [f"gen-{n}-v4@example.org" for n in (1, 2, 3)]
    [aside] = s.skipped
    assert str(aside.where) == f"{other}:2"
    assert aside.reason.startswith("v4 patch 02/3 <stray-2@other.example> sent by olga@other.example is set aside: "
                                   f"the posting of <gen-cover-v4@example.org> ({author}:2)"), aside.reason
    gate = evaluate_gate(GateRequest(files, "v4", jobs=1))
    assert gate.exit_status == 2  # an input not read: the verdicts rest on the rest
    verdicts = {v.rule.id: v.status for v in gate.verdicts}
    assert verdicts["no-unlikely-in-sc-retry"] is VerdictStatus.FAIL  # the author's Prepare, not the stray's


def test_without_a_manifest_the_revision_is_the_posting_that_holds_the_rest(tmp_path: Path) -> None:
    code = diff(HELPER_PATH, HELPER_V0, HELPER_V1.replace("DEMO (%llu)", "DEMO (%lld)"))
    stray = message("[PATCH v2 2/3] demo: print fn in decimal", "stray@elsewhere.example",
                    patch_body("Mine.", code), sender="Sam Else <sam@elsewhere.example>",
                    date="Tue, 06 Jan 2026 10:00:00 +0000")
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(), stray]),)))
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None and rev.patch(2) is not None
    assert rev.patch(2).mail.msgid == "p2-v2@example.org"  # type: ignore[union-attr]
    assert [k.reason.split(" sent by ")[0] for k in s.skipped] == ["v2 patch 02/3 <stray@elsewhere.example>"]
    assert "holds its patch numbers and more of v2 (00, 01, 03)" in s.skipped[0].reason


def test_a_later_posting_of_the_same_numbers_from_another_sender_is_still_read_by_its_date(tmp_path: Path) -> None:
    # Neither holds more than the other (a maintainer posting the whole revision again): the Date: decides, as before.
    again = [message(str(m["Subject"]), str(m["Message-ID"]).strip("<>").replace("@", "-again@"),
                     m.get_content().replace("+\tint tries = 5;", "+\tint tries = 7;"),
                     sender="Max Maintainer <max@example.net>", date="Tue, 06 Jan 2026 10:00:00 +0000",
                     parent="cover-v2-again@example.org" if m["In-Reply-To"] else None)
             for m in demo_series()]
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(), *again]),)))
    rev = s.revision(2)
    assert rev is not None and rev.cover is not None and rev.cover.mail.msgid == "cover-v2-again@example.org"
    assert all("which is read (sent later by its Date:)" in k.reason for k in s.skipped) and len(s.skipped) == 4


def test_the_authors_own_lone_mail_through_another_address_is_read_by_its_date(tmp_path: Path) -> None:
    # v2 sent through the b4 web relay (the sender the relay, the author in an in-body From:), then the author's own
    # [PATCH v2 2/3] from their address: one person, so the Date: decides as for any later posting (not set aside).
    relayed = demo_series()
    for m in relayed:
        body = m.get_content()
        m.replace_header("From", "Ann Author via B4 Relay <devnull+ann.example.org@kernel.org>")
        m.set_content(f"From: Ann Author <ann@example.org>\n\n{body}")
    code = diff(HELPER_PATH, HELPER_V0, HELPER_V1.replace("DEMO (%llu)", "DEMO (%lld)"))
    again = message("[PATCH v2 2/3] demo: print fn in decimal", "again@example.org", patch_body("Again.", code),
                    date="Tue, 06 Jan 2026 10:00:00 +0000")
    s = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*relayed, again]),)))
    rev = s.revision(2)
    assert rev is not None and rev.patch(2) is not None
    assert rev.patch(2).mail.msgid == "again@example.org"  # type: ignore[union-attr]
    assert s.skipped and all("which is read (sent later by its Date:)" in k.reason for k in s.skipped)
