"""The gate on a series with no review rules says so before building any variant, with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import harness.gate
from harness.cli import app
from harness.errors import UsageError
from harness.gate import GateRequest, evaluate_gate
from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox


def _series(tmp: Path) -> tuple[Path, Path]:
    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    box = write_mbox(tmp / "s.mbox", [message("[PATCH 1/1] x86/virt/seamldr: Add a wrapper for P-SEAMLDR calls",
                                              "own@example.org", body)])
    (tmp / "m.toml").write_text(MATRIX)
    return box, tmp / "m.toml"


def _no_build(*_: object, **__: object) -> None:
    raise AssertionError("a variant was built before the gate said it has no rules")


def test_no_rules_is_said_before_any_variant_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every state was applied and the matrix resolved (build_variants, with_matrix) first.
    box, matrix = _series(tmp_path)
    monkeypatch.setattr(harness.gate, "build_variants", _no_build)
    with pytest.raises(UsageError, match="no review rules for this series: pass --rules FILE"):
        evaluate_gate(GateRequest((box,), "v1", jobs=1, matrix=matrix))
    r = CliRunner().invoke(app, ["gate", str(box), "--variant", "v1", "--matrix", str(matrix), "--no-cache"])
    assert r.exit_code == 2 and "no review rules" in r.output and "Traceback" not in r.output, r.output
    # Before: '... pass --rules FILE' alone: a new user did not learn what the file holds nor where it is described.
    assert r.output.strip().endswith("pass --rules FILE, a TOML file of [[rule]] tables (docs/rules.md, 'A rule for "
                                     "your own series')") and len(r.output.strip().splitlines()) == 1, r.output


def test_an_unknown_variant_is_still_said_first(tmp_path: Path) -> None:
    box, matrix = _series(tmp_path)
    r = CliRunner().invoke(app, ["gate", str(box), "--variant", "v7", "--matrix", str(matrix), "--no-cache"])
    assert r.exit_code == 2 and "no variant 'v7'" in r.output, r.output


def test_with_rules_the_variants_are_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box, matrix = _series(tmp_path)
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\nseverity = "warning"\n'
                     '[rule.check]\nkind = "moves"\n')
    g = evaluate_gate(GateRequest((box,), "v1", jobs=1, matrix=matrix, rules=rules))
    assert [v.rule.id for v in g.verdicts] == ["moves"]
    monkeypatch.setattr(harness.gate, "build_variants", _no_build)
    with pytest.raises(AssertionError):
        evaluate_gate(GateRequest((box,), "v1", jobs=1, matrix=matrix, rules=rules))
