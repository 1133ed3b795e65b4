"""A log pattern passes only over printk-family calls some run made (harness.logsites), end to end through the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.demomatrix import demo_matrix
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, with_objects
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


def _makefile(path: str) -> str:
    """A created .c file is built only if a Makefile names it (harness.linking)."""
    return diff(MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "demo.o")) if path.endswith(".c") else ""


def _gate(tmp_path: Path, code: str, matrix: str, rules: str = RULES, path: str = "demo/h.h") -> dict[str, object]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add", "c1@x",
                                             patch_body("Add.", diff(path, None, code) + _makefile(path)))])
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


# A unit the patch creates, and builds: its pr_fmt is read from the file (none unless the test defines one).
UNIT = MAKEFILE.replace("Makefile", "demo.c")
IN_TREE = MATRIX.replace('path = "demo/demo.c"', f'path = "{UNIT}"')
ODD = '\t\tpr_err("failed: %llu\\n", err);\n'


@pytest.mark.parametrize("odd", [
    '\t\tpr_err("odd answer\\n");\n',  # no conversion: the line is exact
    '\t\tpr_err("odd status %llu (%#x)\\n", err, 3);\n',  # integers only: "failed: " fits in no line
    '\t\tprintk(KERN_ERR "odd status %d\\n", 1);\n',
])
def test_a_print_that_cannot_print_a_line_the_patterns_match_leaves_the_pass(tmp_path: Path, odd: str) -> None:
    # Before: inconclusive, naming the odd line, though no line it can print is one the patterns look at.
    code = CODE.replace(ODD, odd)
    assert code != CODE
    rule = _gate(tmp_path, code, IN_TREE, path=UNIT)
    assert rule["verdict"] == "pass", rule


@pytest.mark.parametrize(("odd", "pr_fmt"), [
    (ODD, ""),  # it can print "failed: 123"
    ('\t\tpr_err("odd: %s\\n", "x");\n', ""),  # a %s may print anything
    ('\t\tpr_err("odd: %c\\n", 65);\n', ""),
    ('\t\tpr_cont("odd\\n");\n', ""),  # a continuation: the line it ends is not its own
    ('\t\tpr_err("odd: ");\n', ""),  # no newline: the record stays open for more
    ('\t\tpr_err(demo_msg, err);\n', ""),  # no literal
    ('\t\tpr_err("odd: %llu\\n", err);\n', '#define pr_fmt(fmt) "failed: " fmt\n'),  # the prefix matches
])
def test_a_print_that_may_print_such_a_line_stays_inconclusive(tmp_path: Path, odd: str, pr_fmt: str) -> None:
    code = pr_fmt + "static const char demo_msg[] = \"x\\n\";\n" + CODE.replace(ODD, odd)
    rule = _gate(tmp_path, code, IN_TREE, path=UNIT)
    assert rule["verdict"] == "inconclusive" and "never ran in any run of v1" in str(rule["note"]), rule


def test_a_header_print_is_not_pruned(tmp_path: Path) -> None:
    # A header's code takes the pr_fmt of the unit it is compiled in: not read here, so it stays open.
    rule = _gate(tmp_path, CODE.replace(ODD, '\t\tpr_err("odd answer\\n");\n'), MATRIX)
    assert rule["verdict"] == "inconclusive", rule


def test_what_a_literal_format_can_print() -> None:
    import re

    from harness.logformat import can_match, format_lines

    def can(pattern: str, literal: str, callee: str = "pr_err", prefix: str = "") -> bool | None:
        lines = format_lines(literal, callee, prefix)
        return None if lines is None else can_match(re.compile(pattern), lines)

    assert can("failed", '"seamldr: loaded\\n"') is False and can("loaded$", '"seamldr: loaded\\n"') is True
    assert can("^tdx: seamldr", '"seamldr: x\\n"', prefix="tdx: ") is True  # the pr_fmt prefix is on the line
    assert can("0x1f", '"status %#x\\n"') is True and can("status -5", '"status %d\\n"') is True
    assert can("status abc", '"status %x\\n"') is True and can("status xyz", '"status %x\\n"') is False
    assert can("a|failed", '"status %d\\n"') is True  # no text every match needs: it may match
    assert can("(?i)FAILED", '"failed %d\\n"') is True and can("FAILED", '"failed %d\\n"') is False
    assert can("second", '"first\\n" "second %d\\n"') is True  # adjacent literals, two lines
    assert can("err", '"\\001" "3" "seamldr: err\\n"', "printk") is True  # KERN_ERR comes off
    for literal in ('"x %s\\n"', '"x %c\\n"', '"x %p\\n"', '"x %pS\\n"', '"x"', '"x %"'):
        assert can("y", literal) is None, literal  # may print anything, or a record left open
    assert can("y", '"\\001" "c" "x\\n"', "printk") is None and can("y", '"x\\n"', "pr_cont") is None
    # printk keeps 1024 bytes of a record: a line cut there ends in "a", which "a$" matches
    assert can("a$", '"' + "a" * 1100 + 'b\\n"') is True and can("a$", '"ab\\n"') is False


def test_the_prints_left_out_are_counted_in_english() -> None:
    # One entry point more than the places said, each unknown to the facts: '1 more places' was said of the last.
    from types import SimpleNamespace
    from typing import Any

    from harness.linecover import HINT
    from harness.logsites import _LIMIT, unseen_prints
    from harness.variants import Variant
    from models.facts import CodeFacts

    facts = CodeFacts(("f",), {}, {}, {}, {}, print_sites={})
    ctx: Any = SimpleNamespace(facts=lambda v: facts, outcomes=lambda name: [],
                               result=SimpleNamespace(coverage=lambda name: SimpleNamespace(ran=frozenset())))
    outs: Any = [(SimpleNamespace(entry=SimpleNamespace(name=f"e{i}")), SimpleNamespace(ran=True, events=()))
                 for i in range(_LIMIT + 1)]
    said = unseen_prints(Variant("v9", "d", (), (), (), (), "t"), ctx, outs)
    assert said[_LIMIT:] == ["1 more place", HINT], said
