"""A reply whose text git cannot convert to UTF-8 (a UTF-16 body) cannot be read: said and blocking, never passed."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.gitoracle import mailinfo
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (the oracle of what mail says) is missing")
WORDS = "> quoted\n\nNAK, the loop never ends.\n"


def _reply(patch: EmailMessage, charset: str, cte: str) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["Subject"], m["Date"] = MAE, f"Re: {patch['Subject']}", "Mon, 05 Jan 2026 10:00:00 +0000"
    m["Message-ID"], m["In-Reply-To"] = "<c1@example.org>", patch["Message-ID"]
    m.set_content(WORDS, charset=charset, cte=cte)
    return m


@pytest.mark.parametrize(("charset", "cte", "title"), [
    ("utf-16", "base64", "unreadable reply to v2 02/3 by Mae Maint"),
    ("utf-32", "base64", "unreadable reply to v2 02/3 by Mae Maint"),
    ("iso-8859-1", "quoted-printable", "NAK of v2 02/3 by Mae Maint"),  # git converts it: read as before
])
def test_a_reply_git_cannot_convert_is_unreadable(tmp_path: Path, charset: str, cte: str, title: str) -> None:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    reply = _reply(msgs[2], charset, cte)
    # The oracle: git mailinfo cannot convert a UTF-16 body (git am stops); it converts Latin-1.
    said = mailinfo(tmp_path, reply.as_bytes(policy=SMTP).replace(b"\r\n", b"\n")).error
    assert ("cannot convert from" in said) == title.startswith("unreadable"), said
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    # Before: its bytes were read as UTF-8, no NAK among them, and v2 passed (exit 0).
    assert [o.title for o in g.objections] == [title] and g.exit_status == 1
    if title.startswith("unreadable"):
        assert g.objections[0].sentence == f"its words cannot be read: git cannot convert its text from {charset} " \
                                           "to UTF-8"
