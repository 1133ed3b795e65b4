"""A review point in a reviewer's fewest words ("Same comment as on v1.", "Hex, please.") blocks the gate.

Generated v2 of our own series, replies below its patch 2. Each sentence in POINTS passed the gate READY, exit 0,
said nowhere, before harness.tersepoints (round 63); every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from harness.tersepoints import terse_point
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# A point made elsewhere said to hold here; a thing asked by naming it with a please.
POINTS = [
    "Same comment as on v1.", "Same comment as on patch 1.", "Same issue here.", "Same nit as above.",
    "See my comment on patch 3.", "See my comments on v1.", "As I said on v1.", "Same problem as in 1/3.",
    "Same question as before.", "Same comment applies.", "As I mentioned in the cover letter.",
    "Same comment as on v1 applies here.",
    "Hex, please.", "hex please", "%#llx please.", "A comment here, please.", "More context in the changelog, please.",
    "Nit: hex please.",
]
# Saying more than the reference (read for that), another's words pointed at, agreement; thanks, assent, what is
# asked of the mail or of others, a negation.
NONE = [
    "Same here, looks good.", "As I said on v1, this looks good.", "See my reply to Olga.", "See below.",
    "Same thing happens without the patch.", "The same comment was made by Olga and answered.",
    "Yes please.", "Thanks, please.", "Plain text please.", "Reply-all please.", "Resend please.", "Review please.",
    "Thoughts, please.", "Could you take a look please.", "Thomas, a look at this please.", "Don't drop, please.",
]


def test_the_reader() -> None:
    assert [s for s in POINTS if not terse_point(s) or point_sentence(s) != s] == []
    assert [s for s in NONE if point_sentence(s) is not None] == []


@pytest.mark.parametrize("words", ["Same comment as on v1.", "See my comment on patch 3.", "Hex, please."])
def test_a_terse_point_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, words)], g.headline()
    assert g.exit_status == 1
