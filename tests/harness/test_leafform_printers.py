"""leaf-format evidence names the scenario of each line it quotes, and says a line once (generated series)."""

from __future__ import annotations

from pathlib import Path

from tests.harness.test_checks import _FORMAT_MATRIX, _format_rule, _printer, _rule_verdict


def test_a_conflict_names_the_scenario_of_a_line_another_printed(tmp_path: Path) -> None:
    # The evidence is filed under TDX's scenario (tdx_prerr); LDR's line is ldr_prerr's, and read as if the
    # TDX scenario had printed it too.
    got = _rule_verdict(tmp_path, _printer("tdx_prerr", "%#016llx") + _printer("ldr_prerr", "0x%016llx"),
                        _FORMAT_MATRIX, _format_rule("B"))
    (e,) = got.evidence
    assert e.scenario is not None and e.scenario.entry.name == "tdx_prerr", e
    tdx, ldr = e.actual.split("; ")
    assert "(in " not in tdx, tdx
    assert ldr.endswith("failed: 8000000000000001' (in ldr_prerr/B/bad/u)"), ldr


def test_a_line_the_evidence_quotes_is_not_said_again_in_the_note(tmp_path: Path) -> None:
    # One conversion, decimal, where the rule asks hex: each component's evidence quotes its line, and the note
    # repeated both, so the gate read "got X (X)". Here every component missed the base: the note is empty.
    got = _rule_verdict(tmp_path, _printer("tdx_prerr", "%llu") + _printer("ldr_prerr", "%llu"),
                        _FORMAT_MATRIX, _format_rule("B", 'base = "hex"\n'))
    assert got.status == "fail" and len(got.evidence) == 2, got
    assert all("decimal, 2 digits" in e.actual and "(in " not in e.actual for e in got.evidence), got.evidence
    assert not any(e.actual.split(" '")[1] in got.note for e in got.evidence), got.note
