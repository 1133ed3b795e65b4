"""A merit of the code doubted by the reviewer ("I don't think the leak is fixed here.") is a review point.

A "not" on the belief, a doubt or an unsureness, before a merit the patch claims or needs (fixed, correct, safe,
needed, works, handles ...): the reviewer says the code lacks it. Each in DOUBTED passed the gate READY, exit 0, at
0a5e4da7 (round 68, the lead); each in SAFE is a merit's lack doubted (a reassurance), taken back after it, a
question, or an answer about the process, and stays READY. Every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from harness.verdictwords import code_judged
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

DOUBTED = [
    "I don't think the build breakage is fixed here.", "I don't think the leak is fixed in this version.",
    "I don't believe the race is fixed by this.", "I'm not sure the leak is really fixed.",
    "I don't think this works on 32-bit.", "I doubt this works with CONFIG_SMP=n.",
    "I don't think this handles the error path.", "I'm not convinced the retry loop is bounded.",
    "I don't think the barrier is needed here.", "Honestly, I don't think the new check is sufficient.",
    "I doubt that tdx_sys_init() is safe to call twice.", "Not convinced the lock covers the per-CPU flag.",
    "I do not think your loop terminates when the module keeps returning busy.",
    "I'm not certain the cast is correct on big-endian.", "We don't think the fallback path is tested at all.",
]
SAFE = [
    "I don't think the locking is broken.", "I don't think the leak is real, the caller frees it.",
    "I don't think the barrier is needed here, but it's harmless.", "I'm not sure the leak is fixed?",
    "I don't think that's needed.", "I don't think it's needed to resend for this.",
    "I don't think the retry is needed, but fine.", "I doubt it matters.", "Not sure the name is great, but fine.",
    "I don't think this is wrong.", "I don't think the old code handles the error path, this fixes it.",
    "I don't think this needs more work.", "I don't think this patch breaks boot.",
]


def test_the_reader() -> None:
    assert [s for s in DOUBTED if not code_judged(s) or point_sentence(s) != s] == []
    assert [s for s in SAFE if code_judged(s)] == []


@pytest.mark.parametrize("said", DOUBTED[:4] + DOUBTED[-2:])
def test_doubted_below_quoted_code_blocks_as_a_review_point(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{said}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, said)], g.headline()
    assert g.exit_status == 1


@pytest.mark.parametrize("said", SAFE[:3] + SAFE[-3:])
def test_a_lack_doubted_or_taken_back_passes(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{said}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()
