"""A verdict naming nothing, its "not" on the belief or the one judging, blocks below a patch or quoted code.

("I don't think this is right.", "Not a fan of this."): of the patch below its own words, of the code below quoted
code, and blocking either way.

Each in JUDGED passed the gate READY, exit 0, said nowhere, before round 63. Generated v2 of our own series, replies
below its patch 2; every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import _thread
from tests.harness.test_unnamed_drop import CODE, LOG, _blocks_as_drop

JUDGED = ["I don't think this is right.", "I don't believe that's the right approach.", "I don't think this works.",
          "Honestly, I don't think this is correct.", "Not a fan of this.", "I'm not a fan.",
          "I'm not happy with this.", "Not happy with this either.",
          # how it seems, suspect, or doubted as not being sure or as concerns held
          "This looks wrong.", "Looks wrong to me.", "Looks broken.", "This seems wrong.", "This looks suspicious.",
          "Fishy.", "This feels like a hack.", "Not sure this is correct.", "Hmm, not sure about this.",
          "I have concerns about this approach.", "I'm not sure this is needed."]
# A view of no merit ("... is wrong" doubted), a thing named, the sender yielding, another's setup.
NOT_JUDGED = ["I don't think this is wrong.", "Not a fan of the name, but fine.",
              "I don't think this is right, but it's your call.",
              "Not too happy about the delay in applying this, but it looks fine.",
              "Looks good, nothing suspicious.", "Nothing looks wrong to me.", "Not sure about this, but fine.",
              "Not sure about the name.", "I'm not sure I follow.", "It looks like the loader is busy.",
              "I have no concerns about this.", "Not sure this is wrong."]


@pytest.mark.parametrize("said", JUDGED)
def test_below_the_patchs_own_words_it_blocks_as_a_request_to_drop(tmp_path: Path, said: str) -> None:
    _blocks_as_drop(tmp_path, f"> {LOG}\n\n{said}\n", said)


@pytest.mark.parametrize("said", ["I don't think this is right.", "Not a fan of this.", "Looks wrong to me.",
                                  "Not sure about this."])
def test_below_quoted_code_it_blocks_as_a_review_point(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, f"{CODE}\n{said}\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, said)], g.headline()
    assert g.exit_status == 1


@pytest.mark.parametrize("said", NOT_JUDGED)
def test_what_judges_nothing_passes(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, f"> {LOG}\n\n{said}\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()

