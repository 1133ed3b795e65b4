"""An equivalence rule over a changed condition runs the answers next to what it tests.

An equivalence rule ('the same behaviour as before the patch') over a changed condition runs the answers next to
what it tests (harness.valuecover), as eval does: a difference fails it, a condition no run tells apart leaves it
inconclusive naming the condition on both sides (was a pass on scenarios that could not show the change)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

LOOP = "err != TDX_RND_NO_ENTROPY || !--left"  # RETRY_SAFE's test
RULE = ('[[rule]]\nid = "same"\nreviewer = "Rev"\nsummary = "s"\npatch = "Prepare to support"\n[rule.check]\n'
        'kind = "equivalence"\nreference = "before:patch"\n')


def _gate(tmp_path: Path, test: str) -> dict[str, object]:
    """The gate's equivalence rule on the patch of preparing_series that only changes sc_retry()'s test."""
    return _gate_series(tmp_path, preparing_series(helpers(RETRY_SAFE.replace(LOOP, test))))


def _gate_series(tmp_path: Path, series: list[EmailMessage]) -> dict[str, object]:
    """The gate's equivalence rule on the 'Prepare' patch of a generated v2 series."""
    mbox = write_mbox(tmp_path / "v2.mbox", series)
    (tmp_path / "r.toml").write_text(RULE)
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "r.toml"),
                                 "--json", str(tmp_path / "g.json"), "--time-budget", "0"])
    assert r.exit_code in (0, 1), r.output
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    return dict(rule)


def test_a_changed_status_test_an_answer_next_to_it_tells_apart_fails(tmp_path: Path) -> None:
    rule = _gate(tmp_path, "(err & ~BIT_ULL(40)) != TDX_RND_NO_ENTROPY || !--left")
    assert rule["verdict"] == "fail", rule
    found = {e["scenario"].split(" (and")[0]: e["actual"] for e in rule["evidence"]}  # type: ignore[attr-defined]
    said = found["seamcall/TDH_SYS_INIT/neighbour-0x8000030300000000/tdx.c"]
    assert "TDX module SEAMCALLs 1 -> 2; return 0x8000030300000000 -> 0x0" in said, found


def test_a_changed_condition_no_run_tells_apart_is_inconclusive(tmp_path: Path) -> None:
    # One more try for a leaf no scenario takes: no run shows it.
    test = "err != TDX_RND_NO_ENTROPY || left-- <= (fn == 0x1234 ? 2 : 1)"
    rule = _gate(tmp_path, test)
    assert rule["verdict"] == "inconclusive", rule
    note = str(rule["note"])
    assert (f"a condition of sc_retry() changed, 'if ({LOOP})' ({NEW_HOME}:24) in v2:01 -> "
            f"'if ({test})' ({NEW_HOME}:24) in v2:") in note, note


# 'left-- <= 1' stops where '!--left' does at every count the loop reaches (10 down to 1), not below, which it never
# reaches: inconclusive before ('a changed condition no run tells apart'), the same test where both loops go round
# as many times (harness.countedalike).
@pytest.mark.parametrize("test", ["!(err == TDX_RND_NO_ENTROPY) || !--left",
                                  "err != TDX_RND_NO_ENTROPY || left-- <= 1"])
def test_a_refactored_or_unchanged_condition_still_passes(tmp_path: Path, test: str) -> None:
    assert _gate(tmp_path, test)["verdict"] == "pass"


def test_a_changed_helper_the_loop_calls_fails_though_the_changed_part_of_the_test_agrees(tmp_path: Path) -> None:
    # The loop tests a helper; the patch rewrites the counter's test to the same truth and makes the helper clear
    # bit 40 before comparing: only NO_ENTROPY with bit 40 set tells them apart (was a pass: the counter's parts
    # agree on every value, so no value ran and no condition was said changed).
    helper = "static __always_inline bool sc_busy(u64 err)\n{\n\treturn err == TDX_RND_NO_ENTROPY;\n}\n\n"
    before = helper + RETRY_SAFE.replace(LOOP, "!sc_busy(err) || !--left")
    after = before.replace("return err == TDX_RND_NO_ENTROPY;", "return (err & ~BIT_ULL(40)) == TDX_RND_NO_ENTROPY;")
    after = after.replace("!--left", "left-- == 1")
    rule = _gate_series(tmp_path, _prepared(before, after))
    assert rule["verdict"] == "fail", rule
    found = {e["scenario"].split(" (and")[0]: e["actual"] for e in rule["evidence"]}  # type: ignore[attr-defined]
    said = found["seamcall/TDH_SYS_INIT/neighbour-0x8000030300000000/tdx.c"]
    assert "TDX module SEAMCALLs 1 -> 2; return 0x8000030300000000 -> 0x0" in said, found


def _prepared(before: str, after: str) -> list[EmailMessage]:
    """preparing_series' v2 with the helper header's retry loop ``before``, made ``after`` by the 'Prepare' patch."""
    from tests.harness.seriesgen import BUILD_WRAPPER, PREPARE, WRAPPER, WRAPPER_C, Step, revision

    first = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(before)),))
    return revision(2, [first,
                        Step(PREPARE, ((NEW_HOME, helpers(before), helpers(after)),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),
                                                                                BUILD_WRAPPER))])


BY_LEAF = "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n" + RETRY_SAFE.replace(
    "\tu64 err;\n",
    "\tu64 busy = fn & SEAMLDR_LEAF_BIT ? SEAMLDR_RND_NO_ENTROPY : TDX_RND_NO_ENTROPY;\n\tu64 err;\n").replace(
    LOOP, "err != busy || !--left")


@pytest.mark.parametrize(("test", "verdict"), [
    ("(err & ~BIT_ULL(40)) != busy || !--left", "fail"),  # each leaf's code with bit 40 set tells them apart
    ("!(err == busy) || !--left", "pass"),  # the same test: the runs decide it
])
def test_a_test_against_a_code_the_leaf_chooses_is_decided(tmp_path: Path, test: str, verdict: str) -> None:
    # The retry code is chosen by the leaf in one expression (was inconclusive: two names, one no constant, and no
    # answer next to either code run)
    rule = _gate_series(tmp_path, _prepared(BY_LEAF, BY_LEAF.replace("err != busy || !--left", test)))
    assert rule["verdict"] == verdict, rule
    if verdict == "fail":
        found = {e["scenario"].split(" (and")[0] for e in rule["evidence"]}  # type: ignore[attr-defined]
        assert {"seamcall/TDH_SYS_INIT/neighbour-0x8000030300000000/tdx.c",
                "seamcall/SEAMLDR_INFO/neighbour-0x8000010000030001/tdx.c"} <= found, found
