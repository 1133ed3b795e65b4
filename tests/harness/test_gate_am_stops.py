"""A patch git am stops at as sent (a commit message git mailinfo cannot convert to UTF-8) blocks the gate."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from tests.gitoracle import mailinfo as git_mailinfo
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox


def _declared(charset: str, log: str) -> list[EmailMessage]:
    """v2 of preparing_series, its patch 2's commit message opening with ``log`` and sent 8-bit under ``charset``
    (a mailer's slip: its Content-Type names US-ASCII, its bytes are UTF-8)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    p, up = msgs[2], msgs[2]["In-Reply-To"].strip("<>")
    body = p.get_content().replace("Our own changelog", log, 1)
    m = message(p["Subject"], p["Message-ID"].strip("<>"), body, sender=p["From"], parent=up, refs=(up,), cte="8bit")
    m.set_param("charset", charset)
    msgs[2] = m
    return msgs


def _gate(tmp: Path, msgs: list[EmailMessage], variant: str = "v2") -> GateResult:
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", msgs)
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize(("charset", "log", "stops"), [
    ("us-ascii", "Caf\u00e9 changelog", True),  # UTF-8 bytes called US-ASCII: git am stops
    ("US-ASCII", "Na\u00efve changelog", True),
    ("utf-8", "Caf\u00e9 changelog", False),  # the same bytes declared as they are
    ("us-ascii", "Plain changelog", False),  # ASCII text called US-ASCII
])
def test_a_patch_git_am_stops_at_blocks_the_gate(tmp_path: Path, charset: str, log: str, stops: bool) -> None:
    # Before, the note alone: v2 READY, exit 0, though git am on v2 stops at its patch 2.
    msgs = _declared(charset, log)
    theirs = git_mailinfo(tmp_path, msgs[2].as_bytes(policy=SMTP).replace(b"\r\n", b"\n")).error
    assert ("cannot convert from" in theirs) == stops, theirs
    g = _gate(tmp_path, msgs)
    assert (g.exit_status == 1) == stops and (g.exit_status == 0) == (not stops), g.headline()
    said = [p for p in g.base_problems if "git am stops" in p]
    assert len(said) == stops, g.base_problems
    if stops:
        assert f"v2 02/3 <{msgs[2]['Message-ID'].strip('<>')}>" in said[0] and \
            f"'cannot convert from {charset} to UTF-8'" in said[0], said
        assert "NOT READY" in g.headline(), g.headline()


def test_a_variant_not_applying_the_patch_is_not_blocked_by_it(tmp_path: Path) -> None:
    # v2:01 stops before patch 2: git am applies patch 1 alone.
    g = _gate(tmp_path, _declared("us-ascii", "Caf\u00e9 changelog"), "v2:01")
    assert not [p for p in g.base_problems if "git am stops" in p] and g.exit_status == 0, g.headline()
