"""What the gate says of review it does not block on: replies read by the user, objections.

What the gate says of review it does not block on: the replies the user read themselves ([[read]] tables of the
rules file; a reply seamharness cannot read blocks the gate unless the user says what it said, a bad table refused at
its line), and the objections their own sender lifted, with what lifted them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from markupsafe import escape
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.test_gate_naks import MAE, RULE, _replies
from tests.harness.test_lifted_objections import NAK
from tests.harness.test_reply_language import FOREIGN, _gate

runner = CliRunner()
SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json"


READ_TABLE = """
[[read]]
msgid = "<f1@example.org>"
said = "asks for the retry to be fixed, which v2 does"
"""


def test_a_reply_the_user_read_is_said_as_read_and_blocks_nothing(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{FOREIGN[2]}\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox, RULE + READ_TABLE)
    assert status == 0 and not doc["objections"], doc["objections"]
    [line] = doc["lifted_objections"]  # type: ignore[misc]
    assert "<f1@example.org>" in line and 'read by the user, who says it said "asks for the retry' in line, line
    assert "rules.toml:" in line, line


def test_a_read_table_for_another_reply_leaves_it_blocking(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{FOREIGN[2]}\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox, RULE + READ_TABLE.replace("f1@", "f2@"))
    assert status == 1 and [o["kind"] for o in doc["objections"]] == ["unread"], doc  # type: ignore[union-attr]


@pytest.mark.parametrize(("table", "said"), [
    ('[[read]]\nmsgid = "f1@x"\nsaid = "fine"\nseen = true\n', "unknown key 'seen'"),
    ('[[read]]\nmsgid = "f1@x"\n', "missing key 'said'"),
    ('[[read]]\nmsgid = "f1@x"\nsaid = ""\n', "'said' of a [[read]] table is empty"),
    ('[[read]]\nmsgid = 3\nsaid = "fine"\n', "msgid"),
    ('[[read]]\nmsgid = "f1@x"\nsaid = "a"\n[[read]]\nmsgid = "<f1@x>"\nsaid = "b"\n', "in two [[read]] tables"),
    ('read = "f1@x"\n', "[[read]] table"),
    ('[[reads]]\nmsgid = "f1@x"\nsaid = "a"\n', "unknown top-level key: reads (rules are"),
])
def test_a_bad_read_table_is_refused_at_its_line(tmp_path: Path, table: str, said: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", "> quoted\n\nLooks good.\n", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(table + RULE)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml")])
    assert r.exit_code == 2 and said in r.output and "rules.toml:" in r.output, r.output
    assert "Traceback" not in r.output


def test_the_gate_says_what_lifted_an_objection(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, NAK, ("l1@example.org", "OK, no NAK from me then.", MAE, "n1@example.org"))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml"), "--json",
                            str(tmp_path / "g.json"), "--time-budget", "0"])
    said = "1 objection lifted by its own sender since: not blocking"
    assert r.exit_code == 0 and said in " ".join(r.stdout.split()), r.stdout
    doc = json.loads((tmp_path / "g.json").read_text())
    [line] = doc["lifted_objections"]
    assert "<n1@example.org>" in line and "lifted by its sender <l1@example.org>" in line, line


def test_eval_says_the_same_of_a_reply_not_read_and_of_one_the_user_read(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{FOREIGN[2]}\n", MAE, "patch"))
    for rules, said in ((RULE, "v2: NOT READY: 1 input not read"), (RULE + READ_TABLE, "v2: READY")):
        (tmp_path / "rules.toml").write_text(rules)
        # No time budget: a loaded host's cut run is inconclusive, never READY (failed once under -n 4).
        r = runner.invoke(app, ["eval", str(mbox), "--rules", str(tmp_path / "rules.toml"), "--variant", "v2",
                                "--time-budget", "0"])
        assert r.exit_code == 0 and said in r.stdout, r.stdout


def _lifted_by_gate(tmp_path: Path) -> tuple[list[str], list[str]]:
    """A NAK lifted by its sender and a reply the user read, gated: the options both commands take, and the lines the
    gate's JSON lists as lifted."""
    mbox = _replies(tmp_path, NAK, ("l1@example.org", "OK, no NAK from me then.", MAE, "n1@example.org"),
                    ("f1@example.org", f"> quoted\n\n{FOREIGN[2]}\n", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(RULE + READ_TABLE)
    common = [str(mbox), "--rules", str(tmp_path / "rules.toml"), "--variant", "v2", "--time-budget", "0"]
    r = runner.invoke(app, ["gate", *common, "--json", str(tmp_path / "g.json")])
    lines = json.loads((tmp_path / "g.json").read_text())["lifted_objections"]
    assert r.exit_code == 0 and len(lines) == 2, (r.stdout, lines)
    return common, lines


def test_eval_lists_what_the_gate_lists_as_lifted_in_its_summary_and_page(tmp_path: Path) -> None:
    # Before: the verdicts agreed with the gate's, but neither the terminal nor the page said what was lifted.
    common, lines = _lifted_by_gate(tmp_path)
    page = tmp_path / "r.html"
    r = runner.invoke(app, ["eval", *common, "--html", str(page)])
    assert r.exit_code == 0 and "v2: READY" in r.stdout, r.stdout
    shown = "".join(r.stdout.split())  # the terminal folds long lines where it likes
    for line in lines:
        assert "".join(f"not blocking: {line}".split()) in shown, (line, r.stdout)
        assert f'<p class="lifted small">not blocking: {escape(line)}</p>' in page.read_text(), line


def test_eval_json_holds_the_lines_the_gate_json_lists_as_lifted(tmp_path: Path) -> None:
    # Before: the terminal and the page listed them, eval's JSON did not.
    common, lines = _lifted_by_gate(tmp_path)
    r = runner.invoke(app, ["eval", *common, "--json", str(tmp_path / "e.json")])
    doc = json.loads((tmp_path / "e.json").read_text())
    assert r.exit_code == 0 and doc["lifted_objections"] == [{"variant": "v2", "line": x} for x in lines], doc
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))


def test_eval_json_leaves_lifted_objections_out_when_there_are_none(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", "> quoted\n\nLooks good.\n", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(RULE)
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(tmp_path / "rules.toml"), "--variant", "v2",
                            "--time-budget", "0", "--json", str(tmp_path / "e.json")])
    assert r.exit_code in (0, 1) and "lifted_objections" not in json.loads((tmp_path / "e.json").read_text())
