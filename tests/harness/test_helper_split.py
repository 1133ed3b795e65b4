"""A refactor into new static helpers compared through the callers both sides have.

A refactor into new static helpers (a helper split in two, its callers calling both) compared through the callers
both sides have, as a maintainer reads it: no behaviour change where they agree, the helpers named as new."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.test_own_series_notes import BASE, HEADER, HEADER_TEXT, SOURCE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")

CHECKED = BASE[BASE.index("static int tdx_call_checked"):BASE.index("int tdx_sys_init")]
CALL = "return tdx_call_checked(__seamcall, {leaf}, &args);"
SPLIT_CALL = "return tdx_status_to_errno({leaf}, tdx_seamcall(__seamcall, {leaf}, &args));"
HELPERS = """\
static u64 tdx_seamcall(tdx_call_t call, u64 fn, struct tdx_module_args *args)
{
\treturn tdx_call_again(call, fn, args);
}

static int tdx_status_to_errno(u64 fn, u64 ret)
{
\tif (ret == TDX_SUCCESS)
\t\treturn 0;

\tpr_err("TDX call %llu failed: 0x%016llx\\n", fn, ret);
\treturn -EIO;
}

"""


def _split(errno: str = "-EIO", linkage: str = "static ") -> str:
    """BASE with tdx_call_checked() split into tdx_seamcall() and tdx_status_to_errno(), each caller calling both."""
    text = BASE.replace(CHECKED, HELPERS.replace("-EIO", errno).replace("static int", f"{linkage}int"))
    for leaf in ("TDH_SYS_INIT", "TDH_SYS_LP_INIT"):
        text = text.replace(CALL.format(leaf=leaf), SPLIT_CALL.format(leaf=leaf))
    return text


def _eval(tmp: Path, text: str, base: str = BASE) -> str:
    """eval --tree of a one-patch series making tdx.c ``text`` (from ``base``), on a tree of our own."""
    tree = init_repo(tmp / "linux", {HEADER: HEADER_TEXT, SOURCE: base})
    git(tree, "tag", "base")
    (tree / SOURCE).write_text(text)
    git(tree, "commit", "-q", "-a", "-m", "x86/virt/tdx: Split the checked call")
    git(tree, "format-patch", "-q", "--cover-letter", "--base=base", "-o", str(tmp / "out"), "base")
    res = CliRunner().invoke(app, ["eval", str(tmp / "out"), "--tree", str(tree)], env={"COLUMNS": "1000"})
    assert res.exit_code == 0, res.output
    return res.output


def _patch_section(out: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index("Per patch") + 2
    return [ln.strip() for ln in lines[start:] if ln.startswith("  ")]


def test_a_helper_split_in_two_whose_callers_agree_changes_nothing(tmp_path: Path) -> None:
    """Before: 'v1: 1 of 1 patch changes behaviour', 'tdx_status_to_errno() is new: this patch defines it (renamed
    from tdx_call_checked(), not compared with it)' and a code-move-not-compared finding."""
    out = _eval(tmp_path, _split())
    assert "v1: 0 of 1 patch changes behaviour" in out, out  # in what ran: the matrix's own entry points it lacks
    section = _patch_section(out)
    assert section[0] == "no behaviour change in the 94 of 658 scenarios that ran on both sides", section
    assert section[1] == ("tdx_status_to_errno() is new: this patch defines it (renamed from tdx_call_checked()): "
                          "a static helper that tdx_sys_init(), tdx_sys_lp_init() call, which ran on both sides: "
                          "compared through them, not on its own"), section
    assert "code-move-not-compared" not in out and "was not compared with its old self" not in out
    assert "code-move v1 01/1" in out


def test_a_helper_split_whose_callers_differ_is_said_with_the_value(tmp_path: Path) -> None:
    """The split helper returns -EBUSY where the old one returned -EIO: the callers' outcome is the change."""
    out = _eval(tmp_path, _split("-EBUSY"))
    assert "v1: 1 of 1 patch changes behaviour" in out
    section = _patch_section(out)
    assert "tdx_status_to_errno (94 scenarios differ):" not in section, section
    assert any(ln.startswith("tdx_sys_init (40 scenarios differ)") for ln in section), section
    assert "- return -EIO -> -EBUSY" in out
    assert any(ln.startswith("tdx_status_to_errno() is new: this patch defines it") for ln in section), section


def test_a_new_function_other_files_may_call_stays_new(tmp_path: Path) -> None:
    """Not static: code the series does not show may call it, so it is an entry point of its own, new."""
    out = _eval(tmp_path, _split(linkage=""))
    assert "v1: 1 of 1 patch changes behaviour" in out
    assert "tdx_status_to_errno (94 scenarios differ):" in out


INLINED = """\
\tu64 ret = tdx_call_again(__seamcall, {leaf}, &args);

\tif ({test})
\t\treturn 0;

\tpr_err("TDX call %llu failed: 0x%016llx\\n", (u64){leaf}, ret);
\treturn -EIO;"""


def _inlined(test: str = "ret == TDX_SUCCESS") -> str:
    """BASE with tdx_call_checked() inlined into each of its two callers, and gone."""
    text = BASE.replace(CHECKED, "")
    for leaf in ("TDH_SYS_INIT", "TDH_SYS_LP_INIT"):
        text = text.replace("\t" + CALL.format(leaf=leaf), INLINED.format(leaf=leaf, test=test))
    return text


def test_a_helper_inlined_into_its_callers_moves_its_test_with_it(tmp_path: Path) -> None:
    """Before: 'no behaviour change in the 94 of 658 scenarios that ran on both sides, but the patch changes a
    condition that none of them tells apart' and 'not compared: a condition of tdx_sys_init() changed, none in v1:00
    -> 'if (ret == TDX_SUCCESS)' ...', once per caller: the test of the gone helper is the one its callers now hold
    (models.movedconds)."""
    out = _eval(tmp_path, _inlined())
    section = _patch_section(out)
    assert section[0] == "no behaviour change in the 94 of 658 scenarios that ran on both sides", section
    assert "none in v1:00" not in out


def test_a_helper_inlined_with_another_test_is_no_plain_move(tmp_path: Path) -> None:
    """The inlined test also takes TDX_OPERAND_BUSY as success: no twin of that shape, so it is not paired away, and
    the answers next to it (a value run at TDX_OPERAND_BUSY) show the change."""
    out = _eval(tmp_path, _inlined("ret == TDX_SUCCESS || ret == TDX_OPERAND_BUSY"))
    section = _patch_section(out)
    assert section[0] != "no behaviour change in the 94 of 658 scenarios that ran on both sides", section
    assert "v1: 1 of 1 patch changes behaviour" in out, section


def test_the_gate_moves_rule_counts_the_callers_that_ran(tmp_path: Path) -> None:
    """Before: '94 scenarios of tdx_status_to_errno, tdx_sys_init, tdx_sys_lp_init ran on both sides', the new helper,
    which ran on one side only, among them."""
    _eval(tmp_path, _split())
    rules = tmp_path / "moves.toml"
    rules.write_text('[[rule]]\nid = "moves"\nreviewer = "seamharness"\nsummary = "s"\nseverity = "error"\n'
                     '[rule.check]\nkind = "moves"\n')
    res = CliRunner().invoke(app, ["gate", str(tmp_path / "out"), "--variant", "v1", "--tree", str(tmp_path / "linux"),
                                   "--rules", str(rules)], env={"COLUMNS": "1000"})
    assert res.exit_code == 0, res.output
    assert "94 scenarios of tdx_sys_init, tdx_sys_lp_init ran on both sides" in res.output, res.output


def test_a_revision_splitting_the_helper_is_compared_through_its_callers(tmp_path: Path) -> None:
    """v1 retries ten times; v2 does too and splits the helper: under 'v1 -> v2' no change, the helper named new
    (before: 'tdx_status_to_errno (94 scenarios differ)', '... is new: v2 01/1 defines it, v1 does not (renamed
    from tdx_call_checked(), not compared with it)')."""
    tree = init_repo(tmp_path / "linux", {HEADER: HEADER_TEXT, SOURCE: BASE})
    git(tree, "tag", "base")
    for v, text in ((1, BASE), (2, _split())):
        git(tree, "checkout", "-q", "-b", f"v{v}", "base")
        (tree / SOURCE).write_text(text.replace("int left = 5;", "int left = 10;"))
        git(tree, "commit", "-q", "-a", "-m", "x86/virt/tdx: Retry ten times")
        git(tree, "format-patch", "-q", "--cover-letter", f"-v{v}", "--base=base", "-o", str(tmp_path / f"v{v}"),
            "base")
    res = CliRunner().invoke(app, ["eval", str(tmp_path / "v1"), str(tmp_path / "v2"), "--tree", str(tree)],
                             env={"COLUMNS": "1000"})
    assert res.exit_code == 0, res.output
    lines = res.output.split("\nv1 -> v2\n")[1].splitlines()
    assert lines[0].strip() == "no behaviour change in the 94 of 658 scenarios that ran on both sides", lines[:3]
    assert lines[1].strip().startswith("tdx_status_to_errno() is new: v2 01/1 defines it, v1 does not: a static "
                                       "helper that tdx_sys_init(), tdx_sys_lp_init() call"), lines[:3]
