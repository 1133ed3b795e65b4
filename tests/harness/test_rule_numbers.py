"""A rule naming a patch by number: numbers no revision has are refused, missing ones never pass.

A rule that names a patch by number (applies_from, reference = "before:N", a changelog's patch): a number no
revision has is refused; a patch the input lacks never makes the rule pass or "not applicable"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.variantgen import matrix
from tests.mailgen import demo_series, write_mbox

HEAD = '[[rule]]\nid = "r"\nreviewer = "Rev"\nsummary = "s"\n'
BODIES = {
    "before": '[rule.check]\nkind = "equivalence"\nreference = "before:{n}"\n',
    "applies_from": 'applies_from = {n}\n[rule.check]\nkind = "behaviour"\nexpect = {{ calls_at_least = 0 }}\n',
    "changelog": '[rule.check]\nkind = "changelog"\npatch = {n}\nmust_not_match = "nothing here"\n',
}


def _gate(tmp_path: Path, kind: str, n: int, variant: str) -> tuple[int, str, dict[str, object] | None]:
    # v2 of 5 patches, of which the input holds 01-03 (04 and 05 were not given).
    mbox = write_mbox(tmp_path / "s.mbox", demo_series(version=2, total=5))
    rules = tmp_path / "rules.toml"
    rules.write_text(HEAD + BODIES[kind].format(n=n))
    out = tmp_path / "gate.json"
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", variant, "--matrix", str(matrix(tmp_path).path),
                                 "--rules", str(rules), "--json", str(out)])
    return r.exit_code, r.output, json.loads(out.read_text()) if out.exists() else None


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_patch_number_no_revision_has_is_refused(tmp_path: Path, kind: str) -> None:
    code, output, report = _gate(tmp_path, kind, 9, "v2")
    line = 5 if kind == "applies_from" else 7
    assert code == 2 and report is None, output
    assert f"rules.toml:{line}: rule r: " in output and "no revision of the input has a patch 9 (patches per " \
           "revision: v2 5)" in " ".join(output.split())


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_patch_the_input_lacks_is_inconclusive(tmp_path: Path, kind: str) -> None:
    # "before:4" was the variant itself (v2:03 = v2): a pass comparing v2 with itself.
    code, output, report = _gate(tmp_path, kind, 4, "v2")
    assert code == 1 and report is not None, output
    (rule,) = report["rules"]  # type: ignore[misc]
    assert rule["verdict"] == "inconclusive"
    assert "v2 04/5, the patch the rule names, is not in the input" in rule["note"]


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_prefix_that_stops_before_the_patch_is_not_applicable(tmp_path: Path, kind: str) -> None:
    # "before:3" on v2:02 compared it with the later v2:02 state it already is, or a later one.
    code, output, report = _gate(tmp_path, kind, 3, "v2:02")
    assert code == 0 and report is not None, output
    (rule,) = report["rules"]  # type: ignore[misc]
    assert rule["verdict"] == "n/a" and rule["note"] == "the variant stops before patch 03"


def _reference_gate(tmp_path: Path, reference: str, *more: str) -> tuple[int, str, Path]:
    # v2 and v4 of 5 patches, the input holding 01-03 of each.
    mbox = write_mbox(tmp_path / "s.mbox", demo_series(version=2, total=5) + demo_series(version=4, total=5))
    rules = tmp_path / "rules.toml"
    rules.write_text(HEAD + f'[rule.check]\nkind = "equivalence"\nreference = "{reference}"\n')
    out = tmp_path / "gate.json"
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v4", "--matrix", str(matrix(tmp_path).path),
                                 "--rules", str(rules), "--json", str(out), *more])
    return r.exit_code, r.output, out


def test_an_older_revision_the_input_lacks_says_why(tmp_path: Path) -> None:
    # "was not evaluated (add it with --variant, or run gate ...)", said by the gate itself: advice that cannot
    # be followed. A revision the input lacks is named as such (the input may be the newer revisions alone).
    code, output, out = _reference_gate(tmp_path, "v3")
    assert code == 1, output
    (rule,) = json.loads(out.read_text())["rules"]
    assert rule["verdict"] == "inconclusive" and rule["note"] == "reference v3: the input has no v3 (its revisions: " \
                                                                 "v2, v4)"


@pytest.mark.parametrize("reference", ["v44:01", "v7", "v5:02"])
@pytest.mark.parametrize("allow", [False, True])
def test_a_reference_newer_than_every_revision_is_refused(tmp_path: Path, reference: str, allow: bool) -> None:
    # 'v44:01' for 'v4:01' was inconclusive (exit 1, reports written) and, with --allow-inconclusive, READY (exit 0):
    # a revision after the newest given cannot be what a rule on these revisions compares with (docs/refusals.md).
    code, output, out = _reference_gate(tmp_path, reference, *(["--allow-inconclusive"] if allow else []))
    said = " ".join(output.split())
    assert code == 2 and not out.exists(), output
    assert len(output.strip().splitlines()) == 1, output
    assert f"rules.toml:7: rule r: unknown reference '{reference}'" in said, output
    assert "(the input's newest revision is v4)" in said, output
    assert ("(did you mean 'v4:01'?)" in said) == (reference == "v44:01"), output


def test_a_proposal_from_before_the_patch_stands_in_for_it(corpus: Path, tmp_path: Path) -> None:
    # gao-answer starts at v3:05 and replaces 06/26: "before:6" is its start, never "stops before patch 06".
    rules = tmp_path / "rules.toml"
    rules.write_text(HEAD + BODIES["before"].format(n=6))
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(corpus), "--variant", "gao-answer", "--rules", str(rules), "--json",
                                 str(out)])
    assert r.exit_code in (0, 1), r.output
    (rule,) = json.loads(out.read_text())["rules"]
    assert rule["verdict"] in ("pass", "fail") and "compared with v3:05" in rule["note"], rule
