"""Tests for harness.ruleselect: a selector that matches nothing only because a patch did not apply is no bad file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.printpatchgen import LINE, edited, print_patch

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
runner = CliRunner()
AFTER = LINE.replace("(0x%016llx) failed: 0x%016llx", "(%llu) failed: %#016llx")
# seamcall_err() is an entry point here only where the patch changed it (found in the code as changed)
RULES = ('[[rule]]\nid = "leaf-printed-decimal"\nreviewer = "R"\nsummary = "seamcall_err prints the leaf in '
         'decimal"\nseverity = "error"\n[rule.check]\nkind = "behaviour"\nscenarios = { entry = ["seamcall_err*"] }\n'
         'expect = { calls_at_most = 16 }\n')


def _gate(tree: Path, patch: Path, rules: Path) -> tuple[int, str, str]:
    r = runner.invoke(app, ["gate", str(patch), "--variant", "v1", "--tree", str(tree), "--rules", str(rules),
                            "-j", "1"], env={"COLUMNS": "1000"})
    return r.exit_code, " ".join(r.stdout.split()), r.stderr


def test_a_patch_that_does_not_apply_is_said_not_the_selector_it_leaves_matching_nothing(tmp_path: Path) -> None:
    # h598's new-user trial: the same rules file gave exit 1 with the patch as git wrote it, and exit 2 blaming
    # rules.toml:8 (an 800-character line) once its '-' line was edited: the entry point the patch's change makes
    # was never found, as the patch never applied. The cause is the patch: a base problem (exit 1), said first.
    tree, patch = print_patch(tmp_path, AFTER)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    code, _, _ = _gate(tree, patch, rules)
    assert code == 1  # applies: judged, inconclusive (the rule's check makes no SEAMCALL here)
    bad = edited(patch, "(0x%016llx)", "(0x%08llx)")
    code, out, err = _gate(tree, bad, rules)
    assert code == 1 and "rules.toml" not in err, (code, err)
    assert out.startswith("v1: NOT READY: 1 base problem (a hunk does not apply), 1 error rule inconclusive"), out
    problem = f"{bad}:14: arch/x86/virt/vmx/tdx/tdx.c @@ -3,5 +3,5 @@: hunk does not apply: context differs at line 6"
    assert out.count(problem) == 2  # the base problem, then what it leaves the rule
    assert problem in out and out.index(problem) < out.index("INCONCLUSIVE leaf-printed-decimal"), out
    assert "INCONCLUSIVE leaf-printed-decimal (error; R) seamcall_err prints the leaf in decimal (its entry point " \
           f"seamcall_err* matches none of the code that ran, which is not what the patches make: {problem}" in out
    assert "PASS" not in out


def test_a_selector_matching_nothing_where_the_patch_applies_is_still_refused(tmp_path: Path) -> None:
    tree, patch = print_patch(tmp_path, AFTER)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.replace("seamcall_err*", "seamcall_nothing*"))
    code, out, err = _gate(tree, patch, rules)
    assert code == 2 and not out and err.startswith(f"seamharness: {rules}:8: rule leaf-printed-decimal: the "
                                                    "scenario selector matches no scenario"), err


def test_a_leaf_the_matrix_lacks_is_refused_though_the_patch_does_not_apply(tmp_path: Path) -> None:
    # No patch makes a leaf: the base problem excuses only the entry points its change would have made.
    tree, patch = print_patch(tmp_path, AFTER)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.replace('entry = ["seamcall_err*"]', 'entry = ["seamcall_err*"], leaf = "TDH_SYS_INTI"'))
    code, out, err = _gate(tree, edited(patch, "(0x%016llx)", "(0x%08llx)"), rules)
    assert code == 2 and not out and "unknown leaf of the matrix" in err and "'TDH_SYS_INTI'" in err, err
