"""harness/changelogcheck.py: a changelog rule's evidence says what it looked for in words, the pattern in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.changelogcheck import plain_words
from harness.cli import app
from tests.mailgen import demo_series, write_mbox

MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


@pytest.mark.parametrize(("pattern", "words"), [
    (r"(?i)\bVMCS\b", "VMCS"), (r"VMCS\s+handling", "VMCS handling"), (r"\bBIT\(63\)", "BIT(63)"),
    ("no functional change", "no functional change"), (r"foo\-bar", "foo-bar"),
    # more than words: alternatives, optional parts, classes, repeats, verbose mode, nothing at all
    (r"(?i)\bbit\s*#?\s*63\b|\bmsb\b", None), (r"\s*x", None), ("a.b", None), (r"\d+", None), ("(?x)a b", None),
    ("(?!)", None), ("", None),
])
def test_plain_words(pattern: str, words: str | None) -> None:
    assert plain_words(re.compile(pattern)) == words


def _gate(tmp_path: Path, pattern: str) -> tuple[str, dict[str, object]]:
    """The evidence line (the b4 details' as the terminal's) and the JSON evidence of one changelog rule on
    demo_series() v2's 01/3 ('Change number 1.')."""
    write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nid = "no-number"\nreviewer = "R"\nsummary = "s"\npatch = "add helper"\n'
                     f'[rule.check]\nkind = "changelog"\nmust_not_match = {json.dumps(pattern)}\n')
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v2", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(rules), "--json", str(tmp_path / "g.json")])
    assert r.exit_code == 1, r.output
    rule = json.loads((tmp_path / "g.json").read_text())["rules"][0]
    assert len(rule["evidence"]) == 1
    lines = rule["b4"]["details"].splitlines()  # the terminal's evidence line, unwrapped
    assert "".join(lines[2].split()) in "".join(r.stdout.split())  # the terminal wraps it, even inside a path
    return lines[2], rule["evidence"][0]


def test_a_pattern_is_said_by_what_it_matched_not_as_a_regular_expression(tmp_path: Path) -> None:
    # The terminal printed the regular expression itself: 'expected no line matching (?i)\bbit\s*#?\s*63\b|...'.
    pattern = r"(?i)\bchange\s+(?:no\.?|number)\s*\d+|\bnfc\b"
    said, evidence = _gate(tmp_path, pattern)
    line = tmp_path.joinpath("r.toml").read_text().splitlines().index(f"must_not_match = {json.dumps(pattern)}") + 1
    assert (f"expected no line matching the rule's must_not_match ({tmp_path / 'r.toml'}:{line}); "
            "got Change number 1. (it says 'Change number 1')") in said, said
    assert pattern not in said and evidence["pattern"] == pattern


def test_a_plain_phrase_is_said_as_the_words_it_looks_for(tmp_path: Path) -> None:
    said, evidence = _gate(tmp_path, r"(?i)\bchange\s+number\b")
    assert "expected no line saying 'change number' (any case); got Change number 1." in said, said
    assert evidence == {"scenario": f"{tmp_path / 's.mbox'} (01/3)", "expected": "no line saying 'change number' "
                        "(any case)", "actual": "Change number 1.", "pattern": r"(?i)\bchange\s+number\b"}


def test_the_subjects_title_is_the_commit_messages_first_line(tmp_path: Path) -> None:
    # 'demo: add helper' is the commit's first line as git am makes it: a claim there passed (READY, exit 0).
    said, _ = _gate(tmp_path, r"(?i)\badd\s+helper\b")
    assert "got demo: add helper" in said, said
    assert "[PATCH" not in said, said  # the title, as git am keeps it, not the mail's tags
