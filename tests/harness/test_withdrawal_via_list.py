"""A withdrawal a mailing list rewrote the From: of (DMARC): not matched to the NAK's sender, and said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

LIST = '"Mae Maint via Tdx-list" <tdx-list@lists.example.net>'


def _gate(tmp: Path, nak_from: str, back_from: str, header: str) -> tuple[int, list[str]]:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    nak = message(f"Re: {msgs[2]['Subject']}", "n1@example.org", "> quoted\n\nNAK, the loop never ends.\n",
                  sender=nak_from, parent=patch, refs=(cover, patch))
    back = message(f"Re: {msgs[2]['Subject']}", "w1@example.org", "> NAK\n\nI misread it, I withdraw my NAK.\n",
                   sender=back_from, parent="n1@example.org", refs=(cover, patch, "n1@example.org"),
                   date="Tue, 06 Jan 2026 10:00:00 +0000")
    for m in (nak, back):
        if " via " in str(m["From"]):
            m[header] = MAE
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, nak, back])
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml"))
    return g.exit_status, [o.note for o in g.objections]


@pytest.mark.parametrize("header", ["X-Original-From", "Reply-To"])
@pytest.mark.parametrize(("nak_from", "back_from", "which"), [(MAE, LIST, "withdrawal"), (LIST, MAE, "NAK")])
def test_a_withdrawal_through_a_list_that_rewrote_from_is_said(tmp_path: Path, nak_from: str, back_from: str,
                                                               which: str, header: str) -> None:
    # The NAK stood with no word of the withdrawal: the list's address is not Mae's. The header naming Mae is the
    # list's word alone (b4 takes X-Original-From only with a passing attestation), so it still stands, said.
    status, [note] = _gate(tmp_path, nak_from, back_from, header)
    assert status == 1
    assert f"a mailing list rewrote the From: of the {which} and names \"{MAE}\"" in note, note


def test_the_same_address_still_takes_it_back(tmp_path: Path) -> None:
    assert _gate(tmp_path, MAE, MAE, "Reply-To") == (0, [])


OLGA_LIST = '"Olga Other via Tdx-list" <tdx-list@lists.example.net>'


@pytest.mark.parametrize("header", ["X-Original-From", "Reply-To"])
def test_another_sender_through_the_same_list_takes_nothing_back(tmp_path: Path, header: str) -> None:
    # Mae's NAK and Olga's "withdrawal" both came through the list, both From: its address: read as one sender, so
    # Olga took back Mae's NAK and the gate passed (a false pass). The list's address is no one's own.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    nak = message(f"Re: {msgs[2]['Subject']}", "n1@example.org", "> quoted\n\nNAK, the loop never ends.\n",
                  sender=LIST, parent=patch, refs=(cover, patch))
    nak[header] = MAE
    back = message(f"Re: {msgs[2]['Subject']}", "w1@example.org", "> NAK\n\nI misread it, I withdraw my NAK.\n",
                   sender=OLGA_LIST, parent="n1@example.org", refs=(cover, patch, "n1@example.org"),
                   date="Tue, 06 Jan 2026 10:00:00 +0000")
    back[header] = "Olga Other <olga@example.org>"
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, nak, back])
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
    assert g.exit_status == 1 and len(g.objections) == 1, g.objections
