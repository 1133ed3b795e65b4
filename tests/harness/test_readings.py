"""A source or changelog rule's pass and failure say what they read: the function as found, where, and the reference."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app

runner = CliRunner()


def test_a_source_rules_pass_says_what_it_read_and_where(corpus: Path, tmp_path: Path) -> None:
    # Before: PASS no-unlikely-in-sc-retry with evidence [], note "" and nothing else: what was read was not said.
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "v2", "--json", str(out)])
    assert r.exit_code == 1, r.output
    rule = {x["id"]: x for x in json.loads(out.read_text())["rules"]}["no-unlikely-in-sc-retry"]
    assert rule["verdict"] == "pass"
    read = {x["role"]: x for x in rule["read"]}
    assert (read["judged"]["what"], read["judged"]["state"]) == ("sc_retry() and what it calls", "v2")
    assert read["judged"]["where"].startswith("arch/x86/virt/vmx/tdx/seamcall.h:")
    # The reference it compared with: the state before the rule's patch (v2 04/21), where sc_retry() is there.
    assert (read["reference"]["state"], read["reference"]["how"]) == ("v2:03", 'reference = "before:patch"')
    assert read["reference"]["where"].startswith("arch/x86/virt/vmx/tdx/seamcall.h:")
    # And the code the cited review read, where the rule fails: the pass shows the point is met, not vacuous.
    assert read["reviewed"]["state"] == "v3:06" and read["reviewed"]["what"] == "fails"
    text = " ".join(r.stdout.split())
    assert "= read sc_retry() and what it calls in v2 (arch/x86/virt/vmx/tdx/seamcall.h:" in text
    assert "= compared with sc_retry() and what it calls in v2:03 (" in text
    assert "= fails on v3:06 (" in text and "the code <e2245231-ee39-40aa-bfdc-e43419fa30f4@intel.com> reviewed " \
        "(v3 06/26)" in text
    # patchwork / b4 carry it too.
    assert "read sc_retry() and what it calls in v2" in rule["b4"]["details"]


def test_a_failure_says_what_it_read_too(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "v3:06", "--json", str(out)])
    assert r.exit_code == 1, r.output
    rules = {x["id"]: x for x in json.loads(out.read_text())["rules"]}
    assert rules["no-unlikely-in-sc-retry"]["verdict"] == "fail"
    assert [(x["role"], x["state"]) for x in rules["no-unlikely-in-sc-retry"]["read"]] == \
        [("judged", "v3:06"), ("reference", "v3:05")]
    [msg] = rules["changelog-no-vmcs"]["read"]
    assert msg["what"] == "the commit message of v3 06/26 (trailers aside)" and msg["where"].endswith(".eml:1")
    # An equivalence rule names the runs it compared and the reference they were compared with.
    assert [(x["role"], x["state"], x["how"]) for x in rules["nak-no-kernel-change"]["read"]] == \
        [("judged", "v3:06", None), ("reference", "v3:05", 'reference = "before:patch"')]
    assert rules["nak-no-kernel-change"]["read"][0]["what"].startswith("the runs of 420 scenarios of seamcall(), ")
    # A guard passes on the reviewed code by design, and says it kept it.
    [kept] = [x for x in rules["tdx-module-calls-unchanged"]["read"] if x["role"] == "reviewed"]
    assert rules["tdx-module-calls-unchanged"]["verdict"] == "pass"
    assert kept["role"] == "reviewed" and "guard = true at " in kept["how"]
