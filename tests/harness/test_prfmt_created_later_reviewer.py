"""A reviewer variant on an early patch runs with the pr_fmt a later patch's file defines.

A reviewer variant on an early patch, like the revision's own state there: a matrix unit a later patch of the
revision creates runs the variant's header code with the pr_fmt that patch's file defines, said so (it said
mainline's was used and 'give --tree', which no tree helps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import LOADER, NEW_HOME, RETRY_SAFE, creating_series, helpers
from tests.harness.test_prfmt_created_later import eval_json, unit_logs
from tests.mailgen import diff, message, write_mbox
from tests.reportrows import assumptions

FIRST = "gen-1-v2@example.org"
VARIANT = "v2:01+rita-reviewer"


def _eval(tmp_path: Path, pr_fmt: str | None) -> dict:  # type: ignore[type-arg]
    """The series, and Rita's reply to its 01 proposing a comment in the header it creates."""
    old = helpers(RETRY_SAFE)
    new = old.replace("static inline", "/* a reviewer's note */\nstatic inline", 1)
    assert new != old
    reply = message("Re: [PATCH v2 1/2] x86/virt/tdx: Add an internal SEAMCALL helper header", "r1@x",
                    f"How about:\n\n{diff(NEW_HOME, old, new)}\nThanks.\n", sender="Rita Reviewer <rita@example.org>",
                    parent=FIRST, refs=("gen-cover-v2@example.org", FIRST))
    mbox = write_mbox(tmp_path / "v2.mbox", [*creating_series(pr_fmt), reply])
    return eval_json(tmp_path, mbox, VARIANT, "v2:01")


@pytest.mark.parametrize(("pr_fmt", "prefix", "used"), [
    ('"our-loader: "', "our-loader: ", "its pr_fmt there ('our-loader: ') is used"),
    (None, "", "it defines no pr_fmt there: none is used (no prefix)"),
])
def test_a_reviewer_variant_runs_a_unit_a_later_patch_creates_with_its_pr_fmt(tmp_path: Path, pr_fmt: str | None,
                                                                             prefix: str, used: str) -> None:
    data = _eval(tmp_path, pr_fmt)
    said = assumptions(data)
    assert [a for a in said[VARIANT] if LOADER in a] == [
        f"the unit {LOADER} does not exist in {VARIANT}: v2 02/2 creates it; {used}"]
    logs = unit_logs(data, VARIANT)
    assert logs and all(line.startswith(f"{prefix}SEAMCALL") for line in logs), logs[:3]
    assert set(logs) == set(unit_logs(data, "v2:01"))  # as the revision's own state there prints
