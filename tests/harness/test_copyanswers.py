"""Answers written inside an unquoted (Outlook) copy of the patch, whatever their mark, are the replier's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

RITA = "Rita Reviewer <rita@example.org>"
OUTLOOK = ("-----Original Message-----\nFrom: {who}\nSent: Monday, January 5, 2026 10:00 AM\nTo: Rita\n"
           "Subject: {subj}\n\n")


def _gate(tmp: Path, inserted: str | None, top: str = "Hi, see my comments inline.\n\nThanks,\nRita\n",
          with_patch: bool = True) -> GateResult:
    """v2 of our own series and Rita's Outlook reply to its patch 2: her top text, then the patch copied unquoted with
    ``inserted`` put below its first added line (None: the copy as it came). ``with_patch`` False: the input lacks
    the patch mail (an orphan reply to it)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    body = patch.get_content()
    if inserted is not None:
        at = next(i for i, t in enumerate(body.split("\n")) if t.startswith("+") and not t.startswith("+++"))
        lines = body.split("\n")
        body = "\n".join([*lines[: at + 1], inserted, *lines[at + 1:]])
    copy = top + "\n" + OUTLOOK.format(who=patch["From"], subj=patch["Subject"]) + body
    reply = message(f"RE: {patch['Subject']}", "o1@example.org", copy, sender=RITA,
                    parent=patch["Message-ID"].strip("<>"),
                    refs=(msgs[0]["Message-ID"].strip("<>"), patch["Message-ID"].strip("<>")),
                    date="Mon, 05 Jan 2026 12:00:00 +0000")
    (tmp / "rules.toml").write_text(RULE)
    kept = msgs if with_patch else [m for m in msgs if m is not patch]
    mbox = write_mbox(tmp / "v2.mbox", [*kept, reply])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("line", ["RR: Cap the retries at 8.", "<RR> Cap the retries at 8.",
                                  "--> Cap the retries at 8.", ">>> RR: Please cap the retries at 8.",
                                  "*** Cap the retries at 8. ***", "Cap the retries at 8.",
                                  "Rita: please cap the retries at 8."])
def test_a_line_the_original_lacks_is_the_repliers_whatever_its_mark(tmp_path: Path, line: str) -> None:
    # h656 (round 65): each read as the patch author's line of the copy, v2 READY, exit 0.
    g = _gate(tmp_path, line)
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.POINT and o.msgid == "o1@example.org", g.headline()
    assert o.author == "Rita Reviewer" and "ap the retries at 8." in o.sentence and "RR" not in o.sentence, o


@pytest.mark.parametrize("line", ["RR: NAK, the loop spins.", "--> NAK, the loop spins."])
def test_a_nak_inline_is_the_repliers(tmp_path: Path, line: str) -> None:
    g = _gate(tmp_path, line)
    assert [(o.kind, o.author) for o in g.objections] == [(ObjectionKind.NAK, "Rita Reviewer")], g.objections


def test_a_copy_as_it_came_holds_no_words_of_the_replier(tmp_path: Path) -> None:
    g = _gate(tmp_path, None, top="Looks good to me.\n")
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]


def test_without_the_original_only_bracketed_initials_are_read(tmp_path: Path) -> None:
    # The message copied is not in the input: which lines are the replier's cannot be told from the copy alone, so
    # it is read as before (harness.supercite: "[RR] ..." is hers, "RR: ..." the copy's).
    g = _gate(tmp_path, "RR: Cap the retries at 8.", with_patch=False)
    assert not [o for o in g.objections if o.msgid == "o1@example.org"], [o.describe() for o in g.objections]
