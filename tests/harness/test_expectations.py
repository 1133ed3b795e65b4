"""harness/expectations.py: a behaviour rule's log test says what it looks for in words, the pattern in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from harness.expectations import log_tests
from harness.rules import Expect
from tests.harness.variantgen import MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox


def test_a_log_test_is_said_in_words_or_by_the_rules_key() -> None:
    expect = Expect(log_match=(re.compile(r"(?i)\bfailed\b"),),
                    log_not_match=(re.compile(r"DEMO \(\d+\)"), re.compile("busy")))
    assert [said for _, _, said in log_tests(expect, lambda key: f"r.toml:{len(key)}")] == [
        "a log line saying 'failed' (any case)",
        "no log line matching pattern 1 of the rule's log_not_match (r.toml:13)", "no log line saying 'busy'"]


def _gate(tmp_path: Path, pattern: str) -> tuple[str, dict[str, object]]:
    """The evidence line (the b4 details', as the terminal says it) and the JSON evidence of a behaviour rule that
    demo_prerr() prints no line the pattern matches, on a patch adding the retry helpers (a failing leaf prints)."""
    code = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add helpers", "e1@x",
                                             patch_body("Add.", diff("demo/h.h", None, code)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nid = "quiet"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
                     'scenarios = { entry = "demo_prerr", script = "fail", leaf = "ONE" }\n'
                     f'expect = {{ log_not_match = [{json.dumps(pattern)}] }}\n')
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(rules), "--json", str(tmp_path / "g.json"),
                                 "--jobs", "1", "--no-cache"])
    assert r.exit_code == 1, r.output
    rule = json.loads((tmp_path / "g.json").read_text())["rules"][0]
    assert len(rule["evidence"]) == 1, rule
    return rule["b4"]["details"], rule["evidence"][0]


def test_a_log_pattern_is_said_by_the_rules_key_not_as_a_regular_expression(tmp_path: Path) -> None:
    # The evidence read 'expected no log line matching DEMO \(\d+\) failed', the regular expression itself.
    pattern = r"DEMO \(\d+\) failed"
    said, evidence = _gate(tmp_path, pattern)
    assert f"expected no log line matching the rule's log_not_match ({tmp_path / 'r.toml'}:8)" in said, said
    assert pattern not in said and evidence["pattern"] == pattern


def test_a_plain_log_phrase_is_said_as_the_words_it_looks_for(tmp_path: Path) -> None:
    said, evidence = _gate(tmp_path, r"(?i)\bfailed\b")
    assert "expected no log line saying 'failed' (any case)" in said, said
    assert evidence["expected"] == "no log line saying 'failed' (any case)" and evidence["pattern"] == r"(?i)\bfailed\b"
