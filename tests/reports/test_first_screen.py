"""What a maintainer sees first: verdicts on the first screen, JUnit counts, 80 columns.

What a maintainer sees first: the verdicts and the newest revision's changes in the first viewport, every
rule readable at 1400 px, a JUnit file whose counts are the gate's, and terminal output that fits 80 columns."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result

from harness.cli import app
from harness.gate import GateRequest, GateState, evaluate_gate
from harness.pipeline import Evaluation
from harness.report import report_model
from reports.html_report import render_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser

runner = CliRunner()
VIEW = {"width": 1400, "height": 900}


def test_first_viewport_and_rules_table(corpus_eval: Evaluation, tmp_path: Path, browser: Browser) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(report_model(corpus_eval)))
    context = browser.new_context(viewport=VIEW)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        verdict = page.locator("#verdict-v3").bounding_box()
        assert verdict is not None and verdict["y"] + verdict["height"] <= VIEW["height"]
        assert page.locator("#verdict-v3").inner_text().startswith(
            "v3: NOT READY: 1 base problem (patches missing), 6 error rules fail")
        changes = page.locator("#summary ul.patchlines").first
        box = changes.bounding_box()
        assert box is not None and box["y"] + box["height"] <= VIEW["height"]
        assert "v3 06/26" in changes.inner_text()  # the newest revision's patches come first
        # The page never scrolls sideways; every rule's row and name can be read where it stands.
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEW["width"]
        # Each name scrolled into view as playwright's scroll_into_view_if_needed() does (Chromium's
        # DOM.scrollIntoViewIfNeeded: centred if not in view), then its box in the viewport: in one call, where a
        # scroll and a box each were a round trip to the browser and a wait for two still frames (some 2 s).
        boxes = page.locator("table.rules .rule-name").evaluate_all(
            "els => els.map(e => { e.scrollIntoViewIfNeeded(true); const r = e.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; })")
        assert len(boxes) == 12
        for i, b in enumerate(boxes):
            assert b["width"] > 0 and b["height"] > 0, i  # drawn (playwright's bounding_box() is None if not)
            assert b["x"] >= 0 and b["x"] + b["width"] <= VIEW["width"], i
            assert b["y"] >= 0 and b["y"] + b["height"] <= VIEW["height"], i
        # Anchors: a patch line of the summary opens its patch's section.
        target = changes.locator("a").first.get_attribute("href")
        assert target and page.locator(target).count() == 1
    finally:
        context.close()


@pytest.fixture(scope="module")
def gate_v3(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """`gate CORPUS --variant v3 --junit FILE` run once for the tests that read what it printed and wrote."""
    junit = tmp_path_factory.mktemp("gate") / "g.xml"
    return runner.invoke(app, ["gate", str(corpus), "--variant", "v3", "--junit", str(junit)]), junit


def test_junit_counts_are_the_gate_counts(corpus: Path, gate_v3: tuple[Result, Path]) -> None:
    r, junit = gate_v3
    g = evaluate_gate(GateRequest((corpus,), "v3"))
    states = [g.state(v) for v in g.verdicts]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    # The error rules that block, and the base problem: the input lacks v3 08-26, which the whole v3 holds.
    assert int(suite.get("failures", "-1")) == states.count(GateState.BLOCKS) + len(g.base_problems) == 7
    assert int(suite.get("skipped", "-1")) == states.count(GateState.NOT_APPLICABLE)
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    warned = [c for c in cases.values() if (c.findtext("system-out") or "").startswith("FAIL (warning)")]
    assert len(warned) == states.count(GateState.WARNS) == 5
    assert all(c.find("failure") is None for c in warned)
    assert " ".join(r.stdout.split("\nv3 with the ", 1)[0].split()) == \
        "v3: NOT READY: 1 base problem (patches missing), 6 error rules fail, 5 warnings, 1 passed, 0 not applicable"


def _lines_fit(text: str) -> None:
    """Every line fits 80 columns but one holding, after its indent or tree guide, a single word wider than what is
    left of the line (a path, a Message-ID), shown whole to be copied whole (f0106747), never folded or cut."""
    assert text.strip()
    for line in text.splitlines():
        word = line.lstrip(" \u2502\u251c\u2514\u2500")
        assert len(line) <= 80 or (" " not in word and len(word) > 80 - (len(line) - len(word))), line
        assert "\u2026" not in line, line  # rich's ellipsis: something was cut


@pytest.mark.parametrize("command", ["series", "eval", "gate"])
def test_eighty_columns(corpus: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    extra = ["--variant", "v3"] if command == "gate" else []
    r = runner.invoke(app, [command, str(corpus), *extra], env={"COLUMNS": "80"})
    assert r.exit_code in (0, 1), r.output
    _lines_fit(r.stdout)
    flat = re.sub(r"\s+", " ", r.stdout)
    if command == "series":
        data = json.loads(runner.invoke(app, ["series", str(corpus), "--json"]).stdout)
        for rev in data["revisions"]:
            for p in rev["patches"]:
                for f in p.get("files", []):
                    assert f"{f['old_blob']}..{f['new_blob']}" in r.stdout  # blob ids whole, on one line
                for reply in p.get("replies", []):
                    assert f"<{reply['msgid']}>" in flat
    if command == "gate":
        for rule in ("move-preserves-behaviour", "leaf-base-consistent", "nak-no-kernel-change"):
            assert rule in r.stdout
        assert "<e2245231-ee39-40aa-bfdc-e43419fa30f4@intel.com>" in r.stdout


def test_single_variant_eval_says_what_it_does(corpus: Path) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--variant", "hansen-drop-06"], env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    assert "seamcall: 10 SEAMCALLs (TDX module), returns 0x0" in r.stdout
    assert "hint: compare it with --against NAME (e.g. --against v3)" in re.sub(r"\s+", " ", r.stdout)


def test_each_revision_names_its_passing_rules_and_warnings(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    v3 = next(s for s in rep.summaries if s.name == "v3")
    assert len(v3.passing) == 1 and len(v3.warnings) == 5 and len(v3.failing) == 6
    page = render_html(rep)
    block = page[page.index('id="verdict-v3"'):page.index('id="verdict-v2"')]
    assert f'passing: <a href="#rule-{v3.passing[0]}">' in block
    assert all(f'href="#rule-{w}"' in block for w in v3.warnings)


def test_a_pass_says_what_it_rests_on(corpus: Path) -> None:
    r = runner.invoke(app, ["gate", str(corpus), "--variant", "v3:00"], env={"COLUMNS": "200"})
    lines = r.stdout.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("PASS leaf-base-consistent"))
    assert "TDX module hex" in lines[at + 3] and "P-SEAMLDR hex" in lines[at + 3]


def test_the_fail_lines_are_the_headlines_failing_error_rules(gate_v3: tuple[Result, Path]) -> None:
    # A warning rule that fails is WARN, with what it found beside its severity: a reader counting FAIL lines
    # counts what blocks the gate (11 FAIL lines under "6 error rules fail" before). (With --junit: it adds no line
    # to stdout.)
    r = gate_v3[0]
    heads = [ln.split(" ", 1)[0] for ln in r.stdout.splitlines() if re.match(r"(FAIL|WARN|PASS|INCONCLUSIVE|N/A) ", ln)]
    assert " ".join(r.stdout.split("\nv3 with the ", 1)[0].split()) == \
        "v3: NOT READY: 1 base problem (patches missing), 6 error rules fail, 5 warnings, 1 passed, 0 not applicable"
    assert (heads.count("FAIL"), heads.count("WARN"), heads.count("PASS")) == (6, 5, 1)
    assert "WARN changelog-no-vmcs (warning: fail;" in r.stdout
