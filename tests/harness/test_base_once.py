"""``base``, vN:00's other name in an input of one revision: one state, run once, found under either name."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.apply import ApplyRequest, apply_variants
from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from tests.harness.variantgen import HELPER, RETRY_C, matrix
from tests.mailgen import diff, message, patch_body, write_mbox

runner = CliRunner()


def _mbox(tmp_path: Path) -> Path:
    """One revision of two patches of our own: the helper, then its retry count raised."""
    first = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    second = first.replace("int tries = 3;", "int tries = 5;")
    return write_mbox(tmp_path / "s.mbox", [
        message("[PATCH v3 1/2] demo: retry helper", "b1@x", patch_body("Add it.", diff(HELPER, None, first))),
        message("[PATCH v3 2/2] demo: retry longer", "b2@x", patch_body("Longer.", diff(HELPER, first, second)))])


def test_base_is_vn00_not_a_copy(tmp_path: Path) -> None:
    # Before: revision_variants appended a copy of v3:00 named 'base', run and reported beside it.
    vs = apply_variants(ApplyRequest(parse_series(IngestRequest((_mbox(tmp_path),)))))
    assert [v.name for v in vs.variants] == ["v3:00", "v3:01", "v3:02", "v3"]
    assert vs.get("base") is vs.get("v3:00") and vs.get("v3:00").aliases == ("base",)
    assert vs.get("v3:00").description == "v3 before the first patch (also named base)"
    named = apply_variants(ApplyRequest(parse_series(IngestRequest((_mbox(tmp_path),))), names=("base", "v3:00")))
    assert [v.name for v in named.variants] == ["v3:00"]


def test_eval_runs_the_state_once_and_names_both(tmp_path: Path) -> None:
    mbox, m = _mbox(tmp_path), str(matrix(tmp_path).path)
    r = runner.invoke(app, ["eval", str(mbox), "--matrix", m, "--no-cache", "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    said = " ".join(r.stdout.split())
    assert ": 4 variants x " in said and "base: hunks only (no tree); the variant base is v3:00 " in said, r.stdout
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [v["name"] for v in doc["variants"]] == ["v3:00", "v3:01", "v3:02", "v3"]
    # Either name narrows to the one state, and compares with it: no pair of the state with itself.
    r = runner.invoke(app, ["eval", str(mbox), "--matrix", m, "--no-cache", "--variant", "base", "--variant",
                            "v3:00", "--variant", "v3:02", "--against", "base", "--json", str(tmp_path / "n.json")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "n.json").read_text())
    assert [v["name"] for v in doc["variants"]] == ["v3:00", "v3:02"]
    assert "retry" in r.stdout.lower() and "base" in r.stdout


def test_gate_and_crosscheck_take_either_name(tmp_path: Path) -> None:
    mbox, m = _mbox(tmp_path), str(matrix(tmp_path).path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "same-as-base"\nreviewer = "A. Reviewer"\nsummary = "as before the series"\n'
                     'severity = "error"\n[rule.check]\nkind = "equivalence"\nreference = "base"\n')
    g = runner.invoke(app, ["gate", str(mbox), "--matrix", m, "--rules", str(rules), "--variant", "v3:01",
                            "--no-cache", "--json", str(tmp_path / "g.json")])
    doc = json.loads((tmp_path / "g.json").read_text())
    rule = doc["rules"][0]
    # The reference is found (v3:00 lacks the helper v3:01 adds: a difference), never "not evaluated".
    assert "not evaluated" not in (rule["note"] or "") and rule["verdict"] == "fail", (g.output, rule)
    c = runner.invoke(app, ["crosscheck", str(mbox), "--matrix", m, "--no-cache"])
    rows = [ln.split()[0] for ln in c.stdout.splitlines() if ln.strip().startswith(("v3", "base"))]
    assert "base" not in rows and rows.count("v3:00") == 1, c.output
    # The table says the state's other name beside it, as eval's base: line does (it said 'v3:00' alone).
    named = [ln.split()[:2] for ln in c.stdout.splitlines() if ln.strip().startswith("v3")]
    assert ["v3:00", "(base)"] in named and ["v3:01", "(base)"] not in named, c.output


def test_base_asked_of_several_revisions_says_which_states_there_are() -> None:
    # Before: "no variant 'base'; known: v1:00 ... v2:00 ...", with no word of why a name the README lists is not
    # there: it names vN:00 of an input of one revision only.
    from harness.apply import unknown_variant

    said = str(unknown_variant("base", ["v1:00", "v1:01", "v1", "v2:00", "v2"]))
    assert "no variant 'base' (it names vN:00 in an input of one revision; here: v1:00, v2:00); known: " in said, said
    assert "did you mean" in str(unknown_variant("bse", ["v1:00", "v1", "base"]))
