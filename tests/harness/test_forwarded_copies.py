"""A message forwarded inline is the forwarded sender's words: its NAK is theirs, its withdrawal takes none back."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.test_gate_naks import MAE, _objections, _replies

OLGA_FROM = "From: Olga Other <olga@example.org>"
# Each mailer's forward as it writes it: its separator, then the forwarded message's header block, then its body.
FORWARDS = {
    "thunderbird": ("-------- Forwarded Message --------\nSubject: Re: [PATCH v2 2/3] x\n"
                    f"Date: Mon, 5 Jan 2026 11:00:00 +0000\n{OLGA_FROM}\nTo: Mae Maint <mae@example.org>\n"),
    "gmail, no To": f"---------- Forwarded message ---------\n{OLGA_FROM}\nDate: Mon, Jan 5, 2026 at 11:00 AM\n"
                    "Subject: Re: [PATCH v2 2/3] x\n",
    "apple, no To": f"Begin forwarded message:\n\n{OLGA_FROM}\nSubject: Re: [PATCH v2 2/3] x\n"
                    "Date: January 5, 2026 at 11:00:00 GMT\n",
}


@pytest.mark.parametrize("mailer", list(FORWARDS))
def test_a_forwarded_withdrawal_takes_back_none_of_the_forwarders_naks(tmp_path: Path, mailer: str) -> None:
    # Before: Olga's forwarded words were Mae's own: 'I withdraw my NAK.' took Mae's NAK back, and v2 passed.
    forward = f"Thanks, see below.\n\n{FORWARDS[mailer]}\nI withdraw my NAK.\n"
    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch"),
                    ("f1@example.org", forward, MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK, the loop never ends.")]


@pytest.mark.parametrize("mailer", list(FORWARDS))
def test_a_forwarded_nak_is_the_forwarded_senders(tmp_path: Path, mailer: str) -> None:
    forward = f"FYI.\n\n{FORWARDS[mailer]}\nNAK, the loop never ends.\n"
    mbox = _replies(tmp_path, ("f1@example.org", forward, MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    # The forwarded sender as its From line names her: with her address when it gives one.
    who = "Olga Other <olga@example.org>" if "<olga@example.org>" in FORWARDS[mailer] else "Olga Other"
    assert [(o.msgid, o.author) for o in g.objections] == [("f1@example.org", f"{who} (quoted by Mae Maint)")]
    assert g.exit_status == 1
