"""A rule whose subject never ran is never a pass.

A rule whose subject never ran is never a pass: generated two-revision series where v2 drops, renames, wraps or
refuses the P-SEAMLDR path a rule speaks of, judged end to end through seamharness gate."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.harness.test_checks import header_and_unit
from tests.mailgen import message, patch_body, write_mbox

# A TDX-module helper and a P-SEAMLDR one (LDR: bit 63), each printing a failure with the leaf in hex.
V1 = """\
static void demo_err(u64 fn, u64 err)
{
	pr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (!err)
		return 0;
	demo_err(fn, err);
	return -EIO;
}

int demo_ldr(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (!err)
		return 0;
	demo_err(fn, err);
	return -EIO;
}
"""

DROPPED = V1[:V1.index("int demo_ldr")]
# v2 drops demo_ldr() and makes demo_call() refuse a P-SEAMLDR leaf before any SEAMCALL.
REFUSING = DROPPED.replace("\tu64 err = __seamcall(fn, args);\n",
                           "\tu64 err;\n\n\tif (fn >> 63)\n\t\treturn -EINVAL;\n\terr = __seamcall(fn, args);\n")

MATRIX = """\
[codes]
OK = 0
FAIL = 0x8000000000000001
[leaves]
ONE = 1
LDR = 0x8000000000000005

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_call"
[[entry]]
name = "demo_ldr"

[[script]]
name = "fail"
answers = ["FAIL"]
"""


def _rule(rid: str, check: str) -> str:
    return f'[[rule]]\nid = "{rid}"\nreviewer = "R"\nsummary = "{rid}"\nseverity = "error"\n[rule.check]\n{check}\n'


AT_MOST_ONE = _rule("ldr-at-most-one-call", 'kind = "behaviour"\nscenarios = { entry = "*", leaf = "LDR" }\n'
                                            "expect = { calls_at_most = 1 }")
QUIET = _rule("ldr-never-decimal", 'kind = "behaviour"\nscenarios = { entry = "*", leaf = "LDR" }\n'
                                   "expect = { log_not_match = ['failed: [0-9]+$'] }")
REFUSED = _rule("ldr-refused", 'kind = "behaviour"\nscenarios = { entry = "*", leaf = "LDR" }\n'
                               'expect = { errno = "EINVAL" }')


def _added(helpers: str) -> str:
    """A patch adding ``helpers`` in demo/h.h and the matrix's unit demo/demo.c, built, which includes it."""
    return patch_body("Add.", header_and_unit(helpers))


def _gate(tmp_path: Path, v2: str, rules: str) -> dict[str, dict[str, object]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_mbox(tmp_path / "s.mbox", [message("[PATCH v1] demo: add helpers", "gen-v1@example.org", _added(V1)),
                                     message("[PATCH v2] demo: add helpers", "gen-v2@example.org", _added(v2))])
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(rules)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v2", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    assert r.exit_code in (0, 1), r.output
    return {str(x["id"]): dict(x) for x in json.loads(out.read_text())["rules"]}


def test_a_leaf_no_scenario_issues_leaves_a_rule_met_by_no_call_inconclusive(tmp_path: Path) -> None:
    # v2 has no P-SEAMLDR path at all: demo_call() returns -EINVAL for the leaf, issuing nothing. 'At most one
    # SEAMCALL' and 'no decimal line' hold of a run that does nothing: they passed ('1 scenario checked').
    got = _gate(tmp_path, REFUSING, AT_MOST_ONE + QUIET + REFUSED)
    for rid in ("ldr-at-most-one-call", "ldr-never-decimal"):
        assert got[rid]["verdict"] == "inconclusive", got[rid]
        note = str(got[rid]["note"])
        assert "none of the 1 selected scenarios that ran issued a SEAMCALL of its leaf" in note, note
        assert "v2 does not define demo_ldr()" in note, note  # what did not run is still said
    # A value the rule asks for is shown by the run itself: refusing the leaf is what it speaks of.
    assert got["ldr-refused"]["verdict"] == "pass", got["ldr-refused"]


def test_a_leaf_another_entry_point_issues_is_judged(tmp_path: Path) -> None:
    # demo_ldr() dropped, but demo_call() issues the P-SEAMLDR leaf it is given: the rule's subject ran there.
    got = _gate(tmp_path, DROPPED, AT_MOST_ONE)
    rule = got["ldr-at-most-one-call"]
    assert rule["verdict"] == "pass", rule
    assert "v2 does not define demo_ldr()" in str(rule["note"]), rule


def test_a_helper_renamed_or_moved_behind_a_wrapper_is_followed_and_run(tmp_path: Path) -> None:
    only = _rule("ldr-one-call", 'kind = "behaviour"\nscenarios = { entry = "demo_ldr", leaf = "LDR" }\n'
                                 "expect = { calls_at_most = 1 }")
    renamed = _gate(tmp_path / "renamed", V1.replace("demo_ldr", "demo_loader"), only)["ldr-one-call"]
    assert renamed["verdict"] == "pass" and "followed demo_ldr -> demo_loader" in str(renamed["note"]), renamed
    wrapped = V1.replace("int demo_ldr(", "static int __demo_ldr(") + \
        "\nint demo_ldr_locked(u64 fn, struct tdx_module_args *args)\n{\n\treturn __demo_ldr(fn, args);\n}\n"
    behind = _gate(tmp_path / "wrapped", wrapped, only)["ldr-one-call"]
    assert behind["verdict"] == "pass" and "followed demo_ldr -> __demo_ldr" in str(behind["note"]), behind
    gone = _gate(tmp_path / "gone", DROPPED, only)["ldr-one-call"]
    assert gone["verdict"] == "inconclusive" and "no selected scenario ran" in str(gone["note"]), gone


def _base_rule(ldr_entries: str) -> str:
    return _rule("same-base", 'kind = "consistency"\nproperty = "leaf-base"\n'
                              '[rule.check.components."module"]\nentries = ["demo_call"]\nleaves = ["ONE"]\n'
                              f'[rule.check.components."ldr"]\nentries = {ldr_entries}\nleaves = ["LDR"]')


def test_a_consistency_pass_names_the_entry_points_it_could_not_see(tmp_path: Path) -> None:
    # v2 drops demo_ldr(): the P-SEAMLDR component is judged on demo_call() alone, which prints the leaf as
    # demo_ldr() did; the pass said only what demo_call() printed, as if every entry point named had run.
    got = _gate(tmp_path, DROPPED, _base_rule('["demo_ldr", "demo_call"]'))["same-base"]
    assert got["verdict"] == "pass", got
    assert "not run: ldr: v2 does not define demo_ldr()" in str(got["note"]), got


def test_a_named_entry_point_that_did_not_run_leaves_consistency_inconclusive(tmp_path: Path) -> None:
    # demo_ldr() is provided but cannot run (it calls a function no file defines): how it prints was never seen,
    # though demo_call(), named first, printed the P-SEAMLDR leaf in hex. It passed on demo_call() alone.
    broken = V1.replace("\tdemo_err(fn, err);\n\treturn -EIO;\n}\n", "\tdemo_log(fn, err);\n\treturn -EIO;\n}\n")
    broken = V1[:V1.index("int demo_ldr")] + broken[broken.index("int demo_ldr"):]
    assert "demo_log(fn, err)" in broken and broken.count("demo_err(fn, err)") == 1
    got = _gate(tmp_path, broken, _base_rule('["demo_call", "demo_ldr"]'))["same-base"]
    assert got["verdict"] == "inconclusive", got
    note = str(got["note"])
    assert "but some could not run: ldr:" in note and "demo_log" in note, note


def test_leaves_alike_in_issuing_nothing_leave_same_across_leaves_inconclusive(tmp_path: Path) -> None:
    # v2's demo_call() is a stub (a feature compiled out): every leaf gets -ENODEV and no SEAMCALL. The leaves were
    # 'alike' in a run that never reached what the rule is about ('1 group of scenarios compared across leaves').
    stub = DROPPED[:DROPPED.index("int demo_call")] + \
        "int demo_call(u64 fn, struct tdx_module_args *args)\n{\n\treturn -ENODEV;\n}\n"
    alike = _rule("no-choice-by-leaf", 'kind = "behaviour"\nscenarios = { entry = "demo_call" }\n'
                                       "expect = { same_across_leaves = true }")
    got = _gate(tmp_path / "stub", stub, alike)["no-choice-by-leaf"]
    assert got["verdict"] == "inconclusive", got
    assert "none of the 2 selected scenarios that ran issued a SEAMCALL of its leaf" in str(got["note"]), got
    # demo_call() of v1, which issues the leaf it is given, is judged as before.
    kept = _gate(tmp_path / "kept", V1, alike)["no-choice-by-leaf"]
    assert kept["verdict"] == "pass", kept


def test_a_rule_naming_no_entry_on_code_without_the_matrix_s_says_to_name_those_found(tmp_path: Path) -> None:
    # A series of one's own whose helpers have other names than the matrix's entry points: a rule with no
    # scenarios.entry selects the matrix's alone (docs/rules.md), none of which is in the code. Its note listed why
    # each could not run, never that the helpers found in the code, which ran, are judged by naming them.
    own = V1.replace("demo_call", "my_call").replace("demo_ldr", "my_ldr")
    rules = _rule("at-most-one", 'kind = "behaviour"\nscenarios = { leaf = "ONE" }\nexpect = { calls_at_most = 1 }') \
        + _rule("quiet-locks", 'kind = "lockdep"\nscenarios = { leaf = "ONE" }')
    got = _gate(tmp_path, own, rules)
    for rid in ("at-most-one", "quiet-locks"):
        note = str(got[rid]["note"])
        assert got[rid]["verdict"] == "inconclusive", got[rid]
        assert note.startswith("no selected scenario ran: the rule names no scenarios.entry, so it selects the "
                               "matrix's entry points alone: name those found in the code that ran (demo_err, my_call, "
                               "my_ldr) in scenarios.entry to judge them; "), note
    named = _gate(tmp_path / "named", own, _rule("named", 'kind = "behaviour"\nscenarios = { entry = "nothing*" }\n'
                                                          "expect = { calls_at_most = 1 }"))["named"]
    assert "scenarios.entry" not in str(named["note"]), named  # a rule that names its entry points is not told to


def test_a_retry_rule_no_run_shows_says_what_did_not_run(tmp_path: Path) -> None:
    # A rule judged on the runs that issued their leaf (no_retry, preempt_disabled), where none did: its note said
    # only 'nothing shows how one is issued', never that demo_ldr() is not in v2, nor what would show it.
    rules = _rule("ldr-not-retried", 'kind = "behaviour"\nscenarios = { entry = "*", leaf = "LDR" }\n'
                                     "expect = { no_retry = true }") + \
        _rule("ldr-preempt-off", 'kind = "behaviour"\nscenarios = { entry = "*", leaf = "LDR" }\n'
                                 "expect = { preempt_disabled = true }")
    got = _gate(tmp_path, REFUSING, rules)
    for rid in ("ldr-not-retried", "ldr-preempt-off"):
        assert got[rid]["verdict"] == "inconclusive", got[rid]
        note = str(got[rid]["note"])
        assert "none of the 1 selected scenarios that ran issued a SEAMCALL of its leaf" in note, note
        assert "v2 does not define demo_ldr()" in note, note
