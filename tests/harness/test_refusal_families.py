"""Refusals with no NAK word, in their families and places, block the gate; approvals put with a no stay approvals.

One gate run over v2 with each reply below its patch 2, from a sender of its own: above every quote, below a quoted
line of the patch's message, below a quoted line of its code. Each refusal here passed the gate READY (exit 0) below
the patch's message at c8d61157, and those marked so anywhere; each approval must still pass (a false FAIL is the next
worst). Every sentence is written for this test.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

PLACES = {"top": "", "prose": "> The loader retries each leaf on its own.\n\n",
          "code": "> +\tif (WARN_ON(!fn))\n> +\t\treturn -EINVAL;\n\n"}

REFUSALS = [
    # Not wanted or needed, the view negated (each passed anywhere).
    "I don't think we want this.", "I don't think we need this.", "I don't think we want this patch at all.",
    "I don't see why we'd want this.", "We don't need this.", "I don't see the point of this patch.",
    # A bare no below the patch's own words (above every quote it was read).
    "Sorry, but no.", "No.", "Nope.", "No, sorry.", "Please don't.", "Not like this.",
    # Reverting it (each passed anywhere).
    "Please revert this.", "Revert this, please.", "Can you revert this?",
    # An ack withheld (each passed anywhere).
    "Not acked.", "No ack from me.", "Unacked.", "Not-acked-by: Mae Maint <mae@example.org>",
    # The approach judged wrong, and not to be done (each passed anywhere).
    "I think this is the wrong way to do it.", "This is not the way to fix this.", "I disagree with this patch.",
    "I don't think we should do this.", "We really shouldn't be doing this.", "This shouldn't be done.",
    # Forms read before, kept.
    "I'm not taking this.", "This is the wrong approach.", "We should not do this.",
]

APPROVALS = [
    "No objections.", "No objection from me.", "No complaints.", "No concerns here.", "Not a problem.", "No problem.",
    "No, this looks right to me.", "Nope, looks fine.", "No, that's fine.", "No further comments.",
    "I don't think this needs changes.", "I don't think we need to change anything.",
    "I don't see a problem with this.", "I don't mind this.", "I don't object.", "Not opposed.",
    "I don't disagree with this.", "No need to revert.", "I don't think this should be reverted.",
    "Why not, looks fine.", "Sure, why not.", "I don't think we need a bound here.",
    "Not acked yet, I'm still reading.",
]


def _reply(msgs: list[EmailMessage], n: int, body: str) -> EmailMessage:
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    return message(f"Re: {msgs[2]['Subject']}", f"f{n}@example.net", body + "\n", sender=f"Rev Iewer{n} <r{n}@x.net>",
                   parent=ids[2], refs=(ids[0], ids[2]), date=f"Mon, 05 Jan 2026 1{n // 60 % 10}:{n % 60:02d}:00 +0000")


def _table(tmp: Path, said: list[str], rules: bool) -> dict[str, ObjectionKind]:
    """What blocks, by each body of ``said`` (one reply each below patch 2), with the test's rules file or, without
    one, the bundled series' (the generated series is read as it)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *(_reply(msgs, n, s) for n, s in enumerate(said))])
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml" if rules else None,
                                  cache=shared_outcomes()))
    return {said[int(o.msgid[1:].split("@")[0])]: o.kind for o in g.objections}


@pytest.fixture(scope="module")
def blocked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ObjectionKind]:
    said = [PLACES[p] + s for p in PLACES for s in (*REFUSALS, *APPROVALS)]
    return _table(tmp_path_factory.mktemp("families"), said, True)


@pytest.mark.parametrize("place", ["top", "prose"])
def test_a_refusal_of_the_patch_blocks_as_a_request_to_drop(blocked: dict[str, ObjectionKind], place: str) -> None:
    missed = [s for s in REFUSALS if blocked.get(PLACES[place] + s) is not ObjectionKind.DROP]
    assert not missed, [(s, blocked.get(PLACES[place] + s)) for s in missed]


def test_below_quoted_code_it_blocks_as_a_refusal_or_a_point_on_that_code(blocked: dict[str, ObjectionKind]) -> None:
    # "This is the wrong approach." right below a line of code judges that code: a change asked of the patch.
    missed = [s for s in REFUSALS if blocked.get(PLACES["code"] + s) not in (ObjectionKind.DROP, ObjectionKind.POINT)]
    assert not missed, missed


@pytest.mark.parametrize("place", list(PLACES))
def test_an_approval_put_with_a_no_passes(blocked: dict[str, ObjectionKind], place: str) -> None:
    wrong = [(s, blocked[PLACES[place] + s]) for s in APPROVALS if PLACES[place] + s in blocked]
    assert not wrong, wrong


def test_without_a_rules_file_the_bundled_rules_leave_them_blocking(tmp_path: Path) -> None:
    said = ["Sorry, but no.", "I don't think we want this.", "Please revert this.", "Not acked.",
            "I think this is the wrong way to do it.", "No objections.", "No, this looks right to me."]
    got = _table(tmp_path, [PLACES["prose"] + s for s in said], False)
    assert got == {PLACES["prose"] + s: ObjectionKind.DROP for s in said[:5]}, got
