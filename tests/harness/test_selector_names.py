"""A leaf or unit the matrix lacks: 'did you mean' only for a likely typo.

A leaf or unit a rule's scenarios name that the matrix lacks: "did you mean" only for a likely typo, verified
against the matrix and the mail's code; from mail alone what cannot be verified is said so (docs/rules.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.test_gate_drops import _thread
from tests.harness.test_gate_naks import RULE

runner = CliRunner()
SELECTOR = 'scenarios = { entry = "seamcall", leaf = "TDH_SYS_INIT", script = "tdx-no-entropy-x1" }'


def _gate(tmp: Path, selector: str) -> str:
    mbox, rules = _thread(tmp, "Looks fine.\n")
    assert SELECTOR in RULE
    rules.write_text(RULE.replace(SELECTOR, f"scenarios = {{ entry = \"seamcall\", {selector}, "
                                            "script = \"tdx-no-entropy-x1\" }"))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in said and f"{rules}:" in said, said
    return said


@pytest.mark.parametrize(("selector", "want", "not_said"), [
    # A slip of a letter: the one the matrix has (as before).
    ('leaf = "TDH_SYS_INTI"', "'TDH_SYS_INTI' (did you mean 'TDH_SYS_INIT'?)", ""),
    # Another word: difflib's nearest ('TDH_SYS_LP_INIT'/'TDH_SYS_INIT') was named as if it were meant.
    ('leaf = "TDH_SYS_SHUTDOWN"', "no leaf of the matrix is a likely typo of it, and no hunk of the mail shows it: "
                                  "from mail alone whether it is misspelt cannot be verified", "did you mean"),
    # A name of the mail's code, not a leaf: said so, not "did you mean" some leaf.
    ('leaf = "SEAMLDR_RND_NO_ENTROPY"', "'SEAMLDR_RND_NO_ENTROPY' is a name in the mail's code, not a leaf of the "
                                        "matrix: add a [leaves] entry for it", "did you mean"),
    ('unit = "tdx.cc"', "'tdx.cc' (did you mean 'tdx.c'?)", ""),
    ('unit = "sched.c"', "no unit of the matrix is a likely typo of it, and no hunk of the mail shows it", "did you"),
])
def test_a_leaf_or_unit_the_matrix_lacks_is_refused_with_what_is_verified(tmp_path: Path, selector: str, want: str,
                                                                            not_said: str) -> None:
    said = _gate(tmp_path, selector)
    assert want in said, said
    assert not not_said or not_said not in said, said


@pytest.mark.parametrize(("unit", "want"), [
    # A file the patches change that no entry point runs in (a header): no unit, said so with its path.
    ("seamcall_internal.h", "'seamcall_internal.h' (arch/x86/virt/vmx/tdx/seamcall_internal.h) is a file the mail's "
                            "patches change, not a unit of the matrix: add a [[unit]] for it"),
    ("seamcall-internal.h", "did you mean 'seamcall_internal.h'? 'seamcall_internal.h' (arch/x86/virt/vmx/tdx/"
                            "seamcall_internal.h) is a file the mail's patches change"),
    # The path of a unit the matrix names otherwise.
    ("arch/x86/virt/vmx/tdx/tdx.c", "'arch/x86/virt/vmx/tdx/tdx.c' (did you mean 'tdx.c', the unit of that path?)"),
])
def test_a_file_of_the_mail_or_a_units_path_is_named_as_such(tmp_path: Path, unit: str, want: str) -> None:
    # Before: 'seamcall_internal.h' got "did you mean 'seamldr_ops.c'?" (difflib's nearest unit).
    said = _gate(tmp_path, f'unit = "{unit}"')
    assert want in said, said


CONSISTENCY = """[[rule]]
id = "leaf-decimal"
reviewer = "A. Maintainer"
summary = "SEAMCALL failures print the leaf in decimal"
severity = "error"
[rule.check]
kind = "consistency"
property = "leaf-base"
[rule.check.components."TDX module"]
entries = ["seamcall_prerr"]
leaves = ["TDH_SYS_INIT", "{leaf}"]
"""


@pytest.mark.parametrize(("leaf", "want", "not_said"), [
    ("TDH_SYS_INTI", "'TDH_SYS_INTI' (did you mean 'TDH_SYS_INIT'?)", ""),
    # Another word: difflib's nearest ('TDH_SYS_INIT') was named as if it were meant, as for a selector before.
    ("TDH_SYS_SHUTDOWN", "no leaf of the matrix is a likely typo of it", "did you mean"),
])
def test_a_components_leaf_the_matrix_lacks_is_refused_as_a_selectors_is(tmp_path: Path, leaf: str, want: str,
                                                                          not_said: str) -> None:
    mbox, rules = _thread(tmp_path, "Looks fine.\n")
    rules.write_text(CONSISTENCY.replace("{leaf}", leaf))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in said and f"{rules}:11:" in said, said  # the leaves key's own line
    assert want in said, said
    assert not not_said or not_said not in said, said


@pytest.mark.parametrize(("selector", "want"), [
    ('entry = "seamcall", script = "tdx-busy-*"', "(script 'tdx-busy-*' matches no script of it)"),
    ('entry = "seamcall", leaf = "SEAMLDR_*", unit = "seamldr.c"',
     "(each of its names matches, but no scenario has them together)"),
    # A value run's script, which eval's facts show ('neighbour-0x...'), is no matrix's: said, with what to do.
    ('entry = "seamcall", script = "neighbour-0x8*"',
     "(script 'neighbour-0x8*' matches no script of it: neighbour-0x... scripts are the value runs eval makes, not a "
     "matrix's; --matrix-add FILE adds a script answering that status"),
])
def test_a_selector_matching_nothing_names_the_part_that_does(tmp_path: Path, selector: str, want: str) -> None:
    # Before: only 'the scenario selector matches no scenario of the matrix ...', whichever part matched nothing.
    mbox, rules = _thread(tmp_path, "Looks fine.\n")
    rules.write_text(RULE.replace(SELECTOR, f"scenarios = {{ {selector} }}"))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in said and f"{rules}:8:" in said, said
    assert "matches no scenario of the matrix" in said and want in said, said


def test_a_misspelt_pattern_names_the_nearest_entry_point(tmp_path: Path) -> None:
    # 'seamcal_prerr*' said nothing of the name meant, where the same name without its '*' got a 'did you mean':
    # from mail alone (the rule inconclusive: the tree may hold what it matches) and against the code read whole.
    from harness.rules import Selector
    from harness.ruleselect import _matching_nothing
    from tests.harness.test_where_leafless import _matrix

    mbox, rules = _thread(tmp_path, "Looks fine.\n")
    rules.write_text(RULE.replace(SELECTOR, 'scenarios = { entry = "seamcal_prerr*" }'))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert "seamcal_prerr* (the nearest found: 'seamcall_prerr') matches nothing the mail shows: give --tree" in said
    assert _matching_nothing(Selector(entry=("demo_perr*",)), _matrix(tmp_path)) == (
        " (entry point 'demo_perr*' matches no entry point of it: the nearest is 'demo_prerr')")


@pytest.mark.parametrize(("script", "refused"), [("tdx-no-entopy-*", True), ("tdx-no-entropy-*", False)])
def test_a_script_pattern_matching_no_script_is_refused_from_mail_alone_too(tmp_path: Path, script: str,
                                                                            refused: bool) -> None:
    # An entry point no hunk shows (from mail alone: the tree may hold it) kept the selector from being checked at all:
    # a misspelt script pattern was 'INCONCLUSIVE ... give --tree' (exit 1), refused only with --tree. The matrix's
    # scripts are known whatever the code: it is refused now, and a pattern that matches one still waits for the tree.
    mbox, rules = _thread(tmp_path, "Looks fine.\n")
    rules.write_text(RULE.replace(SELECTOR, f'scenarios = {{ entry = "tdx_query_all", script = "{script}" }}'))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert "Traceback" not in said and r.exit_code == (2 if refused else 1), said
    want = f"{rules}:8: rule " if refused else "tdx_query_all is not in what the mail shows"
    assert want in said and (not refused or ("script 'tdx-no-entopy-*' matches no script of it: the nearest is" in said
                             and "the nearest is 'tdx-no-entropy-" in said)), said


@pytest.mark.parametrize(("leaf", "refused"), [("SEAMLDR_INOF*", True), ("TDH_SYS_INTI*", True),
                                               ("*_SYS_INTI", True), ("SEAMLDR_INFO*", False),
                                               ("TDH_MNG_*", False), ("TDH_SYS_LP_INIT*", False)])
def test_a_misspelt_leaf_pattern_is_refused_from_mail_alone_too(tmp_path: Path, leaf: str, refused: bool) -> None:
    # As a script pattern (above): with an entry point no hunk shows, a leaf pattern one slip off a leaf the matrix has
    # was 'INCONCLUSIVE ... give --tree' (exit 1). A pattern that is no likely typo of one (another leaf the tree's
    # code may hold: 'TDH_SYS_LP_INIT*', 'TDH_MNG_*') still waits for the tree.
    mbox, rules = _thread(tmp_path, "Looks fine.\n")
    rules.write_text(RULE.replace(SELECTOR, f'scenarios = {{ entry = "tdx_query_all", leaf = "{leaf}" }}'))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--no-cache"])
    said = " ".join(r.output.split())
    assert "Traceback" not in said and r.exit_code == (2 if refused else 1), said
    if refused:
        assert f"{rules}:8: rule " in said and f"leaf {leaf!r} matches no leaf of it: did you mean" in said, said
    else:
        assert "tdx_query_all is not in what the mail shows" in said, said
