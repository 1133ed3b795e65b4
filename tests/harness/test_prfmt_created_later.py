"""A unit a later patch creates runs header code with that file's pr_fmt.

A matrix unit a later patch of the revision creates: the state's header code runs there with the pr_fmt that
patch's file defines, and the report says so (it assumed mainline's and said 'give --tree', which no tree helps)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import LOADER, creating_series
from tests.mailgen import write_mbox
from tests.reportrows import assumptions, scenario_id, scenario_parts, whole_outcomes

runner = CliRunner()


def eval_json(tmp_path: Path, mbox: Path, *variants: str) -> dict:  # type: ignore[type-arg]
    """eval of ``variants`` of ``mbox`` with no time budget: its report.json."""
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["eval", str(mbox), *(a for v in variants for a in ("--variant", v)), "--json", str(out),
                            "--time-budget", "0"])
    assert r.exit_code in (0, 1), r.output
    data: dict = json.loads(out.read_text())  # type: ignore[type-arg]
    return data


def _eval(tmp_path: Path, pr_fmt: str | None) -> dict:  # type: ignore[type-arg]
    return eval_json(tmp_path, write_mbox(tmp_path / "v2.mbox", creating_series(pr_fmt)), "v2:01", "v2")


def unit_logs(data: dict, variant: str) -> list[str]:  # type: ignore[type-arg]
    units = {scenario_id(sc): data["units"][scenario_parts(sc)["unit"]] for sc in data["scenarios"]}
    table = whole_outcomes(data)
    return [text for r in data["results"] if r["variant"] == variant and units[r["scenario"]] == LOADER
            for _, text in table[r["outcome"]].get("log", [])]


@pytest.mark.parametrize(("pr_fmt", "prefix", "used"), [
    # Not mainline's 'seamldr: ' (printed before): the file the series creates defines another.
    ('"our-loader: "', "our-loader: ", "its pr_fmt there ('our-loader: ') is used"),
    (None, "", "it defines no pr_fmt there: none is used (no prefix)"),
])
def test_a_unit_a_later_patch_creates_has_that_patchs_pr_fmt(tmp_path: Path, pr_fmt: str | None, prefix: str,
                                                               used: str) -> None:
    data = _eval(tmp_path, pr_fmt)
    early, whole = unit_logs(data, "v2:01"), unit_logs(data, "v2")
    assert early and all(line.startswith(f"{prefix}SEAMCALL") for line in early), early[:3]
    assert set(early) <= set(whole)  # as the unit prints once the patch lands
    said = assumptions(data)
    # (tdx.c, which no patch creates, is assumed as before: a tree may hold it.)
    assert [a for a in said["v2:01"] if LOADER in a] == [
        f"the unit {LOADER} does not exist in v2:01: v2 02/2 creates it; {used}"]
    assert not any(LOADER in a for a in said["v2"])
