"""A helper the matrix names as an entry point stays one of its own when a refactor makes it a static helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.test_helper_split import _patch_section, _split
from tests.harness.test_own_series_notes import BASE, HEADER, HEADER_TEXT, SOURCE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")
MATRIX = Path(__file__).parents[2] / "series" / "p-seamldr" / "matrix.toml"
NAMED = '\n[[entry]]\nname = "tdx_status_to_errno"\nunits = ["tdx.c"]\nargs = ["fn", "answer"]\n'


def _eval(tmp: Path, text: str, matrix: str) -> str:
    tree = init_repo(tmp / "linux", {HEADER: HEADER_TEXT, SOURCE: BASE})
    git(tree, "tag", "base")
    (tree / SOURCE).write_text(text)
    git(tree, "commit", "-q", "-a", "-m", "x86/virt/tdx: Split the checked call")
    git(tree, "format-patch", "-q", "--cover-letter", "--base=base", "-o", str(tmp / "out"), "base")
    (tmp / "m.toml").write_text(matrix)
    res = CliRunner().invoke(app, ["eval", str(tmp / "out"), "--tree", str(tree), "--matrix", str(tmp / "m.toml")],
                             env={"COLUMNS": "1000"})
    assert res.exit_code == 0, res.output
    return res.output


def test_a_helper_the_matrix_names_is_not_folded_into_its_callers(tmp_path: Path) -> None:
    """The split's static tdx_status_to_errno() is an [[entry]] of the user's matrix: its scenarios are its own, new
    in this patch, not 'compared through' tdx_sys_init() and tdx_sys_lp_init() (helperruns folds only the entry
    points the harness found in the code)."""
    text = MATRIX.read_text()
    head, tail = text.split("\n[[script]]", 1)
    out = _eval(tmp_path, _split(), head + NAMED + "\n[[script]]" + tail)
    section = _patch_section(out)
    assert "v1: 1 of 1 patch changes behaviour" in out, section
    assert any(ln.startswith("tdx_status_to_errno (") and "scenarios differ)" in ln for ln in section), section
    assert not any("compared through" in ln for ln in section), section


def test_the_same_split_under_the_bundled_matrix_is_compared_through_its_callers(tmp_path: Path) -> None:
    """The safe twin: the same patch, the helper named by no matrix, folds into its callers."""
    out = _eval(tmp_path, _split(), MATRIX.read_text())
    section = _patch_section(out)
    assert section[0] == "no behaviour change in the 94 of 658 scenarios that ran on both sides", section
    assert any("compared through them" in ln for ln in section), section
