"""A log pattern passes only over printk-family calls some run made (harness.logsites), end to end through the gate."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.harness.demomatrix import demo_matrix
from tests.mailgen import diff, message, patch_body, write_mbox

# The failure prints the status as 0x%016llx, but an answer no script gives prints it in decimal (no leaf in it).
CODE = """\
#define DEMO_ODD 0x1234

static void demo_err(u64 fn, u64 err)
{
	pr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (!err)
		return 0;
	if (err == DEMO_ODD)
		pr_err("failed: %llu\\n", err);
	else
		demo_err(fn, err);
	return -EIO;
}
"""

MATRIX = demo_matrix("ODD = 0x1234")

ODD_SCRIPT = '\n[[script]]\nname = "odd"\nanswers = ["ODD"]\n'

RULES = """\
[[rule]]
id = "status-in-hex"
reviewer = "R"
summary = "A failed call prints the status as %#016llx, never in decimal"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "demo_call", script = "fail" }
expect = { log_match = ['failed: 0x[0-9a-f]{16}'], log_not_match = ['failed: [0-9]+$'] }
"""


def _gate(tmp_path: Path, code: str, matrix: str, rules: str = RULES) -> dict[str, object]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add", "c1@x",
                                             patch_body("Add.", diff("demo/h.h", None, code)))])
    (tmp_path / "m.toml").write_text(matrix)
    (tmp_path / "r.toml").write_text(rules)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    assert r.exit_code in (0, 1), r.output
    (rule,) = json.loads(out.read_text())["rules"]
    return dict(rule)


def test_a_status_print_no_run_made_leaves_a_log_rule_inconclusive(tmp_path: Path) -> None:
    # It passed ('1 scenario checked'): the decimal line does not print the leaf, so f1381ab's leaf prints
    # missed it, though it breaks the reviewer's point.
    rule = _gate(tmp_path, CODE, MATRIX)
    assert rule["verdict"] == "inconclusive", rule
    note = str(rule["note"])
    assert "demo/h.h:15" in note and "failed: %llu" in note and "never ran in any run of v1" in note, note
    assert "under the test at demo/h.h:14" in note and "err == DEMO_ODD" in note, note


def test_a_print_another_script_made_counts_as_seen(tmp_path: Path) -> None:
    # The odd answer runs in a scenario the rule does not select: its line was printed and seen (as in f1381ab).
    rule = _gate(tmp_path, CODE, MATRIX + ODD_SCRIPT)
    assert rule["verdict"] == "pass", rule


def test_a_fail_on_a_line_that_ran_stays_a_fail(tmp_path: Path) -> None:
    decimal = CODE.replace('"DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err', '"DEMO %llx failed: %llu\\n", fn, err')
    assert decimal != CODE
    rule = _gate(tmp_path, decimal, MATRIX)
    assert rule["verdict"] == "fail", rule


def test_a_rule_without_a_log_pattern_is_not_held_to_prints(tmp_path: Path) -> None:
    rules = RULES.replace("expect = { log_match = ['failed: 0x[0-9a-f]{16}'], log_not_match = ['failed: [0-9]+$'] }",
                          'expect = { errno = "EIO" }')
    assert rules != RULES
    rule = _gate(tmp_path, CODE, MATRIX, rules)
    assert rule["verdict"] == "pass", rule


def test_a_warn_message_that_never_fired_is_not_seen(tmp_path: Path) -> None:
    # The WARN() runs in every failure, but prints its message only for the odd answer: a statement that ran is
    # not a message seen.
    warned = CODE.replace('\tif (err == DEMO_ODD)\n\t\tpr_err("failed: %llu\\n", err);\n\telse\n\t\t',
                          '\tWARN(err == DEMO_ODD, "failed: %llu\\n", err);\n\t')
    assert warned != CODE
    rule = _gate(tmp_path / "once", warned, MATRIX)
    assert rule["verdict"] == "inconclusive", rule
    assert "a WARN() message at demo/h.h:14" in str(rule["note"]) and "never fired" in str(rule["note"]), rule
    assert _gate(tmp_path / "odd", warned, MATRIX + ODD_SCRIPT)["verdict"] == "pass"
