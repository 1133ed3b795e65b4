"""A NAK sent through a list that rewrote From: is lifted by no later mail named so.

A NAK of an earlier revision sent through a mailing list that rewrote From: (DMARC, "X via List <list@...>") is
lifted by no later mail named so: by name, everyone the list rewrites shares its address (e919f77 for one revision)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import revision
from tests.harness.test_gate_earlier import CREATE, NAK, PREPARING, WRAPPING
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE_LIST = '"Mae Maint via Tdx-list" <tdx-list@lists.example.net>'
OLGA_LIST = '"Olga Other via Tdx-list" <tdx-list@lists.example.net>'
MAE = "Mae Maint <mae@example.org>"


def _gate(tmp: Path, nak_from: str, back_from: str) -> tuple[int, list[str]]:
    """v1 with a NAK of its 2/3 from ``nak_from``; v2 carrying the same change, ``back_from`` withdrawing it below."""
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, PREPARING, WRAPPING])
    mails = []
    for to, msgid, sender, words, date in ((one[2], NAK, nak_from, "NAK, this special-cases the loader again.",
                                            "Tue, 06 Jan 2026 10:00:00 +0000"),
                                           (two[2], "later@example.org", back_from, "I withdraw my NAK, the loader is "
                                            "no longer special-cased.", "Wed, 07 Jan 2026 10:00:00 +0000")):
        up = to["Message-ID"].strip("<>")
        mails.append(message(f"Re: {to['Subject']}", msgid, f"> quoted line\n\n{words}\n", sender=sender, parent=up,
                             refs=(to["In-Reply-To"].strip("<>"), up), date=date))
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v1.mbox", [*one, mails[0]]),
                                   write_mbox(tmp / "v2.mbox", [*two, mails[1]])), "v2", jobs=1,
                                  rules=tmp / "rules.toml"))
    return g.exit_status, [o.author for o in g.objections]


@pytest.mark.parametrize("back_from", [MAE_LIST, OLGA_LIST, MAE], ids=["same-name-via-list", "other-via-list",
                                                                       "direct"])
def test_a_nak_through_a_list_is_lifted_by_no_later_revisions_withdrawal(tmp_path: Path, back_from: str) -> None:
    # "Mae Maint via Tdx-list" withdrawing below v2 matched the v1 NAK by that name and the gate passed: the name is
    # the list's rewriting of whatever From: it was sent, as the address is, so it errs to blocking as below one
    # revision (Mae's own withdrawal through the list lifts nothing either).
    assert _gate(tmp_path, MAE_LIST, back_from) == (1, ["Mae Maint via Tdx-list"])


def test_a_direct_nak_is_still_lifted_by_its_sender(tmp_path: Path) -> None:
    assert _gate(tmp_path, MAE, MAE) == (0, [])
