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
from harness.pointwords import point_sentence
from harness.verdictwords import code_judged
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import _thread
from tests.harness.test_gate_naks import MAE, _replies
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



# The code quoted or named judged in few words (harness.verdictwords.code_judged): a part of it said wrong, stale,
# pointless ...; a judging word alone or naming a thing; a point said still open; a bug of a part named. Each read as
# nothing below quoted code of patch 2 before: the gate passed READY, exit 0.
CODE_JUDGED = [
    "This comment is stale.", "The comment above is stale now.", "Nit: the comment is out of date.",
    "tdx_call_busy() is unused now.", "This variable is unused.", "The check is inverted.",
    "This condition is backwards.", "It's dead code now.", "I think this is redundant with the check in the caller.",
    "Useless.", "Overkill.", "Overkill, IMHO.", "Overkill for a single caller.", "Completely unnecessary.",
    "Stale comment.", "Obsolete comment here.",
    "This still isn't addressed.", "Still not fixed in this version.", "Not addressed yet.", "Not fixed in v3.",
    "It's still not fixed.", "The leak is still there.", "Still unaddressed.",
    "You still haven't addressed my comment.", "The error path leaks the page.",
]
# Praise, a verdict taken back, granted or of the past, the sender's own mail, a question, a build that works, a
# failure the patch fixes, the intended behaviour (none a failure reported either: harness.regressions').
CODE_NOT_JUDGED = [
    "The cast is fine.", "Not wrong, just unusual, fine by me.", "The old comment was stale, good that you fixed it.",
    "Builds fine here.", "Redundant? No, it's needed, ignore me.", "This check is needed.",
    "The comment is no longer stale.", "I don't think this is redundant.", "Nothing is wrong here.",
    "Redundant, but harmless.", "This is unused, so dropping it is fine.", "Wrong patch, sorry.", "Wrong, ignore me.",
    "No build failures here.", "No new W=1 warnings.", "It doesn't break the build.", "Does this build with clang?",
    "It didn't build before this patch.", "The test fails without this patch.",
    "Without this patch the kernel does not build.", "The old code leaks the buffer, this fixes it.",
    "This is fixed in v3.", "This warns once when the loader is busy.",
    "This breaks out of the loop when the loader is busy.", "My earlier reply is stale, sorry.",
]


def test_the_code_reader() -> None:
    assert [s for s in CODE_JUDGED if not code_judged(s) or point_sentence(s) != s] == []
    assert [s for s in CODE_NOT_JUDGED if code_judged(s) or point_sentence(s) is not None] == []


@pytest.mark.parametrize("said", [
    "The format string is wrong.", "The cast is pointless.", "This comment is stale.", "This check is redundant.",
    "Useless.", "Overkill.", "This still isn't addressed.", "Still not fixed in this version.",
    "This is dead code now.", "The error path leaks the page.", "Wrong leaf.", "Unneeded cast.", "Pointless churn.",
    "Stale comment.", "Obsolete comment here.", "Overkill for a single caller."])
def test_code_judged_in_few_words_blocks_as_a_review_point(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{said}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, said)], g.headline()
    assert g.exit_status == 1


@pytest.mark.parametrize("said", ["The cast is fine.", "Not wrong, just unusual, fine by me.",
                                  "The old comment was stale, good that you fixed it.", "Builds fine here.",
                                  "Redundant? No, it's needed, ignore me."])
def test_code_praised_or_defended_passes(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{said}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()
