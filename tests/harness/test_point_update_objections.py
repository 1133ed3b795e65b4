"""A point update ([PATCH v2.1 2/3]) and the review of the posting it replaced.

A point update ("[PATCH v2.1 2/3]" sent in reply to v2 2/3) and the review of the posting it replaced: a NAK of
v2 2/3 is carried to v2.1 2/3 where that makes the same change (git patch-id), else said as an earlier objection."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import (
    NEW_HOME,
    PREAMBLE,
    PRINTERS,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    TAIL,
    helpers,
    preparing_series,
)
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import diff, message, patch_body, write_mbox

LEAF = PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL


def _gate(tmp: Path, header: str, variant: str = "v2", withdrawn: bool = False
          ) -> tuple[int, list[tuple[str, str]], list[str]]:
    """v2 of our own series, Mae's NAK of its patch 2 (taken back below it when ``withdrawn``), then a v2.1 of patch 2
    sent in reply to it, turning the helper header into ``header``: the gate's exit status, its (msgid, target)
    objections and its earlier ones (its lifted lines when ``withdrawn``)."""
    msgs = preparing_series(LEAF)
    cover, patch = (str(m["Message-ID"]).strip("<>") for m in (msgs[0], msgs[2]))
    nak = message(f"Re: {msgs[2]['Subject']}", "nak-old@example.org", "> quoted line\n\nNAK, drop the unlikely().\n",
                  sender="Mae Maint <mae@example.org>", parent=patch, refs=(cover, patch))
    back = message(f"Re: {msgs[2]['Subject']}", "back@example.org", "I withdraw my NAK.\n",
                   sender="Mae Maint <mae@example.org>", parent="nak-old@example.org",
                   refs=(cover, patch, "nak-old@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000")
    update = message(str(msgs[2]["Subject"]).replace("PATCH v2 ", "PATCH v2.1 "), "point-2@example.org",
                     patch_body("Reworded changelog.", diff(NEW_HOME, helpers(RETRY_SAFE), header),
                            notes="v2.1: as asked"),
                     sender=str(msgs[2]["From"]), parent=patch, refs=(cover, patch))
    rules = tmp / "rules.toml"
    rules.write_text(RULE)
    mbox = write_mbox(tmp / "t.mbox", [*msgs, nak, *([back] if withdrawn else []), update])
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=rules, cache=shared_outcomes()))
    return g.exit_status, [(o.msgid, o.target) for o in g.objections], \
        list(g.lifted) if withdrawn else [e.objection.msgid for e in g.earlier]


def test_a_nak_of_the_replaced_posting_blocks_where_the_update_makes_the_same_change(tmp_path: Path) -> None:
    # The update rewords the changelog alone. Before: 'v2: READY', exit 0, the NAK said nowhere (a false pass).
    status, objections, earlier = _gate(tmp_path, LEAF)
    assert status == 1 and earlier == [], (status, objections, earlier)
    [(msgid, target)] = objections
    assert msgid == "nak-old@example.org" and target.startswith("v2 02/3 (as v2 02/3 <gen-2-v2@example.org> "
                                                                 "(replaced by v2.1 02/3): "), target


def test_a_nak_of_the_replaced_posting_is_said_where_the_update_changed_the_code(tmp_path: Path) -> None:
    # The update drops the unlikely() asked: not judged on it, nor taken as addressed, so it blocks as an inconclusive
    # rule does (before: said nowhere, then a note with exit 0).
    status, objections, earlier = _gate(tmp_path, LEAF.replace("unlikely(fn & SEAMLDR_LEAF_BIT)",
                                                               "fn & SEAMLDR_LEAF_BIT"))
    assert (status, objections, earlier) == (1, [], ["nak-old@example.org"])


def test_a_state_before_the_updated_patch_has_no_objection_of_it(tmp_path: Path) -> None:
    assert _gate(tmp_path, LEAF, "v2:01")[:2] == (0, [])


def test_a_nak_of_the_replaced_posting_taken_back_below_it_is_said_lifted(tmp_path: Path) -> None:
    # The gate passed before too, but said nothing of the NAK: a NAK taken back below the patch itself is listed.
    status, objections, lifted = _gate(tmp_path, LEAF, withdrawn=True)
    assert (status, objections) == (0, []) and len(lifted) == 1, lifted
    assert lifted[0].startswith("NAK of v2 02/3 <gen-2-v2@example.org> (replaced by a point update) by Mae Maint "
                                "<nak-old@example.org>") and "lifted by its sender <back@example.org>" in lifted[0]
