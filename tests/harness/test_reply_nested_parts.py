"""A reply whose text sits in a nested multipart part is read from its plain text, as b4 reads it.

A reply whose text sits in a multipart part inside another (Gmail, Apple Mail and Outlook with an attachment:
multipart/mixed holding multipart/alternative and the file) is read from its plain text, as b4 reads it."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.followups import collect
from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.harness.test_followups import B4, _b4_adds
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_series, diff, write_mbox

RITA = "Rita Reviewer <rita@example.org>"
PLAIN = f"On Mon, Ann Author wrote:\n> Change number 3.\n\nReviewed-by: {RITA}\n"


def _reply(text: str, attach: bool) -> EmailMessage:
    """Rita's answer to v2 3/3 as a mailer with HTML writes it: text/plain and text/html alternatives, and with
    ``attach`` a file besides (the alternatives then nested in multipart/mixed, their first boundary right after
    the part's headers)."""
    msg = EmailMessage()
    msg["From"] = RITA
    msg["Subject"] = "Re: [PATCH v2 3/3] demo: try five times"
    msg["Date"] = "Mon, 05 Jan 2026 11:00:00 +0000"
    msg["Message-ID"] = "<nested@example.org>"
    msg["In-Reply-To"] = "<p3-v2@example.org>"
    msg["References"] = "<cover-v2@example.org> <p3-v2@example.org>"
    html = "<div>" + text.replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>") + "</div>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if attach:
        msg.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(range(64)), maintype="image", subtype="png", filename="x.png")
    return msg


def _series(tmp_path: Path, reply: EmailMessage) -> tuple[Series, Path]:
    mbox = write_mbox(tmp_path / "t.mbox", [*demo_series(), reply])
    return parse_series(IngestRequest((mbox,))), mbox


@pytest.mark.parametrize("attach", [False, True], ids=["alternative", "mixed-alternative"])
def test_a_trailer_in_nested_plain_text_is_given(tmp_path: Path, attach: bool) -> None:
    series, mbox = _series(tmp_path, _reply(PLAIN, attach))
    rev = series.revisions[-1]
    (reply,) = rev.patch(3).replies  # type: ignore[union-attr]
    assert [f"{t.key}: {t.value}" for t in reply.trailers] == [f"Reviewed-by: {RITA}"]
    assert [q.who for q in reply.quotes] == ["Ann Author"]
    ours = {p.mail.msgid: [f"{t.key}: {t.value}" for t in collect(p, rev).applied] for p in rev.patches}
    assert ours["p3-v2@example.org"] == [f"Reviewed-by: {RITA}"]
    if B4 is not None:  # the oracle, when installed
        assert ours == _b4_adds(tmp_path, mbox, "cover-v2@example.org")


def test_a_proposal_in_nested_plain_text_is_read(tmp_path: Path) -> None:
    proposal = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("int tries = 5;", "int tries = 6;"))
    series, _ = _series(tmp_path, _reply(f"On Mon, Ann Author wrote:\n> Change number 3.\n\nBetter:\n\n{proposal}",
                                         attach=True))
    (reply,) = series.revisions[-1].patch(3).replies  # type: ignore[union-attr]
    # Read from the HTML alternative instead (its first boundary taken for text, as git mailinfo takes it), the
    # reply had no proposal: only plain text is read for code.
    assert [p.files[0].path for p in reply.proposals] == [HELPER_PATH]


def _parts(*parts: tuple[str, str, str | None]) -> EmailMessage:
    """Rita's answer to v2 3/3 in multipart/mixed: each part (content type, text, attachment file name or None)."""
    msg = _reply("", attach=False)
    msg.clear_content()
    msg.make_mixed()
    for ctype, text, name in parts:
        sub = EmailMessage()
        sub.set_content(text, subtype=ctype.split("/")[1], disposition="attachment" if name else "inline",
                        filename=name)
        msg.attach(sub)
    return msg


PROPOSAL = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("int tries = 5;", "int tries = 6;"))


@pytest.mark.parametrize(("parts", "given"), [
    # Apple Mail with a picture pasted between two paragraphs: b4 reads the first plain part alone.
    ((("text/plain", "> Change number 3.\n\nLooks good, see:\n", None), ("text/plain", f"Reviewed-by: {RITA}\n", None)),
     False),
    # A log attached as text: not read for trailers.
    ((("text/plain", "> Change number 3.\n\nLog attached.\n", None), ("text/plain", f"Tested-by: {RITA}\n", "log.txt")),
     False),
    # A fix attached as a patch: b4 reads the part with the diff instead of the words, and their trailer is lost.
    ((("text/plain", PLAIN, None), ("text/x-patch", PROPOSAL, "fix.patch")), False),
    # The words first, a log without a diff after them: their trailer is b4's.
    ((("text/plain", PLAIN, None), ("text/plain", "dmesg line\n", "log.txt")), True),
], ids=["two-plain-parts", "text-attachment", "patch-attachment", "log-after"])
def test_trailers_are_read_from_the_part_b4_reads(tmp_path: Path, parts: tuple[tuple[str, str, str | None], ...],
                                                 given: bool) -> None:
    """b4 (LoreMessage.get_payload) reads a reply's trailers from one part: its first text/plain or text/x-patch
    part, or a later one holding a diff. The reply's other parts are read for its words, never for b4's trailers."""
    series, mbox = _series(tmp_path, _parts(*parts))
    rev = series.revisions[-1]
    ours = {p.mail.msgid: [f"{t.key}: {t.value}" for t in collect(p, rev).applied] for p in rev.patches}
    assert bool(ours["p3-v2@example.org"]) == given
    if B4 is not None:  # the oracle, when installed
        assert ours == _b4_adds(tmp_path, mbox, "cover-v2@example.org")
