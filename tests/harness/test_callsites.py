"""A no_new_calls rule with a reference: a listed call moved keeps the count but is no pass.

A no_new_calls rule with a reference: a listed call at a new place, one elsewhere gone, keeps the count but is no
pass (harness.callsites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.demomatrix import demo_matrix
from tests.mailgen import diff, message, patch_body, write_mbox

CODE = """\
#define sc_rarely(x) unlikely(x)

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err;

	if (GUARD)
		return -EINVAL;
	err = __seamcall(fn, args);
	if (FAILED)
		return -EIO;
	return 0;
}
"""

RULES = """\
[[rule]]
id = "no-new-unlikely"
reviewer = "R"
summary = "the tidy-up adds no unlikely() to demo_call()"
severity = "error"
[rule.check]
kind = "source"
function = "demo_call"
no_new_calls = ["likely", "unlikely"]
reference = "v1:01"
"""


def _verdict(tmp_path: Path, guard: str, failed: str) -> tuple[VerdictStatus, str]:
    first = CODE.replace("GUARD", "unlikely(!fn)").replace("FAILED", "err")
    second = CODE.replace("GUARD", guard).replace("FAILED", failed)
    box = write_mbox(tmp_path / "c.mbox", [
        message("[PATCH 1/2] demo: add", "c1@x", patch_body("Add.", diff("demo/demo.c", None, first))),
        message("[PATCH 2/2] demo: tidy", "c2@x", patch_body("Tidy.", diff("demo/demo.c", first, second)))])
    (tmp_path / "m.toml").write_text(demo_matrix())
    (tmp_path / "rules.toml").write_text(RULES)
    ev = evaluate(EvalRequest((box,), variants=("v1:01", "v1"), rules=tmp_path / "rules.toml",
                              matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    verdict = ev.judgement.rows[0].verdicts["v1"]
    return verdict.status, verdict.note


@pytest.mark.parametrize(("guard", "failed", "status"), [
    # The unlikely() moved from the guard to the error test: as many calls, one of them new (passed before).
    ("!fn", "unlikely(err)", VerdictStatus.INCONCLUSIVE),
    ("!fn", "err && unlikely(err != 1)", VerdictStatus.INCONCLUSIVE),
    # The same call where it was, spacing aside: no new one.
    ("unlikely( !fn )", "err", VerdictStatus.PASS),
    # One more: a fail, as before.
    ("unlikely(!fn)", "unlikely(err)", VerdictStatus.FAIL),
], ids=["moved", "moved-inside", "kept", "added"])
def test_a_listed_call_in_a_new_place_with_one_gone_is_no_pass(tmp_path: Path, guard: str, failed: str,
                                                               status: VerdictStatus) -> None:
    found, note = _verdict(tmp_path, guard, failed)
    assert found is status, note
    if status is VerdictStatus.INCONCLUSIVE:
        assert "is not one of v1:01's (v1:01 has unlikely(!fn), which v1 does not)" in note, note


def test_a_listed_call_moved_into_a_macro_of_the_codes_own_is_no_pass(tmp_path: Path) -> None:
    # 'sc_rarely(err)' is 'unlikely(err)': read in the text as sc_rarely() alone, it passed.
    found, note = _verdict(tmp_path, "!fn", "sc_rarely(err)")
    assert found is VerdictStatus.INCONCLUSIVE, note
    assert "sc_rarely(err) in demo_call()" in note, note
