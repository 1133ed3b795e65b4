"""``apply --out`` over an earlier output never replaces a file the user edited.

``apply --out`` over an earlier output: a file the user edited, or wrote under a name it lists, is never replaced
(exit 2, one line naming it); an untouched earlier output is replaced, and said so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, demo_series, diff, message, patch_body, write_mbox

runner = CliRunner()


def _inputs(tmp: Path) -> tuple[Path, Path]:
    """demo_series (its file created: a whole file) and one patch that modifies a file the mail alone does not
    give whole (fragments)."""
    whole = write_mbox(tmp / "whole.mbox", demo_series())
    body = patch_body("Decimal.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    part = write_mbox(tmp / "part.mbox", [message("[PATCH] demo: print fn in decimal", "one@example.org", body)])
    return whole, part


def _apply(mbox: Path, variant: str, out: Path) -> tuple[int, str]:
    r = runner.invoke(app, ["apply", str(mbox), "--variant", variant, "--out", str(out)])
    return r.exit_code, r.stderr


@pytest.mark.parametrize("shape", ["edited-whole", "edited-fragments", "whole-in-place-of-fragments",
                                   "edited-old-output"])
def test_a_file_changed_since_it_was_written_is_not_replaced(tmp_path: Path, shape: str) -> None:
    whole, part = _inputs(tmp_path)
    out = tmp_path / "out"
    mbox, variant = (part, "v1") if "fragments" in shape else (whole, "v2")
    assert _apply(mbox, variant, out)[0] == 0
    if shape == "edited-old-output":  # provenance.json as seamharness wrote it before it recorded each file's blob
        data = json.loads((out / "provenance.json").read_text())
        del data["written"]
        (out / "provenance.json").write_text(json.dumps(data))
    edited = out / (HELPER_PATH + (".fragments" if shape == "edited-fragments" else ""))
    if shape == "whole-in-place-of-fragments":
        assert (out / (HELPER_PATH + ".fragments")).is_file() and not edited.exists()
        edited.write_text("my own copy\n")
    else:
        edited.write_text(edited.read_text() + "/* my note */\n")
    kept = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    status, err = _apply(mbox, variant, out)
    assert status == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"seamharness: {edited}: ") and "refusing to overwrite" in err
    assert ("not written by seamharness" if shape.startswith("whole") else "edited since seamharness wrote it") in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == kept


def test_an_untouched_earlier_output_is_replaced_and_said(tmp_path: Path) -> None:
    whole, _ = _inputs(tmp_path)
    out = tmp_path / "out"
    status, err = _apply(whole, "v2", out)
    assert status == 0 and "replaced" not in err  # a new folder: nothing replaced
    status, err = _apply(whole, "v2:01", out)
    assert status == 0 and f"seamharness: note: --out {out}: the earlier output of v2 replaced" in err.splitlines()
    assert json.loads((out / "provenance.json").read_text())["variant"] == "v2:01"
    written = json.loads((out / "provenance.json").read_text())["written"]
    assert list(written) == [HELPER_PATH]
