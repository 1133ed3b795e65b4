"""A Reviewed-by given on v2, carried in v3's patch, and taken back in a reply to v3: it lifts no NAK on either."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE = "Mae Maint <mae@example.org>"
TAG = "Reviewed-by: Mae Maint <mae@example.org>"
NAK, GIVE, BACK = "NAK, the loop spins.\n", f"Looks fixed now.\n\n{TAG}\n", "I retract my Reviewed-by.\n"


def _v3(v2: list[EmailMessage], carried: bool) -> list[EmailMessage]:
    """v3: v2's patches again, v3 02/3 carrying Mae's tag among its own trailers (``carried``), a day later."""
    out = []
    for m in v2:
        body = str(m.get_content())
        if carried and "2/3]" in str(m["Subject"]):
            body = body.replace("Signed-off-by: Ann", f"{TAG}\nSigned-off-by: Ann")
        parent = str(m["In-Reply-To"] or "").strip("<>").replace("v2", "v3") or None
        out.append(message(str(m["Subject"]).replace("v2", "v3"), str(m["Message-ID"]).strip("<>").replace("v2", "v3"),
                           body, sender=str(m["From"]), parent=parent,
                           refs=tuple(r.strip("<>").replace("v2", "v3") for r in str(m["References"] or "").split()),
                           date="Tue, 06 Jan 2026 10:00:00 +0000"))
    return out


def _gate(tmp: Path, variant: str, replies: list[tuple[str, str]], carried: bool = True) -> GateResult:
    """v2 and v3 of our own series, Mae's ``replies`` (revision, body) below 02/3 of that revision, in order."""
    v2 = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    v3 = _v3(v2, carried)
    mails = []
    for i, (rev, body) in enumerate(replies, 1):
        patch = (v2 if rev == "v2" else v3)[2]
        day = "05" if rev == "v2" else "06"
        mails.append(message(f"Re: {patch['Subject']}", f"t{i}@example.org", body, sender=MAE,
                             parent=str(patch["Message-ID"]).strip("<>"),
                             refs=(str((v2 if rev == "v2" else v3)[0]["Message-ID"]).strip("<>"),
                                   str(patch["Message-ID"]).strip("<>")),
                             date=f"Mon, {day} Jan 2026 1{i}:00:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "s.mbox", [*v2, *v3, *mails])
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("variant", ["v2", "v3"])
def test_a_carried_tag_taken_back_on_v3_lifts_the_v2_nak_no_more(tmp_path: Path, variant: str) -> None:
    # Before: v2 READY, exit 0 (the NAK lifted by the tag Mae took back in reply to v3, where it is carried); v3 NOT
    # READY on the withdrawal alone, the NAK it no longer lifts unsaid.
    g = _gate(tmp_path, variant, [("v2", NAK), ("v2", GIVE), ("v3", BACK)])
    naks = [o for o in g.objections if o.kind is ObjectionKind.NAK]
    assert g.exit_status == 1 and [o.msgid for o in naks] == ["t1@example.org"], [o.describe() for o in g.objections]
    assert "<t2@example.org>" in naks[0].note and "withdrawn <t3@example.org>" in naks[0].note, naks[0].note
    assert not any("t1@example.org" in line for line in g.lifted), g.lifted


def test_a_carried_tag_taken_back_alone_blocks_v3_as_a_withdrawn_tag(tmp_path: Path) -> None:
    g = _gate(tmp_path, "v3", [("v2", GIVE), ("v3", BACK)])
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.TAG
    assert o.title == "Reviewed-by withdrawn from v3 02/3 by Mae Maint"


@pytest.mark.parametrize("variant", ["v2", "v3"])
def test_a_carried_tag_given_again_since_lifts_the_nak(tmp_path: Path, variant: str) -> None:
    g = _gate(tmp_path, variant, [("v2", NAK), ("v2", GIVE), ("v3", BACK), ("v3", GIVE)])
    assert g.exit_status == 0 and not g.objections, [o.describe() for o in g.objections]


def test_a_tag_taken_back_below_a_patch_not_carrying_it_leaves_v2_as_it_was(tmp_path: Path) -> None:
    # Which Reviewed-by "my Reviewed-by" below v3 is cannot be told from a v3 that does not carry v2's: v2 is judged
    # on its own thread (v3 blocks on the withdrawal).
    assert _gate(tmp_path, "v2", [("v2", NAK), ("v2", GIVE), ("v3", BACK)], carried=False).exit_status == 0
