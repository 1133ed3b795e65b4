""""Please" and any verb is a change asked (harness.pointwords._PLEASE), and code review's words are English's.

"Please serialize this." passed the gate READY, exit 0: "serialize" is in no list of change verbs; and "Please
parenthesize __ret." was refused as another language's (a word wordfreq ranks below harness/data's threshold).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import _thread
from tests.harness.test_review_points_plain import CODE

# Verbs in no list: each was read as nothing (READY), or its sentence as another language's.
ASKS = ["Please serialize this.", "Please stringify the leaf.", "Please frobnicate the loop.",
        "Please unexport it.", "Looks fine, but please unexport it.", "Also, please memoize the result.",
        "Please don't busy-wait here.", "Kindly parenthesize __ret.", "Truncate it.", "Decrement it first.",
        "Indent this.", "Please parenthesize __ret.", "Go back to the pre-decrement.",
        "Please go back to the old bound.",
        # A change of mind is no yielding ("just a thought" is): h654, round 64, READY before.
        "On second thought, tdx_keep_asking() must stay in <asm/tdx.h>."]

# "Please" before a verb of the mail or the review, or of the patch's fate: nothing to change in the code.
NONE = ["Please do.", "Please let me know.", "Please see below.", "Please ignore v2.", "Please CC me on v4.",
        "Please apply.", "Please take this through the tdx tree.", "Please be patient.", "Please find v4 attached.",
        "Please note the base commit.", "Please correct me if I'm wrong.", "Please keep me on Cc.",
        "Please have a look.", "Please take a look at v3 too.", "Thanks, please disregard the last mail."]


@pytest.mark.parametrize("said", ASKS)
def test_please_and_a_verb_outside_any_list_is_a_point(said: str) -> None:
    assert point_sentence(said) == said


@pytest.mark.parametrize("said", NONE)
def test_please_and_a_verb_of_the_mail_or_its_fate_is_no_point(said: str) -> None:
    assert point_sentence(said) is None


@pytest.mark.parametrize("said", ["Please serialize this.", "Please parenthesize __ret."])
def test_please_and_any_verb_below_code_blocks_the_gate(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, CODE + said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.POINT, "v2 02/3", said), o
    assert g.exit_status == 1, g.headline()
