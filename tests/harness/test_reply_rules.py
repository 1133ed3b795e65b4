"""Review rules on a reply's diff: it holds the revision up to the patch it answers, and no later patch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.test_replyvariants import NOWHERE, _thread
from tests.harness.variantgen import MATRIX

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_a_rule_on_a_later_patch_is_na_on_a_reply_diff_to_an_earlier_one(tmp_path: Path) -> None:
    # Rita's diff answers 2/3; the rule is about 3/3 ("try five times"), which her variant does not hold. v2:02 is
    # n/a ("stops before patch 03"); v2:02+rita-reviewer was judged on her code as if it stood for 3/3 and failed,
    # an error rule blocking the proposal (gate: NOT READY) where the state it answers is READY.
    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", NOWHERE.replace(
        "-\tint tries = 4;", "-\tint tries = 3;").replace("+\tint tries = 5;", "+\tint tries = 4;"))])
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nid = "five-tries"\nreviewer = "Ann Author"\nsummary = "five tries"\nseverity = "error"\n'
        'patch = "demo: try five times"\n[rule.check]\nkind = "behaviour"\n'
        'scenarios = { entry = "demo_retry", script = "busy-x5" }\nexpect = { calls = 5 }\n')
    verdicts = {}
    for name in ("v2:02", "v2:02+rita-reviewer", "v2"):
        g = evaluate_gate(GateRequest((folder,), name, matrix=tmp_path / "m.toml", rules=tmp_path / "rules.toml",
                                      jobs=1))
        [v] = g.verdicts
        verdicts[name] = (v.status.value, g.exit_status)
    assert verdicts["v2:02"] == verdicts["v2:02+rita-reviewer"] == ("n/a", 0), verdicts
    assert verdicts["v2"][0] != "n/a", verdicts  # the revision holds 3/3: the rule applies there
