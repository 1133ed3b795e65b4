"""One revision's patches whose subjects give different totals (two series' postings of one version in one input)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_V1, demo_series, diff, message, patch_body, write_mbox

BACKPORT = "[PATCH 6.1 046/123] demo: print fn in decimal"  # a stable tree's review posting of one patch


def _series(tmp: Path, *extra: str) -> str:
    mails = [*demo_series(version=1)]
    for k, subject in enumerate(extra):
        mails.append(message(subject, f"x{k}@example.org", patch_body("[ Upstream commit 0123456789ab ]",
                                                                       diff("drivers/demo/other.h", None, HELPER_V1))))
    r = CliRunner().invoke(app, ["series", str(write_mbox(tmp / "t.mbox", mails))])
    assert r.exit_code == 0, r.output
    return r.output


def test_a_revision_mixing_totals_says_so_at_the_first_patch_of_another_total(tmp_path: Path) -> None:
    # Before: 'v1: 4 of 123 patches', the backport read as v1's patch 46 without a word.
    out = _series(tmp_path, BACKPORT)
    [note] = [ln for ln in out.splitlines() if "totals" in ln]
    assert "t.mbox:" in note and "v1 mixes patches of 2 totals: 3 (1/3" in note and "123 (46/123" in note, note
    assert "read as one revision of 123 patches" in note, note


def test_one_total_or_a_patch_past_it_says_nothing_of_totals(tmp_path: Path) -> None:
    assert "totals" not in _series(tmp_path)
    assert "totals" not in _series(tmp_path, "[PATCH 4/3] demo: one more")  # said by the past-total note alone
