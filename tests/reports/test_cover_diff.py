"""A cover letter's own diff (git format-patch --interdiff) is listed as what it is: nothing applies it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, write_mbox

runner = CliRunner()


def test_a_cover_letters_interdiff_is_said_not_applied(tmp_path: Path) -> None:
    msgs = demo_series()
    cover = msgs[0]
    body = cover.get_content() + "\nInterdiff against v1:\n" + diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    cover.set_content(body)
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    r = runner.invoke(app, ["series", str(mbox)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    cover_line = next(ln for ln in r.stdout.splitlines() if HELPER_PATH in ln)  # the cover is listed first
    assert "in the cover letter: not applied" in cover_line, r.stdout
    patch_lines = [ln for ln in r.stdout.splitlines() if HELPER_PATH in ln][1:]
    assert patch_lines and not any("cover letter" in ln for ln in patch_lines)
