"""A reply whose HTML alternative says more than its plain text: its objection blocks.

A reply whose HTML alternative says more than its plain text: its NAK or request to drop blocks, a withdrawal there
takes nothing back."""

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
from tests.mailgen import message, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (the oracle of what mail says) is missing")


def _alternative(patch: EmailMessage, msgid: str, plain: str, html: str, parent: str | None = None) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["Subject"], m["Date"] = MAE, f"Re: {patch['Subject']}", "Mon, 05 Jan 2026 11:00:00 +0000"
    m["Message-ID"], m["In-Reply-To"] = f"<{msgid}>", f"<{parent}>" if parent else patch["Message-ID"]
    m.set_content(plain)
    m.add_alternative(html, subtype="html")
    return m


def _gate(tmp: Path, *extra: EmailMessage) -> tuple[int, list[str]]:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, *extra]),), "v2", jobs=1,
                                  rules=tmp / "rules.toml"))
    return g.exit_status, [o.title for o in g.objections]


@pytest.mark.parametrize(("words", "title"), [
    ("NAK, the loop never ends.", "NAK of v2 02/3 by Mae Maint"),
    ("Please drop this patch, the loader never calls it.", "request to drop v2 02/3 by Mae Maint"),
])
def test_what_only_the_html_alternative_says_blocks(tmp_path: Path, words: str, title: str) -> None:
    patch = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)[2]
    reply = _alternative(patch, "a1@example.org", "Looks fine.\n", f"<p>Looks fine.</p><p>{words}</p>")
    # The oracle: git mailinfo takes the HTML part's text into the message as well.
    said = mailinfo(tmp_path, reply.as_bytes(policy=SMTP).replace(b"\r\n", b"\n")).message
    assert words in said, said
    # Before: only the plain text was read, and v2 passed (exit 0).
    assert _gate(tmp_path, reply) == (1, [title])


def test_a_withdrawal_only_the_html_alternative_says_takes_nothing_back(tmp_path: Path) -> None:
    patch = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)[2]
    nak = message(f"Re: {patch['Subject']}", "n1@example.org", "> q\n\nNAK, the loop never ends.\n", sender=MAE,
                  parent=patch["Message-ID"].strip("<>"))
    reply = _alternative(patch, "a1@example.org", "Thanks.\n", "<p>Thanks.</p><p>I withdraw my NAK.</p>",
                         "n1@example.org")
    assert _gate(tmp_path, nak, reply) == (1, ["NAK of v2 02/3 by Mae Maint"])
    same = _alternative(patch, "a2@example.org", "Looks fine.\n", "<p>Looks fine.</p>")
    assert _gate(tmp_path, same) == (0, [])
